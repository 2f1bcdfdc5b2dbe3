"""The URL builders' fast paths against the general path.

PERF shortcuts in building: the generated builders inline the stock
converters' ``to_url`` (quoting, ``str(int(value))``), stock rules encode
the extra values in one pass (:func:`_encode_extra`) instead of collecting
them and calling ``Rule._encode_query_vars``, and ``quote_path`` /
``_encode_query`` skip urllib for plain texts.  Here every shortcut is
compared with the general path: a map whose rule class and converter
classes override those methods (calling the stock ones), so the builders
take the general form, must build the very same URLs (or fail the same way).
"""

from __future__ import annotations

import typing as t
from urllib.parse import quote
from urllib.parse import quote_plus
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.datastructures import MultiDict
from wsgikit.routing import BaseConverter
from wsgikit.routing import BuildError
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.routing.converters import DEFAULT_CONVERTERS
from wsgikit.routing.converters import PATH_SAFE
from wsgikit.routing.converters import IntegerConverter
from wsgikit.routing.converters import quote_path
from wsgikit.routing.rules import QUERY_SAFE
from wsgikit.routing.rules import _encode_extra
from wsgikit.routing.rules import _encode_query
from wsgikit.routing.rules import _query_items


class PlusListConverter(BaseConverter):
    """A custom converter: a list joined with ``+``."""

    regex = r"[^/]+"

    def to_python(self, value: str) -> list[str]:
        return value.split("+")

    def to_url(self, value: t.Any) -> str:
        items = value if isinstance(value, (list, tuple)) else [value]
        return "+".join(quote_path(str(item)) for item in items)


class MethodNumber(IntegerConverter):
    """``num_convert`` as a method (bound on the instance, as ``to_url`` calls it)."""

    def num_convert(self, value: t.Any) -> int:  # type: ignore[override]  # a method, not the stock ``int``
        return int(value) * 10


class ShoutingDefault(BaseConverter):
    """A subclass overriding ``to_url`` of the default converter."""

    def to_url(self, value: t.Any) -> str:
        return super().to_url(str(value).upper())


CUSTOM = {"plus": PlusListConverter, "tens": MethodNumber, "shout": ShoutingDefault}


def _general_converter(cls: type[BaseConverter]) -> type[BaseConverter]:
    """A subclass whose ``to_url`` is not the stock function (the builder
    calls it instead of inlining it), doing the same."""

    def to_url(self: BaseConverter, value: t.Any) -> str:
        return cls.to_url(self, value)

    return type(f"General{cls.__name__}", (cls,), {"to_url": to_url})


class GeneralRule(Rule):
    """A rule class that overrides ``_encode_query_vars`` (with the same
    behaviour), so its builders take the general form."""

    def _encode_query_vars(self, query_vars: t.Mapping[str, t.Any]) -> str:
        return super()._encode_query_vars(query_vars)


RULES: list[tuple[str, str, dict[str, t.Any] | None]] = [
    ("/", "index", None),
    ("/a/<x>", "a", None),
    ("/n/<int:n>", "n", None),
    ("/fixed/<int(fixed_digits=3):n>", "fixed", None),
    ("/signed/<int(signed=True):n>", "signed", None),
    ("/fl/<float:x>", "fl", None),
    ("/p/<path:p>/end", "p", None),
    ("/any/<any(a, 'b c'):x>", "any", None),
    ("/two/<x>/<int:n>.html", "two", None),
    ("/plus/<plus:x>", "plus", None),
    ("/tens/<tens:n>", "tens", None),
    ("/shout/<shout:x>", "shout", None),
    ("/dflt", "dflt", {"x": "home"}),
    ("/dflt/<x>", "dflt", None),
    ("//double//<x>//", "double", None),
    ("/len/<string(length=2):x>", "len", None),
]
ENDPOINTS = sorted({endpoint for _, endpoint, _ in RULES})
NAMES = ["x", "n", "p", "q", "page", "tag", "sort", "x y", "&=", "\xe9"]

scalars = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["a", "b c", "post-1", "x/y", "100%", "a+b", "~_.-", "!$'()*,/:;?@"]),
    st.integers(min_value=-50, max_value=10**6),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.binary(max_size=3),
    st.none(),
)
values_strategy = st.one_of(scalars, st.lists(scalars, max_size=3), st.tuples(scalars, scalars))
mappings = st.dictionaries(st.sampled_from(NAMES), values_strategy, max_size=5)


def _sort_key(item: tuple[t.Any, t.Any]) -> tuple[str, str]:
    return (str(item[0]), repr(item[1]))


