"""Routing cases where Werkzeug 3.1's behaviour was checked as a black box
(building with merged slashes, schemes on WebSocket-bound adapters, very
long rules, a server name with its default port, converter arguments with
nested groups, and the order between an exact path match and a redirect
that adds a rule's trailing slash)."""

from __future__ import annotations

import typing as t
import warnings

import pytest

from wsgikit.datastructures import ImmutableDict
from wsgikit.exceptions import BadHost
from wsgikit.routing import BaseConverter
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule
from wsgikit.test import create_environ


def test_merge_slashes_applies_when_building() -> None:
    urls = Map(
        [
            Rule("/a//b/<x>", endpoint="merged"),
            Rule("/c//<path:p>//x", endpoint="path"),
            Rule("/n//<x>", endpoint="kept", merge_slashes=False),
        ]
    ).bind("h")
    assert urls.build("merged", {"x": "1"}) == "/a/b/1"
    # only the rule's own text is merged, never a value
    assert urls.build("path", {"p": "a//b"}) == "/c/a//b/x"
    assert urls.build("kept", {"x": "1"}) == "/n//1"
    assert Map([Rule("/a//b", endpoint="e")], merge_slashes=False).bind("h").build("e") == "/a//b"


@pytest.mark.parametrize(
    ("bound", "asked", "http_url", "ws_url"),
    [
        ("ws", None, "http://h/x", "ws://h/ws"),
        ("wss", None, "https://h/x", "wss://h/ws"),
        ("http", None, "http://h/x", "ws://h/ws"),
        ("https", None, "https://h/x", "wss://h/ws"),
        ("http", "wss", "https://h/x", "wss://h/ws"),
        ("https", "ws", "http://h/x", "ws://h/ws"),
        ("http", "ftp", "http://h/x", "ws://h/ws"),
        ("http", "", "//h/x", "ws://h/ws"),
    ],
)
def test_external_scheme_follows_the_rule(bound: str, asked: str | None, http_url: str, ws_url: str) -> None:
    urls = Map([Rule("/x", endpoint="x"), Rule("/ws", endpoint="ws", websocket=True)]).bind("h", url_scheme=bound)
    assert urls.build("x", force_external=True, url_scheme=asked) == http_url
    assert urls.build("ws", force_external=True, url_scheme=asked) == ws_url
    assert urls.build("ws", url_scheme=asked) == ws_url


@pytest.mark.parametrize("shape", ["/<p{i}>", "/a<p{i}>", "/<int:p{i}>", "/<p{i}>.x"])
def test_a_rule_of_thousands_of_parts_builds(shape: str) -> None:
    count = 3000
    rule = "".join(shape.format(i=i) for i in range(count))
    urls = Map([Rule(rule, endpoint="big")]).bind("h")
    values = {f"p{i}": i for i in range(count)}
    expected = "".join(shape.format(i=i).replace(f"<p{i}>", str(i)).replace(f"<int:p{i}>", str(i)) for i in range(count))
    assert urls.build("big", values) == expected
    assert urls.build("big", {**values, "q": "1"}) == expected + "?q=1"


@pytest.mark.parametrize(
    ("server_name", "environ", "subdomain"),
    [
        ("localhost:80", {"HTTP_HOST": "localhost"}, ""),
        ("localhost:80", {"HTTP_HOST": "localhost:80"}, ""),
        ("localhost:443", {"HTTP_HOST": "localhost", "wsgi.url_scheme": "https"}, ""),
        ("localhost", {"HTTP_HOST": "localhost:80"}, ""),
        ("LOCALHOST:80", {"HTTP_HOST": "api.localhost"}, "api"),
        ("localhost:8080", {"HTTP_HOST": "localhost:8080"}, ""),
    ],
)
def test_server_name_with_an_explicit_default_port(server_name: str, environ: dict[str, str], subdomain: str) -> None:
    urls = Map([Rule("/", endpoint="index"), Rule("/", subdomain="api", endpoint="api")])
    env = create_environ()
    env.update(environ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        adapter = urls.bind_to_environ(env, server_name=server_name)
    assert adapter.subdomain == subdomain
    assert adapter.match()[0] == ("api" if subdomain else "index")


def test_server_name_with_another_port_does_not_match_the_default() -> None:
    env = create_environ()
    env["HTTP_HOST"] = "localhost"
    with pytest.warns(UserWarning, match="doesn't match configured server name"):
        adapter = Map([Rule("/", endpoint="i")]).bind_to_environ(env, server_name="localhost:443")
    assert adapter.subdomain == "<invalid>"


def test_default_converters_is_an_immutable_dict() -> None:
    assert isinstance(Map.default_converters, ImmutableDict)
    with pytest.raises(TypeError, match="immutable"):
        Map.default_converters["x"] = BaseConverter  # type: ignore[index]
    assert type(Map().converters) is dict


class RegexConverter(BaseConverter):
    def __init__(self, map: Map, *items: t.Any) -> None:
        super().__init__(map)
        self.regex = items[0]


@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/<re('(a|b)(c(d))?'):x>/<y>", "/acd/z", {"x": "acd", "y": "z"}),
        ("/<re('(a|b)(c(d))?'):x>/<y>", "/b/z", {"x": "b", "y": "z"}),
        ("/<re('(?P<n>a)'):x>", "/a", {"x": "a"}),
        ("/<re(\"x(?:y|\\\\))\"):x>", "/xy", {"x": "xy"}),
    ],
)
def test_regex_converter_arguments_with_groups(rule: str, path: str, values: dict[str, str]) -> None:
    urls = Map([Rule(rule, endpoint="r")], converters={"re": RegexConverter}).bind("h")
    assert urls.match(path) == ("r", values)


