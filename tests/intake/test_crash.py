"""Exactly once under SIGKILL: `python -m intake pull` killed at random points, then rerun."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from intake_support import REPO, intake_section, make_site
from intake.inbox import Inbox
from intake_fakes import Faults, FakeNetlify, serve, submission

KILLS = 7


def test_pull_killed_at_random_points_then_rerun_leaves_every_submission_once(tmp_path: Path,
                                                                              env: dict[str, str]) -> None:
    rng = random.Random(20261126)
    subs = [submission(i) for i in range(1, 241)]
    root = tmp_path / "site"
    inbox = Inbox(root / ".inbox")
    early_deletes: list[str] = []
    backend = FakeNetlify(subs, [submission(900 + i) for i in range(5)], faults=Faults(seed=5, fail_rate=0.05),
                          on_delete=lambda sid: None if inbox.has(f"netlify-{sid}") else early_deletes.append(sid))
    expected = {f"netlify-{s['id']}" for s in subs} | {f"netlify-{submission(900 + i)['id']}" for i in range(5)}
    gen = serve(backend)
    server = next(gen)
    try:
        make_site(root, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                                "per_page": 10, "delete_after_pull": True}))
        child_env = {"PATH": os.environ.get("PATH", ""), **env}
        command = [sys.executable, "-m", "intake", "pull", "--root", str(root)]
        killed_mid_run = 0
        for _ in range(KILLS):
            trigger = threading.Event()
            target = backend.requests + rng.randint(1, 40)
            backend.on_request = lambda n, target=target, trigger=trigger: trigger.set() if n >= target else None
            child = subprocess.Popen(command, cwd=REPO, env=child_env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            while child.poll() is None and not trigger.wait(0.05):
                pass
            # a little later still, so the kill lands in parsing, writing or fsyncing as well as in waiting
            threading.Event().wait(rng.uniform(0, 0.03))
            child.send_signal(signal.SIGKILL)
            killed_mid_run += child.wait() == -signal.SIGKILL
        backend.on_request = None
        assert killed_mid_run >= KILLS - 1  # the kills really interrupted runs
        final = subprocess.run(command, cwd=REPO, env=child_env, capture_output=True, text=True, timeout=120)
    finally:
        next(gen, None)
    assert final.returncode == 0, final.stderr
    files = sorted(p.name for p in (root / ".inbox").iterdir() if p.name != ".lock")
    assert files == sorted(f"{k}.yaml" for k in expected)  # no temp files, no extras, none missing
    for name in files:
        assert yaml.safe_load((root / ".inbox" / name).read_text(encoding="utf-8"))["key"] + ".yaml" == name
    assert early_deletes == []
    assert backend.items == [] and backend.spam == []
