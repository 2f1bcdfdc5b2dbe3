from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit import datastructures as ds
from wsgikit.datastructures import (
    CallbackDict,
    CombinedMultiDict,
    HeaderSet,
    ImmutableDict,
    ImmutableList,
    ImmutableMultiDict,
    ImmutableTypeConversionDict,
    MultiDict,
    TypeConversionDict,
    iter_multi_items,
)


def _key_error_types() -> tuple[type, ...]:
    from wsgikit.exceptions import BadRequestKeyError

    return (BadRequestKeyError,)


# -- MultiDict construction ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (None, []),
        ([], []),
        ([("a", 1), ("b", 2), ("a", 3)], [("a", 1), ("a", 3), ("b", 2)]),
        ({"a": [1, 2], "b": 3}, [("a", 1), ("a", 2), ("b", 3)]),
        ({"a": (1, 2)}, [("a", 1), ("a", 2)]),
        ({"a": {1}}, [("a", 1)]),
        ({"a": []}, []),
        (MultiDict([("x", 1), ("x", 2)]), [("x", 1), ("x", 2)]),
        (iter([("k", "v")]), [("k", "v")]),
    ],
)
def test_multidict_construction(source, expected):
    md = MultiDict(source)
    assert list(md.items(multi=True)) == expected


def test_multidict_empty_list_in_mapping_drops_key():
    assert "a" not in MultiDict({"a": []})


def test_multidict_copy_from_multidict_is_independent():
    a = MultiDict([("x", 1)])
    b = MultiDict(a)
    b.add("x", 2)
    assert a.getlist("x") == [1]


# -- MultiDict reading --------------------------------------------------------


def test_multidict_getitem_and_getlist():
    md = MultiDict([("a", "1"), ("b", "2"), ("a", "3")])
    assert md["a"] == "1"
    assert md.getlist("a") == ["1", "3"]
    assert md.getlist("missing") == []
    # getlist returns a copy: editing it changes nothing
    md.getlist("a").append("x")
    assert md.getlist("a") == ["1", "3"]


def test_multidict_missing_key_is_bad_request_key_error():
    md = MultiDict()
    with pytest.raises(KeyError) as info:
        md["nope"]
    assert isinstance(info.value, _key_error_types())
    assert info.value.args == ("nope",)


def test_multidict_empty_list_via_setlist_reads_as_missing():
    md = MultiDict()
    md.setlist("a", [])
    assert "a" in md
    assert md.get("a") is None
    with pytest.raises(KeyError):
        md["a"]


@pytest.mark.parametrize(
    ("values", "type_", "expected"),
    [
        (["1", "x", "3"], int, [1, 3]),
        (["1", None], int, [1]),  # TypeError is skipped too
        (["a"], str.upper, ["A"]),
        (["1"], None, ["1"]),
    ],
)
def test_multidict_getlist_type(values, type_, expected):
    md = MultiDict([("k", v) for v in values])
    assert md.getlist("k", type=type_) == expected


@pytest.mark.parametrize(
    ("value", "default", "type_", "expected"),
    [
        ("42", None, int, 42),
        ("x", -1, int, -1),
        (None, -2, int, -2),
        ("abc", None, None, "abc"),
    ],
)
def test_multidict_get_type(value, default, type_, expected):
    md = MultiDict([("k", value)])
    assert md.get("k", default, type=type_) == expected
    assert md.get("missing", default, type=type_) == default


def test_multidict_views():
    md = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert list(md.items()) == [("a", 1), ("b", 2)]
    assert list(md.keys()) == ["a", "b"]
    assert list(md) == ["a", "b"]
    assert list(md.values()) == [1, 2]
    assert list(md.lists()) == [("a", [1, 3]), ("b", [2])]
    assert list(md.listvalues()) == [[1, 3], [2]]
    assert md.to_dict() == {"a": 1, "b": 2}
    assert md.to_dict(flat=False) == {"a": [1, 3], "b": [2]}
    assert len(md) == 2


# -- MultiDict writing --------------------------------------------------------


def test_multidict_setitem_add_setlist():
    md = MultiDict([("a", 1), ("a", 2)])
    md["a"] = 5
    assert md.getlist("a") == [5]
    md.add("a", 6)
    assert md.getlist("a") == [5, 6]
    md.setlist("b", iter([7, 8]))
    assert md.getlist("b") == [7, 8]


def test_multidict_setdefault_and_setlistdefault():
    md = MultiDict([("a", 1)])
    assert md.setdefault("a", 9) == 1
    assert md.setdefault("q", 9) == 9
    assert md.getlist("q") == [9]
    lst = md.setlistdefault("z", [1, 2])
    assert lst == [1, 2]
    lst.append(3)  # the stored list: edits stick
    assert md.getlist("z") == [1, 2, 3]
    assert md.setlistdefault("z", [0]) == [1, 2, 3]
    assert md.setlistdefault("empty") == []


