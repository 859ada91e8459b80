"""Fake form backends with faults, served through httpx.MockTransport or a real local HTTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import json
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx

TOKEN = "test-token"
BASE_TIME = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Faults:
    """What goes wrong, decided by a seeded generator so runs are reproducible."""

    seed: int = 0
    fail_rate: float = 0.0  # share of requests answered with 500, 502, a truncated body or a reset
    kinds: tuple[str, ...] = ("500", "502", "truncate", "reset")
    rate_limit_every: int = 0  # every n-th request gets a 429
    reset_header: str = "x-ratelimit-reset"  # or "retry-after"
    slow_every: int = 0  # every n-th request is answered late
    slow_seconds: float = 0.0


@dataclass
class Reply:
    """One answer: status, headers, body, and how to misbehave."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fault: str | None = None  # truncate | reset | slow
    delay: float = 0.0


def submission(i: int, *, topic: str = "verkehr", **data: str) -> dict[str, Any]:
    """A Netlify API submission with the form's fields, ip, user agent and referrer."""
    created = BASE_TIME + dt.timedelta(minutes=i)
    fields = {"form-name": "kommentare", "topic": topic, "parent": "", "name": f"Person {i}",
              "email": f"person{i}@example.org", "body": f"Kommentar Nummer {i} zur Zukunft.", "consent": "ja",
              "bot-field": "", "form_loaded_at": str(int((created.timestamp() - 60) * 1000)),
              "ip": f"203.0.113.{i % 250}", "user_agent": f"Agent/{i}", "referrer": f"https://site/themen/{topic}/"}
    fields.update(data)
    human = {k.capitalize(): v for k, v in fields.items() if k not in ("ip", "user_agent", "referrer")}
    return {"id": hashlib.sha1(f"sub{i}".encode()).hexdigest()[:24], "number": i,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "data": fields, "human_fields": human,
            "ordered_human_fields": [{"title": k, "name": k.lower(), "value": v} for k, v in human.items()],
            "site_url": "https://example.netlify.app", "email": fields["email"], "name": fields["name"]}


class Backend:
    """Shared request counting and fault injection; subclasses answer the API itself."""

    def __init__(self, faults: Faults = Faults()) -> None:
        self.faults = faults
        self.rng = random.Random(faults.seed)
        self.lock = threading.Lock()
        self.requests = 0
        self.served: list[str] = []
        self.fault_log: list[str] = []
        self.on_request: Callable[[int], None] | None = None

    def handle(self, method: str, url: str, headers: dict[str, str]) -> Reply:
        """Count, maybe misbehave, else answer."""
        with self.lock:
            self.requests += 1
            n = self.requests
            roll = self.rng.random()
            kind = self.rng.choice(self.faults.kinds)
        if self.on_request:
            self.on_request(n)
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(401, body=b'{"code":401,"message":"Access Denied"}')
        if self.faults.rate_limit_every and n % self.faults.rate_limit_every == 0:
            self.fault_log.append("429")
            # an epoch at least one second ahead (int() truncates): the client must wait, never ~0 s
            value = "1" if self.faults.reset_header == "retry-after" else str(int(time.time()) + 2)
            return Reply(429, {self.faults.reset_header: value}, b'{"message":"rate limited"}')
        if roll < self.faults.fail_rate:
            self.fault_log.append(kind)
            if kind in ("500", "502"):
                return Reply(int(kind), body=b"<html>Bad Gateway</html>")
        reply = self.answer(method, parts.path, query)
        if roll < self.faults.fail_rate and kind in ("truncate", "reset"):
            reply.fault = kind
        elif self.faults.slow_every and n % self.faults.slow_every == 0:
            self.fault_log.append("slow")
            reply.fault, reply.delay = "slow", self.faults.slow_seconds
        if reply.fault is None:
            self.served.append(f"{method} {url}")
        return reply

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        """The API proper."""
        raise NotImplementedError


