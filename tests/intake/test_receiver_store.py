"""The receiver's store and address rules, below the HTTP layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.receiver.guard import client_address
from intake.receiver.store import Pending, Store


def test_a_post_whose_request_gave_up_is_never_stored_later(tmp_path: Path) -> None:
    """The visitor heard "not saved" (and may send again): the queued post must not appear afterwards."""
    store = Store(tmp_path / "r.sqlite3")
    late = Pending(("b" * 24, "2026-11-30T10:00:01Z", '{"name": "B"}'))
    assert late.give_up()  # its request stopped waiting before the writer took it
    store._queue.put(late)  # noqa: SLF001 - queued as add() queues it
    store.add({"name": "C"}, "2026-11-30T10:00:02Z")  # behind B: the writer has dealt with B once C is stored
    assert late.done.is_set() and late.error is None
    assert [row["data"]["name"] for row in store.page(0, 10)] == ["C"]
    store.close()


def test_a_post_already_in_a_commit_is_waited_for_not_given_up() -> None:
    taken = Pending(("a" * 24, "2026-11-30T10:00:00Z", "{}"))
    assert taken.claim()  # the writer holds it in a running commit
    assert not taken.give_up()  # so the request waits for that commit's outcome instead


@pytest.mark.parametrize("peer", ["127.0.0.1", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]"])
def test_a_trusted_proxy_is_recognised_in_any_spelling(peer: str) -> None:
    environ = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(environ, frozenset({"127.0.0.1"})) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    environ = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(environ, frozenset({"127.0.0.1"})) == "203.0.113.9"
