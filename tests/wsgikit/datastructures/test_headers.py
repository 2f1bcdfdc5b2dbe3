from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit.datastructures import EnvironHeaders, Headers, MultiDict


def _bad_request_key_error() -> type:
    from wsgikit.exceptions import BadRequestKeyError

    return BadRequestKeyError


# -- construction and reading -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (None, []),
        ([("A", "1"), ("b", 2)], [("A", "1"), ("b", "2")]),
        ([["A", "1"]], [("A", "1")]),
        ((("A", "1"),), [("A", "1")]),
        ({"a": [1, 2], "b": "x"}, [("a", "1"), ("a", "2"), ("b", "x")]),
        (MultiDict([("a", "1"), ("a", "2")]), [("a", "1"), ("a", "2")]),
        (Headers([("X", "y")]), [("X", "y")]),
    ],
)
def test_construction(source, expected):
    assert Headers(source).to_wsgi_list() == expected


def test_case_insensitive_lookup():
    h = Headers([("Content-Type", "text/html"), ("X-Foo", "1"), ("x-foo", "2")])
    assert h["content-type"] == "text/html"
    assert h["X-FOO"] == "1"
    assert h.get("x-Foo") == "1"
    assert h.getlist("X-foo") == ["1", "2"]
    assert h.get_all("x-foo") == ["1", "2"]
    assert "CONTENT-TYPE" in h and "nope" not in h and 1 not in h
    assert h[0] == ("Content-Type", "text/html")
    sliced = h[1:]
    assert type(sliced) is Headers and sliced.to_wsgi_list() == [("X-Foo", "1"), ("x-foo", "2")]
    assert len(h) == 3
    assert list(h) == [("Content-Type", "text/html"), ("X-Foo", "1"), ("x-foo", "2")]
    assert list(h.keys()) == ["Content-Type", "X-Foo", "x-foo"]
    assert list(h.keys(lower=True)) == ["content-type", "x-foo", "x-foo"]
    assert list(h.values()) == ["text/html", "1", "2"]
    assert list(h.items(lower=True))[0] == ("content-type", "text/html")


def test_missing_key_errors():
    h = Headers([("a", "1")])
    with pytest.raises(KeyError) as info:
        h["nope"]
    assert isinstance(info.value, _bad_request_key_error())
    with pytest.raises(IndexError):
        h[5]
    assert h.get("nope") is None
    assert h.get("nope", "d") == "d"


@pytest.mark.parametrize(
    ("value", "type_", "default", "expected"),
    [("5", int, None, 5), ("x", int, 3, 3), ("x", lambda v: int("z"), None, None), ("v", None, None, "v")],
)
def test_get_with_type(value, type_, default, expected):
    h = Headers([("K", value)])
    assert h.get("k", default, type=type_) == expected


def test_getlist_with_type_skips_bad_values():
    h = Headers([("n", "1"), ("n", "x"), ("N", "3")])
    assert h.getlist("n", type=int) == [1, 3]


# -- writing --------------------------------------------------------------------


def test_add_converts_to_str_and_keeps_duplicates():
    h = Headers()
    h.add("X-N", 5)
    h.add_header("x-n", "6")
    assert h.getlist("x-n") == ["5", "6"]
    h.set("A", None)
    assert h["a"] == "None"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"filename": "a b.txt"}, 'attachment; filename="a b.txt"'),
        ({"filename": "a.txt"}, "attachment; filename=a.txt"),
        ({"x_y": "1", "z": None}, "attachment; x-y=1"),
    ],
)
def test_add_with_options(kwargs, expected):
    h = Headers()
    h.add("Content-Disposition", "attachment", **kwargs)
    assert h["Content-Disposition"] == expected
    h.set("Content-Disposition", "attachment", **kwargs)
    assert h.getlist("content-disposition") == [expected]


