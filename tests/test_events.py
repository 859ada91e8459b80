"""Events done right (issue 15, item 6): past and cancelled event pages, and calendars that notice
changes: every .ics the build writes is read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup

from sitetest import FIXTURE, TODAY
from sitegen import build

UTC = dt.timezone.utc
BUILT = dt.datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # TODAY's midnight in Berlin
UNREVISED = dt.datetime(2020, 1, 1, tzinfo=UTC)  # the DTSTAMP of an event without `updated` (README)
PAST = """---
title: Werkstatt im Herbst
start: 2026-10-05 18:00
end: 2026-10-05 20:00
location:
  name: Stadtbibliothek
  online_url: https://meet.example.org/werkstatt
registration_url: https://anmeldung.example.org/werkstatt
---
Wir haben Ideen gesammelt.
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site plus one past event that was not cancelled."""
    root = tmp_path_factory.mktemp("events-src") / "site"
    shutil.copytree(FIXTURE, root)
    (root / "content/termine/werkstatt.md").write_text(PAST, encoding="utf-8")
    folder = tmp_path_factory.mktemp("events")
    build(root, folder, today=TODAY)
    return folder


def events_of(path: Path) -> dict[str, icalendar.Event]:
    """The VEVENTs of a calendar file by slug, parsed by icalendar (which refuses what it cannot read)."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def page(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html5lib")


def test_every_calendar_file_parses_and_each_event_has_what_rfc5545_requires(out: Path) -> None:
    files = sorted((out / "termine").glob("*.ics"))
    assert [p.name for p in files] == ["forum.ics", "kalender.ics", "online.ics", "rueckblick.ics", "werkstatt.ics"]
    for path in files:
        for slug, event in events_of(path).items():
            for key in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "URL", "STATUS"):
                assert key in event, (path.name, slug, key)
            assert event["URL"] == f"https://zukunft.example.org/termine/{slug}/"
            assert event.decoded("DTSTAMP") <= max(BUILT, event.decoded("LAST-MODIFIED", BUILT)), slug
    assert len(events_of(out / "termine/kalender.ics")) == 4


def test_dtstamp_is_the_editors_update_or_a_fixed_instant_never_the_build_date_or_future_start(out: Path) -> None:
    cal = events_of(out / "termine/kalender.ics")
    forum = cal["forum"]  # the fixture says `updated: 2026-11-20 09:30` (Berlin)
    changed = dt.datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert forum.decoded("LAST-MODIFIED") == changed and forum.decoded("DTSTAMP") == changed
    online = cal["online"]  # in January, no `updated`: neither the build's date nor its start
    assert online.decoded("DTSTAMP") == UNREVISED and "LAST-MODIFIED" not in online
    assert online["SEQUENCE"] == 0
    werkstatt = cal["werkstatt"]  # over, no `updated`: the same fixed instant
    assert werkstatt.decoded("DTSTAMP") == UNREVISED


