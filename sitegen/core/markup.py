"""Text to HTML: editors' Markdown, and visitors' plain-text comments (escaped, autolinked)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    import markdown

EXTENSIONS = ["extra", "toc"]
# ids the templates use; a heading in a body must not take one of them (the skip link, the form)
TEMPLATE_IDS = {"inhalt", "kommentieren"}
TEMPLATE_ID_PREFIXES = ("h-", "kommentar-", "f-")


def _slugify(value: str, separator: str) -> str:
    from markdown.extensions.toc import slugify_unicode
    slug = slugify_unicode(value, separator)
    return f"{slug}{separator}text" if slug in TEMPLATE_IDS or slug.startswith(TEMPLATE_ID_PREFIXES) else slug


EXTENSION_CONFIG = {"toc": {"slugify": _slugify, "toc_depth": "2-4"}}

_md: markdown.Markdown | None = None
_block_level: Any = None
_headings: Any = None


def markdown_to_html(text: str) -> str:
    """Render an editor's Markdown (trusted: editors commit it) to HTML."""
    global _md, _block_level, _headings
    if _md is None:  # one converter per process; reset() is cheaper than a new one
        import markdown  # here: a build that converts nothing (a no-op rebuild) skips the import
        _md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIG,
                                output_format="html")
        # The inline processor looks its patterns up by index, thousands of times per page; the
        # registry sorts and searches on every lookup, a list does not. Same patterns, same order
        # (extensions register them when the converter is made, not while it converts; since 3.7
        # abbr too): about 5 % of the build. It also skips the patterns a text cannot match: 30 %.
        from ..engine.speedups.inline import skip_impossible
        skip_impossible(_md.treeprocessors["inline"])
        from ..engine.speedups.blocklevel import install
        _block_level = install(_md)  # another 8 %: see blocklevel.py
        from ..engine.speedups import headings
        _headings = headings.install(_md)  # another 7 %: see headings.py
    _block_level.check()
    if _headings is not None:
        _headings.full = _headings.marker in text  # no marker in the text, none in the document
    html = _md.reset().convert(text)
    return html


# Code points that HTML and XML forbid in text: C0/C1 controls, noncharacters, lone surrogates.
# The astral noncharacters (U+1FFFE, U+1FFFF, ... U+10FFFF) are found by their low bits: a class
# listing all 32 of them makes every search over non-ASCII text ten times slower.
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SUSPECT = re.compile(_FORBIDDEN_BMP.pattern[:-1] + "\U00010000-\U0010ffff]")  # either kind, one pass


def strip_forbidden(text: str) -> str:
    """Drop the code points no page, feed or calendar may contain."""
    if not _SUSPECT.search(text):
        return text  # the common case: one scan of the text
    text = _FORBIDDEN_BMP.sub("", text)
    if _ASTRAL.search(text):
        text = _ASTRAL.sub(_keep_character, text)
    return text


def _keep_character(match: re.Match[str]) -> str:
    char = match.group()
    return "" if ord(char) & 0xFFFE == 0xFFFE else char


# Invisible characters that reorder or hide the text around them: bidi embeddings, overrides,
# isolates and marks, zero-width spaces and joiners. In a name they only serve to pass one name off
# as another ("Stadt Jena"). Joiners are kept between non-ASCII characters: emoji sequences and
# some scripts (Persian, Indic) need them.
_INVISIBLE = re.compile("[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
                        "|(?<=[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f])|\\A[\u200c\u200d]|[\u200c\u200d]\\Z")


def strip_invisible(text: str) -> str:
    """Drop bidi controls and zero-width characters that could disguise a visitor's name."""
    return _INVISIBLE.sub("", text) if not text.isascii() else text


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
