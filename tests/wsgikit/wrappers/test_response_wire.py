"""Every send path of Response puts the same thing on the wire: the fast
outputs of ``get_wsgi_response``/``__call__`` equal the general
``get_wsgi_headers`` + ``get_app_iter`` for random responses and environs."""

from __future__ import annotations

import typing as t

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.wrappers import Response
from wsgikit.wrappers.response import _WIRE_BODY
from wsgikit.wrappers.response import _WIRE_NO_BODY
from wsgikit.wrappers.response import _WIRE_NOT_MODIFIED
from wsgikit.wrappers.response import _wire_rule

STATUSES = [100, 101, 103, 199, 200, 201, 204, 206, 299, 301, 302, 304, 404, 500, 599, "200 OK", "299 Mine", "abc"]
HEADERS = [
    ("X-A", "1"),
    ("Location", "/fö o"),
    ("Content-Location", "/x y"),
    ("Content-Length", "5"),
    ("ETag", '"x"'),
    ("Content-Encoding", "gzip"),
    ("Expires", "x"),
    ("Set-Cookie", "a=b"),
    ("Content-Type", "text/csv"),
]

bodies = st.one_of(
    st.none(),
    st.text(max_size=8).map(lambda s: ("str", s)),
    st.binary(max_size=8).map(lambda b: ("bytes", b)),
    st.lists(st.one_of(st.text(max_size=4), st.binary(max_size=4)), max_size=3).map(lambda x: ("list", x)),
    st.lists(st.binary(max_size=4), max_size=3).map(lambda x: ("tuple", x)),
    st.lists(st.binary(max_size=4), max_size=3).map(lambda x: ("generator", x)),
)


def _body(spec: tuple[str, t.Any] | None) -> t.Any:
    if spec is None:
        return None
    kind, value = spec
    if kind == "tuple":
        return tuple(value)
    if kind == "generator":
        return (item for item in value)
    if kind == "list":
        return list(value)
    return value


cases = st.fixed_dictionaries(
    {
        "status": st.one_of(st.none(), st.sampled_from(STATUSES)),
        "body": bodies,
        "headers": st.one_of(st.none(), st.lists(st.sampled_from(HEADERS), max_size=3)),
        "mimetype": st.sampled_from([None, "text/plain", "application/json"]),
        "direct_passthrough": st.booleans(),
        "materialise": st.booleans(),
        "added": st.one_of(st.none(), st.sampled_from(HEADERS)),
        "on_close": st.booleans(),
    }
)
environs = st.fixed_dictionaries(
    {
        "REQUEST_METHOD": st.sampled_from(["GET", "HEAD", "POST"]),
        "SERVER_PROTOCOL": st.sampled_from(["HTTP/1.0", "HTTP/1.1"]),
        "host": st.booleans(),
    }
)


def _make(case: dict[str, t.Any], closed: list[int]) -> Response:
    response = Response(
        _body(case["body"]),
        status=case["status"],
        headers=case["headers"],
        mimetype=case["mimetype"],
        direct_passthrough=case["direct_passthrough"],
    )
    if case["materialise"]:
        response.headers  # noqa: B018 -- leaves the lazy header path
    if case["added"] is not None:
        response.headers.add(*case["added"])
    if case["on_close"]:
        response.call_on_close(lambda: closed.append(1))
    return response


def _environ(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    environ = {
        "REQUEST_METHOD": spec["REQUEST_METHOD"],
        "SERVER_PROTOCOL": spec["SERVER_PROTOCOL"],
        "SERVER_NAME": "example.test",
        "SERVER_PORT": "80",
        "PATH_INFO": "/a/b",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "wsgi.url_scheme": "http",
    }
    if spec["host"]:
        environ["HTTP_HOST"] = "host.test:8080"
    return environ


def _drain(app_iter: t.Iterable[t.Any]) -> list[t.Any]:
    items = list(app_iter)
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()
    return items


def _general(case: dict[str, t.Any], environ: dict[str, t.Any]) -> tuple[t.Any, ...]:
    closed: list[int] = []
    response = _make(case, closed)
    headers = response.get_wsgi_headers(environ).to_wsgi_list()
    body = _drain(response.get_app_iter(environ))
    if not closed:
        response.close()  # a body handed over untouched is closed by its server
    return response.status, headers, body, len(closed)


@settings(max_examples=300, deadline=None)
@given(cases, environs)
def test_get_wsgi_response_equals_the_general_path(case: dict[str, t.Any], env: dict[str, t.Any]) -> None:
    environ = _environ(env)
    closed: list[int] = []
    response = _make(case, closed)
    app_iter, status, headers = response.get_wsgi_response(environ)
    body = _drain(app_iter)
    if not closed:
        response.close()
    assert (status, headers, body, len(closed)) == _general(case, environ)


@settings(max_examples=300, deadline=None)
@given(cases, environs)
def test_calling_the_response_equals_the_general_path(case: dict[str, t.Any], env: dict[str, t.Any]) -> None:
    environ = _environ(env)
    closed: list[int] = []
    started: list[tuple[str, list[tuple[str, str]]]] = []
    response = _make(case, closed)
    body = _drain(response(environ, lambda status, headers, exc_info=None: started.append((status, headers))))
    if not closed:
        response.close()
    ((status, headers),) = started
    assert (status, headers, body, len(closed)) == _general(case, environ)


def test_wire_rule_table() -> None:
    assert [_wire_rule(code) for code in (0, 99, 100, 150, 199, 200, 204, 205, 304, 404)] == [
        _WIRE_BODY,
        _WIRE_BODY,
        _WIRE_NO_BODY,
        _WIRE_NO_BODY,
        _WIRE_NO_BODY,
        _WIRE_BODY,
        _WIRE_NO_BODY,
        _WIRE_BODY,
        _WIRE_NOT_MODIFIED,
        _WIRE_BODY,
    ]
