"""``Flask._wsgi_app_inlined`` (the stock request handling written out in one
frame) answers and behaves exactly as the general path of ``wsgi_app``.

Each case builds the same application twice, once on the inlined path and
once with ``_inline_request`` turned off on the instance (the general path:
``ctx.push``, ``full_dispatch_request``, ``ctx.pop``...), sends the same
requests to both and compares the status, headers, body, the events the
hooks and signals recorded and the context state afterwards.
"""

from __future__ import annotations

import io
import typing as t

import pytest

from microflask import Flask
from microflask import Response
from microflask import abort
from microflask import after_this_request
from microflask import g
from microflask import jsonify
from microflask import request
from microflask import session
from microflask import signals
from microflask.app import _INLINED_METHODS
from microflask.globals import _cv_app
from microflask.globals import _cv_request
from wsgikit.exceptions import NotFound

Events = list[tuple[t.Any, ...]]


def _environ(path: str, method: str = "GET", cookie: str | None = None, **extra: t.Any) -> dict[str, t.Any]:
    query = ""
    if "?" in path:
        path, query = path.split("?", 1)
    env: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if cookie is not None:
        env["HTTP_COOKIE"] = cookie
    env.update(extra)
    return env


def _call(app: Flask, env: dict[str, t.Any]) -> tuple[t.Any, ...]:
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    try:
        out = app(env, lambda status, headers, exc_info=None: seen.append((status, headers)))
        body = b"".join(out)
        getattr(out, "close", lambda: None)()
    except BaseException as e:  # noqa: BLE001 -- the exception is part of what is compared
        return ("raised", type(e).__name__, str(e))
    status, headers = seen[0]
    return status, sorted(headers), body


def _inline(app: Flask, on: bool) -> Flask:
    if not on:
        app._inline_request = False
    return app


def _both(build: t.Callable[[Events], Flask], requests: list[dict[str, t.Any]]) -> tuple[t.Any, t.Any]:
    """Run ``requests`` (environ keyword arguments) on the inlined and the
    general path; return both transcripts."""
    transcripts = []
    for on in (True, False):
        events: Events = []
        app = _inline(build(events), on)
        assert app._inline_request is on
        answers = []
        for spec in requests:
            answers.append(_call(app, _environ(**spec)))
            answers.append(("contexts left", _cv_app.get(None), _cv_request.get(None)))
        transcripts.append((answers, events))
    return transcripts[0], transcripts[1]


def _base(events: Events) -> Flask:
    app = Flask("inlined")
    app.secret_key = "secret"

    @app.route("/hello/<name>")
    def hello(name: str) -> str:
        return f"Hello {name}!"

    @app.route("/json", methods=["GET", "POST"])
    def as_json() -> t.Any:
        return {"method": request.method}

    @app.route("/tuple")
    def as_tuple() -> t.Any:
        return "made", 201, {"X-A": "1"}

    @app.route("/response")
    def as_response() -> Response:
        return Response("resp", mimetype="text/plain")

    @app.route("/jsonify")
    def as_jsonify() -> Response:
        return jsonify(a=1)

    @app.route("/none")
    def none() -> None:
        return None

    @app.route("/abort")
    def aborts() -> str:
        abort(418)

    @app.route("/boom")
    def boom() -> str:
        raise ValueError("boom")

    @app.route("/slash/")
    def slash() -> str:
        return "slash"

    @app.route("/session/write")
    def write_session() -> str:
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    @app.route("/session/read")
    def read_session() -> str:
        return str(session.get("n"))

    @app.route("/g")
    def uses_g() -> str:
        g.x = 1
        return str(g.get("x"))

    @app.route("/later")
    def later() -> str:
        @after_this_request
        def add(response: Response) -> Response:
            events.append(("after_this_request", response.status_code))
            response.headers["X-Later"] = "1"
            return response

        return "later"

    return app


_REQUESTS: list[dict[str, t.Any]] = [
    {"path": "/hello/ann"},
    {"path": "/hello/ann", "method": "HEAD"},
    {"path": "/hello/ann", "method": "POST"},
    {"path": "/hello/ann", "method": "OPTIONS"},
    {"path": "/nowhere"},
    {"path": "/slash"},
    {"path": "/json", "method": "POST"},
    {"path": "/tuple"},
    {"path": "/response"},
    {"path": "/jsonify"},
    {"path": "/none"},
    {"path": "/abort"},
    {"path": "/boom"},
    {"path": "/g"},
    {"path": "/later"},
    {"path": "/session/read"},
    {"path": "/session/write"},
    {"path": "/session/read", "cookie": "_ga=GA1.1.1; _gid=GA1.1.2"},
    {"path": "/hello/bob", "cookie": "session=forged.value.sig"},
    {"path": "/hello/bob", "cookie": "_ga=GA1.1.1"},
]


