"""The receiver's storage: one SQLite table, a submission committed to disk before the visitor hears back."""

from __future__ import annotations

import json
import os
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


class Store:
    """A SQLite file in WAL mode with synchronous=FULL: a commit is on disk when it returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()  # one connection per server thread
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():  # private from the first byte: it holds e-mail addresses until pulled
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        with self._connect() as db:
            db.execute(SCHEMA)

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
        """Store one submission; returns its id once it is durable."""
        uid = secrets.token_hex(12)
        self._connect().execute("INSERT INTO submissions (id, received_at, data) VALUES (?, ?, ?)",
                                (uid, received_at, json.dumps(dict(data), ensure_ascii=False)))
        return uid

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
        removed = db.total_changes - before
        # the log still holds the deleted rows' old pages until a checkpoint copies and truncates it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def count(self) -> int:
        """How many submissions wait for a pull."""
        return int(self._connect().execute("SELECT COUNT(*) FROM submissions").fetchone()[0])

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
