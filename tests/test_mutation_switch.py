"""The output folder's lock, manifest and switch journal, called directly: written for the mutation run
(bench/mutation.py) of sitegen/output/{lock,manifest,switch}.py, whose killed-build tests (test_switch.py)
run builds as child processes and cannot run per mutant."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitegen.output.lock import hold, release
from sitegen.output.manifest import read_manifest, record_manifest, remove_stale
from sitegen.output.paths import MANIFEST, STAGING, WriteError
from sitegen.output.switch import JOURNAL, Plan, carry_out, commit, recover


class Stop(Exception):
    """Raised by a waiting callback."""


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


# --- the lock


def test_the_lock_file_and_its_folder_are_made(tmp_path: Path) -> None:
    lock = tmp_path / "cache" / "deep" / "out.lock"
    held = hold(lock)
    assert held is not None and lock.is_file()
    release(held)
    release(None)  # no lock to end: nothing happens


@pytest.mark.parametrize("raised", [Stop("interrupted while waiting"), BrokenPipeError("stderr is gone")])
def test_a_failure_while_waiting_closes_the_descriptor(tmp_path: Path, raised: Exception) -> None:
    """Waiting is announced first; if that raises, no descriptor is left open. An OSError there (a
    closed stderr) means no lock, as when locks are not to be had; anything else goes up."""
    lock = tmp_path / "out.lock"
    first = hold(lock)
    before = open_fds()

    def waiting() -> None:
        raise raised

    try:
        if isinstance(raised, OSError):
            assert hold(lock, waiting) is None
        else:
            with pytest.raises(Stop, match="interrupted while waiting"):
                hold(lock, waiting)
    finally:
        release(first)
    assert open_fds() <= before


def test_no_lock_where_its_file_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "out.lock").mkdir()  # a folder where the lock file belongs
    assert hold(tmp_path / "out.lock") is None


# --- the manifest


def test_the_manifest_is_the_sorted_paths_one_per_line_and_read_back(tmp_path: Path) -> None:
    record_manifest(tmp_path, ["b/ü.html", "a.html"])
    assert (tmp_path / MANIFEST).read_bytes() == "a.html\nb/ü.html\n".encode("utf-8")
    assert read_manifest(tmp_path) == {"a.html", "b/ü.html"}
    record_manifest(tmp_path, [])
    assert (tmp_path / MANIFEST).read_bytes() == b"" and read_manifest(tmp_path) == set()


def test_an_unchanged_manifest_is_not_written_again(tmp_path: Path) -> None:
    record_manifest(tmp_path, ["a.html"])
    os.utime(tmp_path / MANIFEST, ns=(0, 0))
    record_manifest(tmp_path, ["a.html"])
    assert (tmp_path / MANIFEST).stat().st_mtime_ns == 0


def test_no_manifest_is_nothing_recorded(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == set()


def test_stale_files_go_with_the_folders_they_leave_empty_up_to_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for rel in ("a/b/c.html", "a/keep.html", "x/y.html", "z.html"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel)
    (out / "folder.html").mkdir()  # a folder under a stale page's name is not a file: left alone
    touched: list[int] = []
    removed = remove_stale(out, {"z.html", "x/y.html", "a/b/c.html", "gone.html", "folder.html", "../out2/z"},
                           lambda: touched.append(1))
    assert removed == ["a/b/c.html", "x/y.html", "z.html"] and len(touched) == 3
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["a", "a/keep.html", "folder.html"]
    assert out.is_dir()


def test_pruning_stops_at_the_output_folder_reached_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real" / "a").mkdir(parents=True)
    (tmp_path / "real" / "a" / "p.html").write_text("p")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert remove_stale(tmp_path / "link", {"a/p.html"}) == ["a/p.html"]
    assert (tmp_path / "real").is_dir() and not (tmp_path / "real" / "a").exists()


# --- the switch


def staged(out: Path, files: dict[str, bytes]) -> Path:
    stage = out / f"{STAGING}-1"
    stage.mkdir(parents=True)
    for name, data in files.items():
        (stage / name).write_bytes(data)
    return stage


def test_the_journal_is_the_plan_as_json_under_its_name(tmp_path: Path) -> None:
    stage = staged(tmp_path, {"0.put": b"a"})
    plan = Plan(moves=(("0.put", "a.html"),), stale=("old.html",), manifest=("a.html",))
    commit(stage, plan)
    assert json.loads((stage / JOURNAL).read_text(encoding="utf-8")) == {
        "moves": [["0.put", "a.html"]], "stale": ["old.html"], "manifest": ["a.html"]}
    assert sorted(p.name for p in stage.iterdir()) == ["0.put", JOURNAL]  # no temp file left


@pytest.mark.parametrize("name", ["", "a/b", ".", "..", JOURNAL])
def test_a_move_from_outside_the_staging_folder_is_refused_before_anything_is_written(tmp_path: Path,
                                                                                      name: str) -> None:
    stage = staged(tmp_path, {})
    with pytest.raises(WriteError, match=f"^refusing to stage '{name}': not a file of the staging folder$"):
        commit(stage, Plan(moves=(("ok", "a.html"), (name, "b.html")), stale=(), manifest=()))
    assert list(stage.iterdir()) == []


def test_carrying_out_moves_into_new_and_old_folders_removes_stale_and_records(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "alt").mkdir(parents=True)
    (out / "alt" / "weg.html").write_text("old")
    (out / "neu").mkdir()
    stage = staged(out, {"0.put": b"A", "1.put": b"B", "2.put": b"C"})
    plan = Plan(moves=(("3.put", "schon.html"),  # moved before a kill: skipped, the rest still moved
                       ("0.put", "neu/a.html"), ("1.put", "tief/x/b.html"), ("2.put", "tief/x/c.html")),
                stale=("alt/weg.html",), manifest=("neu/a.html", "tief/x/b.html", "tief/x/c.html"))
    assert carry_out(out, stage, plan) == ["alt/weg.html"]
    assert (out / "neu" / "a.html").read_bytes() == b"A" and (out / "tief" / "x" / "c.html").read_bytes() == b"C"
    assert not (out / "alt").exists() and not (out / "schon.html").exists()
    assert read_manifest(out) == set(plan.manifest)
    assert carry_out(out, stage, plan) == []  # again after a kill: nothing left to do, the same site


def test_a_move_that_leads_outside_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stage = staged(out, {"0.put": b"A"})
    with pytest.raises(WriteError, match="refusing to write '../x.html'"):
        carry_out(out, stage, Plan(moves=(("0.put", "../x.html"),), stale=(), manifest=()))


def test_recover_completes_a_journaled_switch_and_removes_every_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_text("old")
    (out / f".{MANIFEST}.123.tmp").write_text("half a manifest")
    journaled = out / f"{STAGING}-a"
    journaled.mkdir()
    (journaled / "0.put").write_bytes(b"new")
    commit(journaled, Plan(moves=(("0.put", "new.html"),), stale=("old.html",), manifest=("new.html",)))
    dead = out / f"{STAGING}-b"  # died before its switch: its pages never go live
    dead.mkdir()
    (dead / "0.put").write_bytes(b"never")
    (out / f"{STAGING}-0").write_text("a file, not a staging folder: skipped, the folders after it still seen")
    (tmp_path / "elsewhere").mkdir()
    (out / f"{STAGING}-d").symlink_to(tmp_path / "elsewhere")
    assert recover(out) is True
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, f"{STAGING}-0", f"{STAGING}-d", "new.html"]
    assert (out / "new.html").read_bytes() == b"new" and read_manifest(out) == {"new.html"}
    assert (tmp_path / "elsewhere").is_dir()
    assert recover(out) is False


@pytest.mark.parametrize("journal", ["{", '{"moves": []}', '{"moves": 1, "stale": [], "manifest": []}', "[]"])
def test_a_damaged_journal_is_named_with_what_to_do(tmp_path: Path, journal: str) -> None:
    out = tmp_path / "out"
    stage = staged(out, {})
    (stage / JOURNAL).write_text(journal, encoding="utf-8")
    with pytest.raises(WriteError, match=rf"^the switch journal {stage / JOURNAL} cannot be read \(.*\); "
                                         rf"remove {stage} and build again$"):
        recover(out)
    assert stage.is_dir()


def test_a_journal_with_numbers_for_names_is_read_as_text(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stage = staged(out, {"7": b"seven"})
    (stage / JOURNAL).write_text(json.dumps({"moves": [[7, "7.html"]], "stale": [], "manifest": [7]}))
    assert recover(out) is True
    assert (out / "7.html").read_bytes() == b"seven" and read_manifest(out) == {"7"}


def test_a_journal_without_a_manifest_leaves_the_manifest_as_it_was(tmp_path: Path) -> None:
    """A build that keeps the same files journals manifest null: recovering it moves the pages and
    writes no manifest (the one on disk already lists them)."""
    out = tmp_path / "out"
    stage = staged(out, {"0.put": b"new"})
    record_manifest(out, ["a.html", "b.html"])
    before = (out / MANIFEST).read_bytes()
    commit(stage, Plan(moves=(("0.put", "a.html"),), stale=(), manifest=None))
    assert json.loads((stage / JOURNAL).read_text(encoding="utf-8"))["manifest"] is None
    assert recover(out) is True
    assert (out / "a.html").read_bytes() == b"new" and (out / MANIFEST).read_bytes() == before
