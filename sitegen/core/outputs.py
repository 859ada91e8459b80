"""Machine-readable outputs: Atom feeds, sitemap, robots.txt, open data, JSON-LD, calendars."""

from __future__ import annotations

import datetime as dt
import heapq
import io
import json
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, NamedTuple

import jinja2
from markupsafe import Markup

from . import dates
from . import ical
from . import opendata
from .model import Comment, Event, Site
from .pretty_json import dumps
from .urls import prefix_of

EVENT_STATUS = {"scheduled": "EventScheduled", "cancelled": "EventCancelled", "postponed": "EventPostponed"}


def base(site: Site) -> str:
    """The absolute base URL, or '' (relative URLs) while base_url is an editor's to-do."""
    return site.config.get("base_url") or ""


def calendar(site: Site, events: Iterable[Event]) -> bytes:
    return ical.calendar(events, f"{site.config['title']}: Termine", base(site))


def instant(value: dt.date) -> dt.datetime:
    """A date as a UTC datetime (midnight), for feeds."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)


def topics_feed(site: Site, env: jinja2.Environment, today: dt.date, limit: int = 50) -> bytes:
    """Atom feed of the newest topics (feed readers want news, not the archive).

    A topic without `date` comes after the dated ones, and Atom's required `updated` is the newest
    dated topic's (the feed says no more than that it was there by then), or the build's date when
    no topic has one: never 1970."""
    root = base(site)
    dated = sorted((t for t in site.topics if t.date), key=lambda t: (instant(t.date), t.slug), reverse=True)
    undated = sorted((t for t in site.topics if not t.date), key=lambda t: t.slug)
    newest = (dated + undated)[:limit]
    fallback = instant(dated[0].date) if dated else instant(today)
    entries = [{"title": t.title, "url": root + t.url, "updated": instant(t.date) if t.date else fallback,
                "summary": t.summary or t.subtitle or "", "content": None} for t in newest]
    return atom(env, site.config, FeedHead("Zukunftsthemen", "/feeds/themen.xml"), entries, instant(today))


def public_data(comments: Iterable[Comment]) -> tuple[bytes, bytes]:
    """One topic's comments (oldest first) as open data: public fields only, as a JSON fragment (the
    list's brackets cut off) and as kommentare.csv's rows.

    One call per topic, without indent: json's C encoder runs only then."""
    ordered = sorted(comments, key=lambda c: (c.date, c.id))
    public = [{"id": c.id, "topic": c.topic, "parent": c.parent, "name": c.name, "body": c.body,
               "date": dates.iso(c.date), "official": c.official} for c in ordered]
    fragment = json.dumps(public, ensure_ascii=False, separators=(",", ":"))[1:-1].encode("utf-8")
    return fragment, opendata.public_csv(ordered)


def published(comment: Comment) -> tuple[dt.datetime, str]:
    """When a comment was published, and its id: the order of the comments feed."""
    return comment.moderated_at or comment.date, comment.id


class CommentOutputs:
    """Open data and the newest-comments feed, gathered while streaming through the topics' comments.

    Only the JSON bytes and the newest few comments are kept, never every Comment at once: at
    tens of thousands of comments that is the difference in peak memory. Open data lists the
    comments topic by topic (in the order topics are added), each topic's oldest first. A topic
    read by a worker arrives as its JSON and the publication keys of its comments; the feed then
    holds (topic, id) for a comment until recent() loads the few it shows."""

    def __init__(self, config: dict[str, Any], limit: int = 50, spill: Path | None = None):
        """spill: a folder where the two files grow (the engine's staging folder: at 10k topics they
        are 28 MB this process need not hold); without it they grow in memory."""
        self.limit, self.count, self.topics, self.offered = limit, 0, 0, 0
        self.spill = spill
        self.buffer: BinaryIO = open(spill / "kommentare.json", "xb+") if spill else io.BytesIO()
        self.csv: BinaryIO = open(spill / "kommentare.csv", "xb+") if spill else io.BytesIO()
        self.csv.write(opendata.comments_csv_head())
        head = json.dumps(opendata.head(config, "kommentare", "Kommentare"), ensure_ascii=False,
                          separators=(",", ":"))
        self.buffer.write(head[:-1].encode("utf-8") + b',"comments":[')
        self.newest: list[tuple[tuple[dt.datetime, str], int, Comment | str]] = []
        self.latest: dict[str, dt.datetime] = {}  # each topic's newest publication: the sitemap's lastmod

    def add(self, comments: Iterable[Comment]) -> None:
        """One topic's comments: into open data, and offered to the feed."""
        comments = tuple(comments)
        self.add_public(*public_data(comments), len(comments))
        for c in comments:
            self.offer(published(c), c)

    def add_public(self, fragment: bytes, rows: bytes, count: int) -> None:
        """One topic's comments as public_data made them (the comma between topics is written here)."""
        if not fragment:
            return
        if self.topics:
            self.buffer.write(b",")
        self.buffer.write(fragment)
        self.csv.write(rows)
        self.topics += 1
        self.count += count

    def offer(self, key: tuple[dt.datetime, str], comment: Comment | str) -> None:
        """A comment for the feed, or the slug of its topic (the comment is loaded if it is shown)."""
        slug = comment if isinstance(comment, str) else comment.topic
        if slug not in self.latest or key[0] > self.latest[slug]:
            self.latest[slug] = key[0]
        self.offered += 1
        entry = (key, self.offered, comment)
        if len(self.newest) < self.limit:
            heapq.heappush(self.newest, entry)
        elif key > self.newest[0][0]:
            heapq.heapreplace(self.newest, entry)

    def recent(self, load: Callable[[str], Iterable[Comment]]) -> list[Comment]:
        """The newest comments by publication, newest first; load(slug) gives a topic's comments
        (called once per topic, for the comments offered by slug)."""
        loaded: dict[str, dict[str, Comment]] = {}
        shown = []
        for (_, cid), _, comment in sorted(self.newest, key=lambda e: e[0], reverse=True):
            if isinstance(comment, str):
                if comment not in loaded:
                    loaded[comment] = {c.id: c for c in load(comment)}
                comment = loaded[comment][cid]
            shown.append(comment)
        return shown

    def open_data(self) -> bytes | Path:
        """The approved comments as JSON: public fields only (no moderator, no personal data); with
        a spill folder, the file holding them."""
        self.buffer.write(f'],"count":{self.count}}}\n'.encode("utf-8"))
        return self._finish(self.buffer, "kommentare.json")

    def open_data_csv(self) -> bytes | Path:
        """The approved comments as kommentare.csv (opendata.py says why it looks as it does)."""
        return self._finish(self.csv, "kommentare.csv")

    def _finish(self, grown: BinaryIO, name: str) -> bytes | Path:
        if self.spill is None:
            return grown.getvalue()  # type: ignore[attr-defined]  # a BytesIO: the one copy of the file
        grown.close()
        return self.spill / name


