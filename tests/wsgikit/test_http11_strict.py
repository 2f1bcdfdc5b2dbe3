"""Strict RFC 9112 framing: chunk extensions, trailers, Host, the header
section size limit, and the server under connection abuse.

The IO-free parts are table tests on :mod:`wsgikit._http11`; the server
parts start a real threaded dev server in a subprocess on 127.0.0.1, port 0,
and talk to it over raw sockets.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import textwrap
import time
import typing as t
from pathlib import Path

import pytest

from wsgikit._http11 import ChunkedDecoder
from wsgikit._http11 import FramingError
from wsgikit._http11 import HeadScanner
from wsgikit._http11 import parse_head
from wsgikit._http11 import request_host

ROOT = Path(__file__).resolve().parents[2]
#: Hang guard for every socket operation; never a pass/fail threshold.
TIMEOUT = 10.0


# -- chunk extensions and trailers (IO-free) -------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b"5",
        b"5;a",
        b"5;a=b",
        b"5 ; a = b",
        b"5;a=b;c;d=\"q\"",
        b'5;a="x\\"y"',
        b"5;a=\"\"",
        b"0005;n=1",
        b"5\t;\tx",
    ],
)
def test_chunk_extension_valid(line: bytes) -> None:
    decoder = ChunkedDecoder()
    assert decoder.feed(line + b"\r\nhello\r\n0\r\n\r\n") == b"hello"
    assert decoder.done


@pytest.mark.parametrize(
    "line",
    [
        b"5;a\rb",  # bare CR
        b"5;a\x00",  # NUL
        b"5;a\x0bb",  # VT
        b"5;a\x7f",  # DEL
        b"5;a b",  # space inside a name
        b"5;a=\"x",  # unclosed quote
        b"5;",  # empty name
        b"5;=x",
        b"5;a=",
        b"5;a=b c",
        b"5;;a",
        b"5 ",  # whitespace without an extension
        b"5;a=\"\x01\"",
        b"5;a=\"\\\x00\"",
        b"5,a",
        b"5;a@b",
    ],
)
def test_chunk_extension_refused(line: bytes) -> None:
    with pytest.raises(FramingError) as info:
        ChunkedDecoder().feed(line + b"\r\nhello\r\n0\r\n\r\n")
    assert info.value.status == 400


@pytest.mark.parametrize(
    "trailer",
    [
        b"X: a\rb",
        b"X: a\x00",
        b"X a: 1",
        b" X: folded",
        b"X",
        b": v",
        b"Content-Length: 5",
        b"Transfer-Encoding: chunked",
        b"Host: evil.example",
        b"Authorization: Basic eA==",
    ],
)
def test_trailer_field_refused(trailer: bytes) -> None:
    with pytest.raises(FramingError) as info:
        ChunkedDecoder().feed(b"0\r\n" + trailer + b"\r\n\r\n")
    assert info.value.status == 400


def test_trailer_field_count_limited() -> None:
    with pytest.raises(FramingError):
        ChunkedDecoder().feed(b"0\r\n" + b"X: 1\r\n" * 101 + b"\r\n")


def test_valid_trailers_accepted() -> None:
    decoder = ChunkedDecoder()
    decoder.feed(b"0\r\nX-Checksum: abc\r\nTrailer: 1\r\nEmpty:\r\n\r\nNEXT")
    assert decoder.done and decoder.leftover == b"NEXT"


# -- Host (IO-free) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "host"),
    [
        (b"GET / HTTP/1.1\r\nHost: a.com", "a.com"),
        (b"GET / HTTP/1.1\r\nHost: a.com:8080", "a.com:8080"),
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1:80", "127.0.0.1:80"),
        (b"GET / HTTP/1.1\r\nHost: [::1]:80", "[::1]:80"),
        (b"GET / HTTP/1.1\r\nHost: [::1]", "[::1]"),
        (b"GET / HTTP/1.1\r\nHost: xn--bcher-kva.example", "xn--bcher-kva.example"),
        (b"GET / HTTP/1.1\r\nHost: a%2Eb", "a%2Eb"),
        (b"GET / HTTP/1.1\r\nHost:", ""),  # RFC 9112: empty when no authority
        (b"GET / HTTP/1.0", None),
        (b"GET / HTTP/1.0\r\nHost: a", "a"),
        (b"GET http://b.com/x HTTP/1.1\r\nHost: a.com", "b.com"),
        (b"GET https://b.com:8443/x?y HTTP/1.1\r\nHost: a.com", "b.com:8443"),
        (b"GET http://b.com HTTP/1.0", "b.com"),
    ],
)
def test_request_host_valid(head: bytes, host: str | None) -> None:
    assert request_host(parse_head(head)) == host


@pytest.mark.parametrize(
    "head",
    [
        b"GET / HTTP/1.1",  # missing in HTTP/1.1
        b"GET / HTTP/1.1\r\nX: 1",
        b"GET / HTTP/1.1\r\nHost: a.com\r\nHost: a.com",  # duplicated
        b"GET / HTTP/1.1\r\nHost: a.com\r\nhost: b.com",
        b"GET / HTTP/1.0\r\nHost: a\r\nHost: b",
        b"GET / HTTP/1.1\r\nHost: a.com, b.com",  # comma list
        b"GET / HTTP/1.1\r\nHost: a.com,b.com",
        b"GET / HTTP/1.1\r\nHost: a b",
        b"GET / HTTP/1.1\r\nHost: a.com:x",
        b"GET / HTTP/1.1\r\nHost: a.com:80:80",
        b"GET / HTTP/1.1\r\nHost: a.com:123456",
        b"GET / HTTP/1.1\r\nHost: a.com/path",
        b"GET / HTTP/1.1\r\nHost: user@a.com",
        b"GET / HTTP/1.1\r\nHost: [::1",
        b"GET / HTTP/1.1\r\nHost: [zz]",
        b"GET / HTTP/1.1\r\nHost: [::1]x",
        b"GET / HTTP/1.1\r\nHost: a\\b",
        b"GET / HTTP/1.1\r\nHost: a%zz",
        b"GET / HTTP/1.1\r\nHost: \xe9.com",
        b"GET / HTTP/1.1\r\nHost: a\tb",
        b"GET http://user@b.com/ HTTP/1.1\r\nHost: a",
        b"GET http:///x HTTP/1.1\r\nHost: a",
        b"GET ftp://b.com/ HTTP/1.1\r\nHost: a",
        b"GET http://b.com, c.com/ HTTP/1.1\r\nHost: a",
    ],
)
def test_request_host_refused(head: bytes) -> None:
    with pytest.raises(FramingError) as info:
        request_host(parse_head(head))
    assert info.value.status == 400


# -- header section size (IO-free) -------------------------------------------------


def _scan_in_pieces(scanner: HeadScanner, raw: bytes, piece: int) -> int:
    buf = bytearray()
    for i in range(0, len(raw), piece):
        buf += raw[i : i + piece]
        end = scanner.scan(buf)
        if end >= 0:
            return end
    return -1


@pytest.mark.parametrize("piece", [1 << 20, 4096, 1000])
def test_header_section_total_limit(piece: int) -> None:
    # 95 lines of 60 KB each pass the per-line limit; the total must not.
    raw = b"GET / HTTP/1.1\r\n" + (b"X: " + b"a" * 60000 + b"\r\n") * 95 + b"\r\n"
    with pytest.raises(FramingError) as info:
        _scan_in_pieces(HeadScanner(), raw, piece)
    assert info.value.status == 431


@pytest.mark.parametrize(
    ("limit", "size", "ok"),
    [(65536, 65000, True), (65536, 66000, False), (1024, 1000, True), (1024, 1100, False), (1 << 20, 600000, True)],
)
def test_header_section_limit_configurable(limit: int, size: int, ok: bool) -> None:
    lines = b""
    while len(lines) < size - 2:
        lines += b"X: " + b"a" * min(4000, size - len(lines) - 7) + b"\r\n"
    raw = b"GET /" + b"p" * 3000 + b" HTTP/1.1\r\n" + lines + b"\r\n"
    scanner = HeadScanner(max_header_bytes=limit)
    if ok:
        assert scanner.scan(raw) == len(raw)
    else:
        with pytest.raises(FramingError) as info:
            scanner.scan(raw)
        assert info.value.status == 431


# -- the real server ------------------------------------------------------------------

SERVER_SCRIPT = textwrap.dedent(
    """
    import os, sys, threading, time
    from wsgikit.serving import WSGIRequestHandler, make_server

    def _exit_with_parent(parent=os.getppid()):
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=_exit_with_parent, daemon=True).start()

    class Handler(WSGIRequestHandler):
        keep_alive_timeout = float(sys.argv[1])
        request_timeout = float(sys.argv[2])

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/badname":
            start_response("200 OK", [("X-B: c", "1"), ("Content-Length", "1")])
            return [b"x"]
        body = environ["wsgi.input"].read()
        out = (environ.get("HTTP_HOST", "-") + "|" + body.decode("latin-1")).encode("latin-1")
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(out)))])
        return [out]

    srv = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Handler)
    if len(sys.argv) > 3:
        srv.max_header_bytes = int(sys.argv[3])
    print("LISTENING", srv.port, flush=True)
    srv.serve_forever()
    """
)


class ServerProc:
    def __init__(self, tmp: Path, *args: str) -> None:
        script = tmp / "strict_server.py"
        script.write_text(SERVER_SCRIPT)
        self.log_path = tmp / "strict_server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            start_new_session=True,
        )
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        try:
            assert sel.select(TIMEOUT), "server did not start"
            line = self.proc.stdout.readline().decode()  # type: ignore[union-attr]
        finally:
            sel.close()
        assert line.startswith("LISTENING"), line
        self.port = int(line.split()[1])

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc.stdout.close()  # type: ignore[union-attr]
        self._log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[ServerProc]:
    proc = ServerProc(tmp_path_factory.mktemp("strict"), "1.0", "1.0", "8192")
    yield proc
    proc.stop()


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    return sock


def _exchange(port: int, raw: bytes) -> tuple[int, bytes, bool]:
    """Send ``raw`` then a follow-up request; return the first status, the
    body bytes received, and whether the server closed the connection."""
    sock = _connect(port)
    try:
        try:
            sock.sendall(raw + b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        closed = False
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                closed = True
                break
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            data += chunk
            if data.count(b"HTTP/1.1 ") >= 2:
                break
        status = int(data.split(b" ", 2)[1]) if data else 0
        return status, data, closed
    finally:
        sock.close()


SERVER_REFUSED = [
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a b\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x00\r\nhello\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nContent-Length: 3\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a.com, b.com\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X: " + b"a" * 4000 + b"\r\n" + b"Y: " + b"b" * 4300 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + (b"X: " + b"a" * 1000 + b"\r\n") * 9 + b"\r\n", 431),
]


@pytest.mark.parametrize(("raw", "status"), SERVER_REFUSED)
def test_server_refuses_and_closes(server: ServerProc, raw: bytes, status: int) -> None:
    got, data, closed = _exchange(server.port, raw)
    assert got == status, data
    assert b"Connection: close" in data
    assert closed
    assert data.count(b"HTTP/1.1 ") == 1  # the follow-up request was never answered


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b;c\" ; d\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", b"h|hello"),
        (b"GET http://abs.example:81/x HTTP/1.1\r\nHost: ignored\r\n\r\n", b"abs.example:81|"),
        (b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", b"[::1]:8080|"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + (b"X: " + b"a" * 1000 + b"\r\n") * 7 + b"\r\n", b"x|"),
    ],
)
def test_server_accepts_and_keeps_alive(server: ServerProc, raw: bytes, body: bytes) -> None:
    got, data, closed = _exchange(server.port, raw)
    assert got == 200, data
    assert data.split(b"\r\n\r\n", 1)[1].startswith(body)
    assert data.count(b"HTTP/1.1 200") == 2  # the follow-up was answered on the same connection


@pytest.mark.parametrize("path", [b"/badname"])
def test_invalid_response_header_name_never_sent(server: ServerProc, path: bytes) -> None:
    # A raw WSGI app bypasses Headers; the server still refuses the name.
    got, data, _ = _exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert got == 500, data
    assert b"X-B: c" not in data


def test_refused_requests_never_reached_app(server: ServerProc) -> None:
    # Runs after the tables above: only the accepted requests were served.
    assert "GET /after" in server.log
    assert "hello" not in server.log


# -- connection handling under abuse --------------------------------------------------


def _recv_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.slow
def test_fresh_client_answered_despite_idle_and_slow_clients(tmp_path: Path) -> None:
    # Long timeouts, so the abusive connections stay open for the whole test:
    # the server must still answer a fresh client.
    proc = ServerProc(tmp_path, "30", "30")
    socks: list[socket.socket] = []
    try:
        for _ in range(200):
            sock = _connect(proc.port)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: idle\r\n\r\n")
            assert _recv_response(sock).startswith(b"HTTP/1.1 200")
            socks.append(sock)  # now idle in keep-alive
        for _ in range(50):
            sock = _connect(proc.port)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ")
            socks.append(sock)  # a head that never ends
        for round_ in range(3):
            for sock in socks[200:]:
                sock.sendall(b"a")  # keep trickling
            fresh = _connect(proc.port)
            fresh.settimeout(TIMEOUT)  # hang guard only
            fresh.sendall(b"GET / HTTP/1.1\r\nHost: fresh\r\nConnection: close\r\n\r\n")
            response = b""
            while chunk := fresh.recv(65536):  # Connection: close ends it
                response += chunk
            fresh.close()
            assert response.startswith(b"HTTP/1.1 200"), (round_, response)
            assert response.endswith(b"\r\n\r\nfresh|")
    finally:
        for sock in socks:
            sock.close()
        proc.stop()
