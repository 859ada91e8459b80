"""What every form backend shares: the submission, the interface pull needs, keys, paging guard, token."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Protocol

from intake.config import text
from intake.errors import ConfigError
from intake.http import FetchError
from sitegen.core.contract import COMMENT_ID


@dataclass(frozen=True)
class Submission:
    """One submission as a backend delivered it, every field flattened to a string."""

    key: str
    source: str
    source_id: str | None
    date: str
    data: Mapping[str, str] = field(default_factory=dict)
    flagged_spam: bool = False  # the backend's own spam filter put it there
    problems: tuple[str, ...] = ()  # what was wrong with the delivery itself (e.g. an impossible date)


class Source(Protocol):
    """What pull needs from a backend."""

    name: str
    can_delete: bool

    def pages(self) -> Iterator[list[Submission]]:
        """Yield submissions page by page, so each page is on disk before the next is fetched."""
        ...

    def delete(self, submission: Submission) -> None:
        """Remove a submission at the backend (only called once it is safe on disk)."""
        ...


def stable_key(source: str, raw_id: Any, item: Any) -> str:
    """`<source>-<id>` when the id is a safe short slug, else a hash of it (or of the content)."""
    raw = "" if raw_id is None else str(raw_id)
    # the key becomes a comment id: the backend's id must be one, and so must fit beside the source's name
    if raw and COMMENT_ID.match(raw) and len(source) + 1 + len(raw) <= 64:
        return f"{source}-{raw}"
    basis = raw if raw else json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return f"{source}-h{hashlib.sha256(basis.encode('utf-8', 'surrogatepass')).hexdigest()[:24]}"


def flatten(value: Any) -> str:
    """A form value as text: lists joined, None empty, anything nested as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else ""
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(flatten(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class PageGuard:
    """Ends a pagination that does not: pages repeating only what was read, or more than max_pages.

    One such page is no proof: when as many submissions arrive between two requests as a page holds,
    the next page repeats the last one whole. A loop repeats page after page; new arrivals that fill
    a page before every request, several times over, are far rarer, and the next pull catches up.
    """

    REPEATS = 3  # repeat-only pages in a row that count as a loop

    def __init__(self, where: str, max_pages: int) -> None:
        self.where, self.max_pages = where, max_pages
        self.pages = 0
        self.repeats = 0
        self.seen: set[str] = set()

    def check(self, batch: list[Submission], page: str) -> None:
        """Call once per page before yielding it."""
        self.pages += 1
        if self.pages > self.max_pages:
            raise FetchError(f"{self.where}: more than intake.http.max_pages ({self.max_pages}) pages; the "
                             "backend's pagination does not end (what was read so far is stored)")
        keys = {s.key for s in batch}
        # Only a page of nothing but known keys is a loop: shifted offsets legitimately repeat SOME keys.
        self.repeats = self.repeats + 1 if keys and keys <= self.seen else 0
        if self.repeats >= self.REPEATS:
            raise FetchError(f"{self.where}: {page} repeats only submissions already read, {self.REPEATS} pages in "
                             "a row; the pagination does not advance (what was read so far is stored)")
        self.seen |= keys


def token(settings: Mapping[str, Any], where: str, default_env: str | None, env: Mapping[str, str]) -> str | None:
    """The secret from the environment variable the config names (never from the config itself)."""
    name = text(settings, "token_env", default_env, where)
    if name is None:
        return None
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} ({where}.token_env) is not set; export the API token "
                          "there")
    return value


def dig(item: Any, path: str) -> Any:
    """Follow a dotted path (`data.name`) into nested mappings."""
    for part in path.split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item