def test_flag_on_for_flask_and_subclasses_keeping_the_methods() -> None:
    class Plain(Flask):
        def extra(self) -> None: ...

    assert Flask("a")._inline_request is True
    assert Plain("b")._inline_request is True


@pytest.mark.parametrize("name", sorted(_INLINED_METHODS))
def test_subclass_override_of_any_inlined_method_takes_the_general_path(name: str) -> None:
    called: list[str] = []
    original = getattr(Flask, name)

    def override(self: Flask, *args: t.Any, **kwargs: t.Any) -> t.Any:
        called.append(name)
        return original(self, *args, **kwargs)

    Sub = type("Sub", (Flask,), {name: override})
    app = Sub("sub")
    app.route("/x")(lambda: "x")
    assert app._inline_request is False
    assert _call(app, _environ("/x"))[2] == b"x"
    assert name in called


@pytest.mark.parametrize("name", sorted(_INLINED_METHODS))
def test_instance_override_of_any_inlined_method_is_called(name: str) -> None:
    app = Flask("inst")
    app.route("/x")(lambda: "x")
    original = getattr(app, name)
    called: list[str] = []

    def override(*args: t.Any, **kwargs: t.Any) -> t.Any:
        called.append(name)
        return original(*args, **kwargs)

    setattr(app, name, override)
    assert app._inline_request is False
    assert Flask("other")._inline_request is True
    assert _call(app, _environ("/x"))[2] == b"x"
    assert name in called


def test_other_instance_attributes_keep_the_inlined_path() -> None:
    app = Flask("keep")
    app.secret_key = "k"
    app.debug = False
    app.handle_user_exception = app.handle_user_exception  # not inlined: called by both paths
    assert app._inline_request is True


def test_plain_requests_answer_alike() -> None:
    inlined, general = _both(_base, _REQUESTS)
    assert inlined == general
    answers = inlined[0]
    statuses = [a[0] for a in answers if a[0] != "contexts left"]
    assert statuses[:6] == ["200 OK", "200 OK", "405 METHOD NOT ALLOWED", "200 OK", "404 NOT FOUND", "308 PERMANENT REDIRECT"]
    assert "500 INTERNAL SERVER ERROR" in statuses
    assert all(a[1:] == (None, None) for a in answers if a[0] == "contexts left")


def test_session_cookie_round_trip_alike() -> None:
    for on in (True, False):
        app = _inline(_base([]), on)
        first = _call(app, _environ("/session/write"))
        cookie = next(v for k, v in first[1] if k == "Set-Cookie").split(";")[0]
        second = _call(app, _environ("/session/write", cookie=cookie))
        assert second[2] == b"2", on
        assert ("Vary", "Cookie") in second[1]


