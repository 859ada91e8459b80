"""The fetcher's edges: the gaps the mutation run (bench/mutation.py) found in intake/http.py (MockTransport;
the over-the-wire behaviour is in test_hostile_backend.py)."""

from __future__ import annotations

import email.utils
import random
from typing import Callable

import httpx
import pytest

from intake.config import HttpPolicy
from intake.http import Call, Fetcher, FetchError, same_origin, settle, shown, timeout

NOW = 1_800_000_000.0
POLICY = HttpPolicy(retries=2, backoff_base=1.0, backoff_max=4.0, max_wait=60, request_deadline=30,
                    pull_deadline=100, max_bytes=10)


class Clock:
    """A clock the test moves; every sleep moves it too."""

    def __init__(self) -> None:
        self.now = NOW
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def fetcher(replies: list[Callable[[httpx.Request], httpx.Response]], policy: HttpPolicy = POLICY,
            clock: Clock | None = None) -> tuple[Fetcher, Clock, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    clock = clock or Clock()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return replies[min(len(seen), len(replies)) - 1](request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(client, policy, sleep=clock.sleep, clock=clock, rng=random.Random(1)), clock, seen


def reply(code: int, body: bytes = b"[]", **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, headers=headers, content=body)


def test_timeouts_never_exceed_the_time_left() -> None:
    policy = HttpPolicy(timeout=15.0, connect_timeout=5.0)
    assert timeout(policy) == httpx.Timeout(15.0, connect=5.0)
    assert timeout(policy, 100.0) == httpx.Timeout(15.0, connect=5.0)
    assert timeout(policy, 7.0) == httpx.Timeout(7.0, connect=5.0)
    assert timeout(policy, 2.0) == httpx.Timeout(2.0, connect=2.0)
    assert timeout(policy, -1.0) == httpx.Timeout(0.001, connect=0.001)


def test_same_origin_is_scheme_host_and_port() -> None:
    assert same_origin("https://a.test/x?p=1", httpx.URL("https://a.test/y"))
    assert not same_origin("https://a.test/", "http://a.test/")
    assert not same_origin("https://a.test/", "https://b.test/")
    assert not same_origin("https://a.test:8443/", "https://a.test/")


def test_shown_makes_one_bounded_printable_line() -> None:
    assert shown("a\nb\x1b[31mc") == "a?b?[31mc"
    assert shown("x" * 200) == "x" * 200
    assert shown("x" * 201) == "x" * 200 + "…"
    assert shown("abcdef", 3) == "abc…"


def test_a_call_is_named_by_method_and_shown_url_and_reads_only_wanted_bodies() -> None:
    call = Call("GET", "http://a.test/\n")
    assert call.what == "GET http://a.test/?"
    assert call.wants_body(httpx.Response(200)) and call.wants_body(httpx.Response(299))
    assert not call.wants_body(httpx.Response(300)) and not call.wants_body(httpx.Response(199))
    assert not Call("GET", "u", ok_statuses=(200,)).wants_body(httpx.Response(200))
    assert not Call("DELETE", "u", want_json=False).wants_body(httpx.Response(200))


@pytest.mark.parametrize("headers, wait", [
    ({"Retry-After": " 7 "}, 7.0),
    ({"Retry-After": email.utils.formatdate(NOW - 50, usegmt=True)}, 0.0),  # a date already past: go now
    ({"Retry-After": "bald", "X-RateLimit-Reset": "5"}, 5.0),  # unreadable: the next header decides
    ({"X-RateLimit-Reset": str(int(NOW) - 10)}, 0.0),
    ({"X-RateLimit-Reset": "1000000001"}, 0.0),  # just past 1e9: an epoch (long gone), not a delay
    ({"X-RateLimit-Reset": "1000000000"}, 1e9),  # up to 1e9: a delay in seconds
])
def test_rate_limit_waits(headers: dict[str, str], wait: float) -> None:
    f, _, _ = fetcher([])
    assert f.rate_limit_wait(httpx.Response(429, headers=headers), 0) == wait


def test_a_rate_limit_wait_of_exactly_max_wait_is_waited_for() -> None:
    f, clock, seen = fetcher([reply(429, **{"Retry-After": "60"}), reply(200)])
    assert f.get_json("http://a.test/x")[0] == []
    assert clock.sleeps == [60.0] and f.retried == 1 and f.requests == 2


def test_giving_up_names_the_attempts_and_the_last_problem() -> None:
    f, clock, seen = fetcher([reply(429, **{"Retry-After": "3"})])
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: giving up after 3 attempts; last problem: "
                                         r"rate limited \(HTTP 429\), asked to wait 3 s$"):
        f.get_json("http://a.test/x")
    assert clock.sleeps == [3.0, 3.0] and len(seen) == 3 and f.requests == 3 and f.retried == 2


def test_no_retries_means_one_attempt_and_no_sleep() -> None:
    f, clock, seen = fetcher([reply(503)], HttpPolicy(retries=0))
    with pytest.raises(FetchError, match="giving up after 1 attempts; last problem: HTTP 503$"):
        f.get_json("http://a.test/x")
    assert clock.sleeps == [] and len(seen) == 1


def test_a_retry_wait_past_the_pull_deadline_ends_the_pull_at_once() -> None:
    f, clock, seen = fetcher([reply(429, **{"Retry-After": "50"})], HttpPolicy(max_wait=60, pull_deadline=100))
    clock.now += 50  # exactly at the deadline after the wait
    with pytest.raises(FetchError, match=r"the pull took longer than intake.http.pull_deadline \(100 s\)"):
        f.get_json("http://a.test/x")
    assert clock.sleeps == [] and len(seen) == 1


def test_a_request_after_its_deadline_is_not_sent() -> None:
    f, clock, seen = fetcher([reply(200)])
    clock.now += 100
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: the pull took longer than"):
        f.get_json("http://a.test/x")
    assert seen == []


def test_the_request_deadline_message_names_the_request_deadline() -> None:
    f, _, _ = fetcher([])
    assert str(f.out_of_time("GET u", NOW + 30)) == ("GET u: no complete answer within intake.http.request_deadline "
                                                     "(30 s); the backend stalls or drips its answer")
    assert "pull_deadline (100 s); what was stored is kept, run pull again" in str(f.out_of_time("GET u", NOW + 100))


def test_a_body_of_exactly_max_bytes_is_read_and_one_more_is_refused() -> None:
    f, _, _ = fetcher([reply(200, b'"12345678"'), reply(200, b'"123456789"')])
    assert f.get_json("http://a.test/x")[0] == "12345678"
    with pytest.raises(FetchError, match=r"announces 11 bytes, more than intake.http.max_bytes \(10\); not read$"):
        f.get_json("http://a.test/x")


def test_a_streamed_body_past_max_bytes_is_refused_without_a_length() -> None:
    def chunks(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"[1,2,", b"3,4,5,6]"]))

    f, _, _ = fetcher([chunks])
    with pytest.raises(FetchError, match=r"larger than intake.http.max_bytes \(10 bytes\); stopped reading$"):
        f.get_json("http://a.test/x")


