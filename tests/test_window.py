"""A topic's participation window (comments_until): the page, the card and the moderation text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen import Tuning, build

LAST_DAY = dt.date(2027, 3, 31)  # the fixture's mobilitaet.md has comments_until: 2027-03-31


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def built(root: Path, out: Path, today: dt.date) -> Path:
    build(root, out, today=today, tuning=Tuning(cache=False))
    return out


def card(page: BeautifulSoup, title: str) -> str:
    return next(li for li in page.select("li.card") if title in li.get_text()).get_text(" ", strip=True)


def test_on_its_last_day_the_topic_takes_comments_and_says_until_when(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "o", LAST_DAY)
    page = soup(out, "themen/mobilitaet/index.html")
    assert page.select_one("form#neu, form.comment-form") is not None
    assert page.select("details.reply"), "replies are offered while the window is open"
    assert "Mitdiskutieren bis 31. März 2027" in page.select_one(".discussion").get_text()
    assert page.find("script", src=lambda s: s and "form" in s) is not None
    for rel in ("index.html", "themen/index.html"):
        assert "Mitdiskutieren bis 31. März 2027" in card(soup(out, rel), "Mobilität 2040")


def test_after_its_last_day_the_form_and_reply_links_give_way_to_a_note(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "o", LAST_DAY + dt.timedelta(days=1))
    page = soup(out, "themen/mobilitaet/index.html")
    assert page.select("form") == [] and page.select("details.reply") == []
    assert page.find("script", src=lambda s: s and "form" in s) is None
    note = page.select_one("#kommentieren").get_text(" ", strip=True)
    assert note == ("Die Beteiligung zu diesem Thema ist am 31. März 2027 zu Ende gegangen. "
                    "Die Beiträge bleiben hier lesbar.")
    assert len(page.select("article.comment")) == 4, "the comments stay readable"
    header = page.select_one("article.topic header")
    assert "mitdiskutieren" not in header.get_text().lower(), "no call to take part once it has ended"
    assert header.select("a[href='#kommentieren']") == []
    assert header.select_one(".take-part").get_text(" ", strip=True) == "Beteiligung beendet 4 Kommentare"
    text = card(soup(out, "themen/index.html"), "Mobilität 2040")
    assert "Beteiligung beendet" in text and "Mitdiskutieren" not in text
    assert "Beteiligung beendet" not in card(soup(out, "themen/index.html"), "Wohnen für alle")
    assert soup(out, "index.html").select("li.card") == []  # the start page features open topics only


def test_every_topic_page_says_how_moderation_works(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "default", LAST_DAY)
    assert "meist innerhalb von zwei Werktagen" in soup(out, "themen/mobilitaet/index.html").select_one(
        ".moderation").get_text()
    assert "Redaktion" in soup(out, "themen/wohnen/index.html").select_one(".moderation").get_text()  # closed
    config = site_root / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "moderation: Wir lesen alles <b>binnen</b> einer Woche.\n",
                      encoding="utf-8")
    out = built(site_root, tmp_path / "own", LAST_DAY)
    shown = soup(out, "themen/mobilitaet/index.html").select_one(".moderation")
    assert shown.get_text() == "Wir lesen alles <b>binnen</b> einer Woche." and shown.find("b") is None
