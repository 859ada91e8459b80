"""The build: load and validate, render, write; incremental through the cache, topics on every core.

A topic page depends only on its own file, its comments, the events that name it, and the theme
(code, templates, static files, site.yaml, the pages in navigation and footer). When none of
these changed since the last build and its page is still there, the topic is neither read nor
rendered. Changed topics are read, converted and rendered in worker processes, which stage
their pages; nothing reaches the output folder until every file has validated. The other pages
(start page, lists, events, feeds, open data, sitemap) are rendered again only when something
they show changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import pickle
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

import jinja2

from .engine import cache as caching
from .engine import speedups
from .core import confine
from .core.assets import fingerprint
from .core.config import load_config
from .core.errors import BuildError, Problems, ThemeError
from .engine.fork import can_fork, in_child
from .core.load import assemble, check_references
from .core.markup import MarkdownLater
from .core.model import Event
from .core.outputs import CommentOutputs
from .core.readers import BERLIN, Signature, files, read_event, read_page
from .core.render import Renderer, environment
from .engine.media import media, odd_names
from .core.urls import prefix_of
from .engine.scan import RACY_NS, Session, cached, scan, settled
from .engine.spool import Spool
from .engine.worker import CONTEXT, Job, run, topic_key, topic_page
from .output.lock import hold, release
from .output.switch import recover
from .output.writer import Report, Writer, discard_staging, new_folder, record_manifest, stage_all, staging


def build(root: Path, out: Path, today: dt.date | None = None, drafts: bool = False,
          jobs: int | None = None, use_cache: bool = True, session: Session | None = None) -> Report:
    """Build ROOT's site into OUT, writing only changed files; raise BuildError listing every problem."""
    speedups.enable()  # Python-Markdown's speed-ups, on the versions they were written for
    root, out = Path(root).resolve(), Path(out)
    today = today or dt.datetime.now(BERLIN).date()  # the city's date, whatever the build machine's zone
    changed = session.take() if session else None
    # A build makes millions of short-lived objects and few reference cycles; the collector's
    # default (a pass every 700 allocations, full passes over the growing cache and file lists)
    # cost ~5 % of a no-op rebuild. Collected less often, not less: the threshold is put back.
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    # one build at a time into out/, from reading the cache to writing it: a build that waited
    # must not act on what it read before the other one changed the folder
    held = None
    try:
        held = hold(caching.lock_file(root, out), waiting=lambda: print(
            f"waiting for another build into {out} to finish ...", file=sys.stderr, flush=True))
        if held is not None and recover(out):  # first of all: complete the switch of a build killed during it
            caching.discard(root, out)  # its pages are in place now: no cache may vouch for the old ones
            if session:
                session.cache = None
        return _build(root, out, today, drafts, jobs, use_cache, session, changed)
    except BaseException:
        if session:
            session.forget()  # after a failure, trust nothing: look at everything next time
        raise
    finally:
        release(held)
        gc.set_threshold(*threshold)


