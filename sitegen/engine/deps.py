"""What each output depends on: the one place that says when a page must be made again.

A new input to a page is added here and nowhere else. Everything the build reuses from the last
build is reused because one of these keys came out equal:

- `version`: the code, the libraries, Python, the templates, the static files. Any change
  throws the whole cache away, but for the images' entries, kept while `media_version` (Python,
  Pillow, the image code) is the same.
- `theme`: what every page shows of the others (site.yaml, the navigation, the footer pages)
  and whether drafts are shown.
- `TopicInputs.key`: a topic page and its comment feed (the theme, the topic file, its comment
  folder, the upcoming events that name it, whether its participation window is open or closed
  today: only a topic with `comments_until` depends on the date, and only on the day its window
  closes; and the size and hash of each image it shows). The feed needs less (no events, no
  window, no images), never more: the worker renders both from one read, so they share the key.
- `other_pages`: the start page, the lists, the events, the feeds, open data and the sitemap
  (the theme, the date, every event's and page's file, what each topic shows of itself, every image).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import marshal
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..core.model import Event, Page
from .signatures import Listing

CODE = Path(__file__).resolve().parent.parent  # all of sitegen: core, engine and output
LIBRARIES = ("jinja2", "markdown", "yaml", "markupsafe", "PIL")


def digest(*parts: Any) -> str:
    """A short stable digest of reprs (dataclasses, tuples, strings and numbers repr deterministically)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def version(templates: Path, static_files: dict[str, bytes]) -> str:
    """What invalidates everything: our code, the libraries, Python, the templates, the static files."""
    libs = [_installed(name) for name in LIBRARIES]
    code = [(p.relative_to(CODE).as_posix(), p.read_bytes()) for p in sorted(CODE.rglob("*.py"))]
    theme_files = [(p.relative_to(templates).as_posix(), p.read_bytes())
                   for p in sorted(p for p in templates.rglob("*") if p.is_file())]
    return digest(sys.version, libs, code, theme_files, sorted(static_files.items()))


def media_version() -> str:
    """What the images' cache entries depend on: Python, Pillow and the image code, not the theme."""
    code = [(p.name, p.read_bytes()) for p in (CODE / "core" / "images.py", CODE / "core" / "image_encode.py")]
    return digest(sys.version, _installed("PIL"), code)


def _installed(module: str) -> tuple[str, int, int, int]:
    """A library as installed: its package file is written anew (new inode and time) by every install
    or upgrade. Asking importlib.metadata instead cost 15 ms of every build's start."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return module, 0, 0, 0
    st = os.stat(spec.origin)
    return module, st.st_mtime_ns, st.st_size, st.st_ino


def theme(config: dict, nav: Sequence[tuple[str, str]], footer_pages: Iterable[Page], drafts: bool,
          logo: tuple = ()) -> str:
    """What every page shows of the others: navigation and footer links, not the pages' texts; the
    logo's image (pictures.Images.key_of: its size and hash, so an edited logo makes every page again)."""
    return digest(config, nav, [(p.url, p.title) for p in footer_pages], drafts, logo)


def linked_events(related: dict[str, tuple[Event, ...]], signatures: dict[str, tuple]) -> dict[str, tuple]:
    """Per topic, the upcoming events its page lists, by their files' signatures."""
    return {slug: tuple((e.slug, signatures[e.slug]) for e in events) for slug, events in related.items()}


@dataclass(frozen=True)
class TopicInputs:
    """Everything a topic page is made from. listing (signatures.listing) is None until its comment
    folder is listed (a worker lists the folders of topics the last build did not know)."""

    theme: str
    topic_file: tuple
    events: tuple
    listing: Listing | None = None
    window: str | None = None  # core.window.state as of the build's today; None without comments_until
    images: tuple = ()  # the images the page shows (pictures.Images.key_of): their size and content hash

    def with_listing(self, listing: Listing) -> "TopicInputs":
        return replace(self, listing=listing)

    def with_window(self, window: str | None) -> "TopicInputs":
        """The window of the topic as read (the plan knew only the last build's comments_until)."""
        return replace(self, window=window)

    def with_images(self, images: tuple) -> "TopicInputs":
        """The images of the page as rendered (the plan knew only those of the last build's page)."""
        return replace(self, images=images)

    def key(self) -> tuple[bytes, bytes]:
        """The inputs as two bytes objects: the topic's own (own_key), and the rest, made from what
        all topics share (topic_basis). While that basis is the last build's, the own part decides
        alone (topics.plan). Marshal is cheap to compare, to store and to load again; compared as
        they are: hashing ten thousand keys on every build cost more than the comparison."""
        assert self.listing is not None, "a topic's key needs its comment listing"
        return own_key(self.topic_file, self.listing), _marshal((self.theme, self.events, self.window, self.images))


OWN_INPUTS = ("topic_file", "listing")  # the TopicInputs that come from the topic's own files


def own_key(topic_file: tuple, listing: Listing) -> bytes:
    """The first part of a topic's key: its file's signature and its comment folder's listing."""
    return _marshal((topic_file, listing))


def _marshal(value: Any) -> bytes:
    """Format 0: the newer ones write a back-reference for any object referenced more than once, so
    equal keys made in a worker and in the parent differed, and topics were read again for nothing."""
    return marshal.dumps(value, 0)


def topic_basis(theme: str, events: dict[str, tuple], window: dt.date, images: dict) -> str:
    """What every other field of TopicInputs is made from, the same for all topics of a build, as a
    digest: the theme, every topic's linked events, the date (windows), every image's info. When it
    is the last build's, a topic whose own files did not change has the same key as then, and its
    key need not be made (topics.plan). Each parameter is named for the field it makes: a test holds
    them and OWN_INPUTS to the fields."""
    return digest(theme, events, window, images)


def other_pages(theme_key: str, today: dt.date, sources: Any, topic_metas: Sequence[tuple[str, str]],
                images: Any = ()) -> str:
    """The key of every page but the topic pages. sources: the signatures of every event's and page's
    file, of which alone (and the code) their records are made: cheaper to digest than the records,
    whose bodies are HTML; topic_metas: (slug, what the others show of it); images: every raster
    image (cards, pages and events may show any of them)."""
    return digest(theme_key, today, sources, topic_metas, images)
