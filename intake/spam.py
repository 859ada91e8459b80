"""Local spam rules (nothing leaves the machine); every rule that fires leaves a reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from typing import Mapping

from intake.config import SpamRules

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def fingerprint(fields: Mapping[str, str]) -> str:
    """Same topic, name and text make an exact duplicate (case and spacing of the name ignored)."""
    name = " ".join(fields.get("name", "").split()).casefold()
    basis = "\0".join((fields.get("topic", ""), name, fields.get("body", "")))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def reasons(fields: Mapping[str, str], personal: Mapping[str, str], date: str, rules: SpamRules,
            duplicate_of: str | None) -> list[str]:
    """Every rule this submission trips, each as `rule: detail`."""
    found: list[str] = []
    for trap in ("bot-field", "_gotcha"):
        if fields.get(trap):
            found.append(f"honeypot: hidden field {trap} was filled in")
    links = len(LINK.findall(fields.get("body", ""))) + len(LINK.findall(fields.get("name", "")))
    if rules.max_links and links >= rules.max_links:
        found.append(f"links: {links} links (held at {rules.max_links} or more)")
    everything = {**fields, **personal}
    for word in rules.disallowed_words:
        needle = word.casefold()
        hits = sorted(k for k, v in everything.items() if needle in v.casefold())
        if hits:
            found.append(f"disallowed-word: {word!r} in {', '.join(hits)}")
    if duplicate_of:
        found.append(f"duplicate: same topic, name and text as {duplicate_of}")
    loaded = fields.get("form_loaded_at")
    if loaded:
        found.extend(too_fast(loaded, date, rules.min_seconds))
    return found


def too_fast(loaded: str, date: str, minimum: float) -> list[str]:
    """The min-time rule; the stored date has whole seconds, so give the benefit of the last one."""
    try:
        loaded_at = float(loaded) / 1000
        if not math.isfinite(loaded_at):
            raise ValueError(loaded)
    except ValueError:
        return ["too-fast: form_loaded_at is not a number"]
    try:
        submitted = dt.datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp() + 1
    except (ValueError, OverflowError):
        return []  # an unreadable date (from an old version) says nothing about speed
    seconds = submitted - loaded_at
    if seconds < minimum:
        return [f"too-fast: sent {max(seconds, 0):.1f} s after the page loaded (minimum {minimum:g} s)"]
    return []
