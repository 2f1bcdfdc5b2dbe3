"""Imports of the package's own modules inside functions (issue 17).

A module imports what it needs at module level. An import stays inside a
function only when it points up the layer stack (``tests/test_layering.py``)
or is a deliberate lazy import for cold start, and then a comment right
above it says which.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "wsgikit"

#: The modules held to the rule here (the rest of the package is checked
#: by the tests of its own parts).
CHECKED = sorted(
    path
    for pattern in (
        "debug/*.py",
        "wrappers/*.py",
        "sansio/*.py",
        "middleware/*.py",
        "urls.py",
        "http.py",
        "_http_text.py",
        "_http11.py",
        "_internal.py",
        "_send_file.py",
        "wsgi.py",
        "utils.py",
        "test.py",
        "exceptions.py",
        "formparser.py",
        "security.py",
        "user_agent.py",
        "_cookiejar.py",
        "__init__.py",
    )
    for path in PACKAGE.glob(pattern)
)


def _is_own(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in {"wsgikit", "microflask"}
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in {"wsgikit", "microflask"} for alias in node.names)
    return False


def function_level_imports(source: str) -> list[tuple[int, bool]]:
    """``(line, explained)`` for each import of the project's own modules
    inside a function; ``explained`` when a comment sits on the lines right
    above it (or on the import's own line)."""
    lines = source.splitlines()
    found = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.stmt) and _is_own(node):
                explained = "#" in lines[node.lineno - 1]
                above = node.lineno - 2
                while not explained and above >= 0 and lines[above].strip().startswith("#"):
                    explained = True
                found.append((node.lineno, explained))
    return found


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_function_level_import_says_why(path: pathlib.Path) -> None:
    silent = [line for line, explained in function_level_imports(path.read_text(encoding="utf-8")) if not explained]
    assert not silent, f"{path.relative_to(ROOT)}: imports inside functions without a comment at lines {silent}"


def test_the_checker_tells_explained_from_silent() -> None:
    source = (
        "def f():\n"
        "    from .wsgi import a\n"
        "def g():\n"
        "    # Deliberate upward call.\n"
        "    from .wrappers import b\n"
        "    import os\n"
        "def h():\n"
        "    import wsgikit.test  # lazy: cold start\n"
    )
    assert function_level_imports(source) == [(2, False), (5, True), (8, True)]


def test_the_debugger_imports_its_dependencies_at_module_level() -> None:
    # Nothing forces them inside functions: debug sits above all of them.
    source = (PACKAGE / "debug" / "application.py").read_text(encoding="utf-8")
    assert function_level_imports(source) == []
    source = (PACKAGE / "debug" / "console.py").read_text(encoding="utf-8")
    assert function_level_imports(source) == []
