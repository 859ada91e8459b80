"""Reading content files: front matter split, YAML with line numbers, safe loader only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .flatyaml import flat_mapping
from .codepoints import strip_forbidden

try:  # the C loader is several times faster; the pure one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STR_TAG = "tag:yaml.org,2002:str"


class SafeLoader(_Loader):  # type: ignore[valid-type,misc]
    """The safe loader, with a short way for plain strings (most values), which construct to their text."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == STR_TAG and type(node) is yaml.ScalarNode:
            return node.value
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key given twice is an error (YAML's loaders keep the last one silently, so a
        second `title:` or `source:` further down would quietly win)."""
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DuplicateKey(key.value, seen[key.value], key.start_mark)
                seen[key.value] = key.start_mark.line
        return super().construct_mapping(node, deep)


class DuplicateKey(yaml.constructor.ConstructorError):
    """A mapping names one key twice: the key, the line of its first use, where it came again."""

    def __init__(self, key: str, first: int, mark: yaml.Mark):
        super().__init__(None, None, f"the key '{key}' is given twice", mark)
        self.key, self.first = key, first



class Lines:
    """Where each key of a YAML document sits; worked out only when an error needs a line."""

    def __init__(self, node: yaml.Node | None, first_line: int, known: dict[tuple[Any, ...], int] | None = None):
        self._node, self._first, self._map = node, first_line, known

    def _lines(self) -> dict[tuple[Any, ...], int]:
        if self._map is None:
            self._map = {}
            if self._node is not None:
                _collect_lines(self._node, (), self._map, self._first)
            self._node = None
        return self._map

    def __contains__(self, key: object) -> bool:
        return key in self._lines()

    def __getitem__(self, key: tuple[Any, ...]) -> int:
        return self._lines()[key]

    def get(self, key: tuple[Any, ...], default: int | None = None) -> int | None:
        return self._lines().get(key, default)


@dataclass(frozen=True)
class Source:
    """A parsed content file: its data, where each key sits, and the Markdown body."""

    path: Path
    data: dict[str, Any]
    lines: Lines
    body: str
    body_line: int


class SourceError(Exception):
    """A file that cannot be parsed at all; carries the line and a hint."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, Lines]:
    """Parse YAML once, returning the value and the line of every mapping key and list item."""
    if "*" in text:  # no alias without '*': the common case pays one scan of the text
        _refuse_aliases(text, first_line)
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Lines(None, first_line)
        value = loader.construct_document(node)
    except DuplicateKey as exc:
        raise SourceError(first_line + exc.problem_mark.line,
                          f"the key '{exc.key}' is given twice (also on line {first_line + exc.first})",
                          "keep one of the two: only one value can count") from None
    except yaml.MarkedYAMLError as exc:
        # the context mark is where the broken construct began (e.g. an unclosed '['), the
        # problem mark where the parser gave up, often at the end of the file
        mark = exc.context_mark or exc.problem_mark
        line = first_line + (mark.line if mark else 0)
        raise SourceError(line, f"broken YAML: {exc.problem or exc.context}",
                          "check the indentation and quote values that contain ': ' or start with a special character") from None
    except yaml.YAMLError as exc:
        raise SourceError(first_line, f"broken YAML: {exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-01
        line, text_value = _bad_scalar(node)
        raise SourceError(first_line + line, f"'{text_value}' cannot be read: {exc}",
                          "put the value in quotes if it is meant as text, or fix the date") from None
    finally:
        loader.dispose()
    return value, Lines(node, first_line)


def _refuse_aliases(text: str, first_line: int) -> None:
    """Refuse YAML aliases (*name): nine lines of them ("billion laughs") make a value that every
    walk over it (line numbers, validation, the cache's digest) unfolds until memory runs out.
    Editors never need them. Found from the parser's events, before anything is built."""
    loader = SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise SourceError(first_line + event.start_mark.line, f"YAML alias '*{event.anchor}' is not allowed",
                                  "write the value out again (anchors '&' and aliases '*' are not used in content files); "
                                  "put text that starts with '*' in quotes")
    except yaml.YAMLError:
        return  # broken YAML: parse_yaml words the error
    finally:
        loader.dispose()


def _bad_scalar(node: yaml.Node) -> tuple[int, str]:
    """Find the first scalar the safe loader cannot construct (only called after a failure)."""
    stack = [node]
    while stack:
        n = stack.pop(0)
        if isinstance(n, yaml.ScalarNode):
            try:
                SafeLoader("").construct_object(n)
            except (ValueError, TypeError, OverflowError):
                return n.start_mark.line, n.value
        elif isinstance(n, yaml.MappingNode):
            stack += [x for pair in n.value for x in pair]
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
    return 0, "a value"


def _collect_lines(node: yaml.Node, key: tuple[Any, ...], lines: dict[tuple[Any, ...], int], first: int) -> None:
    """Walk the node tree and remember the line where each path starts."""
    lines[key] = node.start_mark.line + first
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            sub = key + (k.value if isinstance(k, yaml.ScalarNode) else None,)
            lines[sub] = k.start_mark.line + first
            _collect_lines(v, sub, lines, first)
            lines[sub] = k.start_mark.line + first
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, key + (i,), lines, first)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split '---' front matter from the body; returns (yaml, body, body's first line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise SourceError(1, "the file does not start with front matter",
                          "the first line must be '---', then the fields, then another '---'")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise SourceError(1, "the front matter is never closed",
                      "did you forget the second '---' line after the fields?")


def read_markdown(path: Path, text: str | None = None) -> Source:
    """Read a Markdown file with YAML front matter."""
    text = read_text(path) if text is None else text
    head, body, body_line = split_front_matter(text)
    data, lines = parse_yaml(head, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(2, "the front matter must be a list of 'field: value' lines")
    return Source(path, data, lines, body, body_line)


def read_yaml(path: Path, text: str | None = None) -> Source:
    """Read a plain YAML file whose top level is a mapping."""
    text = read_text(path) if text is None else text
    flat = flat_mapping(text)  # a comment file, mostly: several times faster, the same values
    if flat is not None:
        return Source(path, flat[0], Lines(None, 1, flat[1]), "", 0)
    data, lines = parse_yaml(text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(1, "the file must be a list of 'field: value' lines")
    return Source(path, data, lines, "", 0)


def read_bytes(path: Path | str) -> bytes:
    """A whole file, with four system calls: a build reads tens of thousands of small files, and
    Path.read_bytes' buffered file object adds three more per file (fstat twice, isatty)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: Path) -> str:
    """Read a file as UTF-8, with a clear error for other encodings."""
    try:
        raw = read_bytes(path)
    except OSError as exc:  # a broken link, a folder named like a file, no permission
        raise SourceError(1, f"the file cannot be read: {exc.strerror or exc}",
                          "check that it is a regular file you may read") from None
    try:
        # forbidden code points (controls, noncharacters) never reach a page, a feed or a calendar
        return strip_forbidden(raw.decode("utf-8").replace("\r\n", "\n"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(line, "the file is not UTF-8 text",
                          "save it as UTF-8 in your editor") from None
