"""The context-bound proxies and ``g``."""

from __future__ import annotations

import pytest

from microflask import current_app
from microflask import g
from microflask import request
from microflask import session
from microflask.globals import _app_ctx_stack
from microflask.globals import _request_ctx_stack
from microflask.globals import app_ctx
from microflask.globals import request_ctx
from wsgikit.local import LocalProxy

NO_APP = (
    "Working outside of application context.\n\nThis typically means that you attempted to use functionality"
    " that needed\nthe current application. To solve this, set up an application context\nwith"
    " app.app_context(). See the documentation for more information."
)
NO_REQ = (
    "Working outside of request context.\n\nThis typically means that you attempted to use functionality"
    " that needed\nan active HTTP request. Consult the documentation on testing for\ninformation about how"
    " to avoid this problem."
)


@pytest.mark.parametrize(
    ("proxy", "message"),
    [(current_app, NO_APP), (g, NO_APP), (app_ctx, NO_APP), (request, NO_REQ), (session, NO_REQ), (request_ctx, NO_REQ)],
    ids=["current_app", "g", "app_ctx", "request", "session", "request_ctx"],
)
def test_outside_context_messages(proxy, message):
    assert isinstance(proxy, LocalProxy)
    with pytest.raises(RuntimeError) as info:
        proxy.anything  # noqa: B018
    assert str(info.value) == message


def test_proxies_inside_context(app):
    with app.test_request_context("/hello") as ctx:
        assert request_ctx._get_current_object() is ctx
        assert request._get_current_object() is ctx.request
        assert session._get_current_object() is ctx.session
        assert app_ctx.g is g._get_current_object()
        assert current_app._get_current_object() is app


def test_stacks_follow_contexts(app):
    assert _app_ctx_stack.top is None and _request_ctx_stack.top is None
    with app.app_context() as a:
        with app.test_request_context() as r:
            assert _app_ctx_stack.top is a
            assert _request_ctx_stack.top is r
        assert _request_ctx_stack.top is None
        assert _app_ctx_stack.top is a


def test_g_namespace(app):
    with app.app_context():
        g.a = 1
        g.b = 2
        assert repr(g) == "<microflask.g of 'test_app'>"
        assert list(g) == ["a", "b"]
        assert "a" in g and "z" not in g
        assert g.get("z", 3) == 3 and g.get("a") == 1
        assert g.pop("a") == 1
        assert g.pop("a", "gone") == "gone"
        with pytest.raises(KeyError):
            g.pop("zz")
        assert g.setdefault("c", 5) == 5 and g.setdefault("c", 6) == 5
        with pytest.raises(AttributeError, match="zz"):
            g.zz  # noqa: B018
    with app.app_context():
        assert "b" not in g  # one g per application context


def test_g_repr_outside_context(app):
    with app.app_context():
        obj = g._get_current_object()
    assert repr(obj).startswith("<microflask.ctx._AppCtxGlobals object at")
