"""Load and validate the whole site into the model, serially and without a cache; the checks that span
files live here too. The build reads each topic with load_topic and checks with check_references,
as this does."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from .confine import check_content
from .config import load_config, missing_facts
from .errors import BuildError, Problems
from .model import Comment, Event, Page, Site, Topic
from .markdown_html import markdown_to_html
from .readers import Convert, comment_folders, files, line_of, read_event, read_page, read_thread, read_topic


def load(root: Path, drafts: bool = False, convert: Convert = markdown_to_html) -> Site:
    """Read content/ under root into a Site with every body as HTML, or raise BuildError listing every problem.

    convert: how bodies become HTML; `check` passes one that skips Markdown, as it only needs the facts."""
    root = Path(root)
    problems = Problems(root)
    check_content(root, problems)
    config = load_config(root, problems)
    content = root / "content"
    topic_files = files(content / "themen", ".md", problems)
    slugs = {p.stem for p, _ in topic_files}
    topics, comments = [], []
    for path, _ in topic_files:
        if (loaded := load_topic(path, root, problems, convert)) is not None:
            topics.append(loaded[0])
            comments += loaded[1]
    events = read_events(content, problems, convert)
    pages = [p for path, _ in files(content / "seiten", ".md", problems) if (p := read_page(path, problems, convert))]
    check_references(root, slugs, events, [(c.id, c.topic) for c in comments], problems)
    if problems:
        raise BuildError(problems.errors)
    site = assemble(config, topics, events, pages, comments, drafts)
    # the to-dos of site.yaml with their lines, which `check` shows (the build needs none)
    return replace(site, todos=tuple(missing_facts(config, root) + topic_todos(site.topics)))


def load_topic(path: Path, root: Path, problems: Problems,
               convert: Convert = markdown_to_html) -> tuple[Topic, list[Comment]] | None:
    """A topic file and its comment folder (the build's workers read each topic this way);
    None after recording their errors."""
    before = len(problems.errors)
    topic = read_topic(path, problems, convert)
    comments = read_thread(root / "content" / "kommentare" / path.stem, problems)  # none if there is no folder
    if topic is None or len(problems.errors) > before:
        return None
    return topic, comments


def read_events(content: Path, problems: Problems, convert: Convert = markdown_to_html) -> list[Event]:
    return [e for p, _ in files(content / "termine", ".md", problems) if (e := read_event(p, problems, convert))]


def assemble(config: dict, topics: list[Topic], events: list[Event], pages: list[Page],
             comments: list[Comment], drafts: bool) -> Site:
    """The Site in its canonical order: topics by title, events by start, pages by order."""
    published = tuple(t for t in topics if drafts or not t.draft)
    slugs = {t.slug for t in published}
    return Site(
        config=config,
        topics=tuple(sorted(published, key=lambda t: (t.title.casefold(), t.slug))),
        events=tuple(sorted(events, key=lambda e: (e.start, e.slug))),
        pages=tuple(sorted(pages, key=lambda p: (p.order, p.slug))),
        comments=tuple(sorted((c for c in comments if c.topic in slugs), key=lambda c: (c.date, c.id))),
        todos=tuple(missing_facts(config) + topic_todos(published)),
    )


def check_references(root: Path, slugs: set[str], events: Iterable[Event], comment_ids: Iterable[tuple[str, str]],
                     problems: Problems, folders: Iterable[str] | None = None) -> None:
    """Checks that span files: events and comment folders naming missing topics, ids used twice.

    folders: the comment folder names to check, if the caller knows which can have changed."""
    for e in events:
        for name in e.topics:
            if name not in slugs:
                problems.add(e.source, line_of(root / e.source, "topics"),
                             f"the event names the topic '{name}', which does not exist", suggest(name, slugs))
    for name in comment_folders(root / "content" / "kommentare") if folders is None else folders:
        if name not in slugs and (root / "content" / "kommentare" / name).is_dir():
            for path, _ in files(root / "content" / "kommentare" / name, ".yaml", Problems(root)):
                problems.add(path, 1, f"the comment belongs to the topic '{name}', which does not exist",
                             suggest(name, slugs))
    seen: dict[str, str] = {}
    for cid, topic in comment_ids:  # a comment's file is <topic>/<id>.yaml (checked when read)
        if cid in seen:
            problems.add(f"content/kommentare/{topic}/{cid}.yaml", 1, f"the comment id '{cid}' is used twice",
                         f"also in content/kommentare/{seen[cid]}/{cid}.yaml")
        seen.setdefault(cid, topic)


def suggest(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "the topics are the file names in content/themen/"


def topic_todos(topics: Iterable[Topic]) -> list[str]:
    """Facts a topic names but does not give yet (a link or file still missing)."""
    todo = []
    for t in topics:
        if t.interview and not t.interview.url:
            todo.append(f"{t.source}: the interview '{t.interview.title}' has no url yet")
        for d in t.documents:
            if not d.url:
                todo.append(f"{t.source}: the document '{d.title}' has no url yet")
        if t.image and not t.image.src:
            todo.append(f"{t.source}: the image '{t.image.alt}' has no src (file) yet")
    return todo
