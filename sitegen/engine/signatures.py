"""Signatures to trust: a file's, and a comment folder's listing (kept light, see lookahead.py)."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from ..core.signature import Signature, signature

RACY_NS = 2_000_000_000  # timestamps within this much of the last build are not trusted alone

Listing = bytes  # a comment folder's files and signatures, as a digest (see listing)


def listing(folder: str, racy: int | None) -> Listing:
    """A comment folder's files and signatures: any approved, edited or removed comment changes it.

    Only compared, never read back, so a digest: it keeps the keys of ten thousand topics small in
    the cache, and quick to make and to hand from a child to its parent (lookahead.py)."""
    return digest_of(entries(folder, racy))


def entries(folder: str, racy: int | None) -> list[tuple[str, tuple]]:
    """A comment folder's (file name, signature) pairs, sorted by name; none if it does not exist.

    This runs for every topic on every build, so it stays close to the system calls."""
    try:
        found = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    with found:
        pairs = [(e.name, _settled_entry(e, racy)) for e in found]
    pairs.sort()
    return pairs


def _settled_entry(entry: os.DirEntry, racy: int | None) -> tuple:
    """An entry's settled signature; a link that leads nowhere gets its own (the reader of the
    comments then reports it as a content error, path:line and hint, instead of the listing failing
    with a bare system error)."""
    try:
        return settled(entry.path, signature(entry.stat()), racy)
    except FileNotFoundError:
        return signature(entry.stat(follow_symlinks=False))


def digest_of(pairs: list[tuple[str, tuple]]) -> Listing:
    """The listing of these pairs. Marshal format 0 writes equal values as equal bytes, whichever
    objects they are made of (the newer formats write back-references to objects met twice)."""
    return hashlib.blake2b(marshal.dumps(pairs, 0), digest_size=16).digest()


def settled(path: Path | str, sig: Signature, racy: int | None) -> tuple:
    """A signature to trust. A file changed around the time of the last build may have been changed
    again within the file system's timestamp granularity, at the same size: such a file is also
    identified by its content (git's "racily clean" rule)."""
    if racy is not None and sig[0] >= racy:
        with open(path, "rb") as f:
            return sig + (hashlib.blake2b(f.read(), digest_size=16).digest(),)
    return sig
