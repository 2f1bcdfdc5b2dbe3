"""microflask._argcli is a stack: each module imports (at module level) only
the modules below it, in the order its package docstring gives."""

from __future__ import annotations

import ast
import pathlib

import microflask._argcli

PACKAGE = pathlib.Path(microflask._argcli.__file__).parent
ORDER = [
    "utils", "globals", "exceptions", "foreign", "types", "params", "inference",
    "context", "parser", "formatting", "core", "decorators", "interop",
]


def test_every_module_is_in_the_order():
    assert sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__") == sorted(ORDER)


def test_docstring_states_the_order():
    doc = " ".join(microflask._argcli.__doc__.split())
    positions = [doc.index(f"``{name}``") for name in ORDER]
    assert positions == sorted(positions)


def test_module_level_imports_point_down():
    for index, name in enumerate(ORDER):
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                assert ORDER.index(node.module) < index, f"{name} imports {node.module} at module level"
