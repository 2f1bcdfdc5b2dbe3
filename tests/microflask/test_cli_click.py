"""click interop: click commands, groups and options on ``app.cli`` and
blueprints' ``cli``, ``with_appcontext``/``pass_script_info``/``AppGroup``
for click code, the test runner and the ``microflask`` program running
them, plugins from entry points, and the no-click path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from microflask import Blueprint
from microflask import current_app
from microflask.cli import AppGroup
from microflask.cli import FlaskGroup
from microflask.cli import ScriptInfo
from microflask.cli import pass_script_info
from microflask.cli import with_appcontext

click = pytest.importorskip("click", reason="click is not installed: the click interop tests need it")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _restore_environ():
    saved = dict(os.environ)
    for key in ("MICROFLASK_DEBUG", "FLASK_DEBUG", "MICROFLASK_APP", "FLASK_APP"):
        os.environ.pop(key, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def run_python(code, cwd, env=None, args=()):
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, str(cwd)]), **(env or {})}
    full_env.pop("MICROFLASK_AS_FLASK", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- click commands on app.cli -------------------------------------------------


def test_add_click_command_as_flask_does(app):
    @click.command("init-db")
    def init_db_command():
        """Clear the data and create new tables."""
        click.echo(f"Initialized {current_app.name}.")

    app.cli.add_command(init_db_command)
    assert app.cli.commands["init-db"] is init_db_command
    # As in Flask, app.cli alone pushes no application context for a
    # command added with add_command (the program's FlaskGroup does).
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 1
    assert str(result.exception).startswith("Working outside of application context.")
    group = FlaskGroup(create_app=lambda: app)
    result = app.test_cli_runner().invoke(group, ["init-db"])
    assert result.exit_code == 0, result.output
    assert result.output == "Initialized test_app.\n"


def test_click_group_added_like_flask_migrate(app):
    @click.group()
    def db():
        """Perform database migrations."""

    @db.command()
    @click.option("-d", "--directory", default="migrations", help="The migration folder.")
    @with_appcontext
    def init(directory):
        """Create a new migration repository."""
        click.echo(f"init {directory} in {current_app.name}")

    app.cli.add_command(db)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "init", "-d", "m2"]).output == "init m2 in test_app\n"
    # The group itself, invoked directly: with_appcontext loads the runner's app.
    result = runner.invoke(db, ["init"])
    assert result.exit_code == 0, result.output
    assert result.output == "init migrations in test_app\n"
    help_result = runner.invoke(args=["db", "--help"])
    assert help_result.exit_code == 0
    assert "Usage: test_app db [OPTIONS] COMMAND [ARGS]..." in help_result.output
    assert "init  Create a new migration repository." in help_result.output


def test_app_cli_command_with_click_options_and_arguments(app):
    @app.cli.command()
    @click.option("--name", default="world", help="Who.")
    @click.argument("count", type=int)
    def hello(name, count):
        """Say hello."""
        click.echo(f"hello {name} x{count} from {current_app.name}")

    assert isinstance(app.cli.commands["hello"], click.Command)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["hello", "--name", "bob", "3"]).output == "hello bob x3 from test_app\n"
    bad = runner.invoke(args=["hello", "x"])
    assert bad.exit_code == 2
    assert isinstance(bad.exception, SystemExit)
    assert "Error: Invalid value for 'COUNT': 'x' is not a valid integer." in bad.output
    assert "Usage: test_app hello [OPTIONS] COUNT" in bad.output


def test_app_cli_command_with_click_pass_context(app):
    @app.cli.command("where")
    @click.pass_context
    def where(ctx):
        click.echo(f"{ctx.info_name} {type(ctx) is click.Context} {current_app.name}")

    result = app.test_cli_runner().invoke(args=["where"])
    assert result.output == "test_app where True test_app\n"


def test_app_cli_group_with_click_option_is_a_click_app_group(app):
    @app.cli.group()
    @click.option("--verbose", is_flag=True)
    def tools(verbose):
        click.echo(f"verbose={verbose}")

    @tools.command()
    def ping():
        # Commands of the click AppGroup run in the application context.
        click.echo(f"pong {current_app.name}")

    assert isinstance(tools, click.Group)
    result = app.test_cli_runner().invoke(args=["tools", "--verbose", "ping"])
    assert result.output == "verbose=True\npong test_app\n"


def test_app_group_from_microflask_cli_used_like_flask_smorest(app):
    openapi_cli = AppGroup("openapi", help="OpenAPI commands.")

    @openapi_cli.command("print")
    @click.option("--format", "-f", type=click.Choice(["json", "yaml"]), default="json")
    def print_doc(format):
        """Print the document."""
        click.echo(json.dumps({"format": format, "app": current_app.name}))

    @openapi_cli.command("list-config-prefixes")
    def list_prefixes():
        click.echo("API_")

    app.cli.add_command(openapi_cli)
    runner = app.test_cli_runner()
    assert json.loads(runner.invoke(args=["openapi", "print", "-f", "yaml"]).output) == {
        "format": "yaml",
        "app": "test_app",
    }
    assert runner.invoke(args=["openapi", "list-config-prefixes"]).output == "API_\n"
    bad = runner.invoke(args=["openapi", "print", "-f", "xml"])
    assert bad.exit_code == 2
    assert "'xml' is not one of 'json', 'yaml'." in bad.output
    listing = runner.invoke(args=["openapi", "--help"]).output
    assert "print                 Print the document." in listing


def test_click_command_on_blueprint_cli(app):
    bp = Blueprint("users", __name__)

    @bp.cli.command("create")
    @click.argument("name")
    def create(name):
        click.echo(f"created {name} in {current_app.name}")

    @click.command("plain")
    def plain():
        click.echo("plain")

    bp.cli.add_command(plain)
    app.register_blueprint(bp)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "ann"]).output == "created ann in test_app\n"
    assert runner.invoke(args=["users", "plain"]).output == "plain\n"


def test_click_exceptions_keep_their_exit_codes(app):
    @click.command()
    def fails():
        raise click.ClickException("it broke")

    @click.command()
    def aborts():
        raise click.Abort()

    @click.command()
    @click.pass_context
    def exits(ctx):
        ctx.exit(3)

    @click.command()
    def crashes():
        raise ValueError("boom")

    for cmd in (fails, aborts, exits, crashes):
        app.cli.add_command(cmd)
    runner = app.test_cli_runner()
    failed = runner.invoke(args=["fails"])
    assert (failed.exit_code, failed.output) == (1, "Error: it broke\n")
    aborted = runner.invoke(args=["aborts"])
    assert (aborted.exit_code, aborted.output) == (1, "Aborted!\n")
    exited = runner.invoke(args=["exits"])
    assert exited.exit_code == 3
    crashed = runner.invoke(args=["crashes"])
    assert crashed.exit_code == 1
    assert isinstance(crashed.exception, ValueError)


def test_runner_invokes_click_objects_directly(app):
    @click.command()
    @click.option("--n", type=int, default=1)
    def count(n):
        click.echo(str(n * 2))
        return n

    result = app.test_cli_runner().invoke(count, ["--n", "21"])
    assert (result.exit_code, result.output) == (0, "42\n")
    assert result.exception is None
    result = app.test_cli_runner().invoke(count, "--n 5")
    assert result.output == "10\n"


def test_pass_script_info_and_with_appcontext_in_click_code(app):
    @click.command()
    @pass_script_info
    def info(script_info):
        click.echo(f"{type(script_info).__name__} {script_info.load_app().name}")

    @click.command()
    @with_appcontext
    def ctx_cmd():
        click.echo(current_app.name)

    runner = app.test_cli_runner()
    assert runner.invoke(info).output == "ScriptInfo test_app\n"
    assert runner.invoke(ctx_cmd).output == "test_app\n"


def test_with_appcontext_under_click_own_runner(app):
    from click.testing import CliRunner as ClickRunner

    @click.command()
    @with_appcontext
    def name():
        click.echo(current_app.name)

    result = ClickRunner().invoke(name, obj=ScriptInfo(create_app=lambda: app))
    assert (result.exit_code, result.output) == (0, "test_app\n")


def test_microflask_command_inside_a_click_group(app):
    # The other direction: a microflask AppGroup added to a click group.
    from click.testing import CliRunner as ClickRunner

    from microflask.cli import option

    sub = AppGroup("sub")

    @sub.command()
    @option("--times", type=int, default=1)
    def shout(times):
        click.echo("hey" * times + " " + current_app.name)

    @click.group()
    def root():
        pass

    root.add_command(sub)
    result = ClickRunner().invoke(root, ["sub", "shout", "--times", "2"], obj=ScriptInfo(create_app=lambda: app))
    assert (result.exit_code, result.output) == (0, "heyhey test_app\n")


def test_mixing_click_and_microflask_options_is_refused(app):
    from microflask.cli import option

    with pytest.raises(TypeError, match="both click and microflask.cli"):

        @app.cli.command()
        @click.option("--a")
        @option("--b")
        def mixed(a, b):
            pass


def test_flask_group_refuses_click_parameters():
    with pytest.raises(TypeError, match="FlaskGroup is microflask's own group"):

        @click.group(cls=FlaskGroup)
        @click.option("--x")
        def manage(x):
            pass


def test_click_group_cls_app_group_with_click_options(app):
    @click.group(cls=AppGroup)
    @click.option("--verbose", is_flag=True)
    def tools(verbose):
        click.echo(f"verbose={verbose}")

    @tools.command()
    def where():
        click.echo(current_app.name)

    assert isinstance(tools, click.Group)
    result = app.test_cli_runner().invoke(tools, ["--verbose", "where"])
    assert result.output == "verbose=True\ntest_app\n"


def test_click_parameters_on_a_microflask_command_class():
    from microflask.cli import Command

    made = Command("c", params=[click.Option(["--x"])])
    assert isinstance(made, click.Command)
    assert [p.name for p in made.params] == ["x"]


def test_click_group_cls_flask_group_custom_script(app):
    # Flask's "custom scripts" pattern: a click decorator making a FlaskGroup.
    @click.group(cls=FlaskGroup, create_app=lambda: app)
    def manage():
        """Management script."""

    @app.cli.command("hi")
    @click.option("--to", default="you")
    def hi(to):
        click.echo(f"hi {to}")

    assert isinstance(manage, FlaskGroup)
    result = app.test_cli_runner().invoke(manage, ["hi", "--to", "me"])
    assert result.output == "hi me\n"


def test_context_invoke_accepts_a_click_command(app):
    from microflask.cli import pass_context

    @click.command()
    @click.option("--x", default="1")
    def target(x):
        click.echo(f"x={x}")

    @app.cli.command()
    @pass_context
    def caller(ctx):
        ctx.invoke(target)
        ctx.invoke(target, x="5")

    assert app.test_cli_runner().invoke(args=["caller"]).output == "x=1\nx=5\n"


# -- the same results as Flask (run side by side in subprocesses) ----------------

SIDE_BY_SIDE = r'''
import json, sys
import click
PKG = sys.argv[1]
mod = __import__(PKG)
cli_mod = __import__(PKG + ".cli", fromlist=["x"])
Flask, current_app = mod.Flask, mod.current_app
AppGroup, with_appcontext, pass_script_info, ScriptInfo, FlaskGroup = (
    cli_mod.AppGroup, cli_mod.with_appcontext, cli_mod.pass_script_info, cli_mod.ScriptInfo, cli_mod.FlaskGroup)

app = Flask("diffapp")

@click.group()
def db():
    """Perform database migrations."""

@db.command()
@click.option("-d", "--directory", default="migrations", help="Migration script directory.")
@click.option("--multidb", is_flag=True, help="Multiple databases.")
@with_appcontext
def init(directory, multidb):
    """Creates a new migration repository."""
    click.echo(f"init {directory} {multidb} {current_app.name}")

@db.command()
@click.argument("revision", default="head")
@with_appcontext
def upgrade(revision):
    """Upgrade to a later version."""
    click.echo(f"upgrade {revision}")

app.cli.add_command(db)

@app.cli.command("hello")
@click.option("--name", default="world", show_default=True)
@click.argument("count", type=int)
def hello(name, count):
    """Say hello COUNT times."""
    click.echo(f"{name}:{count}:{current_app.name}")

openapi = AppGroup("openapi", help="OpenAPI commands.")

@openapi.command("print")
@click.option("-f", "--format", type=click.Choice(["json", "yaml"]), default="json")
def print_doc(format):
    """Print OpenAPI JSON document."""
    click.echo(f"{format} {current_app.name}")

app.cli.add_command(openapi)

@app.cli.command()
@pass_script_info
def info(script_info):
    click.echo(type(script_info).__name__ + " " + script_info.load_app().name)

@click.command()
def boom():
    raise click.ClickException("bad thing")

app.cli.add_command(boom)

runner = app.test_cli_runner()
cases = [
    (None, ["db", "init"]), (None, ["db", "init", "-d", "x", "--multidb"]), (None, ["db", "upgrade", "abc"]),
    (None, ["db", "--help"]), (None, ["db", "init", "--help"]), (None, ["db", "nope"]), (None, ["db", "init", "--bad"]),
    (None, ["hello", "2"]), (None, ["hello", "--name", "x", "y"]), (None, ["hello"]), (None, ["hello", "--help"]),
    (None, ["openapi", "print", "-f", "yaml"]), (None, ["openapi", "print", "-f", "xml"]), (None, ["openapi", "print", "--help"]),
    (None, ["info"]), (None, ["boom"]),
    (None, ["openapi", "--help"]), (None, ["--help"]), (None, ["openapi"]), (None, ["nope"]),
    ("db", ["init"]), ("db", ["upgrade"]), ("db", []), ("hello", ["3"]), ("openapi", ["print"]),
]
out = []
for target, args in cases:
    cli = {"db": db, "hello": hello, "openapi": openapi}.get(target)
    r = runner.invoke(cli, args)
    out.append([target, args, r.exit_code, r.output, type(r.exception).__name__ if r.exception else None])
print(json.dumps(out, indent=1))
'''


def test_click_commands_give_the_same_results_as_flask(tmp_path):
    pytest.importorskip("flask", reason="Flask is not installed: the side-by-side comparison needs it")
    (tmp_path / "scenario.py").write_text(SIDE_BY_SIDE)
    results = {}
    for package in ("flask", "microflask"):
        proc = subprocess.run(
            [sys.executable, "scenario.py", package],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": ROOT},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        results[package] = json.loads(proc.stdout)
    assert len(results["microflask"]) == 25
    for theirs, ours in zip(results["flask"], results["microflask"]):
        assert ours == theirs


PROMPTS_SIDE_BY_SIDE = r'''
import json, sys
import click
mod = __import__(sys.argv[1])
app = mod.Flask("p")

@app.cli.command()
def ask():
    if click.confirm("Sure?"):
        name = click.prompt("Name", default="bob")
        pw = click.prompt("Password", hide_input=True)
        click.echo(f"ok {name} {len(pw)}")

@app.cli.command()
@click.option("--name", prompt=True)
def opt(name):
    click.echo(f"hi {name}")

r = app.test_cli_runner()
out = []
for args, inp in [(["ask"], "y\nann\nsecret\n"), (["ask"], "n\n"), (["ask"], "y\n\nx\n"), (["opt"], "zed\n"), (["ask"], "")]:
    res = r.invoke(args=args, input=inp)
    out.append([res.exit_code, res.output, res.stdout, res.stderr])
print(json.dumps(out, indent=1))
'''


def test_prompts_give_the_same_results_as_flask(tmp_path):
    # click.confirm / click.prompt / prompt=True options, answered through
    # the runner's input, in a microflask command and in a click command.
    pytest.importorskip("flask", reason="Flask is not installed: the side-by-side comparison needs it")
    (tmp_path / "prompts.py").write_text(PROMPTS_SIDE_BY_SIDE)
    results = {}
    for package in ("flask", "microflask"):
        proc = subprocess.run(
            [sys.executable, "prompts.py", package],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": ROOT},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        results[package] = json.loads(proc.stdout)
    assert results["microflask"][0][1] == "Sure? [y/N]: y\nName [bob]: ann\nPassword: \nok ann 6\n"
    assert results["microflask"] == results["flask"]


def test_click_exit_and_abort_inside_a_microflask_command(app):
    @app.cli.command()
    def leave():
        raise click.exceptions.Exit(4)

    @app.cli.command()
    def stop():
        raise click.Abort()

    @app.cli.command()
    def complain():
        raise click.UsageError("not like that")

    runner = app.test_cli_runner()
    assert runner.invoke(args=["leave"]).exit_code == 4
    stopped = runner.invoke(args=["stop"])
    assert (stopped.exit_code, stopped.output, type(stopped.exception)) == (1, "Aborted!\n", SystemExit)
    complained = runner.invoke(args=["complain"])
    assert (complained.exit_code, complained.output) == (2, "Error: not like that\n")


# -- the program -----------------------------------------------------------------

APP_MODULE = """
import click
from microflask import Flask, current_app
from microflask.cli import with_appcontext

