"""Finding what changed: topic files, comment folder listings, pages gone from out/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..core.errors import Problems
from ..core.readers import SLUG, files
from ..core.signature import Signature, signature
from ..output.paths import exists
from .lookahead import FORK_ABOVE, Lookahead, look_ahead
from .session import Session
from .signatures import listing


@dataclass(frozen=True)
class Scanned:
    """What scan found."""

    topic_files: dict[str, tuple[Path, Signature]]  # slug -> its file and signature, sorted by name
    listings: dict[str, bytes]  # slug -> its comment folder's listing (signatures.listing; topics of the last build)
    folders: list[str] | None  # the comment folders that can have changed (None: any)
    gone: set[str]  # topics of the last build with a page or feed missing from out/
    unchanged: frozenset[str] = frozenset()  # topics whose file and comments the session saw unchanged


@dataclass(frozen=True)
class Looking:
    """Where scan looks, and what it knows already."""

    content: Path
    problems: Problems
    racy: int | None  # see signatures.settled
    session: Session | None  # the preview's: what the file watcher saw change
    changed: set[str] | None
    ahead: Lookahead | None = None  # the comment folders, being listed since the process started


def scan(looking: Looking, expected: Mapping[str, tuple[str, ...]]) -> Scanned:
    """Topic files, comment listings, the comment folders that can have changed, and pages gone;
    with a session that knows what changed, only that is looked at.

    expected: each topic of the last build, with the output files its page needs (none: out/ is
    trusted). Only these topics get a listing here: the others are read whatever their comments
    are, and the worker that reads a topic lists its folder itself (in parallel, and not at all in
    the serial part of a cold build)."""
    session, changed = looking.session, looking.changed
    if session is None or session.topics is None or changed is None:
        return _scan_all(looking, expected)
    content = looking.content
    themen, kommentare = str(content / "themen") + os.sep, str(content / "kommentare") + os.sep
    touched = [p for p in changed if p.startswith(themen)]
    if all(_plain_topic(p[len(themen):]) for p in touched):
        topic_files = _update(session.topics, touched) if touched else session.topics
    else:
        topic_files = topic_folder(content, looking.problems)
    dirty = {p[len(kommentare):].split(os.sep, 1)[0] for p in changed if p.startswith(kommentare)}
    # the last build had no stray comment folders (or it failed); new ones can only come from a
    # changed comment folder or a topic that was deleted or renamed
    folders = sorted(dirty | {Path(p).stem for p in touched})
    listings, todo = {}, []
    for slug in topic_files:
        if slug not in dirty and slug in session.listings:
            listings[slug] = session.listings[slug]
        elif slug in expected:
            todo.append(slug)
    unchanged = frozenset(listings).difference(folders)
    listings.update(_listings(kommentare, todo, looking.racy))
    return Scanned(topic_files, listings, folders, set(_gone(expected, expected)), unchanged)


def _scan_all(looking: Looking, expected: Mapping[str, tuple[str, ...]]) -> Scanned:
    """Everything looked at. A child lists the comment folders meanwhile (lookahead.py), started
    by build.py as the process began, or here in a process without threads (not the preview
    server's); this process reads the topic folder and looks for pages gone from out/."""
    kommentare = str(looking.content / "kommentare") + os.sep
    slugs = sorted(expected)
    ahead = looking.ahead
    if ahead is None and looking.session is None and len(slugs) >= FORK_ABOVE:
        ahead = look_ahead(looking.content)
    try:
        topic_files = topic_folder(looking.content, looking.problems)
        gone = _gone(slugs, expected)
        listings = ahead.listings(slugs, looking.racy) if ahead else None
    finally:
        if ahead:
            ahead.cancel()  # after an error: not left behind (once its listings are taken, nothing to do)
    if listings is None:  # no child, or it failed
        listings = _listings(kommentare, slugs, looking.racy)
    return Scanned(topic_files, {slug: found for slug, found in listings.items() if slug in topic_files}, None, set(gone))


def topic_folder(content: Path, problems: Problems) -> dict[str, tuple[Path, Signature]]:
    """The topic files by slug, sorted by name (the slug made once: Path.stem costs 14 ms at 10k)."""
    return {path.name[:-3]: (path, sig) for path, sig in files(content / "themen", ".md", problems)}


def _listings(base: str, slugs: list[str], racy: int | None) -> dict[str, bytes]:
    return {slug: listing(base + slug, racy) for slug in slugs}


def _gone(slugs: Iterable[str], expected: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The topics among slugs whose expected outputs are not all in place."""
    return [slug for slug in slugs if expected[slug] and not all(map(exists, expected[slug]))]


def _plain_topic(name: str) -> bool:
    """A changed path that is a topic file itself (anything else makes the folder be read again)."""
    return name.endswith(".md") and os.sep not in name and bool(SLUG.match(name[:-3]))


def _update(known: dict[str, tuple[Path, Signature]], touched: list[str]) -> dict[str, tuple[Path, Signature]]:
    """The topic files with the touched ones stat-ed again: edited, added or deleted."""
    by_slug = dict(known)
    for p in touched:
        path = Path(p)
        try:
            by_slug[path.stem] = (path, signature(os.stat(p)))
        except FileNotFoundError:
            by_slug.pop(path.stem, None)
    return dict(sorted(by_slug.items(), key=lambda item: item[1][0].name))  # as files() sorts them


