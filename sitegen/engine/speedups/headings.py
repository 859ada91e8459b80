"""Heading ids as Python-Markdown's toc extension makes them, without the table of contents no page shows.

After giving every heading its id, the extension builds a table of contents: a nested list that it
serializes and post-processes, and a search of the whole document for the `[TOC]` marker. The
site shows none of it unless an editor writes that marker, so for every other text this module
skips that part, about 7 % of a topic's conversion. The ids come from the extension's own
functions, in the same order: the same ids. A text with the marker gets the extension's own run.
"""

from __future__ import annotations

import html
from typing import Any

from markdown.extensions import toc

NEEDED = ("TocTreeprocessor", "render_inner_html", "remove_fnrefs", "strip_tags", "unique")


class HeadingIds(toc.TocTreeprocessor):
    """The toc tree processor; `full` says whether this document may hold the marker."""

    full = True

    def run(self, doc: Any) -> None:
        if self.full or self.use_anchors or self.use_permalinks not in (False, None):
            return super().run(doc)
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        id_counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = toc.strip_tags(toc.render_inner_html(toc.remove_fnrefs(el), self.md))
                    el.attrib["id"] = toc.unique(self.slugify(html.unescape(name), self.sep), used_ids, id_counters)
                el.attrib.pop("data-toc-label", None)  # as the extension does, which reads it for the table
        self.md.toc_tokens, self.md.toc = [], ""


def install(md: Any) -> HeadingIds | None:
    """Make md's toc tree processor a HeadingIds, settings and place kept; None (the extension as it
    is) if this Markdown version lacks a function used here or another class took its place."""
    stock = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if type(stock) is not toc.TocTreeprocessor or not all(hasattr(toc, name) for name in NEEDED):
        return None
    stock.__class__ = HeadingIds  # a subclass without state of its own: the instance stays as it was
    return stock
