from __future__ import annotations

import json
import threading
import typing as t
from wsgiref.simple_server import WSGIRequestHandler
from wsgiref.simple_server import make_server

import pytest

from wsgikit.middleware.http_proxy import ProxyMiddleware
from wsgikit.test import Client


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: t.Any) -> None:
        pass


def backend_app(environ, start_response):  # type: ignore[no-untyped-def]
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length)) if length else b""
    info = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"].encode("latin1").decode("utf-8", "replace"),
        "query": environ["QUERY_STRING"],
        "host": environ.get("HTTP_HOST"),
        "extra": environ.get("HTTP_X_EXTRA"),
        "custom": environ.get("HTTP_X_CUSTOM"),
        "connection": environ.get("HTTP_CONNECTION"),
        "body": body.decode("latin1"),
    }
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("X-Backend", "yes")],
    )
    return [json.dumps(info).encode()]


@pytest.fixture(scope="module")
def backend() -> t.Iterator[str]:
    server = make_server("127.0.0.1", 0, backend_app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fallback(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"local"]


@pytest.fixture()
def client(backend: str) -> Client:
    app = ProxyMiddleware(
        fallback,
        {
            "/full": {"target": backend + "/"},
            "/strip/": {"target": backend + "/base/", "remove_prefix": True, "headers": {"X-Extra": "1"}},
            "keep-host": {"target": backend, "host": None},
            "/fixed-host": {"target": backend, "host": "fixed.example"},
        },
        timeout=5,
    )
    return Client(app)


def _json(response) -> dict[str, t.Any]:  # type: ignore[no-untyped-def]
    data = json.loads(response.get_data())
    response.close()
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("path", "expected_path"),
    [
        ("/full/a/b", "/full/a/b"),
        ("/strip/a/b", "/base/a/b"),
        ("/strip/", "/base/"),
        ("/full/sp%20ace/%C3%A9", "/full/sp ace/\u00e9"),
    ],
)
def test_paths(client: Client, backend: str, path: str, expected_path: str) -> None:
    response = client.get(path, query_string="q=1&r=%20")
    assert response.status_code == 201
    assert response.headers["X-Backend"] == "yes"
    assert "Connection" not in response.headers  # hop-by-hop, dropped
    info = _json(response)
    assert info["path"] == expected_path
    assert info["query"] == "q=1&r=%20"
    assert info["host"] == "127.0.0.1"
    assert info["connection"] == "close"


def test_not_proxied_paths(client: Client) -> None:
    for path in ("/", "/full", "/fullx/a", "/other"):
        assert client.get(path).get_data() == b"local"


def test_bodies_and_methods(client: Client) -> None:
    info = _json(client.post("/full/x", data={"a": "1"}))
    assert (info["method"], info["body"]) == ("POST", "a=1")
    info = _json(client.put("/full/x", data=b"\x00\xffraw"))
    assert (info["method"], info["body"]) == ("PUT", "\x00\xffraw")


def test_streamed_request_body_is_sent_chunked(backend: str) -> None:
    seen: list[bytes] = []

    def chunk_backend(environ, start_response):  # type: ignore[no-untyped-def]
        seen.append(environ.get("HTTP_TRANSFER_ENCODING", "").encode())
        # wsgiref does not de-chunk: read the raw framing up to the last chunk.
        raw = b""
        while not raw.endswith(b"0\r\n\r\n"):
            line = environ["wsgi.input"].readline()
            if not line:
                break
            raw += line
        seen.append(raw)
        start_response("200 OK", [])
        return [b"done"]

    server = make_server("127.0.0.1", 0, chunk_backend, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        app = ProxyMiddleware(fallback, {"/c": {"target": f"http://127.0.0.1:{server.server_port}/"}}, timeout=5)
        response = Client(app).post("/c/x", data=iter([b"part1", b"part2"]))
        assert response.get_data() == b"done"
        response.close()
    finally:
        thread.join(5)
        server.server_close()
    assert seen == [b"chunked", b"5\r\npart1\r\n5\r\npart2\r\n0\r\n\r\n"]


def test_headers_options(client: Client) -> None:
    info = _json(client.get("/strip/x", headers={"X-Custom": "c"}))
    assert (info["extra"], info["custom"]) == ("1", "c")
    info = _json(client.get("/keep-host/x", base_url="http://front.example/"))
    assert info["host"] == "front.example"
    info = _json(client.get("/fixed-host/x"))
    assert info["host"] == "fixed.example"


def test_unreachable_target_is_bad_gateway() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = ProxyMiddleware(fallback, {"/down": {"target": f"http://127.0.0.1:{port}/"}}, timeout=2)
    response = Client(app).get("/down/x")
    assert response.status_code == 502


def test_bad_scheme() -> None:
    app = ProxyMiddleware(fallback, {"/ftp": {"target": "ftp://127.0.0.1/"}})
    with pytest.raises(RuntimeError, match="Target scheme must be 'http' or 'https', got 'ftp'."):
        Client(app).get("/ftp/x")
