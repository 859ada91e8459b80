"""New names for old things: topic slugs by the contract's rule, plain file names under content/dateien/."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from sitegen.core.contract import SLUG
from sitegen.core.published_files import suggest

SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
MAX_SLUG = 80


def slugify(text: str) -> str:
    """A slug the contract accepts: umlauts spelled out, accents dropped, anything else a '-'."""
    text = unicodedata.normalize("NFKD", unquote(text).translate(SPELLED).lower())
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    return text[:MAX_SLUG].rstrip("-")


def slug_for(post_name: str, title: str, post_id: str) -> str:
    """The item's slug from its WordPress name, else its title, else its id."""
    for basis in (post_name, title, f"beitrag-{post_id}"):
        slug = slugify(basis)
        if slug and SLUG.match(slug):
            return slug
    return "beitrag"


def unique(slug: str, taken: set[str]) -> str:
    """slug, or slug-2, slug-3 … when it is taken; the result is added to taken."""
    name, number = slug, 1
    while name in taken:
        number += 1
        name = f"{slug}-{number}"
    taken.add(name)
    return name


def file_name(rel: str) -> str:
    """A path under content/dateien/ for an upload's path, each part plain (see published_files)."""
    # no part may climb out of content/dateien/ or hide the file (a name starting with "." is not published)
    parts = (suggest(part).lstrip(".") for part in rel.split("/") if part not in ("", ".", ".."))
    return "/".join(part or "datei" for part in parts)
