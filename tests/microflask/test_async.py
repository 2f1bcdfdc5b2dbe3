"""async def views and hooks run without third-party packages."""

from __future__ import annotations

import asyncio
import threading

import pytest

from microflask import request
from microflask import g


def test_async_view_and_hooks(app, client):
    calls = []

    @app.before_request
    async def before():
        await asyncio.sleep(0)
        g.x = "from before"

    @app.after_request
    async def after(resp):
        resp.headers["X-After"] = "async"
        return resp

    @app.teardown_request
    async def teardown(exc):
        calls.append(exc)

    @app.route("/a")
    async def view():
        await asyncio.sleep(0)
        return f"{g.x} {request.args['q']}"

    @app.errorhandler(ValueError)
    async def handler(e):
        return "handled async", 400

    @app.route("/err")
    async def err():
        raise ValueError("x")

    rv = client.get("/a?q=1")
    assert rv.data == b"from before 1"
    assert rv.headers["X-After"] == "async"
    assert client.get("/err").data == b"handled async"
    assert calls == [None, None]


def test_one_loop_per_thread(app):
    loops = []

    async def which():
        return asyncio.get_running_loop()

    run = app.ensure_sync(which)
    loops.append(run())
    loops.append(run())
    thread = threading.Thread(target=lambda: loops.append(run()))
    thread.start()
    thread.join()
    assert loops[0] is loops[1]
    assert loops[2] is not loops[0]


def test_ensure_sync_passes_sync_functions(app):
    def f():
        return 1

    assert app.ensure_sync(f) is f


def test_app_called_from_running_loop(app, client):
    @app.route("/")
    async def view():
        return request.path

    async def main():
        return client.get("/").data

    assert asyncio.run(main()) == b"/"


def test_async_exception_propagates(app, client):
    @app.route("/")
    async def view():
        raise KeyError("k")

    with pytest.raises(KeyError):
        client.get("/")
