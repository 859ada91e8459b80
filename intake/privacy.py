"""Personal data: the keyed e-mail hash, erasure requests (`forget`) and retention (`purge`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import unicodedata
from typing import Mapping

from intake import comments, dates
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.errors import ConfigError
from intake.inbox import Inbox
from intake.publish import LOCK_WAIT


def load_key(config: IntakeConfig, env: Mapping[str, str]) -> bytes:
    """The HMAC key: from the env var, else the key file outside git (created on first use)."""
    value = env.get(config.hash_key_env, "").strip()
    if value:
        return value.encode("utf-8")
    path = config.hash_key_file
    if path is None:
        raise ConfigError(f"set {config.hash_key_env} or intake.hash_key_file for the e-mail hash key")
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ConfigError(f"{path}: the e-mail hash key file is empty")
    return key.encode("utf-8")


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed, NFC, case-folded (providers ignore case in practice)."""
    return unicodedata.normalize("NFC", email.strip()).casefold()


def email_hash(email: str, key: bytes) -> str | None:
    """Keyed hash, so the inbox can match an address after purge without a rainbow table."""
    if not email.strip():
        return None
    return hmac.new(key, normalise_email(email).encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def tombstone(entry: Entry, now: str) -> Entry:
    """What remains of an erased entry: its key, so a later pull does not bring it back."""
    return Entry(key=entry.key, source=entry.source, date=entry.date, status="erased",
                 source_id=entry.source_id, received_at=entry.received_at, purged_at=now)


def forget(config: IntakeConfig, inbox: Inbox, email: str, key: bytes, now: str) -> list[str]:
    """Remove every submission and published comment of an address; return what was removed.

    Under the one lock, so no decision or pull runs in between. The comment file goes before the
    entry becomes a tombstone: if the tombstone cannot be written, running forget again finds the
    entry (and its address) still there and finishes.
    """
    with inbox.lock(wait=LOCK_WAIT):
        return _forget(config, inbox, email, key, now)


def _forget(config: IntakeConfig, inbox: Inbox, email: str, key: bytes, now: str) -> list[str]:
    wanted = email_hash(email, key)
    plain = normalise_email(email)
    removed: list[str] = []
    for entry in list(inbox.entries()):
        if entry.status == "erased":
            continue
        own = entry.personal.get("email", "")
        if not ((wanted and entry.email_hash == wanted) or (own and normalise_email(own) == plain)):
            continue
        path = comments.comment_file(config.root, entry.topic, entry.key)
        if path is not None and path.is_file():  # whatever the inbox's status says
            for moved in comments.detach(config.root, entry.topic, entry.key):
                removed.append(f"re-parented reply {moved} (its parent was removed)")
            comments.unpublish(path)
            removed.append(f"published comment {path.relative_to(config.root)}")
        inbox.put(tombstone(entry, now))
        removed.append(f"inbox entry {entry.key} ({entry.status}, {entry.date})")
    return removed


def purge(config: IntakeConfig, inbox: Inbox, now: dt.datetime) -> list[str]:
    """Drop personal data older than the retention period; rejected and spam lose their text too."""
    with inbox.lock(wait=LOCK_WAIT):
        return _purge(config, inbox, now)


def _purge(config: IntakeConfig, inbox: Inbox, now: dt.datetime) -> list[str]:
    cutoff = now - dt.timedelta(days=config.retention_days)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    purged: list[str] = []
    for entry in list(inbox.entries()):
        try:
            submitted: dt.datetime | None = dates.parse_date(entry.date)
        except ValueError:
            submitted = None  # written unreadable by an old version: past any retention, so purged
        if entry.status == "erased" or (submitted is not None and submitted >= cutoff):
            continue
        unpublished = entry.status in ("rejected", "spam")
        if not entry.personal and not (unpublished and entry.fields):
            continue
        keep = {} if unpublished else dict(entry.fields)
        # The keyed hash stays: it is what lets `forget` find this entry after the address is gone.
        inbox.put(entry.with_changes(personal={}, fields=keep, purged_at=stamp))
        purged.append(f"{entry.key} ({entry.status}, {entry.date})")
    return purged

