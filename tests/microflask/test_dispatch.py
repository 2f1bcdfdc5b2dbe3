"""The request flow: hooks, make_response, error handling, options,
routing exceptions, signals along the way."""

from __future__ import annotations

import pytest

from microflask import Flask
from microflask import Response
from microflask import abort
from microflask import after_this_request
from microflask import g
from microflask import request
from microflask import signals
from wsgikit.datastructures import Headers
from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import Forbidden
from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import InternalServerError
from wsgikit.exceptions import NotFound
from wsgikit.routing import RequestRedirect

INVALID_TYPE = (
    "The view function did not return a valid response. The return type must be a string, dict, list, tuple"
    " with headers or status, Response instance, or WSGI callable, but it was a {}."
)
INVALID_TUPLE = (
    "The view function did not return a valid response tuple. The tuple must have the form (body, status,"
    " headers), (body, status), or (body, headers)."
)


def _wsgi_app(environ, start_response):
    start_response("202 ACCEPTED", [("X-Wsgi", "yes")])
    return [b"from wsgi"]


@pytest.mark.parametrize(
    ("rv", "status", "body", "header"),
    [
        ("text", 200, b"text", ("Content-Type", "text/html; charset=utf-8")),
        (b"bytes", 200, b"bytes", None),
        (bytearray(b"ba"), 200, b"ba", None),
        ({"a": 1}, 200, b'{"a":1}\n', ("Content-Type", "application/json")),
        ([1, 2], 200, b"[1,2]\n", ("Content-Type", "application/json")),
        (iter(["a", "b"]), 200, b"ab", None),
        (("body", 201), 201, b"body", None),
        (("body", "299 CUSTOM"), 299, b"body", None),
        (("body", {"X-A": "1"}), 200, b"body", ("X-A", "1")),
        (("body", [("X-A", "2")]), 200, b"body", ("X-A", "2")),
        (("body", Headers({"X-A": "3"})), 200, b"body", ("X-A", "3")),
        (("body", 404, {"X-A": "4"}), 404, b"body", ("X-A", "4")),
        (({"j": 1}, 202), 202, b'{"j":1}\n', None),
        ((Response("r", 200), 418, {"X-A": "5"}), 418, b"r", ("X-A", "5")),
        (Response("resp", 203), 203, b"resp", None),
        (NotFound(), 404, None, None),
        (_wsgi_app, 202, b"from wsgi", ("X-Wsgi", "yes")),
    ],
)
def test_make_response_accepts(app, rv, status, body, header):
    with app.test_request_context():
        resp = app.make_response(rv)
        assert isinstance(resp, Response)
        assert resp.status_code == status
        if body is not None:
            assert resp.get_data() == body
        if header is not None:
            assert resp.headers[header[0]] == header[1]


@pytest.mark.parametrize(
    ("rv", "message"),
    [
        (None, "The view function for None did not return a valid response. The function either returned None or ended without a return statement."),
        ((None, 200), "The view function for None did not return a valid response. The function either returned None or ended without a return statement."),
        (5, INVALID_TYPE.format("int")),
        (object(), INVALID_TYPE.format("object")),
        (1.5, INVALID_TYPE.format("float")),
        (("a",), INVALID_TUPLE),
        (("a", 1, 2, 3), INVALID_TUPLE),
        ((), INVALID_TUPLE),
    ],
)
def test_make_response_rejects(app, rv, message):
    with app.test_request_context():
        with pytest.raises(TypeError) as info:
            app.make_response(rv)
    assert str(info.value) == message


def test_view_returning_none_names_endpoint(app, client):
    app.route("/n")(lambda: None)
    with pytest.raises(TypeError, match="The view function for '<lambda>' did not return a valid response."):
        client.get("/n")


def test_make_response_helper(app):
    from microflask import make_response

    with app.test_request_context():
        assert make_response().status_code == 200
        assert make_response("x", 404).status_code == 404
        assert make_response(("y", 201)).get_data() == b"y"


