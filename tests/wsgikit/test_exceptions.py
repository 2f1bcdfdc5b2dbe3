"""Tests for wsgikit.exceptions: classes, HTML page, headers, abort, WSGI use."""

from __future__ import annotations

import datetime

import pytest

from wsgikit import exceptions as exc
from wsgikit.datastructures import WWWAuthenticate

# (class name, code, reason phrase, default description) -- Werkzeug 3.1's values.
CLASSES = [
    ("BadRequest", 400, "Bad Request", "The browser (or proxy) sent a request that this server could not understand."),
    ("Unauthorized", 401, "Unauthorized", "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."),
    ("Forbidden", 403, "Forbidden", "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."),
    ("NotFound", 404, "Not Found", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
    ("MethodNotAllowed", 405, "Method Not Allowed", "The method is not allowed for the requested URL."),
    ("NotAcceptable", 406, "Not Acceptable", "The resource identified by the request is only capable of generating response entities which have content characteristics not acceptable according to the accept headers sent in the request."),
    ("RequestTimeout", 408, "Request Timeout", "The server closed the network connection because the browser didn't finish the request within the specified time."),
    ("Conflict", 409, "Conflict", "A conflict happened while processing the request. The resource might have been modified while the request was being processed."),
    ("Gone", 410, "Gone", "The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page."),
    ("LengthRequired", 411, "Length Required", "A request with this method requires a valid <code>Content-Length</code> header."),
    ("PreconditionFailed", 412, "Precondition Failed", "The precondition on the request for the URL failed positive evaluation."),
    ("RequestEntityTooLarge", 413, "Request Entity Too Large", "The data value transmitted exceeds the capacity limit."),
    ("RequestURITooLarge", 414, "Request URI Too Long", "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed."),
    ("UnsupportedMediaType", 415, "Unsupported Media Type", "The server does not support the media type transmitted in the request."),
    ("RequestedRangeNotSatisfiable", 416, "Requested Range Not Satisfiable", "The server cannot provide the requested range."),
    ("ExpectationFailed", 417, "Expectation Failed", "The server could not meet the requirements of the Expect header"),
    ("ImATeapot", 418, "I'm a teapot", "This server is a teapot, not a coffee machine"),
    ("MisdirectedRequest", 421, "Misdirected Request", "The server is not able to produce a response."),
    ("UnprocessableEntity", 422, "Unprocessable Entity", "The request was well-formed but was unable to be followed due to semantic errors."),
    ("Locked", 423, "Locked", "The resource that is being accessed is locked."),
    ("FailedDependency", 424, "Failed Dependency", "The method could not be performed on the resource because the requested action depended on another action and that action failed."),
    ("PreconditionRequired", 428, "Precondition Required", 'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".'),
    ("TooManyRequests", 429, "Too Many Requests", "This user has exceeded an allotted request count. Try again later."),
    ("RequestHeaderFieldsTooLarge", 431, "Request Header Fields Too Large", "One or more header fields exceeds the maximum size."),
    ("UnavailableForLegalReasons", 451, "Unavailable For Legal Reasons", "Unavailable for legal reasons."),
    ("InternalServerError", 500, "Internal Server Error", "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."),
    ("NotImplemented", 501, "Not Implemented", "The server does not support the action requested by the browser."),
    ("BadGateway", 502, "Bad Gateway", "The proxy server received an invalid response from an upstream server."),
    ("ServiceUnavailable", 503, "Service Unavailable", "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."),
    ("GatewayTimeout", 504, "Gateway Timeout", "The connection to an upstream server timed out."),
    ("HTTPVersionNotSupported", 505, "HTTP Version Not Supported", "The server does not support the HTTP protocol version used in the request."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "code", "reason", "description"), CLASSES)
def test_class_attributes(name: str, code: int, reason: str, description: str) -> None:
    cls = getattr(exc, name)
    error = cls()
    assert issubclass(cls, exc.HTTPException)
    assert error.code == code
    assert error.name == reason
    assert error.description == description
    assert exc.default_exceptions[code] is cls
    assert str(error) == f"{code} {reason}: {description}"
    assert repr(error) == f"<{name} '{code}: {reason}'>"


def test_default_exceptions_is_complete_and_ordered() -> None:
    assert list(exc.default_exceptions) == [c[1] for c in CLASSES]


@pytest.mark.parametrize("name", ["ClientDisconnected", "SecurityError", "BadHost", "BadRequestKeyError"])
def test_bad_request_specialisations(name: str) -> None:
    cls = getattr(exc, name)
    assert issubclass(cls, exc.BadRequest)
    assert cls.code == 400
    assert exc.default_exceptions[400] is exc.BadRequest


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (
            exc.NotFound(),
            "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
            "<p>The requested URL was not found on the server. If you entered the URL manually please"
            " check your spelling and try again.</p>\n",
        ),
        (
            exc.ImATeapot(),
            "<!doctype html>\n<html lang=en>\n<title>418 I&#39;m a teapot</title>\n"
            "<h1>I&#39;m a teapot</h1>\n<p>This server is a teapot, not a coffee machine</p>\n",
        ),
        (
            exc.LengthRequired(),
            "<!doctype html>\n<html lang=en>\n<title>411 Length Required</title>\n<h1>Length Required</h1>\n"
            "<p>A request with this method requires a valid &lt;code&gt;Content-Length&lt;/code&gt; header.</p>\n",
        ),
        (
            exc.BadRequest("a <b> & 'c' \"d\"\nline2\n\nx"),
            "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"
            "<p>a &lt;b&gt; &amp; &#39;c&#39; &#34;d&#34;<br>line2<br><br>x</p>\n",
        ),
        (
            exc.HTTPException(),
            "<!doctype html>\n<html lang=en>\n<title>None Unknown Error</title>\n<h1>Unknown Error</h1>\n<p></p>\n",
        ),
    ],
)
def test_body_is_byte_identical_to_werkzeug(error: exc.HTTPException, body: str) -> None:
    assert error.get_body() == body


