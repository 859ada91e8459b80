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
from typing import Any, Callable


def can_fork() -> bool:
    return hasattr(os, "fork")


def in_child(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start work in a forked child; the function returned waits for it and gives work's result
    (marshalled on the way), or None if the child failed. Call it exactly once, also after errors:
    the child may still be writing files."""
    read_end, write_end = os.pipe()
    gc.freeze()  # the child's collector leaves the parent's objects alone, and so their pages shared
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid == 0:  # the child: its result into the pipe, then gone without any cleanup
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(marshal.dumps(work()))
            status = 0
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)

    def result() -> Any:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    return result
