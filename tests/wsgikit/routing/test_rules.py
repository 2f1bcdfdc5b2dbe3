"""Rule parsing, rule attributes and the rule factories."""

from __future__ import annotations

import pytest

from wsgikit.routing import EndpointPrefix
from wsgikit.routing import Map
from wsgikit.routing import parse_converter_args
from wsgikit.routing import Rule
from wsgikit.routing import RuleFactory
from wsgikit.routing import RuleTemplate
from wsgikit.routing import Subdomain
from wsgikit.routing import Submount


@pytest.mark.parametrize(
    ("argstr", "expected"),
    [
        ("", ((), {})),
        ("1, 2.5, 'x', \"y\", True, False, None", ((1, 2.5, "x", "y", True, False, None), {})),
        ("a, b.c, d", (("a", "b.c", "d"), {})),
        ("minlength=2, maxlength=10", ((), {"minlength": 2, "maxlength": 10})),
        ("x=1, 2", ((2,), {"x": 1})),
        ("min=-3", ((), {"min": -3})),
        (" 1 , 2 ", ((1, 2), {})),
        ('"a\\"b"', (('a"b',), {})),
        ("'a, b'", (("a, b",), {})),
        ("1e3", ((1000.0,), {})),
        ("TRUE", (("TRUE",), {})),
        ("1,", ((1,), {})),
    ],
)
def test_parse_converter_args(argstr, expected):
    assert parse_converter_args(argstr) == expected


@pytest.mark.parametrize("argstr", [",1", "a b", '"unterminated', "[1]", "a=b=c", "x=", "(1)"])
def test_parse_converter_args_rejects(argstr):
    with pytest.raises(ValueError, match="Cannot parse converter argument"):
        parse_converter_args(argstr)


@pytest.mark.parametrize(
    "rule",
    [
        "/<foo",
        "/<>",
        "/<1a>",
        "/<a b>",
        "/<int:>",
        "/<:x>",
        "/<int(:x>",
        "/<a-b>",
        "/<  x  >",
        "/<int : x>",
        "/x/<y",
    ],
)
def test_malformed_rule_names_the_rule(rule):
    with pytest.raises(ValueError, match="malformed url rule") as info:
        Map([Rule(rule, endpoint="e")])
    assert repr(rule) in str(info.value)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("/<x>/<x>", "variable name 'x' used twice in url rule '/<x>/<x>'"),
        ("/<int(x=):y>", "invalid url rule '/<int(x=):y>'"),
        ("/<any(a b):y>", "invalid url rule '/<any(a b):y>'"),
    ],
)
def test_bad_rule_raises_value_error_at_registration(rule, message):
    with pytest.raises(ValueError) as info:
        Map([Rule(rule, endpoint="e")])
    assert message in str(info.value)


def test_unknown_converter_argument_is_a_type_error():
    with pytest.raises(TypeError):
        Map([Rule("/<int(base=2):y>")])


def test_unknown_converter():
    with pytest.raises(LookupError, match="the converter 'nope' does not exist"):
        Map([Rule("/<nope:x>")])


def test_rule_must_start_with_slash():
    with pytest.raises(ValueError, match="URL rule 'x/' must start with a slash."):
        Rule("x/")


def test_invalid_converter_regex_names_rule():
    from wsgikit.routing import BaseConverter

    class Broken(BaseConverter):
        regex = "(unclosed"

    with pytest.raises(ValueError, match="'/b/<broken:x>'"):
        Map([Rule("/b/<broken:x>")], converters={"broken": Broken})


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        (None, None),
        (["get"], {"GET", "HEAD"}),
        (["post", "Put"], {"POST", "PUT"}),
        (["GET", "HEAD"], {"GET", "HEAD"}),
        ([], set()),
    ],
)
def test_methods(methods, expected):
    assert Rule("/", methods=methods).methods == expected


def test_methods_must_not_be_a_string():
    with pytest.raises(TypeError, match="'methods' should be a list of strings."):
        Rule("/", methods="GET")


def test_websocket_methods():
    with pytest.raises(ValueError, match="WebSocket rules can only use"):
        Rule("/ws", websocket=True, methods=["POST"])
    assert Rule("/ws", websocket=True, methods=["GET"]).methods == {"GET", "HEAD"}


def test_rule_attributes_after_bind():
    rule = Rule("/a/<int:x>/<path:p>", endpoint="e", defaults={"y": 1})
    Map([rule], strict_slashes=False, default_subdomain="www")
    assert rule.arguments == {"x", "p", "y"}
    assert rule.strict_slashes is False
    assert rule.merge_slashes is True
    assert rule.subdomain == "www"
    assert rule.is_leaf and not rule.is_branch
    assert rule._trace == [
        (False, "www"),
        (False, "|"),
        (False, "/"),
        (False, "a"),
        (False, "/"),
        (True, "x"),
        (False, "/"),
        (True, "p"),
    ]
    assert str(rule) == "/a/<int:x>/<path:p>"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule("/a/<int:x>", endpoint="e"), "<Rule '/a/<x>' -> e>"),
        (Rule("/b/", endpoint="b", methods=["post"]), "<Rule '/b/' (POST) -> b>"),
        (Rule("/c", endpoint="c", methods=["GET"]), "<Rule '/c' (GET, HEAD) -> c>"),
        (Rule("/", endpoint="s", subdomain="<user>"), "<Rule '<user>|/' -> s>"),
    ],
)
def test_repr(rule, expected):
    Map([rule])
    assert repr(rule) == expected


