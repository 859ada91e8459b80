"""Topics: a topic exists iff content/themen/<slug>.md exists; its front matter says if it takes comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake.errors import RunError
from sitegen.core.contract import SLUG
from sitegen.core.source import SourceError, read_markdown


def known(root: Path) -> set[str]:
    """Every topic slug under root."""
    folder = root / "content" / "themen"
    return {p.stem for p in folder.glob("*.md") if SLUG.match(p.stem)} if folder.is_dir() else set()


def exists(root: Path, slug: str) -> bool:
    """Whether slug names a topic (checked before it ever becomes a path)."""
    return bool(SLUG.match(slug)) and (root / "content" / "themen" / f"{slug}.md").is_file()


def meta(root: Path, slug: str) -> dict[str, Any]:
    """The topic's front matter, read as the build reads it; a broken file is an error, not a guess."""
    if not exists(root, slug):
        raise RunError(f"topic {slug!r} does not exist (content/themen/{slug}.md)")
    path = root / "content" / "themen" / f"{slug}.md"
    try:
        return read_markdown(path).data
    except (SourceError, OSError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", 1)
        raise RunError(f"content/themen/{slug}.md:{line}: cannot read the topic: {exc}") from None


def open_for_comments(root: Path, slug: str) -> None:
    """Refuse a comment for a topic that is a draft or whose discussion is closed."""
    data = meta(root, slug)
    if data.get("draft") is True:
        raise RunError(f"topic {slug!r} is a draft (draft: true); publish the topic first, or reject")
    if data.get("comments") == "closed":
        raise RunError(f"topic {slug!r} has `comments: closed`; open the discussion first, or reject")


def themenpate(root: Path, slug: str) -> str | None:
    """The sponsor's name from the topic's front matter, for official replies."""
    try:
        pate = meta(root, slug).get("themenpate")
    except RunError:
        return None
    name = pate.get("name") if isinstance(pate, dict) else None
    return str(name) if name else None
