"""Tests for wsgikit.utils.send_file and send_from_directory."""

from __future__ import annotations

import io
import os
import pathlib
import typing as t
import wsgiref.util
import wsgiref.validate
import zlib

import pytest

from wsgikit.exceptions import NotFound
from wsgikit.exceptions import RequestedRangeNotSatisfiable
from wsgikit.utils import send_file
from wsgikit.utils import send_from_directory
from wsgikit.wrappers.response import Response

MTIME = 1577836800  # 2020-01-01 00:00:00 UTC
MTIME_HTTP = "Wed, 01 Jan 2020 00:00:00 GMT"


def make_environ(method: str = "GET", headers: dict[str, str] | None = None) -> dict[str, t.Any]:
    environ: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
    }
    wsgiref.util.setup_testing_defaults(environ)
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def body_of(response: Response, environ: dict[str, t.Any] | None = None) -> bytes:
    """Send ``response`` like a server would and return the body bytes."""
    app_iter, status, headers = response.get_wsgi_response(environ or make_environ())
    try:
        return b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
        response.close()


def header_list(response: Response, skip: tuple[str, ...] = ("Date", "Expires")) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers if k not in skip]


@pytest.fixture()
def data_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "a.txt"
    path.write_bytes(b"0123456789")
    os.utime(path, (MTIME, MTIME))
    return path


def etag_for(path: pathlib.Path | str, size: int = 10, mtime: float = float(MTIME)) -> str:
    check = zlib.adler32(os.fsencode(str(path))) & 0xFFFFFFFF
    return f'"{mtime}-{size}-{check}"'


# -- paths ----------------------------------------------------------------------


