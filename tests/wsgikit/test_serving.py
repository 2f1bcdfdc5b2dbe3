"""The development server, run for real in subprocesses on 127.0.0.1, port 0,
spoken to over raw sockets."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
import typing as t
from pathlib import Path

import pytest

from wsgikit import serving

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10.0

SERVER_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, threading, time
    from wsgikit.serving import WSGIRequestHandler, make_server, run_simple

    def _exit_with_parent(parent=os.getppid()):
        # If the test run dies without cleaning up, do not linger.
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=_exit_with_parent, daemon=True).start()

    class Handler(WSGIRequestHandler):
        keep_alive_timeout = 1.0
        request_timeout = 1.0
        max_drain = 4096

    FILE = os.environ.get("TEST_FILE")

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/echo":
            body = environ["wsgi.input"].read()
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return [body]
        if path == "/env" or environ["QUERY_STRING"].startswith("env"):
            keys = {k: v for k, v in environ.items() if isinstance(v, (str, int, bool)) and not k.startswith("wsgi.multi")}
            keys["input_terminated"] = environ.get("wsgi.input_terminated", False)
            keys["body"] = environ["wsgi.input"].read().decode("latin-1")
            data = json.dumps(keys).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        if path == "/read":
            # Read the body the way X-Read says, to the end.
            stream, how = environ["wsgi.input"], environ.get("HTTP_X_READ")
            if how == "read":
                body = stream.read()
            elif how == "read3":
                body = b"".join(iter(lambda: stream.read(3), b""))
            elif how == "readline":
                body = b"".join(iter(stream.readline, b""))
            elif how == "readlines":
                body = b"".join(stream.readlines())
            else:
                body = b"".join(stream)
            start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/lines":
            lines = [line.decode() for line in environ["wsgi.input"]]
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(lines).encode()]
        if path == "/stream":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return iter([b"one ", b"", b"two ", b"three"])
        if path == "/error":
            raise ValueError("boom")
        if path == "/error-late":
            def gen():
                yield b"partial"
                raise ValueError("late boom")
            start_response("200 OK", [("Content-Type", "text/plain")])
            return gen()
        if path == "/close":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Connection", "close")])
            return [b"bye"]
        if path == "/file":
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return environ["wsgi.file_wrapper"](open(FILE, "rb"))
        if path == "/badheader":
            start_response("200 OK", [("X-Evil", "a\\r\\nSet-Cookie: x=1")])
            return [b"x"]
        if path == "/nocontent":
            start_response("204 No Content", [])
            return []
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"hello"]

    mode = sys.argv[1]
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    if mode == "run_simple":
        run_simple(host, 0, app, threaded=True, request_handler=Handler,
                   static_files={"/static": os.path.dirname(FILE)})
    elif mode == "ssl":
        run_simple(host, 0, app, threaded=True, request_handler=Handler,
                   ssl_context=(sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else "adhoc")
    else:
        srv = make_server(
            host, 0, app,
            threaded=mode == "threaded",
            processes=3 if mode == "forking" else 1,
            request_handler=Handler,
            passthrough_errors=mode == "passthrough",
        )
        print("LISTENING", srv.port if srv.address_family != getattr(__import__("socket"), "AF_UNIX", None) else host, flush=True)
        srv.serve_forever()
    """
)


