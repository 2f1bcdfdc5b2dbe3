"""Lexer and parser: token tables, whitespace control, adversarial input."""

from __future__ import annotations

import pytest

from microflask.templating import Environment, TemplateSyntaxError
from microflask.templating.lexer import Lexer, reverse_operators
from microflask.templating.parser import Parser
from microflask.templating import nodes


def tokens(source: str, **options: object) -> list[tuple[str, object]]:
    """The tokens, with operators as ``("op", text)`` and delimiters without values."""
    lexer = Lexer(Environment(**options))  # type: ignore[arg-type]
    result: list[tuple[str, object]] = []
    for tok in lexer.tokenize(source):
        if tok.type in reverse_operators:
            result.append(("op", tok.value))
        elif tok.type.endswith(("_begin", "_end")) or tok.type == "eof":
            result.append((tok.type, None))
        else:
            result.append((tok.type, tok.value))
    return result


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("hi", [("data", "hi"), ("eof", None)]),
        (
            "a{{ x }}b",
            [("data", "a"), ("variable_begin", None), ("name", "x"), ("variable_end", None), ("data", "b"), ("eof", None)],
        ),
        ("{{ 1_000 }}", [("variable_begin", None), ("integer", 1000), ("variable_end", None), ("eof", None)]),
        ("{{ 1.5e3 }}", [("variable_begin", None), ("float", 1500.0), ("variable_end", None), ("eof", None)]),
        ("{{ 0x1f }}", [("variable_begin", None), ("integer", 31), ("variable_end", None), ("eof", None)]),
        ("{{ 'a\\'b' }}", [("variable_begin", None), ("string", "a'b"), ("variable_end", None), ("eof", None)]),
        ("{{ a//b**c }}", [("variable_begin", None), ("name", "a"), ("op", "//"), ("name", "b"), ("op", "**"), ("name", "c"), ("variable_end", None), ("eof", None)]),
        ("{{ x.0.1 }}", [("variable_begin", None), ("name", "x"), ("op", "."), ("integer", 0), ("op", "."), ("integer", 1), ("variable_end", None), ("eof", None)]),
        ("{# c #}x", [("data", "x"), ("eof", None)]),
        ("{% raw %}{{ x }}{% endraw %}", [("data", "{{ x }}"), ("eof", None)]),
        ("a  {{- x -}}  b", [("data", "a"), ("variable_begin", None), ("name", "x"), ("variable_end", None), ("data", "b"), ("eof", None)]),
        ("{{ '}}' }}", [("variable_begin", None), ("string", "}}"), ("variable_end", None), ("eof", None)]),
    ],
)
def test_token_table(source: str, expected: list[tuple[str, object]]) -> None:
    assert tokens(source) == expected


def test_line_numbers() -> None:
    lexer = Lexer(Environment())
    toks = lexer.tokenize("a\n{# two\nlines #}\n{{ x }}\n{% if y %}")
    lines = {tok.value: tok.lineno for tok in toks if tok.type == "name"}
    assert lines == {"x": 4, "if": 5, "y": 5}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ x", "unexpected end of template, expected 'end of print statement'."),
        ("{% if x", "unexpected end of template, expected 'end of statement block'."),
        ("{# x", "Missing end of comment tag"),
        ("{% raw %}x", "Missing end of raw directive"),
        ("{{ x }\n}", "unexpected '}'"),
        ("{{ (x] }}", "unexpected ']', expected ')'"),
        ("{{ x $ y }}", "unexpected char '$' at 5"),
        ("{{ 'abc }}", "unexpected char \"'\" at 3"),
    ],
)
def test_lexer_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string(source)
    assert info.value.message == message


def test_parser_builds_expected_tree() -> None:
    tree = Parser(Environment(), "{% for a, b in x|items if a %}{{ a ~ b }}{% endfor %}").parse()
    loop = tree.body[0]
    assert isinstance(loop, nodes.For)
    assert isinstance(loop.target, nodes.TupleNode) and [n.name for n in loop.target.items] == ["a", "b"]
    assert isinstance(loop.iter, nodes.Filter) and loop.iter.name == "items"
    assert isinstance(loop.test, nodes.Name)
    assert isinstance(loop.body[0].nodes[0], nodes.Concat)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ -2 ** 2 }}", "4"),
        ("{{ 2 ** 3 ** 2 }}", "64"),
        ("{{ 1 + 2 * 3 }}", "7"),
        ("{{ not 1 == 2 }}", "True"),
        ("{{ 1 ~ 2 * 3 }}", "16"),
        ("{{ -3|abs }}", "3"),
        ("{{ 'a' if 1 else 'b' }}", "a"),
        ("{{ 10 is divisibleby 5 and 2 }}", "2"),
    ],
)
def test_precedence(source: str, expected: str) -> None:
    assert Environment().from_string(source).render() == expected


# -- adversarial input: big, hostile sources must fail or finish quickly ----------------------


@pytest.mark.parametrize(
    "source",
    [
        "{" * 100_000,
        "{{ " + "'\\a" * 130_000,
        "{{ " + "1_" * 200_000 + " }}",
        "{#" * 200_000,
        "{% raw %}" + "{%" * 200_000,
        "{{ x" + " " * 400_000,
        "{{ " + "[" * 100_000,
    ],
    ids=["braces", "bad-escapes", "underscores", "comments", "raw", "spaces", "brackets"],
)
def test_hostile_sources_fail_cleanly(source: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        Environment().from_string(source)


def test_large_template_renders() -> None:
    source = "<p>{{ x }}</p>\n" * 20_000
    out = Environment().from_string(source).render(x="y")
    assert out.count("<p>y</p>") == 20_000


def test_deep_nesting_is_a_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="nested too deeply"):
        Environment().from_string("{{ " + "(" * 50_000 + "1" + ")" * 50_000 + " }}")


def test_many_blocks_compile() -> None:
    source = "".join(f"{{% block b{i} %}}{i}{{% endblock %}}" for i in range(2000))
    out = Environment().from_string(source).render()
    assert out.startswith("0123") and out.endswith("1999")


def test_urlize_is_linear_on_brackets() -> None:
    text = "(" * 100_000 + "http://a.com" + ")" * 100_000
    out = Environment().from_string("{{ s|urlize }}").render(s=text)
    assert out.count("(") == 100_000 and 'href="http://a.com' in out
