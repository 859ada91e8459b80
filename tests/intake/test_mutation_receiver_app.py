"""The receiver's WSGI application called directly, with a real store in tmp_path and no sockets: written for
the mutation run (bench/mutation.py) of intake/receiver/app.py, whose served tests (test_receiver.py) cost
seconds per mutant. Each test pins an answer a changed line broke."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest

from intake.config import Limits
from intake.receiver.app import SECURITY, Receiver
from intake.receiver.guard import RateLimit
from intake.receiver.settings import ReceiverConfig
from intake.receiver.store import Store

BASE = "https://zukunft.example.de"
TOKEN = "pull-token-0123456789abcdef"
FORM = {"topic": "verkehr", "name": "Erika", "email": "erika@example.org", "body": "Mehr Radwege!",
        "consent": "ja"}
NOW = dt.datetime(2026, 11, 30, 9, 5, 7, tzinfo=dt.timezone.utc)
SETTINGS = ReceiverConfig(url=None, database=Path("unused"), token_env="T", base_url=BASE,
                          allowed_origins=frozenset({BASE}), trusted_proxies=frozenset(), max_body=4096,
                          rate_count=0, rate_seconds=600.9, per_page=3, delete_after_pull=True, limits=Limits())


class Answer:
    """What the application started and returned."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.code = int(status.split()[0])

    def header(self, name: str) -> str | None:
        return dict(self.headers).get(name)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        assert self.header("Content-Type") == "application/json"
        return json.loads(self.body)


