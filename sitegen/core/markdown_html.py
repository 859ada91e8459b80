"""Editors' Markdown to HTML: one converter per process, its heading ids, and the hook that makes it faster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    import markdown

EXTENSIONS = ["extra", "toc"]
# ids the templates use; a heading in a body must not take one of them (the skip link, the form)
TEMPLATE_IDS = {"inhalt", "kommentieren"}
TEMPLATE_ID_PREFIXES = ("h-", "kommentar-", "f-")

# Changes a new converter so it converts faster to the same HTML, and returns what to call with each
# text before converting it (or None: nothing changed). The engine passes speedups.install; core
# cannot import it (core never imports the engine), so it is handed in through use_speedups.
Tune = Callable[["markdown.Markdown"], Optional[Callable[[str], None]]]


def _slugify(value: str, separator: str) -> str:
    from markdown.extensions.toc import slugify_unicode
    slug = slugify_unicode(value, separator)
    return f"{slug}{separator}text" if slug in TEMPLATE_IDS or slug.startswith(TEMPLATE_ID_PREFIXES) else slug


EXTENSION_CONFIG = {"toc": {"slugify": _slugify, "toc_depth": "2-4"}}

def _extensions() -> list:
    """EXTENSIONS with EXTENSION_CONFIG, made directly: by name, Python-Markdown looks each one up among
    the installed packages' entry points, which reads every package's metadata (a tenth of a second
    of a fresh process that converts one topic). "extra" is these seven, in its order."""
    from markdown.extensions import abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, tables, toc
    return [fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(), attr_list.AttrListExtension(),
            def_list.DefListExtension(), tables.TableExtension(), abbr.AbbrExtension(),
            md_in_html.MarkdownInHtmlExtension(), toc.TocExtension(**EXTENSION_CONFIG["toc"])]


_tune: Tune | None = None
_md: markdown.Markdown | None = None
_before: Callable[[str], None] | None = None


def use_speedups(tune: Tune | None) -> None:
    """Have the converter made from now on changed by tune (the engine's speedups.install); None: plain."""
    global _tune, _md
    if tune is not _tune:  # a build calls this each time: the converter is kept while tune stays
        _tune, _md = tune, None


def markdown_to_html(text: str) -> str:
    """Render an editor's Markdown (trusted: editors commit it) to HTML."""
    global _md, _before
    if _md is None:  # one converter per process; reset() is cheaper than a new one
        import markdown  # here: a build that converts nothing (a no-op rebuild) skips the import
        _md = markdown.Markdown(extensions=_extensions(), output_format="html")
        _before = _tune(_md) if _tune is not None else None
    if _before is not None:
        _before(text)
    return _md.reset().convert(text)
