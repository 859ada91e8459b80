"""`json.dumps(value, ensure_ascii=False, indent=1)`, the same text, several times faster.

Given an indent, the standard library encodes in pure Python, with a call per token. The open data
(at 10,000 topics, as many records in themen.json) and every page's JSON-LD are written indented.
Here the containers are laid out by joining strings, and each string goes through json's own
escaping (its C function where Python has it). Whatever is not text, a whole number, true, false,
null, a list, a tuple or a dict with text keys, and a value nested hundreds deep, gets the standard
library's own text, indented to its depth. tests/test_pretty_json.py holds it to json.dumps on generated and hostile values.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # what json.dumps escapes text with when ensure_ascii=False
from typing import Any


def dumps(value: Any, depth: int = 0) -> str:
    """The text json.dumps(value, ensure_ascii=False, indent=1) gives; depth: how many spaces the
    lines after the first are indented by (the value sits that deep inside another)."""
    newline = "\n" + " " * depth
    try:
        return _text(value, newline)
    except RecursionError:  # nested hundreds deep (two frames a level here, one in json): json's own text
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)


def _text(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if (kind is list or kind is tuple) and value:
        inner = newline + " "
        return "[" + inner + ("," + inner).join([encode_basestring(item) if type(item) is str else _text(item, inner)
                                                 for item in value]) + newline + "]"
    if kind is dict and value and all(type(key) is str for key in value):
        inner = newline + " "
        return "{" + inner + ("," + inner).join([
            encode_basestring(key) + ": " + (encode_basestring(item) if type(item) is str else _text(item, inner))
            for key, item in value.items()]) + newline + "}"
    # empty containers, floats, subclasses, keys that are not text: as json writes them
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", newline)
