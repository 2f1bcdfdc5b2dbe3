"""microflask's command line without click: the argparse CLI works as
before, click is never imported by microflask itself, microflask plugins
load, and a plugin or helper that needs click says so."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BLOCK_CLICK = """
import sys
sys.modules["click"] = None  # as if click were not installed
"""


def run_python(code, cwd, env=None, args=()):
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, str(cwd)]), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def make_plugin(tmp_path, group, module_source, entry="hello = plugmod:hello"):
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "plugmod.py").write_text(textwrap.dedent(module_source))
    dist = site / "plugdist-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plugdist\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{entry}\n")
    return site


def test_click_does_not_load_without_user_click_code(tmp_path):
    (tmp_path / "plainapp.py").write_text(
        "from microflask import Flask\napp = Flask('plainapp')\n"
        "@app.cli.command()\ndef hi(name: str = 'x'):\n    print('hi', name)\n"
    )
    proc = run_python(
        """
        import sys
        from microflask.cli import FlaskCliRunner
        import plainapp
        result = plainapp.app.test_cli_runner().invoke(args=["hi", "--name", "y"])
        print(result.output.strip(), "click" in sys.modules)
        """,
        tmp_path,
    )
    assert proc.stdout == "hi y False\n", proc.stderr


def test_microflask_plugin_runs_without_click(tmp_path):
    site = make_plugin(
        tmp_path,
        "microflask.commands",
        """
        from microflask.cli import command, echo

        @command()
        def hello(name: str = "you"):
            echo("plugin hello " + name)
        """,
    )
    (tmp_path / "plainapp.py").write_text("from microflask import Flask\napp = Flask('plainapp')\n")
    proc = run_python(
        BLOCK_CLICK + "from microflask.cli import main; sys.exit(main(sys.argv[1:]))",
        tmp_path,
        {"PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path), str(site)])},
        ("--app", "plainapp", "hello", "--name", "z"),
    )
    assert (proc.returncode, proc.stdout) == (0, "plugin hello z\n"), proc.stderr


# -- without click ------------------------------------------------------------------

def test_no_click_argparse_cli_keeps_working(tmp_path):
    (tmp_path / "plainapp.py").write_text(
        "from microflask import Flask\nfrom microflask import cli as click\napp = Flask('plainapp')\n"
        "@app.cli.command()\n@click.option('--n', type=int, default=1)\ndef twice(n):\n    click.echo(n * 2)\n"
    )
    proc = run_python(
        BLOCK_CLICK + textwrap.dedent("""
        from microflask.cli import main
        sys.exit(main(["--app", "plainapp", "twice", "--n", "21"]))
        """),
        tmp_path,
    )
    assert (proc.returncode, proc.stdout) == (0, "42\n"), proc.stderr


def test_no_click_plugin_needing_click_is_skipped_with_a_message(tmp_path):
    site = make_plugin(tmp_path, "microflask.commands", "import click\n")
    (tmp_path / "plainapp.py").write_text(
        "from microflask import Flask\napp = Flask('plainapp')\n@app.cli.command()\ndef ok():\n    print('ok')\n"
    )
    proc = run_python(
        BLOCK_CLICK + "from microflask.cli import main; sys.exit(main(sys.argv[1:]))",
        tmp_path,
        {"PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path), str(site)])},
        ("--app", "plainapp", "ok"),
    )
    assert (proc.returncode, proc.stdout) == (0, "ok\n"), proc.stderr
    assert "the command 'hello' from the 'microflask.commands' plugin 'plugmod:hello' needs click" in proc.stderr
    assert "pip install click" in proc.stderr


def test_no_click_require_click_message(tmp_path):
    proc = run_python(
        BLOCK_CLICK + textwrap.dedent("""
        from microflask.cli import AppGroup, click_app_group_class
        try:
            click_app_group_class()
        except RuntimeError as e:
            print(e)
        """),
        tmp_path,
    )
    assert proc.stdout.startswith("A click group in the application context needs click, which is not installed")


def test_microflask_cli_names_click_only_names():
    import microflask.cli

    with pytest.raises(AttributeError, match=r"microflask.cli has no 'confirm'.*click.confirm \(a microflask limitation\)"):
        microflask.cli.confirm  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nothing_like_it'"):
        microflask.cli.nothing_like_it  # noqa: B018
    assert not hasattr(microflask.cli, "File")


def test_click_exception_alias_behaves_as_click_exception():
    from microflask import Flask
    from microflask import cli as click

    app = Flask("alias")

    @app.cli.command()
    def fail():
        raise click.ClickException("it broke")

    result = app.test_cli_runner().invoke(args=["fail"])
    assert (result.exit_code, result.output) == (1, "Error: it broke\n")


def test_version_option_for_a_custom_group():
    from microflask.cli import CliRunner, FlaskGroup, version_option, version_text

    group = FlaskGroup(add_version_option=False, params=[version_option])
    result = CliRunner().invoke(group, ["--version"])
    assert (result.exit_code, result.output) == (0, version_text() + "\n")


RUNNER_SCENARIO = """
import json
from microflask import Flask
from microflask.cli import echo, Abort

