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
from .load import load, topic_todos
from .media import odd_names
from .release import release_problems
from .rootlinks import escaping_links
from .urls import prefix_of
from .vnu import ValidatorMissing, validate


def run_check(root: Path, today: dt.date | None = None, vnu: bool = True,
              stream: TextIO = sys.stdout, release: bool = False) -> int:
    """Build into a scratch folder and report every problem; 0 if none, else 1.

    release: also what makes the site unfit to publish (release.py); then the to-dos are errors and
    the HTML validator must be there. Without it, a missing validator is said and skipped."""
    try:
        site = load(root, convert=lambda body: "")  # errors and to-dos only: the build converts once, below
    except BuildError as exc:
        print(exc.report(), file=stream)
        return 1
    blockers = release_problems(root, site.config, site.pages) + list(topic_todos(site.topics)) if release else []
    if site.todos and not release:
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
        prefix = prefix_of(site.config.get("base_url"))
        problems = escaping_links(Path(root), prefix) + check_links(Path(tmp), prefix)
        try:
            problems += validate(Path(tmp)) if vnu else []
        except ValidatorMissing as exc:
            if release:
                blockers.append(f"cannot validate HTML, which a release needs: {exc}")
            else:
                print(f"check: note: the HTML validator is not installed, HTML validity was not checked ({exc})",
                      file=stream)
            vnu = False
    for line in problems:
        print(line, file=stream)
    checked = "links, anchors, alt texts" + (" and HTML validity (vnu)" if vnu else "")
    if blockers:
        print(f"Not ready to publish ({len(blockers)}):", file=stream)
        for line in blockers:
            print(f"  - {line}", file=stream)
        print(f"check --release: {len(problems) + len(blockers)} problem(s); fix them before deploying.",
              file=stream)
        return 1
    if problems:
        print(f"check: {len(problems)} problem(s) in the built site ({checked}).", file=stream)
        return 1
    print(f"check: no problems found ({checked}).", file=stream)
    return 0
