"""Showing visitor data in a terminal without letting it control the terminal."""

from __future__ import annotations

import unicodedata

from intake.entry import Entry

# Bidi overrides and isolates can reorder what an editor sees; show them as escapes too.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe(value: str, *, keep_newlines: bool = False) -> str:
    """Escape control characters (ANSI sequences start with one) and bidi controls."""
    out = []
    for char in value:
        if keep_newlines and char == "\n":
            out.append(char)
        elif unicodedata.category(char) == "Cc" or char in BIDI:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def short(value: str, width: int) -> str:
    """One line, cut to width."""
    flat = safe(" ".join(value.split()))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def line(entry: Entry) -> str:
    """The one-line summary `list` prints."""
    flags = []
    if entry.spam_reasons:
        flags.append(f"spam:{len(entry.spam_reasons)}")
    if entry.invalid:
        flags.append(f"invalid:{len(entry.invalid)}")
    if entry.official:
        flags.append(entry.official)
    return (f"{entry.key:<40} {entry.status:<8} {entry.date}  {short(entry.topic, 24):<24} "
            f"{short(entry.name, 30):<30} {' '.join(flags)}").rstrip()


def card(entry: Entry) -> str:
    """The full view `show` and `review` print (personal data included: editors only)."""
    rows = [f"key:       {entry.key}",
            f"status:    {entry.status}",
            f"date:      {entry.date}  (received {entry.received_at or '-'})",
            f"topic:     {safe(entry.topic)}",
            f"parent:    {safe(entry.fields.get('parent', '')) or '-'}",
            f"name:      {safe(entry.name)}"]
    for name in ("email", "website", "ip", "user_agent"):
        if entry.personal.get(name):
            rows.append(f"{name + ':':<10} {safe(entry.personal[name])}")
    if entry.purged_at:
        rows.append(f"purged:    {entry.purged_at} (personal data removed)")
    for reason in entry.spam_reasons:
        rows.append(f"spam:      {safe(reason)}")
    for problem in entry.invalid:
        rows.append(f"invalid:   {safe(problem)}")
    if entry.moderated_by:
        rows.append(f"moderated: {entry.moderated_at} by {safe(entry.moderated_by)}"
                    + (f" ({entry.official})" if entry.official else "")
                    + (f": {safe(entry.reason)}" if entry.reason else ""))
    body = safe(entry.fields.get("body", ""), keep_newlines=True)
    rows.append("")
    rows.extend("  " + text for text in body.split("\n"))
    return "\n".join(rows)