def comments_feed(site: Site, env: jinja2.Environment, recent: list[Comment], today: dt.date) -> bytes:
    """Atom feed of the most recently published comments."""
    root = base(site)
    titles = {t.slug: t.title for t in site.topics}
    entries = [{"title": f"{c.name} zu {titles[c.topic]}", "url": f"{root}/themen/{c.topic}/#kommentar-{c.id}",
                "updated": c.moderated_at or c.date, "summary": "", "content": c.body} for c in recent]
    return atom(env, site.config, FeedHead("Neue Kommentare", "/feeds/kommentare.xml"), entries, instant(today))


ENTRY = {"summary": "", "content": None, "author": None, "reply_to": None}  # what an entry may leave out


class FeedHead(NamedTuple):
    """What a feed says of itself: its title, its path, the page it belongs to, a subtitle."""

    title: str
    path: str
    home: str = "/"
    subtitle: str | None = None


def atom(env: jinja2.Environment, config: dict[str, Any], head: FeedHead, entries: list[dict],
         empty: dt.datetime) -> bytes:
    """An Atom feed: `updated` is the newest entry's, `empty` when there is none. An entry may name
    its author and the entry it answers (reply_to: its id, which is its URL; RFC 4685)."""
    root = config.get("base_url") or ""
    updated = max((e["updated"] for e in entries), default=empty)
    xml = env.get_template("atom.xml").render(
        site=config, title=head.title, self_url=root + head.path, home=root + head.home, subtitle=head.subtitle,
        updated=dates.iso(updated), entries=[{**ENTRY, **e, "updated": dates.iso(e["updated"])} for e in entries])
    return xml.encode("utf-8")


def robots(site: Site) -> bytes:
    """robots.txt; crawlers read it only at the host root, so under a prefix its lines are for the
    city to copy into the host's own file (docs/deploy.md), with the prefix already in the paths."""
    prefix = prefix_of(base(site))
    lines = ["User-agent: *", f"Allow: {prefix}/", f"Disallow: {prefix}/danke/"]
    if base(site):
        lines.append(f"Sitemap: {base(site)}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def event_jsonld(site: Site, event: Event) -> Markup:
    """schema.org Event as JSON-LD, safe to put inside a <script> element."""
    loc = event.location
    places = []
    if loc.address or not loc.online_url:
        places.append({"@type": "Place", "name": loc.name, "address": loc.address or loc.name})
    if loc.online_url:
        places.append({"@type": "VirtualLocation", "url": loc.online_url})
    mode = ("Mixed" if len(places) == 2 else "Online" if loc.online_url else "Offline") + "EventAttendanceMode"
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "startDate": event.start.isoformat(), "endDate": event.end.isoformat(),
        "eventStatus": "https://schema.org/" + EVENT_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/" + mode,
        "location": places[0] if len(places) == 1 else places,
        "url": base(site) + event.url,
        "description": ical.plain(event.body_html),
        "organizer": {"@type": "Organization", "name": opendata.publisher_of(site.config)},
    }
    text = dumps(data)
    # '<', '>' and '&' as escapes so no text can close the <script> element
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
