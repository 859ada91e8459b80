"""The preview server: rebuild on change, keep the last good build on error, reload signal."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitetest import TODAY, read_tree
from sitegen.serve import Preview, start


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def wait_for(predicate, timeout: float = 20.0) -> None:
    """Poll until predicate() holds; the deadline only bounds a hang, it asserts no speed."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


@pytest.fixture
def preview(site_root: Path, tmp_path: Path):
    p = Preview(site_root, tmp_path / "out", today=TODAY, debounce=0.05, log=lambda m: None)
    server, observer = start(p, port=0)
    yield p, server.server_address[1], site_root
    observer.stop()
    server.shutdown()
    observer.join(5)


def version(port: int) -> dict:
    return json.loads(get(port, "/__preview/version")[1])


def test_serves_with_reload_script_only_in_the_preview(preview) -> None:
    p, port, _ = preview
    status, html = get(port, "/themen/mobilitaet/")
    assert status == 200 and "Mobilität 2040" in html
    assert '<script src="/__preview/reload.js"></script></body>' in html
    assert "__preview" not in (p.out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    assert "location.reload" in get(port, "/__preview/reload.js")[1]
    assert get(port, "/gibt-es-nicht/")[0] == 404


def test_rebuilds_on_change_and_signals_reload(preview) -> None:
    p, port, root = preview
    before = version(port)["version"]
    topic = root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("abgeschlossen", "neu eröffnet"), encoding="utf-8")
    wait_for(lambda: version(port)["version"] > before)
    wait_for(lambda: "neu eröffnet" in get(port, "/themen/wohnen/")[1])
    assert version(port)["error"] is None


def test_keeps_last_good_build_and_shows_the_error(preview) -> None:
    p, port, root = preview
    good = read_tree(p.out)
    before = version(port)["version"]
    (root / "content/themen/wohnen.md").write_text("---\ntitle: 2030\n---\n", encoding="utf-8")
    wait_for(lambda: version(port)["version"] > before and version(port)["error"])
    assert "content/themen/wohnen.md:2: 'title' must be text" in version(port)["error"]
    status, html = get(port, "/themen/wohnen/")
    assert status == 200 and "Wohnen für alle" in html  # the last good page
    assert 'role="alert"' in html and "content/themen/wohnen.md:2" in html
    assert read_tree(p.out) == good

    (root / "content/themen/wohnen.md").write_text("---\ntitle: Wohnen repariert\n---\nText\n", encoding="utf-8")
    wait_for(lambda: version(port)["error"] is None)
    status, html = get(port, "/themen/wohnen/")
    assert "Wohnen repariert" in html and 'role="alert"' not in html


def test_error_text_is_escaped_in_the_page(preview) -> None:
    p, port, root = preview
    (root / "content/themen/x.md").write_text("---\ntitle: T\n<script>alert(1)</script>: 1\n---\n", encoding="utf-8")
    wait_for(lambda: version(port)["error"])
    html = get(port, "/")[1]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_burst_of_saves_builds_once(site_root: Path, tmp_path: Path) -> None:
    """Every debounce timer of the burst has ended (fired or cancelled) before the count is taken."""
    import threading
    p = Preview(site_root, tmp_path / "out", today=TODAY, debounce=1.0, log=lambda m: None)
    for _ in range(10):
        p.changed()
    for timer in [t for t in threading.enumerate() if isinstance(t, threading.Timer)]:
        timer.join(60)
        assert not timer.is_alive()
    assert p.version == 1


def test_comment_saved_by_rename_from_a_hidden_temp_file_appears(preview) -> None:
    """What `intake approve` does: write .tmp-…, then rename into place."""
    p, port, root = preview
    folder = root / "content/kommentare/mobilitaet"
    tmp = folder / ".tmp-k9.yaml"
    tmp.write_text("id: k9\ntopic: mobilitaet\nparent: null\nname: Neu\nbody: Frisch freigegeben\n"
                   "date: 2026-11-20T09:00:00Z\nofficial: null\n", encoding="utf-8")
    tmp.rename(folder / "k9.yaml")
    wait_for(lambda: "Frisch freigegeben" in get(port, "/themen/mobilitaet/")[1])


def test_only_loopback_host_names_are_served(preview) -> None:
    p, port, _ = preview
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 403


def test_the_preview_says_where_moderation_runs_and_never_knows_its_token(preview) -> None:
    """The review page is a separate server with its own token: the preview points to the command only."""
    from sitegen.serve import MODERATION

    p, port, _ = preview
    status, html = get(port, "/__preview/moderation")
    assert status == 200 and "<code>python -m intake review --web</code>" in html
    assert "python -m intake review --web" in MODERATION
    assert "token" not in html.lower()
    built = "".join(f.read_text(encoding="utf-8", errors="replace") for f in p.out.rglob("*") if f.is_file())
    assert "__preview" not in built and "intake review" not in built  # nothing of it in the site itself
