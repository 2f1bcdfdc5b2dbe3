"""Matching: tables of (rules, request) -> endpoint and values, or error."""

from __future__ import annotations

import pytest

from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule
from wsgikit.routing import WebsocketMismatch


def outcome(adapter, path, **kwargs):
    """The match result, or a comparable tuple describing the error."""
    try:
        return adapter.match(path, **kwargs)
    except RequestRedirect as error:
        return ("redirect", error.new_url)
    except MethodNotAllowed as error:
        return ("405", sorted(error.valid_methods))
    except WebsocketMismatch:
        return ("websocket mismatch",)
    except NotFound:
        return ("404",)


MAIN = Map(
    [
        Rule("/", endpoint="index"),
        Rule("/a/", endpoint="a"),
        Rule("/b", endpoint="b", methods=["POST"]),
        Rule("/c/<int:x>", endpoint="c"),
        Rule("/d/<path:p>", endpoint="d"),
        Rule("/e", endpoint="e", defaults={"page": 1}),
        Rule("/e/<int:page>", endpoint="e"),
        Rule("/f", redirect_to="/a/"),
        Rule("/g/<int:x>", redirect_to="c/<x>"),
        Rule("/h", endpoint="h", websocket=True),
        Rule("/s/<string(length=3):s>", endpoint="s"),
        Rule("/t/<x>", endpoint="t"),
        Rule("/caf\xe9/<x>", endpoint="cafe"),
        Rule("/q/<path:p>/edit", endpoint="q"),
        Rule("/n", endpoint="n", strict_slashes=False),
        Rule("/m/", endpoint="m", strict_slashes=False),
        Rule("/u/<uuid:u>", endpoint="u"),
        Rule("/fl/<float:f>", endpoint="fl"),
        Rule("/any/<any(about, help):page>", endpoint="any"),
        Rule("/pf/<path:p>/", endpoint="pf"),
        Rule("/double//slash", endpoint="double", merge_slashes=False),
    ]
)


@pytest.mark.parametrize(
    ("path", "kwargs", "expected"),
    [
        ("/", {}, ("index", {})),
        ("", {}, ("redirect", "http://example.com/app/")),
        ("/a/", {}, ("a", {})),
        ("/a", {}, ("redirect", "http://example.com/app/a/")),
        ("/a", {"query_args": "x=1&y=2"}, ("redirect", "http://example.com/app/a/?x=1&y=2")),
        ("/a", {"query_args": {"x": [1, 2]}}, ("redirect", "http://example.com/app/a/?x=1&x=2")),
        ("/a?x=1", {}, ("404",)),
        ("//a", {}, ("redirect", "http://example.com/app/a/")),
        ("a/", {}, ("a", {})),
        ("/a//", {}, ("redirect", "http://example.com/app/a/")),
        ("/b", {}, ("405", ["POST"])),
        ("/b", {"method": "post"}, ("b", {})),
        ("/a/", {"method": "HEAD"}, ("a", {})),
        ("/a/", {"method": "OPTIONS"}, ("a", {})),
        ("/c/12", {}, ("c", {"x": 12})),
        ("/c/012", {}, ("c", {"x": 12})),
        ("/c/x", {}, ("404",)),
        ("/c/-1", {}, ("404",)),
        ("/c/%31", {}, ("404",)),
        ("/d/x/y", {}, ("d", {"p": "x/y"})),
        ("/d/x//y", {}, ("d", {"p": "x//y"})),
        ("/d//x", {}, ("redirect", "http://example.com/app/d/x")),
        ("/d/", {}, ("404",)),
        ("/d/a/", {}, ("d", {"p": "a/"})),
        ("/d/%2F", {}, ("d", {"p": "%2F"})),
        ("/e", {}, ("e", {"page": 1})),
        ("/e/1", {}, ("redirect", "http://example.com/app/e")),
        ("/e/2", {}, ("e", {"page": 2})),
        ("/f", {}, ("redirect", "http://example.com/a/")),
        ("/g/3", {}, ("redirect", "http://example.com/app/c/3")),
        ("/h", {}, ("websocket mismatch",)),
        ("/h", {"websocket": True}, ("h", {})),
        ("/a/", {"websocket": True}, ("websocket mismatch",)),
        ("/s/abc", {}, ("s", {"s": "abc"})),
        ("/s/ab", {}, ("404",)),
        ("/s/a%2Fb", {}, ("404",)),
        ("/t/a%2Fb", {}, ("t", {"x": "a%2Fb"})),
        ("/t/a/b", {}, ("404",)),
        ("/caf\xe9/\u20ac", {}, ("cafe", {"x": "\u20ac"})),
        ("/q/a/b/edit", {}, ("q", {"p": "a/b"})),
        ("/q/a//edit", {}, ("q", {"p": "a/"})),
        ("/n", {}, ("n", {})),
        ("/n/", {}, ("n", {})),
        ("/m", {}, ("m", {})),
        ("/m/", {}, ("m", {})),
        ("/u/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", {}, ("u", {"u": __import__("uuid").UUID(int=0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)})),
        ("/u/aaaa", {}, ("404",)),
        ("/fl/1.5", {}, ("fl", {"f": 1.5})),
        ("/fl/1", {}, ("404",)),
        ("/any/help", {}, ("any", {"page": "help"})),
        ("/any/other", {}, ("404",)),
        ("/pf/a/b/", {}, ("pf", {"p": "a/b"})),
        ("/pf/a/b", {}, ("redirect", "http://example.com/app/pf/a/b/")),
        ("/double//slash", {}, ("double", {})),
        ("/double/slash", {}, ("404",)),
        ("/nothing", {}, ("404",)),
    ],
)
def test_main_map(path, kwargs, expected):
    adapter = MAIN.bind("example.com", "/app")
    assert outcome(adapter, path, **kwargs) == expected


