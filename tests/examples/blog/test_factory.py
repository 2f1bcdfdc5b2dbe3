"""create_app: configuration sources, their order, and the database that
appears by itself on the first start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examples.blog import create_app
from microflask import Flask

ROOT = Path(__file__).resolve().parents[3]
CONFIG_ENV = ("SECRET_KEY", "FLASK_SECRET_KEY", "MICROFLASK_SECRET_KEY", "FLASK_DATABASE", "MICROFLASK_DATABASE")


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the default instance folder at a temporary one (not created)."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    return folder


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in CONFIG_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return found


def test_test_config_is_used(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.sqlite")})
    assert app.testing
    assert app.config["DATABASE"] == str(tmp_path / "x.sqlite")


def test_secret_key_has_a_dev_default(tmp_path: Path) -> None:
    assert create_app({"DATABASE": str(tmp_path / "x.sqlite")}).config["SECRET_KEY"] == "dev"


def test_test_config_ignores_the_environment(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("MICROFLASK_SECRET_KEY", "from-env")
    app = create_app({"DATABASE": str(tmp_path / "x.sqlite"), "SECRET_KEY": "from-test"})
    assert app.config["SECRET_KEY"] == "from-test"


def test_instance_folder_is_the_git_ignored_one_at_the_repository_root(tmp_path: Path) -> None:
    app = create_app({"DATABASE": str(tmp_path / "x.sqlite")})
    assert Path(app.instance_path) == ROOT / "instance"
    assert "instance/" in (ROOT / ".gitignore").read_text().splitlines()


def test_default_database_lives_in_the_instance_folder(instance: Path) -> None:
    app = create_app()
    assert app.config["DATABASE"] == str(instance / "blog.sqlite")
    # A fresh checkout needs no set-up: the folder and the tables appear.
    assert tables(instance / "blog.sqlite") >= {"user", "post"}


def test_database_path_from_the_environment(instance: Path, clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("MICROFLASK_DATABASE", str(tmp_path / "env.sqlite"))
    assert create_app().config["DATABASE"] == str(tmp_path / "env.sqlite")
    assert (tmp_path / "env.sqlite").is_file()
    assert not instance.exists()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "dev"),
        ({"SECRET_KEY": "plain"}, "plain"),
        ({"FLASK_SECRET_KEY": "flask"}, "flask"),
        ({"MICROFLASK_SECRET_KEY": "micro"}, "micro"),
        ({"SECRET_KEY": "plain", "MICROFLASK_SECRET_KEY": "micro"}, "micro"),
        ({"FLASK_SECRET_KEY": "flask", "MICROFLASK_SECRET_KEY": "micro"}, "micro"),
        ({"SECRET_KEY": "plain", "FLASK_SECRET_KEY": "flask"}, "flask"),
        ({"SECRET_KEY": ""}, "dev"),
    ],
)
def test_secret_key_from_the_environment(
    clean_env: pytest.MonkeyPatch, instance: Path, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert create_app().config["SECRET_KEY"] == expected


def test_instance_config_file_then_environment(clean_env: pytest.MonkeyPatch, instance: Path) -> None:
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "from-file"\nPOSTS_LABEL = "Notes"\nlowercase = "ignored"\n')
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["POSTS_LABEL"] == "Notes"
    assert "lowercase" not in app.config
    clean_env.setenv("SECRET_KEY", "from-env")
    assert create_app().config["SECRET_KEY"] == "from-env"
    clean_env.setenv("MICROFLASK_SECRET_KEY", "from-prefixed-env")
    assert create_app().config["SECRET_KEY"] == "from-prefixed-env"


def test_instance_config_file_is_skipped_with_test_config(instance: Path, tmp_path: Path) -> None:
    instance.mkdir()
    (instance / "config.py").write_text('SECRET_KEY = "from-file"\n')
    assert create_app({"DATABASE": str(tmp_path / "x.sqlite")}).config["SECRET_KEY"] == "dev"


def test_first_start_creates_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "blog.sqlite"
    create_app({"DATABASE": str(path)})
    assert path.is_file()
    assert tables(path) >= {"user", "post"}


def test_an_existing_database_is_kept(app: Flask, rows) -> None:
    again = create_app({"DATABASE": app.config["DATABASE"]})
    assert again.config["DATABASE"] == app.config["DATABASE"]
    assert rows("SELECT username FROM user ORDER BY id") == [("alice",), ("bob",)]


def test_an_empty_database_file_gets_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    create_app({"DATABASE": str(path)})
    assert tables(path) >= {"user", "post"}


def test_blueprints_and_routes(app: Flask) -> None:
    assert set(app.blueprints) == {"auth", "blog"}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= {
        "static",
        "auth.register",
        "auth.login",
        "auth.logout",
        "blog.index",
        "blog.show",
        "blog.create",
        "blog.update",
        "blog.delete",
    }
    with app.test_request_context():
        from microflask import url_for

        assert url_for("blog.index") == "/"


def test_static_stylesheet_is_served(client) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        body = response.get_data(as_text=True)
    assert ".card" in body
    # Self-contained: no fonts or imports from elsewhere.
    assert "@import" not in body and "url(" not in body and "http" not in body
