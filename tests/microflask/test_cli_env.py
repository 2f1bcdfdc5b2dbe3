"""The environment switches the command line and the app share:
``get_debug_flag``/``get_load_dotenv`` (one definition, in
:mod:`microflask.helpers`) and ``FLASK_SKIP_DOTENV`` turning off ``.env``
loading for the command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import microflask.cli
import microflask.helpers
from microflask import Flask
from microflask.helpers import get_debug_flag
from microflask.helpers import get_load_dotenv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWITCHES = ("MICROFLASK_DEBUG", "FLASK_DEBUG", "MICROFLASK_SKIP_DOTENV", "FLASK_SKIP_DOTENV")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)


def test_one_definition():
    assert microflask.cli.get_debug_flag is microflask.helpers.get_debug_flag
    assert microflask.cli.get_load_dotenv is microflask.helpers.get_load_dotenv


# Flask's answers for FLASK_*; MICROFLASK_* wins when set and not empty.
@pytest.mark.parametrize(
    ("env", "debug"),
    [
        ({}, False),
        ({"FLASK_DEBUG": "1"}, True),
        ({"FLASK_DEBUG": "yes"}, True),
        ({"FLASK_DEBUG": "off"}, True),
        ({"FLASK_DEBUG": "0"}, False),
        ({"FLASK_DEBUG": "False"}, False),
        ({"FLASK_DEBUG": "no"}, False),
        ({"FLASK_DEBUG": ""}, False),
        ({"MICROFLASK_DEBUG": "1"}, True),
        ({"MICROFLASK_DEBUG": "0", "FLASK_DEBUG": "1"}, False),
        ({"MICROFLASK_DEBUG": "", "FLASK_DEBUG": "1"}, True),
    ],
)
def test_get_debug_flag(monkeypatch, env, debug):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert get_debug_flag() is debug
    # The app's DEBUG default gives the same answer.
    assert Flask("envapp").debug is debug


@pytest.mark.parametrize(
    ("env", "default", "load"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"FLASK_SKIP_DOTENV": "1"}, True, False),
        ({"FLASK_SKIP_DOTENV": "yes"}, True, False),
        ({"FLASK_SKIP_DOTENV": "0"}, False, True),
        ({"FLASK_SKIP_DOTENV": "false"}, True, True),
        ({"FLASK_SKIP_DOTENV": ""}, False, False),
        ({"MICROFLASK_SKIP_DOTENV": "1"}, True, False),
        ({"MICROFLASK_SKIP_DOTENV": "no", "FLASK_SKIP_DOTENV": "1"}, True, True),
    ],
)
def test_get_load_dotenv(monkeypatch, env, default, load):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert get_load_dotenv(default) is load


APP = """
import os
from microflask import Flask
app = Flask(__name__)

@app.cli.command()
def show():
    print(os.environ.get("FROM_ENV"), os.environ.get("FROM_FLASKENV"), os.environ.get("FROM_FILE"))
"""


@pytest.mark.parametrize(
    ("switch", "args", "expected"),
    [
        ({}, [], "env flaskenv None"),
        ({}, ["-e", "extra.env"], "env flaskenv file"),
        ({"FLASK_SKIP_DOTENV": "1"}, [], "None None None"),
        # An explicit file is still loaded, as in Flask.
        ({"FLASK_SKIP_DOTENV": "1"}, ["-e", "extra.env"], "None None file"),
        ({"FLASK_SKIP_DOTENV": "0"}, [], "env flaskenv None"),
        ({"MICROFLASK_SKIP_DOTENV": "true"}, [], "None None None"),
    ],
)
def test_skip_dotenv_for_the_command_line(tmp_path, switch, args, expected):
    (tmp_path / "envapp.py").write_text(APP)
    (tmp_path / ".env").write_text("FROM_ENV=env\n")
    (tmp_path / ".flaskenv").write_text("FROM_FLASKENV=flaskenv\n")
    (tmp_path / "extra.env").write_text("FROM_FILE=file\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FROM_") and k not in SWITCHES}
    env.update(switch, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", *args, "--app", "envapp", "show"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (0, expected + "\n"), proc.stderr


@pytest.mark.parametrize(("switch", "loaded"), [({}, "env"), ({"FLASK_SKIP_DOTENV": "1"}, None)])
def test_app_run_honours_skip_dotenv(tmp_path, monkeypatch, switch, loaded):
    import wsgikit.serving

    (tmp_path / ".env").write_text("FROM_RUN_ENV=env\nFLASK_DEBUG=1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FROM_RUN_ENV", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    for key, value in switch.items():
        monkeypatch.setenv(key, value)
    calls = []
    monkeypatch.setattr(wsgikit.serving, "run_simple", lambda *args, **kwargs: calls.append(args))
    app = Flask("runner_app")
    try:
        app.run()
        assert calls and calls[0][2] is app
        assert os.environ.get("FROM_RUN_ENV") == loaded
        assert app.debug is (loaded is not None)
    finally:
        os.environ.pop("FROM_RUN_ENV", None)
        os.environ.pop("FLASK_DEBUG", None)
