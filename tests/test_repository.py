"""The repository keeps the promises its README makes."""

import ast
import pathlib
import re

import pytest

tomllib = pytest.importorskip("tomllib")  # 3.11+; the suite also runs on 3.10

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ci_test_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    marker = lines.index("# The README's test command (tests/test_repository.py keeps the two identical).")
    return lines[marker + 1]


def test_readme_gives_the_command_ci_runs():
    assert ci_test_command() in (ROOT / "README.md").read_text()


def test_ci_fails_on_error():
    assert "set -euo pipefail" in (ROOT / ".ci" / "run").read_text()


def test_no_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == []
    assert project["requires-python"] == ">=3.10"
    assert set(project["optional-dependencies"]) >= {"test", "bench"}


def test_both_packages_ship_py_typed():
    assert (ROOT / "wsgikit" / "py.typed").exists()
    assert (ROOT / "microflask" / "py.typed").exists()


def _runtime_imports(package: str):
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                yield path, [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, [node.module]


PEERS = re.compile(r"^(werkzeug|flask|jinja2|markupsafe|itsdangerous|click|blinker)(\.|$)")


#: The one module allowed to import a peer, and only inside a function: the
#: click bridge imports click when the user's own code asked for something
#: only click can do (DESIGN.md: interoperate with a user's click commands).
INTEROP_MODULES = {ROOT / "microflask" / "_argcli" / "foreign.py": {"click"}}


def _module_level_imports(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield [node.module]


@pytest.mark.slow
def test_runtime_code_never_imports_a_peer():
    for package in ("wsgikit", "microflask"):
        for path, names in _runtime_imports(package):
            peers = {n for n in names if PEERS.match(n)}
            assert peers <= INTEROP_MODULES.get(path, set()), path


def test_interop_modules_import_peers_only_inside_functions():
    for path in INTEROP_MODULES:
        tree = ast.parse(path.read_text(), str(path))
        for names in _module_level_imports(tree):
            assert not [n for n in names if PEERS.match(n)], path


def test_wsgikit_never_imports_microflask():
    for path, names in _runtime_imports("wsgikit"):
        assert not [n for n in names if n.split(".")[0] == "microflask"], path


def _is_reexport(node: ast.stmt) -> bool:
    if isinstance(node, (ast.ImportFrom, ast.Import, ast.Expr, ast.Assign, ast.AnnAssign, ast.If)):
        return True  # ast.If: the ``if t.TYPE_CHECKING:`` block of a lazy table
    # A module-level __getattr__/__dir__ re-exports lazily (PEP 562).
    return isinstance(node, ast.FunctionDef) and node.name in ("__getattr__", "__dir__")


def test_package_init_files_only_reexport():
    for init in list((ROOT / "wsgikit").rglob("__init__.py")) + list((ROOT / "microflask").rglob("__init__.py")):
        tree = ast.parse(init.read_text(), str(init))
        assert all(_is_reexport(node) for node in tree.body), init


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_test_extra_installs_both_type_checkers():
    test_extra = _pyproject()["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~;\s]", requirement, maxsplit=1)[0] for requirement in test_extra}
    # pyright with the nodejs extra: Node.js from PyPI, nothing fetched from elsewhere.
    assert {"mypy", "pyright[nodejs]"} <= names


def test_the_checkers_configuration_checks_what_the_test_run_checks():
    """``python3 -m mypy``/``pyright`` with no arguments check the files that
    tests/test_types.py checks, in the modes it checks them, for the oldest
    supported Python."""
    config = _pyproject()
    checked = ["wsgikit", "microflask", "examples/typed_app", "tests/examples/test_typed_app.py"]
    oldest = config["project"]["requires-python"].removeprefix(">=")
    mypy, pyright = config["tool"]["mypy"], config["tool"]["pyright"]
    assert (mypy["files"], mypy["strict"], mypy["python_version"]) == (checked, True, oldest)
    assert (pyright["include"], pyright["typeCheckingMode"], pyright["pythonVersion"]) == (checked, "basic", oldest)
    for path in checked:
        assert (ROOT / path).exists(), path


def test_the_editable_install_is_a_plain_path():
    """The project root as every package's root: setuptools then makes the
    editable install a path in a .pth file, which type checkers read
    (docs/installation.md; tests/test_editable_install.py checks the result)."""
    assert _pyproject()["tool"]["setuptools"]["package-dir"] == {"": "."}
