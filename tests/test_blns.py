"""The 515 hostile strings as comment names and bodies come out escaped, in pages, feeds and data."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sitetest import TODAY
from sitegen import build
from sitegen.core.codepoints import strip_forbidden, strip_invisible, strip_reordering

# What the templates themselves put inside a comment's <li>: tag -> allowed attributes.
TEMPLATE_MARKUP = {
    "li": set(), "ol": {"class"}, "article": {"class", "id"}, "p": {"class"}, "span": {"class", "id"}, "bdi": {"class"},
    "strong": {"class"}, "time": {"datetime"}, "div": {"class"}, "br": set(), "a": {"href", "rel"},
    "details": {"class"}, "summary": set(), "form": {"class", "method", "action", "name", "data-netlify",
                                                      "data-netlify-honeypot"},
    "input": {"type", "name", "value", "id", "tabindex", "autocomplete", "required", "maxlength",
              "aria-describedby"},
    "label": {"for"}, "textarea": {"id", "name", "required", "maxlength", "rows"}, "button": {"type"},
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, blns: list[str]) -> tuple[Path, list[str]]:
    from sitetest import FIXTURE
    import shutil
    root = tmp_path_factory.mktemp("blns") / "site"
    shutil.copytree(FIXTURE, root)
    folder = root / "content" / "kommentare" / "wohnen"
    folder.mkdir(parents=True)
    for i, s in enumerate(blns):
        data = {"id": f"b{i}", "topic": "wohnen", "parent": None, "name": f"N{i} {s}", "body": f"B{i} {s}",
                "date": f"2026-11-01T00:00:{i % 60:02d}Z", "official": None,
                "moderated_at": "2026-11-02T00:00:00Z", "moderated_by": "test"}
        (folder / f"b{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # comments are closed on 'wohnen'; open them so the reply forms are part of what is checked
    topic = root / "content" / "themen" / "wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("comments: closed\n", ""), encoding="utf-8")
    out = root.parent / "out"
    build(root, out, today=TODAY)
    return out, blns


def norm(text: str) -> str:
    return " ".join(strip_forbidden(text).split())


@pytest.fixture(scope="module")
def page(blns: list[str], hostile_site: tuple[Path, list[str]]) -> BeautifulSoup:
    out, _ = hostile_site
    return BeautifulSoup((out / "themen/wohnen/index.html").read_text(encoding="utf-8"), "html5lib")


def test_no_markup_but_the_templates(page: BeautifulSoup) -> None:
    comments = page.select("ol.comments > li")
    assert len(comments) == 515
    for li in comments:
        for el in li.find_all(True):
            assert el.name in TEMPLATE_MARKUP, f"unexpected <{el.name}> in {li.article['id']}"
            extra = set(el.attrs) - TEMPLATE_MARKUP[el.name]
            assert not extra, f"unexpected attributes {extra} on <{el.name}> in {li.article['id']}"


def test_names_and_bodies_round_trip_as_text(page: BeautifulSoup, blns: list[str]) -> None:
    for i, s in enumerate(blns):
        article = page.find("article", id=f"kommentar-b{i}")
        assert article is not None, f"comment b{i} missing"
        # names lose bidi controls and zero-width characters (they could disguise one name as another)
        assert norm(article.select_one(".comment-author").get_text()) == norm(strip_invisible(f"N{i} {s}"))
        # bodies lose bidi embeddings, overrides and isolates (they could reverse text or disguise a link)
        assert norm(article.select_one(".comment-body").get_text()) == norm(strip_reordering(f"B{i} {s}"))


def test_links_are_only_http_urls_from_the_text(page: BeautifulSoup, blns: list[str]) -> None:
    texts = " ".join(blns)
    for a in page.select(".comment-body a"):
        assert re.match(r"https?://", a["href"], re.IGNORECASE), a["href"]
        assert a["href"] in texts
        assert a["rel"] == ["nofollow", "ugc", "noopener"]
    for el in page.find_all(True):
        for attr, value in el.attrs.items():
            assert not attr.startswith("on"), f"event handler {attr} on <{el.name}>"
            if attr in ("href", "src", "action"):
                assert not re.match(r"\s*(javascript|data|vbscript):", str(value), re.IGNORECASE), value
    scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert [s.get("src", "").split(".")[0] for s in scripts] == ["/static/form"]
    data = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]  # data, not code
    assert [d["@type"] for d in data] == ["DiscussionForumPosting"]


def test_feed_is_well_formed_and_open_data_round_trips(hostile_site: tuple[Path, list[str]]) -> None:
    out, blns = hostile_site
    feed = ET.parse(out / "feeds/kommentare.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 50
    data = json.loads((out / "daten/kommentare.json").read_text(encoding="utf-8"))
    bodies = {c["id"]: c["body"] for c in data["comments"]}
    for i, s in enumerate(blns):
        assert bodies[f"b{i}"] == strip_forbidden(strip_reordering(f"B{i} {s}")).strip()
    # the spreadsheet copy holds the same texts (none starts with a formula character: 'B…', 'N…')
    text = (out / "daten/kommentare.csv").read_bytes().decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")}
    assert {i: r["body"] for i, r in rows.items()} == bodies
    assert {i: r["name"] for i, r in rows.items()} == {c["id"]: c["name"] for c in data["comments"]}
