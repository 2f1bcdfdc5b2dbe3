"""dump_cookie's memoised attributes (no expiry: a session cookie) give the
same header, errors and warnings as the general path."""

from __future__ import annotations

import typing as t
import warnings

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit import http
from wsgikit.http import dump_cookie

settings_strategy = st.fixed_dictionaries(
    {
        "key": st.sampled_from(["session", "a", "ü", "bad name", "x;y"]),
        "path": st.sampled_from([None, "/", "/a b", "/x;y"]),
        "domain": st.sampled_from([None, "example.test", ".example.test", "bäd.test", "a;b"]),
        "secure": st.booleans(),
        "httponly": st.booleans(),
        "samesite": st.sampled_from([None, "lax", "Strict", "none", "bogus"]),
        "partitioned": st.booleans(),
    }
)


def _outcome(func: t.Callable[[], str]) -> tuple[str, t.Any]:
    try:
        return "ok", func()
    except (ValueError, TypeError) as e:
        return type(e).__name__, str(e)


@settings(max_examples=300, deadline=None)
@given(settings_strategy, st.text(max_size=12))
def test_memoised_equals_general(options: dict[str, t.Any], value: str) -> None:
    for _ in range(2):  # first call fills the memo, second uses it
        fast = _outcome(lambda: dump_cookie(value=value, max_size=0, **options))
        general = _outcome(
            lambda: http._dump_cookie(
                options["key"],
                value,
                None,
                None,
                options["path"],
                options["domain"],
                options["secure"],
                options["httponly"],
                True,
                options["samesite"],
                options["partitioned"],
            )
        )
        assert fast == general


@pytest.mark.parametrize("max_age", [None, 60])
def test_too_large_warning_points_at_the_caller(max_age: int | None) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dump_cookie("big", "x" * 100, max_age=max_age, max_size=50)
    assert len(caught) == 1
    assert "cookie is too large" in str(caught[0].message)
    assert caught[0].filename == __file__


def test_memo_stays_bounded() -> None:
    for number in range(http._COOKIE_PARTS_SIZE * 3):
        dump_cookie(f"c{number}", "v")
    assert len(http._COOKIE_PARTS) <= http._COOKIE_PARTS_SIZE


def test_unhashable_setting_takes_the_general_path() -> None:
    class Path(str):
        __hash__ = None  # type: ignore[assignment]

    assert dump_cookie("a", "b", path=Path("/p")) == "a=b; Path=/p"


def test_cookie_name_pattern_is_the_token_set_plus_non_ascii() -> None:
    # The pattern is written as a complement for a fast compile; it must be
    # exactly RFC 9110's tchar set plus every non-ASCII code point.
    import re

    from wsgikit.http import _COOKIE_NAME_RE

    tchar = set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    accepted = set("".join(_COOKIE_NAME_RE.findall(everything)))
    expected = tchar | {c for c in everything if ord(c) >= 0x80}
    assert accepted == expected
    assert re.fullmatch(_COOKIE_NAME_RE, "a b") is None
