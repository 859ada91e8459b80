"""Fixtures of the site tests: the fixture site, the hostile strings, the golden flag."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sitetest import BLNS, FIXTURE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current build instead of comparing")


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A private copy of the fixture site that a test may edit."""
    root = tmp_path / "site-src"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="session")
def blns() -> list[str]:
    """The 515 hostile strings of the Big List of Naughty Strings."""
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    assert len(strings) == 515
    return strings


# Property tests: the same examples on every run and machine (no example database, derandomized),
# no deadline (two shared cores), few enough examples that the suite stays fast.
settings.register_profile("suite", max_examples=100, deadline=None, derandomize=True, database=None,
                          print_blob=False, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")
