"""A notice to the editors after a pull that stored comments waiting for review: counts and topics only.

By webhook (a POST of {"text": ...}) and/or e-mail (smtplib); the webhook URL and the SMTP login come
from environment variables the config names. A notice that cannot be sent is a warning, never a
failed pull: the comments are safely in the inbox either way.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Mapping

import httpx

from intake.config import check_keys, env_name, mapping, number, text
from intake.errors import ConfigError

WHERE = "intake.notify"


@dataclass(frozen=True)
class Smtp:
    """Where the notice is mailed from and to."""

    host: str
    port: int
    starttls: bool
    sender: str
    to: tuple[str, ...]
    user_env: str | None
    password_env: str | None


@dataclass(frozen=True)
class NotifyConfig:
    """`intake.notify`; both ways are optional."""

    webhook_env: str | None = None
    smtp: Smtp | None = None


def parse(raw: Any) -> NotifyConfig:
    """Validate `intake.notify`."""
    settings = dict(raw) if raw else {}
    check_keys(settings, ("webhook_env", "smtp"), WHERE)
    webhook = env_name(settings, "webhook_env", "", WHERE) if settings.get("webhook_env") else None
    mail = mapping(settings.get("smtp"), f"{WHERE}.smtp")
    if not mail:
        return NotifyConfig(webhook, None)
    where = f"{WHERE}.smtp"
    check_keys(mail, ("host", "port", "starttls", "from", "to", "user_env", "password_env"), where)
    to = mail.get("to")
    if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
        raise ConfigError(f"{where}.to: expected a list of e-mail addresses")
    starttls = mail.get("starttls", True)
    if not isinstance(starttls, bool):
        raise ConfigError(f"{where}.starttls: expected true or false")
    host, sender = text(mail, "host", None, where), text(mail, "from", None, where)
    if not host or not sender:
        raise ConfigError(f"{where}: host and from are required")
    if mail.get("user_env") and not starttls:
        raise ConfigError(f"{where}: a login (user_env) needs starttls: true; without it the password would "
                          "cross the network in clear text")
    return NotifyConfig(webhook, Smtp(
        host=host, port=number(mail, "port", 587, where, integer=True), starttls=starttls, sender=sender,
        to=tuple(to), user_env=env_name(mail, "user_env", "", where) if mail.get("user_env") else None,
        password_env=env_name(mail, "password_env", "", where) if mail.get("password_env") else None))


def message(waiting: Mapping[str, int]) -> str:
    """The notice: how many wait, per topic. Never a name, an address or a text."""
    total = sum(waiting.values())
    topics = ", ".join(f"{topic} ({count})" for topic, count in sorted(waiting.items()))
    noun = "neuer Kommentar wartet" if total == 1 else "neue Kommentare warten"
    return f"{total} {noun} auf Prüfung: {topics}."


def send(config: NotifyConfig, waiting: Mapping[str, int], env: Mapping[str, str],
         transport: httpx.BaseTransport | None = None) -> list[str]:
    """Send the notice every configured way; returns warnings for the ways that failed."""
    if not waiting:
        return []
    text_ = message(waiting)
    problems = []
    if config.webhook_env:
        url = env.get(config.webhook_env, "").strip()
        try:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"{config.webhook_env} does not hold a webhook URL")
            with httpx.Client(transport=transport, timeout=15, follow_redirects=False) as client:
                client.post(url, json={"text": text_}).raise_for_status()
        except (httpx.HTTPError, ValueError) as exc:
            problems.append(f"notice by webhook not sent: {type(exc).__name__}")  # the URL holds a secret
    if config.smtp:
        try:
            mail(config.smtp, text_, env)
        except UnicodeError:  # smtplib sends AUTH as ASCII; the error would show a character of the password
            problems.append("notice by e-mail not sent: the SMTP host or login holds a character other than ASCII")
        except (OSError, smtplib.SMTPException) as exc:
            problems.append(f"notice by e-mail not sent: {exc}")
    return problems


def mail(smtp: Smtp, body: str, env: Mapping[str, str]) -> None:
    """One e-mail with the notice."""
    note = EmailMessage()
    note["Subject"] = "Neue Kommentare zur Prüfung"
    note["From"], note["To"] = smtp.sender, ", ".join(smtp.to)
    note.set_content(body + "\n\nPrüfen: python -m intake review\n")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            # smtplib's default context checks no certificate: anyone in between would get the login
            server.starttls(context=ssl.create_default_context())
        if smtp.user_env:
            server.login(env.get(smtp.user_env, ""), env.get(smtp.password_env or "", ""))
        server.send_message(note)
