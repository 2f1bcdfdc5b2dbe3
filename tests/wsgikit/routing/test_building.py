"""URL building: tables of (endpoint, values, options) -> URL or BuildError."""

from __future__ import annotations

import uuid

import pytest

from wsgikit.datastructures import MultiDict
from wsgikit.routing import BuildError
from wsgikit.routing import Map
from wsgikit.routing import Rule

MAIN = Map(
    [
        Rule("/", endpoint="index"),
        Rule("/a/", endpoint="a"),
        Rule("/b", endpoint="b", methods=["POST"]),
        Rule("/b2", endpoint="b2", methods=["GET"]),
        Rule("/c/<int:x>", endpoint="c"),
        Rule("/d/<path:p>", endpoint="d"),
        Rule("/e", endpoint="e", defaults={"page": 1}),
        Rule("/e/<int:page>", endpoint="e"),
        Rule("/f/<float:x>", endpoint="f"),
        Rule("/u/<uuid:x>", endpoint="u"),
        Rule('/any/<any(a, "b c", d):x>', endpoint="any"),
        Rule("/s/<x>", endpoint="s"),
        Rule("/i/<int(fixed_digits=4):x>", endpoint="i4"),
        Rule("/neg/<int(signed=True):x>", endpoint="neg"),
        Rule("/bo", endpoint="bo", build_only=True),
        Rule("/ws", endpoint="ws", websocket=True),
        Rule("/sub", endpoint="sub", subdomain="api"),
        Rule("/user/<name>", endpoint="user", subdomain="<user>"),
        Rule("/a>b", endpoint="static_quote"),
        Rule("/page/<name>.html", endpoint="html"),
    ]
)


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("index",), {}, "/app/"),
        (("a", {"q": "x y", "r": [1, 2]}), {}, "/app/a/?q=x+y&r=1&r=2"),
        (("b",), {}, "/app/b"),
        (("b", None, "POST"), {}, "/app/b"),
        (("c", {"x": 5}), {}, "/app/c/5"),
        (("c", {"x": -1}), {}, "/app/c/-1"),
        (("c", {"x": 5}, "POST"), {}, "/app/c/5"),
        (("d", {"p": "x/y z?#%"}), {}, "/app/d/x/y%20z%3F%23%25"),
        (("e",), {}, "/app/e"),
        (("e", {"page": 1}), {}, "/app/e"),
        (("e", {"page": 2}), {}, "/app/e/2"),
        (("f", {"x": 1.5}), {}, "/app/f/1.5"),
        (("u", {"x": uuid.UUID(int=5)}), {}, "/app/u/00000000-0000-0000-0000-000000000005"),
        (("any", {"x": "b c"}), {}, "/app/any/b c"),
        (("s", {"x": "a/b c?\xe4%"}), {}, "/app/s/a/b%20c%3F%C3%A4%25"),
        (("s", {"x": 1, "y": None}), {}, "/app/s/1"),
        (("s", {"x": 1, "y": ["a", None]}), {}, "/app/s/1?y=a"),
        (("s", {"x": 1, "x y&=": "\xe9/?&"}), {}, "/app/s/1?x+y%26%3D=%C3%A9/?%26"),
        (("s", {"x": 1, "q": 2}), {"append_unknown": False}, "/app/s/1"),
        (("i4", {"x": 5}), {}, "/app/i/0005"),
        (("neg", {"x": -5}), {}, "/app/neg/-5"),
        (("bo",), {}, "/app/bo"),
        (("ws",), {}, "ws://example.com/app/ws"),
        (("sub",), {}, "http://api.example.com/app/sub"),
        (("user", {"user": "bob", "name": "x"}), {}, "http://bob.example.com/app/user/x"),
        (("a", {"_anchor": "x"}), {}, "/app/a/?_anchor=x"),
        (("c", {"x": 5}), {"force_external": True}, "http://example.com/app/c/5"),
        (("c", {"x": 5}), {"url_scheme": "https"}, "/app/c/5"),
        (("c", {"x": 5}), {"url_scheme": "https", "force_external": True}, "https://example.com/app/c/5"),
        (("c", {"x": 5}), {"url_scheme": "", "force_external": True}, "//example.com/app/c/5"),
        (("static_quote",), {}, "/app/a%3Eb"),
        (("html", {"name": "x y"}), {}, "/app/page/x%20y.html"),
    ],
)
def test_build(args, kwargs, expected):
    assert MAIN.bind("example.com", "/app").build(*args, **kwargs) == expected


