"""wsgikit.sansio.request: the IO-free request built from plain values."""

from __future__ import annotations

import datetime
import typing as t

import pytest

from wsgikit.datastructures import Headers
from wsgikit.datastructures import ImmutableList
from wsgikit.datastructures import ImmutableMultiDict
from wsgikit.datastructures import MultiDict
from wsgikit.exceptions import SecurityError
from wsgikit.sansio.request import _parse_query
from wsgikit.sansio.request import Request


def make(
    method: str = "GET",
    scheme: str = "http",
    server: tuple[str, int | None] | None = ("h", 80),
    root_path: str = "",
    path: str = "/",
    query_string: bytes = b"",
    headers: dict[str, str] | None = None,
    remote_addr: str | None = "1.1.1.1",
    cls: type[Request] = Request,
) -> Request:
    return cls(method, scheme, server, root_path, path, query_string, Headers(headers or {}), remote_addr)


def test_base_values_are_normalised() -> None:
    request = make(method="post", root_path="/r/", path="p", query_string=b"x=1", headers={"Host": "hh"})
    assert request.method == "POST"
    assert request.root_path == "/r"
    assert request.path == "/p"
    assert request.full_path == "/p?x=1"
    assert request.url == "http://hh/r/p?x=1"
    assert request.host == "hh"
    assert repr(request) == "<Request 'http://hh/r/p?x=1' [POST]>"
    assert make(path="//a//b").path == "/a//b"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"", []),
        (b"a=1&b=2", [("a", "1"), ("b", "2")]),
        (b"a=1&a=2&a=", [("a", "1"), ("a", "2"), ("a", "")]),
        (b"x=%ff&y=%zz&z=1+2&&w&=v", [("x", "%FF"), ("y", "%zz"), ("z", "1 2"), ("w", ""), ("", "v")]),
        (b"a=1;b=2", [("a", "1;b=2")]),
        (b"a==b", [("a", "=b")]),
        (b"=", [("", "")]),
        (b"&&", []),
        (b"%", [("%", "")]),
        (b"%%", [("%%", "")]),
        (b"a%3Db=c", [("a=b", "c")]),
        (b"a+b=c+d", [("a b", "c d")]),
        (b"%2B=%2b", [("+", "+")]),
        (b"x=%e9%80", [("x", "%E9%80")]),
        (b"x=%C3%A9%zz", [("x", "é%zz")]),
        ("é=1".encode(), [("é", "1")]),
        # Raw bytes that are not UTF-8 do not raise (Werkzeug raises).
        (b"a=\xff", [("a", "%FF")]),
        (b"\xc3=\xa9", [("%C3", "%A9")]),
    ],
)
def test_parse_query(query: bytes, expected: list[tuple[str, str]]) -> None:
    assert _parse_query(query) == expected
    args = make(query_string=query).args
    assert isinstance(args, ImmutableMultiDict)
    assert list(args.items(multi=True)) == expected


def test_parse_query_large_is_linear() -> None:
    query = b"&".join(b"k%d=%%41%d+x" % (i, i) for i in range(40_000))
    pairs = _parse_query(query)
    assert len(pairs) == 40_000
    assert pairs[-1] == ("k39999", "A39999 x")


@pytest.mark.parametrize(
    ("query", "expected"),
    [(b"", "/x?"), (b"a=%20", "/x?a=%20"), ("é".encode(), "/x?é"), (b"a=\xff", "/x?a=%FF")],
)
def test_full_path(query: bytes, expected: str) -> None:
    assert make(path="/x", query_string=query).full_path == expected


@pytest.mark.parametrize(
    ("kwargs", "attrs"),
    [
        (
            {"scheme": "https", "root_path": "/r\u00e9/", "path": "//caf\u00e9 x", "query_string": b"a=%E9&b=\xc3\xa9",
             "server": ("ex.org", 443)},
            {
                "url": "https://ex.org/ré/café%20x?a=%E9&b=é",
                "base_url": "https://ex.org/ré/café%20x",
                "root_url": "https://ex.org/ré/",
                "host_url": "https://ex.org/",
                "host": "ex.org",
                "full_path": "/café x?a=%E9&b=é",
                "is_secure": True,
            },
        ),
        (
            {"headers": {"Host": "example.com:80"}, "root_path": "/root", "path": "/a%ZZb/\ufffdé",
             "query_string": b"x=%ff&y=%zz"},
            {
                "url": "http://example.com/root/a%ZZb/\ufffdé?x=%FF&y=%zz",
                "base_url": "http://example.com/root/a%ZZb/\ufffdé",
                "root_url": "http://example.com/root/",
                "host": "example.com",
                "is_secure": False,
            },
        ),
        (
            {"headers": {"Host": "xn--n3h.com:8080"}, "scheme": "wss"},
            {"url": "wss://☃.com:8080/", "host": "xn--n3h.com:8080", "is_secure": True},
        ),
        ({"headers": {"Host": "bad host"}}, {"url": "http:///", "host": ""}),
        ({"server": None}, {"url": "http:///", "host": ""}),
    ],
)
def test_urls(kwargs: dict[str, t.Any], attrs: dict[str, t.Any]) -> None:
    request = make(**kwargs)
    assert {name: getattr(request, name) for name in attrs} == attrs


