"""Writing the site: only changed bytes, never outside the output folder, stale files removed.

Every output goes through a Writer: `put` writes bytes if they differ, `keep` records a file that
is known to be up to date, `adopt` moves a file that a worker process staged. `finish` removes
what the previous build wrote and this one did not, using the manifest the previous build left.
A Writer with a staging folder changes nothing in the output folder before `finish`: a build that
fails while rendering (a broken template) leaves the last good site as it was; its switch to the
new site is journalled (switch.py). Safe paths: paths.py; the manifest: manifest.py; the lock: lock.py;
staging folders: staging.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .manifest import read_manifest, record_manifest, remove_stale
from .paths import WriteError, replace, safe_path, same, same_file
from .staging import stage_file
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
            stage_file(staged, data)
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

    def put_file(self, rel: str, staged: Path) -> None:
        """As put, for bytes too many to hold that were written to a file in the staging folder."""
        if same_file(safe_path(self.out, rel, self._inside), staged):
            self.adopt(rel, None)
        else:
            os.chmod(staged, 0o644)  # as a page written in place would be
            self.adopt(rel, staged)

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
        # without staging, put and adopt wrote each file at once: nothing is left to move
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
        plan = Plan(moves, stale, tuple(sorted(self.seen)) if self.seen != before else None)
        commit(self._stage, plan)  # from here on, a kill is completed by the next build (not undone)
        if self._moves and not self.seen <= before:  # and a build that cannot complete it still removes
            record_manifest(self.out, before | self.seen)  # every page this one may have put in place
        removed = carry_out(self.out, self._stage, plan, self._inside)
        self.written += [rel for _, rel in moves]
        self._moves.clear()
        return Report(tuple(sorted(self.written)), self.unchanged, tuple(removed))


def write(files: Iterable[tuple[str, bytes]], out: Path) -> Report:
    """Write every file whose bytes differ, then remove files a previous build wrote but this one did not."""
    writer = Writer(out)
    for rel, data in files:
        writer.put(rel, data)
    return writer.finish()
