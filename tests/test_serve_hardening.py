"""The preview server against hostile clients: foreign Host headers on every method, idle connections."""

from __future__ import annotations

import http.client
import socket
import time
from pathlib import Path

import pytest

from sitetest import TODAY
from sitegen.serve import Preview, _Handler, start

DEFAULT_TIMEOUT = _Handler.timeout  # before the fixture shortens it


@pytest.fixture
def preview(site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_Handler, "timeout", 0.5)  # the class attribute the server reads: short for the test
    p = Preview(site_root, tmp_path / "out", today=TODAY, debounce=0.05, log=lambda m: None)
    server, observer = start(p, port=0)
    yield server.server_address[1]
    observer.stop()
    server.shutdown()
    server.server_close()
    observer.join(5)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_foreign_host_gets_403_on_every_method(preview: int, method: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", preview, timeout=10)
    conn.request(method, "/themen/mobilitaet/", headers={"Host": "evil.example"})
    response = conn.getresponse()
    assert response.status == 403
    assert response.read() == (b"" if method == "HEAD" else b"preview only for 127.0.0.1")
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", preview, timeout=10)
    conn.request(method, "/themen/mobilitaet/")
    assert conn.getresponse().status == 200
    conn.close()


def test_an_idle_connection_is_closed_by_the_server(preview: int) -> None:
    """Connected, nothing sent: the server hangs up after its timeout (0.5 s here); the client waits at most 10 s."""
    assert DEFAULT_TIMEOUT is not None and 10 <= DEFAULT_TIMEOUT <= 30  # off by default, connections lived forever
    with socket.create_connection(("127.0.0.1", preview), timeout=10) as sock:
        started = time.monotonic()
        assert sock.recv(1024) == b""  # end of stream: closed by the server, not by our own timeout
        assert time.monotonic() - started < 10
    with socket.create_connection(("127.0.0.1", preview), timeout=10) as sock:  # half a request line: the same
        sock.sendall(b"GET /themen/mob")
        assert sock.recv(1024) == b""
