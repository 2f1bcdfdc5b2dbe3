"""CSRF protection: every form carries the session's token; every POST
without the right one gets 400 and changes nothing."""

from __future__ import annotations

import pytest

from examples.blog.csrf import SESSION_KEY
from examples.blog.csrf import is_valid

#: Every state-changing endpoint, with a form that would succeed (given a
#: logged-in alice and the right token).
POST_ENDPOINTS = [
    ("/auth/register", {"username": "carol", "password": "carol-secret"}),
    ("/auth/login", {"username": "alice", "password": "alice-secret"}),
    ("/auth/logout", {}),
    ("/create", {"title": "forged", "body": "forged"}),
    ("/1/update", {"title": "forged", "body": "forged"}),
    ("/1/delete", {}),
]

FORGED_TOKENS = [
    None,  # no field at all
    "",
    "forged",
    "A" * 43,
    "é-not-ascii-☃",
    "\x00",
    "x" * 100_000,
]


def state(rows) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return rows("SELECT id, username FROM user"), rows("SELECT id, title, body FROM post")


@pytest.mark.parametrize(("path", "form"), POST_ENDPOINTS)
@pytest.mark.parametrize("token", FORGED_TOKENS)
def test_post_without_the_right_token_is_refused(
    visitor, rows, path: str, form: dict[str, str], token: str | None
) -> None:
    visitor.login()
    visitor.token()  # the session has a token; the form doesn't send it
    before = state(rows)
    data = dict(form) if token is None else {**form, "csrf_token": token}
    response = visitor.client.post(path, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "security token is missing or invalid" in page
    assert "That request didn't make sense" in page
    assert "Signed in as <strong>alice</strong>" in page
    assert state(rows) == before
    with visitor.client.session_transaction() as sess:
        assert sess["user_id"] == 1  # not even logged out


@pytest.mark.parametrize(("path", "form"), POST_ENDPOINTS)
def test_the_right_token_is_accepted(visitor, path: str, form: dict[str, str]) -> None:
    visitor.login()
    assert visitor.post(path, form).status_code == 302


def test_a_session_without_a_token_refuses_every_post(client, rows) -> None:
    # A fresh visitor who never loaded a form (so has no token yet), even
    # sending a plausible-looking one.
    response = client.post("/auth/login", data={"username": "alice", "password": "alice-secret", "csrf_token": "guess"})
    assert response.status_code == 400


def test_another_sessions_token_is_refused(app, visitor, rows) -> None:
    # The attacker's own valid token is useless in the victim's session.
    attacker = app.test_client()
    attacker.get("/auth/login")
    with attacker.session_transaction() as sess:
        attackers_token = sess[SESSION_KEY]
    visitor.login()
    assert visitor.token() != attackers_token
    response = visitor.client.post("/1/delete", data={"csrf_token": attackers_token})
    assert response.status_code == 400
    assert rows("SELECT count(*) FROM post") == [(1,)]


def test_token_in_forms_matches_the_session(visitor) -> None:
    token = visitor.token()
    with visitor.client.session_transaction() as sess:
        assert sess[SESSION_KEY] == token
    assert len(token) >= 40


def test_token_is_stable_within_a_session(visitor) -> None:
    assert visitor.token() == visitor.token()


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login", "/create", "/1/update", "/"])
def test_every_form_carries_the_token(visitor, path: str) -> None:
    visitor.login()
    token = visitor.token()
    page = visitor.client.get(path).get_data(as_text=True)
    forms = page.count("<form")
    assert forms >= 1
    assert page.count(f'<input type="hidden" name="csrf_token" value="{token}">') == forms


def test_safe_methods_are_not_checked(client) -> None:
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
    assert client.options("/").status_code == 200


def test_tokens_differ_between_sessions(app) -> None:
    tokens = set()
    for _ in range(3):
        client = app.test_client()
        client.get("/auth/login")
        with client.session_transaction() as sess:
            tokens.add(sess[SESSION_KEY])
    assert len(tokens) == 3


@pytest.mark.parametrize(
    ("sent", "expected", "valid"),
    [
        ("abc", "abc", True),
        ("abc", "abd", False),
        ("abc", "abcd", False),
        ("", "abc", False),
        (None, "abc", False),
        ("abc", None, False),
        ("abc", "", False),
        ("", "", False),
        ("☃", "☃", True),
        ("☃", "abc", False),
        ("\udcff", "abc", False),
        ("abc", ["abc"], False),
        ("abc", 123, False),
    ],
)
def test_is_valid(sent, expected, valid: bool) -> None:
    assert is_valid(sent, expected) is valid
