"""Spam rules, validation, config defaults and errors, and hostile strings through the inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from intake import files
from intake.config import IntakeConfig, Limits, SpamRules, parse
from intake.entry import Entry
from intake.errors import ConfigError
from intake.inbox import Inbox
from intake.spam import reasons
from intake.validate import check, normalise

DATE = "2026-11-26T08:00:00Z"
LOADED = str(int((1795680000 - 60) * 1000))  # 60 s before DATE
GOOD = {"topic": "verkehr", "parent": "", "name": "Anna", "body": "Mehr Radwege, bitte.", "consent": "ja"}


def spam(fields: dict, personal: dict | None = None, rules: SpamRules = SpamRules(), dup: str | None = None) -> list[str]:
    return reasons({**GOOD, **fields}, personal or {}, DATE, rules, dup)


def test_clean_submission_trips_nothing() -> None:
    assert spam({"form_loaded_at": LOADED}) == []
    assert check(GOOD, {"email": "a@b.de", "website": "https://a.example"}, Limits(), {"verkehr"}) == []


@pytest.mark.parametrize("fields, personal, rule", [
    ({"bot-field": "x"}, {}, "honeypot"),
    ({"_gotcha": "x"}, {}, "honeypot"),
    ({"body": "see https://a.example and http://b.example"}, {}, "links"),
    ({"body": "www.a.example", "name": "https://b.example"}, {}, "links"),
    ({"body": "Billig VIAGRA hier"}, {}, "disallowed-word"),
    ({}, {"email": "x@casino.example"}, "disallowed-word"),
    ({}, {"user_agent": "Casino-Bot"}, "disallowed-word"),
    ({"form_loaded_at": str(int((1795680000 - 1) * 1000))}, {}, "too-fast"),
    ({"form_loaded_at": "gestern"}, {}, "too-fast"),
    ({"form_loaded_at": "nan"}, {}, "too-fast"),
])
def test_each_rule_records_its_reason(fields: dict, personal: dict, rule: str) -> None:
    found = spam(fields, personal, SpamRules(disallowed_words=("viagra", "casino")))
    assert [r.split(":")[0] for r in found] == [rule]


def test_one_link_is_fine_and_max_links_0_disables() -> None:
    assert spam({"body": "https://a.example"}) == []
    assert spam({"body": "https://a https://b https://c"}, rules=SpamRules(max_links=0)) == []


def test_duplicate_names_the_original() -> None:
    assert spam({}, dup="netlify-abc") == ["duplicate: same topic, name and text as netlify-abc"]


@pytest.mark.parametrize("fields, personal, field", [
    ({"topic": "gibtsnicht"}, {}, "topic"), ({"topic": "../etc"}, {}, "topic"), ({"topic": ""}, {}, "topic"),
    ({"parent": "../x"}, {}, "parent"), ({"name": ""}, {}, "name"), ({"name": "x" * 101}, {}, "name"),
    ({"name": "a\x1b[31m"}, {}, "name"), ({"name": "a\nb"}, {}, "name"), ({"body": "x\x00y"}, {}, "body"),
    ({"body": "x" * 5001}, {}, "body"), ({"body": "\ufdd0"}, {}, "body"), ({"consent": ""}, {}, "consent"),
    ({}, {"website": "javascript:alert(1)"}, "website"), ({}, {"website": "ftp://a.example"}, "website"),
    ({}, {"website": "https://"}, "website"), ({}, {"email": "keine adresse"}, "email"),
    ({"parent": "abc\n"}, {}, "parent"), ({}, {"email": "a@b.de\n"}, "email"),
])
def test_validation_names_the_field(fields: dict, personal: dict, field: str) -> None:
    problems = check({**GOOD, **fields}, personal, Limits(), {"verkehr"})
    assert [p.split(":")[0] for p in problems] == [field]


def test_a_backend_id_with_a_line_break_is_hashed_not_used_as_a_file_name() -> None:
    from intake.sources import stable_key
    assert stable_key("netlify", "abc", {}) == "netlify-abc"
    assert stable_key("netlify", "abc\n", {}).startswith("netlify-h")


def test_body_keeps_newlines_and_tabs_and_lone_surrogates_are_repaired() -> None:
    fields, personal, notes = normalise({"body": " a\r\nb\tc \n", "name": "x\ud800", "email": " a@b.de "})
    assert fields["body"] == "a\nb\tc" and personal == {"email": "a@b.de"}
    assert fields["name"] == "x\ufffd" and notes == ["name: invalid Unicode (lone surrogates replaced)"]


def test_every_blns_string_survives_the_inbox_unchanged(tmp_path: Path, blns: list[str]) -> None:
    inbox = Inbox(tmp_path / "inbox")
    for i, text in enumerate(blns):
        fields, _, _ = normalise({"name": text, "body": text})
        inbox.put(Entry(key=f"k-{i}", source="test", date=DATE, fields=fields))
        assert inbox.get(f"k-{i}").fields == fields
    assert len(inbox.keys()) == len(blns)


def test_config_defaults(tmp_path: Path) -> None:
    config = parse(tmp_path, {"title": "x"})
    assert config == IntakeConfig(root=tmp_path, inbox=tmp_path / ".inbox", hash_key_file=config.hash_key_file)
    assert config.spam.max_links == 2 and config.retention_days == 180 and config.source == "netlify"


@pytest.mark.parametrize("intake, key", [
    ("nein", "intake"), ({"source": "mail"}, "intake.source"), ({"retention": 3}, "intake.retention"),
    ({"retention_days": -1}, "intake.retention_days"), ({"retention_days": True}, "intake.retention_days"),
    ({"inbox": "content/inbox"}, "intake.inbox"), ({"hash_key_env": "MY-KEY"}, "intake.hash_key_env"),
    ({"hash_key_file": "key.txt"}, "intake.hash_key_file"), ({"spam": {"max_links": 1.5}}, "intake.spam.max_links"),
    ({"spam": {"disallowed_words": "casino"}}, "intake.spam.disallowed_words"),
    ({"limits": {"body": 0}}, "intake.limits.body"), ({"limits": {"title": 3}}, "intake.limits.title"),
    ({"http": {"retries": "oft"}}, "intake.http.retries"), ({"official_names": {"stadt": ""}}, "intake.official_names"),
])
def test_config_errors_name_the_key(tmp_path: Path, intake, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse(tmp_path, {"intake": intake})


def test_hash_key_file_must_be_outside_the_repository(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outside the repository"):
        parse(tmp_path, {"intake": {"hash_key_file": str(tmp_path / "key")}})


def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path: Path) -> None:
    """Unrepresentable data fails before any file exists; a failed rename is in test_strength.py."""
    with pytest.raises(yaml.representer.RepresenterError, match="cannot represent"):
        files.write(tmp_path / "x.yaml", {"bad": object()})
    assert list(tmp_path.iterdir()) == []