def test_multidict_values():
    adapter = MAIN.bind("example.com", "/app")
    values = MultiDict([("x", "1"), ("x", "2"), ("y", "3"), ("y", "4")])
    assert adapter.build("s", values) == "/app/s/%5B'1',%20'2'%5D?y=3&y=4"
    assert adapter.build("s", MultiDict([("x", "a"), ("q", "1")])) == "/app/s/a?q=1"


def test_websocket_build_with_https():
    adapter = MAIN.bind("example.com", "/app", url_scheme="https")
    assert adapter.build("ws") == "wss://example.com/app/ws"
    assert adapter.build("ws", force_external=True) == "wss://example.com/app/ws"


def test_build_from_a_subdomain():
    adapter = MAIN.bind("example.com", "/app", subdomain="api")
    assert adapter.build("index") == "http://example.com/app/"
    assert adapter.build("sub") == "/app/sub"


@pytest.mark.parametrize("script_name", ["/", "", "//"])
def test_build_never_starts_with_two_slashes(script_name):
    adapter = Map([Rule("/<path:p>", endpoint="p")]).bind("example.com", script_name)
    assert adapter.build("p", {"p": "/evil.example/x"}) == "/evil.example/x"
    assert adapter.build("p", {"p": "//evil.example/x"}) == "/evil.example/x"
    assert MAIN.bind("example.com").build("s", {"x": "//evil"}) == "/s///evil"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "Could not build url for endpoint 'nope'. Did you mean 'neg' instead?"),
        (("s",), "Could not build url for endpoint 's'. Did you forget to specify values ['x']?"),
        (
            ("s", {"y": 1}),
            "Could not build url for endpoint 's' with values ['y']. Did you forget to specify values ['x']?",
        ),
        (
            ("b", None, "DELETE"),
            "Could not build url for endpoint 'b' ('DELETE'). Did you mean to use methods ['POST']?",
        ),
    ],
)
def test_build_error_messages(args, message):
    with pytest.raises(BuildError) as info:
        MAIN.bind("example.com", "/app").build(*args)
    assert str(info.value) == message
    assert isinstance(info.value, LookupError)
    assert info.value.endpoint == args[0]


def test_build_error_keeps_a_copy_of_the_values():
    # The error must not see later changes to the caller's dict (the
    # plain-dict fast path of build() otherwise passes it through).
    values = {"y": 1}
    with pytest.raises(BuildError) as info:
        MAIN.bind("example.com", "/app").build("s", values)
    message = "Could not build url for endpoint 's' with values ['y']. Did you forget to specify values ['x']?"
    values["x"] = 2
    values["z"] = 3
    assert info.value.values == {"y": 1}
    assert info.value.values is not values
    assert info.value.args[1] == {"y": 1}
    assert str(info.value) == message


def test_build_error_without_adapter():
    error = BuildError("q", {}, None)
    assert str(error) == "Could not build url for endpoint 'q'."
    assert error.suggested is None
    assert error.args == ("q", {}, None)


