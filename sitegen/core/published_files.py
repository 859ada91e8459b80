"""Editors' files under content/dateien/: which are published under /dateien/, and which names are odd."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .confine import inside

PLAIN = re.compile(r"[a-z0-9._-]+\Z")  # names that survive every host, CDN and URL encoding as they are
_SPELLED = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def published(folder: Path) -> list[Path]:
    """The files of folder that are published, sorted: not hidden, not through a link leading out of the root."""
    if not folder.is_dir():
        return []
    root = folder.parent.parent
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and (not p.is_symlink() or inside(p, root)))  # a link could publish any file of the machine


def odd_names(folder: Path) -> list[str]:
    """A warning for each published file whose name has spaces, capitals or umlauts: such names
    break on some hosts and in links copied by hand. The build still publishes them."""
    warnings = []
    for path in published(folder):
        rel = path.relative_to(folder)
        if not all(PLAIN.match(part) for part in rel.parts):
            better = "/".join(suggest(part) for part in rel.parts)
            warnings.append(f"content/dateien/{rel.as_posix()}: the file name has spaces, capitals or other "
                            f"characters that break on some hosts; rename it, e.g. to '{better}'")
    return warnings


def suggest(name: str) -> str:
    """A plain name for name: lower case, umlauts spelled out, anything else a '-'."""
    text = "".join(_SPELLED.get(c, c) for c in name.lower())
    text = unicodedata.normalize("NFKD", text)  # é -> e and a combining accent, which goes next
    text = re.sub(r"[^a-z0-9._-]+", "-", text)
    return re.sub(r"-+(?=\.)|(?<=\.)-+", "", re.sub(r"-{2,}", "-", text)).strip("-") or "datei"
