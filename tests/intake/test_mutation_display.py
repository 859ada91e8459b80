"""What an editor's terminal shows, checked directly: every control and bidi character escaped, the `list`
line and the `show` card character for character (written for the mutation run, bench/mutation.py)."""

from __future__ import annotations

import pytest

from intake.display import BIDI, card, line, safe, short
from intake.entry import Entry


@pytest.mark.parametrize(("text", "shown"), [
    ("Jürgen 😀", "Jürgen 😀"),
    ("\x1b[2Jrot", "\\x1b[2Jrot"),  # an ANSI sequence starts with ESC, a control character
    ("a\nb\tc\rd\x00e\x7f\x85", "a\\nb\\tc\\rd\\x00e\\x7f\\x85"),
    ("\u202eevil\u2066x\u200f", "\\u202eevil\\u2066x\\u200f"),  # bidi overrides and isolates
    ("\u200b\u00ad", "\u200b\u00ad"),  # format characters that reorder nothing stay
])
def test_safe_escapes_control_and_bidi_characters_only(text: str, shown: str) -> None:
    assert safe(text) == shown


def test_every_bidi_control_is_escaped() -> None:
    assert len(BIDI) == 11
    for char in BIDI:
        assert safe(char) == f"\\u{ord(char):04x}"


def test_newlines_can_be_kept_for_a_body_but_nothing_else() -> None:
    assert safe("a\nb\r\n\x1bc", keep_newlines=True) == "a\nb\\r\n\\x1bc"
    assert safe("a\nb", keep_newlines=False) == "a\\nb"


@pytest.mark.parametrize(("text", "width", "shown"), [
    ("kurz", 10, "kurz"),
    ("genau zehn", 10, "genau zehn"),
    ("elf Zeichen", 10, "elf Zeich…"),
    ("  a \n\t b  ", 10, "a b"),  # one line: runs of blanks are one space
    ("\x1b[2J", 10, "\\x1b[2J"),
])
def test_short_is_one_line_cut_to_width(text: str, width: int, shown: str) -> None:
    assert short(text, width) == shown


FULL = Entry(key="netlify-abc", source="netlify", date="2026-11-29T08:00:00Z", status="approved",
             received_at="2026-11-29T08:01:00Z",
             fields={"topic": "verkehr", "parent": "c-1", "name": "Erika \x1b[31mRot", "body": "Zeile 1\nZeile\x1b 2"},
             personal={"email": "e@example.org", "website": "https://e.example", "ip": "192.0.2.1",
                       "user_agent": "Agent\u202e"},
             spam_reasons=("links: 2 links", "words: casino\x07"), invalid=("name: too long",), official="stadt",
             moderated_by="Redaktion\x1b", moderated_at="2026-11-29T09:00:00Z", reason="passt\x1b",
             purged_at="2026-12-01T00:00:00Z")


def test_the_card_shows_everything_escaped_in_its_order() -> None:
    assert card(FULL) == "\n".join([
        "key:       netlify-abc",
        "status:    approved",
        "date:      2026-11-29T08:00:00Z  (received 2026-11-29T08:01:00Z)",
        "topic:     verkehr",
        "parent:    c-1",
        "name:      Erika \\x1b[31mRot",
        "email:     e@example.org",
        "website:   https://e.example",
        "ip:        192.0.2.1",
        "user_agent: Agent\\u202e",
        "purged:    2026-12-01T00:00:00Z (personal data removed)",
        "spam:      links: 2 links",
        "spam:      words: casino\\x07",
        "invalid:   name: too long",
        "moderated: 2026-11-29T09:00:00Z by Redaktion\\x1b (stadt): passt\\x1b",
        "",
        "  Zeile 1",
        "  Zeile\\x1b 2"])


def test_a_bare_entry_has_dashes_and_no_optional_rows() -> None:
    bare = Entry(key="k-1", source="json", date="2026-11-29T08:00:00Z", personal={"email": ""})
    assert card(bare) == "\n".join([
        "key:       k-1",
        "status:    pending",
        "date:      2026-11-29T08:00:00Z  (received -)",
        "topic:     ",
        "parent:    -",
        "name:      ",
        "",
        "  "])


def test_a_decision_without_badge_or_reason_is_one_plain_row() -> None:
    decided = Entry(key="k-1", source="json", date="d", fields={"body": "b"}, moderated_by="Ed", moderated_at="t")
    assert "moderated: t by Ed\n" in card(decided)


def test_the_list_line_has_fixed_columns_and_flags() -> None:
    name = "Erika \\x1b[31mRot"
    assert line(FULL) == (f"{'netlify-abc':<40} {'approved':<8} 2026-11-29T08:00:00Z  {'verkehr':<24} "
                          f"{name:<30} spam:2 invalid:1 stadt")
    plain = Entry(key="k-1", source="json", date="2026-11-29T08:00:00Z", fields={"name": "N" * 40, "topic": "t" * 30})
    assert line(plain) == f"{'k-1':<40} pending  2026-11-29T08:00:00Z  {'t' * 23}… {'N' * 29}…"
    assert line(Entry(key="k-2", source="json", date="d", fields={"topic": "x"})).endswith("x")  # no trailing blanks
