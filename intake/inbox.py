"""The private inbox: one YAML file per submission, named by its stable key."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

from intake import files
from intake.entry import KEY, Entry
from intake.errors import RunError


class Inbox:
    """A directory of entries; new keys are added once and never overwritten by a pull."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def ensure(self) -> None:
        """Create the inbox private to its owner (it holds e-mail and IP addresses)."""
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)

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
    def lock(self) -> Iterator[None]:
        """Hold the inbox lock; a second holder is refused, not queued."""
        self.ensure()
        fd = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunError(f"another intake run holds the lock on {self.path}; "
                               "wait for it to finish and try again") from None
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            os.close(fd)  # closing releases the flock, also when the process is killed