def test_multidict_update_adds():
    md = MultiDict([("a", 1)])
    md.update({"a": [2, 3], "b": 4})
    md.update([("a", 5)])
    md.update(MultiDict([("c", 6), ("c", 7)]))
    assert list(md.items(multi=True)) == [
        ("a", 1), ("a", 2), ("a", 3), ("a", 5), ("b", 4), ("c", 6), ("c", 7)
    ]


def test_multidict_update_refuses_keywords():
    with pytest.raises(TypeError):
        MultiDict().update(a=1)  # type: ignore[call-arg]


def test_multidict_or_and_ior():
    md = MultiDict([("a", 1)])
    rv = md | {"a": [2], "b": 3}
    assert list(rv.items(multi=True)) == [("a", 1), ("a", 2), ("b", 3)]
    assert list(md.items(multi=True)) == [("a", 1)]
    md |= [("c", 4)]
    assert md.getlist("c") == [4]
    with pytest.raises(TypeError):
        md | [("x", 1)]  # type: ignore[operator]


def test_multidict_pop_family():
    md = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert md.pop("a") == 1
    assert "a" not in md
    assert md.pop("nope", "d") == "d"
    with pytest.raises(KeyError) as info:
        md.pop("nope")
    assert isinstance(info.value, _key_error_types())
    assert md.poplist("nope") == []
    md = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert md.popitem() == ("b", 2)
    assert md.popitemlist() == ("a", [1, 3])
    with pytest.raises(KeyError):
        md.popitem()
    with pytest.raises(KeyError):
        md.popitemlist()


def test_multidict_repr_and_equality():
    md = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert repr(md) == "MultiDict([('a', 1), ('a', 3), ('b', 2)])"
    assert repr(MultiDict()) == "MultiDict([])"
    assert md == MultiDict([("a", 1), ("a", 3), ("b", 2)])
    assert md != MultiDict([("a", 3), ("a", 1), ("b", 2)])


def test_multidict_copy_deepcopy_pickle():
    inner = [1]
    md = MultiDict([("a", inner), ("a", 2)])
    shallow = copy.copy(md)
    assert shallow == md and shallow is not md
    assert shallow.getlist("a")[0] is inner
    deep = copy.deepcopy(md)
    assert deep == md and deep.getlist("a")[0] is not inner
    assert md.deepcopy() == md
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        loaded = pickle.loads(pickle.dumps(md, proto))
        assert type(loaded) is MultiDict
        assert list(loaded.items(multi=True)) == [("a", [1]), ("a", 2)]


def test_multidict_large_input_is_linear():
    pairs = [(f"k{i % 1000}", str(i)) for i in range(200_000)]
    md = MultiDict(pairs)
    assert len(md) == 1000
    assert len(md.getlist("k7")) == 200


@given(st.lists(st.tuples(st.text(max_size=3), st.integers())))
def test_multidict_roundtrip_property(pairs):
    md = MultiDict(pairs)
    for key in {k for k, _ in pairs}:
        assert md.getlist(key) == [v for k, v in pairs if k == key]
        assert md[key] == next(v for k, v in pairs if k == key)
    assert MultiDict(list(md.items(multi=True))) == md
    assert pickle.loads(pickle.dumps(md)) == md


# -- Immutables ---------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.__setitem__("a", 1),
        lambda d: d.__delitem__("a"),
        lambda d: d.add("a", 1),
        lambda d: d.pop("a"),
        lambda d: d.popitem(),
        lambda d: d.poplist("a"),
        lambda d: d.popitemlist(),
        lambda d: d.setlist("a", []),
        lambda d: d.setlistdefault("a"),
        lambda d: d.setdefault("a"),
        lambda d: d.update({}),
        lambda d: d.clear(),
        lambda d: d.__ior__({}),
    ],
)
def test_immutable_multidict_refuses_changes(mutate):
    d = ImmutableMultiDict([("a", 1)])
    with pytest.raises(TypeError, match=r"^'ImmutableMultiDict' objects are immutable$"):
        mutate(d)
    assert list(d.items(multi=True)) == [("a", 1)]


def test_immutable_multidict_hash_copy_pickle():
    a = ImmutableMultiDict([("a", 1), ("a", 2)])
    b = ImmutableMultiDict([("a", 1), ("a", 2)])
    assert hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert copy.copy(a) is a
    mutable = a.copy()
    assert type(mutable) is MultiDict
    mutable.add("a", 3)
    assert a.getlist("a") == [1, 2]
    assert pickle.loads(pickle.dumps(a)) == a
    assert type(pickle.loads(pickle.dumps(a))) is ImmutableMultiDict
    assert repr(a) == "ImmutableMultiDict([('a', 1), ('a', 2)])"


