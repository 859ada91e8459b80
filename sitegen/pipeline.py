"""The build, as one screen: open the run, load what every page shares, load and render the topics,
check across files, render the other pages, commit.

Each step is the engine's (sitegen/engine/): it reuses what the last build made wherever
engine/deps.py says the inputs are unchanged, and spreads the topics over every core. What the
steps make is the site's own business (sitegen/core/); how it reaches the disk, the output's
(sitegen/output/). docs/architecture.md has the picture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core.errors import BuildError
from .core.load import check_references
from .engine.other_pages import render_other_pages
from .engine.run import BuildRun, Tuning
from .engine.session import Session
from .engine.shared import Shared, load_shared
from .engine.topics import Topics, load_and_render_topics, place_topic_pages
from .output.writer import Report


def build(root: Path, out: Path, today: dt.date | None = None, drafts: bool = False,
          session: Session | None = None, tuning: Tuning = Tuning()) -> Report:
    """Build ROOT's site into OUT, writing only changed files; raise BuildError listing every problem.

    today: the city's date (default: today in Europe/Berlin); drafts: show draft topics;
    session: the preview server's memory between builds; tuning: worker processes, cache or not."""
    with BuildRun.open(root, out, today, drafts, tuning, session) as run:
        shared = load_shared(run)
        topics = load_and_render_topics(run, shared)
        check_across_files(run, shared, topics)  # nothing is written before this passes
        run.start_writing()
        place_topic_pages(run, topics)
        render_other_pages(run, shared, topics)
        return run.commit()


def check_across_files(run: BuildRun, shared: Shared, topics: Topics) -> None:
    """Events and comment folders naming missing topics, comment ids used twice; then every error at once."""
    slugs = set(topics.files)
    every_id = " ".join(entry.ids for _, entry in topics.entries).split()
    # no id used twice, the usual case, is found out without a pair per comment (50,000 at 10k topics)
    ids = [] if len(set(every_id)) == len(every_id) else \
        [(cid, slug) for slug, entry in topics.entries for cid in entry.ids.split()]
    check_references(run.root, slugs, shared.events, ids, run.problems, topics.folders)
    if run.problems:
        raise BuildError(run.problems.errors)
