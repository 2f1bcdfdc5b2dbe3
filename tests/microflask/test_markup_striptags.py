"""``Markup.striptags`` follows MarkupSafe 3.0.4's rule -- one pass from the
left; at each ``<`` a ``<!--`` runs to the first ``-->`` after it and
anything else to the first ``>`` after it; an opener without its closer ends
the pass -- in linear time. The regular-expression fast path equals the
scan; both equal a character-by-character reference; the stock class's
``unescape`` shortcut equals a subclass's general way."""

from __future__ import annotations

import html
from importlib import metadata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microflask.markup import Markup, _strip_markup_scan, _strip_tags

from ..fuzz.conftest import assert_linear


def _reference(value: str) -> str:
    out = []
    i = 0
    while i < len(value):
        if value[i] != "<":
            out.append(value[i])
            i += 1
            continue
        comment = value[i : i + 4] == "<!--"
        j = i + 4 if comment else i + 1
        closer = "-->" if comment else ">"
        while j < len(value) and value[j : j + len(closer)] != closer:
            j += 1
        if j >= len(value):
            out.append(value[i:])  # unclosed: the rest stays
            break
        i = j + len(closer)
    return " ".join("".join(out).split())


PIECES = ["<", ">", "!", "-", "a", " ", "\n", "&amp;", "<!--", "-->", "<b>"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=1000)
@given(TEXT)
def test_strip_equals_the_reference(value: str) -> None:
    assert _strip_tags(value) == _reference(value)


@settings(max_examples=1000)
@given(TEXT)
def test_the_fast_path_equals_the_scan(value: str) -> None:
    assert _strip_tags(value) == " ".join(_strip_markup_scan(value).split())


@pytest.mark.parametrize(
    "value",
    [
        "<!-->x", "<!--<!-->y", "a <b", "a > b", "<!-- a --> <!-- b", "x<>y", "<<>>", "--><!--", "<a<b>c>d",
        "<<!-->", "<!--->x", "<!-<!---->->x", "<!-<!---->- a > b -->x", "<<!---->!-- y -->z", "<p>a</p> <b",
    ],
)
def test_edge_cases_equal_the_reference(value: str) -> None:
    assert _strip_tags(value) == _reference(value)


def test_known_answers() -> None:
    # MarkupSafe 3.0.4's answers, kept here so the rule is pinned whatever
    # MarkupSafe version is installed.
    assert Markup("<!-->").striptags() == "<!-->"
    assert Markup("<<!-->").striptags() == ""
    assert Markup("<!-<!---->- a > b -->x").striptags() == "- a > b -->x"
    assert Markup(" <!-- x --> <b>a &amp;  b</b>\n c ").striptags() == "a & b c"


class Sub(Markup):
    def unescape(self) -> str:
        return "sub:" + super().unescape()


@given(TEXT)
def test_stock_shortcut_equals_the_general_way(value: str) -> None:
    assert Markup(value).striptags() == html.unescape(_reference(value))
    # A subclass's own unescape is honoured (the shortcut is the stock class's).
    assert Sub(value).striptags() == "sub:" + html.unescape(_reference(value))


def _markupsafe_with_this_rule() -> object:
    markupsafe = pytest.importorskip("markupsafe", reason="MarkupSafe is not installed")
    version = tuple(int(part) for part in metadata.version("markupsafe").split(".")[:3] if part.isdigit())
    if not (3, 0, 4) <= version < (3, 1):
        pytest.skip(f"MarkupSafe {metadata.version('markupsafe')} is installed; the rule matched is 3.0.4's")
    return markupsafe


@given(TEXT)
def test_matches_markupsafe(value: str) -> None:
    markupsafe = _markupsafe_with_this_rule()
    assert Markup(value).striptags() == markupsafe.Markup(value).striptags()  # type: ignore[attr-defined]


@pytest.mark.parametrize("unit", ["<", "<!--", "<b", "<!-- <", "a>", "<!-", "<!-<!---->", "<!--->", "<a>"])
def test_hostile_input_is_linear(unit: str) -> None:
    assert_linear(lambda n: unit * n + "x", _strip_tags, 2000)
    assert_linear(lambda n: unit * n + "x>", _strip_tags, 2000)
