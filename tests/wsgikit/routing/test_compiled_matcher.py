"""The compiled matcher (routing/_compiler.py) against the general walk.

Every answer of ``StateMachineMatcher.find`` (the generated function) must
be the general walk's (``StateMachineMatcher.walk``): the rule and values,
the redirect, the methods of a 405, the WebSocket mismatch, the 404.
"""

from __future__ import annotations

import sys
import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import NotFound
from wsgikit.routing import BaseConverter
from wsgikit.routing import IntegerConverter
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule
from wsgikit.routing import Subdomain
from wsgikit.routing import UnicodeConverter
from wsgikit.routing import ValidationError
from wsgikit.routing import WebsocketMismatch
from wsgikit.routing import _compiler as compiler
from wsgikit.routing.exceptions import NoMatch
from wsgikit.routing.exceptions import RequestPath


class Even(BaseConverter):
    """Refuses odd numbers in ``to_python`` (a converter that looks data up)."""

    regex = r"\d+"

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValidationError()
        return int(value)


class Upper(UnicodeConverter):
    """A subclass of the default converter overriding ``to_python``."""

    def to_python(self, value: str) -> str:
        return value.upper()


CONVERTERS = {"even": Even, "upper": Upper}


def general(url_map: Map, domain: str, path: str, method: str, websocket: bool) -> tuple[t.Any, t.Any]:
    """The general walk's answer, in the compiled matcher's terms."""
    matcher = url_map._matcher
    try:
        rule, values = matcher.walk(domain, path, method, websocket)
    except RequestPath as signal:
        return None, signal.path_info
    except NoMatch as failure:
        return None, _failure(failure.have_match_for or failure.websocket_mismatch)
    return rule, values


def compiled(url_map: Map, domain: str, path: str, method: str, websocket: bool) -> tuple[t.Any, t.Any]:
    rule, outcome = url_map._matcher.find(domain, path, method, websocket)
    if rule is None and type(outcome) is not str:
        outcome = _failure(outcome)
    return rule, outcome


def _failure(outcome: t.Any) -> t.Any:
    """Sets of methods compare as sorted lists; a 404 is ``False``."""
    if outcome is True:
        return True
    return sorted(outcome) if outcome else False


def same(url_map: Map, domain: str, path: str, method: str = "GET", websocket: bool = False) -> tuple[t.Any, t.Any]:
    url_map.update()
    # The general walk expects what the adapter gives: one leading slash.
    walked = "/" + path.lstrip("/") if path else path
    expected = general(url_map, domain, walked, method, websocket)
    got = compiled(url_map, domain, path, method, websocket)
    assert got[0] is expected[0], (path, method, websocket, got, expected)
    assert got[1] == expected[1], (path, method, websocket, got, expected)
    return got


# -- random rule sets ---------------------------------------------------------

SEGMENTS = [
    "a",
    "b",
    "ab",
    "",
    "<x{i}>",
    "<int:x{i}>",
    "<int(min=3):x{i}>",
    "<float:x{i}>",
    "<x{i}>.html",
    "<string(length=2):x{i}>",
    "<string(minlength=2, maxlength=3):x{i}>",
    "a-<int:x{i}>",
    "<any(a,b):x{i}>",
    "<even:x{i}>",
    "<upper:x{i}>",
    "<path:x{i}>",
    "<a{i}>-<b{i}>",
]
PATH_SEGMENTS = ["a", "b", "ab", "aa", "", "1", "2", "12", "1.5", "x.html", "a-1", "b-1", "\u0663", "x-y"]
METHODS = ["GET", "POST", "PUT"]

rule_strategy = st.tuples(
    st.lists(st.sampled_from(SEGMENTS), min_size=0, max_size=4),
    st.booleans(),  # trailing slash
    st.sampled_from([None, ["GET"], ["POST"], ["GET", "PUT"]]),
    st.booleans(),  # websocket
    st.sampled_from([None, False]),  # strict_slashes
    st.sampled_from([None, "", "api", "<sub>"]),  # subdomain
    st.booleans(),  # defaults
)


def make_rule(number: int, spec: tuple[t.Any, ...]) -> Rule:
    segments, slash, methods, websocket, strict, subdomain, defaults = spec
    text = "/" + "/".join(segment.format(i=i) for i, segment in enumerate(segments))
    if slash and not text.endswith("/"):
        text += "/"
    if websocket and methods not in (None, ["GET"]):
        methods = ["GET"]
    return Rule(
        text,
        endpoint=f"e{number}",
        methods=methods,
        websocket=websocket,
        strict_slashes=strict,
        subdomain=subdomain,
        defaults={"d": number} if defaults else None,
    )