def test_return_rule():
    rule, values = MAIN.bind("example.com").match("/c/3", return_rule=True)
    assert (rule.rule, rule.endpoint, values) == ("/c/<int:x>", "c", {"x": 3})


def test_bound_defaults_are_used():
    adapter = MAIN.bind("example.com", path_info="/c/5", query_args="q=1", default_method="POST")
    assert adapter.match() == ("c", {"x": 5})
    assert outcome(adapter, "/a") == ("redirect", "http://example.com/a/?q=1")
    assert adapter.match("/b") == ("b", {})


def ambiguous(rules, path, method="GET"):
    url_map = Map([Rule(rule, endpoint=rule) for rule in rules])
    return outcome(url_map.bind("h"), path, method=method)


# Priority: these match Werkzeug 3.1's observable results.
@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        (["/<a>/b", "/a/<b>"], "/a/b", "/a/<b>"),
        (["/a/<b>", "/<a>/b"], "/a/b", "/a/<b>"),
        (["/<x>", "/<int:x>", "/<path:x>"], "/1", "/<int:x>"),
        (["/<path:x>", "/<x>", "/<int:x>"], "/1", "/<int:x>"),
        (["/<path:x>", "/<x>"], "/x", "/<x>"),
        (["/<path:x>", "/<x>"], "/x/y", "/<path:x>"),
        (["/x/<p>", "/x/<p>.html"], "/x/a.html", "/x/<p>.html"),
        (["/x/<p>", "/x/<p>.html"], "/x/.html", "/x/<p>"),
        (["/<a>/<b>", "/<path:p>/edit"], "/a/edit", "/<path:p>/edit"),
        (["/<a>/<b>", "/<path:p>/edit"], "/a/b", "/<a>/<b>"),
        (["/a/<path:p>", "/a/<x>/c"], "/a/b/c", "/a/<x>/c"),
        (["/a/<path:p>", "/a/<x>/c"], "/a/b", "/a/<path:p>"),
        (["/<a>", "/<b>"], "/x", "/<a>"),
        (["/<b>", "/<a>"], "/x", "/<b>"),
        (["/<string(length=2):e>", "/<int:a>"], "/12", "/<int:a>"),
        (["/<int:a>", "/<float:b>"], "/1.5", "/<float:b>"),
        (["/<string(length=1):e>", "/<any(x,y):d>"], "/x", "/<string(length=1):e>"),
        (["/<any(x,y):d>", "/<string(length=1):e>"], "/x", "/<any(x,y):d>"),
        (["/a<x>", "/<x>b", "/ab<x>"], "/ab", "/a<x>"),
        (["/p-<x>", "/<x>-1", "/p-<int:x>"], "/p-1", "/p-<int:x>"),
        (["/<a>/x", "/<int:a>/<b>"], "/1/x", "/<int:a>/<b>"),
        (["/<a>/x", "/<int:a>/<b>"], "/a/x", "/<a>/x"),
        (["/<path:p>", "/<path:p>/x"], "/a/x", "/<path:p>/x"),
        (["/<a>/<path:p>", "/f/<path:p>"], "/f/a/x", "/f/<path:p>"),
        (["/static/x", "/<a>/<b>"], "/static/x", "/static/x"),
    ],
)
def test_priority(rules, path, expected):
    assert ambiguous(rules, path)[0] == expected


