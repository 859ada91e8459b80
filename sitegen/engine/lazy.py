"""Markdown converted only when something shows it: the events' bodies, while the workers render."""

from __future__ import annotations

from typing import Any

from ..core.markdown_html import markdown_to_html


class MarkdownLater:
    """Markdown converted only when something shows it, then as markdown_to_html would.

    The events a topic page lists reach the workers before their bodies are converted (the build
    converts them meanwhile, see shared.convert_events); the shipped templates show no event body there, and
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
