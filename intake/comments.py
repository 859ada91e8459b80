"""The approved comment files under content/kommentare/<topic>/<id>.yaml: find, write, remove, nest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake import files
from intake.errors import RunError
from sitegen.core.contract import COMMENT_ID, MAX_DEPTH, SLUG, comment_yaml
from sitegen.core.source import SourceError, read_yaml


def read(path: Path) -> dict[str, Any]:
    """A published comment as the build reads it (an editor may have changed it by hand)."""
    try:
        data = read_yaml(path).data
    except SourceError as exc:
        raise RunError(f"{path}:{exc.line}: {exc.message}") from None
    return data


def comment_file(root: Path, topic: str, cid: str) -> Path | None:
    """content/kommentare/<topic>/<id>.yaml, or None when either part is not a safe name."""
    if not SLUG.match(topic) or not COMMENT_ID.match(cid):
        return None
    return root / "content" / "kommentare" / topic / f"{cid}.yaml"


def find(root: Path, cid: str) -> Path | None:
    """The published comment with this id in any topic."""
    if not COMMENT_ID.match(cid):
        return None
    hits = sorted((root / "content" / "kommentare").glob(f"*/{cid}.yaml"))
    return hits[0] if hits else None


def depth(root: Path, topic: str, cid: str) -> int:
    """How deep a published comment sits (1 = top level); fails on a missing or looping chain."""
    level, seen = 0, set()
    current: str | None = cid
    while current:
        path = comment_file(root, topic, current)
        if path is None or not path.is_file() or current in seen:
            raise RunError(f"comment {current} is not published in topic {topic}")
        seen.add(current)
        level += 1
        current = read(path).get("parent")
    return level


def children(root: Path, topic: str, cid: str) -> list[Path]:
    """Published replies directly under a comment."""
    folder = root / "content" / "kommentare" / topic
    return [p for p in sorted(folder.glob("*.yaml")) if read(p).get("parent") == cid]


def detach(root: Path, topic: str, cid: str) -> list[str]:
    """Move replies up to the removed comment's parent, so other people's comments survive."""
    path = comment_file(root, topic, cid)
    parent = read(path).get("parent") if path and path.is_file() else None
    moved = []
    for child in children(root, topic, cid):
        data = read(child)
        data["parent"] = parent
        files.write(child, data)
        moved.append(str(data.get("id")))
    return moved


def unpublish(path: Path) -> bool:
    """Remove a published comment file; False when it was not there."""
    return files.remove(path)


def withdraw(root: Path, topic: str, cid: str, replies_first: str) -> str:
    """Take a comment off the site if it is published (whatever the inbox says: an approve may have
    failed halfway), refusing while replies hang under it; the note for the editor ("" if it was not
    published). replies_first: what the refusal tells the editor to do with the replies."""
    path = comment_file(root, topic, cid)
    if path is None or not path.is_file():
        return ""
    replies = children(root, topic, cid)
    if replies:
        raise RunError(f"{cid}: has {len(replies)} published replies ({', '.join(p.stem for p in replies)}); "
                       f"{replies_first}")
    unpublish(path)
    return f" (removed {path.relative_to(root)})"


def write_comment(root: Path, data: dict[str, Any]) -> Path:
    """Write one approved comment as the contract says: its fields, in order, dates as stamps."""
    path = comment_file(root, data["topic"], data["id"])
    if path is None:
        raise RunError(f"refusing to publish under unsafe name {data['topic']!r}/{data['id']!r}")
    files.write_text(path, comment_yaml(data))
    return path


def check_parent(root: Path, topic: str, parent: str | None) -> None:
    """A reply needs a published parent in the same topic, and may nest at most MAX_DEPTH deep."""
    if parent and depth(root, topic, parent) >= MAX_DEPTH:
        raise RunError(f"replies nest at most {MAX_DEPTH} deep; {parent} is already at depth {MAX_DEPTH}")