@settings(max_examples=150, deadline=None)
@given(
    rules=st.lists(rule_strategy, min_size=1, max_size=8),
    paths=st.lists(
        st.tuples(
            st.lists(st.sampled_from(PATH_SEGMENTS), min_size=0, max_size=5),
            st.sampled_from(["", "/"]),
            st.sampled_from(["/", "//", ""]),
            st.sampled_from(METHODS),
            st.booleans(),
            st.sampled_from(["", "api", "x.y"]),
        ),
        min_size=1,
        max_size=12,
    ),
    merge_slashes=st.booleans(),
    limits=st.sampled_from([None, (0, 8, 64), (1000, 1, 64), (1000, 8, 4), (1, 1, 6)]),
)
def test_compiled_agrees_with_the_general_walk(rules, paths, merge_slashes, limits) -> None:
    """``limits`` force the code shapes small maps do not need: every
    subtree a separate function, every static choice a bisection, or
    shallow hand-overs to the general walk."""
    saved = (compiler._EAGER_RULES, compiler._CHAIN_LIMIT, compiler._MAX_INDENT)
    if limits is not None:
        compiler._EAGER_RULES, compiler._CHAIN_LIMIT, compiler._MAX_INDENT = limits
    try:
        url_map = Map(converters=CONVERTERS, merge_slashes=merge_slashes)
        for number, spec in enumerate(rules):
            try:
                url_map.add(make_rule(number, spec))
            except ValueError:  # a variable name used twice
                continue
        compile(url_map.matcher_source(), "<test>", "exec")
        for segments, end, start, method, websocket, domain in paths:
            path = start + "/".join(segments) + end if segments else end
            same(url_map, domain, path, method, websocket)
    finally:
        compiler._EAGER_RULES, compiler._CHAIN_LIMIT, compiler._MAX_INDENT = saved


@settings(max_examples=40, deadline=None)
@given(
    rules=st.lists(rule_strategy, min_size=1, max_size=6),
    paths=st.lists(st.lists(st.sampled_from(PATH_SEGMENTS), max_size=4), min_size=1, max_size=8),
    host=st.sampled_from(["example.com", "api.example.com", "1.example.com"]),
)
def test_compiled_agrees_with_host_matching(rules, paths, host) -> None:
    url_map = Map(converters=CONVERTERS, host_matching=True)
    for number, spec in enumerate(rules):
        segments, slash, methods, websocket, strict, _, defaults = spec
        rule = make_rule(number, (segments, slash, methods, websocket, strict, None, defaults))
        rule.host = ["example.com", "<sub>.example.com", "<int:n>.example.com"][number % 3]
        try:
            url_map.add(rule)
        except ValueError:
            continue
    for segments in paths:
        same(url_map, host, "/" + "/".join(segments))


# -- plain cases --------------------------------------------------------------


def adapter(url_map: Map, host: str = "example.com"):
    return url_map.bind(host)


def test_static_dynamic_and_backtracking() -> None:
    url_map = Map(
        [
            Rule("/users/new", endpoint="new"),
            Rule("/users/<int:id>", endpoint="user"),
            Rule("/users/<name>", endpoint="by_name"),
            Rule("/users/<name>/edit", endpoint="edit"),
            Rule("/<path:rest>/edit", endpoint="any_edit"),
        ]
    )
    a = adapter(url_map)
    assert a.match("/users/new") == ("new", {})
    assert a.match("/users/7") == ("user", {"id": 7})
    assert a.match("/users/bob") == ("by_name", {"name": "bob"})
    assert a.match("/users/new/edit") == ("edit", {"name": "new"})
    assert a.match("/x/y/edit") == ("any_edit", {"rest": "x/y"})
    for path in ("/users/new", "/users/7", "/users/7/edit", "/x/y/edit", "/users/", "/nothing"):
        same(url_map, "", path)


def test_405_has_the_exact_methods_and_no_internal_exception() -> None:
    url_map = Map(
        [
            Rule("/r/<int:id>", endpoint="get", methods=["GET"]),
            Rule("/r/<int:id>", endpoint="put", methods=["PUT"]),
            Rule("/r/<name>", endpoint="delete", methods=["DELETE"]),
        ]
    )
    with pytest.raises(MethodNotAllowed) as caught:
        adapter(url_map).match("/r/1", "POST")
    assert caught.value.valid_methods == ["DELETE", "GET", "HEAD", "PUT"]
    # The compiled matcher answers without raising: nothing is chained.
    assert caught.value.__context__ is None
    with pytest.raises(NotFound) as not_found:
        adapter(url_map).match("/s/1")
    assert not_found.value.__context__ is None
    assert url_map._matcher.find("", "/r/1", "POST", False)[0] is None


