"""Plugin commands from the ``microflask.commands`` and ``flask.commands``
entry-point groups: which are loaded, when, and which wins a name."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_dist(site, dist_name, entries, modules, requires=()):
    """A real installed distribution (a ``.dist-info`` folder) on ``site``."""
    site.mkdir(exist_ok=True)
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{dist_name}-1.0.dist-info"
    info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: 1.0\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    (info / "METADATA").write_text(metadata)
    text = ""
    for group, lines in entries.items():
        text += f"[{group}]\n" + "".join(f"{line}\n" for line in lines)
    (info / "entry_points.txt").write_text(text)


def run_cli(tmp_path, site, *args):
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_APP", "_DEBUG"))}
    env["PYTHONPATH"] = os.pathsep.join([ROOT, str(tmp_path), str(site)])
    code = "import sys; from microflask.cli import main; rc = main(sys.argv[1:]); print('REAL_FLASK', getattr(sys.modules.get('flask'), '__name__', None) == 'flask'); sys.exit(rc)"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


FLASK_PLUGIN = """
from flask.cli import command, echo

@command()
def tool():
    '''A Flask plugin's tool.'''
    import flask
    echo("tool runs on " + flask.__name__)
"""

PLAIN_APP = "from microflask import Flask\napp = Flask('plugapp')\n"
# A crude stand-in for install_as_flask(): only ``flask`` and ``flask.cli``.
ALIASING_APP = (
    "import sys\nimport microflask, microflask.cli\n"
    "sys.modules['flask'] = microflask\nsys.modules['flask.cli'] = microflask.cli\n" + PLAIN_APP
)


@pytest.mark.slow
def test_flask_plugin_needing_flask_is_skipped_without_install_as_flask(tmp_path):
    site = tmp_path / "site"
    make_dist(site, "flasktool", {"flask.commands": ["tool = flasktool:tool"]}, {"flasktool": FLASK_PLUGIN}, ["Flask>=2"])
    (tmp_path / "plugapp.py").write_text(PLAIN_APP)
    listing = run_cli(tmp_path, site, "--app", "plugapp", "--help")
    assert listing.returncode == 0, listing.stderr
    assert "tool" not in listing.stdout.split("Commands:")[1]
    proc = run_cli(tmp_path, site, "--app", "plugapp", "tool")
    assert proc.returncode == 2
    assert "Note: 'tool' is a command of the Flask plugin 'flasktool:tool', which needs Flask's API" in proc.stderr
    assert "Error: No such command 'tool'." in proc.stderr
    # Flask itself was never imported next to microflask.
    assert "REAL_FLASK False" in proc.stdout


@pytest.mark.slow
def test_flask_plugin_loads_after_the_app_that_installs_microflask_as_flask(tmp_path):
    site = tmp_path / "site"
    make_dist(site, "flasktool", {"flask.commands": ["tool = flasktool:tool"]}, {"flasktool": FLASK_PLUGIN}, ["Flask>=2"])
    (tmp_path / "plugapp.py").write_text(ALIASING_APP)
    proc = run_cli(tmp_path, site, "--app", "plugapp", "tool")
    assert (proc.returncode, proc.stdout) == (0, "tool runs on microflask\nREAL_FLASK False\n"), proc.stderr
    listing = run_cli(tmp_path, site, "--app", "plugapp", "--help")
    assert "  tool " in listing.stdout


def test_flask_extra_requirement_does_not_count(tmp_path):
    site = tmp_path / "site"
    plugin = "from microflask.cli import command, echo\n@command()\ndef tool():\n    echo('plain tool')\n"
    make_dist(site, "plaintool", {"flask.commands": ["tool = plaintool:tool"]}, {"plaintool": plugin},
              ["flask>=2; extra == 'flask'"])
    (tmp_path / "plugapp.py").write_text(PLAIN_APP)
    proc = run_cli(tmp_path, site, "--app", "plugapp", "tool")
    assert proc.stdout.startswith("plain tool\n"), proc.stderr


def test_microflask_plugin_wins_a_name_over_a_flask_plugin(tmp_path):
    site = tmp_path / "site"
    ours = "from microflask.cli import command, echo\n@command()\ndef tool():\n    echo('microflask plugin')\n"
    theirs = "from microflask.cli import command, echo\n@command()\ndef tool():\n    echo('flask plugin')\n"
    make_dist(site, "ourtool", {"microflask.commands": ["tool = ourtool:tool"]}, {"ourtool": ours})
    make_dist(site, "theirtool", {"flask.commands": ["tool = theirtool:tool"]}, {"theirtool": theirs})
    (tmp_path / "plugapp.py").write_text(PLAIN_APP)
    proc = run_cli(tmp_path, site, "--app", "plugapp", "tool")
    assert proc.stdout.startswith("microflask plugin\n"), proc.stderr


def test_flask_plugin_that_imports_flask_itself_is_reported(tmp_path):
    pytest.importorskip("flask", reason="Flask is not installed: nothing for the plugin to import")
    site = tmp_path / "site"
    # No Requires-Dist: the import of Flask is only seen once it happened.
    plugin = "import flask\nfrom microflask.cli import command\n@command()\ndef sneaky():\n    pass\n"
    make_dist(site, "sneaky", {"flask.commands": ["sneaky = sneakymod:sneaky"]}, {"sneakymod": plugin})
    (tmp_path / "plugapp.py").write_text(PLAIN_APP)
    proc = run_cli(tmp_path, site, "--app", "plugapp", "sneaky")
    assert proc.returncode == 0, proc.stderr
    assert "Warning: the 'flask.commands' plugin 'sneakymod:sneaky' imported Flask itself" in proc.stderr


STAND_IN_HOOK = """
import importlib
import importlib.abc
import importlib.util
import sys


class _FlaskIsMicroflask(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name in ("flask", "flask.cli"):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("micro" + spec.name)

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _FlaskIsMicroflask())
"""


def test_flask_plugin_loaded_under_the_environment_switch(tmp_path, monkeypatch):
    # MICROFLASK_AS_FLASK=1 promises that flask is microflask; its start-up
    # hook (a stand-in here: a finder, flask not imported yet) does the rest.
    site = tmp_path / "site"
    make_dist(site, "flasktool", {"flask.commands": ["tool = flasktool:tool"]}, {"flasktool": FLASK_PLUGIN}, ["Flask>=2"])
    (site / "sitecustomize.py").write_text(STAND_IN_HOOK)
    (tmp_path / "plugapp.py").write_text(PLAIN_APP)
    monkeypatch.setenv("MICROFLASK_AS_FLASK", "1")
    proc = run_cli(tmp_path, site, "--app", "plugapp", "tool")
    assert proc.stdout == "tool runs on microflask\nREAL_FLASK False\n", proc.stderr


@pytest.mark.parametrize("value", ["false", "off", "no", "0", ""])
def test_switch_values_that_mean_off_mean_off_for_plugins_too(value):
    """The CLI reads MICROFLASK_AS_FLASK as the compat layer does: a value
    that installs no aliases does not make flask.commands plugins load."""
    env = {key: val for key, val in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    env["MICROFLASK_AS_FLASK"] = value
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    code = "from microflask.cli import _flask_is_microflask; print(_flask_is_microflask())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert (proc.returncode, proc.stdout) == (0, "False\n"), proc.stderr
