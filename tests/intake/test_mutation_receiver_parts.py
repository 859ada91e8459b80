"""The receiver's parts below the application: the store, the settings, the refusal pages and the server's
set-up, called directly. Written for the mutation run (bench/mutation.py) of intake/receiver/; the served
receiver is test_receiver.py."""

from __future__ import annotations

import inspect
import logging
import signal
import socket
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from intake_support import intake_section, make_site
from receiver_support import Running, channel_of
from intake.config import IntakeConfig, Limits
from intake.errors import ConfigError
from intake.receiver import pages, serve
from intake.receiver.channel import Channel, OncePer
from intake.receiver.settings import origin, parse
from intake.receiver.store import BATCH, Pending, Store

BASE = "https://zukunft.example.de"
TOKEN = "pull-token-0123456789abcdef"


def config(tmp_path: Path, base_url: str = BASE, **settings: Any) -> IntakeConfig:
    return IntakeConfig(root=tmp_path, base_url=base_url, receiver_settings=settings, limits=Limits(name=9))


# --- the store


def test_a_new_database_is_private_in_a_private_folder(tmp_path: Path) -> None:
    store = Store(tmp_path / "data" / "deep" / "r.sqlite3")
    store.close()
    assert stat.S_IMODE((tmp_path / "data" / "deep").stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_an_existing_database_is_opened_not_replaced(tmp_path: Path) -> None:
    first = Store(tmp_path / "r.sqlite3")
    first.add({"name": "A"}, "2026-12-01T00:00:00Z")
    first.close()
    second = Store(tmp_path / "r.sqlite3")
    assert second.count() == 1
    second.close()


def test_every_commit_is_durable_wal_full_and_deleted_bytes_are_overwritten(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    db = store._connect()  # noqa: SLF001 - the settings live on the connection
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert db.isolation_level is None  # autocommit: BEGIN IMMEDIATE is ours
    store.close()


def test_one_connection_per_thread_that_waits_10_s_for_a_lock(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    db = store._connect()  # noqa: SLF001
    assert store._connect() is db  # noqa: SLF001 - made once per thread, not once per call
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    store.close()


def test_the_writer_is_a_named_daemon_thread(tmp_path: Path) -> None:
    """A receiver that exits without close() (an error at start) must not hang on it; a thread dump names it."""
    store = Store(tmp_path / "r.sqlite3")
    assert store._thread.daemon is True and store._thread.name == "receiver-writer"  # noqa: SLF001
    store.close()


def test_each_commit_logs_its_ids_on_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = Store(tmp_path / "r.sqlite3")
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        uid = store.add({"name": "Erika"}, "2026-12-01T00:00:00Z")
    store.close()
    assert [r.getMessage() for r in caplog.records] == [f"accepted submission(s) {uid}"]


def test_a_commit_holds_at_most_a_batch_of_posts(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Posts that queue while a commit waits go into the next one, BATCH at a time."""
    store = Store(tmp_path / "r.sqlite3")
    queued = [Pending((f"{n:024x}", "2026-12-01T00:00:00Z", "{}")) for n in range(BATCH + 4)]
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        blocker = sqlite3.connect(store.path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the writer's first commit waits for this lock
        store._queue.put(queued[0])  # noqa: SLF001 - as add() queues it
        deadline = time.monotonic() + 10
        while store._queue.qsize() and time.monotonic() < deadline:  # noqa: SLF001 - the writer took it
            time.sleep(0.01)
        for pending in queued[1:]:
            store._queue.put(pending)  # noqa: SLF001
        blocker.execute("ROLLBACK")
        blocker.close()
        store.close()
    sizes = [len(r.getMessage().split()) - 2 for r in caplog.records]
    assert sizes == [1, BATCH, 3] and all(p.error is None for p in queued)
    assert caplog.records[-1].getMessage() == "accepted submission(s) " + " ".join(p.row[0] for p in queued[-3:])


def test_an_id_is_24_hex_digits_and_a_new_one_each_time(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    ids = [store.add({"name": "A"}, "2026-12-01T00:00:00Z") for _ in range(3)]
    store.close()
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids) and len(set(ids)) == 3


def test_page_gives_up_to_limit_rows_past_the_cursor_oldest_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    for n in range(5):
        store.add({"name": f"N{n}", "body": "Grüße"}, f"2026-12-01T00:00:0{n}Z")
    rows = store.page(0, 2)
    assert [(r["data"]["name"], r["received_at"]) for r in rows] == [("N0", "2026-12-01T00:00:00Z"),
                                                                     ("N1", "2026-12-01T00:00:01Z")]
    assert set(rows[0]) == {"seq", "id", "received_at", "data"} and rows[0]["data"]["body"] == "Grüße"
    assert [r["data"]["name"] for r in store.page(rows[1]["seq"], 10)] == ["N2", "N3", "N4"]
    assert store.page(rows[1]["seq"] + 3, 10) == []
    store.close()


def test_delete_counts_only_what_was_there_and_checkpoint_empties_the_log(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    ids = [store.add({"name": f"N{n}"}, "2026-12-01T00:00:00Z") for n in range(3)]
    assert store.delete([ids[0], ids[0], "0" * 24]) == 1
    assert store.delete(iter(ids[1:])) == 2 and store.count() == 0
    store.checkpoint()
    assert Path(str(store.path) + "-wal").stat().st_size == 0
    store.close()


def test_a_failed_delete_is_rolled_back_whole(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    uid = store.add({"name": "A"}, "2026-12-01T00:00:00Z")
    with sqlite3.connect(store.path) as other:
        other.execute("ALTER TABLE submissions RENAME TO gone")
    with pytest.raises(sqlite3.OperationalError, match="^no such table: submissions$"):
        store.delete([uid])
    assert not store._connect().in_transaction  # noqa: SLF001 - rolled back: the next call can begin
    with sqlite3.connect(store.path) as other:
        other.execute("ALTER TABLE gone RENAME TO submissions")
    assert store.delete([uid]) == 1
    store.close()


def test_a_failed_commit_fails_its_posts_and_the_writer_goes_on(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    with sqlite3.connect(store.path) as other:
        other.execute("ALTER TABLE submissions RENAME TO gone")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        store.add({"name": "A"}, "2026-12-01T00:00:00Z")
    assert store.healthy()
    with sqlite3.connect(store.path) as other:
        other.execute("ALTER TABLE gone RENAME TO submissions")
    store.add({"name": "B"}, "2026-12-01T00:00:00Z")
    assert [r["data"]["name"] for r in store.page(0, 10)] == ["B"]
    store.close()


def test_a_post_not_committed_in_time_is_refused_and_never_stored(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3", wait=0.05)
    store.close()  # the writer has stopped: nothing commits
    assert not store.healthy()
    with pytest.raises(TimeoutError, match="^the database did not commit in time$"):
        store.add({"name": "A"}, "2026-12-01T00:00:00Z")
    assert store.count() == 0


def test_close_commits_what_was_queued_before_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    queued = [Pending((f"{n:024x}", "2026-12-01T00:00:00Z", "{}")) for n in range(BATCH + 3)]
    for pending in queued:
        store._queue.put(pending)  # noqa: SLF001 - as add() queues them, all before the writer looks
    store.close()
    assert all(p.done.is_set() and p.error is None for p in queued)
    again = Store(tmp_path / "r.sqlite3")
    assert again.count() == BATCH + 3
    again.close()


# --- the settings


def test_the_defaults(tmp_path: Path) -> None:
    got = parse(config(tmp_path))
    assert (got.url, got.database, got.token_env, got.base_url) == (
        None, tmp_path / "receiver.sqlite3", "INTAKE_RECEIVER_TOKEN", BASE)
    assert got.allowed_origins == {BASE} and got.trusted_proxies == frozenset()
    assert (got.max_body, got.rate_count, got.rate_seconds, got.per_page) == (64 * 1024, 5, 600.0, 500)
    assert got.delete_after_pull is True and got.limits == Limits(name=9)
    assert isinstance(got.rate_seconds, float)


def test_each_setting_is_read(tmp_path: Path) -> None:
    got = parse(config(tmp_path, url="https://empfang.example.de/", database="/srv/r.db", token_env="MY_TOKEN",
                       allowed_origins=["HTTPS://Alt.Example.DE/seite"], trusted_proxies=[" 10.0.0.2 "],
                       max_body=1000, rate_limit={"count": 2, "seconds": 30}, per_page=5000,
                       delete_after_pull=False))
    assert (got.url, got.database, got.token_env) == ("https://empfang.example.de", Path("/srv/r.db"), "MY_TOKEN")
    assert got.allowed_origins == {BASE, "https://alt.example.de"} and got.trusted_proxies == {"10.0.0.2"}
    assert (got.max_body, got.rate_count, got.rate_seconds, got.per_page) == (1000, 2, 30.0, 5000)
    assert got.delete_after_pull is False
    assert parse(config(tmp_path, per_page=1, max_body=0, url="http://a.example")).per_page == 1
    assert parse(config(tmp_path, max_body=0)).max_body == 64 * 1024  # 0: the default, not "nothing fits"
    assert parse(config(tmp_path, url="https://empfang.example.de/X//")).url == "https://empfang.example.de/X"


def test_a_database_under_home_or_relative_to_the_site(tmp_path: Path) -> None:
    assert parse(config(tmp_path, database="~/r.db")).database == Path.home() / "r.db"
    assert parse(config(tmp_path, database="data/r.db")).database == tmp_path / "data" / "r.db"


@pytest.mark.parametrize("settings,message", [
    ({"port": 1}, "intake.receiver.port: unknown setting (allowed: url, database, token_env, trusted_proxies, "
                  "allowed_origins, max_body, rate_limit, per_page, delete_after_pull)"),
    ({"url": "ftp://x"}, "intake.receiver.url: expected the receiver's http(s) address, got 'ftp://x'"),
    ({"url": ""}, "intake.receiver.url: expected a non-empty string, got ''"),
    ({"allowed_origins": "https://a.example"}, "intake.receiver.allowed_origins: expected a list of strings"),
    ({"allowed_origins": [" "]}, "intake.receiver.allowed_origins: expected a list of strings"),
    ({"trusted_proxies": [1]}, "intake.receiver.trusted_proxies: expected a list of strings"),
    ({"rate_limit": 5}, "intake.receiver.rate_limit: expected a mapping, got int"),
    ({"rate_limit": {"per": 5}}, "intake.receiver.rate_limit.per: unknown setting (allowed: count, seconds)"),
    ({"rate_limit": {"count": -1}}, "intake.receiver.rate_limit.count: expected a non-negative integer, got -1"),
    ({"rate_limit": {"seconds": "x"}}, "intake.receiver.rate_limit.seconds: expected a non-negative number"),
    ({"delete_after_pull": "ja"}, "intake.receiver.delete_after_pull: expected true or false, got 'ja'"),
    ({"per_page": 0}, "intake.receiver.per_page: expected 1..5000, got 0"),
    ({"per_page": 5001}, "intake.receiver.per_page: expected 1..5000, got 5001"),
    ({"per_page": 1.5}, "intake.receiver.per_page: expected a non-negative integer"),
    ({"max_body": 1.5}, "intake.receiver.max_body: expected a non-negative integer"),
    ({"token_env": "a-b"}, "intake.receiver.token_env: 'a-b' is not an environment variable name"),
    ({"database": ""}, "intake.receiver.database: expected a non-empty string"),
])
def test_each_wrong_setting_is_named(tmp_path: Path, settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(config(tmp_path, **settings))
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("base_url", ["", "zukunft.example.de", "ftp://zukunft.example.de"])
def test_the_receiver_needs_the_sites_public_address(tmp_path: Path, base_url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(config(tmp_path, base_url))
    assert str(caught.value) == ("base_url: the receiver needs the site's public address (content/site.yaml "
                                 "base_url) for the thank-you redirect and to check where a form was sent from")
    assert parse(config(tmp_path, "http://localhost:8000")).allowed_origins == {"http://localhost:8000"}


def test_an_origin_is_scheme_and_host_in_lower_case() -> None:
    assert origin("HTTPS://Zukunft.Example.DE:8443/themen/?a=1") == "https://zukunft.example.de:8443"
    assert origin("mailto:x") == "mailto://"


# --- the refusal pages


@pytest.mark.parametrize("status,title", [(400, "Der Beitrag wurde nicht angenommen"),
                                          (404, "Seite nicht gefunden"), (413, "Der Beitrag ist zu lang"),
                                          (429, "Zu viele Beiträge in kurzer Zeit"), (418, "Der Beitrag wurde nicht angenommen")])
def test_a_refusal_page_has_its_title_and_escapes_what_it_shows(status: int, title: str) -> None:
    page = pages.refusal(status, "<b>Grund</b> & mehr", 'https://a.example/"x"').decode("utf-8")
    assert f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page
    assert "<p>&lt;b&gt;Grund&lt;/b&gt; &amp; mehr</p>" in page
    assert '<a href="https://a.example/&quot;x&quot;">' in page


# --- the server's set-up


def test_the_token_comes_stripped_from_the_named_variable_and_is_long(tmp_path: Path) -> None:
    settings = parse(config(tmp_path, token_env="MY_TOKEN"))
    assert serve.secret(settings, {"MY_TOKEN": "  0123456789abcdef \n"}) == "0123456789abcdef"
    for env in ({}, {"MY_TOKEN": " 0123456789abcde "}, {"INTAKE_RECEIVER_TOKEN": TOKEN}):
        with pytest.raises(ConfigError) as caught:
            serve.secret(settings, env)
        assert str(caught.value) == (
            "set MY_TOKEN to a long random token (at least 16 characters, e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`); `intake pull` sends the same token")


def test_without_waitress_the_receiver_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, settings = serve.application(config(tmp_path), {"INTAKE_RECEIVER_TOKEN": TOKEN})
    monkeypatch.setitem(sys.modules, "waitress.server", None)  # as if the extra was never installed
    try:
        with pytest.raises(ConfigError) as caught:
            serve.server(app, settings, "127.0.0.1", 0)
        assert str(caught.value) == "the receiver needs waitress: python -m pip install -e '.[receiver]'"
    finally:
        app.store.close()


def test_the_application_is_made_from_the_settings_and_a_refused_token_starts_nothing(tmp_path: Path) -> None:
    made = config(tmp_path, database="r.sqlite3")
    with pytest.raises(ConfigError, match="INTAKE_RECEIVER_TOKEN"):
        serve.application(made, {})
    assert not (tmp_path / "r.sqlite3").exists()
    app, settings = serve.application(made, {"INTAKE_RECEIVER_TOKEN": TOKEN})
    assert settings == parse(made) and app.config == settings and app.token == TOKEN.encode()
    assert app.store.path == tmp_path / "r.sqlite3" and app.store.healthy()
    assert (app.limit.count, app.limit.seconds) == (5, 600.0)
    app.store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_waitress_server_is_bounded_and_uses_our_channel(tmp_path: Path) -> None:
    app, settings = serve.application(config(tmp_path, max_body=1234), {"INTAKE_RECEIVER_TOKEN": TOKEN})
    queue_log = logging.getLogger("waitress.queue")
    queue_log.removeFilter(serve.QUEUE_WARNINGS)  # an earlier server in this process added it
    port = free_port()
    made = serve.server(app, settings, "127.0.0.1", port, threads=3)
    try:
        adj = made.adj
        assert (made.effective_host, int(made.effective_port)) == ("127.0.0.1", port)
        assert made.application is app and made.channel_class is Channel
        assert (adj.threads, adj.channel_timeout, adj.max_request_body_size, adj.connection_limit) == (3, 30, 1234, 500)
        assert adj.ident is None and adj.clear_untrusted_proxy_headers is False  # "": no Server header
        assert queue_log.filters == [serve.QUEUE_WARNINGS]
        assert inspect.signature(serve.server).parameters["threads"].default == serve.THREADS == 64
    finally:
        made.task_dispatcher.shutdown()
        made.close()
        app.store.close()


def test_queue_warnings_pass_once_a_minute() -> None:
    assert serve.QUEUE_WARNINGS.seconds == 60


def test_once_per_lets_a_record_through_again_exactly_a_period_later() -> None:
    now = [0.0]
    once = OncePer(60, clock=lambda: now[0])
    record = logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is 3", None, None)
    assert once.filter(record) and not once.filter(record)
    now[0] = 60.0
    assert once.filter(record)


@pytest.mark.parametrize("will_close,when_flushed,queued,writable", [
    (True, False, 10, True), (False, True, 10, True), (False, False, 10, False),
    (False, False, "mark", True), (False, False, "mark-1", False)])
def test_a_running_requests_connection_is_the_loops_to_send_only_when_closing_or_full(
        tmp_path: Path, will_close: bool, when_flushed: bool, queued: Any, writable: bool) -> None:
    """The loop sends for a running request only when the connection is closing or its answer has reached the
    high-water mark (where the request thread waits for the loop)."""
    root = make_site(tmp_path / "site", intake_section(source="receiver", receiver={
        "url": "http://127.0.0.1:1", "database": str(tmp_path / "r.sqlite3"), "token_env": "RECEIVER_TOKEN"}))
    receiver = Running(root, {"RECEIVER_TOKEN": TOKEN, "INTAKE_HASH_KEY": "k"})
    client = socket.create_connection(("127.0.0.1", receiver.server.effective_port), timeout=10)
    try:
        channel = channel_of(receiver, client)
        mark = channel.adj.outbuf_high_watermark
        with channel.requests_lock:
            channel.requests.append(object())
            channel.will_close, channel.close_when_flushed = will_close, when_flushed
            channel.total_outbufs_len = {"mark": mark, "mark-1": mark - 1}.get(queued, queued)
            assert channel.writable() is writable
            channel.requests.clear()
            channel.will_close = channel.close_when_flushed = False
            channel.total_outbufs_len = 0
    finally:
        client.close()
        receiver.close()


def test_receive_serves_until_ctrl_c_then_stops_its_writer(tmp_path: Path) -> None:
    """`python -m intake receive` in-process: it logs its address, stores a post, and Ctrl-C (a real SIGINT
    to this thread once the server answers) ends it cleanly."""
    made = config(tmp_path, database="r.sqlite3")
    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    log = logging.getLogger("intake.receiver")
    log.addHandler(handler)
    main, codes = threading.main_thread().ident, []

    def visitor() -> None:
        try:
            deadline = time.monotonic() + 30
            while not said and time.monotonic() < deadline:
                time.sleep(0.01)
            url = said[0].split(" on ", 1)[1].split(",", 1)[0]  # http://127.0.0.1:PORT/kommentar
            form = {"topic": "verkehr", "name": "Erika", "body": "Mehr Radwege!", "consent": "ja"}
            codes.append(httpx.post(url, data=form, headers={"Origin": BASE}, timeout=10).status_code)
        finally:
            signal.pthread_kill(main, signal.SIGINT)  # once the server answered (or this failed): no hang

    thread = threading.Thread(target=visitor)
    thread.start()
    old = log.level
    log.setLevel(logging.INFO)
    try:
        serve.run(made, {"INTAKE_RECEIVER_TOKEN": TOKEN}, "127.0.0.1", 0)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C came before the server ran (see the visitor thread's error)")
    finally:
        log.removeHandler(handler)
        log.setLevel(old)
        thread.join(timeout=30)
    assert codes == [303]
    assert said[0].startswith("receiving comments on http://127.0.0.1:") and said[0].endswith(
        f"/kommentar, storing in {tmp_path / 'r.sqlite3'}")
    with sqlite3.connect(tmp_path / "r.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
