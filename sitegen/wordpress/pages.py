"""One WordPress post or page as a Markdown file with front matter, as content/ expects it."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from sitegen.core.codepoints import strip_forbidden
from sitegen.core.contract import dump

from .html_md import convert
from .links import Links
from .shortcodes import expand_captions, left
from .wpautop import autop
from .wxr import Item

DEFAULT_CATEGORIES = {"uncategorized", "allgemein", "unkategorisiert"}  # WordPress' own, not the city's
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Page:
    """The text of the file and what the report should say about it."""

    text: str
    shortcodes: tuple[str, ...]
    notes: tuple[str, ...]


def plain(markup: str) -> str:
    """HTML (an excerpt, a title) as one line of plain text."""
    spaced = re.sub(r"<(?:br|/p|/li|/h[1-6]|/div)\b[^>]*>", " ", markup, flags=re.I)  # blocks end with a space
    text = html.unescape(re.sub(r"<[^>]*>", "", spaced))
    return " ".join(strip_forbidden(text).split())


def front_matter(item: Item, topic: bool) -> dict[str, object]:
    """The fields rules.py allows for a topic (topic=True) or a page."""
    data: dict[str, object] = {"title": plain(item.title) or f"Beitrag {item.id}"}
    cats = [c for c in (plain(c) for c in item.categories) if c and c.lower() not in DEFAULT_CATEGORIES]
    if topic and cats:
        data["category"] = cats[0]
    summary = plain(item.excerpt)
    if summary:
        data["summary"] = summary
    if topic and (date := DATE.match(item.date)) and not item.date.startswith("0000"):
        data["date"] = dt.date.fromisoformat(date.group(1))  # a YAML date, as rules.py wants, not a string
    tags = list(dict.fromkeys(t for t in (plain(t) for t in (*item.tags, *cats[1:])) if t))
    if topic and tags:
        data["tags"] = tags
    return data


def render(item: Item, links: Links, topic: bool, comments_open: bool) -> Page:
    """The Markdown file for item; links to the old site go through links."""
    source = expand_captions(strip_forbidden(item.content))
    converted = convert(autop(source), links.rewrite)
    data = front_matter(item, topic)
    if topic:
        data["comments"] = "open" if comments_open else "closed"
    text = "---\n" + dump(data) + "---\n" + converted.markdown
    return Page(text=text, shortcodes=tuple(left(source)), notes=converted.notes)
