"""Hostile and careless input: missing fields, over-long values, SQL and
HTML in form fields, odd session contents, oversized bodies. Every case
ends in a page with a clear message or a 4xx, never a 500."""

from __future__ import annotations

import pytest

from examples.blog.blog import MAX_BODY_LENGTH
from examples.blog.blog import MAX_TITLE_LENGTH

SQL_INJECTIONS = [
    "'; DROP TABLE post; --",
    "x' OR '1'='1",
    '" OR ""="',
    "1; DELETE FROM user WHERE 1=1",
    "Robert'); DROP TABLE user;--",
    "%' UNION SELECT username, password, 1, 1, 1, 1 FROM user --",
]


@pytest.mark.parametrize("path", ["/create", "/1/update"])
@pytest.mark.parametrize(
    "form",
    [
        {"body": "kept text"},
        {"title": "", "body": "kept text"},
        {"title": "   \t\n ", "body": "kept text"},
    ],
)
def test_missing_title_re_renders_the_form(visitor, rows, path: str, form: dict[str, str]) -> None:
    visitor.login()
    response = visitor.post(path, form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Title is required." in page
    assert ">kept text</textarea>" in page
    assert rows("SELECT title, body FROM post") == [("Hello from Alice", "The very first post.")]


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_no_fields_at_all(visitor, rows, path: str) -> None:
    visitor.login()
    response = visitor.post(path, {})
    assert response.status_code == 400
    assert "Title is required." in response.get_data(as_text=True)
    assert rows("SELECT count(*) FROM post") == [(1,)]


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_longest_title_is_accepted(visitor, rows, path: str) -> None:
    visitor.login()
    title = "t" * MAX_TITLE_LENGTH
    assert visitor.post(path, {"title": title, "body": "b"}).status_code == 302
    assert rows("SELECT count(*) FROM post WHERE title = ?", title) == [(1,)]


@pytest.mark.parametrize("path", ["/create", "/1/update"])
@pytest.mark.parametrize("length", [MAX_TITLE_LENGTH + 1, 10_000])
def test_over_long_title_is_refused(visitor, rows, path: str, length: int) -> None:
    visitor.login()
    response = visitor.post(path, {"title": "t" * length, "body": "b"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"Title must be at most 200 characters (it has {length})." in page
    assert rows("SELECT title FROM post") == [("Hello from Alice",)]


def test_title_length_counts_characters_not_bytes(visitor, rows) -> None:
    visitor.login()
    title = "é☃🐍" * (MAX_TITLE_LENGTH // 3)
    assert visitor.post("/create", {"title": title, "body": ""}).status_code == 302
    assert rows("SELECT title FROM post WHERE id = 2") == [(title,)]


def test_over_long_body_is_refused(visitor, rows) -> None:
    visitor.login()
    response = visitor.post("/create", {"title": "big", "body": "b" * (MAX_BODY_LENGTH + 1)})
    assert response.status_code == 400
    assert f"The text must be at most {MAX_BODY_LENGTH} characters" in response.get_data(as_text=True)
    assert rows("SELECT count(*) FROM post") == [(1,)]


def test_oversized_request_body_is_refused(visitor, rows) -> None:
    visitor.login()
    response = visitor.post("/create", {"title": "huge", "body": "b" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert rows("SELECT count(*) FROM post") == [(1,)]


@pytest.mark.parametrize("text", SQL_INJECTIONS)
def test_sql_in_posts_is_stored_literally(visitor, rows, text: str) -> None:
    visitor.login()
    assert visitor.post("/create", {"title": text, "body": text}).status_code == 302
    assert rows("SELECT title, body FROM post WHERE id = 2") == [(text, text)]
    assert rows("SELECT count(*) FROM user") == [(2,)]
    assert rows("SELECT count(*) FROM post") == [(2,)]
    page = visitor.client.get("/2").get_data(as_text=True)
    assert text.replace("'", "&#39;").replace('"', "&#34;") in page


@pytest.mark.parametrize("text", SQL_INJECTIONS)
def test_sql_in_update_is_stored_literally(visitor, rows, text: str) -> None:
    visitor.login()
    assert visitor.post("/1/update", {"title": text, "body": text}).status_code == 302
    assert rows("SELECT id, title, body FROM post") == [(1, text, text)]


@pytest.mark.parametrize("text", SQL_INJECTIONS)
def test_sql_in_usernames(visitor, rows, text: str) -> None:
    # Logging in with an injection as the name (or password) finds nobody...
    for username, password in ((text, "anything"), ("alice", text), (text, text)):
        response = visitor.login(username, password)
        assert response.status_code == 400
        assert "Incorrect username or password." in response.get_data(as_text=True)
    # ...and registering one stores it as an ordinary name.
    name = text[:40]
    assert visitor.post("/auth/register", {"username": name, "password": "long-enough"}).status_code == 302
    assert rows("SELECT username FROM user WHERE id = 3") == [(name,)]
    assert rows("SELECT count(*) FROM user") == [(3,)]
    assert visitor.login(name, "long-enough").status_code == 302
    with visitor.client.session_transaction() as sess:
        assert sess["user_id"] == 3


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("{{ 7 * 7 }} {% if %}", "{{ 7 * 7 }} {% if %}"),
    ],
)
def test_html_in_posts_is_escaped(visitor, text: str, escaped: str) -> None:
    visitor.login()
    visitor.post("/create", {"title": text, "body": text})
    for path in ("/", "/2", "/2/update"):
        page = visitor.client.get(path).get_data(as_text=True)
        assert escaped in page, path
        assert text not in page or text == escaped, path


def test_html_in_usernames_is_escaped(visitor) -> None:
    name = "<b>mallory</b>"
    visitor.post("/auth/register", {"username": name, "password": "long-enough"})
    visitor.login(name, "long-enough")
    visitor.post("/create", {"title": "hi", "body": ""})
    page = visitor.client.get("/").get_data(as_text=True)
    assert "Signed in as <strong>&lt;b&gt;mallory&lt;/b&gt;</strong>" in page
    assert 'by <span class="author">&lt;b&gt;mallory&lt;/b&gt;</span>' in page
    assert "<b>mallory</b>" not in page


def test_html_in_a_rejected_form_is_escaped(visitor) -> None:
    visitor.login()
    response = visitor.post("/create", {"title": "", "body": "</textarea><script>x()</script>"})
    page = response.get_data(as_text=True)
    assert "&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;</textarea>" in page
    response = visitor.post("/auth/register", {"username": '"><script>x()</script>', "password": ""})
    assert 'value="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;"' in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["nul\x00byte", "tab\tand\r\nnewlines", "\u202eright-to-left", "🐍" * 50])
def test_unusual_characters_round_trip(visitor, rows, text: str) -> None:
    visitor.login()
    assert visitor.post("/create", {"title": text, "body": text}).status_code == 302
    ((title, body),) = rows("SELECT title, body FROM post WHERE id = 2")
    assert title == text.strip() and body == text.strip()
    assert visitor.client.get("/2").status_code == 200


def test_tampered_session_cookie_is_anonymous(client) -> None:
    client.set_cookie("session", "eyJ1c2VyX2lkIjoxfQ.forged.signature")
    response = client.get("/")
    assert response.status_code == 200
    assert "Log in</a>" in response.get_data(as_text=True)
    assert client.get("/create").status_code == 302


def test_session_signed_with_another_key_is_anonymous(app, client) -> None:
    from examples.blog import create_app

    other = create_app({"DATABASE": app.config["DATABASE"], "SECRET_KEY": "someone-else"})
    other_client = other.test_client()
    with other_client.session_transaction() as sess:
        sess["user_id"] = 1
    client.set_cookie("session", other_client.get_cookie("session").value)
    assert client.get("/create").status_code == 302


def test_json_post_without_token_is_refused(visitor, rows) -> None:
    visitor.login()
    response = visitor.client.post("/create", json={"title": "json", "body": "b"})
    assert response.status_code == 400
    assert rows("SELECT count(*) FROM post") == [(1,)]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_not_allowed(visitor, method: str) -> None:
    visitor.login()
    response = visitor.client.open("/1/update", method=method, data={"csrf_token": visitor.token()})
    assert response.status_code == 405
