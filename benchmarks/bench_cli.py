"""The command line: in-process command runs and process start-up,
microflask.cli (argparse) against Flask's CLI (click)."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _add_rules(app: object, count: int) -> None:
    def view() -> str:
        return ""

    for i in range(count):
        app.add_url_rule(f"/item/{i}/<int:id>", f"item_{i}", view, methods=["GET", "POST"])  # type: ignore[attr-defined]


@scenario("cli.routes")
def routes_bench() -> Comparison:
    from microflask import Flask
    from microflask.cli import FlaskCliRunner
    from microflask.cli import routes_command

    app = Flask("bench_cli")
    _add_rules(app, 40)
    runner = FlaskCliRunner(app)
    peer = None
    flask = try_import("flask")
    if flask is not None:
        import flask.cli

        papp = flask.Flask("bench_cli")
        _add_rules(papp, 40)
        prunner = papp.test_cli_runner()
        peer = lambda: prunner.invoke(flask.cli.routes_command, [])  # noqa: E731
    return Comparison(
        ours=lambda: runner.invoke(routes_command, []),
        peer=peer,
        peer_name="flask",
        unit="routes table (41 rules) through the test runner",
        target=1.0,
    )


@scenario("cli.command")
def command_bench() -> Comparison:
    from microflask.cli import CliRunner
    from microflask.cli import command
    from microflask.cli import option

    @command()
    @option("--count", type=int, default=1)
    @option("--name", default="x")
    @option("--flag/--no-flag", default=False)
    def ours_cmd(count: int, name: str, flag: bool) -> int:
        return count

    args = ["--count", "3", "--name", "bob", "--flag"]
    runner = CliRunner()
    peer = None
    click = try_import("click")
    if click is not None:
        import click.testing

        @click.command()
        @click.option("--count", type=int, default=1)
        @click.option("--name", default="x")
        @click.option("--flag/--no-flag", default=False)
        def peer_cmd(count: int, name: str, flag: bool) -> int:
            return count

        prunner = click.testing.CliRunner()
        peer = lambda: prunner.invoke(peer_cmd, args)  # noqa: E731
    return Comparison(
        ours=lambda: runner.invoke(ours_cmd, args),
        peer=peer,
        peer_name="click",
        unit="parse three options and run through the test runner",
        target=1.0,
    )


@scenario("cli.startup")
def startup_bench() -> Comparison:
    env = {**os.environ, "PYTHONPATH": _ROOT}

    def run(module: str) -> None:
        subprocess.run([sys.executable, "-m", module, "--version"], env=env, capture_output=True, check=True)

    return Comparison(
        ours=lambda: run("microflask"),
        peer=(lambda: run("flask")) if try_import("flask") else None,
        peer_name="flask",
        unit="python -m ... --version in a new process",
        target=1.0,
    )
