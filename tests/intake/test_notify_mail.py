"""The notice's e-mail as a real SMTP peer receives it: headers, body, AUTH credentials, time-out.

The gaps the mutation run (bench/mutation.py) found in intake/notify.py's `mail()`: test_notify.py's
peer records only the body and offers no AUTH. This peer speaks enough SMTP (RFC 5321, 4954) to
record every command, the credentials of AUTH PLAIN or LOGIN, and the message as sent.
"""

from __future__ import annotations

import base64
import email
import email.policy
import smtplib
import socket
import socketserver
import threading
from typing import Any, Iterator

import pytest

from intake import notify

pytestmark = pytest.mark.timeout(30)


class AuthPeer(socketserver.StreamRequestHandler):
    """An SMTP peer that offers AUTH (no STARTTLS) and records what the client sends."""

    mechanisms = "PLAIN LOGIN"
    commands: list[str] = []
    credentials: list[tuple[str, str, str]] = []
    messages: list[bytes] = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def ask(self, prompt: str) -> str:
        """A 334 challenge; the client's base64 answer, decoded."""
        self.reply(f"334 {base64.b64encode(prompt.encode()).decode()}")
        return base64.b64decode(self.rfile.readline().strip()).decode("utf-8")

    def auth(self, words: list[str]) -> None:
        mechanism = words[1].upper()
        if mechanism == "PLAIN":
            encoded = words[2] if len(words) > 2 else self.ask("")
            _, user, password = base64.b64decode(encoded).decode("utf-8").split("\0")
        else:
            user = base64.b64decode(words[2]).decode("utf-8") if len(words) > 2 else self.ask("Username:")
            password = self.ask("Password:")
        type(self).credentials.append((mechanism, user, password))
        self.reply("235 accepted")

    def data(self) -> None:
        self.reply("354 go on")
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        type(self).messages.append(b"".join(lines))
        self.reply("250 queued")

    def handle(self) -> None:
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            words = line.decode("ascii", "replace").strip().split(" ")
            verb = words[0].upper()
            type(self).commands.append(verb)
            if verb == "EHLO":
                self.wfile.write(f"250-test\r\n250 AUTH {type(self).mechanisms}\r\n".encode("ascii"))
            elif verb == "AUTH":
                self.auth(words)
            elif verb == "DATA":
                self.data()
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def peer() -> Iterator[int]:
    AuthPeer.mechanisms, AuthPeer.commands, AuthPeer.credentials, AuthPeer.messages = "PLAIN LOGIN", [], [], []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), AuthPeer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def smtp(port: int, login: bool = True) -> notify.Smtp:
    # starttls False: the peer has no TLS; parse() refuses a login without it, mail() is called directly
    return notify.Smtp(host="127.0.0.1", port=port, starttls=False, sender="intake@example.org",
                       to=("redaktion@example.org", "vorsitz@example.org"),
                       user_env="SMTP_USER" if login else None, password_env="SMTP_PASSWORD" if login else None)


ENV = {"SMTP_USER": "intake-bot", "SMTP_PASSWORD": "geheim: 42"}


def sent() -> email.message.EmailMessage:
    assert len(AuthPeer.messages) == 1
    # the wire's CRLF line ends back to Python's
    parsed = email.message_from_bytes(AuthPeer.messages[0].replace(b"\r\n", b"\n"), policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_the_mail_has_its_subject_sender_all_recipients_and_the_review_hint(peer: int) -> None:
    notify.mail(smtp(peer, login=False), "2 neue Kommentare warten auf Prüfung: verkehr (2).", {})
    note = sent()
    assert note["Subject"] == "Neue Kommentare zur Prüfung"
    assert note["From"] == "intake@example.org"
    assert note["To"] == "redaktion@example.org, vorsitz@example.org"
    assert note.get_content() == ("2 neue Kommentare warten auf Prüfung: verkehr (2).\n\n"
                                  "Prüfen: python -m intake review\n")
    assert "AUTH" not in AuthPeer.commands and AuthPeer.credentials == []


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_the_login_is_the_user_and_password_the_named_variables_hold(peer: int, mechanism: str) -> None:
    AuthPeer.mechanisms = mechanism
    notify.mail(smtp(peer), "1 neuer Kommentar wartet auf Prüfung: a (1).", ENV)
    assert AuthPeer.credentials == [(mechanism, "intake-bot", "geheim: 42")]
    assert AuthPeer.commands.index("AUTH") < AuthPeer.commands.index("MAIL") and len(AuthPeer.messages) == 1


def test_a_login_without_a_password_variable_sends_an_empty_password(peer: int) -> None:
    config = notify.Smtp(**{**smtp(peer).__dict__, "password_env": None})
    notify.mail(config, "x", {**ENV, "XXXX": "not-this"})
    assert AuthPeer.credentials == [("PLAIN", "intake-bot", "")]


def test_a_login_variable_that_is_not_set_logs_in_as_nobody_not_as_a_made_up_user(peer: int) -> None:
    notify.mail(smtp(peer), "x", {"SMTP_PASSWORD": "geheim: 42"})
    assert AuthPeer.credentials == [("PLAIN", "", "geheim: 42")]


def test_send_hands_the_environment_to_the_mail_login(peer: int) -> None:
    config = notify.NotifyConfig(None, smtp(peer))
    assert notify.send(config, {"verkehr": 1}, ENV) == []
    assert AuthPeer.credentials == [("PLAIN", "intake-bot", "geheim: 42")]
    assert sent().get_content().startswith("1 neuer Kommentar wartet auf Prüfung: verkehr (1).\n\n")


def test_a_refused_login_is_a_warning_naming_the_failure(peer: int) -> None:
    AuthPeer.mechanisms = "GSSAPI"  # nothing smtplib's login can do: it gives up before AUTH
    problems = notify.send(notify.NotifyConfig(None, smtp(peer)), {"verkehr": 1}, ENV)
    assert problems == ["notice by e-mail not sent: No suitable authentication method found."]
    assert AuthPeer.messages == [] and "AUTH" not in AuthPeer.commands


def test_the_smtp_connection_has_a_30_second_time_out(peer: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # the real connection, only recorded: a time-out of None would let a stalled server hang the pull forever
    timeouts: list[Any] = []
    real = socket.create_connection

    def recording(address: Any, timeout: Any = None, *args: Any, **kwargs: Any) -> socket.socket:
        timeouts.append(timeout)
        return real(address, timeout, *args, **kwargs)

    monkeypatch.setattr(smtplib.socket, "create_connection", recording)
    notify.mail(smtp(peer, login=False), "x", {})
    assert timeouts == [30] and len(AuthPeer.messages) == 1


def test_a_login_smtplib_cannot_encode_is_a_warning_not_a_crash_and_not_shown(peer: int) -> None:
    # smtplib encodes AUTH as ASCII: a password with an umlaut raised UnicodeEncodeError out of send()
    problems = notify.send(notify.NotifyConfig(None, smtp(peer)), {"verkehr": 1},
                           {"SMTP_USER": "intake-bot", "SMTP_PASSWORD": "geheimes-pässwort"})
    assert problems == ["notice by e-mail not sent: the SMTP host or login holds a character other than ASCII"]
    assert AuthPeer.messages == [] and "ä" not in problems[0]
