"""The browser review with the keyboard alone, and axe-core's WCAG 2.1 A/AA audit of each of its states."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from review_web_support import ReviewSite, served
from test_axe import RULES, describe

WAIT = 15_000  # ms: bounds a hang, asserts no speed


@pytest.fixture
def web(tmp_path: Path) -> Iterator[ReviewSite]:
    yield from served(tmp_path, 3)


def focused(page: Any) -> dict[str, str]:
    """What has the keyboard focus, and how its focus is drawn."""
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName, id: e.id, text: (e.textContent || '').trim(), outline: s.outlineStyle,
                width: s.outlineWidth, left: String(e.getBoundingClientRect().left)}; }""")


def test_the_keyboard_alone_reaches_and_decides(browser: Any, web: ReviewSite) -> None:
    first = web.keys()[0]
    context = browser.new_context()
    context.set_default_timeout(WAIT)
    page = context.new_page()
    try:
        page.goto(web.server.url)
        page.keyboard.press("Tab")
        skip = focused(page)
        assert (skip["tag"], skip["text"], skip["outline"]) == ("A", "Zum Inhalt springen", "solid")
        assert float(skip["left"]) >= 0  # the skip link shows itself when focused
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "inhalt"
        page.keyboard.press("Tab")
        assert focused(page)["id"] == "als-1"  # the first card's first control: nothing hidden in between
        page.keyboard.press("Tab")
        button = focused(page)
        assert (button["tag"], button["text"], button["outline"], button["width"]) == ("BUTTON", "Freigeben",
                                                                                       "solid", "3px")
        page.keyboard.press("Enter")
        expect(page.locator(".flash")).to_contain_text("Freigegeben")
    finally:
        context.close()
    assert web.entry(first)["status"] == "approved"


def test_every_state_of_the_page_has_no_axe_violations(browser: Any, web: ReviewSite) -> None:
    context = browser.new_context(bypass_csp=True)  # axe is injected by the test; the page itself loads nothing
    context.set_default_timeout(WAIT)
    page = context.new_page()
    found: dict[str, str] = {}

    def audit(state: str) -> None:
        violations = Axe().run(page, options=RULES).response["violations"]
        if violations:
            found[state] = describe(violations)

    try:
        page.goto(web.server.url)
        audit("queue")
        page.locator("article.card").first.get_by_role("button", name="Freigeben", exact=True).click()
        expect(page.locator(".flash")).to_be_visible()
        page.locator("details summary").first.click()
        audit("after a decision: message, undo, rebuild command, reply form open")
        page.locator("article.card").first.get_by_role("button", name="Ablehnen").click()
        page.locator("article.card").first.get_by_role("button", name="Ablehnen").click()
        audit("after the last one: empty queue")
        page.goto(web.origin + "/")
        page.context.clear_cookies()
        page.goto(web.origin + "/")
        audit("refused: no token")
    finally:
        context.close()
    assert found == {}, "\n".join(f"{state}:\n{text}" for state, text in found.items())