class Server:
    """A server subprocess and what it logged."""

    def __init__(self, tmp: Path, *args: str) -> None:
        script = tmp / "server_script.py"
        script.write_text(SERVER_SCRIPT)
        self.data_file = tmp / "data.bin"
        self.data_file.write_bytes(bytes(range(256)) * 1000)
        self.stderr_path = tmp / f"stderr-{args[0]}.txt"
        env = dict(os.environ, PYTHONPATH=str(ROOT), TEST_FILE=str(self.data_file))
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            start_new_session=True,
        )
        self.port = 0
        if args[0] in ("run_simple", "ssl"):
            match = self.wait_for_log(r"Running on https?://\S+:(\d+)")
            self.port = int(match.group(1))
        else:
            line = _readline(self.proc, TIMEOUT)
            assert line.startswith("LISTENING"), line
            value = line.split()[1]
            self.port = int(value) if value.isdigit() else 0

    def wait_for_log(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log)
            if match:
                return match
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"{pattern!r} not in server log:\n{self.log}")

    @property
    def log(self) -> str:
        return self.stderr_path.read_text("utf-8", "replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc.stdout.close()  # type: ignore[union-attr]
        self._stderr.close()


def _readline(proc: subprocess.Popen, timeout: float) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
    try:
        if not sel.select(timeout):
            raise AssertionError("server did not start in time")
        return proc.stdout.readline().decode()  # type: ignore[union-attr]
    finally:
        sel.close()


@pytest.fixture(scope="module")
def threaded(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("threaded"), "threaded")
    yield server
    server.stop()


@pytest.fixture
def make_server_proc(tmp_path: Path) -> t.Iterator[t.Callable[..., Server]]:
    servers: list[Server] = []

    def factory(*args: str) -> Server:
        server = Server(tmp_path, *args)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


# -- a tiny HTTP client over raw sockets ---------------------------------------


class Response(t.NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes
    raw_head: bytes


_OPEN: list[Conn] = []


@pytest.fixture(autouse=True)
def _close_connections() -> t.Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


class Conn:
    def __init__(self, port: int, family: int = socket.AF_INET, host: str = "127.0.0.1", sock: t.Any = None) -> None:
        _OPEN.append(self)
        if sock is None:
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(TIMEOUT)
            sock.connect((host, port) if family != getattr(socket, "AF_UNIX", None) else host)
        self.sock = sock
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bytes:
        data = self.sock.recv(65536)
        self.buf += data
        return data

    def read_response(self, head_only: bool = False) -> Response:
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                raise EOFError(f"connection closed, got {self.buf!r}")
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.lower()] = value.strip()
        if head_only or status in (100, 204, 304):
            return Response(status, headers, b"", head)
        if "content-length" in headers:
            length = int(headers["content-length"])
            while len(self.buf) < length:
                if not self._fill():
                    raise EOFError("short body")
            body, self.buf = self.buf[:length], self.buf[length:]
        elif headers.get("transfer-encoding") == "chunked":
            body = self._read_chunked()
        else:
            while self._fill():
                pass
            body, self.buf = self.buf, b""
        return Response(status, headers, body, head)

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                if not self._fill():
                    raise EOFError("closed inside a chunked body")
            size_line, _, self.buf = self.buf.partition(b"\r\n")
            size = int(size_line, 16)
            while len(self.buf) < size + 2:
                if not self._fill():
                    raise EOFError("closed inside a chunk")
            out += self.buf[:size]
            assert self.buf[size : size + 2] == b"\r\n"
            self.buf = self.buf[size + 2 :]
            if size == 0:
                return out

    def is_closed(self, timeout: float = 3.0) -> bool:
        """Whether the server closed the connection (EOF within ``timeout``)."""
        self.sock.settimeout(timeout)
        try:
            return self.buf == b"" and self.sock.recv(65536) == b""
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()


def request(port: int, raw: bytes, **kwargs: t.Any) -> Response:
    conn = Conn(port)
    try:
        conn.send(raw)
        return conn.read_response(**kwargs)
    finally:
        conn.close()


GET = b"GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n"


# -- basics -----------------------------------------------------------------------


def test_hello_and_keep_alive(threaded: Server) -> None:
    conn = Conn(threaded.port)
    for _ in range(3):
        conn.send(GET % b"/")
        response = conn.read_response()
        assert response.status == 200
        assert response.body == b"hello"
        assert "connection" not in response.headers
    assert response.headers["server"].startswith("wsgikit/")
    assert response.raw_head.startswith(b"HTTP/1.1 200 OK\r\n")
    conn.close()


def test_pipelined_requests_answered_in_order(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(GET % b"/" + b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + GET % b"/stream")
    assert [conn.read_response().body for _ in range(3)] == [b"hello", b"abc", b"one two three"]
    conn.close()


def test_environ(threaded: Server) -> None:
    raw = (
        b"POST //evil.com/a%20b%C3%A9?env=1&y=%20 HTTP/1.1\r\nHost: example.org:8080\r\n"
        b"X-A: 1\r\nX-A: 2\r\nX_Forwarded_For: spoof\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
    )
    env = json.loads(request(threaded.port, raw).body)
    # A leading "//" collapses to "/" (as http.server, and so Werkzeug, does).
    assert env["PATH_INFO"] == "/evil.com/a b\u00c3\u00a9"  # latin-1 view of the UTF-8 bytes
    assert env["QUERY_STRING"] == "env=1&y=%20"
    assert env["REQUEST_URI"] == env["RAW_URI"] == "/evil.com/a%20b%C3%A9?env=1&y=%20"
    assert env["HTTP_HOST"] == "example.org:8080"
    assert env["HTTP_X_A"] == "1,2"
    assert "HTTP_X_FORWARDED_FOR" not in env
    assert env["CONTENT_TYPE"] == "text/plain"
    assert env["CONTENT_LENGTH"] == "2"
    assert env["body"] == "hi"
    assert env["REQUEST_METHOD"] == "POST"
    assert env["SCRIPT_NAME"] == ""
    assert env["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert env["SERVER_NAME"] == "127.0.0.1"
    assert env["SERVER_PORT"] == str(threaded.port)
    assert env["REMOTE_ADDR"] == "127.0.0.1"
    assert env["wsgi.url_scheme"] == "http"
    assert env["input_terminated"] is False


@pytest.mark.parametrize(
    ("target", "path"),
    [(b"//double-slash", "/double-slash"), (b"///a//b", "/a//b"), (b"/a//b", "/a//b")],
)
def test_leading_double_slash_is_one(threaded: Server, target: bytes, path: str) -> None:
    env = json.loads(request(threaded.port, b"GET %s?env HTTP/1.1\r\nHost: x\r\n\r\n" % target).body)
    assert env["PATH_INFO"] == path
    assert env["REQUEST_URI"] == env["RAW_URI"] == f"{path}?env"


def test_absolute_form_target_sets_host(threaded: Server) -> None:
    raw = b"GET http://other.example:81/p?env HTTP/1.1\r\nHost: ignored\r\n\r\n"
    env = json.loads(request(threaded.port, raw).body)
    assert (env["PATH_INFO"], env["QUERY_STRING"], env["HTTP_HOST"]) == ("/p", "env", "other.example:81")


def test_chunked_request_body(threaded: Server) -> None:
    raw = (
        b"POST /env HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: 1\r\n\r\n"
    )
    env = json.loads(request(threaded.port, raw).body)
    assert env["body"] == "hello world"
    assert env["input_terminated"] is True
    assert "CONTENT_LENGTH" not in env


def test_readline_iteration_of_input(threaded: Server) -> None:
    body = b"a\nbb\n\nccc"
    raw = b"POST /lines HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    assert json.loads(request(threaded.port, raw).body) == ["a\n", "bb\n", "\n", "ccc"]


def test_chunked_response_without_length(threaded: Server) -> None:
    response = request(threaded.port, GET % b"/stream")
    assert response.headers["transfer-encoding"] == "chunked"
    assert response.body == b"one two three"


def test_http10_response_is_closed_not_chunked(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"GET /stream HTTP/1.0\r\n\r\n")
    response = conn.read_response()
    assert response.raw_head.startswith(b"HTTP/1.1 200")
    assert "transfer-encoding" not in response.headers
    assert response.headers["connection"] == "close"
    assert response.body == b"one two three"


def test_head_has_no_body(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + GET % b"/")
    head = conn.read_response(head_only=True)
    assert head.status == 200 and head.headers["content-length"] == "5"
    # The next response starts right away: no body bytes were sent for HEAD.
    assert conn.read_response().body == b"hello"
    conn.send(b"HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n" + GET % b"/")
    assert "transfer-encoding" not in conn.read_response(head_only=True).headers
    assert conn.read_response().body == b"hello"
    conn.close()


def test_204_has_no_body(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(GET % b"/nocontent" + GET % b"/")
    assert conn.read_response().status == 204
    assert conn.read_response().body == b"hello"
    conn.close()


def test_connection_close_honoured(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    response = conn.read_response()
    assert response.headers["connection"] == "close"
    assert conn.is_closed()
    conn = Conn(threaded.port)
    conn.send(GET % b"/close")
    assert conn.read_response().body == b"bye"
    assert conn.is_closed()


def test_expect_100_continue(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
    interim = conn.read_response()
    assert interim.status == 100
    conn.send(b"data")
    assert conn.read_response().body == b"data"
    conn.close()


def test_expect_100_unread_body_closes(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
    response = conn.read_response()
    assert response.status == 200 and response.headers["connection"] == "close"
    assert conn.is_closed()


def test_file_wrapper_uses_sendfile(threaded: Server) -> None:
    response = request(threaded.port, GET % b"/file")
    assert response.headers["content-length"] == str(256 * 1000)
    assert response.body == threaded.data_file.read_bytes()


# -- smuggling, framing attacks --------------------------------------------------


def test_unread_body_is_never_a_request(threaded: Server) -> None:
    smuggled = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    conn = Conn(threaded.port)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(smuggled), smuggled))
    assert conn.read_response().body == b"hello"
    conn.send(GET % b"/env")
    env = json.loads(conn.read_response().body)
    assert env["PATH_INFO"] == "/env"  # the next real request, not the smuggled one
    # Exactly two responses: nothing else arrives.
    assert conn.buf == b""
    conn.sock.settimeout(0.3)
    with pytest.raises(socket.timeout):
        conn.sock.recv(65536)
    conn.close()
    assert "/smuggled" not in threaded.log


def test_unread_chunked_body_is_never_a_request(threaded: Server) -> None:
    smuggled = b"GET /smuggled2 HTTP/1.1\r\nHost: x\r\n\r\n"
    conn = Conn(threaded.port)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled))
    assert conn.read_response().body == b"hello"
    conn.send(GET % b"/")
    assert conn.read_response().body == b"hello"
    conn.close()
    assert "/smuggled2" not in threaded.log


def test_unread_body_over_drain_cap_closes(threaded: Server) -> None:
    body = b"x" * 8000 + b"GET /smuggled3 HTTP/1.1\r\nHost: x\r\n\r\n"
    conn = Conn(threaded.port)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body))
    conn.send(body)
    response = conn.read_response()
    assert response.body == b"hello"
    assert conn.is_closed()
    assert "/smuggled3" not in threaded.log


FRAMING_ATTACKS = [
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nab", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\nab", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +10\r\n\r\n0123456789", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\nab", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"GET / HTTP/1.1\nHost: x\n\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x7fb\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    (b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    (b"GET " + b"/" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\n" + b"X: 1\r\n" * 101 + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431),
]