def _maps(options: dict[str, t.Any]) -> tuple[Map, Map]:
    stock_converters = dict(CUSTOM)
    general_converters = {name: _general_converter(cls) for name, cls in {**DEFAULT_CONVERTERS, **CUSTOM}.items()}
    fast = Map([Rule(s, endpoint=e, defaults=d) for s, e, d in RULES], converters=stock_converters, **options)
    general = Map([GeneralRule(s, endpoint=e, defaults=d) for s, e, d in RULES], converters=general_converters, **options)
    return fast, general


def _outcome(build: t.Callable[[], str]) -> tuple[str, t.Any]:
    try:
        return ("url", build())
    except BuildError:
        return ("build error", None)
    except Exception as error:  # a converter refusing a value: same error both ways
        return ("error", type(error))


map_options = st.fixed_dictionaries(
    {
        "sort_parameters": st.booleans(),
        "sort_key": st.sampled_from([None, _sort_key]),
        "merge_slashes": st.booleans(),
        "strict_slashes": st.booleans(),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    options=map_options,
    endpoint=st.sampled_from(ENDPOINTS),
    values=mappings,
    as_multidict=st.booleans(),
    append_unknown=st.booleans(),
    force_external=st.booleans(),
)
def test_fast_builders_equal_the_general_path(
    options: dict[str, t.Any],
    endpoint: str,
    values: dict[str, t.Any],
    as_multidict: bool,
    append_unknown: bool,
    force_external: bool,
) -> None:
    fast_map, general_map = _maps(options)
    fast, general = fast_map.bind("example.com", "/app"), general_map.bind("example.com", "/app")

    def given_values() -> t.Mapping[str, t.Any]:
        if not as_multidict:
            return dict(values)
        flat = [(k, v) for k, value in values.items() for v in (value if isinstance(value, list) else [value])]
        return MultiDict(flat)

    def build_with(adapter: t.Any) -> t.Callable[[], str]:
        return lambda: adapter.build(
            endpoint, given_values(), append_unknown=append_unknown, force_external=force_external
        )

    assert _outcome(build_with(fast)) == _outcome(build_with(general))
    # Rule.build straight away (any mapping, no cleaning by the adapter).
    for fast_rule, general_rule in zip(fast_map.iter_rules(endpoint), general_map.iter_rules(endpoint)):
        assert _outcome(lambda: fast_rule.build(given_values(), append_unknown)) == _outcome(
            lambda: general_rule.build(given_values(), append_unknown)
        )


@settings(max_examples=300, deadline=None)
@given(
    values=st.one_of(mappings, mappings.map(lambda d: MultiDict(list(d.items())))),
    arguments=st.sets(st.sampled_from(NAMES), max_size=3),
    sort_parameters=st.booleans(),
    sort_key=st.sampled_from([None, _sort_key]),
)
def test_one_pass_query_encoding_equals_the_rule_method(
    values: t.Mapping[str, t.Any], arguments: set[str], sort_parameters: bool, sort_key: t.Any
) -> None:
    url_map = Map(sort_parameters=sort_parameters, sort_key=sort_key)
    rule = Rule("/", endpoint="x")
    rule.bind(url_map)
    extra = {k: v for k, v in values.items() if k not in arguments}

    def fast() -> str:
        return _encode_extra(values, arguments, url_map)

    def general() -> str:
        return rule._encode_query_vars(extra)

    assert _outcome(fast) == _outcome(general)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12) | st.sampled_from(["post-1", "a b", "~x.y_z-", "!$&'()*+,/:;=@", "%41", "\u2603"]))
def test_quote_path_equals_urllib(text: str) -> None:
    assert quote_path(text) == quote(text, safe=PATH_SAFE)


keys = st.one_of(st.text(max_size=5), st.integers(), st.binary(max_size=3))
item_values = st.one_of(
    st.text(max_size=6), st.sampled_from(["a b", "a+b", "x y z"]), st.integers(), st.booleans(), st.floats(width=16), st.binary(max_size=3)
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(keys, item_values), max_size=5))
def test_query_encoder_equals_urlencode(items: list[tuple[t.Any, t.Any]]) -> None:
    assert _encode_query(items) == urlencode(items, safe=QUERY_SAFE)
    for key, value in items:
        if isinstance(value, str):
            assert _encode_query([("k", value)]) == f"k={quote_plus(value, safe=QUERY_SAFE)}"


def test_query_items_flatten_lists_and_drop_none() -> None:
    assert _query_items({"a": [1, None, 2], "b": None, "c": ("x",)}) == [("a", 1), ("a", 2), ("c", "x")]


# -- the choices each rule's builder makes, and the overrides they honour ------------


