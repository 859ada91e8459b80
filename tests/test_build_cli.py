"""`python build.py` as people run it: --today, --drafts, and `serve` with --port, started and stopped."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from sitetest import REPO, TODAY, read_tree
from sitegen import build


def cli(*args: str, seconds: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=seconds)


def test_today_and_drafts_reach_the_build(site_root: Path, tmp_path: Path) -> None:
    done = cli("--root", str(site_root), "--out", str(tmp_path / "cli"), "--today", "2030-01-01", "--drafts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Built {tmp_path / 'cli'}: ")
    build(site_root, tmp_path / "lib", today=TODAY.replace(year=2030, month=1, day=1), drafts=True)
    assert read_tree(tmp_path / "cli") == read_tree(tmp_path / "lib")
    assert (tmp_path / "cli" / "themen" / "entwurf" / "index.html").is_file()
    plain = cli("--root", str(site_root), "--out", str(tmp_path / "plain"), "--today", TODAY.isoformat())
    assert plain.returncode == 0, plain.stderr
    assert not (tmp_path / "plain" / "themen" / "entwurf").exists()
    termine = "termine/index.html"
    assert read_tree(tmp_path / "plain")[termine] != read_tree(tmp_path / "cli")[termine]  # the date splits events


@pytest.mark.parametrize("args, message", [
    (("--today", "26.11.2026"), "--today: invalid fromisoformat value"),
    (("--port", "achtzig"), "--port: invalid int value"),
    (("deploy",), "invalid choice: 'deploy'"),
])
def test_bad_arguments_are_usage_errors(site_root: Path, args: tuple[str, ...], message: str) -> None:
    done = cli("--root", str(site_root), *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def line_from(stream, seconds: float = 120) -> str:
    """One line of a child's output; the deadline only bounds a hang."""
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no output within {seconds} s"
    return stream.readline()


def test_serve_builds_serves_on_the_port_asked_for_and_stops_on_ctrl_c(site_root: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port, asked for by number as a person would
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen([sys.executable, "build.py", "serve", "--root", str(site_root), "--out",
                              str(tmp_path / "out"), "--port", str(port), "--drafts", "--today", "2026-11-26"],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert line_from(child.stdout) == f"Preview on http://127.0.0.1:{port}/ (Ctrl-C stops)\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/themen/entwurf/", timeout=30) as page:
            assert page.status == 200 and b"/__preview/reload.js" in page.read()
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=60) == 0
        assert "Traceback" not in child.stderr.read()
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()
        child.stderr.close()
    assert (tmp_path / "out" / "themen" / "entwurf" / "index.html").is_file()
    assert b"__preview" not in (tmp_path / "out" / "index.html").read_bytes()


def test_serve_on_a_port_in_use_says_so_and_exits_2(site_root: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli("serve", "--root", str(site_root), "--out", str(tmp_path / "out"), "--port", str(port), seconds=120)
    assert done.returncode == 2, done.stderr
    assert f"serve: cannot listen on 127.0.0.1:{port}: Address already in use; try --port" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_reader_that_leaves_early_is_no_error_to_report(site_root: Path, tmp_path: Path) -> None:
    """`python build.py | head -1`: the build is done; its closed stdout is not 'error: Broken pipe'."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the report is printed
    done = subprocess.run([sys.executable, "build.py", "--root", str(site_root), "--out", str(tmp_path / "out"),
                           "--today", TODAY.isoformat()], cwd=REPO, stdout=write_end, stderr=subprocess.PIPE,
                          text=True, timeout=120)
    os.close(write_end)
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "out" / "index.html").is_file()


def test_build_py_has_the_comment_folders_listed_while_it_imports(site_root: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """build.py starts listing the comment folders before it imports the build (engine/lookahead.py),
    and the build takes the listings: none in a cold build (the child is stopped), every topic's after."""
    import importlib.util

    from sitegen.engine import lookahead

    monkeypatch.setattr(lookahead, "FORK_ABOVE", 1)  # the fixture has a handful of topics
    monkeypatch.setattr(lookahead, "BLOCK", 1)
    monkeypatch.setattr(lookahead, "can_fork", lambda: True)  # also on one core (no test leaves a thread: conftest)
    taken = []
    real = lookahead.Lookahead.listings
    monkeypatch.setattr(lookahead.Lookahead, "listings",
                        lambda self, slugs, racy: taken.append(real(self, slugs, racy)) or taken[-1])
    spec = importlib.util.spec_from_file_location("build_script", REPO / "build.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    args = ["--root", str(site_root), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat()]
    assert script.main(args) == 0
    assert taken == [None]
    assert script.main(args) == 0
    topics = {path.stem for path in (site_root / "content/themen").glob("*.md")}
    assert len(taken) == 2 and set(taken[1]) == topics
    build(site_root, tmp_path / "lib", today=TODAY)
    assert read_tree(tmp_path / "out") == read_tree(tmp_path / "lib")
