"""Form backends behind one small interface: pages of submissions, and delete where possible."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Protocol

from intake.config import IntakeConfig, check_keys, text
from intake.errors import ConfigError
from intake.http import Fetcher, FetchError, shown

RAW_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
EARLIEST_YEAR = 1000  # earlier years break ISO 8601's four digits, and no comment is that old
CLOCK_SLACK = dt.timedelta(days=1)  # a backend clock may run a little ahead; a day more is not a date


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
    if raw and RAW_ID.match(raw) and len(source) + 1 + len(raw) <= 64:
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


def stamp(when: dt.datetime) -> str:
    """UTC `YYYY-MM-DDTHH:MM:SSZ` with a four-digit year (strftime leaves years below 1000 unpadded)."""
    when = when.astimezone(dt.timezone.utc)
    return f"{when.year:04d}-{when:%m-%dT%H:%M:%S}Z"


def parse_date(value: Any) -> dt.datetime:
    """A timestamp (ISO string or epoch seconds/ms) as an aware UTC datetime; ValueError if it is none."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value / 1000 if value > 1e11 else value, dt.timezone.utc)
        if not isinstance(value, str):
            raise ValueError(f"not a date: {type(value).__name__}")
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc)
    except (OverflowError, OSError) as exc:  # year 1 with a positive offset, epochs past year 9999
        raise ValueError(str(exc)) from None


def utc_date(value: Any, received: dt.datetime) -> tuple[str, str | None]:
    """The submission time as stored, and why the backend's value was refused (then the received time)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return stamp(received), None  # no date at all: the time we received it is the best we know
    try:
        when = parse_date(value)
    except ValueError:
        return stamp(received), f"date: {shown(str(value), 60)!r} is not a date; stored the time it was received"
    if when.year < EARLIEST_YEAR:
        return stamp(received), f"date: {shown(str(value), 60)!r} is before the year {EARLIEST_YEAR}; stored the " \
                                "time it was received"
    if when > received + CLOCK_SLACK:
        return stamp(received), f"date: {shown(str(value), 60)!r} is in the future; stored the time it was received"
    return stamp(when), None


class PageGuard:
    """Ends a pagination that does not: a page repeating only what was read, or more than max_pages."""

    def __init__(self, where: str, max_pages: int) -> None:
        self.where, self.max_pages = where, max_pages
        self.pages = 0
        self.seen: set[str] = set()

    def check(self, batch: list[Submission], page: str) -> None:
        """Call once per page before yielding it."""
        self.pages += 1
        if self.pages > self.max_pages:
            raise FetchError(f"{self.where}: more than intake.http.max_pages ({self.max_pages}) pages; the "
                             "backend's pagination does not end (what was read so far is stored)")
        keys = {s.key for s in batch}
        # Only a page of nothing but known keys is a loop: shifted offsets legitimately repeat SOME keys.
        if keys and keys <= self.seen:
            raise FetchError(f"{self.where}: {page} repeats only submissions already read; the pagination does "
                             "not advance (what was read so far is stored)")
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


def make(config: IntakeConfig, fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> Source:
    """The configured source, its settings validated."""
    from intake.sources import formspree, jsonapi, netlify

    modules = {"netlify": netlify, "formspree": formspree, "json": jsonapi}
    module = modules[config.source]
    check_keys(config.source_settings, module.SETTINGS, f"intake.{config.source}")
    return module.build(config.source_settings, fetcher, env, now)
