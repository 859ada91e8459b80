"""The receiver's waitress connection: one that leaves a running request's answer to that request's thread.

waitress's I/O loop counts a connection as writable while its out-buffer holds bytes. A request thread
puts its answer there and sends it itself, holding the buffer's lock; while its `send()` has
released the GIL, the loop sees the bytes, `select()` returns at once (the socket is writable), the
lock is taken, nothing is sent, and round it goes. Under load this spun the loop for whole GIL
switch intervals (5 ms): measured 60-140 readiness checks and 3 futile flushes per accepted post,
and runs where each post cost 3-12 ms of CPU instead of 0.7 (bench/receiver-results.md).
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from waitress.channel import HTTPChannel


class Channel(HTTPChannel):  # type: ignore[misc]  # waitress has no type hints
    """An HTTP connection whose running request flushes its own answer (the loop takes over when it ends)."""

    def writable(self) -> bool:
        """Writable for the loop unless a request thread is still at work and its answer is below the
        high-water mark (above it, that thread waits for the loop to send: then the loop must)."""
        if self.requests and not (self.will_close or self.close_when_flushed) \
                and self.total_outbufs_len < self.adj.outbuf_high_watermark:
            return False  # the thread sends what it wrote, or the loop does after it ends (service() wakes it)
        return bool(super().writable())


class OncePer(logging.Filter):
    """Lets one record through per `seconds`: waitress warns "Task queue depth is N" on every request
    while all threads are busy, which under load cost a log write per post in the I/O loop."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.seconds, self.clock, self.last = seconds, clock, float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        """True for the first record of each period."""
        now = self.clock()
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True