def _build(root: Path, out: Path, today: dt.date, drafts: bool, jobs: int | None, use_cache: bool,
           session: Session | None, changed: set[str] | None) -> Report:
    from . import theme_dir
    problems = Problems(root)
    content = root / "content"
    templates, static = theme_dir(root, "templates"), theme_dir(root, "static")
    confine.check_theme(templates)  # before anything of the theme is read
    confine.check_theme(static)
    confine.check_content(root, problems)
    config = load_config(root, problems)
    assets = fingerprint(static)
    version = caching.version(templates, assets.files)
    if session and session.cache and session.cache.version == version \
            and session.disk == caching.stamp(root, out):  # else another build changed out/ meanwhile
        cache = session.cache
    else:
        cache = caching.Cache.load(root, out, version) if use_cache else caching.Cache(version)
    fresh = caching.Cache(version, started_ns=time.time_ns())
    racy = cache.started_ns - RACY_NS if cache.topics else None
    event_sigs: dict[str, tuple] = {}
    unconverted: dict[str, Path] = {}  # events read now: their bodies are converted while topics render

    def read_event_later(path: Path, problems: Problems) -> Any:
        event = read_event(path, problems, convert=MarkdownLater)  # converted if a topic page shows it
        if event is not None:
            unconverted[event.slug] = path
        return event

    events = sorted(cached(cache, fresh, files(content / "termine", ".md", problems), read_event_later, problems,
                           racy, event_sigs), key=lambda e: (e.start, e.slug))
    pages = sorted(cached(cache, fresh, files(content / "seiten", ".md", problems), read_page, problems, racy, {}),
                   key=lambda p: (p.order, p.slug))
    prefix = prefix_of(config["base_url"])
    if session and session.env and session.env[0] == (version, prefix):
        env = session.env[1]  # compiled templates survive between preview builds
    else:  # a new prefix needs a new environment: Jinja keeps imported macros with the globals they saw
        compiled = root / caching.FOLDER / "templates" / version if use_cache else None
        env = environment(templates, assets, compiled, prefix)
    renderer = Renderer(env, config, pages, today)
    # what every page shows of the others: navigation and footer links, not the pages' texts
    theme = caching.digest(config, renderer.base["nav"], [(p.url, p.title) for p in renderer.base["footer_pages"]],
                           drafts)

    topic_files, listings, folders = scan(content, problems, racy, session, changed, cache.topics)
    related = renderer.related(events)
    linked = {slug: tuple((e.slug, event_sigs[e.slug]) for e in evs) for slug, evs in related.items()}
    # a new output folder (made here, so no other build writes into it) has no last good site to
    # protect: workers write pages in place, and a failure removes the folder. The first build of a
    # clone, a CDN deploy: 10k fewer moves at the end
    fresh_out = new_folder(out)
    finished = False
    stage = spool = None
    try:
        if fresh_out:
            caching.discard(root, out)  # the cache of a folder since deleted: it must not vouch for pages written now
        # this process wrote out/ last (the preview), and nobody deleted it since
        trust_out = session is not None and session.cache is cache and not fresh_out
        todo = _plan(topic_files, listings, cache, fresh, theme, linked, out, racy, trust_out)
        stage = staging(out)
        spool = Spool(stage)
        gathered = CommentOutputs(f"{config['title']}: Kommentare")
        if fresh_out:  # listed before they are written: pages of a build killed midway are removed by the next
            record_manifest(out, (topic_page(job.slug) for job in todo))
        staged = _process(todo, jobs, fresh, problems, listings, spool, gathered,
                          lambda: _convert_events(events, unconverted, fresh), root=root, out=out, stage=stage,
                          drafts=drafts, renderer=renderer, related=related, racy=racy, in_place=fresh_out,
                          inside={})
        slugs = {path.stem for path, _ in topic_files}
        entries = sorted(fresh.topics.items())
        check_references(root, slugs, events, [(i, s) for s, e in entries for i in e.ids.split()], problems, folders)
        if problems:
            raise BuildError(problems.errors)

        # from the first write on, the cache on disk no longer describes out/: drop it until the new one is saved
        writer = Writer(out, before_first_write=lambda: caching.discard(root, out), stage=stage)
        for slug, entry in entries:
            if entry.page in staged:
                if fresh_out:
                    writer.placed(entry.page)
                else:
                    writer.adopt(entry.page, None if staged[entry.page] is None else Path(staged[entry.page]))
            elif entry.page:
                writer.keep(entry.page)
        try:
            _rest(writer, cache, fresh, entries, renderer, assets, config, events, pages, theme, today, drafts,
                  trust_out, spool, gathered, fork=session is None and jobs != 1)
        except jinja2.TemplateError as exc:
            raise ThemeError.of(exc) from None
        media(content / "dateien", cache, fresh, writer, racy)
        report = dataclasses.replace(writer.finish(), warnings=tuple(odd_names(content / "dateien")))
        finished = True  # from here on, a failure (saving the cache, Ctrl-C) leaves the finished site
        if not report.written and not report.removed and fresh.rest_key == cache.rest_key \
                and fresh.files == cache.files and cache.topics == fresh.topics:
            fresh = cache  # nothing changed: keep the cache (and its older start time) as it is on disk
            use_cache_write = False
        else:
            use_cache_write = use_cache
        if session:
            session.cache, session.topics, session.listings, session.env = fresh, topic_files, listings, ((version, prefix), env)
            session.disk = caching.stamp(root, out)
            if use_cache_write:  # the preview need not wait for the disk: saved once the edits pause
                session.save_later(fresh, root, out)
        elif use_cache_write:
            fresh.save(root, out)
        return report
    except BaseException:
        if fresh_out and not finished:
            shutil.rmtree(out, ignore_errors=True)  # a failed first build leaves no trace
        raise
    finally:
        if spool:
            spool.close()
        discard_staging(stage)


FORK_EVENTS = 32  # events; below this, forking costs more than it saves


def _plan(topic_files: list[tuple[Path, Signature]], listings: dict[str, tuple], cache: caching.Cache,
          fresh: caching.Cache, theme: str, linked: dict[str, tuple], out: Path, racy: int | None,
          trust_out: bool = False) -> list[Job]:
    """Reuse every topic whose inputs are unchanged and whose page is still there; the rest are jobs.

    A topic's key is the tuple of its inputs' signatures, compared as it is: hashing ten thousand
    keys on every build cost more than the comparison. trust_out: this process wrote the output
    folder last (the preview), so the pages need not be looked for again."""
    todo = []
    prefix = str(out) + os.sep
    for path, sig in topic_files:
        slug = path.stem
        parts = (theme, settled(path, sig, racy), linked.get(slug, ()))
        if slug not in listings:  # not in the cache: read anyway, the worker lists its comments
            todo.append(Job(slug, path, None, parts))
            continue
        key = topic_key(parts, listings[slug])
        old = cache.topics.get(slug)
        if old and old.key == key and (trust_out or old.page is None or os.path.isfile(prefix + old.page)):
            fresh.topics[slug] = old
        else:
            todo.append(Job(slug, path, key))
    return todo


