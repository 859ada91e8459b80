"""Moderation decisions and the approved comment files under content/kommentare/."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from intake import files, topics
from intake.config import IntakeConfig
from intake.entry import KEY, Entry
from intake.errors import RunError
from intake.inbox import Inbox
from intake.validate import controls

MAX_DEPTH = 3
OFFICIAL = ("stadt", "themenpate")


def comment_file(root: Path, topic: str, cid: str) -> Path | None:
    """content/kommentare/<topic>/<id>.yaml, or None when either part is not a safe name."""
    if not topics.SLUG.match(topic) or not KEY.match(cid):
        return None
    return root / "content" / "kommentare" / topic / f"{cid}.yaml"


def find(root: Path, cid: str) -> Path | None:
    """The published comment with this id in any topic."""
    if not KEY.match(cid):
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
        current = (files.read(path) or {}).get("parent")
    return level


def children(root: Path, topic: str, cid: str) -> list[Path]:
    """Published replies directly under a comment."""
    folder = root / "content" / "kommentare" / topic
    return [p for p in sorted(folder.glob("*.yaml")) if (files.read(p) or {}).get("parent") == cid]


def detach(root: Path, topic: str, cid: str, now: str) -> list[str]:
    """Move replies up to the removed comment's parent, so other people's comments survive."""
    path = comment_file(root, topic, cid)
    parent = (files.read(path) or {}).get("parent") if path and path.is_file() else None
    moved = []
    for child in children(root, topic, cid):
        data = files.read(child)
        data["parent"] = parent
        files.write(child, data)
        moved.append(str(data.get("id")))
    return moved


def unpublish(path: Path) -> bool:
    """Remove a published comment file."""
    return files.remove(path)


def write_comment(root: Path, data: dict[str, Any]) -> Path:
    """Write one approved comment with exactly the public keys."""
    path = comment_file(root, data["topic"], data["id"])
    if path is None:
        raise RunError(f"refusing to publish under unsafe name {data['topic']!r}/{data['id']!r}")
    files.write(path, {k: data[k] for k in ("id", "topic", "parent", "name", "body", "date", "official",
                                            "moderated_at", "moderated_by")})
    return path


def check_parent(root: Path, topic: str, parent: str | None) -> None:
    """A reply needs a published parent in the same topic, and may nest at most 3 deep."""
    if parent and depth(root, topic, parent) >= MAX_DEPTH:
        raise RunError(f"replies nest at most {MAX_DEPTH} deep; {parent} is already at depth {MAX_DEPTH}")


def approve(config: IntakeConfig, inbox: Inbox, entry: Entry, *, by: str, official: str | None, now: str) -> str:
    """Publish an entry (an editor's explicit decision, also for one the spam rules flagged)."""
    if entry.status == "approved":
        return f"{entry.key}: already approved"
    if entry.status == "erased":
        raise RunError(f"{entry.key}: erased on request; it cannot be published")
    if entry.invalid:
        raise RunError(f"{entry.key}: cannot be published: {'; '.join(entry.invalid)}")
    if not topics.exists(config.root, entry.topic):
        raise RunError(f"{entry.key}: topic {entry.topic!r} does not exist (content/themen/{entry.topic}.md)")
    parent = entry.fields.get("parent") or None
    check_parent(config.root, entry.topic, parent)
    path = write_comment(config.root, {"id": entry.key, "topic": entry.topic, "parent": parent,
                                       "name": entry.name, "body": entry.fields.get("body", ""),
                                       "date": entry.date, "official": official, "moderated_at": now,
                                       "moderated_by": by})
    inbox.put(entry.but(status="approved", official=official, moderated_at=now, moderated_by=by,
                        comment_path=str(path.relative_to(config.root))))
    return f"{entry.key}: approved -> {path.relative_to(config.root)}"


def decline(config: IntakeConfig, inbox: Inbox, entry: Entry, *, status: str, by: str, reason: str | None,
            now: str) -> str:
    """Reject or mark as spam; an already published comment is taken off unless it has replies."""
    if entry.status == "erased":
        raise RunError(f"{entry.key}: erased on request")
    note = ""
    path = comment_file(config.root, entry.topic, entry.key)
    if entry.status == "approved" and path is not None and path.is_file():
        replies = children(config.root, entry.topic, entry.key)
        if replies:
            raise RunError(f"{entry.key}: has {len(replies)} published replies ("
                           f"{', '.join(p.stem for p in replies)}); decide on those first")
        unpublish(path)
        note = f" (removed {path.relative_to(config.root)})"
    inbox.put(entry.but(status=status, moderated_at=now, moderated_by=by, reason=reason, comment_path=None))
    return f"{entry.key}: {status}{note}"


def reply(config: IntakeConfig, parent_id: str, text: str, *, role: str, name: str | None, by: str,
          now: str) -> Path:
    """Publish an official reply directly (it is the editor's own text, so no review)."""
    parent_path = find(config.root, parent_id)
    if parent_path is None:
        raise RunError(f"{parent_id}: no published comment with this id (approve it first)")
    topic = parent_path.parent.name
    check_parent(config.root, topic, parent_id)
    name = name or (config.official_names.get(role) if role in config.official_names else None)
    name = name or (topics.themenpate(config.root, topic) if role == "themenpate" else None)
    if not name:
        raise RunError(f"no name for a {role} reply in {topic}: pass --name")
    body = text.replace("\r\n", "\n").strip()
    if not body or len(body) > config.limits.body or controls(body, "\n\t") or controls(name):
        raise RunError(f"reply text must be 1..{config.limits.body} characters without control characters")
    digest = hashlib.sha256(f"{parent_id}\0{body}\0{now}".encode("utf-8", "replace")).hexdigest()[:16]
    return write_comment(config.root, {"id": f"reply-{digest}", "topic": topic, "parent": parent_id,
                                       "name": name, "body": body, "date": now, "official": role,
                                       "moderated_at": now, "moderated_by": by})
