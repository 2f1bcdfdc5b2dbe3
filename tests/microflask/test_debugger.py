"""microflask under the wsgikit debugger: a frame's console runs inside the
request's preserved app and request contexts, as Flask's does under
Werkzeug's debugger."""

from __future__ import annotations

import html
import re
import typing as t

import pytest

from microflask import Flask
from microflask import current_app  # noqa: F401 - the console reads it from this module
from microflask import g
from microflask import request
from microflask import session
from wsgikit.debug import DebuggedApplication
from wsgikit.test import Client


@pytest.fixture
def debugged() -> tuple[DebuggedApplication, Client, list[str]]:
    app = Flask("debugged_app")
    app.config.update(SECRET_KEY="dev", DEBUG=True)
    torn_down: list[str] = []

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        torn_down.append(type(exc).__name__ if exc else "None")

    @app.route("/fail")
    def fail() -> str:
        g.user = "bob"
        session["seen"] = 1
        marker = "in the view"  # noqa: F841 - read by the console
        raise ZeroDivisionError("view failed")

    dapp = DebuggedApplication(app, evalex=True, pin_security=False)
    return dapp, Client(dapp), torn_down


def run(client: Client, dapp: DebuggedApplication, frame: str, code: str) -> str:
    query = {"__debugger__": "yes", "cmd": code, "frm": frame, "s": dapp.secret}
    response = client.get("/", query_string=query)
    assert response.status_code == 200
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def test_console_sees_the_failed_requests_contexts(debugged: t.Any) -> None:
    dapp, client, torn_down = debugged
    page = client.get("/fail?page=3").get_data(as_text=True)
    assert torn_down == ["ZeroDivisionError"]
    frames = re.findall(r'data-frame="(\d+)"', page)
    view_frame = frames[-1]
    assert "'in the view'" in run(client, dapp, view_frame, "marker")
    assert "'3'" in run(client, dapp, view_frame, "request.args['page']")
    assert "'/fail'" in run(client, dapp, view_frame, "request.path")
    assert "'bob'" in run(client, dapp, view_frame, "g.user")
    assert "'seen': 1" in run(client, dapp, view_frame, "dict(session)")
    assert "'debugged_app'" in run(client, dapp, view_frame, "current_app.name")
    # Every frame of the traceback shares the contexts, as under Werkzeug.
    assert "'3'" in run(client, dapp, frames[0], "request.args['page']")
    # Each line enters and leaves the contexts: teardown runs, without an error.
    assert torn_down[-1] == "None"
    # Nothing stays pushed in the test's own thread.
    with pytest.raises(RuntimeError, match="Working outside of request context"):
        request.args


def test_without_evalex_nothing_is_preserved() -> None:
    seen: list[bool] = []
    app = Flask("plain")

    @app.route("/")
    def index() -> str:
        seen.append("werkzeug.debug.preserve_context" in request.environ)
        return "ok"

    Client(DebuggedApplication(app, evalex=False)).get("/")
    Client(DebuggedApplication(app, evalex=True)).get("/")
    assert seen == [False, True]



def test_a_failing_teardown_shows_in_the_console() -> None:
    app = Flask("teardown_fails")
    app.debug = True
    calls: list[int] = []

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        calls.append(1)
        if len(calls) > 1:
            raise OSError("teardown broke")

    @app.route("/")
    def index() -> str:
        raise LookupError("view failed")

    dapp = DebuggedApplication(app, evalex=True, pin_security=False)
    client = Client(dapp)
    frames = re.findall(r'data-frame="(\d+)"', client.get("/").get_data(as_text=True))
    assert "OSError: teardown broke" in run(client, dapp, frames[-1], "request.path")