def test_a_rebuild_on_another_day_writes_the_same_calendar_bytes(tmp_path: Path) -> None:
    """Events without `updated` had the build's date as DTSTAMP: every day's build rewrote every .ics."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    (root / "content/termine/werkstatt.md").write_text(PAST, encoding="utf-8")
    built = {}
    for today in (TODAY, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=20)):
        build(root, tmp_path / str(today), today=today)
        built[today] = {p.name: p.read_bytes() for p in (tmp_path / str(today) / "termine").glob("*.ics")}
    assert len(built[TODAY]) == 5 and all(files == built[TODAY] for files in built.values())


def test_the_online_link_registration_and_page_are_in_the_description(out: Path) -> None:
    werkstatt = events_of(out / "termine/werkstatt.ics")["werkstatt"]
    text = str(werkstatt["DESCRIPTION"])
    assert text.startswith("Wir haben Ideen gesammelt.\n\n")
    for line in ("Online teilnehmen: https://meet.example.org/werkstatt",
                 "Anmeldung: https://anmeldung.example.org/werkstatt",
                 "Mehr zum Termin: https://zukunft.example.org/termine/werkstatt/"):
        assert line in text
    assert events_of(out / "termine/online.ics")["online"]["DESCRIPTION"].count("https://meet.example.org/sprechstunde") == 1


def test_an_edited_event_gets_a_higher_sequence_and_a_new_last_modified(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    event = root / "content/termine/forum.md"
    before = _forum(root, tmp_path / "out")
    event.write_text(event.read_text(encoding="utf-8").replace(
        "start: 2026-12-01 18:00", "start: 2026-12-01 19:00").replace(
        "updated: 2026-11-20 09:30", "updated: 2026-11-20 09:31"), encoding="utf-8")
    after = _forum(root, tmp_path / "out")
    assert after["SEQUENCE"] > before["SEQUENCE"] > 0
    assert after.decoded("LAST-MODIFIED") - before.decoded("LAST-MODIFIED") == dt.timedelta(minutes=1)
    event.write_text(event.read_text(encoding="utf-8").replace("updated:", "sequence: 7\nupdated:"), encoding="utf-8")
    assert _forum(root, tmp_path / "out")["SEQUENCE"] == 7  # the editor's own number wins


def _forum(root: Path, out: Path) -> icalendar.Event:
    build(root, out, today=TODAY)
    return events_of(out / "termine/forum.ics")["forum"]


def test_a_past_event_says_so_and_offers_no_calendar_or_registration(out: Path) -> None:
    past = page(out, "termine/werkstatt/index.html")
    status = past.select_one("article.event h1").find_next_sibling()
    assert status.get_text(strip=True) == "Dieser Termin hat bereits stattgefunden."
    assert not past.select("a[href$='.ics']:not(footer a)") and not past.select("main a[href$='.ics']")
    assert "Zur Anmeldung" not in past.get_text()
    upcoming = page(out, "termine/forum/index.html")
    assert upcoming.select_one("main a[href='/termine/forum.ics']") and "stattgefunden" not in upcoming.get_text()
    assert "Zur Anmeldung" in upcoming.get_text()


def test_a_cancelled_event_keeps_its_page_with_the_status_on_top(out: Path) -> None:
    cancelled = page(out, "termine/rueckblick/index.html")
    status = cancelled.select_one("article.event h1").find_next_sibling()
    assert status.get_text(strip=True) == "Dieser Termin ist abgesagt."
    assert not cancelled.select("main a[href$='.ics']")
    assert events_of(out / "termine/rueckblick.ics")["rueckblick"]["STATUS"] == "CANCELLED"


def test_a_postponed_event_whose_old_date_has_passed_is_still_postponed_not_held(out: Path, tmp_path: Path) -> None:
    """A postponed event did not take place on its old date: once that date has passed, its page
    keeps saying it is postponed, and its online link, whose meeting never happened, is gone."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    build(root, tmp_path / "out", today=dt.date(2027, 4, 1))  # online.md: postponed, 2027-01-12
    online = page(tmp_path / "out", "termine/online/index.html")
    status = online.select_one("article.event h1").find_next_sibling()
    assert status.get_text(strip=True) == "Dieser Termin ist verschoben. Der neue Termin wird bekannt gegeben."
    assert "stattgefunden" not in online.get_text() and "Online teilnehmen" not in online.get_text()
    assert not online.select("main a[href$='.ics']")
    before = page(out, "termine/online/index.html")  # built before its old date: all offered
    assert "Online teilnehmen" in before.get_text() and before.select("main a[href$='.ics']")


def test_a_topic_without_a_date_is_never_from_1970_in_the_feed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    (root / "content/themen/ohne-datum.md").write_text("---\ntitle: Ohne Datum\n---\nText\n", encoding="utf-8")
    shutil.rmtree(root / "content/kommentare")  # and an empty comments feed
    build(root, tmp_path / "out", today=TODAY)
    feed = ET.parse(tmp_path / "out/feeds/themen.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {e.find(f"{atom}title").text: e.find(f"{atom}updated").text for e in feed.findall(f"{atom}entry")}
    assert list(entries) == ["Mobilität 2040", "Wohnen für alle", "Ohne Datum"]  # the dated ones first
    assert entries["Ohne Datum"] == entries["Mobilität 2040"] == "2026-10-01T00:00:00Z"  # the newest date
    assert b"1970" not in (tmp_path / "out/feeds/themen.xml").read_bytes()
    comments = ET.parse(tmp_path / "out/feeds/kommentare.xml").getroot()
    assert comments.find(f"{atom}updated").text == "2026-11-26T00:00:00Z"  # the build's date
