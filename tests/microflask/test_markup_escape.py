"""``escape``'s fast paths against its general path, and against MarkupSafe.

``escape`` recognises a few exact types (str, Markup, int, float) before
anything else; every other value takes ``_escape_general``. The fast paths
must give exactly what the general path gives (value and type), for every
kind of input including str subclasses and ``__html__`` objects, and the
whole must match MarkupSafe's ``escape`` when it is installed.
"""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microflask import markup as markup_module
from microflask.markup import Markup, escape, escape_silent

_escape_general = markup_module._escape_general

SPECIALS = "&<>'\""


class PlainSub(str):
    """A str subclass with nothing special."""


class SelfStr(str):
    """A str subclass whose ``__str__`` returns itself."""

    def __str__(self) -> str:
        return self


class LyingReplace(str):
    """A str subclass whose ``replace`` does nothing: escaping must not rely on it."""

    def replace(self, old: str, new: str, count: t.SupportsIndex = -1) -> str:
        return self


class HTMLSub(str):
    """A str subclass that renders itself as HTML."""

    def __html__(self) -> str:
        return f"<i>{str.__str__(self)}</i>"


class MarkupSub(Markup):
    pass


class IntSub(int):
    def __str__(self) -> str:
        return "<int>"


class FloatSub(float):
    pass


class HTMLObject:
    def __init__(self, html: t.Any) -> None:
        self.html = html

    def __html__(self) -> t.Any:
        return self.html

    def __repr__(self) -> str:  # stable test ids (pytest-xdist compares them)
        return f"HTMLObject({self.html!r})"


class StrReturns:
    """No ``__html__``; ``__str__`` returns a given object (maybe a Markup)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:  # stable test ids (pytest-xdist compares them)
        return f"StrReturns({self.value!r})"


def _cases(text: str) -> list[t.Any]:
    """Every kind of input, built around ``text``."""
    return [
        text,
        PlainSub(text),
        SelfStr(text),
        LyingReplace(text),
        HTMLSub(text),
        Markup(text),
        MarkupSub(text),
        HTMLObject(text),
        HTMLObject(Markup(text)),
        HTMLObject(PlainSub(text)),
        StrReturns(text),
        StrReturns(Markup(text)),
        StrReturns(PlainSub(text)),
        text.encode("utf-8", "surrogatepass"),
        [text],
    ]


_SCALARS: list[t.Any] = [
    0,
    -17,
    10**30,
    1.5,
    float("nan"),
    float("-inf"),
    True,
    False,
    None,
    IntSub(3),
    FloatSub(2.5),
    HTMLObject(5),
    HTMLObject(None),
]

_TEXTS = ["", "plain", "a & b", "<script>alert('x')</script>", 'say "hi"', SPECIALS * 3, "é ✓ 𝄞"]


def _same(a: Markup, b: Markup) -> None:
    assert type(a) is type(b) is Markup
    assert str.__str__(a) == str.__str__(b)


@pytest.mark.parametrize("value", [c for text in _TEXTS for c in _cases(text)] + _SCALARS, ids=repr)
def test_fast_paths_equal_the_general_path(value: t.Any) -> None:
    _same(escape(value), _escape_general(value))


@given(st.text())
def test_fast_paths_equal_the_general_path_for_any_text(text: str) -> None:
    for value in _cases(text):
        _same(escape(value), _escape_general(value))


@given(st.integers(), st.floats(allow_nan=True))
def test_number_fast_path_equals_the_general_path(i: int, f: float) -> None:
    _same(escape(i), _escape_general(i))
    _same(escape(f), _escape_general(f))


def test_markup_is_returned_as_is() -> None:
    value = Markup("<b>")
    assert escape(value) is value


def test_every_special_character_in_any_combination() -> None:
    # All 32 subsets of the five characters, so every branch of the
    # per-character replacement runs alone and with the others.
    expected = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"}
    for mask in range(32):
        chars = [c for i, c in enumerate(SPECIALS) if mask & (1 << i)]
        text = "x" + "y".join(chars) + "&" * (mask & 1)
        want = "".join(expected.get(c, c) for c in text)
        assert str.__str__(escape(text)) == want


def test_str_returning_markup_is_escaped() -> None:
    # Only the object's own __html__ is trusted: the text its __str__
    # returns is escaped even when it is a Markup (as MarkupSafe does).
    assert escape(StrReturns(Markup("<b>"))) == "&lt;b&gt;"


def test_str_subclass_methods_are_not_used() -> None:
    assert escape(LyingReplace("<a>")) == "&lt;a&gt;"


try:
    import markupsafe
except ImportError:  # pragma: no cover - depends on the environment
    markupsafe = None

needs_markupsafe = pytest.mark.skipif(
    markupsafe is None, reason="MarkupSafe is not installed: nothing to compare with"
)


def _values(text: str) -> list[t.Any]:
    return [*_cases(text), HTMLObject(markupsafe.Markup(text)), StrReturns(markupsafe.Markup(text))]


def _assert_parity(value: t.Any) -> None:
    ours = escape(value)
    theirs = markupsafe.escape(value)
    assert type(ours) is Markup
    assert str.__str__(ours) == str.__str__(theirs), value
    ours_silent = escape_silent(value)
    assert str.__str__(ours_silent) == str.__str__(markupsafe.escape_silent(value))


@needs_markupsafe
@given(st.text())
def test_escape_matches_markupsafe_for_any_text(text: str) -> None:
    for value in _values(text):
        _assert_parity(value)


@needs_markupsafe
@given(st.text(alphabet=st.sampled_from(SPECIALS + "ab &;#"), max_size=40))
def test_escape_matches_markupsafe_on_dense_special_text(text: str) -> None:
    for value in _values(text):
        _assert_parity(value)


@needs_markupsafe
@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_escape_matches_markupsafe_for_scalars(value: object) -> None:
    _assert_parity(value)


@needs_markupsafe
@pytest.mark.parametrize("value", _SCALARS, ids=repr)
def test_escape_matches_markupsafe_for_odd_scalars(value: object) -> None:
    _assert_parity(value)
