"""The built-in commands (routes, shell, run), the application's own
commands (app.cli, groups, blueprint-style groups) and FlaskCliRunner."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

import wsgikit.serving
from microflask import Flask
from microflask import current_app
from microflask.cli import AppGroup
from microflask.cli import CliRunner
from microflask.cli import FlaskCliRunner
from microflask.cli import FlaskGroup
from microflask.cli import ScriptInfo
from microflask.cli import format_routes
from microflask.cli import option
from microflask.cli import routes_command
from microflask.cli import run_command
from microflask.cli import shell_command
from microflask.cli import with_appcontext
from microflask.ctx import has_app_context

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _restore_environ():
    saved = dict(os.environ)
    for key in ("MICROFLASK_DEBUG", "FLASK_DEBUG", "MICROFLASK_APP", "FLASK_APP"):
        os.environ.pop(key, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def make_app(name="cmd_app", **kwargs):
    app = Flask(name, **kwargs)
    if not hasattr(Flask, "cli"):
        app.cli = AppGroup(app.name)
    return app


def runner_for(app):
    if hasattr(app, "test_cli_runner"):
        return app.test_cli_runner()
    return FlaskCliRunner(app)


def view():
    return "ok"


def sample_app():
    app = make_app("hello")
    app.add_url_rule("/", "index", view)
    app.add_url_rule("/user/<int:id>", "user_profile_long_endpoint", view, methods=["GET", "POST", "DELETE"])
    app.add_url_rule("/z", "zed", view, methods=["POST"])
    app.add_url_rule("/admin/a", "admin.a", view)
    return app


# -- routes --------------------------------------------------------------------

# Produced by Flask 3.1's "flask routes" for the same application.
ROUTES_BY_ENDPOINT = """\
Endpoint                    Methods            Rule                   
--------------------------  -----------------  -----------------------
admin.a                     GET                /admin/a               
index                       GET                /                      
static                      GET                /static/<path:filename>
user_profile_long_endpoint  DELETE, GET, POST  /user/<int:id>         
zed                         POST               /z                     
"""

ROUTES_BY_METHODS = """\
Endpoint                    Methods            Rule                   
--------------------------  -----------------  -----------------------
user_profile_long_endpoint  DELETE, GET, POST  /user/<int:id>         
static                      GET                /static/<path:filename>
index                       GET                /                      
admin.a                     GET                /admin/a               
zed                         POST               /z                     
"""

ROUTES_BY_RULE = """\
Endpoint                    Methods            Rule                   
--------------------------  -----------------  -----------------------
index                       GET                /                      
admin.a                     GET                /admin/a               
static                      GET                /static/<path:filename>
user_profile_long_endpoint  DELETE, GET, POST  /user/<int:id>         
zed                         POST               /z                     
"""

ROUTES_BY_MATCH = """\
Endpoint                    Methods            Rule                   
--------------------------  -----------------  -----------------------
static                      GET                /static/<path:filename>
index                       GET                /                      
user_profile_long_endpoint  DELETE, GET, POST  /user/<int:id>         
zed                         POST               /z                     
admin.a                     GET                /admin/a               
"""

ROUTES_ALL_METHODS = """\
Endpoint                    Methods                           Rule                   
--------------------------  --------------------------------  -----------------------
admin.a                     GET, HEAD, OPTIONS                /admin/a               
index                       GET, HEAD, OPTIONS                /                      
static                      GET, HEAD, OPTIONS                /static/<path:filename>
user_profile_long_endpoint  DELETE, GET, HEAD, OPTIONS, POST  /user/<int:id>         
zed                         OPTIONS, POST                     /z                     
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ROUTES_BY_ENDPOINT),
        (["-s", "endpoint"], ROUTES_BY_ENDPOINT),
        (["--sort", "methods"], ROUTES_BY_METHODS),
        (["-s", "rule"], ROUTES_BY_RULE),
        (["-s", "match"], ROUTES_BY_MATCH),
        (["-s", "domain"], ROUTES_BY_MATCH),  # no domain column: match order
        (["--all-methods"], ROUTES_ALL_METHODS),
    ],
)
def test_routes_table(args, expected):
    result = runner_for(sample_app()).invoke(routes_command, args)
    assert result.exit_code == 0, result.output
    assert result.output == expected


