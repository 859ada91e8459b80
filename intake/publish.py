"""Moderation decisions: approve, reject or spam, official replies; each one under the inbox lock.

Every decision re-reads its entry after taking the lock, so a decision made on a card that was shown
before `forget` ran can never bring erased data back. Publishing writes the comment file first and
the inbox entry second; unpublishing removes the file first. A failure between the two (a full
disk) is repaired by running the same or the opposite decision again: `reject`, `spam` and `forget`
remove a comment file whatever the inbox says, and a failed approve takes its file off again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from intake import comments, dates, topics
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.errors import RunError
from intake.inbox import Inbox
from intake.validate import controls


@dataclass(frozen=True)
class Decision:
    """Who decides, when, and what was seen: the parts every decision records."""

    by: str  # the editor, recorded as moderated_by
    now: str  # UTC ISO 8601, recorded as moderated_at
    official: str | None = None  # stadt | themenpate: a badge on approve, the role of a reply
    reason: str | None = None  # why a submission was rejected
    expected: str | None = None  # the status the editor saw; a decision on a changed entry is refused
    name: str | None = None  # a reply's display name (default: intake.official_names or the Themenpate)
    force: bool = False  # publish although the topic's participation window has ended (--force)


LOCK_WAIT = 30.0  # seconds a decision waits for a pull or another editor's decision to finish


def current(inbox: Inbox, key: str, expected: str | None) -> Entry:
    """The entry as it is now (call under the lock); refuse if it changed since the editor saw it."""
    entry = inbox.get(key)
    if entry.status == "erased":
        raise RunError(f"{entry.key}: erased on request; nothing can be decided on it any more")
    if expected is not None and entry.status != expected:
        raise RunError(f"{entry.key}: is {entry.status} now (decided elsewhere meanwhile); nothing done")
    return entry


def approve(config: IntakeConfig, inbox: Inbox, key: str, decision: Decision) -> str:
    """Publish an entry (an editor's explicit decision, also for one the spam rules flagged)."""
    by, now, official = decision.by, decision.now, decision.official
    with inbox.lock(wait=LOCK_WAIT):
        entry = current(inbox, key, decision.expected)  # read under the lock: what was shown before may be gone
        path = comments.comment_file(config.root, entry.topic, entry.key)
        if entry.status == "approved" and path is not None and path.is_file():
            return f"{entry.key}: already approved"
        if entry.invalid:
            raise RunError(f"{entry.key}: cannot be published: {'; '.join(entry.invalid)}")
        topics.open_for_comments(config.root, entry.topic, dates.parse_date(now), decision.force)
        try:
            date = dates.stamp(dates.parse_date(entry.date))
        except ValueError:
            raise RunError(f"{entry.key}: cannot be published: its date {entry.date!r} is unreadable") from None
        parent = entry.fields.get("parent") or None
        comments.check_parent(config.root, entry.topic, parent)
        path = comments.write_comment(config.root, {
            "id": entry.key, "topic": entry.topic, "parent": parent, "name": entry.name,
            "body": entry.fields.get("body", ""), "date": date, "official": official,
            "moderated_at": now, "moderated_by": by})
        try:
            inbox.put(entry.with_changes(status="approved", official=official, moderated_at=now, moderated_by=by,
                                comment_path=str(path.relative_to(config.root))))
        except BaseException:
            comments.unpublish(path)  # the inbox still says pending: nothing may be public
            raise
    return f"{entry.key}: approved -> {path.relative_to(config.root)}"


def decline(config: IntakeConfig, inbox: Inbox, key: str, status: str, decision: Decision) -> str:
    """Reject or mark as spam; a published comment file is taken off (unless it has replies)."""
    with inbox.lock(wait=LOCK_WAIT):
        entry = current(inbox, key, decision.expected)
        note = comments.withdraw(config.root, entry.topic, entry.key, "decide on those first")
        inbox.put(entry.with_changes(status=status, moderated_at=decision.now, moderated_by=decision.by,
                            reason=decision.reason, comment_path=None))
    return f"{entry.key}: {status}{note}"


def reply(config: IntakeConfig, inbox: Inbox, parent_id: str, text: str, decision: Decision) -> Path:
    """Publish an official reply directly (it is the editor's own text, so no review); decision.official
    is the role it is shown under."""
    role, now = decision.official or "stadt", decision.now
    body = text.replace("\r\n", "\n").strip()
    if not body or len(body) > config.limits.body or controls(body, "\n\t") or not encodable(body):
        raise RunError(f"reply text must be 1..{config.limits.body} characters of valid text without control "
                       "characters")
    with inbox.lock(wait=LOCK_WAIT):  # the parent may be erased meanwhile: look it up under the lock
        parent_path = comments.find(config.root, parent_id)
        if parent_path is None:
            raise RunError(f"{parent_id}: no published comment with this id (approve it first)")
        topic = parent_path.parent.name
        if topics.meta(config.root, topic).get("draft") is True:
            raise RunError(f"topic {topic!r} is a draft (draft: true); publish the topic first")
        topics.window_open(config.root, topic, dates.parse_date(now), decision.force)
        comments.check_parent(config.root, topic, parent_id)
        name = decision.name or official_name(config, role, topic)
        if controls(name) or not encodable(name):
            raise RunError("the reply's name must be valid text without control characters")
        digest = hashlib.sha256(f"{parent_id}\0{body}\0{now}".encode("utf-8", "replace")).hexdigest()[:16]
        return comments.write_comment(config.root, {
            "id": f"reply-{digest}", "topic": topic, "parent": parent_id, "name": name, "body": body,
            "date": now, "official": role, "moderated_at": now, "moderated_by": decision.by})


def encodable(value: str) -> bool:
    """Whether value can be written as UTF-8 (a stray byte read from a terminal arrives as a lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def official_name(config: IntakeConfig, role: str, topic: str) -> str:
    """The name an official reply is shown under: configured, else the topic's Themenpate."""
    name = config.official_names.get(role) if role in config.official_names else None
    name = name or (topics.themenpate(config.root, topic) if role == "themenpate" else None)
    if not name:
        raise RunError(f"no name for a {role} reply in {topic}: pass --name")
    return name