app = Flask("progapp")

@click.group()
def db():
    '''Perform database migrations.'''

@db.command()
@click.option("-d", "--directory", default="migrations")
@with_appcontext
def upgrade(directory):
    '''Upgrade to a later version.'''
    click.echo(f"upgrade {directory} {current_app.name}")

app.cli.add_command(db)

@app.cli.command("greet")
@click.argument("who")
def greet(who):
    '''Greet someone.'''
    click.echo(f"hello {who}")
"""


def listed(listing, name, text):
    """Whether the help's command list has ``name`` with ``text``."""
    import re

    return re.search(rf"^  {re.escape(name)} +{re.escape(text)}$", listing, re.M) is not None


def run_program(tmp_path, *args, env=None):
    return run_python("import sys; from microflask.cli import main; sys.exit(main(sys.argv[1:]))", tmp_path, env, args)


@pytest.mark.slow
def test_program_runs_click_commands_and_lists_them(tmp_path):
    (tmp_path / "progapp.py").write_text(APP_MODULE)
    proc = run_program(tmp_path, "--app", "progapp", "db", "upgrade", "-d", "v2")
    assert (proc.returncode, proc.stdout) == (0, "upgrade v2 progapp\n"), proc.stderr
    proc = run_program(tmp_path, "--app", "progapp", "greet", "ann")
    assert proc.stdout == "hello ann\n"
    listing = run_program(tmp_path, "--app", "progapp", "--help").stdout
    # Other installed plugins may widen the name column.
    assert listed(listing, "db", "Perform database migrations.")
    assert listed(listing, "greet", "Greet someone.")
    sub_help = run_program(tmp_path, "--app", "progapp", "db", "upgrade", "--help").stdout
    assert sub_help.startswith("Usage: microflask db upgrade [OPTIONS]")


