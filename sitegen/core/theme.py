"""Where a site's templates and static files are: its own, or the repository's."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def theme_dir(root: Path, name: str) -> Path:
    """root/<name> if the site has its own, else the repository's (fixture sites share the theme)."""
    own = Path(root) / name
    return own if own.is_dir() else REPO / name
