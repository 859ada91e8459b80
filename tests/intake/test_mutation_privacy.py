"""The hash key, address spelling, tombstones and retention: the gaps the mutation run found in intake/privacy.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import stat
from pathlib import Path

import pytest

from intake import privacy
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.errors import ConfigError
from intake.inbox import Inbox

NOW = dt.datetime(2027, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def config(tmp_path: Path, key_file: Path | None = None) -> IntakeConfig:
    return IntakeConfig(root=tmp_path, inbox=tmp_path / ".inbox", hash_key_file=key_file)


def test_the_key_from_the_environment_is_trimmed(tmp_path: Path) -> None:
    assert privacy.load_key(config(tmp_path), {"INTAKE_HASH_KEY": "  schluessel \n"}) == b"schluessel"


def test_without_a_key_variable_or_file_the_error_names_both(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="^set INTAKE_HASH_KEY or intake.hash_key_file for the e-mail hash key$"):
        privacy.load_key(config(tmp_path), {"INTAKE_HASH_KEY": "   "})


def test_a_missing_key_file_is_made_private_once_and_then_read_back(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "sub" / "hash.key"
    key = privacy.load_key(config(tmp_path, path), {})
    assert re.fullmatch(rb"[0-9a-f]{64}", key)
    assert path.read_text(encoding="utf-8") == key.decode() + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert privacy.load_key(config(tmp_path, path), {}) == key


def test_a_missing_key_file_in_an_existing_folder_is_made(tmp_path: Path) -> None:
    path = tmp_path / "hash.key"
    assert re.fullmatch(rb"[0-9a-f]{64}", privacy.load_key(config(tmp_path, path), {}))


def test_an_existing_key_file_is_read_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "hash.key"
    path.write_text("  vorhandener-schluessel\n", encoding="utf-8")
    assert privacy.load_key(config(tmp_path, path), {}) == b"vorhandener-schluessel"


def test_an_empty_key_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "hash.key"
    path.write_text(" \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{re.escape(str(path))}: the e-mail hash key file is empty$"):
        privacy.load_key(config(tmp_path, path), {})


def test_one_address_has_one_spelling_and_one_keyed_hash() -> None:
    assert privacy.normalise_email("  Stra\u00dfe.A\u0308@Example.ORG \t") == "strasse.\u00e4@example.org"
    expected = hmac.new(b"k", "strasse.\u00e4@example.org".encode(), hashlib.sha256).hexdigest()
    assert privacy.email_hash(" STRASSE.A\u0308@example.org", b"k") == expected
    assert privacy.email_hash(" \t", b"k") is None


def test_a_tombstone_keeps_only_what_stops_a_pull_bringing_the_entry_back() -> None:
    entry = Entry(key="netlify-1", source="netlify", date="2026-01-01T00:00:00Z", status="approved",
                  source_id="1", received_at="2026-01-02T00:00:00Z", fields={"body": "x"},
                  personal={"email": "a@b.org"}, email_hash="h", moderated_by="R")
    assert privacy.tombstone(entry, "2027-01-01T00:00:00Z") == Entry(
        key="netlify-1", source="netlify", date="2026-01-01T00:00:00Z", status="erased", source_id="1",
        received_at="2026-01-02T00:00:00Z", purged_at="2027-01-01T00:00:00Z")


def stored(tmp_path: Path, *entries: Entry) -> tuple[IntakeConfig, Inbox]:
    cfg = config(tmp_path)
    inbox = Inbox(cfg.inbox)
    with inbox.lock():
        for entry in entries:
            inbox.put(entry)
    return cfg, inbox


def entry(key: str, date: str, status: str = "pending") -> Entry:
    return Entry(key=key, source="netlify", date=date, status=status, fields={"name": "N", "body": "B"},
                 personal={"email": "a@b.org"}, email_hash="h")


def test_purge_keeps_an_entry_exactly_at_the_retention_cut_and_takes_one_a_second_older(tmp_path: Path) -> None:
    cut = NOW - dt.timedelta(days=180)
    at = entry("netlify-at", cut.strftime("%Y-%m-%dT%H:%M:%SZ"))
    older = entry("netlify-older", (cut - dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), "rejected")
    cfg, inbox = stored(tmp_path, at, older)
    assert privacy.purge(cfg, inbox, NOW) == [f"netlify-older (rejected, {older.date})"]
    assert inbox.get("netlify-at").personal == {"email": "a@b.org"}
    gone = inbox.get("netlify-older")
    assert (gone.personal, gone.fields, gone.email_hash, gone.purged_at) == ({}, {}, "h", "2027-06-01T12:00:00Z")


def test_purge_takes_an_unreadable_date_as_past_retention_and_keeps_published_text(tmp_path: Path) -> None:
    cfg, inbox = stored(tmp_path, entry("netlify-old", "vor langer Zeit", "approved"))
    assert privacy.purge(cfg, inbox, NOW) == ["netlify-old (approved, vor langer Zeit)"]
    kept = inbox.get("netlify-old")
    assert (kept.personal, dict(kept.fields)) == ({}, {"name": "N", "body": "B"})
    assert privacy.purge(cfg, inbox, NOW) == []


def person(key: str, topic: str = "verkehr", email_hash: str | None = None) -> Entry:
    return Entry(key=key, source="netlify", date="2026-11-01T10:00:00Z", fields={"topic": topic, "body": "B"},
                 personal={"email": "Person@Example.org"}, email_hash=email_hash)


def test_forget_finds_an_address_without_a_hash_past_an_erased_entry_and_says_exactly_what_went(
        tmp_path: Path) -> None:
    """No hash (stored before a key existed); an erased entry sorts first; nothing was published."""
    erased = privacy.tombstone(person("netlify-a"), "2026-11-02T00:00:00Z")
    cfg, inbox = stored(tmp_path, erased, person("netlify-b"), person("netlify-c", topic="../x"))
    assert privacy.forget(cfg, inbox, " person@EXAMPLE.org", b"k", "2026-12-01T00:00:00Z") == [
        "inbox entry netlify-b (pending, 2026-11-01T10:00:00Z)",
        "inbox entry netlify-c (pending, 2026-11-01T10:00:00Z)"]
    for key in ("netlify-b", "netlify-c"):
        assert inbox.get(key) == privacy.tombstone(person(key), "2026-12-01T00:00:00Z")
    assert inbox.get("netlify-a") == erased


def test_an_address_with_an_undecodable_byte_still_hashes() -> None:
    """A surrogate from the command line's bytes: hashed as "?", no traceback."""
    expected = hmac.new(b"k", b"a?@b.org", hashlib.sha256).hexdigest()
    assert privacy.email_hash("a\udcff@b.org", b"k") == expected


def test_purge_passes_over_entries_already_purged_and_clears_spam_text(tmp_path: Path) -> None:
    done = entry("netlify-a", "2026-01-01T00:00:00Z").with_changes(personal={}, purged_at="2026-07-01T00:00:00Z")
    cfg, inbox = stored(tmp_path, done, entry("netlify-b", "2026-01-01T00:00:00Z", "spam"))
    assert privacy.purge(cfg, inbox, NOW) == ["netlify-b (spam, 2026-01-01T00:00:00Z)"]
    assert (inbox.get("netlify-b").personal, inbox.get("netlify-b").fields) == ({}, {})
    assert inbox.get("netlify-a") == done
