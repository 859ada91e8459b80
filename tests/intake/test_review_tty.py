"""`review` on a real terminal: single keys without Enter (cbreak mode through a pty)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from intake_support import REPO, Cli
from intake_fakes import FakeNetlify, mock_transport, submission


def test_review_reads_single_keys_from_a_terminal(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1), submission(2)]))
    assert cli("pull").code == 0
    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "intake", "review", "--root", str(cli.root), "--by", "Tty"],
                             cwd=REPO, env={"PATH": os.environ.get("PATH", ""), **cli.env}, stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(slave)
    seen = ""
    for key in (b"a", b"s"):  # no Enter: cbreak mode hands over each key as it is pressed
        while not seen.endswith("> "):
            char = child.stdout.read(1)
            assert char, "review ended before asking"
            seen += char
        os.write(master, key)
        seen = ""
    out, err = child.communicate(timeout=60)
    os.close(master)
    assert child.returncode == 0, err
    assert "review finished: 1 approved, 1 spam" in out
    statuses = sorted(e["status"] for e in cli.entries().values())
    assert statuses == ["approved", "spam"]