def test_set_replaces_in_place():
    h = Headers([("a", "1"), ("b", "2"), ("A", "3"), ("c", "4")])
    h.set("A", "9")
    assert h.to_wsgi_list() == [("A", "9"), ("b", "2"), ("c", "4")]
    h.set("new", "x")
    assert h.to_wsgi_list()[-1] == ("new", "x")


def test_setlist_setdefault_setlistdefault():
    h = Headers([("x-foo", "1"), ("y", "0"), ("X-Foo", "2")])
    h.setlist("x-foo", ["a", "b"])
    assert h.to_wsgi_list() == [("x-foo", "a"), ("y", "0"), ("x-foo", "b")]
    h.setlist("y", [])
    assert "y" not in h
    assert h.setdefault("x-foo", "z") == "a"
    assert h.setdefault("q", 7) == "7"
    assert h.setlistdefault("x-foo", ["z"]) == ["a", "b"]
    assert h.setlistdefault("w", ["1", "2"]) == ["1", "2"]


def test_update_replaces_and_extend_adds():
    h = Headers({"a": [1, 2], "b": "x"})
    h.update({"a": "z"}, c=[1, 2])
    assert h.to_wsgi_list() == [("a", "z"), ("b", "x"), ("c", "1"), ("c", "2")]
    h.update([("b", "1"), ("b", "2")])  # pairs are set in turn
    assert h.getlist("b") == ["2"]
    h.update(Headers([("c", "9"), ("C", "8")]))
    assert h.getlist("c") == ["9", "8"]
    h.extend({"a": "q"}, d="e")
    assert h.getlist("a") == ["z", "q"] and h["d"] == "e"
    h.extend([("d", "f")])
    assert h.getlist("d") == ["e", "f"]


def test_or_and_ior():
    h = Headers([("a", "1")])
    rv = h | {"b": "2"}
    assert type(rv) is Headers and rv.to_wsgi_list() == [("a", "1"), ("b", "2")]
    assert h.to_wsgi_list() == [("a", "1")]
    h |= {"a": "2"}
    assert h.to_wsgi_list() == [("a", "2")]
    with pytest.raises(TypeError):
        h | [("x", "y")]  # type: ignore[operator]


