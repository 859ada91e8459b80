"""What a command gets from outside the process: environment, streams, transport, sleep and clock."""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, TextIO

import httpx

from sitegen.core.contract import stamp


@dataclass(frozen=True)
class Runtime:
    """Everything from outside the process, injectable so tests need no monkeypatching."""

    env: Mapping[str, str] = field(default_factory=dict)
    # the streams when the Runtime is made, not when this module was imported (a caller may have redirected them)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time

    def now(self) -> dt.datetime:
        """The current time in UTC."""
        return dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)

    def stamp(self) -> str:
        """The current time as the UTC ISO 8601 string the files use."""
        return stamp(self.now())

    def say(self, text: str) -> None:
        """A line for the editor on stdout."""
        self.stdout.write(text + "\n")

    def warn(self, text: str) -> None:
        """A line on stderr."""
        self.stderr.write(text + "\n")
