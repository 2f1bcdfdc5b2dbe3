"""A str body with default arguments takes a constructor fast path; these
check it builds exactly what the general path builds, and that classes
which customise the construction keep the general path."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from wsgikit.wrappers import Response


def _wsgi(response: Response) -> tuple[bytes, str, list[tuple[str, str]]]:
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(response({"REQUEST_METHOD": "GET"}, lambda s, h, e=None: seen.append((s, h))))
    return body, seen[0][0], seen[0][1]


@pytest.mark.parametrize(
    ("text", "body", "length"),
    [("", b"", "0"), ("Hello world", b"Hello world", "11"), ("h\xe9\u20ac", "h\xe9\u20ac".encode(), "6")],
)
def test_str_body_defaults(text: str, body: bytes, length: str) -> None:
    response = Response(text)
    assert response.status == "200 OK"
    assert response.status_code == 200
    assert response.get_data() == body
    assert response.direct_passthrough is False
    assert _wsgi(response) == (body, "200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", length)])
    assert response.headers.to_wsgi_list() == [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", length)]


class _Html(Response):
    default_mimetype = "text/html"
    default_status = 201


class _NoMimetype(Response):
    default_mimetype = None


class _StrStatus(Response):
    default_status = "299 Custom"  # type: ignore[assignment]


class _EnumStatus(Response):
    default_status = HTTPStatus.ACCEPTED  # type: ignore[assignment]


class _NoLength(Response):
    automatically_set_content_length = False


class _Upper(Response):
    def set_data(self, value: bytes | str) -> None:
        super().set_data(value.upper() if isinstance(value, str) else value)


@pytest.mark.parametrize(
    ("cls", "status", "headers", "body"),
    [
        (_Html, "201 CREATED", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "2")], b"ab"),
        (_NoMimetype, "200 OK", [("Content-Length", "2")], b"ab"),
        (_StrStatus, "299 Custom", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")], b"ab"),
        (_EnumStatus, "202 ACCEPTED", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")], b"ab"),
        (_NoLength, "200 OK", [("Content-Type", "text/plain; charset=utf-8")], b"ab"),
        (_Upper, "200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")], b"AB"),
    ],
)
def test_str_body_class_customisations(cls: type[Response], status: str, headers: list[tuple[str, str]], body: bytes) -> None:
    assert _wsgi(cls("ab")) == (body, status, headers)


def test_fast_path_flag_per_class() -> None:
    assert Response._text_fast_path is True
    assert _Html._text_fast_path is True
    assert _Upper._text_fast_path is False


def test_mixin_init_between_keeps_general_path() -> None:
    from wsgikit.sansio.response import Response as SansIOResponse

    class Tagging(SansIOResponse):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.tagged = True

    class Mixed(Response, Tagging):
        pass

    assert Mixed._text_fast_path is False
    assert Mixed("x").tagged is True  # type: ignore[attr-defined]


def test_str_body_with_other_arguments_uses_them() -> None:
    assert _wsgi(Response("x", status=404))[1] == "404 NOT FOUND"
    assert _wsgi(Response("x", mimetype="text/csv"))[2][0] == ("Content-Type", "text/csv; charset=utf-8")
    assert _wsgi(Response("x", headers={"X-A": "1"}))[2][0] == ("X-A", "1")
    assert Response("x", direct_passthrough=True).direct_passthrough is True


def test_bad_default_mimetype_still_refused() -> None:
    class Bad(Response):
        default_mimetype = "text/plain\r\nX-Injected: 1"

    with pytest.raises(ValueError):
        Bad("x")


@pytest.mark.parametrize(
    ("cls", "mimetype", "content_type"),
    [
        (Response, "application/json", "application/json"),
        (Response, "text/html", "text/html; charset=utf-8"),
        (Response, "image/svg+xml", "image/svg+xml; charset=utf-8"),
        (_NoMimetype, "application/json", "application/json"),
        (_Html, "text/csv", "text/csv; charset=utf-8"),
    ],
)
def test_str_body_with_a_mimetype(cls: type[Response], mimetype: str, content_type: str) -> None:
    # What jsonify builds: the explicit mimetype wins over the class default.
    response = cls('{"a":1}\n', mimetype=mimetype)
    assert response.mimetype == mimetype
    assert response.content_type == content_type
    body, _, headers = _wsgi(response)
    assert body == b'{"a":1}\n'
    assert headers == [("Content-Type", content_type), ("Content-Length", "8")]


def test_str_body_with_an_unsafe_mimetype_is_refused() -> None:
    with pytest.raises(ValueError):
        Response("x", mimetype="text/plain\r\nX-Evil: 1")


def _general(response: Response, environ: dict[str, str]) -> tuple[bytes, str, list[tuple[str, str]]]:
    headers = response.get_wsgi_headers(environ)
    return b"".join(response.get_app_iter(environ)), response.status, headers.to_wsgi_list()


def _sent(response: Response, environ: dict[str, str]) -> tuple[bytes, str, list[tuple[str, str]]]:
    app_iter, status, headers = response.get_wsgi_response(environ)
    return b"".join(app_iter), status, headers


def _with_cookie(r: Response) -> None:
    r.set_cookie("session", "abc.def")
    r.headers.add("Vary", "Cookie")


def _without_length(r: Response) -> None:
    del r.headers["Content-Length"]
    r.headers["X-A"] = "1"


def _relative_location(r: Response) -> None:
    r.headers["Location"] = "/next/\u00e9"


def _content_location(r: Response) -> None:
    r.headers["Content-Location"] = "/caf\u00e9"


def _no_content(r: Response) -> None:
    r.status_code = 204
    r.headers["X-A"] = "1"


def _not_modified(r: Response) -> None:
    r.status_code = 304
    r.headers["X-A"] = "1"


def _str_items(r: Response) -> None:
    r.response = ["caf\u00e9", b"!"]
    r.headers["X-A"] = "1"


def _generator(r: Response) -> None:
    r.response = (x for x in [b"a", b"b"])
    r.headers["X-A"] = "1"


def _closing(r: Response) -> None:
    r.call_on_close(lambda: None)
    r.headers["X-A"] = "1"


def _passthrough(r: Response) -> None:
    r.direct_passthrough = True
    r.headers["X-A"] = "1"


@pytest.mark.parametrize(
    "change",
    [_with_cookie, _without_length, _relative_location, _content_location, _no_content,
     _not_modified, _str_items, _generator, _closing, _passthrough],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_touched_headers_send_what_the_general_path_sends(change, method: str) -> None:
    environ = {"REQUEST_METHOD": method, "wsgi.url_scheme": "http", "HTTP_HOST": "example.org", "PATH_INFO": "/a"}
    first, second = Response("hello"), Response("hello")
    change(first)
    change(second)
    assert _sent(first, environ) == _general(second, environ)


def test_touched_headers_with_a_plain_body_skip_the_copy() -> None:
    response = Response("hello")
    _with_cookie(response)
    app_iter, _, headers = response.get_wsgi_response({"REQUEST_METHOD": "GET"})
    assert app_iter is response.response  # handed over, not wrapped
    assert headers == [
        ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "5"),
        ("Set-Cookie", "session=abc.def; Path=/"), ("Vary", "Cookie"),
    ]
    headers.append(("X-Late", "1"))
    assert "X-Late" not in response.headers  # the list sent is a copy
