"""Topics: a topic exists iff content/themen/<slug>.md exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from intake.files import LOADER

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")


def known(root: Path) -> set[str]:
    """Every topic slug under root."""
    folder = root / "content" / "themen"
    return {p.stem for p in folder.glob("*.md") if SLUG.match(p.stem)} if folder.is_dir() else set()


def exists(root: Path, slug: str) -> bool:
    """Whether slug names a topic (checked before it ever becomes a path)."""
    return bool(SLUG.match(slug)) and (root / "content" / "themen" / f"{slug}.md").is_file()


def themenpate(root: Path, slug: str) -> str | None:
    """The sponsor's name from the topic's front matter, for official replies."""
    if not exists(root, slug):
        return None
    text = (root / "content" / "themen" / f"{slug}.md").read_text(encoding="utf-8")
    if not text.startswith("---"):
        return None
    head = text[3:].split("\n---", 1)[0]
    try:
        meta = yaml.load(head, Loader=LOADER)
    except yaml.YAMLError:
        return None
    pate = meta.get("themenpate") if isinstance(meta, dict) else None
    name = pate.get("name") if isinstance(pate, dict) else None
    return str(name) if name else None
