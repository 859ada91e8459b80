"""iCalendar (RFC 5545) for events: one file per event and one subscribable calendar."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable
from urllib.parse import urlsplit

from .dates import BERLIN
from .codepoints import strip_forbidden
from .model import Event

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""".split("\n")

SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
UNREVISED = SEQUENCE_EPOCH  # the DTSTAMP of an event without `updated` (see stamp)
STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
TAGS = re.compile(r"<[^>]+>")


def calendar(events: Iterable[Event], title: str, base_url: str) -> bytes:
    """A VCALENDAR with a VTIMEZONE and one VEVENT per event, CRLF lines folded at 75 octets."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sitegen//Zukunftsthemen//DE",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{text(title)}", "X-WR-TIMEZONE:Europe/Berlin"]
    lines += VTIMEZONE
    host = urlsplit(base_url).hostname or "zukunftsthemen.invalid"
    for e in events:
        url = base_url + e.url
        lines += ["BEGIN:VEVENT", f"UID:{e.slug}@{host}", f"DTSTAMP:{utc(stamp(e))}"]
        if e.updated is not None:
            lines.append(f"LAST-MODIFIED:{utc(e.updated)}")
        lines += [
            f"SEQUENCE:{sequence(e)}",
            f"DTSTART;TZID=Europe/Berlin:{e.start.astimezone(BERLIN):%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{e.end.astimezone(BERLIN):%Y%m%dT%H%M%S}",
            f"SUMMARY:{text(e.title)}",
            f"LOCATION:{text(', '.join(x for x in (e.location.name, e.location.address) if x))}",
            f"DESCRIPTION:{text(description(e, url))}",
            f"URL:{url}",
            f"STATUS:{STATUS[e.status]}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def stamp(event: Event) -> dt.datetime:
    """The event's DTSTAMP: from the content alone, so a rebuild on another day writes the same bytes.

    Without METHOD, RFC 5545 (3.8.7.2) makes DTSTAMP mean what LAST-MODIFIED means: when the event
    was last revised, which is the editor's `updated` when there is one. Without it the last change
    is unknown, and the RFC asks only for a UTC DATE-TIME. Not the build's date (it changed the
    bytes every day, and claimed a change that never happened), not the start (an upcoming one
    is in the future of any change), but UNREVISED: a fixed instant before any of this site's
    content was written, so never later than the real last change, and any `updated` an editor
    adds later comes out as a newer stamp (which iTIP-aware clients compare)."""
    return event.updated if event.updated is not None else UNREVISED


def sequence(event: Event) -> int:
    """The event's SEQUENCE: the editor's `sequence`, else whole minutes from SEQUENCE_EPOCH to `updated`.

    RFC 5545 wants it raised on every significant change; deriving it from `updated` means one
    field to set for both, and a later `updated` always gives a higher number. No `updated`: 0."""
    if event.sequence is not None:
        return event.sequence
    if event.updated is None:
        return 0
    return max(0, int((event.updated - SEQUENCE_EPOCH).total_seconds()) // 60)


def description(event: Event, url: str) -> str:
    """The text calendars show: the body, then the online link and the page (clients ignore URL)."""
    parts = [plain(event.body_html)]
    if event.location.online_url:
        parts.append(f"Online teilnehmen: {event.location.online_url}")
    if event.registration_url:
        parts.append(f"Anmeldung: {event.registration_url}")
    parts.append(f"Mehr zum Termin: {url}")
    return "\n\n".join(p for p in parts if p)


def utc(value: dt.datetime) -> str:
    """A DATE-TIME in UTC form (…Z)."""
    return f"{value.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}"


def text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    value = strip_forbidden(value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def plain(body_html: str) -> str:
    """The event's description as plain text."""
    return html.unescape(TAGS.sub("", body_html)).strip()


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets without splitting a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    chunks, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        chunks.append(data[start:cut])
        start, limit = cut, 74  # continuation lines start with a space
    chunks.append(data[start:])
    return b"\r\n ".join(chunks).decode("utf-8")
