"""Content errors that name the file and line, collected so an editor sees all of them at once."""

from __future__ import annotations

import functools
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ContentError:
    """One mistake in one content file, with an optional hint on how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


@dataclass
class Problems:
    """Collects content errors across all files; the build stops only after reading everything."""

    root: Path
    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        """Record an error at path:line (the path is shown relative to the site root)."""
        self.errors.append(ContentError(self.show(path), max(line, 1), message, hint))

    def __post_init__(self) -> None:
        self._prefix = _prefix(Path(self.root))

    def show(self, path: Path | str) -> str:
        """The path as an editor knows it: relative to the site root where possible."""
        text = os.fspath(path)  # no symlink resolution: this runs for every file read
        if not (text.startswith(self._prefix) and _PLAIN.search(text) is None):
            text = os.path.abspath(text)  # relative, or with '.' or '..' in it
        if text.startswith(self._prefix):
            return text[len(self._prefix):].replace(os.sep, "/")
        p = Path(path)
        try:
            return p.resolve().relative_to(Path(self.root).resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def __bool__(self) -> bool:
        return bool(self.errors)


_PLAIN = re.compile(r"(^|[/\\])\.\.?([/\\]|$)|[/\\]{2}|[/\\]$")  # what abspath would change in an absolute path


@functools.lru_cache(maxsize=8)
def _prefix(root: Path) -> str:
    """The resolved root and a separator: a Problems is made for every topic, the root resolved once."""
    return str(root.resolve()) + os.sep


class BuildError(Exception):
    """Raised when content errors stop the build; carries every error found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))

    def report(self) -> str:
        """A human-readable block listing every error and how many there are."""
        n = len(self.errors)
        head = f"The build stopped: {n} problem{'s' if n != 1 else ''} in the content."
        return head + "\n" + "\n".join(str(e) for e in self.errors)


class ThemeError(Exception):
    """A template that failed to compile or render, named by file and line; it pickles, so a worker can raise it."""

    @classmethod
    def of(cls, exc: Exception) -> "ThemeError":
        """Describe a Jinja2 error by the template frame it happened in."""
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if not filename:  # a runtime error: Jinja2 gives the template's frames its file and line
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
            if frames:
                filename, line = frames[-1].filename, frames[-1].lineno
        message = getattr(exc, "message", None) or str(exc)
        if not filename:
            return cls(f"a template failed: {message}")
        try:
            shown = Path(filename).resolve().relative_to(Path.cwd()).as_posix()
        except ValueError:
            shown = filename
        return cls(f"{shown}:{line or 1}: {message}")