@pytest.mark.parametrize(
    ("rules", "args", "kwargs", "expected"),
    [
        ([("/x", {"x": 1}), ("/<y>", None)], ("e", {"x": 1, "y": 2}), {}, "/x?y=2"),
        ([("/x", {"x": 1}), ("/<y>", None)], ("e", {"x": 2, "y": 2}), {}, "/2?x=2"),
        ([("/<a>", None), ("/<a>/<b>", None)], ("e", {"a": 1, "b": 2}), {}, "/1/2"),
        ([("/<a>/<b>", None), ("/<a>", None)], ("e", {"a": 1}), {}, "/1"),
    ],
)
def test_build_picks_the_rule(rules, args, kwargs, expected):
    url_map = Map([Rule(rule, endpoint="e", defaults=defaults) for rule, defaults in rules])
    assert url_map.bind("h").build(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("default_method", "method", "expected"),
    [("GET", None, "/y"), ("POST", None, "/x"), ("GET", "POST", "/x"), ("PUT", None, "/x")],
)
def test_build_method_preference(default_method, method, expected):
    url_map = Map([Rule("/x", endpoint="e", methods=["POST"]), Rule("/y", endpoint="e", methods=["GET"])])
    assert url_map.bind("h", default_method=default_method).build("e", method=method) == expected


def test_build_skips_rules_whose_converter_refuses():
    from wsgikit.routing import BaseConverter
    from wsgikit.routing import ValidationError

    class Even(BaseConverter):
        def to_url(self, value):
            if value % 2:
                raise ValidationError()
            return str(value)

    url_map = Map(
        [Rule("/even/<even:n>", endpoint="n"), Rule("/any/<int:n>", endpoint="n")],
        converters={"even": Even},
    )
    adapter = url_map.bind("h")
    assert adapter.build("n", {"n": 2}) == "/even/2"
    assert adapter.build("n", {"n": 3}) == "/any/3"


def test_build_converter_value_error_propagates():
    with pytest.raises(ValueError, match="invalid literal"):
        MAIN.bind("example.com").build("c", {"x": "abc"})
    with pytest.raises(ValueError, match="is not one of"):
        MAIN.bind("example.com").build("any", {"x": "zz"})


def test_sort_parameters():
    url_map = Map([Rule("/<a>", endpoint="e")], sort_parameters=True)
    assert url_map.bind("h").build("e", {"a": 1, "z": 1, "b": 2, "c": [3, 1]}) == "/1?b=2&c=1&c=3&z=1"
    keyed = Map([Rule("/<a>", endpoint="e")], sort_parameters=True, sort_key=lambda item: item[0] != "z")
    assert keyed.bind("h").build("e", {"a": 1, "b": 2, "z": 1}) == "/1?z=1&b=2"


def test_host_matching_build():
    url_map = Map(
        [
            Rule("/", endpoint="a", host="<sub>.example.com"),
            Rule("/p/<int:x>", endpoint="c", host="<sub>.example.com"),
            Rule("/", endpoint="b", host="example.com"),
        ],
        host_matching=True,
    )
    assert url_map.bind("example.com").build("a", {"sub": "q"}) == "http://q.example.com/"
    assert url_map.bind("q.example.com").build("a", {"sub": "q"}) == "/"
    assert url_map.bind("q.example.com").build("c", {"sub": "q", "x": 1}) == "/p/1"
    assert url_map.bind("q.example.com").build("b") == "http://example.com/"


def test_rule_build_directly():
    rule = Rule("/x/<int:n>", endpoint="e")
    Map([rule])
    assert rule.build({"n": 3}) == ("", "/x/3")
    assert rule.build({"n": 3, "q": "a"}) == ("", "/x/3?q=a")
    assert rule.build({"n": 3, "q": "a"}, append_unknown=False) == ("", "/x/3")
    assert rule.build({}) is None


def test_query_encoding_charset():
    text = "".join(chr(i) for i in range(32, 127)) + "\x00\x7f\xe9\u20ac"
    url = Map([Rule("/", endpoint="e")]).bind("h").build("e", {"q": text})
    assert url == (
        "/?q=+!%22%23$%25%26'()*%2B,-./0123456789:;%3C%3D%3E?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%00%7F%C3%A9%E2%82%AC"
    )
