"""Unit tests of the request handler's socket use (:mod:`wsgikit._serving_handler`
and :mod:`wsgikit._serving_input`), on a local socket pair: which timeout is
in force for each read, and that an unchanged timeout is not set again
(PERF: ``settimeout`` is a system call)."""

from __future__ import annotations

import socket
import types
import typing as t

import pytest

from wsgikit._http11 import LENGTH
from wsgikit._serving_input import _BodyInput
from wsgikit.serving import WSGIRequestHandler


class _RecordingSocket:
    """A socket that records every ``settimeout`` and the timeout in force
    at every ``recv``."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.set_calls: list[float | None] = []
        self.recv_timeouts: list[float | None] = []

    def settimeout(self, value: float | None) -> None:
        self.set_calls.append(value)
        self._sock.settimeout(value)

    def gettimeout(self) -> float | None:
        return self._sock.gettimeout()

    def recv(self, size: int) -> bytes:
        self.recv_timeouts.append(self._sock.gettimeout())
        return self._sock.recv(size)


class _Handler(WSGIRequestHandler):
    keep_alive_timeout = 5.0
    request_timeout = 30.0


@pytest.fixture
def pair() -> t.Iterator[tuple[_Handler, _RecordingSocket, socket.socket]]:
    server_side, client = socket.socketpair()
    recording = _RecordingSocket(server_side)
    # Not run through __init__ (that would serve the connection at once):
    # only what reading a head and a body uses.
    handler = _Handler.__new__(_Handler)
    handler.connection = recording  # type: ignore[assignment]  # duck-typed socket
    handler._buf = b""
    handler.server = types.SimpleNamespace(max_header_bytes=65536)  # type: ignore[assignment]  # what _read_head reads
    try:
        yield handler, recording, client
    finally:
        server_side.close()
        client.close()


def test_keep_alive_timeout_is_set_once_per_connection(
    pair: tuple[_Handler, _RecordingSocket, socket.socket],
) -> None:
    handler, recording, client = pair
    for path in ("/a", "/b", "/c"):
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        head = handler._read_head()
        assert head is not None and head.target == path
    assert recording.recv_timeouts == [5.0, 5.0, 5.0]
    assert recording.set_calls == [5.0]


def test_head_and_body_reads_each_use_their_timeout(
    pair: tuple[_Handler, _RecordingSocket, socket.socket],
) -> None:
    handler, recording, client = pair
    client.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n")
    assert handler._read_head() is not None
    body = _BodyInput(handler, LENGTH, 3, expect_continue=False)
    client.sendall(b"abc")
    assert body.read() == b"abc"
    client.sendall(b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
    head = handler._read_head()
    assert head is not None and head.target == "/b"
    # The idle wait before the next request is the keep-alive timeout
    # again, not the body's request timeout.
    assert recording.recv_timeouts == [5.0, 30.0, 5.0]
    assert recording.set_calls == [5.0, 30.0, 5.0]


def test_a_timeout_changed_from_outside_is_set_again(
    pair: tuple[_Handler, _RecordingSocket, socket.socket],
) -> None:
    # An application may change the socket's timeout through the environ's
    # ``werkzeug.socket``; the next head read must restore its own.
    handler, recording, client = pair
    client.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
    assert handler._read_head() is not None
    recording._sock.settimeout(0.5)
    client.sendall(b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
    assert handler._read_head() is not None
    assert recording.recv_timeouts == [5.0, 5.0]