class Trusting(Request):
    trusted_hosts = ["good.com", ".sub.org"]


@pytest.mark.parametrize(
    ("host", "expected"), [("good.com", "good.com"), ("a.sub.org:8080", "a.sub.org:8080"), ("sub.org", "sub.org")]
)
def test_trusted_hosts(host: str, expected: str) -> None:
    assert make(headers={"Host": host}, cls=Trusting).host == expected


def test_untrusted_host() -> None:
    request = make(headers={"Host": "evil.com"}, cls=Trusting)
    with pytest.raises(SecurityError) as info:
        request.host
    assert info.value.code == 400
    assert info.value.description == "Host 'evil.com' is not trusted."
    with pytest.raises(SecurityError):
        request.url
    assert repr(request) == (
        "<Trusting \"(invalid URL: 400 Bad Request: Host 'evil.com' is not trusted.)\" [GET]>"
    )


@pytest.mark.parametrize(
    ("forwarded", "remote", "expected"),
    [
        ("a,,b", "r", ["a", "b"]),
        ('"a,b", c', "r", ["a,b", "c"]),
        (" ", "r", []),
        ("", "r", []),
        (",", "r", []),
        (" 1.1.1.1 , 2.2.2.2,", "r", ["1.1.1.1", "2.2.2.2"]),
        (None, "r", ["r"]),
        (None, None, []),
    ],
)
def test_access_route(forwarded: str | None, remote: str | None, expected: list[str]) -> None:
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    route = make(headers=headers, remote_addr=remote).access_route
    assert isinstance(route, ImmutableList)
    assert list(route) == expected


_FULL_HEADERS = {
    "Cookie": 'a=1; b="x y"; a=2; c=%E9;d=\xc3\xa9',
    "Accept": "text/html;q=0.9, application/json",
    "Accept-Charset": "utf-8",
    "Accept-Encoding": "gzip",
    "Accept-Language": "en-US,fr;q=0.5",
    "Cache-Control": "no-cache, max-age=10",
    "If-Match": '"a", W/"b"',
    "If-None-Match": "*",
    "If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT",
    "If-Unmodified-Since": "garbage",
    "If-Range": '"x"',
    "Range": "bytes=0-10",
    "Pragma": "no-cache, x",
    "Date": "Sun, 06 Nov 1994 08:49:37 GMT",
    "Max-Forwards": "10",
    "Referer": "http://x/",
    "Origin": "http://o",
    "Access-Control-Request-Headers": "X-A, X-B",
    "Access-Control-Request-Method": "PUT",
    "Authorization": "Basic dXNlcjpwYXNz",
    "Content-Encoding": "gzip",
    "Content-MD5": "abc",
    "Content-Type": "text/plain; charset=latin1; x=y",
    "Content-Length": "12",
    "User-Agent": "curl/8.4.0",
}

