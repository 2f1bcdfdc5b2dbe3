"""The posts: listing, one post's page, create, update, delete, ownership,
and the error pages."""

from __future__ import annotations

import pytest


def test_index_for_visitors(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Posts · Microblog</title>" in page
    assert '<a href="/1">Hello from Alice</a>' in page
    assert "The very first post." in page
    assert 'by <span class="author">alice</span>' in page
    assert "2024-01-02 10:30 UTC" in page
    assert 'href="/auth/register"' in page and 'href="/auth/login"' in page
    assert "Log out" not in page and "/1/update" not in page
    assert 'href="/static/style.css"' in page


def test_index_for_the_author_links_to_edit(visitor) -> None:
    visitor.login()
    page = visitor.client.get("/").get_data(as_text=True)
    assert "Signed in as <strong>alice</strong>" in page
    assert 'href="/1/update"' in page
    assert 'href="/create"' in page
    assert 'action="/auth/logout"' in page


def test_index_hides_edit_from_other_users(visitor) -> None:
    visitor.login("bob")
    page = visitor.client.get("/").get_data(as_text=True)
    assert "Signed in as <strong>bob</strong>" in page
    assert 'href="/1/update"' not in page


def test_index_when_empty(visitor, rows, app) -> None:
    from examples.blog.db import get_db

    with app.app_context():
        get_db().execute("DELETE FROM post")
        get_db().commit()
    assert "No posts yet." in visitor.client.get("/").get_data(as_text=True)


def test_index_lists_newest_first(visitor) -> None:
    visitor.login()
    for title in ("second", "third"):
        visitor.post("/create", {"title": title, "body": ""})
    page = visitor.client.get("/").get_data(as_text=True)
    assert page.index(">third<") < page.index(">second<") < page.index(">Hello from Alice<")


def test_index_truncates_long_bodies(visitor) -> None:
    visitor.login()
    visitor.post("/create", {"title": "long", "body": "word " * 500})
    index = visitor.client.get("/").get_data(as_text=True)
    full = visitor.client.get("/2").get_data(as_text=True)
    assert index.count("word") < 100
    assert full.count("word") == 500


def test_show_post(client) -> None:
    response = client.get("/1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Hello from Alice</h1>" in page
    assert "<title>Hello from Alice · Microblog</title>" in page
    assert "The very first post." in page


def test_create_form(visitor) -> None:
    visitor.login()
    response = visitor.client.get("/create")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/create"' in page and 'name="title"' in page and "<textarea" in page
    assert 'maxlength="200"' in page
    assert ">Publish</button>" in page


def test_create(visitor, rows) -> None:
    visitor.login("bob")
    response = visitor.post("/create", {"title": "  Bob's news  ", "body": "Line one\nLine two\n"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/2"
    stored = rows("SELECT id, title, body, author_id FROM post WHERE id = 2")
    assert stored == [(2, "Bob's news", "Line one\nLine two", 2)]
    page = visitor.client.get("/2").get_data(as_text=True)
    assert "Your post is published." in page
    assert "Bob&#39;s news" in page
    assert "Line one\nLine two" in page


def test_create_with_empty_body(visitor, rows) -> None:
    visitor.login()
    assert visitor.post("/create", {"title": "Just a title"}).status_code == 302
    assert rows("SELECT body FROM post WHERE title = 'Just a title'") == [("",)]


def test_update_form_is_prefilled(visitor) -> None:
    visitor.login()
    response = visitor.client.get("/1/update")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Hello from Alice"' in page
    assert ">The very first post.</textarea>" in page
    assert 'action="/1/update"' in page and 'action="/1/delete"' in page
    assert ">Save</button>" in page
    assert """onsubmit='return confirm("Delete this post for good?");'""" in page


def test_update(visitor, rows) -> None:
    visitor.login()
    response = visitor.post("/1/update", {"title": "Renamed", "body": "New text"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/1"
    assert rows("SELECT title, body FROM post WHERE id = 1") == [("Renamed", "New text")]
    assert "Your changes are saved." in visitor.client.get("/1").get_data(as_text=True)


def test_delete(visitor, rows) -> None:
    visitor.login()
    response = visitor.post("/1/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert rows("SELECT count(*) FROM post") == [(0,)]
    assert "The post is deleted." in visitor.client.get("/").get_data(as_text=True)
    assert visitor.client.get("/1").status_code == 404


def test_delete_is_post_only(visitor) -> None:
    visitor.login()
    assert visitor.client.get("/1/delete").status_code == 405


@pytest.mark.parametrize(("method", "path"), [("GET", "/1/update"), ("POST", "/1/update"), ("POST", "/1/delete")])
def test_other_users_get_403(visitor, rows, method: str, path: str) -> None:
    visitor.login("bob")
    if method == "GET":
        response = visitor.client.get(path)
    else:
        response = visitor.post(path, {"title": "hijacked", "body": "x"})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You can't do that" in page
    assert "Only the author of a post can change it." in page
    assert rows("SELECT title FROM post WHERE id = 1") == [("Hello from Alice",)]


@pytest.mark.parametrize(
    ("method", "path", "logged_in"),
    [
        ("GET", "/2", False),
        ("GET", "/2", True),
        ("GET", "/2/update", True),
        ("POST", "/2/update", True),
        ("POST", "/2/delete", True),
        ("GET", "/0", False),
        ("GET", "/99999999999999999999999999", False),
        ("POST", "/99999999999999999999999999/delete", True),
        ("GET", "/9223372036854775808/update", True),
    ],
)
def test_unknown_post_gets_404(visitor, method: str, path: str, logged_in: bool) -> None:
    if logged_in:
        visitor.login()
    response = visitor.client.get(path) if method == "GET" else visitor.post(path, {"title": "t", "body": "b"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Nothing here" in page
    assert "There is no post with id" in page
    assert 'href="/static/style.css"' in page


@pytest.mark.parametrize("path", ["/nope", "/-1", "/abc/update", "/1/edit", "/1.5", "/auth"])
def test_unknown_urls_get_the_404_page(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Nothing here" in page
    assert "Back to the posts" in page
