"""The topic pages of a build: reuse each one whose inputs are unchanged, read and render the rest.

A topic page depends only on what deps.TopicInputs names. When none of it changed since the last
build and the page is still there, the topic is neither read nor rendered. Changed topics are read,
converted and rendered in worker processes (worker.py), which stage their pages; nothing reaches
the output folder until every file has validated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.outputs import CommentOutputs
from ..core.signature import Signature
from ..core.window import state
from . import cache as caching
from .deps import TopicInputs, own_key, topic_basis
from .run import BuildRun
from .scan import Looking, Scanned, scan
from .signatures import settled
from .media import pre_encode
from .shared import Shared, convert_events
from .worker import TopicJob, WorkerContext, run, topic_outputs, topic_page


@dataclass(frozen=True)
class Topics:
    """The topics of a build: their files, each one's cache entry, and where changed pages were staged."""

    files: dict[str, tuple[Path, Signature]]  # slug -> its file and signature
    entries: list[tuple[str, caching.TopicEntry]]  # by slug
    staged: dict[str, str | None]  # page or feed -> staged file (None: the output holds its bytes already)
    folders: list[str] | None  # the comment folders that can have changed (None: any)
    gathered: CommentOutputs  # the comments of the topics read now, for open data and the feed


def load_and_render_topics(build: BuildRun, shared: Shared) -> Topics:
    """Plan, then let the workers read and render what changed; the events' bodies are converted meanwhile."""
    caches = build.caches
    looking = Looking(build.root / "content", build.problems, caches.racy, build.session, build.changed,
                      build.options.tuning.lookahead)
    found = scan(looking, expected_outputs(build))
    topic_files, listings = found.topic_files, found.listings
    build.scanned = (topic_files, listings)
    caches.fresh.basis = basis(build, shared)
    todo = plan(build, found, shared)
    build.list_new_pages(rel for job in todo for rel in topic_outputs(topic_page(job.slug)))
    gathered = CommentOutputs(shared.config, spill=build.stage)  # open data and the comments feed
    ctx = WorkerContext(build.root, build.out, build.stage, build.options.drafts, shared.renderer, shared.related,
                        caches.racy, build.fresh_out, tuple(todo))
    staged: dict[str, str | None] = {}
    for done in run(ctx, build.options.tuning.jobs, lambda: meanwhile(build, shared)):
        build.problems.errors.extend(done.errors)
        if done.listing is not None and build.session is not None:  # only the preview's next build needs it
            listings[done.slug] = done.listing
        if done.entry:
            caches.fresh.topics[done.slug] = done.entry
            if done.entry.page:
                staged.update(zip(topic_outputs(done.entry.page), done.staged))
        if done.for_other_pages is not None:  # spooled: the other pages need it after the workers end
            shown = done.for_other_pages
            build.spool.put(done.slug, shown.card, shown.comments_json, shown.comments_csv,
                            str(len(shown.comment_keys)).encode())
            for key in shown.comment_keys:
                gathered.offer(key, done.slug)
    return Topics(topic_files, sorted(caches.fresh.topics.items()), staged, found.folders, gathered)


def meanwhile(build: BuildRun, shared: Shared) -> None:
    """This process's work while the workers render: the events' bodies, and the images' variants."""
    convert_events(shared, build.caches)
    shared.encoded.update(pre_encode(build.root / "content" / "dateien", shared.images.infos, build.caches, build.out))


def expected_outputs(build: BuildRun) -> dict[str, tuple[str, ...]]:
    """Each topic of the last build, with the files its page needs in out/: none if this process
    wrote out/ last (the preview), so nobody can have removed them unseen."""
    if build.trust_out:
        return dict.fromkeys(build.caches.last.topics, ())
    prefix = str(build.out) + os.sep
    return {slug: () if entry.page is None else tuple(prefix + rel for rel in topic_outputs(entry.page))
            for slug, entry in build.caches.last.topics.items()}


def plan(build: BuildRun, found: Scanned, shared: Shared) -> list[TopicJob]:
    """Reuse every topic whose inputs are unchanged and whose page is still there; the rest are jobs.

    While what all keys share (deps.topic_basis) is the last build's, a topic's own files decide
    alone: the first part of its key. In the preview, a topic the file watcher saw unchanged is
    reused without even that (Scanned.unchanged: out/ is this process's own). Otherwise its whole
    key is made and compared. A topic not in the last cache has no listing yet: its worker lists
    its comments. Its window comes from the last build's comments_until, and its images from the
    images its page showed then: if the file changed, its key differs anyway."""
    caches, todo = build.caches, []
    same_basis = caches.fresh.basis == caches.last.basis
    vouched = found.unchanged if same_basis and build.trust_out else frozenset()
    for slug, (path, sig) in found.topic_files.items():
        old = caches.last.topics.get(slug)
        if old and slug in vouched:
            caches.fresh.topics[slug] = old
            continue
        topic_file, listing = settled(path, sig, caches.racy), found.listings.get(slug)
        own_same = bool(old and listing is not None and slug not in found.gone
                        and old.key[0] == own_key(topic_file, listing))
        if own_same and same_basis:
            caches.fresh.topics[slug] = old
            continue
        inputs = TopicInputs(shared.theme, topic_file, shared.linked.get(slug, ()), listing,
                             state(old.until, build.options.today) if old else None,
                             shared.images.key_of(old.images) if old else ())
        if own_same and old.key[1] == inputs.key()[1]:
            caches.fresh.topics[slug] = old
        else:
            todo.append(TopicJob(slug, path, inputs))
    return todo


def basis(build: BuildRun, shared: Shared) -> str:
    """What the keys of all topics share, beside each topic's own files (deps.topic_basis)."""
    return topic_basis(theme=shared.theme, events=shared.linked, window=build.options.today, images=shared.images.infos)


def place_topic_pages(build: BuildRun, topics: Topics) -> None:
    """Every topic page and feed into the writer: written in place, staged, or unchanged."""
    writer = build.writer
    assert writer is not None
    for rel in (rel for _, entry in topics.entries if entry.page for rel in topic_outputs(entry.page)):
        if rel not in topics.staged:
            writer.keep(rel)
        elif build.fresh_out:
            writer.placed(rel)
        else:
            staged = topics.staged[rel]
            writer.adopt(rel, None if staged is None else Path(staged))
