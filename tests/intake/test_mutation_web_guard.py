"""The review page's guard checked directly: token and session strength, undecodable tokens, the Origin
and Referer headers by their names. The gaps a mutation run (bench/mutation.py) found in intake/web/guard.py
(the guard over real sockets is in test_review_web_guard.py)."""

from __future__ import annotations

import pytest

from intake.web.guard import COOKIE, Guard, Session

LONE_SURROGATE = "\udcff"  # what a decoder with surrogateescape leaves of a byte that is no UTF-8


def test_the_token_and_each_session_id_carry_32_random_bytes() -> None:
    guard = Guard(8000)
    sid = guard.login(guard.token)
    assert sid is not None and len(guard.token) == len(sid) == 43  # base64 of 32 bytes, unpadded
    assert Guard(8000).token != guard.token and guard.login(guard.token) != sid
    assert Guard(8000, "given").token == "given"


@pytest.mark.parametrize("token", [LONE_SURROGATE, "ä" + LONE_SURROGATE, ""])
def test_a_token_that_is_no_text_is_refused_not_an_error(token: str) -> None:
    assert Guard(8000).login(token) is None


def test_a_csrf_value_that_is_no_text_is_refused_not_an_error() -> None:
    session = Session()
    assert not Guard.csrf_ok(session, LONE_SURROGATE) and not Guard.csrf_ok(session, None)
    assert Guard.csrf_ok(session, session.csrf) and not Guard.csrf_ok(session, session.csrf + LONE_SURROGATE)


def test_origin_and_referer_are_read_by_their_header_names() -> None:
    guard = Guard(8000)
    assert guard.origin_ok({"Origin": "http://localhost:8000"})
    assert not guard.origin_ok({"Origin": "http://localhost:8001", "Referer": "http://localhost:8000/"})
    assert guard.origin_ok({"Referer": "http://127.0.0.1:8000/"}) and guard.origin_ok({"Referer": "http://127.0.0.1:8000"})
    assert not guard.origin_ok({"Referer": "http://127.0.0.1:8000.evil.example/"}) and not guard.origin_ok({})


def test_a_session_is_found_only_by_its_own_cookie() -> None:
    guard = Guard(8000)
    sid = guard.login(guard.token)
    assert guard.session(f"{COOKIE}={sid}") is not None and guard.session(None) is None
    assert guard.session(f"other={sid}") is None and guard.session('bad"cookie') is None
