"""Declarative field rules for front matter: types, required keys, choices, and helpful errors."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

from .codepoints import strip_forbidden
from .source import Lines

YAML_TYPE_NAMES = {
    bool: "yes/no (true/false)", int: "a number", float: "a number", dt.date: "a date",
    dt.datetime: "a date and time", list: "a list", dict: "a group of fields", type(None): "empty",
}


def describe(value: Any) -> str:
    """Name what YAML made of a value, in an editor's words."""
    for kind, name in YAML_TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return "text" if isinstance(value, str) else type(value).__name__


@dataclass(frozen=True)
class Rule:
    """How one field is checked and converted."""

    kind: str  # text, url, date, datetime, bool, choice, list, struct
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    item: "Rule | None" = None
    fields: dict[str, "Rule"] = field(default_factory=dict)
    example: str = ""


def text(required: bool = False, default: Any = None, example: str = "") -> Rule:
    return Rule("text", required, default, example=example)


def url(required: bool = False, example: str = "https://…") -> Rule:
    return Rule("url", required, example=example)


def struct(required: bool = False, **fields: Rule) -> Rule:
    return Rule("struct", required, fields=fields)


def list_of(item: Rule, required: bool = False) -> Rule:
    return Rule("list", required, default=(), item=item)


def choice(*choices: str, default: str | None = None) -> Rule:
    return Rule("choice", False, default, choices=choices)


class Validator:
    """Checks a mapping against rules, reporting every problem with the key's line."""

    def __init__(self, lines: Lines, report: Callable[[int, str, str], None]):
        self.lines, self._report = lines, report

    def line(self, key: tuple[Any, ...]) -> int:
        """The line of a key path, falling back to its nearest parent."""
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key, 1)

    def error(self, key: tuple[Any, ...], message: str, hint: str = "") -> None:
        self._report(self.line(key), message, hint)

    def mapping(self, data: dict[str, Any], rules: dict[str, Rule], key: tuple[Any, ...] = ()) -> dict[str, Any]:
        """Validate a mapping: unknown keys, missing keys, then each value."""
        out: dict[str, Any] = {}
        for name in data:
            if name not in rules:
                close = difflib.get_close_matches(str(name), list(rules), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "allowed fields: " + ", ".join(rules)
                self.error(key + (name,), f"unknown field '{dotted(key + (name,))}'", hint)
        for name, rule in rules.items():
            value = data.get(name)
            if value is None:
                if rule.required:
                    example = f" (for example: {name}: {rule.example})" if rule.example else ""
                    self.error(key, f"missing required field '{dotted(key + (name,))}'", f"add the line '{name}: …'{example}")
                out[name] = rule.default
            else:
                out[name] = self.value(value, rule, key + (name,))
        return out

    def value(self, value: Any, rule: Rule, key: tuple[Any, ...]) -> Any:
        """Validate and convert one value according to its rule."""
        name = dotted(key)
        if rule.kind == "any":
            return value
        if rule.kind in ("text", "url"):
            return self.text(value, rule.kind == "url", key)
        if rule.kind == "int":
            if type(value) is not int:
                self.error(key, f"'{name}' must be a whole number, not {describe(value)}")
                return rule.default
            return value
        if rule.kind == "bool":
            if not isinstance(value, bool):
                self.error(key, f"'{name}' must be true or false, not {describe(value)}")
                return rule.default
            return value
        if rule.kind == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            self.error(key, f"'{name}' must be a date like 2026-11-26, not {describe(value)}")
            return None
        if rule.kind == "datetime":
            return self.datetime(value, key)
        if rule.kind == "choice":
            if value not in rule.choices:
                self.error(key, f"'{name}' must be one of: {', '.join(rule.choices)}", f"got '{value}'")
                return rule.default
            return value
        if rule.kind == "list":
            if not isinstance(value, list):
                self.error(key, f"'{name}' must be a list (lines starting with '- ')")
                return ()
            assert rule.item is not None
            return tuple(self.value(v, rule.item, key + (i,)) for i, v in enumerate(value))
        if rule.kind == "struct":
            if not isinstance(value, dict):
                self.error(key, f"'{name}' must be a group of indented 'field: value' lines, not {describe(value)}")
                return None
            return self.mapping(value, rule.fields, key)
        raise AssertionError(rule.kind)

    def text(self, value: Any, is_url: bool, key: tuple[Any, ...]) -> str:
        """Check text (and a URL's form), without the characters the site never shows."""
        name = dotted(key)
        if not isinstance(value, str):
            self.error(key, f"'{name}' must be text, but YAML read it as {describe(value)}",
                       f"put the value in quotes: {key[-1]}: \"{value}\"")
            return str(value)
        if not (value.isascii() and value.isprintable()):  # the common case needs no regex
            value = strip_forbidden(value)  # YAML escapes like "\x01" can still produce them
        if is_url and not value.startswith(("https://", "http://", "/", "mailto:")):
            self.error(key, f"'{name}' must be a web address starting with https:// or /", f"got '{value}'")
        elif is_url and other_host(value):
            self.error(key, f"'{name}' starts with '//' or '/\\', which browsers read as another site's address",
                       f"write https://… for another site, or one '/' for a page of this one; got '{value}'")
        return value.strip()

    def datetime(self, value: Any, key: tuple[Any, ...]) -> dt.datetime | None:
        """Accept YAML timestamps and 'YYYY-MM-DD HH:MM' text; naive values stay naive."""
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, f"'{dotted(key)}' must be a date and time like 2026-12-01 18:00",
                   f"got {describe(value)} '{value}'")
        return None


def other_host(url: str) -> bool:
    """A protocol-relative address (//host, /\\host): it looks like a path of this site and leads to
    another. Browsers drop tabs and line breaks in addresses and read '\\' as '/', so those count too."""
    plain = url.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    return plain.startswith("/") and plain[1:2] in ("/", "\\")


def dotted(key: tuple[Any, ...]) -> str:
    """Render a key path the way an editor would write it: documents[1].url."""
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


BOOL = Rule("bool", default=False)
DATE = Rule("date")
DATETIME = Rule("datetime", required=True, example="2026-12-01 18:00")
