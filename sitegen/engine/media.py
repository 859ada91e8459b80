"""Editors' files under content/dateien/, copied to /dateien/ when they changed."""

from __future__ import annotations

from pathlib import Path

from . import cache as caching
from ..core.published_files import published
from ..core.readers import signature
from .scan import settled
from ..output.writer import Writer


def media(folder: Path, caches: caching.Caches, writer: Writer) -> None:
    """Copy the files whose signature changed (links leading out of the site root were refused before)."""
    for path in published(folder):
        rel = (Path("dateien") / path.relative_to(folder)).as_posix()
        sig = settled(path, signature(path.stat()), caches.racy)
        if caches.last.files.get(rel, (None,))[0] == sig and (writer.out / rel).is_file():
            writer.keep(rel)
        else:
            writer.put(rel, path.read_bytes())
        caches.fresh.files[rel] = (sig, None)
