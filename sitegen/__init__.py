"""sitegen: builds the participation site from content/, templates/ and static/ (docs/architecture.md)."""

from __future__ import annotations

from .core.errors import BuildError, ThemeError
from .core.theme import REPO, theme_dir
from .engine.run import Tuning
from .output.writer import Report
from .pipeline import build

__all__ = ["build", "BuildError", "REPO", "Report", "ThemeError", "Tuning", "theme_dir"]
