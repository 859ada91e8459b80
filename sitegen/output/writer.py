"""Writing the site: only changed bytes, never outside the output folder, stale files removed.

Every output goes through a Writer: `put` writes bytes if they differ, `keep` records a file that
is known to be up to date, `adopt` moves a file that a worker process staged. `finish` removes
what the previous build wrote and this one did not, using the manifest the previous build left.
A Writer with a staging folder changes nothing in the output folder before `finish`: a build that
fails while rendering (a broken template) leaves the last good site as it was; its switch to the
new site is journalled (switch.py). Safe paths: paths.py; the manifest: manifest.py; the lock: lock.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .lock import hold, release  # noqa: F401  (they lived here: callers import them from here)
from .manifest import read_manifest, record_manifest, remove_stale
from .paths import MANIFEST, STAGING, WriteError, replace, safe_path, same, write_file  # noqa: F401
from .switch import Plan, carry_out, commit


@dataclass(frozen=True)
class Report:
    """What a write did: files written, left alone, and removed as stale; and warnings for the editor."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # things that work but should be fixed (shown, never fatal)


class Writer:
    """Collects the outputs of one build and writes only what changed."""

    def __init__(self, out: Path, before_first_write: Callable[[], None] | None = None,
                 stage: Path | None = None):
        self.out = Path(out)
        self._before = before_first_write
        self._stage = stage
        self.out.mkdir(parents=True, exist_ok=True)
        self.seen: set[str] = set()
        self.written: list[str] = []
        self.unchanged = 0
        self._inside: dict[str, bool] = {}
        self._made: set[Path] = set()
        self._moves: list[tuple[str, Path, Path]] = []  # (rel, staged file, target), done by finish

    def _claim(self, rel: str) -> None:
        if rel in self.seen:
            raise WriteError(f"two pages want the same path '{rel}'")
        self.seen.add(rel)

    def put(self, rel: str, data: bytes) -> None:
        """Write data to rel unless the file already holds exactly these bytes."""
        self._claim(rel)
        target = safe_path(self.out, rel, self._inside)
        if same(target, data):
            self.unchanged += 1
        elif self._stage:
            staged = self._stage / f"{len(self._moves)}.put"
            _stage(staged, data)
            self._moves.append((rel, staged, target))
        else:
            self._touch()
            replace(target, data)
            self.written.append(rel)

    @property
    def stage(self) -> Path | None:
        """The staging folder (None: files are written in place at once)."""
        return self._stage

    def keep(self, rel: str) -> None:
        """Record a file that is up to date without rendering it again (nothing is written: no path check)."""
        self._claim(rel)
        self.unchanged += 1

    def placed(self, rel: str) -> None:
        """Record a file a worker wrote in place, into an output folder this build made (the
        worker checked its path with safe_path before writing)."""
        self._claim(rel)
        self._touch()
        self.written.append(rel)

    def adopt(self, rel: str, staged: Path | None) -> None:
        """Move a staged file into place (None: the worker found the bytes unchanged)."""
        self._claim(rel)
        target = safe_path(self.out, rel, self._inside)
        if staged is None:
            self.unchanged += 1
        else:
            self._moves.append((rel, staged, target))
            if not self._stage:
                self._move()

    def _touch(self) -> None:
        """Run the before-first-write hook once."""
        if self._before:
            self._before()
            self._before = None

    def _folder(self, folder: Path) -> None:
        """Create a folder once per build, not once per file."""
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def _move(self) -> None:
        """Put the staged files in place (renames within one file system: each is atomic)."""
        for rel, staged, target in self._moves:
            self._touch()
            self._folder(target.parent)
            os.replace(staged, target)
            self.written.append(rel)
        self._moves.clear()

    def finish(self) -> Report:
        """Move the staged files into place, remove stale files of the previous build, record the manifest.
        With a staging folder, through a journal: a kill at any instant is completed by the next build."""
        before = read_manifest(self.out)
        if self._stage:
            return self._switch(before)
        if self._moves and not self.seen <= before:  # killed while moving, the next build must still
            record_manifest(self.out, before | self.seen)  # know every file this one made
        self._move()
        removed = remove_stale(self.out, before - self.seen, self._touch)
        record_manifest(self.out, self.seen)
        return Report(tuple(sorted(self.written)), self.unchanged, tuple(removed))

    def _switch(self, before: set[str]) -> Report:
        """Journal the switch, then carry it out (see switch.py)."""
        assert self._stage is not None
        stale = tuple(rel for rel in sorted(before - self.seen) if os.path.isfile(self.out / rel))
        if not self._moves and not stale:
            record_manifest(self.out, self.seen)
            return Report((), self.unchanged, ())
        self._touch()  # the cache goes before the journal: after a kill it must not vouch for old pages
        moves = tuple((os.path.relpath(staged, self._stage), rel) for rel, staged, _ in self._moves)
        plan = Plan(moves, stale, tuple(sorted(self.seen)))
        commit(self._stage, plan)  # from here on, a kill is completed by the next build (not undone)
        if self._moves and not self.seen <= before:  # and a build that cannot complete it still removes
            record_manifest(self.out, before | self.seen)  # every page this one may have put in place
        removed = carry_out(self.out, self._stage, plan, self._inside)
        self.written += [rel for _, rel in moves]
        self._moves.clear()
        return Report(tuple(sorted(self.written)), self.unchanged, tuple(removed))


def stage_all(out: Path, stage: Path, files: Iterable[tuple[str, bytes]], prefix: str) -> list[tuple[str, str | None]]:
    """Stage files as Writer.put does, in another process (see fork.py): each one's path, and the
    name of its staged file in stage, or None where out holds these bytes already; for Writer.adopt.
    prefix: the staged names' own, so they meet no other process's."""
    inside: dict[str, bool] = {}
    staged: list[tuple[str, str | None]] = []
    for n, (rel, data) in enumerate(files):
        if same(safe_path(out, rel, inside), data):
            staged.append((rel, None))
        else:
            _stage(stage / f"{prefix}{n}.put", data)
            staged.append((rel, f"{prefix}{n}.put"))
    return staged


def _stage(staged: Path, data: bytes) -> None:
    write_file(staged, data)
    os.chmod(staged, 0o644)  # as a page written in place would be


def write(files: Iterable[tuple[str, bytes]], out: Path) -> Report:
    """Write every file whose bytes differ, then remove files a previous build wrote but this one did not."""
    writer = Writer(out)
    for rel, data in files:
        writer.put(rel, data)
    return writer.finish()


def new_folder(out: Path) -> bool:
    """Create out for this build alone: True if it did not exist (made here, atomically), else False."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(out)
    except FileExistsError:
        return False
    return True


def staging(out: Path) -> Path:
    """A folder of this build's own where worker processes put changed pages until everything has validated."""
    Path(out).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING + "-", dir=out))


def discard_staging(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)




