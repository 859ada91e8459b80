"""Dates from form backends, checked directly: every kind of value parse_date reads, every reason utc_date
gives for storing the received time instead (written for the mutation run, bench/mutation.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.dates import parse_date, utc_date

UTC = dt.timezone.utc
RECEIVED = dt.datetime(2026, 11, 29, 8, 0, 0, tzinfo=UTC)
AS_RECEIVED = "2026-11-29T08:00:00Z"


@pytest.mark.parametrize(("value", "expected"), [
    (1_700_000_000, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # epoch seconds
    (1_700_000_000_000, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # epoch milliseconds
    (1_700_000_000.5, dt.datetime(2023, 11, 14, 22, 13, 20, 500_000, tzinfo=UTC)),
    (100_000_000_000, dt.datetime(5138, 11, 16, 9, 46, 40, tzinfo=UTC)),  # exactly 1e11: still seconds
    (100_000_000_001, dt.datetime(1973, 3, 3, 9, 46, 40, 1000, tzinfo=UTC)),  # past 1e11: milliseconds
    (0, dt.datetime(1970, 1, 1, tzinfo=UTC)),
    ("2026-11-29T08:00:00Z", dt.datetime(2026, 11, 29, 8, 0, tzinfo=UTC)),
    ("  2026-11-29T09:30:00+01:00\n", dt.datetime(2026, 11, 29, 8, 30, tzinfo=UTC)),  # offset, blanks around
    ("2026-11-29T08:00:00", dt.datetime(2026, 11, 29, 8, 0, tzinfo=UTC)),  # no zone: taken as UTC
    ("2026-11-29", dt.datetime(2026, 11, 29, tzinfo=UTC)),
])
def test_parse_date_reads_epochs_and_iso_strings_as_utc(value: object, expected: dt.datetime) -> None:
    when = parse_date(value)
    assert when == expected and when.utcoffset() == dt.timedelta(0)
    assert when.tzinfo is UTC


@pytest.mark.parametrize(("value", "message"), [
    (True, "^not a date: bool$"),  # a bool is an int to Python, never a date here
    (None, "^not a date: NoneType$"),
    ([2026], "^not a date: list$"),
    ("gestern", "Invalid isoformat string"),
    ("0001-01-01T00:00:00+01:00", "^date value out of range$"),  # OverflowError in astimezone, said as ValueError
    (10 ** 20, "Value too large|out of range"),  # far past year 9999: an OSError from the C library
])
def test_parse_date_refuses_what_is_no_date_with_a_value_error(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(value)


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_no_date_at_all_is_the_received_time_without_a_complaint(value: object) -> None:
    assert utc_date(value, RECEIVED) == (AS_RECEIVED, None)


def test_a_good_date_is_stored_in_the_contracts_form() -> None:
    assert utc_date("2026-11-28T23:30:00-01:00", RECEIVED) == ("2026-11-29T00:30:00Z", None)
    assert utc_date(1_700_000_000_000, RECEIVED) == ("2023-11-14T22:13:20Z", None)
    assert utc_date(0, RECEIVED) == ("1970-01-01T00:00:00Z", None)  # 0 is a date, not a missing one


@pytest.mark.parametrize(("value", "problem"), [
    ("gestern", "date: 'gestern' is not a date; stored the time it was received"),
    (True, "date: 'True' is not a date; stored the time it was received"),
    ("x\x1b[2J" + "y" * 70, "date: 'x?[2J" + "y" * 55 + "…' is not a date; stored the time it was received"),
    ("0999-12-31T23:59:59Z", "date: '0999-12-31T23:59:59Z' is before the year 1000; stored the time it was received"),
    ("2026-11-30T08:00:01Z", "date: '2026-11-30T08:00:01Z' is in the future; stored the time it was received"),
])
def test_a_refused_date_is_named_and_the_received_time_stored(value: object, problem: str) -> None:
    assert utc_date(value, RECEIVED) == (AS_RECEIVED, problem)


def test_the_edges_the_year_1000_and_one_day_ahead_are_still_dates() -> None:
    assert utc_date("1000-01-01T00:00:00Z", RECEIVED) == ("1000-01-01T00:00:00Z", None)
    assert utc_date("2026-11-30T08:00:00Z", RECEIVED) == ("2026-11-30T08:00:00Z", None)  # a backend clock ahead


def test_a_date_without_a_zone_is_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert parse_date("2026-11-29T08:00:00") == dt.datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(("date", "why"), [("0999-12-31T23:59:59Z", "is before the year 1000"),
                                           ("2030-01-01T00:00:00Z", "is in the future")])
def test_every_refusal_shows_at_most_60_characters_of_the_value(date: str, why: str) -> None:
    padded = " " * 55 + date  # blanks around a date are read; shown, they count
    assert utc_date(padded, RECEIVED) == (AS_RECEIVED, f"date: {' ' * 55 + date[:5] + '…'!r} {why}; stored the "
                                                       "time it was received")
