"""A topic's participation window: `comments_until`, read one way by the build and the intake.

The date is the city's (Europe/Berlin): comments are taken up to and including that day, and the
window is closed from the next day on. The build's `today` and the intake's clock both become a
Berlin date before they are compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .dates import city_day

OPEN, CLOSED = "open", "closed"


def until(value: Any) -> dt.date | None:
    """The last day of a window as front matter gives it; ValueError if it is not a plain date."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValueError(f"'comments_until' must be a date like 2027-03-31, not {value!r}")


def state(last_day: dt.date | None, today: dt.date) -> str | None:
    """open or closed as of today; None for a topic without a window (it never changes by date)."""
    if last_day is None:
        return None
    return CLOSED if today > last_day else OPEN


def berlin_today(now: dt.datetime) -> dt.date:
    """The city's date at an aware moment (the intake's clock runs in UTC)."""
    return city_day(now)
