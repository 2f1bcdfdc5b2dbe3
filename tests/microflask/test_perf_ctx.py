"""The cheap context machinery behaves as the general path does.

``wsgi_app`` builds the request context directly when ``request_context``
is Flask's own; ``g`` is made on first use; the contexts call
``app_context``, ``do_teardown_request`` and ``do_teardown_appcontext`` as
Flask does (a shortcut past them was measured and gave too little: see
docs/benchmarks.md). Each is compared here with the general path (an
instance override of ``request_context``) and checked against subclass and
instance overrides.
"""

from __future__ import annotations

import types

import pytest

from microflask import Flask
from microflask import after_this_request
from microflask import g
from microflask import request
from microflask.ctx import AppContext
from microflask.ctx import _AppCtxGlobals
from microflask.globals import _cv_app
from microflask.globals import _cv_request
from microflask.signals import appcontext_popped
from microflask.signals import appcontext_pushed
from microflask.signals import appcontext_tearing_down
from microflask.signals import request_tearing_down

def _make_app(general: bool) -> tuple[Flask, list[str]]:
    app = Flask("perf_ctx")
    app.config.update(TESTING=True, SECRET_KEY="k")
    if general:
        # The stock method, assigned on the instance: wsgi_app calls it.
        app.request_context = types.MethodType(Flask.request_context, app)  # type: ignore[method-assign]
        assert app._stock_request_context is False
    events: list[str] = []

    @app.route("/<name>")
    def view(name: str) -> str:
        events.append(f"view {type(_cv_app.get()).__name__} {_cv_request.get().request.path}")
        g.name = name

        @after_this_request
        def later(response):  # type: ignore[no-untyped-def]
            events.append("after_this_request")
            return response

        return f"hi {g.name}"

    return app, events


@pytest.mark.parametrize("with_hooks", [False, True])
def test_shortcuts_answer_and_tear_down_as_the_general_path(with_hooks: bool) -> None:
    seen = {}
    for general in (False, True):
        app, events = _make_app(general)
        if with_hooks:
            app.teardown_request(lambda exc: events.append(f"teardown_request {exc!r}"))
            app.teardown_appcontext(lambda exc: events.append(f"teardown_appcontext {exc!r}"))
        client = app.test_client()
        bodies = [client.get(f"/u{i}").data for i in range(3)]
        seen[general] = (bodies, events)
        assert _cv_app.get(None) is None and _cv_request.get(None) is None
    assert seen[False] == seen[True]
    assert seen[False][0] == [b"hi u0", b"hi u1", b"hi u2"]


def test_teardown_signals_are_sent_when_nothing_is_registered() -> None:
    app, _ = _make_app(general=False)
    got: list[str] = []

    def on_request(sender, **kw):  # type: ignore[no-untyped-def]
        got.append(f"request {kw['exc']!r}")

    def on_app(sender, **kw):  # type: ignore[no-untyped-def]
        got.append(f"app {kw['exc']!r}")

    def on_push(sender, **kw):  # type: ignore[no-untyped-def]
        got.append("pushed")

    def on_pop(sender, **kw):  # type: ignore[no-untyped-def]
        got.append("popped")

    with request_tearing_down.connected_to(on_request, app), appcontext_tearing_down.connected_to(on_app, app):
        with appcontext_pushed.connected_to(on_push, app), appcontext_popped.connected_to(on_pop, app):
            assert app.test_client().get("/x").data == b"hi x"
    assert got == ["pushed", "request None", "app None", "popped"]


