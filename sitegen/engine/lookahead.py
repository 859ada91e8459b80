"""Listing the comment folders from the first moment of a build process, in a forked child.

A warm build of a big site spends most of its time on stat calls: at 10,000 topics, 50,000 comment
files in 10,000 folders take a third of a second of one core. The build needs their listings only
after it has imported its libraries, loaded the cache and read what all pages share, which takes
about as long on the other core. So `build.py` calls `look_ahead` before it imports the rest of
sitegen (this module and what it imports are light), and the build collects the listings in
`scan.py` (`Tuning.lookahead`).

Why listing before the build lock is safe: no build writes content/, so the lock of the output
folder does not cover it; a comment the intake writes meanwhile is either listed or not, as at any
other moment of a build. The build's start, from which the next build distrusts timestamps
(signatures.settled), is taken before the child's first stat. A child that fails costs only time:
the build lists the folders itself.
"""

from __future__ import annotations

import mmap
import os
import time
from pathlib import Path
from typing import Iterable

from .fork import Child, can_fork, in_child
from .signatures import Listing, digest_of, entries, listing

FORK_ABOVE = 2000  # comment folders (the scan: topics) from which on a child pays off
BLOCK = 64  # comment folders listed at a time: the child takes blocks from the front, the build from the back
CHILD, BUILD = 1, 2  # who took a block (0: nobody yet)


class Lookahead:
    """The comment folders being listed by a child since started_ns. When the build asks for the
    listings, it lists blocks from the back itself until it meets the child (claims: one byte per
    block in memory both share, CHILD or BUILD), so neither waits for the other on a slow machine.
    A block both took at the same instant is listed twice: no harm."""

    def __init__(self, started_ns: int, folder: str, names: list[str], claims: mmap.mmap, child: Child):
        self.started_ns, self.folder, self.names, self.claims, self.child = started_ns, folder, names, claims, child
        self.wanted = True  # until the listings are taken, or the build has no use for them

    def listings(self, slugs: list[str], racy: int | None) -> dict[str, Listing] | None:
        """Each slug's comment listing, as signatures.listing gives it; None if the child failed
        (or this was asked before). A folder with a file changed since racy is listed again here,
        since the child did not hash its files (it started before racy was known)."""
        if not self.wanted:
            return None
        self.wanted = False
        try:
            mine = take(self.claims, reversed(range(len(self.claims))), BUILD, self.folder, self.names)
        except BaseException:  # interrupted: the child is not left behind
            self.child.cancel()
            raise
        found = self.child()
        if found is None:
            return None
        found.update(mine)
        listings, none = {}, (digest_of([]), 0)  # a folder not there: none at all, as listing says
        for slug in slugs:
            digest, newest = found.get(slug, none) or (None, 0)
            if digest is None or racy is not None and newest >= racy:  # unreadable there, or racy
                digest = listing(self.folder + slug, racy)  # any error as the serial scan raises it
            listings[slug] = digest
        return listings

    def cancel(self) -> None:
        """The listings are not wanted (no cache to compare them with): stop the child."""
        self.wanted = False
        self.child.cancel()


def look_ahead(content: Path) -> Lookahead | None:
    """Start listing content/kommentare/*/ in a child; None where a child would not pay off (one
    core, a thread running, a small site, no comment folder)."""
    started = time.time_ns()  # before the first look
    base = os.path.join(content, "kommentare") + os.sep
    try:
        names = [name for name in os.listdir(base) if not name.startswith(".")]
    except OSError:
        return None
    if len(names) < FORK_ABOVE or not can_fork():
        return None
    claims = mmap.mmap(-1, -(-len(names) // BLOCK))  # shared with the child, all zero
    return Lookahead(started, base, names, claims, in_child(lambda: take(claims, range(len(claims)), CHILD, base, names)))


def take(claims: mmap.mmap | bytearray, order: Iterable[int], who: int, base: str,
         names: list[str]) -> dict[str, tuple[Listing, int] | None]:
    """Each folder's listing with the newest modification time in it, block by block in order,
    until a block the other process took: claims[block] = who. A folder that cannot be listed
    (a link that leads nowhere in it) is None: Lookahead.listings lists it again, if it is a topic's."""
    found: dict[str, tuple[Listing, int] | None] = {}
    for block in order:
        if claims[block]:
            break
        claims[block] = who
        for name in names[block * BLOCK:(block + 1) * BLOCK]:
            try:
                pairs = entries(base + name, None)
            except OSError:
                found[name] = None
                continue
            found[name] = digest_of(pairs), max((sig[0] for _, sig in pairs), default=0)
    return found
