"""The blog under the real development server, exactly as the README runs
it (``python -m microflask --app examples.blog run``), driven over HTTP
with :mod:`http.client`; the session cookie is carried by hand.

The database goes to a temporary file through ``MICROFLASK_DATABASE``."""

from __future__ import annotations

import html
import http.client
import re
import sqlite3
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


class HTTPVisitor:
    """A minimal browser: one cookie jar, one request at a time."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8")
            for header in response.headers.get_all("Set-Cookie") or ():
                self.remember(header)
            return response.status, dict(response.getheaders()), text
        finally:
            conn.close()

    def remember(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            expired = morsel["expires"].startswith("Thu, 01 Jan 1970") or morsel["max-age"] == "0"
            if expired or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def submit(self, form_page: str, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """POST ``form`` to ``path`` with the token from ``form_page``."""
        _, _, page = self.get(form_page)
        match = TOKEN_RE.search(page)
        assert match, page
        return self.request("POST", path, {"csrf_token": html.unescape(match.group(1)), **form})


@pytest.fixture
def visitor(served_blog: str) -> HTTPVisitor:
    return HTTPVisitor(served_blog)


def test_register_login_create_over_http(visitor: HTTPVisitor, tmp_path: Path) -> None:
    status, _, page = visitor.get("/")
    assert status == 200
    assert "No posts yet." in page

    status, headers, _ = visitor.submit(
        "/auth/register", "/auth/register", {"username": "web", "password": "web-secret"}
    )
    assert (status, headers["Location"]) == (302, "/auth/login")

    status, headers, _ = visitor.submit("/auth/login", "/auth/login", {"username": "web", "password": "web-secret"})
    assert (status, headers["Location"]) == (302, "/")
    assert "session" in visitor.cookies
    assert "HttpOnly" in headers["Set-Cookie"]

    status, _, page = visitor.get("/")
    assert "Signed in as <strong>web</strong>" in page
    assert "Welcome back, web!" in page

    status, headers, _ = visitor.submit("/create", "/create", {"title": "Over <HTTP>", "body": "Sent by http.client"})
    assert (status, headers["Location"]) == (302, "/1")
    status, _, page = visitor.get("/1")
    assert status == 200
    assert "<h1>Over &lt;HTTP&gt;</h1>" in page
    assert "Sent by http.client" in page

    # The database the server wrote is the one the environment named.
    with sqlite3.connect(tmp_path / "served.sqlite") as conn:
        assert conn.execute("SELECT title FROM post").fetchall() == [("Over <HTTP>",)]
    conn.close()


def test_forged_token_over_http(visitor: HTTPVisitor) -> None:
    visitor.get("/auth/login")
    form = {"username": "x", "password": "long-enough", "csrf_token": "forged"}
    status, _, page = visitor.request("POST", "/auth/register", form)
    assert status == 400
    assert "security token is missing or invalid" in page


def test_errors_and_static_over_http(visitor: HTTPVisitor) -> None:
    status, _, page = visitor.get("/42")
    assert status == 404 and "There is no post with id 42." in page
    status, _, _ = visitor.get("/create")
    assert status == 302
    status, headers, css = visitor.get("/static/style.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert ".card" in css


def test_logout_over_http(visitor: HTTPVisitor) -> None:
    visitor.submit("/auth/register", "/auth/register", {"username": "temp", "password": "temp-secret"})
    visitor.submit("/auth/login", "/auth/login", {"username": "temp", "password": "temp-secret"})
    status, headers, _ = visitor.submit("/", "/auth/logout", {})
    assert (status, headers["Location"]) == (302, "/")
    _, _, page = visitor.get("/")
    assert "Signed in as" not in page
    assert "You have been logged out." in page
