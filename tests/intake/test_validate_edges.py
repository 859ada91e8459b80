"""Validation at its edges: each limit exactly, absent fields, the characters on either side of a rule."""

from __future__ import annotations

import pytest

from intake.config import Limits
from intake.validate import STORE_MAX, check, controls, forbidden, normalise

GOOD = {"topic": "verkehr", "name": "Anna", "body": "Mehr Radwege, bitte.", "consent": "ja"}


def problems(fields: dict[str, str] | None = None, personal: dict[str, str] | None = None,
             limits: Limits = Limits()) -> list[str]:
    return check({**GOOD, **(fields or {})}, personal or {}, limits, {"verkehr"})


def test_absent_fields_are_named_not_a_crash() -> None:
    assert check({}, {}, Limits(), {"verkehr"}) == [
        "topic: missing", "name: empty", "body: empty", "consent: not given (the consent box was not ticked)"]
    assert check({"topic": "verkehr", "name": "A", "body": "B", "consent": " JA "}, {}, Limits(), {"verkehr"}) == []


def test_a_long_unknown_topic_is_quoted_cut_to_80_characters() -> None:
    assert problems({"topic": "x" * 100}) == [f"topic: unknown topic {'x' * 80!r}"]


@pytest.mark.parametrize("field, limit", [("name", Limits().name), ("body", Limits().body)])
def test_text_limits_hold_exactly(field: str, limit: int) -> None:
    assert problems({field: "x" * limit}) == []
    assert problems({field: "x" * (limit + 1)}) == [
        f"{field}: {limit + 1} characters, more than the limit of {limit}"]


def test_email_and_website_limits_hold_exactly() -> None:
    limits = Limits()
    email = "a" * (limits.email - len("@b.de")) + "@b.de"
    assert problems(personal={"email": email}) == []
    assert problems(personal={"email": "a" + email}) == ["email: not a valid e-mail address"]
    website = "https://a.example/" + "x" * (limits.website - len("https://a.example/"))
    assert problems(personal={"website": website}) == []
    assert problems(personal={"website": website + "x"}) == [f"website: longer than {limits.website} characters"]


@pytest.mark.parametrize("website", ["http://a.example", "HTTPS://A.EXAMPLE/x", "Http://a.example"])
def test_http_and_https_in_any_case_are_websites(website: str) -> None:
    assert problems(personal={"website": website}) == []


@pytest.mark.parametrize("website", ["http://a .example", "http://a.example/\x07", "https:/a.example", "mailto:a@b.de"])
def test_what_is_no_website_is_named_exactly(website: str) -> None:
    assert problems(personal={"website": website}) == ["website: not an http(s) URL"]


def test_tabs_and_line_breaks_only_in_the_body() -> None:
    assert problems({"body": "a\n\tb"}) == []
    assert problems({"name": "a\tb"}) == ["name: contains control characters or noncharacters"]
    assert problems({"body": "a\x0bb"}) == ["body: contains control characters or noncharacters"]
    assert problems({"body": "X"}) == [] and not controls("X") and controls("\x07", "\n")


@pytest.mark.parametrize("point, bad", [
    (0xFDCF, False), (0xFDD0, True), (0xFDEF, True), (0xFDF0, False), (0xFFFD, False), (0xFFFE, True),
    (0xFFFF, True), (0x1FFFE, True), (0x1FFFF, True), (0x1FFFD, False), (0x9F, True), (0xA0, False)])
def test_noncharacters_at_the_edges_of_their_ranges(point: int, bad: bool) -> None:
    assert forbidden(chr(point)) is bad


def test_only_the_body_has_its_line_breaks_unified() -> None:
    fields, _, _ = normalise({"body": "a\rb\r\nc", "name": "x\ry"})
    assert fields == {"body": "a\nb\nc", "name": "x\ry"}


def test_a_huge_field_is_cut_for_storage() -> None:
    fields, _, _ = normalise({"body": "x" * (STORE_MAX + 10), "name": "y" * STORE_MAX})
    assert fields == {"body": "x" * STORE_MAX, "name": "y" * STORE_MAX}
