"""Constants and helpers the site tests share (a unique module name: tests/intake has its own conftest)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # sitegen is importable even without `pip install -e .`

FIXTURE = REPO / "tests" / "fixtures" / "site"
BLNS = REPO / "tests" / "data" / "blns.json"  # copy of shared/data/blns.json (MIT, see blns.LICENSE)
TODAY = dt.date(2026, 11, 26)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
