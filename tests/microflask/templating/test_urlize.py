"""``urlize`` on e-mail-like words, compared with Jinja2."""

from __future__ import annotations

import pytest

from microflask.templating import Environment

CASES = [
    ("@a@b.c", "@a@b.c"),
    ("@@b.c", "@@b.c"),
    ("@a@b@c.d", "@a@b@c.d"),
    ("@a.com", "@a.com"),
    ("a@b.c", '<a href="mailto:a@b.c">a@b.c</a>'),
    ("a@@b.com", '<a href="mailto:a@@b.com">a@@b.com</a>'),
    ("a@b.c@d.e", '<a href="mailto:a@b.c@d.e">a@b.c@d.e</a>'),
    (".@b.c", '<a href="mailto:.@b.c">.@b.c</a>'),
    ("a+b@c.d", '<a href="mailto:a+b@c.d">a+b@c.d</a>'),
    ("x@y", "x@y"),
    ("a@-b.c", "a@-b.c"),
    ("foo@bar.com.", '<a href="mailto:foo@bar.com">foo@bar.com</a>.'),
    ("mailto:a@b.c", '<a href="mailto:a@b.c">a@b.c</a>'),
    ("mailto:@a.b", "mailto:@a.b"),
    ("mailto:@a@b.c", '<a href="mailto:@a@b.c">@a@b.c</a>'),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_urlize_email(text: str, expected: str) -> None:
    assert Environment().from_string("{{ s|urlize }}").render(s=text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_urlize_email_matches_jinja2(text: str, expected: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    assert jinja2.Environment().from_string("{{ s|urlize }}").render(s=text) == expected
