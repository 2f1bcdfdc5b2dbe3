"""Registering, logging in and out, login_required, and g.user."""

from __future__ import annotations

import typing as t

import pytest

from microflask import g
from microflask import session
from wsgikit.security import check_password_hash

if t.TYPE_CHECKING:
    from microflask import Flask


@pytest.mark.parametrize(("path", "button"), [("/auth/register", "Register"), ("/auth/login", "Log in")])
def test_forms_render(client, path: str, button: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<form class="card form" method="post" action="{path}">' in page
    assert 'name="username"' in page and 'type="password"' in page
    assert 'name="csrf_token"' in page
    assert f">{button}</button>" in page


def test_register_then_log_in(visitor, rows) -> None:
    response = visitor.post("/auth/register", {"username": "carol", "password": "carol-secret"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    ((stored,),) = rows("SELECT password FROM user WHERE username = ?", "carol")
    assert stored != "carol-secret"
    assert stored.startswith("scrypt:")
    assert check_password_hash(stored, "carol-secret")

    page = visitor.client.get("/auth/login").get_data(as_text=True)
    assert "Your account is ready. Please log in." in page

    assert visitor.login("carol", "carol-secret").status_code == 302
    assert "Signed in as <strong>carol</strong>" in visitor.client.get("/").get_data(as_text=True)


def test_username_is_trimmed(visitor, rows) -> None:
    visitor.post("/auth/register", {"username": "  dave  ", "password": "dave-secret"})
    assert rows("SELECT username FROM user WHERE id = 3") == [("dave",)]
    assert visitor.login("  dave ", "dave-secret").status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "long-enough", "Username is required."),
        ("   ", "long-enough", "Username is required."),
        ("erin", "", "Password is required."),
        ("", "", "Username is required."),
        ("", "", "Password is required."),
        ("erin", "short", "Password must be at least 8 characters."),
        ("e" * 41, "long-enough", "Username must be at most 40 characters."),
        ("erin", "p" * 1025, "Password must be at most 1024 characters."),
        ("alice", "long-enough", "The username &#39;alice&#39; is already taken."),
    ],
)
def test_register_refuses_bad_input(visitor, rows, username: str, password: str, message: str) -> None:
    response = visitor.post("/auth/register", {"username": username, "password": password})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="form-errors"' in page
    # The username typed so far stays in the field; the password never does.
    assert f'value="{username.strip()}"' in page
    if password:
        assert password not in page
    assert rows("SELECT count(*) FROM user") == [(2,)]


def test_longest_username_is_accepted(visitor, rows) -> None:
    response = visitor.post("/auth/register", {"username": "u" * 40, "password": "long-enough"})
    assert response.status_code == 302
    assert rows("SELECT count(*) FROM user WHERE username = ?", "u" * 40) == [(1,)]


def test_login_sets_the_session(visitor) -> None:
    response = visitor.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with visitor.client:
        page = visitor.client.get("/").get_data(as_text=True)
        assert session["user_id"] == 1
        assert g.user["username"] == "alice"
    assert "Welcome back, alice!" in page


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("alice", "wrong-password"),
        ("alice", "bob-secret"),
        ("nobody", "alice-secret"),
        ("ALICE", "alice-secret"),
        ("", "alice-secret"),
        ("alice", ""),
        ("", ""),
        ("alice", "x" * 5000),
    ],
)
def test_login_refuses_wrong_credentials(visitor, username: str, password: str) -> None:
    response = visitor.login(username, password)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Incorrect username or password." in page
    with visitor.client.session_transaction() as sess:
        assert "user_id" not in sess
    with visitor.client:
        visitor.client.get("/")
        assert g.user is None


def test_login_starts_a_new_session(visitor) -> None:
    before = visitor.token()
    with visitor.client.session_transaction() as sess:
        sess["leftover"] = "from before"
    visitor.login()
    with visitor.client.session_transaction() as sess:
        assert "leftover" not in sess
    assert visitor.token() != before


def test_logout_clears_the_session(visitor) -> None:
    visitor.login()
    response = visitor.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with visitor.client:
        page = visitor.client.get("/").get_data(as_text=True)
        assert "user_id" not in session
        assert g.user is None
    assert "You have been logged out." in page
    assert "Log in</a>" in page


def test_logout_is_post_only(visitor) -> None:
    visitor.login()
    assert visitor.client.get("/auth/logout").status_code == 405
    with visitor.client.session_transaction() as sess:
        assert sess["user_id"] == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/create"), ("POST", "/create"), ("GET", "/1/update"), ("POST", "/1/update"), ("POST", "/1/delete")],
)
def test_login_required(visitor, rows, method: str, path: str) -> None:
    if method == "GET":
        response = visitor.client.get(path)
    else:
        response = visitor.post(path, {"title": "sneaky", "body": "x"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Please log in first." in visitor.client.get("/auth/login").get_data(as_text=True)
    assert rows("SELECT title FROM post") == [("Hello from Alice",)]


@pytest.mark.parametrize("stale", [99, "1", 1.0, None, [1], {"id": 1}])
def test_unknown_or_odd_user_id_in_session_is_anonymous(client, stale: t.Any) -> None:
    with client.session_transaction() as sess:
        sess["user_id"] = stale
    with client:
        response = client.get("/")
        assert response.status_code == 200
        assert g.user is None


def test_load_logged_in_user_runs_for_every_blueprint(app: Flask, client) -> None:
    with client.session_transaction() as sess:
        sess["user_id"] = 2
    with client:
        client.get("/auth/login")
        assert g.user["username"] == "bob"
    with client:
        client.get("/1")
        assert g.user["username"] == "bob"


def test_unknown_username_still_checks_a_password(visitor, monkeypatch: pytest.MonkeyPatch) -> None:
    import examples.blog.auth as auth

    checked: list[str] = []
    real_check = auth.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(password)
        return real_check(pwhash, password)

    monkeypatch.setattr(auth, "check_password_hash", spy)
    assert visitor.login("nobody", "some-password").status_code == 400
    assert visitor.login("alice", "wrong-password").status_code == 400
    assert checked == ["some-password", "wrong-password"]
