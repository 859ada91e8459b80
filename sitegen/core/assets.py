"""Static assets, fingerprinted by content so a CDN may cache them forever."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Assets:
    """Maps a static file's name to its fingerprinted URL and holds its bytes."""

    urls: dict[str, str]
    files: dict[str, bytes]

    def url(self, name: str) -> str:
        """The fingerprinted URL of static/<name>; a missing asset is a template bug."""
        try:
            return self.urls[name]
        except KeyError:
            raise KeyError(f"static/{name} does not exist (used by a template)") from None


def fingerprint(static: Path) -> Assets:
    """Read every file under static/ and name it <stem>.<hash>.<suffix>."""
    urls, files = {}, {}
    if static.is_dir():
        for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith(".")):
            data = path.read_bytes()
            rel = path.relative_to(static)
            digest = hashlib.sha256(data).hexdigest()[:10]
            out = (Path("static") / rel.parent / f"{rel.stem}.{digest}{rel.suffix}").as_posix()
            urls[rel.as_posix()] = "/" + out
            files[out] = data
    return Assets(urls, files)
