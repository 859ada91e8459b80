"""Reading one content file into the model: topics, events, pages, comments, and a topic's thread rules."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from . import rules
from .confine import allowed
from .contract import COMMENT_ID, MAX_DEPTH, SLUG
from .errors import Problems
from .codepoints import strip_invisible, strip_reordering
from .markdown_html import markdown_to_html
from .model import Comment, Document, Event, Image, Interview, Location, Page, Person, Topic
from .schema import Validator
from .signature import Signature, signature
from .source import Source, SourceError, read_markdown, read_yaml

BERLIN = ZoneInfo("Europe/Berlin")
RESERVED = {"themen", "termine", "static", "feeds", "daten", "danke", "404", "index", "kommentare"}

Convert = Callable[[str], str]


def _entries(folder: Path, suffix: str, problems: Problems) -> list[os.DirEntry]:
    """A folder's content files of one kind, sorted by name; stray files are reported, not ignored."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_symlink() and not allowed(entry.path, problems.root, problems):
            continue  # d_type tells links apart for free: only links pay for resolving
        if entry.is_dir():
            continue
        if not name.endswith(suffix) or not SLUG.match(name[:-len(suffix)]):
            _misnamed(folder / name, suffix, folder, problems)
            continue
        found.append(entry)
    return found


def file_paths(folder: Path, suffix: str, problems: Problems) -> list[Path]:
    """As `files`, without signatures: for a reader that opens every file anyway (and reports one it
    cannot read), a stat per file less."""
    return [folder / entry.name for entry in _entries(folder, suffix, problems)]


def files(folder: Path, suffix: str, problems: Problems) -> list[tuple[Path, Signature]]:
    """Content files of one kind with their signatures, sorted; stray files are reported, not ignored."""
    found = []
    for entry in _entries(folder, suffix, problems):
        path = folder / entry.name
        try:
            found.append((path, signature(entry.stat())))
        except OSError as exc:  # a link that leads nowhere
            problems.add(path, 1, f"the file cannot be read: {exc.strerror or exc}",
                         "check that it is a regular file you may read")
    return found


def _misnamed(path: Path, suffix: str, folder: Path, problems: Problems) -> None:
    if path.suffix != suffix:
        problems.add(path, 1, f"'{path.name}' is not a {suffix} file and would be ignored",
                     f"rename it to end in {suffix}, or move it out of {problems.show(folder)}/")
    else:
        problems.add(path, 1, f"the file name '{path.name}' cannot be a web address",
                     "use lowercase letters a-z, digits and '-' only, e.g. 'digital-stadt-jena.md'")


