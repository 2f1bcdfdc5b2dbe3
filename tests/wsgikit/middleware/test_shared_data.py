from __future__ import annotations

import os
from pathlib import Path

import pytest

from wsgikit.http import http_date
from wsgikit.middleware.shared_data import SharedDataMiddleware
from wsgikit.test import Client
from wsgikit.test import create_environ
from wsgikit.test import run_wsgi_app


def fallback(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"fallback"]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_text("body{}")
    (static / "hello.txt").write_text("hello")
    (static / "data.unknownext").write_bytes(b"\x00\x01")
    (static / "secret.cfg").write_text("key")
    (tmp_path / "outside.txt").write_text("SECRET OUTSIDE")
    (tmp_path / "single.js").write_text("alert(1)")
    return tmp_path


@pytest.fixture()
def client(tree: Path) -> Client:
    app = SharedDataMiddleware(
        fallback,
        {"/static": str(tree / "static"), "/one.js": str(tree / "single.js"), "/pkg": ("wsgikit", "middleware")},
    )
    return Client(app)


@pytest.mark.parametrize(
    ("path", "status", "body", "content_type"),
    [
        ("/static/hello.txt", 200, b"hello", "text/plain; charset=utf-8"),
        ("/static/css/site.css", 200, b"body{}", "text/css; charset=utf-8"),
        ("/static/data.unknownext", 200, b"\x00\x01", "application/octet-stream"),
        ("/static/./hello.txt", 200, b"hello", "text/plain; charset=utf-8"),
        ("/static/css/../hello.txt", 200, b"hello", "text/plain; charset=utf-8"),
        ("/one.js", 200, b"alert(1)", None),
        ("/one.js/anything", 200, b"alert(1)", None),
        ("/static", 404, b"fallback", None),
        ("/static/", 404, b"fallback", None),
        ("/static/css", 404, b"fallback", None),
        ("/static/missing.txt", 404, b"fallback", None),
        ("/staticx/hello.txt", 404, b"fallback", None),
        ("/other", 404, b"fallback", None),
    ],
)
def test_serving_table(client: Client, path: str, status: int, body: bytes, content_type: str | None) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.get_data() == body
    if content_type is not None:
        assert response.headers["Content-Type"] == content_type
    if status == 200:
        assert response.headers["Content-Length"] == str(len(body))
    response.close()


