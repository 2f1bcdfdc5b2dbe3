from __future__ import annotations

import io
import warnings

import pytest

from wsgikit.middleware.lint import ErrorStream
from wsgikit.middleware.lint import HTTPWarning
from wsgikit.middleware.lint import InputStream
from wsgikit.middleware.lint import LintMiddleware
from wsgikit.middleware.lint import WSGIWarning
from wsgikit.middleware.lint import check_type
from wsgikit.test import Client
from wsgikit.test import create_environ


def _run(app, environ=None):  # type: ignore[no-untyped-def]
    """Run ``app`` under the linter; return [(category name, message)]."""
    environ = create_environ() if environ is None else environ
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app_iter = LintMiddleware(app)(environ, lambda status, headers, exc_info=None: (lambda data: None))
        for _ in app_iter:
            pass
        app_iter.close()
    return [(w.category.__name__, str(w.message)) for w in caught]


def ok_app(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def test_clean_app_has_no_warnings() -> None:
    assert _run(ok_app) == []
    response = Client(LintMiddleware(ok_app)).get("/")
    assert response.get_data() == b"ok"
    response.close()


def _app(status="200 OK", headers=(), body=(b"",), before=None):  # type: ignore[no-untyped-def]
    def app(environ, start_response):  # type: ignore[no-untyped-def]
        if before is not None:
            before(environ, start_response)
        start_response(status, list(headers))
        return list(body)

    return app


W, H = "WSGIWarning", "HTTPWarning"


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        (_app(status="20 OK"), [(W, "Status code must be three digits."), (W, "Invalid value for status '20 OK'. Valid status strings are three digits, a space and a status explanation."), (W, "Status code < 100 detected.")]),
        (_app(status="abc OK"), [(W, "Status code must be three digits.")]),
        (_app(status="200"), [(W, "Invalid value for status '200'. Valid status strings are three digits, a space and a status explanation.")]),
        (_app(headers=[("Status", "x")]), [(W, "The status header is not supported due to conflicts with the CGI spec.")]),
        (_app(headers=[["a", "b"]]), [(W, "Header items must be 2-item tuples.")]),
        (_app(headers=[("a",)]), [(W, "Header items must be 2-item tuples.")]),
        (_app(headers=[(b"X", "v")]), [(W, "Header keys and values must be strings.")]),
        (_app(headers=[("Z", 1)]), [(W, "Header keys and values must be strings.")]),
        (_app(headers=[("ETag", "abc")]), [(H, "Unquoted etag emitted.")]),
        (_app(headers=[("ETag", 'w/"a"')]), [(H, "Weak etag indicator should be upper case.")]),
        (_app(headers=[("ETag", 'W/"a"')]), []),
        (_app(headers=[("Location", "/rel")]), [(H, "Absolute URLs required for location header.")]),
        (_app(headers=[("Location", "http://x/")]), []),
        (
            _app(status="304 Not Modified", headers=[("Content-Type", "x"), ("Expires", "x")], body=[b"x"]),
            [(H, "Entity header 'content-type' found in 304 response."), (H, "304 responses must not have a body.")],
        ),
        (
            _app(status="204 No Content", headers=[("Content-Length", "3")], body=[b"xyz"]),
            [(H, "204 responses must have an empty content length."), (H, "204 responses must not have a body.")],
        ),
        (_app(status="204 No Content", headers=[("Content-Length", "0")]), []),
        (_app(headers=[("Content-Length", "1")], body=[b"xy"]), [(W, "Content-Length and the number of bytes sent to the client do not match.")]),
        (_app(body=["text"]), [(W, "'application iterator items' requires 'bytes', got 'str'.")]),
    ],
)
def test_response_checks(app, expected: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _run(app) == expected


def test_environ_checks() -> None:
    environ = create_environ()
    del environ["SERVER_NAME"]
    environ.update({"SCRIPT_NAME": "x", "PATH_INFO": "y", "wsgi.version": (1, 1)})
    assert _run(ok_app, environ) == [
        (W, "Required environment key 'SERVER_NAME' not found"),
        (W, "Environ is not a WSGI 1.0 environ."),
        (W, "'SCRIPT_NAME' does not start with a slash: 'x'"),
        (W, "'PATH_INFO' does not start with a slash: 'y'"),
    ]


def test_stream_checks() -> None:
    def app(environ, start_response):  # type: ignore[no-untyped-def]
        stream = environ["wsgi.input"]
        stream.read()
        stream.read(1, 2)
        stream.readline(5)
        stream.readline()
        environ["wsgi.errors"].write("fine")
        environ["wsgi.errors"].write(b"bytes")
        environ["wsgi.errors"].writelines(["a", "b"])
        environ["wsgi.errors"].flush()
        stream.close()
        environ["wsgi.errors"].close()
        start_response("200 OK", [])
        return [b""]

    environ = create_environ(data=b"line\nrest")
    environ["wsgi.errors"] = io.StringIO()
    assert [message for _, message in _run(app, environ)] == [
        "WSGI does not guarantee an EOF marker on the input stream, thus making calls to 'wsgi.input.read()'"
        " unsafe. Conforming servers may never return from this call.",
        "Too many parameters passed to 'wsgi.input.read()'.",
        "'wsgi.input.readline()' was called with a size hint. WSGI does not support this, although it's"
        " available on all major servers.",
        "Calls to 'wsgi.input.readline()' without arguments are unsafe. Use 'wsgi.input.read()' instead.",
        "'wsgi.error.write()' requires 'str', got 'bytes'.",
        "The application closed the input stream!",
        "The application closed the error stream!",
    ]


def test_start_response_and_write_checks() -> None:
    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [], "bad")
        start_response("200 OK", [], None, 4)
        write = start_response(status="200 OK", headers=[])
        write("text")
        return [b""]

    assert _run(app) == [
        (W, "Invalid value for exc_info."),
        (W, "Invalid number of arguments: 4, expected 2 or 3."),
        (W, "Invalid number of arguments: 0, expected 2 or 3."),
        (W, "'start_response' does not take keyword arguments."),
        (W, "'write()' requires 'bytes', got 'str'."),
    ]


