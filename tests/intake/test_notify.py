"""The notice after a pull: to a real local webhook and a real local SMTP peer; counts and topics only."""

from __future__ import annotations

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli, intake_section, make_site


class Hook(BaseHTTPRequestHandler):
    """Records each POST body."""

    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - the base class's naming
        length = int(self.headers.get("content-length") or 0)
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class SmtpPeer(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message: a real protocol peer, not a mock."""

    messages: list[str] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data.decode("utf-8", "replace"))
                type(self).messages.append("".join(body))
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def servers() -> Iterator[tuple[str, int]]:
    Hook.received, Hook.status, SmtpPeer.messages = [], 200, []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpPeer)
    smtp.daemon_threads = True
    for server in (hook, smtp):
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{hook.server_address[1]}/hooks/secret-token", smtp.server_address[1]
    for server in (hook, smtp):
        server.shutdown()
        server.server_close()


def notified_site(root: Path, smtp_port: int) -> Path:
    return make_site(root, intake_section(notify={
        "webhook_env": "NOTIFY_HOOK",
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "starttls": False, "from": "intake@example.org",
                 "to": ["redaktion@example.org"]}}))


def test_a_pull_with_new_pending_comments_tells_the_editors_counts_and_topics_only(
        tmp_path: Path, env: dict[str, str], servers: tuple[str, int]) -> None:
    hook, port = servers
    cli = Cli(notified_site(tmp_path / "site", port), {**env, "NOTIFY_HOOK": hook})
    subs = [submission(1), submission(2), submission(3, topic="digital"),
            submission(4, body="Billig! https://a.example https://b.example")]  # spam: not waiting
    cli.transport = mock_transport(FakeNetlify(subs))
    result = cli("pull")
    assert result.code == 0, result.err
    assert Hook.received == [{"text": "3 neue Kommentare warten auf Prüfung: digital (1), verkehr (2)."}]
    (mail,) = SmtpPeer.messages
    assert "3 neue Kommentare warten auf Pr" in mail and "redaktion@example.org" in mail
    for private in ("Person 1", "person1@example.org", "203.0.113", "Kommentar Nummer"):
        assert private not in mail and private not in json.dumps(Hook.received)
    again = cli("pull")  # nothing new: no notice
    assert again.code == 0 and len(Hook.received) == 1 and len(SmtpPeer.messages) == 1


def test_a_notice_that_cannot_be_sent_is_a_warning_not_a_failed_pull(
        tmp_path: Path, env: dict[str, str], servers: tuple[str, int]) -> None:
    hook, port = servers
    Hook.status = 500
    cli = Cli(notified_site(tmp_path / "site", port), {**env, "NOTIFY_HOOK": hook})
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    result = cli("pull")
    assert result.code == 0 and "notice by webhook not sent" in result.err
    assert "secret-token" not in result.err  # the webhook URL is a secret
    assert len(cli.entries()) == 1


def test_a_wrong_notify_setting_is_a_config_error_before_anything_is_pulled(tmp_path: Path,
                                                                            env: dict[str, str]) -> None:
    cli = Cli(make_site(tmp_path / "site", intake_section(notify={"smtp": {"host": "x", "from": "a@b.c",
                                                                            "to": "redaktion@example.org"}})), env)
    backend = FakeNetlify([submission(1)])
    cli.transport = mock_transport(backend)
    result = cli("pull")
    assert result.code == 2 and "intake.notify.smtp.to: expected a list" in result.err
    assert backend.requests == 0 and cli.entries() == {}


TLS = Path(__file__).resolve().parents[1] / "data" / "tls"


class StarttlsPeer(socketserver.StreamRequestHandler):
    """An SMTP peer that offers STARTTLS with a self-signed certificate (what a man in the middle has)."""

    said: list[str] = []

    def handle(self) -> None:
        import ssl

        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            type(self).said.append(line.decode("ascii", "replace").strip())
            verb = type(self).said[-1].split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")
            elif verb == "STARTTLS":
                self.wfile.write(b"220 go ahead\r\n")
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(TLS / "selfsigned-cert.pem", TLS / "selfsigned-key.pem")
                try:
                    tls = context.wrap_socket(self.connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate: nothing more is said
                self.rfile, self.wfile = tls.makefile("rb"), tls.makefile("wb", buffering=0)
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"235 ok\r\n" if verb == "AUTH" else b"250 ok\r\n")


def test_the_smtp_login_goes_only_to_a_server_whose_certificate_is_valid(tmp_path: Path, env: dict[str, str]) -> None:
    """STARTTLS without checking the certificate would hand the password to whoever sits in between."""
    StarttlsPeer.said = []
    peer = socketserver.ThreadingTCPServer(("127.0.0.1", 0), StarttlsPeer)
    peer.daemon_threads = True
    threading.Thread(target=peer.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        root = make_site(tmp_path / "site", intake_section(notify={"smtp": {
            "host": "127.0.0.1", "port": peer.server_address[1], "starttls": True, "from": "intake@example.org",
            "to": ["redaktion@example.org"], "user_env": "SMTP_USER", "password_env": "SMTP_PASSWORD"}}))
        cli = Cli(root, {**env, "SMTP_USER": "intake", "SMTP_PASSWORD": "geheimes-passwort"})
        cli.transport = mock_transport(FakeNetlify([submission(1)]))
        result = cli("pull")
    finally:
        peer.shutdown()
        peer.server_close()
    assert result.code == 0 and "notice by e-mail not sent" in result.err and "CERTIFICATE" in result.err.upper()
    assert not [line for line in StarttlsPeer.said if line.upper().startswith(("AUTH", "MAIL"))]


def test_an_smtp_login_without_tls_is_a_config_error(tmp_path: Path, env: dict[str, str]) -> None:
    cli = Cli(make_site(tmp_path / "site", intake_section(notify={"smtp": {
        "host": "mail.example.org", "starttls": False, "from": "a@b.c", "to": ["r@b.c"], "user_env": "SMTP_USER",
        "password_env": "SMTP_PASSWORD"}})), env)
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    result = cli("pull")
    assert result.code == 2 and "clear text" in result.err and cli.entries() == {}
