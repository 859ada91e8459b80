"""A WordPress comment's text and date as the contract stores them (plain text, UTC stamp)."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

from sitegen.core.codepoints import strip_forbidden
from sitegen.core.contract import stamp

LINK = re.compile(r"<a\b[^>]*?href\s*=\s*([\"'])(.*?)\1[^>]*>(.*?)</a\s*>", re.S | re.I)
BREAK = re.compile(r"<br\s*/?>", re.I)
PARAGRAPH_END = re.compile(r"</p\s*>|<p\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")
OLD_SITE_ZONE = ZoneInfo("Europe/Berlin")  # the city's WordPress ran in its own time zone


def link_text(match: re.Match[str]) -> str:
    """A link in a comment as its text, with the address after it when the text does not show it."""
    href, text = html.unescape(match.group(2)).strip(), match.group(3)
    shown = TAG.sub("", text)
    return shown if not href or href in html.unescape(shown) else f"{shown} ({href})"


def body_text(content: str) -> str:
    """The comment's HTML as the plain text the contract stores (paragraphs as blank lines)."""
    text = LINK.sub(link_text, content.replace("\r\n", "\n").replace("\r", "\n"))
    text = PARAGRAPH_END.sub("\n\n", BREAK.sub("\n", text))
    text = strip_forbidden(html.unescape(TAG.sub("", text)))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def name_text(author: str) -> str:
    """The author's display name, one line (the only personal detail published)."""
    return " ".join(strip_forbidden(html.unescape(TAG.sub("", author))).split()) or "Anonym"


def when(date_gmt: str, date_local: str) -> str | None:
    """The comment's UTC stamp from its GMT date, else its local date; None when neither is readable."""
    for raw, zone in ((date_gmt, dt.timezone.utc), (date_local, OLD_SITE_ZONE)):
        try:
            parsed = dt.datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue  # WordPress writes 0000-00-00 00:00:00 for "never"
        return stamp(parsed.replace(tzinfo=zone))
    return None
