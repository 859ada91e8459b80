"""The design measured in Chromium (issue 15, item 1): tap targets, the topic page's columns, the
portrait's proportions, the print stylesheet."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any, Iterator

import pytest

from browser_support import StaticSite, pages
from sitegen import Tuning, build
from sitetest import FIXTURE, TODAY

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
TAP = 44  # px, WCAG 2.5.5 (AAA) and the platforms' guidelines
# what a visitor taps: navigation, buttons, the consent checkbox (through its label), the reply toggle,
# the topic's feed link
TARGETS = ("nav a", "a.button", "button", ".consent label", "details.reply summary", ".feed-link a")
BOX = "els => els.filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();" \
      " return [e.outerHTML.slice(0, 80), r.width, r.height]; })"


# Links inside running text are exempt, as WCAG's target-size criteria exempt them: in an editor's
# text, a comment, a label (the label itself is the target), or a sentence of at least four more words.
STANDALONE_LINKS = """els => els.filter(e => e.getClientRects().length && !e.matches('.skip')
  && !e.closest('.body, .comment-body, label')
  && (e.parentElement.textContent.replace(e.textContent, '').match(/[A-Za-zÄÖÜäöüß]+/g) || []).length < 4
).map(e => { const r = e.getBoundingClientRect(); return [e.outerHTML.slice(0, 80), r.width, r.height]; })"""
# Long German compounds, as city texts have them, in a topic's and an event's title and text
LONG_WORDS = "Verkehrsberuhigungsmaßnahmen Straßenbahnhaltestellenüberdachung"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    root = tmp_path_factory.mktemp("layout") / "root"
    shutil.copytree(FIXTURE, root)
    (root / "content/themen/lange-woerter.md").write_text(
        f"---\ntitle: {LONG_WORDS}\nsubtitle: {LONG_WORDS}\ncategory: Straßenbahnhaltestellen\n"
        f"date: 2026-09-01\n---\n{LONG_WORDS}\n", encoding="utf-8")
    (root / "content/termine/lange-woerter.md").write_text(
        f"---\ntitle: {LONG_WORDS}\nstart: 2026-12-10 10:00\nend: 2026-12-10 12:00\nlocation:\n"
        f"  name: Bürgerbegegnungszentrumsversammlungssaal\n---\n{LONG_WORDS}\n", encoding="utf-8")
    out = root / "site"
    build(root, out, today=TODAY, tuning=Tuning(cache=False))
    site = StaticSite(out)
    yield site
    site.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport = request.param
    yield page
    context.close()


@pytest.mark.parametrize("path", ["/", "/themen/mobilitaet/", "/termine/forum/"])
def test_every_tap_target_is_at_least_44_px(served: StaticSite, page: Any, path: str) -> None:
    page.goto(served.url + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the reply forms too
    boxes = [box for selector in TARGETS for box in page.eval_on_selector_all(selector, BOX)]
    assert boxes, path
    small = [(html, round(w), round(h)) for html, w, h in boxes if h < TAP or w < TAP]
    assert small == []


def test_every_link_outside_running_text_is_a_44_px_tap_target(served: StaticSite, page: Any) -> None:
    """Cards' titles, event lists, "Alle Termine", documents, the open data files, ...: on every page."""
    small = {}
    for path in pages(served.folder):
        page.goto(served.url + path)
        boxes = page.eval_on_selector_all("a", STANDALONE_LINKS)
        small.update({(path, html): round(h) for html, _, h in boxes if h < TAP})
    assert small == {}


def test_the_skip_link_is_a_44_px_tap_target_when_it_shows(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").bounding_box()["height"] >= TAP


def test_no_page_scrolls_sideways_at_320_px_even_with_long_compounds(served: StaticSite, browser: Any) -> None:
    """WCAG 1.4.10 (reflow): 320 CSS px wide, as a 1280 px screen at 400 % zoom."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = {}
    try:
        for path in pages(served.folder):
            page.goto(served.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
    finally:
        context.close()
    assert "/themen/lange-woerter/" in pages(served.folder) and wide == {}


def test_the_topic_feed_link_is_a_44_px_tap_target(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    boxes = page.eval_on_selector_all(".discussion .feed-link a", BOX)
    assert len(boxes) == 1 and boxes[0][2] >= TAP, boxes


def test_the_consent_checkbox_is_ticked_through_its_label(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    label = page.locator("label[for='f-neu-consent']")
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 5, box["y"] + box["height"] - 5)  # the far end of the label
    assert page.is_checked("#f-neu-consent")


def test_the_facts_sit_beside_the_text_on_wide_screens_and_after_it_on_phones(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    text = page.locator(".topic-main").bounding_box()
    facts = page.locator("aside.facts").bounding_box()
    if page.viewport == "desktop":
        assert facts["x"] >= text["x"] + text["width"] and abs(facts["y"] - text["y"]) < 40
        assert page.locator("main").bounding_box()["width"] > 1000  # the wide screen is used
    else:
        assert facts["y"] >= text["y"] + text["height"]
    jump = page.locator("header a.button[href='#kommentieren']").bounding_box()
    assert jump["y"] < VIEWPORTS[page.viewport]["height"]  # the way to the form: on the first screen


def test_the_portrait_keeps_its_proportions(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    # a srcset image's natural size is divided by the density the browser picked: compare the attributes
    size = page.eval_on_selector(".portrait img", "e => [+e.getAttribute('width'), +e.getAttribute('height'),"
                                 " e.getBoundingClientRect().width, e.getBoundingClientRect().height]")
    natural_w, natural_h, w, h = size
    assert (natural_w, natural_h) == (400, 500)  # a 400x500 file, not squashed
    assert h / w == pytest.approx(natural_h / natural_w, rel=0.01)


def test_print_shows_the_text_not_the_navigation_or_the_form(served: StaticSite, page: Any) -> None:
    page.goto(served.url + "/themen/mobilitaet/")
    page.emulate_media(media="print")
    hidden = page.eval_on_selector_all(".site-header nav, form.comment-form, .take-part",
                                       "els => els.map(e => getComputedStyle(e).display)")
    assert set(hidden) == {"none"}
    assert page.locator(".body").is_visible() and page.locator("aside.facts").is_visible()


def test_print_keeps_an_ended_topics_note_and_how_it_was_moderated(browser: Any, tmp_path: Any) -> None:
    """The print rule hides the form's intro; after the window it must not hide what replaced the form."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    build(root, root / "site", today=dt.date(2027, 4, 1), tuning=Tuning(cache=False))  # comments_until 2027-03-31
    site = StaticSite(root / "site")
    page = browser.new_page()
    try:
        page.goto(site.url + "/themen/mobilitaet/")
        page.emulate_media(media="print")
        assert page.locator("p.note#kommentieren").is_visible()
        assert page.locator(".discussion .moderation").is_visible()
    finally:
        page.close()
        site.close()