@pytest.mark.parametrize("name", ["do_teardown_request", "do_teardown_appcontext"])
def test_teardown_overrides_are_called_with_nothing_registered(name: str) -> None:
    calls: list[str] = []

    def override(self, exc=None):  # type: ignore[no-untyped-def]
        calls.append(f"subclass {exc!r}")
        return getattr(Flask, name)(self, exc)

    Sub = type("Sub", (Flask,), {name: override})
    sub = Sub("sub")
    sub.route("/")(lambda: "ok")
    assert sub.test_client().get("/").data == b"ok"
    assert calls == ["subclass None"]

    app = Flask("inst")
    app.route("/")(lambda: "ok")
    stock = getattr(app, name)

    def on_instance(exc=None):  # type: ignore[no-untyped-def]
        calls.append(f"instance {exc!r}")
        return stock(exc)

    setattr(app, name, on_instance)
    assert app.test_client().get("/").data == b"ok"
    assert calls == ["subclass None", "instance None"]


def test_teardown_override_sees_the_error() -> None:
    calls: list[object] = []

    class Sub(Flask):
        def do_teardown_request(self, exc=None):  # type: ignore[no-untyped-def]
            calls.append(type(exc).__name__)
            super().do_teardown_request(exc)

    sub = Sub("sub")
    sub.config["PROPAGATE_EXCEPTIONS"] = False

    @sub.route("/")
    def boom() -> str:
        raise ValueError("boom")

    assert sub.test_client().get("/").status_code == 500
    assert calls == ["ValueError"]


def test_app_context_overrides_make_the_request_s_application_context() -> None:
    calls: list[str] = []

    class MyAppContext(AppContext):
        pass

    class Sub(Flask):
        def app_context(self) -> AppContext:
            calls.append("subclass")
            return MyAppContext(self)

    sub = Sub("sub")
    sub.route("/")(lambda: type(_cv_app.get()).__name__)
    assert sub.test_client().get("/").data == b"MyAppContext"
    assert calls == ["subclass"]

    app = Flask("inst")
    app.route("/")(lambda: type(_cv_app.get()).__name__)
    app.app_context = lambda: (calls.append("instance"), MyAppContext(app))[1]  # type: ignore[method-assign]
    assert app.test_client().get("/").data == b"MyAppContext"
    assert calls == ["subclass", "instance"]


def test_pushed_application_context_of_the_same_app_is_reused() -> None:
    app, _ = _make_app(general=False)
    with app.app_context() as outer:
        g.kept = 1
        with app.test_request_context("/"):
            assert _cv_app.get() is outer
            assert g.kept == 1
            g.added = 2
        # The request did not pop the application context it did not push.
        assert _cv_app.get() is outer
        assert g.added == 2
    other = Flask("other")
    with other.app_context() as foreign, app.test_request_context("/"):
        assert _cv_app.get() is not foreign and _cv_app.get().app is app


def test_g_is_made_on_first_use_from_the_class_of_the_time() -> None:
    class MyGlobals(_AppCtxGlobals):
        pass

    app = Flask("g")
    ctx = app.app_context()
    assert ctx._g is None
    app.app_ctx_globals_class = MyGlobals
    first = ctx.g
    assert type(first) is MyGlobals and ctx.g is first
    replacement = MyGlobals()
    ctx.g = replacement
    assert ctx.g is replacement
    with ctx:
        assert g._get_current_object() is replacement  # type: ignore[attr-defined]


def test_each_request_gets_a_fresh_g() -> None:
    app = Flask("g")
    seen: list[object] = []

    @app.route("/")
    def view() -> str:
        assert "x" not in g
        g.x = request.path
        seen.append(g._get_current_object())  # type: ignore[attr-defined]
        return "ok"

    client = app.test_client()
    client.get("/")
    client.get("/")
    assert len(seen) == 2 and seen[0] is not seen[1]


def test_request_context_pushed_twice_tears_down_once() -> None:
    app, events = _make_app(general=False)
    app.teardown_request(lambda exc: events.append("teardown_request"))
    app.teardown_appcontext(lambda exc: events.append("teardown_appcontext"))
    ctx = app.test_request_context("/")
    with ctx:
        with ctx:
            pass
        assert events == []
    assert events == ["teardown_request", "teardown_appcontext"]
