"""What keeps the receiver cheap under load: no spinning I/O loop, no log write per post (bench/ measures it)."""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

import pytest

from intake.receiver.channel import OncePer
from intake.receiver.store import Store
from intake_support import intake_section, make_site
from receiver_support import Running, channel_of

TOKEN = "receiver-test-token-0123456789"


def running(root: Path, env: dict[str, str]) -> Running:
    """A receiver in a thread, for a site whose database is under root."""
    section = {"url": "http://127.0.0.1:1", "database": str(root / "data" / "receiver.sqlite3"),
               "token_env": "RECEIVER_TOKEN"}
    return Running(make_site(root, intake_section(source="receiver", receiver=section)),
                   {**env, "RECEIVER_TOKEN": TOKEN})


def test_the_loop_leaves_a_running_requests_answer_to_its_thread(tmp_path: Path, env: dict[str, str]) -> None:
    """While a request thread sends its answer (the out-buffer's lock held, the GIL released in send()),
    the loop must not count the connection writable: it would spin on select() until that thread runs."""
    receiver = running(tmp_path / "site", env)
    client = socket.create_connection(("127.0.0.1", receiver.server.effective_port), timeout=10)
    try:
        channel = channel_of(receiver, client)
        with channel.requests_lock:  # type: ignore[attr-defined]
            channel.requests.append(object())  # type: ignore[attr-defined]  # a request at work
            channel.total_outbufs_len = 200  # type: ignore[attr-defined]  # its answer, being sent
            assert not channel.writable()  # type: ignore[attr-defined]
            channel.requests.clear()  # type: ignore[attr-defined]  # the request ended: now the loop sends
            assert channel.writable()  # type: ignore[attr-defined]
            channel.total_outbufs_len = 0  # type: ignore[attr-defined]
    finally:
        client.close()
        receiver.close()


def test_a_big_answer_over_the_high_water_mark_is_still_sent_by_the_loop(tmp_path: Path, env: dict[str, str]) -> None:
    """Above the mark the request thread waits for the loop to send: the loop must see it writable."""
    receiver = running(tmp_path / "site", env)
    client = socket.create_connection(("127.0.0.1", receiver.server.effective_port), timeout=10)
    try:
        channel = channel_of(receiver, client)
        with channel.requests_lock:  # type: ignore[attr-defined]
            channel.requests.append(object())  # type: ignore[attr-defined]
            channel.total_outbufs_len = channel.adj.outbuf_high_watermark + 1  # type: ignore[attr-defined]
            assert channel.writable()  # type: ignore[attr-defined]
            channel.requests.clear()  # type: ignore[attr-defined]
            channel.total_outbufs_len = 0  # type: ignore[attr-defined]
    finally:
        client.close()
        receiver.close()


def test_waitress_queue_warnings_are_let_through_once_a_minute(tmp_path: Path, env: dict[str, str],
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """waitress warns on every request while all its threads are busy: a log write per post under load."""
    running(tmp_path / "site", env).close()  # a server made: its filter is on waitress's logger
    with caplog.at_level(logging.WARNING, logger="waitress.queue"):
        for depth in range(1, 101):
            logging.getLogger("waitress.queue").warning("Task queue depth is %d", depth)
    assert len([r for r in caplog.records if r.name == "waitress.queue"]) <= 1


def test_once_per_lets_the_first_record_of_each_period_through() -> None:
    now = [0.0]
    once = OncePer(60, clock=lambda: now[0])
    record = logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is 3", None, None)
    assert [once.filter(record) for _ in range(3)] == [True, False, False]
    now[0] = 61.0
    assert once.filter(record)


def test_one_log_line_per_commit_names_every_accepted_submission(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    """The ids are logged by the writer, one line per group commit, not one write per post under a lock."""
    store = Store(tmp_path / "r.sqlite3")
    ids: list[str] = []
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        threads = [threading.Thread(target=lambda n=n: ids.append(store.add({"name": f"N{n}"}, "2026-12-01T00:00:00Z")))
                   for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    store.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "intake.receiver" and "accepted" in r.getMessage()]
    logged = " ".join(lines)
    assert len(ids) == 40 and all(logged.count(uid) == 1 for uid in ids)
    assert "N1" not in logged  # ids only: never a name, an address or a text
