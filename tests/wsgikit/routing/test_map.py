"""Map and MapAdapter: binding, environ handling, rule bookkeeping, dispatch."""

from __future__ import annotations

import pytest

from wsgikit.exceptions import BadHost
from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule


def environ(**overrides):
    env = {
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": "srv",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
    }
    env.update(overrides)
    return env


SIMPLE = Map([Rule("/caf\xe9", endpoint="cafe"), Rule("/ws", endpoint="ws", websocket=True), Rule("/<p>", endpoint="p")])


def adapter_state(adapter):
    return (
        adapter.server_name,
        adapter.script_name,
        adapter.subdomain,
        adapter.url_scheme,
        adapter.path_info,
        adapter.default_method,
        adapter.query_args,
        adapter.websocket,
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ("srv", "/", "", "http", "/", "GET", "", False)),
        ({"PATH_INFO": "/caf\xc3\xa9"}, ("srv", "/", "", "http", "/caf\xe9", "GET", "", False)),
        (
            {"PATH_INFO": "/ws", "HTTP_UPGRADE": "websocket", "HTTP_CONNECTION": "keep-alive, Upgrade"},
            ("srv", "/", "", "ws", "/ws", "GET", "", True),
        ),
        (
            {"HTTP_UPGRADE": "WebSocket", "HTTP_CONNECTION": "upgrade", "wsgi.url_scheme": "https"},
            ("srv:80", "/", "", "wss", "/", "GET", "", True),
        ),
        ({"HTTP_UPGRADE": "websocket"}, ("srv", "/", "", "http", "/", "GET", "", False)),
        (
            {"SERVER_PORT": "8080", "SCRIPT_NAME": "/a%20b/", "QUERY_STRING": "x=1", "REQUEST_METHOD": "post"},
            ("srv:8080", "/a%20b/", "", "http", "/", "post", "x=1", False),
        ),
        ({"HTTP_HOST": "Foo.COM:443", "wsgi.url_scheme": "https"}, ("foo.com", "/", "", "https", "/", "GET", "", False)),
        ({"HTTP_HOST": "Foo.COM:80", "wsgi.url_scheme": "https"}, ("foo.com:80", "/", "", "https", "/", "GET", "", False)),
        ({"HTTP_HOST": "[::1]:80"}, ("[::1]", "/", "", "http", "/", "GET", "", False)),
        ({"SERVER_PORT": "443", "wsgi.url_scheme": "https"}, ("srv", "/", "", "https", "/", "GET", "", False)),
    ],
)
def test_bind_to_environ(overrides, expected):
    assert adapter_state(SIMPLE.bind_to_environ(environ(**overrides))) == expected


def test_bind_to_environ_accepts_request_objects():
    class FakeRequest:
        def __init__(self, env):
            self.environ = env

    adapter = SIMPLE.bind_to_environ(FakeRequest(environ(PATH_INFO="/x")))
    assert adapter.match() == ("p", {"p": "x"})


def test_non_ascii_path_matches_its_utf8_form():
    assert SIMPLE.bind_to_environ(environ(PATH_INFO="/caf\xc3\xa9")).match() == ("cafe", {})


def test_invalid_utf8_path_is_replaced_not_an_error():
    assert SIMPLE.bind_to_environ(environ(PATH_INFO="/\xff\xfe")).match() == ("p", {"p": "\ufffd\ufffd"})


@pytest.mark.parametrize(
    ("host", "server_name", "subdomain", "expected"),
    [
        ("www.example.com", "example.com", None, "www"),
        ("example.com", "example.com", None, ""),
        ("a.b.example.com", "example.com", None, "a.b"),
        ("example.com:80", "example.com", None, ""),
        ("api.example.com", None, None, ""),
        ("api.example.com", "example.com", "zz", "zz"),
    ],
)
def test_bind_to_environ_subdomain(host, server_name, subdomain, expected):
    url_map = Map([Rule("/", endpoint="i")], default_subdomain="www")
    adapter = url_map.bind_to_environ(environ(HTTP_HOST=host), server_name=server_name, subdomain=subdomain)
    assert adapter.subdomain == expected


@pytest.mark.parametrize("host", ["other.org", "bob.example.com:8080"])
def test_bind_to_environ_wrong_server_name_warns(host):
    url_map = Map([Rule("/", endpoint="i")])
    with pytest.warns(UserWarning, match="doesn't match configured server name 'example.com'"):
        adapter = url_map.bind_to_environ(environ(HTTP_HOST=host), server_name="example.com")
    assert adapter.subdomain == "<invalid>"
    with pytest.raises(NotFound):
        adapter.match("/")