def subdomain_app():
    app = make_app("sub", static_folder=None)
    app.config["SERVER_NAME"] = "example.com"
    app.add_url_rule("/b", "b", view, subdomain="zz")
    app.add_url_rule("/b2", "b2", view, methods=["GET", "PUT"])
    app.add_url_rule("/a", "a", view, subdomain="aa", methods=["POST"])
    app.add_url_rule("/c", "c", view)
    return app


def host_app():
    app = make_app("host", static_folder=None, host_matching=True)
    app.add_url_rule("/b", "b", view, host="zz.com")
    app.add_url_rule("/a", "a", view, host="aa.com")
    return app


def methods_tie_app():
    app = make_app("tie", static_folder=None)
    app.add_url_rule("/b", "b", view)
    app.add_url_rule("/a", "a", view, provide_automatic_options=False)
    return app


@pytest.mark.parametrize(
    ("factory", "args", "expected"),
    [
        (
            subdomain_app,
            [],
            "Endpoint  Methods   Subdomain  Rule\n--------  --------  ---------  ----\na         POST      aa         /a  \n"
            "b         GET       zz         /b  \nb2        GET, PUT             /b2 \nc         GET                  /c  \n",
        ),
        (
            subdomain_app,
            ["-s", "domain"],
            "Endpoint  Methods   Subdomain  Rule\n--------  --------  ---------  ----\nb2        GET, PUT             /b2 \n"
            "c         GET                  /c  \na         POST      aa         /a  \nb         GET       zz         /b  \n",
        ),
        (
            subdomain_app,
            ["-s", "match"],
            "Endpoint  Methods   Subdomain  Rule\n--------  --------  ---------  ----\nb         GET       zz         /b  \n"
            "b2        GET, PUT             /b2 \na         POST      aa         /a  \nc         GET                  /c  \n",
        ),
        (
            host_app,
            ["-s", "domain"],
            "Endpoint  Methods  Host    Rule\n--------  -------  ------  ----\na         GET      aa.com  /a  \nb         GET      zz.com  /b  \n",
        ),
        (methods_tie_app, ["-s", "methods"], "Endpoint  Methods  Rule\n--------  -------  ----\nb         GET      /b  \na         GET      /a  \n"),
        (
            methods_tie_app,
            ["-s", "methods", "--all-methods"],
            "Endpoint  Methods             Rule\n--------  ------------------  ----\na         GET, HEAD           /a  \n"
            "b         GET, HEAD, OPTIONS  /b  \n",
        ),
        (lambda: make_app("empty", static_folder=None), [], "No routes were registered.\n"),
    ],
)
def test_routes_domains_and_edge_cases(factory, args, expected):
    result = runner_for(factory()).invoke(routes_command, args)
    assert result.exit_code == 0, result.output
    assert result.output == expected


def test_routes_rejects_unknown_sort():
    result = runner_for(sample_app()).invoke(routes_command, ["-s", "bogus"])
    assert result.exit_code == 2
    assert result.output == (
        "Usage: routes [OPTIONS]\nTry 'routes --help' for help.\n\n"
        "Error: Invalid value for '--sort' / '-s': 'bogus' is not one of"
        " 'endpoint', 'methods', 'domain', 'rule', 'match'.\n"
    )


def test_format_routes_many_rules_is_fast_enough():
    app = make_app("many", static_folder=None)
    for i in range(3000):
        app.add_url_rule(f"/r{i}", f"e{i}", view)
    lines = format_routes(app.url_map, "rule")
    assert len(lines) == 3002
    assert lines[2].startswith("e0 ")


# -- shell ---------------------------------------------------------------------


