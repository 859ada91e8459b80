"""An item's comments sorted out: approved ones as contract files, pending ones for the inbox, the rest counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sitegen.core.contract import MAX_DEPTH

from .comment_text import body_text, name_text, when
from .wxr import Comment

DROPPED = {"spam": "spam", "trash": "trash", "post-trashed": "trash"}
LINKBACKS = ("pingback", "trackback")  # notices from other sites, not people's comments: left out


def key_of(comment_id: str) -> str:
    """The comment's id in content/kommentare and its key in the inbox (`<source>-<id>`, as the intake does)."""
    return f"wordpress-{comment_id}"


@dataclass
class Sorted:
    """One topic's comments: files to publish, entries to hold, and counts of the rest."""

    topic: str
    approved: list[tuple[Comment, dict[str, Any]]] = field(default_factory=list)  # with its contract fields
    pending: list[tuple[Comment, dict[str, Any]]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def kind(c: Comment) -> str:
    """approved, pending, spam, trash, linkback or unknown."""
    if c.type in LINKBACKS:
        return "linkback"
    return {"1": "approved", "0": "pending"}.get(c.approved) or DROPPED.get(c.approved, "unknown")


def placement(by_id: dict[str, Comment], cid: str, shown: set[str]) -> tuple[str | None, int]:
    """The published parent of comment cid and its depth: the nearest shown ancestor, at most MAX_DEPTH-1 deep."""
    chain: list[str] = []
    current = by_id[cid].parent
    while current in by_id and current not in chain and len(chain) < 1000:
        if current in shown:
            chain.append(current)
        current = by_id[current].parent
    chain.reverse()  # from the top-level ancestor down to the nearest one
    if not chain:
        return None, 1
    # a reply deeper than the contract allows attaches at the deepest level allowed
    parent = chain[min(len(chain), MAX_DEPTH - 1) - 1]
    return parent, min(len(chain), MAX_DEPTH - 1) + 1


def public_name(c: Comment) -> str:
    """The author's name, unless it is an address (people type their e-mail into the name field)."""
    name = name_text(c.author)
    return "Anonym" if "@" in name or (c.email and c.email.lower() in name.lower()) else name


def without_own_data(body: str, c: Comment) -> str:
    """The text without the author's own e-mail or IP address (no e-mail or IP may reach content/)."""
    for own, instead in ((c.email, "[E-Mail-Adresse entfernt]"), (c.ip, "[IP-Adresse entfernt]")):
        if own and len(own) > 3:
            body = re.sub(re.escape(own), instead, body, flags=re.I)
    return body


def sort_comments(topic: str, comments: tuple[Comment, ...]) -> Sorted:
    """Sort out one topic's comments."""
    out = Sorted(topic)
    by_id = {c.id: c for c in comments}
    shown = {c.id for c in comments if kind(c) == "approved"}  # a reply hangs under a published comment only
    for c in comments:
        what = kind(c)
        date, body = when(c.date_gmt, c.date), body_text(c.content)
        if what in ("approved", "pending") and (date is None or not body):
            out.counts["unreadable"] += 1
            out.notes.append(f"comment {c.id}: left out ({'no readable date' if date is None else 'empty text'})")
            continue
        if what not in ("approved", "pending"):
            out.counts[what] += 1
            continue
        parent, _ = placement(by_id, c.id, shown)
        fields = {"id": key_of(c.id), "topic": topic, "parent": key_of(parent) if parent else None,
                  "name": public_name(c), "body": without_own_data(body, c), "date": date, "official": None,
                  "moderated_at": None, "moderated_by": "WordPress"}
        (out.approved if what == "approved" else out.pending).append((c, fields))
        out.counts[what] += 1
    return out
