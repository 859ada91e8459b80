"""One topic's work: read, validate, convert, render, hand back; on every core when there are many.

The workers are forked after the build has read everything they share (the theme, the events,
the renderer). They get it as one frozen WorkerContext, handed to the pool's initializer: with
the fork start method that argument is inherited, not pickled. Each task is then an index into
the jobs, and each worker hands back a small TopicDone.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import jinja2

from . import cache as caching
from ..core.errors import ContentError, Problems, ThemeError
from ..core.load import load_topic
from ..core.model import Event
from ..core.outputs import public_data, published
from ..core.render import Renderer
from ..core.topic_feed import FILE as FEED_FILE
from ..core.window import state
from ..output.paths import safe_path, same, write_file
from .deps import TopicInputs
from .signatures import listing

SERIAL_BELOW = 24  # forking workers costs more than it saves for a handful of topics


def topic_page(slug: str) -> str:
    """Where a topic's page goes in the output folder."""
    return f"themen/{slug}/index.html"


def topic_outputs(page: str) -> tuple[str, str]:
    """A topic's outputs, made from the same inputs: its page and, next to it, its comment feed."""
    return page, page[:-len("index.html")] + FEED_FILE


@dataclass(frozen=True)
class TopicJob:
    """A topic to read and render again, and its inputs (a worker adds the comment listing if missing)."""

    slug: str
    path: Path
    inputs: TopicInputs


@dataclass(frozen=True)
class ForOtherPages:
    """What the start page, the lists, the feeds and open data need of a shown topic: its card
    pickled, its comments as open-data JSON and CSV rows, and each comment's (publication time, id)."""

    card: bytes
    comments_json: bytes
    comments_csv: bytes
    comment_keys: tuple


@dataclass(frozen=True)
class TopicDone:
    """What a worker hands back: small, so it crosses the process boundary cheaply."""

    slug: str
    errors: tuple[ContentError, ...]
    entry: caching.TopicEntry | None = None
    staged: tuple[str | None, ...] = ()  # where topic_outputs went (None: unchanged): a str pickles at half a Path's cost
    listing: bytes | None = None  # the comment folder's listing (signatures.listing), when the worker made it
    for_other_pages: ForOtherPages | None = None


@dataclass(frozen=True)
class WorkerContext:
    """The build as the workers see it; shared by fork, never changed."""

    root: Path
    out: Path
    stage: Path
    drafts: bool
    renderer: Renderer
    related: dict[str, tuple[Event, ...]]  # each topic's upcoming events
    racy: int | None  # see signatures.settled
    in_place: bool  # a new output folder of this build's own: pages go straight into it
    jobs: Sequence[TopicJob] = ()


def work(ctx: WorkerContext, job: TopicJob, inside: dict[str, bool]) -> TopicDone:
    """Read, validate, convert and render one topic with its comments; stage its page if it changed
    (or, into a new output folder, write it in place). inside: safe_path's memo, one per process."""
    problems = Problems(ctx.root)
    inputs, found = job.inputs, None
    if inputs.listing is None:  # listed before its files are read: a comment added meanwhile changes the next key
        found = listing(str(ctx.root / "content" / "kommentare" / job.slug), ctx.racy)
        inputs = inputs.with_listing(found)
    loaded = load_topic(job.path, ctx.root, problems)
    if loaded is None or problems:
        return TopicDone(job.slug, tuple(problems.errors), listing=found)
    topic, comments = loaded
    inputs = inputs.with_window(state(topic.comments_until, ctx.renderer.today))  # as the page shows it
    page, staged = None, ()
    images = ctx.renderer.images
    images.take()  # what earlier pages of this process asked for is theirs
    if ctx.drafts or not topic.draft:
        page = topic_page(job.slug)
        try:  # the feed from the comments read for the page: no second read
            made = (ctx.renderer.topic(topic, comments, ctx.related.get(job.slug, ())),
                    ctx.renderer.topic_feed(topic, comments))
        except jinja2.TemplateError as exc:
            raise ThemeError.of(exc) from None  # plain text: it crosses the process boundary
        staged = tuple(_place(ctx, f"{job.slug}.{n}", rel, data, inside)
                       for n, (rel, data) in enumerate(zip(topic_outputs(page), made)))
    asked = images.take()
    inputs = inputs.with_images(images.key_of(asked))
    # what the other pages show of a topic: its card, not its body, sponsor or documents
    card = dataclasses.replace(topic, body_html="", themenpate=None, interview=None, documents=())
    entry = caching.TopicEntry.of(inputs.key(), page, (card, tuple(comments)), asked)
    if page is None:
        return TopicDone(job.slug, (), entry, staged, found)
    shown = ForOtherPages(pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL), *public_data(comments),
                          tuple(published(c) for c in comments))
    return TopicDone(job.slug, (), entry, staged, found, shown)


def _place(ctx: WorkerContext, name: str, page: str, data: bytes, inside: dict[str, bool]) -> str | None:
    """Write a page in place (a new output folder) or into staging as name; None if the output holds these bytes."""
    if ctx.in_place:  # its path checked before, not after, writing
        target = safe_path(ctx.out, page, inside)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data)
        return str(target)
    if same(ctx.out / page, data):
        return None
    target = ctx.stage / name
    write_file(target, data)  # staging is private to this build: no temp-and-rename needed
    return str(target)


class _Worker:
    """A worker process's own state: the context it inherited and its safe_path memo."""

    current: "_Worker | None" = None

    def __init__(self, ctx: WorkerContext):
        self.ctx, self.inside = ctx, {}

    @classmethod
    def start(cls, ctx: WorkerContext) -> None:
        """The pool's initializer, run once in each forked worker."""
        cls.current = cls(ctx)

    @classmethod
    def work_at(cls, index: int) -> TopicDone:
        worker = cls.current
        assert worker is not None, "work_at runs only in a pool started with _Worker.start"
        return work(worker.ctx, worker.ctx.jobs[index], worker.inside)


def run(ctx: WorkerContext, workers: int | None, meanwhile: Callable[[], None] = lambda: None) -> Iterator[TopicDone]:
    """Work through ctx.jobs, on every available core when there are enough of them; results stream in.
    meanwhile runs once: while the workers work, or first when there are none."""
    todo = ctx.jobs
    workers = workers or len(os.sched_getaffinity(0))
    if workers <= 1 or len(todo) < SERIAL_BELOW:
        meanwhile()
        inside: dict[str, bool] = {}
        yield from (work(ctx, job, inside) for job in todo)
        return
    import multiprocessing  # here: most rebuilds have too few topics to fork for
    gc.freeze()  # the workers' collector leaves the inherited objects alone: their pages stay shared
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(todo)), _Worker.start, (ctx,)) as pool:
            chunk = max(1, min(64, len(todo) // (workers * 8)))
            results = pool.imap_unordered(_Worker.work_at, range(len(todo)), chunksize=chunk)
            meanwhile()  # the workers have their tasks: this process's own work shares the cores with them
            yield from results
    finally:
        gc.unfreeze()  # the preview server lives on: its garbage must be collectable again