def test_repr_unbound():
    assert repr(Rule("/x")) == "<Rule (unbound)>"


def test_rule_cannot_bind_twice():
    rule = Rule("/x")
    Map([rule])
    with pytest.raises(RuntimeError, match="already bound to map"):
        Map([rule])


def test_equality_and_hash():
    a, b, c = Rule("/x/<a>", endpoint="a"), Rule("/x/<a>", endpoint="b"), Rule("/x/<b>")
    Map([a, b, c])
    assert a == b
    assert a != c
    assert a != "/x/<a>"
    with pytest.raises(TypeError):
        hash(a)


def test_empty_copies_settings():
    rule = Rule(
        "/x",
        endpoint="e",
        defaults={"a": 1},
        methods=["POST"],
        redirect_to="/y",
        strict_slashes=False,
        merge_slashes=False,
        websocket=False,
        alias=True,
        host="h",
    )
    copy = rule.empty()
    assert copy is not rule
    assert copy.map is None
    assert (copy.rule, copy.endpoint, copy.defaults, copy.methods) == ("/x", "e", {"a": 1}, {"POST"})
    assert copy.defaults is not rule.defaults
    assert (copy.redirect_to, copy.strict_slashes, copy.merge_slashes, copy.alias, copy.host) == (
        "/y",
        False,
        False,
        True,
        "h",
    )


def test_build_compare_key_and_defaults_relation():
    with_default = Rule("/e", endpoint="e", defaults={"page": 1})
    plain = Rule("/e/<int:page>", endpoint="e")
    alias = Rule("/f", endpoint="e", defaults={"page": 1}, alias=True)
    Map([with_default, plain, alias])
    assert with_default.build_compare_key() == (0, -1, -1)
    assert plain.build_compare_key() == (0, -1, 0)
    assert alias.build_compare_key() == (1, -1, -1)
    assert with_default.provides_defaults_for(plain)
    assert not plain.provides_defaults_for(with_default)
    assert not with_default.provides_defaults_for(with_default)


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        ({"x": 1}, None, True),
        ({}, None, False),
        ({"x": 1, "page": 1}, None, True),
        ({"x": 1, "page": 2}, None, False),
        ({"x": 1}, "POST", True),
        ({"x": 1}, "DELETE", False),
    ],
)
def test_suitable_for(values, method, expected):
    rule = Rule("/<x>", defaults={"page": 1}, methods=["GET", "POST"])
    Map([rule])
    assert rule.suitable_for(values, method) is expected


def test_get_rules_of_rule_is_itself():
    rule = Rule("/x")
    assert list(rule.get_rules(Map())) == [rule]


def test_rule_factory_requires_get_rules():
    with pytest.raises(NotImplementedError):
        Map([RuleFactory()])


def test_factories():
    url_map = Map(
        [
            Submount(
                "/sub/",
                [Rule("/x", endpoint="x"), EndpointPrefix("p.", [Rule("/y", endpoint="y")])],
            ),
            Subdomain("s", [Rule("/", endpoint="s", methods=["POST"])]),
        ]
    )
    rules = {rule.endpoint: rule for rule in url_map.iter_rules()}
    assert rules["x"].rule == "/sub/x"
    assert rules["p.y"].rule == "/sub/y"
    assert rules["s"].subdomain == "s"
    assert rules["s"].methods == {"POST"}
    assert url_map.bind("h", subdomain="s").match("/", "POST") == ("s", {})


def test_rule_template():
    template = RuleTemplate(
        [
            Rule("/$kind/<int:id>", endpoint="$kind.show", defaults={"title": "$kind", "n": 1}),
            Rule("/$kind/", endpoint="${kind}_list", subdomain="$sub"),
        ]
    )
    url_map = Map([template(kind="blog", sub="www"), template({"kind": "news", "sub": "x"})])
    rules = {rule.endpoint: rule for rule in url_map.iter_rules()}
    assert set(rules) == {"blog.show", "blog_list", "news.show", "news_list"}
    assert rules["blog.show"].rule == "/blog/<int:id>"
    assert rules["blog.show"].defaults == {"title": "blog", "n": 1}
    assert rules["news_list"].subdomain == "x"
    with pytest.raises(KeyError):
        Map([template(other=1)])


def test_generated_builder_source_is_readable():
    rule = Rule("/user/<int:id>/posts", endpoint="e")
    Map([rule])
    source = rule._build_source
    assert source.startswith("def build(values):")
    assert "values['id']" in source
    compile(source, "<test>", "exec")