@pytest.mark.parametrize(
    ("returned", "expected_first"),
    [
        ([b"x"], "The application returned before it started the response."),
        ("abc", "The application returned a string. The response will send one character at a time to the client, which will kill performance. Return a list or iterable instead."),
    ],
)
def test_iterator_checks(returned: object, expected_first: str) -> None:
    messages = [message for _, message in _run(lambda environ, start_response: returned)]
    assert messages[0] == expected_first


def test_call_signature_and_environ_type() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for app_iter in (
            LintMiddleware(ok_app)(create_environ(), lambda s, h, e=None: None, 3),
            LintMiddleware(ok_app)(create_environ(), start_response=lambda s, h, e=None: None),
        ):
            list(app_iter)
            app_iter.close()  # type: ignore[attr-defined]
    assert [str(w.message) for w in caught] == [
        "A WSGI app takes two arguments.",
        "A WSGI app takes two arguments.",
        "A WSGI app does not take keyword arguments.",
    ]
    with warnings.catch_warnings(record=True) as caught, pytest.raises(TypeError):
        warnings.simplefilter("always")
        LintMiddleware(ok_app)([], lambda s, h, e=None: None)  # type: ignore[arg-type]
    assert str(caught[0].message) == "WSGI environment is not a standard Python dict."
    assert len(caught) == 10  # plus one per missing required key


def test_garbage_collected_iterator_warns() -> None:
    middleware = LintMiddleware(ok_app)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app_iter = middleware(create_environ(), lambda s, h, e=None: None)
        list(app_iter)
        del app_iter
        import gc

        gc.collect()
    assert [str(w.message) for w in caught] == ["Iterator was garbage collected before it was closed."]


def test_check_type_and_warning_classes() -> None:
    assert issubclass(WSGIWarning, Warning) and issubclass(HTTPWarning, Warning)
    with pytest.warns(WSGIWarning, match="'ctx' requires 'str', got 'int'."):
        check_type("ctx", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_type("ctx", "fine")


def test_warnings_are_errors_by_default_here() -> None:
    # Under the suite's filterwarnings=error a lint problem fails loudly.
    with pytest.raises(HTTPWarning, match="Unquoted etag"):
        Client(LintMiddleware(_app(headers=[("ETag", "x")]))).get("/")


def test_passes_output_through() -> None:
    seen: list[object] = []

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        seen.append(type(environ["wsgi.input"]))
        seen.append(type(environ["wsgi.errors"]))
        start_response("201 Created", [("X-A", "1")])
        return [b"a", b"b"]

    response = Client(LintMiddleware(app)).get("/")
    assert response.status_code == 201 and response.headers["X-A"] == "1"
    assert response.get_data() == b"ab"
    response.close()
    assert seen == [InputStream, ErrorStream]
