"""`python build.py check`: content errors, editor to-dos, links, anchors, alt texts, HTML validity."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from . import build
from .errors import BuildError, ThemeError
from .write import WriteError
from .links import check_links
from .load import load
from .media import odd_names
from .vnu import ValidatorMissing, validate


def run_check(root: Path, today: dt.date | None = None, vnu: bool = True,
              stream: TextIO = sys.stdout) -> int:
    """Build into a scratch folder and report every problem; 0 if none, 1 otherwise, 2 if vnu is missing."""
    try:
        site = load(root, convert=lambda body: "")  # errors and to-dos only: the build converts once, below
    except BuildError as exc:
        print(exc.report(), file=stream)
        return 1
    if site.todos:
        print(f"Editor's to-do ({len(site.todos)}: facts still missing, nothing was made up):", file=stream)
        for line in site.todos:
            print(f"  - {line}", file=stream)
    warnings = odd_names(Path(root) / "content" / "dateien")
    if warnings:
        print(f"Warnings ({len(warnings)}: the site builds, but these should be fixed):", file=stream)
        for line in warnings:
            print(f"  - {line}", file=stream)
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        try:
            build(root, Path(tmp), today=today, use_cache=False)
        except BuildError as exc:
            print(exc.report(), file=stream)
            return 1
        except (ThemeError, WriteError) as exc:
            print(f"error{' in a template' if isinstance(exc, ThemeError) else ''}: {exc}", file=stream)
            return 1
        problems = check_links(Path(tmp))
        try:
            problems += validate(Path(tmp)) if vnu else []
        except ValidatorMissing as exc:
            print(f"check: cannot validate HTML: {exc}", file=stream)
            return 2
    for line in problems:
        print(line, file=stream)
    checked = "links, anchors, alt texts" + (" and HTML validity (vnu)" if vnu else "")
    if problems:
        print(f"check: {len(problems)} problem(s) in the built site ({checked}).", file=stream)
        return 1
    print(f"check: no problems found ({checked}).", file=stream)
    return 0
