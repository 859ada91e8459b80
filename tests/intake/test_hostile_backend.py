"""A misbehaving or hostile backend over the wire: the token stays home, bodies and time are bounded."""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from hostile_server import Scripted, running
from intake_fakes import Faults, FakeNetlify, serve, submission
from intake_support import Cli, intake_section, make_site
from intake.config import HttpPolicy
from intake.http import Fetcher, FetchError

FEED_TOKEN = "feed-secret-token"
QUICK = {"timeout": 5, "connect_timeout": 2, "retries": 0, "backoff_base": 0.001, "backoff_max": 0.004}


def item(i: int) -> dict[str, Any]:
    """A generic JSON submission with our own field names."""
    return {"id": f"s-{i}", "created_at": f"2026-11-26T08:{i % 60:02d}:00Z", "topic": "verkehr",
            "name": f"Person {i}", "body": f"Beitrag {i}", "consent": "ja"}


def json_cli(site: Path, env: dict[str, str], url: str, **http: Any) -> Cli:
    """A CLI pulling from a generic JSON endpoint with a bearer token."""
    make_site(site, intake_section(source="json", json={"url": url, "token_env": "FEED_TOKEN"},
                                   http={**QUICK, **http}))
    return Cli(site, {**env, "FEED_TOKEN": FEED_TOKEN})


def one_error_line(err: str) -> str:
    """The `error: ...` line; there is exactly one and no traceback."""
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def evil_host() -> Iterator:
    """A second server (another origin: another port) that records whatever reaches it."""
    return running(lambda h: h.json({"items": [item(99)]}))


@pytest.mark.parametrize("via", ["body", "link"])
def test_next_page_on_another_host_is_refused_and_never_gets_the_token(site: Path, env: dict[str, str],
                                                                       via: str) -> None:
    with evil_host() as evil:
        def script(h: Scripted) -> None:
            steal = f"{evil.url}/steal"
            if via == "body":
                h.json({"items": [item(1)], "next": steal})
            else:
                h.json({"items": [item(1)]}, link=f'<{steal}>; rel="next"')

        with running(script) as good:
            cli = json_cli(site, env, f"{good.url}/feed")
            result = cli("pull")
    assert evil.seen == []
    assert good.seen[0][2]["authorization"] == f"Bearer {FEED_TOKEN}"
    assert result.code == 1 and "on another host" in one_error_line(result.err)
    assert FEED_TOKEN not in result.err + result.out
    assert set(cli.entries()) == {"json-s-1"}  # what was read before the refusal is kept


def test_netlify_link_header_to_another_host_is_not_followed(site: Path, env: dict[str, str]) -> None:
    with evil_host() as evil:
        def script(h: Scripted) -> None:
            if h.path.endswith("/forms"):
                h.json([{"id": "form-1", "name": "kommentare"}])
            elif len(good.seen) > 30:  # bounded, so a client that loops still ends
                h.json([])
            else:
                h.json([submission(1)], link=f'<{evil.url}/api/v1/forms/form-1/submissions?page=2>; rel="next"')

        with running(script) as good:
            make_site(site, intake_section(netlify={"api_base": f"{good.url}/api/v1", "site_id": "site-1",
                                                    "include_spam": False}, http=QUICK))
            result = Cli(site, env)("pull")
    assert evil.seen == []  # Netlify pages by number on the configured host; the link only says "more"
    assert result.code == 1 and "does not advance" in one_error_line(result.err)


def test_a_redirect_is_not_followed_and_says_so(site: Path, env: dict[str, str]) -> None:
    with evil_host() as evil:
        with running(lambda h: h.reply(302, location=f"{evil.url}/feed")) as good:
            result = json_cli(site, env, f"{good.url}/feed")("pull")
            # even a client built to follow redirects does not, for the fetcher
            with httpx.Client(follow_redirects=True) as client:
                fetcher = Fetcher(client, HttpPolicy(retries=0))
                with pytest.raises(FetchError, match="HTTP 302 redirect to .* not followed"):
                    fetcher.get_json(f"{good.url}/feed", headers={"Authorization": f"Bearer {FEED_TOKEN}"})
    assert evil.seen == []
    assert result.code == 1 and "HTTP 302 redirect to" in one_error_line(result.err)


