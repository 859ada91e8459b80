"""Events and pages as the last build read them: parsed again only when their file changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import cache as caching
from ..core.errors import Problems
from ..core.signature import Signature
from .signatures import settled


def reuse_or_read(caches: caching.Caches, found: list[tuple[Path, Signature]],
                  reader: Callable[[Path, Problems], Any], problems: Problems, sigs: dict[str, tuple]) -> list[Any]:
    """Events and pages: parsed again only when their file changed; sigs gets each one's signature."""
    records = []
    fresh = caches.fresh
    for path, sig in found:
        sig = settled(path, sig, caches.racy)
        old = caches.last.files.get(str(path))
        record = old[1] if old and old[0] == sig else reader(path, problems)
        if record is not None:
            fresh.files[str(path)] = (sig, record)
            sigs[record.slug] = sig
            records.append(record)
    return records
