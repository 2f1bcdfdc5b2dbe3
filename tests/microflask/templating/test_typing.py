"""The template engine's typing (issue 16) and import layering (issue 17).

``mypy --strict`` must accept the engine's modules; every ``# type: ignore``
and ``# pyright: ignore`` in them says why on the same line; the node classes
declare every field they list; an import of the engine's own modules left
inside a function names a cycle that is real.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import pathlib
import re
import subprocess
import sys
import tempfile
import tokenize

import pytest

from microflask.templating import nodes

PACKAGE = pathlib.Path(__file__).resolve().parents[3] / "microflask" / "templating"
SOURCES = sorted(PACKAGE.glob("*.py"))
IGNORE = re.compile(r"#\s*(type|pyright):\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


def _comments(path: pathlib.Path) -> list[tuple[int, str]]:
    with path.open("rb") as f:
        return [(tok.start[0], tok.string) for tok in tokenize.tokenize(f.readline) if tok.type == tokenize.COMMENT]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_checker_ignore_says_why(path: pathlib.Path) -> None:
    unexplained = []
    for lineno, comment in _comments(path):
        match = IGNORE.search(comment)
        if match is None:
            continue
        if match.group(2) is None:
            unexplained.append(f"{path.name}:{lineno}: an ignore without an error code")
        elif not re.search(r"#\s*\S", match.group("rest")):
            unexplained.append(f"{path.name}:{lineno}: {comment}")
    assert unexplained == []


def _node_classes() -> list[type[nodes.Node]]:
    found = [nodes.Node]
    for cls in found:
        found.extend(cls.__subclasses__())
    return [cls for cls in dict.fromkeys(found) if cls.__module__ == nodes.__name__ and not cls.abstract]


@pytest.mark.parametrize("cls", _node_classes(), ids=lambda c: c.__name__)
def test_node_classes_declare_their_fields(cls: type[nodes.Node]) -> None:
    declared: set[str] = set()
    for klass in cls.__mro__:
        declared.update(getattr(klass, "__annotations__", {}))
    assert [name for name in cls.fields if name not in declared] == []


def test_test_and_filter_declare_which_node_may_be_missing() -> None:
    # a filter block's chain has no node; a test always has one
    assert nodes.Filter.__annotations__["node"] == "Expr | None"
    assert nodes.Test.__annotations__["node"] == "Expr"


# -- imports ----------------------------------------------------------------------


def _module_name(path: pathlib.Path) -> str:
    return path.stem


def _relative_targets(node: ast.ImportFrom) -> list[str]:
    """The sibling modules ``from .x import y`` / ``from . import x`` name."""
    if node.level != 1:
        return []
    if node.module:
        return [node.module.split(".")[0]]
    return [alias.name for alias in node.names]


def _is_type_checking(test: ast.expr) -> bool:
    return "TYPE_CHECKING" in ast.unparse(test)


def _module_level_imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            found.update(_relative_targets(stmt))
        elif isinstance(stmt, ast.If) and not _is_type_checking(stmt.test):
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.ImportFrom):
                    found.update(_relative_targets(inner))
    return found


def _function_imports(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(func):
                if isinstance(inner, ast.ImportFrom):
                    found.extend((inner.lineno, target) for target in _relative_targets(inner))
    return found


TREES = {_module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}
COMMENTS = {_module_name(path): dict(_comments(path)) for path in SOURCES}
FUNCTION_IMPORTS = [
    (module, lineno, target) for module, tree in TREES.items() for lineno, target in _function_imports(tree)
]


@pytest.mark.parametrize("module, lineno, target", FUNCTION_IMPORTS, ids=lambda v: str(v))
def test_function_level_imports_name_a_real_cycle(module: str, lineno: int, target: str) -> None:
    comment = COMMENTS[module].get(lineno, "")
    assert "cycle" in comment, f"{module}.py:{lineno} imports .{target} inside a function without saying why"
    # the cycle is real: the imported module imports this one at module level
    assert module in _module_level_imports(TREES[target]), f"{target} does not import {module}"


def test_modules_import_their_own_dependencies_at_module_level() -> None:
    # issue 17: these were function-level imports with no cycle behind them
    assert "exceptions" in _module_level_imports(TREES["debug"])
    assert {"runtime", "loaders"} <= _module_level_imports(TREES["environment"])
    assert "environment" in _module_level_imports(TREES["ext"])


# -- mypy --------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_strict_accepts_the_engine() -> None:
    root = PACKAGE.parents[1]
    cache = pathlib.Path(tempfile.gettempdir()) / "microflask-templating-mypy-cache"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "microflask/templating"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Success" in result.stdout or "Found" in result.stdout, result.stdout + result.stderr
    ours = [line for line in io.StringIO(result.stdout) if line.startswith("microflask/templating/") and ": error:" in line]
    assert ours == []
