"""The top-level ``wsgikit`` names Werkzeug offers."""

import subprocess
import sys

import pytest

import wsgikit


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("Request", "wsgikit.wrappers.request"),
        ("Response", "wsgikit.wrappers.response"),
        ("run_simple", "wsgikit.serving"),
        ("Client", "wsgikit.test"),
    ],
)
def test_top_level_names(name, module):
    value = getattr(wsgikit, name)
    assert value.__module__ == module
    assert name in dir(wsgikit)
    exec(f"from wsgikit import {name} as imported", namespace := {})
    assert namespace["imported"] is value


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        wsgikit.nope  # noqa: B018


def test_import_wsgikit_loads_no_submodule():
    code = "import sys, wsgikit; print(sorted(m for m in sys.modules if m.startswith('wsgikit.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
