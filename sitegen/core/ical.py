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
        description = plain(e.body_html)
        description = f"{description}\n\n{url}" if description else url
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.slug}@{host}",
            # DTSTAMP must be stable for byte-identical builds; the start is the one fixed
            # instant every event has (RFC 5545 allows any UTC time of the object's creation).
            f"DTSTAMP:{e.start.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID=Europe/Berlin:{e.start.astimezone(BERLIN):%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{e.end.astimezone(BERLIN):%Y%m%dT%H%M%S}",
            f"SUMMARY:{text(e.title)}",
            f"LOCATION:{text(', '.join(x for x in (e.location.name, e.location.address) if x))}",
            f"DESCRIPTION:{text(description)}",
            f"URL:{url}",
            f"STATUS:{STATUS[e.status]}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


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
