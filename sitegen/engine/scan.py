"""Finding what changed: topic files, comment folder listings, signatures to trust."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Container

from ..core.errors import Problems
from .fork import can_fork, in_child
from .session import Session
from ..core.readers import SLUG, Signature, files, signature

RACY_NS = 2_000_000_000  # timestamps within this much of the last build are not trusted alone


def scan(content: Path, problems: Problems, racy: int | None, session: Session | None,
          changed: set[str] | None, cached_slugs: Container[str] = ()
          ) -> tuple[list[tuple[Path, Signature]], dict[str, tuple], list[str] | None]:
    """Topic files, comment listings, and the comment folders that can have changed (None: all of them);
    with a session that knows what changed, only that is looked at.

    Only the topics in cached_slugs get a listing here: the others are read whatever their
    comments are, and the worker that reads a topic lists its folder itself (in parallel, and
    not at all in the serial part of a cold build)."""
    themen, kommentare = str(content / "themen") + os.sep, str(content / "kommentare") + os.sep
    known = session is not None and session.topics is not None and changed is not None
    touched = [p for p in changed if p.startswith(themen)] if known else []
    if known and all(_plain_topic(p[len(themen):]) for p in touched):
        topic_files = _update(session.topics, touched) if touched else session.topics  # type: ignore[arg-type]
    else:
        topic_files = files(content / "themen", ".md", problems)
    listings = {}
    dirty = {p[len(kommentare):].split(os.sep, 1)[0] for p in changed if p.startswith(kommentare)} if known else set()
    # the last build had no stray comment folders (or it failed); new ones can only come from a
    # changed comment folder or a topic that was deleted or renamed
    session_folders = sorted(dirty | {Path(p).stem for p in touched}) if known else None
    todo = []
    for path, _ in topic_files:
        slug = path.stem
        if known and slug not in dirty and slug in session.listings:  # type: ignore[union-attr]
            listings[slug] = session.listings[slug]  # type: ignore[union-attr]
        elif slug in cached_slugs:
            todo.append(slug)
    # a process without threads (not the preview server) may fork to look at the folders
    listings.update(_listings(kommentare, todo, racy, fork=session is None))
    return topic_files, listings, session_folders


FORK_ABOVE = 2000  # comment folders; below this, forking costs more than it saves


def _listings(base: str, slugs: list[str], racy: int | None, fork: bool) -> dict[str, tuple]:
    """The listings of many comment folders. Above FORK_ABOVE, a forked child lists half of them:
    the time goes into system calls (a stat per file), and a fresh process has no other work then."""
    if not fork or len(slugs) < FORK_ABOVE or not can_fork():
        return {slug: listing(base + slug, racy) for slug in slugs}
    half = len(slugs) // 2
    childs_half = in_child(lambda: {slug: listing(base + slug, racy) for slug in slugs[half:]})
    try:
        found = {slug: listing(base + slug, racy) for slug in slugs[:half]}
    finally:
        done = childs_half()
    if not isinstance(done, dict):  # the child failed: do its half here
        done = {slug: listing(base + slug, racy) for slug in slugs[half:]}
    found.update(done)
    return found


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
