"""The staged writer's reports and manifest checked directly: the gaps the mutation run (bench/mutation.py)
found in sitegen/output/writer.py under its new path (a staged build that changes nothing, stale pages)."""

from __future__ import annotations

from pathlib import Path

from sitegen.output.manifest import read_manifest
from sitegen.output.staging import discard_staging, staging
from sitegen.output.writer import Report, Writer, write


def staged_build(out: Path, files: dict[str, bytes]) -> Report:
    stage = staging(out)
    writer = Writer(out, stage=stage)
    for rel, data in files.items():
        writer.put(rel, data)
    report = writer.finish()
    discard_staging(stage)
    return report


def test_a_staged_build_that_changes_nothing_reports_nothing_and_keeps_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("a.html", b"a"), ("b/c.html", b"c")], out)
    report = staged_build(out, {"a.html": b"a", "b/c.html": b"c"})
    assert report == Report((), 2, ())
    assert read_manifest(out) == {"a.html", "b/c.html"}


def test_a_staged_build_reports_what_it_removed_and_records_only_what_it_made(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("a.html", b"a"), ("old/gone.html", b"g")], out)
    report = staged_build(out, {"a.html": b"a"})
    assert report == Report((), 1, ("old/gone.html",))
    assert read_manifest(out) == {"a.html"} and not (out / "old").exists()
    report = staged_build(out, {"a.html": b"A", "new/n.html": b"n"})
    assert report == Report(("a.html", "new/n.html"), 0, ())
    assert read_manifest(out) == {"a.html", "new/n.html"} and (out / "new" / "n.html").read_bytes() == b"n"


def test_adopting_without_staging_makes_nested_folders_and_reuses_existing_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write([("old/x/keep.html", b"k")], out)
    made = tmp_path / "made"
    made.mkdir()
    writer = Writer(out)
    for rel in ("new/deep/er/a.html", "new/deep/er/b.html", "old/x/c.html", "old/x/keep.html"):
        (made / rel.replace("/", "_")).write_bytes(rel.encode())
        writer.adopt(rel, made / rel.replace("/", "_"))
    report = writer.finish()
    assert report.written == ("new/deep/er/a.html", "new/deep/er/b.html", "old/x/c.html", "old/x/keep.html")
    assert (out / "new" / "deep" / "er" / "b.html").read_bytes() == b"new/deep/er/b.html"
    assert read_manifest(out) == set(report.written)
