"""The import graph of both packages is a stack (DESIGN.md, "Layering").

Every module's module-level imports of the project's own modules are read
with :mod:`ast` (imports under ``if TYPE_CHECKING:`` and inside functions do
not count: the first cost nothing at runtime, the second are the deliberate
upward calls and lazy imports, each with a comment). A module may import
its own layer or a lower one; importing a higher layer at module level, or
a cycle at module level inside one layer, fails here.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

#: Module (or package prefix) -> layer; the longest matching prefix wins.
#: Lower numbers are lower layers. Mirrors the package docstrings.
LAYERS: dict[str, int] = {
    # wsgikit
    "wsgikit": 0,  # the package itself only holds a lazy name table
    "wsgikit._internal": 0,
    "wsgikit._http11": 0,
    "wsgikit.security": 0,
    "wsgikit._http_text": 1,
    "wsgikit.urls": 1,
    "wsgikit.user_agent": 1,
    "wsgikit.datastructures": 2,
    "wsgikit.http": 3,
    "wsgikit.exceptions": 3,
    "wsgikit._cookiejar": 3,
    "wsgikit.utils": 3,
    "wsgikit._send_file": 3,
    "wsgikit.sansio": 4,
    "wsgikit.wsgi": 5,
    "wsgikit.formparser": 5,
    "wsgikit.local": 5,
    "wsgikit.wrappers": 6,
    "wsgikit.routing": 6,
    "wsgikit.test": 7,
    "wsgikit.middleware": 7,
    "wsgikit.debug": 7,
    "wsgikit.serving": 7,
    "wsgikit._serving_handler": 7,  # below serving: the request handler
    "wsgikit._serving_input": 7,  # below the handler: wsgi.input
    "wsgikit._serving_tls": 7,  # below serving: SSL contexts
    "wsgikit._reloader": 7,
    # microflask (above every wsgikit layer)
    "microflask": 10,  # the package itself only holds a lazy name table
    "microflask.markup": 10,
    "microflask.templating": 10,
    "microflask.templating.flask_glue": 12,  # Flask's flask.templating: the app-level glue
    "microflask._argcli": 10,
    "microflask._signing": 10,
    "microflask._dotenv": 10,
    "microflask._envflags": 10,
    "microflask.typing": 10,
    "microflask.globals": 11,
    "microflask.ctx": 11,
    "microflask.wrappers": 11,
    "microflask.config": 11,
    "microflask.json": 11,
    "microflask.sessions": 11,
    "microflask.signals": 11,
    "microflask.helpers": 11,
    "microflask.logging": 11,
    "microflask.scaffold": 12,
    "microflask._app_templating": 12,
    "microflask.blueprints": 12,
    "microflask.app": 12,
    "microflask.views": 12,
    "microflask.testing": 12,
    "microflask.cli": 12,
    "microflask._clirunner": 12,
    "microflask._compat": 13,
    "microflask.__main__": 13,
}

PACKAGES = ("wsgikit", "microflask")


def layer_of(module: str) -> int:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise KeyError(f"{module} has no layer in tests/test_layering.py: add it")


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _all_modules() -> dict[str, pathlib.Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _all_modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _own(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def module_level_imports(module: str) -> list[tuple[int, str]]:
    """``(line, imported module)`` for every runtime module-level import of
    the project's own modules (``from pkg import submodule`` counts as
    importing the submodule)."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    found: list[tuple[int, str]] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(node, ast.If) and _is_type_checking(node):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.extend((node.lineno, alias.name) for alias in node.names if _own(alias.name))
            elif isinstance(node, ast.ImportFrom):
                target = _target(module, is_package, node)
                if not _own(target):
                    continue
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    found.append((node.lineno, submodule if submodule in MODULES else target))
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(node, ast.ClassDef):
                    visit([n for n in inner if isinstance(n, ast.stmt | ast.ExceptHandler)])
                elif isinstance(inner, list):
                    visit(inner)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    visit(tree.body)
    return found


def test_every_module_has_a_layer() -> None:
    missing = []
    for module in MODULES:
        try:
            layer_of(module)
        except KeyError as exc:
            missing.append(str(exc))
    assert not missing, missing


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_level_import_points_up(module: str) -> None:
    own = layer_of(module)
    upward = [
        f"{module}:{line} imports {target} (layer {layer_of(target)} > {own})"
        for line, target in module_level_imports(module)
        if target in MODULES and layer_of(target) > own
    ]
    assert not upward, "\n".join(upward)


def test_module_level_imports_have_no_cycle() -> None:
    graph = {m: {t for _, t in module_level_imports(m) if t in MODULES and t != m} for m in MODULES}
    # Importing a submodule runs its package first; that is not a cycle.
    for module, targets in graph.items():
        targets -= {p for p in targets if module.startswith(p + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, " -> ".join(cycle)


def test_the_checker_sees_an_upward_import(tmp_path: pathlib.Path) -> None:
    # The checker itself must notice a violation, or the tests above prove nothing.
    MODULES["wsgikit._layering_probe"] = probe = tmp_path / "probe.py"
    try:
        probe.write_text(
            "import typing as t\nfrom .wrappers import Response\nif t.TYPE_CHECKING:\n    from .test import Client\n"
            "def f():\n    from .serving import run_simple\n",
            encoding="utf-8",
        )
        LAYERS["wsgikit._layering_probe"] = 1
        assert module_level_imports("wsgikit._layering_probe") == [(2, "wsgikit.wrappers")]
        with pytest.raises(AssertionError, match="imports wsgikit.wrappers"):
            test_no_module_level_import_points_up("wsgikit._layering_probe")
    finally:
        del MODULES["wsgikit._layering_probe"]
        LAYERS.pop("wsgikit._layering_probe", None)
