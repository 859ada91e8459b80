"""sitegen: builds the participation site from content/, templates/ and static/."""

from __future__ import annotations

from pathlib import Path

from .core.errors import BuildError, ThemeError
from .pipeline import build
from .output.writer import Report

__all__ = ["build", "BuildError", "Report", "ThemeError", "theme_dir"]

REPO = Path(__file__).resolve().parent.parent


def theme_dir(root: Path, name: str) -> Path:
    """root/<name> if the site has its own, else the repository's (fixture sites share the theme)."""
    own = Path(root) / name
    return own if own.is_dir() else REPO / name
