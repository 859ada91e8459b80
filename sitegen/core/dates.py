"""German date formats for visitors and ISO/RFC formats for machines."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def city_day(moment: dt.datetime) -> dt.date:
    """The city's (Berlin's) date at an aware moment."""
    return moment.astimezone(BERLIN).date()


def german_date(value: dt.date) -> str:
    """26. November 2026 (datetimes are shown in Berlin time)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(BERLIN)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def german_datetime(value: dt.datetime) -> str:
    """26. November 2026, 18:00 Uhr, in Berlin time."""
    local = value.astimezone(BERLIN)
    return f"{german_date(local)}, {local:%H:%M} Uhr"


def event_when(start: dt.datetime, end: dt.datetime) -> str:
    """Dienstag, 1. Dezember 2026, 18:00 bis 20:00 Uhr (or across days)."""
    a, b = start.astimezone(BERLIN), end.astimezone(BERLIN)
    if a.date() == b.date():
        return f"{WEEKDAYS[a.weekday()]}, {german_date(a)}, {a:%H:%M} bis {b:%H:%M} Uhr"
    return f"{WEEKDAYS[a.weekday()]}, {german_datetime(a)} bis {WEEKDAYS[b.weekday()]}, {german_datetime(b)}"


def iso(value: dt.date) -> str:
    """ISO 8601 for <time datetime>, feeds and JSON; UTC datetimes end in Z."""
    if isinstance(value, dt.datetime):
        if value.utcoffset() == dt.timedelta(0):
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat()
    return value.isoformat()