def test_shell_runs_in_app_context(tmp_path, monkeypatch):
    app = make_app("shell_app")
    app.shell_context_processor(lambda: {"extra": 42})
    startup = tmp_path / "startup.py"
    startup.write_text("from_startup = 'yes'\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    script = "print(app.name, extra, from_startup)\ng.x = 'gx'\nprint(g.x)\nfrom microflask import current_app\nprint(current_app.name)\n"
    result = runner_for(app).invoke(shell_command, [], input=script)
    assert result.exit_code == 0, result.output
    assert "shell_app 42 yes\n" in result.stdout
    assert ">>> gx\n" in result.stdout
    assert ">>> shell_app\n" in result.stdout
    banner = result.stderr.splitlines()
    assert banner[0] == f"Python {sys.version} on {sys.platform}".splitlines()[0]
    assert "App: shell_app" in banner
    assert f"Instance: {app.instance_path}" in banner


# -- run -----------------------------------------------------------------------


@pytest.fixture
def fake_run_simple(monkeypatch):
    calls = []

    def record(host, port, app, **kwargs):
        calls.append((host, port, app, kwargs))

    monkeypatch.setattr(wsgikit.serving, "run_simple", record)
    return calls


def test_run_defaults(fake_run_simple):
    app = make_app("run_app")
    result = runner_for(app).invoke(run_command, [])
    assert result.exit_code == 0, result.output
    assert result.output == " * Debug mode: off\n"
    ((host, port, served, kwargs),) = fake_run_simple
    assert (host, port, served) == ("127.0.0.1", 5000, app)
    assert kwargs == {
        "use_reloader": False,
        "use_debugger": False,
        "threaded": True,
        "ssl_context": None,
        "extra_files": None,
        "exclude_patterns": None,
    }


def test_run_options(fake_run_simple, tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("c")
    key.write_text("k")
    args = ["-h", "0.0.0.0", "-p", "8123", "--reload", "--no-debugger", "--without-threads",
            "--extra-files", os.pathsep.join(["a.txt", "b.txt"]), "--exclude-patterns", "*.tmp",
            "--cert", str(cert), "--key", str(key)]
    result = runner_for(make_app()).invoke(run_command, args)
    assert result.exit_code == 0, result.output
    ((host, port, _, kwargs),) = fake_run_simple
    assert (host, port) == ("0.0.0.0", 8123)
    assert kwargs["use_reloader"] is True
    assert kwargs["use_debugger"] is False
    assert kwargs["threaded"] is False
    assert kwargs["extra_files"] == ["a.txt", "b.txt"]
    assert kwargs["exclude_patterns"] == ["*.tmp"]
    assert kwargs["ssl_context"] == (os.path.realpath(cert), str(key))


def test_run_debug_turns_on_reloader_and_debugger(fake_run_simple, monkeypatch):
    monkeypatch.setattr("microflask.cli._debugger_available", lambda: True)
    result = runner_for(make_app()).invoke(run_command, ["--debug"])
    assert result.output == " * Debug mode: on\n"
    kwargs = fake_run_simple[0][3]
    assert (kwargs["use_reloader"], kwargs["use_debugger"]) == (True, True)
    runner_for(make_app()).invoke(run_command, ["--debug", "--no-reload"])
    assert fake_run_simple[1][3]["use_reloader"] is False


def test_run_without_debugger_module(fake_run_simple, monkeypatch):
    monkeypatch.setattr("microflask.cli._debugger_available", lambda: False)
    result = runner_for(make_app()).invoke(run_command, ["--debug"])
    assert result.exit_code == 0
    assert "debugger (wsgikit.debug) is not available" in result.stderr
    assert fake_run_simple[0][3]["use_debugger"] is False
    result = runner_for(make_app()).invoke(run_command, ["--debugger"])
    assert result.exit_code == 2
    assert "'--debugger' needs wsgikit.debug" in result.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--key", "KEY"], 'Error: Invalid value for \'--key\': "--cert" must also be specified.'),
        (["--cert", "CERT"], 'Error: Invalid value for \'--key\': Required when using "--cert".'),
        (["--port", "abc"], "Error: Invalid value for '--port' / '-p': 'abc' is not a valid integer."),
        (["--cert", "/no/such/cert.pem"], "Error: Invalid value for '--cert': File '/no/such/cert.pem' does not exist."),
        (["--bogus"], "Error: No such option '--bogus'."),
    ],
)
def test_run_option_errors(fake_run_simple, tmp_path, args, error):
    (tmp_path / "c.pem").write_text("c")
    args = [a.replace("CERT", str(tmp_path / "c.pem")).replace("KEY", str(tmp_path / "c.pem")) for a in args]
    result = runner_for(make_app()).invoke(run_command, args)
    assert result.exit_code == 2
    assert result.output.rstrip("\n").endswith(error)
    assert fake_run_simple == []


