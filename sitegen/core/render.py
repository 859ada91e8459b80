"""Render the model into output files: HTML pages through Jinja2, the rest through outputs."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
from pathlib import Path
from typing import Any, Iterable, Iterator

import jinja2

from . import brand
from . import dates
from . import headers
from . import opendata
from . import outputs
from . import sharing
from . import sitemap
from . import urls
from . import window
from .assets import Assets
from .comment_html import comment_to_html
from .contract import MAX_DEPTH
from .model import Comment, Event, Page, Site, Topic
from .opendata_schemas import schema_file
from .pictures import Images
from .threads import count, threads
from .topic_feed import LIMIT as FEED_LIMIT, feed_path as topic_feed_path, topic_feed

START_CARDS = 12  # a grid of 2, 3 or 4 columns fills evenly
LONG_PAGE_PIECE = 1 << 16  # characters of a long page encoded at a time


def environment(templates: Path, assets: Assets, compiled: Path | None = None, prefix: str = "") -> jinja2.Environment:
    """A Jinja2 environment with autoescape on for everything and strict undefined names.

    compiled: a folder for compiled templates, which spares every later build compiling them again.
    Jinja2 keys them by template source only, but the code also depends on the options below and
    on Jinja2 itself: the caller names the folder after everything that invalidates the cache.
    prefix: the path of base_url, before every internal URL (urls.py); an environment serves one prefix."""
    env = jinja2.Environment(
        bytecode_cache=_bytecode_cache(compiled),
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,  # visitor data is escaped everywhere; no template may use |safe on it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # not checked for changes on every use (4 stats per topic page): a changed template changes
        # the cache version, and a new environment is made (engine/shared.py)
        auto_reload=False,
    )
    env.filters.update(
        date=dates.german_date, datetime=dates.german_datetime, iso=dates.iso,
        when=dates.event_when, comment=comment_to_html,
        window=window.state,  # a card's window: {{ t.comments_until|window(today) }}
    )
    urls.install(env.globals, env.filters, prefix, assets.url)
    env.globals["max_depth"] = MAX_DEPTH  # comments.html offers a reply form only above it
    return env


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for other in folder.parent.iterdir():  # templates compiled by other code or libraries
            if other == folder:
                continue
            if other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)
            else:
                other.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only checkout: compile every time
    return _Compiled(str(folder))


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk; a damaged or unwritable one only means compiling again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class Renderer:
    """Renders pages; topic pages one at a time (the build spreads them over processes)."""

    def __init__(self, env: jinja2.Environment, config: dict[str, Any], pages: Iterable[Page], today: dt.date,
                 images: Images | None = None):
        """images: the raster images of content/dateien (pictures.Images); none: every image shown as it is."""
        self.env, self.today = env, today
        self.images = images if images is not None else Images()
        pages = tuple(pages)
        nav = (("/", "Start"), ("/themen/", "Zukunftsthemen"), ("/termine/", "Termine"))
        nav += tuple((p.url, p.title) for p in pages if p.slug == "leichte-sprache")
        # no `today` here: a topic page changes by date only through its window (deps.TopicInputs.window)
        style = brand.stylesheet(config)
        self.base = {"site": config, "footer_pages": tuple(p for p in pages if p.footer), "nav": nav,
                     "csp_meta": headers.csp_meta(config), "brand_css": "/" + style[0] if style else None,
                     "icon_type": brand.icon(config, lambda name: "")[1], "images": self.images}

    def page(self, template: str, url: str, **context: Any) -> bytes:
        return self.env.get_template(template).render(self.base, url=url, **context).encode("utf-8")

    def long_page(self, template: str, url: str, **context: Any) -> bytes:
        """As page, for a page of megabytes: encoded a piece at a time, it never exists as both text
        and Jinja's list of its pieces (at 10k topics, 14 MB at its peak instead of 30 MB)."""
        done: list[bytes] = []
        pieces: list[str] = []
        size = 0
        for piece in self.env.get_template(template).generate(self.base, url=url, **context):
            pieces.append(piece)
            size += len(piece)
            if size > LONG_PAGE_PIECE:
                done.append("".join(pieces).encode("utf-8"))
                pieces.clear()
                size = 0
        done.append("".join(pieces).encode("utf-8"))
        return b"".join(done)

    def upcoming(self, events: Iterable[Event]) -> tuple[Event, ...]:
        return tuple(e for e in events if not self.over(e))

    def over(self, event: Event) -> bool:
        """Whether the event has taken place: it ended before the city's today."""
        return dates.city_day(event.end) < self.today

    def related(self, events: Iterable[Event]) -> dict[str, tuple[Event, ...]]:
        """Each topic's upcoming events, in date order: worked out once, not once per topic page."""
        found: dict[str, list[Event]] = {}
        for event in self.upcoming(events):
            for slug in dict.fromkeys(event.topics):
                found.setdefault(slug, []).append(event)
        return {slug: tuple(linked) for slug, linked in found.items()}

    def topic(self, topic: Topic, comments: list[Comment], events: tuple[Event, ...]) -> bytes:
        """One topic page: its comments threaded, and its upcoming events (from related())."""
        forest = threads(comments)
        state = window.state(topic.comments_until, self.today)
        n = count(forest)
        image = self.images.shared(topic.image.src if topic.image else None)
        return self.page("topic.html", topic.url, topic=topic, threads=forest, comment_count=n, events=events,
                         jsonld=sharing.topic_jsonld(self.base["site"], topic, n, image), window=state,
                         accepting=topic.comments == "open" and state != window.CLOSED,
                         feed=topic_feed_path(topic), feed_limit=FEED_LIMIT)

    def topic_feed(self, topic: Topic, comments: list[Comment]) -> bytes:
        """The topic's Atom feed of its comments, made from the page's own inputs (topic_feed.py)."""
        return topic_feed(self.env, self.base["site"], topic, comments)

    def rest(self, site: Site, assets: Assets, comments: outputs.CommentOutputs,
             recent: list[Comment], counts: dict[str, int]) -> Iterator[tuple[str, bytes | Path]]:
        """Every file except the topic pages and each event's own page and calendar (event_files)
        (comments arrive gathered, not in site.comments; recent: the newest of them, for the feed;
        counts: each topic's number of comments, for its card)."""
        upcoming = self.upcoming(site.events)
        past = tuple(reversed([e for e in site.events if self.over(e)]))
        # today: the cards say whether a topic's window has closed (the other pages' key has the date)
        yield "index.html", self.page("index.html", "/", topics=self.featured(site.topics), total=len(site.topics),
                                      upcoming=upcoming[:5], counts=counts, today=self.today)
        yield "themen/index.html", self.long_page("topics.html", "/themen/", topics=site.topics, counts=counts,
                                                  today=self.today)
        yield "termine/index.html", self.page("events.html", "/termine/", upcoming=upcoming, past=past)
        yield "termine/kalender.ics", outputs.calendar(site, site.events)
        for p in site.pages:
            yield f"{p.slug}/index.html", self.page(f"page-{p.layout}.html", p.url, page=p)
        yield "danke/index.html", self.page("thanks.html", "/danke/")
        yield "404.html", self.page("404.html", "/404.html")
        yield "feeds/themen.xml", outputs.topics_feed(site, self.env, self.today)
        yield "feeds/kommentare.xml", outputs.comments_feed(site, self.env, recent, self.today)
        yield from self.open_data(site, comments, counts)
        yield from assets.files.items()
        style = brand.stylesheet(site.config)
        if style:
            yield style
        prefix = urls.prefix_of(site.config["base_url"])
        yield "manifest.webmanifest", sharing.manifest(site.config, prefix, brand.icon(site.config, assets.url))
        yield "sitemap.xml", sitemap.sitemap(site, sitemap.entries(site, comments.latest, self.today))
        yield "robots.txt", outputs.robots(site)
        yield "_headers", headers.headers_file(site.config)

    def featured(self, topics: Iterable[Topic]) -> list[Topic]:
        """The start page's cards: the topics open for comments today, newest first, at most
        START_CARDS (a start page invites; the list of all topics is /themen/)."""
        open_now = [t for t in topics if t.comments == "open"
                    and window.state(t.comments_until, self.today) != window.CLOSED]
        open_now.sort(key=lambda t: (t.date is not None, t.date or dt.date.min), reverse=True)  # stable: by title
        return open_now[:START_CARDS]

    def open_data(self, site: Site, comments: outputs.CommentOutputs,
                  counts: dict[str, int]) -> Iterator[tuple[str, bytes | Path]]:
        """/daten/: the page listing the datasets, and each as JSON, CSV and JSON Schema (counts: as rest's)."""
        config = site.config
        datasets = (
            {"name": "themen", "title": "Zukunftsthemen", "count": len(site.topics),
             "about": "Titel, Kategorie, Zusammenfassung, Datum, Schlagworte und Zahl der Kommentare jedes Themas."},
            {"name": "termine", "title": "Termine", "count": len(site.events),
             "about": "Zeit, Ort, Online-Link, Status und Beschreibung jedes Termins."},
            {"name": "kommentare", "title": "Kommentare", "count": comments.count,
             "about": "Die freigegebenen Kommentare und Antworten mit Name, Text und Datum."},
        )
        yield "daten/index.html", self.page("daten.html", "/daten/", datasets=datasets,
                                            license=opendata.license_of(config),
                                            publisher=opendata.publisher_of(config))
        yield "daten/themen.json", opendata.topics_json(config, site.topics, counts)
        yield "daten/themen.csv", opendata.topics_csv(config, site.topics, counts)
        yield "daten/termine.json", opendata.events_json(config, site.events)
        yield "daten/termine.csv", opendata.events_csv(config, site.events)
        yield "daten/kommentare.json", comments.open_data()
        yield "daten/kommentare.csv", comments.open_data_csv()
        for d in datasets:
            yield f"daten/{d['name']}.schema.json", schema_file(d["name"])

    def event_files(self, site: Site, events: Iterable[Event], titles: dict[str, Topic]) -> Iterator[tuple[str, bytes]]:
        """The page and the calendar file of each of these events (of site.events); titles: the
        topics by slug, made by the caller before it forks (see engine/other_pages.py)."""
        for event in events:
            related = tuple(titles[s] for s in event.topics if s in titles)
            yield f"termine/{event.slug}/index.html", self.page(
                "event.html", event.url, event=event, related=related, past=self.over(event),
                jsonld=outputs.event_jsonld(site, event))
            yield f"termine/{event.slug}.ics", outputs.calendar(site, [event])
