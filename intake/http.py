"""A retrying JSON fetcher around an injected httpx.Client."""

from __future__ import annotations

import email.utils
import random
import time
from typing import Any, Callable, Mapping

import httpx

from intake.config import HttpPolicy
from intake.errors import RunError


class FetchError(RunError):
    """The backend kept failing (or refused us); the run ends with exit 1."""


def timeout(policy: HttpPolicy) -> httpx.Timeout:
    """Explicit timeouts: httpx' default of 5 s everywhere is no policy."""
    return httpx.Timeout(policy.timeout, connect=policy.connect_timeout)


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

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None, want_json: bool = True,
                ok_statuses: tuple[int, ...] = ()) -> tuple[Any, httpx.Response]:
        """Send one request, retrying what is worth retrying; returns (decoded JSON or None, response)."""
        problem = ""
        for attempt in range(self.policy.retries + 1):
            self.requests += 1
            wait = self.backoff(attempt)
            try:
                response = self.client.request(method, url, params=params, headers=headers,
                                               timeout=timeout(self.policy))
            except httpx.TransportError as exc:
                # Connection resets, timeouts and bodies cut short (RemoteProtocolError) are transient.
                problem = f"{type(exc).__name__}: {exc or 'no detail'}"
            else:
                code = response.status_code
                if code in ok_statuses:
                    return None, response
                if code == 429:
                    wait = self.rate_limit_wait(response, attempt)
                    problem = f"rate limited (HTTP 429), asked to wait {wait:.0f} s"
                    if wait > self.policy.max_wait:
                        raise FetchError(f"{method} {url}: {problem}, more than intake.http.max_wait; "
                                         "run pull again later")
                elif code >= 500:
                    problem = f"HTTP {code}"
                elif code >= 400:
                    raise FetchError(f"{method} {url}: HTTP {code}{hint(code)}")
                elif not want_json:
                    return None, response
                else:
                    try:
                        return response.json(), response
                    except ValueError:
                        problem = "truncated or malformed JSON body"
            if attempt == self.policy.retries:
                break
            self.retried += 1
            self.sleep(wait)
        raise FetchError(f"{method} {url}: giving up after {self.policy.retries + 1} attempts; last problem: "
                         f"{problem}")

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None,
                 headers: Mapping[str, str] | None = None) -> tuple[Any, httpx.Response]:
        """GET and decode JSON."""
        return self.request("GET", url, params=params, headers=headers)

    def delete(self, url: str, *, headers: Mapping[str, str] | None = None) -> None:
        """DELETE; already gone (404) counts as done, so a rerun after a crash is harmless."""
        self.request("DELETE", url, headers=headers, want_json=False, ok_statuses=(404,))


def hint(code: int) -> str:
    """A next step for the client errors an editor is likely to meet."""
    return {401: " (token rejected: check the environment variable named by token_env)",
            403: " (token lacks access to this site or form)",
            404: " (not found: check site_id, form_name, form_id or url)"}.get(code, "")
