"""Request.application's closing wrapper (classes with the stock
__enter__/__exit__) against the ``with request:`` wrapper (classes
overriding them), and against Werkzeug's for the overriding case."""

from __future__ import annotations

import typing as t
from types import TracebackType

import pytest

from wsgikit.exceptions import NotFound
from wsgikit.test import Client
from wsgikit.wrappers import Request
from wsgikit.wrappers import Response


def recording_classes(base: type[t.Any], response_class: type[t.Any]) -> tuple[type[t.Any], type[t.Any], list[str]]:
    calls: list[str] = []

    class Stock(base):  # type: ignore[misc]  # a Request class of either library
        def close(self) -> None:
            calls.append("close")
            super().close()

    class WithContext(Stock):
        def __enter__(self) -> t.Any:
            calls.append("enter")
            return super().__enter__()

        def __exit__(self, exc_type: t.Any, exc: BaseException | None, tb: TracebackType | None) -> None:
            calls.append("exit")
            super().__exit__(exc_type, exc, tb)

    return Stock, WithContext, calls


def run(cls: type[t.Any], behaviour: str, response_class: type[t.Any], client_class: type[t.Any]) -> tuple[t.Any, ...]:
    not_found = NotFound if issubclass(cls, Request) else _werkzeug_not_found()

    def view(request: t.Any) -> t.Any:
        if behaviour == "http_error":
            raise not_found()
        if behaviour == "error":
            raise KeyError("boom")
        return response_class(f"{request.method} {request.path}")

    app = cls.application(view)
    client = client_class(app)
    try:
        response = client.get("/p")
    except KeyError:
        return ("raised",)
    return response.status, response.get_data()


def _werkzeug_not_found() -> type[Exception]:
    from werkzeug.exceptions import NotFound as WerkzeugNotFound

    return WerkzeugNotFound


@pytest.mark.parametrize("behaviour", ["ok", "http_error", "error"])
def test_closing_wrapper_matches_with_statement(behaviour: str) -> None:
    stock, with_context, calls = recording_classes(Request, Response)
    first = run(stock, behaviour, Response, Client)
    stock_calls = list(calls)
    calls.clear()
    second = run(with_context, behaviour, Response, Client)
    assert first == second
    assert stock_calls == ["close"]  # closed exactly once, error or not
    assert calls == ["enter", "exit", "close"]


@pytest.mark.parametrize("behaviour", ["ok", "http_error", "error"])
def test_overriding_class_matches_werkzeug(behaviour: str) -> None:
    werkzeug_wrappers = pytest.importorskip("werkzeug.wrappers")
    werkzeug_test = pytest.importorskip("werkzeug.test")
    _, ours, our_calls = recording_classes(Request, Response)
    _, theirs, their_calls = recording_classes(werkzeug_wrappers.Request, werkzeug_wrappers.Response)
    assert run(ours, behaviour, Response, Client) == run(
        theirs, behaviour, werkzeug_wrappers.Response, werkzeug_test.Client
    )
    assert our_calls == their_calls


def test_methods_as_views_get_their_arguments() -> None:
    def app(self: t.Any, request: Request) -> Response:
        return Response(f"{self.prefix}:{request.path}")

    application: t.Any = Request.application(app)  # type: ignore[arg-type]  # a method: self comes first
    service_class = type("Service", (), {"prefix": "svc", "app": application})
    response = Client(service_class().app).get("/x")
    assert response.get_data() == b"svc:/x"


def test_wrapper_keeps_the_view_name() -> None:
    def my_view(request: Request) -> Response:
        return Response("x")

    assert Request.application(my_view).__name__ == "my_view"
