"""docs/lifecycle.md names places in the code (``path::qualified.name``);
each must exist, so the story it tells cannot drift from the code."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`((?:wsgikit|microflask)/[\w/]+\.py)::([\w.]+)`")


def _references() -> list[tuple[str, str]]:
    return REFERENCE.findall((ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8"))


def _defines(tree: ast.Module, qualname: str) -> bool:
    body: list[ast.stmt] = tree.body
    *outer, name = qualname.split(".")
    for part in outer:
        classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == part]
        if not classes:
            return False
        body = classes[0].body
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return True
    return False


def test_the_story_names_enough_places() -> None:
    assert len(_references()) >= 30


@pytest.mark.parametrize(("path", "qualname"), _references())
def test_named_place_exists(path: str, qualname: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert _defines(tree, qualname), f"{path} defines no {qualname}"