def comment_folders(folder: Path) -> list[str]:
    """The names of the content/kommentare/<topic>/ folders, sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


def parse(path: Path, reader: Callable[[Path], Source], problems: Problems) -> Source | None:
    """Read one file, recording a parse error instead of raising."""
    try:
        return reader(path)
    except SourceError as exc:
        problems.add(path, exc.line, exc.message, exc.hint)
        return None


def _validate(src: Source, contract: dict[str, Any], problems: Problems) -> tuple[dict[str, Any], Validator, int]:
    before = len(problems.errors)
    v = Validator(src.lines, lambda line, msg, hint: problems.add(src.path, line, msg, hint))
    return v.mapping(src.data, contract), v, before


def read_topic(path: Path, problems: Problems, convert: Convert = markdown_to_html) -> Topic | None:
    """A topic file into a Topic (with its body as HTML), or None after recording its errors."""
    src = parse(path, read_markdown, problems)
    if src is None:
        return None
    d, v, before = _validate(src, rules.TOPIC, problems)
    if len(problems.errors) > before:
        return None
    return Topic(
        slug=path.stem, source=problems.show(path), title=d["title"], body_html=convert(src.body),
        subtitle=d["subtitle"], category=d["category"], summary=d["summary"], date=d["date"],
        themenpate=Person(**d["themenpate"]) if d["themenpate"] else None,
        interview=Interview(**d["interview"]) if d["interview"] else None,
        documents=tuple(Document(**x) for x in d["documents"]),
        image=Image(**d["image"]) if d["image"] else None,
        comments=d["comments"], comments_until=d["comments_until"], tags=tuple(d["tags"]), draft=d["draft"],
    )


def read_event(path: Path, problems: Problems, convert: Convert = markdown_to_html) -> Event | None:
    """An event file into an Event with Europe/Berlin times."""
    src = parse(path, read_markdown, problems)
    if src is None:
        return None
    d, v, before = _validate(src, rules.EVENT, problems)
    if path.stem == "kalender":
        problems.add(path, 1, "the event name 'kalender' is already used by the calendar of all events",
                     "rename the file, e.g. 'kalender-workshop.md'")
    start, end = berlin(d["start"]), berlin(d["end"])
    if start and end and end <= start:
        v.error(("end",), "the event ends before it starts", "check the date and time of 'end'")
    if d["sequence"] is not None and d["sequence"] < 0:
        v.error(("sequence",), "'sequence' must be 0 or more", "raise it by one for every change of time or place")
    if len(problems.errors) > before:
        return None
    return Event(
        slug=path.stem, source=problems.show(path), title=d["title"], start=start, end=end,
        location=Location(**d["location"]), body_html=convert(src.body), topics=tuple(d["topics"]),
        registration_url=d["registration_url"], status=d["status"], updated=berlin(d["updated"]),
        sequence=d["sequence"],
    )


def berlin(value: dt.datetime | None) -> dt.datetime | None:
    """Times without an offset are Europe/Berlin local time."""
    if value is None:
        return None
    return value.replace(tzinfo=BERLIN) if value.tzinfo is None else value


def read_page(path: Path, problems: Problems, convert: Convert = markdown_to_html) -> Page | None:
    """A page file into a Page; names the site uses itself are refused."""
    src = parse(path, read_markdown, problems)
    if src is None:
        return None
    d, v, before = _validate(src, rules.PAGE, problems)
    if path.stem in RESERVED:
        problems.add(path, 1, f"the page name '{path.stem}' is already used by the site itself",
                     "rename the file, e.g. 'ueber-uns.md'")
    if len(problems.errors) > before:
        return None
    return Page(slug=path.stem, source=problems.show(path), title=d["title"], body_html=convert(src.body),
                layout=d["layout"], footer=d["footer"], order=d["order"], summary=d["summary"])


def read_comment(path: Path, problems: Problems) -> Comment | None:
    """An approved comment file; its id must match its file name and its topic its folder."""
    src = parse(path, read_yaml, problems)
    if src is None:
        return None
    d, v, before = _validate(src, rules.COMMENT, problems)
    if d["id"] and not COMMENT_ID.match(d["id"]):
        v.error(("id",), f"the comment id '{d['id']}' is not valid", "use a-z, 0-9 and '-' only")
    elif d["id"] and d["id"] != path.stem:
        v.error(("id",), f"the id '{d['id']}' does not match the file name '{path.name}'",
                f"rename the file to '{d['id']}.yaml' or fix the id")
    if d["topic"] and d["topic"] != path.parent.name:
        v.error(("topic",), f"the comment's topic '{d['topic']}' does not match its folder '{path.parent.name}'",
                "move the file into the folder of its topic")
    if len(problems.errors) > before:
        return None
    return Comment(id=d["id"], topic=d["topic"], parent=d["parent"], name=strip_invisible(d["name"]).strip(),
                   body=strip_reordering(d["body"]),
                   date=utc(d["date"]), official=d["official"], moderated_at=utc(d["moderated_at"]),
                   moderated_by=d["moderated_by"], source=problems.show(path))


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """Comment times are UTC; a value without an offset is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def read_thread(folder: Path, problems: Problems) -> list[Comment]:
    """All comments of one topic folder, with the thread rules checked: parents exist, depth <= MAX_DEPTH."""
    if os.path.islink(folder) and not allowed(folder, problems.root, problems):
        return []
    comments = [c for path in file_paths(folder, ".yaml", problems) if (c := read_comment(path, problems))]
    by_id = {c.id: c for c in comments}
    for c in comments:
        if c.parent is None:
            continue
        if c.parent not in by_id:
            problems.add(c.source, line_of(problems.root / c.source, "parent"),
                         f"the comment replies to '{c.parent}', which is not a comment of this topic",
                         "fix 'parent' or set it to null")
        elif _depth(c, by_id) > MAX_DEPTH:
            problems.add(c.source, line_of(problems.root / c.source, "parent"),
                         f"replies nest at most {MAX_DEPTH} deep", "reply to a comment higher up the thread")
    return sorted(comments, key=lambda c: (c.date, c.id))


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


def line_of(path: Path, key: str) -> int:
    """The line of a top-level key in a file, for errors found after parsing."""
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line.startswith(key + ":"):
                return n
    except OSError:
        pass
    return 1
