"""Finding the application: --app, MICROFLASK_APP/FLASK_APP, .env files,
factories, default files, the error messages, --debug."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap

import pytest

from microflask import Flask
from microflask.cli import CliRunner
from microflask.cli import NoAppException
from microflask.cli import ScriptInfo
from microflask.cli import _split_import_path
from microflask.cli import cli
from microflask.cli import find_app_by_string
from microflask.cli import find_best_app
from microflask.cli import locate_app
from microflask.cli import prepare_import
from microflask.cli import stdlib_shadows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Prepended to every generated module: ``mk`` makes an app with ``cli``
#: even before the app core has its own ``app.cli``.
HEADER = """\
from microflask import Flask, current_app
from microflask.cli import AppGroup


def mk(name, **kw):
    app = Flask(name, **kw)
    if not hasattr(type(app), "cli"):
        app.cli = AppGroup(app.name)

    @app.cli.command("info")
    def info():
        print(f"name={current_app.name} debug={current_app.debug}")

    return app

"""

ENV_KEYS = (
    "MICROFLASK_APP",
    "FLASK_APP",
    "MICROFLASK_DEBUG",
    "FLASK_DEBUG",
    "FLASK_RUN_FROM_CLI",
    "MICROFLASK_SKIP_DOTENV",
    "FLASK_SKIP_DOTENV",
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A temporary project folder as the current directory; sys.path,
    the modules imported from it and the environment are restored."""
    monkeypatch.chdir(tmp_path)
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    saved_path = list(sys.path)
    saved_env = dict(os.environ)
    yield tmp_path
    sys.path[:] = saved_path
    os.environ.clear()
    os.environ.update(saved_env)
    root = str(tmp_path)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(root):
            del sys.modules[name]


def write(root, relpath, source="", header=True):
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((HEADER if header else "") + textwrap.dedent(source))
    importlib.invalidate_caches()
    return path


def run_cli(args, **kwargs):
    return CliRunner().invoke(cli, args, prog_name="microflask", **kwargs)


# -- prepare_import ------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "path", "module", "folder"),
    [
        (["hello.py"], "hello.py", "hello", ""),
        ([], "hello", "hello", ""),
        ([], "examples.hello", "examples.hello", ""),
        (["pkg/__init__.py", "pkg/mod.py"], "pkg/mod.py", "pkg.mod", ""),
        (["pkg/__init__.py"], "pkg", "pkg", ""),
        (["pkg/__init__.py"], "pkg/__init__.py", "pkg", ""),
        (["src/pkg/__init__.py"], "src/pkg", "pkg", "src"),
        (["src/pkg/__init__.py", "src/pkg/sub/__init__.py"], "src/pkg/sub/x.py", "pkg.sub.x", "src"),
        (["plain/x.py"], "plain/x.py", "x", "plain"),
    ],
)
def test_prepare_import(project, files, path, module, folder):
    for name in files:
        write(project, name, header=False)
    assert prepare_import(path) == module
    assert sys.path[0] == os.path.realpath(os.path.join(project, folder))


def test_prepare_import_does_not_duplicate_path(project):
    prepare_import("a.py")
    length = len(sys.path)
    prepare_import("b.py")
    assert len(sys.path) == length


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hello", ("hello", None)),
        ("hello:app", ("hello", "app")),
        ("pkg.mod:create_app('a:b')", ("pkg.mod", "create_app('a:b')")),
        ("C:\\proj\\app.py", ("C:\\proj\\app.py", None)),
        ("C:\\proj\\app.py:make()", ("C:\\proj\\app.py", "make()")),
        ("C:/proj/app.py:app", ("C:/proj/app.py", "app")),
        ("src/app.py:", ("src/app.py", "")),
    ],
)
def test_split_import_path(value, expected):
    assert _split_import_path(value) == expected


# -- find_best_app -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app = mk('by_app')", "by_app"),
        ("application = mk('by_application')", "by_application"),
        ("app = 1\nthing = mk('only_instance')", "only_instance"),
        ("app = mk('app_first')\nother = mk('other')", "app_first"),
        ("def create_app():\n    return mk('from_create_app')", "from_create_app"),
        ("def make_app():\n    return mk('from_make_app')", "from_make_app"),
        ("def create_app():\n    return None\ndef make_app():\n    return mk('second_factory')", "second_factory"),
        ("def create_app(name='dflt'):\n    return mk(name)", "dflt"),
    ],
)
def test_find_best_app(project, source, expected):
    write(project, "mod_best.py", source)
    assert locate_app(prepare_import("mod_best.py"), None).name == expected


