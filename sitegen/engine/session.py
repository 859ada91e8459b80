"""What the preview server keeps between builds: the cache in memory, the changed paths, the templates."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as caching
from ..core.signature import Signature
from ..output.lock import hold, release


@dataclass
class Session:
    """What a long-running process (the preview server) keeps between builds.

    The cache stays in memory, and the file watcher reports what changed, so a build after one
    saved file looks at that file instead of every signature on disk.
    """

    cache: caching.Cache | None = None
    topics: dict[str, tuple[Path, Signature]] | None = None  # slug -> topic file and signature
    listings: dict[str, bytes] = field(default_factory=dict)
    changed: set[str] | None = None  # paths reported since the last build; None: look at everything
    env: tuple | None = None  # ((cache version, prefix), Jinja environment) of the last build
    disk: tuple | None = None  # caching.stamp() after this session's last build or save
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _saver: threading.Timer | None = None
    _pending: tuple | None = None

    def remember(self, cache: caching.Cache, scanned: tuple | None, env: tuple | None, disk: tuple | None) -> None:
        """What a finished build leaves for the next: its cache, topic files and comment listings,
        its Jinja environment, and the stamp of the cache file it saw."""
        self.cache, self.env, self.disk = cache, env, disk
        if scanned is not None:
            self.topics, self.listings = scanned

    def note(self, path: str) -> None:
        """Record a path the watcher saw change."""
        with self._lock:
            if self.changed is not None:
                self.changed.add(os.path.realpath(path))  # builds compare against the resolved root

    def save_later(self, cache: caching.Cache, root: Path, out: Path, delay: float = 5.0) -> None:
        """Write the cache to disk once no build has followed for a while (a save costs a rebuild's time)."""
        with self._lock:
            if self._saver:
                self._saver.cancel()
            self._pending = (cache, root, out)
            self._saver = threading.Timer(delay, self.flush)
            self._saver.daemon = True
            self._saver.start()

    def flush(self) -> None:
        """Write a pending cache now (the preview server calls this when it stops)."""
        with self._lock:
            pending, self._pending = self._pending, None
        if pending:
            cache, root, out = pending
            held = hold(caching.lock_file(root, out))  # not while a build runs into out/
            try:
                if caching.stamp(root, out) == self.disk:  # no other build changed out/ since ours
                    cache.save(root, out)
                    self.disk = caching.stamp(root, out)
            finally:
                release(held)

    def forget(self) -> None:
        """Changes the watcher cannot describe file by file: the next build looks at everything."""
        with self._lock:
            self.changed = None

    def take(self) -> set[str] | None:
        """The changes since the last build; from now on, collect anew."""
        with self._lock:
            changed, self.changed = self.changed, set()
            return changed
