"""Helpers of the WordPress import tests: a site copy, an import run, the personal data of an export."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitetest import REPO

from sitegen.wordpress.command import run
from sitegen.wordpress.plan import Options
from sitegen.wordpress.wxr import read_export

DATA = Path(__file__).parent / "data"
HANDMADE = DATA / "handmade.xml"
UPLOADS = DATA / "uploads"
ENV = {"INTAKE_HASH_KEY": "test-hash-key"}


def copy_site(root: Path) -> Path:
    """A private copy of the repository's site that an import and a build may change."""
    for part in ("content", "templates", "static"):
        shutil.copytree(REPO / part, root / part)
    return root


def import_into(root: Path, export: Path = HANDMADE, **options: object) -> str:
    """Run the import in-process with test options; its stdout."""
    out = io.StringIO()
    settings = {"uploads": UPLOADS, **options}
    assert run(root, export, Options(**settings), ENV, out) == 0  # type: ignore[arg-type]
    return out.getvalue()


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python build.py …` as an editor runs it, with the test hash key in the environment."""
    env = {**os.environ, **ENV}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(root)],
                          capture_output=True, text=True, env=env, timeout=240, cwd=REPO)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (hidden ones too) by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def personal_data(export: Path) -> set[str]:
    """Every e-mail, IP, author URL and user agent in the export: none may reach content/."""
    found: set[str] = set()
    for item in read_export(export).items:
        for c in item.comments:
            found |= {v for v in (c.email, c.ip, c.url, c.agent) if v}
    return found


def leaks(root: Path, secrets: set[str]) -> list[str]:
    """Which secrets occur in any byte under content/ or in the report, with where."""
    places = [p for p in sorted((root / "content").rglob("*")) if p.is_file()]
    places += [p for p in (root / "import-report.md",) if p.exists()]
    hits = []
    for path in places:
        data = path.read_bytes()
        hits += [f"{path}: {s}" for s in secrets if s.encode("utf-8") in data]
    return hits
