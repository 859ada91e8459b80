"""Fixtures of the site tests: the fixture site, the hostile strings, the golden flag."""

from __future__ import annotations

import json
import threading
import time
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings

from sitetest import BLNS, FIXTURE, REPO


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current build instead of comparing")


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A private copy of the fixture site that a test may edit."""
    root = tmp_path / "site-src"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def real_site(tmp_path: Path) -> Path:
    """A copy of the repository's own site (content, templates, static) that a build may put its cache in."""
    root = tmp_path / "real-site"
    for part in ("content", "templates", "static"):
        shutil.copytree(REPO / part, root / part)
    return root


def _cache_files() -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for base in (FIXTURE, REPO) for p in (base / ".cache").rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def no_cache_in_the_repository() -> Iterator[None]:
    """Builds in tests put their cache in tmp_path: one in tests/fixtures/site or the repo would be
    shared between runs, and a warm cache would hide what a cold one does."""
    before = _cache_files()
    yield
    added = sorted(set(_cache_files().items()) - set(before.items()))
    assert not added, f"a test built into the repository's own cache: {added[:3]}"


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """A thread a test leaves running changes later tests: a build forks only where it is the only
    thread (sitegen/fork.py). So every test ends its threads; a bounded wait lets them finish."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 10
    for thread in set(threading.enumerate()) - before:
        _join(thread, deadline)
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert not left, f"the test left threads running: {left}"


def _join(thread: threading.Thread, deadline: float) -> None:
    """Join by the deadline. A server thread met while it is still starting (listed, its start() not yet
    returned in the server's thread) cannot be joined yet: wait for it to start, within the deadline."""
    while True:
        try:
            thread.join(max(0.0, deadline - time.monotonic()))
            return
        except RuntimeError:
            if time.monotonic() >= deadline:
                return  # the assertion after names it
            time.sleep(0.01)


@pytest.fixture(scope="session")
def blns() -> list[str]:
    """The 515 hostile strings of the Big List of Naughty Strings."""
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    assert len(strings) == 515
    return strings


# Property tests (tests/test_properties.py, tests/intake/test_intake_properties.py): the same examples on every run and machine (no example database, derandomized),
# no deadline (two shared cores), few enough examples that the suite stays fast.
settings.register_profile("suite", max_examples=100, deadline=None, derandomize=True, database=None,
                          print_blob=False, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")
