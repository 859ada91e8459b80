"""The receiver served by waitress in a thread, for the intake and browser tests."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from intake.config import load as load_config
from intake.receiver.serve import application, server

BASE = "https://zukunft.example.de"
FORM = {"topic": "verkehr", "parent": "", "name": "Erika", "email": "erika@example.org", "body": "Mehr Radwege!",
        "consent": "ja", "bot-field": "", "form_loaded_at": "1700000000000"}


class Running:
    """A receiver served by waitress in a thread, on a port the OS picks."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.app, self.settings = application(load_config(root), env)
        self.server = server(self.app, self.settings, "127.0.0.1", 0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.stopping = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):  # the loop meets the closed sockets when close() stops it
            if not self.stopping:
                raise

    def post(self, data: dict[str, str] | None = None, *, headers: dict[str, str] | None = None,
             **kwargs: Any) -> httpx.Response:
        sent = {"Origin": BASE, **(headers or {})}
        return httpx.post(self.url + "/kommentar", data=data if data is not None else FORM, headers=sent,
                          timeout=10, **kwargs)

    def stored(self) -> list[dict[str, Any]]:
        with sqlite3.connect(self.settings.database) as db:
            return [yaml.safe_load(row[0]) for row in db.execute("SELECT data FROM submissions ORDER BY id")]

    def close(self) -> None:
        self.stopping = True
        self.server.task_dispatcher.shutdown()
        self.server.close()
        self.thread.join(timeout=10)
        self.app.store.close()


def channel_of(server: Running, client: socket.socket) -> object:
    """The server's connection object for client's connection (waitress adds it when the loop accepts)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        channels = [c for c in list(server.server._map.values())  # noqa: SLF001 - waitress's socket map
                    if getattr(c, "addr", None) == client.getsockname()]
        if channels:
            return channels[0]
        time.sleep(0.01)
    raise AssertionError("the server never accepted the connection")
