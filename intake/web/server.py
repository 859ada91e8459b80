"""The review page's HTTP server: stdlib, threads, 127.0.0.1 only; every request passes the guard first."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from intake.config import IntakeConfig
from intake.errors import RunError
from intake.inbox import Inbox
from intake.runtime import Runtime
from intake.web import actions, pages
from intake.web.guard import Guard, Session

CSS = (Path(__file__).parent / "templates" / "style.css").read_bytes()
MAX_FORM = 64 * 1024  # a reply is at most a few thousand characters; anything bigger is not our form
READ_SECONDS = 30.0  # a form's whole body, however slowly it comes: a trickle must not pin a thread
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    # same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with a form POST,
    # which would make our own forms indistinguishable from a sandboxed page's; no other host ever
    # gets a Referer either way, and the token is never in an address after the first redirect
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
NO_TOKEN = ("Diese Seite braucht den Zugangslink, den `python -m intake review --web` im Terminal anzeigt "
            "(mit ?token=…). Öffnen Sie genau diesen Link.")


class ReviewServer(ThreadingHTTPServer):
    """The server with what its requests need: config, editor, clock and guard."""

    daemon_threads = True

    def __init__(self, config: IntakeConfig, by: str, port: int, clock: Callable[[], str]) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.config, self.by, self.clock = config, by, clock
        self.guard = Guard(self.server_address[1])

    @property
    def url(self) -> str:
        """The address to open, with the access token: printed on the terminal, nowhere else."""
        return f"http://127.0.0.1:{self.guard.port}/?token={self.guard.token}"

    def editor(self) -> actions.Editor:
        """Who decides now."""
        return actions.Editor(by=self.by, now=self.clock())


class Handler(BaseHTTPRequestHandler):
    """One request: guard, then the queue page (GET) or one action followed by a redirect (POST)."""

    server: ReviewServer
    timeout = 15.0  # an idle connection is closed, so abandoned ones do not pin a thread each

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows the address and errors only; requests carry visitors' data

    def do_GET(self) -> None:
        """The queue page; the first visit with the token gets the session cookie."""
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path == "/style.css":
            return self._send(200, "text/css; charset=utf-8", CSS)
        token = parse_qs(url.query).get("token")
        if token:
            sid = self.server.guard.login(token[0])
            if sid is None:
                return self._refuse(403, "Der Zugangslink ist falsch oder veraltet. " + NO_TOKEN)
            return self._redirect("/", cookie=self.server.guard.cookie(sid))
        session = self._session()
        if session is None:
            return
        if url.path != "/":
            return self._refuse(404, "Diese Adresse gibt es hier nicht.")
        self._page(session)

    def do_POST(self) -> None:
        """One action, checked for host, origin, session and CSRF token; then back to the queue."""
        if not self._host_ok():
            return
        if not self.server.guard.origin_ok(self.headers):
            return self._refuse(403, "Abgelehnt: Die Anfrage kam nicht von dieser Moderationsseite.")
        session = self._session()
        if session is None:
            return
        form = self._form()
        if form is None:
            return
        if not self.server.guard.csrf_ok(session, form.get("csrf")):
            return self._refuse(403, "Abgelehnt: Das Formular ist ungültig oder veraltet. Bitte Seite neu laden.")
        self._act(urlsplit(self.path).path, form, session)

    def _act(self, path: str, form: dict[str, str], session: Session) -> None:
        """Run the action the path names and show the queue again."""
        config, inbox, who = self.server.config, Inbox(self.server.config.inbox), self.server.editor()
        if path == "/email":  # shows, changes nothing: the e-mail of this one entry, on this one answer
            return self._page(session, revealed=form.get("key"))
        if path == "/entscheiden":
            outcome = actions.decide(config, inbox, form, who)
        elif path == "/antworten":
            outcome = actions.reply(config, inbox, form, who)
        elif path == "/rueckgaengig":
            outcome = actions.undo(config, inbox, session.last, who)
        else:
            return self._refuse(404, "Diese Aktion gibt es nicht.")
        if outcome.kind == "ok":
            session.decided += 1
            session.last = outcome.last  # after an undo there is nothing left to undo
        session.flash = (outcome.kind, outcome.text)
        self._redirect("/")  # Post/Redirect/Get: reloading the page never sends the decision again

    def _page(self, session: Session, revealed: str | None = None) -> None:
        """Render the queue; a message is shown once."""
        body = pages.queue(self.server.config, session, revealed)
        session.flash = None
        self._send(200, "text/html; charset=utf-8", body.encode("utf-8"))

    def _host_ok(self) -> bool:
        """Refuse a Host that is not this server (DNS rebinding)."""
        if self.server.guard.host_ok(self.headers.get("Host")):
            return True
        self._refuse(403, "Abgelehnt: falscher Host. Nur http://127.0.0.1 mit dem Port dieses Servers.")
        return False

    def _session(self) -> Session | None:
        """The session of the cookie, or a refusal."""
        session = self.server.guard.session(self.headers.get("Cookie"))
        if session is None:
            self._refuse(403, NO_TOKEN)
        return session

    def _form(self) -> dict[str, str] | None:
        """The posted form (url-encoded, UTF-8, bounded), or a refusal."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded" or not 0 <= length <= MAX_FORM:
            self._refuse(400, "Ungültige Anfrage.")
            return None
        body = self._body(length)
        if body is None:  # what is left of it must not be read as the next request
            text = pages.refused("Die Anfrage kam zu langsam oder unvollständig an. Bitte noch einmal senden.")
            self._send(408, "text/html; charset=utf-8", text.encode("utf-8"), {"Connection": "close"})
            return None
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20, errors="strict")
        except (UnicodeDecodeError, ValueError):
            self._refuse(400, "Ungültige Anfrage.")
            return None
        return {name: values[0] for name, values in fields.items()}

    def _body(self, length: int) -> bytes | None:
        """The body's length bytes within READ_SECONDS in all (the socket's timeout bounds one wait
        only); None if it came slower, ended early or timed out."""
        deadline, chunks = time.monotonic() + READ_SECONDS, []
        try:
            while length > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.connection.settimeout(min(self.timeout, left))
                chunk = self.rfile.read1(length)
                if not chunk:
                    return None
                chunks.append(chunk)
                length -= len(chunk)
        except TimeoutError:
            return None
        finally:
            self.connection.settimeout(self.timeout)  # the answer gets the usual time
        return b"".join(chunks)

    def _refuse(self, status: int, text: str) -> None:
        """A short German page for a refused request."""
        self._send(status, "text/html; charset=utf-8", pages.refused(text).encode("utf-8"))

    def _redirect(self, where: str, cookie: str | None = None) -> None:
        """303 to a page of this server (with a new session's cookie on the first visit)."""
        self._send(303, "text/plain; charset=utf-8", b"", extra={"Location": where, **({"Set-Cookie": cookie}
                                                                                      if cookie else {})})

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        """An answer with the security headers every answer carries."""
        self.send_response(status)
        for name, value in {**HEADERS, "Content-Type": ctype, "Content-Length": str(len(body)), **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def start(config: IntakeConfig, by: str, port: int, clock: Callable[[], str]) -> ReviewServer:
    """Listen on 127.0.0.1 and serve in a background thread (port 0 picks a free port)."""
    try:
        server = ReviewServer(config, by, port, clock)
    except OSError as exc:
        raise RunError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}; try --port") from None
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server


def run(config: IntakeConfig, by: str, port: int, rt: Runtime) -> int:
    """Serve until Ctrl-C; the address with the token goes to the terminal only."""
    server = start(config, by, port, rt.stamp)
    rt.say(f"Moderation im Browser (nur auf diesem Rechner): {server.url}")
    rt.say("Den Link nicht weitergeben: er ist der Zugang. Beenden mit Strg+C.")
    rt.stdout.flush()  # a service manager or a test reads this through a pipe
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