def test_a_redirect_names_where_it_pointed_and_is_not_retried() -> None:
    f, clock, seen = fetcher([reply(301, Location="https://b.test/" + "n" * 300)])
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: HTTP 301 redirect to https://b.test/n{185}… not "
                                         r"followed \(the token goes only to the configured host\)"):
        f.get_json("http://a.test/x")
    assert len(seen) == 1 and clock.sleeps == []


def test_a_redirect_without_location_says_so() -> None:
    with pytest.raises(FetchError, match="HTTP 302 redirect to \\? not followed"):
        settle(Call("GET", "u"), httpx.Response(302), b"")


def test_other_client_errors_have_no_hint_and_server_errors_are_a_problem_to_retry() -> None:
    with pytest.raises(FetchError, match=r"^GET u: HTTP 400$"):
        settle(Call("GET", "u"), httpx.Response(400), b"")
    with pytest.raises(FetchError, match=r"^GET u: HTTP 499$"):
        settle(Call("GET", "u"), httpx.Response(499), b"")
    assert settle(Call("GET", "u"), httpx.Response(500), b"") == "HTTP 500"
    assert settle(Call("GET", "u"), httpx.Response(200), b"{") == "truncated or malformed JSON body"


def test_answers_without_a_body_are_done() -> None:
    gone = httpx.Response(404)
    assert settle(Call("DELETE", "u", want_json=False, ok_statuses=(404,)), gone, b"") == (None, gone)
    done = httpx.Response(204)
    assert settle(Call("DELETE", "u", want_json=False), done, b"") == (None, done)