def test_hook_order(app, client):
    calls = []
    app.url_value_preprocessor(lambda endpoint, values: calls.append(("pre", endpoint, dict(values))))
    app.before_request(lambda: calls.append("before1"))
    app.before_request(lambda: calls.append("before2"))

    @app.after_request
    def after1(resp):
        calls.append("after1")
        return resp

    @app.after_request
    def after2(resp):
        calls.append("after2")
        return resp

    app.teardown_request(lambda exc: calls.append(("teardown", exc)))
    app.teardown_appcontext(lambda exc: calls.append(("app_teardown", exc)))

    @app.route("/<int:x>")
    def view(x):
        @after_this_request
        def once(resp):
            calls.append("this")
            resp.headers["X-Once"] = "1"
            return resp

        calls.append("view")
        return str(x)

    rv = client.get("/3")
    assert rv.headers["X-Once"] == "1"
    assert calls == [
        ("pre", "view", {"x": 3}),
        "before1",
        "before2",
        "view",
        "this",
        "after2",
        "after1",
        ("teardown", None),
        ("app_teardown", None),
    ]


def test_url_value_preprocessor_changes_view_args(app, client):
    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.lang = values.pop("lang", None)

    app.route("/<lang>/page")(lambda: f"page in {g.lang}")
    assert client.get("/de/page").data == b"page in de"


def test_before_request_short_circuits(app, client):
    calls = []
    app.before_request(lambda: "stop")
    app.before_request(lambda: calls.append("second"))
    app.route("/")(lambda: calls.append("view") or "view")
    assert client.get("/").data == b"stop"
    assert calls == []


def test_error_handler_by_code_and_class(app, client):
    class MyError(Exception):
        pass

    class SubError(MyError):
        pass

    @app.errorhandler(MyError)
    def my(e):
        return f"my {type(e).__name__}", 500

    @app.errorhandler(403)
    def forbidden(e):
        return f"forbidden: {e.description}", 403

    @app.errorhandler(HTTPException)
    def any_http(e):
        return f"http {e.code}", e.code

    app.route("/sub")(lambda: (_ for _ in ()).throw(SubError()))
    app.route("/403", endpoint="f")(lambda: abort(403, "nope"))
    app.route("/410", endpoint="g")(lambda: abort(410))
    assert client.get("/sub").data == b"my SubError"
    assert client.get("/403").data == b"forbidden: nope"
    assert client.get("/410").data == b"http 410"
    assert client.get("/missing").data == b"http 404"


def test_most_specific_class_wins(app, client):
    app.register_error_handler(Exception, lambda e: ("exception", 500))
    app.register_error_handler(LookupError, lambda e: ("lookup", 500))
    app.register_error_handler(KeyError, lambda e: ("key", 500))
    app.route("/k")(lambda: {}["missing"])
    app.route("/i", endpoint="i")(lambda: [][1])
    app.route("/z", endpoint="z")(lambda: 1 / 0)
    assert client.get("/k").data == b"key"
    assert client.get("/i").data == b"lookup"
    assert client.get("/z").data == b"exception"


def test_code_handler_beats_class_handler(app, client):
    app.register_error_handler(HTTPException, lambda e: ("class", 500))
    app.register_error_handler(NotFound, lambda e: ("code", 404))
    assert client.get("/nothing").data == b"code"


@pytest.mark.parametrize(
    ("arg", "exc", "message"),
    [
        (999, ValueError, "'999' is not a recognized HTTP error code. Use a subclass of HTTPException with that code instead."),
        (ValueError(), TypeError, "ValueError() is an instance, not a class. Handlers can only be registered for Exception classes or HTTP error codes."),
        (int, ValueError, "'int' is not a subclass of Exception. Handlers can only be registered for Exception classes or HTTP error codes."),
    ],
)
def test_register_error_handler_errors(app, arg, exc, message):
    with pytest.raises(exc) as info:
        app.register_error_handler(arg, lambda e: "x")
    assert str(info.value) == message


