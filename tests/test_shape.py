"""The code's shape (issue 14): small modules, short functions with few parameters, no import cycles.

Counted as the shape tool of issue 14 counts: a module's lines, a function from `def` to its last
line, its parameters without self/cls (positional-only, ordinary and keyword-only; *args and
**kwargs not). `from pkg import mod` depends on the module mod, not on pkg/__init__.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("intake", "sitegen", "build.py")  # what issue 14 measures
MAX_MODULE, MAX_FUNCTION, MAX_PARAMS = 250, 50, 6


def dotted(path: Path) -> str:
    """The module name of a file under ROOT (a package by its folder's name)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(folder: str) -> dict[str, Path]:
    """Every module below a folder (or the one module named), by its dotted name."""
    top = ROOT / folder
    return {dotted(path): path for path in ([top] if top.is_file() else sorted(top.rglob("*.py")))}


def breaches(source: str, where: str) -> list[str]:
    """What in one module's source is larger than issue 14 allows."""
    found = [f"{where}: {len(source.splitlines())} lines"] if len(source.splitlines()) > MAX_MODULE else []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            args = node.args
            params = [a for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
            if length > MAX_FUNCTION:
                found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
            if len(params) > MAX_PARAMS:
                found.append(f"{where}:{node.lineno} {node.name}: {len(params)} parameters")
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules among `known` that one module imports (at any depth of its code, TYPE_CHECKING too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return {module for module in found if module in known and module != name}


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle in the graph, as the modules along it; empty when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished without a cycle
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


@pytest.mark.parametrize("folder", CHECKED)
def test_modules_and_functions_stay_small(folder: str) -> None:
    found = [line for path in modules(folder).values()
             for line in breaches(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == [], f"over {MAX_MODULE} lines a module, {MAX_FUNCTION} a function or {MAX_PARAMS} parameters"


@pytest.mark.parametrize("folder", CHECKED)
def test_no_import_cycle(folder: str) -> None:
    known = modules(folder)
    assert cycle({name: imports(name, path, known) for name, path in known.items()}) == []


def test_the_checks_see_what_they_look_for() -> None:
    long = "def f(self, a, /, b, *args, c, d, e, f, g, **kw):\n" + "    pass\n" * 50
    assert breaches(long, "m.py") == ["m.py:1 f: 51 lines", "m.py:1 f: 7 parameters"]
    assert breaches("x = 1\n" * 251, "m.py") == ["m.py: 251 lines"] and breaches("x = 1\n" * 250, "m.py") == []
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []
    sources = modules("intake")
    assert {"intake.sources.base", "intake.sources.netlify"} <= imports("intake.sources", sources["intake.sources"],
                                                                       sources)
    core = modules("sitegen/core")  # a relative import
    assert "sitegen.core.flatscalar" in imports("sitegen.core.flatyaml", core["sitegen.core.flatyaml"], core)
