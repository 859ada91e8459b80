"""`intake.receiver:` in content/site.yaml, for both sides: the server (`receive`) and the pull source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from intake.config import IntakeConfig, check_keys, env_name, mapping, number, text
from intake.errors import ConfigError

WHERE = "intake.receiver"
SETTINGS = ("url", "database", "token_env", "trusted_proxies", "allowed_origins", "max_body", "rate_limit",
            "per_page", "delete_after_pull")


@dataclass(frozen=True)
class ReceiverConfig:
    """Where the receiver keeps submissions, who may post and how often, and how a pull reaches it."""

    url: str | None  # public address of the receiver (the pull source's base); None on the server side
    database: Path
    token_env: str
    base_url: str  # the site's public address: the thank-you redirect and the Origin check
    allowed_origins: frozenset[str]
    trusted_proxies: frozenset[str]
    max_body: int  # bytes of one form post
    rate_count: int  # submissions per client address ...
    rate_seconds: float  # ... within this many seconds
    per_page: int
    delete_after_pull: bool
    limits: Any  # intake.config.Limits


def origin(url: str) -> str:
    """scheme://host[:port] of a URL, lower case, as browsers send it in `Origin`."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def parse(config: IntakeConfig) -> ReceiverConfig:
    """Validate `intake.receiver` (kept in config.source_settings when the source is `receiver`)."""
    raw = dict(config.receiver_settings)
    check_keys(raw, SETTINGS, WHERE)
    base_url = config.base_url
    if not base_url.startswith(("https://", "http://")):
        raise ConfigError("base_url: the receiver needs the site's public address (content/site.yaml base_url) "
                          "for the thank-you redirect and to check where a form was sent from")
    url = text(raw, "url", None, WHERE)
    if url is not None and not url.startswith(("https://", "http://")):
        raise ConfigError(f"{WHERE}.url: expected the receiver's http(s) address, got {url!r}")
    database = Path(text(raw, "database", "receiver.sqlite3", WHERE) or "").expanduser()
    if not database.is_absolute():
        database = config.root / database
    extra = raw.get("allowed_origins", []) or []
    proxies = raw.get("trusted_proxies", []) or []
    for name, values in (("allowed_origins", extra), ("trusted_proxies", proxies)):
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ConfigError(f"{WHERE}.{name}: expected a list of strings")
    rate = mapping(raw.get("rate_limit"), f"{WHERE}.rate_limit")
    check_keys(rate, ("count", "seconds"), f"{WHERE}.rate_limit")
    flag = raw.get("delete_after_pull", True)
    if not isinstance(flag, bool):
        raise ConfigError(f"{WHERE}.delete_after_pull: expected true or false, got {flag!r}")
    per_page = number(raw, "per_page", 500, WHERE, integer=True)
    if not 1 <= per_page <= 5000:
        raise ConfigError(f"{WHERE}.per_page: expected 1..5000, got {per_page}")
    return ReceiverConfig(
        url=url.rstrip("/") if url else None, database=database,
        token_env=env_name(raw, "token_env", "INTAKE_RECEIVER_TOKEN", WHERE), base_url=base_url,
        allowed_origins=frozenset({origin(base_url)} | {origin(o) for o in extra}),
        trusted_proxies=frozenset(p.strip() for p in proxies),
        max_body=number(raw, "max_body", 64 * 1024, WHERE, integer=True) or 64 * 1024,
        rate_count=number(rate, "count", 5, f"{WHERE}.rate_limit", integer=True),
        rate_seconds=float(number(rate, "seconds", 600, f"{WHERE}.rate_limit")),
        per_page=per_page, delete_after_pull=flag, limits=config.limits)