@pytest.mark.parametrize(
    ("source", "fragments"),
    [
        (
            "x = 1",
            [
                "Failed to find Flask application or factory in module 'mod_fail'. Use 'mod_fail:name' to specify one.",
                "Candidates tried:",
                "  - 'app': not defined",
                "  - 'application': not defined",
                "  - a Flask instance anywhere in the module: none found",
                "  - factory 'create_app': not defined",
                "  - factory 'make_app': not defined",
            ],
        ),
        (
            "app = 'text'\napplication = None\ncreate_app = 3\ndef make_app():\n    return 5",
            [
                "  - 'app': is a str, not a Flask application",
                "  - 'application': is None, not a Flask application",
                "  - factory 'create_app': is an int, not a function",
                "  - factory 'make_app': returned an int, not a Flask application",
            ],
        ),
        (
            "one = mk('a')\ntwo = mk('b')",
            ["Detected multiple Flask applications in module 'mod_fail' (one, two). Use 'mod_fail:name' to specify the correct one."],
        ),
        (
            "def create_app(config):\n    return mk('x')",
            [
                "Detected factory 'create_app' in module 'mod_fail', but could not call it without arguments."
                " Use 'mod_fail:create_app(args)' to specify arguments."
            ],
        ),
    ],
)
def test_find_best_app_failures_list_candidates(project, source, fragments):
    write(project, "mod_fail.py", source)
    with pytest.raises(NoAppException) as info:
        locate_app(prepare_import("mod_fail.py"), None)
    message = info.value.format_message()
    for fragment in fragments:
        assert fragment in message


def test_factory_type_error_inside_propagates(project):
    write(project, "mod_te.py", "def create_app():\n    raise TypeError('inner boom')")
    with pytest.raises(TypeError, match="inner boom"):
        locate_app(prepare_import("mod_te.py"), None)


def test_find_best_app_on_module_object():
    import types

    module = types.ModuleType("virtual")
    module.application = Flask("virtual")
    assert find_best_app(module) is module.application


# -- find_app_by_string --------------------------------------------------------

FACTORY = """\
def create_app(name="fac", debug=False):
    app = mk(name)
    app.config["FLAG"] = debug
    return app

def failing(n):
    raise TypeError("from inside")

value = 5
app = mk("plain")
"""


@pytest.mark.parametrize(
    ("expr", "name"),
    [
        ("app", "plain"),
        ("create_app", "fac"),
        ("create_app()", "fac"),
        ("create_app('named')", "named"),
        ("create_app(name='kw', debug=True)", "kw"),
        (" create_app ( 'spaced' ) ", "spaced"),
    ],
)
def test_find_app_by_string(project, expr, name):
    write(project, "mod_str.py", FACTORY)
    assert locate_app(prepare_import("mod_str.py"), expr).name == name


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("create_app(x)", "Failed to parse arguments as literal values: 'create_app(x)'."),
        ("create_app(__import__('os').getcwd())", "Failed to parse arguments as literal values:"),
        ("create_app(**{'name': 'a'})", "Failed to parse arguments as literal values:"),
        ("a.b", "Failed to parse 'a.b' as an attribute name or function call."),
        ("create_app(", "Failed to parse 'create_app(' as an attribute name or function call."),
        ("1 + 2", "Failed to parse '1 + 2' as an attribute name or function call."),
        ("", "Failed to parse '' as an attribute name or function call."),
        ("create_app(1)(2)", "Function reference must be a simple name: 'create_app(1)(2)'."),
        ("missing", "Failed to find attribute 'missing' in 'mod_str'."),
        ("value", "A valid Flask application was not obtained from 'mod_str:value' (got an int)."),
        ("create_app(1, 2, 3)", "The factory 'create_app(1, 2, 3)' in module 'mod_str' could not be called with the specified arguments."),
        ("f(" + "[" * 50_000 + "]" * 50_000 + ")", "Failed to parse"),
    ],
)
def test_find_app_by_string_errors(project, expr, message):
    write(project, "mod_str.py", FACTORY)
    with pytest.raises(NoAppException) as info:
        locate_app(prepare_import("mod_str.py"), expr)
    assert message in info.value.format_message()


def test_find_app_by_string_executes_nothing(project):
    write(project, "mod_str.py", FACTORY)
    locate_app(prepare_import("mod_str.py"), "app")
    marker = project / "pwned"
    with pytest.raises(NoAppException):
        find_app_by_string(sys.modules["mod_str"], f"create_app(open({str(marker)!r}, 'w'))")
    assert not marker.exists()


def test_factory_type_error_inside_by_string_propagates(project):
    write(project, "mod_str.py", FACTORY)
    with pytest.raises(TypeError, match="from inside"):
        locate_app(prepare_import("mod_str.py"), "failing(1)")


# -- locate_app import errors --------------------------------------------------