@pytest.mark.parametrize(
    ("obj", "name"),
    [
        (ImmutableDict(a=1), "ImmutableDict"),
        (ImmutableTypeConversionDict(a=1), "ImmutableTypeConversionDict"),
    ],
)
def test_immutable_dicts(obj, name):
    for mutate in (
        lambda d: d.__setitem__("a", 2),
        lambda d: d.pop("a"),
        lambda d: d.update(b=1),
        lambda d: d.setdefault("b"),
        lambda d: d.popitem(),
        lambda d: d.clear(),
        lambda d: d.__delitem__("a"),
    ):
        with pytest.raises(TypeError, match=f"'{name}' objects are immutable"):
            mutate(obj)
    assert hash(obj) == hash(type(obj)(a=1))
    assert copy.copy(obj) is obj
    assert type(obj.copy()) is not type(obj)
    assert obj.copy() == {"a": 1}
    assert pickle.loads(pickle.dumps(obj)) == obj


def test_immutable_dict_repr_and_fromkeys():
    assert repr(ImmutableDict(a=1)) == "ImmutableDict({'a': 1})"
    d = ImmutableDict.fromkeys(["x", "y"], 0)
    assert type(d) is ImmutableDict and d == {"x": 0, "y": 0}


def test_immutable_list():
    lst = ImmutableList([1, 2])
    assert repr(lst) == "ImmutableList([1, 2])"
    for mutate in (
        lambda x: x.append(3),
        lambda x: x.extend([3]),
        lambda x: x.insert(0, 3),
        lambda x: x.pop(),
        lambda x: x.remove(1),
        lambda x: x.reverse(),
        lambda x: x.sort(),
        lambda x: x.__setitem__(0, 3),
        lambda x: x.__delitem__(0),
        lambda x: x.__iadd__([3]),
        lambda x: x.__imul__(2),
    ):
        with pytest.raises(TypeError, match="'ImmutableList' objects are immutable"):
            mutate(lst)
    assert lst == [1, 2]
    assert hash(lst) == hash(ImmutableList([1, 2]))
    assert pickle.loads(pickle.dumps(lst)) == lst


# -- TypeConversionDict -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_", "default", "expected"),
    [("1", int, None, 1), ("x", int, 0, 0), (None, int, 5, 5), ("y", None, None, "y")],
)
def test_type_conversion_dict(value, type_, default, expected):
    d = TypeConversionDict(k=value)
    assert d.get("k", default, type=type_) == expected
    assert d.get("nope", default, type=type_) == default


# -- CombinedMultiDict --------------------------------------------------------


def test_combined_multidict():
    first = MultiDict([("b", "1"), ("a", "x")])
    second = MultiDict([("a", "3"), ("c", "4")])
    c = CombinedMultiDict([first, second])
    assert c["a"] == "x"
    assert c.getlist("a") == ["x", "3"]
    assert c.getlist("a", type=int) == [3]
    assert c.get("a", type=int) == 3  # the first convertible value
    assert c.get("q", 5) == 5
    assert len(c) == 3 and "c" in c and "q" not in c
    assert sorted(c.keys()) == ["a", "b", "c"]
    assert sorted(c.items()) == [("a", "x"), ("b", "1"), ("c", "4")]
    assert sorted(c.items(multi=True)) == [("a", "3"), ("a", "x"), ("b", "1"), ("c", "4")]
    assert dict(c.lists()) == {"a": ["x", "3"], "b": ["1"], "c": ["4"]}
    assert c.to_dict() == {"a": "x", "b": "1", "c": "4"}
    cp = c.copy()
    assert type(cp) is MultiDict and cp.getlist("a") == ["x", "3"]
    with pytest.raises(KeyError):
        c["nope"]
    with pytest.raises(TypeError, match="'CombinedMultiDict' objects are immutable"):
        c["a"] = "z"
    with pytest.raises(TypeError):
        CombinedMultiDict.fromkeys(["a"])
    assert repr(c).startswith("CombinedMultiDict([MultiDict(")
    assert pickle.loads(pickle.dumps(c)).getlist("a") == ["x", "3"]


# -- OrderedMultiDict (deprecated) --------------------------------------------


def test_ordered_multidict_is_deprecated():
    with pytest.warns(DeprecationWarning, match="'OrderedMultiDict' is deprecated"):
        cls = ds.OrderedMultiDict
    with pytest.warns(DeprecationWarning, match="Use 'ImmutableMultiDict' instead"):
        ds.ImmutableOrderedMultiDict
    assert issubclass(cls, MultiDict)
    with pytest.raises(AttributeError):
        ds.NoSuchThing  # noqa: B018


