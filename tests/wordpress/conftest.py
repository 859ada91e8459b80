"""Fixtures for the WordPress import tests (helpers live in wp_support, so no test imports a conftest)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from wp_support import copy_site  # noqa: E402


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the repository's own site (content with an editor's topic, templates, static)."""
    return copy_site(tmp_path / "site")
