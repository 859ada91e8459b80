"""The `intake:` section of content/site.yaml, validated into frozen dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from intake.errors import ConfigError
from sitegen.core.contract import OFFICIAL

SOURCES = ("netlify", "formspree", "json", "receiver")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
DEFAULT_KEY_FILE = "~/.config/zukunftsthemen/intake-hash.key"


@dataclass(frozen=True)
class SpamRules:
    """Local spam rules; every rule that fires is recorded as a reason."""

    max_links: int = 2  # hold at this many links or more (WordPress' default); 0 disables
    disallowed_words: tuple[str, ...] = ()
    min_seconds: float = 3.0  # between page load and submit, only when the form sends the time


@dataclass(frozen=True)
class Limits:
    """Maximum lengths (in characters) per field."""

    name: int = 80  # the form's maxlength
    email: int = 254
    website: int = 200
    body: int = 5000


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts and retry policy for talking to the form backend."""

    timeout: float = 15.0
    connect_timeout: float = 5.0
    retries: int = 8
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_wait: float = 300.0  # longest rate-limit wait we accept before giving up
    max_bytes: int = 32 * 1024 * 1024  # largest response body read (decoded); a bigger one ends the run
    request_deadline: float = 60.0  # one request, body included: `timeout` is per read, a drip resets it
    pull_deadline: float = 900.0  # the whole pull, retries and waits included (it holds the inbox lock)
    max_pages: int = 10_000  # more pages than this is a pagination loop, not a backlog


@dataclass(frozen=True)
class IntakeConfig:
    """Everything the intake needs, with defaults for every setting."""

    root: Path
    source: str = "netlify"
    source_settings: Mapping[str, Any] = field(default_factory=dict)
    receiver_settings: Mapping[str, Any] = field(default_factory=dict)  # the city's own receiver, both sides
    notify_settings: Mapping[str, Any] = field(default_factory=dict)  # intake.notify, parsed by notify.py
    base_url: str = ""  # the site's public address (content/site.yaml base_url)
    inbox: Path = Path(".inbox")
    retention_days: int = 180
    hash_key_env: str = "INTAKE_HASH_KEY"
    hash_key_file: Path | None = None
    official_names: Mapping[str, str] = field(default_factory=lambda: {"stadt": "Stadt"})
    spam: SpamRules = SpamRules()
    limits: Limits = Limits()
    http: HttpPolicy = HttpPolicy()

    @property
    def content(self) -> Path:
        """The content directory under the root."""
        return self.root / "content"


def check_keys(raw: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """Refuse unknown keys, naming the first one and the allowed ones."""
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"{where}.{key}: unknown setting (allowed: {', '.join(allowed)})")


