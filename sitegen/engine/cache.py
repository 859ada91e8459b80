"""The persistent build cache: what each output was made from, so unchanged work is skipped.

It lives in ROOT/.cache/sitegen/ (git-ignored), is safe to delete, and is thrown away whole when
the code, the libraries, the templates or the static files change, except what the images need
(`media`: each image probed, each variant written), which depends only on the image code and
Pillow, so a template edit does not resize every photo again. Correctness never depends on it: a
missing or unreadable cache only makes the next build a cold one.

The file holds three pickles: a header (the versions), the media entries, the rest. A build of
other code reads the header and stops there, instead of unpickling megabytes it throws away.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .deps import digest

FOLDER = Path(".cache") / "sitegen"


class TopicEntry(NamedTuple):
    """One topic as the last build left it: few objects each, since there can be tens of thousands.
    A named tuple: unpickled in half the time of a dataclass (30 ms less at 10k topics, every build)."""

    key: tuple[bytes, bytes]  # everything its page was made from: its own files, the rest (deps.TopicInputs.key)
    meta: str            # digest of what the other pages use from it (metadata and comments)
    page: str | None     # its output path, or None for a draft
    ids: str             # its comments' ids, space-separated, to find ids used twice without unpickling
    record: bytes        # (Topic card, its comments), pickled and compressed: unpacked only when needed
    until: dt.date | None = None  # its comments_until: the next build's plan works out its window from it
    images: tuple = ()  # the (image, crop) its page showed (pictures.Images.take): in its next key, and cropped

    @classmethod
    def of(cls, key: tuple[bytes, bytes], page: str | None, record: tuple[Any, tuple[Any, ...]],
           images: tuple = ()) -> "TopicEntry":
        """The entry of a topic just read: record is (its card, its comments).

        meta is the digest of the pickled record, pickled once for both. The same values pickle to
        the same bytes only if they share objects alike: pickle writes an object met twice as a
        reference. Readers must make fresh objects (flatyaml caches singletons only), or an
        unchanged topic read again would make the other pages render again."""
        pickled = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(key, digest(pickled), page, " ".join(c.id for c in record[1]), zlib.compress(pickled, 1),
                   record[0].comments_until, images)

    def load(self) -> tuple[Any, tuple[Any, ...]]:
        return pickle.loads(zlib.decompress(self.record))


@dataclass
class Cache:
    """Everything remembered between builds."""

    version: str
    topics: dict[str, TopicEntry] = field(default_factory=dict)
    files: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # path -> (signature, parsed record)
    basis: str = ""  # deps.topic_basis: what all topic keys share
    others_key: str = ""  # deps.other_pages of the pages that are not topic pages
    others_paths: tuple[str, ...] = ()  # and their output paths
    started_ns: int = 0  # when the build that wrote this cache began (see signatures.settled)
    media_version: str = ""  # deps.media_version: what the media entries were made with
    media: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # engine.media's entries

    @classmethod
    def load(cls, root: Path, out: Path, version: str, media_version: str = "") -> "Cache":
        """The cache of the last build into out; if it is missing, unreadable or from other code, an
        empty one, which keeps the media entries if they were made by the same image code."""
        media: dict[str, tuple[Any, Any]] = {}
        started = 0
        try:
            with open(_file(root, out), "rb") as f:
                head = pickle.load(f)
                if not (isinstance(head, tuple) and len(head) == 3 and isinstance(head[2], int)):
                    raise ValueError("not a cache of this format")
                if head[1] == media_version:
                    media, started = pickle.load(f), head[2]
                    if head[0] != version:
                        raise ValueError("a cache of other code")
                    cache = pickle.load(f)
                    if isinstance(cache, cls) and isinstance(media, dict):
                        cache.media = media
                        return cache
        except Exception:  # any damage to the cache means only a cold build  # noqa: BLE001
            pass
        if not isinstance(media, dict):
            media = {}
        return cls(version, media_version=media_version, media=media, started_ns=started if media else 0)

    def save(self, root: Path, out: Path) -> None:
        """Write atomically (a crash leaves the old cache or none); a cache that cannot be written is skipped."""
        target = _file(root, out)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # saves may overlap
            with open(tmp, "wb") as f:
                pickle.dump((self.version, self.media_version, self.started_ns), f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(self.media, f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(dataclasses.replace(self, media={}), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
            _prune(target.parent, keep=KEEP)
        except OSError:
            pass  # the next build is a cold one; the site is correct either way


@dataclass(frozen=True)
class Caches:
    """A build's view of the cache: the last build's (to reuse from), this build's (to fill), and
    from when a file's timestamp alone is not trusted (None: every one is; see signatures.settled)."""

    last: Cache
    fresh: Cache
    racy: int | None


KEEP = 8  # caches of the most recently built output folders


def discard(root: Path, out: Path) -> None:
    """Remove the cache of out: called before out/ changes, so a crash never leaves a cache that lies."""
    try:
        _file(root, out).unlink()
    except OSError:
        pass


def stamp(root: Path, out: Path) -> tuple[int, int, int] | None:
    """The identity of out's cache file as it is now (None: there is none). Every build that
    changes out drops the file first and saves a new one last: a different stamp means that
    some build changed out since the stamp was taken."""
    try:
        st = _file(root, out).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def lock_file(root: Path, out: Path) -> Path:
    """Where builds into out take turns (an empty file, next to out's cache, kept)."""
    return _file(root, out).with_suffix(".lock")


def _file(root: Path, out: Path) -> Path:
    """One cache per output folder: a page found in one folder says nothing about another."""
    return Path(root) / FOLDER / f"{digest(str(Path(out).resolve()))}.pickle"


def _prune(folder: Path, keep: int) -> None:
    """Drop the caches of output folders not built for a long time (check and tests use many)."""
    caches = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in caches[keep:]:
        old.unlink(missing_ok=True)
