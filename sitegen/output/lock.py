"""The build lock: one build at a time into an output folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def hold(lock: Path, waiting: Callable[[], None] | None = None) -> int | None:
    """Take the lock file of an output folder: a second build into the same folder waits for the
    first to end. It lives outside the folder, so deleting the folder does not end it. None where
    locks are not to be had (no flock, a read-only cache folder, a network file system without
    locks): the build goes ahead as before, and leaves other builds' staging folders alone.
    waiting is called when another build holds the lock, before waiting for it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)  # writable: NFS emulates flock with fcntl locks
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another build has it: say so, then wait
            if waiting:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def release(held: int | None) -> None:
    if held is not None:
        os.close(held)  # closing the descriptor ends the lock