def mapping(raw: Any, where: str) -> Mapping[str, Any]:
    """A mapping, or an empty one for a missing section."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(raw).__name__}")
    return raw


def number(raw: Mapping[str, Any], key: str, default: float, where: str, *, integer: bool = False) -> Any:
    """A non-negative number setting (bool is not a number here)."""
    value = raw.get(key, default)
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < 0:
        kind = "integer" if integer else "number"
        raise ConfigError(f"{where}.{key}: expected a non-negative {kind}, got {value!r}")
    return value


def text(raw: Mapping[str, Any], key: str, default: str | None, where: str) -> str | None:
    """A non-empty string setting, or the default."""
    value = raw.get(key, default)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
        raise ConfigError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return str(value).strip()


def env_name(raw: Mapping[str, Any], key: str, default: str, where: str) -> str:
    """The NAME of an environment variable (secrets never live in the config)."""
    value = text(raw, key, default, where) or default
    if not ENV_NAME.match(value):
        raise ConfigError(f"{where}.{key}: {value!r} is not an environment variable name "
                          "(the config names the variable; the secret itself goes into the environment)")
    return value


def inside(path: Path, parent: Path) -> bool:
    """Whether path is parent or below it."""
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def parse(root: Path, raw_site: Any) -> IntakeConfig:
    """Validate the `intake:` section of a loaded site.yaml."""
    site = mapping(raw_site, "content/site.yaml")
    raw = mapping(site.get("intake"), "intake")
    check_keys(raw, ("source", "netlify", "formspree", "json", "receiver", "notify", "inbox", "retention_days", "hash_key_env",
                     "hash_key_file", "official_names", "spam", "limits", "http"), "intake")
    source = raw.get("source", "netlify")
    if source not in SOURCES:
        raise ConfigError(f"intake.source: expected one of {', '.join(SOURCES)}, got {source!r}")
    settings = mapping(raw.get(source), f"intake.{source}")
    inbox = root / Path(text(raw, "inbox", ".inbox", "intake") or ".inbox").expanduser()
    if inside(inbox, root / "content"):
        raise ConfigError("intake.inbox: must not be inside content/ (the inbox holds personal data)")
    key_file = Path(text(raw, "hash_key_file", DEFAULT_KEY_FILE, "intake") or DEFAULT_KEY_FILE).expanduser()
    if not key_file.is_absolute():
        raise ConfigError("intake.hash_key_file: must be an absolute path (or start with ~) outside the repository")
    if inside(key_file, root):
        raise ConfigError("intake.hash_key_file: must be outside the repository, so the key never enters git")
    names = mapping(raw.get("official_names"), "intake.official_names")
    check_keys(names, OFFICIAL, "intake.official_names")
    officials = {"stadt": text(names, "stadt", "Stadt", "intake.official_names") or "Stadt"}
    if names.get("themenpate") is not None:
        officials["themenpate"] = text(names, "themenpate", None, "intake.official_names") or ""
    return IntakeConfig(
        root=root,
        source=source,
        source_settings=MappingProxyType(dict(settings)),
        receiver_settings=MappingProxyType(dict(mapping(raw.get("receiver"), "intake.receiver"))),
        notify_settings=MappingProxyType(dict(mapping(raw.get("notify"), "intake.notify"))),
        base_url=str(site.get("base_url") or "").strip().rstrip("/"),
        inbox=inbox,
        retention_days=number(raw, "retention_days", 180, "intake", integer=True),
        hash_key_env=env_name(raw, "hash_key_env", "INTAKE_HASH_KEY", "intake"),
        hash_key_file=key_file,
        official_names=MappingProxyType(officials),
        spam=parse_spam(mapping(raw.get("spam"), "intake.spam")),
        limits=parse_limits(mapping(raw.get("limits"), "intake.limits")),
        http=parse_http(mapping(raw.get("http"), "intake.http")),
    )


def parse_spam(raw: Mapping[str, Any]) -> SpamRules:
    """The `intake.spam` mapping."""
    check_keys(raw, ("max_links", "disallowed_words", "min_seconds"), "intake.spam")
    words = raw.get("disallowed_words", []) or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ConfigError("intake.spam.disallowed_words: expected a list of non-empty strings")
    return SpamRules(max_links=number(raw, "max_links", 2, "intake.spam", integer=True),
                     disallowed_words=tuple(w.strip() for w in words),
                     min_seconds=float(number(raw, "min_seconds", 3.0, "intake.spam")))


def parse_limits(raw: Mapping[str, Any]) -> Limits:
    """The `intake.limits` mapping: every limit at least 1."""
    check_keys(raw, ("name", "email", "website", "body"), "intake.limits")
    values = {k: number(raw, k, getattr(Limits(), k), "intake.limits", integer=True) for k in raw}
    for key, value in values.items():
        if value < 1:
            raise ConfigError(f"intake.limits.{key}: must be at least 1")
    return Limits(**values)


def parse_http(raw: Mapping[str, Any]) -> HttpPolicy:
    """The `intake.http` mapping (timeouts in seconds)."""
    fields = ("timeout", "connect_timeout", "retries", "backoff_base", "backoff_max", "max_wait", "max_bytes",
              "request_deadline", "pull_deadline", "max_pages")
    check_keys(raw, fields, "intake.http")
    counts = ("retries", "max_bytes", "max_pages")
    values = {k: number(raw, k, getattr(HttpPolicy(), k), "intake.http", integer=(k in counts)) for k in raw}
    for key in ("max_bytes", "request_deadline", "pull_deadline", "max_pages"):
        if key in values and values[key] <= 0:
            raise ConfigError(f"intake.http.{key}: must be more than 0")
    return HttpPolicy(**values)


def load(root: Path) -> IntakeConfig:
    """Read content/site.yaml under root (safe loader) and parse its intake section."""
    path = root / "content" / "site.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: not found (run from the repository root or pass --root DIR)")
    from sitegen.core.source import SourceError, parse_yaml  # the build's reader: lines, and no alias bombs

    try:
        raw, _ = parse_yaml(path.read_text(encoding="utf-8"))
    except SourceError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from None
    return parse(root, raw)
