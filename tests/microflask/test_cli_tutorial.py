"""The Flask tutorial's database module, written for Flask and run on
microflask after renaming only ``flask`` -> ``microflask``: a click
``init-db`` command added with ``app.cli.add_command``, its test through
``runner.invoke(args=["init-db"])`` with ``init_db`` monkeypatched, and
the real command through ``python -m microflask --app ... init-db``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("click", reason="click is not installed: the tutorial's db module imports it")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A small blog package in the tutorial's shape, written for Flask; only the
# import names are changed below.
PACKAGE = {
    "__init__.py": """
        import os

        from flask import Flask


        def create_app(test_config=None):
            app = Flask(__name__, instance_relative_config=True)
            app.config.from_mapping(SECRET_KEY="dev", DATABASE=os.path.join(app.instance_path, "notes.sqlite"))
            if test_config is None:
                app.config.from_pyfile("config.py", silent=True)
            else:
                app.config.from_mapping(test_config)
            os.makedirs(app.instance_path, exist_ok=True)

            from . import db

            db.init_app(app)

            @app.route("/count")
            def count():
                rows = db.get_db().execute("SELECT COUNT(*) FROM note").fetchone()
                return str(rows[0])

            return app
    """,
    "db.py": """
        import sqlite3

        import click
        from flask import current_app
        from flask import g


        def get_db():
            if "db" not in g:
                g.db = sqlite3.connect(current_app.config["DATABASE"], detect_types=sqlite3.PARSE_DECLTYPES)
                g.db.row_factory = sqlite3.Row
            return g.db


        def close_db(e=None):
            db = g.pop("db", None)
            if db is not None:
                db.close()


        def init_db():
            db = get_db()
            with current_app.open_resource("schema.sql") as f:
                db.executescript(f.read().decode("utf8"))


        @click.command("init-db")
        def init_db_command():
            \"\"\"Drop the notes table and create it again.\"\"\"
            init_db()
            click.echo("Initialized the database.")


        def init_app(app):
            app.teardown_appcontext(close_db)
            app.cli.add_command(init_db_command)
    """,
    "schema.sql": """
        DROP TABLE IF EXISTS note;
        CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
    """,
}


def write_package(base, name="notes"):
    package = base / name
    package.mkdir()
    for filename, source in PACKAGE.items():
        text = textwrap.dedent(source).lstrip()
        # The only change a port makes: the import names.
        text = text.replace("from flask import", "from microflask import")
        (package / filename).write_text(text)
    return package


@pytest.fixture
def notes(tmp_path, monkeypatch):
    write_package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    import notes
    import notes.db

    yield notes
    for name in [n for n in sys.modules if n == "notes" or n.startswith("notes.")]:
        del sys.modules[name]


@pytest.fixture
def app(notes, tmp_path):
    app = notes.create_app({"TESTING": True, "DATABASE": str(tmp_path / "test.sqlite")})
    with app.app_context():
        notes.db.init_db()
    return app


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_package_imports_click_and_uses_microflask(notes):
    with open(os.path.join(os.path.dirname(notes.__file__), "db.py")) as f:
        text = f.read()
    assert "import click\n" in text
    assert "from microflask import current_app\n" in text
    assert "from flask" not in text


def test_get_close_db(app):
    with app.app_context():
        from notes.db import get_db

        db = get_db()
        assert db is get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_init_db_command(runner, monkeypatch):
    class Recorder:
        called = False

    def fake_init_db():
        Recorder.called = True

    monkeypatch.setattr("notes.db.init_db", fake_init_db)
    result = runner.invoke(args=["init-db"])
    assert "Initialized" in result.output
    assert Recorder.called


def test_init_db_command_listed_in_help(runner):
    result = runner.invoke(args=["--help"])
    assert "init-db  Drop the notes table and create it again." in result.output


def test_app_serves_from_the_initialized_database(app):
    assert app.test_client().get("/count").data == b"0"


def test_init_db_through_the_program(tmp_path):
    write_package(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, str(tmp_path)])}
    proc = subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "notes", "init-db"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (0, "Initialized the database.\n"), proc.stderr
    database = tmp_path / "instance" / "notes.sqlite"
    with sqlite3.connect(database) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert "note" in tables
