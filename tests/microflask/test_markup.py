"""Markup and escape: MarkupSafe 3 semantics (expected values checked against MarkupSafe 3.0.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microflask.markup import Markup, escape, escape_silent, soft_str


class HasHTML:
    def __html__(self) -> str:
        return "<H>"


class HasHTMLFormat:
    def __html__(self) -> str:
        return "<H>"

    def __html_format__(self, spec: str) -> str:
        return "HF" + spec


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<a href=\"x\">&'", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"),
        ("plain", "plain"),
        ("", ""),
        (None, "None"),
        (3, "3"),
        (1.5, "1.5"),
        (Markup("<b>"), "<b>"),
        (HasHTML(), "<H>"),
        ("\u00e9<", "\u00e9&lt;"),
    ],
)
def test_escape(value: object, expected: str) -> None:
    result = escape(value)
    assert type(result) is Markup
    assert str(result) == expected


def test_escape_silent_and_soft_str() -> None:
    assert escape_silent(None) == Markup("")
    assert escape_silent("<") == Markup("&lt;")
    assert soft_str(1) == "1"
    m = Markup("<b>")
    assert soft_str(m) is m


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda: Markup("<b>%s</b>") % "<i>", "<b>&lt;i&gt;</b>"),
        (lambda: Markup("%(a)s") % {"a": "<"}, "&lt;"),
        (lambda: Markup("%s") % Markup("<"), "<"),
        (lambda: Markup("%d") % 3, "3"),
        (lambda: Markup("%r") % "<", "&#39;&lt;&#39;"),
        (lambda: Markup("a%s") % 1.5, "a1.5"),
        (lambda: Markup("{0}").format("<"), "&lt;"),
        (lambda: Markup("{0:>3}").format("<"), "  &lt;"),
        (lambda: Markup("{a}").format_map({"a": "<"}), "&lt;"),
        (lambda: Markup("{0:xx}").format(HasHTMLFormat()), "HFxx"),
        (lambda: Markup("{0}").format(HasHTML()), "&lt;H&gt;"),
        (lambda: Markup("<").join(["<", ">", Markup("<b>")]), "&lt;<&gt;<<b>"),
        (lambda: "<" + Markup(">"), "&lt;>"),
        (lambda: Markup(">") + "<", ">&lt;"),
        (lambda: Markup("a") * 3, "aaa"),
        (lambda: Markup("a b").replace("a", "<"), "&lt; b"),
        (lambda: Markup("x").center(3, "a"), "axa"),
    ],
)
def test_operations_escape_the_other_side(expr: object, expected: str) -> None:
    result = expr()  # type: ignore[operator]
    assert type(result) is Markup
    assert str(result) == expected


def test_format_spec_errors() -> None:
    with pytest.raises(ValueError, match="Unsupported format specification for Markup."):
        Markup("{0:>3}").format(Markup("<"))
    with pytest.raises(ValueError, match="does not define __html_format__"):
        Markup("{0:>3}").format(HasHTML())


def test_string_methods_keep_markup() -> None:
    assert Markup("a b").split() == [Markup("a"), Markup("b")]
    assert all(type(x) is Markup for x in Markup("a b").split())
    assert Markup("x").partition("x") == (Markup(""), Markup("x"), Markup(""))
    assert type(Markup("ab")[0]) is Markup
    assert type(Markup("AB").lower()) is Markup
    assert repr(Markup("x")) == "Markup('x')"
    assert Markup(HasHTML()) == "<H>"
    assert Markup(b"abc", "ascii") == "abc"
    assert Markup.escape("<") == Markup("&lt;")


def test_striptags_and_unescape() -> None:
    stripped = Markup(" <!-- x --> <b>a &amp;  b</b>\n c ").striptags()
    assert stripped == "a & b c"
    assert type(stripped) is str
    assert Markup("a &lt; &#39; &foo;").unescape() == "a < ' &foo;"


def test_striptags_is_linear_on_hostile_input() -> None:
    # unclosed openers: a quadratic scan would make this visibly slow
    hostile = "<!--" * 100_000 + "<" * 200_000 + "x"
    assert Markup(hostile).striptags() == hostile
    assert Markup("<b" * 100_000 + ">x").striptags() == "x"


def test_html_protocol() -> None:
    m = Markup("<b>")
    assert m.__html__() is m
    assert escape(m) is m


@given(st.text())
def test_escape_unescape_round_trip(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert escaped.unescape() == text


def test_markup_and_escape_are_exported_at_top_level():
    import microflask
    from microflask.markup import Markup, escape

    assert microflask.Markup is Markup
    assert microflask.escape is escape
    assert microflask.escape("<b>") == "&lt;b&gt;"


class _SelfStr(str):
    def __str__(self) -> str:
        return self


class _OtherStr(str):
    def __str__(self) -> str:
        return "X<"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(_SelfStr("<a>"), "&lt;a&gt;"), (_OtherStr("<a>"), "X&lt;")],
)
def test_escape_str_subclass_does_not_recurse(value: str, expected: str) -> None:
    from microflask.markup import escape

    assert escape(value) == expected
    assert Markup("%s") % value == expected
    markupsafe = pytest.importorskip("markupsafe")
    assert markupsafe.escape(value) == expected


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("<em></em>", "x", TypeError),
        ("<em>%s</em>", ("x", "y"), TypeError),
        ("%s", 5, "5"),
        ("%s", [1, "<"], "[1, &#39;&lt;&#39;]"),
        ("%(a)s", {"a": "<"}, "&lt;"),
        ("x", {}, "x"),
        ("x", [], "x"),
        ("", (), ""),
    ],
)
def test_markup_mod_like_markupsafe(template: str, value: object, expected: object) -> None:
    def outcome(cls: type) -> object:
        try:
            return str(cls(template) % value)
        except TypeError:
            return TypeError

    assert outcome(Markup) == expected
    markupsafe = pytest.importorskip("markupsafe")
    assert outcome(markupsafe.Markup) == expected


@pytest.mark.parametrize("text", ["", "plain", "<b>&amp;", "caf\u00e9"])
def test_markup_of_a_plain_str_matches_the_general_path(text):
    from microflask.markup import Markup

    class HtmlStr(str):
        def __html__(self):
            return "<i>" + self + "</i>"

    fast = Markup(text)
    assert type(fast) is Markup and str(fast) == text
    # A str subclass is not a plain str: its __html__ is still honoured.
    assert str(Markup(HtmlStr(text))) == "<i>" + text + "</i>"
    assert Markup(text.encode(), "utf-8") == fast
