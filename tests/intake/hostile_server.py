"""A real local HTTP server whose answers a test scripts byte by byte (huge, dripping, redirecting bodies)."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from typing import Any, Callable, Iterator

from intake_fakes import in_thread

Script = Callable[["Scripted"], None]


class Scripted(http.server.BaseHTTPRequestHandler):
    """Records each request, then lets the server's script write the answer."""

    protocol_version = "HTTP/1.1"
    server: ScriptServer

    def do_any(self) -> None:
        with self.server.lock:
            self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.server.script(self)

    do_GET = do_DELETE = do_any

    def log_message(self, *args: Any) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        """A complete answer with a Content-Length."""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, data: Any, **headers: str) -> None:
        """A 200 JSON answer."""
        self.reply(200, json.dumps(data).encode(), content_type="application/json", **headers)

    def stream(self, chunks: Iterator[bytes], pause: float = 0.0, **headers: str) -> None:
        """Headers, then chunks until they end or the client hangs up; counts what got out."""
        self.send_response(200)
        for key, value in {"content-type": "application/json", **headers}.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("connection", "close")  # without a length, the body ends when the connection does
        self.end_headers()
        self.close_connection = True
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
                with self.server.lock:
                    self.server.sent += len(chunk)
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            self.server.hung_up.set()


class ScriptServer(http.server.ThreadingHTTPServer):
    """127.0.0.1, a port from the OS, one script for every request."""

    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), Scripted)
        self.script = script
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.sent = 0
        self.hung_up = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def running(script: Script) -> Iterator[ScriptServer]:
    """Serve in a thread for the with-block; stopped after it."""
    yield from in_thread(ScriptServer(script))
