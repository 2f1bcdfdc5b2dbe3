"""docs/api.md lists every public name of wsgikit and microflask."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_reference():
    spec = importlib.util.spec_from_file_location("api_reference", ROOT / "docs" / "api_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_md_lists_every_public_name(api_reference):
    problems = api_reference.differences((ROOT / "docs" / "api.md").read_text(encoding="utf-8"))
    assert not problems, (
        "docs/api.md is out of date (regenerate: python docs/api_reference.py --write):\n"
        + "\n".join(problems)
    )


def test_every_public_module_is_found(api_reference):
    modules = api_reference.public_modules()
    for expected in ["wsgikit", "wsgikit.routing.map", "wsgikit.http", "microflask", "microflask.json.tag"]:
        assert expected in modules
    assert not [m for m in modules if any(part.startswith("_") for part in m.split("."))]


@pytest.mark.parametrize(
    ("module", "present", "absent"),
    [
        ("wsgikit.http", ["parse_cookie", "dump_cookie", "HTTP_STATUS_CODES"], ["t", "annotations"]),
        ("microflask", ["Flask", "request", "url_for"], ["importlib"]),
        ("wsgikit.routing", ["Map", "Rule"], []),
    ],
)
def test_public_names_rules(api_reference, module, present, absent):
    names = api_reference.public_names(module)
    assert set(present) <= set(names)
    assert not set(absent) & set(names)
    assert not [n for n in names if n.startswith("_")]


def test_checker_notices_a_missing_and_a_stale_name(api_reference):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    broken = text.replace("| `parse_cookie` |", "| `parse_cookie_gone` |", 1)
    problems = api_reference.differences(broken)
    assert "wsgikit.http.parse_cookie is not in api.md" in problems
    assert "wsgikit.http.parse_cookie_gone is in api.md but not public" in problems


def test_summaries_come_from_docstrings(api_reference):
    from wsgikit.routing import Map

    kind, summary = api_reference.describe("wsgikit.routing", "Map", {})
    assert kind == "class"
    assert summary and summary in " ".join(Map.__doc__.split())
