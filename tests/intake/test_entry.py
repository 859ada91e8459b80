"""An inbox entry: its key pattern, its YAML form both ways, and what a newer version may add."""

from __future__ import annotations

from dataclasses import fields

import pytest

from intake.entry import KEY, PERSONAL_FIELDS, PUBLIC_FIELDS, STATUSES, Entry

FULL = Entry(key="netlify-abc", source="netlify", date="2026-11-26T08:00:00Z", status="approved", source_id="abc",
             received_at="2026-11-26T09:00:00Z", fields={"topic": "verkehr", "name": "Anna", "body": "Text"},
             personal={"email": "a@b.de"}, email_hash="h", fingerprint="f", spam_reasons=("links: 3",),
             invalid=("name: empty",), official="stadt", moderated_at="2026-11-27T08:00:00Z", moderated_by="Ben",
             reason="r", comment_path="content/kommentare/verkehr/netlify-abc.yaml", purged_at=None)


@pytest.mark.parametrize("key", ["a", "0", "netlify-abc", "a" * 64, "formspree-h" + "0" * 24])
def test_keys_that_are_file_names(key: str) -> None:
    assert KEY.match(key)


@pytest.mark.parametrize("key", ["", "-a", "A", "a_b", "a.b", "a/b", "a" * 65, "a\n", "ä", " a"])
def test_keys_that_are_not(key: str) -> None:
    assert not KEY.match(key)


def test_to_dict_is_plain_data_in_field_order_and_comes_back_whole() -> None:
    data = FULL.to_dict()
    assert list(data) == [f.name for f in fields(Entry)]  # these keys and no others, in this order
    assert data["spam_reasons"] == ["links: 3"] and data["invalid"] == ["name: empty"]
    assert type(data["fields"]) is dict and type(data["personal"]) is dict
    assert Entry.from_dict(data) == FULL


def test_from_dict_ignores_unknown_keys_and_fills_empty_ones() -> None:
    entry = Entry.from_dict({"key": "k", "source": "s", "date": "d", "added_later": 1, "spam_reasons": None,
                             "invalid": None, "fields": None, "personal": None})
    assert entry == Entry(key="k", source="s", date="d")
    assert entry.spam_reasons == () and entry.invalid == () and entry.fields == {} and entry.personal == {}
    assert Entry.from_dict({"key": "k", "source": "s", "date": "d", "spam_reasons": ["x"], "invalid": ["y"]}) \
        .spam_reasons == ("x",)


def test_but_changes_only_what_it_names() -> None:
    changed = FULL.with_changes(status="rejected", reason=None)
    assert changed.status == "rejected" and changed.reason is None and FULL.status == "approved"
    assert changed.with_changes(status="approved", reason="r") == FULL


def test_topic_and_name_read_the_fields() -> None:
    assert (FULL.topic, FULL.name) == ("verkehr", "Anna")
    bare = Entry(key="k", source="s", date="d")
    assert (bare.topic, bare.name, bare.status) == ("", "", "pending")
    assert Entry(key="k", source="s", date="d", fields={"topic": None}).topic == ""


def test_the_contract_lists() -> None:
    assert STATUSES == ("pending", "approved", "rejected", "spam", "erased")
    assert PUBLIC_FIELDS == ("topic", "parent", "name", "body")
    assert set(PERSONAL_FIELDS) == {"email", "website", "ip", "user_agent", "referrer"}
