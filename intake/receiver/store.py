"""The receiver's storage: one SQLite table, a submission committed to disk before the visitor hears back.

Posts are written by one writer thread in group commits: every post that arrives while a commit is
being synced joins the next one, so one fsync acknowledges many posts and no request thread waits in
SQLite's busy handler (which sleeps up to 100 ms at a time).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the pull's cursor: only grows
    id TEXT NOT NULL UNIQUE,                -- random, so an inbox key names one submission forever,
                                            -- even after the file is restored from a backup
    received_at TEXT NOT NULL,
    data TEXT NOT NULL                      -- the posted fields as JSON
)
"""
LOG = logging.getLogger("intake.receiver")  # ids only: never an address, name or text
BATCH = 256  # posts in one commit at most
WAIT = 30.0  # seconds a request waits for its commit before it is answered with an error


class Pending:
    """One post waiting for the commit that makes it durable."""

    def __init__(self, row: tuple[str, str, str]) -> None:
        self.row = row
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.claimed = False  # the writer has taken it into a commit: it will be stored
        self.abandoned = False  # its request gave up waiting (the visitor was told it failed): never store it

    def claim(self) -> bool:
        """The writer takes it, unless its request gave up first."""
        with self.lock:
            self.claimed = not self.abandoned
            return self.claimed

    def give_up(self) -> bool:
        """The request stops waiting; False if a commit already holds it (then wait for that commit)."""
        with self.lock:
            self.abandoned = not self.claimed
            return self.abandoned


class Store:
    """A SQLite file in WAL mode with synchronous=FULL: a commit is on disk when it returns."""

    def __init__(self, path: Path, wait: float = WAIT) -> None:
        self.path, self.wait = path, wait
        self._local = threading.local()  # one connection per server thread
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():  # private from the first byte: it holds e-mail addresses until pulled
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._connect().execute(SCHEMA)
        self._queue: queue.Queue[Pending | None] = queue.Queue()
        self._thread = threading.Thread(target=self._writer, name="receiver-writer", daemon=True)
        self._thread.start()

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # WAL + FULL: each commit fsyncs the log
            db.execute("PRAGMA secure_delete=ON")  # a deleted row's bytes are overwritten, not left in free pages
            self._local.db = db
        return db

    def add(self, data: Mapping[str, str], received_at: str) -> str:
        """Store one submission; returns its id once it is durable (raises if the commit failed)."""
        uid = secrets.token_hex(12)
        pending = Pending((uid, received_at, json.dumps(dict(data), ensure_ascii=False)))
        self._queue.put(pending)
        if not pending.done.wait(self.wait):
            if pending.give_up():  # told "not saved": it must not be saved later either (a resubmit would double it)
                raise TimeoutError("the database did not commit in time")
            pending.done.wait()  # already in a commit that is running: its outcome is the answer
        if pending.error is not None:
            raise pending.error
        return uid

    def _writer(self) -> None:
        """Commit whatever is queued, as one transaction, and wake its requests; never dies of an error."""
        db = self._connect()
        while True:
            first = self._queue.get()
            if first is None:  # close(): nothing is queued behind it (requests have stopped)
                db.close()
                return
            batch = [first]
            while len(batch) < BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # close after this batch
                    break
                batch.append(more)
            for dropped in [p for p in batch if not p.claim()]:
                dropped.done.set()  # its request gave up: not stored (the visitor was told so)
                batch.remove(dropped)
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT INTO submissions (id, received_at, data) VALUES (?, ?, ?)",
                               [p.row for p in batch])
                db.execute("COMMIT")
                # one line per commit, not one write per post under the handler's lock in every request
                if batch:
                    LOG.info("accepted submission(s) %s", " ".join(p.row[0] for p in batch))
            except Exception as exc:  # a full disk: every post of the batch gets the error, none a 303
                for pending in batch:
                    pending.error = exc
                try:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                except sqlite3.Error:  # the connection is broken: start a new one for the next batch
                    self._local.db = None
                    db = self._connect()
            for pending in batch:
                pending.done.set()

    def close(self) -> None:
        """Stop the writer once what is queued is committed (the server has stopped taking requests)."""
        self._queue.put(None)
        self._thread.join(timeout=WAIT)

    def healthy(self) -> bool:
        """Whether posts can be stored: the writer thread runs."""
        return self._thread.is_alive()

    def page(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Up to limit submissions past the cursor after, oldest first."""
        rows = self._connect().execute("SELECT seq, id, received_at, data FROM submissions WHERE seq > ? "
                                       "ORDER BY seq LIMIT ?", (after, limit)).fetchall()
        return [{"seq": row[0], "id": row[1], "received_at": row[2], "data": json.loads(row[3])} for row in rows]

    def delete(self, ids: Iterable[str]) -> int:
        """Remove pulled submissions (their personal data leaves the server); returns how many were there."""
        db = self._connect()
        wanted = [(str(i),) for i in ids]
        db.execute("BEGIN IMMEDIATE")
        try:
            before = db.total_changes
            db.executemany("DELETE FROM submissions WHERE id = ?", wanted)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return db.total_changes - before

    def checkpoint(self) -> None:
        """Copy the log into the database and truncate it: the deleted rows' old pages leave the disk."""
        self._connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def count(self) -> int:
        """How many submissions wait for a pull."""
        return int(self._connect().execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
