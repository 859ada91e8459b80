"""One topic's work in a worker process: read, validate, convert, render, hand back.

The build (pipeline.py) forks the workers after it has read everything they share (the theme, the
events, the renderer); they inherit it through CONTEXT instead of receiving it pickled, and hand
back small Done records. A topic whose page changed is staged, or written in place into a new
output folder.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from . import cache as caching
from ..core.errors import ContentError, Problems, ThemeError
from ..core.outputs import public_json, published
from ..core.readers import read_thread, read_topic
from .scan import listing
from ..output.writer import safe_path, same, write_file


SERIAL_BELOW = 24  # forking workers costs more than it saves for a handful of topics


@dataclass(frozen=True)
class Job:
    """A topic to read and render again; its key, or the parts of it known before its comments are listed."""

    slug: str
    path: Path
    key: bytes | None
    parts: tuple = ()  # (theme, topic file signature, linked events) when the worker lists the comments


@dataclass(frozen=True)
class Done:
    """What a worker hands back: small, so it crosses the process boundary cheaply."""

    slug: str
    errors: tuple[ContentError, ...]
    entry: caching.TopicEntry | None = None
    staged: str | None = None  # where the page went: a str pickles at half a Path's cost
    listing: tuple | None = None  # the comment folder's listing, when the worker made it
    # what the other pages need of a shown topic: its card pickled, its comments as open-data
    # JSON, and each comment's (publication time, id)
    shown: tuple[bytes, bytes, tuple] | None = None


CONTEXT: dict[str, Any] = {}  # the workers' view of the build, inherited through fork


def topic_page(slug: str) -> str:
    """Where a topic's page goes in the output folder."""
    return f"themen/{slug}/index.html"


def topic_key(parts: tuple, listing: tuple) -> bytes:
    """What a topic page is made from (theme, topic file, comment listing, linked events), as one bytes
    object: marshal is cheap to compare, to store and to load again.

    Format 0: the newer ones write a back-reference for any object referenced more than once, so
    equal keys made in a worker and in the parent differed, and topics were read again for nothing."""
    theme, topic_sig, linked = parts
    return marshal.dumps((theme, topic_sig, listing, linked), 0)


def work(job: Job) -> Done:
    """Read, validate, convert and render one topic with its comments; stage its page if it changed
    (or, into a new output folder, write it in place)."""
    ctx = CONTEXT
    problems = Problems(ctx["root"])
    folder = ctx["root"] / "content" / "kommentare" / job.slug
    key, found = job.key, None
    if key is None:  # listed before its files are read: a comment added meanwhile changes the next key
        found = listing(str(folder), ctx["racy"])
        key = topic_key(job.parts, found)
    topic = read_topic(job.path, problems)
    comments = read_thread(folder, problems)  # none if there is no folder
    if topic is None or problems:
        return Done(job.slug, tuple(problems.errors), listing=found)
    page = staged = None
    if ctx["drafts"] or not topic.draft:
        page = topic_page(job.slug)
        try:
            data = ctx["renderer"].topic(topic, comments, ctx["related"].get(job.slug, ()))
        except jinja2.TemplateError as exc:
            raise ThemeError.of(exc) from None  # plain text: it crosses the process boundary
        if ctx["in_place"]:
            # a folder of this build's own (see pipeline._build); its path checked before, not after, writing
            target = safe_path(ctx["out"], page, ctx["inside"])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, data)
            staged = str(target)
        elif not same(ctx["out"] / page, data):
            target = ctx["stage"] / f"{job.slug}.html"
            write_file(target, data)  # staging is private to this build: no temp-and-rename needed
            staged = str(target)
    # what the other pages show of a topic: its card, not its body, sponsor or documents
    card = dataclasses.replace(topic, body_html="", themenpate=None, interview=None, documents=(), image=None)
    record = (card, tuple(comments))
    entry = caching.TopicEntry.of(key, page, record)
    if page is None:
        return Done(job.slug, (), entry, staged, found)
    shown = (pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL), public_json(comments),
             tuple(published(c) for c in comments))
    return Done(job.slug, (), entry, staged, found, shown)


def _work_at(index: int) -> Done:
    return work(CONTEXT["todo"][index])


def run(todo: list[Job], jobs: int | None, meanwhile: Callable[[], None] = lambda: None) -> Iterator[Done]:
    """Work through the jobs, on every available core when there are enough of them; results stream in.
    meanwhile runs once: while the workers work, or first when there are none."""
    workers = jobs or len(os.sched_getaffinity(0))
    if workers <= 1 or len(todo) < SERIAL_BELOW:
        meanwhile()
        yield from map(work, todo)
        return
    # fork: workers inherit the renderer and events instead of receiving them pickled; frozen
    # objects are left alone by the workers' garbage collector, so their pages stay shared
    import multiprocessing  # here: most rebuilds have too few topics to fork for
    CONTEXT["todo"] = todo  # the workers inherit the jobs too: each task is an index, not a pickled Job
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(todo))) as pool:
            chunk = max(1, min(64, len(todo) // (workers * 8)))
            results = pool.imap_unordered(_work_at, range(len(todo)), chunksize=chunk)
            meanwhile()  # the workers have their tasks: this process's own work shares the cores with them
            yield from results
    finally:
        gc.unfreeze()  # the preview server lives on: its garbage must be collectable again
        CONTEXT.pop("todo", None)
