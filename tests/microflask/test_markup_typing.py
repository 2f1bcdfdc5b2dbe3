"""What user code sees when it type-checks against ``microflask.markup``.

One ``mypy --strict`` run over a snippet of ``assert_type`` calls; only the
snippet's own lines are looked at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .._typecheck import run_mypy


SNIPPET = """
from __future__ import annotations

from typing_extensions import assert_type

from microflask import Markup
from microflask import escape
from microflask.markup import escape_silent
from microflask.markup import soft_str


class Widget:
    def __html__(self) -> str:
        return "<b>w</b>"


def check(m: Markup, text: str) -> None:
    assert_type(escape(text), Markup)
    assert_type(escape(1), Markup)
    assert_type(escape(Widget()), Markup)
    assert_type(escape_silent(None), Markup)
    assert_type(soft_str(text), str)
    assert_type(Markup(Widget()), Markup)
    assert_type(m + text, Markup)
    assert_type(m % text, Markup)
    assert_type(m * 2, Markup)
    assert_type(m.join([text, text]), Markup)
    assert_type(m.split(), list[Markup])
    assert_type(m.splitlines(), list[Markup])
    assert_type(m.partition("x"), tuple[Markup, Markup, Markup])
    assert_type(m.format(text), Markup)
    assert_type(m.format_map({"a": text}), Markup)
    assert_type(m.striptags(), str)
    assert_type(m.unescape(), str)
    assert_type(m.__html__(), Markup)
    assert_type(m[0], Markup)
    assert_type(m.strip(), Markup)
    assert_type(Markup.escape(text), Markup)
"""


@pytest.mark.slow
def test_user_code_sees_markup_types(tmp_path: Path) -> None:
    assert run_mypy(tmp_path, SNIPPET, "markup_snippet.py") == []
    # mypy did look at the snippet: a wrong claim about it is reported.
    wrong = "from typing_extensions import assert_type\nfrom microflask import escape\nassert_type(escape('x'), str)\n"
    errors = run_mypy(tmp_path, wrong, "markup_snippet.py")
    assert len(errors) == 1 and ":3: error" in errors[0]
