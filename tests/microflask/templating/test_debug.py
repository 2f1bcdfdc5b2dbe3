"""Tracebacks show template frames named like Jinja2's; syntax errors; pickling."""

from __future__ import annotations

import asyncio
import pickle
import traceback
import typing as t

import pytest

from microflask.templating import (
    DictLoader,
    Environment,
    FileSystemLoader,
    TemplateAssertionError,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplatesNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from microflask.templating.debug import get_template_locals
from microflask.templating.runtime import missing


def _frames(exc: BaseException) -> list[tuple[str, int | None, str]]:
    return [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)]


@pytest.fixture()
def env(tmp_path: t.Any) -> Environment:
    (tmp_path / "base.html").write_text("line1\n{% block body %}\n{% endblock %}\n")
    (tmp_path / "child.html").write_text(
        '{% extends "base.html" %}\n{% macro m(v) %}\n{{ 1 / v }}\n{% endmacro %}\n{% block body %}\n\n{{ m(z) }}{% endblock %}'
    )
    (tmp_path / "bad.html").write_text("a\n\n\n{% if %}\n")
    return Environment(loader=FileSystemLoader(str(tmp_path)))


def test_runtime_error_frames(env: Environment, tmp_path: t.Any) -> None:
    with pytest.raises(ZeroDivisionError) as info:
        env.get_template("child.html").render(z=0)
    frames = _frames(info.value)
    child, base = str(tmp_path / "child.html"), str(tmp_path / "base.html")
    template_frames = [f for f in frames if f[0] in (child, base)]
    assert template_frames == [
        (child, 1, "top-level template code"),
        (base, 2, "top-level template code"),
        (child, 7, "block 'body'"),
        (child, 3, "template"),
    ]
    # the engine's plumbing between them is gone
    assert frames[-4:] == template_frames
    assert not any(f[0].endswith("runtime.py") for f in frames)
    assert frames[-5][2] == "handle_exception"


def test_runtime_frames_match_jinja2(env: Environment, tmp_path: t.Any) -> None:
    jinja2 = pytest.importorskip("jinja2")
    theirs = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    with pytest.raises(ZeroDivisionError) as ours_info:
        env.get_template("child.html").render(z=0)
    with pytest.raises(ZeroDivisionError) as their_info:
        theirs.get_template("child.html").render(z=0)

    def template_frames(exc: BaseException) -> list[tuple[str, int | None, str]]:
        return [f for f in _frames(exc) if f[0].startswith(str(tmp_path))]

    # (the first frame's line differs: ours points at the extends tag)
    assert template_frames(ours_info.value)[1:3] == template_frames(their_info.value)[1:3]
    assert template_frames(ours_info.value)[-1][1:] == (3, "template")


def test_fake_frames_carry_template_variables() -> None:
    env = Environment()
    with pytest.raises(ZeroDivisionError) as info:
        env.from_string("{% set total = 5 %}{% for i in items %}{{ total / i }}{% endfor %}").render(items=[1, 0], extra="e")
    tb = info.value.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    assert tb is not None
    assert tb.tb_frame.f_code.co_name == "top-level template code"
    variables = tb.tb_frame.f_locals
    assert variables["i"] == 0 and variables["total"] == 5 and variables["extra"] == "e"


def test_error_inside_called_python_function_keeps_its_frame() -> None:
    def boom() -> None:
        raise KeyError("k")

    with pytest.raises(KeyError) as info:
        Environment().from_string("\n{{ f() }}").render(f=boom)
    frames = _frames(info.value)
    assert frames[-2] == ("<template>", 2, "top-level template code")
    assert frames[-1][2] == "boom"


def test_async_traceback() -> None:
    env = Environment(enable_async=True)
    with pytest.raises(ZeroDivisionError) as info:
        asyncio.run(env.from_string("{% block b %}\n{{ 1 / 0 }}{% endblock %}").render_async())
    assert ("<template>", 2, "block 'b'") in _frames(info.value)


def test_syntax_error_frame(env: Environment, tmp_path: t.Any) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        env.get_template("bad.html")
    exc = info.value
    frames = traceback.extract_tb(exc.__traceback__)
    assert (frames[-1].filename, frames[-1].lineno, frames[-1].name) == (str(tmp_path / "bad.html"), 4, "template")
    assert frames[-1].line == "{% if %}"
    assert not any(f.filename.endswith(("parser.py", "lexer.py")) for f in frames)
    assert exc.translated and str(exc) == "Expected an expression, got 'end of statement block'"
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string("\n{% for %}")
    assert _frames(info.value)[-1] == ("<unknown>", 2, "template")


@pytest.mark.parametrize(
    ("args", "source", "expected"),
    [
        (("m", 2, "n", "f"), None, 'm\n  File "f", line 2'),
        (("m", 2, "n", "f"), "a\nb line\nc", 'm\n  File "f", line 2\n    b line'),
        (("m", 5), "a", "m\n  line 5"),
        (("m", 2, "nm"), None, 'm\n  File "nm", line 2'),
        (("m", 42), None, "m\n  line 42"),
    ],
)
def test_syntax_error_str(args: tuple[t.Any, ...], source: str | None, expected: str) -> None:
    exc = TemplateSyntaxError(*args)
    exc.source = source
    assert str(exc) == expected
    jinja2 = pytest.importorskip("jinja2")
    theirs = jinja2.TemplateSyntaxError(*args)
    theirs.source = source
    assert str(theirs) == expected


@pytest.mark.parametrize(
    "exc",
    [
        TemplateSyntaxError("m", 3, "n", "f"),
        TemplateAssertionError("m", 3, "n", "f"),
        TemplateNotFound("x"),
        TemplatesNotFound(["a", "b"]),
        UndefinedError("u"),
        TemplateRuntimeError("r"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_exceptions_pickle(exc: Exception) -> None:
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc) and str(copy) == str(exc)
    for attr in ["lineno", "name", "filename", "templates", "message"]:
        assert getattr(copy, attr, None) == getattr(exc, attr, None)


def test_translated_syntax_error_pickles() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment(loader=DictLoader({"t": "a\n{% if %}"})).get_template("t")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.lineno, copy.name, copy.translated) == (2, "t", False)
    assert str(copy) == "Expected an expression, got 'end of statement block'\n  File \"t\", line 2"


def test_get_template_locals() -> None:
    assert get_template_locals({"l_1_x": 1, "l_0_y": 2, "l_2_x": 3, "foo": 4, "context": None, "l_bad": 5}) == {"x": 3, "y": 2}
    assert get_template_locals({"l_1_x": missing}) == {}
    env = Environment()
    context = env.from_string("").new_context({"a": 1, "x": 0})
    variables = get_template_locals({"context": context, "l_4_x": 9})
    assert variables["a"] == 1 and variables["x"] == 9 and "range" in variables
    jinja_debug = pytest.importorskip("jinja2.debug")
    assert jinja_debug.get_template_locals({"l_1_x": 1, "l_0_y": 2, "l_2_x": 3, "foo": 4, "context": None}) == {"x": 3, "y": 2}
