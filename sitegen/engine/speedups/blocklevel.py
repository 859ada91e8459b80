"""Python-Markdown's "is this tag block-level?", with the answers remembered.

Markdown asks it a few hundred times per page (serializing, tidying the tree, attribute lists,
raw HTML), and each time lowercases the tag and searches a list of 59 names: 8 % of a topic's
conversion. The answers depend only on the tag and that list, so they are kept per tag until
the list changes (extensions may add names to it; `check` is called before every document).
"""

from __future__ import annotations

from typing import Any

MAX_TAGS = 1024  # editors' raw HTML can name any tag: answers are forgotten past this many, between documents


class BlockLevel:
    """A drop-in for `Markdown.is_block_level`, set on one converter instance."""

    def __init__(self, md: Any):
        self.md, self.names, self.answers = md, list(md.block_level_elements), {}

    def check(self) -> None:
        """Forget the answers if the converter's list of block-level names changed."""
        if self.names != self.md.block_level_elements or len(self.answers) > MAX_TAGS:
            self.names, self.answers = list(self.md.block_level_elements), {}

    def __call__(self, tag: Any) -> bool:
        try:
            return self.answers[tag]
        except KeyError:
            pass
        except TypeError:  # an unhashable tag is no string: Markdown says False
            return False
        # Markdown's own test, word for word
        answer = isinstance(tag, str) and tag.lower().rstrip("/") in self.names
        self.answers[tag] = answer
        return answer


def install(md: Any) -> BlockLevel:
    """Answer md's block-level questions from memory; returns the object whose check() to call."""
    block_level = BlockLevel(md)
    md.is_block_level = block_level
    return block_level
