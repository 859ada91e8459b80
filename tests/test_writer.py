"""The Writer's bookkeeping: unchanged counts, staging and adopting, stale files and their folders, new folders."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sitegen.output.switch import recover
from sitegen.output.lock import hold, release
from sitegen.output.paths import MANIFEST, STAGING, WriteError, replace
from sitegen.output.staging import discard_staging, new_folder, stage_all, staging
from sitegen.output.writer import Writer, write


def test_unchanged_files_are_counted_once_each_and_not_written(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"  # missing parents are made
    files = [("a.html", b"a"), ("x/b.html", b"b"), ("x/y/c.html", b"c")]
    first = write(files, out)
    assert first.written == ("a.html", "x/b.html", "x/y/c.html") and first.unchanged == 0
    again = write(files, out)
    assert again.written == () and again.unchanged == 3 and again.removed == ()
    writer = Writer(out)
    writer.keep("a.html")
    writer.keep("x/b.html")
    writer.put("x/y/c.html", b"c")
    assert writer.finish().unchanged == 3


def test_stale_files_go_with_the_folders_they_leave_empty_but_never_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("a/b/c.html", b"c"), ("a/keep.html", b"k"), ("d/e.html", b"e")], out)
    report = write([("a/keep.html", b"k")], out)
    assert report.removed == ("a/b/c.html", "d/e.html")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MANIFEST, "a", "a/keep.html"]
    assert write([], out).removed == ("a/keep.html",) and out.is_dir()
    assert [p.name for p in out.iterdir()] == [MANIFEST]


def test_a_tampered_manifest_entry_is_skipped_and_the_rest_still_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "victim.html").write_bytes(b"not ours")
    write([("z.html", b"z"), ("a.html", b"a")], out)
    (out / MANIFEST).write_text("../victim.html\na.html\nz.html\n", encoding="utf-8")
    assert write([], out).removed == ("a.html", "z.html")
    assert (tmp_path / "victim.html").read_bytes() == b"not ours"


def test_a_manifest_line_with_spaces_names_one_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("mit leerzeichen.html", b"x"), ("b.html", b"b")], out)
    assert write([("b.html", b"b")], out).removed == ("mit leerzeichen.html",)


def test_staged_pages_appear_only_when_the_writer_finishes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("same.html", b"s")], out)
    stage = staging(out)
    assert stage.parent == out and stage.name.startswith(STAGING + "-")
    writer = Writer(out, stage=stage)
    writer.put("new/page.html", b"n")
    writer.put("same.html", b"s")
    assert not (out / "new").exists()
    report = writer.finish()
    assert report.written == ("new/page.html",) and report.unchanged == 1
    assert (out / "new" / "page.html").read_bytes() == b"n"
    assert stat.S_IMODE((out / "new" / "page.html").stat().st_mode) == 0o644
    discard_staging(stage)
    discard_staging(None)
    assert not stage.exists()


def test_stage_all_and_adopt_as_a_forked_child_and_the_parent_use_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("same.html", b"s")], out)
    stage = staging(out)
    staged = stage_all(out, stage, [("same.html", b"s"), ("a/new.html", b"n")], prefix="c1-")
    assert staged == [("same.html", None), ("a/new.html", "c1-1.put")]
    assert stat.S_IMODE((stage / "c1-1.put").stat().st_mode) == 0o644
    with pytest.raises(WriteError, match="refusing to write"):
        stage_all(out, stage, [("../x.html", b"x")], prefix="c2-")
    hooks: list[str] = []
    writer = Writer(out, before_first_write=lambda: hooks.append("first write"))
    writer.adopt("same.html", None)
    assert hooks == []  # nothing written yet
    writer.adopt("a/new.html", stage / "c1-1.put")  # no staging of its own: moved at once
    assert (out / "a" / "new.html").read_bytes() == b"n" and hooks == ["first write"]
    report = writer.finish()
    assert report.written == ("a/new.html",) and report.unchanged == 1 and hooks == ["first write"]


def test_the_first_write_hook_runs_once_also_for_removals(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("a.html", b"a"), ("b.html", b"b")], out)
    hooks: list[int] = []
    writer = Writer(out, before_first_write=lambda: hooks.append(1))
    assert writer.finish().removed == ("a.html", "b.html") and hooks == [1]


def test_dead_staging_folders_go_but_not_files_or_links_with_that_name(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / f"{STAGING}-dead").mkdir(parents=True)
    (out / f"{STAGING}-dead" / "1.put").write_bytes(b"half")
    (out / f"{STAGING}-file").write_bytes(b"a file")
    elsewhere.mkdir()
    (elsewhere / "precious").write_bytes(b"p")
    (out / f"{STAGING}-link").symlink_to(elsewhere)
    assert recover(out) is False  # no journal in it: a build that died before its switch
    assert sorted(p.name for p in out.iterdir()) == [f"{STAGING}-file", f"{STAGING}-link"]
    assert (elsewhere / "precious").exists()


def test_replace_leaves_no_temp_file_and_a_readable_page(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        replace(tmp_path / "a" / "b" / "page.html", b"x")
    finally:
        os.umask(old)
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == ["page.html"]
    assert stat.S_IMODE((tmp_path / "a" / "b" / "page.html").stat().st_mode) == 0o644


def test_new_folder_is_true_only_for_the_build_that_made_it(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    assert new_folder(out) is True and out.is_dir()
    assert new_folder(out) is False


def test_the_lock_is_exclusive_and_readable(tmp_path: Path) -> None:
    import fcntl
    lock = tmp_path / "cache" / "out.lock"
    old = os.umask(0)
    try:
        held = hold(lock)
    finally:
        os.umask(old)
    assert held is not None and stat.S_IMODE(lock.stat().st_mode) == 0o644
    other = os.open(lock, os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        release(held)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released: free now
    finally:
        os.close(other)
    release(None)


def test_a_page_is_written_under_a_hidden_temp_name_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hidden and ending in .tmp, in the page's folder: the preview's watcher ignores it (serve._temporary)
    and the rename into place is atomic."""
    import sitegen.output.writer as writing
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def watched(source: str, target: str) -> None:  # the real rename, watched
        renamed.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(writing.os, "replace", watched)
    replace(tmp_path / "themen" / "page.html", b"x")
    ((temp, target),) = renamed
    assert Path(temp).parent == tmp_path / "themen" and target == str(tmp_path / "themen" / "page.html")
    assert Path(temp).name.startswith(".page.html.") and temp.endswith(".tmp")