def test_websocket_mismatch() -> None:
    url_map = Map([Rule("/ws", endpoint="ws", websocket=True)])
    with pytest.raises(WebsocketMismatch):
        adapter(url_map).match("/ws")
    assert adapter(url_map).match("/ws", websocket=True) == ("ws", {})


def test_strict_slashes_redirect_and_lenient_rules() -> None:
    url_map = Map(
        [
            Rule("/dir/", endpoint="dir"),
            Rule("/leaf", endpoint="leaf", strict_slashes=False),
            Rule("/files/<path:p>/", endpoint="files"),
        ]
    )
    a = adapter(url_map)
    with pytest.raises(RequestRedirect) as caught:
        a.match("/dir", query_args="x=1")
    assert caught.value.new_url == "http://example.com/dir/?x=1"
    assert a.match("/leaf/") == ("leaf", {})
    with pytest.raises(RequestRedirect) as final:
        a.match("/files/a/b")
    assert final.value.new_url == "http://example.com/files/a/b/"
    for path in ("/dir", "/dir/", "/leaf", "/leaf/", "/files/a/b", "/files/a/b/", "/files/"):
        same(url_map, "", path)


def test_merge_slashes_redirect() -> None:
    url_map = Map([Rule("/a/b", endpoint="ab")])
    with pytest.raises(RequestRedirect) as caught:
        adapter(url_map).match("/a//b")
    assert caught.value.new_url == "http://example.com/a/b"
    url_map.merge_slashes = False
    with pytest.raises(NotFound):
        adapter(url_map).match("/a//b")


def test_defaults_and_redirect_defaults() -> None:
    url_map = Map([Rule("/page/", endpoint="page", defaults={"n": 1}), Rule("/page/<int:n>", endpoint="page")])
    a = adapter(url_map)
    assert a.match("/page/") == ("page", {"n": 1})
    assert a.match("/page/2") == ("page", {"n": 2})
    with pytest.raises(RequestRedirect):
        a.match("/page/1")


def test_subdomains() -> None:
    url_map = Map(
        [Rule("/", endpoint="index"), Subdomain("<user>", [Rule("/", endpoint="user_index")])],
        default_subdomain="www",
    )
    assert url_map.bind("example.com", subdomain="www").match("/") == ("index", {})
    assert url_map.bind("example.com", subdomain="bob").match("/") == ("user_index", {"user": "bob"})
    same(url_map, "bob", "/")
    same(url_map, "", "/")


def test_a_refusing_converter_lets_the_next_candidate_match() -> None:
    url_map = Map([Rule("/n/<even:n>", endpoint="even"), Rule("/n/<n>", endpoint="any")], converters=CONVERTERS)
    a = adapter(url_map)
    assert a.match("/n/4") == ("even", {"n": 4})
    assert a.match("/n/3") == ("any", {"n": "3"})


def test_number_limits_are_checked() -> None:
    url_map = Map(
        [
            Rule("/a/<int(min=2, max=5):n>", endpoint="limited"),
            Rule("/b/<int(fixed_digits=3):n>", endpoint="fixed"),
            Rule("/c/<int:n>", endpoint="plain"),
            Rule("/f/<float:x>", endpoint="float"),
        ]
    )
    a = adapter(url_map)
    assert a.match("/a/3") == ("limited", {"n": 3})
    with pytest.raises(NotFound):
        a.match("/a/6")
    assert a.match("/b/007") == ("fixed", {"n": 7})
    with pytest.raises(NotFound):
        a.match("/b/07")
    assert a.match("/c/\u0663") == ("plain", {"n": 3})
    with pytest.raises(NotFound):
        a.match("/c/" + "9" * 5000)  # more digits than int() takes: refused
    assert a.match("/f/1.5") == ("float", {"x": 1.5})
    source = url_map.matcher_source()
    assert "int(" in source  # the plain int converter is inlined
    for path in ("/a/3", "/a/6", "/b/007", "/b/07", "/c/1", "/c/\u00b2", "/f/1.5"):
        same(url_map, "", path)


