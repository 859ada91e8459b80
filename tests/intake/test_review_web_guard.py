"""The browser review's guard over real sockets: token, Host, Origin, CSRF, GET changes nothing, headers."""

from __future__ import annotations

import os
from contextlib import closing
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from intake_support import REPO
from review_web_support import ENV, ReviewSite, served


@pytest.fixture
def web(tmp_path: Path) -> Iterator[ReviewSite]:
    yield from served(tmp_path, 2)


def logged_in(web: ReviewSite) -> tuple[httpx.Client, str]:
    """A client holding a session cookie, and the CSRF token of its page."""
    client = httpx.Client(base_url=web.origin, timeout=10)
    first = client.get(web.server.url.removeprefix(web.origin))
    assert first.status_code == 303 and first.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def approve_form(web: ReviewSite, csrf: str | None) -> dict[str, str]:
    from intake.inbox import Inbox
    from intake.web.actions import digest

    key = web.keys()[0]
    form = {"key": key, "action": "approved",
            "digest": digest(Inbox(web.root / ".inbox").get(key))}
    return form if csrf is None else {**form, "csrf": csrf}


def inbox_bytes(web: ReviewSite) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((web.root / ".inbox").glob("*.yaml"))}


def test_no_token_or_a_wrong_one_is_refused(web: ReviewSite) -> None:
    assert web.server.server_address[0] == "127.0.0.1"  # loopback only, never 0.0.0.0
    with httpx.Client(base_url=web.origin, timeout=10) as client:
        assert client.get("/").status_code == 403
        assert client.get("/?token=wrong").status_code == 403
        assert "set-cookie" not in client.get("/?token=wrong").headers
        assert client.post("/entscheiden", data=approve_form(web, "x"), headers={"Origin": web.origin}).status_code == 403
    with httpx.Client(base_url=web.origin, timeout=10, cookies={"intake_review": "guessed"}) as client:
        assert client.get("/").status_code == 403
    assert all(e["status"] == "pending" for e in web.cli.entries().values())


def test_the_token_gives_a_strict_http_only_cookie_and_leaves_the_address(web: ReviewSite) -> None:
    client, _ = logged_in(web)
    with closing(client):
        cookie = client.get(web.server.url.removeprefix(web.origin)).headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        page = client.get("/")
        assert web.server.guard.token not in page.text
        for name, value in {"content-security-policy": "default-src 'self'", "x-frame-options": "DENY",
                            "cache-control": "no-store", "referrer-policy": "same-origin",
                            "x-content-type-options": "nosniff"}.items():
            assert value in page.headers[name]
            assert value in client.get("/nope").headers[name]  # refusals carry them too


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1", "localhost:1"])
def test_a_foreign_host_is_refused(web: ReviewSite, host: str) -> None:
    client, csrf = logged_in(web)
    with closing(client):
        assert client.get("/", headers={"Host": host}).status_code == 403
        assert client.get(web.server.url.removeprefix(web.origin), headers={"Host": host}).status_code == 403
        answer = client.post("/entscheiden", data=approve_form(web, csrf), headers={"Host": host, "Origin": web.origin})
        assert answer.status_code == 403
    assert web.published() == []


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Origin": "null"},
                                     {"Origin": "http://127.0.0.1:1"}, {"Referer": "http://evil.example/"}, {}])
def test_a_post_from_another_origin_is_refused(web: ReviewSite, headers: dict[str, str]) -> None:
    client, csrf = logged_in(web)
    with closing(client):
        assert client.post("/entscheiden", data=approve_form(web, csrf), headers=headers).status_code == 403
    assert web.published() == []


def test_a_post_with_the_page_as_referer_and_no_origin_is_ours(web: ReviewSite) -> None:
    client, csrf = logged_in(web)
    with closing(client):
        answer = client.post("/entscheiden", data=approve_form(web, csrf), headers={"Referer": web.origin + "/"})
    assert answer.status_code == 303 and len(web.published()) == 1


@pytest.mark.parametrize("csrf", [None, "", "wrong"])
def test_a_missing_or_wrong_csrf_token_is_refused(web: ReviewSite, csrf: str | None) -> None:
    client, _ = logged_in(web)
    before = inbox_bytes(web)
    with closing(client):
        answer = client.post("/entscheiden", data=approve_form(web, csrf), headers={"Origin": web.origin})
    assert answer.status_code == 403 and "ungültig" in answer.text
    assert inbox_bytes(web) == before and web.published() == []


def test_a_csrf_token_of_another_session_is_refused(web: ReviewSite) -> None:
    client, _ = logged_in(web)
    other, other_csrf = logged_in(web)
    with closing(client), closing(other):
        assert client.post("/entscheiden", data=approve_form(web, other_csrf),
                           headers={"Origin": web.origin}).status_code == 403
    assert web.published() == []


def test_get_never_changes_state(web: ReviewSite) -> None:
    client, csrf = logged_in(web)
    before = inbox_bytes(web)
    with closing(client):
        for path in ("/entscheiden", "/antworten", "/rueckgaengig", "/email", "/"):
            client.get(path, params={**approve_form(web, csrf), "text": "x", "role": "stadt"})
        assert client.head("/").status_code in (403, 405, 501)  # no handler: nothing runs
    assert inbox_bytes(web) == before and web.published() == []


def test_a_body_that_is_not_our_form_is_refused(web: ReviewSite) -> None:
    client, csrf = logged_in(web)
    with closing(client):
        assert client.post("/entscheiden", json=approve_form(web, csrf), headers={"Origin": web.origin}).status_code == 400
        big = {**approve_form(web, csrf), "reason": "x" * 70_000}
        assert client.post("/entscheiden", data=big, headers={"Origin": web.origin}).status_code == 400
    assert web.published() == []


def test_the_command_prints_a_local_address_with_a_token(web: ReviewSite) -> None:
    """`python -m intake review --web --port 0` listens on 127.0.0.1 and prints where."""
    child = subprocess.Popen([sys.executable, "-m", "intake", "review", "--web", "--port", "0", "--root",
                              str(web.root)], cwd=REPO, env={"PATH": os.environ.get("PATH", ""), **ENV},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line, deadline = b"", time.monotonic() + 60
        while not line.endswith(b"\n"):
            ready, _, _ = select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no address within 60 s: {line!r}"
            char = os.read(child.stdout.fileno(), 1)  # unbuffered: select sees what is still unread
            assert char, child.stderr.read().decode()
            line += char
        url = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]{40,})", line.decode()).group(0)
        with httpx.Client(timeout=10) as client:
            assert client.get(url).status_code == 303
            assert client.get(url.split("?")[0]).status_code == 200
    finally:
        child.terminate()
        child.wait(10)
