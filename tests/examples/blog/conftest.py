"""Fixtures for the blog's tests: an application on a temporary sqlite file
with two users and one post, a test client that knows how to fill in the
CSRF token, and the blog served by the real development server."""

from __future__ import annotations

import html
import os
import re
import sys
import typing as t
from pathlib import Path

import pytest

from examples.blog import create_app
from examples.blog.db import get_db
from tests._server_process import running_server
from wsgikit.security import generate_password_hash

if t.TYPE_CHECKING:
    from microflask import Flask
    from microflask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[3]

#: The seeded accounts and their passwords.
PASSWORDS = {"alice": "alice-secret", "bob": "bob-secret"}
#: The seeded post (written by alice).
FIRST_POST = {"id": 1, "title": "Hello from Alice", "body": "The very first post."}

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


@pytest.fixture(scope="session")
def password_hashes() -> dict[str, str]:
    # A cheap hash method for the seeded users: the tests log in often, and
    # the default scrypt costs a tenth of a second per check.
    return {name: generate_password_hash(pw, "pbkdf2:sha256:1000") for name, pw in PASSWORDS.items()}


@pytest.fixture
def app(tmp_path: Path, password_hashes: dict[str, str]) -> Flask:
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "blog.sqlite"), "SECRET_KEY": "test-secret"})
    with app.app_context():
        db = get_db()
        db.executemany("INSERT INTO user (username, password) VALUES (?, ?)", sorted(password_hashes.items()))
        db.execute(
            "INSERT INTO post (title, body, author_id, created) VALUES (?, ?, 1, '2024-01-02 10:30')",
            (FIRST_POST["title"], FIRST_POST["body"]),
        )
        db.commit()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def extract_token(page: str) -> str:
    """The CSRF token in a rendered form."""
    match = TOKEN_RE.search(page)
    assert match is not None, "no csrf_token field on the page"
    return html.unescape(match.group(1))


class Visitor:
    """Someone using the blog through the test client: fills in each form's
    CSRF token the way a browser submits the hidden field."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self) -> str:
        """The token of the current session, read from a rendered form."""
        return extract_token(self.client.get("/auth/login").get_data(as_text=True))

    def post(self, path: str, data: dict[str, str] | None = None, follow: bool = False) -> t.Any:
        form = {"csrf_token": self.token(), **(data or {})}
        return self.client.post(path, data=form, follow_redirects=follow)

    def login(self, username: str = "alice", password: str | None = None) -> t.Any:
        password = PASSWORDS.get(username, "") if password is None else password
        return self.post("/auth/login", {"username": username, "password": password})

    def logout(self) -> t.Any:
        return self.post("/auth/logout")


@pytest.fixture
def visitor(client: FlaskClient) -> Visitor:
    return Visitor(client)


@pytest.fixture
def rows(app: Flask) -> t.Callable[..., list[tuple[t.Any, ...]]]:
    """``rows(sql, *params)``: the result as plain tuples, read in a fresh
    app context (so the test sees what the views committed)."""

    def query(sql: str, *params: t.Any) -> list[tuple[t.Any, ...]]:
        with app.app_context():
            return [tuple(row) for row in get_db().execute(sql, params).fetchall()]

    return query


# -- the blog on the development server -----------------------------------


def server_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a served blog: its own database and key, and none
    of the caller's microflask settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "MICROFLASK_", "WSGIKIT_"))}
    env.pop("SECRET_KEY", None)
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        NO_COLOR="1",
        MICROFLASK_DATABASE=str(tmp_path / "served.sqlite"),
        MICROFLASK_SECRET_KEY="served-test-secret",
    )
    return env


@pytest.fixture
def served_blog(tmp_path: Path) -> t.Iterator[str]:
    """``python -m microflask --app examples.blog run --port 0`` in a
    subprocess; yields the base URL it prints."""
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "microflask", "--app", "examples.blog", "run", "--port", "0"]
    with running_server(command, tmp_path, server_env(tmp_path), log, what="blog") as url:
        yield url
