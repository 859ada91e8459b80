"""The whole loop in Chromium: the form posts to the city's receiver, pull, approve, build, the comment shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from browser_support import StaticSite, headers_for
from intake_support import Cli
from receiver_support import Running
from sitegen import Tuning, build
from sitetest import FIXTURE, TODAY

TOKEN = "browser-loop-token-0123456789"
ENV = {"RECEIVER_TOKEN": TOKEN, "INTAKE_HASH_KEY": "browser-test", "INTAKE_EDITOR": "Redaktion Test"}


class Loop:
    """A fixture site served on one port (under prefix, if given), its comment form posting to a receiver on another."""

    def __init__(self, root: Path, prefix: str = "") -> None:
        shutil.copytree(FIXTURE, root)
        self.root, self.out = root, root / "site"
        self.site = StaticSite(self.out, headers_for=headers_for(self.out), prefix=prefix)  # CSP and all, as a host sends them
        self.configure("http://127.0.0.1:1")
        self.receiver = Running(root, ENV)  # reads base_url (the static site) from site.yaml
        self.configure(self.receiver.url)
        self.build()

    def configure(self, receiver: str) -> None:
        path = self.root / "content" / "site.yaml"
        site = yaml.safe_load(path.read_text(encoding="utf-8"))
        site["base_url"] = self.site.url
        site["form"] = {"provider": "receiver", "action": f"{receiver}/kommentar"}
        site["intake"] = {"source": "receiver",
                          "receiver": {"url": receiver, "database": str(self.root / "receiver.sqlite3"),
                                       "token_env": "RECEIVER_TOKEN"}}
        path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def build(self) -> None:
        build(self.root, self.out, today=TODAY, tuning=Tuning(cache=False))

    def close(self) -> None:
        self.receiver.close()
        self.site.close()


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[Loop]:
    running = Loop(tmp_path / "root")
    yield running
    running.close()


def top_form(page: Any) -> Any:
    """The topic's own comment form (the reply forms sit folded under each comment)."""
    return page.locator("form.comment-form").filter(has=page.locator("input[name=parent][value='']")).first


def comment_on(page: Any, text: str) -> None:
    """Fill in the topic's own comment form as a visitor would, and send it."""
    form = top_form(page)
    form.get_by_label("Name oder Pseudonym").fill("Erika Beispiel")
    form.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    form.get_by_label("Ihr Kommentar").fill(text)
    form.get_by_label("Ich bin einverstanden").check()
    form.get_by_role("button", name="Kommentar senden").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_visitors_comment_goes_through_the_receiver_onto_the_topic_page(browser: Any, loop: Loop,
                                                                           javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("response", lambda answer: errors.append(f"{answer.status} {answer.url}") if answer.status >= 400 else None)
    text = f"Ein Radweg an der Saale, bitte ({'mit' if javascript else 'ohne'} JavaScript)."
    try:
        page.goto(f"{loop.site.url}/themen/mobilitaet/")
        comment_on(page, text)
        page.wait_for_url(re.compile(r"/danke/\?thema=mobilitaet$"), timeout=15_000)
        assert page.url == f"{loop.site.url}/danke/?thema=mobilitaet"
        assert "Vielen Dank für Ihren Beitrag" in page.locator("h1").inner_text()
        back = page.locator("a[data-topic-link]")
        assert back.get_attribute("href") == ("/themen/mobilitaet/" if javascript else "/themen/")
        back.click()
        page.wait_for_url(f"{loop.site.url}/themen/{'mobilitaet/' if javascript else ''}", timeout=15_000)

        editor = Cli(loop.root, ENV)
        pulled = editor("pull")
        assert pulled.code == 0 and "1 new" in pulled.out, pulled.err
        (key,) = editor.entries()
        assert editor("approve", key).code == 0
        loop.build()
        page.goto(f"{loop.site.url}/themen/mobilitaet/")
        shown = page.locator(f"#kommentar-{key}")
        assert text in shown.inner_text() and "Erika Beispiel" in shown.inner_text()
        assert "erika@example.org" not in page.content()
    finally:
        context.close()
    assert errors == []


def test_a_refused_post_shows_a_german_page_and_stores_nothing(browser: Any, loop: Loop) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{loop.site.url}/themen/mobilitaet/")
        form = top_form(page)
        form.evaluate("f => { f.noValidate = true; }")  # what a browser without validation would send
        form.get_by_label("Name oder Pseudonym").fill("Erika")
        form.get_by_label("Ihr Kommentar").fill("Ohne Einwilligung")
        form.get_by_role("button", name="Kommentar senden").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "de"
        assert "Der Beitrag wurde nicht angenommen" in page.locator("h1").inner_text()
    finally:
        page.close()
    assert loop.receiver.stored() == []
