"""Where a fresh `build.py` process spends its time after one topic was edited: phase by phase.

    python bench/fresh_edit.py SITE --out OUT [--runs 5]

SITE must have been built into OUT before (a warm cache). Each run appends a sentence to the first
topic, waits out the racy window (so the edit is found by its signature, as an editor's would be),
and builds in a new Python process that times the build's phases by wrapping the functions that
make them (the build itself is the real one, and starts listing the comment folders before its
imports, as build.py does). The interpreter's start and the imports are timed apart. Prints a table
of medians (seconds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from sitegen.engine.lookahead import look_ahead
ahead = look_ahead(Path(sys.argv[2]) / "content")  # as build.py starts it: before the imports
import sitegen
from sitegen import pipeline
from sitegen.engine import cache, topics, run
t_import = time.perf_counter() - t0
spent = {}
def add(label, start):
    spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
def timed(owner, name, label):
    real = getattr(owner, name)
    def wrapper(*a, **k):
        start = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            add(label, start)
    def generator(*a, **k):  # a generator's work happens while it is iterated
        items = iter(real(*a, **k))
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                add(label, start)
                return
            add(label, start)
            yield item
    setattr(owner, name, generator if name == "run" else wrapper)
timed(pipeline, "load_shared", "shared: theme, site.yaml, events, pages, renderer (incl. cache load)")
timed(cache.Cache, "load", "  of which: cache load")
timed(topics, "scan", "scan: stat topic files and pages, collect the comment listings")
timed(topics, "plan", "plan: compare each topic's inputs")
timed(topics, "run", "workers: read, convert, render the changed topic")
timed(pipeline, "check_across_files", "check across files")
timed(pipeline, "render_other_pages", "other pages (key, files in editors' folder)")
timed(run.BuildRun, "commit", "commit: switch, manifest, cache save")
timed(cache.Cache, "save", "  of which: cache save")
from pathlib import Path
import datetime as dt
start = time.perf_counter()
report = sitegen.build(Path(sys.argv[2]), Path(sys.argv[3]), today=dt.date(2026, 6, 1),
                       tuning=sitegen.Tuning(lookahead=ahead))
spent["build() in all"] = time.perf_counter() - start
spent["start the listing, import sitegen"] = t_import
print(json.dumps({"spent": spent, "written": list(report.written)}))
"""


def one_run(site: Path, out: Path, topic: Path, n: int) -> dict[str, float]:
    with open(topic, "a", encoding="utf-8") as f:
        f.write(f"\nEin Satz mehr ({n}).\n")
    time.sleep(2.1)  # out of the racy window of the last build
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), str(site), str(out)],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["written"]) == 1, result["written"]
    return {**result["spent"], "process, wall (start to exit)": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    topic = sorted((args.site / "content" / "themen").glob("*.md"))[0]
    runs = [one_run(args.site, args.out, topic, n) for n in range(args.runs)]
    print(f"| phase | median s (of {args.runs}) |\n| --- | ---: |")
    for label in runs[0]:
        print(f"| {label} | {statistics.median(r[label] for r in runs):.3f} |")


if __name__ == "__main__":
    main()
