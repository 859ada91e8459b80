"""Visitors' comment text to HTML: escaped, paragraphs on blank lines, bare http(s) URLs linked."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

URL = re.compile(r"https?://[^\s<>\"'\x00-\x1f\x7f]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\"»“”’"


def comment_to_html(body: str) -> Markup:
    """Render a visitor's plain text: escaped, paragraphs on blank lines, http(s) URLs linked."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())]
    # plain strings joined once: Markup's + re-checks both sides and made this a tenth of a page's time
    html = "\n".join("<p>" + "<br>\n".join(_autolink(line) for line in para.split("\n")) + "</p>"
                     for para in paragraphs if para.strip())
    return Markup(html)


def _autolink(line: str) -> str:
    """Escape a line and turn bare http(s) URLs into nofollow links (returns HTML)."""
    if "://" not in line:
        return escape(line)
    out = []
    pos = 0
    for match in URL.finditer(line):
        url = match.group(0)
        cut = len(url.rstrip(TRAILING))
        if url[:cut].count("(") > url[:cut].count(")") and url[cut:cut + 1] == ")":
            cut += 1  # keep a closing bracket that belongs to the URL (Wikipedia style)
        url = url[:cut]
        if len(url) <= len("https://"):
            continue
        start = match.start()
        href = escape(url)
        out += [escape(line[pos:start]), f'<a href="{href}" rel="nofollow ugc noopener">{href}</a>']
        pos = start + len(url)
    out.append(escape(line[pos:]))
    return "".join(out)
