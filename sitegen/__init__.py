"""sitegen: builds the participation site from content/, templates/ and static/ (docs/architecture.md).

The names below are imported on first use, not with the package: `build.py` starts listing the
comment folders (engine/lookahead.py) before it pays for importing the rest."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.errors import BuildError, ThemeError
    from .core.theme import REPO, theme_dir
    from .engine.run import Tuning
    from .output.writer import Report
    from .pipeline import build

__all__ = ["build", "BuildError", "REPO", "Report", "ThemeError", "Tuning", "theme_dir"]
_HOMES = {"build": ".pipeline", "BuildError": ".core.errors", "ThemeError": ".core.errors", "REPO": ".core.theme",
          "theme_dir": ".core.theme", "Tuning": ".engine.run", "Report": ".output.writer"}  # where each name is


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'sitegen' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)