def _hooked(events: Events) -> Flask:
    app = _base(events)

    @app.url_value_preprocessor
    def pre(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        events.append(("url_value_preprocessor", endpoint, dict(values or {})))

    @app.before_request
    def before() -> t.Any:
        events.append(("before", request.path))
        if request.path == "/hello/stop":
            return "stopped", 403
        return None

    @app.after_request
    def after(response: Response) -> Response:
        events.append(("after", response.status_code))
        response.headers["X-After"] = "1"
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        events.append(("teardown_request", type(exc).__name__ if exc else None))

    @app.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        events.append(("teardown_appcontext", type(exc).__name__ if exc else None))

    @app.errorhandler(404)
    def not_found(e: NotFound) -> t.Any:
        events.append(("errorhandler", 404))
        return "custom 404", 404

    return app


def test_hooks_and_error_handlers_run_alike() -> None:
    requests = [*_REQUESTS, {"path": "/hello/stop"}]
    inlined, general = _both(_hooked, requests)
    assert inlined == general
    events = inlined[1]
    assert ("before", "/hello/stop") in events
    assert ("teardown_request", "ValueError") in events
    assert ("teardown_appcontext", "ValueError") in events
    assert ("errorhandler", 404) in events
    assert ("after_this_request", 200) in events


def test_signals_are_sent_alike() -> None:
    names = [
        "request_started",
        "request_finished",
        "request_tearing_down",
        "appcontext_pushed",
        "appcontext_popped",
        "appcontext_tearing_down",
        "got_request_exception",
    ]
    transcripts = []
    for on in (True, False):
        events: Events = []
        app = _inline(_base(events), on)
        receivers = []
        for name in names:

            def receiver(sender: t.Any, _name: str = name, **extra: t.Any) -> None:
                events.append((_name, sender is app, sorted(extra)))

            receivers.append(receiver)
            getattr(signals, name).connect(receiver, app)
        try:
            answers = [_call(app, _environ(**spec)) for spec in _REQUESTS]
        finally:
            for name, receiver in zip(names, receivers):
                getattr(signals, name).disconnect(receiver, app)
        transcripts.append((answers, events))
    assert transcripts[0] == transcripts[1]
    sent = {e[0] for e in transcripts[0][1]}
    assert sent >= set(names)


def test_errors_in_after_request_and_make_response_alike() -> None:
    def build(events: Events) -> Flask:
        app = _base(events)

        @app.after_request
        def after(response: Response) -> Response:
            if request.path == "/hello/fail":
                raise RuntimeError("after failed")
            return response

        @app.teardown_request
        def teardown(exc: BaseException | None) -> None:
            events.append(("teardown", repr(exc)))

        return app

    inlined, general = _both(build, [{"path": "/hello/fail"}, {"path": "/none"}, {"path": "/hello/ok"}])
    assert inlined == general
    assert ("teardown", "RuntimeError('after failed')") in inlined[1]


def test_propagated_exceptions_alike() -> None:
    def build(events: Events) -> Flask:
        app = _base(events)
        app.config["PROPAGATE_EXCEPTIONS"] = True

        @app.teardown_request
        def teardown(exc: BaseException | None) -> None:
            events.append(("teardown", repr(exc)))

        return app

    inlined, general = _both(build, [{"path": "/boom"}, {"path": "/hello/x"}])
    assert inlined == general
    assert inlined[0][0] == ("raised", "ValueError", "boom")


def test_base_exception_from_the_view_alike() -> None:
    class Stop(BaseException):
        pass

    def build(events: Events) -> Flask:
        app = _base(events)

        @app.route("/stop")
        def stop() -> str:
            raise Stop("stop")

        @app.teardown_request
        def teardown(exc: BaseException | None) -> None:
            events.append(("teardown", repr(exc)))

        return app

    inlined, general = _both(build, [{"path": "/stop"}, {"path": "/hello/x"}])
    assert inlined == general
    assert inlined[0][0] == ("raised", "Stop", "stop")
    assert ("teardown", "Stop('stop')") in inlined[1]


def test_async_view_alike() -> None:
    pytest.importorskip("asyncio")

    def build(events: Events) -> Flask:
        app = _base(events)

        @app.route("/async/<x>")
        async def view(x: str) -> str:
            return f"async {x}"

        return app

    inlined, general = _both(build, [{"path": "/async/1"}])
    assert inlined == general
    assert inlined[0][0][2] == b"async 1"


def test_an_outer_app_context_is_reused_alike() -> None:
    for on in (True, False):
        app = _inline(_base([]), on)
        seen: list[t.Any] = []

        @app.route("/ctx")
        def ctx_view() -> str:
            seen.append(g.get("outer"))
            return "ok"

        with app.app_context():
            g.outer = "kept"
            outer = _cv_app.get()
            assert _call(app, _environ("/ctx"))[2] == b"ok"
            assert _cv_app.get() is outer
        assert seen == ["kept"], on


def test_preserve_context_receives_both_contexts_alike() -> None:
    for on in (True, False):
        app = _inline(_base([]), on)
        kept: list[t.Any] = []
        env = _environ("/hello/x", **{"werkzeug.debug.preserve_context": kept.append})
        assert _call(app, env)[2] == b"Hello x!"
        assert [type(c).__name__ for c in kept] == ["AppContext", "RequestContext"], on
        assert env["werkzeug.request"] is None


def test_server_name_mismatch_and_trusted_hosts_alike() -> None:
    def build(events: Events) -> Flask:
        app = _base(events)
        app.config["TRUSTED_HOSTS"] = ["localhost"]
        return app

    inlined, general = _both(build, [{"path": "/hello/x"}, {"path": "/hello/x", "HTTP_HOST": "evil.example"}])
    assert inlined == general
    assert inlined[0][2][0] == "400 BAD REQUEST"
