"""Python-Markdown's inline pass, without trying the patterns that cannot match.

The inline processor tries each of its patterns (links, emphasis, code, HTML, entities, ...) on
every piece of text, one Python call each, although most pieces hold none of the characters a
pattern needs: no '[' for a link, no '<' for HTML, no '`' for code. Each pattern's regular
expression says which characters every match needs; when a text holds none of them, the try
would hand the text back unchanged, so it is skipped. Same output, a third less time in Markdown.

Two things here depend on Python-Markdown's internals: the inline processor's private loop is
replaced by the same loop with the skip, and the regular expressions are read with Python's own
parser. Where either is not as expected, the loop is left as it is, or the pattern always tried
(slower, still right); tests compare the output with a plain converter's. The package's install()
applies it only on the Markdown and Python versions it was written for (MARKDOWN, PYTHON there).
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def needs(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match (or its lookaround) holds at least one; None if unknown."""
    if regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return None
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except Exception:  # a newer Python's parser: know nothing rather than guess
        return None
    found = _sequence(parsed)
    return tuple(sorted(found)) if found else None


def _sequence(items: Any) -> frozenset[str] | None:
    """A sequence matches only if each of its items does: any item's needs are the sequence's.

    Of these, the least common are kept: a run of literals ('  \n') rather than one of its
    characters, punctuation rather than a space or a letter."""
    candidates, run = [], ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset((run,)))
            run = ""
        found = _item(op, av)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset((run,)))
    return min(candidates, key=_commonness, default=None)


def _commonness(strings: frozenset[str]) -> int:
    """2: some string is a letter, digit or space; 1: a line break or tab; 0: rarer."""
    return max(2 if s.isalnum() or s == " " else 1 if s.isspace() else 0 for s in strings)


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is sre.LITERAL:
        return frozenset(chr(av))
    if op is sre.SUBPATTERN:
        _, add_flags, _, sub = av
        return None if add_flags & sre.SRE_FLAG_IGNORECASE else _sequence(sub)
    if op in _REPEATS:
        low, _, sub = av
        return _sequence(sub) if low >= 1 else None
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is sre.ASSERT:  # a lookahead or lookbehind that must match: the text holds it
        return _sequence(av[1])
    if op is sre.BRANCH:  # one of the branches matches: the union of their needs
        branches = [_sequence(branch) for branch in av[1]]
        return frozenset().union(*branches) if all(branches) else None
    if op is sre.IN and all(o is sre.LITERAL for o, _ in av):
        return frozenset(chr(a) for _, a in av)
    return None


def skip_impossible(processor: Any) -> bool:
    """Make an InlineProcessor skip the patterns a text cannot match; False where its private loop is
    not there to replace (its patterns still become a list: lookups without sorting).

    Mirrors InlineProcessor.__handleInline as of Markdown 3.11: a pattern that does not match
    returns start index 0, so a pattern is only ever tried from 0 when it is first tried on a text."""
    from markdown import inlinepatterns, util

    patterns = processor.inlinePatterns
    if not isinstance(patterns, list):  # a list, not the registry, which sorts on every lookup
        patterns = processor.inlinePatterns = list(patterns)
    apply = getattr(processor, "_InlineProcessor__applyPattern", None)
    if apply is None or not hasattr(processor, "_InlineProcessor__handleInline"):
        return False
    wanted = [needs(p.getCompiledRegExp()) if isinstance(p, inlinepatterns.InlineProcessor) else None
              for p in patterns]
    count = len(patterns)

    def handle_inline(data: str, index: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        start = 0
        while index < count:
            if start == 0 and (strings := wanted[index]) is not None:
                for string in strings:
                    if string in data:
                        break
                else:
                    index += 1  # no match possible: what trying would have returned
                    continue
            data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data

    processor._InlineProcessor__handleInline = handle_inline
    return True
