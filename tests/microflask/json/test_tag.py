"""microflask.json.tag: the tagged JSON format (expected strings are what
Flask 3.1's serializer writes outside an app context).
"""

from __future__ import annotations

import datetime
import uuid
from collections import OrderedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microflask.json.tag import JSONTag
from microflask.json.tag import PassDict
from microflask.json.tag import PassList
from microflask.json.tag import TagBytes
from microflask.json.tag import TagDateTime
from microflask.json.tag import TagDict
from microflask.json.tag import TaggedJSONSerializer
from microflask.json.tag import TagMarkup
from microflask.json.tag import TagTuple
from microflask.json.tag import TagUUID
from microflask.markup import Markup

UTC = datetime.timezone.utc


class HasHTML:
    def __html__(self) -> str:
        return "<i>x</i>"


@pytest.mark.parametrize(
    ("value", "dumped", "loaded"),
    [
        ((1, 2), '{" t":[1,2]}', (1, 2)),
        ((), '{" t":[]}', ()),
        (b"\x00\xff", '{" b":"AP8="}', b"\x00\xff"),
        (Markup("<b>"), '{" m":"<b>"}', Markup("<b>")),
        (HasHTML(), '{" m":"<i>x</i>"}', Markup("<i>x</i>")),
        (uuid.UUID(int=1), '{" u":"00000000000000000000000000000001"}', uuid.UUID(int=1)),
        (
            datetime.datetime(2020, 1, 2, 3, 4, 5),
            '{" d":"Thu, 02 Jan 2020 03:04:05 GMT"}',
            datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
        (
            datetime.datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
            '{" d":"Thu, 02 Jan 2020 03:04:05 GMT"}',
            datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
        # A date is not a datetime: it goes through the JSON default as text.
        (datetime.date(2020, 1, 2), '"Thu, 02 Jan 2020 00:00:00 GMT"', "Thu, 02 Jan 2020 00:00:00 GMT"),
        # Dicts that look like tags are escaped with " di" and a "__" suffix.
        ({" t": 1}, '{" di":{" t__":1}}', {" t": 1}),
        ({" di": 5}, '{" di":{" di__":5}}', {" di": 5}),
        ({" di": {" t__": 1}}, '{" di":{" di__":{" t__":1}}}', {" di": {" t__": 1}}),
        ({" t": 1, "a": 2}, '{" t":1,"a":2}', {" t": 1, "a": 2}),
        ({" x": 1}, '{" x":1}', {" x": 1}),
        ({"a": {" b": [1, (2,)]}}, '{"a":{" di":{" b__":[1,{" t":[2]}]}}}', {"a": {" b": [1, (2,)]}}),
        ([1, (2, b"x")], '[1,{" t":[2,{" b":"eA=="}]}]', [1, (2, b"x")]),
        ({"b": 1, "a": 2}, '{"b":1,"a":2}', {"b": 1, "a": 2}),
        ({1: 2}, '{"1":2}', {"1": 2}),
        (OrderedDict(a=(1,)), '{"a":{" t":[1]}}', {"a": (1,)}),
        ("é", '"\\u00e9"', "é"),
        (None, "null", None),
        (True, "true", True),
        (1.5, "1.5", 1.5),
        ({}, "{}", {}),
        ([], "[]", []),
    ],
)
def test_dumps_and_loads(value: object, dumped: str, loaded: object) -> None:
    serializer = TaggedJSONSerializer()
    assert serializer.dumps(value) == dumped
    result = serializer.loads(dumped)
    assert result == loaded
    assert type(result) is type(loaded)


def test_loads_accepts_bytes() -> None:
    assert TaggedJSONSerializer().loads(b'{" t":[1]}') == (1,)


def test_loaded_markup_is_markup() -> None:
    assert type(TaggedJSONSerializer().loads('{" m":"<b>"}')) is Markup


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{" u": "x"}', ValueError),
        ('{" t": 5}', TypeError),
        ('{" b": 5}', TypeError),
        ("{", ValueError),
    ],
)
def test_malformed_tagged_values_raise(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        TaggedJSONSerializer().loads(text)


def test_unparseable_date_decodes_as_none() -> None:
    assert TaggedJSONSerializer().loads('{" d": "garbage"}') is None


def test_default_tags_and_order() -> None:
    serializer = TaggedJSONSerializer()
    assert [type(tag) for tag in serializer.order] == [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]
    assert list(serializer.tags) == [" di", " t", " b", " m", " u", " d"]


class TagOrderedDict(JSONTag):
    __slots__ = ()
    key = " od"

    def check(self, value: object) -> bool:
        return isinstance(value, OrderedDict)

    def to_json(self, value: OrderedDict[str, object]) -> object:
        return [[k, self.serializer.tag(v)] for k, v in value.items()]

    def to_python(self, value: list[list[object]]) -> object:
        return OrderedDict(value)  # type: ignore[arg-type]


def test_register_custom_tag_before_defaults() -> None:
    serializer = TaggedJSONSerializer()
    serializer.register(TagOrderedDict, index=0)
    value = OrderedDict([("b", (1,)), ("a", 2)])
    dumped = serializer.dumps(value)
    assert dumped == '{" od":[["b",{" t":[1]}],["a",2]]}'
    loaded = serializer.loads(dumped)
    assert type(loaded) is OrderedDict
    assert loaded == value
    # A one-key dict with the new key is escaped now.
    assert serializer.dumps({" od": 1}) == '{" di":{" od__":1}}'


def test_register_at_end_sees_only_unclaimed_values() -> None:
    serializer = TaggedJSONSerializer()
    serializer.register(TagOrderedDict)  # PassDict claims every dict first
    assert serializer.dumps(OrderedDict(a=1)) == '{"a":1}'


class TagStr(JSONTag):
    """Claims plain strings, which no default tag touches."""

    __slots__ = ()
    key = " s"

    def check(self, value: object) -> bool:
        return isinstance(value, str)

    def to_json(self, value: str) -> object:
        return value[::-1]

    def to_python(self, value: str) -> object:
        return value[::-1]


def test_registered_tag_takes_plain_types_too() -> None:
    serializer = TaggedJSONSerializer()
    serializer.register(TagStr)
    assert serializer.dumps({"k": "abc"}) == '{"k":{" s":"cba"}}'
    assert serializer.loads('{"k":{" s":"cba"}}') == {"k": "abc"}


def test_register_duplicate_key() -> None:
    class TagOther(TagStr):
        key = " t"

    serializer = TaggedJSONSerializer()
    with pytest.raises(KeyError, match="Tag ' t' is already registered."):
        serializer.register(TagOther)
    serializer.register(TagOther, force=True, index=0)
    assert serializer.dumps("ab") == '{" t":"ba"}'
    assert serializer.loads('{" t":"ba"}') == "ab"


def test_tag_without_key_is_pass_through() -> None:
    class Upper(JSONTag):
        __slots__ = ()

        def check(self, value: object) -> bool:
            return isinstance(value, str)

        def to_json(self, value: str) -> object:
            return value.upper()

        tag = to_json

    serializer = TaggedJSONSerializer()
    serializer.register(Upper, index=0)
    assert serializer.dumps(["a"]) == '["A"]'
    assert "" not in serializer.tags


def test_base_tag_methods_are_abstract() -> None:
    tag = JSONTag(TaggedJSONSerializer())
    for call in (lambda: tag.check(1), lambda: tag.to_json(1), lambda: tag.to_python(1), lambda: tag.tag(1)):
        with pytest.raises(NotImplementedError):
            call()


def test_untag_leaves_unknown_and_multi_key_dicts() -> None:
    serializer = TaggedJSONSerializer()
    assert serializer.untag({"a": 1}) == {"a": 1}
    assert serializer.untag({" t": [1], "b": 2}) == {" t": [1], "b": 2}
    assert serializer.untag({" t": [1]}) == (1,)


def test_dumps_uses_the_app_provider_in_an_app_context() -> None:
    from microflask import Flask

    app = Flask(__name__)
    serializer = TaggedJSONSerializer()
    with app.app_context():
        # The default provider sorts keys, which is what Flask's cookies hold.
        assert serializer.dumps({"b": 1, "a": (1,)}) == '{"a":{" t":[1]},"b":1}'
        assert serializer.loads('{"a":{" t":[1]}}') == {"a": (1,)}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
    | st.uuids()
    # HTTP dates have second precision; two-digit years are read as 19xx/20xx.
    | st.datetimes(min_value=datetime.datetime(1900, 1, 1), timezones=st.just(UTC)).map(
        lambda d: d.replace(microsecond=0)
    ),
    lambda children: st.lists(children, max_size=4)
    | st.lists(children, max_size=4).map(tuple)
    | st.dictionaries(st.sampled_from([" t", " di", " b", "a", " x", "b__"]) | st.text(max_size=4), children, max_size=3),
    max_leaves=15,
)


@given(json_values)
def test_round_trip(value: object) -> None:
    serializer = TaggedJSONSerializer()
    assert serializer.loads(serializer.dumps(value)) == value


@given(json_values)
def test_fast_path_matches_generic_walk(value: object) -> None:
    fast = TaggedJSONSerializer()
    generic = TaggedJSONSerializer()
    generic._defaults_only = False
    assert fast.tag(value) == generic.tag(value)


def test_deep_but_wide_value_is_linear() -> None:
    serializer = TaggedJSONSerializer()
    value = {f"k{i}": (i, b"x", [i]) for i in range(20_000)}
    assert serializer.loads(serializer.dumps(value)) == value
