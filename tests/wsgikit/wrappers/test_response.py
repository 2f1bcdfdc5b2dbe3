"""Tests for wsgikit.wrappers.response and wsgikit.sansio.response."""

from __future__ import annotations

import datetime
import io
import json
import typing as t
import wsgiref.util
import wsgiref.validate
from http import HTTPStatus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit.datastructures import ContentRange
from wsgikit.datastructures import Headers
from wsgikit.datastructures import WWWAuthenticate
from wsgikit.exceptions import RequestedRangeNotSatisfiable
from wsgikit.http import COEP
from wsgikit.http import COOP
from wsgikit.wrappers.response import Response
from wsgikit.wrappers.response import ResponseStream
from wsgikit.wrappers.response import _RangeWrapper

UTC = datetime.timezone.utc


def make_environ(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, t.Any]:
    """A complete WSGI environ, without depending on wsgikit.test."""
    environ: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "HTTP_HOST": "localhost",
    }
    wsgiref.util.setup_testing_defaults(environ)
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def wsgi_output(response: Response, environ: dict[str, t.Any] | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run ``response`` as a WSGI app and collect status, headers and body."""
    captured: list[t.Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
        captured[:] = [status, headers]
        return lambda data: None

    app_iter = response(environ or make_environ(), start_response)
    try:
        body = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    return captured[0], captured[1], body


def without_date(headers: t.Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k != "Date"]


TEXT = ("Content-Type", "text/plain; charset=utf-8")


# -- status -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [
        (None, "200 OK", 200),
        (200, "200 OK", 200),
        (404, "404 NOT FOUND", 404),
        (HTTPStatus.NOT_FOUND, "404 NOT FOUND", 404),
        (418, "418 I'M A TEAPOT", 418),
        (999, "999 UNKNOWN", 999),
        (0, "0 UNKNOWN", 0),
        (-1, "-1 UNKNOWN", -1),
        (1000, "1000 UNKNOWN", 1000),
        (True, "1 UNKNOWN", 1),
        ("200 OK", "200 OK", 200),
        ("200", "200 OK", 200),
        ("404", "404 NOT FOUND", 404),
        (" 200 ", "200 OK", 200),
        ("0200", "200 OK", 200),
        ("200 Custom", "200 Custom", 200),
        ("999 Foo", "999 Foo", 999),
        ("999", "999 UNKNOWN", 999),
        ("404  Not  Found", "404  Not  Found", 404),
        ("-1 X", "-1 X", -1),
        # Not starting with a number: kept with code 0, as Werkzeug does.
        ("I'm not a status", "0 I'm not a status", 0),
        ("abc def", "0 abc def", 0),
        ("20x", "0 20x", 0),
        ("200\tOK", "0 200\tOK", 0),
    ],
)
def test_status(value: t.Any, status: str, code: int) -> None:
    response = Response(status=value)
    assert response.status == status
    assert response.status_code == code


@pytest.mark.parametrize(
    ("value", "exc", "message"),
    [
        ("", ValueError, "Empty status argument"),
        ("   ", ValueError, "Empty status argument"),
        ("200 OK\r\nX-Injected: 1", ValueError, "newline"),
        ("200\n", None, None),  # trailing whitespace is stripped, so this is fine
        ("200 OK\x00", ValueError, "NUL"),
        (200.5, TypeError, "float"),
        (b"200", TypeError, "bytes"),
    ],
)
def test_status_errors(value: t.Any, exc: type[Exception] | None, message: str | None) -> None:
    if exc is None:
        assert Response(status=value).status == "200 OK"
        return
    with pytest.raises(exc, match=message):
        Response(status=value)


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [(404, "404 NOT FOUND", 404), ("201", "201 CREATED", 201), (123, "123 UNKNOWN", 123), ("abc", "0 abc", 0)],
)
def test_status_code_setter(value: t.Any, status: str, code: int) -> None:
    response = Response()
    response.status_code = value
    assert (response.status, response.status_code) == (status, code)


def test_status_setter_and_default_status_subclass() -> None:
    class NotFoundResponse(Response):
        default_status = 404

    response = NotFoundResponse()
    assert response.status == "404 NOT FOUND"
    response.status = "201 Made"
    assert (response.status, response.status_code) == ("201 Made", 201)


# -- construction, content type -----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["text/plain; charset=utf-8"]),
        ({"mimetype": "text/html"}, ["text/html; charset=utf-8"]),
        ({"mimetype": "application/json"}, ["application/json"]),
        ({"mimetype": "image/svg+xml"}, ["image/svg+xml; charset=utf-8"]),
        ({"mimetype": "application/xml"}, ["application/xml; charset=utf-8"]),
        ({"mimetype": "application/javascript"}, ["application/javascript; charset=utf-8"]),
        ({"mimetype": "application/vnd.api+json"}, ["application/vnd.api+json"]),
        ({"mimetype": "TEXT/HTML"}, ["TEXT/HTML"]),
        ({"mimetype": ""}, [""]),
        ({"content_type": "foo/bar"}, ["foo/bar"]),
        ({"content_type": ""}, [""]),
        ({"mimetype": "text/html", "content_type": "x/y"}, ["x/y"]),
        ({"headers": {"Content-Type": "a/b"}}, ["a/b"]),
        ({"headers": {"Content-Type": "a/b"}, "mimetype": "text/html"}, ["text/html; charset=utf-8"]),
        ({"headers": {"Content-Type": "a/b"}, "content_type": "c/d"}, ["c/d"]),
        ({"headers": {}}, ["text/plain; charset=utf-8"]),
        ({"headers": []}, ["text/plain; charset=utf-8"]),
    ],
)
def test_content_type_on_construction(kwargs: dict[str, t.Any], expected: list[str]) -> None:
    response = Response("x", **kwargs)
    assert response.headers.getlist("Content-Type") == expected
    status, headers, body = wsgi_output(response)
    assert [v for k, v in headers if k == "Content-Type"] == expected
    assert body == b"x"


def test_default_mimetype_subclass() -> None:
    class Html(Response):
        default_mimetype = "text/html"

    class Bare(Response):
        default_mimetype = None

    assert Html().content_type == "text/html; charset=utf-8"
    assert Bare().mimetype is None
    assert "Content-Type" not in Bare().headers
    assert wsgi_output(Bare("x"))[1] == [("Content-Length", "1")]


@pytest.mark.parametrize(
    ("content_type", "mimetype", "params", "is_json"),
    [
        ("text/html; charset=utf-8", "text/html", {"charset": "utf-8"}, False),
        ('text/html;charset=latin-1;  q="a;b"', "text/html", {"charset": "latin-1", "q": "a;b"}, False),
        ("application/json", "application/json", {}, True),
        ("application/problem+json", "application/problem+json", {}, True),
        ("application/jsonx", "application/jsonx", {}, False),
        ("text/json", "text/json", {}, False),
        ("", None, {}, False),
    ],
)
def test_mimetype_and_params(content_type: str, mimetype: str | None, params: dict[str, str], is_json: bool) -> None:
    response = Response(content_type=content_type)
    assert response.mimetype == mimetype
    assert dict(response.mimetype_params) == params
    assert response.is_json is is_json


def test_mimetype_setter_and_params_update() -> None:
    response = Response()
    response.mimetype = "text/html"
    assert response.content_type == "text/html; charset=utf-8"
    response.mimetype_params["charset"] = "latin1"
    assert response.content_type == "text/html; charset=latin1"
    response.mimetype_params["x"] = "y z"
    assert response.content_type == 'text/html; charset=latin1; x="y z"'
    response.mimetype = None
    assert "Content-Type" not in response.headers


def test_headers_argument_forms() -> None:
    shared = Headers([("X", "1")])
    response = Response("x", headers=shared)
    assert response.headers is shared
    assert Response(headers={"X-A": ["1", "2"]}).headers.getlist("X-A") == ["1", "2"]
    assert Response(headers=[("X", "1"), ("X", "2")]).headers.getlist("X") == ["1", "2"]
    replacement = Headers([("Y", "2")])
    response.headers = replacement
    assert response.headers is replacement
    assert wsgi_output(response)[1] == [("Y", "2"), ("Content-Length", "1")]


def test_lazy_headers_materialise_in_order() -> None:
    response = Response("Hello")
    assert list(response.headers) == [TEXT, ("Content-Length", "5")]
    response.headers["X-Late"] = "1"
    response.set_data(b"Hi")
    assert list(response.headers) == [TEXT, ("Content-Length", "2"), ("X-Late", "1")]
    assert response.mimetype == "text/plain"


@pytest.mark.parametrize(
    "build",
    [
        lambda: Response(headers={"X": "a\r\nb"}),
        lambda: Response(headers=[("X", "a\nb")]),
        lambda: Response(headers={"X": "a\x00b"}),
        lambda: Response(mimetype="text/html\r\nX-Injected: 1"),
        lambda: Response(content_type="text/html\nX: 1"),
        lambda: Response().headers.__setitem__("X", "a\rb"),
        lambda: Response().set_cookie("k\n", "v"),
        lambda: setattr(Response(), "location", "/x\r\nSet-Cookie: a=b"),
    ],
)
def test_header_injection_refused(build: t.Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize(
    ("body", "expected_response", "length"),
    [
        (None, [], "0"),
        ("Hello", [b"Hello"], "5"),
        ("ü", [b"\xc3\xbc"], "2"),
        (b"abc", [b"abc"], "3"),
        (bytearray(b"ab"), [bytearray(b"ab")], "2"),
    ],
)
def test_body_construction(body: t.Any, expected_response: list[bytes], length: str) -> None:
    response = Response(body)
    assert response.response == expected_response
    assert response.get_data() == b"".join(expected_response)
    assert dict(wsgi_output(response)[1])["Content-Length"] == length


def test_body_type_errors() -> None:
    with pytest.raises(TypeError):
        Response(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        Response().set_data(123)  # type: ignore[arg-type]


def test_data_property_and_as_text() -> None:
    response = Response()
    response.data = "héllo"
    assert response.data == "héllo".encode()
    assert response.get_data(as_text=True) == "héllo"
    assert response.content_length == 6
    response.automatically_set_content_length = False
    response.set_data(b"abcd")
    assert response.content_length == 6  # left alone
    response.set_data(memoryview(b"xyz"))
    assert response.response == [b"xyz"]


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (lambda: Response("Hello"), "<Response 5 bytes [200 OK]>"),
        (lambda: Response(["a", "b"]), "<Response 2 bytes [200 OK]>"),
        (lambda: Response(["ü"]), "<Response 2 bytes [200 OK]>"),
        (lambda: Response(iter([b"a"])), "<Response streamed [200 OK]>"),
        (lambda: Response(status=404), "<Response 0 bytes [404 NOT FOUND]>"),
        (lambda: Response(iter([]), status=204), "<Response streamed [204 NO CONTENT]>"),
    ],
)
def test_repr(response: t.Callable[[], Response], expected: str) -> None:
    assert repr(response()) == expected


def test_repr_likely_streamed_and_sansio() -> None:
    from wsgikit.sansio.response import Response as SansIOResponse

    class Sized:
        def __len__(self) -> int:
            return 1

        def __iter__(self) -> t.Iterator[bytes]:
            return iter([b"a"])

    assert repr(Response(Sized())) == "<Response likely-streamed [200 OK]>"
    assert repr(SansIOResponse(status=404)) == "<Response [404 NOT FOUND]>"
    assert SansIOResponse().headers.get("Content-Type") == "text/plain; charset=utf-8"


# -- WSGI output ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "method", "body", "expected_headers", "expected_body"),
    [
        (200, "GET", "hi", [TEXT, ("Content-Length", "2")], b"hi"),
        (200, "HEAD", "hello", [TEXT, ("Content-Length", "5")], b""),
        (200, "HEAD", ("a", "bc"), [TEXT, ("Content-Length", "3")], b""),
        (200, "GET", ["a", b"b", "ü"], [TEXT, ("Content-Length", "4")], b"ab\xc3\xbc"),
        (200, "GET", iter([b"a", "b"]), [TEXT], b"ab"),
        (404, "GET", "nope", [TEXT, ("Content-Length", "4")], b"nope"),
        (204, "GET", "hi", [TEXT], b""),
        (204, "GET", iter([b"a"]), [TEXT], b""),
        (100, "GET", "hi", [TEXT], b""),
        (101, "GET", "hi", [TEXT], b""),
        (199, "GET", "hi", [TEXT], b""),
        (304, "GET", "hi", [], b""),
        (304, "GET", iter([b"a"]), [], b""),
        (412, "GET", "x", [TEXT, ("Content-Length", "1")], b"x"),
        (0, "GET", "x", [TEXT, ("Content-Length", "1")], b"x"),
    ],
)
def test_wsgi_output(status: int, method: str, body: t.Any, expected_headers: list[tuple[str, str]], expected_body: bytes) -> None:
    response = Response(body, status=status)
    out_status, headers, out_body = wsgi_output(response, make_environ(method))
    assert out_status == response.status
    assert headers == expected_headers
    assert out_body == expected_body


@pytest.mark.parametrize("materialise", [False, True])
@pytest.mark.parametrize(
    ("status", "method", "expected_headers"),
    [
        (200, "GET", [TEXT, ("Content-Length", "2")]),
        (204, "GET", [TEXT]),
        (304, "GET", []),
        (200, "HEAD", [TEXT, ("Content-Length", "2")]),
    ],
)
def test_fast_and_general_paths_agree(materialise: bool, status: int, method: str, expected_headers: list[tuple[str, str]]) -> None:
    response = Response("hi", status=status)
    if materialise:
        response.headers  # noqa: B018 -- leaves the lazy path
    app_iter, out_status, headers = response.get_wsgi_response(make_environ(method))
    assert headers == expected_headers
    assert list(app_iter) == ([b"hi"] if status == 200 and method == "GET" else [])


def test_304_removes_entity_headers() -> None:
    response = Response(
        "hi",
        status=304,
        headers={
            "ETag": '"x"',
            "Content-Encoding": "gzip",
            "Expires": "x",
            "Last-Modified": "y",
            "Content-Language": "en",
            "Allow": "GET",
            "Content-Location": "/x",
            "Content-MD5": "z",
            "Content-Range": "bytes 0-1/2",
            "X": "1",
        },
    )
    assert wsgi_output(response)[1] == [("ETag", '"x"'), ("Expires", "x"), ("Content-Location", "/x"), ("X", "1")]


def test_explicit_content_length_is_kept_but_dropped_for_204() -> None:
    response = Response("hi")
    response.headers["Content-Length"] = "99"
    assert wsgi_output(response)[1] == [TEXT, ("Content-Length", "99")]
    empty = Response(status=204)
    empty.headers["Content-Length"] = "0"
    assert wsgi_output(empty)[1] == [TEXT]


@pytest.mark.parametrize(
    ("location", "autocorrect", "expected"),
    [
        ("/föo bar?x=ü", False, "/f%C3%B6o%20bar?x=%C3%BC"),
        ("rel", False, "rel"),
        ("http://x.com/ü", False, "http://x.com/%C3%BC"),
        ("rel", True, "http://localhost/a/rel"),
        ("/abs", True, "http://localhost/abs"),
        ("//other/x", True, "http://other/x"),
        ("https://example.com/", True, "https://example.com/"),
    ],
)
def test_location_header(location: str, autocorrect: bool, expected: str) -> None:
    class Corrected(Response):
        autocorrect_location_header = autocorrect

    response = Corrected("hi")
    response.location = location
    environ = make_environ(path="/a/b", query="x=1")
    headers = dict(wsgi_output(response, environ)[1])
    assert headers["Location"] == expected
    assert response.location == location  # the object itself is not changed


def test_content_location_is_made_ascii() -> None:
    response = Response("hi", headers={"Content-Location": "/ö"})
    assert dict(wsgi_output(response)[1])["Content-Location"] == "/%C3%B6"


def test_get_wsgi_headers_returns_copy() -> None:
    response = Response(["a", "b"])
    headers = response.get_wsgi_headers(make_environ())
    assert isinstance(headers, Headers)
    assert headers["Content-Length"] == "2"
    assert "Content-Length" not in response.headers


def test_subclass_overriding_get_wsgi_headers_is_used() -> None:
    class Stamped(Response):
        def get_wsgi_headers(self, environ: t.Any) -> Headers:
            headers = super().get_wsgi_headers(environ)
            headers["X-Stamp"] = "1"
            return headers

    assert ("X-Stamp", "1") in wsgi_output(Stamped("hi"))[1]


def test_app_iter_is_returned_raw_for_direct_passthrough() -> None:
    body = iter([b"raw"])
    response = Response(body, direct_passthrough=True)
    assert response.get_app_iter(make_environ()) is body
    with pytest.raises(RuntimeError, match="direct passthrough"):
        response.get_data()


@pytest.mark.parametrize(
    "build",
    [
        lambda: Response("Hello, World!"),
        lambda: Response(["a", b"b"], status=201),
        lambda: Response(iter([b"x", b"y"]), status=404, mimetype="text/html"),
        lambda: Response(status=304),
        lambda: Response(json.dumps({"a": 1}), mimetype="application/json"),
        lambda: Response(b"", status=500),
        lambda: Response("ok", status="299 Custom Reason"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_wsgiref_validator_round_trip(build: t.Callable[[], Response], method: str) -> None:
    response = build()
    expected = build().get_data()  # a fresh copy: a streamed body is used up by the run
    status, headers, body = wsgi_output(wsgiref.validate.validator(response), make_environ(method))  # type: ignore[arg-type]
    assert status == response.status
    if method == "HEAD" or response.status_code == 304:
        assert body == b""
    else:
        assert body == expected


# -- cookies ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("a", "b"), {}, "a=b; Path=/"),
        (("a",), {}, "a=; Path=/"),
        (
            ("k", "v w;\""),
            {
                "max_age": 60,
                "expires": datetime.datetime(2030, 1, 1),
                "path": "/p",
                "domain": ".Example.com",
                "secure": True,
                "httponly": True,
                "samesite": "Lax",
                "partitioned": True,
            },
            'k="v w\\073\\""; Domain=Example.com; Expires=Tue, 01 Jan 2030 00:00:00 GMT;'
            " Max-Age=60; Secure; HttpOnly; Path=/p; SameSite=Lax; Partitioned",
        ),
        (("t", "x"), {"path": None, "samesite": "strict"}, "t=x; SameSite=Strict"),
        (("t", "x"), {"samesite": "None", "secure": True}, "t=x; Secure; Path=/; SameSite=None"),
    ],
)
def test_set_cookie(args: tuple[str, ...], kwargs: dict[str, t.Any], expected: str) -> None:
    response = Response()
    response.set_cookie(*args, **kwargs)
    assert response.headers.getlist("Set-Cookie") == [expected]


def test_set_cookie_max_age_timedelta_sets_expires() -> None:
    response = Response()
    response.set_cookie("t", "x", max_age=datetime.timedelta(hours=1))
    value = response.headers["Set-Cookie"]
    assert "Max-Age=3600" in value
    assert "Expires=" in value


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
        (
            {"path": "/p", "domain": "example.com", "secure": True, "httponly": True, "samesite": "None", "partitioned": True},
            "a=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0;"
            " Secure; HttpOnly; Path=/p; SameSite=None; Partitioned",
        ),
    ],
)
def test_delete_cookie(kwargs: dict[str, t.Any], expected: str) -> None:
    response = Response()
    response.delete_cookie("a", **kwargs)
    assert response.headers.getlist("Set-Cookie") == [expected]


def test_several_cookies_are_separate_headers() -> None:
    response = Response("x")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2")
    headers = wsgi_output(response)[1]
    assert [v for k, v in headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]


def test_cookie_errors_and_size_warning() -> None:
    response = Response()
    with pytest.raises(ValueError, match="SameSite"):
        response.set_cookie("x", "y", samesite="bogus")
    with pytest.warns(UserWarning, match="too large"):
        response.set_cookie("x", "y" * 5000)
    response.max_cookie_size = 0
    response.set_cookie("big", "y" * 5000)  # no warning when disabled
    assert len(response.headers.getlist("Set-Cookie")) == 2


# -- typed header properties -----------------------------------------------------


def test_cache_control() -> None:
    response = Response()
    assert not response.cache_control
    response.cache_control.max_age = 10
    response.cache_control.public = True
    assert response.headers["Cache-Control"] == "max-age=10, public"
    response.cache_control.no_cache = True
    assert response.headers["Cache-Control"] == "max-age=10, public, no-cache"
    response.headers["Cache-Control"] = "max-age=5, private"
    assert response.cache_control.max_age == 5
    assert response.cache_control.private is True
    response.headers["Cache-Control"] = "no-store"
    assert response.cache_control.no_store is True


@pytest.mark.parametrize(
    ("attr", "value", "header", "read_back"),
    [
        ("expires", datetime.datetime(2020, 1, 1), "Wed, 01 Jan 2020 00:00:00 GMT", datetime.datetime(2020, 1, 1, tzinfo=UTC)),
        ("expires", 0, "Thu, 01 Jan 1970 00:00:00 GMT", datetime.datetime(1970, 1, 1, tzinfo=UTC)),
        ("last_modified", 1577836800, "Wed, 01 Jan 2020 00:00:00 GMT", datetime.datetime(2020, 1, 1, tzinfo=UTC)),
        ("date", datetime.datetime(2020, 1, 1, tzinfo=UTC), "Wed, 01 Jan 2020 00:00:00 GMT", datetime.datetime(2020, 1, 1, tzinfo=UTC)),
        ("age", 10, "10", datetime.timedelta(seconds=10)),
        ("age", datetime.timedelta(minutes=1), "60", datetime.timedelta(seconds=60)),
        ("content_length", 5, "5", 5),
        ("content_location", "/x", "/x", "/x"),
        ("content_encoding", "gzip", "gzip", "gzip"),
        ("content_md5", "abc", "abc", "abc"),
        ("location", "/x", "/x", "/x"),
        ("accept_ranges", "bytes", "bytes", "bytes"),
        ("content_type", "text/html", "text/html", "text/html"),
        ("access_control_allow_origin", "*", "*", "*"),
        ("access_control_max_age", 10, "10", 10),
        ("cross_origin_opener_policy", COOP.SAME_ORIGIN, "same-origin", COOP.SAME_ORIGIN),
        ("cross_origin_opener_policy", "same-origin-allow-popups", "same-origin-allow-popups", COOP.SAME_ORIGIN_ALLOW_POPUPS),
        ("cross_origin_embedder_policy", COEP.REQUIRE_CORP, "require-corp", COEP.REQUIRE_CORP),
        ("retry_after", datetime.datetime(2030, 1, 1), "Tue, 01 Jan 2030 00:00:00 GMT", datetime.datetime(2030, 1, 1, tzinfo=UTC)),
        ("content_range", "bytes 1-2/3", "bytes 1-2/3", None),
        ("content_security_policy", "script-src 'none'", "script-src 'none'", None),
        ("content_security_policy_report_only", "img-src *", "img-src *", None),
    ],
)
def test_header_properties_round_trip(attr: str, value: t.Any, header: str, read_back: t.Any) -> None:
    response = Response()
    setattr(response, attr, value)
    name = {
        "content_md5": "Content-MD5",
        "access_control_max_age": "Access-Control-Max-Age",
    }.get(attr, attr.replace("_", "-"))
    assert response.headers[name] == header
    if read_back is not None:
        assert getattr(response, attr) == read_back


@pytest.mark.parametrize(
    ("attr", "header", "raw", "expected"),
    [
        ("age", "Age", "x", None),
        ("age", "Age", "-5", None),
        ("access_control_max_age", "Access-Control-Max-Age", "x", None),
        ("content_length", "Content-Length", "x", None),
        ("expires", "Expires", "garbage", None),
        ("retry_after", "Retry-After", "junk", None),
        ("cross_origin_opener_policy", "Cross-Origin-Opener-Policy", "bogus", COOP.UNSAFE_NONE),
        ("cross_origin_embedder_policy", "Cross-Origin-Embedder-Policy", "bogus", COEP.UNSAFE_NONE),
        ("access_control_allow_credentials", "Access-Control-Allow-Credentials", "true", True),
    ],
)
def test_header_properties_tolerate_bad_values(attr: str, header: str, raw: str, expected: t.Any) -> None:
    response = Response()
    response.headers[header] = raw
    assert getattr(response, attr) == expected


def test_property_defaults_when_missing() -> None:
    response = Response()
    assert response.expires is None
    assert response.age is None
    assert response.retry_after is None
    assert response.location is None
    assert response.access_control_allow_credentials is False
    assert response.cross_origin_opener_policy is COOP.UNSAFE_NONE
    assert response.cross_origin_embedder_policy is COEP.UNSAFE_NONE
    assert not response.content_range
    assert not response.content_security_policy
    assert response.get_etag() == (None, None)


def test_age_refuses_negative() -> None:
    with pytest.raises(ValueError):
        Response().age = -1  # type: ignore[assignment]


def test_retry_after_seconds_is_relative_to_now() -> None:
    response = Response()
    response.retry_after = 120  # type: ignore[assignment]
    assert response.headers["Retry-After"] == "120"
    delta = response.retry_after - datetime.datetime.now(UTC)  # type: ignore[operator]
    assert datetime.timedelta(seconds=100) < delta <= datetime.timedelta(seconds=120)
    response.retry_after = None
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("attr,header", [("vary", "Vary"), ("allow", "Allow"), ("content_language", "Content-Language")])
def test_header_sets(attr: str, header: str) -> None:
    response = Response()
    assert len(getattr(response, attr)) == 0
    getattr(response, attr).add("Cookie")
    assert response.headers[header] == "Cookie"
    getattr(response, attr).add("Accept")
    assert response.headers[header] == "Cookie, Accept"
    getattr(response, attr).clear()
    assert header not in response.headers
    setattr(response, attr, ["a", "b"])
    assert response.headers[header] == "a, b"
    setattr(response, attr, "X, Y")
    assert list(getattr(response, attr)) == ["X", "Y"]
    setattr(response, attr, [])
    assert header not in response.headers


def test_access_control_properties() -> None:
    response = Response()
    response.access_control_allow_credentials = True
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.access_control_allow_credentials is True
    response.access_control_allow_credentials = False
    assert "Access-Control-Allow-Credentials" not in response.headers
    response.access_control_allow_headers = ["X-A", "X-B"]  # type: ignore[assignment]
    assert response.headers["Access-Control-Allow-Headers"] == "X-A, X-B"
    assert list(response.access_control_allow_headers) == ["X-A", "X-B"]
    response.access_control_allow_methods = ["GET", "POST"]  # type: ignore[assignment]
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
    response.access_control_expose_headers = ["X-Total"]  # type: ignore[assignment]
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"
    assert response.access_control_allow_origin is None


def test_content_range_property() -> None:
    response = Response()
    response.content_range.set(0, 5, 10)
    assert response.headers["Content-Range"] == "bytes 0-4/10"
    response.content_range = ContentRange("bytes", 0, 5, 10)
    response.content_range.stop = 3
    assert response.headers["Content-Range"] == "bytes 0-2/10"
    response.content_range = None
    assert "Content-Range" not in response.headers
    response.headers["Content-Range"] = "junk"
    assert not response.content_range
    with pytest.raises(TypeError, match="content_range"):
        response.content_range = (0, 5, 10)  # type: ignore[assignment]


def test_content_security_policy_property() -> None:
    response = Response()
    response.content_security_policy.default_src = "'self'"
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    response.content_security_policy.img_src = "*"
    assert response.headers["Content-Security-Policy"] == "default-src 'self'; img-src *"
    response.content_security_policy = None
    assert "Content-Security-Policy" not in response.headers
    response.content_security_policy_report_only = "script-src 'none'"
    assert response.content_security_policy_report_only.script_src == "'none'"


def test_www_authenticate_property() -> None:
    response = Response()
    assert response.www_authenticate.type == "basic"
    assert "WWW-Authenticate" not in response.headers
    response.www_authenticate = WWWAuthenticate("basic", {"realm": "a"})
    assert response.headers["WWW-Authenticate"] == "Basic realm=a"
    response.www_authenticate = [WWWAuthenticate("basic", {"realm": "a"}), WWWAuthenticate("bearer")]
    assert response.headers.getlist("WWW-Authenticate") == ["Basic realm=a", "Bearer"]
    response.www_authenticate = None
    assert response.headers.getlist("WWW-Authenticate") == []
    challenge = response.www_authenticate
    challenge["realm"] = "site"
    assert response.headers["WWW-Authenticate"] == "Basic realm=site"
    response.www_authenticate = [WWWAuthenticate("basic"), WWWAuthenticate("bearer")]
    del response.www_authenticate
    assert "WWW-Authenticate" not in response.headers
    del response.www_authenticate  # deleting a missing header is fine
    assert response.www_authenticate.type == "basic"


# -- etags ----------------------------------------------------------------------


def test_etags() -> None:
    response = Response("abc")
    response.add_etag()
    assert response.get_etag() == ("a9993e364706816aba3e25717850c26c9cd0d89d", False)
    response.set_data(b"changed")
    response.add_etag()  # already set: kept
    assert response.get_etag()[0] == "a9993e364706816aba3e25717850c26c9cd0d89d"
    response.add_etag(overwrite=True, weak=True)
    assert response.headers["ETag"].startswith('W/"')
    response.set_etag("x")
    assert response.headers["ETag"] == '"x"'
    with pytest.raises(ValueError):
        response.set_etag('a"b')


# -- make_conditional -------------------------------------------------------------

LAST_MODIFIED = datetime.datetime(2020, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("request_headers", "method", "accept_ranges", "complete_length", "expected"),
    [
        # (status, Content-Length, Content-Range, Accept-Ranges, body)
        ({}, "GET", False, None, (200, "10", None, None, b"0123456789")),
        ({"If-None-Match": '"abc"'}, "GET", False, None, (304, "10", None, None, b"")),
        ({"If-None-Match": 'W/"abc"'}, "GET", False, None, (304, "10", None, None, b"")),
        ({"If-None-Match": "*"}, "GET", False, None, (304, "10", None, None, b"")),
        ({"If-None-Match": '"x", "abc"'}, "GET", False, None, (304, "10", None, None, b"")),
        ({"If-None-Match": '"x"'}, "GET", False, None, (200, "10", None, None, b"0123456789")),
        ({"If-None-Match": '"abc"'}, "HEAD", False, None, (304, "10", None, None, b"")),
        ({"If-None-Match": '"abc"'}, "POST", False, None, (200, "10", None, None, b"0123456789")),
        ({"If-Match": '"abc"', "If-None-Match": '"abc"'}, "GET", False, None, (200, "10", None, None, b"0123456789")),
        ({"If-Match": '"zzz"'}, "GET", False, None, (412, "10", None, None, b"0123456789")),
        ({"If-Unmodified-Since": "Tue, 31 Dec 2019 00:00:00 GMT"}, "GET", False, None, (200, "10", None, None, b"0123456789")),
        ({"If-Range": '"x"'}, "GET", True, 10, (200, "10", None, "bytes", b"0123456789")),
        ({"Range": "bytes=0-4"}, "GET", True, 10, (206, "5", "bytes 0-4/10", "bytes", b"01234")),
        ({"Range": "bytes=5-"}, "GET", True, 10, (206, "5", "bytes 5-9/10", "bytes", b"56789")),
        ({"Range": "bytes=-3"}, "GET", True, 10, (206, "3", "bytes 7-9/10", "bytes", b"789")),
        ({"Range": "bytes=8-20"}, "GET", True, 10, (206, "2", "bytes 8-9/10", "bytes", b"89")),
        ({"Range": "bytes=0-4"}, "GET", "custom", 10, (206, "5", "bytes 0-4/10", "custom", b"01234")),
        ({"Range": "bytes=0-4"}, "HEAD", True, 10, (206, "5", "bytes 0-4/10", "bytes", b"")),
        ({"Range": "bytes=0-4"}, "GET", False, 10, (200, "10", None, None, b"0123456789")),
        ({"Range": "bytes=0-4"}, "GET", True, None, (200, "10", None, "bytes", b"0123456789")),
        ({"Range": "bytes=0-4"}, "GET", True, 0, (200, "10", None, "bytes", b"0123456789")),
        ({"Range": "bytes=0-4"}, "POST", True, 10, (200, "10", None, None, b"0123456789")),
        ({}, "GET", True, 10, (200, "10", None, "bytes", b"0123456789")),
        ({}, "GET", "none", None, (200, "10", None, "none", b"0123456789")),
        ({"Range": "bytes=0-4", "If-Range": '"abc"'}, "GET", True, 10, (206, "5", "bytes 0-4/10", "bytes", b"01234")),
        ({"Range": "bytes=0-4", "If-Range": '"old"'}, "GET", True, 10, (200, "10", None, "bytes", b"0123456789")),
        ({"Range": "bytes=0-4", "If-None-Match": '"abc"'}, "GET", True, 10, (206, "5", "bytes 0-4/10", "bytes", b"01234")),
    ],
)
def test_make_conditional_etag_matrix(
    request_headers: dict[str, str], method: str, accept_ranges: t.Any, complete_length: int | None, expected: tuple[t.Any, ...]
) -> None:
    environ = make_environ(method, headers=request_headers)
    response = Response(b"0123456789")
    response.set_etag("abc")
    assert response.make_conditional(environ, accept_ranges, complete_length) is response
    status, content_length, content_range, accept, body = expected
    assert response.status_code == status
    assert response.headers.get("Content-Length") == content_length
    assert response.headers.get("Content-Range") == content_range
    assert response.headers.get("Accept-Ranges") == accept
    assert ("Date" in response.headers) is (method != "POST")
    assert wsgi_output(response, environ)[2] == body


@pytest.mark.parametrize(
    ("weak", "if_none_match", "extra", "status"),
    [
        (True, 'W/"abc"', {}, 304),
        (True, '"abc"', {}, 304),
        (False, 'W/"abc"', {}, 304),
        (False, '"abc"', {"If-Match": '"other"'}, 412),
        (False, '"abc"', {"If-Modified-Since": "Wed, 01 Jan 2020 00:00:00 GMT"}, 304),
        (False, '"ab"', {}, 200),
        (False, '"abc", "x"', {}, 304),
    ],
)
def test_make_conditional_echoed_etag(weak: bool, if_none_match: str, extra: dict[str, str], status: int) -> None:
    response = Response(b"x")
    response.set_etag("abc", weak=weak)
    response.make_conditional(make_environ(headers={"If-None-Match": if_none_match, **extra}))
    assert response.status_code == status


@pytest.mark.parametrize(
    "range_header",
    ["bytes=10-20", "bytes=0-1,3-4", "garbage", "bytes=4-2", "bytes=", "items=0-1", "bytes=--1"],
)
def test_make_conditional_unsatisfiable_range(range_header: str) -> None:
    response = Response(b"0123456789")
    with pytest.raises(RequestedRangeNotSatisfiable) as exc_info:
        response.make_conditional(make_environ(headers={"Range": range_header}), True, 10)
    assert exc_info.value.code == 416
    assert ("Content-Range", "bytes */10") in exc_info.value.get_headers()


@pytest.mark.parametrize(
    ("request_headers", "expected_status"),
    [
        ({"If-Modified-Since": "Wed, 01 Jan 2020 00:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Thu, 02 Jan 2020 00:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Tue, 31 Dec 2019 00:00:00 GMT"}, 200),
        ({"If-Modified-Since": "garbage"}, 200),
        ({"Range": "bytes=0-1", "If-Range": "Wed, 01 Jan 2020 00:00:00 GMT"}, 206),
        ({"Range": "bytes=0-1", "If-Range": "Tue, 31 Dec 2019 00:00:00 GMT"}, 200),
    ],
)
def test_make_conditional_last_modified(request_headers: dict[str, str], expected_status: int) -> None:
    response = Response(b"0123456789")
    response.last_modified = LAST_MODIFIED  # type: ignore[assignment]
    response.make_conditional(make_environ(headers=request_headers), True, 10)
    assert response.status_code == expected_status


def test_make_conditional_streamed_body_and_request_object() -> None:
    class FakeRequest:
        def __init__(self, environ: dict[str, t.Any]) -> None:
            self.environ = environ

    environ = make_environ(headers={"Range": "bytes=2-4"})
    response = Response(iter([b"01234", "56789"]))
    response.make_conditional(FakeRequest(environ), accept_ranges=True, complete_length=10)  # type: ignore[arg-type]
    assert (response.status_code, response.headers["Content-Range"]) == (206, "bytes 2-4/10")
    assert response.headers["Content-Length"] == "3"
    assert response.get_data() == b"234"
    # Without a range the streamed body gets buffered to learn its length.
    plain = Response(iter([b"abc"])).make_conditional(make_environ())
    assert plain.headers["Content-Length"] == "3"
    assert plain.response == [b"abc"]
    with pytest.raises(TypeError, match="environ"):
        Response().make_conditional(object())  # type: ignore[arg-type]


def test_make_conditional_keeps_existing_date_and_skips_unconvertible_stream() -> None:
    response = Response("a", headers={"Date": "Wed, 01 Jan 2020 00:00:00 GMT"})
    response.make_conditional(make_environ())
    assert response.headers.getlist("Date") == ["Wed, 01 Jan 2020 00:00:00 GMT"]
    streamed = Response(iter([b"abc"]))
    streamed.implicit_sequence_conversion = False
    streamed.make_conditional(make_environ())
    assert "Content-Length" not in streamed.headers
    assert streamed.calculate_content_length() is None


def test_range_of_unicode_chunks_counts_bytes() -> None:
    response = Response(["ab", "ü", "cd"])
    response.make_conditional(make_environ(headers={"Range": "bytes=1-3"}), True, 6)
    assert response.get_data() == b"b\xc3\xbc"
    assert response.headers["Content-Length"] == "3"


def test_make_conditional_large_body_range_is_linear() -> None:
    chunks = [bytes([i % 256]) * 100 for i in range(4000)]  # 400 KB in small chunks
    data = b"".join(chunks)
    response = Response(iter(chunks))
    response.make_conditional(make_environ(headers={"Range": "bytes=150000-"}), True, len(data))
    assert response.get_data() == data[150000:]


# -- range wrapper -------------------------------------------------------------


@given(
    data=st.binary(max_size=200),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
    start=st.integers(min_value=0, max_value=220),
    length=st.integers(min_value=0, max_value=220),
)
def test_range_wrapper_matches_slicing(data: bytes, cuts: list[int], start: int, length: int) -> None:
    points = sorted({c for c in cuts if c <= len(data)} | {0, len(data)})
    chunks = [data[a:b] for a, b in zip(points, points[1:])]
    assert b"".join(_RangeWrapper(chunks, start, length)) == data[start : start + length]


def test_range_wrapper_seeks_relative_to_current_position() -> None:
    class Seekable:
        def __init__(self, data: bytes) -> None:
            self.file = io.BytesIO(data)
            self.closed = False

        def seekable(self) -> bool:
            return True

        def seek(self, pos: int) -> None:
            self.file.seek(pos)

        def tell(self) -> int:
            return self.file.tell()

        def __iter__(self) -> t.Iterator[bytes]:
            return iter(lambda: self.file.read(3), b"")

        def close(self) -> None:
            self.closed = True

    source = Seekable(b"XX0123456789")
    source.file.seek(2)
    wrapper = _RangeWrapper(source, 4, 3)
    assert list(wrapper) == [b"456"]
    wrapper.close()
    assert source.closed


# -- freeze, sequences, streams ---------------------------------------------------


def test_freeze() -> None:
    closed: list[bool] = []

    def body() -> t.Iterator[str | bytes]:
        try:
            yield "a"
            yield b"b"
        finally:
            closed.append(True)

    response = Response(body())
    response.freeze()
    assert response.response == [b"a", b"b"]
    assert response.headers["Content-Length"] == "2"
    assert response.headers["ETag"] == '"da23614e02469a0d7c7bd1bdab5c9c474b1904dc"'
    assert closed == [True]


@pytest.mark.parametrize("touch_headers", [False, True])
def test_frozen_response_pickles(touch_headers: bool) -> None:
    import pickle

    response = Response(iter(["a", "b"]), status=201, mimetype="text/html")
    if touch_headers:
        response.headers["X-A"] = "1"
    response.freeze()
    loaded = pickle.loads(pickle.dumps(response))
    assert wsgi_output(loaded) == wsgi_output(response)
    assert loaded.status == "201 CREATED"


def test_freeze_sets_length_even_without_automatic_length() -> None:
    response = Response(["abc"])
    response.automatically_set_content_length = False
    response.freeze()
    assert response.headers["Content-Length"] == "3"


def test_sequence_conversion() -> None:
    response = Response(iter(["a", "ü"]))
    assert (response.is_streamed, response.is_sequence) == (True, False)
    assert response.get_data() == b"a\xc3\xbc"
    assert (response.is_streamed, response.is_sequence) == (False, True)
    assert response.response == [b"a", b"\xc3\xbc"]

    blocked = Response(iter(["a"]))
    blocked.implicit_sequence_conversion = False
    with pytest.raises(RuntimeError, match="make_sequence"):
        blocked.get_data()
    blocked.make_sequence()
    assert blocked.get_data() == b"a"

    frozen_tuple = Response(("a", "b"))
    assert frozen_tuple.is_sequence
    assert Response({"a", "b"}).is_sequence is False


def test_make_sequence_keeps_close_of_original_iterable() -> None:
    class Body:
        closed = 0

        def __iter__(self) -> t.Iterator[bytes | str]:
            return iter([b"a", "b"])

        def close(self) -> None:
            self.closed += 1

    body = Body()
    response = Response(body)
    response.make_sequence()
    assert response.response == [b"a", b"b"]
    assert body.closed == 0
    response.close()
    assert body.closed == 1


def test_response_stream() -> None:
    response = Response(iter([b"x"]))
    stream = response.stream
    assert isinstance(stream, ResponseStream)
    assert stream is response.stream
    assert (stream.mode, stream.encoding, stream.isatty(), stream.tell()) == ("wb+", "utf-8", False, 1)
    assert stream.write("abc") == 3
    assert stream.write(b"de") == 2
    stream.writelines(["f", b"g"])
    assert stream.tell() == 8
    assert response.get_data() == b"xabcdefg"
    assert "Content-Length" not in response.headers
    stream.flush()
    with pytest.raises(TypeError, match="str or bytes"):
        stream.write(5)  # type: ignore[arg-type]
    stream.close()
    assert stream.closed
    for call in (lambda: stream.write("x"), stream.flush, stream.isatty):
        with pytest.raises(ValueError, match="closed file"):
            call()


def test_response_stream_drops_stale_content_length_and_counts_bytes() -> None:
    response = Response("ab")
    response.stream.write("ü")
    assert response.response == [b"ab", "ü"]
    assert "Content-Length" not in response.headers
    assert response.stream.tell() == 4
    assert wsgi_output(response)[1] == [TEXT, ("Content-Length", "4")]


def test_stream_into_tuple_body_makes_list() -> None:
    response = Response(("a", "b"))
    response.stream.write("c")
    assert response.response == ["a", "b", "c"]


# -- closing -------------------------------------------------------------------------


class ClosableBody:
    def __init__(self) -> None:
        self.closed = 0

    def __iter__(self) -> t.Iterator[bytes]:
        return iter([b"a", b"b"])

    def close(self) -> None:
        self.closed += 1


@pytest.mark.parametrize(
    ("status", "method", "body"),
    [(200, "GET", b"ab"), (200, "HEAD", b""), (304, "GET", b""), (204, "GET", b"")],
)
def test_app_iter_close_closes_body(status: int, method: str, body: bytes) -> None:
    source = ClosableBody()
    response = Response(source, status=status)
    calls: list[int] = []
    response.call_on_close(lambda: calls.append(1))
    assert wsgi_output(response, make_environ(method))[2] == body
    assert source.closed == 1
    assert calls == [1]


def test_call_on_close_decorator_and_context_manager() -> None:
    source = ClosableBody()
    calls: list[str] = []
    with Response(source) as response:

        @response.call_on_close
        def cleanup() -> None:
            calls.append("cleanup")

        assert callable(cleanup)
    assert source.closed == 1
    assert calls == ["cleanup"]


# -- from_app, force_type -------------------------------------------------------------


def simple_app(environ: t.Any, start_response: t.Any) -> list[bytes]:
    start_response("201 CREATED", [("X", "1"), ("Content-Type", "text/html")])
    return [b"a", b"b"]


def write_app(environ: t.Any, start_response: t.Any) -> list[bytes]:
    write = start_response("200 OK", [])
    write(b"pre")
    return [b"post"]


def lazy_app(environ: t.Any, start_response: t.Any) -> t.Iterator[bytes]:
    yield b"first"
    start_response("202 ACCEPTED", [("Content-Type", "x/y")])
    yield b"second"


@pytest.mark.parametrize("buffered", [False, True])
@pytest.mark.parametrize(
    ("app", "status", "headers", "body"),
    [
        (simple_app, "201 CREATED", [("X", "1"), ("Content-Type", "text/html")], b"ab"),
        (write_app, "200 OK", [TEXT], b"prepost"),
        (lazy_app, "202 ACCEPTED", [("Content-Type", "x/y")], b"firstsecond"),
    ],
)
def test_from_app(app: t.Any, status: str, headers: list[tuple[str, str]], body: bytes, buffered: bool) -> None:
    response = Response.from_app(app, make_environ(), buffered=buffered)
    assert response.status == status
    assert list(response.headers) == headers
    assert response.is_sequence is buffered
    assert response.get_data() == body


def test_from_app_closes_app_iterable() -> None:
    source = ClosableBody()

    def app(environ: t.Any, start_response: t.Any) -> ClosableBody:
        start_response("200 OK", [])
        return source

    Response.from_app(app, make_environ(), buffered=True)
    assert source.closed == 1
    streamed = Response.from_app(app, make_environ())
    assert streamed.get_data() == b"ab"
    streamed.close()
    assert source.closed == 2


def test_from_app_without_start_response() -> None:
    def app(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return [b"x"]

    with pytest.raises(RuntimeError, match="start_response"):
        Response.from_app(app, make_environ())


def test_force_type() -> None:
    class MyResponse(Response):
        pass

    base = Response("x", status=404, headers={"X": "1"})
    converted = MyResponse.force_type(base)
    assert converted is base
    assert type(converted) is MyResponse
    assert converted.status == "404 NOT FOUND"

    from_app = MyResponse.force_type(simple_app, make_environ())
    assert type(from_app) is MyResponse
    assert from_app.get_data() == b"ab"

    with pytest.raises(TypeError, match="without an environ"):
        MyResponse.force_type(simple_app)
    with pytest.raises(TypeError, match="WSGI application"):
        MyResponse.force_type(123, make_environ())  # type: ignore[arg-type]


# -- JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "mimetype", "json_value", "forced"),
    [
        ('{"a": 1}', "application/json", {"a": 1}, {"a": 1}),
        ('{"a": 1}', "application/vnd.x+json", {"a": 1}, {"a": 1}),
        ('{"a": 1}', "text/plain", None, {"a": 1}),
        ("[1, 2]", "application/json", [1, 2], [1, 2]),
    ],
)
def test_json(body: str, mimetype: str, json_value: t.Any, forced: t.Any) -> None:
    response = Response(body, mimetype=mimetype)
    assert response.json == json_value
    assert response.get_json(force=True) == forced


def test_json_errors_and_module() -> None:
    response = Response("{bad", mimetype="application/json")
    with pytest.raises(ValueError):
        response.get_json()
    assert response.get_json(silent=True) is None

    class Loader:
        @staticmethod
        def loads(data: bytes) -> str:
            return "custom:" + data.decode()

    class Custom(Response):
        json_module = Loader  # type: ignore[assignment]

    assert Custom("x", mimetype="application/json").json == "custom:x"


# -- hypothesis round trips -------------------------------------------------------------


@given(st.text(max_size=50))
def test_text_body_round_trip(text: str) -> None:
    response = Response(text)
    status, headers, body = wsgi_output(response)
    assert body.decode() == text
    assert dict(headers)["Content-Length"] == str(len(text.encode()))


@given(st.lists(st.binary(max_size=20), max_size=10))
def test_chunked_body_round_trip(chunks: list[bytes]) -> None:
    response = Response(iter(chunks))
    assert response.get_data() == b"".join(chunks)
    assert response.calculate_content_length() == sum(map(len, chunks))
