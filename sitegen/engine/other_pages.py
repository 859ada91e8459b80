"""Every page but the topic pages: start page, lists, event pages, feeds, open data, sitemap, files.

They show all topics at once, so they are made again only when deps.other_pages changed; then
each topic comes from the spool (read in this build) or from the cache, one at a time.
"""

from __future__ import annotations

import os
import pickle
from typing import Iterable

import jinja2

from ..core.errors import ThemeError
from ..core.load import assemble
from ..core.model import Event, Site, Topic
from ..core.render import Renderer
from ..output.paths import exists
from ..output.staging import stage_all
from ..output.writer import Writer
from . import deps
from .fork import can_fork, in_child
from .media import media, variants
from .run import BuildRun
from .shared import Shared
from .topics import Topics

FORK_EVENTS = 32  # events; below this, forking costs more than it saves


def render_other_pages(build: BuildRun, shared: Shared, topics: Topics) -> None:
    """The other pages if what they show changed, and the editors' files; into the run's writer."""
    writer = build.writer
    assert writer is not None, "the topic pages are placed first"
    try:
        _pages(build, shared, topics, writer)
    except jinja2.TemplateError as exc:
        raise ThemeError.of(exc) from None
    folder = build.root / "content" / "dateien"
    media(folder, build.caches, writer)
    crops = (asked for _, entry in topics.entries for asked in entry.images)
    variants(folder, shared.images.infos, crops, build.caches, writer, shared.encoded)


def _pages(build: BuildRun, shared: Shared, topics: Topics, writer: Writer) -> None:
    last, fresh = build.caches.last, build.caches.fresh
    fresh.others_key = deps.other_pages(shared.theme, build.options.today, shared.sources,
                                        [(slug, entry.meta) for slug, entry in topics.entries],
                                        sorted(shared.images.infos.items()))
    if fresh.others_key == last.others_key and (
            build.trust_out or all(map(exists, (f"{writer.out}{os.sep}{rel}" for rel in last.others_paths)))):
        fresh.others_paths = last.others_paths
        for rel in last.others_paths:
            writer.keep(rel)
        return
    counts: dict[str, int] = {}
    site = assemble(shared.config, _cards(build, topics, counts), shared.events, shared.pages, [],
                    build.options.drafts)
    before = set(writer.seen)
    gathered = topics.gathered
    recent = gathered.recent(lambda slug: fresh.topics[slug].load()[1])  # the topics of the feed's few
    for rel, data in shared.renderer.rest(site, shared.assets, gathered, recent, counts):
        if isinstance(data, bytes):
            writer.put(rel, data)
        else:  # open data too big to hold, grown in the staging folder
            writer.put_file(rel, data)
    # a process without threads (not the preview server) may share the event pages with a child
    _event_files(writer, shared.renderer, site, share=build.session is None and build.options.tuning.jobs != 1)
    fresh.others_paths = tuple(sorted(writer.seen - before))


def _cards(build: BuildRun, topics: Topics, counts: dict[str, int]) -> list[Topic]:
    """Each topic's card, in the order of topics.entries; its comments go to open data on the way,
    their number into counts (by slug)."""
    cards, gathered = [], topics.gathered
    for slug, entry in topics.entries:
        spooled = build.spool.get(slug)  # read in this build: what the worker made of it
        if spooled is not None:
            card, comments_json, comments_csv, count = spooled
            cards.append(pickle.loads(card))
            gathered.add_public(comments_json, comments_csv, int(count))
            counts[slug] = int(count)
            continue
        topic, comments = entry.load()  # from the cache
        cards.append(topic)
        counts[slug] = len(comments)
        if build.options.drafts or not topic.draft:
            gathered.add(comments)
        del comments  # one topic's comments at a time: the peak stays small
    return cards


def _event_files(writer: Writer, renderer: Renderer, site: Site, share: bool) -> None:
    """Each event's page and calendar file. A forked child makes the later half of them: a core
    would idle otherwise. Last of the other pages: memory either process writes to while both run is
    copied, and before now this process touches every topic (the start page, the lists)."""
    titles = {t.slug: t for t in site.topics}
    renderer.env.get_template("event.html")  # compiled once, before the fork, not in both processes
    events = site.events
    childs_share: tuple[Event, ...] = events[len(events) // 2:] \
        if share and len(events) >= FORK_EVENTS and can_fork() else ()
    result = in_child(lambda: stage_all(writer.out, writer.stage, renderer.event_files(site, childs_share, titles),
                                        "e-")) if childs_share and writer.stage else None
    try:
        _put(writer, renderer.event_files(site, events[:len(events) - len(childs_share)], titles))
    finally:
        staged = result() if result else None
    if staged is None:  # nothing shared, or the child failed: its share here
        _put(writer, renderer.event_files(site, childs_share, titles))
    else:
        for rel, name in staged:
            writer.adopt(rel, writer.stage / name if name else None)


def _put(writer: Writer, files: Iterable[tuple[str, bytes]]) -> None:
    for rel, data in files:
        writer.put(rel, data)
