"""Flat YAML (one mapping of scalars, as the intake writes comments) read without the general parser.

The safe loader builds a node for every scalar and resolves its type in Python: at ten thousand
topics, the five comment files of each cost more than its page's template. A comment file is one
mapping of text, dates and nulls, and reading it line by line gives the same values several times
faster. `flat_mapping` declines (returns None) whenever a text uses anything more: nesting, lists,
anchors, tags, comments, document markers, block scalars, unknown escapes, tabs or line breaks
other than '\\n' where they could matter. The caller then parses the text with the safe loader,
which also words the errors. tests/test_flatyaml.py holds it to the safe loader on hostile text.
Folding and escapes of quoted and multi-line scalars are in `flatscalar`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from .flatscalar import Decline, fold, fold_double, unescape


class _All:
    """Contains everything."""

    def __contains__(self, item: object) -> bool:
        return True


STR_TAG = "tag:yaml.org,2002:str"
# the types a plain scalar may resolve to here; anything else (merge keys, '!', ...) declines
_SCALAR_TAGS = {STR_TAG} | {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp")}
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

# characters that are not YAML-printable, or break lines in YAML but not in str.split("\n")
_DECLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,63}):(?:[ ]+(.*))?\Z")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
# a plain scalar: no indicator first, no ': ', no ' #', no tab, no ':' at its end
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
_PLAIN_BAD = re.compile(r": |\s#|\t|:\Z")
_text_keys: dict[str, bool] = {}  # key -> whether a plain key of that spelling is text
# the common case, one match for the whole text: every entry 'key: value' with the value on its
# line, double-quoted, single-quoted or plain; the last two may go on over lines indented or blank,
# as the intake folds a comment's body (loops unrolled: alternation per character is slow)
_PLAIN_FIRST = r"""[^\s\-?:,\[\]{}#&*!|>'"%@`]"""  # a character a plain scalar's line may start with here
_LINE = (r"""([A-Za-z_][A-Za-z0-9_]{0,63}): +(?:("[^"\\\n]*(?:\\[^\n][^"\\\n]*)*")"""
         r"""|('[^'\n]*(?:(?:''|\n(?=[ \n]))[^'\n]*)*')"""
         rf"""|({_PLAIN_FIRST}[^\n]*(?:\n(?:[ ]*\n)*[ ]+{_PLAIN_FIRST}[^\n]*)*))\n""")
_LINES = re.compile(f"(?:{_LINE})+")
_ONE_LINE = re.compile(_LINE)
_UTC = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")  # as the intake writes times
# the plain scalars that recur, such as null: their values. Only singletons (None, True, False):
# a cached string would be one object shared between records, and pickle writes shared objects
# differently, so a topic's meta (cache.TopicEntry.of) would depend on what this process read before
_plain_values: dict[str, Any] = {}
_MISSING = object()
# the first characters a plain scalar of another type than text may start with (all, should a
# resolver ever look at every scalar)
_CLAIMED: frozenset[str] | _All = _All() if None in _RESOLVER.yaml_implicit_resolvers \
    else frozenset(k for k in _RESOLVER.yaml_implicit_resolvers if k)


def flat_mapping(text: str) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]] | None:
    """The mapping a flat YAML text holds, as the safe loader reads it, with the line (1-based) of
    each key under (key,) and of the mapping under (); None when the text is anything else."""
    if _DECLINE.search(text):
        return None
    simple = text if text.endswith("\n") else text + "\n"
    if _LINES.fullmatch(simple):
        try:
            return _simple_mapping(_ONE_LINE.findall(simple))
        except Decline:
            pass  # e.g. ' #' in a plain value: the line by line reading decides
    lines = text.split("\n")
    data: dict[str, Any] = {}
    where: dict[tuple[Any, ...], int] = {}
    i, n = 0, len(lines)
    try:
        while i < n:
            line = lines[i]
            if not line.strip(" "):
                i += 1
                continue
            match = _ENTRY.match(line)
            if match is None:
                return None
            key, inline = match.group(1), match.group(2) or ""
            if key in data or not _is_text_key(key):
                return None
            end = _block_end(lines, i)
            value = _value(inline, lines[i + 1:end])
            if not where:
                where[()] = i + 1
            data[key], where[(key,)] = value, i + 1
            i = end
    except Decline:
        return None
    return (data, where) if data else None