def test_ordered_multidict_keeps_pair_order():
    with pytest.warns(DeprecationWarning):
        omd_cls = ds.OrderedMultiDict
        iomd_cls = ds.ImmutableOrderedMultiDict
    o = omd_cls([("a", 1), ("b", 2), ("a", 3)])
    assert list(o.items(multi=True)) == [("a", 1), ("b", 2), ("a", 3)]
    assert o["a"] == 1 and o.getlist("a") == [1, 3]
    o["a"] = 9  # moves to the end
    assert list(o.items(multi=True)) == [("b", 2), ("a", 9)]
    o.setlist("b", [5, 6])
    assert list(o.items(multi=True)) == [("a", 9), ("b", 5), ("b", 6)]
    with pytest.raises(TypeError, match="setlistdefault is unsupported"):
        o.setlistdefault("c")
    assert o.poplist("a") == [9]
    assert list(o.items(multi=True)) == [("b", 5), ("b", 6)]
    assert o == omd_cls([("b", 5), ("b", 6)])
    assert omd_cls([("a", 1), ("b", 2)]) != omd_cls([("b", 2), ("a", 1)])
    p = pickle.loads(pickle.dumps(omd_cls([("a", 1), ("b", 2), ("a", 3)])))
    assert list(p.items(multi=True)) == [("a", 1), ("b", 2), ("a", 3)]
    frozen = iomd_cls([("a", 1), ("b", 2)])
    assert hash(frozen) == hash(iomd_cls([("a", 1), ("b", 2)]))
    with pytest.raises(TypeError):
        frozen.add("a", 1)


# -- iter_multi_items ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (MultiDict([("a", 1), ("a", 2)]), [("a", 1), ("a", 2)]),
        ({"a": [1, 2], "b": "x"}, [("a", 1), ("a", 2), ("b", "x")]),
        ([("a", 1), ("a", 2)], [("a", 1), ("a", 2)]),
        ({"s": "abc"}, [("s", "abc")]),  # strings are not spread
    ],
)
def test_iter_multi_items(source, expected):
    assert list(iter_multi_items(source)) == expected


# -- CallbackDict -------------------------------------------------------------


def test_callback_dict_reports_only_changes():
    calls = []
    d = CallbackDict({"a": 1}, on_update=lambda x: calls.append(dict(x)))
    d.pop("missing", None)
    d.setdefault("a", 5)
    assert calls == []
    with pytest.raises(KeyError):
        d.pop("missing")
    assert calls == []
    d.pop("a")
    d.setdefault("b", 2)
    d["c"] = 3
    del d["c"]
    d.update(x=1)
    d |= {"y": 2}
    d.popitem()
    d.clear()
    assert calls == [{}, {"b": 2}, {"b": 2, "c": 3}, {"b": 2}, {"b": 2, "x": 1},
                     {"b": 2, "x": 1, "y": 2}, {"b": 2, "x": 1}, {}]
    assert repr(CallbackDict({"a": 1})) == "<CallbackDict {'a': 1}>"


# -- HeaderSet ----------------------------------------------------------------


def test_header_set():
    calls = []
    h = HeaderSet(["foo", "Bar"], on_update=lambda s: calls.append(list(s)))
    assert "bar" in h and "BAR" in h and 1 not in h
    assert h.find("BAR") == 1 and h.find("nope") == -1
    assert h.as_set() == {"foo", "bar"}
    assert h.as_set(preserve_casing=True) == {"foo", "Bar"}
    h.add("FOO")  # already there: no change, no report
    assert calls == []
    h.add("baz")
    assert calls == [["foo", "Bar", "baz"]]
    h.discard("nope")
    h.remove("BAZ")
    with pytest.raises(KeyError):
        h.remove("nope")
    with pytest.raises(IndexError):
        h.index("nope")
    h[0] = "qq"
    assert list(h) == ["qq", "Bar"] and h[1] == "Bar"
    del h[0]
    h.update(["x", "bar"])
    assert list(h) == ["Bar", "x"] and len(h) == 2
    assert repr(h) == "HeaderSet(['Bar', 'x'])"
    h.clear()
    assert not h and repr(h) == "HeaderSet([])"


def test_header_set_to_header_quotes():
    h = HeaderSet(["a", "b c"])
    assert h.to_header() == 'a, "b c"'
    assert str(HeaderSet(["Accept", "Cookie"])) == "Accept, Cookie"


def test_header_set_add_calls_on_update_only_on_change() -> None:
    from wsgikit.datastructures import HeaderSet

    seen: list[str] = []
    hs = HeaderSet(["Accept"], lambda s: seen.append(s.to_header()))
    hs.add("accept")
    assert seen == []
    hs.add("Cookie")
    assert seen == ["Accept, Cookie"]
    assert "cookie" in hs and hs.find("COOKIE") == 1
