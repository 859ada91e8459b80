"""Load and validate every content file into the model before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from . import rules
from .config import load_config, missing_facts
from .errors import BuildError, Problems
from .markup import markdown_to_html
from .model import Comment, Document, Event, Image, Interview, Location, Page, Person, Site, Topic
from .schema import Validator
from .source import Source, SourceError, read_markdown, read_yaml

BERLIN = ZoneInfo("Europe/Berlin")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COMMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
RESERVED = {"themen", "termine", "static", "feeds", "daten", "danke", "404", "index", "kommentare"}
MAX_DEPTH = 3

Convert = Callable[[list[str]], list[str]]


def load(root: Path, convert: Convert | None = None, drafts: bool = False) -> Site:
    """Read content/ under root into a Site, or raise BuildError listing every problem."""
    root = Path(root)
    problems = Problems(root)
    config = load_config(root, problems)
    content = root / "content"
    topic_src = _read_all(_files(content / "themen", ".md", problems), read_markdown, problems)
    event_src = _read_all(_files(content / "termine", ".md", problems), read_markdown, problems)
    page_src = _read_all(_files(content / "seiten", ".md", problems), read_markdown, problems)
    comment_src = _read_all(_comment_files(content / "kommentare", problems), read_yaml, problems)

    bodies = [src.body for src in topic_src + event_src + page_src]
    html = iter((convert or _convert_serial)(bodies))
    topics = [t for src in topic_src if (t := _topic(src, next(html), problems))]
    events = [e for src in event_src if (e := _event(src, next(html), problems))]
    pages = [p for src in page_src if (p := _page(src, next(html), problems))]
    comments = [c for src in comment_src if (c := _comment(src, problems))]

    _cross_check(topics, events, pages, comments, problems)
    if problems:
        raise BuildError(problems.errors)
    published = tuple(t for t in topics if drafts or not t.draft)
    slugs = {t.slug for t in published}
    return Site(
        config=config,
        topics=tuple(sorted(published, key=lambda t: (t.title.casefold(), t.slug))),
        events=tuple(sorted(events, key=lambda e: (e.start, e.slug))),
        pages=tuple(sorted(pages, key=lambda p: (p.order, p.slug))),
        comments=tuple(sorted((c for c in comments if c.topic in slugs), key=lambda c: (c.date, c.id))),
        todos=tuple(missing_facts(config) + _topic_todos(published, problems)),
    )


def _convert_serial(bodies: list[str]) -> list[str]:
    return [markdown_to_html(b) for b in bodies]


def _files(folder: Path, suffix: str, problems: Problems) -> list[Path]:
    """Content files of one kind, sorted; stray files are reported rather than ignored."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != suffix:
            problems.add(path, 1, f"'{path.name}' is not a {suffix} file and would be ignored",
                         f"rename it to end in {suffix}, or move it out of {problems.show(folder)}/")
            continue
        if not SLUG.match(path.stem):
            problems.add(path, 1, f"the file name '{path.name}' cannot be a web address",
                         "use lowercase letters a-z, digits and '-' only, e.g. 'digital-stadt-jena.md'")
            continue
        found.append(path)
    return found


def _comment_files(folder: Path, problems: Problems) -> list[Path]:
    """content/kommentare/<topic>/<id>.yaml files."""
    files: list[Path] = []
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            files += _files(sub, ".yaml", problems)
    return files


def _read_all(paths: Iterable[Path], reader: Callable[[Path], Source], problems: Problems) -> list[Source]:
    sources = []
    for path in paths:
        try:
            sources.append(reader(path))
        except SourceError as exc:
            problems.add(path, exc.line, exc.message, exc.hint)
    return sources


def _validate(src: Source, contract: dict[str, Any], problems: Problems) -> tuple[dict[str, Any], Validator, int]:
    before = len(problems.errors)
    v = Validator(src.lines, lambda line, msg, hint: problems.add(src.path, line, msg, hint))
    data = v.mapping(src.data, contract)
    return data, v, before


def _topic(src: Source, html: str, problems: Problems) -> Topic | None:
    d, v, before = _validate(src, rules.TOPIC, problems)
    if len(problems.errors) > before:
        return None
    return Topic(
        slug=src.path.stem, source=problems.show(src.path), title=d["title"], body_html=html,
        subtitle=d["subtitle"], category=d["category"], summary=d["summary"], date=d["date"],
        themenpate=Person(**d["themenpate"]) if d["themenpate"] else None,
        interview=Interview(**d["interview"]) if d["interview"] else None,
        documents=tuple(Document(**x) for x in d["documents"]),
        image=Image(**d["image"]) if d["image"] else None,
        comments=d["comments"], tags=tuple(d["tags"]), draft=d["draft"],
    )


