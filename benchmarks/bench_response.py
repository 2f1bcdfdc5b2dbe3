"""Response hot paths: building a response and turning it into WSGI output,
setting a cookie, answering a conditional GET with 304.
"""

from __future__ import annotations

import typing as t
import wsgiref.util

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


def _environ(**headers: str) -> dict[str, t.Any]:
    environ: dict[str, t.Any] = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/"}
    wsgiref.util.setup_testing_defaults(environ)
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    return environ


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> None:
    return None


def _serve(response_class: t.Any, environ: dict[str, t.Any]) -> t.Callable[[], object]:
    """What a server does with a response: call it, drain and close the body."""

    def run() -> object:
        app_iter = response_class("Hello")(environ, _start_response)
        for _chunk in app_iter:
            pass
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
        return app_iter

    return run


@scenario("response.hello_wsgi_response")
def hello_wsgi_response() -> Comparison:
    from wsgikit.wrappers import Response

    wz = try_import("werkzeug.wrappers")
    environ = _environ()
    return Comparison(
        ours=lambda: Response("Hello").get_wsgi_response(environ),
        peer=(lambda: wz.Response("Hello").get_wsgi_response(environ)) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.5,
    )


@scenario("response.hello_served")
def hello_served() -> Comparison:
    from wsgikit.wrappers import Response

    wz = try_import("werkzeug.wrappers")
    environ = _environ()
    return Comparison(
        ours=_serve(Response, environ),
        peer=_serve(wz.Response, environ) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.5,
    )


@scenario("response.json_served")
def json_served() -> Comparison:
    from wsgikit.wrappers import Response

    wz = try_import("werkzeug.wrappers")
    environ = _environ()
    body = '{"id": 1, "name": "example"}\n'

    def make(cls: t.Any) -> t.Callable[[], object]:
        return lambda: list(cls(body, status=201, mimetype="application/json")(environ, _start_response))

    return Comparison(
        ours=make(Response),
        peer=make(wz.Response) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.5,
    )


@scenario("response.set_cookie")
def set_cookie() -> Comparison:
    from wsgikit.wrappers import Response

    wz = try_import("werkzeug.wrappers")

    def make(cls: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            response = cls("Hello")
            response.set_cookie("session", "abc123", httponly=True, secure=True, samesite="Lax")
            return response

        return run

    return Comparison(
        ours=make(Response),
        peer=make(wz.Response) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.5,
    )


@scenario("response.make_conditional_304")
def make_conditional_304() -> Comparison:
    from wsgikit.wrappers import Response

    wz = try_import("werkzeug.wrappers")
    environ = _environ(IF_NONE_MATCH='"abc123"')

    def make(cls: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            response = cls("Hello")
            response.set_etag("abc123")
            response.make_conditional(environ)
            assert response.status_code == 304
            return response.get_wsgi_response(environ)

        return run

    return Comparison(
        ours=make(Response),
        peer=make(wz.Response) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.5,
    )
