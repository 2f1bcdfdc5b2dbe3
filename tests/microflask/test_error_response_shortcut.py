"""An HTTP exception returned by the error handling becomes its response
without running it through the test runner (PERF in ``Flask.make_response``):
the shortcut must give what the general path (``force_type``) gives."""

from __future__ import annotations

import io
import sys

import pytest

from microflask import Flask
from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import NotFound
from wsgikit.routing import RequestRedirect
from wsgikit.wrappers import Response


class CustomPage(NotFound):
    def get_response(self, environ=None, scope=None):  # type: ignore[override]
        return Response("custom", status=404, headers={"X-Custom": "1"})


class CustomCall(NotFound):
    def __call__(self, environ, start_response):  # type: ignore[override]
        start_response("410 GONE", [("Content-Type", "text/plain")])
        return [b"gone"]


class StreamingResponse(Response):
    pass


def _streaming() -> HTTPException:
    return HTTPException(response=Response(iter([b"a", b"b"]), status=418))


class OwnDescription(NotFound):
    def get_description(self, environ=None, scope=None):  # type: ignore[override]
        return "<p>mine</p>"


class OddCode(HTTPException):
    code = 499


class Informational(HTTPException):
    code = 103


def _instance_body() -> HTTPException:
    e = NotFound()
    e.get_body = lambda environ=None, scope=None: "instance body"  # type: ignore[method-assign]
    return e


EXCEPTIONS = {
    "not_found": lambda: NotFound(),
    "not_found_described": lambda: NotFound("no <such> page\nat all"),
    "own_description": lambda: OwnDescription(),
    "odd_code": lambda: OddCode(),
    "informational": lambda: Informational(),
    "instance_body": _instance_body,
    "unauthorized": lambda: __import__("wsgikit.exceptions").exceptions.Unauthorized(www_authenticate=None),
    "method_not_allowed_empty": lambda: MethodNotAllowed(),
    "method_not_allowed": lambda: MethodNotAllowed(valid_methods=["GET", "POST"]),
    "redirect": lambda: RequestRedirect("http://localhost/x/"),
    "bad_request": lambda: BadRequest("no <good>"),
    "custom_page": lambda: CustomPage(),
    "custom_call": lambda: CustomCall(),
    "streaming": _streaming,
}


def _environ(method: str) -> dict:
    return {
        "REQUEST_METHOD": method, "PATH_INFO": "/x", "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }


def _describe(response: Response, environ: dict) -> tuple:
    shown = (type(response), response.status, sorted(response.headers.items()), response.is_streamed)
    # What an after_request function would read (HEAD: nothing).
    shown = (*shown, response.get_data())
    seen = []
    body = b"".join(response(environ, lambda s, h, e=None: seen.append((s, sorted(h)))))
    return (*shown, seen, body)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("name", sorted(EXCEPTIONS))
def test_shortcut_gives_the_general_paths_response(name: str, method: str) -> None:
    app = Flask("shortcut")
    environ = _environ(method)
    fast = app._http_exception_response(EXCEPTIONS[name](), environ)
    general = app.response_class.force_type(EXCEPTIONS[name](), environ)
    assert _describe(fast, environ) == _describe(general, environ)


def test_view_returning_an_http_exception_and_404_through_the_app() -> None:
    app = Flask("shortcut")
    app.route("/gone")(lambda: CustomCall())
    client = app.test_client()
    assert (client.get("/gone").status_code, client.get("/gone").data) == (410, b"gone")
    missing = client.get("/missing")
    assert missing.status_code == 404 and b"Not Found" in missing.data
    assert missing.headers["Content-Length"] == str(len(missing.data))


def test_error_handler_lookup_without_handlers_answers_as_the_walk() -> None:
    from microflask import Flask

    def build(touch_registry: bool) -> Flask:
        app = Flask("handlers")
        app.route("/x", methods=["GET"])(lambda: "x")
        if touch_registry:
            # Keys without handlers: the registry is not empty, so the
            # lookup walks it (the general path) and finds nothing.
            app.error_handler_spec[None][404]  # noqa: B018
            app.error_handler_spec["bp"]  # noqa: B018
        return app

    answers = []
    for touch in (False, True):
        app = build(touch)
        assert bool(app.error_handler_spec) is touch
        client = app.test_client()
        answers.append([(r.status, r.headers.get("Allow"), r.data) for r in (client.get("/nope"), client.post("/x"))])
        with app.test_request_context("/nope"):
            from wsgikit.exceptions import NotFound

            assert app._find_error_handler(NotFound(), []) is None
    assert answers[0] == answers[1]

    app = build(False)
    app.errorhandler(404)(lambda e: ("mine", 404))
    assert app.test_client().get("/nope").data == b"mine"


def test_error_page_follows_a_changed_class_description() -> None:
    app = Flask("shortcut")
    environ = _environ("GET")
    before = b"".join(app._http_exception_response(NotFound(), environ).response)
    old = NotFound.description
    try:
        NotFound.description = "changed at runtime"
        changed = app._http_exception_response(NotFound(), environ)
        assert b"changed at runtime" in b"".join(changed.response)
        general = app.response_class.force_type(NotFound(), environ)
        assert _describe(app._http_exception_response(NotFound(), environ), environ) == _describe(general, environ)
    finally:
        NotFound.description = old
    assert b"".join(app._http_exception_response(NotFound(), environ).response) == before


def test_error_handlers_outside_a_request_raise_the_proxy_error() -> None:
    from microflask import Blueprint

    app = Flask("outside")
    app.errorhandler(404)(lambda e: ("app", 404))
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        app.handle_http_exception(NotFound())
    bp = Blueprint("bp", __name__)
    bp.errorhandler(404)(lambda e: ("bp", 404))
    bp.route("/bp/<int:x>")(lambda x: str(x))
    app.register_blueprint(bp)
    client = app.test_client()
    # Inside a request the blueprint's handler wins for its own requests.
    with app.test_request_context("/bp/1"):
        from microflask import request

        assert request.blueprints == ["bp"]
        assert app.handle_http_exception(NotFound()) == ("bp", 404)
    assert client.get("/nowhere").data == b"app"