_SUNDAY = datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("cookies", lambda v: list(v.items(multi=True)) == [("a", "1"), ("a", "2"), ("b", "x y"), ("c", "%E9"), ("d", "Ã©")]),
        ("accept_mimetypes", lambda v: v.best == "application/json" and v["text/html"] == 0.9),
        ("accept_charsets", lambda v: v.best == "utf-8"),
        ("accept_encodings", lambda v: "gzip" in v),
        ("accept_languages", lambda v: v.best == "en-US" and v["fr"] == 0.5),
        ("cache_control", lambda v: v.no_cache and v.max_age == 10),
        ("if_match", lambda v: v.contains_weak("b") and v.contains("a")),
        ("if_none_match", lambda v: v.star_tag),
        ("if_modified_since", lambda v: v == _SUNDAY),
        ("if_unmodified_since", lambda v: v is None),
        ("if_range", lambda v: v.etag == "x"),
        ("range", lambda v: v.ranges == [(0, 11)]),
        ("pragma", lambda v: list(v) == ["no-cache", "x"]),
        ("date", lambda v: v == _SUNDAY),
        ("max_forwards", lambda v: v == 10),
        ("referrer", lambda v: v == "http://x/"),
        ("origin", lambda v: v == "http://o"),
        ("access_control_request_headers", lambda v: list(v) == ["X-A", "X-B"]),
        ("access_control_request_method", lambda v: v == "PUT"),
        ("authorization", lambda v: v.type == "basic" and v.username == "user" and v.password == "pass"),
        ("content_encoding", lambda v: v == "gzip"),
        ("content_md5", lambda v: v == "abc"),
        ("content_type", lambda v: v == "text/plain; charset=latin1; x=y"),
        ("content_length", lambda v: v == 12),
        ("mimetype", lambda v: v == "text/plain"),
        ("mimetype_params", lambda v: v == {"charset": "latin1", "x": "y"}),
        ("user_agent", lambda v: v.string == "curl/8.4.0" and v.browser == "curl"),
        ("is_json", lambda v: v is False),
    ],
)
def test_header_views(name: str, check: t.Callable[[t.Any], bool]) -> None:
    assert check(getattr(make(headers=_FULL_HEADERS), name))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cookies", "ImmutableMultiDict([])"),
        ("if_match", "<ETags ''>"),
        ("if_range", "<IfRange ''>"),
        ("pragma", "HeaderSet([])"),
        ("cache_control", "<RequestCacheControl >"),
        ("range", "None"),
        ("date", "None"),
        ("max_forwards", "None"),
        ("authorization", "None"),
        ("mimetype", "''"),
        ("mimetype_params", "{}"),
        ("access_control_request_headers", "None"),
        ("content_type", "None"),
        ("content_length", "None"),
        ("origin", "None"),
        ("referrer", "None"),
        ("user_agent", "<UserAgent None/None>"),
    ],
)
def test_header_views_absent(name: str, expected: str) -> None:
    assert repr(getattr(make(), name)) == expected


@pytest.mark.parametrize(
    ("headers", "name", "expected"),
    [
        ({"Max-Forwards": "x"}, "max_forwards", None),
        ({"Date": "x"}, "date", None),
        ({"Range": "x"}, "range", None),
        ({"Content-Length": "x"}, "content_length", 0),
        ({"Content-Length": "-5"}, "content_length", 0),
        ({"Content-Length": "5", "Transfer-Encoding": "chunked"}, "content_length", None),
        ({"Content-Type": "Text/HTML; Charset=UTF-8"}, "mimetype", "text/html"),
    ],
)
def test_header_views_malformed(headers: dict[str, str], name: str, expected: t.Any) -> None:
    assert getattr(make(headers=headers), name) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/x+json", True),
        ("APPLICATION/JSON", True),
        ("application/json; charset=utf-8", True),
        ("application/+json", True),
        ("application/vnd.api+json", True),
        ("application/jsonx", False),
        ("text/json", False),
        ("application/x-json", False),
        ("", False),
    ],
)
def test_is_json(content_type: str, expected: bool) -> None:
    assert make(headers={"Content-Type": content_type}).is_json is expected


def test_read_only_header_properties() -> None:
    request = make()
    for name in ("content_type", "origin", "referrer", "date"):
        with pytest.raises(AttributeError, match="read only property"):
            setattr(request, name, "x")


def test_views_are_cached_and_assignable() -> None:
    request = make(query_string=b"a=1", headers={"Cookie": "c=1"})
    assert request.args is request.args
    assert request.cookies is request.cookies
    assert request.url is request.url
    replacement = MultiDict({"b": "2"})
    request.args = replacement
    assert request.args is replacement


def test_storage_classes_are_configurable() -> None:
    class Mutable(Request):
        parameter_storage_class = MultiDict
        dict_storage_class = MultiDict
        list_storage_class = list

    request = make(query_string=b"a=1", headers={"Cookie": "c=1"}, cls=Mutable)
    request.args["b"] = "2"
    assert request.args.to_dict() == {"a": "1", "b": "2"}
    assert type(request.cookies) is MultiDict
    assert type(request.access_route) is list


def test_user_agent_class_is_configurable() -> None:
    class Agent:
        def __init__(self, string: str) -> None:
            self.string = string.upper()

    class Custom(Request):
        user_agent_class = Agent  # type: ignore[assignment]

    assert make(headers={"User-Agent": "x"}, cls=Custom).user_agent.string == "X"


def test_lazy_attributes_stay_non_data_descriptors() -> None:
    # The checkers see a __set__ (so assigning type-checks); at runtime there
    # is none, so after the first read the instance attribute answers alone.
    from wsgikit.sansio.request import _lazy

    assert not hasattr(_lazy, "__set__")
    calls = []

    class Thing:
        @_lazy
        def value(self) -> int:
            calls.append(1)
            return 42

    thing = Thing()
    assert (thing.value, thing.value) == (42, 42)
    assert calls == [1]
    thing.value = 7
    assert thing.value == 7
