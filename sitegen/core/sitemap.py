"""sitemap.xml: every HTML page, with the day its content last changed where the sources say it."""

from __future__ import annotations

import datetime as dt
import html
from typing import Iterable, Mapping

from . import window
from .dates import city_day
from .model import Event, Site, Topic
from .outputs import base


def entries(site: Site, published: Mapping[str, dt.datetime], today: dt.date) -> list[tuple[str, dt.date | None]]:
    """Every HTML page and its lastmod; published: each topic's newest comment, by slug.

    A topic page changes with its own `date`, a newly published comment, and the day its window
    closes (the form gives way to a note); an event page with the editor's `updated`, and the day
    after it ends (it says it has taken place). The start page and the lists take the newest of
    theirs. Never the build's time (the file would change on every build), nor an event's start
    (mostly in the future, so no modification date)."""
    topics = [(t.url, _topic_changed(t, published.get(t.slug), today)) for t in site.topics]
    events = [(e.url, _event_changed(e, today)) for e in site.events]
    newest_topic, newest_event = _newest(d for _, d in topics), _newest(d for _, d in events)
    return [("/", _newest([newest_topic, newest_event])), ("/themen/", newest_topic),
            ("/termine/", newest_event), ("/daten/", None)] + topics + events + [(p.url, None) for p in site.pages]


def _topic_changed(topic: Topic, comment: dt.datetime | None, today: dt.date) -> dt.date | None:
    days = [topic.date, city_day(comment) if comment else None]
    if window.state(topic.comments_until, today) == window.CLOSED:
        days.append(topic.comments_until + dt.timedelta(days=1))  # type: ignore[operator]
    return _newest(days)


def _event_changed(event: Event, today: dt.date) -> dt.date | None:
    days = [city_day(event.updated) if event.updated else None]
    if city_day(event.end) < today:  # it has taken place (Renderer.over)
        days.append(city_day(event.end) + dt.timedelta(days=1))
    return _newest(days)


def _newest(days: Iterable[dt.date | None]) -> dt.date | None:
    return max((day for day in days if day), default=None)


def sitemap(site: Site, dated: list[tuple[str, dt.date | None]]) -> bytes:
    """sitemap.xml listing every HTML page, with lastmod where it is known."""
    root = base(site)
    body = "".join(f"  <url><loc>{html.escape(root + u, quote=False)}</loc>"
                   + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "") + "</url>\n" for u, d in sorted(dated))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode("utf-8")
