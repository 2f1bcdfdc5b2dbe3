"""The blog's storage: one sqlite3 file, one connection per app context.

:func:`get_db` opens the connection the first time a request (or a CLI
command) needs it and keeps it on :data:`~microflask.g`; the teardown hook
that :func:`init_app` registers closes it when the app context ends.
Every query in the application passes its values as ``?`` parameters, never
by formatting them into the SQL text.
"""

from __future__ import annotations

import os
import sqlite3
import typing as t

from microflask import current_app
from microflask import g

if t.TYPE_CHECKING:
    from microflask import Flask


def get_db() -> sqlite3.Connection:
    """The current app context's connection, opened on first use.

    Rows come back as :class:`sqlite3.Row`, so templates can write
    ``post["title"]``; foreign keys are enforced (sqlite leaves them off
    unless each connection asks).
    """
    if "db" not in g:
        db = sqlite3.connect(current_app.config["DATABASE"])
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        g.db = db
    return t.cast(sqlite3.Connection, g.db)


def close_db(exc: BaseException | None = None) -> None:
    """Close the connection, if this app context opened one."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def schema_script() -> str:
    """The statements of ``schema.sql``: they create only missing tables."""
    with current_app.open_resource("schema.sql") as f:
        return f.read().decode("utf-8")


def init_db() -> None:
    """Create the tables afresh (dropping any existing data)."""
    get_db().executescript(
        "BEGIN IMMEDIATE;\nDROP TABLE IF EXISTS post;\nDROP TABLE IF EXISTS user;\n"
        + schema_script() + "\nCOMMIT;"
    )


def has_schema() -> bool:
    """Whether the database already has the blog's tables."""
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('user', 'post')"
    row = get_db().execute(sql).fetchone()
    return bool(row[0] == 2)


def ensure_db(app: Flask) -> None:
    """Create the database file and its tables when they don't exist yet.

    This is what lets a fresh checkout run the blog with a single command:
    the first start makes ``blog.sqlite`` in the instance folder.  An existing
    database is left untouched.

    Several processes may start at once on the same file (gunicorn boots its
    workers together), so the whole script runs inside one ``BEGIN
    IMMEDIATE`` transaction: the starts queue on sqlite's write lock (waiting
    up to 30 seconds), and each one only creates the tables that are missing
    once it holds the lock.  A check-then-create done outside the lock could
    drop tables another worker had just filled, or fail with "table already
    exists" and stop the whole server.
    """
    path = app.config["DATABASE"]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with app.app_context():
        script = schema_script()
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.executescript("BEGIN IMMEDIATE;\n" + script + "\nCOMMIT;")
    finally:
        db.close()


def init_app(app: Flask) -> None:
    """Register the teardown hook and the ``init-db`` command on ``app``."""
    app.teardown_appcontext(close_db)

    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Drop and recreate the blog's tables."""
        from microflask.cli import echo

        init_db()
        echo(f"Initialized the database at {current_app.config['DATABASE']}.")
