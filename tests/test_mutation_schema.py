"""Front-matter rules checked message by message, with the line each error names: the gaps the mutation run
(bench/mutation.py) found in sitegen/core/schema.py (the Validator alone, no build)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sitegen.core import schema as s
from sitegen.core.source import parse_yaml

RULES = {"title": s.text(required=True, example="Radwege"), "link": s.url(), "when": s.DATETIME,
         "day": s.DATE, "open": s.BOOL, "count": s.Rule("int", default=0), "raw": s.Rule("any"),
         "state": s.choice("open", "closed", default="open"),
         "docs": s.list_of(s.struct(url=s.url(required=True), label=s.text(default="Dokument"))),
         "pate": s.struct(name=s.text(required=True))}
GOOD = "title: T\nwhen: 2026-12-01 18:00\n"


def check(text: str, rules: dict[str, s.Rule] | None = None) -> tuple[dict[str, Any] | None, list[tuple[int, str, str]]]:
    data, lines = parse_yaml(text, first_line=2)
    found: list[tuple[int, str, str]] = []
    out = s.Validator(lines, lambda line, message, hint: found.append((line, message, hint))).mapping(
        data, rules or RULES)
    return out, found


def test_good_front_matter_gets_every_default() -> None:
    out, found = check(GOOD)
    assert found == []
    assert out == {"title": "T", "link": None, "when": dt.datetime(2026, 12, 1, 18, 0), "day": None, "open": False,
                   "count": 0, "raw": None, "state": "open", "docs": (), "pate": None}


def test_an_unknown_field_names_its_line_and_the_closest_name_or_all_names() -> None:
    _, found = check(GOOD + "titel: x\nzzz: 1\n", {"title": s.text(), "when": s.DATETIME})
    assert found == [(4, "unknown field 'titel'", "did you mean 'title'?"),
                     (5, "unknown field 'zzz'", "allowed fields: title, when")]


def test_a_missing_required_field_says_what_to_add_with_the_example() -> None:
    _, found = check("open: true\n")
    assert found == [(2, "missing required field 'title'", "add the line 'title: …' (for example: title: Radwege)"),
                     (2, "missing required field 'when'", "add the line 'when: …' (for example: when: 2026-12-01 18:00)")]
    _, found = check("x: 1\n", {"x": s.Rule("any"), "y": s.text(required=True)})
    assert found == [(2, "missing required field 'y'", "add the line 'y: …'")]


@pytest.mark.parametrize("line, expected", [
    ("count: 1.5", (3, "'count' must be a whole number, not a number", "")),
    ("count: true", (3, "'count' must be a whole number, not yes/no (true/false)", "")),
    ("open: ja", (3, "'open' must be true or false, not text", "")),
    ("day: 2026-12-01T10:00:00", (3, "'day' must be a date like 2026-11-26, not a date and time", "")),
    ("day: [1]", (3, "'day' must be a date like 2026-11-26, not a list", "")),
    ("state: zu", (3, "'state' must be one of: open, closed", "got 'zu'")),
    ("docs: x", (3, "'docs' must be a list (lines starting with '- ')", "")),
    ("pate: x", (3, "'pate' must be a group of indented 'field: value' lines, not text", "")),
    ("when: morgen", (3, "'when' must be a date and time like 2026-12-01 18:00", "got text 'morgen'")),
    ("link: 5", (3, "'link' must be text, but YAML read it as a number", 'put the value in quotes: link: "5"')),
    ("link: www.x.de", (3, "'link' must be a web address starting with https:// or /", "got 'www.x.de'")),
    ("link: //evil.example", (3, "'link' starts with '//' or '/\\', which browsers read as another site's address",
                              "write https://… for another site, or one '/' for a page of this one; "
                              "got '//evil.example'")),
])
def test_each_wrong_value_is_named_in_an_editors_words_on_its_line(line: str, expected: tuple[int, str, str]) -> None:
    _, found = check("title: T\n" + line + ("\n" if line.startswith("when:") else "\nwhen: 2026-12-01 18:00\n"))
    assert found == [expected]


def test_wrong_values_fall_back_to_the_defaults() -> None:
    out, _ = check(GOOD + "count: x\nopen: 1\nstate: zu\ndocs: x\npate: x\nday: x\nlink: 5\n")
    assert (out["count"], out["open"], out["state"], out["docs"], out["pate"], out["day"], out["link"]) == (
        0, False, "open", (), None, None, "5")


def test_nested_errors_name_the_dotted_path_and_the_item_line() -> None:
    text = GOOD + "docs:\n  - url: /a\n  - label: B\n  - url: ftp://x\npate:\n  nam: X\n"
    out, found = check(text)
    assert found == [
        (6, "missing required field 'docs[2].url'", "add the line 'url: …' (for example: url: https://…)"),
        (7, "'docs[3].url' must be a web address starting with https:// or /", "got 'ftp://x'"),
        (9, "unknown field 'pate.nam'", "did you mean 'name'?"),
        (8, "missing required field 'pate.name'", "add the line 'name: …'")]
    assert out["docs"][0] == {"url": "/a", "label": "Dokument"}


def test_text_is_stripped_and_loses_forbidden_characters_but_keeps_umlauts() -> None:
    out, found = check('title: "  Ä\\x01b\\ufdd0 "\nwhen: 2026-12-01 18:00\nlink: "mailto:a@b.de "\n')
    assert found == [] and out["title"] == "Äb" and out["link"] == "mailto:a@b.de"


@pytest.mark.parametrize("url", ["/\\evil.example", " //evil", "/\t/evil", "/\n/evil", "/\r/evil"])
def test_other_host_sees_through_what_browsers_drop(url: str) -> None:
    assert s.other_host(url)


@pytest.mark.parametrize("url", ["/seite", "https://a.example//b", "/", ""])
def test_a_page_of_this_site_is_no_other_host(url: str) -> None:
    assert not s.other_host(url)


def test_datetimes_as_text_or_yaml_timestamps() -> None:
    out, found = check('title: T\nwhen: " 2026-12-01T18:00+01:00 "\n')
    assert found == [] and out["when"] == dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    out, found = check("title: T\nwhen: 7\n")
    assert found == [(3, "'when' must be a date and time like 2026-12-01 18:00", "got a number '7'")]


def test_describe_names_every_yaml_type() -> None:
    values = [True, 1, 1.5, dt.date(2026, 1, 1), dt.datetime(2026, 1, 1), [], {}, None, "x", b"x"]
    assert [s.describe(v) for v in values] == ["yes/no (true/false)", "a number", "a number", "a date",
                                               "a date and time", "a list", "a group of fields", "empty", "text",
                                               "bytes"]


def test_dotted_paths() -> None:
    assert s.dotted(("documents", 0, "url")) == "documents[1].url"
    assert s.dotted((0, "a")) == "[1].a" and s.dotted(()) == ""


def test_a_key_without_a_line_takes_its_parents_line_or_the_first() -> None:
    data, lines = parse_yaml("a:\n  b: 1\n", first_line=5)
    v = s.Validator(lines, lambda *a: None)
    assert v.line(("a", "b", "c")) == 6 and v.line(("a",)) == 5 and v.line(("zzz",)) == 5
    _, empty = parse_yaml("", first_line=5)
    assert s.Validator(empty, lambda *a: None).line(("zzz",)) == 1


def test_an_unknown_rule_kind_is_a_bug() -> None:
    data, lines = parse_yaml("x: 1\n")
    with pytest.raises(AssertionError, match="^nope$"):
        s.Validator(lines, lambda *a: None).mapping(data, {"x": s.Rule("nope")})


def test_rule_builders() -> None:
    assert s.list_of(s.text(), required=True) == s.Rule("list", True, default=(), item=s.text())
    assert s.choice("a", "b", default="a") == s.Rule("choice", False, "a", choices=("a", "b"))
    assert s.url(required=True) == s.Rule("url", True, example="https://…")
    assert s.text(True, "d", "e") == s.Rule("text", True, "d", example="e")
    assert s.struct(True, a=s.text()) == s.Rule("struct", True, fields={"a": s.text()})
    assert (s.BOOL.default, s.DATE.kind, s.DATETIME.required, s.DATETIME.example) == (False, "date", True,
                                                                                      "2026-12-01 18:00")


def test_valid_values_of_every_kind_pass_unchanged() -> None:
    out, found = check(GOOD + "count: 3\nlink: https://a.de/x\ndocs:\n  - url: http://b.de\n  - url: /c\n")
    assert found == [] and out["count"] == 3 and out["link"] == "https://a.de/x"
    assert [d["url"] for d in out["docs"]] == ["http://b.de", "/c"]


def test_an_ascii_control_character_is_dropped_too() -> None:
    out, found = check('title: "a\\x01b\\x7f"\nwhen: 2026-12-01 18:00\n')
    assert found == [] and out["title"] == "ab"


def test_rule_builders_default_to_optional() -> None:
    assert s.text() == s.Rule("text", False, None, example="")
    assert s.url() == s.Rule("url", False, example="https://…")
    assert s.struct() == s.Rule("struct", False, fields={})
    assert s.list_of(s.text()) == s.Rule("list", False, default=(), item=s.text())
    assert s.choice("a") == s.Rule("choice", False, None, choices=("a",))
