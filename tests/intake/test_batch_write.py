"""The inbox's batched writes: one flush for a page, all or nothing visible, no temp file left."""

from __future__ import annotations

import os
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


def test_a_batch_makes_missing_folders_and_puts_its_temp_files_where_clean_temps_finds_them(
        tmp_path: Path, renamed: list[tuple[str, str]]) -> None:
    folder = tmp_path / "a" / "b"
    files.write_many(folder, [("k1.yaml", {"x": 1}), ("k2.yaml", {"x": 2})])
    assert [Path(target).name for _, target in renamed] == ["k1.yaml", "k2.yaml"]
    for temp, _ in renamed:
        assert Path(temp).parent == folder and Path(temp).name.startswith(files.TEMP_PREFIX)
        assert temp.endswith(".yaml")
    assert files.read(folder / "k2.yaml") == {"x": 2}


def test_a_batch_costs_one_flush_not_one_fsync_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of write_many: syncfs once, then only the folder's fsync (one fsync per file set the pace)."""
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # the real fsync, counted
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    files.write_many(tmp_path, [(f"k{i}.yaml", {"i": i}) for i in range(20)])
    assert len(synced) == 1  # the folder
    files.write_many(tmp_path, [])
    assert len(synced) == 1  # nothing written, nothing flushed


def test_without_syncfs_each_temp_file_is_flushed_before_its_rename(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # the real fsync, counted
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(files, "syncfs", lambda directory: False)  # a system without syncfs
    monkeypatch.setattr(files.os, "fsync", fsync)
    files.write_many(tmp_path, [(f"k{i}.yaml", {"i": i}) for i in range(3)])
    assert len(synced) == 4  # three files, then the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.yaml", "k1.yaml", "k2.yaml"]
    assert files.read(tmp_path / "k1.yaml") == {"i": 1}
