"""Table tests for the IO-free HTTP/1.1 framing in wsgikit._http11."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit._http11 import CHUNKED
from wsgikit._http11 import LENGTH
from wsgikit._http11 import NO_BODY
from wsgikit._http11 import ChunkedDecoder
from wsgikit._http11 import FramingError
from wsgikit._http11 import HeadScanner
from wsgikit._http11 import body_framing
from wsgikit._http11 import escape_for_log
from wsgikit._http11 import parse_head


def _status(func, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(FramingError) as info:
        func(*args)
    return info.value.status


@pytest.mark.parametrize(
    ("head", "method", "target", "version", "headers"),
    [
        (b"GET / HTTP/1.1", "GET", "/", "HTTP/1.1", []),
        (b"GET //evil.com/x HTTP/1.1\r\nHost: a", "GET", "//evil.com/x", "HTTP/1.1", [("Host", "a")]),
        (b"POST /p?q=1 HTTP/1.0\r\nA:  b \t", "POST", "/p?q=1", "HTTP/1.0", [("A", "b")]),
        (b"PURGE * HTTP/1.1\r\nX: a\tb", "PURGE", "*", "HTTP/1.1", [("X", "a\tb")]),
        (b"GET / HTTP/1.1\r\nX_Y: 1\r\nZ: 2", "GET", "/", "HTTP/1.1", [("Z", "2")]),
        (b"GET /\xe9 HTTP/1.1\r\nV: \xff", "GET", "/\xe9", "HTTP/1.1", [("V", "\xff")]),
        (b"GET / HTTP/1.1\r\nEmpty:", "GET", "/", "HTTP/1.1", [("Empty", "")]),
    ],
)
def test_parse_head_valid(head: bytes, method: str, target: str, version: str, headers: list) -> None:
    parsed = parse_head(head)
    assert (parsed.method, parsed.target, parsed.version, parsed.headers) == (method, target, version, headers)


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"GET / HTTP/1.1\nHost: a", 400),  # bare LF
        (b"GET / HTTP/1.1\r\nHost: a\nX: b", 400),
        (b"GET / HTTP/1.1\r\nX: a\x01b", 400),  # control char
        (b"GET / HTTP/1.1\r\nX: a\x7fb", 400),
        (b"GET / HTTP/1.1\r\nX: a\rb", 400),  # bare CR
        (b"GET / HTTP/1.1\r\nX: a\x00", 400),
        (b"GET / HTTP/1.1\r\n folded", 400),  # obs-fold
        (b"GET / HTTP/1.1\r\nX: 1\r\n\tfolded", 400),
        (b"GET / HTTP/1.1\r\nX : 1", 400),  # space before colon
        (b"GET / HTTP/1.1\r\nNoColon", 400),
        (b"GET / HTTP/1.1\r\n: novalue", 400),
        (b"GET / HTTP/1.1\r\nX(y): 1", 400),
        (b"GET / HTTP/2.0", 505),
        (b"GET / HTTP/1.2", 505),
        (b"GET / HTTP/1.1x", 400),
        (b"GET / http/1.1", 400),
        (b"GET /", 400),  # HTTP/0.9
        (b"GET  / HTTP/1.1", 400),  # double space
        (b"GET / HTTP/1.1 ", 400),
        (b"GE(T / HTTP/1.1", 400),
        (b"GET /a\x00b HTTP/1.1", 400),
        (b"GET /a\x7f HTTP/1.1", 400),
        (b"", 400),
        (b"GET " + b"a" * 70000 + b" HTTP/1.1", 414),
        (b"GET / HTTP/1.1" + b"\r\nX: 1" * 101, 431),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70000, 431),
    ],
)
def test_parse_head_refused(head: bytes, status: int) -> None:
    assert _status(parse_head, head) == status


def test_parse_head_hundred_headers_ok() -> None:
    assert len(parse_head(b"GET / HTTP/1.1" + b"\r\nX: 1" * 100).headers) == 100


@pytest.mark.parametrize(
    ("pieces", "end"),
    [
        ([b"GET / HTTP/1.1\r\n\r\n"], 18),
        ([b"GET / HTTP/1.1\r", b"\n", b"\r", b"\nrest"], 18),
        ([b"GET / HTTP/1.1\r\nA: b\r\n", b"\r\n"], 24),
    ],
)
def test_head_scanner_finds_end(pieces: list[bytes], end: int) -> None:
    scanner = HeadScanner()
    buf = b""
    results = []
    for piece in pieces:
        buf += piece
        results.append(scanner.scan(buf))
    assert results[:-1] == [-1] * (len(pieces) - 1)
    assert results[-1] == end


@pytest.mark.parametrize(
    ("pieces", "status"),
    [
        ([b"GET / HTTP/1.1\n"], 400),  # bare LF detected without waiting
        ([b"GET / HTTP/1.1\r", b"\nHost: x\n"], 400),
        ([b"\r\n"], 400),
        ([b"G" * 65537], 414),
        ([b"GET / HTTP/1.1\r\nX: " + b"a" * 65537], 431),
        ([b"GET / HTTP/1.1\r\n" + b"X: 1\r\n" * 101], 431),
    ],
)
def test_head_scanner_refuses_early(pieces: list[bytes], status: int) -> None:
    scanner = HeadScanner()
    buf = b""

    def feed() -> None:
        nonlocal buf
        for piece in pieces:
            buf += piece
            scanner.scan(buf)

    assert _status(feed) == status


def test_head_scanner_linear_on_large_input() -> None:
    # 100 header lines of 60 KiB arriving in small pieces: a rescanning
    # (quadratic) implementation would take visibly long here.
    scanner = HeadScanner(max_header_bytes=1 << 30)
    buf = bytearray(b"GET / HTTP/1.1\r\n")
    line = b"X: " + b"a" * 60000 + b"\r\n"
    for _ in range(99):
        for i in range(0, len(line), 4096):
            buf += line[i : i + 4096]
            assert scanner.scan(buf) == -1
    buf += b"\r\n"
    assert scanner.scan(buf) == len(buf)


@pytest.mark.parametrize(
    ("version", "headers", "expected"),
    [
        ("HTTP/1.1", [], (NO_BODY, 0)),
        ("HTTP/1.1", [("Content-Length", "0")], (NO_BODY, 0)),
        ("HTTP/1.1", [("Content-Length", "10")], (LENGTH, 10)),
        ("HTTP/1.1", [("content-length", "007")], (LENGTH, 7)),
        ("HTTP/1.1", [("Transfer-Encoding", "chunked")], (CHUNKED, 0)),
        ("HTTP/1.1", [("Transfer-Encoding", "Chunked")], (CHUNKED, 0)),
        ("HTTP/1.0", [("Content-Length", "3")], (LENGTH, 3)),
    ],
)
def test_body_framing(version: str, headers: list, expected: tuple) -> None:
    assert body_framing(version, headers) == expected


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ([("Transfer-Encoding", "chunked"), ("Content-Length", "3")], 400),
        ([("Content-Length", "3"), ("Content-Length", "3")], 400),
        ([("Content-Length", "3, 3")], 400),
        ([("Content-Length", "+10")], 400),
        ([("Content-Length", "-1")], 400),
        ([("Content-Length", "1a")], 400),
        ([("Content-Length", "0x10")], 400),
        ([("Content-Length", "")], 400),
        ([("Content-Length", "\xb2")], 400),  # superscript two: isdigit() but not ASCII
        ([("Content-Length", "1" * 30)], 400),
        ([("Transfer-Encoding", "gzip, chunked")], 501),
        ([("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")], 501),
        ([("Transfer-Encoding", "foo, chunked")], 501),
        ([("Transfer-Encoding", "chunked, gzip")], 400),
        ([("Transfer-Encoding", "gzip")], 400),
        ([("Transfer-Encoding", "chunked, chunked")], 400),
        ([("Transfer-Encoding", "chunked,")], 400),
        ([("Transfer-Encoding", "")], 400),
        ([("Transfer-Encoding", "chunked;q=1")], 400),
        ([("Transfer-Encoding", "x y, chunked")], 400),
    ],
)
def test_body_framing_refused(headers: list, status: int) -> None:
    assert _status(body_framing, "HTTP/1.1", headers) == status


def test_body_framing_te_in_http10_refused() -> None:
    assert _status(body_framing, "HTTP/1.0", [("Transfer-Encoding", "chunked")]) == 400


@pytest.mark.parametrize(
    ("raw", "body", "leftover"),
    [
        (b"3\r\nabc\r\n0\r\n\r\n", b"abc", b""),
        (b"3\r\nabc\r\n0\r\n\r\nGET /", b"abc", b"GET /"),
        (b"A\r\n0123456789\r\n0\r\n\r\n", b"0123456789", b""),
        (b"3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n", b"abc", b""),
        (b"0\r\n\r\n", b"", b""),
        (b"00003\r\nabc\r\n0\r\n\r\n", b"abc", b""),
    ],
)
def test_chunked_decoder(raw: bytes, body: bytes, leftover: bytes) -> None:
    # Whole, and one byte at a time.
    decoder = ChunkedDecoder()
    assert decoder.feed(raw) == body
    assert decoder.done and decoder.leftover == leftover
    decoder = ChunkedDecoder()
    out = b"".join(decoder.feed(raw[i : i + 1]) for i in range(len(raw)))
    assert out == body and decoder.done and decoder.leftover == leftover


@pytest.mark.parametrize(
    "raw",
    [
        b"zz\r\n",
        b"-1\r\n",
        b"+1\r\na\r\n",
        b"\r\n",
        b"3\nabc",
        b"3\r\nabcd\r\n",
        b"3\r\nabc\n0\r\n",
        b"11111111111111111\r\n",  # 17 hex digits
        b"1" * 5000,
        b"0\r\nbad trailer\r\n\r\n",
        b"0\r\nX: \x01\r\n\r\n",
    ],
)
def test_chunked_decoder_refused(raw: bytes) -> None:
    assert _status(ChunkedDecoder().feed, raw) == 400


def test_chunked_decoder_incomplete_is_not_done() -> None:
    decoder = ChunkedDecoder()
    assert decoder.feed(b"5\r\nab") == b"ab"
    assert not decoder.done
    assert decoder.feed(b"cde\r\n0\r\n") == b"cde"
    assert not decoder.done
    decoder.feed(b"\r\n")
    assert decoder.done


@given(st.lists(st.binary(min_size=1, max_size=50), max_size=8), st.integers(1, 7))
def test_chunked_round_trip(chunks: list[bytes], step: int) -> None:
    raw = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\nNEXT"
    decoder = ChunkedDecoder()
    out = b"".join(decoder.feed(raw[i : i + step]) for i in range(0, len(raw), step))
    assert out == b"".join(chunks)
    assert decoder.done and decoder.leftover.endswith(b"NEXT") and b"NEXT".startswith(b"NEXT")
    assert decoder.leftover == b"NEXT"


def test_chunked_decoder_large_body_linear() -> None:
    raw = b"".join(b"1\r\nx\r\n" for _ in range(100000)) + b"0\r\n\r\n"
    decoder = ChunkedDecoder()
    assert len(decoder.feed(raw)) == 100000
    assert decoder.done


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET / HTTP/1.1", "GET / HTTP/1.1"),
        ("GET /\x1b[31m", "GET /\\x1b[31m"),
        ("a\nb\rc\x00", "a\\x0ab\\x0dc\\x00"),
        ("\x7f\x85\x9f\xa0", "\\x7f\\x85\\x9f\xa0"),
    ],
)
def test_escape_for_log(text: str, expected: str) -> None:
    assert escape_for_log(text) == expected
