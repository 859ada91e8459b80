"""Fixtures for the intake tests (helpers live in intake_support, so no test imports a `conftest`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from intake_support import BLNS, Cli, make_site  # noqa: E402
from intake_fakes import TOKEN  # noqa: E402


@pytest.fixture
def env() -> dict[str, str]:
    """Secrets only through the environment; names as the config gives them."""
    return {"NETLIFY_AUTH_TOKEN": TOKEN, "FORMSPREE_API_KEY": TOKEN, "INTAKE_HASH_KEY": "test-hash-key",
            "INTAKE_EDITOR": "Redaktion Test"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fixture site root with the default test intake section."""
    return make_site(tmp_path / "site")


@pytest.fixture
def cli(site: Path, env: dict[str, str]) -> Cli:
    """An in-process CLI bound to the fixture site (tests set .transport as needed)."""
    return Cli(site, env)


@pytest.fixture(scope="session")
def blns() -> list[str]:
    """The Big List of Naughty Strings."""
    return json.loads(BLNS.read_text(encoding="utf-8"))


@pytest.fixture
def renamed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every (source, target) intake.files renames, as it happens; the renames are real."""
    import os
    from intake import files
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        seen.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    return seen
