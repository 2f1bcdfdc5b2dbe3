from __future__ import annotations

import json

import pytest

from wsgikit.middleware.dispatcher import DispatcherMiddleware
from wsgikit.test import Client
from wsgikit.test import create_environ


def _named(name: str):  # type: ignore[no-untyped-def]
    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps([name, environ["SCRIPT_NAME"], environ["PATH_INFO"]]).encode()]

    return app


def _call(app, path: str, script_name: str = "/s") -> list[str]:  # type: ignore[no-untyped-def]
    environ = {"PATH_INFO": path, "SCRIPT_NAME": script_name}
    return json.loads(b"".join(app(environ, lambda status, headers: None)))  # type: ignore[no-any-return]


MOUNTS = {"/a": _named("a"), "/a/b": _named("ab"), "": _named("empty"), "x": _named("x")}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a", ["a", "/s/a", ""]),
        ("/a/", ["a", "/s/a", "/"]),
        ("/a/b/c", ["ab", "/s/a/b", "/c"]),
        ("/ab", ["empty", "/s", "/ab"]),
        ("/a//b", ["a", "/s/a", "//b"]),
        ("", ["empty", "/s", ""]),
        ("x", ["x", "/sx", ""]),
        ("x/y", ["x", "/sx", "/y"]),
        ("y/z", ["root", "/sy", "/z"]),
        ("/", ["empty", "/s", "/"]),
        ("/a/bc", ["a", "/s/a", "/bc"]),
    ],
)
def test_dispatch_table(path: str, expected: list[str]) -> None:
    # Expected values as Werkzeug 3.1 dispatches them.
    assert _call(DispatcherMiddleware(_named("root"), dict(MOUNTS)), path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ["root", "", "/"]),
        ("/api", ["api", "/api", ""]),
        ("/api/users/1", ["api", "/api", "/users/1"]),
        ("/apiary", ["root", "", "/apiary"]),
        ("/api/v2/x", ["v2", "/api/v2", "/x"]),
    ],
)
def test_dispatch_through_client(path: str, expected: list[str]) -> None:
    app = DispatcherMiddleware(_named("root"), {"/api": _named("api"), "/api/v2": _named("v2")})
    assert Client(app).get(path).json == expected


def test_mounts_can_change_later() -> None:
    app = DispatcherMiddleware(_named("root"))
    assert Client(app).get("/late/x").json[0] == "root"
    app.mounts["/late"] = _named("late")
    assert Client(app).get("/late/x").json == ["late", "/late", "/x"]


def test_many_segments_is_linear() -> None:
    app = DispatcherMiddleware(_named("root"), {"/a": _named("a"), "/b/c": _named("bc")})
    path = "/x" * 200_000
    assert _call(app, path, "") == ["root", "", path]
    assert Client(app).get("/a" + path).json == ["a", "/a", path]
