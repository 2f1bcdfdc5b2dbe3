"""The context-bound proxies and ``g``."""

from __future__ import annotations

import pytest

from microflask import current_app
from microflask import g
from microflask import request
from microflask import session
from microflask.globals import _app_ctx_stack
from microflask.globals import _cv_app
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


def test_flask_08_extensions_keep_state_on_the_contexts(app):
    # The Flask 0.8/0.9 extension pattern: attributes on the top context.
    with app.test_request_context():
        _app_ctx_stack.top.sqlite3_db = "connection"
        _request_ctx_stack.top.user_cache = {"id": 1}
        assert app_ctx.sqlite3_db == "connection"
        assert request_ctx.user_cache == {"id": 1}


def test_stack_push_and_pop_push_and_pop_the_context(app):
    torn_down = []
    app.teardown_request(torn_down.append)
    ctx = app.test_request_context("/here")
    assert _request_ctx_stack.push(ctx) == [ctx]
    assert request.path == "/here"
    assert _request_ctx_stack.top is ctx and _app_ctx_stack.top is not None
    assert _request_ctx_stack.pop() is ctx
    assert torn_down == [None]
    assert _request_ctx_stack.top is None and _app_ctx_stack.top is None
    assert _request_ctx_stack.pop() is None


def test_stack_push_returns_the_whole_stack_bottom_first(app):
    with app.app_context() as a, app.app_context() as b:
        c = app.app_context()
        assert _app_ctx_stack.push(c) == [a, b, c]
        assert _app_ctx_stack._items() == [a, b, c]
        assert _app_ctx_stack.pop() is c
        assert _app_ctx_stack.top is b


def test_stack_takes_any_object_and_restores_what_it_replaced(app):
    marker = object()
    with app.app_context() as a:
        assert _app_ctx_stack.push(marker) == [a, marker]
        assert _app_ctx_stack.top is marker
        assert _app_ctx_stack.pop() is marker
        assert _app_ctx_stack.top is a
        assert current_app._get_current_object() is app
    assert _app_ctx_stack.top is None


def test_proxies_over_the_stacks_follow_the_contexts(app):
    current_request = _request_ctx_stack("request", unbound_message="no request")
    top = LocalProxy(_app_ctx_stack)
    with pytest.raises(RuntimeError, match="^no request$"):
        current_request.path  # noqa: B018
    with app.test_request_context("/p") as ctx:
        assert current_request.path == "/p"
        assert top._get_current_object() is _cv_app.get()
        assert ctx.request is current_request._get_current_object()


def test_release_local_empties_a_context_stack(app):
    from wsgikit.local import release_local

    app.app_context().push()
    app.app_context().push()
    release_local(_app_ctx_stack)
    assert _app_ctx_stack.top is None and _cv_app.get(None) is None


def test_flask_09_lookup_helpers_behind_partial_proxies(app):
    from functools import partial

    from microflask.globals import _lookup_app_object
    from microflask.globals import _lookup_req_object

    req = LocalProxy(partial(_lookup_req_object, "request"))
    sess = LocalProxy(partial(_lookup_req_object, "session"))
    app_g = LocalProxy(partial(_lookup_app_object, "g"))
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        _lookup_req_object("request")
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        _lookup_app_object("g")
    assert repr(req) == "<LocalProxy unbound>"
    with app.test_request_context("/x?a=1"):
        assert req._get_current_object() is request._get_current_object()
        assert req.args["a"] == "1"
        assert sess._get_current_object() is session._get_current_object()
        assert app_g._get_current_object() is g._get_current_object()
        assert _lookup_app_object("app") is app
        assert _lookup_req_object("request") is _request_ctx_stack.top.request


_TYPED_USE = '''
from microflask import Flask, current_app, g, request, session
from microflask.sessions import SessionMixin
from microflask.wrappers import Request

app = Flask(__name__)


@app.route("/")
def index() -> str:
    g.anything = 1
    value: int = g.anything
    g.setdefault("other", 2)
    del g.anything
    req: Request = request
    sess: SessionMixin = session
    flask_app: Flask = current_app
    ctx = app.app_context()
    ctx.g.more = "x"
    return f"{value}{req.path}{sess.get('k')}{flask_app.name}"


def wrong() -> int:
    return request.path  # the only error: request is typed, path is a str
'''


@pytest.mark.slow
@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_globals_type_check_as_in_flask(checker: str, tmp_path) -> None:
    # g takes any attribute; request, session and current_app have
    # microflask's Request, SessionMixin and Flask types.
    import importlib.util
    import os
    import pathlib
    import subprocess
    import sys

    if importlib.util.find_spec(checker) is None:
        pytest.skip(f"{checker} is not installed")
    sample = tmp_path / "typed_sample.py"
    sample.write_text(_TYPED_USE)
    root = pathlib.Path(__file__).resolve().parents[2]
    args = ["--strict", "--no-incremental"] if checker == "mypy" else []
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-m", checker, *args, str(sample)], cwd=root, env=env, capture_output=True, text=True
    ).stdout
    # Only the sample's own lines count (the packages are checked on their own).
    errors = [line for line in out.splitlines() if "typed_sample.py:" in line and "error" in line]
    wrong_line = _TYPED_USE.splitlines().index("    return request.path  # the only error: request is typed, path is a str")
    assert len(errors) == 1 and f"typed_sample.py:{wrong_line + 1}:" in errors[0], out
