"""The one function that writes the site: only changed bytes, never outside the output folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

MANIFEST = ".sitegen-files"


class WriteError(Exception):
    """A page path that would escape the output folder or collide with another page."""


@dataclass(frozen=True)
class Report:
    """What a write did: files written, left alone, and removed as stale."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def safe_path(out: Path, rel: str) -> Path:
    """Resolve a page path inside out, refusing absolute paths, '..' and odd names."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or any(p in ("", ".", "..") for p in rel.split("/")) or "\\" in rel or "\x00" in rel:
        raise WriteError(f"refusing to write '{rel}': not a plain path inside the output folder")
    target = (out / pure).resolve()
    if not target.is_relative_to(out.resolve()):
        raise WriteError(f"refusing to write '{rel}': it resolves outside the output folder")
    return target


def write(files: Iterable[tuple[str, bytes]], out: Path) -> Report:
    """Write every file whose bytes differ, then remove files a previous build wrote but this one did not."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    written, unchanged = [], 0
    for rel, data in files:
        if rel in seen:
            raise WriteError(f"two pages want the same path '{rel}'")
        seen.add(rel)
        target = safe_path(out, rel)
        if _same(target, data):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a visitor of the preview never sees a half-written page
        written.append(rel)
    removed = _remove_stale(out, seen)
    manifest = "".join(f"{p}\n" for p in sorted(seen)).encode("utf-8")
    if not _same(out / MANIFEST, manifest):
        (out / MANIFEST).write_bytes(manifest)
    return Report(tuple(written), unchanged, tuple(removed))


def _same(path: Path, data: bytes) -> bool:
    """True if the file exists with exactly these bytes (size first: cheap)."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def _remove_stale(out: Path, keep: set[str]) -> list[str]:
    """Delete what the last build listed in its manifest and this build no longer makes."""
    try:
        before = (out / MANIFEST).read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        return []
    removed = []
    for rel in sorted(set(filter(None, before)) - keep):
        try:
            path = safe_path(out, rel)
        except WriteError:
            continue  # a tampered manifest never makes us delete outside the output folder
        if path.is_file():
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
