"""Validation at the API of what ends up on the wire: header names must be
RFC 9110 tokens, cookie names tokens and cookie domains free of ``;``,
whitespace and controls, and ``redirect`` never links a script URL."""

from __future__ import annotations

import pytest

from wsgikit.datastructures import Headers
from wsgikit.http import dump_cookie
from wsgikit.test import Client
from wsgikit.utils import redirect
from wsgikit.wrappers import Response

BAD_NAMES = ["X A", "X-B: c", "", "X\tA", "X;A", "X,A", "X\x7f", "(X)", "X/Y", "X=Y", "X\"", "é", "X\x00", "X\r\nY"]
GOOD_NAMES = ["X", "Content-Type", "x-a", "X!#$%&'*+-.^_`|~9"]


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize(
    "enter",
    [
        lambda n: Headers([(n, "v")]),
        lambda n: Headers({n: "v"}),
        lambda n: Headers().add(n, "v"),
        lambda n: Headers().set(n, "v"),
        lambda n: Headers().setlist(n, ["v"]),
        lambda n: Headers().setdefault(n, "v"),
        lambda n: Headers().extend([(n, "v")]),
        lambda n: Headers().update({n: "v"}),
        lambda n: Headers([("A", "1")]).__setitem__(0, (n, "v")),
        lambda n: Response(headers=[(n, "v")]),
        lambda n: Response().headers.add(n, "v"),
    ],
)
def test_header_name_must_be_token(name: str, enter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        enter(name)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_token_header_names_accepted(name: str) -> None:
    headers = Headers([(name, "1")])
    headers.add(name, "2")
    assert headers.getlist(name) == ["1", "2"]


def test_invalid_name_never_reaches_response_wire() -> None:
    def app(environ, start_response):  # type: ignore[no-untyped-def]
        response = Response("x")
        response.headers["X-B: c"] = "1"
        return response(environ, start_response)

    with pytest.raises(ValueError, match="Invalid header name"):
        Client(app).get("/")


def test_lookup_with_odd_name_does_not_raise() -> None:
    # Only names entering the headers are checked; a lookup just misses.
    headers = Headers([("A", "1")])
    assert headers.get("X A") is None and "X: b" not in headers


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "a; Domain=evil.com"},
        {"key": "a=b"},
        {"key": ""},
        {"key": "a b"},
        {"key": "a,b"},
        {"key": "a\x00"},
        {"key": "a\r\nSet-Cookie: x"},
        {"key": "a\t"},
        {"key": "(a)"},
        {"key": "sid", "domain": "a.com; Secure"},
        {"key": "sid", "domain": "a.com\r\nX: y"},
        {"key": "sid", "domain": "a.com\x00"},
        {"key": "sid", "domain": "a.com b"},
        {"key": "sid", "samesite": "Lax; Secure"},
        {"key": "sid", "samesite": "Lax\r\n"},
    ],
)
def test_cookie_injection_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        dump_cookie(value="v", **kwargs)
    with pytest.raises(ValueError):
        Response().set_cookie(value="v", **kwargs)


def test_cookie_samesite_message_matches_werkzeug() -> None:
    with pytest.raises(ValueError, match=r"^SameSite must be 'Strict', 'Lax', or 'None'\.$"):
        dump_cookie("sid", "v", samesite="Lax; Secure")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"key": "sid"}, "sid=v; Path=/"),
        ({"key": "s!#$%&'*+-.^_`|~1"}, "s!#$%&'*+-.^_`|~1=v; Path=/"),
        ({"key": "sé"}, "s\xc3\xa9=v; Path=/"),  # non-ASCII stays allowed, as in Werkzeug
        ({"key": "sid", "domain": ".a.com"}, "sid=v; Domain=a.com; Path=/"),
        # A path is percent-encoded, as Werkzeug does, so it cannot inject.
        ({"key": "sid", "path": "/; Secure"}, "sid=v; Path=/%3B%20Secure"),
        ({"key": "sid", "path": "/\r\nX: y"}, "sid=v; Path=/%0D%0AX:%20y"),
    ],
)
def test_cookie_valid(kwargs: dict, expected: str) -> None:
    assert dump_cookie(value="v", **kwargs) == expected


@pytest.mark.parametrize(
    "location",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
    ],
)
def test_redirect_never_links_script_urls(location: str) -> None:
    response = redirect(location)
    body = response.get_data(as_text=True)
    assert response.headers["Location"] == location
    assert "<a " not in body and "href" not in body
    assert "<script>" not in body


@pytest.mark.parametrize(
    "location", ["/next", "https://example.com/", "http://a/javascript:x", "?javascript:x", "mailto:a@b.c", "./data:x"]
)
def test_redirect_links_other_urls(location: str) -> None:
    response = redirect(location)
    assert response.headers["Location"] == location
    assert '<a href="' in response.get_data(as_text=True)