@pytest.mark.parametrize(("raw", "status"), FRAMING_ATTACKS)
def test_framing_attack_refused_and_closed(threaded: Server, raw: bytes, status: int) -> None:
    conn = Conn(threaded.port)
    try:
        conn.send(raw + GET % b"/smuggled-after")
    except (BrokenPipeError, ConnectionResetError):
        pass
    response = conn.read_response()
    assert response.status == status
    assert response.headers["connection"] == "close"
    assert conn.is_closed()
    conn.close()


def test_framing_attacks_never_reach_app(threaded: Server) -> None:
    # Runs after the table above (same module server): no refused request
    # nor anything behind it was ever logged as served.
    assert "/smuggled-after" not in threaded.log


def test_hundred_headers_accepted(threaded: Server) -> None:
    raw = b"GET / HTTP/1.1\r\n" + b"X: 1\r\n" * 99 + b"Host: x\r\n\r\n"
    assert request(threaded.port, raw).status == 200


def test_tab_in_header_value_accepted(threaded: Server) -> None:
    env = json.loads(request(threaded.port, b"GET /env HTTP/1.1\r\nHost: x\r\nX-T: a\tb\r\n\r\n").body)
    assert env["HTTP_X_T"] == "a\tb"


def test_bad_chunked_body_is_400(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
    assert conn.read_response().status == 400
    assert conn.is_closed()


def test_stalled_head_times_out(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    response = conn.read_response()
    assert response.status == 408
    assert conn.is_closed()
    assert time.monotonic() - start < 5


def test_slowloris_trickle_times_out(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"GET / HTTP/1.1\r\n")
    status = None
    for _ in range(30):
        try:
            conn.send(b"X: 1\r\n")
        except OSError:
            break
        conn.sock.settimeout(0.1)
        try:
            data = conn.sock.recv(1024)
        except socket.timeout:
            continue
        status = data.split(b" ")[1] if data else b"closed"
        break
    assert status == b"408"


def test_idle_keep_alive_connection_closed(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(GET % b"/")
    conn.read_response()
    assert conn.is_closed(timeout=4)


def test_stalled_body_does_not_hang(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-this")
    response = conn.read_response()
    assert response.status == 200 and response.body == b"only-this"
    assert conn.is_closed()


# -- errors and logging -----------------------------------------------------------


def test_app_error_is_500_and_logged(threaded: Server) -> None:
    response = request(threaded.port, GET % b"/error")
    assert response.status == 500
    assert response.body == (
        b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
        b"<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was"
        b" unable to complete your request. Either the server is overloaded or there is an"
        b" error in the application.</p>\n"
    )
    threaded.wait_for_log(r"Error on request:\nTraceback \(most recent call last\):(.|\n)*ValueError: boom")


def test_app_error_after_headers_closes(threaded: Server) -> None:
    conn = Conn(threaded.port)
    conn.send(GET % b"/error-late")
    with pytest.raises((EOFError, ValueError, AssertionError)):
        conn.read_response()
    threaded.wait_for_log(r"ValueError: late boom")


def test_newline_in_response_header_refused(threaded: Server) -> None:
    response = request(threaded.port, GET % b"/badheader")
    assert response.status == 500
    assert "set-cookie" not in response.headers


def test_access_log_format_and_escaping(threaded: Server) -> None:
    request(threaded.port, GET % b"/logged?a=1")
    request(threaded.port, b"GET /x\x1b[31m HTTP/1.1\r\nHost: x\r\n\r\n")
    threaded.wait_for_log(r'127\.0\.0\.1 - - \[\d\d/\w\w\w/\d{4} \d\d:\d\d:\d\d\] "GET /logged\?a=1 HTTP/1\.1" 200 -')
    threaded.wait_for_log(re.escape('"GET /x\\x1b[31m HTTP/1.1" 400 -'))
    assert "\x1b" not in threaded.log


# -- other server kinds -----------------------------------------------------------


def test_run_simple_banner(make_server_proc: t.Callable[..., Server]) -> None:
    server = make_server_proc("run_simple")
    log = server.log
    assert (
        "WARNING: This is a development server. Do not use it in a production deployment."
        " Use a production WSGI server instead.\n"
    ) in log
    assert f" * Running on http://127.0.0.1:{server.port}\n" in log
    assert "Press CTRL+C to quit" in log
    assert request(server.port, GET % b"/").body == b"hello"


def test_run_simple_static_files(make_server_proc: t.Callable[..., Server]) -> None:
    server = make_server_proc("run_simple")
    served = request(server.port, GET % b"/static/data.bin")
    assert served.body == bytes(range(256)) * 1000
    assert served.headers["content-type"] == "application/octet-stream"
    assert "etag" in served.headers
    # Outside the static folder, and for traversal attempts, the app answers.
    assert request(server.port, GET % b"/static/../server_script.py").body == b"hello"
    assert request(server.port, GET % b"/other").body == b"hello"


def test_single_threaded_server_is_http10_and_closes(make_server_proc: t.Callable[..., Server]) -> None:
    server = make_server_proc("single")
    conn = Conn(server.port)
    conn.send(GET % b"/stream")
    response = conn.read_response()
    assert response.raw_head.startswith(b"HTTP/1.0 200 OK")
    assert response.headers["connection"] == "close"
    assert response.body == b"one two three"
    assert conn.is_closed()


_CHUNKED_READ = (
    b"POST /read HTTP/1.1\r\nHost: x\r\nX-Read: %s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    b"5\r\nhello\r\n6\r\n world\r\n4\r\n\nab\n\r\n1\r\nc\r\n0\r\n\r\n"
)


@pytest.mark.parametrize("mode", ["single", "threaded", "forking"])
def test_chunked_body_read_fully_in_every_mode(make_server_proc: t.Callable[..., Server], mode: str) -> None:
    server = make_server_proc(mode)
    for how in [b"read", b"read3", b"readline", b"readlines", b"iter"]:
        assert request(server.port, _CHUNKED_READ % how).body == b"hello world\nab\nc", how


def test_forking_server(make_server_proc: t.Callable[..., Server]) -> None:
    server = make_server_proc("forking")
    conn = Conn(server.port)
    for _ in range(2):
        conn.send(GET % b"/env")
        assert json.loads(conn.read_response().body)["PATH_INFO"] == "/env"
    conn.close()


def test_ipv6(make_server_proc: t.Callable[..., Server]) -> None:
    try:
        socket.socket(socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6")
    server = make_server_proc("threaded", "::1")
    conn = Conn(server.port, socket.AF_INET6, "::1")
    conn.send(GET % b"/env")
    env = json.loads(conn.read_response().body)
    assert env["REMOTE_ADDR"] == "::1"
    conn.close()


def test_unix_socket(make_server_proc: t.Callable[..., Server], tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    make_server_proc("threaded", f"unix://{path}")
    conn = Conn(0, socket.AF_UNIX, str(path))
    conn.send(GET % b"/")
    assert conn.read_response().body == b"hello"
    conn.close()


def test_passthrough_errors_reraise(make_server_proc: t.Callable[..., Server]) -> None:
    server = make_server_proc("passthrough")
    conn = Conn(server.port)
    conn.send(GET % b"/error")
    server.proc.wait(TIMEOUT)
    assert server.proc.returncode != 0
    assert "ValueError: boom" in server.log


def test_ssl_with_cert_files(make_server_proc: t.Callable[..., Server], tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    cert, key = serving.make_ssl_devcert(str(tmp_path / "dev"), host="localhost")
    assert Path(cert).read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    server = make_server_proc("ssl", "127.0.0.1", cert, key)
    assert f"https://127.0.0.1:{server.port}" in server.log
    ctx = ssl.create_default_context(cafile=cert)
    ctx.check_hostname = False
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    conn = Conn(0, sock=ctx.wrap_socket(raw))
    conn.send(GET % b"/env")
    assert json.loads(conn.read_response().body)["wsgi.url_scheme"] == "https"
    conn.close()


def test_adhoc_ssl(make_server_proc: t.Callable[..., Server]) -> None:
    pytest.importorskip("cryptography")
    server = make_server_proc("ssl")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # A plain-HTTP client does not disturb the TLS server.
    plain = Conn(server.port)
    plain.send(GET % b"/")
    plain.close()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    conn = Conn(0, sock=ctx.wrap_socket(raw))
    conn.send(GET % b"/")
    assert conn.read_response().body == b"hello"
    conn.close()


# -- in-process API ---------------------------------------------------------------


def _hello(environ: t.Any, start_response: t.Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"in-process"]


def test_make_server_in_thread_start_and_shutdown() -> None:
    srv = serving.make_server("127.0.0.1", 0, _hello, threaded=True)
    assert isinstance(srv, serving.ThreadedWSGIServer)
    assert srv.port != 0 and srv.server_address[1] == srv.port
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    conn = Conn(srv.port)
    conn.send(GET % b"/")
    response = conn.read_response()
    assert response.body == b"in-process" and response.headers["content-length"] == "10"
    srv.shutdown()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    # The idle keep-alive connection was closed with the server.
    assert conn.is_closed()


def test_make_server_kinds() -> None:
    with pytest.raises(ValueError, match="Cannot have a multi-thread and multi-process server."):
        serving.make_server("127.0.0.1", 0, _hello, threaded=True, processes=2)
    srv = serving.make_server("127.0.0.1", 0, _hello)
    assert type(srv) is serving.BaseWSGIServer and not srv.multithread
    srv.server_close()
    srv = serving.make_server("127.0.0.1", 0, _hello, processes=2)
    assert isinstance(srv, serving.ForkingWSGIServer) and srv.max_children == 2
    srv.server_close()


def test_make_server_from_fd() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    srv = serving.make_server("127.0.0.1", 0, _hello, threaded=True, fd=sock.fileno())
    assert srv.port == sock.getsockname()[1]
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    assert request(srv.port, GET % b"/").body == b"in-process"
    srv.shutdown()
    thread.join(TIMEOUT)
    sock.close()


def test_run_simple_port_must_be_int() -> None:
    with pytest.raises(TypeError, match="port must be an integer"):
        serving.run_simple("127.0.0.1", "5000", _hello)  # type: ignore[arg-type]


def test_debugger_missing_is_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wsgikit.debug", None)
    with pytest.raises(RuntimeError, match="debugger .*not available in this build"):
        serving.run_simple("127.0.0.1", 0, _hello, use_debugger=True)


@pytest.mark.parametrize(
    ("host", "warns"),
    [
        ("127.0.0.1", False),
        ("127.0.0.2", False),
        ("localhost", False),
        ("dev.localhost", False),
        ("::1", False),
        ("0.0.0.0", True),
        ("::", True),
        ("192.168.1.4", True),
        ("example.com", True),
    ],
)
def test_debugger_wrapping_trusts_bound_host_and_warns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, host: str, warns: bool
) -> None:
    monkeypatch.setenv("WSGIKIT_DEBUG_PIN", "111-222-333")
    monkeypatch.delenv("WSGIKIT_RUN_MAIN", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    with caplog.at_level("INFO", logger="wsgikit"):
        debugged = serving._wrap_debugger(_hello, True, host, False)
    assert debugged.trusted_hosts[-1] == host
    assert "Debugger is active!" in caplog.text
    assert "Debugger PIN: 111-222-333" in caplog.text
    assert ("not a loopback address" in caplog.text) is warns


def test_adhoc_without_cryptography(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("cryptography", "cryptography.x509", "cryptography.hazmat.primitives"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(TypeError, match="requires the cryptography library"):
        serving.generate_adhoc_ssl_context()
    with pytest.raises(TypeError, match="cryptography"):
        serving.make_ssl_devcert("/nonexistent/x")


def test_load_ssl_context(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    cert, key = serving.make_ssl_devcert(str(tmp_path / "c"), cn="example")
    ctx = serving.load_ssl_context(cert, key)
    assert isinstance(ctx, ssl.SSLContext)
    assert serving.generate_adhoc_ssl_pair(cn="x")[0].subject.rfc4514_string() == "CN=x,O=Dummy Certificate"


@pytest.mark.parametrize(
    ("host", "family"),
    [
        ("127.0.0.1", socket.AF_INET),
        ("localhost", socket.AF_INET),
        ("::1", socket.AF_INET6),
        ("unix:///tmp/x.sock", socket.AF_UNIX),
    ],
)
def test_select_address_family(host: str, family: int) -> None:
    assert serving.select_address_family(host, 0) == family


def test_get_sockaddr() -> None:
    assert serving.get_sockaddr("127.0.0.1", 80, socket.AF_INET) == ("127.0.0.1", 80)
    assert serving.get_sockaddr("unix:///tmp/a.sock", 0, socket.AF_UNIX) == "/tmp/a.sock"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, False), ({"WSGIKIT_RUN_MAIN": "true"}, True), ({"WERKZEUG_RUN_MAIN": "true"}, True), ({"WSGIKIT_RUN_MAIN": "1"}, False)],
)
def test_is_running_from_reloader(monkeypatch: pytest.MonkeyPatch, env: dict, expected: bool) -> None:
    monkeypatch.delenv("WSGIKIT_RUN_MAIN", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert serving.is_running_from_reloader() is expected


def test_is_ssl_error() -> None:
    assert serving.is_ssl_error(ssl.SSLError())
    assert not serving.is_ssl_error(ValueError())


@pytest.mark.parametrize(
    ("raw", "body"),
    [(b"3\r\nabc\r\n0\r\n\r\n", b"abc"), (b"0\r\n\r\n", b""), (b"1\r\na\r\n2\r\nbc\r\n0\r\n\r\n", b"abc")],
)
def test_dechunked_input(raw: bytes, body: bytes) -> None:
    import io

    assert serving.DechunkedInput(io.BufferedReader(io.BytesIO(raw))).read() == body  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [b"zz\r\n", b"3\r\nab"])
def test_dechunked_input_errors(raw: bytes) -> None:
    import io

    with pytest.raises(OSError):
        serving.DechunkedInput(io.BufferedReader(io.BytesIO(raw))).read()  # type: ignore[arg-type]