@pytest.mark.slow
def test_python_dash_m_runs_click_commands(tmp_path):
    (tmp_path / "progapp.py").write_text(APP_MODULE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path)])}
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "progapp", "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (0, "upgrade migrations progapp\n"), proc.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "progapp", "greet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "Usage: python -m microflask greet [OPTIONS] WHO" in bad.stderr
    assert "Error: Missing argument 'WHO'." in bad.stderr


# -- plugins -----------------------------------------------------------------------


def make_plugin(tmp_path, group, module_source, entry="hello = plugmod:hello"):
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "plugmod.py").write_text(textwrap.dedent(module_source))
    dist = site / "plugdist-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plugdist\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{entry}\n")
    return site


@pytest.mark.slow
@pytest.mark.parametrize("group", ["flask.commands", "microflask.commands"])
def test_plugin_click_commands_are_loaded(tmp_path, group):
    site = make_plugin(
        tmp_path,
        group,
        """
        import click
        from microflask import current_app
        from microflask.cli import with_appcontext

        @click.command()
        @click.option("--loud", is_flag=True)
        @with_appcontext
        def hello(loud):
            '''Say hello from a plugin.'''
            text = "hello from " + current_app.name
            click.echo(text.upper() if loud else text)
        """,
    )
    (tmp_path / "progapp.py").write_text(APP_MODULE)
    env = {"PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path), str(site)])}
    code = "import sys; from microflask.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "--app", "progapp", "hello", "--loud"],
        cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (0, "HELLO FROM PROGAPP\n"), proc.stderr
    listing = subprocess.run(
        [sys.executable, "-c", code, "--app", "progapp", "--help"],
        cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    ).stdout
    assert listed(listing, "hello", "Say hello from a plugin.")


def test_docs_click_example_runs():
    import re

    with open(os.path.join(ROOT, "docs", "cli.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## click commands") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {"__name__": "docs_cli"}
    exec(compile(code, "docs/cli.md", "exec"), namespace)
    app = namespace["app"]
    group = FlaskGroup(create_app=lambda: app)
    runner = app.test_cli_runner()
    assert runner.invoke(group, ["init-db"]).output == "Initialized the database.\n"
    assert runner.invoke(group, ["db", "upgrade", "-d", "v2"]).output == "upgrading docs_cli from v2\n"
    assert runner.invoke(args=["hello", "--name", "ann", "2"]).output == "hello ann hello ann \n"
    assert runner.invoke(args=["openapi", "print", "--format", "yaml"]).output == "yaml\n"
    listing = runner.invoke(group, ["--help"]).output
    for name in ("init-db", "db", "hello", "openapi"):
        assert re.search(rf"^  {name}\b", listing, re.M), listing


def test_microflask_command_errors_inside_a_click_group(app):
    from click.testing import CliRunner as ClickRunner

    from microflask.cli import Abort
    from microflask.cli import option

    sub = AppGroup("sub")

    @sub.command()
    @option("--times", type=int, default=1)
    def shout(times):
        click.echo("hey" * times)

    @sub.command()
    def stop():
        raise Abort()

    @click.group()
    def root():
        pass

    root.add_command(sub)
    runner = ClickRunner()
    info = ScriptInfo(create_app=lambda: app)
    bad = runner.invoke(root, ["sub", "shout", "--times", "x"], obj=info)
    assert bad.exit_code == 2
    assert bad.output == (
        "Usage: root sub shout [OPTIONS]\nTry 'root sub shout --help' for help.\n\n"
        "Error: Invalid value for '--times': 'x' is not a valid integer.\n"
    )
    helped = runner.invoke(root, ["sub", "shout", "--help"], obj=info)
    assert helped.exit_code == 0
    assert helped.output.startswith("Usage: root sub shout [OPTIONS]")
    stopped = runner.invoke(root, ["sub", "stop"], obj=info)
    assert (stopped.exit_code, stopped.output) == (1, "Aborted!\n")
    missing = runner.invoke(root, ["sub", "nope"], obj=info)
    assert missing.exit_code == 2
    assert "Error: No such command 'nope'." in missing.output


def test_click_app_group_class(app):
    from microflask.cli import click_app_group_class

    cls = click_app_group_class()
    assert cls is click_app_group_class()
    assert issubclass(cls, click.Group)
    tools = cls("tools")

    @tools.command()
    def inside():
        click.echo(current_app.name)

    @tools.command(with_appcontext=False)
    def outside():
        from microflask.ctx import has_app_context

        click.echo(f"context={has_app_context()}")

    @tools.group()
    def nested():
        pass

    @nested.command("deep")
    def deep():
        click.echo("deep " + current_app.name)

    assert isinstance(nested, cls)
    runner = app.test_cli_runner()
    assert runner.invoke(tools, ["inside"]).output == "test_app\n"
    assert runner.invoke(tools, ["outside"]).output == "context=False\n"
    assert runner.invoke(tools, ["nested", "deep"]).output == "deep test_app\n"


def test_click_only_command_settings_make_a_click_command(app):
    @app.cli.command(deprecated=True)
    def old():
        """Old thing."""
        click.echo(f"old {current_app.name}")

    assert isinstance(app.cli.commands["old"], click.Command)
    result = app.test_cli_runner().invoke(args=["old"])
    assert result.exit_code == 0
    assert "old test_app" in result.output
    assert "DeprecationWarning: The command 'old' is deprecated." in result.output


def test_click_options_read_flask_auto_envvars(app):
    # As under Flask's FlaskGroup: FLASK_<COMMAND>_<OPTION>.
    @click.group()
    def db():
        pass

    @db.command()
    @click.option("--directory", default="migrations")
    def upgrade(directory):
        click.echo(directory)

    @app.cli.command()
    @click.option("--name", default="x")
    def hello(name):
        click.echo(name)

    app.cli.add_command(db)
    group = FlaskGroup(create_app=lambda: app)
    runner = app.test_cli_runner()
    env = {"FLASK_DB_UPGRADE_DIRECTORY": "dd", "FLASK_HELLO_NAME": "zz"}
    assert runner.invoke(group, ["db", "upgrade"], env=env).output == "dd\n"
    assert runner.invoke(group, ["hello"], env=env).output == "zz\n"
    assert runner.invoke(group, ["hello", "--name", "cli"], env=env).output == "cli\n"
