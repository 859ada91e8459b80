"""sitegen: builds the participation site from content/, templates/ and static/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .assets import fingerprint, media
from .errors import BuildError
from .load import load
from .render import environment, render
from .write import Report, write

__all__ = ["build", "BuildError", "Report"]


def build(root: Path, out: Path, today: dt.date | None = None, drafts: bool = False) -> Report:
    """Load and validate everything, render every page, then write only what changed."""
    root = Path(root)
    site = load(root, drafts=drafts)
    assets = fingerprint(theme_dir(root, "static"))
    env = environment(theme_dir(root, "templates"), assets)
    pages = list(render(site, env, assets, today or dt.date.today()))  # all rendered before any write
    pages += media(root / "content" / "dateien").items()
    return write(pages, Path(out))


REPO = Path(__file__).resolve().parent.parent


def theme_dir(root: Path, name: str) -> Path:
    """root/<name> if the site has its own, else the repository's (fixture sites share the theme)."""
    own = Path(root) / name
    return own if own.is_dir() else REPO / name
