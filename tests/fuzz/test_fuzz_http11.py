"""Differential fuzzing of the dev server's HTTP/1.1 request framing
(:mod:`wsgikit._http11`, driven the way :mod:`wsgikit.serving` drives it)
against a small reference model of RFC 9112 written here.

Streams of pipelined requests are generated from small alphabets that hit
the edge cases (bare CR/LF, odd chunk extensions, duplicate framing
headers, Host forms), optionally mutated byte by byte, cut into random
pieces and fed to both. They must agree on every request (method, target,
headers, body) and on how the stream ends (complete, incomplete, refused);
the implementation may only raise :class:`FramingError`.
"""

from __future__ import annotations

import ipaddress
import re
import typing as t

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit._http11 import CHUNKED
from wsgikit._http11 import LENGTH
from wsgikit._http11 import ChunkedDecoder
from wsgikit._http11 import FramingError
from wsgikit._http11 import HeadScanner
from wsgikit._http11 import body_framing
from wsgikit._http11 import parse_head
from wsgikit._http11 import request_host

pytestmark = pytest.mark.fuzz

#: Short in the default run, the profile's own count with --hypothesis-profile=long.
EXAMPLES = 60 if settings.default.max_examples <= 100 else settings.default.max_examples
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Request = tuple[str, str, str, tuple[tuple[str, str], ...], bytes]
Outcome = tuple[tuple[Request, ...], str]  # requests framed, then "end" / "incomplete" / "error"


# -- the implementation, driven as the server drives it --------------------------------


def impl_frame(stream: bytes, cuts: list[int]) -> Outcome:
    """Frame ``stream`` received in pieces ending at ``cuts``."""
    pieces = _pieces(stream, cuts)
    requests: list[Request] = []
    buf = b""
    try:
        while True:
            scanner = HeadScanner()
            end = scanner.scan(buf) if buf else -1
            while end < 0:
                if not pieces:
                    return tuple(requests), "incomplete" if buf else "end"
                buf += pieces.pop(0)
                end = scanner.scan(buf)
            head = parse_head(buf[: end - 4])
            buf = buf[end:]
            request_host(head)
            kind, length = body_framing(head.version, head.headers)
            if kind == LENGTH:
                while len(buf) < length:
                    if not pieces:
                        return tuple(requests), "incomplete"
                    buf += pieces.pop(0)
                body, buf = buf[:length], buf[length:]
            elif kind == CHUNKED:
                decoder = ChunkedDecoder()
                out = [decoder.feed(buf)] if buf else []
                while not decoder.done:
                    if not pieces:
                        return tuple(requests), "incomplete"
                    out.append(decoder.feed(pieces.pop(0)))
                body, buf = b"".join(out), decoder.leftover
            else:
                body = b""
            requests.append((head.method, head.target, head.version, tuple(head.headers), body))
    except FramingError as e:
        assert e.status in (400, 414, 431, 501, 505)
        return tuple(requests), "error"


