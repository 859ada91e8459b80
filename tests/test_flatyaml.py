"""Flat YAML files (comments): the short reading gives what the safe loader gives, or declines."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import yaml

from intake.files import dump
from sitegen.core.errors import Problems
from sitegen.core.flatyaml import _LINES, flat_mapping
from sitegen.core.codepoints import strip_forbidden
from sitegen.core.readers import read_comment
from sitegen.core.source import parse_yaml

UTC = dt.timezone.utc


def _safe(text: str) -> tuple[str, object]:
    try:
        return "ok", yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        return "error", type(exc).__name__


def _agrees(text: str) -> bool:
    """flat_mapping declines, or gives the safe loader's value (types included) and key lines."""
    flat = flat_mapping(text)
    if flat is None:
        return True
    kind, value = _safe(text)
    assert kind == "ok" and repr(flat[0]) == repr(value), text
    _, lines = parse_yaml(text)
    for key in [()] + [(k,) for k in value]:
        assert flat[1][key] == lines[key], (text, key)
    return False


def _comment(body: str, name: str | None = "Lea S.", date: object = "2026-02-16T06:45:00Z") -> dict:
    """A comment as the intake publishes it (its times are text; see intake/publish.py)."""
    return {"id": "k1", "topic": "t", "parent": None, "name": name, "body": body, "date": date,
            "official": None, "moderated_at": "2026-02-17T08:00:00Z", "moderated_by": "redaktion"}


def test_hostile_strings_in_every_style_read_as_the_safe_loader_reads_them(blns: list[str]) -> None:
    taken = 0
    for s in blns:
        texts = [dump(_comment(s, name=s))]  # what the intake writes
        texts += [yaml.dump(_comment(s), Dumper=dumper, allow_unicode=uni, width=width, default_style=style,
                            sort_keys=False)
                  for dumper in (yaml.CSafeDumper, yaml.SafeDumper) for uni in (True, False)
                  for width in (20, 10**6) for style in (None, '"', "'")]
        texts += [f"name: {s}\n", f"body: {json.dumps(s, ensure_ascii=False)}\n", f"body: '{s}'\n"]  # by hand
        for text in texts:
            taken += not _agrees(text)
            taken += not _agrees(strip_forbidden(text))  # as read_text hands it over
    assert taken > 10_000  # most of them take the short way (it is not a loader that always declines)


def test_what_the_intake_writes_takes_the_short_way() -> None:
    bodies = ["Kurz.", "Ein längerer Text, der über die Breite von hundert Zeichen hinausgeht und "
              "deshalb umbrochen wird: mit Doppelpunkt, 'Anführungszeichen' und \"doppelten\".",
              "Erster Absatz.\n\nZweiter Absatz\nmit Zeilenumbruch.\n\n\nDritter.", "Tab\tund Backslash \\ und Glocke \a"]
    for body in bodies:
        text = dump(_comment(body, date=dt.datetime(2026, 2, 16, 6, 45, tzinfo=UTC)))
        flat = flat_mapping(text)
        assert flat is not None and flat[0] == yaml.load(text, Loader=yaml.CSafeLoader), text
        assert flat[0]["body"] == body


def test_values_over_several_lines_read_in_one_match_as_line_by_line(blns: list[str]) -> None:
    """The intake folds long bodies over lines, single-quoted or plain: one match reads them, and
    gives the values and key lines the line by line reading gives (a blank line at the end makes
    the text take that way)."""
    taken = 0
    for s in blns + [" ".join(blns[i:i + 9]) for i in range(0, len(blns), 9)]:
        for width in (20, 80):
            text = yaml.dump(_comment(s), Dumper=yaml.CSafeDumper, allow_unicode=True, width=width, sort_keys=False)
            if _LINES.fullmatch(text) and "\n " in text:
                assert flat_mapping(text) == flat_mapping(text + "\n") is not None, text
                taken += 1
    assert taken > 150  # 188 of them


@pytest.mark.parametrize("text, value", [
    ('b: "x\\\n  y"\n', "xy"),  # escaped line break: no space
    ('b: "x \\\n   y"\n', "x y"),  # the blank before it is kept
    ('b: "a\\\n\n  b"\n', "a\nb"),
    ('b: "\\u05D0\n  \\\n  \\u05E9"\n', "\u05d0 \u05e9"),  # a line that is only an escaped break adds nothing
    ("b: 'a\n\n\n  b  \n   c'\n", "a\n\nb c"),  # blank lines are line breaks, a line break a space
    ("b: x\n  y\n\n  z\n", "x y\nz"),  # plain scalars fold the same way
    ("b: 2026-02-16T06:45:00Z\nc: null\nd: yes\ne: '2026-02-16'\n",
     {"b": dt.datetime(2026, 2, 16, 6, 45, tzinfo=UTC), "c": None, "d": True, "e": "2026-02-16"}),
])
def test_folding_escapes_and_types(text: str, value: object) -> None:
    flat = flat_mapping(text)
    assert flat is not None and (flat[0] if isinstance(value, dict) else flat[0]["b"]) == value
    assert not _agrees(text)


@pytest.mark.parametrize("text", [
    'b: "val=\\u201\\\n  bar"\n',  # an escape cut by a line break is an error, not '\u201b'
    "b: 2026-13-01T00:00:00Z\n",  # no such month: the safe loader words the error
    "b: 1\nb: 2\n", "yes: 1\n", "b:\n  c: 1\n", "b:\n  - 1\n", "b: &x 1\nc: *x\n", "b: !!str 1\n",
    "b: x # comment\n", "# comment\nb: 1\n", "---\nb: 1\n", "b: |\n  text\n", "b: 'open\n", "b: x\nc\n",
    "b: a: c\n", "b:\tx\n", "b: 'x'\n  y\n", "b: x\u2028y\n", "\ufeffb: 1\n", "b: x\r\n", "b: <<\n", "",
])
def test_anything_else_is_left_to_the_safe_loader(text: str) -> None:
    assert flat_mapping(text) is None


def test_random_edits_never_make_it_disagree(blns: list[str]) -> None:
    rng = random.Random(4)
    pieces = list(" \t\n'\"\\:#-?&*!|>%@`{}[],~\u00a0") + ["\\n", "\\x4", "\\u00e4", "''", ": ", " #", "\n  ",
                                                           "\n\n", "---\n", "\n- ", "2026-13-01T00:00:00Z", "null"]
    taken = 0
    for _ in range(3000):
        text = dump(_comment(rng.choice(blns), name=rng.choice(blns)))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at + rng.choice((0, 0, 1, 3)):]
        taken += not _agrees(strip_forbidden(text))
    assert taken > 400  # 621 of the 3000 are read the short way: compared, not only declined


def test_a_comment_read_the_short_way_reports_errors_at_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "kommentare" / "t"
    folder.mkdir(parents=True)
    path = folder / "k1.yaml"
    path.write_text(dump(_comment("Text", date="gestern")), encoding="utf-8")
    assert flat_mapping(path.read_text(encoding="utf-8")) is not None
    problems = Problems(tmp_path)
    assert read_comment(path, problems) is None
    assert [(e.line, e.message) for e in problems.errors] == [
        (6, "'date' must be a date and time like 2026-12-01 18:00")]
