import subprocess
import sys

import microflask
from microflask.cli import main


def test_version_names_both_packages(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Python 3.")
    assert out[1] == f"microflask {microflask.__version__}"
    assert out[2].startswith("wsgikit ")


def test_no_arguments_prints_usage(capsys):
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("Usage: microflask")


def test_unknown_command_fails_with_its_name(capsys):
    assert main(["frobnicate"]) == 2
    assert "No such command 'frobnicate'" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "microflask" in proc.stdout
