"""The three parts of sitegen (docs/architecture.md): what the site is, how fast it is built, how it
is written. The engine makes exactly the site the core makes alone; dependencies run one way."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from sitegen import build
from sitegen.core.site import pages
from sitegen.engine import worker
from sitegen.output.paths import MANIFEST
from sitetest import FIXTURE, REPO, TODAY, read_tree

SITEGEN = REPO / "sitegen"


@pytest.mark.parametrize("drafts", [False, True])
def test_the_engine_builds_byte_for_byte_what_the_core_renders_alone(tmp_path: Path, drafts: bool,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Cold in workers, warm after an edit: both equal the serial, cacheless rendering."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setattr(worker, "SERIAL_BELOW", 1)  # topic pages made in worker processes
    out = tmp_path / "out"
    build(root, out, today=TODAY, drafts=drafts)
    assert _site(out) == dict(pages(root, TODAY, drafts))
    topic = root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    build(root, out, today=TODAY, drafts=drafts)
    assert _site(out) == dict(pages(root, TODAY, drafts))


def test_the_real_content_builds_as_the_core_renders_it(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    build(root, tmp_path / "out", today=TODAY)
    assert _site(tmp_path / "out") == dict(pages(root, TODAY))


def _site(out: Path) -> dict[str, bytes]:
    """The built files, without the build's own list of them."""
    files = read_tree(out)
    assert files.pop(MANIFEST).decode().split() == sorted(files)
    return files


def _imports(path: Path) -> set[str]:
    """The sitegen modules a file imports, as dotted names (relative imports resolved)."""
    return _imports_of(path.read_text(encoding="utf-8"), ".".join(path.relative_to(REPO).with_suffix("").parts[:-1]))


def _imports_of(source: str, package: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name == "sitegen" or name.startswith("sitegen.")}


@pytest.mark.parametrize("part,allowed", [  # the core's own check: test_layers.py
    ("output", ("sitegen.output",)),
    ("engine", ("sitegen.engine", "sitegen.core", "sitegen.output")),
])
def test_dependencies_run_one_way(part: str, allowed: tuple[str, ...]) -> None:
    """The output writes bytes, whatever they are; the engine uses the core and the output, never the top level."""
    wrong = {}
    for path in sorted((SITEGEN / part).rglob("*.py")):
        bad = sorted(name for name in _imports(path)
                     if not any(name == a or name.startswith(a + ".") for a in allowed))
        if bad:
            wrong[path.relative_to(REPO).as_posix()] = bad
    assert wrong == {}


def test_the_import_check_sees_a_relative_import_into_another_part() -> None:
    """The check above would pass on anything if it did not resolve relative imports."""
    found = _imports_of("from ..engine import cache\nfrom . import model\n", "sitegen.core")
    assert {"sitegen.engine.cache", "sitegen.core.model"} <= found


def test_the_lookahead_starts_before_the_libraries_are_imported() -> None:
    """build.py forks the comment listing (engine/lookahead.py) before it imports the build: that
    import must stay light, or the child starts late. The package's public names still resolve."""
    import subprocess
    import sys

    heavy = ("jinja2", "yaml", "markdown", "PIL", "sitegen.pipeline", "sitegen.core.readers")
    script = ("import sys; import sitegen.engine.lookahead; "
              f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert found.stdout.split() == []
    import sitegen
    assert all(getattr(sitegen, name) is not None for name in sitegen.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        getattr(sitegen, "nothing")