def test_priority_is_independent_of_unrelated_rules():
    rules = ["/<a>/x", "/<int:a>/<b>", "/<path:p>"]
    base = ambiguous(rules, "/1/x")[0]
    for extra in (["/zzz"], ["/q/<int:n>"], ["/<a>/y/<z>"], ["/<float:f>"]):
        assert ambiguous(extra + rules, "/1/x")[0] == base
        assert ambiguous(rules + extra, "/1/x")[0] == base


@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        # Deliberate difference from Werkzeug 3.1 (which answers 404): a
        # ValidationError from to_python means "this rule does not match".
        (["/<int(max=5):n>", "/<n>"], "/9", ("/<n>", {"n": "9"})),
        (["/<int(max=5):n>", "/<int:n>"], "/9", ("/<int:n>", {"n": 9})),
        (["/<int(max=5):n>", "/<int:n>"], "/3", ("/<int(max=5):n>", {"n": 3})),
        (["/x/<int(max=5):n>", "/<a>/<n>"], "/x/9", ("/<a>/<n>", {"a": "x", "n": "9"})),
    ],
)
def test_validation_error_tries_the_next_rule(rules, path, expected):
    assert ambiguous(rules, path) == expected


@pytest.mark.parametrize(
    ("rules", "path", "method", "expected"),
    [
        ([("/x", ["POST"]), ("/<n>", ["PUT"])], "/x", "GET", ("405", ["POST", "PUT"])),
        ([("/x", ["POST"]), ("/<n>", ["GET"])], "/x", "GET", ("b", {"n": "x"})),
        ([("/x/", ["POST"]), ("/x", ["PUT"])], "/x", "GET", ("405", ["PUT"])),
        ([("/x/", ["POST"]), ("/x", ["PUT"])], "/x", "POST", ("redirect", "http://h/x/")),
        ([("/x/", None), ("/x", ["PUT"])], "/x", "GET", ("redirect", "http://h/x/")),
        ([("/x/<int(max=5):n>", ["POST"]), ("/x/<int:n>", None)], "/x/3", "GET", ("b", {"n": 3})),
        ([("/p/", ["POST"]), ("/<x>", None)], "/p", "GET", ("b", {"x": "p"})),
        ([("/x", ["GET"])], "/x", "OPTIONS", ("405", ["GET", "HEAD"])),
        ([("/x", ["GET"])], "/x", "HEAD", ("a", {})),
    ],
)
def test_methods(rules, path, method, expected):
    url_map = Map([Rule(rule, endpoint=name, methods=methods) for name, (rule, methods) in zip("ab", rules)])
    assert outcome(url_map.bind("h"), path, method=method) == expected


def test_websocket_and_method_mismatch_prefers_405():
    url_map = Map([Rule("/x", endpoint="a", websocket=True), Rule("/<n>", endpoint="b", methods=["POST"])])
    assert outcome(url_map.bind("h"), "/x") == ("405", ["POST"])


