"""Who may use the review page: the access token, the Host and Origin checks, sessions and their CSRF tokens.

The token is printed on the terminal (like Jupyter); the first visit with it gets a session cookie
(HttpOnly, SameSite=Strict) and is sent on to the bare address, so the token leaves the address bar
and the browser's history. A session's CSRF token rides in every form; GET never changes anything.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Mapping

COOKIE = "intake_review"


@dataclass
class Session:
    """One browser's state: its CSRF token, its last decision (for undo), the message to show next."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    last: tuple[str, str] | None = None  # (entry key or reply id, the status the decision set)
    decided: int = 0  # decisions made: once there is one, the page shows the rebuild command
    flash: tuple[str, str] | None = None  # (kind: ok | error, German text) shown once after a redirect


class Guard:
    """The token, the port this server listens on, and the sessions it handed out."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token or secrets.token_urlsafe(32)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()  # the server answers requests in threads

    def hosts(self) -> tuple[str, ...]:
        """The Host values this server answers to: anything else is DNS rebinding or a stray request."""
        return (f"127.0.0.1:{self.port}", f"localhost:{self.port}")

    def host_ok(self, host: str | None) -> bool:
        """Whether the Host header names this server."""
        return host in self.hosts()

    def origin_ok(self, headers: Mapping[str, str]) -> bool:
        """Whether a POST comes from a page of this server (Origin, else Referer); neither is a refusal."""
        origins = tuple(f"http://{host}" for host in self.hosts())
        origin = headers.get("Origin")
        if origin is not None:
            return origin in origins
        referer = headers.get("Referer") or ""
        return any(referer == o or referer.startswith(o + "/") for o in origins)

    def login(self, token: str) -> str | None:
        """A new session id for the right token, else None (compared in constant time)."""
        if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
            return None
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = Session()
        return sid

    def session(self, cookie_header: str | None) -> Session | None:
        """The session the cookie names, or None."""
        cookies = SimpleCookie()
        try:
            cookies.load(cookie_header or "")
        except CookieError:
            return None
        morsel = cookies.get(COOKIE)
        if morsel is None:
            return None
        with self._lock:
            return self._sessions.get(morsel.value)

    @staticmethod
    def csrf_ok(session: Session, value: str | None) -> bool:
        """Whether a form carries this session's CSRF token."""
        return value is not None and hmac.compare_digest(value.encode("utf-8", "replace"), session.csrf.encode())

    @staticmethod
    def cookie(sid: str) -> str:
        """The Set-Cookie value for a new session."""
        return f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Strict"
