"""`python bench/preview_edit.py SITE OUT [--edits 5]`: one topic edited, as the preview server sees it.

The preview server is a running process: it has imported sitegen, holds the cache in memory and
is told by its file watcher which file changed. This script does the same (a sitegen Session),
then edits one topic's body several times and times each rebuild from the save to the page on
disk. It prints one JSON line: {"times": [...], "written": [...]} for bench/run.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import build  # noqa: E402
from sitegen.engine.session import Session  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 6, 1))
    args = parser.parse_args(argv)
    session = Session()
    build(args.site, args.out, today=args.today, session=session)  # the server's first build
    topics = sorted((args.site / "content" / "themen").glob("*.md"))
    topic = topics[len(topics) // 3]
    original = topic.read_text(encoding="utf-8")
    times, written = [], []
    try:
        for n in range(args.edits):
            topic.write_text(original + f"\nVorschau-Änderung {n + 1}.\n", encoding="utf-8")
            session.note(str(topic))  # what the watcher reports
            start = time.perf_counter()
            report = build(args.site, args.out, today=args.today, session=session)
            times.append(time.perf_counter() - start)
            written.append(len(report.written))
    finally:
        topic.write_text(original, encoding="utf-8")
        session.note(str(topic))
        build(args.site, args.out, today=args.today, session=session)
    print(json.dumps({"times": times, "written": written}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
