"""What the workers hand back for the other pages, kept on disk until those pages are made.

A worker that reads a topic also turns what the start page, the lists, the feeds and the open
data need of it into bytes: its card, pickled, and its comments as open-data JSON. They arrive
in any order while the workers run; the other pages need them afterwards, topic by topic. At
10k topics that is 20 MB this process need not hold while the workers hold theirs. The file
lives in the build's staging folder and goes with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO


class Spool:
    """Byte strings per topic slug, appended to one file and read back by slug."""

    def __init__(self, folder: Path):
        self._file: BinaryIO = open(folder / "spool", "w+b")  # noqa: SIM115 - closed by close()
        self._end = 0
        self._at: dict[str, tuple[int, tuple[int, ...]]] = {}

    def put(self, slug: str, *parts: bytes) -> None:
        self._file.seek(self._end)
        data = b"".join(parts)
        self._file.write(data)
        self._at[slug] = (self._end, tuple(len(p) for p in parts))
        self._end += len(data)

    def get(self, slug: str) -> tuple[bytes, ...] | None:
        """The parts put for slug, or None."""
        where = self._at.get(slug)
        if where is None:
            return None
        start, lengths = where
        self._file.seek(start)
        data = self._file.read(sum(lengths))
        parts, at = [], 0
        for length in lengths:
            parts.append(data[at:at + length])
            at += length
        return tuple(parts)

    def close(self) -> None:
        self._file.close()