def test_send_path(data_file: pathlib.Path) -> None:
    response = send_file(str(data_file), make_environ())
    assert response.status_code == 200
    assert response.direct_passthrough is True
    assert header_list(response) == [
        ("Content-Disposition", "inline; filename=a.txt"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", "10"),
        ("Last-Modified", MTIME_HTTP),
        ("Cache-Control", "no-cache"),
        ("ETag", etag_for(data_file)),
        ("Accept-Ranges", "bytes"),
    ]
    assert "Date" in response.headers
    assert body_of(response) == b"0123456789"


def test_send_pathlike_and_root_path(data_file: pathlib.Path) -> None:
    response = send_file(data_file, make_environ())
    assert body_of(response) == b"0123456789"
    rooted = send_file("a.txt", make_environ(), _root_path=data_file.parent)
    assert rooted.get_etag()[0] == etag_for(data_file).strip('"')
    assert body_of(rooted) == b"0123456789"


def test_relative_path_is_made_absolute(data_file: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_file.parent)
    response = send_file("a.txt", make_environ(), use_x_sendfile=True)
    assert response.headers["X-Sendfile"] == str(data_file)


@pytest.mark.parametrize(
    ("name", "kwargs", "content_type", "encoding"),
    [
        ("page.html", {}, "text/html; charset=utf-8", None),
        ("data.json", {}, "application/json", None),
        ("image.svg", {}, "image/svg+xml; charset=utf-8", None),
        ("blob.unknownext", {}, "application/octet-stream", None),
        ("archive.tar.gz", {}, "application/x-tar", "gzip"),
        ("archive.tar.gz", {"as_attachment": True}, "application/x-tar", None),
        ("archive.tar.gz", {"mimetype": "application/gzip"}, "application/gzip", None),
        ("a.txt", {"mimetype": "text/html"}, "text/html; charset=utf-8", None),
        ("a.txt", {"download_name": "report.pdf"}, "application/pdf", None),
        ("a.txt", {"download_name": "", "as_attachment": True}, "application/octet-stream", None),
    ],
)
def test_mimetype_guessing(tmp_path: pathlib.Path, name: str, kwargs: dict[str, t.Any], content_type: str, encoding: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    response = send_file(path, make_environ(), **kwargs)
    assert response.headers["Content-Type"] == content_type
    assert response.headers.get("Content-Encoding") == encoding
    response.close()


@pytest.mark.parametrize(
    ("download_name", "as_attachment", "expected"),
    [
        (None, False, "inline; filename=a.txt"),
        (None, True, "attachment; filename=a.txt"),
        ("report.pdf", True, "attachment; filename=report.pdf"),
        ("a b(1).txt", False, 'inline; filename="a b(1).txt"'),
        ('a;b=c"d.txt', False, 'inline; filename="a;b=c\\"d.txt"'),
        ("", True, 'attachment; filename=""'),
        ("réport.pdf", True, "attachment; filename=report.pdf; filename*=UTF-8''r%C3%A9port.pdf"),
        (
            "ünï cödé.txt",
            True,
            "attachment; filename=\"uni code.txt\"; filename*=UTF-8''%C3%BCn%C3%AF%20c%C3%B6d%C3%A9.txt",
        ),
        ("日本.txt", False, "inline; filename=.txt; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt"),
        (
            'ünï "x".txt',
            False,
            "inline; filename=\"uni \\\"x\\\".txt\"; filename*=UTF-8''%C3%BCn%C3%AF%20%22x%22.txt",
        ),
        ("é\\x.txt", False, "inline; filename=\"e\\\\x.txt\"; filename*=UTF-8''%C3%A9%5Cx.txt"),
    ],
)
def test_content_disposition(data_file: pathlib.Path, download_name: str | None, as_attachment: bool, expected: str) -> None:
    response = send_file(data_file, make_environ(), download_name=download_name, as_attachment=as_attachment)
    assert response.headers["Content-Disposition"] == expected
    response.close()


def test_attachment_of_a_file_object_needs_a_name() -> None:
    with pytest.raises(TypeError, match="No name provided for attachment"):
        send_file(io.BytesIO(b"x"), make_environ(), mimetype="text/plain", as_attachment=True)
    inline = send_file(io.BytesIO(b"x"), make_environ(), mimetype="text/plain")
    assert "Content-Disposition" not in inline.headers
    inline.close()


def test_download_name_with_newline_is_refused(data_file: pathlib.Path) -> None:
    with pytest.raises(ValueError):
        send_file(data_file, make_environ(), download_name="a\r\nSet-Cookie: x=y")


@pytest.mark.parametrize(
    ("max_age", "cache_control", "has_expires"),
    [
        (None, "no-cache", False),
        (60, "public, max-age=60", True),
        (0, "no-cache, max-age=0", True),
        (lambda path: 30, "public, max-age=30", True),
        (lambda path: None, "no-cache", False),
    ],
)
def test_max_age(data_file: pathlib.Path, max_age: t.Any, cache_control: str, has_expires: bool) -> None:
    response = send_file(data_file, make_environ(), max_age=max_age)
    assert response.headers["Cache-Control"] == cache_control
    assert ("Expires" in response.headers) is has_expires
    response.close()


def test_max_age_callable_gets_path(data_file: pathlib.Path) -> None:
    seen: list[str | None] = []

    def max_age(path: str | None) -> int:
        seen.append(path)
        return 5

    send_file(data_file, make_environ(), max_age=max_age).close()
    send_file(io.BytesIO(b"x"), make_environ(), mimetype="a/b", max_age=max_age).close()
    assert seen == [str(data_file), None]


@pytest.mark.parametrize(
    ("kwargs", "etag"),
    [({"etag": False}, None), ({"etag": "custom"}, '"custom"'), ({}, "computed")],
)
def test_etag_options(data_file: pathlib.Path, kwargs: dict[str, t.Any], etag: str | None) -> None:
    response = send_file(data_file, make_environ(), **kwargs)
    expected = etag_for(data_file) if etag == "computed" else etag
    assert response.headers.get("ETag") == expected
    response.close()


def test_last_modified_override(data_file: pathlib.Path) -> None:
    response = send_file(data_file, make_environ(), last_modified=0)
    assert response.headers["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    response.close()


@pytest.mark.parametrize(
    ("method", "request_headers", "conditional", "status", "extra", "body"),
    [
        ("GET", {}, True, 200, {}, b"0123456789"),
        ("HEAD", {}, True, 200, {}, b""),
        ("GET", {"Range": "bytes=2-4"}, True, 206, {"Content-Range": "bytes 2-4/10", "Content-Length": "3"}, b"234"),
        ("GET", {"Range": "bytes=-3"}, True, 206, {"Content-Range": "bytes 7-9/10", "Content-Length": "3"}, b"789"),
        ("GET", {"Range": "bytes=7-"}, True, 206, {"Content-Range": "bytes 7-9/10"}, b"789"),
        ("GET", {"Range": "bytes=2-4"}, False, 200, {"Content-Length": "10"}, b"0123456789"),
        ("POST", {"Range": "bytes=2-4"}, True, 200, {"Content-Length": "10"}, b"0123456789"),
        ("GET", {"If-Modified-Since": MTIME_HTTP}, True, 304, {}, b""),
        ("GET", {"If-Modified-Since": "Tue, 31 Dec 2019 00:00:00 GMT"}, True, 200, {}, b"0123456789"),
        ("GET", {"If-None-Match": '"other"'}, True, 200, {}, b"0123456789"),
        ("GET", {"Range": "bytes=2-4", "If-Range": '"other"'}, True, 200, {}, b"0123456789"),
    ],
)
def test_conditional_requests(
    data_file: pathlib.Path,
    method: str,
    request_headers: dict[str, str],
    conditional: bool,
    status: int,
    extra: dict[str, str],
    body: bytes,
) -> None:
    environ = make_environ(method, request_headers)
    response = send_file(data_file, environ, conditional=conditional)
    assert response.status_code == status
    for name, value in extra.items():
        assert response.headers[name] == value
    assert ("Accept-Ranges" in response.headers) is (conditional and method != "POST")
    assert body_of(response, environ) == body


def test_if_none_match_gives_304_and_empty_body(data_file: pathlib.Path) -> None:
    environ = make_environ(headers={"If-None-Match": etag_for(data_file)})
    response = send_file(data_file, environ)
    assert response.status_code == 304
    app_iter, status, headers = response.get_wsgi_response(environ)
    assert status == "304 NOT MODIFIED"
    # Entity headers (type, length, Last-Modified) go; the validators stay.
    assert [k for k, v in headers] == ["Content-Disposition", "Cache-Control", "ETag", "Date", "Accept-Ranges"]
    assert b"".join(app_iter) == b""
    app_iter.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("range_header", ["bytes=20-", "bytes=5-2", "bytes=0-1,4-5", "garbage"])
def test_unsatisfiable_range_closes_file(range_header: str) -> None:
    source = io.BytesIO(b"0123456789")
    with pytest.raises(RequestedRangeNotSatisfiable) as exc_info:
        send_file(source, make_environ(headers={"Range": range_header}), mimetype="text/plain")
    assert ("Content-Range", "bytes */10") in exc_info.value.get_headers()
    assert source.closed


def test_x_sendfile(data_file: pathlib.Path) -> None:
    response = send_file(data_file, make_environ(), use_x_sendfile=True)
    assert response.headers["X-Sendfile"] == str(data_file)
    assert response.headers["Content-Length"] == "10"
    assert body_of(response) == b""
    not_modified = send_file(data_file, make_environ(headers={"If-None-Match": etag_for(data_file)}), use_x_sendfile=True)
    assert not_modified.status_code == 304
    assert "X-Sendfile" not in not_modified.headers


@pytest.mark.parametrize(
    ("make_path", "exc"),
    [
        (lambda d: d / "missing.txt", FileNotFoundError),
        (lambda d: d, IsADirectoryError),
    ],
)
def test_missing_path_errors(tmp_path: pathlib.Path, make_path: t.Callable[[pathlib.Path], pathlib.Path], exc: type[Exception]) -> None:
    with pytest.raises(exc):
        send_file(make_path(tmp_path), make_environ())


# -- file objects -------------------------------------------------------------------


def test_bytesio() -> None:
    response = send_file(io.BytesIO(b"abc"), make_environ(), mimetype="text/plain")
    assert header_list(response) == [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", "3"),
        ("Cache-Control", "no-cache"),
        ("Accept-Ranges", "bytes"),
    ]
    assert body_of(response) == b"abc"


def test_bytesio_with_download_name() -> None:
    response = send_file(io.BytesIO(b"{}"), make_environ(), download_name="x.json", as_attachment=True)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"] == "attachment; filename=x.json"
    assert "ETag" not in response.headers  # no path: no computed ETag
    assert body_of(response) == b"{}"


def test_partially_read_bytesio_sends_the_rest() -> None:
    source = io.BytesIO(b"XX0123456789")
    source.read(2)
    response = send_file(source, make_environ(), mimetype="a/b")
    assert response.headers["Content-Length"] == "10"
    assert body_of(response) == b"0123456789"
    ranged = io.BytesIO(b"XX0123456789")
    ranged.read(2)
    environ = make_environ(headers={"Range": "bytes=3-5"})
    partial = send_file(ranged, environ, mimetype="a/b")
    assert partial.headers["Content-Range"] == "bytes 3-5/10"
    assert body_of(partial, environ) == b"345"


def test_bytesio_range() -> None:
    environ = make_environ(headers={"Range": "bytes=2-4"})
    response = send_file(io.BytesIO(b"0123456789"), environ, mimetype="a/b")
    assert response.status_code == 206
    assert body_of(response, environ) == b"234"


def test_real_file_object(data_file: pathlib.Path) -> None:
    source = data_file.open("rb")
    response = send_file(source, make_environ(), mimetype="text/plain")
    assert "Content-Length" not in response.headers  # size unknown for an open file
    assert body_of(response) == b"0123456789"
    assert source.closed


def test_file_object_without_name_or_mimetype() -> None:
    source = io.BytesIO(b"abc")
    with pytest.raises(TypeError, match="Unable to detect the MIME type"):
        send_file(source, make_environ())


def test_text_file_is_refused() -> None:
    with pytest.raises(ValueError, match="binary mode"):
        send_file(io.StringIO("abc"), make_environ(), mimetype="text/plain")


def test_uses_wsgi_file_wrapper() -> None:
    class ServerWrapper:
        def __init__(self, file: t.IO[bytes], block_size: int = 8192) -> None:
            self.file = file

        def __iter__(self) -> t.Iterator[bytes]:
            return iter(lambda: self.file.read(4), b"")

        def close(self) -> None:
            self.file.close()

    environ = make_environ()
    environ["wsgi.file_wrapper"] = ServerWrapper
    response = send_file(io.BytesIO(b"abcdef"), environ, mimetype="a/b")
    assert isinstance(response.response, ServerWrapper)
    assert response.get_app_iter(environ) is response.response
    assert body_of(response, environ) == b"abcdef"


def test_head_closes_file(data_file: pathlib.Path) -> None:
    source = io.BytesIO(b"abc")
    response = send_file(source, make_environ("HEAD"), mimetype="a/b")
    assert body_of(response, make_environ("HEAD")) == b""
    assert source.closed


def test_custom_response_class(data_file: pathlib.Path) -> None:
    class MyResponse(Response):
        pass

    response = send_file(data_file, make_environ(), response_class=MyResponse)
    assert type(response) is MyResponse
    response.close()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_wsgiref_validator(data_file: pathlib.Path, method: str) -> None:
    environ = make_environ(method)
    response = send_file(data_file, environ)
    captured: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
        captured.append(status)
        return lambda data: None

    try:
        app_iter = wsgiref.validate.validator(response)(environ, start_response)
        try:
            body = b"".join(app_iter)
        finally:
            app_iter.close()  # type: ignore[attr-defined]
    finally:
        response.close()
    assert captured == ["200 OK"]
    assert body == (b"" if method == "HEAD" else b"0123456789")


def test_large_file_range(tmp_path: pathlib.Path) -> None:
    data = bytes(range(256)) * 1600  # 400 KB
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    environ = make_environ(headers={"Range": "bytes=100000-300000"})
    response = send_file(path, environ)
    assert response.headers["Content-Range"] == f"bytes 100000-300000/{len(data)}"
    assert body_of(response, environ) == data[100000:300001]


# -- send_from_directory -----------------------------------------------------------------


@pytest.fixture()
def public_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "secret.txt").write_text("secret")
    public = tmp_path / "public"
    public.mkdir()
    (public / "index.txt").write_text("index")
    (public / "sub").mkdir()
    (public / "sub" / "in.txt").write_text("in")
    # Names that are ordinary files on POSIX but traversal forms on Windows:
    # they exist, so a NotFound proves they were refused, not just missing.
    (public / "C:secret.txt").write_text("drive-relative")
    (public / "\\secret.txt").write_text("backslash")
    (public / "..\\secret.txt").write_text("backslash-dotdot")
    return public


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("index.txt", b"index"),
        ("sub/in.txt", b"in"),
        ("sub//in.txt", b"in"),
        ("./index.txt", b"index"),
        ("sub/../index.txt", b"index"),
    ],
)
def test_send_from_directory_serves_files_inside(public_dir: pathlib.Path, path: str, body: bytes) -> None:
    response = send_from_directory(public_dir, path, make_environ())
    assert body_of(response) == body


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "..",
        "sub/../../secret.txt",
        "a/../../secret.txt",
        "/etc/passwd",
        "ABSOLUTE",  # replaced by the absolute path of secret.txt
        "\\secret.txt",
        "..\\secret.txt",
        "sub\\..\\..\\secret.txt",
        "//host/share/x",
        "C:secret.txt",
        "C:\\secret.txt",
        "C:/secret.txt",
        "%2e%2e/secret.txt",  # percent-encoded: a literal (missing) name, never decoded
        "%2e%2e%2fsecret.txt",
        "sub",  # a directory is not a file
        "",
        ".",
        "missing.txt",
        "index.txt\x00.png",
    ],
)
def test_send_from_directory_refuses_traversal(public_dir: pathlib.Path, path: str) -> None:
    if path == "ABSOLUTE":
        path = str(public_dir.parent / "secret.txt")
    with pytest.raises(NotFound):
        send_from_directory(public_dir, path, make_environ())


def test_send_from_directory_passes_options(public_dir: pathlib.Path) -> None:
    response = send_from_directory(str(public_dir), "index.txt", make_environ(), as_attachment=True, max_age=10)
    assert response.headers["Content-Disposition"] == "attachment; filename=index.txt"
    assert response.headers["Cache-Control"] == "public, max-age=10"
    response.close()


def test_send_from_directory_root_path(public_dir: pathlib.Path) -> None:
    response = send_from_directory("public", "index.txt", make_environ(), _root_path=public_dir.parent)
    assert body_of(response) == b"index"
    with pytest.raises(NotFound):
        send_from_directory("public", "../secret.txt", make_environ(), _root_path=public_dir.parent)


def test_file_is_read_in_256k_blocks_without_a_file_wrapper(tmp_path):
    from wsgikit.utils import send_file as _send_file

    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (600 * 1024))
    environ = {"REQUEST_METHOD": "GET", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    response = _send_file(str(path), environ)
    chunks = [len(chunk) for chunk in response.response]
    response.close()
    assert chunks == [262144, 262144, 90112]