def test_websocket_rule_sits_beside_http_rule():
    url_map = Map([Rule("/x", endpoint="ws", websocket=True), Rule("/x", endpoint="http")])
    adapter = url_map.bind("h")
    assert adapter.match("/x") == ("http", {})
    assert adapter.match("/x", websocket=True) == ("ws", {})


def test_allowed_methods_and_test():
    url_map = Map([Rule("/b", endpoint="b", methods=["POST"]), Rule("/a", endpoint="a"), Rule("/r/", endpoint="r")])
    adapter = url_map.bind("h")
    assert sorted(adapter.allowed_methods("/b")) == ["POST"]
    assert list(adapter.allowed_methods("/a")) == []
    assert list(adapter.allowed_methods("/zz")) == []
    assert adapter.test("/a") is True
    assert adapter.test("/r") is True
    assert adapter.test("/b") is False
    assert adapter.test("/zz") is False


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/x//y", ("redirect", "http://h/x/y")),
        ("/x///y", ("redirect", "http://h/x/y")),
        ("/x/v//z", ("redirect", "http://h/x/v/z")),
        ("/x//y/", ("404",)),
        ("/x//z", ("404",)),
        ("/m//", ("redirect", "http://h/m/")),
        ("//m", ("redirect", "http://h/m/")),
        ("/keep//this", ("keep", {})),
        ("/keep/this", ("404",)),
    ],
)
def test_merge_slashes(path, expected):
    url_map = Map(
        [
            Rule("/x/y", endpoint="xy"),
            Rule("/x/<v>/z", endpoint="xvz"),
            Rule("/m/", endpoint="m"),
            Rule("/keep//this", endpoint="keep", merge_slashes=False),
        ]
    )
    assert outcome(url_map.bind("h"), path) == expected


def test_merge_slashes_off_for_the_map():
    url_map = Map([Rule("/x/y", endpoint="xy")], merge_slashes=False)
    assert url_map.merge_slashes is False
    assert outcome(url_map.bind("h"), "/x//y") == ("404",)


def test_merge_slashes_off_for_the_rule():
    url_map = Map([Rule("/x/y", endpoint="xy", merge_slashes=False)])
    assert outcome(url_map.bind("h"), "/x//y") == ("404",)


def test_strict_slashes_off_for_the_map():
    url_map = Map([Rule("/x/", endpoint="x")], strict_slashes=False)
    assert url_map.bind("h").match("/x") == ("x", {})


@pytest.mark.parametrize(
    ("path", "query_args", "expected"),
    [
        ("/y", None, ("redirect", "http://h/s/x")),
        ("/zz/3", None, ("redirect", "http://h/s/z/3")),
        ("/zz/3", "k=v", ("redirect", "http://h/s/z/3?k=v")),
        ("/x", None, ("x", {})),
    ],
)
def test_alias(path, query_args, expected):
    url_map = Map(
        [
            Rule("/x", endpoint="x"),
            Rule("/y", endpoint="x", alias=True),
            Rule("/z/<int:a>", endpoint="z"),
            Rule("/zz/<int:a>", endpoint="z", alias=True),
        ]
    )
    assert outcome(url_map.bind("h", "/s"), path, query_args=query_args) == expected


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        (Rule("/x", redirect_to=lambda adapter, **kw: f"/y/{sorted(kw)}"), "/x", "http://h/y/[]"),
        (Rule("/x/<int:i>", redirect_to=lambda adapter, i: f"/y/{i * 2}"), "/x/3", "http://h/y/6"),
        (Rule("/x/<int(fixed_digits=3):i>", redirect_to="y/<i>"), "/x/003", "http://h/app/y/003"),
        (Rule("/x/<path:i>", redirect_to="/y/<i>"), "/x/a b/c", "http://h/y/a%20b/c"),
        (Rule("/x/<i>", redirect_to="y"), "/x/a", "http://h/app/y"),
        (Rule("/x", redirect_to="http://other.example/"), "/x", "http://other.example/"),
    ],
)
def test_redirect_to(rule, path, expected):
    url_map = Map([rule])
    assert outcome(url_map.bind("h", "/app"), path) == ("redirect", expected)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/e/1", ("e", {"page": 1})),
        ("/e/2/q", ("e", {"page": 2, "x": "q"})),
        ("/e/1/q", ("e", {"page": 1, "x": "q"})),
    ],
)
def test_redirect_defaults_off(path, expected):
    url_map = Map(
        [
            Rule("/e", endpoint="e", defaults={"page": 1}),
            Rule("/e/<int:page>", endpoint="e"),
            Rule("/e/<int:page>/<x>", endpoint="e", defaults={"x": "q"}),
        ],
        redirect_defaults=False,
    )
    assert outcome(url_map.bind("h"), path) == expected


