"""debug_repr and the dump helpers."""

from __future__ import annotations

import collections
import html
import io
import re
import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit.debug.console import HTMLStringO
from wsgikit.debug.repr import DebugReprGenerator
from wsgikit.debug.repr import debug_repr
from wsgikit.debug.repr import dump
from wsgikit.debug.repr import helper


class BrokenRepr:
    def __repr__(self) -> str:
        raise ValueError("no <repr>")


class MyList(list):  # type: ignore[type-arg]
    pass


def num(x: object) -> str:
    return f'<span class="number">{x}</span>'


def s(x: str) -> str:
    # Werkzeug's pages use MarkupSafe's entities: &#34; and &#39;.
    escaped = html.escape(repr(x)).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")
    return f'<span class="string">{escaped}</span>'


recursive_list: list[t.Any] = [1]
recursive_list.append(recursive_list)
recursive_dict: dict[str, t.Any] = {}
recursive_dict["me"] = recursive_dict


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, num(42)),
        (1.5, num(1.5)),
        (True, num(True)),
        (None, '<span class="object">None</span>'),
        ("a<b", '<span class="string">&#39;a&lt;b&#39;</span>'),
        (b"x\x00", '<span class="string">b&#39;x\\x00&#39;</span>'),
        ([], "[]"),
        ([1, "a"], f"[{num(1)}, {s('a')}]"),
        ((1,), f"({num(1)},)"),
        ((), "()"),
        (set(), "set()"),
        ({1}, f"{{{num(1)}}}"),
        (frozenset(), "frozenset()"),
        (frozenset([2]), f"frozenset({{{num(2)}}})"),
        (collections.deque([1]), f'<span class="module">collections.</span>deque([{num(1)}])'),
        (re.compile("a+<"), 're.compile(<span class="string regex">&#39;a+&lt;&#39;</span>)'),
        (recursive_list, f"[{num(1)}, [...]]"),
        (BrokenRepr(), '<span class="brokenrepr">&lt;broken repr (ValueError: no &lt;repr&gt;)&gt;</span>'),
        (MyList([1]), f'<span class="module">{__name__}.</span>MyList([{num(1)}])'),
        (
            {"k": [1]},
            f'{{<span class="pair"><span class="key">{s("k")}</span>: <span class="value">[{num(1)}]</span></span>}}',
        ),
        (recursive_dict, f'{{<span class="pair"><span class="key">{s("me")}</span>: <span class="value">{{...}}</span></span>}}'),
    ],
)
def test_debug_repr_table(value: object, expected: str) -> None:
    assert debug_repr(value) == expected


def test_long_sequences_and_strings_fold() -> None:
    rendered = debug_repr(list(range(12)))
    shown, folded = rendered.split('<span class="extended">', 1)
    assert shown.count('class="number"') == 8
    assert folded.count('class="number"') == 4
    long_string = debug_repr("x" * 100)
    assert '<span class="extended">' in long_string
    assert re.sub(r"<[^>]*>", "", long_string) == "&#39;" + "x" * 100 + "&#39;"
    assert debug_repr(dict.fromkeys(range(7))).split('<span class="extended">', 1)[0].count('class="pair"') == 5


def test_big_input_is_linear() -> None:
    # 400 KB of markup-heavy text and a 100k-item list render promptly and whole.
    text = "<&>" * 140_000
    rendered = debug_repr(text)
    assert "<&>" not in rendered
    assert rendered.count("&lt;&amp;&gt;") == 140_000
    assert debug_repr(list(range(100_000))).count('class="number"') == 100_000


def test_deep_nesting_does_not_explode() -> None:
    value: t.Any = []
    for _ in range(200):
        value = [value]
    assert debug_repr(value).count("[") == 201


_TAG = re.compile(r'</?(?:span|div|h3|table|tr|th|td|pre)(?: class="[a-z ]+")?>')


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text() | st.binary(), lambda c: st.lists(c) | st.dictionaries(st.text(), c) | st.tuples(c, c), max_leaves=20))
def test_no_raw_markup_escapes(value: object) -> None:
    for rendered in (debug_repr(value), DebugReprGenerator().dump_object(value)):
        # Once the generator's own tags are gone, no "<" or ">" may remain.
        bare = _TAG.sub("", rendered)
        assert "<" not in bare and ">" not in bare


def test_quotes_use_markupsafe_entities() -> None:
    assert debug_repr("it's") == '<span class="string">&#34;it&#39;s&#34;</span>'
    assert debug_repr(["<'>"]) == '[<span class="string">&#34;&lt;&#39;&gt;&#34;</span>]'


def test_dump_object_and_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    out = HTMLStringO()
    monkeypatch.setattr("sys.stdout", out)
    dump({"<key>": 1})
    boxed = out.reset()
    assert boxed.startswith('<div class="box"><h3>Contents of dict object at 0x')
    assert f"<tr><th>&lt;key&gt;</th><td><pre class=\"repr\">{num(1)}</pre></td></tr>" in boxed

    def frame() -> None:
        local_value = "here"  # noqa: F841
        dump()

    frame()
    local_box = out.reset()
    assert "Local variables in frame" in local_box
    assert f"<th>local_value</th><td><pre class=\"repr\">{s('here')}</pre>" in local_box


def test_dump_of_plain_object_lists_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    out = HTMLStringO()
    monkeypatch.setattr("sys.stdout", out)

    class Thing:
        attr = "<v>"

    dump(Thing())
    text = out.reset()
    assert "Details for" in text and "<th>attr</th>" in text and "&#39;&lt;v&gt;&#39;" in text


def test_helper_renders_pydoc_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    out = HTMLStringO()
    monkeypatch.setattr("sys.stdout", out)
    helper(len)
    text = out.reset()
    # pydoc's help() title, as on Werkzeug's console
    assert text.startswith('<div class="box"><h3>Help on built-in function len in module builtins:</h3><pre class="help">len(')
    helper()
    assert "help(object)" in out.reset()


def test_dump_on_plain_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    dump([1])
    assert '<div class="box">' in out.getvalue()