def _simple_mapping(found: list[tuple[str, str, str, str]]) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]] | None:
    data: dict[str, Any] = {}
    where: dict[tuple[Any, ...], int] = {(): 1}
    line = 0  # the last line read: an entry's value may take more than its own
    for key, double, single, plain in found:
        line += 1
        start = line
        if key in data or not _is_text_key(key):
            return None
        if double:
            value = double[1:-1]
            if "\\" in value:
                value = unescape(value)
        elif single:
            value = single[1:-1]
            if "\n" in value:  # folded here: _value would match the quotes again, a character at a time
                line += value.count("\n")
                value = fold(value.split("\n"))
            if "''" in value:
                value = value.replace("''", "'")
        elif "\n" in plain:
            lines = plain.split("\n")
            line += len(lines) - 1
            value = _value(lines[0], lines[1:])  # as the line by line reading has it
        else:
            plain = plain.rstrip(" ")
            value = _plain_values.get(plain, _MISSING)
            if value is not _MISSING:
                pass
            elif _PLAIN_BAD.search(plain):
                raise Decline
            elif plain[0] not in _CLAIMED:
                value = plain  # no other type starts so: text (ids, slugs, names)
            elif len(plain) == 20 and (time := _UTC.fullmatch(plain)):
                try:  # what the safe loader makes of it, without its general pattern
                    value = dt.datetime(*map(int, time.groups()), tzinfo=dt.timezone.utc)
                except ValueError:
                    raise Decline from None  # e.g. month 13: the safe loader words the error
            else:
                value = _value(plain, [])
                if type(value) in (type(None), bool) and len(_plain_values) < 256:
                    _plain_values[plain] = value  # null, yes, no, ...
        data[key], where[(key,)] = value, start
    return data, where


def _is_text_key(key: str) -> bool:
    known = _text_keys.get(key)
    if known is None:
        known = _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) == STR_TAG
        if len(_text_keys) < 512:
            _text_keys[key] = known
    return known


def _block_end(lines: list[str], i: int) -> int:
    """The index after the last line that belongs to entry i: lines indented by a space, or blank."""
    end = j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.startswith(" "):
            end = j + 1
        elif line:
            break
        j += 1
    return end


def _value(first: str, more: list[str]) -> Any:
    """One entry's value: the text after 'key: ' and the entry's further lines (blank or indented)."""
    head = first[:1]
    if head == "'" or head == '"':
        raw = "\n".join([first] + more).rstrip(" \n")
        match = (_SINGLE if head == "'" else _DOUBLE).match(raw)
        if match is None or match.end() != len(raw):
            raise Decline  # unclosed, or something after the closing quote
        body = match.group(1)
        if head == "'":
            return fold(body.split("\n")).replace("''", "'")
        return fold_double(body.split("\n"))
    parts = [line.strip(" ") for line in [first] + more]  # the blanks around a plain scalar's lines are not in it
    while parts and not parts[-1]:
        parts.pop()  # nor are the blank lines after it
    if not parts or not parts[0]:
        raise Decline  # 'key:' with an indented value below, or an empty value: leave it to YAML
    for part in parts:
        if part and (part[0] in _PLAIN_START or _PLAIN_BAD.search(part)):
            raise Decline
    value = fold(parts)
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == STR_TAG:
        return value
    if tag not in _SCALAR_TAGS:
        raise Decline
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        raise Decline from None  # e.g. the date 2026-13-01: the safe loader says what is wrong