def call(app: Receiver, method: str, path: str, body: bytes = b"", **environ: str) -> Answer:
    """One request through the WSGI interface, as waitress makes it."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(body),
           "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "198.51.100.4", **environ}
    chunks = app(env, lambda status, headers: started.append((status, headers)))
    return Answer(started[0][0], started[0][1], b"".join(chunks))


def post(app: Receiver, fields: dict[str, str] | None = None, **environ: str) -> Answer:
    environ = {"CONTENT_TYPE": "application/x-www-form-urlencoded", "HTTP_ORIGIN": BASE, **environ}
    return call(app, "POST", "/kommentar", urlencode(fields if fields is not None else FORM).encode(), **environ)


def api(app: Receiver, method: str, path: str, body: bytes = b"", **environ: str) -> Answer:
    return call(app, method, path, body, HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **environ)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(tmp_path / "r.sqlite3", wait=10)
    yield made
    made.close()


def receiver(store: Store, **settings: Any) -> Receiver:
    config = replace(SETTINGS, **settings)
    return Receiver(config, store, TOKEN, RateLimit(config.rate_count, config.rate_seconds), now=lambda: NOW)


def test_a_post_is_stored_at_its_time_and_answered_with_a_bare_303_to_the_thank_you_page(store: Store) -> None:
    answer = post(receiver(store), {**FORM, "topic": "rad-weg"})
    assert answer.status == "303 See Other" and answer.body == b""
    assert answer.headers == [("Location", f"{BASE}/danke/?thema=rad-weg"), ("Content-Length", "0"), *SECURITY]
    [row] = store.page(0, 10)
    assert row["received_at"] == "2026-11-30T09:05:07Z" and row["data"] == {**FORM, "topic": "rad-weg"}


def test_only_the_announced_length_of_the_body_is_read(store: Store) -> None:
    app = receiver(store)
    body = urlencode(FORM).encode()
    answer = call(app, "POST", "/kommentar", body + b"&name=Mallory", CONTENT_LENGTH=str(len(body)),
                  CONTENT_TYPE="application/x-www-form-urlencoded", HTTP_ORIGIN=BASE)
    assert answer.code == 303 and store.page(0, 10)[0]["data"]["name"] == "Erika"


def test_a_body_of_exactly_the_limit_is_taken_one_byte_more_is_413(store: Store) -> None:
    size = len(urlencode(FORM).encode())
    assert post(receiver(store, max_body=size)).code == 303
    big = post(receiver(store, max_body=size - 1))
    assert big.status == "413 Request Entity Too Large" and "größer, als dieses Formular annimmt" in big.text
    assert len(store.page(0, 10)) == 1


@pytest.mark.parametrize("length", ["-1", "zwölf"])
def test_a_negative_or_unreadable_length_is_413(store: Store, length: str) -> None:
    answer = post(receiver(store), CONTENT_LENGTH=length)
    assert answer.code == 413 and store.count() == 0


def test_no_length_reads_no_body_and_the_empty_form_is_refused(store: Store) -> None:
    answer = call(receiver(store), "POST", "/kommentar", urlencode(FORM).encode(), CONTENT_LENGTH="",
                  CONTENT_TYPE="application/x-www-form-urlencoded", HTTP_ORIGIN=BASE)
    assert answer.code == 400 and store.count() == 0


def test_a_foreign_origin_is_403_with_its_reason(store: Store) -> None:
    answer = post(receiver(store), HTTP_ORIGIN="https://evil.example")
    assert answer.status == "403 Forbidden" and "nicht von unserer Seite aus gesendet" in answer.text
    assert store.count() == 0


def test_the_rate_limit_is_429_with_whole_seconds_to_wait(store: Store) -> None:
    app = receiver(store, rate_count=1)
    assert post(app).code == 303
    answer = post(app)
    assert answer.status == "429 Too Many Requests" and answer.header("Retry-After") == "600"
    assert "sehr viele Beiträge" in answer.text and store.count() == 1


def test_a_refused_form_is_its_page_and_logged_by_status_only(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        answer = post(receiver(store), {**FORM, "consent": ""})
    assert answer.status == "400 Bad Request" and "veröffentlicht werden darf" in answer.text
    assert [r.getMessage() for r in caplog.records] == ["refused a submission (HTTP 400)"]


def test_a_page_is_german_html_with_its_length_the_security_headers_and_a_way_back(store: Store) -> None:
    answer = call(receiver(store), "GET", "/kommentar")
    assert answer.status == "405 Method Not Allowed"
    assert answer.headers == [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(answer.body))),
                              *SECURITY, ("Allow", "POST")]
    assert "nimmt nur das Kommentarformular entgegen" in answer.text and f'href="{BASE}/"' in answer.text


@pytest.mark.parametrize("method,path", [("GET", "/"), ("POST", "/health"), ("GET", "/kommentar/"), ("GET", "/api")])
def test_other_addresses_are_404(store: Store, method: str, path: str) -> None:
    answer = call(receiver(store), method, path)
    assert answer.status == "404 Not Found" and "Unter dieser Adresse gibt es nichts." in answer.text


def test_a_request_without_method_or_path_is_a_get_of_the_root(store: Store) -> None:
    chunks = receiver(store)({"wsgi.input": io.BytesIO(b"")}, lambda status, headers: None)
    assert "Unter dieser Adresse gibt es nichts." in b"".join(chunks).decode()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_health_counts_what_waits_and_says_when_posts_cannot_be_stored(tmp_path: Path, method: str) -> None:
    store = Store(tmp_path / "r.sqlite3", wait=0.05)
    app = receiver(store)
    assert post(app).code == 303
    answer = call(app, method, "/health")
    assert answer.status == "200 OK" and answer.json() == {"status": "ok", "waiting": 1}
    store.close()
    down = call(app, method, "/health")
    assert down.status == "503 Service Unavailable" and down.json() == {"status": "cannot store posts"}


def test_a_post_the_store_cannot_take_is_a_500_page_and_a_logged_traceback(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = Store(tmp_path / "r.sqlite3", wait=0.05)
    store.close()  # the writer is gone: the commit never comes
    with caplog.at_level(logging.ERROR, logger="intake.receiver"):
        answer = post(receiver(store))
    assert answer.status == "500 Internal Server Error" and "in einigen Minuten noch einmal" in answer.text
    assert [r.getMessage() for r in caplog.records] == ["internal error on POST /kommentar"]
    assert caplog.records[0].exc_info is not None


@pytest.mark.parametrize("header", [None, "", f"Basic {TOKEN}", f"bearer {TOKEN}", f"Bearer {TOKEN}x",
                                    f"Bearer{TOKEN}", "Bearer "])
def test_the_api_wants_the_bearer_token(store: Store, header: str | None, caplog: pytest.LogCaptureFixture) -> None:
    app = receiver(store)
    post(app)
    environ = {} if header is None else {"HTTP_AUTHORIZATION": header}
    with caplog.at_level(logging.WARNING, logger="intake.receiver"):
        answer = call(app, "GET", "/api/submissions", **environ)
    assert answer.status == "401 Unauthorized" and answer.json() == {"error": "token missing or wrong"}
    assert answer.header("WWW-Authenticate") == "Bearer" and "Erika" not in answer.text
    assert [r.getMessage() for r in caplog.records] == ["pull API: refused a request without the right token"]


def test_the_token_may_have_space_around_it(store: Store) -> None:
    answer = call(receiver(store), "GET", "/api/submissions", HTTP_AUTHORIZATION=f"Bearer  {TOKEN} ")
    assert answer.code == 200


def test_pages_of_the_api_follow_the_cursor_and_end_without_a_next(store: Store) -> None:
    app = receiver(store)
    for n in range(5):
        post(app, {**FORM, "name": f"P{n}", "body": "Grüße"})
    first = api(app, "GET", "/api/submissions")
    assert first.header("Content-Length") == str(len(first.body)) and "Grüße".encode() in first.body
    data = first.json()
    assert [s["data"]["name"] for s in data["submissions"]] == ["P0", "P1", "P2"]
    assert data["next"] == f"/api/submissions?after={data['submissions'][-1]['seq']}&limit=3"
    rest = api(app, "GET", "/api/submissions", QUERY_STRING=data["next"].split("?")[1]).json()
    assert [s["data"]["name"] for s in rest["submissions"]] == ["P3", "P4"] and rest["next"] is None


@pytest.mark.parametrize("query,names", [("limit=1", ["P0"]), ("limit=0", ["P0"]), ("limit=99", ["P0", "P1", "P2"]),
                                         ("after=-5&limit=2", ["P0", "P1"]), ("limit=9&limit=2", ["P0", "P1"]),
                                         ("after=1&after=3", ["P3"])])
def test_the_page_size_is_between_1_and_per_page_and_the_last_repeat_counts(store: Store, query: str,
                                                                            names: list[str]) -> None:
    app = receiver(store)
    for n in range(4):
        post(app, {**FORM, "name": f"P{n}"})
    got = api(app, "GET", "/api/submissions", QUERY_STRING=query).json()
    assert [s["data"]["name"] for s in got["submissions"]] == names


@pytest.mark.parametrize("query", ["after=x", "limit=1.5"])
def test_a_cursor_that_is_no_integer_is_400(store: Store, query: str) -> None:
    answer = api(receiver(store), "GET", "/api/submissions", QUERY_STRING=query)
    assert answer.status == "400 Bad Request" and answer.json() == {"error": "after and limit must be integers"}


def ids(store: Store) -> list[str]:
    return [s["id"] for s in store.page(0, 100)]


def test_one_submission_is_deleted_by_its_id_and_a_second_delete_finds_nothing(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    app = receiver(store)
    post(app), post(app)
    first = ids(store)[0]
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        answer = api(app, "DELETE", f"/api/submissions/{first}")
    assert answer.status == "200 OK" and answer.json() == {"deleted": 1}
    assert f"pull API: deleted submission {first}" in [r.getMessage() for r in caplog.records]
    again = api(app, "DELETE", f"/api/submissions/{first}")
    assert again.status == "404 Not Found" and again.json() == {"deleted": 0} and store.count() == 1


@pytest.mark.parametrize("method,path,status", [
    ("DELETE", "/api/submissions/" + "A" * 24, 404), ("DELETE", "/api/submissions/" + "a" * 23, 404),
    ("DELETE", "/api/submissions/x/" + "a" * 24, 404), ("GET", "/api/submissions/" + "a" * 24, 404),
    ("POST", "/api/submissions", 405), ("DELETE", "/api/submissions", 405), ("GET", "/api/submissions/delete", 404)])
def test_other_api_calls_are_refused_and_delete_nothing(store: Store, method: str, path: str, status: int) -> None:
    app = receiver(store)
    post(app)
    answer = api(app, method, path)
    assert answer.code == status and answer.json() == {"error": "no such API call"} and store.count() == 1


def test_a_pulled_batch_is_deleted_in_one_call_and_the_log_truncated(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    app = receiver(store)
    for _ in range(3):
        post(app)
    wal = Path(str(store.path) + "-wal")
    assert wal.stat().st_size > 0
    wanted = ids(store)[:2] + ["f" * 24]
    with caplog.at_level(logging.INFO, logger="intake.receiver"):
        answer = api(app, "POST", "/api/submissions/delete", json.dumps({"ids": wanted}).encode())
    assert answer.status == "200 OK" and answer.json() == {"deleted": 2} and store.count() == 1
    assert wal.stat().st_size == 0  # the deleted rows' pages left the log
    assert "pull API: deleted 2 of 3 submissions" in [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("body,length,error", [
    (b'{"ids": []', None, "expected"), (b"", None, "expected"), (b'{"ids": ["' + b"a" * 24 + b'"]}', "0", "expected"),
    (b'{"ids": []}' + b" " * (1 << 20), None, "expected"), (b'{"keys": []}', None, "expected"),
    (b'{"ids": "' + b"a" * 24 + b'"}', None, "ids must"), (b'{"ids": [1]}', None, "ids must"),
    (b'{"ids": ["' + b"a" * 23 + b'"]}', None, "ids must"), (b'["ids"]', None, "expected"),
    (b'{"ids": ["' + b"a" * 24 + b'\\n"]}', None, "ids must"), (b"\xff", None, "expected")])
def test_a_batch_delete_that_is_no_list_of_ids_is_400(store: Store, body: bytes, length: str | None,
                                                      error: str) -> None:
    app = receiver(store)
    post(app)
    environ = {} if length is None else {"CONTENT_LENGTH": length}
    answer = api(app, "POST", "/api/submissions/delete", body, **environ)
    assert answer.status == "400 Bad Request" and answer.json()["error"].startswith(error)
    assert store.count() == 1


def test_a_batch_of_exactly_1_mib_is_read(store: Store) -> None:
    app = receiver(store)
    post(app)
    body = json.dumps({"ids": ids(store)}).encode()
    answer = api(app, "POST", "/api/submissions/delete", body + b" " * ((1 << 20) - len(body)))
    assert answer.json() == {"deleted": 1}


def test_what_is_stored_is_the_json_of_the_fields_as_written(store: Store, tmp_path: Path) -> None:
    post(receiver(store), {**FORM, "name": "Jürgen"})
    with sqlite3.connect(store.path) as db:
        [(data,)] = db.execute("SELECT data FROM submissions").fetchall()
    assert '"Jürgen"' in data


REFUSALS = [
    (lambda app: post(app, CONTENT_LENGTH="-1"), "413", "Der Beitrag ist größer, als dieses Formular annimmt."),
    (lambda app: post(app, HTTP_ORIGIN="https://evil.example"), "403",
     "Das Formular wurde nicht von unserer Seite aus gesendet."),
    (lambda app: [post(app) for _ in range(2)][-1], "429", "Von Ihrem Anschluss kamen gerade sehr viele Beiträge. "
                                                           "Bitte warten Sie einige Minuten und senden Sie dann erneut."),
    (lambda app: call(app, "GET", "/kommentar"), "405", "Diese Adresse nimmt nur das Kommentarformular entgegen."),
    (lambda app: call(app, "GET", "/nichts"), "404", "Unter dieser Adresse gibt es nichts."),
    (lambda app: call(app, "POST", "/kommentar", urlencode(FORM).encode(), HTTP_ORIGIN=BASE), "400",
     "Das Formular kam in einem unbekannten Format an."),
]


@pytest.mark.parametrize("send,status,message", REFUSALS, ids=[r[1] for r in REFUSALS])
def test_each_refusal_says_exactly_why_under_its_own_title(store: Store, send: Any, status: str,
                                                           message: str) -> None:
    answer = send(receiver(store, rate_count=1))
    assert answer.status.startswith(status) and f"<p>{message}</p>" in answer.text
    title = {"404": "Seite nicht gefunden", "405": "Diese Adresse nimmt nur Formulare an",
             "413": "Der Beitrag ist zu lang", "429": "Zu viele Beiträge in kurzer Zeit"}.get(
        status, "Der Beitrag wurde nicht angenommen")
    assert f"<title>{title}</title>" in answer.text


def test_the_500_page_says_exactly_what_to_do(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3", wait=0.05)
    store.close()
    answer = post(receiver(store))
    assert "<p>Ihr Beitrag konnte gerade nicht gespeichert werden. Bitte versuchen Sie es in einigen Minuten noch " \
           "einmal.</p>" in answer.text and "<title>Ein Fehler auf unserer Seite</title>" in answer.text


def test_a_request_without_a_method_is_a_get(store: Store) -> None:
    chunks = receiver(store)({"PATH_INFO": "/health", "wsgi.input": io.BytesIO(b"")}, lambda status, headers: None)
    assert json.loads(b"".join(chunks)) == {"status": "ok", "waiting": 0}


def test_a_batch_delete_reads_only_its_announced_length(store: Store) -> None:
    app = receiver(store)
    post(app)
    body = json.dumps({"ids": ids(store)}).encode()
    answer = api(app, "POST", "/api/submissions/delete", body + b"trailing bytes", CONTENT_LENGTH=str(len(body)))
    assert answer.json() == {"deleted": 1}


def test_a_batch_delete_error_is_worded_in_full(store: Store) -> None:
    answer = api(receiver(store), "POST", "/api/submissions/delete", b"{")
    assert answer.json() == {"error": 'expected {"ids": [...]} of at most 1 MiB'}
    wrong = api(receiver(store), "POST", "/api/submissions/delete", b'{"ids": [1]}')
    assert wrong.json() == {"error": "ids must be submission ids"}


def test_the_clock_is_utc() -> None:
    from intake.receiver.app import utc_now

    now = utc_now()
    assert now.utcoffset() == dt.timedelta(0)
    assert abs((now - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 60
