"""Flask-Migrate's ``db`` click group (``init``, ``migrate``, ``upgrade``,
``current``) run through ``python -m microflask`` against a real sqlite
file, with the extension imported through ``install_as_flask()``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

import microflask

pytest.importorskip("click", reason="click is not installed: Flask-Migrate's commands are click commands")
pytest.importorskip("flask_migrate", reason="Flask-Migrate is not installed (the ecosystem test extra)")
pytest.importorskip("flask_sqlalchemy", reason="Flask-SQLAlchemy is not installed (the ecosystem test extra)")
if not hasattr(microflask, "install_as_flask"):
    pytest.skip("microflask.install_as_flask() is not available in this build", allow_module_level=True)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

APP = """
import os

import microflask

microflask.install_as_flask()

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = microflask.Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.abspath("app.db")
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200))
"""


def microflask_cli(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_APP", "_DEBUG"))}
    env["PYTHONPATH"] = os.pathsep.join([ROOT, str(tmp_path)])
    return subprocess.run(
        [sys.executable, "-m", "microflask", "--app", "migapp", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_flask_migrate_db_commands(tmp_path):
    (tmp_path / "migapp.py").write_text(APP)
    listing = microflask_cli(tmp_path, "--help")
    assert "  db " in listing.stdout, listing.stderr
    for args in (["db", "init"], ["db", "migrate", "-m", "notes"], ["db", "upgrade"]):
        proc = microflask_cli(tmp_path, *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "migrations" / "env.py").is_file()
    assert len(list((tmp_path / "migrations" / "versions").glob("*_notes.py"))) == 1
    with sqlite3.connect(tmp_path / "app.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"note", "alembic_version"} <= tables
    current = microflask_cli(tmp_path, "db", "current")
    assert "(head)" in current.stdout
    bad = microflask_cli(tmp_path, "db", "upgrade", "--bogus")
    assert bad.returncode == 2
    assert "Error: No such option" in bad.stderr and "--bogus" in bad.stderr
    assert bad.stderr.startswith("Usage: python -m microflask db upgrade [OPTIONS]")
