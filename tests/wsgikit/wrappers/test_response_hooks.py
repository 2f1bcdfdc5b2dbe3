"""Every method a Response fast path bypasses still runs when a subclass or
an instance overrides it (the "is this the stock method?" helper)."""

from __future__ import annotations

import typing as t

import pytest

from wsgikit._internal import _fast_path_hook
from wsgikit._internal import _keeps_stock
from wsgikit.datastructures import Headers
from wsgikit.wrappers import Response
from wsgikit.wrappers.response import _WSGI_HOOKS

ENVIRON = {"REQUEST_METHOD": "GET", "SERVER_NAME": "x.test", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}


def _serve(response: Response) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    started: list[t.Any] = []
    app_iter = response(dict(ENVIRON), lambda status, headers, exc_info=None: started.append((status, headers)))
    body = list(app_iter)
    getattr(app_iter, "close", lambda: None)()
    return started[0][0], started[0][1], body


def _overrides(calls: list[str]) -> dict[str, t.Callable[..., t.Any]]:
    """A replacement for each WSGI hook that records its call and then does
    what the stock method does (so the output stays checkable)."""

    def get_wsgi_headers(self: Response, environ: t.Any) -> Headers:
        calls.append("get_wsgi_headers")
        headers = Response.get_wsgi_headers(self, environ)
        headers["X-Hook"] = "1"
        return headers

    def get_app_iter(self: Response, environ: t.Any) -> t.Iterable[bytes]:
        calls.append("get_app_iter")
        return Response.get_app_iter(self, environ)

    def iter_encoded(self: Response) -> t.Iterator[bytes]:
        calls.append("iter_encoded")
        return iter([b"hooked"])

    def close(self: Response) -> None:
        calls.append("close")
        Response.close(self)

    def get_wsgi_response(self: Response, environ: t.Any) -> tuple[t.Iterable[bytes], str, list[tuple[str, str]]]:
        calls.append("get_wsgi_response")
        return Response.get_wsgi_response(self, environ)

    return {
        "get_wsgi_headers": get_wsgi_headers,
        "get_app_iter": get_app_iter,
        "iter_encoded": iter_encoded,
        "close": close,
        "get_wsgi_response": get_wsgi_response,
    }


def test_every_bypassed_hook_is_covered() -> None:
    assert set(_overrides([])) == set(_WSGI_HOOKS)


@pytest.mark.parametrize("hook", _WSGI_HOOKS)
@pytest.mark.parametrize("lazy", [True, False])
def test_subclass_override_runs(hook: str, lazy: bool) -> None:
    calls: list[str] = []
    cls = type("Custom", (Response,), {hook: _overrides(calls)[hook]})
    assert cls._wsgi_fast_path is False and Response._wsgi_fast_path is True
    response = cls("hi")
    if not lazy:
        response.headers["X-Extra"] = "1"
    _serve(response)
    assert hook in calls


@pytest.mark.parametrize("hook", _WSGI_HOOKS)
@pytest.mark.parametrize("lazy", [True, False])
def test_instance_override_runs(hook: str, lazy: bool) -> None:
    calls: list[str] = []
    response = Response("hi")
    if not lazy:
        response.headers["X-Extra"] = "1"
    replacement = _overrides(calls)[hook]
    setattr(response, hook, replacement.__get__(response))
    status, headers, body = _serve(response)
    assert hook in calls
    if hook == "get_wsgi_headers":
        assert ("X-Hook", "1") in headers
    if hook == "iter_encoded":
        assert body == [b"hooked"]
    # Other responses of the class keep the fast path.
    assert Response._wsgi_fast_path is True
    assert "_wsgi_fast_path" not in Response("x").__dict__


def test_instance_override_can_be_deleted_and_reads_back() -> None:
    response = Response("hi")

    def close() -> None:
        pass

    response.close = close  # type: ignore[method-assign]
    assert response.close is close
    del response.close
    assert response.close.__func__ is Response.close  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del response.close
    assert _serve(response) == ("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")], [b"hi"])


@pytest.mark.parametrize("hook", ["set_data", "_set_content_length"])
def test_constructor_helpers_overridden_by_a_subclass_run(hook: str) -> None:
    calls: list[str] = []

    def replacement(self: Response, value: t.Any) -> None:
        calls.append(hook)
        getattr(Response, hook)(self, value)

    cls = type("Custom", (Response,), {hook: replacement})
    assert cls._text_fast_path is False
    assert cls("hi").get_data() == b"hi"
    assert calls == [hook]


def test_class_access_gives_the_plain_function() -> None:
    # Identity checks, docs and signature tools see the method itself.
    assert Response.close.__name__ == "close"
    assert Response.__dict__["close"].__doc__ == Response.close.__doc__


class _Base:
    def method(self) -> int:
        return 1

    @classmethod
    def build(cls) -> int:
        return 2

    @property
    def value(self) -> int:
        return 3


@pytest.mark.parametrize(
    ("namespace", "expected"),
    [
        ({}, True),
        ({"method": lambda self: 5}, False),
        ({"build": classmethod(lambda cls: 5)}, False),
        ({"value": property(lambda self: 5)}, False),
        ({"other": 1}, True),
    ],
)
def test_keeps_stock(namespace: dict[str, t.Any], expected: bool) -> None:
    cls = type("Sub", (_Base,), namespace)
    grandchild = type("Grand", (cls,), {})
    assert _keeps_stock(cls, _Base, ("method", "build", "value")) is expected
    assert _keeps_stock(grandchild, _Base, ("method", "build", "value")) is expected


def test_fast_path_hook_turns_the_flag_off_per_instance() -> None:
    class Thing:
        fast = True

        @_fast_path_hook("fast")
        def hook(self) -> str:
            return "stock"

    one, other = Thing(), Thing()
    one.hook = lambda: "mine"  # type: ignore[method-assign]
    assert (one.hook(), one.fast) == ("mine", False)
    assert (other.hook(), other.fast) == ("stock", True)


@pytest.mark.parametrize("existing", [None, "", "Accept", "accept, Cookie"])
def test_vary_add_without_a_header_matches_the_parsing_path(existing: str | None) -> None:
    response = Response("hi")
    if existing is not None:
        response.headers["Vary"] = existing
    response.vary.add("Cookie")
    expected = {None: "Cookie", "": "Cookie", "Accept": "Accept, Cookie", "accept, Cookie": "accept, Cookie"}[existing]
    assert response.headers.getlist("Vary") == [expected]
