"""The distribution ships the ``MICROFLASK_AS_FLASK`` hook
(``microflask_as_flask.pth``) at the top of site-packages: setup.py's
build_py copies it to the root of the build tree, and the sdist carries it.
"""

from __future__ import annotations

import importlib.util
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PTH = "microflask_as_flask.pth"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("setuptools") is None, reason="needs setuptools")


@pytest.fixture
def source_tree(tmp_path):
    """A copy of what the build needs, so building leaves the checkout clean."""
    tree = tmp_path / "src"
    tree.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", PTH, "README.md"):
        shutil.copy(ROOT / name, tree / name)
    for package in ("wsgikit", "microflask"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def setup_py(tree: pathlib.Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "setup.py", "-q", *args], cwd=tree, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_build_puts_the_hook_at_the_root_of_the_build_tree(source_tree):
    setup_py(source_tree, "build", "--build-lib", "out")
    built = source_tree / "out"
    assert (built / PTH).read_text() == (ROOT / PTH).read_text()
    assert (built / "microflask" / "_compat.py").exists()
    assert not (built / "microflask" / PTH).exists()


def test_sdist_carries_the_hook(source_tree):
    import tarfile

    setup_py(source_tree, "sdist", "--dist-dir", "dist")
    (archive,) = (source_tree / "dist").glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        names = {pathlib.PurePosixPath(name).name for name in tar.getnames()}
    assert {PTH, "setup.py", "MANIFEST.in"} <= names
