"""The retrying fetcher against httpx.MockTransport: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

import email.utils
import random
from typing import Callable

import httpx
import pytest

from intake.config import HttpPolicy
from intake.http import Fetcher, FetchError

POLICY = HttpPolicy(retries=4, backoff_base=1.0, backoff_max=4.0, max_wait=60)
NOW = 1_800_000_000.0


def fetcher(replies: list[Callable[[httpx.Request], httpx.Response]], policy: HttpPolicy = POLICY
            ) -> tuple[Fetcher, list[float], list[httpx.Request]]:
    """A fetcher whose transport answers with the given replies in order; sleeps are recorded."""
    seen: list[httpx.Request] = []
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return replies[min(len(seen), len(replies)) - 1](request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(client, policy, sleep=sleeps.append, clock=lambda: NOW, rng=random.Random(1)), sleeps, seen


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[{"id": "a"}])


def status(code: int, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, headers=headers, text="nope")


def test_429_waits_for_retry_after_seconds() -> None:
    f, sleeps, _ = fetcher([status(429, **{"Retry-After": "7"}), ok])
    assert f.get_json("http://api.test/x")[0] == [{"id": "a"}]
    assert sleeps == [7.0]


def test_429_waits_for_retry_after_http_date_and_ratelimit_reset() -> None:
    date = email.utils.formatdate(NOW + 12, usegmt=True)
    f, sleeps, _ = fetcher([status(429, **{"Retry-After": date}), status(429, **{"X-RateLimit-Reset": str(int(NOW) + 3)}),
                            status(429, **{"X-RateLimit-Reset": "2"}), ok])
    f.get_json("http://api.test/x")
    assert sleeps == [12.0, 3.0, 2.0]


def test_rate_limit_longer_than_max_wait_gives_up_with_a_message() -> None:
    f, _, _ = fetcher([status(429, **{"Retry-After": "3600"})])
    with pytest.raises(FetchError, match="more than intake.http.max_wait"):
        f.get_json("http://api.test/x")


@pytest.mark.parametrize("failure", [
    status(500), status(502), status(503),
    lambda r: httpx.Response(200, content=b'[{"id": "a"'),  # truncated body
    lambda r: (_ for _ in ()).throw(httpx.RemoteProtocolError("peer closed connection", request=r)),
    lambda r: (_ for _ in ()).throw(httpx.ConnectError("connection refused", request=r)),
    lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r)),
])
def test_transient_failures_are_retried_with_capped_jittered_backoff(failure) -> None:
    f, sleeps, seen = fetcher([failure, failure, failure, ok])
    assert f.get_json("http://api.test/x")[0] == [{"id": "a"}]
    assert len(seen) == 4 and f.retried == 3
    for attempt, slept in enumerate(sleeps):
        ceiling = min(POLICY.backoff_max, POLICY.backoff_base * 2 ** attempt)
        assert ceiling / 2 <= slept <= ceiling


def test_persistent_failure_gives_up_after_the_configured_attempts() -> None:
    f, sleeps, seen = fetcher([status(502)])
    with pytest.raises(FetchError, match="giving up after 5 attempts; last problem: HTTP 502"):
        f.get_json("http://api.test/x")
    assert len(seen) == 5 and len(sleeps) == 4
    assert max(sleeps) <= POLICY.backoff_max


@pytest.mark.parametrize("code, hint", [(401, "token rejected"), (403, "lacks access"), (404, "not found")])
def test_client_errors_are_not_retried(code: int, hint: str) -> None:
    f, sleeps, seen = fetcher([status(code)])
    with pytest.raises(FetchError, match=hint):
        f.get_json("http://api.test/x")
    assert len(seen) == 1 and sleeps == []


def test_delete_of_something_already_gone_counts_as_done() -> None:
    f, _, seen = fetcher([status(500), status(404)])
    f.delete("http://api.test/submissions/1")
    assert [r.method for r in seen] == ["DELETE", "DELETE"]


def test_explicit_timeouts_are_sent() -> None:
    f, _, seen = fetcher([ok], HttpPolicy(timeout=3.5, connect_timeout=1.5))
    f.get_json("http://api.test/x")
    assert seen[0].extensions["timeout"] == {"connect": 1.5, "read": 3.5, "write": 3.5, "pool": 3.5}