def test_converter_subclass_and_instance_overrides_are_honoured() -> None:
    class Doubled(IntegerConverter):
        def to_python(self, value: str) -> int:
            return int(value) * 2

    class Stock(BaseConverter):
        pass

    url_map = Map(
        [Rule("/d/<doubled:n>", endpoint="d"), Rule("/s/<stock:v>", endpoint="s"), Rule("/u/<upper:v>", endpoint="u")],
        converters={"doubled": Doubled, "stock": Stock, **CONVERTERS},
    )
    a = adapter(url_map)
    assert a.match("/d/4") == ("d", {"n": 8})
    assert a.match("/u/ab") == ("u", {"v": "AB"})
    assert a.match("/s/ab") == ("s", {"v": "ab"})
    for path in ("/d/4", "/u/ab", "/s/ab"):
        same(url_map, "", path)


class Prefixed(BaseConverter):
    """Replaces ``to_python`` on the instance when given a prefix."""

    def __init__(self, map: Map, prefix: str = "") -> None:
        super().__init__(map)
        if prefix:
            self.to_python = lambda value: prefix + value  # type: ignore[method-assign]  # the instance override under test


def test_an_instance_override_of_to_python_is_honoured() -> None:
    url_map = Map(
        [Rule("/p/<prefixed(prefix='p-'):v>", endpoint="p"), Rule("/q/<prefixed:v>", endpoint="q")],
        converters={"prefixed": Prefixed},
    )
    assert adapter(url_map).match("/p/ab") == ("p", {"v": "p-ab"})
    assert adapter(url_map).match("/q/ab") == ("q", {"v": "ab"})
    for path in ("/p/ab", "/q/ab"):
        same(url_map, "", path)
    # The general walk honours it too (it used to look at the class only).
    url_map.update()
    assert url_map._matcher.walk("", "/p/ab", "GET", False)[1] == {"v": "p-ab"}


def test_rule_subclass_overriding_convert_is_honoured() -> None:
    class Tagged(Rule):
        def _convert(self, raw: t.Sequence[str]) -> dict[str, t.Any]:
            values = super()._convert(raw)
            values["tagged"] = True
            return values

    url_map = Map([Tagged("/t/<v>", endpoint="t"), Rule("/p/<v>", endpoint="p")])
    assert adapter(url_map).match("/t/x") == ("t", {"v": "x", "tagged": True})
    assert adapter(url_map).match("/p/x") == ("p", {"v": "x"})
    assert Tagged._stock_convert is False and Rule._stock_convert is True
    same(url_map, "", "/t/x")


def test_map_subclass_matches_like_the_general_walk() -> None:
    class MyMap(Map):
        default_converters = {**Map.default_converters, "even": Even}

    url_map = MyMap([Rule("/e/<even:n>", endpoint="e"), Rule("/e/<n>", endpoint="other")])
    assert adapter(url_map).match("/e/2") == ("e", {"n": 2})
    for path in ("/e/2", "/e/3", "/e/x", "/e"):
        same(url_map, "", path)


def test_ties_are_handed_to_the_general_walk() -> None:
    url_map = Map(
        [
            Rule("/<string(length=1):c>/x", endpoint="one"),
            Rule("/<any(a, b):c>/<path:p>", endpoint="two"),
        ]
    )
    assert "resume(" in url_map.matcher_source()
    assert adapter(url_map).match("/a/x") == ("one", {"c": "a"})
    for path in ("/a/x", "/a/y/z", "/c/x", "/ab/x"):
        same(url_map, "", path)


def test_deep_rules_are_handed_to_the_general_walk() -> None:
    deep = "/" + "/".join(f"<v{i}>" for i in range(60))
    url_map = Map([Rule(deep, endpoint="deep"), Rule("/" + "/".join("s" * 60), endpoint="static")])
    source = url_map.matcher_source()
    compile(source, "<test>", "exec")
    assert "resume(" in source
    path = "/" + "/".join(str(i) for i in range(60))
    assert adapter(url_map).match(path) == ("deep", {f"v{i}": str(i) for i in range(60)})
    assert adapter(url_map).match("/" + "/".join("s" * 60)) == ("static", {})
    same(url_map, "", path)


def test_many_static_siblings_are_bisected() -> None:
    url_map = Map([Rule(f"/r{i}/<int:id>", endpoint=f"r{i}", methods=["GET"]) for i in range(40)])
    source = url_map.matcher_source()
    assert ".get(s1, -1)" in source
    a = adapter(url_map)
    for i in range(40):
        assert a.match(f"/r{i}/5") == (f"r{i}", {"id": 5})
        same(url_map, "", f"/r{i}/5", "POST")
    with pytest.raises(NotFound):
        a.match("/r40/5")