def test_adopted_unchanged_pages_are_all_counted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("a.html", b"a"), ("b.html", b"b")], out)
    writer = Writer(out)
    writer.adopt("a.html", None)
    writer.adopt("b.html", None)
    assert writer.finish().unchanged == 2


def test_staging_and_new_folders_make_missing_parents(tmp_path: Path) -> None:
    assert staging(tmp_path / "a" / "b" / "out").parent == tmp_path / "a" / "b" / "out"
    assert new_folder(tmp_path / "c" / "d" / "out") is True


def test_write_file_truncates_what_was_there(tmp_path: Path) -> None:
    from sitegen.output.paths import write_file
    write_file(tmp_path / "f", b"a long first version")
    write_file(tmp_path / "f", b"short")
    assert (tmp_path / "f").read_bytes() == b"short"


def test_a_file_grown_in_staging_is_moved_in_only_when_its_bytes_differ(tmp_path: Path) -> None:
    out = tmp_path / "out"
    big = b"x" * (3 << 20)  # over one chunk of the comparison
    write([("daten/same.json", big), ("daten/changed.json", big)], out)
    stage = staging(out)
    old = os.umask(0o077)  # a private umask must not make the published file private
    try:
        for name, data in (("same", big), ("changed", big[:-1] + b"y"), ("new", b"n")):
            (stage / name).write_bytes(data)
    finally:
        os.umask(old)
    writer = Writer(out, stage=stage)
    for name in ("same", "changed", "new"):
        writer.put_file(f"daten/{name}.json", stage / name)
    report = writer.finish()
    assert sorted(report.written) == ["daten/changed.json", "daten/new.json"] and report.unchanged == 1
    assert (out / "daten/changed.json").read_bytes().endswith(b"xy")
    assert stat.S_IMODE((out / "daten/new.json").stat().st_mode) == 0o644
    discard_staging(stage)
