"""The inbox's batched writes: one flush for a page, all or nothing visible, no temp file left."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from intake import files
from intake.entry import Entry
from intake.inbox import Inbox


def test_write_many_writes_every_file_whole(tmp_path: Path) -> None:
    files.write_many(tmp_path, [(f"k{i}.yaml", {"key": f"k{i}", "body": "ä" * i}) for i in range(50)])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"k{i}.yaml" for i in range(50))
    assert yaml.safe_load((tmp_path / "k7.yaml").read_text(encoding="utf-8")) == {"key": "k7", "body": "ä" * 7}


def test_a_failing_batch_leaves_no_file_and_no_temp_file(tmp_path: Path) -> None:
    items = [("a.yaml", {"x": 1}), ("b.yaml", {"x": 2}), ("c.yaml", {"x": object()})]  # c cannot be written
    with pytest.raises(yaml.representer.RepresenterError):
        files.write_many(tmp_path, items)
    assert list(tmp_path.iterdir()) == []


def test_add_many_adds_only_new_keys_and_never_overwrites(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    first = Entry(key="netlify-a", source="netlify", date="2026-11-26T08:00:00Z", fields={"name": "Erste"})
    assert inbox.add_many([first]) == 1
    again = first.with_changes(fields={"name": "Überschrieben?"})
    other = Entry(key="netlify-b", source="netlify", date="2026-11-26T08:01:00Z")
    assert inbox.add_many([again, other]) == 1
    assert inbox.get("netlify-a").fields == {"name": "Erste"}
    assert sorted(inbox.keys()) == ["netlify-a", "netlify-b"]


def test_a_rename_failing_midway_reports_its_own_error_and_leaves_no_temp_file(tmp_path: Path) -> None:
    """The first file is already renamed when the second rename fails: the cleanup must not trip over the
    first temp name (gone by then) and hide the real error behind a FileNotFoundError."""
    (tmp_path / "b.yaml").mkdir()  # a folder where the second file belongs: its rename fails
    (tmp_path / "b.yaml" / "x").write_text("keeps the folder non-empty")
    with pytest.raises(IsADirectoryError):
        files.write_many(tmp_path, [("a.yaml", {"x": 1}), ("b.yaml", {"x": 2}), ("c.yaml", {"x": 3})])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temp file, c never renamed
    assert files.read(tmp_path / "a.yaml") == {"x": 1}
