"""A topic's own Atom feed of its approved comments and official replies: follow a topic without an account.

Published at /themen/<slug>/kommentare.xml next to the topic page, and made from exactly the page's
inputs (the topic, its comments, site.yaml), so it is rendered wherever the page is, never from a
second read of the comment files. The site-wide feed (/feeds/kommentare.xml) stays as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

import jinja2

from .model import Comment, Topic
from .outputs import FeedHead, atom, instant, published

LIMIT = 100  # the newest comments a feed holds: readers want news, and the page has the whole discussion
FILE = "kommentare.xml"
# Atom requires `updated`: for a feed with no comments yet and a topic without `date`, a fixed instant
# rather than the build's time, so the file's bytes change only when its content does.
EMPTY_SINCE = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
SUBTITLE = f"Die neuesten freigegebenen Kommentare und offiziellen Antworten (höchstens {LIMIT}), neueste zuerst."


def feed_path(topic: Topic) -> str:
    """The feed's URL path (internal, before base_url's prefix), next to the topic page."""
    return topic.url + FILE


def roles(config: dict[str, Any]) -> dict[str, str]:
    """How an official reply's author is marked: the same words as the badge on the page."""
    return {"stadt": f"Stadt {config.get('city') or ''}".strip(), "themenpate": "Themenpate"}


def topic_feed(env: jinja2.Environment, config: dict[str, Any], topic: Topic, comments: Iterable[Comment]) -> bytes:
    """The feed: the newest LIMIT comments by publication, newest first; ids from the comment ids."""
    comments = tuple(comments)
    page = (config.get("base_url") or "") + topic.url
    names = {c.id: c.name for c in comments}
    newest = sorted(comments, key=published, reverse=True)[:LIMIT]
    entries = [_entry(c, page, names, roles(config)) for c in newest]
    empty = instant(topic.date) if topic.date else EMPTY_SINCE
    return atom(env, config, FeedHead(f"Kommentare zu {topic.title}", feed_path(topic), topic.url, SUBTITLE),
                entries, empty)


def _entry(c: Comment, page: str, names: dict[str, str], role_of: dict[str, str]) -> dict[str, Any]:
    """One comment as an entry: its author (with role for an official reply) and what it answers."""
    role = role_of[c.official] if c.official else c.name
    author = c.name if role == c.name else f"{c.name} ({role})"
    kind = ("Offizielle Antwort" if c.official else "Antwort") if c.parent else \
        ("Offizieller Beitrag" if c.official else "Kommentar")
    title = f"{kind} von {author}"
    if c.parent in names:
        title += f" auf {names[c.parent]}"
    return {"title": title, "url": f"{page}#kommentar-{c.id}", "updated": published(c)[0], "content": c.body,
            "author": author, "reply_to": f"{page}#kommentar-{c.parent}" if c.parent else None}
