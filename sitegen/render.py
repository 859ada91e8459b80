"""Render the model into output files: HTML pages through Jinja2, the rest through outputs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

import jinja2

from . import dates, outputs
from .assets import Assets
from .markup import clean, comment_to_html
from .model import Site
from .threads import count, threads

Pages = dict[str, bytes]


def environment(templates: Path, assets: Assets) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on for everything and strict undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,  # visitor data is escaped everywhere; no template may use |safe on it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=clean,  # every value printed into a page or feed loses forbidden code points
    )
    env.filters.update(
        date=dates.german_date, datetime=dates.german_datetime, iso=dates.iso,
        when=dates.event_when, comment=comment_to_html,
    )
    env.globals["asset"] = assets.url
    return env


def render(site: Site, env: jinja2.Environment, assets: Assets, today: dt.date) -> Iterator[tuple[str, bytes]]:
    """Yield (path, bytes) for every file of the site."""
    base = _base_context(site, today)

    def page(template: str, path: str, url: str, **context: Any) -> tuple[str, bytes]:
        html = env.get_template(template).render(base, url=url, **context)
        return path, html.encode("utf-8")

    upcoming = tuple(e for e in site.events if e.end.date() >= today)
    past = tuple(reversed([e for e in site.events if e.end.date() < today]))
    by_topic: dict[str, list] = {}
    for c in site.comments:
        by_topic.setdefault(c.topic, []).append(c)

    yield page("index.html", "index.html", "/", topics=site.topics, upcoming=upcoming[:5])
    yield page("topics.html", "themen/index.html", "/themen/", topics=site.topics)
    for topic in site.topics:
        forest = threads(by_topic.get(topic.slug, []))
        events = tuple(e for e in upcoming if topic.slug in e.topics)
        yield page("topic.html", f"themen/{topic.slug}/index.html", topic.url, topic=topic,
                   threads=forest, comment_count=count(forest), events=events)
    yield page("events.html", "termine/index.html", "/termine/", upcoming=upcoming, past=past)
    for event in site.events:
        related = tuple(t for t in site.topics if t.slug in event.topics)
        yield page("event.html", f"termine/{event.slug}/index.html", event.url, event=event,
                   related=related, jsonld=outputs.event_jsonld(site, event))
        yield f"termine/{event.slug}.ics", outputs.calendar(site, [event])
    yield "termine/kalender.ics", outputs.calendar(site, site.events)
    for p in site.pages:
        yield page(f"page-{p.layout}.html", f"{p.slug}/index.html", p.url, page=p)
    yield page("thanks.html", "danke/index.html", "/danke/")
    yield page("404.html", "404.html", "/404.html")
    yield "feeds/themen.xml", outputs.topics_feed(site, env)
    yield "feeds/kommentare.xml", outputs.comments_feed(site, env)
    yield "daten/kommentare.json", outputs.open_data(site)
    yield from assets.files.items()
    html_urls = ["/", "/themen/", "/termine/", "/danke/"] + [t.url for t in site.topics] + \
        [e.url for e in site.events] + [p.url for p in site.pages]
    yield "sitemap.xml", outputs.sitemap(site, html_urls)
    yield "robots.txt", outputs.robots(site)


def _base_context(site: Site, today: dt.date) -> dict[str, Any]:
    """What every template sees: the config, navigation and footer pages."""
    footer = tuple(p for p in site.pages if p.footer)
    nav = (("/", "Start"), ("/themen/", "Zukunftsthemen"), ("/termine/", "Termine"))
    nav += tuple((p.url, p.title) for p in site.pages if p.slug == "leichte-sprache")
    return {"site": site.config, "footer_pages": footer, "nav": nav, "today": today,
            "pages_by_slug": {p.slug: p for p in site.pages}}
