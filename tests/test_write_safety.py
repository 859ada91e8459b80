"""The writer's refusals of its own bookkeeping names, builds where no lock is to be had, file modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

import pytest

from sitetest import TODAY, read_tree
from sitegen import Tuning, build
from sitegen.output.lock import hold
from sitegen.output.paths import MANIFEST, STAGING, WriteError, safe_path
from sitegen.output.writer import write


@pytest.mark.parametrize("rel", [MANIFEST, MANIFEST + ".html", STAGING + "-abc/index.html", STAGING])
def test_the_manifest_and_staging_names_are_never_pages(tmp_path: Path, rel: str) -> None:
    """A page there would overwrite the list of files the build owns, or land where a build stages."""
    out = tmp_path / "out"
    write([("index.html", b"home")], out)
    manifest = (out / MANIFEST).read_bytes()
    with pytest.raises(WriteError, match="not a plain path inside the output folder"):
        write([(rel, b"x")], out)
    with pytest.raises(WriteError, match="refusing to write"):
        safe_path(out, rel)
    assert (out / MANIFEST).read_bytes() == manifest


def test_the_same_names_deeper_down_are_ordinary_pages(tmp_path: Path) -> None:
    write([(f"themen/{MANIFEST}", b"a"), (f"themen/{STAGING}/x.html", b"b")], tmp_path / "out")
    assert (tmp_path / "out" / "themen" / MANIFEST).read_bytes() == b"a"


def test_no_lock_where_the_cache_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    assert hold(tmp_path / "not-a-folder" / "x.lock") is None


def test_a_build_without_a_lock_goes_ahead_and_leaves_other_builds_staging_alone(site_root: Path,
                                                                                  tmp_path: Path) -> None:
    """`.cache` is a file here: no lock and no cache. Another build may be running into the same folder,
    so the staging folder found there is not taken for a dead one."""
    out = tmp_path / "out"
    other = out / f"{STAGING}-other"
    other.mkdir(parents=True)
    (other / "page.html").write_bytes(b"staged by another build")
    (site_root / ".cache").write_text("a file where the cache folder would be")
    build(site_root, out, today=TODAY)
    assert (other / "page.html").read_bytes() == b"staged by another build"
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    mine = {k: v for k, v in read_tree(out).items() if not k.startswith(STAGING)}
    assert mine == read_tree(tmp_path / "cold")


def test_with_the_lock_a_dead_builds_staging_folder_is_removed(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / f"{STAGING}-dead").mkdir(parents=True)
    build(site_root, out, today=TODAY)
    assert not (out / f"{STAGING}-dead").exists()


@pytest.fixture
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_pages_are_world_readable_and_folders_listable(site_root: Path, tmp_path: Path, usual_umask: None) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    topic = site_root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nNeu.\n", encoding="utf-8")
    build(site_root, out, today=TODAY)  # a rewrite keeps the mode
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o644}
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_dir()} == {0o755}
