"""Undo a decision: an approved, rejected or spam entry goes back to pending, an official reply is taken off.

Shared by `python -m intake undo` and the browser review. Each undo reads its entry again under the
one lock, so an entry erased meanwhile (`forget`) stays erased: its tombstone has nothing to bring back.
"""

from __future__ import annotations

from intake import comments
from intake.config import IntakeConfig
from intake.errors import RunError
from intake.inbox import Inbox
from intake.publish import LOCK_WAIT, Decision, current

DECIDED = ("approved", "rejected", "spam")
REPLY_PREFIX = "reply-"  # official replies are written as reply-<digest> and have no inbox entry


def undo(config: IntakeConfig, inbox: Inbox, key: str, decision: Decision) -> str:
    """Put a decided entry back to pending; decision.expected is the status the editor saw (the one to undo)."""
    with inbox.lock(wait=LOCK_WAIT):
        entry = current(inbox, key, decision.expected)  # refuses an erased entry and one decided again since
        if entry.status not in DECIDED:
            raise RunError(f"{entry.key}: is {entry.status}; there is no decision to undo")
        if entry.purged_at and not entry.fields.get("body"):
            raise RunError(f"{entry.key}: its text was purged after the retention period; it cannot be pending again")
        note = comments.withdraw(config.root, entry.topic, entry.key, "undo those first")
        inbox.put(entry.with_changes(status="pending", official=None, moderated_at=None, moderated_by=None,
                                     reason=None, comment_path=None))
    return f"{entry.key}: {entry.status} undone, pending again{note}"


def retract_reply(config: IntakeConfig, inbox: Inbox, reply_id: str) -> str:
    """Take an official reply off content/ again (refused while someone answered it)."""
    if not reply_id.startswith(REPLY_PREFIX):
        raise RunError(f"{reply_id}: not an official reply")
    with inbox.lock(wait=LOCK_WAIT):
        path = comments.find(config.root, reply_id)
        if path is None:
            raise RunError(f"{reply_id}: no published reply with this id (taken off already?)")
        replies = comments.children(config.root, path.parent.name, reply_id)
        if replies:
            raise RunError(f"{reply_id}: has {len(replies)} published replies; undo those first")
        comments.unpublish(path)
    return f"{reply_id}: reply taken off ({path.relative_to(config.root)})"


def last_decided(inbox: Inbox) -> str:
    """The key of the entry decided most recently (by moderated_at): what a bare `undo` undoes."""
    decided = [e for e in inbox.entries() if e.status in DECIDED and e.moderated_at]
    if not decided:
        raise RunError("no decision to undo")
    return max(decided, key=lambda e: (str(e.moderated_at), e.key)).key


def undo_any(config: IntakeConfig, inbox: Inbox, key: str | None, decision: Decision) -> str:
    """Undo what key names (an entry or an official reply), or the last decision when key is None."""
    if key is not None and key.startswith(REPLY_PREFIX) and not inbox.has(key):
        return retract_reply(config, inbox, key)
    with inbox.lock(wait=LOCK_WAIT):  # the last decision is looked up under the same lock that undoes it
        return undo(config, inbox, key or last_decided(inbox), decision)
