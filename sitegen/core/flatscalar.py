"""How flat YAML's quoted and multi-line scalars become text: line folding and double-quote escapes.

Part of the flat reader (`flatyaml`): whatever this module is not sure of raises `Decline`, and the
caller leaves the whole text to the safe loader, which also words the errors.
"""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
           "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
           "L": "\u2028", "P": "\u2029"}


class Decline(Exception):
    """The text is not flat YAML this module is sure of."""


def fold(lines: list[str]) -> str:
    """Join the lines of a multi-line flow or plain scalar as YAML does: a line break is a space,
    each blank line between two lines a line break; blanks around the breaks are dropped."""
    if len(lines) == 1:
        return lines[0]
    out = [lines[0].rstrip(" \t")]
    blank = 0
    for line in lines[1:-1]:
        text = line.strip(" \t")
        if not text:
            blank += 1
            continue
        out += [" " if not blank else "\n" * blank, text]
        blank = 0
    out += [" " if not blank else "\n" * blank, lines[-1].lstrip(" \t")]
    return "".join(out)


def fold_double(lines: list[str]) -> str:
    """A double-quoted scalar's value from its lines (still escaped). A line ending in an escaped
    line break ('\\' at its very end) joins the next without a space, blanks before it kept. An
    escape never spans lines, so each line is unescaped on its own: '\\u20' at a line's end is
    an error, not the start of an escape the next line completes."""
    for line in lines[:-1]:
        stripped = line.rstrip(" \t")
        if stripped != line and odd_backslashes(stripped):
            raise Decline  # an escaped blank ('\\ ', '\\<tab>') at a line's end: not worth the rules
    out: list[str] = []
    blank, joined = 0, False
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        text = line if k == 0 else line.lstrip(" \t")
        escaped = not last and odd_backslashes(text)
        if escaped:
            text = text[:-1]
        elif not last:
            text = text.rstrip(" \t")
        if k and not escaped and not last and not text:
            blank += 1  # a blank line; a line with only an escaped line break adds nothing
            continue
        if k:
            out.append("\n" * blank if joined or blank else " ")
        out.append(unescape(text))
        blank, joined = 0, escaped
    return "".join(out)


def odd_backslashes(text: str) -> bool:
    """Whether text ends in an escaping backslash (an odd run of them)."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def unescape(text: str) -> str:
    """One line of a double-quoted scalar with its escapes resolved."""
    if "\\" not in text:
        return text
    return ESCAPE.sub(escape, text)


def escape(match: re.Match[str]) -> str:
    """The character one escape stands for; Decline for what the safe loader would refuse."""
    code = match.group(1)
    if len(code) == 1:
        char = ESCAPES.get(code)
        if char is None:
            raise Decline  # the safe loader reports the unknown escape
        return char
    value = int(code[1:], 16)  # \xXX, \uXXXX, \UXXXXXXXX
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise Decline
    return chr(value)