@pytest.mark.parametrize("rule", ["/<re('a':x>", "/<re(a)b):x>", "/<x", "/<re('a'):x"])
def test_malformed_variables_are_refused(rule: str) -> None:
    with pytest.raises(ValueError, match="malformed url rule"):
        Map([Rule(rule, endpoint="r")], converters={"re": RegexConverter})


@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        (["/<path:path>", "/<a>/<path:b>"], "/x", ("/<path:path>", {"path": "x"})),
        (["/<path:path>", "/<a>/<path:b>"], "/x/y/z", ("/<a>/<path:b>", {"a": "x", "b": "y/z"})),
        (["/<a>/<path:b>", "/<path:path>"], "/x/y", ("/<a>/<path:b>", {"a": "x", "b": "y"})),
        # an exact match registered first wins over adding a tied rule's slash
        (["/<path:p>", "/<path:a>/"], "/x", ("/<path:p>", {"p": "x"})),
        (["/<a>/<path:b>", "/<a>/<path:b>/"], "/x/y", ("/<a>/<path:b>", {"a": "x", "b": "y"})),
        (["/x/<path:p>", "/x/<path:p>/"], "/x/y", ("/x/<path:p>", {"p": "y"})),
        # ... and the slash rule registered first redirects
        (["/<path:a>/", "/<path:p>"], "/x", "http://h/x/"),
        (["/<a>/<path:b>/", "/<a>/<path:b>"], "/x/y", "http://h/x/y/"),
    ],
)
def test_path_converter_preference(rules: list[str], path: str, expected: object) -> None:
    urls = Map([Rule(rule, endpoint=rule) for rule in rules]).bind("h")
    if isinstance(expected, str):
        with pytest.raises(RequestRedirect) as info:
            urls.match(path)
        assert info.value.new_url == expected
    else:
        assert urls.match(path) == expected


@pytest.mark.parametrize("host", ["a" * 64, "a..b", ".a", "x." + "a" * 64 + ".com"])
def test_a_host_idna_refuses_is_a_bad_host(host: str) -> None:
    env = create_environ()
    env["HTTP_HOST"] = host
    with pytest.raises(BadHost):
        Map([Rule("/", endpoint="i")]).bind_to_environ(env)
    with pytest.raises(BadHost):
        Map().bind(host)


@pytest.mark.parametrize("host", ["a" * 63, "a.", "Ex.COM", "xn--n3h.com", "a-b.c"])
def test_valid_ascii_hosts_bind_unchanged(host: str) -> None:
    env = create_environ()
    env["HTTP_HOST"] = host
    assert Map([Rule("/", endpoint="i")]).bind_to_environ(env).server_name == host.lower()
    assert Map().bind(host).server_name == host.lower()


def test_a_method_stored_as_bytes_is_decoded() -> None:
    # What a Python 2 era middleware (MethodRewriteMiddleware) writes.
    env = create_environ(method="POST")
    env["REQUEST_METHOD"] = b"PUT"
    adapter = Map([Rule("/", endpoint="put", methods=["PUT"])]).bind_to_environ(env)
    assert adapter.default_method == "PUT"
    assert adapter.match() == ("put", {})
