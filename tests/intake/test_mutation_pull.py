"""One pull checked count by count: the gaps the mutation run (bench/mutation.py) found in intake/pull.py.

The source here is a plain list of pages (pull only needs `pages`, `can_delete`, `delete[_many]`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Iterator

import pytest

from intake import pull as pulling
from intake.config import IntakeConfig
from intake.config import load as load_config
from intake.http import FetchError
from intake.inbox import Inbox
from intake.sources.base import Submission
from intake_support import make_site

NOW = dt.datetime(2026, 11, 30, 10, 0, 5, 123456, tzinfo=dt.timezone.utc)
KEY = b"test-hash-key"


def sub(n: int, topic: str = "verkehr", spam: bool = False, **data: str) -> Submission:
    fields = {"topic": topic, "name": f"Person {n}", "body": f"Kommentar {n}.", "consent": "ja", **data}
    return Submission(key=f"test-{n}", source="test", source_id=f"id{n}", date="2026-11-29T08:00:00Z",
                      data=fields, flagged_spam=spam)


class Pages:
    """A source delivering fixed pages; it records deletions (one by one, or in batches with `batches`)."""

    name = "test"

    def __init__(self, *pages: list[Submission], can_delete: bool = False, fail_after: int | None = None) -> None:
        self.list, self.can_delete, self.fail_after = list(pages), can_delete, fail_after
        self.deleted: list[str] = []

    def pages(self) -> Iterator[list[Submission]]:
        for n, page in enumerate(self.list):
            if n == self.fail_after:
                raise FetchError("GET http://x: HTTP 401")
            yield page

    def delete(self, submission: Submission) -> None:
        self.deleted.append(str(submission.source_id))


class Batches(Pages):
    def __init__(self, *pages: list[Submission]) -> None:
        super().__init__(*pages, can_delete=True)
        self.batches: list[int] = []

    def delete_many(self, subs: list[Submission]) -> int:
        self.batches.append(len(subs))
        return len(subs) - 1  # what the source says it deleted is what the pull counts


@pytest.fixture
def config(tmp_path: Path) -> IntakeConfig:
    return load_config(make_site(tmp_path / "site"))


def run(config: IntakeConfig, source: Pages, lines: list[str] | None = None) -> pulling.PullResult:
    return pulling.pull(config, Inbox(config.inbox), source, KEY, NOW,
                        **({"progress": lines.append} if lines is not None else {}))


def test_the_result_counts_spam_invalid_and_what_waits_per_topic(config: IntakeConfig) -> None:
    lines: list[str] = []
    result = run(config, Pages([sub(1), sub(2, "digital"), sub(3, spam=True)],
                               [sub(4, "digital"), sub(5, consent=""), sub(6, "digital", **{"bot-field": "x"})]),
                 lines)
    assert result == pulling.PullResult(seen=6, added=6, spam=2, invalid=1, deleted=0, error=None,
                                        waiting=(("digital", 2), ("verkehr", 1)), conflicts=())
    assert lines == ["3 submissions read, 3 new", "6 submissions read, 6 new"]
    entry = Inbox(config.inbox).get("test-1")
    assert (entry.received_at, entry.source_id, entry.status) == ("2026-11-30T10:00:05Z", "id1", "pending")


def test_backend_spam_is_named_first_among_the_reasons(config: IntakeConfig) -> None:
    run(config, Pages([sub(1, spam=True, **{"bot-field": "x"})]))
    reasons = Inbox(config.inbox).get("test-1").spam_reasons
    assert reasons == ("backend: flagged as spam by test", "honeypot: hidden field bot-field was filled in")


def test_a_second_pull_of_the_same_pages_adds_nothing_and_counts_what_it_read(config: IntakeConfig) -> None:
    run(config, Pages([sub(1), sub(2)]))
    assert run(config, Pages([sub(1), sub(2)])) == pulling.PullResult(seen=2, added=0, spam=0, invalid=0, deleted=0)


def test_the_same_submission_on_two_pages_is_read_once(config: IntakeConfig) -> None:
    result = run(config, Pages([sub(1), sub(2)], [sub(2), sub(3)]))
    assert (result.seen, result.added) == (3, 3)


def test_a_duplicate_within_one_pull_and_of_an_older_entry_is_marked(config: IntakeConfig) -> None:
    run(config, Pages([sub(1)]))
    twin = Submission(key="test-9", source="test", source_id="id9", date="2026-11-29T08:00:00Z", data=sub(1).data)
    again = Submission(key="test-10", source="test", source_id="id10", date="2026-11-29T08:00:00Z",
                       data=sub(2).data)
    result = run(config, Pages([twin, sub(2), again]))
    inbox = Inbox(config.inbox)
    assert inbox.get("test-9").spam_reasons == ("duplicate: same topic, name and text as test-1",)
    assert inbox.get("test-10").spam_reasons == ("duplicate: same topic, name and text as test-2",)
    assert result.spam == 2 and result.waiting == (("verkehr", 1),)


def test_a_known_key_with_other_content_is_kept_under_a_flagged_variant_once(config: IntakeConfig) -> None:
    run(config, Pages([sub(1)]))
    changed = Submission(key="test-1", source="test", source_id="id1", date="2026-11-29T08:00:00Z",
                         data={**sub(1).data, "body": "Anderer Text."}, flagged_spam=True)
    result = run(config, Pages([changed]))
    digest = hashlib.sha256(json.dumps(dict(changed.data), sort_keys=True, ensure_ascii=False)
                            .encode("utf-8")).hexdigest()[:8]
    variant = Inbox(config.inbox).get(f"test-1-v{digest}")
    assert variant.fields["body"] == "Anderer Text." and variant.source_id == "id1" and variant.status == "spam"
    assert variant.invalid == ("duplicate id: test-1 arrived again with different content (check both before "
                               "publishing)",)
    assert (result.added, result.conflicts) == (1, ("test-1",))
    assert Inbox(config.inbox).get("test-1").fields["body"] == "Kommentar 1."
    assert run(config, Pages([changed])) == pulling.PullResult(seen=1, added=0, spam=0, invalid=0, deleted=0)


def test_a_variant_key_stays_a_valid_comment_id_for_a_long_key(config: IntakeConfig) -> None:
    long = Submission(key="test-" + "a" * 59, source="test", source_id="x", date="2026-11-29T08:00:00Z",
                      data=sub(1).data)
    other = pulling.variant(long)
    assert other.key.startswith("test-" + "a" * 49 + "-v") and len(other.key) == 64


def test_an_erased_or_purged_entry_is_never_new_content(config: IntakeConfig) -> None:
    inbox = Inbox(config.inbox)
    run(config, Pages([sub(1), sub(2)]))
    inbox.put(inbox.get("test-1").with_changes(status="erased", fields={}, personal={}))
    inbox.put(inbox.get("test-2").with_changes(personal={}, purged_at="2026-11-30T00:00:00Z"))
    assert pulling.differs(sub(1), inbox.get("test-1")) is False
    assert pulling.differs(sub(2), inbox.get("test-2")) is False
    assert pulling.differs(sub(2, email="x@y.de"), inbox.get("test-2").with_changes(purged_at=None)) is True
    erased_kept_fields = inbox.get("test-1").with_changes(fields={"body": "alt"})
    assert pulling.differs(sub(1), erased_kept_fields) is False
    assert run(config, Pages([sub(1), sub(2)])).added == 0


def test_deletions_come_in_batches_of_500_where_the_source_takes_them(config: IntakeConfig) -> None:
    source = Batches([sub(n) for n in range(1, 1202)])
    result = run(config, source)
    assert source.batches == [500, 500, 201] and result.deleted == 499 + 499 + 200


def test_deletions_are_one_by_one_otherwise_and_only_when_the_source_may(config: IntakeConfig) -> None:
    source = Pages([sub(1), sub(2)], [sub(3)], can_delete=True)
    assert run(config, source).deleted == 3 and source.deleted == ["id1", "id2", "id3"]
    kept = Pages([sub(4)])
    assert run(config, kept).deleted == 0 and kept.deleted == []


def test_a_backend_error_keeps_the_pages_before_it_and_deletes_nothing(config: IntakeConfig) -> None:
    source = Pages([sub(1)], [sub(2)], can_delete=True, fail_after=1)
    result = run(config, source)
    assert result == pulling.PullResult(seen=1, added=1, spam=0, invalid=0, deleted=0,
                                        error="GET http://x: HTTP 401", waiting=(("verkehr", 1),))
    assert source.deleted == [] and Inbox(config.inbox).has("test-1")


def test_an_entry_keeps_its_source_and_has_no_hash_without_an_address(config: IntakeConfig) -> None:
    run(config, Pages([sub(1), sub(2, email="A@B.de")]))
    inbox = Inbox(config.inbox)
    assert (inbox.get("test-1").source, inbox.get("test-1").email_hash) == ("test", None)
    assert inbox.get("test-2").email_hash and inbox.get("test-2").personal["email"] == "A@B.de"


def test_a_variant_key_is_the_same_in_every_version_even_for_umlauts_and_broken_text(config: IntakeConfig) -> None:
    """The next pull must find the variant it stored, also after an upgrade: the key is part of the inbox."""
    run(config, Pages([sub(1)]))
    changed = Submission(key="test-1", source="test", source_id="id1", date="2026-11-29T08:00:00Z",
                         data={**sub(1).data, "body": "Änderung \ud800"})
    result = run(config, Pages([changed]))  # a lone surrogate from a JSON escape must not end the pull
    basis = json.dumps(dict(changed.data), sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    key = f"test-1-v{hashlib.sha256(basis).hexdigest()[:8]}"
    assert result.error is None and result.added == 1 and Inbox(config.inbox).has(key)
    variant = Inbox(config.inbox).get(key)
    assert (variant.source, variant.source_id, variant.fields["body"]) == ("test", "id1", "Änderung \ufffd")


def test_one_id_twice_on_one_page_with_other_content_keeps_both(config: IntakeConfig) -> None:
    changed = Submission(key="test-1", source="test", source_id="id1", date="2026-11-29T08:00:00Z",
                         data={**sub(1).data, "body": "Zweite Fassung."})
    result = run(config, Pages([sub(1), changed]))
    bodies = sorted(e.fields["body"] for e in Inbox(config.inbox).entries())
    assert bodies == ["Kommentar 1.", "Zweite Fassung."] and result.conflicts == ("test-1",)
