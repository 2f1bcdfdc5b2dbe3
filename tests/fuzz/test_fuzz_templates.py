"""Fuzzing the template lexer, parser and compiler: random token soups
(and random text) either compile or raise :class:`TemplateSyntaxError`
(whose subclass :class:`TemplateAssertionError` covers unknown filters and
tests), never another exception, a hang or super-linear time."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from microflask.templating import Environment
from microflask.templating.exceptions import TemplateSyntaxError
from microflask.templating.sandbox import SandboxedEnvironment

pytestmark = pytest.mark.fuzz

EXAMPLES = 60 if settings.default.max_examples <= 100 else settings.default.max_examples
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ENVIRONMENTS = [
    Environment(),
    Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols", "jinja2.ext.i18n", "jinja2.ext.debug"]),
    Environment(line_statement_prefix="#", line_comment_prefix="##", trim_blocks=True, lstrip_blocks=True),
    SandboxedEnvironment(),
]

TOKENS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "{%+", "\n", " ", "\t", "# ", "## ",
    "if", "elif", "else", "endif", "for", "in", "endfor", "recursive", "loop", "set", "endset", "block",
    "endblock", "extends", "include", "import", "from", "as", "with", "without", "context", "macro",
    "endmacro", "call", "endcall", "filter", "endfilter", "raw", "endraw", "autoescape", "endautoescape",
    "do", "break", "continue", "trans", "endtrans", "pluralize", "debug", "scoped", "required", "ignore",
    "missing", "is", "not", "and", "or", "none", "true", "false", "self", "super", "caller", "varargs",
    "x", "y", "_", "__class__", "1", "0", "1.5", "1e9", "0x1f", "0b1", "1_000", "'s'", '"s"', "'", '"',
    "\\", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "~", "+", "-", "*", "/", "//", "%", "**",
    "=", "==", "!=", "<", ">", "<=", ">=", "!", "?", "@", "$", "é", "\x00",
    "upper", "default", "length", "defined", "divisibleby", "nofilter", "notest",
]

soups = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
structured = st.lists(
    st.one_of(
        st.builds(lambda a, b: "{{ " + a + " " + b + " }}", st.sampled_from(TOKENS), st.sampled_from(TOKENS)),
        st.builds(lambda a, b, c: "{% " + a + " " + b + " " + c + " %}", *[st.sampled_from(TOKENS)] * 3),
        st.sampled_from(["{% if x %}", "{% endif %}", "{% for a in b %}", "{% endfor %}", "{% raw %}", "{% endraw %}",
                         "{% macro m(a, b=1) %}", "{% endmacro %}", "{% block b %}", "{% endblock %}", "{% set a %}",
                         "{% endset %}", "{% call m() %}", "{% endcall %}", "{% filter upper %}", "{% endfilter %}",
                         "text", "{# c #}"]),
    ),
    max_size=12,
).map("".join)


def _compile(env: Environment, source: str) -> None:
    try:
        env.from_string(source)
    except TemplateSyntaxError as e:
        assert isinstance(e.message, str) or e.message is None


@FUZZ
@given(soups | structured | st.text(max_size=60))
def test_random_sources_compile_or_raise_syntax_errors(source: str) -> None:
    for env in ENVIRONMENTS:
        _compile(env, source)


@FUZZ
@given(soups)
def test_lexer_and_parser_alone(source: str) -> None:
    env = ENVIRONMENTS[0]
    try:
        list(env.lex(source))
        env.parse(source)
    except TemplateSyntaxError:
        pass


SHAPES = [
    lambda n: "{{ " + "(" * n + "x" + ")" * n + " }}",
    lambda n: "{{ " + "x" + "|upper" * n + " }}",
    lambda n: "{% if x %}" * n,
    lambda n: "{{ " + "[" * n,
    lambda n: "{{ '" + "\\'" * n,
    lambda n: "{# " + "{" * n,
    lambda n: "{{ x " + "+ x " * n + "}}",
    lambda n: "{% for a in b %}{{ a }}" * (n // 10) + "{% endfor %}" * (n // 10),
    lambda n: "text {" * n,
    lambda n: "{% raw %}" + "{%" * n,
]


@pytest.mark.parametrize("shape", range(len(SHAPES)))
def test_compiling_is_linear(shape: int, linear) -> None:  # type: ignore[no-untyped-def]
    env = Environment()

    def run(source: str) -> None:
        _compile(env, source)

    linear(SHAPES[shape], run, 25)


@pytest.mark.parametrize("shape", range(len(SHAPES)))
def test_deep_or_huge_sources_never_recurse_out(shape: int) -> None:
    # Jinja2 3.1 raises RecursionError on several of these; we answer with
    # a TemplateSyntaxError ("nested too deeply") or compile them.
    _compile(Environment(), SHAPES[shape](5000))
