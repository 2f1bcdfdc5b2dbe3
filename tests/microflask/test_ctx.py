"""Application and request contexts."""

from __future__ import annotations

import asyncio
import threading

import pytest

from microflask import Flask
from microflask import after_this_request
from microflask import copy_current_request_context
from microflask import current_app
from microflask import g
from microflask import has_app_context
from microflask import has_request_context
from microflask import request
from microflask import session
from microflask.ctx import AppContext
from microflask.ctx import RequestContext
from microflask.globals import _app_ctx_stack
from microflask.globals import _cv_app
from microflask.globals import _cv_request
from microflask.globals import _request_ctx_stack


def test_app_context_push_pop(app):
    assert not has_app_context()
    ctx = app.app_context()
    assert isinstance(ctx, AppContext)
    with ctx:
        assert has_app_context() and not has_request_context()
        assert current_app._get_current_object() is app
        assert _app_ctx_stack.top is ctx
    assert not has_app_context()
    assert _app_ctx_stack.top is None


def test_request_context_pushes_app_context(app):
    ctx = app.test_request_context("/x?a=1")
    assert isinstance(ctx, RequestContext)
    with ctx:
        assert has_request_context() and has_app_context()
        assert request.args["a"] == "1"
        assert _request_ctx_stack.top is ctx
        assert _app_ctx_stack.top is _cv_app.get()
        assert current_app.name == "test_app"
    assert _request_ctx_stack.top is None and _app_ctx_stack.top is None


def test_request_context_reuses_current_app_context(app):
    with app.app_context() as actx:
        with app.test_request_context():
            assert _cv_app.get() is actx
        assert _cv_app.get() is actx


def test_other_app_gets_its_own_app_context(app):
    other = Flask("other")
    with app.app_context():
        with other.test_request_context():
            assert current_app.name == "other"
        assert current_app.name == "test_app"


def test_popping_wrong_app_context(app):
    a = app.app_context()
    a.push()
    b = app.app_context()
    b.push()
    with pytest.raises(AssertionError, match=r"^Popped wrong app context\. \(<microflask\.ctx\.AppContext object at .* instead of <microflask\.ctx\.AppContext"):
        a.pop()
    # Like resetting the context variable: back to before ``a``.
    assert _cv_app.get(None) is None
    assert _app_ctx_stack.top is None


def test_popping_wrong_request_context(app):
    a = app.test_request_context()
    a.push()
    b = app.test_request_context()
    b.push()
    with pytest.raises(AssertionError, match=r"^Popped wrong request context\. \(<RequestContext 'http://localhost/' \[GET\] of test_app> instead of"):
        a.pop()
    while _cv_request.get(None) is not None:
        _cv_request.get().pop()
    while _cv_app.get(None) is not None:
        _cv_app.get().pop()


def test_repr(app):
    ctx = app.test_request_context("/p?q=1", method="POST")
    assert repr(ctx) == "<RequestContext 'http://localhost/p?q=1' [POST] of test_app>"


def test_nested_push_tears_down_once(app):
    calls = []
    app.teardown_request(lambda exc: calls.append("req"))
    app.teardown_appcontext(lambda exc: calls.append("app"))
    ctx = app.test_request_context()
    ctx.push()
    ctx.push()
    ctx.pop()
    assert calls == []
    assert has_request_context()
    ctx.pop()
    assert calls == ["req", "app"]


def test_teardown_gets_exception_from_with_block(app):
    seen = []
    app.teardown_request(lambda exc: seen.append(exc))
    app.teardown_appcontext(lambda exc: seen.append(exc))
    err = ValueError("x")
    with pytest.raises(ValueError):
        with app.test_request_context():
            raise err
    assert seen == [err, err]


def test_copy_and_match_request(app):
    app.route("/u/<int:n>")(lambda n: "x")
    with app.test_request_context("/u/4") as ctx:
        assert request.view_args == {"n": 4}
        assert request.url_rule.rule == "/u/<int:n>"
        copy = ctx.copy()
        assert copy.request is ctx.request
        assert copy.session is ctx.session


def test_copy_current_request_context_in_thread(app):
    results = []
    with app.test_request_context("/?who=thread"):

        @copy_current_request_context
        def work():
            results.append((request.args["who"], current_app.name))

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert results == [("thread", "test_app")]


def test_helpers_outside_context():
    with pytest.raises(RuntimeError, match="'after_this_request' can only be used when a request context is active"):
        after_this_request(lambda r: r)
    with pytest.raises(RuntimeError, match="'copy_current_request_context' can only be used when a request context"):
        copy_current_request_context(lambda: None)


def test_contexts_isolated_per_thread(app):
    seen = []
    with app.app_context():
        g.value = "main"

        def other():
            seen.append(has_app_context())
            with app.app_context():
                g.value = "thread"
                seen.append(g.value)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert g.value == "main"
    assert seen == [False, "thread"]


def test_contexts_isolated_per_task(app):
    async def handle(name):
        with app.test_request_context(f"/{name}"):
            await asyncio.sleep(0)
            path = request.path
            await asyncio.sleep(0)
            return path, request.path

    async def main():
        return await asyncio.gather(*(handle(n) for n in ("a", "b", "c")))

    assert asyncio.run(main()) == [("/a", "/a"), ("/b", "/b"), ("/c", "/c")]


def test_session_opened_for_request_context(app):
    with app.test_request_context():
        session["x"] = 1
        assert session["x"] == 1
        assert session.modified


def test_null_session_without_secret_key(app):
    app.secret_key = None
    with app.test_request_context():
        assert session.get("x") is None
        with pytest.raises(RuntimeError, match="secret key"):
            session["x"] = 1


def test_custom_session_interface_opened_at_push(app):
    from microflask.sessions import SecureCookieSessionInterface

    opened = []

    class Recording(SecureCookieSessionInterface):
        def open_session(self, app, request):
            opened.append(request.path)
            return super().open_session(app, request)

    app.session_interface = Recording()
    with app.test_request_context("/p"):
        assert opened == ["/p"]


def test_routing_error_stored_on_request(app):
    app.config["TRUSTED_HOSTS"] = ["ok.example"]
    with app.test_request_context(base_url="http://bad.example"):
        assert request.routing_exception is not None
        assert request.routing_exception.code == 400
