"""Atomic YAML files: the only way the intake writes to disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from sitegen.core.contract import dump

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TEMP_PREFIX = ".tmp-"


def read(path: Path) -> Any:
    """Load one YAML file with the safe loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in directory durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path: Path, data: Any) -> None:
    """Write data as YAML atomically (see write_text)."""
    write_text(path, dump(data))


def write_text(path: Path, text: str) -> None:
    """Write a file atomically: temp file in the same dir, fsync, rename, fsync the dir."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # A failed write must not leave a half file behind under the temp name either.
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def syncfs(directory: Path) -> bool:
    """Flush every file of directory's file system in one call (Linux); False where it is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(directory, os.O_RDONLY)
    try:
        return call(fd) == 0
    finally:
        os.close(fd)


def write_many(directory: Path, items: list[tuple[str, Any]]) -> None:
    """Write several YAML files atomically with one flush for all: temp files, one sync, renames, one
    fsync of the folder. A crash leaves complete files or temp files (removed by clean_temps), never half
    a file under its real name; one fsync per file would set the pace of a pull."""
    directory.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in items:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".yaml", dir=directory)
            temps.append((tmp, directory / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(dump(data).encode("utf-8"))
        if temps and not syncfs(directory):
            for tmp, _ in temps:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    if temps:
        fsync_dir(directory)


def remove(path: Path) -> bool:
    """Delete a file durably; False when it was not there."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    fsync_dir(path.parent)
    return True


def clean_temps(directory: Path) -> int:
    """Remove temp files a killed writer left behind; they never count as entries."""
    count = 0
    if directory.is_dir():
        for stale in directory.glob(TEMP_PREFIX + "*"):
            stale.unlink(missing_ok=True)
            count += 1
    return count