def test_a_delete_sends_delete_with_the_headers_and_reads_no_body() -> None:
    f, _, seen = fetcher([reply(200, b"not json")])
    f.delete("http://a.test/s/1", headers={"Authorization": "Bearer t"})
    assert (seen[0].method, seen[0].headers["authorization"]) == ("DELETE", "Bearer t")


def test_a_get_sends_params_and_headers() -> None:
    f, _, seen = fetcher([reply(200)])
    f.get_json("http://a.test/x", params={"page": 2}, headers={"X-A": "b"})
    assert str(seen[0].url) == "http://a.test/x?page=2" and seen[0].headers["x-a"] == "b"


def test_a_post_sends_its_json_payload() -> None:
    f, _, seen = fetcher([reply(200, b"{}")])
    assert f.request(Call("POST", "http://a.test/d", payload={"ids": ["a"]}))[0] == {}
    assert seen[0].content == b'{"ids":["a"]}' or seen[0].content == b'{"ids": ["a"]}'


def test_a_transport_error_without_a_message_still_says_what_it_was() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("", request=request)

    f, _, _ = fetcher([fail], HttpPolicy(retries=0))
    with pytest.raises(FetchError, match="last problem: ConnectError: no detail$"):
        f.get_json("http://a.test/x")


def test_a_429_without_a_wait_header_backs_off_as_for_its_attempt() -> None:
    f, _, _ = fetcher([])
    assert 2.0 <= f.rate_limit_wait(httpx.Response(429), 2) <= 4.0  # ceiling min(4, 1 * 2**2)
    assert 0.5 <= f.rate_limit_wait(httpx.Response(429, headers={"Retry-After": "bald"}), 0) <= 1.0


def dripping(clock: Clock, then: Callable[[], None]) -> Callable[[httpx.Request], httpx.Response]:
    """A body whose first chunk arrives, then the clock stands exactly at the request deadline and `then` runs."""
    def body() -> object:
        yield b"[1"
        clock.now = NOW + POLICY.request_deadline
        then()
        yield b"]"
    return lambda request: httpx.Response(200, content=body())


def test_a_body_still_arriving_at_the_request_deadline_is_cut_there() -> None:
    clock = Clock()
    f, _, _ = fetcher([dripping(clock, lambda: None)], clock=clock)
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: no complete answer within "
                                         r"intake.http.request_deadline \(30 s\)"):
        f.get_json("http://a.test/x")


def test_a_read_timeout_at_the_request_deadline_is_the_deadline_not_a_retry() -> None:
    def timed_out() -> None:
        raise httpx.ReadTimeout("slow")

    clock = Clock()
    f, _, seen = fetcher([dripping(clock, timed_out)], clock=clock)
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: no complete answer within "
                                         r"intake.http.request_deadline \(30 s\)"):
        f.get_json("http://a.test/x")
    assert len(seen) == 1 and clock.sleeps == []


