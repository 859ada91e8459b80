"""The manifest: what the last build wrote, so the next one removes what it no longer makes."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from .paths import MANIFEST, WriteError, replace, safe_path, same


def record_manifest(out: Path, paths: Iterable[str]) -> None:
    """List what a build wrote, for the next build to remove what it no longer makes."""
    manifest = "".join(f"{p}\n" for p in sorted(paths)).encode("utf-8")
    if not same(out / MANIFEST, manifest):
        replace(out / MANIFEST, manifest)


def read_manifest(out: Path) -> set[str]:
    """The files the last build recorded (none if it left no manifest)."""
    try:
        return set(filter(None, (out / MANIFEST).read_text(encoding="utf-8").split("\n")))
    except FileNotFoundError:
        return set()


def remove_stale(out: Path, stale: set[str], touch: Callable[[], None] = lambda: None) -> list[str]:
    """Delete what the last build listed in its manifest and this build no longer makes."""
    removed = []
    for rel in sorted(stale):
        try:
            path = safe_path(out, rel)
        except WriteError:
            continue  # a tampered manifest never makes us delete outside the output folder
        if path.is_file():
            touch()
            path.unlink()
            removed.append(rel)
            _prune(path.parent, out)
    return removed


def _prune(folder: Path, out: Path) -> None:
    """Remove folders left empty by stale files, up to the output folder."""
    out = out.resolve()
    while folder.resolve() != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
