"""Finding what changed: topic files, comment folder listings, pages gone from out/, signatures to trust."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..core.errors import Problems
from .fork import can_fork, in_child
from .session import Session
from ..core.readers import SLUG, Signature, files, signature

RACY_NS = 2_000_000_000  # timestamps within this much of the last build are not trusted alone
FORK_ABOVE = 2000  # topics; below this, forking costs more than it saves
# The child's share of the last build's topics when they are looked at in two processes. This process
# also reads the topic folder meanwhile (a stat per topic), but the child is slower per topic: its
# first touch of each page of memory it shares with this process copies the page. Measured at 10k
# topics, half and half end about together.
CHILD_SHARE = 0.5


@dataclass(frozen=True)
class Scanned:
    """What scan found."""

    topic_files: list[tuple[Path, Signature]]
    listings: dict[str, tuple]  # slug -> its comment folder's files and signatures (topics of the last build)
    folders: list[str] | None  # the comment folders that can have changed (None: any)
    gone: set[str]  # topics of the last build with a page or feed missing from out/
    unchanged: frozenset[str] = frozenset()  # topics whose file and comments the session saw unchanged


def scan(content: Path, problems: Problems, racy: int | None, session: Session | None,
         changed: set[str] | None, expected: Mapping[str, tuple[str, ...]]) -> Scanned:
    """Topic files, comment listings, the comment folders that can have changed, and pages gone;
    with a session that knows what changed, only that is looked at.

    expected: each topic of the last build, with the output files its page needs (none: out/ is
    trusted). Only these topics get a listing here: the others are read whatever their comments
    are, and the worker that reads a topic lists its folder itself (in parallel, and not at all in
    the serial part of a cold build)."""
    if session is None or session.topics is None or changed is None:
        # a process without threads (not the preview server) may fork to look at the folders
        return _scan_all(content, problems, racy, expected, fork=session is None)
    themen, kommentare = str(content / "themen") + os.sep, str(content / "kommentare") + os.sep
    touched = [p for p in changed if p.startswith(themen)]
    if all(_plain_topic(p[len(themen):]) for p in touched):
        topic_files = _update(session.topics, touched) if touched else session.topics
    else:
        topic_files = files(content / "themen", ".md", problems)
    dirty = {p[len(kommentare):].split(os.sep, 1)[0] for p in changed if p.startswith(kommentare)}
    # the last build had no stray comment folders (or it failed); new ones can only come from a
    # changed comment folder or a topic that was deleted or renamed
    folders = sorted(dirty | {Path(p).stem for p in touched})
    listings, todo = {}, []
    for path, _ in topic_files:
        slug = path.stem
        if slug not in dirty and slug in session.listings:
            listings[slug] = session.listings[slug]
        elif slug in expected:
            todo.append(slug)
    unchanged = frozenset(listings).difference(folders)
    listings.update(_listings(kommentare, todo, racy))
    return Scanned(topic_files, listings, folders, set(_gone(expected, expected)), unchanged)


def _scan_all(content: Path, problems: Problems, racy: int | None, expected: Mapping[str, tuple[str, ...]],
              fork: bool) -> Scanned:
    """Everything looked at. With FORK_ABOVE topics or more, a forked child looks at a share of the
    last build's topics while this process reads the topic folder and then looks at the rest: the
    time goes into system calls (a stat per file), and a fresh process has no other work then."""
    kommentare = str(content / "kommentare") + os.sep
    slugs = sorted(expected)
    cut = round(len(slugs) * CHILD_SHARE) if fork and len(slugs) >= FORK_ABOVE and can_fork() else 0

    def look(part: list[str]) -> tuple[dict[str, tuple], list[str]]:
        return _listings(kommentare, part, racy), _gone(part, expected)

    childs_share: Callable[[], tuple | None] = in_child(lambda: look(slugs[:cut])) if cut else lambda: None
    try:
        topic_files = files(content / "themen", ".md", problems)
        listings, gone = look(slugs[cut:])
    finally:
        done = childs_share()
    if cut and not isinstance(done, tuple):  # the child failed: do its share here
        done = look(slugs[:cut])
    if done:
        listings.update(done[0])
        gone += done[1]
    names = {path.stem for path, _ in topic_files}
    return Scanned(topic_files, {slug: found for slug, found in listings.items() if slug in names}, None, set(gone))


def _listings(base: str, slugs: list[str], racy: int | None) -> dict[str, tuple]:
    return {slug: listing(base + slug, racy) for slug in slugs}


def _gone(slugs: Iterable[str], expected: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The topics among slugs whose expected outputs are not all in place."""
    isfile = os.path.isfile
    return [slug for slug in slugs if expected[slug] and not all(map(isfile, expected[slug]))]


def _plain_topic(name: str) -> bool:
    """A changed path that is a topic file itself (anything else makes the folder be read again)."""
    return name.endswith(".md") and os.sep not in name and bool(SLUG.match(name[:-3]))


def _update(known: list[tuple[Path, Signature]], touched: list[str]) -> list[tuple[Path, Signature]]:
    """The topic list with the touched files stat-ed again: edited, added or deleted."""
    by_path = {str(path): (path, sig) for path, sig in known}
    for p in touched:
        try:
            by_path[p] = (Path(p), signature(os.stat(p)))
        except FileNotFoundError:
            by_path.pop(p, None)
    return sorted(by_path.values(), key=lambda item: item[0].name)


def listing(folder: str, racy: int | None) -> tuple[tuple[str, tuple], ...]:
    """A comment folder's files and signatures: any approved, edited or removed comment changes it.

    This runs for every topic on every build, so it stays close to the system calls."""
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return ()
    with entries:
        found = [(e.name, settled(e.path, signature(e.stat()), racy)) for e in entries]
    found.sort()
    return tuple(found)


def settled(path: Path | str, sig: Signature, racy: int | None) -> tuple:
    """A signature to trust. A file changed around the time of the last build may have been changed
    again within the file system's timestamp granularity, at the same size: such a file is also
    identified by its content (git's "racily clean" rule)."""
    if racy is not None and sig[0] >= racy:
        with open(path, "rb") as f:
            return sig + (hashlib.blake2b(f.read(), digest_size=16).digest(),)
    return sig
