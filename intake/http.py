"""A retrying JSON fetcher around an injected httpx.Client: bounded in time and size, redirects refused."""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import httpx

from intake.config import HttpPolicy
from intake.errors import RunError


class FetchError(RunError):
    """The backend kept failing (or refused us); the run ends with exit 1."""


def timeout(policy: HttpPolicy, left: float | None = None) -> httpx.Timeout:
    """Explicit timeouts, never longer than the time left (httpx' default of 5 s everywhere is no policy)."""
    read = policy.timeout if left is None else max(0.001, min(policy.timeout, left))
    connect = policy.connect_timeout if left is None else max(0.001, min(policy.connect_timeout, left))
    return httpx.Timeout(read, connect=connect)


def same_origin(first: str | httpx.URL, second: str | httpx.URL) -> bool:
    """Same scheme, host and port: where a token may be sent again."""
    a, b = httpx.URL(str(first)), httpx.URL(str(second))
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def shown(value: str, limit: int = 200) -> str:
    """A backend-supplied string safe for one terminal line (no control characters, bounded)."""
    return "".join(c if c.isprintable() else "?" for c in value[:limit]) + ("…" if len(value) > limit else "")


@dataclass(frozen=True)
class Call:
    """One request as a backend asks for it: what to send, and which answers end it without a body."""

    method: str
    url: str
    params: Mapping[str, Any] | None = None
    headers: Mapping[str, str] | None = field(default=None, repr=False)  # they carry the token
    payload: Any = None  # a JSON body
    want_json: bool = True
    ok_statuses: tuple[int, ...] = ()  # done without reading the body, e.g. 404 for a delete: already gone

    @property
    def what(self) -> str:
        """The call as error messages name it."""
        return f"{self.method} {shown(self.url)}"

    def wants_body(self, response: httpx.Response) -> bool:
        """Whether this answer's body is read: JSON wanted and a 2xx that is not one of ok_statuses."""
        return self.want_json and response.status_code not in self.ok_statuses and 200 <= response.status_code < 300