def endless_json() -> Iterator[bytes]:
    """A JSON list that goes on for 64 MiB (bounded so a broken client still ends)."""
    yield b'{"items": ['
    chunk = (json.dumps(item(1)) + ", ").encode() * 600
    for _ in range(64 * 1024 * 1024 // len(chunk)):
        yield chunk


def test_a_huge_body_is_cut_at_max_bytes_while_streaming(site: Path, env: dict[str, str]) -> None:
    with running(lambda h: h.stream(endless_json())) as server:
        result = json_cli(site, env, f"{server.url}/feed", max_bytes=1024 * 1024)("pull")
        assert server.hung_up.wait(10)
    assert result.code == 1 and "larger than intake.http.max_bytes (1048576 bytes)" in one_error_line(result.err)
    assert server.sent < 32 * 1024 * 1024  # we hung up early: only socket buffers beyond the cap got out
    assert len(server.seen) == 1  # too big is not transient: no retry


def test_an_announced_huge_body_is_not_read_at_all(site: Path, env: dict[str, str]) -> None:
    body = iter([b"[" + b" " * 1000])
    with running(lambda h: h.stream(body, content_length=str(400 * 1024 * 1024))) as server:
        result = json_cli(site, env, f"{server.url}/feed", retries=3)("pull")
    assert result.code == 1 and "announces 419430400 bytes" in one_error_line(result.err)
    assert len(server.seen) == 1


def test_a_gzip_bomb_is_cut_at_max_bytes_of_decoded_data(site: Path, env: dict[str, str]) -> None:
    bomb = gzip.compress(b'{"items": [' + b" " * (40 * 1024 * 1024))
    with running(lambda h: h.reply(200, bomb, content_type="application/json", content_encoding="gzip")) as server:
        result = json_cli(site, env, f"{server.url}/feed", max_bytes=1024 * 1024)("pull")
    assert result.code == 1 and "max_bytes" in one_error_line(result.err)


def test_gzip_bodies_are_read(site: Path, env: dict[str, str]) -> None:
    packed = gzip.compress(json.dumps({"items": [item(i) for i in range(1, 6)]}).encode())
    with running(lambda h: h.reply(200, packed, content_type="application/json", content_encoding="gzip")) as server:
        cli = json_cli(site, env, f"{server.url}/feed")
        assert cli("pull").code == 0
    assert set(cli.entries()) == {f"json-s-{i}" for i in range(1, 6)}


def drip(total: int) -> Iterator[bytes]:
    """One byte at a time (the pause is the server's)."""
    yield b"["
    for _ in range(total - 2):
        yield b" "
    yield b"]"


def test_a_dripping_body_hits_the_request_deadline(site: Path, env: dict[str, str]) -> None:
    # one byte per 50 ms never trips the 5 s read timeout; the 0.5 s deadline ends it after ~10 bytes
    with running(lambda h: h.stream(drip(400), pause=0.05, content_length="400")) as server:
        result = json_cli(site, env, f"{server.url}/feed", request_deadline=0.5, retries=3)("pull")
        assert server.hung_up.wait(10)
    assert result.code == 1 and "intake.http.request_deadline (0.5 s)" in one_error_line(result.err)
    assert server.sent < 400 and len(server.seen) == 1


def drip_headers(h: Scripted) -> None:
    """A status line, then a header one byte at a time: every read gets a byte, so no read timeout fires."""
    try:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nx-pad: ")
        for _ in range(400):
            h.wfile.write(b"a")
            h.wfile.flush()
            h.server.sent += 1
            time.sleep(0.05)
        h.wfile.write(b"\r\ncontent-length: 2\r\n\r\n[]")
    except (BrokenPipeError, ConnectionResetError):
        h.server.hung_up.set()
    h.close_connection = True


def test_dripping_headers_hit_the_request_deadline_too(site: Path, env: dict[str, str]) -> None:
    with running(drip_headers) as server:
        result = json_cli(site, env, f"{server.url}/feed", request_deadline=0.5, retries=3)("pull")
    assert result.code == 1 and "intake.http.request_deadline (0.5 s)" in one_error_line(result.err)
    assert server.sent < 400 and len(server.seen) == 1


def test_the_pull_deadline_ends_an_endless_slow_feed_keeping_what_was_stored(site: Path,
                                                                              env: dict[str, str]) -> None:
    def script(h: Scripted) -> None:
        page = int(h.path.rsplit("=", 1)[1])
        body = json.dumps({"items": [item(page)], "next": f"/feed?page={page + 1}"}).encode()
        h.stream(iter([body[:10], body[10:]]), pause=0.05, content_length=str(len(body)))

    with running(script) as server:
        cli = json_cli(site, env, f"{server.url}/feed?page=1", pull_deadline=0.6)
        result = cli("pull")
    assert result.code == 1 and "intake.http.pull_deadline (0.6 s)" in one_error_line(result.err)
    assert 0 < len(cli.entries()) < 100


def test_the_pull_deadline_also_bounds_retry_waits() -> None:
    now = [1000.0]
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    fetcher = Fetcher(client, HttpPolicy(retries=50, backoff_base=4, backoff_max=4, pull_deadline=30),
                      sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0], rng=random.Random(1))
    with pytest.raises(FetchError, match="pull_deadline"):
        fetcher.get_json("http://api.test/x")
    assert now[0] <= 1030 and fetcher.requests < 20


def test_retry_after_over_the_wire_is_waited_for(site: Path, env: dict[str, str]) -> None:
    backend = FakeNetlify([submission(i) for i in range(1, 8)], faults=Faults(rate_limit_every=2,
                                                                              reset_header="retry-after"))
    gen = serve(backend)
    server = next(gen)
    try:
        make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                                "per_page": 3, "include_spam": False}))
        cli = Cli(site, env)
        assert cli("pull").code == 0
    finally:
        next(gen, None)
    assert len(cli.entries()) == 7
    assert backend.fault_log.count("429") >= 2 and cli.sleeps.count(1.0) == backend.fault_log.count("429")


class RevokedMidway(FakeNetlify):
    """The token is revoked after the second page."""

    def handle(self, method: str, url: str, headers: dict[str, str]):
        if re.search(r"[?&]page=3(&|$)", url):
            headers = {**headers, "authorization": "Bearer revoked"}
        return super().handle(method, url, headers)


def test_a_401_in_the_middle_of_a_pull_keeps_what_was_stored(site: Path, env: dict[str, str]) -> None:
    backend = RevokedMidway([submission(i) for i in range(1, 11)])
    gen = serve(backend)
    server = next(gen)
    try:
        make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                                "per_page": 3, "include_spam": False}, http=QUICK))
        cli = Cli(site, env)
        result = cli("pull")
    finally:
        next(gen, None)
    assert result.code == 1
    assert "HTTP 401 (token rejected" in one_error_line(result.err) and "kept the 6 new entries" in result.err
    assert len(cli.entries()) == 6
