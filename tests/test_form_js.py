"""static/form.js under node (a tiny DOM stub, no jsdom): valid syntax, and it fills the field the built form
has with the milliseconds the intake's too-fast rule reads."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitetest import REPO, TODAY
from sitegen import build

FORM_JS = REPO / "static" / "form.js"
NOW_MS = 1795679940000  # 2026-11-26T07:59:00Z
# Runs the script in a fresh context whose document answers querySelectorAll with two stub inputs and
# querySelector with the thank-you page's back link; argv[2] is the page's query string.
RUNNER = """
const vm = require('vm'), fs = require('fs');
const fields = [{value: ''}, {value: ''}], asked = [];
const link = {href: '/themen/', textContent: 'Zurück zu den Zukunftsthemen', getAttribute() { return '/themen/'; }};
const document = {querySelectorAll(selector) { asked.push(selector); return fields; },
                  querySelector(selector) { return selector === 'a[data-topic-link]' ? link : null; }};
const window = {location: {search: process.argv[2] || ''}};
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'),
                   {document, window, URLSearchParams, Date: {now: () => %d}, String});
console.log(JSON.stringify({asked, values: fields.map(f => f.value), link: [link.href, link.textContent]}));
""" % NOW_MS


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    assert found, "node is needed for this test (Debian: apt-get install nodejs)"
    return found


def test_form_js_is_valid_javascript(node: str) -> None:
    done = subprocess.run([node, "--check", str(FORM_JS)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_form_js_fills_every_form_loaded_at_field_with_the_time_in_milliseconds(node: str) -> None:
    done = subprocess.run([node, "-e", RUNNER, str(FORM_JS)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["asked"] == ['input[name="form_loaded_at"]'] and result["values"] == [str(NOW_MS)] * 2


@pytest.mark.parametrize("query, href, text", [
    ("?thema=verkehr", "/themen/verkehr/", "Zurück zum Thema"),
    ("", "/themen/", "Zurück zu den Zukunftsthemen"),
    ("?thema=../../etc", "/themen/", "Zurück zu den Zukunftsthemen"),  # only a topic's name becomes a link
    ("?thema=javascript:alert(1)", "/themen/", "Zurück zu den Zukunftsthemen"),
])
def test_the_thank_you_link_leads_back_to_a_topic_only(node: str, query: str, href: str, text: str) -> None:
    done = subprocess.run([node, "-e", RUNNER, str(FORM_JS), query], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["link"] == [href, text]


def test_the_selector_finds_the_hidden_field_of_each_built_comment_form(node: str, site_root: Path,
                                                                       tmp_path: Path) -> None:
    done = subprocess.run([node, "-e", RUNNER, str(FORM_JS)], capture_output=True, text=True, timeout=60)
    (selector,) = json.loads(done.stdout)["asked"]
    build(site_root, tmp_path / "out", today=TODAY)
    pages = [p for p in (tmp_path / "out" / "themen").glob("*/index.html") if "/static/form." in p.read_text("utf-8")]
    assert pages, "no topic page loads form.js"
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        fields = soup.select(selector)
        assert fields and all(f.find_parent("form") and f.get("type") == "hidden" for f in fields), page
        assert len(fields) == len(soup.select("form")), page  # every form has one, so each can be timed
        (script,) = soup.select('script[src^="/static/form."]')  # the asset name carries its hash
        assert script.has_attr("defer")  # runs once the forms are parsed
        asset = tmp_path / "out" / script["src"].lstrip("/")
        assert asset.read_bytes() == FORM_JS.read_bytes()  # the script tested here is the one served


def test_the_time_the_script_writes_is_what_the_spam_rule_reads() -> None:
    from intake.config import SpamRules
    from intake.spam import reasons
    fields = {"topic": "verkehr", "name": "A", "body": "Text", "form_loaded_at": str(NOW_MS)}
    assert reasons(fields, {}, "2026-11-26T08:00:00Z", SpamRules(), None) == []  # a minute later: fine
    assert [r.split(":")[0] for r in reasons(fields, {}, "2026-11-26T07:59:01Z", SpamRules(), None)] == ["too-fast"]