def test_delete_remove_pop_popitem():
    h = Headers([("a", "1"), ("b", "2"), ("A", "3"), ("c", "4")])
    del h["a"]
    assert h.to_wsgi_list() == [("b", "2"), ("c", "4")]
    del h["nope"]  # no error
    h.remove("nope")
    del h[0]
    assert h.to_wsgi_list() == [("c", "4")]
    h = Headers([("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
    del h[1:3]
    assert h.to_wsgi_list() == [("a", "1"), ("d", "4")]
    h = Headers([("a", "1"), ("b", "2"), ("c", "3"), ("B", "5")])
    assert h.pop() == ("B", "5")
    assert h.pop(0) == ("a", "1")
    assert h.pop("B") == "2"
    assert h.pop("nope", "d") == "d"
    with pytest.raises(KeyError) as info:
        h.pop("nope")
    assert isinstance(info.value, _bad_request_key_error())
    assert h.popitem() == ("c", "3")
    with pytest.raises(IndexError):
        h.popitem()
    h = Headers([("a", "1")])
    h.clear()
    assert len(h) == 0


def test_setitem_by_name_index_slice():
    h = Headers([("a", "1"), ("b", "2"), ("c", "3")])
    h[0] = ("x", 9)
    assert h[0] == ("x", "9")
    h[1:] = [("y", "1")]
    assert h.to_wsgi_list() == [("x", "9"), ("y", "1")]
    h["Y"] = "5"
    assert h.to_wsgi_list() == [("x", "9"), ("Y", "5")]


# -- refusing header injection -------------------------------------------------

_BAD = ["a\nb", "a\rb", "a\r\nb", "a\x00b", "\n", "x\r\nSet-Cookie: evil=1"]


@pytest.mark.parametrize("bad", _BAD)
@pytest.mark.parametrize(
    "use",
    [
        lambda h, bad: h.add("X", bad),
        lambda h, bad: h.add(bad, "v"),
        lambda h, bad: h.set("X", bad),
        lambda h, bad: h.set(bad, "v"),
        lambda h, bad: h.__setitem__("X", bad),
        lambda h, bad: h.__setitem__(0, ("X", bad)),
        lambda h, bad: h.__setitem__(0, (bad, "v")),
        lambda h, bad: h.__setitem__(slice(0, 1), [("X", bad)]),
        lambda h, bad: h.setlist("X", ["ok", bad]),
        lambda h, bad: h.extend({"X": bad}),
        lambda h, bad: h.update({"X": bad}),
        lambda h, bad: h.setdefault("Y", bad),
        lambda h, bad: Headers([("X", bad)]),
        lambda h, bad: Headers([(bad, "v")]),
        lambda h, bad: Headers({"X": [bad]}),
        lambda h, bad: h.add("X", "v", option=bad),
    ],
)
def test_control_characters_refused(use, bad):
    h = Headers([("Keep", "1")])
    with pytest.raises(ValueError, match="must not contain"):
        use(h, bad)
    assert h.to_wsgi_list()[0] == ("Keep", "1")
    assert all("\n" not in k + v and "\r" not in k + v and "\x00" not in k + v for k, v in h)


def test_refusal_messages():
    with pytest.raises(ValueError, match="^Header values must not contain newline characters.$"):
        Headers().add("a", "b\nc")
    with pytest.raises(ValueError, match="^Header values must not contain NUL characters.$"):
        Headers().add("a", "b\x00c")
    with pytest.raises(ValueError, match="^Header names must not contain newline characters.$"):
        Headers().add("a\r", "b")
    with pytest.raises(ValueError, match="^Header names must not contain NUL characters.$"):
        Headers().add("a\x00", "b")


@pytest.mark.parametrize(
    "use",
    [
        lambda name: Headers([(name, "v")]),
        lambda name: Headers({name: "v"}),
        lambda name: Headers().add(name, "v"),
        lambda name: Headers().set(name, "v"),
        lambda name: Headers().extend([(name, "v")]),
        lambda name: Headers().setdefault(name, "v"),
    ],
)
@pytest.mark.parametrize(("name", "type_name"), [(1, "int"), (b"x", "bytes"), (None, "NoneType")])
def test_non_str_names_refused_clearly(use, name, type_name):
    # A non-string name could never be written to the response; say so
    # instead of failing inside a containment check.
    with pytest.raises(TypeError, match=f"^Header names must be strings, not '{type_name}'.$"):
        use(name)


# -- comparison, copies, formatting ---------------------------------------------


def test_equality_ignores_order_and_name_case():
    assert Headers([("a", "1"), ("b", "2")]) == Headers([("B", "2"), ("A", "1")])
    assert Headers([("a", "1")]) != Headers([("a", "2")])
    assert Headers([("a", "1")]) != [("a", "1")]

    class Sub(Headers):
        pass

    assert Headers([("a", "1")]) != Sub([("a", "1")])
    with pytest.raises(TypeError):
        hash(Headers())


def test_copies_and_pickle():
    h = Headers([("a", "1")])
    for other in (h.copy(), copy.copy(h), copy.deepcopy(h), pickle.loads(pickle.dumps(h))):
        assert other == h and other is not h
        other.add("b", "2")
        assert "b" not in h


def test_str_and_repr():
    h = Headers([("Content-Type", "text/html"), ("X", "1")])
    assert str(h) == "Content-Type: text/html\r\nX: 1\r\n\r\n"
    assert repr(h) == "Headers([('Content-Type', 'text/html'), ('X', '1')])"
    wsgi = h.to_wsgi_list()
    wsgi.append(("Y", "2"))
    assert len(h) == 2


def test_many_headers_linear():
    h = Headers([(f"X-{i}", str(i)) for i in range(20_000)])
    assert h.get("x-19999") == "19999"
    h.set("X-5", "new")
    assert len(h) == 20_000
    h.remove("x-6")
    assert len(h) == 19_999


@given(st.lists(st.tuples(st.sampled_from(["a", "A", "b", "Content-Type"]), st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00"), max_size=5))))
def test_headers_lookup_property(pairs):
    h = Headers(pairs)
    for name in ("a", "b", "content-type"):
        expected = [v for k, v in pairs if k.lower() == name]
        assert h.getlist(name) == expected
        assert h.get(name) == (expected[0] if expected else None)
        assert (name in h) == bool(expected)


# -- EnvironHeaders -------------------------------------------------------------

_ENV = {
    "HTTP_X_FOO": "1",
    "CONTENT_TYPE": "text/plain",
    "CONTENT_LENGTH": "",
    "HTTP_CONTENT_TYPE": "ignored",
    "HTTP_HOST": "example.org",
    "SERVER_NAME": "x",
    "HTTP_X_BAR": "b\xc3\xa9",
}


def test_environ_headers_reading():
    e = EnvironHeaders(_ENV)
    assert list(e) == [
        ("X-Foo", "1"),
        ("Content-Type", "text/plain"),
        ("Host", "example.org"),
        ("X-Bar", "b\xc3\xa9"),
    ]
    assert len(e) == 4
    assert e["x-foo"] == "1" and e["X_FOO"] == "1"
    assert e["Content-Type"] == "text/plain"
    assert e.get("content-length") == ""  # present in the environ, even if empty
    assert e.get("host") == "example.org"
    assert e.get("x-missing", "d") == "d"
    assert e.get("x-foo", type=int) == 1
    assert e.get("host", -1, type=int) == -1
    assert e.getlist("x-foo") == ["1"] and e.getlist("nope") == []
    assert "X-Foo" in e and "nope" not in e and 0 not in e
    assert list(e.keys(lower=True)) == ["x-foo", "content-type", "host", "x-bar"]
    assert e.to_wsgi_list()[0] == ("X-Foo", "1")
    assert Headers(e).get("host") == "example.org"
    assert repr(e).startswith("EnvironHeaders([('X-Foo', '1')")


def test_environ_headers_missing_keys():
    e = EnvironHeaders(_ENV)
    with pytest.raises(KeyError) as info:
        e["nope"]
    assert info.value.args == ("HTTP_NOPE",)
    with pytest.raises(KeyError) as info:
        e[0]  # type: ignore[index]
    assert isinstance(info.value, _bad_request_key_error())


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e: e.add("a", "b"),
        lambda e: e.add_header("a", "b"),
        lambda e: e.set("a", "b"),
        lambda e: e.setlist("a", ["b"]),
        lambda e: e.setdefault("a", "b"),
        lambda e: e.setlistdefault("a", ["b"]),
        lambda e: e.__setitem__("a", "b"),
        lambda e: e.__delitem__("x-foo"),
        lambda e: e.remove("x-foo"),
        lambda e: e.pop("x-foo"),
        lambda e: e.popitem(),
        lambda e: e.extend({"a": "b"}),
        lambda e: e.update({"a": "b"}),
        lambda e: e.__ior__({"a": "b"}),
        lambda e: e.insert(0, ("a", "b")),
        lambda e: e.clear(),
    ],
)
def test_environ_headers_immutable(mutate):
    env = dict(_ENV)
    e = EnvironHeaders(env)
    with pytest.raises(TypeError, match="^'EnvironHeaders' objects are immutable$"):
        mutate(e)
    assert env == _ENV


def test_environ_headers_no_copies_and_identity_equality():
    e = EnvironHeaders(_ENV)
    with pytest.raises(TypeError, match="cannot create 'EnvironHeaders' copies"):
        e.copy()
    with pytest.raises(TypeError, match="cannot create 'EnvironHeaders' copies"):
        e | {}
    assert e == EnvironHeaders(_ENV)
    assert e != EnvironHeaders(dict(_ENV))
    assert e != Headers(e)
