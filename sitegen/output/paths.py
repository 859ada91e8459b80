"""A file of the output folder: where it may be (never outside the folder), and how it is written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MANIFEST = ".sitegen-files"
STAGING = ".sitegen-staging"


class WriteError(Exception):
    """A page path that would escape the output folder or collide with another page."""


def safe_path(out: Path, rel: str, inside: dict[str, bool] | None = None) -> Path:
    """The path of rel inside out, refusing absolute paths, '..', odd names and symlinks that lead out.

    `inside` remembers folders already found to be inside out, so a build looks at each folder
    once (one lstat) instead of resolving every page's whole path.
    """
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in rel.split("/")) \
            or "\\" in rel or "\x00" in rel or rel.startswith((MANIFEST, STAGING)):
        raise WriteError(f"refusing to write '{rel}': not a plain path inside the output folder")
    target = out / rel
    folder = rel.rpartition("/")[0]
    if not _inside(out, folder, {} if inside is None else inside) \
            or (os.path.islink(target) and not _leads_inside(out, target)):
        raise WriteError(f"refusing to write '{rel}': it resolves outside the output folder")
    return target


def _inside(out: Path, folder: str, known: dict[str, bool]) -> bool:
    """A folder is inside out if its parent is and it is not a symlink leading elsewhere."""
    if not folder:
        return True
    if folder not in known:
        path = out / folder
        known[folder] = _inside(out, folder.rpartition("/")[0], known) \
            and (not os.path.islink(path) or _leads_inside(out, path))
    return known[folder]


def _leads_inside(out: Path, link: Path) -> bool:
    return link.resolve().is_relative_to(out.resolve())


def write_file(path: Path | str, data: bytes) -> None:
    """Create or truncate path and write data, with the mode open() would give: three system calls
    (Path.write_bytes adds an fstat and an isatty to each of the build's tens of thousands)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:  # a full disk: os.write names no file, the message must
        raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
    finally:
        os.close(fd)


def same(path: Path, data: bytes) -> bool:
    """True if the file exists with exactly these bytes (size first: cheap)."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def same_file(path: Path, other: Path) -> bool:
    """True if path exists with exactly other's bytes (size first; then compared in chunks, so a
    big file is never held whole)."""
    try:
        if path.stat().st_size != other.stat().st_size:
            return False
        with open(path, "rb") as a, open(other, "rb") as b:  # not filecmp: its cache trusts mtimes
            while True:
                chunk = a.read(1 << 20)
                if chunk != b.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def replace(target: Path, data: bytes) -> None:
    """Write via a new temporary file and rename, so nobody ever reads a half-written page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as exc:
        os.unlink(tmp)
        raise OSError(exc.errno, exc.strerror, os.fspath(target)) from None
    os.chmod(tmp, 0o644)  # mkstemp makes it private; a published page is world-readable
    os.replace(tmp, target)


def exists(path: str) -> bool:
    """Whether a file the last build wrote is still there (its name, at least: a folder in its place
    counts too): checked as cheaply as the system allows, for tens of thousands of pages (no stat
    result made: 40 % less time than os.path.isfile)."""
    return os.access(path, os.F_OK)
