"""`review` on a real terminal: single keys without Enter (cbreak mode through a pty)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from intake_support import REPO, Cli
from intake_fakes import FakeNetlify, mock_transport, submission


def read_prompt(fd: int, seconds: float = 60) -> str:
    """Read until the '> ' prompt; the deadline only bounds a hang (a child waiting for input unasked)."""
    seen, deadline = b"", time.monotonic() + seconds
    while not seen.endswith(b"> "):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"no prompt within {seconds} s; so far: {seen!r}"
        char = os.read(fd, 1)
        assert char, "review ended before asking"
        seen += char
    return seen.decode("utf-8", "replace")


def test_review_reads_single_keys_from_a_terminal(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1), submission(2)]))
    assert cli("pull").code == 0
    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "intake", "review", "--root", str(cli.root), "--by", "Tty"],
                             cwd=REPO, env={"PATH": os.environ.get("PATH", ""), **cli.env}, stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(slave)
    try:
        for key in (b"a", b"s"):  # no Enter: cbreak mode hands over each key as it is pressed
            read_prompt(child.stdout.fileno())
            os.write(master, key)
        raw_out, raw_err = child.communicate(timeout=60)
    finally:
        child.kill()  # a no-op once it has ended
        child.wait(10)
        os.close(master)
    out, err = raw_out.decode("utf-8"), raw_err.decode("utf-8")
    assert child.returncode == 0, err
    assert "review finished: 1 approved, 1 spam" in out
    statuses = sorted(e["status"] for e in cli.entries().values())
    assert statuses == ["approved", "spam"]
