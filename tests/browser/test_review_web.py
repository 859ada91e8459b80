"""`python -m intake review --web` in Chromium, JavaScript off: approve, reject, spam, reply, undo, two editors
on the same entry, an erasure meeting a stale page, hostile text, the e-mail only on demand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from playwright.sync_api import expect

from intake_fakes import submission
from intake_support import BLNS
from review_web_support import ReviewSite, served

WAIT = 15_000  # ms: bounds a hang, asserts no speed


@pytest.fixture
def web(tmp_path: Path) -> Iterator[ReviewSite]:
    yield from served(tmp_path, 3)


def editor_page(browser: Any, web: ReviewSite, javascript: bool = False) -> Any:
    """A new editor (own browser context) on the queue, entered through the printed link."""
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(web.server.url)
    assert page.url == web.origin + "/"  # the token left the address bar
    return page


def card(page: Any, index: int = 0) -> Any:
    return page.locator("article.card").nth(index)


def press(page: Any, index: int, button: str) -> None:
    card(page, index).get_by_role("button", name=button, exact=True).click()


def flash(page: Any) -> Any:
    return page.locator(".flash")


def comment(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_approve_as_stadt_publishes_and_shows_the_rebuild_command(browser: Any, web: ReviewSite) -> None:
    first = web.keys()[0]
    page = editor_page(browser, web)
    try:
        expect(page.locator(".counts")).to_contain_text("verkehr: 3")
        card(page).get_by_label("Freigeben als").select_option("stadt")
        press(page, 0, "Freigeben")
        expect(flash(page)).to_contain_text(f"Freigegeben (als stadt): Beitrag von Person 1 ({first})")
        expect(page.locator(".rebuild pre")).to_have_text("python build.py")
        expect(page.locator("article.card")).to_have_count(2)
    finally:
        page.context.close()
    entry = web.entry(first)
    assert (entry["status"], entry["official"], entry["moderated_by"]) == ("approved", "stadt", "Redaktion Web")
    [path] = web.published()
    assert comment(path)["official"] == "stadt" and path.stem == first


def test_reject_with_a_reason_by_enter_in_the_reason_field(browser: Any, web: ReviewSite) -> None:
    first = web.keys()[0]
    page = editor_page(browser, web)
    try:
        reason = card(page).get_by_label("Grund (optional)")
        reason.fill("Beleidigend")
        reason.press("Enter")  # Enter submits the reason's own form: a rejection, never an approval
        expect(flash(page)).to_contain_text(f"Abgelehnt: Beitrag von Person 1 ({first})")
    finally:
        page.context.close()
    assert (web.entry(first)["status"], web.entry(first)["reason"]) == ("rejected", "Beleidigend")
    assert web.published() == []


def test_mark_as_spam(browser: Any, web: ReviewSite) -> None:
    second = web.keys()[1]
    page = editor_page(browser, web)
    try:
        press(page, 1, "Als Spam markieren")
        expect(flash(page)).to_contain_text(f"Als Spam markiert: Beitrag von Person 2 ({second})")
    finally:
        page.context.close()
    assert [web.entry(k)["status"] for k in web.keys()] == ["pending", "spam", "pending"]


def test_official_reply_and_undo_of_it_then_undo_of_the_approval(browser: Any, web: ReviewSite) -> None:
    first = web.keys()[0]
    page = editor_page(browser, web)
    try:
        press(page, 0, "Freigeben")
        expect(flash(page)).to_contain_text("Freigegeben")
        page.locator("details summary").first.click()
        page.get_by_label("Antwort", exact=True).fill("Danke, wir prüfen das.")
        page.get_by_label("Antworten als").select_option("themenpate")
        page.get_by_role("button", name="Antwort veröffentlichen").click()
        expect(flash(page)).to_contain_text("Antwort veröffentlicht")
        reply = next(p for p in web.published() if p.stem.startswith("reply-"))
        assert comment(reply) | {"date": None, "moderated_at": None} == {
            "id": reply.stem, "topic": "verkehr", "parent": first, "name": "Erika Pate",
            "body": "Danke, wir prüfen das.", "date": None, "official": "themenpate", "moderated_at": None,
            "moderated_by": "Redaktion Web"}
        page.get_by_role("button", name="Letzte Entscheidung rückgängig machen").click()
        expect(flash(page)).to_contain_text(f"Antwort zurückgenommen ({reply.stem})")
        assert not reply.exists()
        expect(page.get_by_role("button", name="Letzte Entscheidung rückgängig machen")).to_have_count(0)
        press(page, 1, "Ablehnen")  # then a decision, and undo that
        page.get_by_role("button", name="Letzte Entscheidung rückgängig machen").click()
        expect(flash(page)).to_contain_text("ist wieder offen")
    finally:
        page.context.close()
    assert [web.entry(k)["status"] for k in web.keys()] == ["approved", "pending", "pending"]
    assert web.entry(web.keys()[1])["moderated_by"] is None


def test_undo_of_an_approval_takes_the_comment_off(browser: Any, web: ReviewSite) -> None:
    first = web.keys()[0]
    page = editor_page(browser, web)
    try:
        press(page, 0, "Freigeben")
        expect(page.locator("article.card")).to_have_count(2)
        page.get_by_role("button", name=f"Letzte Entscheidung rückgängig machen (Freigegeben: {first})").click()
        expect(flash(page)).to_contain_text(f"Rückgängig gemacht: {first} ist wieder offen.")
        expect(page.locator("article.card")).to_have_count(3)
    finally:
        page.context.close()
    assert web.entry(first)["status"] == "pending" and web.published() == []


def test_two_editors_on_the_same_entry_the_second_is_told_and_nothing_happens_twice(browser: Any,
                                                                                    web: ReviewSite) -> None:
    first = web.keys()[0]
    one = editor_page(browser, web)
    two = editor_page(browser, web)
    two_again = two.context.new_page()
    two_again.goto(web.origin + "/")
    try:
        press(one, 0, "Freigeben")
        expect(flash(one)).to_contain_text("Freigegeben")
        decided = web.entry(first)
        press(two, 0, "Ablehnen")  # a page loaded before the first editor decided
        expect(flash(two)).to_contain_text("inzwischen anderswo bearbeitet (jetzt: freigegeben)")
        expect(flash(two)).to_contain_text("Es wurde nichts geändert")
        press(two_again, 0, "Freigeben")
        expect(flash(two_again)).to_contain_text("inzwischen anderswo bearbeitet")
        expect(two_again.locator("article.card")).to_have_count(2)  # the page shows what is left
    finally:
        one.context.close()
        two.context.close()
    assert web.entry(first) == decided  # not rejected, not approved again (moderated_at unchanged)
    assert len(web.published()) == 1


def test_an_erasure_stays_final_against_a_stale_page_and_undo(browser: Any, web: ReviewSite) -> None:
    first, second = web.keys()[:2]
    page = editor_page(browser, web)
    try:
        press(page, 1, "Freigeben")
        expect(flash(page)).to_contain_text("Freigegeben")
        stale = page.context.new_page()
        stale.goto(web.origin + "/")
        assert web.cli("forget", "person1@example.org").code == 0
        assert web.cli("forget", "person2@example.org").code == 0
        press(stale, 0, "Freigeben")  # the card of person 1, shown before the erasure
        expect(flash(stale)).to_contain_text("auf Antrag gelöscht; das ist endgültig. Es wurde nichts geändert.")
        stale.get_by_role("button", name="Letzte Entscheidung rückgängig machen").click()  # person 2's approval
        expect(flash(stale)).to_contain_text("auf Antrag gelöscht")
    finally:
        page.context.close()
    assert web.entry(first)["status"] == web.entry(second)["status"] == "erased"
    assert web.published() == []
    assert "person1@example.org" not in json.dumps(web.cli.entries())


def hostile() -> list[str]:
    """The naughty strings that try markup, entities or quotes."""
    return [s for s in json.loads(BLNS.read_text(encoding="utf-8")) if s.strip() and any(c in s for c in "<>&\"'")]


def test_hostile_strings_in_pending_entries_render_as_text(browser: Any, tmp_path: Path) -> None:
    strings = hostile()
    web = ReviewSite(tmp_path / "site", [submission(i, body=s, name=s[:100]) for i, s in enumerate(strings, 1)])
    page = editor_page(browser, web, javascript=True)  # so that a script that got through would run
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        entries = web.cli.entries()
        pending = [k for k in web.keys() if entries[k]["status"] == "pending"]  # the spam rules take some
        assert len(pending) > 200
        expect(page.locator("article.card")).to_have_count(len(pending))
        bodies = page.locator("article.card > p.text").all_text_contents()
        expected = [entries[k]["fields"]["body"].replace("\r\n", "\n").replace("\r", "\n") for k in pending]
        assert bodies == expected
        names = [(entries[k]["fields"]["name"] or "(ohne Namen)").replace("\r\n", "\n").replace("\r", "\n")
                 for k in pending]
        headings = page.locator("article.card h3").all_text_contents()
        assert headings == [f"{n}. {name} zu „verkehr“" for n, name in enumerate(names, 1)]
        injected = page.locator("article.card :is(script, img, iframe, svg, object, embed, a, style, link)")
        assert injected.count() == 0 and dialogs == []
    finally:
        page.context.close()
        web.close()


def test_the_e_mail_shows_only_on_demand_for_one_entry(browser: Any, web: ReviewSite) -> None:
    page = editor_page(browser, web)
    try:
        listing = page.context.request.get(web.origin + "/").text()
        assert "@example.org" not in listing and "@example.org" not in page.content()
        press(page, 1, "E-Mail zeigen")
        expect(card(page, 1).locator(".email")).to_have_text("person2@example.org")
        expect(page.locator(".email")).to_have_count(1)
        page.goto(web.origin + "/")  # a fresh GET of the list: hidden again
        expect(page.locator(".email")).to_have_count(0)
    finally:
        page.context.close()
    assert [web.entry(k)["status"] for k in web.keys()] == ["pending"] * 3  # showing changed nothing


def test_a_card_shows_the_comment_it_answers_and_what_stops_publishing(browser: Any, tmp_path: Path) -> None:
    parent_key = "netlify-" + submission(1)["id"]
    web = ReviewSite(tmp_path / "site", [submission(1, body="Mehr Radwege bitte."),
                                         submission(2, parent=parent_key, body="Ja, unbedingt."),
                                         submission(3, consent="")])
    assert web.cli("approve", parent_key).code == 0
    page = editor_page(browser, web)
    try:
        expect(page.locator("article.card")).to_have_count(2)
        expect(card(page, 0).locator("blockquote")).to_have_text("Person 1:Mehr Radwege bitte.")
        expect(card(page, 1)).to_contain_text("Probleme (so nicht veröffentlichbar):")
        expect(card(page, 1).locator(".reasons li")).not_to_have_count(0)
        press(page, 1, "Freigeben")  # refused as the CLI refuses it, with its reason
        expect(flash(page)).to_contain_text("Nicht möglich, es wurde nichts geändert. Grund: ")
    finally:
        page.context.close()
        web.close()
    assert len(web.published()) == 1
