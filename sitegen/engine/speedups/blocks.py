"""Python-Markdown's block processors, asked only about blocks they could take.

The block parser offers each block to every processor in turn until one takes it, and a paragraph,
the most common block, is offered to all seventeen. Seven of them can take only a block that holds
a certain text: a heading a '#', a quote a '>', a definition a ':', a footnote '[^', an abbreviation
'*[', a link reference '[', a table a '|'. Six decide with a regular expression (in `test`, or in
`run`, which hands the block back unchanged when it does not match), read with inline.needs like
the inline patterns; the table's test is Python, which splits the block into rows and cells, and
finds no table without a '|'. Asked only when the block holds that text, they give the same
answers: a quarter fewer instructions in a topic body's conversion (15.3 million instead of 20.2),
a sixth fewer in all a topic costs.

A processor whose class is not exactly the one named here (an extension replaced it) is asked as
it is; so is one whose expression says nothing sure. tests/test_speedups.py checks, on hostile
text, that each of them takes no block without its text, and compares the HTML with a plain
converter's.
"""

from __future__ import annotations

from typing import Any, Callable

from markdown import blockprocessors
from markdown.extensions import abbr, def_list, footnotes, tables

from .inline import needs

BY_EXPRESSION = (blockprocessors.HashHeaderProcessor, blockprocessors.BlockQuoteProcessor,
                 def_list.DefListProcessor, footnotes.FootnoteBlockProcessor, abbr.AbbrBlockprocessor,
                 blockprocessors.ReferenceProcessor)  # each matches `self.RE` against the block
BY_TEXT = {tables.TableProcessor: ("|",)}  # a row without '|' is one cell: no table


def needed(processor: Any) -> tuple[str, ...] | None:
    """Texts of which a block this processor takes holds one; None if not known."""
    kind = type(processor)
    if kind in BY_TEXT:
        return BY_TEXT[kind]
    return needs(processor.RE) if kind in BY_EXPRESSION else None


def install(md: Any) -> tuple[str, ...]:
    """Ask md's block processors only about blocks that hold what they need; the names of those asked so."""
    asked = []
    for processor in md.parser.blockprocessors:
        texts = needed(processor)
        if texts:
            processor.test = _asked_if(texts, processor.test)
            asked.append(type(processor).__name__)
    return tuple(asked)


def _asked_if(texts: tuple[str, ...], test: Callable[[Any, str], bool]) -> Callable[[Any, str], bool]:
    if len(texts) == 1:
        text = texts[0]
        return lambda parent, block: text in block and test(parent, block)
    return lambda parent, block: any(t in block for t in texts) and test(parent, block)