class Fetcher:
    """GET/DELETE with retries: 429 waits as told, 5xx/resets/truncation back off with jitter."""

    def __init__(self, client: httpx.Client, policy: HttpPolicy, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, rng: random.Random | None = None) -> None:
        self.client = client
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()
        self.requests = 0
        self.retried = 0
        # One Fetcher serves one pull, so the pull's deadline starts now.
        self.pull_ends = clock() + policy.pull_deadline

    def backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter (half fixed, half random) so clients spread out."""
        ceiling = min(self.policy.backoff_max, self.policy.backoff_base * 2 ** attempt)
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def rate_limit_wait(self, response: httpx.Response, attempt: int) -> float:
        """Seconds the server asked us to wait (Retry-After or X-RateLimit-Reset), else backoff."""
        after = response.headers.get("retry-after", "").strip()
        if after:
            if after.isdigit():
                return float(after)
            try:
                return max(0.0, email.utils.parsedate_to_datetime(after).timestamp() - self.clock())
            except (TypeError, ValueError):
                pass
        reset = response.headers.get("x-ratelimit-reset", "").strip()
        try:
            value = float(reset)
        except ValueError:
            return self.backoff(attempt)
        # Netlify and GitHub send an epoch time; small values are a delay in seconds.
        return max(0.0, value - self.clock()) if value > 1e9 else value

    def out_of_time(self, what: str, ends: float) -> FetchError:
        """The error for a request or pull that ran past its deadline."""
        if ends >= self.pull_ends:
            return FetchError(f"{what}: the pull took longer than intake.http.pull_deadline "
                              f"({self.policy.pull_deadline:g} s); what was stored is kept, run pull again")
        return FetchError(f"{what}: no complete answer within intake.http.request_deadline "
                          f"({self.policy.request_deadline:g} s); the backend stalls or drips its answer")

    def send(self, call: Call) -> tuple[httpx.Response, bytes]:
        """One attempt, streamed: the body is read only if wanted, and only up to the size and time limits."""
        ends = min(self.clock() + self.policy.request_deadline, self.pull_ends)
        what = call.what
        if self.clock() >= ends:
            raise self.out_of_time(what, ends)
        request = self.client.build_request(call.method, call.url, params=call.params, headers=call.headers,
                                            json=call.payload, timeout=timeout(self.policy, ends - self.clock()))
        try:
            response = self.headers_by(request, ends, what)
        except httpx.TimeoutException:
            if self.clock() >= ends:
                raise self.out_of_time(what, ends) from None
            raise
        try:
            body = self.read(response, what, ends) if call.wants_body(response) else b""
        finally:
            response.close()
        return response, body

    def headers_by(self, request: httpx.Request, ends: float, what: str) -> httpx.Response:
        """Send and wait for the headers, at most until `ends`: a read timeout restarts with every dripped byte."""
        outcome: dict[str, Any] = {}
        abandoned = threading.Event()

        def work() -> None:
            try:
                # Never follow redirects: the token must not travel to wherever a Location points.
                outcome["response"] = self.client.send(request, stream=True, follow_redirects=False)
            except BaseException as exc:  # handed to the caller's thread below
                outcome["error"] = exc
            if abandoned.is_set() and "response" in outcome:
                outcome["response"].close()  # nobody waits for it any more

        worker = threading.Thread(target=work, name="intake-fetch", daemon=True)
        worker.start()
        worker.join(max(0.0, ends - self.clock()))
        if worker.is_alive():
            abandoned.set()  # the thread ends with the server's drip or our read timeout; the pull goes on
            if "response" in outcome:  # it finished just now, after the worker looked at `abandoned`
                outcome["response"].close()
            raise self.out_of_time(what, ends)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def read(self, response: httpx.Response, what: str, ends: float) -> bytes:
        """The (decoded) body, refused as soon as it passes max_bytes or the deadline."""
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{what}: the response announces {int(declared)} bytes, more than "
                             f"intake.http.max_bytes ({cap}); not read")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"{what}: the response is larger than intake.http.max_bytes ({cap} bytes); "
                                     "stopped reading")
                chunks.append(chunk)
                if self.clock() >= ends:
                    raise self.out_of_time(what, ends)
        except httpx.TimeoutException:
            if self.clock() >= ends:
                raise self.out_of_time(what, ends) from None
            raise
        return b"".join(chunks)

    def request(self, call: Call) -> tuple[Any, httpx.Response]:
        """Send one call, retrying what is worth retrying; returns (decoded JSON or None, response)."""
        problem = ""
        for attempt in range(self.policy.retries + 1):
            self.requests += 1
            wait = self.backoff(attempt)
            try:
                response, body = self.send(call)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                # Resets, timeouts, bodies cut short (RemoteProtocolError) and broken gzip are transient.
                problem = f"{type(exc).__name__}: {str(exc) or 'no detail'}"  # an exception object is always true
            else:
                if response.status_code == 429:
                    wait = self.rate_limit_wait(response, attempt)
                    problem = f"rate limited (HTTP 429), asked to wait {wait:.0f} s"
                    if wait > self.policy.max_wait:
                        raise FetchError(f"{call.what}: {problem}, more than intake.http.max_wait; "
                                         "run pull again later")
                else:
                    answer = settle(call, response, body)
                    if not isinstance(answer, str):
                        return answer
                    problem = answer
            if attempt == self.policy.retries:
                break
            if self.clock() + wait >= self.pull_ends:
                raise self.out_of_time(call.what, self.pull_ends)
            self.retried += 1
            self.sleep(wait)
        raise FetchError(f"{call.what}: giving up after {self.policy.retries + 1} attempts; last problem: "
                         f"{problem}")

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None,
                 headers: Mapping[str, str] | None = None) -> tuple[Any, httpx.Response]:
        """GET and decode JSON."""
        return self.request(Call("GET", url, params=params, headers=headers))

    def delete(self, url: str, *, headers: Mapping[str, str] | None = None) -> None:
        """DELETE; already gone (404) counts as done, so a rerun after a crash is harmless."""
        self.request(Call("DELETE", url, headers=headers, want_json=False, ok_statuses=(404,)))


def settle(call: Call, response: httpx.Response, body: bytes) -> tuple[Any, httpx.Response] | str:
    """What a non-429 answer means: the result, a problem worth a retry (returned), or a FetchError (raised)."""
    code = response.status_code
    if code in call.ok_statuses:
        return None, response
    if code >= 500:
        return f"HTTP {code}"
    if code >= 400:
        raise FetchError(f"{call.what}: HTTP {code}{hint(code)}")
    if 300 <= code < 400:
        raise FetchError(f"{call.what}: HTTP {code} redirect to {shown(response.headers.get('location', '?'))} "
                         "not followed (the token goes only to the configured host); put the new address in the "
                         "config")
    if not call.want_json:
        return None, response
    try:
        return json.loads(body), response
    except ValueError:
        return "truncated or malformed JSON body"


def hint(code: int) -> str:
    """A next step for the client errors an editor is likely to meet."""
    return {401: " (token rejected: check the environment variable named by token_env)",
            403: " (token lacks access to this site or form)",
            404: " (not found: check site_id, form_name, form_id or url)"}.get(code, "")
