"""The site as frozen data: what templates and outputs read, never files or YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class Record:
    """Pickles as its class and field values, rebuilt through the constructor: loading the
    cache's ten thousand records this way takes two thirds of the dataclass default's time."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Person(Record):
    """A topic's Themenpate: a named sponsor with a role."""

    name: str
    role: str
    photo: str | None = None
    photo_credit: str | None = None
    photo_crop: str | None = None  # "square": the portrait cropped to a square (images.SQUARE)


@dataclass(frozen=True, slots=True)
class Interview(Record):
    """A press interview; the URL may still be missing (an editor's to-do)."""

    title: str
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Document(Record):
    """A downloadable document such as a PDF."""

    title: str
    format: str
    url: str | None = None
    size: str | None = None


@dataclass(frozen=True, slots=True)
class Image(Record):
    """An image with its alternative text and credit."""

    src: str
    alt: str
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Topic(Record):
    """A Zukunftsthema page."""

    slug: str
    source: str
    title: str
    body_html: str
    subtitle: str | None = None
    category: str = "Zukunftsthema"
    summary: str | None = None
    date: dt.date | None = None
    themenpate: Person | None = None
    interview: Interview | None = None
    documents: tuple[Document, ...] = ()
    image: Image | None = None
    comments: str = "open"
    comments_until: dt.date | None = None  # the last day of its participation window
    tags: tuple[str, ...] = ()
    draft: bool = False

    @property
    def url(self) -> str:
        return f"/themen/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Location(Record):
    """Where an event happens: a place, an address, or an online link."""

    name: str
    address: str | None = None
    online_url: str | None = None


@dataclass(frozen=True, slots=True)
class Event(Record):
    """A Termin with time-zone-aware start and end."""

    slug: str
    source: str
    title: str
    start: dt.datetime
    end: dt.datetime
    location: Location
    body_html: str
    topics: tuple[str, ...] = ()
    registration_url: str | None = None
    status: str = "scheduled"
    updated: dt.datetime | None = None  # when an editor last changed it (LAST-MODIFIED, DTSTAMP)
    sequence: int | None = None  # its revision for calendars; None: derived from updated (ical.sequence)

    @property
    def url(self) -> str:
        return f"/termine/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Page(Record):
    """A plain page such as the Impressum; `layout` adds facts from site.yaml."""

    slug: str
    source: str
    title: str
    body_html: str
    layout: str = "default"
    footer: bool = False
    order: int = 100
    summary: str | None = None

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Comment(Record):
    """An approved visitor comment or official reply (public fields only)."""

    id: str
    topic: str
    parent: str | None
    name: str
    body: str
    date: dt.datetime
    official: str | None
    moderated_at: dt.datetime | None
    moderated_by: str | None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the build knows, loaded and validated before anything is written."""

    config: dict[str, Any]
    topics: tuple[Topic, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    comments: tuple[Comment, ...]
    todos: tuple[str, ...] = field(default=())