def as_json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A JSON reply."""
    return Reply(status, {"content-type": "application/json", **(headers or {})}, json.dumps(data).encode())


class FakeNetlify(Backend):
    """Netlify API v1: forms of a site, submissions newest first with page/per_page, DELETE."""

    def __init__(self, items: list[dict[str, Any]], spam: list[dict[str, Any]] = (), *, faults: Faults = Faults(),
                 links: bool = True, max_per_page: int = 1000,
                 on_delete: Callable[[str], None] | None = None) -> None:
        super().__init__(faults)
        self.items = sorted(items, key=lambda s: s["created_at"], reverse=True)
        self.spam = list(spam)
        self.links, self.max_per_page, self.on_delete = links, max_per_page, on_delete
        self.deleted: list[str] = []

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        if method == "GET" and path.endswith("/sites/site-1/forms"):
            return as_json([{"id": "form-0", "name": "newsletter"}, {"id": "form-1", "name": "kommentare"}])
        if method == "GET" and path.endswith("/forms/form-1/submissions"):
            pool = self.spam if query.get("state") == "spam" else self.items
            page, per_page = int(query.get("page", 1)), min(int(query.get("per_page", 100)), self.max_per_page)
            with self.lock:
                chunk = pool[(page - 1) * per_page: page * per_page]
                more = page * per_page < len(pool)
            headers = {}
            if self.links:
                base = f"/api/v1/forms/form-1/submissions?per_page={per_page}"
                rels = [f'<{base}&page={page + 1}>; rel="next"'] if more else []
                headers["link"] = ", ".join(rels + [f'<{base}&page=1>; rel="first"'])
            return as_json(chunk, headers=headers)
        if method == "DELETE" and path.startswith("/api/v1/submissions/"):
            sid = path.rsplit("/", 1)[1]
            if self.on_delete:
                self.on_delete(sid)
            with self.lock:
                before = len(self.items) + len(self.spam)
                self.items = [s for s in self.items if s["id"] != sid]
                self.spam = [s for s in self.spam if s["id"] != sid]
                gone = before == len(self.items) + len(self.spam)
                self.deleted.append(sid)
            return Reply(404 if gone else 204)
        return as_json({"code": 404, "message": "Not Found"}, 404)


class FakeFormspree(Backend):
    """Formspree: /api/0/forms/{id}/submissions with limit and offset, no ids."""

    def __init__(self, items: list[dict[str, Any]], *, faults: Faults = Faults()) -> None:
        super().__init__(faults)
        self.items = items

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        if method == "GET" and path == "/api/0/forms/xyzabc/submissions":
            limit, offset = int(query.get("limit", 100)), int(query.get("offset", 0))
            return as_json({"submissions": self.items[offset: offset + limit], "fields": ["name", "body"]})
        return as_json({"error": "not found"}, 404)


def formspree_item(i: int, **data: str) -> dict[str, Any]:
    """A Formspree submission: fields plus `_date`."""
    sub = submission(i)["data"]
    item = {k: v for k, v in sub.items() if k not in ("form-name", "bot-field", "ip", "user_agent", "referrer")}
    item.update(data)
    item["_date"] = (BASE_TIME + dt.timedelta(minutes=i)).isoformat()
    return item


def mock_transport(backend: Backend) -> httpx.MockTransport:
    """The same backend behind httpx.MockTransport; faults become the errors httpx would raise."""

    def handler(request: httpx.Request) -> httpx.Response:
        reply = backend.handle(request.method, str(request.url), {k.lower(): v for k, v in request.headers.items()})
        if reply.fault == "reset":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if reply.fault == "slow":
            raise httpx.ReadTimeout("timed out", request=request)
        body = reply.body[: len(reply.body) // 2] if reply.fault == "truncate" else reply.body
        return httpx.Response(reply.status, headers=reply.headers, content=body)

    return httpx.MockTransport(handler)


class Handler(http.server.BaseHTTPRequestHandler):
    """Hands every request to the server's backend and misbehaves on the wire as told."""

    protocol_version = "HTTP/1.1"

    def do_any(self) -> None:
        backend: Backend = self.server.backend  # type: ignore[attr-defined]
        reply = backend.handle(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        if reply.fault == "reset":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.fault == "slow":
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(reply.body)))
        if reply.fault == "truncate":
            self.send_header("connection", "close")
        self.end_headers()
        if reply.fault == "truncate":
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(reply.body)

    do_GET = do_DELETE = do_any

    def log_message(self, *args: Any) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    """A local server on 127.0.0.1, port chosen by the OS."""

    daemon_threads = True

    def __init__(self, backend: Backend) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.backend = backend

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def serve(backend: Backend) -> Iterator[Server]:
    """Run a server in a thread for the duration of a with-block or fixture."""
    yield from in_thread(Server(backend))


def in_thread(server: Any) -> Iterator[Any]:
    """Serve forever in a thread until the generator is closed; then stop and close the server."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
