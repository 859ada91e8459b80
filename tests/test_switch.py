"""The switch from the old site to the new one: a build killed (SIGKILL) at any instant leaves the
old site or, once the next build command has started, the new one; never a mix of both."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitetest import REPO, TODAY, read_tree
from sitegen import BuildError, Tuning, build
from sitegen.engine import cache as caching
from sitegen.output.lock import hold, release
from sitegen.output.switch import JOURNAL, recover

# The child build with every rename slowed down, so that kills land during the switch as often as
# before it (the fixture's switch takes a millisecond otherwise). Test-only: the code is unchanged.
SLOW = ("import os, runpy, sys, time; real = os.replace\n"
        "def slow(src, dst, **kw):\n    time.sleep(0.04); return real(src, dst, **kw)\n"
        "os.replace = os.rename = slow; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def edit_everything(root: Path) -> None:
    """A change that rewrites every page (the tagline is on all of them) and removes one topic (stale pages)."""
    config = root / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tagline: Testseite", "tagline: Neue Seite"),
                      encoding="utf-8")
    (root / "content" / "themen" / "wohnen.md").unlink()
    event = root / "content" / "termine" / "online.md"
    event.write_text(event.read_text(encoding="utf-8").replace(", wohnen]", "]"), encoding="utf-8")


def slow_build(root: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SLOW, str(REPO / "build.py"), "--root", str(root), "--out",
                             str(out), "--today", TODAY.isoformat()], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def repair(root: Path, out: Path) -> bool:
    """What every build does first, with the folder's lock held (see engine/run.py, BuildRun.open)."""
    held = hold(caching.lock_file(root, out))
    try:
        return recover(out)
    finally:
        release(held)


def journaled(out: Path) -> bool:
    return any((d / JOURNAL).exists() for d in out.glob(".sitegen-staging-*"))


def old_and_new(site_root: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The complete old site (a folder to copy) and the complete new one (its files), built elsewhere."""
    build(site_root, tmp_path / "old", today=TODAY, tuning=Tuning(cache=False))
    edit_everything(site_root)
    build(site_root, tmp_path / "new", today=TODAY, tuning=Tuning(cache=False))
    return tmp_path / "old", read_tree(tmp_path / "new")


def from_old(old: Path, root: Path, out: Path) -> None:
    """out/ as the last good build left it; no cache (a kill may land before the cache is dropped)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(old, out)
    shutil.rmtree(root / caching.FOLDER, ignore_errors=True)


def test_a_build_killed_at_random_instants_leaves_the_old_or_the_new_site(site_root: Path, tmp_path: Path) -> None:
    old, new = old_and_new(site_root, tmp_path)
    old_files = read_tree(old)
    assert len([n for n in new if old_files.get(n) != new[n]]) > 12  # many pages change
    out = tmp_path / "out"
    from_old(old, site_root, out)
    started = time.monotonic()
    done = slow_build(site_root, out)
    assert done.wait(timeout=120) == 0, done.stderr.read() if done.stderr else ""
    duration = time.monotonic() - started  # measured, to spread the kills over a whole build
    assert read_tree(out) == new
    rng = random.Random(20261130)
    seen = []
    for attempt in range(12):
        from_old(old, site_root, out)
        child = slow_build(site_root, out)
        # half the kills anywhere in the build, half in its second half, where the switch is
        time.sleep(rng.uniform(0.0 if attempt % 2 else duration / 2, duration))
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stderr.close()  # type: ignore[union-attr]
        during = journaled(out)
        repair(site_root, out)
        got = read_tree(out)  # right after the repair, before anything is rendered
        assert got == new if during else got in (old_files, new), f"attempt {attempt}: a mixed site"
        seen.append("during" if during else "new" if got == new else "old")
        build(site_root, out, today=TODAY)  # the next build ends with the new site, whatever the cache says
        assert read_tree(out) == new
    assert "during" in seen, seen  # the kills did hit the switch (else the test proves little)


def test_the_next_build_completes_a_switch_even_if_it_fails(site_root: Path, tmp_path: Path) -> None:
    """The repair comes first: a build that stops on a content error still leaves the new site whole."""
    old, new = old_and_new(site_root, tmp_path)
    out = tmp_path / "out"
    for attempt in range(40):  # bounded: each try kills later, until one lands during the switch
        from_old(old, site_root, out)
        child = slow_build(site_root, out)
        while child.poll() is None and not journaled(out):
            time.sleep(0.005)
        if child.poll() is None:
            time.sleep(0.04 * (attempt % 8))  # a few moves in
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stderr.close()  # type: ignore[union-attr]
        if journaled(out):
            break
    else:
        pytest.fail("no kill landed during the switch")
    broken = site_root / "content" / "themen" / "kaputt.md"
    broken.write_text("---\ntitle: [kaputt\n---\n", encoding="utf-8")
    with pytest.raises(BuildError, match="kaputt.md"):
        build(site_root, out, today=TODAY)
    assert read_tree(out) == new


def test_an_edit_that_keeps_the_set_of_files_journals_no_manifest_and_recovers(
        site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most edits change a page, not which pages there are: the journal then leaves the manifest out
    (the preview wrote 22,000 paths per keystroke at 10k topics), and a switch killed after its
    journal is still completed with the manifest as it was."""
    import json
    from sitegen.output import writer as writing
    from sitegen.output.paths import MANIFEST
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    manifest = (out / MANIFEST).read_bytes()
    topic = site_root / "content" / "themen" / "mobilitaet.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    journals = []

    def killed(out_: Path, stage: Path, plan: object, inside: object = None) -> list[str]:
        journals.append(json.loads((stage / JOURNAL).read_text(encoding="utf-8")))
        # as a SIGKILL would leave it (the build's own cleanup after an exception removes its folder)
        shutil.copytree(stage, stage.with_name(stage.name + "-killed"))
        raise KeyboardInterrupt  # the build dies right after its journal, before any move

    monkeypatch.setattr(writing, "carry_out", killed)
    with pytest.raises(KeyboardInterrupt):
        build(site_root, out, today=TODAY)
    monkeypatch.undo()
    assert journals and journals[0]["manifest"] is None
    assert {rel for _, rel in journals[0]["moves"]} >= {"themen/mobilitaet/index.html"}
    assert journaled(out) and repair(site_root, out)
    assert (out / MANIFEST).read_bytes() == manifest
    assert "Ein neuer Absatz." in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")
