"""What tells a file changed without reading it: its signature (kept apart so that a process can
look at files before it imports the rest of the site's code)."""

from __future__ import annotations

import os

Signature = tuple[int, int, int]


def signature(st: os.stat_result) -> Signature:
    """A file's modification time, size and inode."""
    return st.st_mtime_ns, st.st_size, st.st_ino
