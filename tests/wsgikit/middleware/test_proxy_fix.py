from __future__ import annotations

import json

import pytest

from wsgikit.middleware.proxy_fix import ProxyFix
from wsgikit.test import Client
from wsgikit.wrappers import Request
from wsgikit.wrappers import Response

KEYS = ["REMOTE_ADDR", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME"]


def app(environ, start_response):  # type: ignore[no-untyped-def]
    body = {key: environ.get(key) for key in KEYS}
    body["orig"] = environ["werkzeug.proxy_fix.orig"]
    body["url"] = Request(environ).url
    return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


BASE = {
    "REMOTE_ADDR": "9.9.9.9",
    "wsgi.url_scheme": "http",
    "HTTP_HOST": "localhost:5000",
    "SERVER_NAME": "localhost",
    "SERVER_PORT": "5000",
    "SCRIPT_NAME": "/r",
}


@pytest.mark.parametrize(
    ("options", "headers", "changes"),
    [
        ({}, {"X-Forwarded-For": "1.1.1.1, 2.2.2.2", "X-Forwarded-Proto": "https"}, {"REMOTE_ADDR": "2.2.2.2", "wsgi.url_scheme": "https"}),
        ({"x_for": 2}, {"X-Forwarded-For": "1.1.1.1, 2.2.2.2"}, {"REMOTE_ADDR": "1.1.1.1"}),
        # More hops configured than values present: the header is ignored.
        ({"x_for": 3}, {"X-Forwarded-For": "1.1.1.1, 2.2.2.2"}, {}),
        ({"x_for": 0}, {"X-Forwarded-For": "1.1.1.1"}, {}),
        # A forged leftmost value is never trusted with one hop.
        ({}, {"X-Forwarded-For": "6.6.6.6, 1.1.1.1"}, {"REMOTE_ADDR": "1.1.1.1"}),
        ({"x_host": 1}, {"X-Forwarded-Host": "ex.com:8080"}, {"HTTP_HOST": "ex.com:8080", "SERVER_NAME": "ex.com", "SERVER_PORT": "8080"}),
        ({"x_host": 1}, {"X-Forwarded-Host": "ex.com"}, {"HTTP_HOST": "ex.com", "SERVER_NAME": "ex.com"}),
        ({"x_host": 1}, {"X-Forwarded-Host": "[::1]"}, {"HTTP_HOST": "[::1]", "SERVER_NAME": "[::1]"}),
        ({"x_host": 1}, {"X-Forwarded-Host": "[::1]:81"}, {"HTTP_HOST": "[::1]:81", "SERVER_NAME": "[::1]", "SERVER_PORT": "81"}),
        ({"x_host": 0}, {"X-Forwarded-Host": "evil.com"}, {}),
        (
            {"x_host": 1, "x_port": 1},
            {"X-Forwarded-Host": "ex.com:8080", "X-Forwarded-Port": "443"},
            {"HTTP_HOST": "ex.com:443", "SERVER_NAME": "ex.com", "SERVER_PORT": "443"},
        ),
        ({"x_port": 1}, {"X-Forwarded-Port": "443"}, {"HTTP_HOST": "localhost:443", "SERVER_PORT": "443"}),
        # Deliberate difference: a non-numeric port is ignored.
        ({"x_port": 1}, {"X-Forwarded-Port": "abc"}, {}),
        ({"x_prefix": 1}, {"X-Forwarded-Prefix": "/p/"}, {"SCRIPT_NAME": "/p/"}),
        ({"x_prefix": 1}, {"X-Forwarded-Prefix": "/a, /b"}, {"SCRIPT_NAME": "/b"}),
        ({"x_prefix": 2}, {"X-Forwarded-Prefix": "/a, /b"}, {"SCRIPT_NAME": "/a"}),
        ({}, {"X-Forwarded-For": "", "X-Forwarded-Proto": " , "}, {}),
        ({}, {"X-Forwarded-For": '"a, b", c'}, {"REMOTE_ADDR": "c"}),
    ],
)
def test_proxy_fix_table(options: dict[str, int], headers: dict[str, str], changes: dict[str, str]) -> None:
    client = Client(ProxyFix(app, **options))
    response = client.get(
        "/", base_url="http://localhost:5000/r", headers=headers, environ_base={"REMOTE_ADDR": "9.9.9.9"}
    )
    body = response.json
    assert {key: body[key] for key in KEYS} == {**BASE, **changes}
    assert body["orig"] == BASE


def test_url_reflects_forwarded_values() -> None:
    client = Client(ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_prefix=1))
    body = client.get(
        "/page",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example", "X-Forwarded-Prefix": "/shop"},
    ).json
    assert body["url"] == "https://public.example/shop/page"
