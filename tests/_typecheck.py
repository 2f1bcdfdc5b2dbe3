"""Shared by the typing tests: type-check a snippet of user code with
``mypy --strict`` and return the errors that point into it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_mypy(tmp_path: Path, source: str, name: str = "typing_snippet.py") -> list[str]:
    """Type-check ``source`` (dedented) with ``mypy --strict``; return the
    error lines that point into it. Skips when mypy is not installed."""
    pytest.importorskip("mypy", reason="mypy is not installed: the typing checks need it")
    snippet = tmp_path / name
    snippet.write_text(textwrap.dedent(source))
    proc = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
            "--cache-dir", str(tmp_path / ".mypy_cache"), str(snippet),
        ],
        cwd=ROOT,
        env=dict(os.environ, MYPYPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if "error" not in proc.stdout and proc.returncode not in (0, 1):
        pytest.fail(f"mypy did not run: {proc.stderr or proc.stdout}")
    return [line for line in proc.stdout.splitlines() if line.startswith(str(snippet))]
