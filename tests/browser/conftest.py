"""One Chromium for the browser tests of a session."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from browser_support import ARGS, CHROMIUM  # noqa: E402


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium; a missing browser is a failure with the fix, never a skip."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (bash .ci/run does it)")
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()
