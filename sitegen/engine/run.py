"""One build into one output folder: the object that owns everything the build holds for its duration.

A BuildRun takes the build lock, completes a switch a killed build left, picks the cache to reuse,
makes the staging folder, the spool and the writer, and on the way out saves the new cache, or,
after a failure, removes what the build made and trusts nothing it knew.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..core.dates import BERLIN
from ..core.errors import Problems
from ..output.lock import hold, release
from ..output.manifest import record_manifest
from ..output.switch import recover
from ..output.staging import discard_staging, new_folder, staging
from ..output.writer import Report, Writer
from . import cache as caching
from . import deps
from . import speedups
from ..core.published_files import odd_names
from .media import image_problems
from .lookahead import Lookahead
from .signatures import RACY_NS
from .session import Session
from .spool import Spool


@dataclass(frozen=True)
class Tuning:
    """How a build runs, never what it makes: worker processes, and whether a cache is used."""

    jobs: int | None = None  # worker processes; None: one per core
    cache: bool = True  # read the last build's cache and save this one's (`check` builds without)
    # the comment folders, listed since the process started (build.py); one build's, taken once
    lookahead: Lookahead | None = None


@dataclass(frozen=True)
class Options:
    """What a build is asked for."""

    root: Path
    out: Path
    today: dt.date
    drafts: bool = False
    tuning: Tuning = Tuning()


class BuildRun:
    """The state of one build: see the module's docstring. Made by `open`, never directly."""

    def __init__(self, options: Options, session: Session | None, fresh_out: bool):
        self.options, self.session, self.fresh_out = options, session, fresh_out
        self.root, self.out = options.root, options.out
        self.problems = Problems(options.root)
        self.changed = session.take() if session else None  # what the watcher saw; None: look at everything
        self.caches = caching.Caches(caching.Cache(""), caching.Cache(""), None)
        self.trust_out = False  # this process wrote out/ last and nobody changed it since (the preview)
        self.stage = staging(self.out)
        self.spool = Spool(self.stage)
        self.writer: Writer | None = None
        self.environment: tuple | None = None  # ((version, prefix), Jinja environment), for the session
        self.scanned: tuple | None = None  # (topic files, comment listings), for the session
        self.committed = False

    @classmethod
    @contextlib.contextmanager
    def open(cls, root: Path, out: Path, today: dt.date | None, drafts: bool, tuning: Tuning,
             session: Session | None) -> Iterator["BuildRun"]:
        """A run holding the lock of out; everything it made is cleaned up when it ends."""
        options = Options(Path(root).resolve(), Path(out), today or dt.datetime.now(BERLIN).date(), drafts, tuning)
        speedups.enable()  # Python-Markdown's speed-ups, on the versions they were written for
        threshold = gc.get_threshold()
        # A build makes millions of short-lived objects and few reference cycles; the collector's
        # default (a pass every 700 allocations, full passes over the growing cache and file lists)
        # cost ~5 % of a no-op rebuild. Collected less often, not less: the threshold is put back.
        gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
        held = run = None
        try:
            # one build at a time into out/, from reading the cache to writing it: a build that waited
            # must not act on what it read of out/ before the other one changed it (content/, which no
            # build writes, may have been looked at before: see lookahead.py)
            held = hold(caching.lock_file(options.root, options.out), waiting=lambda: print(
                f"waiting for another build into {options.out} to finish ...", file=sys.stderr, flush=True))
            if held is not None and recover(options.out):  # first: complete the switch of a build killed during it
                caching.discard(options.root, options.out)  # its pages are in place: no cache may vouch for the old ones
                if session:
                    session.cache = None
            # a new output folder (made here, so no other build writes into it) has no last good site to
            # protect: workers write pages in place, and a failure removes the folder
            fresh_out = new_folder(options.out)
            try:
                run = cls(options, session, fresh_out)
                yield run
            except BaseException:
                if fresh_out and not (run and run.committed):
                    shutil.rmtree(options.out, ignore_errors=True)  # a failed first build leaves no trace
                raise
            finally:
                if run:
                    run.spool.close()
                    discard_staging(run.stage)
        except BaseException:
            if session:
                session.forget()  # after a failure, trust nothing: look at everything next time
            raise
        finally:
            try:
                if tuning.lookahead:  # stopped, if the build did not take its listings (it failed before)
                    tuning.lookahead.cancel()
            finally:
                release(held)
                gc.set_threshold(*threshold)

    def use_cache(self, version: str) -> caching.Caches:
        """The last build's cache if it is for this code and this folder, and this build's, empty."""
        session, root, out = self.session, self.root, self.out
        if self.fresh_out:
            caching.discard(root, out)  # the cache of a folder since deleted: it must not vouch for pages written now
        media_version = deps.media_version()
        if session and session.cache and session.cache.version == version \
                and session.disk == caching.stamp(root, out):  # else another build changed out/ meanwhile
            last = session.cache
        elif self.options.tuning.cache:
            last = caching.Cache.load(root, out, version, media_version)
        else:
            last = caching.Cache(version)
        ahead = self.options.tuning.lookahead
        if ahead and not last.topics:
            ahead.cancel()  # no topic to compare a listing with
        # from here on, a file changed may not be seen by this build: the next one distrusts its timestamp
        started = min(time.time_ns(), ahead.started_ns) if ahead else time.time_ns()
        fresh = caching.Cache(version, started_ns=started, media_version=media_version)
        self.caches = caching.Caches(last, fresh, last.started_ns - RACY_NS if last.started_ns else None)
        self.trust_out = session is not None and session.cache is last and not self.fresh_out
        return self.caches

    def list_new_pages(self, pages: Iterator[str]) -> None:
        """Pages about to be written in place into a new folder, listed first: the next build
        removes those of a build killed midway."""
        if self.fresh_out:
            record_manifest(self.out, pages)

    def start_writing(self) -> Writer:
        """The writer of this build's files, once everything has validated. From its first write on,
        the cache on disk no longer describes out/: it is dropped until the new one is saved."""
        self.writer = Writer(self.out, before_first_write=lambda: caching.discard(self.root, self.out), stage=self.stage)
        return self.writer

    def commit(self) -> Report:
        """Put every file in place, remove stale ones, save the cache; a failure after this keeps the site."""
        assert self.writer is not None, "commit comes after start_writing"
        report = dataclasses.replace(self.writer.finish(),
                                     warnings=tuple(odd_names(self.root / "content" / "dateien"))
                                     + tuple(image_problems(self.caches.fresh)))
        self.committed = True  # from here on, a failure (saving the cache, Ctrl-C) leaves the finished site
        last, fresh = self.caches.last, self.caches.fresh
        save = self.options.tuning.cache
        if not report.written and not report.removed and fresh.others_key == last.others_key \
                and fresh.files == last.files and last.topics == fresh.topics:
            fresh, save = last, False  # nothing changed: keep the cache (and its older start time) as it is on disk
        if self.session:
            self.session.remember(fresh, self.scanned, self.environment, caching.stamp(self.root, self.out))
            if save:  # the preview need not wait for the disk: saved once the edits pause
                self.session.save_later(fresh, self.root, self.out)
        elif save:
            fresh.save(self.root, self.out)
        return report
