"""microflask.json: the module helpers and the JSON providers."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import io
import uuid

import pytest

from microflask import json as mjson
from microflask.json.provider import DefaultJSONProvider
from microflask.json.provider import JSONProvider
from microflask.markup import Markup
from wsgikit.wrappers import Response


@dataclasses.dataclass
class Point:
    x: int
    label: str


class HasHTML:
    def __html__(self) -> str:
        return "<b>safe</b>"


class FakeApp:
    """Just what a provider reads from an app."""

    response_class = Response
    debug = False


@pytest.fixture
def provider() -> DefaultJSONProvider:
    app = FakeApp()
    prov = DefaultJSONProvider(app)
    prov._keep_app = app  # type: ignore[attr-defined]  # the provider holds a weak proxy
    return prov


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2020, 1, 2, 3, 4, 5), '"Thu, 02 Jan 2020 03:04:05 GMT"'),
        (
            datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
            '"Thu, 02 Jan 2020 01:04:05 GMT"',
        ),
        (datetime.date(2020, 1, 2), '"Thu, 02 Jan 2020 00:00:00 GMT"'),
        (uuid.UUID(int=5), '"00000000-0000-0000-0000-000000000005"'),
        (decimal.Decimal("1.50"), '"1.50"'),
        (Point(1, "é"), '{"x": 1, "label": "\\u00e9"}'),
        (Markup("<i>"), '"<i>"'),
        (HasHTML(), '"<b>safe</b>"'),
        ({"b": 1, "a": 2}, '{"b": 1, "a": 2}'),  # no sorting outside an app
        ("é<>", '"\\u00e9<>"'),
    ],
)
def test_dumps_outside_app_context(value: object, expected: str) -> None:
    assert mjson.dumps(value) == expected


@pytest.mark.parametrize("value", [object(), Point, {1, 2}])
def test_dumps_unknown_type(value: object) -> None:
    with pytest.raises(TypeError, match="is not JSON serializable"):
        mjson.dumps(value)


def test_dumps_kwargs_pass_through() -> None:
    assert mjson.dumps({"b": 1, "a": 2}, sort_keys=True, separators=(",", ":")) == '{"a":2,"b":1}'
    assert mjson.dumps(object(), default=lambda o: "custom") == '"custom"'


@pytest.mark.parametrize(("text", "expected"), [('{"a": [1, 2]}', {"a": [1, 2]}), (b"[1]", [1]), (bytearray(b"null"), None)])
def test_loads_outside_app_context(text: str | bytes, expected: object) -> None:
    assert mjson.loads(text) == expected


def test_dump_and_load_files() -> None:
    out = io.StringIO()
    mjson.dump({"d": datetime.date(2020, 1, 2)}, out)
    assert out.getvalue() == '{"d": "Thu, 02 Jan 2020 00:00:00 GMT"}'
    assert mjson.load(io.StringIO('{"a": 1}')) == {"a": 1}
    assert mjson.load(io.BytesIO(b"[true]")) == [True]


def test_default_provider_settings(provider: DefaultJSONProvider) -> None:
    assert provider.dumps({"b": 1, "a": "é"}) == '{"a": "\\u00e9", "b": 1}'
    provider.sort_keys = False
    provider.ensure_ascii = False
    assert provider.dumps({"b": 1, "a": "é"}) == '{"b": 1, "a": "é"}'
    assert provider.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a": 2, "b": 1}'
    assert provider.loads('{"a": 1}', parse_int=str) == {"a": "1"}


def test_provider_dump_load(provider: DefaultJSONProvider) -> None:
    out = io.StringIO()
    provider.dump({"z": 1, "a": uuid.UUID(int=1)}, out)
    assert out.getvalue() == '{"a": "00000000-0000-0000-0000-000000000001", "z": 1}'
    assert provider.load(io.StringIO("[1, 2]")) == [1, 2]


@pytest.mark.parametrize(
    ("args", "kwargs", "body"),
    [
        ((), {}, b"null\n"),
        ((1,), {}, b"1\n"),
        ((None,), {}, b"null\n"),
        (([1],), {}, b"[1]\n"),
        ((1, 2), {}, b"[1,2]\n"),
        ((), {"b": [1, 2], "a": 1}, b'{"a":1,"b":[1,2]}\n'),
    ],
)
def test_response_bodies(provider: DefaultJSONProvider, args: tuple[object, ...], kwargs: dict[str, object], body: bytes) -> None:
    response = provider.response(*args, **kwargs)
    assert response.get_data() == body
    assert response.mimetype == "application/json"


def test_response_args_and_kwargs_is_type_error(provider: DefaultJSONProvider) -> None:
    with pytest.raises(TypeError, match=r"^app.json.response\(\) takes either args or kwargs, not both$"):
        provider.response(1, a=2)


@pytest.mark.parametrize(
    ("debug", "compact", "body"),
    [
        (False, None, b'{"a":1,"b":[1,2]}\n'),
        (True, None, b'{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n'),
        (True, True, b'{"a":1,"b":[1,2]}\n'),
        (False, False, b'{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n'),
    ],
)
def test_response_pretty_printing(provider: DefaultJSONProvider, debug: bool, compact: bool | None, body: bytes) -> None:
    provider._keep_app.debug = debug  # type: ignore[attr-defined]
    provider.compact = compact
    assert provider.response(a=1, b=[1, 2]).get_data() == body


def test_response_mimetype(provider: DefaultJSONProvider) -> None:
    provider.mimetype = "application/vnd.api+json"
    assert provider.response([]).mimetype == "application/vnd.api+json"


class ReprProvider(JSONProvider):
    def dumps(self, obj: object, **kwargs: object) -> str:
        return f"D{obj!r}{kwargs!r}"

    def loads(self, s: str | bytes, **kwargs: object) -> object:
        return ("L", s, kwargs)


def test_base_provider_builds_on_dumps_and_loads() -> None:
    app = FakeApp()
    prov = ReprProvider(app)
    response = prov.response(1, 2)
    assert response.get_data() == b"D(1, 2){}"  # no newline, no dump options
    assert response.mimetype == "application/json"
    out = io.StringIO()
    prov.dump(5, out, x=1)
    assert out.getvalue() == "D5{'x': 1}"
    assert prov.load(io.StringIO("abc"), y=2) == ("L", "abc", {"y": 2})


def test_base_provider_requires_dumps_and_loads() -> None:
    app = FakeApp()
    prov = JSONProvider(app)
    with pytest.raises(NotImplementedError):
        prov.dumps(1)
    with pytest.raises(NotImplementedError):
        prov.loads("1")


def test_provider_does_not_keep_the_app_alive() -> None:
    import gc
    import weakref

    app = FakeApp()
    prov = JSONProvider(app)
    ref = weakref.ref(app)
    del app
    gc.collect()
    assert ref() is None
    with pytest.raises(ReferenceError):
        prov.response(1)


# End to end through the application core.


def test_helpers_use_the_current_app_provider() -> None:
    from microflask import Flask

    app = Flask(__name__)
    with app.app_context():
        assert mjson.dumps({"b": 1, "a": "é"}) == '{"a": "\\u00e9", "b": 1}'
        app.json.sort_keys = False  # type: ignore[attr-defined]
        assert mjson.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
        assert mjson.loads("[1]") == [1]
    assert mjson.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'


def test_custom_provider_is_used_by_helpers() -> None:
    from microflask import Flask

    class App(Flask):
        json_provider_class = ReprProvider

    app = App(__name__)
    with app.app_context():
        assert mjson.dumps([1]) == "D[1]{}"
        assert mjson.loads("x") == ("L", "x", {})


def test_jsonify() -> None:
    from microflask import Flask

    app = Flask(__name__)
    with app.app_context():
        response = mjson.jsonify(a=1, b=[1, 2])
        assert response.get_data() == b'{"a":1,"b":[1,2]}\n'
        assert response.mimetype == "application/json"
        assert mjson.jsonify(1, 2).get_data() == b"[1,2]\n"
        with pytest.raises(TypeError, match="either args or kwargs"):
            mjson.jsonify(1, a=2)
        app.debug = True
        assert mjson.jsonify(a=1).get_data() == b'{\n  "a": 1\n}\n'


def test_jsonify_needs_an_app_context() -> None:
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        mjson.jsonify(1)


def test_jsonify_from_a_view() -> None:
    from microflask import Flask

    app = Flask(__name__)

    @app.route("/")
    def index() -> object:
        return mjson.jsonify(when=datetime.date(2020, 1, 2), id=uuid.UUID(int=1))

    response = app.test_client().get("/")
    assert response.get_json() == {"id": "00000000-0000-0000-0000-000000000001", "when": "Thu, 02 Jan 2020 00:00:00 GMT"}
