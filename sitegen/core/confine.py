"""Symlinks in the sources are followed only while they stay inside the site root.

One rule everywhere (content, site.yaml, templates, static files, editors' files): a link whose
target lies outside the root is an error that stops the build, never a silent skip. Skipping
would publish a site that lacks a topic or a stylesheet the editor sees in git; refusing names
the link, and the fix (copy the file in) is one command. A link that stays inside is followed.
For the theme, the root is the folder that holds templates/ and static/: the site's own, or
the repository's when a site has no theme of its own (see theme.theme_dir).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import BuildError, Problems

MESSAGE = "the symlink leads outside the site root"
HINT = "copy the file into the site's folder instead of linking to it (a link could publish any file of the machine)"
CONTENT = ("themen", "termine", "seiten", "kommentare", "dateien")


def inside(path: Path | str, root: Path | str) -> bool:
    """True if path, with every link in it followed, is root or lies under it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def allowed(path: Path | str, root: Path | str, problems: Problems) -> bool:
    """True if path may be read; records the error for a link that leads out of root."""
    if inside(path, root):
        return True
    problems.add(path, 1, MESSAGE, HINT)
    return False


def check_tree(folder: Path, root: Path, problems: Problems) -> None:
    """Record every link under folder (and folder itself) that leads out of root; links are not descended."""
    if not os.path.lexists(folder) or not allowed(folder, root, problems):
        return
    for here, dirs, names in os.walk(folder):
        for name in sorted(dirs + names):
            path = os.path.join(here, name)
            if os.path.islink(path):
                allowed(path, root, problems)


def check_content(root: Path, problems: Problems) -> None:
    """The content folders themselves and every editor's file: links leading out are errors.
    (Files in themen/, termine/, seiten/ and kommentare/ are checked as they are listed: readers.py.)"""
    content = Path(root) / "content"
    if not allowed(content, root, problems):
        return
    for name in CONTENT[:-1]:
        folder = content / name
        if os.path.lexists(folder):
            allowed(folder, root, problems)
    check_tree(content / "dateien", root, problems)


def check_theme(folder: Path) -> None:
    """A theme folder (templates/ or static/) whose links all stay inside the folder holding it, or
    BuildError at once: nothing of it is read before."""
    root = Path(folder).parent
    problems = Problems(root)
    check_tree(Path(folder), root, problems)
    if problems:
        raise BuildError(problems.errors)
