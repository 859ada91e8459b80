"""Staging: a folder of a build's own inside the output folder, where changed files wait until
everything has validated; and making the output folder itself."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from .paths import STAGING, safe_path, same, write_file


def new_folder(out: Path) -> bool:
    """Create out for this build alone: True if it did not exist (made here, atomically), else False."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(out)
    except FileExistsError:
        return False
    return True


def staging(out: Path) -> Path:
    """A folder of this build's own where worker processes put changed pages until everything has validated."""
    Path(out).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING + "-", dir=out))


def discard_staging(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def stage_all(out: Path, stage: Path, files: Iterable[tuple[str, bytes]], prefix: str) -> list[tuple[str, str | None]]:
    """Stage files as Writer.put does, in another process (see fork.py): each one's path, and the
    name of its staged file in stage, or None where out holds these bytes already; for Writer.adopt.
    prefix: the staged names' own, so they meet no other process's."""
    inside: dict[str, bool] = {}
    staged: list[tuple[str, str | None]] = []
    for n, (rel, data) in enumerate(files):
        if same(safe_path(out, rel, inside), data):
            staged.append((rel, None))
        else:
            stage_file(stage / f"{prefix}{n}.put", data)
            staged.append((rel, f"{prefix}{n}.put"))
    return staged


def stage_file(staged: Path, data: bytes) -> None:
    """Write a staged file, readable as a page written in place would be."""
    write_file(staged, data)
    os.chmod(staged, 0o644)  # as a page written in place would be