def test_run_adhoc_with_key_is_refused(fake_run_simple, tmp_path, monkeypatch):
    monkeypatch.setattr("microflask.cli._cryptography_available", lambda: True)
    (tmp_path / "k.pem").write_text("k")
    result = runner_for(make_app()).invoke(run_command, ["--cert", "adhoc", "--key", str(tmp_path / "k.pem")])
    assert result.exit_code == 2
    assert 'When "--cert" is "adhoc", "--key" is not used.' in result.output


def read_until(proc, marker, timeout=20.0):
    """Lines of the server's stderr up to the one containing ``marker``
    (read by a thread, so the wait is bounded)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump():
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        seen.append(line)
        if marker in line:
            return seen
    raise AssertionError(f"{marker!r} not seen; stderr so far: {''.join(seen)!r}")


@pytest.fixture
def served_app(tmp_path):
    (tmp_path / "served.py").write_text(
        "from microflask import Flask\napp = Flask(__name__)\n"
        "@app.route('/')\ndef index():\n    return 'served!'\n"
        "app.run()  # a no-op under the command line\n"
    )
    procs = []

    def start(*args):
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_DEBUG", "_APP"))}
        env["PYTHONPATH"] = ROOT
        env["PYTHONUNBUFFERED"] = "1"
        proc = subprocess.Popen(
            [sys.executable, "-m", "microflask", "--app", "served", *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def url_from(lines):
    for line in lines:
        if " * Running on http://" in line:
            return line.split("Running on ", 1)[1].strip()
    raise AssertionError(lines)


@pytest.mark.slow
def test_run_serves_over_http(served_app):
    proc = served_app("run", "--port", "0")
    url = url_from(read_until(proc, "Running on http://"))
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        assert response.status == 200
        assert response.read() == b"served!"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)
    assert proc.stdout.read() == " * Serving microflask app 'served'\n * Debug mode: off\n"


@pytest.mark.slow
def test_run_with_debug_and_reloader_serves(served_app):
    proc = served_app("--debug", "run", "-p", "0", "--no-debugger")
    url = url_from(read_until(proc, "Running on http://"))
    deadline = time.monotonic() + 20
    while True:  # the reloader's child takes over the socket
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                assert response.read() == b"served!"
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_routes_in_a_subprocess(tmp_path):
    (tmp_path / "tiny.py").write_text(
        "from microflask import Flask\napp = Flask(__name__)\n"
        "@app.route('/')\ndef index():\n    return ''\n"
        "@app.route('/user/<int:id>', methods=['GET', 'POST', 'DELETE'])\n"
        "def user_profile_long_endpoint(id):\n    return ''\n"
        "@app.post('/z')\ndef zed():\n    return ''\n"
        "app.add_url_rule('/admin/a', 'admin.a', index)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_DEBUG", "_APP"))}
    env["PYTHONPATH"] = ROOT
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "tiny.py", "routes"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ROUTES_BY_ENDPOINT


# -- the application's commands ------------------------------------------------


def test_app_commands_run_in_app_context():
    app = make_app("ctx_app")

    @app.cli.command()
    def where():
        print(current_app.name, has_app_context())
        return "value"

    @app.cli.command(with_appcontext=False)
    def outside():
        print(has_app_context())

    runner = runner_for(app)
    result = runner.invoke(args=["where"])
    assert (result.exit_code, result.output, result.return_value) == (0, "ctx_app True\n", "value")
    assert runner.invoke(args=["outside"]).output == "False\n"
    assert not has_app_context()


def test_app_command_signature_and_options():
    app = make_app()

    @app.cli.command("create-user")
    @option("--admin", is_flag=True, help="Make an administrator.")
    def create_user(username, admin, age: int = 30, tags: list[str] = ()):
        """Create a user."""
        print(username, admin, age, list(tags), current_app.name)

    runner = runner_for(app)
    result = runner.invoke(args=["create-user", "ann", "--age", "41", "--tags", "a", "--tags", "b", "--admin"])
    assert result.output == "ann True 41 ['a', 'b'] cmd_app\n"
    assert runner.invoke(args=["create-user", "bob"]).output == "bob False 30 [] cmd_app\n"
    result = runner.invoke(args=["create-user", "--age", "x", "ann"])
    assert result.exit_code == 2
    assert "Invalid value for '--age': 'x' is not a valid integer." in result.output
    result = runner.invoke(args=["create-user", "--help"])
    assert "  --admin        Make an administrator.\n" in result.output
    assert "Usage: cmd_app create-user [OPTIONS] USERNAME\n" in result.output


def test_app_groups_and_blueprint_style_groups():
    app = make_app()

    @app.cli.group()
    def db():
        """Database."""

    @db.command()
    def init():
        print("init", has_app_context())

    assert isinstance(db, AppGroup)
    admin = AppGroup("admin")

    @admin.command()
    def create():
        print("admin create", current_app.name)

    app.cli.add_command(admin)
    runner = runner_for(app)
    assert runner.invoke(args=["db", "init"]).output == "init True\n"
    assert runner.invoke(args=["admin", "create"]).output == "admin create cmd_app\n"
    merged = AppGroup()

    @merged.command()
    def flat():
        print("flat")

    app.cli.commands.update(merged.commands)
    assert runner.invoke(args=["flat"]).output == "flat\n"


def test_runner_invokes_any_command_with_the_app():
    app = make_app("explicit_app")

    @with_appcontext
    def body():
        print(current_app.name)

    from microflask.cli import Command

    result = FlaskCliRunner(app).invoke(Command("solo", callback=body))
    assert result.output == "explicit_app\n"
    custom = FlaskCliRunner(app).invoke(
        Command("solo", callback=body), obj=ScriptInfo(create_app=lambda: make_app("other"))
    )
    assert custom.output == "other\n"


def test_with_appcontext_reuses_an_active_context():
    app = make_app("active")
    other = make_app("ignored")

    @with_appcontext
    def body():
        print(current_app.name)

    from microflask.cli import Command

    with app.app_context():
        result = FlaskCliRunner(other).invoke(Command("c", callback=body))
    assert result.output == "active\n"


def test_flask_group_with_create_app_lists_and_runs_app_commands():
    app = make_app("grouped")

    @app.cli.command()
    def hello():
        """Say hello."""
        print("hello from", current_app.name)

    group = FlaskGroup(name="manage", create_app=lambda: app)
    result = CliRunner().invoke(group, ["hello"])
    assert result.output == "hello from grouped\n"
    result = CliRunner().invoke(group, ["--help"])
    assert "  hello   Say hello.\n" in result.output
    assert "  routes  Show the routes for the app.\n" in result.output
    assert CliRunner().invoke(group, ["routes"]).output.startswith("Endpoint  Methods  Rule")
    bare = FlaskGroup(name="bare", add_default_commands=False, add_version_option=False, create_app=lambda: app)
    assert "routes" not in bare.list_commands(bare.make_context("bare", ["hello"]))
    assert "--version" not in CliRunner().invoke(bare, ["--help"]).output


def test_test_cli_runner_class():
    app = make_app()
    runner = runner_for(app)
    assert isinstance(runner, FlaskCliRunner)
    assert runner.app is app


def test_run_reads_prefixed_environment_variables(fake_run_simple, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_PORT", "8001")
    monkeypatch.setenv("MICROFLASK_RUN_HOST", "0.0.0.0")
    group = FlaskGroup(name="manage", create_app=lambda: make_app("envvars"))
    result = CliRunner().invoke(group, ["run"])
    assert result.exit_code == 0, result.output
    assert fake_run_simple[0][:2] == ("0.0.0.0", 8001)
    result = CliRunner().invoke(group, ["run", "--port", "8002"])
    assert fake_run_simple[1][1] == 8002


@pytest.mark.parametrize(
    ("cli_group", "args"),
    [(None, ["make"]), ("tools", ["tools", "make"])],
)
def test_blueprint_commands(cli_group, args):
    from microflask.blueprints import Blueprint

    app = make_app("bp_app")
    bp = Blueprint("admin", __name__, cli_group=cli_group)

    @bp.cli.command()
    def make():
        print("made in", current_app.name)

    app.register_blueprint(bp)
    assert runner_for(app).invoke(args=args).output == "made in bp_app\n"


def test_blueprint_commands_default_to_the_blueprint_name():
    from microflask.blueprints import Blueprint

    app = make_app("bp_app")
    bp = Blueprint("admin", __name__)

    @bp.cli.command("create-user")
    def create_user(name):
        print("created", name)

    app.register_blueprint(bp)
    runner = runner_for(app)
    assert runner.invoke(args=["admin", "create-user", "ann"]).output == "created ann\n"
    assert "  create-user\n" in runner.invoke(args=["admin", "--help"]).output
