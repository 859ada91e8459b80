"""Editors' Markdown to HTML, and the lazy proxy for it (the code-point filters are in codepoints.py,
visitors' comment text in comment_html.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


class MarkdownLater:
    """Markdown converted only when something shows it, then as markdown_to_html would.

    The events a topic page lists reach the workers before their bodies are converted (the build
    converts them meanwhile, see pipeline.py); the shipped templates show no event body there, and
    a theme that does still gets HTML. Behaves as that HTML for templates: str(), |safe, |length,
    slicing, string methods."""

    __slots__ = ("markdown", "_html")

    def __init__(self, markdown: str):
        self.markdown, self._html = markdown, None

    def __html__(self) -> str:
        if self._html is None:
            self._html = markdown_to_html(self.markdown)
        return self._html

    def __str__(self) -> str:
        return self.__html__()

    def __len__(self) -> int:
        return len(self.__html__())

    def __getitem__(self, key: Any) -> str:
        return self.__html__()[key]

    def __iter__(self) -> Any:
        return iter(self.__html__())

    def __contains__(self, part: str) -> bool:
        return part in self.__html__()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # its own slots (e.g. while unpickling) and protocols: not the text's
            raise AttributeError(name)
        return getattr(self.__html__(), name)
