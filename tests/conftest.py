"""Shared fixtures: the fixture site, a build helper, the hostile strings, the golden flag."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # sitegen is importable even without `pip install -e .`

FIXTURE = REPO / "tests" / "fixtures" / "site"
BLNS = REPO / "tests" / "data" / "blns.json"  # copy of shared/data/blns.json (MIT, see blns.LICENSE)
TODAY = dt.date(2026, 11, 26)


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


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
