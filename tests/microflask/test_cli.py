"""The command framework (options, arguments, groups, help, the runner),
the .env parser and the program entry point of microflask.cli."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import microflask
from microflask._dotenv import expand_variables
from microflask._dotenv import find_dotenv
from microflask._dotenv import parse_dotenv
from microflask.cli import BadParameter
from microflask.cli import Choice
from microflask.cli import CliRunner
from microflask.cli import Command
from microflask.cli import Context
from microflask.cli import Group
from microflask.cli import ParameterSource
from microflask.cli import Path
from microflask.cli import UsageError
from microflask.cli import argument
from microflask.cli import command
from microflask.cli import echo
from microflask.cli import get_current_context
from microflask.cli import group
from microflask.cli import load_dotenv
from microflask.cli import main
from microflask.cli import option
from microflask.cli import pass_context
from microflask.cli import version_text

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_environ():
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def invoke(cmd, args, **kwargs):
    return CliRunner().invoke(cmd, args, **kwargs)


# -- the .env parser -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1", {"A": "1"}),
        ("A=1\nB=2\n", {"A": "1", "B": "2"}),
        ("# comment\n\n   \nA=1", {"A": "1"}),
        ("export B = two words  # trailing", {"B": "two words"}),
        ("export=1", {"export": "1"}),
        ("A='single $x \\n'", {"A": "single $x \\n"}),
        ("A='it\\'s'", {"A": "it's"}),
        ('A="tab\\t nl\\n q\\" bs\\\\"', {"A": 'tab\t nl\n q" bs\\'}),
        ('A="kept \\q"', {"A": "kept \\q"}),
        ('A="multi\nline"', {"A": "multi\nline"}),
        ("A='multi\nline'", {"A": "multi\nline"}),
        ('A="x"  # comment', {"A": "x"}),
        ("A=a#b", {"A": "a#b"}),
        ("A=x # y # z", {"A": "x"}),
        ("A=x\t# tab comment", {"A": "x"}),
        ("A", {"A": None}),
        ("A # comment", {"A": None}),
        ("A=", {"A": ""}),
        ("A=   ", {"A": ""}),
        ("  A = spaced  ", {"A": "spaced"}),
        ("'Q K'=v", {"Q K": "v"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
        ("\ufeffA=bom", {"A": "bom"}),
        ("A=1\nA=2", {"A": "2"}),
        ("A=é✓", {"A": "é✓"}),
    ],
)
def test_dotenv_values(text, expected):
    result = parse_dotenv(text, environ={})
    assert result.values == expected
    assert result.errors == []


@pytest.mark.parametrize(
    ("text", "expected", "errors"),
    [
        ("bad line here\nA=1", {"A": "1"}, [1]),
        ("A=1\nB=\"unterminated\nC=3", {"A": "1", "C": "3"}, [2]),
        ("A='x' junk\nB=2", {"B": "2"}, [1]),
        ("=novalue\nB=2", {"B": "2"}, [1]),
        ("'unclosed=1\nB=2", {"B": "2"}, [1]),
    ],
)
def test_dotenv_reports_and_skips_bad_statements(text, expected, errors):
    result = parse_dotenv(text, environ={})
    assert result.values == expected
    assert result.errors == errors


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        ("A=1\nB=${A}-x", {}, {"A": "1", "B": "1-x"}),
        ("B=${HOME_X}", {"HOME_X": "/h"}, {"B": "/h"}),
        ("A=file\nB=${A}", {"A": "env"}, {"A": "file", "B": "file"}),
        ("B=${NOPE:-dflt}", {}, {"B": "dflt"}),
        ("B=${NOPE}", {}, {"B": ""}),
        ('B="${A}${A}"\nA=late', {"A": "e"}, {"B": "ee", "A": "late"}),
        ("B='${A}'", {"A": "e"}, {"B": "e"}),
        ("B=$A ${", {"A": "e"}, {"B": "$A ${"}),
        ("B=${A", {"A": "e"}, {"B": "${A"}),
    ],
)
def test_dotenv_interpolation(text, environ, expected):
    assert parse_dotenv(text, environ=environ).values == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ""), ("plain", "plain"), ("${A}", "1"), ("<${A}|${B:-b}>", "<1|b>"), ("${}", ""), ("${A:-}", "1")],
)
def test_expand_variables(value, expected):
    assert expand_variables(value, {"A": "1"}, {}) == expected


def test_dotenv_large_adversarial_input_is_linear():
    # Many unterminated quotes and "${" openers: a quadratic scan would
    # make this visibly slow; the result must still be right.
    text = 'A="' + "x\\" * 100_000 + "\n" + "B=" + "${" * 50_000 + "\n" + "C='" * 20_000
    result = parse_dotenv(text, environ={})
    assert result.values == {"B": "${" * 50_000}
    assert 1 in result.errors


@pytest.mark.slow
@given(st.dictionaries(st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True), st.text(max_size=30), max_size=8))
def test_dotenv_double_quoted_round_trip(values):
    def quote(v):
        escaped = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        return '"' + escaped.replace("${", "$\\{") + '"'

    text = "".join(f"{k}={quote(v)}\n" for k, v in values.items())
    parsed = parse_dotenv(text, environ={}).values
    assert {k: v.replace("$\\{", "${") for k, v in parsed.items()} == values


def test_find_dotenv_walks_up(tmp_path):
    (tmp_path / ".env").write_text("A=1")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_dotenv(".env", str(deep)) == str(tmp_path / ".env")
    assert find_dotenv(".nothing-here-xyz", str(deep)) is None


def test_load_dotenv_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("FOO", "BAR", "BAZ", "SET", "ONLY_FLASKENV"):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / ".flaskenv").write_text("FOO=flaskenv\nBAR=flaskenv\nBAZ=flaskenv\nONLY_FLASKENV=yes\n")
    (tmp_path / ".microflaskenv").write_text("FOO=micro\nBAR=micro\n")
    (tmp_path / ".env").write_text("FOO=env\nSET=file\n")
    monkeypatch.setenv("SET", "environment")
    assert load_dotenv() is True
    assert os.environ["FOO"] == "env"
    assert os.environ["BAR"] == "micro"
    assert os.environ["ONLY_FLASKENV"] == "yes"
    assert os.environ["SET"] == "environment"  # never overridden


def test_load_dotenv_explicit_file_wins_over_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FOO", raising=False)
    (tmp_path / ".env").write_text("FOO=env\n")
    (tmp_path / "custom.env").write_text("FOO=custom\n")
    load_dotenv(tmp_path / "custom.env")
    assert os.environ["FOO"] == "custom"


def test_load_dotenv_without_defaults_and_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("FOO_UNUSED=1\n")
    assert load_dotenv(tmp_path / "missing.env", load_defaults=False) is False
    assert "FOO_UNUSED" not in os.environ


def test_load_dotenv_warns_about_bad_lines(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.env").write_text("GOOD_KEY_1=1\nnot valid\n")
    load_dotenv(tmp_path / "x.env", load_defaults=False)
    assert "line 2" in capsys.readouterr().err
    assert os.environ["GOOD_KEY_1"] == "1"


# -- commands from signatures --------------------------------------------------


@command()
def greet(name, times: int = 1, ratio: float = 0.5, loud: bool = False, tag: list[str] = [], where: pathlib.Path = pathlib.Path(".")):  # noqa: B006
    """Greet someone.

    Second paragraph."""
    echo(f"{name}|{times}|{ratio}|{loud}|{tag}|{where!r}")
    return name


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["bob"], "bob|1|0.5|False|()|PosixPath('.')"),
        (["bob", "--times", "3"], "bob|3|0.5|False|()|PosixPath('.')"),
        (["--times=3", "bob"], "bob|3|0.5|False|()|PosixPath('.')"),
        (["bob", "--ratio", "-2.5", "--loud"], "bob|1|-2.5|True|()|PosixPath('.')"),
        (["bob", "--loud", "--no-loud"], "bob|1|0.5|False|()|PosixPath('.')"),
        (["bob", "--tag", "a", "--tag", "b"], "bob|1|0.5|False|('a', 'b')|PosixPath('.')"),
        (["bob", "--where", "/tmp"], "bob|1|0.5|False|()|PosixPath('/tmp')"),
        (["--", "-dash"], "-dash|1|0.5|False|()|PosixPath('.')"),
    ],
)
def test_signature_inference(args, output):
    result = invoke(greet, args)
    assert result.exit_code == 0, result.output
    assert result.output == output + "\n"
    assert result.return_value == output.split("|")[0]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([], "Error: Missing argument 'NAME'."),
        (["bob", "--times"], "Error: Option '--times' requires an argument."),
        (["bob", "--times", "x"], "Error: Invalid value for '--times': 'x' is not a valid integer."),
        (["bob", "--ratio", "q"], "Error: Invalid value for '--ratio': 'q' is not a valid float."),
        (["bob", "--nope"], "Error: No such option '--nope'."),
        (["bob", "--nope=1"], "Error: No such option '--nope'."),
        (["bob", "extra"], "Error: Got unexpected extra argument (extra)"),
        (["bob", "x", "y"], "Error: Got unexpected extra arguments (x y)"),
        (["bob", "--loud=1"], "Error: Option '--loud' does not take a value."),
    ],
)
def test_signature_usage_errors(args, error):
    result = invoke(greet, args)
    assert result.exit_code == 2
    assert result.output.startswith("Usage: greet [OPTIONS] NAME\nTry 'greet --help' for help.\n\n")
    assert result.output.rstrip("\n").endswith(error)
    assert isinstance(result.exception, SystemExit)


def test_help_page_layout():
    result = invoke(greet, ["--help"])
    assert result.exit_code == 0
    assert result.output == (
        "Usage: greet [OPTIONS] NAME\n"
        "\n"
        "  Greet someone.\n"
        "\n"
        "  Second paragraph.\n"
        "\n"
        "Options:\n"
        "  --times INTEGER     [default: 1]\n"
        "  --ratio FLOAT       [default: 0.5]\n"
        "  --loud / --no-loud\n"
        "  --tag TEXT\n"
        "  --where PATH        [default: .]\n"
        "  --help              Show this message and exit.\n"
    )


def test_help_wins_over_missing_arguments():
    assert invoke(greet, ["--help"]).exit_code == 0
    assert invoke(greet, ["--times", "x", "--help"]).exit_code == 0


def test_varargs_keyword_only_and_positional_only():
    @command()
    def tool(first, /, *rest: int, mode: str, **ignored):
        echo(f"{first} {rest} {mode}")

    assert invoke(tool, ["a", "1", "2", "--mode", "m"]).output == "a (1, 2) m\n"
    assert invoke(tool, ["a", "--mode", "m"]).output == "a () m\n"
    missing = invoke(tool, ["a"])
    assert missing.exit_code == 2
    assert "Missing option '--mode'." in missing.output
    bad = invoke(tool, ["a", "x", "--mode", "m"])
    assert "Invalid value for 'REST': 'x' is not a valid integer." in bad.output


def test_list_argument_and_optional_hint():
    @command()
    def copy(paths: list[pathlib.Path], dest: str | None = None, level: "int | None" = None):
        echo(f"{[p.name for p in paths]} {dest} {level}")

    assert invoke(copy, ["a/x", "b/y", "--level", "3"]).output == "['x', 'y'] None 3\n"
    assert invoke(copy, []).exit_code == 2


def test_unresolvable_annotation_falls_back_to_text():
    @command()
    def odd(value: "NoSuchType" = "x"):  # noqa: F821
        echo(repr(value))

    assert invoke(odd, ["--value", "7"]).output == "'7'\n"


# -- explicit decorators -------------------------------------------------------


@command("explicit")
@argument("src")
@argument("rest", nargs=-1)
@option("--count", "-c", type=int, default=2, help="How many times.", show_default=True)
@option("--mode", type=Choice(["fast", "slow"], case_sensitive=False), default="fast")
@option("--verbose", "-v", is_flag=True, help="Say more.")
@option("--color/--no-color", default=True)
@option("--item", multiple=True)
@option("--token", envvar="TEST_CLI_TOKEN", required=True)
def explicit_cmd(src, rest, count, mode, verbose, color, item, token):
    """Do a thing."""
    echo(f"{src} {rest} {count} {mode} {verbose} {color} {item} {token}")


@pytest.mark.parametrize(
    ("args", "env", "output"),
    [
        (["s", "--token", "t"], {}, "s () 2 fast False True () t"),
        (["s", "r1", "r2", "-c", "5", "-v", "--no-color", "--token", "t"], {}, "s ('r1', 'r2') 5 fast True False () t"),
        (["s", "--mode", "SLOW", "--item", "a", "--item", "b"], {"TEST_CLI_TOKEN": "env"}, "s () 2 slow False True ('a', 'b') env"),
        (["s", "-c7"], {"TEST_CLI_TOKEN": "e"}, "s () 7 fast False True () e"),
    ],
)
def test_explicit_parameters(args, env, output):
    result = invoke(explicit_cmd, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output == output + "\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["s"], "Error: Missing option '--token'."),
        (["s", "--token", "t", "--mode", "x"], "Error: Invalid value for '--mode': 'x' is not one of 'fast', 'slow'."),
        (["s", "--token", "t", "-c", "1.5"], "Error: Invalid value for '--count' / '-c': '1.5' is not a valid integer."),
    ],
)
def test_explicit_parameter_errors(args, error):
    result = invoke(explicit_cmd, args)
    assert result.exit_code == 2
    assert result.output.rstrip("\n").endswith(error)


def test_explicit_help():
    out = invoke(explicit_cmd, ["--help"]).output
    assert out.startswith("Usage: explicit [OPTIONS] SRC [REST]...\n\n  Do a thing.\n\nOptions:\n")
    assert "  -c, --count INTEGER   How many times.  [default: 2]\n" in out
    assert "  --mode [fast|slow]\n" in out
    assert "  -v, --verbose         Say more.\n" in out
    assert "  --color / --no-color\n" in out
    assert "  --token TEXT          [required]\n" in out


def test_bool_and_path_types():
    @command()
    @option("--b", type=bool)
    @option("--f", type=Path(exists=True, dir_okay=False))
    @option("--d", type=Path(file_okay=False))
    def check(b, f, d):
        echo(f"{b} {f} {d}")

    assert invoke(check, ["--b", "yes"]).output == "True None None\n"
    assert invoke(check, ["--b", "off"]).output == "False None None\n"
    out = invoke(check, ["--b", "maybe"]).output
    assert "'maybe' is not a valid boolean." in out
    out = invoke(check, ["--f", "/no/such/file/xyz"]).output
    assert "Invalid value for '--f': File '/no/such/file/xyz' does not exist." in out
    out = invoke(check, ["--f", "/"]).output
    assert "File '/' is a directory." in out
    out = invoke(check, ["--d", __file__]).output
    assert "is a file." in out


def test_callable_type_and_bad_parameter_from_callback():
    def even(value):
        number = int(value)
        if number % 2:
            raise ValueError(f"{number} is odd.")
        return number

    def positive(ctx, param, value):
        if value is not None and value < 0:
            raise BadParameter("must be positive", ctx, param)
        return value

    @command()
    @option("--n", type=even)
    @option("--p", type=int, callback=positive)
    def nums(n, p):
        echo(f"{n} {p}")

    assert invoke(nums, ["--n", "4"]).output == "4 None\n"
    assert "Invalid value for '--n': 3 is odd." in invoke(nums, ["--n", "3"]).output
    assert "Invalid value for '--p': must be positive" in invoke(nums, ["--p", "-1"]).output


def test_parameter_source_and_pass_context():
    seen = {}

    @command()
    @option("--x", default="d", envvar="TEST_CLI_X")
    @pass_context
    def src(ctx, x):
        seen[x] = ctx.get_parameter_source("x")
        assert get_current_context() is ctx

    invoke(src, [])
    invoke(src, ["--x", "cli"])
    invoke(src, [], env={"TEST_CLI_X": "env"})
    assert seen == {"d": ParameterSource.DEFAULT, "cli": ParameterSource.COMMANDLINE, "env": ParameterSource.ENVIRONMENT}


def test_command_decorator_names():
    @command()
    def init_db_command():
        pass

    @command
    def plain_cmd():
        pass

    @group()
    def tools_group():
        pass

    assert (init_db_command.name, plain_cmd.name, tools_group.name) == ("init-db", "plain", "tools")
    with pytest.raises(TypeError):
        command()(init_db_command)


@pytest.mark.parametrize(
    "decls",
    [("count",), ("nodash",), ("--x", "-"), ("-/--y",)],
)
def test_bad_option_declarations(decls):
    with pytest.raises(TypeError):
        option(*decls)(lambda **kw: None)


# -- groups --------------------------------------------------------------------


@group()
@option("--verbose", is_flag=True)
@pass_context
def tool(ctx, verbose):
    """A tool."""
    ctx.obj = {"verbose": verbose}


@tool.command()
@pass_context
def status(ctx):
    """Show the status. Extra words not shown."""
    echo(f"status verbose={ctx.obj['verbose']}")


@tool.group()
def db():
    """Database commands."""


@db.command("init")
@option("--force", is_flag=True)
def db_init(force):
    echo(f"init force={force}")
    return "done"


def test_group_dispatch():
    assert invoke(tool, ["status"]).output == "status verbose=False\n"
    assert invoke(tool, ["--verbose", "status"]).output == "status verbose=True\n"
    result = invoke(tool, ["db", "init", "--force"])
    assert result.output == "init force=True\n"
    assert result.return_value == "done"


def test_group_errors():
    result = invoke(tool, ["nope"])
    assert result.exit_code == 2
    assert result.output == "Usage: tool [OPTIONS] COMMAND [ARGS]...\nTry 'tool --help' for help.\n\nError: No such command 'nope'.\n"
    result = invoke(tool, ["--bogus", "status"])
    assert result.exit_code == 2
    assert "No such option '--bogus'." in result.output
    result = invoke(tool, ["db", "init", "--nope"])
    assert "Usage: tool db init [OPTIONS]" in result.output


def test_group_without_command_shows_help_with_exit_code_2():
    result = invoke(tool, [])
    assert result.exit_code == 2
    assert result.output == (
        "Usage: tool [OPTIONS] COMMAND [ARGS]...\n\n  A tool.\n\nOptions:\n"
        "  --verbose\n  --help     Show this message and exit.\n\nCommands:\n"
        "  db      Database commands.\n  status  Show the status.\n"
    )
    assert invoke(tool, ["--help"]).exit_code == 0


def test_group_invoke_without_command_and_add_command():
    calls = []
    top = Group("top", callback=lambda: calls.append("top"), invoke_without_command=True)
    top.add_command(Command("leaf", callback=lambda: calls.append("leaf")))
    top.add_command(Command("other", callback=lambda: None), name="alias")
    assert invoke(top, []).exit_code == 0
    assert invoke(top, ["leaf"]).exit_code == 0
    assert calls == ["top", "top", "leaf"]
    assert sorted(top.commands) == ["alias", "leaf"]
    with pytest.raises(TypeError):
        top.add_command(Command(None))


def test_short_help_is_cut_at_a_word():
    long = Command("x", help="word " * 30)
    assert long.get_short_help_str(20) == "word word word..."
    assert Command("y", help="One. Two.").get_short_help_str() == "One."
    assert Command("z", short_help="Given.", help="Other").get_short_help_str() == "Given."


def test_context_helpers():
    ctx = Context(Command("x"), info_name="x")
    with pytest.raises(UsageError):
        ctx.fail("no")
    assert ctx.ensure_object(dict) == {}
    assert ctx.find_object(dict) is ctx.obj
    child = Context(Command("y"), parent=ctx, info_name="y")
    assert child.command_path == "x y"
    assert child.find_root() is ctx
    closed = []
    child.call_on_close(lambda: closed.append(1))
    child.close()
    assert closed == [1]
    assert get_current_context(silent=True) is None
    with pytest.raises(RuntimeError):
        get_current_context()


# -- the runner ----------------------------------------------------------------


def test_runner_captures_streams_input_and_exceptions():
    @command()
    def talk():
        name = input("name? ")
        echo(f"hi {name}")
        echo("warned", err=True)

    result = invoke(talk, [], input="ann\n")
    assert result.exit_code == 0
    assert result.stdout == "name? hi ann\n"
    assert result.stderr == "warned\n"
    assert result.output == "name? hi ann\nwarned\n"

    @command()
    def boom():
        raise KeyError("k")

    result = invoke(boom, [])
    assert result.exit_code == 1
    assert isinstance(result.exception, KeyError)
    with pytest.raises(KeyError):
        CliRunner().invoke(boom, [], catch_exceptions=False)


@pytest.mark.parametrize(
    ("raise_", "code", "printed"),
    [
        (lambda: sys.exit(3), 3, ""),
        (lambda: sys.exit("bye"), 1, "bye\n"),
        (lambda: sys.exit(0), 0, ""),
        (lambda: (_ for _ in ()).throw(KeyboardInterrupt), 1, "Aborted!\n"),
        (lambda: get_current_context().exit(4), 4, ""),
        (lambda: get_current_context().abort(), 1, "Aborted!\n"),
    ],
)
def test_runner_exit_codes(raise_, code, printed):
    cmd = Command("x", callback=raise_)
    result = invoke(cmd, [])
    assert result.exit_code == code
    assert result.output == printed


def test_runner_string_args_and_env(monkeypatch):
    monkeypatch.delenv("TEST_CLI_UNSET", raising=False)
    monkeypatch.setenv("TEST_CLI_GONE", "x")

    @command()
    @argument("words", nargs=-1)
    def say(words):
        echo(f"{list(words)} {os.environ.get('TEST_CLI_UNSET')} {os.environ.get('TEST_CLI_GONE')}")

    result = CliRunner(env={"TEST_CLI_UNSET": "set"}).invoke(say, "a 'b c'", env={"TEST_CLI_GONE": None})
    assert result.output == "['a', 'b c'] set None\n"
    assert "TEST_CLI_UNSET" not in os.environ
    assert os.environ["TEST_CLI_GONE"] == "x"


def test_runner_isolated_filesystem(tmp_path):
    cwd = os.getcwd()
    with CliRunner().isolated_filesystem(temp_dir=tmp_path) as path:
        assert os.getcwd() == os.path.realpath(path)
        pathlib.Path("f.txt").write_text("x")
    assert os.getcwd() == cwd
    assert (pathlib.Path(path) / "f.txt").exists()


def test_main_in_standalone_mode_exits():
    cmd = Command("x", callback=lambda: None)
    with pytest.raises(SystemExit) as info:
        cmd.main([], "x")
    assert info.value.code == 0
    assert Command("y", callback=lambda: 5).main([], "y", standalone_mode=False) == 5


# -- the program ---------------------------------------------------------------


def test_version_names_both_packages(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Python {sys.version.split()[0]}"
    assert out[1] == f"microflask {microflask.__version__}"
    assert out[2].startswith("wsgikit ")
    assert version_text().splitlines() == out


def test_no_arguments_prints_usage_and_fails(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MICROFLASK_APP", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("Usage: microflask [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:\n  routes  " in captured.out
    assert "Could not locate a Flask application" in captured.err


def test_unknown_command_fails_with_its_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MICROFLASK_APP", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    assert main(["frobnicate"]) == 2
    assert "No such command 'frobnicate'" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--version"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert proc.returncode == 0
    assert f"microflask {microflask.__version__}" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--help"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert proc.stdout.startswith("Usage: python -m microflask [OPTIONS] COMMAND [ARGS]...")
