"""``Markup.striptags`` equals the slow, obvious way (the references below:
MarkupSafe's rule of removing the leftmost comment and searching again, then
a left-to-right tag scan), stays linear on hostile input, and matches
MarkupSafe; the stock-class shortcut
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


def _comments_reference(value: str) -> str:
    # MarkupSafe's observed rule, the slow way: remove the leftmost opener
    # with the first closer at or after its start, search the result again.
    while True:
        start = value.find("<!--")
        if start == -1:
            return value
        end = value.find("-->", start)
        if end == -1:
            return value
        value = value[:start] + value[end + 3 :]


def _reference(value: str) -> str:
    value = _comments_reference(value)
    value = _scan(value, "<", ">")
    return " ".join(value.split())


TEXT = st.lists(st.sampled_from(["<", ">", "!", "-", "a", " ", "\n", "&amp;", "<!--", "-->", "<b>"]), max_size=30).map("".join)


@settings(max_examples=800)
@given(TEXT)
def test_regex_strip_equals_the_scan(value: str) -> None:
    assert _strip_tags(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    [
        "<!-->x", "<!--<!-->y", "a <b", "a > b", "<!-- a --> <!-- b", "x<>y", "<<>>", "--><!--", "<a<b>c>d",
        "<<!-->", "<!--->x", "<!-<!---->->x", "<!-<!---->- a > b -->x", "<<!---->!-- y -->z",
    ],
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


@pytest.mark.parametrize("unit", ["<", "<!--", "<b", "<!-- <", "a>", "<!-", "<!-<!---->", "<!--->"])
def test_hostile_input_is_linear(unit: str) -> None:
    assert_linear(lambda n: unit * n + "x", _strip_tags, 2000)


def test_cut_made_comments_are_linear() -> None:
    # every removal joins a new comment across the cut
    assert_linear(lambda n: "<!-" * n + "<!---->" + "->" * n + "x", _strip_tags, 500)
    assert _strip_tags("<!-" * 50 + "<!---->" + "->" * 50 + "x") == "x"
