"""Dates from form backends: parsed leniently, stored strictly (the contract's `stamp`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intake.http import shown
from sitegen.core.contract import stamp

EARLIEST_YEAR = 1000  # earlier years break ISO 8601's four digits, and no comment is that old
CLOCK_SLACK = dt.timedelta(days=1)  # a backend clock may run a little ahead; a day more is not a date


def parse_date(value: Any) -> dt.datetime:
    """A timestamp (ISO string or epoch seconds/ms) as an aware UTC datetime; ValueError if it is none."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value / 1000 if value > 1e11 else value, dt.timezone.utc)
        if not isinstance(value, str):
            raise ValueError(f"not a date: {type(value).__name__}")
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc)
    except (OverflowError, OSError) as exc:  # year 1 with a positive offset, epochs past year 9999
        raise ValueError(str(exc)) from None


def utc_date(value: Any, received: dt.datetime) -> tuple[str, str | None]:
    """The submission time as stored, and why the backend's value was refused (then the received time)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return stamp(received), None  # no date at all: the time we received it is the best we know
    try:
        when = parse_date(value)
    except ValueError:
        return stamp(received), f"date: {shown(str(value), 60)!r} is not a date; stored the time it was received"
    if when.year < EARLIEST_YEAR:
        return stamp(received), f"date: {shown(str(value), 60)!r} is before the year {EARLIEST_YEAR}; stored the " \
                                "time it was received"
    if when > received + CLOCK_SLACK:
        return stamp(received), f"date: {shown(str(value), 60)!r} is in the future; stored the time it was received"
    return stamp(when), None
