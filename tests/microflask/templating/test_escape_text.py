"""Output formatted with other text is escaped by ``_escape_output`` (no Markup
built): the text is always :func:`escape`'s, and output yielded on its own
is still a ``Markup`` chunk, as in Jinja2."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microflask.markup import Markup, escape, _escape_output
from microflask.templating import Environment


class Html:
    def __html__(self) -> str:
        return "<i>ok</i>"


class Text:
    def __str__(self) -> str:
        return "a<b"


class StrSub(str):
    pass


class MarkupSub(Markup):
    pass


VALUES: list[t.Any] = [
    "", "plain", "<&>\"'", StrSub("<x>"), Markup("<b>"), MarkupSub("<u>"), 3, -2.5, True, None,
    Html(), Text(), b"bytes", ["<l>"], {"k": "<v>"},
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_text_is_escapes(value: t.Any) -> None:
    assert str(_escape_output(value)) == str(escape(value))


@given(st.text())
def test_any_text_escapes_alike(value: str) -> None:
    assert _escape_output(value) == str(escape(value))


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_templates_render_the_same_text(value: t.Any) -> None:
    env = Environment(autoescape=True)
    both = env.from_string("[{{ v }}|{{ v }}]{% for i in [1] %}<{{ v }}>{% endfor %}")
    alone = env.from_string("{{ v }}")
    expected = str(escape(value))
    assert both.render(v=value) == f"[{expected}|{expected}]<{expected}>"
    assert alone.render(v=value) == expected


def test_a_lone_output_is_still_a_markup_chunk() -> None:
    env = Environment(autoescape=True)
    chunks = list(env.from_string("{{ v }}").generate(v="<a>"))
    assert chunks == ["&lt;a&gt;"] and type(chunks[0]) is Markup
    source = env.compile("x{{ v }}y{{ w }}", raw=True)
    assert "_j_escape_text(" in source
    assert "_j_escape_text(" not in env.compile("{{ v }}", raw=True)


def test_volatile_autoescape_uses_it_too() -> None:
    env = Environment(autoescape=False)
    tmpl = env.from_string("{% autoescape flag %}a{{ v }}b{% endautoescape %}")
    assert tmpl.render(flag=True, v="<") == "a&lt;b"
    assert tmpl.render(flag=False, v="<") == "a<b"