def _convert_events(events: list[Event], unconverted: dict[str, Path], fresh: caching.Cache) -> None:
    """Convert the bodies of the events read in this build, in place (the list keeps its order), and
    cache the converted events. The workers keep the events as they got them: `related` (see
    MarkdownLater)."""
    for i, event in enumerate(events):
        path = unconverted.get(event.slug)
        if path is not None:
            events[i] = dataclasses.replace(event, body_html=str(event.body_html))
            fresh.files[str(path)] = (fresh.files[str(path)][0], events[i])


def _process(todo: list[Job], jobs: int | None, fresh: caching.Cache, problems: Problems,
             listings: dict[str, tuple], spool: Spool, gathered: CommentOutputs, meanwhile: Callable[[], None],
             **context: Any) -> dict[str, str | None]:
    """Run the jobs; collect their cache entries, errors, listings and staged pages (None: page unchanged),
    and spool what the other pages need of them. meanwhile: work of this process's own, done while
    the workers render."""
    CONTEXT.update(context)
    staged: dict[str, str | None] = {}
    for done in run(todo, jobs, meanwhile):
        if done.shown is not None:
            card, public, keys = done.shown
            spool.put(done.slug, card, public, str(len(keys)).encode())
            for key in keys:
                gathered.offer(key, done.slug)
        problems.errors.extend(done.errors)
        if done.listing is not None:
            listings[done.slug] = done.listing
        if done.entry:
            fresh.topics[done.slug] = done.entry
            if done.entry.page:
                staged[done.entry.page] = done.staged
    return staged


def _rest(writer: Writer, cache: caching.Cache, fresh: caching.Cache, entries: list, renderer: Renderer, assets: Any,
          config: dict, events: list, pages: list, theme: str, today: dt.date, drafts: bool, trust_out: bool,
          spool: Spool, gathered: CommentOutputs, fork: bool = False) -> None:
    """Start page, lists, event pages, feeds, open data, sitemap: rendered again only if what they show changed.
    fork: this process has no threads, and may share the work with a child (see fork.py)."""
    metas = [(slug, entry.meta) for slug, entry in entries]
    fresh.rest_key = caching.digest(theme, today, events, pages, metas)
    if fresh.rest_key == cache.rest_key and (trust_out or all(os.path.isfile(writer.out / p) for p in cache.rest_paths)):
        fresh.rest_paths = cache.rest_paths
        for rel in cache.rest_paths:
            writer.keep(rel)
        return
    topics = []
    for slug, entry in entries:
        spooled = spool.get(slug)  # read in this build: what the worker made of it
        if spooled is not None:
            card, public, count = spooled
            topics.append(pickle.loads(card))
            gathered.add_json(public, int(count))
            continue
        topic, comments = entry.load()  # from the cache
        topics.append(topic)
        if drafts or not topic.draft:
            gathered.add(comments)
        del comments  # one topic's comments at a time: the peak stays small
    site = assemble(config, topics, events, pages, [], drafts)
    before = set(writer.seen)
    recent = gathered.recent(lambda slug: fresh.topics[slug].load()[1])  # the topics of the feed's few
    for rel, data in renderer.rest(site, assets, gathered, recent):
        writer.put(rel, data)
    _event_files(writer, renderer, site, fork)
    fresh.rest_paths = tuple(sorted(writer.seen - before))


def _event_files(writer: Writer, renderer: Renderer, site: Any, fork: bool) -> None:
    """Each event's page and calendar file. A forked child makes half of them: a core would idle
    otherwise. Last of the other pages: memory either process writes to while both run is copied,
    and before now this process touches every topic (the start page, the lists)."""
    titles = {t.slug: t for t in site.topics}
    renderer.env.get_template("event.html")  # compiled once, before the fork, not in both processes
    theirs = site.events[len(site.events) // 2:] if fork and len(site.events) >= FORK_EVENTS and can_fork() else ()
    result = in_child(lambda: stage_all(writer.out, writer.stage, renderer.event_files(site, theirs, titles), "e-")) \
        if theirs and writer.stage else None
    try:
        for rel, data in renderer.event_files(site, site.events[:len(site.events) - len(theirs)], titles):
            writer.put(rel, data)
    finally:
        staged = result() if result else None
    if staged is None:  # nothing shared, or the child failed: its share here
        for rel, data in renderer.event_files(site, theirs, titles):
            writer.put(rel, data)
    else:
        for rel, name in staged:
            writer.adopt(rel, writer.stage / name if name else None)
