"""The converters: regexes, to_python / to_url, custom converters."""

from __future__ import annotations

import uuid

import pytest

from wsgikit.routing import AnyConverter
from wsgikit.routing import BaseConverter
from wsgikit.routing import FloatConverter
from wsgikit.routing import IntegerConverter
from wsgikit.routing import Map
from wsgikit.routing import PathConverter
from wsgikit.routing import Rule
from wsgikit.routing import UnicodeConverter
from wsgikit.routing import UUIDConverter
from wsgikit.routing import ValidationError
from wsgikit.routing.exceptions import RoutingException

MAP = Map()


@pytest.mark.parametrize(
    ("converter", "regex", "weight", "isolating"),
    [
        (UnicodeConverter(MAP), "[^/]{1,}", 100, True),
        (UnicodeConverter(MAP, minlength=2), "[^/]{2,}", 100, True),
        (UnicodeConverter(MAP, maxlength=5), "[^/]{1,5}", 100, True),
        (UnicodeConverter(MAP, 3, 5), "[^/]{3,5}", 100, True),
        (UnicodeConverter(MAP, length=4), "[^/]{4}", 100, True),
        (IntegerConverter(MAP), r"\d+", 50, True),
        (IntegerConverter(MAP, signed=True), r"-?\d+", 50, True),
        (FloatConverter(MAP), r"\d+\.\d+", 50, True),
        (FloatConverter(MAP, signed=True), r"-?\d+\.\d+", 50, True),
        (PathConverter(MAP), "[^/].*?", 200, False),
        (AnyConverter(MAP, "a", "b.c", "d|e"), r"(?:a|b\.c|d\|e)", 100, True),
        (UUIDConverter(MAP), UUIDConverter.regex, 100, True),
    ],
)
def test_converter_attributes(converter, regex, weight, isolating):
    assert (converter.regex, converter.weight, converter.part_isolating) == (regex, weight, isolating)


BASE_URL_CASES = [
    ("abc", "abc"),
    ("a b", "a%20b"),
    ("a/b", "a/b"),
    ("?#%", "%3F%23%25"),
    ("!$&'()*+,:;=@", "!$&'()*+,:;=@"),
    ("é€", "%C3%A9%E2%82%AC"),
    ("\x00\x7f", "%00%7F"),
    (12, "12"),
]


@pytest.mark.parametrize(("value", "expected"), BASE_URL_CASES)
def test_base_to_url(value, expected):
    assert BaseConverter(MAP).to_url(value) == expected


@pytest.mark.parametrize(
    ("kwargs", "text", "expected"),
    [
        ({}, "5", 5),
        ({}, "0042", 42),
        ({"fixed_digits": 3}, "005", 5),
        ({"fixed_digits": 3}, "5", ValidationError),
        ({"fixed_digits": 3}, "0005", ValidationError),
        ({"min": 5}, "4", ValidationError),
        ({"max": 500}, "501", ValidationError),
        ({"max": 500}, "500", 500),
        ({"signed": True}, "-7", -7),
    ],
)
def test_integer_to_python(kwargs, text, expected):
    converter = IntegerConverter(MAP, **kwargs)
    if expected is ValidationError:
        with pytest.raises(ValidationError):
            converter.to_python(text)
    else:
        assert converter.to_python(text) == expected


@pytest.mark.parametrize(
    ("converter", "value", "expected"),
    [
        (IntegerConverter(MAP), 7, "7"),
        (IntegerConverter(MAP), "12", "12"),
        (IntegerConverter(MAP, fixed_digits=4), 7, "0007"),
        (IntegerConverter(MAP, signed=True), -5, "-5"),
        (FloatConverter(MAP), 1.5, "1.5"),
        (FloatConverter(MAP), 3, "3.0"),
        (UUIDConverter(MAP), uuid.UUID(int=5), "00000000-0000-0000-0000-000000000005"),
        (AnyConverter(MAP, "a", "b c"), "b c", "b c"),
    ],
)
def test_to_url(converter, value, expected):
    assert converter.to_url(value) == expected


def test_float_bounds():
    converter = FloatConverter(MAP, min=1.0, max=2.0)
    assert converter.to_python("1.50") == 1.5
    for text in ("0.5", "2.5"):
        with pytest.raises(ValidationError):
            converter.to_python(text)


def test_any_to_url_rejects_other_values():
    with pytest.raises(ValueError, match="'zz' is not one of 'a', 'b c', 'd'"):
        AnyConverter(MAP, "a", "b c", "d").to_url("zz")


def test_integer_to_url_rejects_text():
    with pytest.raises(ValueError):
        IntegerConverter(MAP).to_url("abc")


def test_uuid_to_python():
    value = UUIDConverter(MAP).to_python("AAAAAAAA-aaaa-aaaa-aaaa-aaaaaaaaaaaa")
    assert value == uuid.UUID("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa")


def test_validation_error_is_value_error_not_routing():
    assert issubclass(ValidationError, ValueError)
    assert not issubclass(ValidationError, RoutingException)


def test_part_isolating_worked_out_from_regex():
    class WithSlash(BaseConverter):
        regex = "a/b"

    class Plain(BaseConverter):
        regex = "(a|b)+"

    class Explicit(BaseConverter):
        part_isolating = False
        regex = "x"

    class FromPath(PathConverter):
        regex = "x+"

    class Inherits(PathConverter):
        pass

    assert not WithSlash.part_isolating
    assert Plain.part_isolating
    assert not Explicit.part_isolating
    assert FromPath.part_isolating
    assert not Inherits.part_isolating


class Letters(BaseConverter):
    """A custom converter whose regex has capturing groups."""

    regex = r"(a|b)(c)?"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value.lower()


class ListConverter(BaseConverter):
    regex = r"\w+(?:,\w+)*"
    weight = 10

    def to_python(self, value):
        return value.split(",")

    def to_url(self, value):
        return ",".join(value)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/r/ac/3", ("r", {"v": "AC", "n": 3})),
        ("/r/b/3", ("r", {"v": "B", "n": 3})),
        ("/w/a-bc", ("w", {"v": "A", "w": "BC"})),
        ("/w/ac-b", ("w", {"v": "AC", "w": "B"})),
        ("/l/x,y,z", ("l", {"items": ["x", "y", "z"]})),
        ("/l/x", ("l", {"items": ["x"]})),
    ],
)
def test_custom_converters_with_groups(path, expected):
    url_map = Map(
        [
            Rule("/r/<r:v>/<int:n>", endpoint="r"),
            Rule("/w/<r:v>-<r:w>", endpoint="w"),
            Rule("/l/<list:items>", endpoint="l"),
            Rule("/l/<name>", endpoint="never"),
        ],
        converters={"r": Letters, "list": ListConverter},
    )
    adapter = url_map.bind("example.com")
    assert adapter.match(path) == expected
    endpoint, values = expected
    assert adapter.build(endpoint, values) == path.lower()


def test_map_converters_extend_defaults():
    url_map = Map(converters={"r": Letters})
    assert url_map.converters["r"] is Letters
    assert url_map.converters["int"] is IntegerConverter
    assert "r" not in Map().converters
