"""`python build.py check`: content errors, editor to-dos, links, anchors, alt texts, HTML validity."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence, TextIO

from . import Tuning, build
from .core.errors import BuildError, ThemeError
from .output.paths import WriteError
from .links import check_links
from .core.load import load, topic_todos
from .core import images
from .core.image_checks import image_warnings, kept_metadata
from .core.published_files import odd_names
from .release import release_problems
from .rootlinks import escaping_links
from .core.urls import prefix_of
from .vnu import ValidatorMissing, validate


def run_check(root: Path, today: dt.date | None = None, vnu: bool = True,
              stream: TextIO = sys.stdout, release: bool = False) -> int:
    """Build into a scratch folder and report every problem; 0 if none, else 1.

    release: also what makes the site unfit to publish (release.py); then the to-dos are errors and
    the HTML validator must be there. Without it, a missing validator is said and skipped."""
    say = functools.partial(print, file=stream)
    try:
        site = load(root, convert=lambda body: "")  # errors and to-dos only: the build converts once, below
    except BuildError as exc:
        say(exc.report())
        return 1
    blockers = release_problems(root, site.config, site.pages) + list(topic_todos(site.topics)) if release else []
    listing(say, "Editor's to-do", "facts still missing, nothing was made up", [] if release else site.todos)
    folder = Path(root) / "content" / "dateien"
    listing(say, "Warnings", "the site builds, but these should be fixed",
            odd_names(folder) + image_warnings(images.index(folder), site, kept_metadata(folder)))
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        try:
            build(root, Path(tmp), today=today, tuning=Tuning(cache=False))
        except BuildError as exc:
            say(exc.report())
            return 1
        except (ThemeError, WriteError) as exc:
            say(f"error{' in a template' if isinstance(exc, ThemeError) else ''}: {exc}")
            return 1
        prefix = prefix_of(site.config.get("base_url"))
        problems = escaping_links(Path(root), prefix) + check_links(Path(tmp), prefix)
        try:
            problems += validate(Path(tmp)) if vnu else []
        except ValidatorMissing as exc:
            if release:
                blockers.append(f"cannot validate HTML, which a release needs: {exc}")
            else:
                say(f"check: note: the HTML validator is not installed, HTML validity was not checked ({exc})")
            vnu = False
    return verdict(say, problems, blockers, "links, anchors, alt texts" + (" and HTML validity (vnu)" if vnu else ""))


def listing(say: Callable[[str], None], title: str, why: str, lines: Sequence[str]) -> None:
    """A titled list, or nothing when it is empty."""
    if lines:
        say(f"{title} ({len(lines)}: {why}):")
        for line in lines:
            say(f"  - {line}")


def verdict(say: Callable[[str], None], problems: list[str], blockers: list[str], checked: str) -> int:
    """Print what was found and return the exit code."""
    for line in problems:
        say(line)
    if blockers:
        listing(say, "Not ready to publish", "fix before deploying", blockers)
        say(f"check --release: {len(problems) + len(blockers)} problem(s); fix them before deploying.")
        return 1
    if problems:
        say(f"check: {len(problems)} problem(s) in the built site ({checked}).")
        return 1
    say(f"check: no problems found ({checked}).")
    return 0
