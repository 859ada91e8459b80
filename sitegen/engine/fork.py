"""Sharing work with a forked child process, for the parts of a build that one core does alone.

A build in a fresh process leaves a core idle whenever it works on its own: listing thousands of
comment folders before the workers start, making the other pages after they end. A forked child
has everything the parent has read, without pickling; it does a share of the work and sends back
a small marshalled result. A child that fails in any way (an error, killed, out of memory) costs
only time: the caller does its share itself, and so raises any error with its usual message.

Only a process without threads forks (not the preview server): a thread may hold a lock the
child would wait for forever.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import threading
from typing import Any, Callable


def can_fork() -> bool:
    """True in a process that gains from a child: a single thread (see above), more than one core."""
    return hasattr(os, "fork") and threading.active_count() == 1 and _cores() > 1


def _cores() -> int:
    """The cores this process may run on (macOS has no affinity call: there, the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def in_child(work: Callable[[], Any]) -> "Child":
    """Start work in a forked child. Calling the Child returned waits for it and gives work's result
    (marshalled on the way), or None if the child failed or could not be started (so work must
    not return None). Call it or cancel it exactly once, also after errors: the child may still
    write files."""
    read_end, write_end = os.pipe()
    own_freeze = gc.get_freeze_count() == 0  # a freeze of the caller's own stays as it is
    if own_freeze:
        gc.freeze()  # the child's collector leaves the parent's objects alone: their memory stays shared
    try:
        pid = os.fork()
    except BaseException as exc:
        pid = -1
        failure = exc
    if pid == 0:  # the child: its result into the pipe, then gone without any cleanup
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(marshal.dumps(work()))
            status = 0
        finally:
            os._exit(status)
    if own_freeze:
        gc.unfreeze()
    os.close(write_end)
    if pid < 0:  # no process to be had (a process limit, memory): the caller does the work
        os.close(read_end)
        if not isinstance(failure, OSError):
            raise failure
        return Child(-1, -1)
    return Child(pid, read_end)


class Child:
    """A forked child's result to come (see in_child)."""

    def __init__(self, pid: int, read_end: int):
        self.pid, self.read_end = pid, read_end  # -1, -1: no child was started

    def __call__(self) -> Any:
        """Wait for the child; its result, or None if it failed (or there was none)."""
        if self.pid < 0:
            return None
        read_end, self.read_end = self.read_end, -1  # closed by the reading below, whatever happens
        try:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
        except BaseException:  # interrupted (Ctrl-C): the child is not left behind
            self.cancel()
            raise
        _, status = os.waitpid(self.pid, 0)
        self.pid = -1
        if status != 0:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def cancel(self) -> None:
        """Stop the child at once, its result unwanted (nothing if it was waited for already). Only for
        work that writes no file: a killed child leaves what it wrote half done."""
        if self.pid < 0:
            return
        os.kill(self.pid, signal.SIGKILL)
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1
        os.waitpid(self.pid, 0)
        self.pid = -1
