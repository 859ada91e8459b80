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

FORK_ABOVE = 2000  # comment folders; below this, a child costs more than it saves
BLOCK = 64  # comment folders listed at a time: the child takes blocks from the front, the build from the back


class Lookahead:
    """The comment folders being listed by a child since started_ns. When the build asks for the
    listings, it lists blocks from the back itself until it meets the child (claims: one byte per
    block in memory both share, 1 taken by the child, 2 by the build), so neither waits for the
    other on a slow machine. A block both took at the same instant is listed twice: no harm."""

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
        mine = take(self.claims, reversed(range(len(self.claims))), 2, self.folder, self.names)
        found = self.child()
        if found is None:
            return None
        found.update(mine)
        listings, none = {}, digest_of([])  # a folder the child did not find: none at all, as listing says
        for slug in slugs:
            digest, newest = found.get(slug, (none, 0))
            if racy is not None and newest >= racy:
                digest = listing(self.folder + slug, racy)
            listings[slug] = digest
        return listings

    def cancel(self) -> None:
        """The listings are not wanted (no cache to compare them with): stop the child."""
        self.wanted = False
        self.child.cancel()


def look_ahead(content: Path) -> Lookahead | None:
    """Start listing content/kommentare/*/ in a child; None where a child would not pay off (one
    core, a thread running, a small site, no comment folder)."""
    if not can_fork():
        return None
    base = os.path.join(content, "kommentare") + os.sep
    try:
        names = os.listdir(base)
    except OSError:
        return None
    if len(names) < FORK_ABOVE:
        return None
    started = time.time_ns()
    claims = mmap.mmap(-1, -(-len(names) // BLOCK))  # shared with the child, all zero
    return Lookahead(started, base, names, claims, in_child(lambda: take(claims, range(len(claims)), 1, base, names)))


def take(claims: mmap.mmap | bytearray, order: Iterable[int], who: int, base: str,
         names: list[str]) -> dict[str, tuple[Listing, int]]:
    """Each folder's listing with the newest modification time in it, block by block in order,
    until a block the other process took: claims[block] = who."""
    found = {}
    for block in order:
        if claims[block]:
            break
        claims[block] = who
        for name in names[block * BLOCK:(block + 1) * BLOCK]:
            pairs = entries(base + name, None)
            found[name] = digest_of(pairs), max((sig[0] for _, sig in pairs), default=0)
    return found