def _event(src: Source, html: str, problems: Problems) -> Event | None:
    d, v, before = _validate(src, rules.EVENT, problems)
    start, end = _berlin(d["start"]), _berlin(d["end"])
    if start and end and end <= start:
        v.error(("end",), "the event ends before it starts", "check the date and time of 'end'")
    if len(problems.errors) > before:
        return None
    return Event(
        slug=src.path.stem, source=problems.show(src.path), title=d["title"], start=start, end=end,
        location=Location(**d["location"]), body_html=html, topics=tuple(d["topics"]),
        registration_url=d["registration_url"], status=d["status"],
    )


def _berlin(value: dt.datetime | None) -> dt.datetime | None:
    """Times without an offset are Europe/Berlin local time."""
    if value is None:
        return None
    return value.replace(tzinfo=BERLIN) if value.tzinfo is None else value


def _page(src: Source, html: str, problems: Problems) -> Page | None:
    d, v, before = _validate(src, rules.PAGE, problems)
    if src.path.stem in RESERVED:
        problems.add(src.path, 1, f"the page name '{src.path.stem}' is already used by the site itself",
                "rename the file, e.g. 'ueber-uns.md'")
    if len(problems.errors) > before:
        return None
    return Page(slug=src.path.stem, source=problems.show(src.path), title=d["title"], body_html=html,
                layout=d["layout"], footer=d["footer"], order=d["order"], summary=d["summary"])


def _comment(src: Source, problems: Problems) -> Comment | None:
    d, v, before = _validate(src, rules.COMMENT, problems)
    if d["id"] and not COMMENT_ID.match(d["id"]):
        v.error(("id",), f"the comment id '{d['id']}' is not valid", "use a-z, 0-9 and '-' only")
    elif d["id"] and d["id"] != src.path.stem:
        v.error(("id",), f"the id '{d['id']}' does not match the file name '{src.path.name}'",
                f"rename the file to '{d['id']}.yaml' or fix the id")
    if d["topic"] and d["topic"] != src.path.parent.name:
        v.error(("topic",), f"the comment's topic '{d['topic']}' does not match its folder '{src.path.parent.name}'",
                "move the file into the folder of its topic")
    if len(problems.errors) > before:
        return None
    return Comment(id=d["id"], topic=d["topic"], parent=d["parent"], name=d["name"], body=d["body"],
                   date=_utc(d["date"]), official=d["official"], moderated_at=_utc(d["moderated_at"]),
                   moderated_by=d["moderated_by"], source=problems.show(src.path))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Comment times are UTC; a value without an offset is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _cross_check(topics: list[Topic], events: list[Event], pages: list[Page],
                 comments: list[Comment], problems: Problems) -> None:
    """Checks that span files: missing topics, duplicate ids, reply depth."""
    slugs = {t.slug for t in topics}
    for e in events:
        for name in e.topics:
            if name not in slugs:
                problems.add(e.source, _line_of(problems.root / e.source, "topics"),
                             f"the event names the topic '{name}', which does not exist",
                             _suggest(name, slugs, "content/themen/"))
    by_id: dict[str, Comment] = {}
    for c in comments:
        if c.id in by_id:
            problems.add(c.source, 1, f"the comment id '{c.id}' is used twice", f"also in {by_id[c.id].source}")
        by_id[c.id] = c
    for c in comments:
        if c.topic not in slugs:
            problems.add(c.source, 1, f"the comment belongs to the topic '{c.topic}', which does not exist",
                         _suggest(c.topic, slugs, "content/themen/"))
        if c.parent is None:
            continue
        parent = by_id.get(c.parent)
        if parent is None or parent.topic != c.topic:
            problems.add(c.source, _line_of(problems.root / c.source, "parent"),
                         f"the comment replies to '{c.parent}', which is not a comment of this topic",
                         "fix 'parent' or set it to null")
        elif _depth(c, by_id) > MAX_DEPTH:
            problems.add(c.source, _line_of(problems.root / c.source, "parent"),
                         f"replies nest at most {MAX_DEPTH} deep", "reply to a comment higher up the thread")


def _depth(c: Comment, by_id: dict[str, Comment]) -> int:
    """How deep a comment sits (1 = top level); cycles count as too deep."""
    depth, seen = 1, {c.id}
    while c.parent and c.parent in by_id:
        c = by_id[c.parent]
        if c.id in seen:
            return MAX_DEPTH + 1
        seen.add(c.id)
        depth += 1
    return depth


def _line_of(path: Path, key: str) -> int:
    """The line of a top-level key in a file, for errors found after parsing."""
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line.startswith(key + ":"):
                return n
    except OSError:
        pass
    return 1


def _suggest(name: str, known: set[str], where: str) -> str:
    import difflib
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else f"the topics are the file names in {where}"


def _topic_todos(topics: Iterable[Topic], problems: Problems) -> list[str]:
    """Facts a topic names but does not give yet (a link still missing)."""
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