def test_300_multiple_choices_is_a_redirect_too() -> None:
    with pytest.raises(FetchError, match=r"^GET u: HTTP 300 redirect to /a not followed \(the token goes only to the "
                                         r"configured host\); put the new address in the config$"):
        settle(Call("GET", "u"), httpx.Response(300, headers={"Location": "/a"}, content=b"[]"), b"[]")


@pytest.mark.parametrize("code, hint", [
    (401, " (token rejected: check the environment variable named by token_env)"),
    (403, " (token lacks access to this site or form)"),
    (404, " (not found: check site_id, form_name, form_id or url)")])
def test_client_errors_an_editor_meets_come_with_a_next_step(code: int, hint: str) -> None:
    with pytest.raises(FetchError) as caught:
        settle(Call("GET", "u"), httpx.Response(code), b"")
    assert str(caught.value) == f"GET u: HTTP {code}{hint}"


def test_a_429_without_headers_in_a_request_waits_a_backoff() -> None:
    f, clock, _ = fetcher([reply(429), reply(200)])
    assert f.get_json("http://a.test/x")[0] == [] and len(clock.sleeps) == 1 and 0.5 <= clock.sleeps[0] <= 1.0


def test_a_rate_limit_over_max_wait_says_to_run_again_later() -> None:
    f, _, _ = fetcher([reply(429, **{"Retry-After": "61"})])
    with pytest.raises(FetchError) as caught:
        f.get_json("http://a.test/x")
    assert str(caught.value) == ("GET http://a.test/x: rate limited (HTTP 429), asked to wait 61 s, more than "
                                 "intake.http.max_wait; run pull again later")


def test_a_retry_past_the_pull_deadline_names_the_request() -> None:
    f, clock, _ = fetcher([reply(503)], HttpPolicy(backoff_base=50, backoff_max=50, pull_deadline=60))
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: the pull took longer than"):
        f.get_json("http://a.test/x")


def test_a_request_gets_no_longer_timeout_than_its_deadline_leaves() -> None:
    f, _, seen = fetcher([reply(200)], HttpPolicy(timeout=15, connect_timeout=5, request_deadline=4))
    f.get_json("http://a.test/x")
    assert seen[0].extensions["timeout"] == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}


def test_headers_that_do_not_come_within_the_request_deadline_end_the_request() -> None:
    """Real time, bounded: the answer would come after 0.6 s, the deadline is 0.2 s."""
    import threading
    gone = threading.Event()

    def late(request: httpx.Request) -> httpx.Response:
        gone.wait(0.6)
        return httpx.Response(200, content=b"[]")

    client = httpx.Client(transport=httpx.MockTransport(late))
    f = Fetcher(client, HttpPolicy(retries=0, request_deadline=0.2), sleep=lambda s: None)
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: no complete answer within "
                                         r"intake.http.request_deadline \(0.2 s\)"):
        f.get_json("http://a.test/x")
    gone.set()


def test_a_timeout_raised_exactly_at_the_request_deadline_is_the_deadline() -> None:
    clock = Clock()

    def timed_out(request: httpx.Request) -> httpx.Response:
        clock.now = NOW + POLICY.request_deadline
        raise httpx.ReadTimeout("slow", request=request)

    f, _, seen = fetcher([timed_out], clock=clock)
    with pytest.raises(FetchError, match=r"^GET http://a.test/x: no complete answer within "
                                         r"intake.http.request_deadline \(30 s\)"):
        f.get_json("http://a.test/x")
    assert len(seen) == 1


def test_a_delete_never_reads_the_answers_body() -> None:
    f, _, _ = fetcher([reply(200, b"x" * 100)])  # over max_bytes (10): read, it would be refused
    f.delete("http://a.test/s/1")


def test_the_jitter_spans_the_upper_half_up_to_the_ceiling() -> None:
    f, _, _ = fetcher([], HttpPolicy(backoff_base=8.0, backoff_max=8.0))
    waits = [f.backoff(0) for _ in range(200)]
    assert 4.0 <= min(waits) < 4.5 and 7.5 < max(waits) <= 8.0
