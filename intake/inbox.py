"""The private inbox: one YAML file per submission, named by its stable key."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from pathlib import Path
from typing import Iterator

from intake import files
from intake.entry import KEY, Entry
from intake.errors import RunError


class Inbox:
    """A directory of entries; new keys are added once and never overwritten by a pull."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._held = 0  # how deep this process holds the lock (flock is per open file, not per process)

    def ensure(self) -> None:
        """Create the inbox private to its owner (it holds e-mail and IP addresses); tighten an existing one."""
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except FileExistsError:  # a file or a dangling link in its place: said below in the editor's words
            pass
        info = self.path.lstat()
        if not stat.S_ISDIR(info.st_mode):
            raise RunError(f"{self.path}: the inbox must be a folder, not a link or a file")
        if info.st_uid != os.getuid():
            raise RunError(f"{self.path}: the inbox belongs to another user; run the intake as its owner")
        if stat.S_IMODE(info.st_mode) != 0o700:
            # made by hand or by an old version: others could read e-mail and IP addresses
            os.chmod(self.path, 0o700)

    def file(self, key: str) -> Path:
        """The file for key; keys come from the network, so check them before they become paths."""
        if not KEY.match(key):
            raise RunError(f"{key!r} is not a valid inbox key")
        return self.path / f"{key}.yaml"

    def has(self, key: str) -> bool:
        """Whether an entry (or its erasure tombstone) exists."""
        return self.file(key).exists()

    def get(self, key: str) -> Entry:
        """Load one entry or fail with a clear message."""
        path = self.file(key)
        if not path.is_file():
            raise RunError(f"{key}: no such submission in {self.path}")
        return Entry.from_dict(files.read(path))

    def put(self, entry: Entry) -> None:
        """Write (or rewrite) an entry atomically."""
        self.ensure()
        files.write(self.file(entry.key), entry.to_dict())

    def add(self, entry: Entry) -> bool:
        """Store a new entry; False if the key is already there (exactly once)."""
        if self.has(entry.key):
            return False
        self.put(entry)
        return True

    def add_many(self, entries: list[Entry]) -> int:
        """Store the new ones of several entries with one flush to disk; returns how many were new."""
        new = {e.key: e for e in entries if not self.has(e.key)}  # keys checked (as paths) by has()
        if new:
            self.ensure()
            files.write_many(self.path, [(f"{key}.yaml", entry.to_dict()) for key, entry in new.items()])
        return len(new)

    def keys(self) -> list[str]:
        """Every stored key, sorted."""
        if not self.path.is_dir():
            return []
        return sorted(p.stem for p in self.path.glob("*.yaml") if not p.name.startswith(files.TEMP_PREFIX))

    def entries(self) -> Iterator[Entry]:
        """Every entry, oldest submission first."""
        loaded = [self.get(key) for key in self.keys()]
        yield from sorted(loaded, key=lambda e: (e.date, e.key))

    @contextlib.contextmanager
    def lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the one lock every writer of the inbox and content/kommentare/ takes.

        wait: seconds to wait for another holder (a decision waits for a short one); 0 refuses at once
        (a second pull is refused, not queued). Re-entrant within this Inbox object.
        """
        if self._held:
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
            return
        self.ensure()
        fd = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            take(fd, self.path, wait)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self._held = 1
            yield
        finally:
            self._held = 0
            os.close(fd)  # closing releases the flock, also when the process is killed


def take(fd: int, where: Path, wait: float) -> None:
    """flock fd, polling up to wait seconds; refuse with a clear message after that."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RunError(f"another intake run holds the lock on {where}; "
                               "wait for it to finish and try again") from None
            time.sleep(0.05)
