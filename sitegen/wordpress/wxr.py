"""Read a WordPress export (WXR) safely into plain frozen records."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

# WordPress changed the namespace URI between versions (export/1.0 … 1.2): match it by pattern
WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/\Z")
EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/\Z")
CONTENT = re.compile(r"^http://purl\.org/rss/1\.0/modules/content/\Z")
DC = re.compile(r"^http://purl\.org/dc/elements/1\.1/\Z")
PLAIN = re.compile(r"^\Z")


class ExportError(Exception):
    """An export that cannot be read; str() is the one line for the user."""


@dataclass(frozen=True)
class Comment:
    """One `wp:comment`, personal data included (it must never reach content/)."""

    id: str
    author: str
    email: str
    url: str
    ip: str
    agent: str
    date: str  # local time of the old site, `YYYY-MM-DD HH:MM:SS`
    date_gmt: str
    content: str
    approved: str  # 1, 0, spam, trash (anything else is reported)
    type: str  # "" or comment, pingback, trackback
    parent: str  # "0" for none


@dataclass(frozen=True)
class Item:
    """One `item`: a post, page, attachment or anything else the site exported."""

    id: str
    type: str
    status: str
    title: str
    link: str
    slug: str
    date: str
    date_gmt: str
    content: str
    excerpt: str
    parent: str
    attachment_url: str
    comment_status: str  # open or closed
    password: str  # set: the post was shown only to those who knew it
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Export:
    """The whole export: the old site's address and its items in file order."""

    base_url: str
    items: tuple[Item, ...]


def child(elem: ET.Element, ns: re.Pattern[str], name: str) -> str:
    """The text of elem's first child called name in a namespace matching ns ('' if none)."""
    for sub in elem:
        uri, _, local = sub.tag[1:].partition("}") if sub.tag.startswith("{") else ("", "", sub.tag)
        if local == name and ns.match(uri):
            return (sub.text or "").strip() if name not in ("encoded", "comment_content") else sub.text or ""
    return ""


def children(elem: ET.Element, ns: re.Pattern[str], name: str) -> list[ET.Element]:
    """Every child called name in a namespace matching ns."""
    out = []
    for sub in elem:
        uri, _, local = sub.tag[1:].partition("}") if sub.tag.startswith("{") else ("", "", sub.tag)
        if local == name and ns.match(uri):
            out.append(sub)
    return out


def read_comment(elem: ET.Element) -> Comment:
    """One wp:comment."""
    def wp(name: str) -> str:
        return child(elem, WP, name)
    return Comment(id=wp("comment_id"), author=wp("comment_author"), email=wp("comment_author_email"),
                   url=wp("comment_author_url"), ip=wp("comment_author_IP"), agent=wp("comment_agent"),
                   date=wp("comment_date"), date_gmt=wp("comment_date_gmt"), content=wp("comment_content"),
                   approved=wp("comment_approved"), type=wp("comment_type"), parent=wp("comment_parent") or "0")


def read_item(elem: ET.Element) -> Item:
    """One item with its terms and comments."""
    def wp(name: str) -> str:
        return child(elem, WP, name)
    terms = children(elem, PLAIN, "category")
    tags = tuple((t.text or "").strip() for t in terms if t.get("domain") == "post_tag")
    cats = tuple((t.text or "").strip() for t in terms if t.get("domain") == "category")
    return Item(id=wp("post_id"), type=wp("post_type"), status=wp("status"), title=child(elem, PLAIN, "title"),
                link=child(elem, PLAIN, "link"), slug=wp("post_name"), date=wp("post_date"),
                date_gmt=wp("post_date_gmt"), content=child(elem, CONTENT, "encoded"),
                excerpt=child(elem, EXCERPT, "encoded"), parent=wp("post_parent") or "0",
                attachment_url=wp("attachment_url"), comment_status=wp("comment_status"),
                password=wp("post_password"), tags=tuple(t for t in tags if t),
                categories=tuple(c for c in cats if c),
                comments=tuple(read_comment(c) for c in children(elem, WP, "comment")))


def read_export(path: Path) -> Export:
    """Parse path without expanding entities or fetching anything; ExportError with the line on failure."""
    try:
        tree = parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ExportError(f"error: {path}: refused: {exc} (exports never need entities or external "
                          "references; this file may be hostile)") from None
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        message = str(exc).split(": line")[0]
        raise ExportError(f"error: {path}:{line}: malformed XML: {message}") from None
    except OSError as exc:
        raise ExportError(f"error: {path}: {exc.strerror or exc}") from None
    channel = tree.getroot().find("channel")
    if tree.getroot().tag != "rss" or channel is None:
        raise ExportError(f"error: {path}:1: not a WordPress export (no rss/channel)")
    base = child(channel, WP, "base_site_url") or child(channel, PLAIN, "link")
    return Export(base_url=base.rstrip("/"), items=tuple(read_item(i) for i in channel.findall("item")))
