"""Normalise a submission's fields and list what makes it unpublishable."""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping
from urllib.parse import urlsplit

from intake.config import Limits
from intake.entry import PERSONAL_FIELDS
from sitegen.core.contract import COMMENT_ID, SLUG

STORE_MAX = 65536  # a hostile megabyte body is cut for storage; it is over any limit anyway
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
CONSENT = ("ja", "on", "yes", "true", "1")
KEPT = ("topic", "parent", "name", "body", "consent", "form_loaded_at", "bot-field", "_gotcha")


def repair(value: str) -> tuple[str, bool]:
    """Replace lone surrogates (JSON allows them, UTF-8 does not); True if anything changed."""
    fixed = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return fixed, fixed != value


def normalise(data: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Split posted data into public-ish fields and personal data, with notes on repairs."""
    fields: dict[str, str] = {}
    personal: dict[str, str] = {}
    notes: list[str] = []
    for name in KEPT + PERSONAL_FIELDS:
        raw = data.get(name)
        if raw is None or raw == "":
            continue
        value, broken = repair(str(raw))
        if broken:
            notes.append(f"{name}: invalid Unicode (lone surrogates replaced)")
        if len(value) > STORE_MAX:
            value = value[:STORE_MAX]
        value = value.replace("\r\n", "\n").replace("\r", "\n") if name == "body" else value
        value = value.strip()
        if name in PERSONAL_FIELDS:
            personal[name] = value
        else:
            fields[name] = value
    return fields, personal, notes


def forbidden(char: str) -> bool:
    """Control characters and the noncharacters HTML forbids in text (the page would drop them)."""
    point = ord(char)
    return unicodedata.category(char) == "Cc" or 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def controls(value: str, allowed: str = "") -> bool:
    """Whether value holds control characters or noncharacters other than the allowed ones."""
    return any(forbidden(c) and c not in allowed for c in value)


def web_address(url: str) -> bool:
    """An absolute http(s) URL with a plain host: browsers read `\\` as `/` and hide a host behind `user@`."""
    if controls(url) or any(c in url for c in " \\"):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unbalanced [ in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and "@" not in parts.netloc


def check(fields: Mapping[str, str], personal: Mapping[str, str], limits: Limits, topics: set[str]) -> list[str]:
    """Reasons this submission can never be published as it stands."""
    problems: list[str] = []
    topic = fields.get("topic", "")
    if not topic:
        problems.append("topic: missing")
    elif not SLUG.match(topic) or topic not in topics:
        problems.append(f"topic: unknown topic {topic[:80]!r}")
    parent = fields.get("parent", "")
    if parent and not COMMENT_ID.match(parent):
        problems.append("parent: not a valid comment id")
    for name, limit, allowed in (("name", limits.name, ""), ("body", limits.body, "\n\t")):
        value = fields.get(name, "")
        if not value:
            problems.append(f"{name}: empty")
        if len(value) > limit:
            problems.append(f"{name}: {len(value)} characters, more than the limit of {limit}")
        if controls(value, allowed):
            problems.append(f"{name}: contains control characters or noncharacters")
    email = personal.get("email", "")
    if email and (len(email) > limits.email or not EMAIL.match(email) or controls(email)):
        problems.append("email: not a valid e-mail address")
    website = personal.get("website", "")
    if website:
        if not web_address(website):
            problems.append("website: not an http(s) URL")
        elif len(website) > limits.website:
            problems.append(f"website: longer than {limits.website} characters")
    if fields.get("consent", "").strip().lower() not in CONSENT:
        problems.append("consent: not given (the consent box was not ticked)")
    return problems