def test_stock_rules_encode_in_one_pass_and_subclasses_do_not() -> None:
    assert Rule._stock_query_encoding is True
    assert GeneralRule._stock_query_encoding is False

    class Unrelated(Rule):
        def get_empty_kwargs(self) -> t.Mapping[str, t.Any]:
            return super().get_empty_kwargs()

    assert Unrelated._stock_query_encoding is True
    url_map = Map([Rule("/s", endpoint="s"), GeneralRule("/g", endpoint="g")])
    adapter = url_map.bind("h")
    assert adapter.build("s", {"q": "a b"}) == "/s?q=a+b"
    assert adapter.build("g", {"q": "a b"}) == "/g?q=a+b"
    assert "encode(values, args, url_map)" in url_map._rules_by_endpoint["s"][0]._build_source
    assert "encode(extra)" in url_map._rules_by_endpoint["g"][0]._build_source


def test_a_subclass_query_encoding_is_used() -> None:
    class Marked(Rule):
        def _encode_query_vars(self, query_vars: t.Mapping[str, t.Any]) -> str:
            return "marked=" + ",".join(sorted(query_vars))

    adapter = Map([Marked("/m/<x>", endpoint="m")]).bind("h")
    assert adapter.build("m", {"x": "1", "b": 2, "a": 1}) == "/m/1?marked=a,b"
    assert adapter.build("m", {"x": "1"}) == "/m/1"


def test_an_instance_query_encoding_is_used() -> None:
    rule = Rule("/i", endpoint="i")
    rule._encode_query_vars = lambda query_vars: "mine=1"  # type: ignore[method-assign]  # the override under test
    adapter = Map([rule]).bind("h")
    assert adapter.build("i", {"anything": "x"}) == "/i?mine=1"


def test_sort_parameters_changed_after_building_is_honoured() -> None:
    url_map = Map([Rule("/s", endpoint="s")])
    adapter = url_map.bind("h")
    assert adapter.build("s", {"b": 1, "a": 2}) == "/s?b=1&a=2"
    url_map.sort_parameters = True
    assert adapter.build("s", {"b": 1, "a": 2}) == "/s?a=2&b=1"
    url_map.sort_key = lambda item: -item[1]
    assert adapter.build("s", {"b": 1, "a": 2}) == "/s?a=2&b=1"
    assert adapter.build("s", {"b": 3, "a": 2}) == "/s?b=3&a=2"


def test_an_instance_to_url_override_is_used() -> None:
    class Overriding(Rule):
        def get_converter(self, variable_name: str, converter_name: str, args: t.Any, kwargs: t.Any) -> BaseConverter:
            converter = super().get_converter(variable_name, converter_name, args, kwargs)
            converter.to_url = lambda value: f"<{value}>"  # type: ignore[method-assign]  # the override under test
            return converter

    adapter = Map([Overriding("/o/<x>/<int:n>", endpoint="o")]).bind("h")
    assert adapter.build("o", {"x": "a", "n": 1}) == "/o/<a>/<1>"


def test_a_num_convert_method_is_bound() -> None:
    adapter = Map([Rule("/t/<tens:n>", endpoint="t")], converters={"tens": MethodNumber}).bind("h")
    assert adapter.build("t", {"n": 4}) == "/t/40"
    assert adapter.match("/t/7") == ("t", {"n": 70})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("post-1", "/a/post-1"), ("a b", "/a/a%20b"), ("~x._-", "/a/~x._-"), ("a;b=c", "/a/a;b=c"), ("\xe9", "/a/%C3%A9")],
)
def test_path_values_quoted(value: str, expected: str) -> None:
    assert Map([Rule("/a/<x>", endpoint="a")]).bind("h").build("a", {"x": value}) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"q": "term 1", "page": 3}, "/s?q=term+1&page=3"),
        ({"q": "a+b c"}, "/s?q=a%2Bb+c"),
        ({"k y": "v", "n": True}, "/s?k+y=v&n=True"),
        ({"tags": ["a b", None, 2], "none": None, "t": ("x",)}, "/s?tags=a+b&tags=2&t=x"),
        ({"b": b"by tes", 3: "int key"}, "/s?b=by+tes&3=int+key"),
        # Texts that would pass for extra pairs once joined must be quoted.
        ({"q": "a&b=c", "x": 1}, "/s?q=a%26b%3Dc&x=1"),
        ({"k": "a&b"}, "/s?k=a%26b"),
        ({"a=b": "c"}, "/s?a%3Db=c"),
        ({"a": "=", "b": "&"}, "/s?a=%3D&b=%26"),
        ({"t": ["x&y=z", "w"]}, "/s?t=x%26y%3Dz&t=w"),
    ],
)
def test_query_values_encoded(values: dict[t.Any, t.Any], expected: str) -> None:
    assert Map([Rule("/s", endpoint="s")]).bind("h").build("s", values) == expected
