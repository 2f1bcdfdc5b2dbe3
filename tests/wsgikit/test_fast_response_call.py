"""Response.__call__'s inline path (and get_wsgi_response's lazy-header
path) against the general path (get_wsgi_headers + get_app_iter, what a
subclass overriding get_wsgi_response gets), and against Werkzeug's
Response run as a black box.

Each case builds a response, maybe changes it after creation, sends it and
compares the status, the header list, the body and what closing it ran.
"""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.datastructures import Headers
from wsgikit.wrappers import Response


class GeneralResponse(Response):
    """Sends through get_wsgi_headers and get_app_iter only."""

    def get_wsgi_response(self, environ: t.Any) -> tuple[t.Iterable[bytes], str, list[tuple[str, str]]]:
        headers = self.get_wsgi_headers(environ)
        return self.get_app_iter(environ), self.status, headers.to_wsgi_list()


#: A start_response that ignores what it is given.
NO_START: t.Any = lambda *args: None


def environ(method: str = "GET") -> dict[str, t.Any]:
    return {
        "REQUEST_METHOD": method,
        "SERVER_NAME": "example.test",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/a/b",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "HTTP_HOST": "example.test",
    }


def send(response: t.Any, method: str, track_close: bool = False) -> tuple[str, list[tuple[str, str]], bytes, list[str]]:
    """Status, headers, body (str chunks a direct passthrough hands on
    are encoded here) and, with ``track_close``, whether closing ran."""
    started: list[t.Any] = []
    closed: list[str] = []
    if track_close:
        response.call_on_close(lambda: closed.append("closed"))
    app_iter = response(environ(method), lambda status, headers, exc_info=None: started.append((status, headers)))
    body = b"".join(item.encode() if isinstance(item, str) else item for item in app_iter)
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()
    return started[0][0], started[0][1], body, closed


def generator_body() -> t.Iterator[str]:
    yield "stre"
    yield "amed"


BODIES: list[t.Callable[[], t.Any]] = [
    lambda: "Hello wörld",
    lambda: b"bytes",
    lambda: "",
    lambda: [b"a", b"b"],
    lambda: ["x", b"y"],
    lambda: [b"one"],
    lambda: generator_body(),
    lambda: None,
]

def autocorrected_location(response: Response) -> None:
    response.autocorrect_location_header = True
    response.headers["Location"] = "c"


CHANGES: list[t.Callable[[Response], t.Any]] = [
    lambda r: None,
    lambda r: r.headers.add("X-Extra", "1"),
    lambda r: r.set_cookie("k", "v"),
    lambda r: setattr(r, "status_code", 204),
    lambda r: setattr(r, "status_code", 304),
    lambda r: setattr(r, "status_code", 101),
    lambda r: setattr(r, "status_code", 201),
    lambda r: setattr(r, "status", "599 Custom"),
    lambda r: setattr(r, "data", "replaced body"),
    lambda r: setattr(r, "response", [b"assigned", b" list"]),
    lambda r: setattr(r, "direct_passthrough", True),
    lambda r: r.call_on_close(lambda: None),
    lambda r: setattr(r, "mimetype", None),
    lambda r: r.headers.__setitem__("Location", "/over/thére"),
    lambda r: r.headers.__setitem__("Content-Location", "rel/ü"),
    lambda r: r.headers.remove("Content-Length"),
    lambda r: r.headers.__setitem__("Content-Length", "99"),
    lambda r: setattr(r, "headers", Headers([("X-Only", "1")])),
    lambda r: autocorrected_location(r),
]


def build(cls: type[Response], body: t.Callable[[], t.Any], mimetype: str | None, auto_length: bool) -> Response:
    response = cls(body(), mimetype=mimetype)
    if not auto_length:
        response.automatically_set_content_length = False
    return response


@given(
    body=st.sampled_from(BODIES),
    changes=st.lists(st.sampled_from(CHANGES), max_size=3),
    method=st.sampled_from(["GET", "HEAD", "POST"]),
    mimetype=st.sampled_from([None, "application/json", "text/html"]),
    auto_length=st.booleans(),
    track_close=st.booleans(),
)
@settings(max_examples=800, deadline=None)
def test_call_matches_general_path(
    body: t.Callable[[], t.Any],
    changes: list[t.Any],
    method: str,
    mimetype: str | None,
    auto_length: bool,
    track_close: bool,
) -> None:
    results = []
    for cls in (Response, GeneralResponse):
        response = build(cls, body, mimetype, auto_length)
        for change in changes:
            change(response)
        results.append(send(response, method, track_close))
    assert results[0] == results[1]


@pytest.mark.parametrize("body", BODIES[:6])
@pytest.mark.parametrize("change", CHANGES[:12])  # not mimetype = None: Werkzeug raises there
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("track_close", [False, True])
def test_call_matches_werkzeug(body: t.Callable[[], t.Any], change: t.Any, method: str, track_close: bool) -> None:
    werkzeug_wrappers = pytest.importorskip("werkzeug.wrappers")
    ours = Response(body())
    theirs = werkzeug_wrappers.Response(body())
    change(ours)
    change(theirs)
    assert send(ours, method, track_close) == send(theirs, method, track_close)


def test_close_callbacks_run_on_both_paths() -> None:
    for cls in (Response, GeneralResponse):
        ran: list[int] = []
        response = cls("x")
        response.call_on_close(lambda: ran.append(1))
        app_iter = response(environ(), NO_START)
        assert b"".join(app_iter) == b"x"
        app_iter.close()  # type: ignore[attr-defined]  # a ClosingIterator: there is something to close
        assert ran == [1]


def test_inline_path_hands_over_the_body_list() -> None:
    response = Response("Hello")
    started: list[t.Any] = []
    start: t.Any = lambda status, headers, exc_info=None: started.append((status, headers))
    app_iter = response(environ(), start)
    assert app_iter is response.response
    assert started == [("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "5")])]
    # A subclass overriding get_wsgi_response is not bypassed.
    assert GeneralResponse._wsgi_fast_path is False
    assert GeneralResponse("Hello")(environ(), NO_START) is not None