def test_defaults_override_matched_values():
    url_map = Map([Rule("/e/<int:page>", endpoint="e", defaults={"page": 1})])
    assert url_map.bind("h").match("/e/5") == ("e", {"page": 1})


def test_build_only_rules_never_match():
    url_map = Map([Rule("/x", endpoint="x", build_only=True)])
    assert outcome(url_map.bind("h"), "/x") == ("404",)
    assert url_map.bind("h").build("x") == "/x"


def test_endpoint_of_any_hashable_type():
    url_map = Map([Rule("/<a>", endpoint=("tuple", 1)), Rule("/x/y", endpoint=42)])
    adapter = url_map.bind("h")
    assert adapter.match("/q") == (("tuple", 1), {"a": "q"})
    assert adapter.match("/x/y") == (42, {})
    assert adapter.build(("tuple", 1), {"a": "z"}) == "/z"
    with pytest.raises(TypeError):
        Map([Rule("/<a>", endpoint=["list"])])


SUBDOMAINS = Map(
    [
        Rule("/", endpoint="idx"),
        Rule("/", endpoint="user_idx", subdomain="<user>"),
        Rule("/x/", endpoint="x", subdomain="api"),
        Rule("/d", endpoint="d", subdomain=""),
    ],
    default_subdomain="www",
)


@pytest.mark.parametrize(
    ("subdomain", "path", "expected"),
    [
        ("www", "/", ("idx", {})),
        ("bob", "/", ("user_idx", {"user": "bob"})),
        ("api", "/", ("user_idx", {"user": "api"})),
        ("a.b", "/", ("user_idx", {"user": "a.b"})),
        ("api", "/x", ("redirect", "http://api.example.com/x/")),
        ("", "/d", ("d", {})),
        ("", "/", ("404",)),
        (None, "/", ("idx", {})),
    ],
)
def test_subdomains(subdomain, path, expected):
    adapter = SUBDOMAINS.bind("example.com", subdomain=subdomain)
    assert outcome(adapter, path) == expected


HOSTS = Map(
    [
        Rule("/", endpoint="a", host="<sub>.example.com"),
        Rule("/", endpoint="b", host="example.com"),
        Rule("/p/<int:x>", endpoint="c", host="<sub>.example.com"),
        Rule("/any", endpoint="nohost"),
    ],
    host_matching=True,
)


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        ("x.example.com", "/", ("a", {"sub": "x"})),
        ("example.com", "/", ("b", {})),
        ("EXAMPLE.com", "/", ("b", {})),
        ("example.com:80", "/", ("404",)),
        ("y.org", "/", ("404",)),
        ("q.example.com", "/p/1", ("c", {"sub": "q", "x": 1})),
        ("q.example.com", "/p/1/", ("404",)),
        ("", "/any", ("nohost", {})),
    ],
)
def test_host_matching(host, path, expected):
    assert outcome(HOSTS.bind(host), path) == expected


def test_host_matching_rejects_subdomain():
    with pytest.raises(RuntimeError, match="host matching enabled and a subdomain was provided"):
        HOSTS.bind("example.com", subdomain="x")