def test_bind_to_environ_host_matching():
    url_map = Map([Rule("/", endpoint="a", host="<sub>.example.com")], host_matching=True)
    adapter = url_map.bind_to_environ(environ(HTTP_HOST="api.example.com:8080"))
    assert (adapter.server_name, adapter.subdomain) == ("api.example.com:8080", None)
    adapter = url_map.bind_to_environ(environ(HTTP_HOST="api.example.com"))
    assert adapter.match() == ("a", {"sub": "api"})


@pytest.mark.parametrize(
    ("server_name", "expected"),
    [("Example.COM", "example.com"), ("b\xfccher.de:81", "xn--bcher-kva.de:81"), ("h:8080", "h:8080")],
)
def test_bind_server_name(server_name, expected):
    assert Map().bind(server_name).server_name == expected


@pytest.mark.parametrize("server_name", ["a" * 70 + ".d\xe9", "\udcff.de"])
def test_bind_bad_host(server_name):
    with pytest.raises(BadHost):
        Map().bind(server_name)


def test_bind_defaults():
    adapter = Map(default_subdomain="www").bind("h", "/app")
    assert adapter_state(adapter) == ("h", "/app/", "www", "http", "/", "GET", None, False)


def test_iter_rules_and_update_order():
    url_map = Map([Rule("/a", endpoint="x"), Rule("/b", endpoint="y"), Rule("/c/<z>", endpoint="x")])
    assert [rule.rule for rule in url_map.iter_rules()] == ["/c/<z>", "/a", "/b"]
    assert [rule.rule for rule in url_map.iter_rules("x")] == ["/c/<z>", "/a"]
    with pytest.raises(KeyError):
        url_map.iter_rules("nope")


def test_add_after_use():
    url_map = Map([Rule("/a", endpoint="a")])
    adapter = url_map.bind("h")
    assert adapter.match("/a") == ("a", {})
    url_map.add(Rule("/b/<int:n>", endpoint="b"))
    assert adapter.match("/b/2") == ("b", {"n": 2})
    assert adapter.build("b", {"n": 3}) == "/b/3"


def test_is_endpoint_expecting():
    url_map = Map([Rule("/x", endpoint="e", defaults={"x": 1}), Rule("/<y>", endpoint="e"), Rule("/z", endpoint="z")])
    assert url_map.is_endpoint_expecting("e", "x")
    assert url_map.is_endpoint_expecting("e", "y")
    assert not url_map.is_endpoint_expecting("e", "x", "y")
    assert not url_map.is_endpoint_expecting("z", "x")
    with pytest.raises(KeyError):
        url_map.is_endpoint_expecting("nope", "x")


def test_repr():
    url_map = Map([Rule("/a", endpoint="a"), Rule("/b", endpoint="b", methods=["POST"])])
    assert repr(url_map) == "Map([<Rule '/a' -> a>, <Rule '/b' (POST) -> b>])"


def test_dispatch():
    adapter = Map([Rule("/x/<int:a>", endpoint="x"), Rule("/r/", endpoint="r")]).bind("h")
    assert adapter.dispatch(lambda endpoint, values: (endpoint, values), "/x/2") == ("x", {"a": 2})
    with pytest.raises(NotFound):
        adapter.dispatch(lambda endpoint, values: None, "/y")
    assert isinstance(adapter.dispatch(lambda e, v: None, "/y", catch_http_exceptions=True), NotFound)
    redirect = adapter.dispatch(lambda e, v: None, "/r")
    assert isinstance(redirect, RequestRedirect)
    assert redirect.new_url == "http://h/r/"


def test_request_redirect_response():
    error = RequestRedirect("http://h/x/")
    assert error.code == 308
    response = error.get_response()
    assert response.status_code == 308
    assert response.headers["Location"] == "http://h/x/"


def test_redirect_helpers():
    adapter = Map([Rule("/x", endpoint="x")]).bind("h", "/sc ript/")
    assert adapter.make_redirect_url("/x y", "a=1", "sub") == "http://sub.h/sc ript/x y?a=1"
    assert adapter.make_redirect_url("x y", {"a": [1, 2]}) == "http://h/sc ript/x y?a=1&a=2"
    assert adapter.encode_query_args({"a": [1, 2], "b": None}) == "a=1&a=2"
    assert adapter.encode_query_args("x") == "x"
    assert adapter.get_host(None) == "h"
    assert adapter.get_host("sub") == "sub.h"
    assert adapter.make_alias_redirect_url("/y", "x", {}, "GET", "a=1") == "http://h/sc ript/x?a=1"
