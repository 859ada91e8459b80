"""The architecture's one rule: sitegen/core (what the site is) imports nothing of the engine, output or top level."""

from __future__ import annotations

import ast

import pytest

from sitetest import REPO

CORE = REPO / "sitegen" / "core"


def _breaks(source: str) -> list[str]:
    """The imports in source (a module of sitegen/core) that reach outside sitegen.core."""
    found = []
    for node in ast.walk(ast.parse(source)):  # every import, also those inside functions
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "sitegen"
                      and not (a.name + ".").startswith("sitegen.core.")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level >= 2:  # ..engine, ..output, ..pipeline, `from .. import build`: all outside core
                found.append("." * node.level + module)
            elif node.level == 0 and module.split(".")[0] == "sitegen" and not (module + ".").startswith("sitegen.core."):
                found.append(module)
    return found


@pytest.mark.parametrize("source", [
    "from ..engine.speedups import install", "from ..output import writer", "from .. import pipeline",
    "from ..pipeline import build", "import sitegen.engine.cache", "from sitegen.output.lock import hold",
    "from sitegen import build", "import sitegen", "def f():\n    from ...sitegen.engine import x",
])
def test_the_check_finds_each_kind_of_import_out_of_core(source: str) -> None:
    assert _breaks(source)


@pytest.mark.parametrize("source", ["from .source import Source", "from . import rules", "import sitegen.core.schema",
                                    "from sitegen.core.urls import prefix_of", "import markdown", "import sitegenx"])
def test_the_check_lets_core_import_core_and_libraries(source: str) -> None:
    assert _breaks(source) == []


def test_core_never_imports_engine_output_or_the_top_level() -> None:
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) > 10
    breaks = {p.relative_to(REPO).as_posix(): b for p in modules if (b := _breaks(p.read_text(encoding="utf-8")))}
    assert breaks == {}