@pytest.mark.parametrize(
    ("description", "html"),
    [
        ("", "<p></p>"),
        ("a\r\nb\rc", "<p>a\r<br>b\rc</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("&amp;", "<p>&amp;amp;</p>"),
    ],
)
def test_description_is_escaped(description: str, html: str) -> None:
    assert exc.BadRequest(description).get_description() == html


def test_description_with_html_protocol_is_trusted() -> None:
    class Safe(str):
        def __html__(self) -> str:
            return "<b>x</b>\nq"

    assert exc.BadRequest(Safe("ignored")).get_description() == "<p><b>x</b><br>q</p>"


def test_unknown_code_and_base_class() -> None:
    class Custom(exc.HTTPException):
        code = 599

    assert Custom().name == "Unknown Error"
    assert repr(Custom()) == "<Custom '599: Unknown Error'>"
    assert str(exc.HTTPException()) == "??? Unknown Error: None"
    assert repr(exc.HTTPException()) == "<HTTPException '???: Unknown Error'>"
    assert exc.NotFound().args == ()


def test_name_is_escaped_in_body() -> None:
    class Weird(exc.HTTPException):
        code = 400
        description = "x"
        name = "<b>"

    assert Weird().get_body() == (
        "<!doctype html>\n<html lang=en>\n<title>400 &lt;b&gt;</title>\n<h1>&lt;b&gt;</h1>\n<p>x</p>\n"
    )


HTML = ("Content-Type", "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("error", "headers"),
    [
        (exc.NotFound(), [HTML]),
        (exc.MethodNotAllowed(["GET", "POST"]), [HTML, ("Allow", "GET, POST")]),
        (exc.MethodNotAllowed(), [HTML]),
        (exc.MethodNotAllowed([]), [HTML]),
        (exc.RequestedRangeNotSatisfiable(100), [HTML, ("Content-Range", "bytes */100")]),
        (exc.RequestedRangeNotSatisfiable(100, "items"), [HTML, ("Content-Range", "items */100")]),
        (exc.RequestedRangeNotSatisfiable(0), [HTML, ("Content-Range", "bytes */0")]),
        (exc.RequestedRangeNotSatisfiable(), [HTML]),
        (exc.TooManyRequests(retry_after=30), [HTML, ("Retry-After", "30")]),
        (exc.ServiceUnavailable(retry_after=0), [HTML]),
        (exc.ServiceUnavailable(), [HTML]),
        (
            exc.ServiceUnavailable(retry_after=datetime.datetime(2020, 1, 2, 3, 4, 5)),
            [HTML, ("Retry-After", "Thu, 02 Jan 2020 03:04:05 GMT")],
        ),
        (
            exc.TooManyRequests(
                retry_after=datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
            ),
            [HTML, ("Retry-After", "Thu, 02 Jan 2020 01:04:05 GMT")],
        ),
        (exc.Unauthorized(), [HTML]),
        (
            exc.Unauthorized(www_authenticate=WWWAuthenticate("basic", {"realm": "x"})),
            [HTML, ("WWW-Authenticate", "Basic realm=x")],
        ),
        (
            exc.Unauthorized(www_authenticate=[WWWAuthenticate("basic", {"realm": "x"}), WWWAuthenticate("bearer")]),
            [HTML, ("WWW-Authenticate", "Basic realm=x"), ("WWW-Authenticate", "Bearer")],
        ),
    ],
)
def test_headers(error: exc.HTTPException, headers: list[tuple[str, str]]) -> None:
    assert error.get_headers() == headers


def test_constructor_attributes() -> None:
    single = WWWAuthenticate("basic")
    assert exc.Unauthorized(www_authenticate=single).www_authenticate == (single,)
    assert exc.Unauthorized().www_authenticate is None
    assert exc.MethodNotAllowed(["GET"], "d").description == "d"
    assert exc.RequestedRangeNotSatisfiable(5, description="d").length == 5
    original = ValueError("boom")
    assert exc.InternalServerError(original_exception=original).original_exception is original
    assert exc.InternalServerError().original_exception is None
    assert exc.ServiceUnavailable(retry_after=5).retry_after == 5


def test_bad_request_key_error() -> None:
    error = exc.BadRequestKeyError("foo")
    assert isinstance(error, KeyError)
    assert isinstance(error, exc.BadRequest)
    assert error.args == ("foo",)
    assert error.show_exception is False
    assert error.description == exc.BadRequest.description
    assert repr(error) == "<BadRequestKeyError '400: Bad Request'>"
    error.show_exception = True
    assert error.get_description() == (
        "<p>The browser (or proxy) sent a request that this server could not understand."
        "<br>KeyError: &#39;foo&#39;</p>"
    )
    empty = exc.BadRequestKeyError()
    empty.show_exception = True
    assert empty.args == ()
    assert empty.get_description().endswith("<br>KeyError: </p>")
    custom = exc.BadRequestKeyError("k", description="dd")
    assert (custom.description, str(custom)) == ("dd", "400 Bad Request: dd")
    custom.description = "set"
    assert custom.get_description() == "<p>set</p>"
    with pytest.raises(KeyError):
        raise exc.BadRequestKeyError("x")


@pytest.mark.parametrize(
    ("args", "kwargs", "cls", "check"),
    [
        ((404,), {}, exc.NotFound, lambda e: e.description == exc.NotFound.description),
        ((404, "descr"), {}, exc.NotFound, lambda e: e.description == "descr"),
        ((405,), {"valid_methods": ["GET"]}, exc.MethodNotAllowed, lambda e: ("Allow", "GET") in e.get_headers()),
        ((401,), {"www_authenticate": WWWAuthenticate("basic")}, exc.Unauthorized, lambda e: e.www_authenticate),
    ],
)
def test_abort(args: tuple, kwargs: dict, cls: type, check) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(cls) as info:
        exc.abort(*args, **kwargs)
    assert type(info.value) is cls
    assert check(info.value)


@pytest.mark.parametrize("code", [200, 302, 999, 0])
def test_abort_unknown_code(code: int) -> None:
    with pytest.raises(LookupError, match=f"^no exception for {code}$"):
        exc.abort(code)


def test_aborter_mapping_and_extra() -> None:
    class Custom(exc.HTTPException):
        code = 599

    aborter = exc.Aborter(extra={599: Custom})
    with pytest.raises(Custom):
        aborter(599)
    assert 599 not in exc.default_exceptions
    assert aborter.mapping is not exc.default_exceptions
    only = exc.Aborter(mapping={404: exc.Gone})
    with pytest.raises(exc.Gone):
        only(404)
    with pytest.raises(LookupError):
        only(400)


def test_abort_with_response_object() -> None:
    from wsgikit.wrappers.response import Response

    response = Response("teapot body", 418)
    with pytest.raises(exc.HTTPException) as info:
        exc.abort(response)
    assert type(info.value) is exc.HTTPException
    assert info.value.response is response
    assert info.value.get_response() is response


def test_get_response() -> None:
    from wsgikit.wrappers.response import Response

    response = exc.MethodNotAllowed(["GET"]).get_response({"REQUEST_METHOD": "POST"})
    assert isinstance(response, Response)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.get_data(as_text=True) == exc.MethodNotAllowed().get_body()


def test_exception_is_a_wsgi_app() -> None:
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        started.append((status, headers))

    body = b"".join(exc.NotFound()({"REQUEST_METHOD": "GET"}, start_response))
    assert body == exc.NotFound().get_body().encode()
    status, headers = started[0]
    assert status == "404 NOT FOUND"
    assert ("Content-Type", "text/html; charset=utf-8") in headers
    assert ("Content-Length", str(len(body))) in headers


def test_get_response_accepts_request_object() -> None:
    from wsgikit.wrappers.request import Request

    request = Request({"REQUEST_METHOD": "GET", "wsgi.url_scheme": "http", "SERVER_NAME": "x", "SERVER_PORT": "80"})
    assert exc.Gone().get_response(request).status_code == 410


def test_invalid_form_data_is_defined_in_exceptions_and_kept_at_its_old_place() -> None:
    import io

    from wsgikit import formparser
    from wsgikit.exceptions import BadRequest
    from wsgikit.exceptions import InvalidFormData

    assert formparser.InvalidFormData is InvalidFormData
    assert issubclass(InvalidFormData, BadRequest) and issubclass(InvalidFormData, ValueError)
    assert InvalidFormData.code == 400
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "multipart/form-data",  # no boundary
        "CONTENT_LENGTH": "3",
        "wsgi.input": io.BytesIO(b"a=b"),
    }
    parser = formparser.FormDataParser(silent=False)
    with pytest.raises(InvalidFormData, match="Missing boundary"):
        parser.parse_from_environ(environ)
