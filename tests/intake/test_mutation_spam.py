"""Spam rules checked reason by reason: the gaps the mutation run (bench/mutation.py) found in intake/spam.py."""

from __future__ import annotations

import hashlib

import pytest

from intake.config import SpamRules
from intake.spam import fingerprint, reasons, too_fast

DATE = "2026-11-26T08:00:00Z"
EPOCH = 1795680000  # DATE in seconds
BASE = {"topic": "verkehr", "name": "Anna", "body": "Mehr Radwege."}


def loaded(seconds_before: float) -> str:
    """form_loaded_at (milliseconds) for a page loaded that long before DATE."""
    return str(int((EPOCH - seconds_before) * 1000))


def test_every_reason_is_worded_for_the_editor() -> None:
    rules = SpamRules(max_links=2, disallowed_words=("Casino",), min_seconds=3.0)
    fields = {**BASE, "bot-field": "x", "_gotcha": "y", "body": "casino https://a www.b", "name": "CASINO",
              "form_loaded_at": loaded(1)}
    assert reasons(fields, {"email": "a@casino.de", "ip": "1.2.3.4"}, DATE, rules, "netlify-1") == [
        "honeypot: hidden field bot-field was filled in",
        "honeypot: hidden field _gotcha was filled in",
        "links: 2 links (held at 2 or more)",
        "disallowed-word: 'Casino' in body, email, name",
        "duplicate: same topic, name and text as netlify-1",
        "too-fast: sent 2.0 s after the page loaded (minimum 3 s)"]


def test_links_are_counted_in_name_and_body_and_held_from_max_links_on() -> None:
    rules = SpamRules(max_links=3)
    assert reasons({**BASE, "body": "http://a HTTPS://b"}, {}, DATE, rules, None) == []
    assert reasons({**BASE, "body": "http://a HTTPS://b", "name": "www.c"}, {}, DATE, rules, None) == [
        "links: 3 links (held at 3 or more)"]


def test_an_empty_honeypot_and_no_load_time_trip_nothing() -> None:
    assert reasons({**BASE, "bot-field": "", "_gotcha": ""}, {}, DATE, SpamRules(), None) == []


@pytest.mark.parametrize("seconds, expected", [
    (2.5, []),  # 2.5 s measured against a date cut to whole seconds: up to 3.5 s, given the benefit
    (1.0, ["too-fast: sent 2.0 s after the page loaded (minimum 3.5 s)"]),
    (-100.0, ["too-fast: sent 0.0 s after the page loaded (minimum 3.5 s)"]),  # a clock ahead: never negative
])
def test_the_min_time_gives_the_benefit_of_the_last_second(seconds: float, expected: list[str]) -> None:
    assert too_fast(loaded(seconds), DATE, 3.5) == expected


def test_exactly_the_minimum_is_not_too_fast() -> None:
    assert too_fast(loaded(2), DATE, 3.0) == []
    assert too_fast(loaded(2.001), DATE, 3.0) == []


@pytest.mark.parametrize("value", ["gestern", "inf", "-inf", "nan", ""])
def test_a_load_time_that_is_no_finite_number_is_itself_a_reason(value: str) -> None:
    assert too_fast(value, DATE, 3.0) == ["too-fast: form_loaded_at is not a number"]


@pytest.mark.parametrize("date", ["kein datum", "9999-12-31T23:59:59+00:00"])
def test_an_unreadable_or_unrepresentable_date_says_nothing_about_speed(date: str) -> None:
    assert too_fast(loaded(0), date, 3.0) == []


def test_an_offset_date_is_read_as_the_same_instant() -> None:
    assert too_fast(loaded(10), "2026-11-26T09:00:00+01:00", 3.0) == []
    assert too_fast(loaded(1), "2026-11-26T09:00:00+01:00", 3.0) != []


def test_the_fingerprint_ignores_case_and_spacing_of_the_name_only() -> None:
    same = fingerprint({"topic": "verkehr", "name": "  anna   MÜLLER ", "body": "Text"})
    assert same == fingerprint({"topic": "verkehr", "name": "Anna Müller", "body": "Text"})
    assert same != fingerprint({"topic": "verkehr", "name": "Anna Müller", "body": "text"})
    assert same != fingerprint({"topic": "digital", "name": "Anna Müller", "body": "Text"})


def test_the_fingerprint_is_stable_across_versions() -> None:
    """Stored fingerprints of earlier pulls must keep matching: the value is part of the inbox format."""
    expected = hashlib.sha256("verkehr\0anna müller\0Text".encode("utf-8")).hexdigest()
    assert fingerprint({"topic": "verkehr", "name": "Anna  Müller", "body": "Text"}) == expected
    assert fingerprint({}) == hashlib.sha256(b"\0\0").hexdigest()
