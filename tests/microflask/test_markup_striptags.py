"""``Markup.striptags`` by regular expressions over the text up to the last
closer equals the plain left-to-right scan (the reference below), stays
linear on hostile input, and matches MarkupSafe; the stock-class shortcut
for ``unescape`` equals a subclass's general way."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microflask.markup import Markup, _strip_tags

from ..fuzz.conftest import assert_linear


def _scan(value: str, opener: str, closer: str) -> str:
    parts: list[str] = []
    pos = 0
    while True:
        start = value.find(opener, pos)
        if start == -1:
            break
        end = value.find(closer, start + len(opener))
        if end == -1:
            break
        parts.append(value[pos:start])
        pos = end + len(closer)
    parts.append(value[pos:])
    return "".join(parts)


def _reference(value: str) -> str:
    value = _scan(value, "<!--", "-->")
    value = _scan(value, "<", ">")
    return " ".join(value.split())


TEXT = st.lists(st.sampled_from(["<", ">", "!", "-", "a", " ", "\n", "&amp;", "<!--", "-->", "<b>"]), max_size=30).map("".join)


@settings(max_examples=800)
@given(TEXT)
def test_regex_strip_equals_the_scan(value: str) -> None:
    assert _strip_tags(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    ["<!-->x", "<!--<!-->y", "a <b", "a > b", "<!-- a --> <!-- b", "x<>y", "<<>>", "-->" "<!--", "<a<b>c>d"],
)
def test_edge_cases_equal_the_scan(value: str) -> None:
    assert _strip_tags(value) == _reference(value)


class Sub(Markup):
    def unescape(self) -> str:
        return "sub:" + super().unescape()


@given(TEXT)
def test_stock_shortcut_equals_the_general_way(value: str) -> None:
    assert Markup(value).striptags() == html.unescape(_reference(value))
    # A subclass's own unescape is honoured (the shortcut is the stock class's).
    assert Sub(value).striptags() == "sub:" + html.unescape(_reference(value))


@given(TEXT)
def test_matches_markupsafe(value: str) -> None:
    markupsafe = pytest.importorskip("markupsafe", reason="MarkupSafe is not installed")
    assert Markup(value).striptags() == markupsafe.Markup(value).striptags()


@pytest.mark.parametrize("unit", ["<", "<!--", "<b", "<!-- <", "a>"])
def test_hostile_input_is_linear(unit: str) -> None:
    assert_linear(lambda n: unit * n + "x", _strip_tags, 2000)
