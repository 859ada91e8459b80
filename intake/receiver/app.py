"""The receiver as a WSGI application: the form post, the pull API and a health check."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import re
from http import HTTPStatus
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, quote

from intake.receiver import pages
from intake.receiver.form import Refusal, check, decode
from intake.receiver.guard import RateLimit, client_address, same_site
from intake.receiver.settings import ReceiverConfig
from intake.receiver.store import Store

ID = re.compile(r"^[0-9a-f]{24}\Z")
LOG = logging.getLogger("intake.receiver")  # counts and ids only: never an address, name or text
StartResponse = Callable[..., Any]
Headers = list[tuple[str, str]]
SECURITY = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                                        "form-action 'none'; base-uri 'none'")]


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.timezone.utc)


class Receiver:
    """Routes: POST /kommentar, GET /health, GET /api/submissions, DELETE /api/submissions/<id>."""

    def __init__(self, config: ReceiverConfig, store: Store, token: str, limit: RateLimit,
                 now: Callable[[], dt.datetime] = utc_now) -> None:
        self.config, self.store, self.limit, self.now = config, store, limit, now
        self.token = token.encode("utf-8")

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        try:
            if path == "/kommentar":
                if method != "POST":
                    return self.page(start, 405, "Diese Adresse nimmt nur das Kommentarformular entgegen.",
                                     [("Allow", "POST")])
                return self.submit(environ, start)
            if path == "/health" and method in ("GET", "HEAD"):
                if not self.store.healthy():
                    return self.json(start, 503, {"status": "cannot store posts"})
                return self.json(start, 200, {"status": "ok", "waiting": self.store.count()})
            if path == "/api/submissions" or path.startswith("/api/submissions/"):
                return self.api(environ, start, method, path)
            return self.page(start, 404, "Unter dieser Adresse gibt es nichts.")
        except Exception:  # a bug or a broken disk: the visitor gets a page, the log the traceback
            LOG.exception("internal error on %s %s", method, path)
            return self.page(start, 500, "Ihr Beitrag konnte gerade nicht gespeichert werden. Bitte versuchen "
                                         "Sie es in einigen Minuten noch einmal.")

    def submit(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        """Take one form post: refused with a page and nothing stored, or stored and answered with 303."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.config.max_body:
            return self.refuse(start, Refusal(413, "Der Beitrag ist größer, als dieses Formular annimmt."))
        if not same_site(environ, self.config.allowed_origins):
            return self.refuse(start, Refusal(403, "Das Formular wurde nicht von unserer Seite aus gesendet."))
        if not self.limit.allow(client_address(environ, self.config.trusted_proxies)):
            return self.refuse(start, Refusal(429, "Von Ihrem Anschluss kamen gerade sehr viele Beiträge. Bitte "
                                                   "warten Sie einige Minuten und senden Sie dann erneut."),
                               [("Retry-After", str(int(self.config.rate_seconds)))])
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            fields = check(decode(body, environ.get("CONTENT_TYPE", "")), self.config.limits)
        except Refusal as refusal:
            return self.refuse(start, refusal)
        self.store.add(fields, self.now().strftime("%Y-%m-%dT%H:%M:%SZ"))  # durable before the 303; logged there
        target = f"{self.config.base_url}/danke/?thema={quote(fields['topic'])}"
        start("303 See Other", [("Location", target), ("Content-Length", "0"), *SECURITY])
        return [b""]

    def api(self, environ: dict[str, Any], start: StartResponse, method: str, path: str) -> Iterable[bytes]:
        """The pull API, for `intake pull` with the bearer token only."""
        sent = environ.get("HTTP_AUTHORIZATION", "")
        if not sent.startswith("Bearer ") or not hmac.compare_digest(sent[7:].strip().encode("utf-8"), self.token):
            LOG.warning("pull API: refused a request without the right token")
            return self.json(start, 401, {"error": "token missing or wrong"}, [("WWW-Authenticate", "Bearer")])
        if path == "/api/submissions" and method == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            try:
                after = max(0, int(query.get("after", ["0"])[-1]))
                size = min(self.config.per_page, max(1, int(query.get("limit", [str(self.config.per_page)])[-1])))
            except ValueError:
                return self.json(start, 400, {"error": "after and limit must be integers"})
            items = self.store.page(after, size)
            following = f"/api/submissions?after={items[-1]['seq']}&limit={size}" if len(items) == size else None
            return self.json(start, 200, {"submissions": items, "next": following})
        if path == "/api/submissions/delete" and method == "POST":
            return self.delete_many(environ, start)
        number = path.rsplit("/", 1)[-1]
        if method == "DELETE" and ID.match(number) and path == f"/api/submissions/{number}":
            gone = self.store.delete([number])
            LOG.info("pull API: deleted submission %s", number)
            return self.json(start, 200 if gone else 404, {"deleted": gone})
        return self.json(start, 405 if path == "/api/submissions" else 404, {"error": "no such API call"})

    def delete_many(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        """POST {"ids": [...]}: delete a pulled batch in one transaction, then truncate the log."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            ids = json.loads(environ["wsgi.input"].read(length) if 0 < length <= 1 << 20 else b"null")["ids"]
        except (ValueError, TypeError, KeyError):
            return self.json(start, 400, {"error": "expected {\"ids\": [...]} of at most 1 MiB"})
        if not isinstance(ids, list) or not all(isinstance(i, str) and ID.match(i) for i in ids):
            return self.json(start, 400, {"error": "ids must be submission ids"})
        gone = self.store.delete(ids)
        self.store.checkpoint()
        LOG.info("pull API: deleted %d of %d submissions", gone, len(ids))
        return self.json(start, 200, {"deleted": gone})

    def refuse(self, start: StartResponse, refusal: Refusal, extra: Headers | None = None) -> Iterable[bytes]:
        """A refusal page; logged by status only."""
        LOG.info("refused a submission (HTTP %d)", refusal.status)
        return self.page(start, refusal.status, refusal.message, extra)

    def page(self, start: StartResponse, status: int, message: str, extra: Headers | None = None) -> list[bytes]:
        """A German HTML page with the status."""
        body = pages.refusal(status, message, self.config.base_url + "/")
        start(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *SECURITY,
               *(extra or [])])
        return [body]

    def json(self, start: StartResponse, status: int, data: Any, extra: Headers | None = None) -> list[bytes]:
        """A JSON answer of the API."""
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        start(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "application/json"),
                                                         ("Content-Length", str(len(body))), *SECURITY,
                                                         *(extra or [])])
        return [body]
