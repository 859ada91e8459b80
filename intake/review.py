"""Interactive review: one pending submission at a time, single keys to decide."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Callable, Iterator, TextIO

from intake import display, publish
from intake.config import IntakeConfig
from intake.errors import RunError
from intake.inbox import Inbox

PROMPT = "[a]pprove  [r]eject  [s]pam  [n]ext  [q]uit  > "
HELP = "a approve and publish · r reject · s mark as spam · n skip for now · q quit"


@contextlib.contextmanager
def single_keys(stream: TextIO) -> Iterator[Callable[[], str]]:
    """Read one key at a time: cbreak mode on a terminal, plain reads from a pipe or test stream."""
    if not stream.isatty():
        yield lambda: stream.read(1)
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # the default TCSAFLUSH would drop keys typed ahead
        yield lambda: os.read(fd, 1).decode("ascii", "replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def next_key(read: Callable[[], str]) -> str:
    """The next meaningful key; end of input means quit."""
    while True:
        key = read()
        if key == "":
            return "q"
        if key not in "\r\n\t ":
            return key.lower()


def review(config: IntakeConfig, inbox: Inbox, *, by: str, read: Callable[[], str], out: TextIO,
           now: Callable[[], str]) -> Counter[str]:
    """Walk the pending entries oldest first; returns how many got which decision."""
    tally: Counter[str] = Counter()
    pending = [e.key for e in inbox.entries() if e.status == "pending"]
    out.write(f"{len(pending)} pending submission(s). {HELP}\n")
    for number, key in enumerate(pending, 1):
        entry = inbox.get(key)
        if entry.status != "pending":
            continue  # decided elsewhere since we started
        out.write(f"\n── {number}/{len(pending)} " + "─" * 40 + f"\n{display.card(entry)}\n")
        while True:
            out.write(PROMPT)
            out.flush()
            key_pressed = next_key(read)
            out.write(key_pressed + "\n")
            try:
                if key_pressed == "a":
                    decision = publish.Decision(by=by, now=now(), expected="pending")
                    out.write(publish.approve(config, inbox, key, decision) + "\n")
                    tally["approved"] += 1
                elif key_pressed in ("r", "s"):
                    status = "rejected" if key_pressed == "r" else "spam"
                    decision = publish.Decision(by=by, now=now(), expected="pending")
                    out.write(publish.decline(config, inbox, key, status, decision) + "\n")
                    tally[status] += 1
                elif key_pressed == "n":
                    tally["skipped"] += 1
                elif key_pressed == "q":
                    out.write(summary(tally) + "\n")
                    return tally
                else:
                    out.write(HELP + "\n")
                    continue
            except RunError as exc:
                out.write(f"cannot do that: {exc}\n")
                if inbox.get(key).status == "pending":
                    continue  # e.g. a closed topic: the editor may still reject or skip
                tally["decided elsewhere"] += 1  # erased or decided by someone else meanwhile
            break
    out.write(summary(tally) + "\n")
    return tally


def summary(tally: Counter[str]) -> str:
    """One line of what the session decided."""
    parts = [f"{tally[k]} {k}" for k in ("approved", "rejected", "spam", "skipped", "decided elsewhere") if tally[k]]
    return "review finished: " + (", ".join(parts) if parts else "nothing decided")