app = Flask("iso")

@app.cli.command()
def talk(name: str = "x"):
    echo("out " + name)
    echo("err " + name, err=True)
    print("printed")

@app.cli.command()
def ask():
    answer = input("Name? ")
    echo("got " + answer)

@app.cli.command()
def stop():
    raise Abort()

@app.cli.command()
def env():
    import os
    echo(os.environ.get("ISO_VAR", "unset"))

runner = app.test_cli_runner()
out = []
for args, kwargs in [(["talk", "--name", "y"], {}), (["ask"], {"input": "ann\\n"}), (["stop"], {}),
                     (["env"], {"env": {"ISO_VAR": "set"}}), (["env"], {}), (["nope"], {})]:
    r = runner.invoke(args=args, **kwargs)
    out.append([r.exit_code, r.output, r.stdout, r.stderr, type(r.exception).__name__])
print(json.dumps(out))
"""


def test_runner_isolation_same_with_and_without_click(tmp_path):
    # Without click the runner swaps the streams itself; with click loaded
    # it uses click's isolation (for click's prompts). microflask commands
    # see the same either way.
    pytest.importorskip("click", reason="click is not installed: nothing to compare with")
    blocked = run_python(BLOCK_CLICK + RUNNER_SCENARIO, tmp_path)
    loaded = run_python("import click\n" + RUNNER_SCENARIO, tmp_path)
    assert blocked.returncode == loaded.returncode == 0, blocked.stderr + loaded.stderr
    assert blocked.stdout == loaded.stdout
    results = __import__("json").loads(blocked.stdout)
    assert results[0][1:4] == ["out y\nerr y\nprinted\n", "out y\nprinted\n", "err y\n"]
    assert results[3][1] == "set\n" and results[4][1] == "unset\n"
    assert results[2][:2] == [1, "Aborted!\n"]


def test_no_click_unknown_command_setting_message(tmp_path):
    proc = run_python(
        BLOCK_CLICK + textwrap.dedent("""
        from microflask.cli import command
        try:
            @command(deprecated=True)
            def old():
                pass
        except TypeError as e:
            print(e)
        """),
        tmp_path,
    )
    assert proc.stdout == (
        "microflask.cli commands do not take 'deprecated' (a microflask limitation;"
        " with click installed, such a command is made with click).\n"
    ), proc.stderr


@pytest.mark.slow
def test_cli_suites_without_click(tmp_path):
    # The argparse CLI's own suites pass with click blocked; the click
    # interop suites skip, saying why.
    suites = ["test_cli.py", "test_cli_commands.py", "test_cli_discovery.py", "test_cli_click.py", "test_cli_tutorial.py"]
    here = os.path.dirname(os.path.abspath(__file__))
    proc = run_python(
        BLOCK_CLICK
        + "import pytest\n"
        + f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-rs', *{[os.path.join(here, s) for s in suites]!r}]))\n",
        ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "click is not installed: the click interop tests need it" in proc.stdout
    assert "click is not installed: the tutorial's db module imports it" in proc.stdout
    assert " failed" not in proc.stdout


def test_command_refuses_foreign_parameters():
    from microflask.cli import Command

    with pytest.raises(TypeError, match="is not a microflask.cli parameter"):
        Command("c", params=[object()])
