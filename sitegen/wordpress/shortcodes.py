"""Shortcodes: [caption] becomes an image with its caption; every other one stays visible and is listed."""

from __future__ import annotations

import html
import re

CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
INNER_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)\Z", re.S | re.I)
# what WordPress would take for a shortcode: a lower-case name, then attributes or a closing tag
SHORTCODE = re.compile(r"(?<!\[)\[([a-z][a-z0-9_-]*)((?:\s[^\]\[]*)?)/?\](?!\])")
KNOWN = {"gallery", "embed", "audio", "video", "playlist", "contact-form-7", "contact-form", "gravityform",
         "wpforms", "youtube", "vimeo", "googlemaps", "slider", "column", "row", "button", "toc", "table",
         "wpdm_package", "pdf-embedder", "su_button", "et_pb_section", "vc_row", "vc_column"}


def attrs(text: str) -> dict[str, str]:
    """A shortcode's attributes."""
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in ATTR.finditer(text)}


def caption(match: re.Match[str]) -> str:
    """One [caption] as a <figure> (the image, possibly linked, and the caption text)."""
    options, inner = attrs(match.group(1)), match.group(2)
    media = INNER_MEDIA.match(inner)
    if media is None:
        return inner
    text = media.group(2).strip() or html.escape(options.get("caption", ""))
    return f"\n\n<figure>{media.group(1)}<figcaption>{text}</figcaption></figure>\n\n"


def expand_captions(content: str) -> str:
    """Replace each [caption] by HTML the converter turns into an image and its caption."""
    return CAPTION.sub(caption, content)


def left(content: str) -> list[str]:
    """Every shortcode still in content (as written, shortened), in order."""
    found = []
    for m in SHORTCODE.finditer(content):
        name, rest = m.group(1), m.group(2)
        if name in KNOWN or "=" in rest or f"[/{name}]" in content:
            found.append(m.group(0)[:80])
    return found
