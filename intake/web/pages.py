"""The review page: the pending queue with counts per topic, recently approved comments to answer, and messages.

Everything from the inbox is visitors' text and therefore hostile: the templates are autoescaped
Jinja2 and never mark visitor data safe. E-mail addresses appear only for the one entry whose
"E-Mail zeigen" button was pressed, never in the list itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from intake import comments
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.errors import RunError
from intake.inbox import Inbox
from intake.web.actions import ACTIONS, digest
from intake.web.guard import Session
from sitegen.core.codepoints import strip_invisible, strip_reordering
from sitegen.core.contract import OFFICIAL

TEMPLATES = Path(__file__).parent / "templates"
RECENT = 10  # approved comments offered for an official reply
REBUILD = "python build.py"
ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)
# names and bodies as the site will show them: a bidi override must not reverse the text an editor judges
ENV.filters.update(as_name=lambda name: strip_invisible(name).strip(), as_body=strip_reordering)


@dataclass(frozen=True)
class Card:
    """One pending entry as the page shows it."""

    entry: Entry
    digest: str
    parent: dict[str, Any] | None  # the published comment it answers: name and body
    email: str | None  # only for the entry whose e-mail was asked for


def parent_of(config: IntakeConfig, entry: Entry) -> dict[str, Any] | None:
    """The published comment an entry answers, or a note that it is not (or no longer) published."""
    parent = str(entry.fields.get("parent") or "")
    if not parent:
        return None
    path = comments.find(config.root, parent)
    try:
        data = comments.read(path) if path is not None else None
    except RunError:
        data = None
    if data is None:
        return {"id": parent, "name": "", "body": "", "missing": True}
    return {"id": parent, "name": str(data.get("name") or ""), "body": str(data.get("body") or ""), "missing": False}


def cards(config: IntakeConfig, entries: list[Entry], revealed: str | None) -> list[Card]:
    """The pending entries, oldest first, each with what it answers."""
    return [Card(e, digest(e), parent_of(config, e),
                 (e.personal.get("email") or "") if e.key == revealed else None) for e in entries]


def answerable(config: IntakeConfig, entries: list[Entry]) -> list[Entry]:
    """The most recently approved entries whose comment file is there: what an official reply can answer."""
    approved = [e for e in entries if e.status == "approved" and e.moderated_at]
    approved.sort(key=lambda e: (str(e.moderated_at), e.key), reverse=True)
    return [e for e in approved
            if (path := comments.comment_file(config.root, e.topic, e.key)) is not None and path.is_file()][:RECENT]


def queue(config: IntakeConfig, session: Session, revealed: str | None = None) -> str:
    """The whole page for one session."""
    entries = list(Inbox(config.inbox).entries())
    pending = [e for e in entries if e.status == "pending"]
    undo = None
    if session.last is not None:
        key, status = session.last
        undo = {"key": key, "what": "Antwort" if status == "reply" else ACTIONS.get(status, status)}
    return ENV.get_template("queue.html").render(
        cards=cards(config, pending, revealed), counts=sorted(Counter(e.topic for e in pending).items()),
        recent=answerable(config, entries), csrf=session.csrf, flash=session.flash, undo=undo,
        rebuild=REBUILD if session.decided else None, official=OFFICIAL)


def refused(text: str) -> str:
    """A short page for a refused request (no token, wrong host, foreign origin, bad CSRF token)."""
    return ENV.get_template("refused.html").render(text=text)
