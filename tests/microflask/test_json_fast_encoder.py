"""DefaultJSONProvider.dumps through the reused C encoder against
:func:`json.dumps` with the same settings (the general path), and the
JSON response against Flask's (run as a black box)."""

from __future__ import annotations

import datetime
import decimal
import json
import math
import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import microflask
from microflask.json import provider as provider_module
from microflask.json.provider import DefaultJSONProvider

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from([datetime.date(2024, 1, 2), decimal.Decimal("1.5")])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.integers(-3, 3), inner, max_size=3),
    max_leaves=12,
)


class FakeApp:
    response_class = microflask.Response
    debug = False


def general(provider: DefaultJSONProvider, obj: t.Any, **kwargs: t.Any) -> t.Any:
    try:
        return json.dumps(
            obj, default=provider.default, ensure_ascii=provider.ensure_ascii, sort_keys=provider.sort_keys, **kwargs
        )
    except Exception as e:
        return ("raised", type(e), str(e))


def fast(provider: DefaultJSONProvider, obj: t.Any, **kwargs: t.Any) -> t.Any:
    try:
        return provider.dumps(obj, **kwargs)
    except Exception as e:
        return ("raised", type(e), str(e))


def same(a: t.Any, b: t.Any) -> bool:
    # NaN != NaN, so compare the encoded text (or the error).
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


@given(
    obj=VALUES,
    ensure_ascii=st.booleans(),
    sort_keys=st.booleans(),
    kwargs=st.sampled_from([{}, {"separators": (",", ":")}, {"indent": 2}, {"separators": (", ", ": ")}]),
)
@settings(max_examples=400, deadline=None)
def test_reused_encoder_matches_json_dumps(obj: t.Any, ensure_ascii: bool, sort_keys: bool, kwargs: dict[str, t.Any]) -> None:
    provider = DefaultJSONProvider(FakeApp())
    provider.ensure_ascii = ensure_ascii
    provider.sort_keys = sort_keys
    assert same(fast(provider, obj, **kwargs), general(provider, obj, **kwargs))


def test_c_encoder_is_used_and_only_when_the_stdlib_would() -> None:
    provider = DefaultJSONProvider(FakeApp())
    provider.dumps({"a": 1}, separators=(",", ":"))
    provider.dumps({"a": 1}, indent=2)
    entries = {key[3:]: entry for key, entry in provider_module._encoders.items() if key[0] is provider.default}
    assert entries[((",", ":"), None)][1] is not None
    assert entries[(None, 2)][1] is None  # indented output: the stdlib's Python encoder


@pytest.mark.parametrize(
    "obj",
    ["plain", "\u00e9\u2028</script>", 1.5, float("nan"), [float("inf")], {"b": 1, "a": [None, True]}, {1: "x", 2: "y"}],
)
def test_edge_values(obj: t.Any) -> None:
    provider = DefaultJSONProvider(FakeApp())
    for kwargs in ({}, {"separators": (",", ":")}):
        assert fast(provider, obj, **kwargs) == general(provider, obj, **kwargs)


def test_errors_are_the_same() -> None:
    provider = DefaultJSONProvider(FakeApp())
    cycle: list[t.Any] = []
    cycle.append(cycle)
    mixed_keys = {1: "a", "b": 2}  # sort_keys cannot order these
    for obj in (cycle, mixed_keys, {"x": object()}):
        assert fast(provider, obj, separators=(",", ":")) == general(provider, obj, separators=(",", ":"))
        assert fast(provider, obj, separators=(",", ":"))[0] == "raised"


def test_deep_structure_raises_recursion_error_like_json_dumps() -> None:
    provider = DefaultJSONProvider(FakeApp())
    deep: list[t.Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert fast(provider, deep)[1] is RecursionError
    assert general(provider, deep)[1] is RecursionError


def test_str_subclass_and_subclass_overrides() -> None:
    class Tagged(str):
        pass

    provider = DefaultJSONProvider(FakeApp())
    assert provider.dumps(Tagged("x\u00e9")) == json.dumps(Tagged("x\u00e9"))

    class Loud(DefaultJSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return super().dumps(obj, **kwargs).upper()

    app = FakeApp()
    response = Loud(app).response({"a": "b"})
    assert response.get_data() == b'{"A":"B"}\n'


REPLIES = [
    {"id": 1, "items": [{"sku": "A", "price": 1.5, "tags": ["x", "y"]}], "ok": True, "name": "caf\u00e9"},
    [1, 2, 3],
    "text",
    None,
    {"z": {"b": 2, "a": 1}},
]


@pytest.mark.parametrize("reply", REPLIES)
@pytest.mark.parametrize("debug", [False, True])
def test_response_matches_flask(reply: t.Any, debug: bool) -> None:
    flask = pytest.importorskip("flask")
    results = []
    for mod in (microflask, flask):
        app = mod.Flask("json_fast")
        app.debug = debug

        def create(n: int, mod: t.Any = mod) -> t.Any:
            return mod.jsonify(reply), 201

        def direct(n: int, mod: t.Any = mod) -> t.Any:
            return (reply, 201) if isinstance(reply, (dict, list)) else (mod.jsonify(reply), 201)

        app.add_url_rule("/<int:n>", view_func=create, methods=["POST"])
        app.add_url_rule("/direct/<int:n>", view_func=direct, methods=["POST"])

        client = app.test_client()
        for url in ("/1", "/direct/1"):
            response = client.post(url, json={"in": [1, 2]})
            results.append((mod.__name__ == "flask", url, response.status, response.headers.get("Content-Type"), response.get_data()))
    half = len(results) // 2
    assert [r[1:] for r in results[:half]] == [r[1:] for r in results[half:]]


def _decoded(loads: t.Callable[[t.Any], t.Any], data: t.Any) -> t.Any:
    try:
        return ("ok", json.dumps(loads(data), sort_keys=True))
    except Exception as e:
        return ("raised", type(e), str(e))


JSON_BYTES = st.one_of(
    st.binary(max_size=12),
    st.builds(
        lambda value, encoding, prefix: prefix + json.dumps(value, ensure_ascii=False).encode(encoding, "surrogatepass"),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=6),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
            max_leaves=8,
        ),
        st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"]),
        st.sampled_from([b"", b" ", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"]),
    ),
    st.sampled_from([b'"\xed\xa0\x80"', b'"\xff"', b"\x00\x00\x00[", b"[1]\x00", b"", b" {}", b'{"a":1}']),
)


@given(data=JSON_BYTES)
@settings(max_examples=500, deadline=None)
def test_bytes_decoding_matches_json_loads(data: bytes) -> None:
    provider = DefaultJSONProvider(FakeApp())
    assert _decoded(provider.loads, data) == _decoded(json.loads, data)
    assert _decoded(provider.loads, bytearray(data)) == _decoded(json.loads, bytearray(data))
