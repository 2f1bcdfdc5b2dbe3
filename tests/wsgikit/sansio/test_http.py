"""Tests for wsgikit.sansio.http: the IO-free cookie parser and the
conditional-request check, fed plain header strings."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit import datastructures as ds
from wsgikit.sansio import http as sansio_http


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        ("a=1; b=2; a=3", [("a", "1"), ("a", "3"), ("b", "2")]),
        ("=__Host-x=bad; __Host-x=good", [("__Host-x", "good")]),
        ("=bad; =worse", []),
        ('a="x;y"; b=1', [("a", "x;y"), ("b", "1")]),
        ('a="x;y"z; b=1', [("a", '"x'), ('y"z', ""), ("b", "1")]),
        ("a = 1 ; b", [("a", "1"), ("b", "")]),
        ('a="\\303\\251"', [("a", "é")]),
        ('a="\\"q\\" \\\\ \\x"', [("a", '"q" \\ x')]),
        ('a="\\400"', [("a", "400")]),
        ('a="\\377"', [("a", "\ufffd")]),
        ('a="\\12"', [("a", "12")]),
        ('a="\\é"', [("a", "é")]),
        ("a=\\303\\251", [("a", "\\303\\251")]),  # unquoted: no unescaping
        ('a="x', [("a", '"x')]),
        ('a=x"', [("a", 'x"')]),
        ('a=""', [("a", "")]),
        ('a="', [("a", '"')]),
        ('a=";"; b="c', [("a", ";"), ("b", '"c')]),
        (";;;", []),
        ("a=b=c", [("a", "b=c")]),
        ('  a  =  "b c"  ;', [("a", "b c")]),
        ("a=\xa0x\xa0; \xa0b=1", [("a", "x"), ("b", "1")]),
        ('a="x;y"\xa0; b=1', [("a", '"x'), ('y"', ""), ("b", "1")]),
        ('a=\xa0"x;y"; b=1', [("a", '"x'), ('y"', ""), ("b", "1")]),
        ('a="x;y"\x0b; b=1', [("a", "x;y"), ("b", "1")]),
        ("a\tb=1", [("a\tb", "1")]),
        ('"a"=1', [("a", "1")]),  # a quoted name is unquoted (issue 17; Werkzeug 3.1.8 kept the quotes)
        ('a="x" ; b=2', [("a", "x"), ("b", "2")]),
        ('a= "x"; b=2', [("a", "x"), ("b", "2")]),
        ('a="\\\\"', [("a", "\\")]),
        ('a="\\"', [("a", "\\")]),
        ('a="\\";b=1', [("a", "\\"), ("b", "1")]),
        ("", []),
        (None, []),
    ],
)
def test_parse_cookie(cookie: str | None, expected: list) -> None:
    cookies = sansio_http.parse_cookie(cookie)
    assert type(cookies) is ds.MultiDict
    assert list(cookies.items(multi=True)) == expected


def test_parse_cookie_cls() -> None:
    cookies = sansio_http.parse_cookie("a=1; a=2", cls=ds.ImmutableMultiDict)
    assert isinstance(cookies, ds.ImmutableMultiDict)
    assert cookies.getlist("a") == ["1", "2"]


@pytest.mark.parametrize(
    ("cookie", "first"),
    [
        ('a="' + "\\" * 400_000 + '"', "\\" * 200_000),
        ("a=" + "\\" * 400_000, "\\" * 400_000),
        ('a="' + "\\303\\251" * 50_000 + '"', "é" * 50_000),
        ('a="' + "x;" * 200_000, '"x'),
        ('a="x;' * 100_000, '"x'),
        ("a=" + '";' * 200_000, ";"),
        ("; " * 200_000 + "a=1", "1"),
    ],
    ids=["quoted-slashes", "slashes", "octal", "open-quote", "many-open-quotes", "quote-pairs", "empty-pairs"],
)
def test_parse_cookie_adversarial_is_linear(cookie: str, first: str) -> None:
    # A quadratic scan of these 400 KB values would take minutes.
    assert sansio_http.parse_cookie(cookie)["a"] == first


COOKIE_TEXT = st.lists(
    st.sampled_from(list('ab=;" \t\\\xa0é') + ["\\303", "\\0", '"x"', "__Host-"]),
    max_size=40,
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(COOKIE_TEXT)
def test_parse_cookie_fuzz(cookie: str) -> None:
    for key, value in sansio_http.parse_cookie(cookie).items(multi=True):
        # A quoted name is unquoted as given (``" "=v`` names the cookie " "),
        # an unquoted one is stripped; neither is ever empty.
        assert key
        assert key == key.strip() or f'"{key}"' in cookie or "\\" in cookie
        assert isinstance(value, str)


@given(st.dictionaries(st.text("abc_-", min_size=1), st.text("xyz0189")))
def test_parse_cookie_plain_pairs(pairs: dict[str, str]) -> None:
    header = "; ".join(f"{key}={value}" for key, value in pairs.items())
    assert sansio_http.parse_cookie(header).to_dict() == pairs


IMS = "Sun, 06 Nov 1994 08:49:37 GMT"
UTC = timezone.utc


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, True),
        ({"http_if_none_match": '"x"', "etag": "x"}, False),
        ({"http_if_none_match": 'W/"x"', "etag": "x"}, False),
        ({"http_if_none_match": '"x"', "etag": 'W/"x"'}, False),
        ({"http_if_none_match": '"y", "x"', "etag": "x"}, False),
        ({"http_if_none_match": '"y"', "etag": "x"}, True),
        ({"http_if_none_match": "*", "etag": "x"}, False),
        ({"http_if_match": '"x"', "etag": "x"}, True),
        ({"http_if_match": '"y"', "etag": "x"}, False),
        # As in Werkzeug, ``*`` is not a strong match for If-Match.
        ({"http_if_match": "*", "etag": "x"}, False),
        ({"http_if_modified_since": IMS, "last_modified": IMS}, False),
        ({"http_if_modified_since": IMS, "last_modified": datetime(1994, 11, 6, 8, 49, 36)}, False),
        ({"http_if_modified_since": IMS, "last_modified": datetime(1994, 11, 6, 8, 49, 37, 999)}, False),
        ({"http_if_modified_since": IMS, "last_modified": datetime(1994, 11, 6, 8, 49, 38, tzinfo=UTC)}, True),
        ({"http_if_modified_since": IMS}, True),
        ({"last_modified": IMS}, True),
        ({"http_range": "bytes=0-1", "http_if_range": '"x"', "etag": "x", "ignore_if_range": False}, False),
        ({"http_range": "bytes=0-1", "http_if_range": '"y"', "etag": "x", "ignore_if_range": False}, True),
        ({"http_if_range": '"y"', "http_if_none_match": '"x"', "etag": "x", "ignore_if_range": False}, False),
        (
            {"http_range": "bytes=0-1", "http_if_range": IMS, "last_modified": IMS, "ignore_if_range": False},
            False,
        ),
        (
            {
                "http_range": "bytes=0-1",
                "http_if_range": IMS,
                "http_if_modified_since": "Sun, 06 Nov 1994 08:49:36 GMT",
                "last_modified": IMS,
                "ignore_if_range": False,
            },
            False,
        ),
        ({"http_if_none_match": '"2be88ca4242c76e8253ac62474851065032d6833"', "data": b"null"}, False),
    ],
)
def test_is_resource_modified(kwargs: dict, expected: bool) -> None:
    assert sansio_http.is_resource_modified(**kwargs) is expected


def test_is_resource_modified_etag_and_data() -> None:
    with pytest.raises(TypeError, match="both data and etag given"):
        sansio_http.is_resource_modified(etag="x", data=b"y")


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.text(max_size=30)),
    st.one_of(st.none(), st.text(max_size=30)),
    st.one_of(st.none(), st.text(max_size=30)),
    st.one_of(st.none(), st.text(max_size=30)),
)
def test_is_resource_modified_garbage_headers(
    if_range: str | None, if_modified_since: str | None, if_none_match: str | None, if_match: str | None
) -> None:
    result = sansio_http.is_resource_modified(
        http_range="bytes=0-1",
        http_if_range=if_range,
        http_if_modified_since=if_modified_since,
        http_if_none_match=if_none_match,
        http_if_match=if_match,
        etag="x",
        last_modified=IMS,
        ignore_if_range=False,
    )
    assert isinstance(result, bool)