# Every way out of the exported directory must miss and fall through.
TRAVERSALS = [
    "/static/../outside.txt",
    "/static/css/../../outside.txt",
    "/static/%2e%2e/outside.txt",
    "/static/%2E%2E/outside.txt",
    "/static/..%2foutside.txt",
    "/static/..%5coutside.txt",
    "/static/..\\outside.txt",
    "/static/%5c..%5coutside.txt",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/%00../outside.txt",
    "/static/hello.txt%00.png",
    "/static/C:/Windows/win.ini",
    "/static/C:outside.txt",
    "/static/....//outside.txt",
    "/static/..%252foutside.txt",
    "/static/" + "../" * 50 + "etc/passwd",
    "/pkg/../_internal.py",
    "/pkg/../../etc/passwd",
    "/pkg/%2e%2e/__init__.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_never_escapes(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_data() == b"fallback"


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_with_raw_path_info(tree: Path, path: str) -> None:
    # Servers differ in what they decode; feed raw PATH_INFO values too.
    app = SharedDataMiddleware(fallback, {"/static": str(tree / "static")})
    environ = create_environ()
    environ["PATH_INFO"] = path
    app_iter, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("404")
    assert b"".join(app_iter) == b"fallback"


def test_package_export(client: Client) -> None:
    response = client.get("/pkg/dispatcher.py")
    assert response.status_code == 200
    assert b"class DispatcherMiddleware" in response.get_data()
    assert response.headers["Content-Type"].startswith("text/x-python")
    response.close()
    assert client.get("/pkg/nope.py").status_code == 404
    assert client.get("/pkg").status_code == 404


def test_caching_headers_and_conditional_requests(client: Client, tree: Path) -> None:
    response = client.get("/static/hello.txt")
    etag = response.headers["ETag"]
    assert etag.startswith('"wzsdm-') and etag.endswith('"')
    assert response.headers["Cache-Control"] == "max-age=43200, public"
    assert "Expires" in response.headers and "Date" in response.headers
    mtime = os.path.getmtime(tree / "static" / "hello.txt")
    assert response.headers["Last-Modified"] == http_date(mtime)
    response.close()

    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": http_date(mtime + 10)}, {"If-None-Match": f"W/{etag}"}):
        not_modified = client.get("/static/hello.txt", headers=headers)
        assert not_modified.status_code == 304, headers
        assert not_modified.get_data() == b""
        assert not_modified.headers["ETag"] == etag
        assert "Content-Length" not in not_modified.headers

    for headers in ({"If-None-Match": '"other"'}, {"If-Modified-Since": http_date(mtime - 100)}):
        modified = client.get("/static/hello.txt", headers=headers)
        assert modified.status_code == 200, headers
        assert modified.get_data() == b"hello"
        modified.close()


def test_no_cache(tree: Path) -> None:
    client = Client(SharedDataMiddleware(fallback, {"/s": str(tree / "static")}, cache=False, cache_timeout=5))
    response = client.get("/s/hello.txt", headers={"If-None-Match": "*"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public"
    assert "ETag" not in response.headers and "Expires" not in response.headers
    response.close()


def test_cache_timeout_and_fallback_mimetype(tree: Path) -> None:
    app = SharedDataMiddleware(fallback, [("/s", str(tree / "static"))], cache_timeout=60, fallback_mimetype="text/plain")
    response = Client(app).get("/s/data.unknownext")
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    response.close()


def test_disallow_and_is_allowed(tree: Path) -> None:
    client = Client(SharedDataMiddleware(fallback, {"/s": str(tree / "static")}, disallow="*.cfg"))
    assert client.get("/s/secret.cfg").get_data() == b"fallback"
    served = client.get("/s/hello.txt")
    assert served.get_data() == b"hello"
    served.close()

    class OnlyText(SharedDataMiddleware):
        def is_allowed(self, filename: str) -> bool:
            return filename.endswith(".txt")

    client = Client(OnlyText(fallback, {"/s": str(tree / "static")}))
    assert client.get("/s/css/site.css").get_data() == b"fallback"
    served = client.get("/s/hello.txt")
    assert served.get_data() == b"hello"
    served.close()


def test_first_export_wins(tree: Path) -> None:
    (tree / "other").mkdir()
    (tree / "other" / "hello.txt").write_text("other")
    (tree / "other" / "only.txt").write_text("only")
    app = SharedDataMiddleware(fallback, [("/s", str(tree / "static")), ("/s", str(tree / "other"))])
    client = Client(app)
    for path, body in (("/s/hello.txt", b"hello"), ("/s/only.txt", b"only")):
        response = client.get(path)
        assert response.get_data() == body
        response.close()


def test_unknown_export_type() -> None:
    with pytest.raises(TypeError, match="unknown def 42"):
        SharedDataMiddleware(fallback, {"/x": 42})  # type: ignore[dict-item]


def test_generate_etag_is_stable(tree: Path) -> None:
    from datetime import datetime
    from datetime import timezone

    middleware = SharedDataMiddleware(fallback, {})
    moment = datetime(2020, 1, 2, tzinfo=timezone.utc)
    assert middleware.generate_etag(moment, 10, "a.txt") == middleware.generate_etag(moment, 10, "a.txt")
    assert middleware.generate_etag(moment, 10, "a.txt") != middleware.generate_etag(moment, 11, "a.txt")
    assert middleware.generate_etag(moment, 10, "a.txt").startswith(f"wzsdm-{moment.timestamp()}-10-")


def test_long_path_is_fast_and_safe(tree: Path) -> None:
    app = SharedDataMiddleware(fallback, {"/s": str(tree / "static")})
    response = Client(app).get("/s/" + "a/" * 100_000 + "x.txt")
    assert response.get_data() == b"fallback"
