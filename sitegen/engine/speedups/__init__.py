"""Speed-ups of Python-Markdown, installed only on the versions they were written and tested for.

Each one reaches into Markdown's internals: inline.py replaces the inline processor's name-mangled
loop and reads regular expressions with Python's private `re._parser`; blocks.py reads the block
processors' expressions so, and knows what the table's test looks for; headings.py calls the toc
extension's `unique` with the counters it takes since Markdown 3.11 (3.10's takes two arguments);
blocklevel.py answers `is_block_level` as Markdown does. Outside SUPPORTED nothing is installed and
the plain converter runs: slower, still right. pyproject.toml pins markdown to the same range.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...core.markdown_html import use_speedups

if TYPE_CHECKING:  # the modules themselves only once a converter is made: a no-op rebuild imports no Markdown
    from .blocklevel import BlockLevel
    from .headings import HeadingIds

# (lowest, first unsupported) major.minor: the versions whose internals the code was read against
# and whose output tests/test_speedups.py compared with a plain converter's.
MARKDOWN = ((3, 11), (3, 12))
PYTHON = ((3, 11), (3, 12))  # re._parser's tree (SUBPATTERN's four fields, ATOMIC_GROUP) as of 3.11


@dataclass(frozen=True)
class Installed:
    """The speed-ups on one converter; call it with each text before converting that text."""

    inline: bool  # False: the patterns became a list, but the inline loop is Markdown's own
    blocks: tuple[str, ...]  # the block processors asked only about blocks holding what they need
    block_level: BlockLevel
    headings: HeadingIds | None  # None: the toc extension runs as it is

    def __call__(self, text: str) -> None:
        self.block_level.check()
        if self.headings is not None:
            self.headings.full = self.headings.marker in text  # no marker in the text, none in the document


def major_minor(version: str) -> tuple[int, int]:
    """(3, 11) for '3.11.3', '3.11' or '3.11rc1'; (0, 0) for what is no version."""
    found = re.match(r"(\d+)\.(\d+)", version)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def supported(markdown_version: str, python: tuple[int, int]) -> bool:
    """Whether the speed-ups were written for this Markdown version on this Python."""
    return (MARKDOWN[0] <= major_minor(markdown_version) < MARKDOWN[1]
            and PYTHON[0] <= tuple(python[:2]) < PYTHON[1])


def install(md: Any, markdown_version: str | None = None,
            python: tuple[int, int] | None = None) -> Installed | None:
    """Make md faster, same HTML, if the versions (the running ones unless given) are SUPPORTED; else None."""
    import markdown
    markdown_version = markdown.__version__ if markdown_version is None else markdown_version
    if not supported(markdown_version, sys.version_info[:2] if python is None else python):
        return None
    from . import blocklevel, blocks, headings, inline
    # The inline processor looks its patterns up by index, thousands of times per page; the
    # registry sorts and searches on every lookup, a list does not. Same patterns, same order
    # (extensions register them when the converter is made, not while it converts; since 3.7
    # abbr too): about 5 % of the build. It also skips the patterns a text cannot match: 30 %.
    skips = inline.skip_impossible(md.treeprocessors["inline"])
    asked = blocks.install(md)  # a quarter of the instructions left: see blocks.py
    block_level = blocklevel.install(md)  # another 8 %: see blocklevel.py
    return Installed(skips, asked, block_level, headings.install(md))  # another 7 %: see headings.py


def enable() -> None:
    """Have core's Markdown converter made with these speed-ups (called where a build starts)."""
    use_speedups(install)
