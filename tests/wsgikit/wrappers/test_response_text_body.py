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
