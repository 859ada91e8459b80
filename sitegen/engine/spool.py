"""What the workers hand back for the other pages, kept on disk until those pages are made.

A worker that reads a topic also turns what the start page, the lists, the feeds and the open
data need of it into bytes: its card, pickled, and its comments as open-data JSON. They arrive
in any order while the workers run; the other pages need them afterwards, topic by topic. At
10k topics that is 20 MB this process need not hold while the workers hold theirs. The file
lives in the build's staging folder and goes with it.
"""

from __future__ import annotations

import os
from pathlib import Path


class Spool:
    """Byte strings per topic slug, appended to one file and read back by slug.

    Positioned reads and writes on the bare descriptor: a buffered file flushes on every seek,
    two system calls per topic where one will do."""

    def __init__(self, folder: Path):
        self._fd = os.open(folder / "spool", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        self._end = 0
        self._at: dict[str, tuple[int, tuple[int, ...]]] = {}

    def put(self, slug: str, *parts: bytes) -> None:
        data = b"".join(parts)
        written = 0
        while written < len(data):  # a write may take less than asked; a full disk raises
            written += os.pwrite(self._fd, memoryview(data)[written:], self._end + written)
        self._at[slug] = (self._end, tuple(len(p) for p in parts))
        self._end += len(data)

    def get(self, slug: str) -> tuple[bytes, ...] | None:
        """The parts put for slug, or None."""
        where = self._at.get(slug)
        if where is None:
            return None
        start, lengths = where
        data = os.pread(self._fd, sum(lengths), start)
        if len(data) != sum(lengths):  # only a file changed under us reads short
            raise OSError(f"the build's spool file lost data at {start}")
        parts, at = [], 0
        for length in lengths:
            parts.append(data[at:at + length])
            at += length
        return tuple(parts)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
