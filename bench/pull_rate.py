"""Measure how many submissions per second `python -m intake pull` stores from a local Netlify-like server.

Usage: python bench/pull_rate.py [--count N] [--per-page N] [--faults]
Every entry is fsynced (file and directory) before the next, so the disk sets the pace more than the network.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "intake")]

from intake_support import intake_section, make_site  # noqa: E402
from intake.cli import main  # noqa: E402
from intake.runtime import Runtime  # noqa: E402
from intake_fakes import TOKEN, Faults, FakeNetlify, serve, submission  # noqa: E402


def run(count: int, per_page: int, faults: Faults) -> tuple[float, str]:
    """One pull into a fresh site; returns (seconds, the pull's summary line)."""
    backend = FakeNetlify([submission(i) for i in range(1, count + 1)], faults=faults)
    gen = serve(backend)
    server = next(gen)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_site(Path(tmp) / "site", intake_section(
                netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1", "per_page": per_page,
                         "include_spam": False},
                http={"timeout": 5, "retries": 10, "backoff_base": 0.01, "backoff_max": 0.1}))
            out, err = io.StringIO(), io.StringIO()
            runtime = Runtime(env={"NETLIFY_AUTH_TOKEN": TOKEN, "INTAKE_HASH_KEY": "bench"}, stdout=out, stderr=err,
                              sleep=lambda s: time.sleep(min(s, 0.1)))
            start = time.perf_counter()
            code = main(["pull", "--root", str(root)], runtime)
            seconds = time.perf_counter() - start
            stored = len(list((root / ".inbox").glob("*.yaml")))
            if code != 0 or stored != count:
                raise SystemExit(f"pull failed (exit {code}, {stored}/{count} stored): {err.getvalue()}")
            return seconds, out.getvalue().strip()
    finally:
        next(gen, None)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--faults", action="store_true", help="15%% failures and every 7th request rate limited")
    args = parser.parse_args()
    faults = Faults(seed=1, fail_rate=0.15, rate_limit_every=7, reset_header="x-ratelimit-reset") if args.faults \
        else Faults()
    seconds, summary = run(args.count, args.per_page, faults)
    print(summary)
    print(f"{args.count} submissions in {seconds:.2f} s: {args.count / seconds:.0f} submissions/s "
          f"(per_page {args.per_page}{', with faults' if args.faults else ''})")


if __name__ == "__main__":
    main_bench()