def _pieces(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    return [stream[a:b] for a, b in zip(points, points[1:]) if b > a]


# -- the reference model (RFC 9112), written independently ----------------------------

_TCHARS = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_VCHAR_OR_OBS = frozenset(range(0x21, 0x7F)) | frozenset(range(0x80, 0x100))
_FIELD_CHARS = _VCHAR_OR_OBS | {0x20, 0x09}
_HEX = frozenset(b"0123456789abcdefABCDEF")
_REG_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+;=")
_NOT_IN_TRAILER = {
    "content-length", "transfer-encoding", "host", "content-type", "content-encoding", "authorization",
    "cookie", "expect", "connection", "te", "upgrade", "proxy-authorization",
}


class _Refused(Exception):
    pass


class _Short(Exception):
    pass


def _is_token(data: bytes) -> bool:
    return bool(data) and all(c in _TCHARS for c in data)


def _field(line: bytes) -> tuple[str, str]:
    name, colon, value = line.partition(b":")
    if not colon or not _is_token(name) or not all(c in _FIELD_CHARS for c in value):
        raise _Refused
    return name.decode("latin-1"), value.strip(b" \t").decode("latin-1")


def _host_ok(value: str) -> bool:
    """RFC 3986 ``uri-host [ ":" port ]``, restricted to what the generator
    makes: a reg-name (no pct-encoding; the comma left out, as a folded list
    of two hosts), or an IPv6 literal in brackets; port is 0-5 digits."""
    if value.startswith("["):
        literal, bracket, port = value[1:].partition("]")
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
        return bool(bracket) and (port == "" or re.fullmatch(r":[0-9]{0,5}", port) is not None)
    host, _, port = value.partition(":")
    return all(c in _REG_NAME_CHARS for c in host) and re.fullmatch(r"[0-9]{0,5}", port) is not None


def _chunk_line_ok(line: bytes) -> int:
    """Parse ``chunk-size [ chunk-ext ]`` by hand; return the size."""
    i = 0
    while i < len(line) and line[i] in _HEX:
        i += 1
    if i == 0 or i > 16:
        raise _Refused
    size = int(line[:i], 16)

    def skip_ws(j: int) -> int:
        while j < len(line) and line[j] in b" \t":
            j += 1
        return j

    def token(j: int) -> int:
        k = j
        while k < len(line) and line[k] in _TCHARS:
            k += 1
        if k == j:
            raise _Refused
        return k

    while i < len(line):
        i = skip_ws(i)
        if i >= len(line) or line[i] != ord(";"):
            raise _Refused
        i = token(skip_ws(i + 1))
        j = skip_ws(i)
        if j < len(line) and line[j] == ord("="):
            j = skip_ws(j + 1)
            if j < len(line) and line[j] == ord('"'):
                j += 1
                while True:
                    if j >= len(line):
                        raise _Refused
                    c = line[j]
                    if c == ord('"'):
                        j += 1
                        break
                    if c == ord("\\"):
                        if j + 1 >= len(line) or line[j + 1] not in _FIELD_CHARS:
                            raise _Refused
                        j += 2
                    elif c in _FIELD_CHARS:
                        j += 1
                    else:
                        raise _Refused
                i = j
            else:
                i = token(j)
    return size


def _line(buf: bytes, pos: int) -> tuple[bytes, int]:
    """A CRLF-terminated line at ``pos``; a bare LF refuses, a missing LF is short."""
    nl = buf.find(b"\n", pos)
    if nl < 0:
        raise _Short
    if nl == pos or buf[nl - 1] != 13:
        raise _Refused
    return buf[pos : nl - 1], nl + 1


def _model_chunked(buf: bytes, pos: int) -> tuple[bytes, int]:
    out = []
    while True:
        line, pos = _line(buf, pos)
        size = _chunk_line_ok(line)
        if size == 0:
            break
        if len(buf) - pos < size:
            raise _Short
        out.append(buf[pos : pos + size])
        pos += size
        rest = buf[pos : pos + 2]
        if rest != b"\r\n":
            # The server decides once it has the line or more than two bytes.
            if b"\n" in buf[pos:] or len(buf) - pos > 2:
                raise _Refused
            raise _Short
        pos += 2
    while True:
        line, pos = _line(buf, pos)
        if not line:
            return b"".join(out), pos
        name, _ = _field(line)
        if "\r" in line.decode("latin-1") or name.lower() in _NOT_IN_TRAILER:
            raise _Refused


def model_frame(stream: bytes) -> Outcome:
    requests: list[Request] = []
    pos = 0
    while True:
        if pos == len(stream):
            return tuple(requests), "end"
        rest = stream[pos:]
        end = rest.find(b"\r\n\r\n")
        if end < 0:
            if rest.startswith(b"\r\n") or re.search(rb"(?<!\r)\n", rest):
                return tuple(requests), "error"
            return tuple(requests), "incomplete"
        lines = rest[:end].split(b"\r\n")
        if any(b"\n" in line or b"\r" in line for line in lines):
            return tuple(requests), "error"
        match = re.fullmatch(rb"([^ ]+) ([^ ]+) (HTTP/1\.[01])", lines[0])
        if not match or not _is_token(match[1]) or not all(c in _VCHAR_OR_OBS for c in match[2]):
            return tuple(requests), "error"
        method, target, version = (g.decode("latin-1") for g in match.groups())
        try:
            headers = [_field(line) for line in lines[1:]]
        except _Refused:
            return tuple(requests), "error"
        headers = [(n, v) for n, v in headers if "_" not in n]
        hosts = [v for n, v in headers if n.lower() == "host"]
        if len(hosts) > 1 or (version == "HTTP/1.1" and not hosts) or (hosts and not _host_ok(hosts[0])):
            return tuple(requests), "error"
        lengths = [v for n, v in headers if n.lower() == "content-length"]
        codings = [v for n, v in headers if n.lower() == "transfer-encoding"]
        pos += end + 4
        try:
            if codings:
                listed = [c.strip(" \t").lower() for v in codings for c in v.split(",")]
                if lengths or version == "HTTP/1.0" or listed != ["chunked"]:
                    raise _Refused
                body, pos = _model_chunked(stream, pos)
            elif lengths:
                if len(lengths) > 1 or not re.fullmatch(r"[0-9]{1,18}", lengths[0]):
                    raise _Refused
                length = int(lengths[0])
                if len(stream) - pos < length:
                    raise _Short
                body, pos = stream[pos : pos + length], pos + length
            else:
                body = b""
        except _Refused:
            return tuple(requests), "error"
        except _Short:
            return tuple(requests), "incomplete"
        requests.append((method, target, version, tuple(headers), body))


# -- generation --------------------------------------------------------------------------

_methods = st.sampled_from(["GET", "POST", "PUT", "PURGE", "G(T", "", "get"])
_targets = st.sampled_from(["/", "/a?b=c", "*", "http://h/x", "/\xe9", "/a b", "/\x7f", "//x"])
_versions = st.sampled_from(["HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "http/1.1"])
_names = st.sampled_from(["X", "X-A", "x_y", "X A", "", "Content-Type", "A(b)"])
_values = st.text(alphabet="ab ;=\"\t\x01\x7f\xe9,", max_size=6)
_hosts = st.text(alphabet="ab1.-:, []", max_size=7)
_ext_atoms = st.sampled_from([";a", ";a=b", ' ; a = "q"', ";", ";a b", ';a="x', ";a=\"\\\"\"", "\t;b", ";a\rb", ";=", " "])


@st.composite
def requests_bytes(draw: st.DrawFn) -> bytes:
    version = draw(_versions)
    lines = [f"{draw(_methods)} {draw(_targets)} {version}"]
    for host in draw(st.lists(_hosts, max_size=2, min_size=0 if draw(st.booleans()) else 1)):
        lines.append(f"Host: {host}")
    for _ in range(draw(st.integers(0, 2))):
        lines.append(f"{draw(_names)}: {draw(_values)}")
    body = draw(st.binary(max_size=12))
    framing = draw(st.sampled_from(["none", "length", "length", "chunked", "chunked", "both", "bad-te", "two-cl"]))
    tail = b""
    if framing in ("length", "two-cl"):
        lines.append(f"Content-Length: {len(body)}")
        if framing == "two-cl":
            lines.append(f"Content-Length: {draw(st.sampled_from([len(body), len(body) + 1]))}")
        tail = body
    elif framing in ("chunked", "both", "bad-te"):
        te = "chunked" if framing != "bad-te" else draw(st.sampled_from(["gzip, chunked", "chunked, chunked", "identity", "chunked,"]))
        lines.append(f"Transfer-Encoding: {te}")
        if framing == "both":
            lines.append("Content-Length: 3")
        sizes = draw(st.lists(st.integers(1, 5), max_size=3))
        out = b""
        for size in sizes:
            piece = body[:size]
            body = body[size:]
            if not piece:
                break
            ext = "".join(draw(st.lists(_ext_atoms, max_size=2)))
            out += f"{len(piece):x}{ext}\r\n".encode("latin-1") + piece + b"\r\n"
        out += b"0\r\n"
        for _ in range(draw(st.integers(0, 2))):
            out += f"{draw(st.sampled_from(['X', 'Content-Length', 'Host', 'X a']))}: {draw(_values)}\r\n".encode("latin-1")
        tail = out + b"\r\n"
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + tail


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    stream = b"".join(draw(st.lists(requests_bytes(), min_size=1, max_size=3)))
    for _ in range(draw(st.integers(0, 2))):
        if not stream:
            break
        i = draw(st.integers(0, len(stream) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        byte = draw(st.sampled_from([b"\r", b"\n", b"\x00", b" ", b";", b":", b"a", b"0", b'"']))
        if op == "insert":
            stream = stream[:i] + byte + stream[i:]
        elif op == "delete":
            stream = stream[:i] + stream[i + 1 :]
        elif op == "replace":
            stream = stream[:i] + byte + stream[i + 1 :]
        else:
            stream = stream[:i]
    return stream


@FUZZ
@given(streams(), st.lists(st.integers(0, 1 << 16), max_size=8))
def test_framing_agrees_with_reference_model(stream: bytes, cuts: list[int]) -> None:
    assert impl_frame(stream, cuts) == model_frame(stream)


@FUZZ
@given(st.binary(max_size=300), st.lists(st.integers(0, 1 << 16), max_size=8))
def test_random_bytes_only_framing_errors(stream: bytes, cuts: list[int]) -> None:
    outcome = impl_frame(stream, cuts)
    # However it is cut into pieces, the stream frames the same way.
    assert impl_frame(stream, []) == outcome


@FUZZ
@given(st.binary(max_size=200), st.lists(st.integers(0, 1 << 10), max_size=6))
def test_random_chunked_bodies(body: bytes, cuts: list[int]) -> None:
    head = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert impl_frame(head + body, cuts) == model_frame(head + body)


# -- linear growth -------------------------------------------------------------------


ADVERSARIAL_HEADS: dict[str, t.Callable[[int], bytes]] = {
    "many-headers-pieces": lambda n: b"GET / HTTP/1.1\r\n" + b"X: 1\r\n" * 90 + b"Y: " + b"a" * n,
    "long-value": lambda n: b"GET / HTTP/1.1\r\nHost: h\r\nX: " + b"a \t" * (n // 3) + b"\r\n\r\n",
    "cr-runs": lambda n: b"GET / HTTP/1.1\r\nX: " + b"\r" * n,
}


def _scan_pieces(data: bytes) -> None:
    scanner = HeadScanner(max_header_bytes=1 << 30)
    buf = bytearray()
    for i in range(0, len(data), 512):
        buf += data[i : i + 512]
        try:
            if scanner.scan(buf) >= 0:
                parse_head(bytes(buf).partition(b"\r\n\r\n")[0])
                return
        except FramingError:
            return


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_HEADS))
def test_head_scanning_is_linear(name: str, linear) -> None:  # type: ignore[no-untyped-def]
    linear(ADVERSARIAL_HEADS[name], _scan_pieces, 4000)


def _decode_all(body: bytes) -> None:
    try:
        ChunkedDecoder().feed(body)
    except FramingError:
        pass


@pytest.mark.parametrize("ext", [b";a", b' ;a="' + b"\\\\" * 8, b";a=b", b'; a = "x"', b";" + b" " * 50])
def test_chunk_extensions_are_linear(ext: bytes, linear) -> None:  # type: ignore[no-untyped-def]
    # Many chunks, each with extensions up to the line limit.
    chunk = b"1" + (ext * 4000)[:4000] + b"\r\nx\r\n"
    linear(lambda n: chunk * (n // 200) + b"0\r\n\r\n", _decode_all, 2000)


def _feed_pieces(pieces: list[bytes]) -> None:
    decoder = ChunkedDecoder()
    for piece in pieces:
        decoder.feed(piece)
    assert decoder.done


def test_chunked_body_in_small_pieces_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    def make(n: int) -> list[bytes]:
        body = (b"3ff;a=b\r\n" + b"x" * 0x3FF + b"\r\n") * (n // 100) + b"0\r\n\r\n"
        return [body[i : i + 97] for i in range(0, len(body), 97)]

    linear(make, _feed_pieces, 2000)