def test_locate_app_missing_module(project):
    with pytest.raises(NoAppException, match="Could not import 'no_such_module_xyz'."):
        locate_app("no_such_module_xyz", None)
    assert locate_app("no_such_module_xyz", None, raise_if_not_found=False) is None


def test_locate_app_import_error_inside_shows_traceback(project):
    write(project, "mod_broken.py", "import does_not_exist_xyz\n")
    with pytest.raises(NoAppException) as info:
        locate_app(prepare_import("mod_broken.py"), None)
    message = info.value.format_message()
    assert message.startswith("While importing 'mod_broken', an ImportError was raised:")
    assert "No module named 'does_not_exist_xyz'" in message


def test_locate_app_other_errors_propagate(project):
    write(project, "mod_syntax.py", "def broken(:\n", header=False)
    with pytest.raises(SyntaxError):
        locate_app(prepare_import("mod_syntax.py"), None)


# -- ScriptInfo ----------------------------------------------------------------


def test_script_info_loads_once(project):
    calls = []

    def factory():
        calls.append(1)
        return Flask("factory_app")

    info = ScriptInfo(create_app=factory)
    assert info.load_app() is info.load_app()
    assert calls == [1]


@pytest.mark.parametrize(
    ("env", "debug"),
    [({}, False), ({"MICROFLASK_DEBUG": "1"}, True), ({"FLASK_DEBUG": "true"}, True), ({"FLASK_DEBUG": "0"}, False),
     ({"MICROFLASK_DEBUG": "no", "FLASK_DEBUG": "1"}, False)],
)
def test_script_info_sets_debug_flag(project, monkeypatch, env, debug):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = Flask("dbg")
    app.debug = not debug
    assert ScriptInfo(create_app=lambda: app).load_app().debug is debug
    keep = Flask("keep")
    keep.debug = True
    assert ScriptInfo(create_app=lambda: keep, set_debug_flag=False).load_app().debug is True


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"wsgi.py": "app = mk('from_wsgi')", "app.py": "app = mk('from_app')"}, "from_wsgi"),
        ({"app.py": "app = mk('from_app')"}, "from_app"),
    ],
)
def test_default_files(project, files, expected):
    for name, source in files.items():
        write(project, name, source)
    assert ScriptInfo().load_app().name == expected


def test_no_app_anywhere_lists_what_was_tried(project):
    with pytest.raises(NoAppException) as info:
        ScriptInfo().load_app()
    message = info.value.format_message()
    assert "Could not locate a Flask application." in message
    assert f"  - 'wsgi.py': no such file in {str(project)!r}" in message
    assert f"  - 'app.py': no such file in {str(project)!r}" in message


def test_script_info_import_path_with_file(project):
    write(project, "src/pkg/__init__.py", "def create_app(n='pkg_app'):\n    return mk(n)")
    assert ScriptInfo(app_import_path="src/pkg:create_app('given')").load_app().name == "given"


# -- standard-library shadows --------------------------------------------------


def test_stdlib_shadows(project):
    write(project, "email.py", "", header=False)
    write(project, "random.py", "", header=False)
    write(project, "json/__init__.py", "", header=False)
    write(project, "mine.py", "", header=False)
    (project / "os.txt").write_text("")
    (project / "string").mkdir()  # not a package
    assert stdlib_shadows(str(project)) == ["email.py", "json", "random.py"]
    assert stdlib_shadows(str(project / "nope")) == []


def test_shadow_warning_when_loading(project):
    write(project, "random.py", "app = mk('shadowed')")
    write(project, "good.py", "app = mk('good')")
    result = run_cli(["--app", "random", "routes"])
    assert result.exit_code == 2
    assert "'random.py' in" in result.stderr
    assert "standard-library module 'random'" in result.stderr
    result = run_cli(["--app", "good", "info"])
    assert result.stdout == "name=good debug=False\n"
    assert "'random.py'" in result.stderr


