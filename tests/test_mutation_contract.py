"""The comment contract's writing checked directly: the gaps the mutation run (bench/mutation.py) found in
sitegen/core/contract.py."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from sitegen.core.contract import FIELDS, comment_yaml, dump, stamp

COMMENT = {"id": "c-1", "topic": "verkehr", "parent": None, "name": "Jörg Müller", "body": "Mehr Bäume.",
           "date": "2026-02-01T08:00:00Z", "official": None, "moderated_at": "2026-02-02T09:00:00Z",
           "moderated_by": "Redaktion"}


@pytest.mark.parametrize("when, expected", [
    (dt.datetime(2026, 2, 1, 9, 30, 5, 999999, tzinfo=dt.timezone(dt.timedelta(hours=1))), "2026-02-01T08:30:05Z"),
    (dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), "0999-01-02T03:04:05Z"),
    (dt.datetime(12, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc), "0012-12-31T23:59:59Z"),
])
def test_a_stamp_is_utc_with_four_digit_year_and_whole_seconds(when: dt.datetime, expected: str) -> None:
    assert stamp(when) == expected


def test_a_comment_file_has_exactly_the_fields_in_order_and_keeps_umlauts_readable() -> None:
    text = comment_yaml({**COMMENT, "extra": "weg"})
    assert [line.split(":")[0] for line in text.splitlines()] == list(FIELDS)
    assert "name: Jörg Müller\n" in text and "body: Mehr Bäume.\n" in text
    assert yaml.safe_load(text) == COMMENT


def test_datetimes_are_written_as_quoted_stamps() -> None:
    when = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    text = comment_yaml({**COMMENT, "date": when, "moderated_at": when})
    assert "date: '2026-02-01T08:00:00Z'\n" in text and "moderated_at: '2026-02-01T08:00:00Z'\n" in text


def test_a_missing_field_is_a_bug_not_a_silent_gap() -> None:
    with pytest.raises(KeyError, match="moderated_by"):
        comment_yaml({k: v for k, v in COMMENT.items() if k != "moderated_by"})


def test_lines_are_folded_at_100_characters_not_80() -> None:
    body = " ".join(["wort"] * 18)  # 89 characters: one line at width 100
    assert dump({"body": body}) == f"body: {body}\n"
    long = " ".join(["wort"] * 30)
    lines = dump({"body": long}).splitlines()
    assert len(lines) == 2 and 100 <= len(lines[0]) <= 110  # PyYAML breaks at the first space past the width
    assert yaml.safe_load(dump({"body": long})) == {"body": long}


def test_dump_keeps_the_order_it_is_given() -> None:
    assert dump({"z": 1, "a": 2}) == "z: 1\na: 2\n"


def test_the_fold_point_is_exactly_width_100() -> None:
    """Files written by earlier versions must come out byte for byte the same (no spurious diffs in git)."""
    body = " ".join(["wwwwwww"] * 13)  # 6 + 12 * 8 = 102 columns before the last word: folded at 100, not at 101
    assert dump({"body": body}) == "body: " + " ".join(["wwwwwww"] * 12) + "\n  wwwwwww\n"


def test_dump_writes_plain_yaml_only() -> None:
    assert dump({"a": (1, 2)}) == "a:\n- 1\n- 2\n"  # a tuple is a plain list, no !!python/tuple tag
    with pytest.raises(yaml.representer.RepresenterError, match="cannot represent an object"):
        dump({"a": object()})


def test_a_stamp_is_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert stamp(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.timezone.utc)) == "2026-07-01T12:00:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()
