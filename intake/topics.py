"""Topics: a topic exists iff content/themen/<slug>.md exists; its front matter says if it takes comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from intake.errors import RunError
from sitegen.core import window
from sitegen.core.contract import SLUG
from sitegen.core.source import Source, SourceError, read_markdown


def known(root: Path) -> set[str]:
    """Every topic slug under root."""
    folder = root / "content" / "themen"
    return {p.stem for p in folder.glob("*.md") if SLUG.match(p.stem)} if folder.is_dir() else set()


def exists(root: Path, slug: str) -> bool:
    """Whether slug names a topic (checked before it ever becomes a path)."""
    return bool(SLUG.match(slug)) and (root / "content" / "themen" / f"{slug}.md").is_file()


def source(root: Path, slug: str) -> Source:
    """The topic's front matter with its lines, read as the build reads it; a broken file is an error, not a guess."""
    if not exists(root, slug):
        raise RunError(f"topic {slug!r} does not exist (content/themen/{slug}.md)")
    path = root / "content" / "themen" / f"{slug}.md"
    try:
        return read_markdown(path)
    except (SourceError, OSError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", 1)
        raise RunError(f"content/themen/{slug}.md:{line}: cannot read the topic: {exc}") from None


def meta(root: Path, slug: str) -> dict[str, Any]:
    """The topic's front matter (see source)."""
    return source(root, slug).data


def open_for_comments(root: Path, slug: str, now: dt.datetime, force: bool = False) -> None:
    """Refuse a comment for a topic that is a draft, whose discussion is closed, or (unless forced)
    whose participation window ended before now."""
    src = source(root, slug)
    if src.data.get("draft") is True:
        raise RunError(f"topic {slug!r} is a draft (draft: true); publish the topic first, or reject")
    if src.data.get("comments") == "closed":
        raise RunError(f"topic {slug!r} has `comments: closed`; open the discussion first, or reject")
    _window(src, slug, now, force)


def window_open(root: Path, slug: str, now: dt.datetime, force: bool = False) -> None:
    """Refuse a comment after the topic's comments_until (a Berlin date, parsed as the build parses it)."""
    _window(source(root, slug), slug, now, force)


def _window(src: Source, slug: str, now: dt.datetime, force: bool) -> None:
    """Raise if the window in src ended before now (a broken date is an error with its line)."""
    try:
        last_day = window.until(src.data.get("comments_until"))
    except ValueError as exc:
        line = src.lines.get(("comments_until",), 1)
        raise RunError(f"content/themen/{slug}.md:{line}: {exc}") from None
    if force or window.state(last_day, window.berlin_today(now)) != window.CLOSED:
        return
    assert last_day is not None
    raise RunError(f"topic {slug!r}: its participation window ended on {last_day.isoformat()} (comments_until); "
                   "reject, or pass --force to publish anyway (e.g. an official reply)")


def themenpate(root: Path, slug: str) -> str | None:
    """The sponsor's name from the topic's front matter, for official replies."""
    try:
        pate = meta(root, slug).get("themenpate")
    except RunError:
        return None
    name = pate.get("name") if isinstance(pate, dict) else None
    return str(name) if name else None
