"""Comment threads: approved comments arranged under their parents, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Comment


@dataclass(frozen=True)
class Thread:
    """A comment with its replies and its depth (1 = top level)."""

    comment: Comment
    depth: int
    replies: tuple["Thread", ...]


def threads(comments: list[Comment]) -> tuple[Thread, ...]:
    """Nest one topic's comments (already validated: parents exist, depth <= 3)."""
    children: dict[str | None, list[Comment]] = {}
    for c in sorted(comments, key=lambda c: (c.date, c.id)):
        children.setdefault(c.parent, []).append(c)

    def grow(parent: str | None, depth: int) -> tuple[Thread, ...]:
        return tuple(Thread(c, depth, grow(c.id, depth + 1)) for c in children.get(parent, []))

    return grow(None, 1)


def count(items: tuple[Thread, ...]) -> int:
    """All comments in a forest of threads."""
    return sum(1 + count(t.replies) for t in items)
