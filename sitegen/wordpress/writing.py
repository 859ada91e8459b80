"""Put one file under content/: written, unchanged, or a clash with a file that is not this import's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def outcome(path: Path, data: bytes) -> str:
    """What writing data to path would do: written, unchanged or clash (another file is there)."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return "clash"
    if not path.exists():
        return "written"
    return "unchanged" if path.read_bytes() == data else "clash"


def put(path: Path, data: bytes, dry_run: bool) -> str:
    """Write data to path atomically unless it is there already or another file is in the way."""
    result = outcome(path, data)
    if result != "written" or dry_run:
        return result
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep a published page from the web server's user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # no half file under the temp name either
        raise
    return result