# -- through the command line --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--app", "one", "info"], {}, "name=one debug=False"),
        (["-A", "one:app", "info"], {}, "name=one debug=False"),
        (["--app=one.py", "info"], {}, "name=one debug=False"),
        (["info"], {"MICROFLASK_APP": "one"}, "name=one debug=False"),
        (["info"], {"FLASK_APP": "two"}, "name=two debug=False"),
        (["info"], {"MICROFLASK_APP": "one", "FLASK_APP": "two"}, "name=one debug=False"),
        (["--app", "two", "info"], {"MICROFLASK_APP": "one"}, "name=two debug=False"),
        (["--app", "one", "--debug", "info"], {}, "name=one debug=True"),
        (["--app", "one", "--no-debug", "info"], {"FLASK_DEBUG": "1"}, "name=one debug=False"),
        (["--app", "one", "info"], {"FLASK_DEBUG": "1"}, "name=one debug=True"),
        (["--app", "fac:create_app('made')", "info"], {}, "name=made debug=False"),
    ],
)
def test_app_selection(project, args, env, expected):
    write(project, "one.py", "app = mk('one')")
    write(project, "two.py", "app = mk('two')")
    write(project, "fac.py", "def create_app(n):\n    return mk(n)")
    result = run_cli(args, env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


def test_debug_option_sets_both_variables(project):
    write(project, "one.py", "app = mk('one')")
    run_cli(["--app", "one", "--debug", "info"])
    assert os.environ["MICROFLASK_DEBUG"] == "1"
    assert os.environ["FLASK_DEBUG"] == "1"
    run_cli(["--app", "one", "--no-debug", "info"])
    assert os.environ["FLASK_DEBUG"] == "0"
    assert os.environ["FLASK_RUN_FROM_CLI"] == "true"


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        ({".env": "MICROFLASK_APP=one\n"}, ["info"], "name=one debug=False"),
        ({".flaskenv": "FLASK_APP=two\nFLASK_DEBUG=1\n"}, ["info"], "name=two debug=True"),
        ({".microflaskenv": "MICROFLASK_APP=one\n", ".env": "MICROFLASK_APP=two\n"}, ["info"], "name=two debug=False"),
        ({".env": "MICROFLASK_APP=one\n", "custom.env": "MICROFLASK_APP=two\n"}, ["-e", "custom.env", "info"], "name=two debug=False"),
        ({".env": "MICROFLASK_APP=one\nMICROFLASK_DEBUG=1\n"}, ["info"], "name=one debug=True"),
        ({".env": "MICROFLASK_APP=one\n"}, ["--app", "two", "info"], "name=two debug=False"),
    ],
)
def test_dotenv_files_select_the_app(project, files, args, expected):
    write(project, "one.py", "app = mk('one')")
    write(project, "two.py", "app = mk('two')")
    for name, text in files.items():
        (project / name).write_text(text)
    result = run_cli(args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


def test_skip_dotenv(project, monkeypatch):
    write(project, "one.py", "app = mk('one')")
    (project / ".env").write_text("MICROFLASK_APP=one\n")
    monkeypatch.setenv("MICROFLASK_SKIP_DOTENV", "1")
    result = run_cli(["info"])
    assert result.exit_code == 2
    assert "Could not locate a Flask application" in result.stderr


def test_env_file_must_exist(project):
    result = run_cli(["-e", "missing.env", "routes"])
    assert result.exit_code == 2
    assert "Error: Invalid value for '-e' / '--env-file': File 'missing.env' does not exist." in result.output


def test_command_line_errors_from_discovery(project):
    write(project, "noapp.py", "x = 1")
    result = run_cli(["--app", "noapp", "routes"])
    assert result.exit_code == 2
    assert "Usage: microflask routes [OPTIONS]" in result.output
    assert "Failed to find Flask application or factory in module 'noapp'." in result.output
    result = run_cli(["--app", "noapp", "custom-thing"])
    assert result.exit_code == 2
    assert "Failed to find Flask application" in result.stderr
    assert "No such command 'custom-thing'." in result.stderr


def test_help_lists_app_commands_and_loads_the_app_once(project):
    log = project / "calls.log"
    write(
        project,
        "counted.py",
        f"""
        def create_app():
            with open({str(log)!r}, "a") as f:
                f.write("x")
            app = mk("counted")

            @app.cli.command()
            def seed():
                '''Fill the database. More words.'''

            return app
        """,
    )
    result = run_cli(["--app", "counted", "--help"])
    assert result.exit_code == 0
    assert "\n  info\n" in result.stdout
    assert "  seed    Fill the database.\n" in result.stdout
    assert log.read_text() == "x"


def test_help_shows_load_error_and_builtins(project):
    write(project, "bad.py", "raise RuntimeError('exploded at import')\n")
    result = run_cli(["--app", "bad", "--help"])
    assert result.exit_code == 0
    assert "exploded at import" in result.stderr
    assert "  routes  " in result.stdout


def test_subprocess_with_dotted_module_from_the_project_root(tmp_path):
    # The README's "python -m microflask --app examples.X run" shape: a
    # dotted module path resolved from the current directory.
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "__init__.py").write_text("")
    (tmp_path / "examples" / "probe.py").write_text(
        "from microflask import Flask\napp = Flask(__name__, static_folder=None)\n"
        "app.add_url_rule('/', 'index', lambda: 'x')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    env["PYTHONPATH"] = ROOT
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "examples.probe", "routes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Endpoint  Methods  Rule\n--------  -------  ----\nindex     GET      /   \n"