def test_unhandled_exception_propagates_in_testing(app, client):
    app.route("/")(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.get("/")


def test_unhandled_exception_gives_500_and_logs(app, client):
    app.testing = False
    errors = []
    app.logger.error = lambda msg, exc_info=None: errors.append((msg, exc_info[0]))
    seen = []

    def on_exception(sender, exception, **kw):
        seen.append(type(exception))

    app.route("/")(lambda: 1 / 0)
    with signals.got_request_exception.connected_to(on_exception, app):
        rv = client.get("/")
    assert rv.status_code == 500
    assert b"Internal Server Error" in rv.data
    assert errors == [("Exception on / [GET]", ZeroDivisionError)]
    assert seen == [ZeroDivisionError]


def test_500_handler_gets_original_exception(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True

    @app.errorhandler(500)
    def server_error(e):
        assert isinstance(e, InternalServerError)
        return f"handled {type(e.original_exception).__name__}", 500

    app.route("/")(lambda: {}["x"])
    try:
        assert client.get("/").data == b"handled KeyError"
    finally:
        app.logger.disabled = False


def test_teardown_sees_unhandled_exception(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    seen = []
    app.teardown_request(lambda exc: seen.append(type(exc)))
    app.route("/")(lambda: 1 / 0)
    try:
        assert client.get("/").status_code == 500
    finally:
        app.logger.disabled = False
    assert seen == [ZeroDivisionError]


def test_should_ignore_error(client):
    class QuietApp(Flask):
        def should_ignore_error(self, error):
            return True

    app = QuietApp("q")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    seen = []
    app.teardown_request(lambda exc: seen.append(exc))
    app.route("/")(lambda: 1 / 0)
    try:
        assert app.test_client().get("/").status_code == 500
    finally:
        app.logger.disabled = False
    assert seen == [None]


def test_trap_http_exceptions(app, client):
    app.route("/")(lambda: abort(403))
    assert client.get("/").status_code == 403
    app.config["TRAP_HTTP_EXCEPTIONS"] = True
    with pytest.raises(Forbidden):
        client.get("/")


def test_trap_bad_request_errors(app, client):
    app.route("/")(lambda: request.form["missing"])
    assert client.get("/").status_code == 400
    app.config["TRAP_BAD_REQUEST_ERRORS"] = True
    with pytest.raises(BadRequest):
        client.get("/")


def test_bad_request_key_error_debug(app, client):
    app.route("/")(lambda: request.args["missing"])
    app.debug = True
    with pytest.raises(KeyError):
        client.get("/")
    app.debug = False
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    rv = client.get("/")
    assert rv.status_code == 400


def test_error_handler_for_bad_request_key_error_in_debug(app, client):
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    app.register_error_handler(400, lambda e: (f"bad: {e.description}", 400))
    app.route("/")(lambda: request.args["missing"])
    assert client.get("/").data == b"bad: The browser (or proxy) sent a request that this server could not understand.\nKeyError: 'missing'"


def test_automatic_options(app, client):
    app.route("/", methods=["GET", "POST"])(lambda: "x")
    rv = client.options("/")
    assert rv.status_code == 200
    assert set(rv.allow) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert rv.data == b""


def test_explicit_options_view(app, client):
    app.route("/", methods=["OPTIONS"])(lambda: "mine")
    assert client.options("/").data == b"mine"


def test_405_and_404(app, client):
    app.route("/")(lambda: "x")
    rv = client.delete("/")
    assert rv.status_code == 405
    assert set(rv.allow) == {"GET", "HEAD", "OPTIONS"}
    assert client.get("/nope").status_code == 404


def test_slash_redirect(app, client):
    app.route("/f/", methods=["GET", "POST"])(lambda: "f")
    rv = client.get("/f?x=1")
    assert rv.status_code == 308
    assert rv.headers["Location"] == "http://localhost/f/?x=1"
    app.debug = True
    # Flask 3.1 redirects with 308, which keeps the body: no debug error.
    assert client.post("/f", data={"a": "b"}).status_code == 308


FORM_REDIRECT = (
    "A request was sent to 'http://localhost/f?x=1', but routing issued a redirect to the canonical URL"
    " 'http://localhost/f/?x=1'. The URL was defined with a trailing slash. Flask will redirect to the URL"
    " with a trailing slash if it was accessed without one. Send requests to the canonical URL, or use 307"
    " or 308 for routing redirects. Otherwise, browsers will drop form data.\n\nThis exception is only"
    " raised in debug mode."
)


def test_form_data_routing_redirect_in_debug(app):
    from microflask.app import FormDataRoutingRedirect

    app.debug = True
    with app.test_request_context("/f?x=1", method="POST", data={"a": "b"}):
        exc = RequestRedirect("http://localhost/f/?x=1")
        exc.code = 301
        request.routing_exception = exc
        with pytest.raises(FormDataRoutingRedirect) as info:
            app.raise_routing_exception(request)
        assert str(info.value) == FORM_REDIRECT
        exc.new_url = "http://localhost/g/"
        with pytest.raises(AssertionError, match="canonical URL 'http://localhost/g/'. Send requests"):
            app.raise_routing_exception(request)
        app.debug = False
        with pytest.raises(RequestRedirect):
            app.raise_routing_exception(request)


def test_signals_in_order(app, client):
    events = []

    def record(name):
        def receiver(sender, **kwargs):
            events.append(name)

        return receiver

    receivers = {
        signals.appcontext_pushed: record("appcontext_pushed"),
        signals.request_started: record("request_started"),
        signals.request_finished: record("request_finished"),
        signals.request_tearing_down: record("request_tearing_down"),
        signals.appcontext_tearing_down: record("appcontext_tearing_down"),
        signals.appcontext_popped: record("appcontext_popped"),
    }
    for sig, receiver in receivers.items():
        sig.connect(receiver, app)
    try:
        app.route("/")(lambda: events.append("view") or "x")
        client.get("/")
    finally:
        for sig, receiver in receivers.items():
            sig.disconnect(receiver, app)
    assert events == [
        "appcontext_pushed",
        "request_started",
        "view",
        "request_finished",
        "request_tearing_down",
        "appcontext_tearing_down",
        "appcontext_popped",
    ]


def test_finalize_error_while_handling_error_is_logged(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    logged = []
    app.logger.error = lambda *a, **k: None
    app.logger.exception = lambda msg: logged.append(msg)

    @app.after_request
    def broken(resp):
        raise RuntimeError("after")

    app.route("/")(lambda: 1 / 0)
    rv = client.get("/")
    assert rv.status_code == 500
    assert logged == ["Request finalizing failed with an error while handling an error"]


def test_wsgi_app_middleware_wrapping(app, client):
    inner = app.wsgi_app

    def middleware(environ, start_response):
        environ["HTTP_X_MW"] = "yes"
        return inner(environ, start_response)

    app.wsgi_app = middleware
    app.route("/")(lambda: request.headers["X-Mw"])
    assert client.get("/").data == b"yes"


def test_max_content_length_from_config(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10
    app.route("/", methods=["POST"])(lambda: str(len(request.get_data())))
    assert client.post("/", data="x" * 5).data == b"5"
    assert client.post("/", data="x" * 50).status_code == 413


def test_max_form_parts_from_config(app, client):
    app.config["MAX_FORM_PARTS"] = 2
    app.route("/", methods=["POST"])(lambda: str(len(request.form)))
    data = {f"f{i}": "v" for i in range(5)}
    assert client.post("/", data=data, content_type="multipart/form-data").status_code == 413


def test_request_limits_properties(app):
    with app.test_request_context():
        assert request.max_content_length is None
        assert request.max_form_memory_size == 500_000
        assert request.max_form_parts == 1000
        app.config["MAX_FORM_MEMORY_SIZE"] = 7
        assert request.max_form_memory_size == 7
        request.max_content_length = 3
        assert request.max_content_length == 3
    from microflask.wrappers import Request

    assert Request({}).max_form_parts == 1000


def test_json_errors_debug_and_not(app, client):
    app.route("/", methods=["POST"])(lambda: str(request.get_json()))
    rv = client.post("/", data="xx", content_type="application/json")
    assert rv.status_code == 400
    assert b"Failed to decode" not in rv.data
    app.debug = True
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False
    rv = client.post("/", data="xx", content_type="application/json")
    assert b"Failed to decode JSON object" in rv.data
    assert client.post("/", data="xx", content_type="text/plain").status_code == 415


def test_request_endpoint_and_blueprint_properties(app):
    app.add_url_rule("/a", "plain", lambda: "")
    app.add_url_rule("/b", "outer.inner.view", lambda: "")
    with app.test_request_context("/a"):
        assert (request.endpoint, request.blueprint, request.blueprints) == ("plain", None, [])
    with app.test_request_context("/b"):
        assert request.endpoint == "outer.inner.view"
        assert request.blueprint == "outer.inner"
        assert request.blueprints == ["outer.inner", "outer"]
    with app.test_request_context("/nothing"):
        assert request.endpoint is None and request.url_rule is None
        assert isinstance(request.routing_exception, NotFound)


def test_response_max_cookie_size(app):
    with app.app_context():
        app.config["MAX_COOKIE_SIZE"] = 10
        assert Response().max_cookie_size == 10
    assert Response().max_cookie_size == 4093
    assert Response().mimetype == "text/html"
