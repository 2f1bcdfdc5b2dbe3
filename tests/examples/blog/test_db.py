"""The db module: one connection per app context, closed at teardown; the
schema; the init-db command."""

from __future__ import annotations

import sqlite3
import typing as t

import pytest

from examples.blog.db import get_db
from examples.blog.db import has_schema
from examples.blog.db import init_db

if t.TYPE_CHECKING:
    from microflask import Flask


def test_one_connection_per_app_context(app: Flask) -> None:
    with app.app_context():
        db = get_db()
        assert get_db() is db
    with app.app_context():
        assert get_db() is not db


def test_connection_is_closed_at_teardown(app: Flask) -> None:
    with app.app_context():
        db = get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_connection_is_closed_after_a_request(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def spy(*args: t.Any, **kwargs: t.Any) -> sqlite3.Connection:
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", spy)
    assert app.test_client().get("/").status_code == 200
    assert len(opened) == 1
    with pytest.raises(sqlite3.ProgrammingError):
        opened[0].execute("SELECT 1")


def test_rows_are_addressable_by_name_and_foreign_keys_are_on(app: Flask) -> None:
    with app.app_context():
        db = get_db()
        row = db.execute("SELECT id, username FROM user WHERE username = ?", ("alice",)).fetchone()
        assert (row["id"], row["username"]) == (1, "alice")
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO post (title, body, author_id) VALUES ('t', 'b', 999)")


def test_post_gets_a_creation_time(app: Flask, rows) -> None:
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO post (title, body, author_id) VALUES ('t', 'b', 2)")
        db.commit()
    ((created,),) = rows("SELECT created FROM post WHERE author_id = 2")
    # 'YYYY-MM-DD HH:MM', UTC, stored as text.
    assert len(created) == 16 and created[4] == "-" and created[10] == " " and created[13] == ":"


def test_usernames_are_unique(app: Flask) -> None:
    with app.app_context(), pytest.raises(sqlite3.IntegrityError):
        get_db().execute("INSERT INTO user (username, password) VALUES ('alice', 'x')")


def test_init_db_starts_afresh(app: Flask, rows) -> None:
    with app.app_context():
        assert has_schema()
        init_db()
        assert has_schema()
    assert rows("SELECT * FROM user") == []
    assert rows("SELECT * FROM post") == []


def test_has_schema_on_an_empty_database(app: Flask, tmp_path) -> None:
    app.config["DATABASE"] = str(tmp_path / "other.sqlite")
    with app.app_context():
        assert not has_schema()


def test_init_db_command(app: Flask, rows) -> None:
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Initialized the database" in result.output
    assert app.config["DATABASE"] in result.output
    assert rows("SELECT * FROM user") == []


def test_init_db_command_is_listed(app: Flask) -> None:
    assert "init-db" in app.cli.commands
    result = app.test_cli_runner().invoke(args=["--help"])
    assert "init-db" in result.output



def test_a_start_waits_for_a_concurrent_one_and_keeps_its_tables(tmp_path) -> None:
    # gunicorn boots its workers together on the same fresh file. Here the
    # "other worker" holds sqlite's write lock with the tables created and a
    # user added, not yet committed: create_app must wait for it and then
    # leave its tables alone (a check made before the lock saw no tables and
    # dropped them, losing the user).
    import threading
    import time

    from examples.blog import create_app

    path = str(tmp_path / "shared.sqlite")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE user (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                  "username TEXT UNIQUE NOT NULL, password TEXT NOT NULL)")
    other.execute("CREATE TABLE post (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER NOT NULL, "
                  "created TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, body TEXT NOT NULL)")
    other.execute("INSERT INTO user (username, password) VALUES ('first', 'x')")
    errors: list[BaseException] = []

    def start() -> None:
        try:
            create_app({"DATABASE": path, "SECRET_KEY": "k"})
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=start)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()  # queued on the write lock
    other.execute("COMMIT")
    other.close()
    thread.join(timeout=30)
    assert not thread.is_alive() and errors == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT username FROM user").fetchall() == [("first",)]
    db.close()