def test_a_large_map_compiles_its_subtrees_on_first_use() -> None:
    rules = []
    for i in range(150):
        rules += [
            Rule(f"/s{i}/about", endpoint=f"about{i}"),
            Rule(f"/s{i}/item/<int:id>", endpoint=f"item{i}", methods=["GET"]),
            Rule(f"/s{i}/files/<path:name>", endpoint=f"file{i}"),
        ]
    url_map = Map(rules)
    a = adapter(url_map)
    assert a.match("/s149/item/3") == ("item149", {"id": 3})


    def subtrees(function: t.Any) -> list[t.Any]:
        found = [v for k, v in function.__globals__.items() if k.startswith("S") and isinstance(v, list)]
        assert len(found) == 1
        return found[0]

    # The domain's function, then one function per first segment: only
    # the one a request reached is compiled.
    (domain,) = subtrees(url_map._matcher.find)
    sections = subtrees(domain)
    assert len(sections) == 150
    assert [type(f).__name__ for f in sections].count("function") == 1
    source = url_map.matcher_source()
    compile(source, "<test>", "exec")
    assert "'/s0/about'" in source and "'/s149/files/<path:name>'" in source
    for path, method in [("/s7/item/3", "POST"), ("/s7/files/a/b", "GET"), ("/s7/about/", "GET"), ("/s150/about", "GET")]:
        same(url_map, "", path, method)
    with pytest.raises(MethodNotAllowed):
        a.match("/s5/item/1", "POST")


def test_matcher_source_is_compilable_and_names_the_rules() -> None:
    url_map = Map(
        [
            Rule("/hello/<name>", endpoint="hello"),
            Rule("/api/<int:id>", endpoint="api", methods=["GET", "POST"]),
            Rule("/weird\n/<x>", endpoint="weird\x00"),
        ]
    )
    source = url_map.matcher_source()
    assert source.startswith("def match(")
    compile(source, "<matcher>", "exec")
    assert "'/hello/<name>'" in source and "'hello'" in source
    assert "'/api/<int:id>' (GET, HEAD, POST) -> 'api'" in source
    assert "\x00" not in source
    assert adapter(url_map).match("/weird\n/1") == ("weird\x00", {"x": "1"})


def test_source_follows_added_rules() -> None:
    url_map = Map([Rule("/a", endpoint="a")])
    assert "'/b'" not in url_map.matcher_source()
    url_map.add(Rule("/b", endpoint="b"))
    assert "'/b'" in url_map.matcher_source()
    assert adapter(url_map).match("/b") == ("b", {})


def test_the_raw_matcher_api_still_raises() -> None:
    url_map = Map([Rule("/a/", endpoint="a"), Rule("/m", endpoint="m", methods=["POST"])])
    url_map.update()
    matcher = url_map._matcher
    with pytest.raises(RequestPath) as redirect:
        matcher.match("", "/a", "GET", False)
    assert redirect.value.path_info == "/a/"
    with pytest.raises(NoMatch) as failure:
        matcher.match("", "/m", "GET", False)
    assert failure.value.have_match_for == {"POST"}
    assert failure.value.websocket_mismatch is False


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11),
    reason="reads CPython 3.11's object layout",
)
def test_matching_and_building_leave_instance_dicts_unmade() -> None:
    """On CPython 3.11 an instance whose ``__dict__`` was made (``vars()``)
    has every attribute read deoptimized; the fast-path checks must read
    attributes instead."""
    import ctypes

    def dict_made(obj: object) -> bool:
        # The managed dict pointer sits three words before the object.
        return ctypes.c_void_p.from_address(id(obj) - 3 * ctypes.sizeof(ctypes.c_void_p)).value is not None

    url_map = Map([Rule("/a/<int:x>/<name>", endpoint="a")])
    rule = next(url_map.iter_rules())
    watched = [rule, *rule._converters.values()]
    # (A process whose rules gained many attributes makes dicts from the
    # start: then there is nothing to check.)
    before = [dict_made(obj) for obj in watched]
    a = adapter(url_map)
    assert a.match("/a/1/b") == ("a", {"x": 1, "name": "b"})
    assert a.build("a", {"x": 2, "name": "c", "q": 1}) == "/a/2/c?q=1"
    assert [dict_made(obj) for obj in watched] == before


def test_a_rule_thousands_of_segments_deep_compiles() -> None:
    deep = "/" + "/".join(f"s{i}" for i in range(3000))
    url_map = Map([Rule(deep, endpoint="deep"), Rule("/x", endpoint="x")])
    assert adapter(url_map).match(deep) == ("deep", {})
    with pytest.raises(NotFound):
        adapter(url_map).match(deep[:-1])
