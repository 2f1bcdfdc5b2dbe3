"""wsgikit.wsgi and the IO-free helpers in wsgikit.sansio.utils."""

from __future__ import annotations

import io
import typing as t

import pytest

from wsgikit.exceptions import ClientDisconnected
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.exceptions import SecurityError
from wsgikit.sansio import utils as sansio_utils
from wsgikit.wsgi import _get_server
from wsgikit.wsgi import _RangeWrapper
from wsgikit.wsgi import ClosingIterator
from wsgikit.wsgi import extract_path_info
from wsgikit.wsgi import FileWrapper
from wsgikit.wsgi import get_content_length
from wsgikit.wsgi import get_current_url
from wsgikit.wsgi import get_host
from wsgikit.wsgi import get_input_stream
from wsgikit.wsgi import get_path_info
from wsgikit.wsgi import host_is_trusted
from wsgikit.wsgi import LimitedStream
from wsgikit.wsgi import peek_path_info
from wsgikit.wsgi import pop_path_info
from wsgikit.wsgi import responder
from wsgikit.wsgi import wrap_file

# -- get_host ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "host_header", "server", "expected"),
    [
        ("http", "example.org", None, "example.org"),
        ("http", "example.org:80", None, "example.org"),
        ("https", "example.org:443", None, "example.org"),
        ("http", "example.org:443", None, "example.org:443"),
        ("https", "example.org:80", None, "example.org:80"),
        ("ws", "example.org:80", None, "example.org"),
        ("wss", "example.org:443", None, "example.org"),
        ("ftp", "a.com:21", None, "a.com:21"),
        ("HTTP", "a:80", None, "a:80"),
        ("http", None, ("srv", 80), "srv"),
        ("http", None, ("srv", 8080), "srv:8080"),
        ("https", None, ("srv", 443), "srv"),
        ("https", None, ("srv", 80), "srv:80"),
        ("http", None, ("srv", None), ""),
        ("http", None, None, ""),
        ("http", "", ("srv", 81), ""),
        ("http", None, ("::1", 80), "[::1]"),
        ("http", None, ("::1", 81), "[::1]:81"),
        ("http", None, ("[::1]", 8080), "[::1]:8080"),
        ("http", "[::1]:80", None, "[::1]"),
        ("http", "[::1]", None, "[::1]"),
        ("http", "[::ffff:1.2.3.4]", None, "[::ffff:1.2.3.4]"),
        ("http", "[::1]:80:80", None, "[::1]:80"),
        ("http", "a:80:80", None, "a:80"),
        ("http", "EXAMPLE.org", None, "EXAMPLE.org"),
        ("http", "ex.org.", None, "ex.org."),
        ("http", "1.2.3.4:8000", None, "1.2.3.4:8000"),
        ("http", "h:1", None, "h:1"),
        ("http", "h:65535", None, "h:65535"),
        ("http", "[::1]:8080", None, "[::1]:8080"),
        ("http", "-x", None, "-x"),
        ("http", ".", None, "."),
        # malformed hosts give "" so they never reach a URL
        ("http", "bad host", None, ""),
        ("http", "a\x00b", None, ""),
        ("http", "::1", None, ""),
        ("http", "a_b.com", None, ""),
        ("http", "é.com", None, ""),
        ("http", "h:abc", None, ""),
        ("http", "h:", None, ""),
        ("http", "h:80:", None, ""),
        ("http", "h/../x", None, ""),
        ("http", "h\r\nX", None, ""),
        ("http", "h@evil", None, ""),
        ("http", "a:+1", None, ""),
        ("http", "a:\u0663", None, ""),
        ("http", "a\n", None, ""),
        ("http", "[]", None, ""),
        ("http", "[:]", None, ""),
        ("http", "[a:]", None, ""),
        ("http", "[::g]", None, ""),
        ("http", "[1.2.3.4]", None, ""),
        ("http", "[::1", None, ""),
        ("http", "[::1]x", None, ""),
        ("http", "[::1]:", None, ""),
        ("http", None, ("a b", 80), ""),
        # a port is 1-65535 without leading zeros (Werkzeug's host port check)
        ("http", "h:080", None, ""),
        ("http", "h:00", None, ""),
        ("http", "h:0", None, ""),
        ("http", "h:65536", None, ""),
        ("http", "h:99999999999", None, ""),
        ("http", "[::1]:0", None, ""),
        ("http", "[::1]:08", None, ""),
        ("http", None, ("a", 0), ""),
        ("http", None, ("a", 65536), ""),
    ],
)
def test_get_host(scheme: str, host_header: str | None, server: t.Any, expected: str) -> None:
    assert sansio_utils.get_host(scheme, host_header, server) == expected


@pytest.mark.parametrize(
    ("hostname", "trusted", "expected"),
    [
        ("a.com", ["a.com"], True),
        ("A.COM", ["a.com"], False),
        ("a.com", ["A.com"], False),
        ("a.com:80", ["a.com"], True),
        ("a.com:8080", ["a.com"], True),
        ("a.com:0", ["a.com"], False),
        ("a.com:080", ["a.com"], False),
        ("a.com:65536", ["a.com"], False),
        ("a.com", ["a.com:8080"], True),
        ("b.a.com", [".a.com"], True),
        ("a.com", [".a.com"], True),
        ("ba.com", [".a.com"], False),
        ("b.a.com", ["a.com"], False),
        ("xn--n3h.com", ["☃.com"], True),
        ("☃.com", ["☃.com"], False),
        ("[::1]:80", ["[::1]"], True),
        ("[::1]", ["[::1]:80"], True),
        ("[::1]", ["::1"], False),
        ("[::2]", ["[::1]"], False),
        ("x.", ["."], True),
        ("a.com", ["."], False),
        ("a.com", "a.com", True),
        ("a", "abc", False),
        ("a.com", None, True),
        ("a.com", [], True),
        ("", [], False),
        (None, None, False),
        ("a b", None, False),
        ("a_b.com", ["a_b.com"], False),
        ("a.com:x", ["a.com"], False),
        ("a..b", ["a..b"], True),  # Werkzeug raises UnicodeError here
        ("a.com", ["a..b", "a.com"], True),
    ],
)
def test_host_is_trusted(hostname: str | None, trusted: t.Any, expected: bool) -> None:
    assert host_is_trusted(hostname, trusted) is expected


@pytest.mark.parametrize(
    ("host_header", "message"),
    [
        ("evil.com", "Host 'evil.com' is not trusted."),
        ("evil.com:80", "Host 'evil.com' is not trusted."),
        ("evil.com:8080", "Host 'evil.com:8080' is not trusted."),
        ("bad host", "Host 'bad host' is not trusted."),
        ("", "Host '' is not trusted."),
    ],
)
def test_get_host_untrusted(host_header: str, message: str) -> None:
    with pytest.raises(SecurityError) as info:
        sansio_utils.get_host("http", host_header, None, ["good.com"])
    assert info.value.code == 400
    assert info.value.description == message


def test_get_host_trusted_passes_and_empty_list_checks_nothing() -> None:
    assert sansio_utils.get_host("http", "good.com:80", None, ["good.com"]) == "good.com"
    assert sansio_utils.get_host("http", "good.com:81", None, ["good.com"]) == "good.com:81"
    assert sansio_utils.get_host("http", "", None, []) == ""
    # No host at all (no header, server without port) is not checked.
    assert sansio_utils.get_host("http", None, ("a", None), ["b"]) == ""


def test_host_validation_is_linear() -> None:
    # A long almost-valid host: a backtracking pattern would take forever.
    assert sansio_utils.get_host("http", "[" + "0:" * 200_000 + "g]", None) == ""
    assert sansio_utils.get_host("http", "a" * 400_000 + " ", None) == ""


# -- get_current_url ----------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "path", "query", "expected"),
    [
        (None, None, None, "http://h/"),
        ("", None, None, "http://h/"),
        ("", "", None, "http://h/"),
        ("/", "/", None, "http://h/"),
        ("/r/", "/p", b"", "http://h/r/p"),
        ("//r//", "//p", b"a", "http://h//r/p?a"),
        ("/r", "/a b", b"x=1", "http://h/r/a%20b?x=1"),
        ("", "é%C3%A9%ff%e9 x\x00\x7f", None, "http://h/éé%FF%E9%20x%00%7F"),
        ("", "", "é".encode(), "http://h/?é"),
        ("", "", b"a=\xff", "http://h/?a=%FF"),
        ("/r", "%2F%3F%23%25", None, "http://h/r/%2F%3F%23%25"),
        ("/r", "?#", b"a b#c?d", "http://h/r/%3F%23?a%20b%23c?d"),
        ("/r", "!$&'()*+,;=:@", None, "http://h/r/!$&'()*+,;=:@"),
        ("/r", "%zz%", None, "http://h/r/%zz%"),
        ("/é", None, None, "http://h/é/"),
        ("/r", "%e2%82%ac%ff", None, "http://h/r/€%FF"),
        # A root path without its slash does not run into the host.
        ("::", "", None, "http://h/::/"),
        ("x", "p", None, "http://h/x/p"),
    ],
)
def test_sansio_get_current_url(root: str | None, path: str | None, query: bytes | None, expected: str) -> None:
    assert sansio_utils.get_current_url("http", "h", root, path, query) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("h:8080", "http://h:8080/r/x"),
        ("[::1]:80", "http://[::1]:80/r/x"),
        ("xn--n3h.com", "http://☃.com/r/x"),
    ],
)
def test_sansio_get_current_url_hosts(host: str, expected: str) -> None:
    assert sansio_utils.get_current_url("http", host, "/r", "/x") == expected


_URL_ENVIRON = {
    "wsgi.url_scheme": "http",
    "HTTP_HOST": "h",
    "SCRIPT_NAME": "/r",
    "PATH_INFO": "/p",
    "QUERY_STRING": "a=1",
}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "http://h/r/p?a=1"),
        ({"root_only": True}, "http://h/r/"),
        ({"strip_querystring": True}, "http://h/r/p"),
        ({"host_only": True}, "http://h/"),
        ({"host_only": True, "root_only": True}, "http://h/"),
        ({"trusted_hosts": ["h"]}, "http://h/r/p?a=1"),
    ],
)
def test_get_current_url(kwargs: dict[str, t.Any], expected: str) -> None:
    assert get_current_url(_URL_ENVIRON, **kwargs) == expected


def test_get_current_url_native_strings_and_untrusted() -> None:
    environ = dict(_URL_ENVIRON, SCRIPT_NAME="/r\xc3\xa9", PATH_INFO="/p", QUERY_STRING="a=\xc3\xa9\xff")
    # Like Werkzeug, the environ strings are used as they are (no
    # latin-1/UTF-8 dance for the path); the query bytes are shown as an IRI.
    assert get_current_url(environ) == "http://h/rÃ©/p?a=é%FF"
    assert get_current_url({"wsgi.url_scheme": "http"}) == "http:///"
    with pytest.raises(SecurityError):
        get_current_url(_URL_ENVIRON, trusted_hosts=["other"])


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"SERVER_NAME": "x"}, ("x", None)),
        ({"SERVER_NAME": "x", "SERVER_PORT": "80"}, ("x", 80)),
        ({"SERVER_NAME": "x", "SERVER_PORT": "abc"}, ("x", None)),
        ({"SERVER_NAME": "x", "SERVER_PORT": ""}, ("x", None)),
        ({"SERVER_NAME": "x", "SERVER_PORT": " 81 "}, ("x", 81)),
        ({"SERVER_PORT": "81"}, None),
    ],
)
def test_get_server(environ: dict[str, str], expected: t.Any) -> None:
    assert _get_server(environ) == expected


def test_get_host_environ() -> None:
    assert get_host({"wsgi.url_scheme": "http", "HTTP_HOST": "h:80"}) == "h"
    assert get_host({"wsgi.url_scheme": "https", "SERVER_NAME": "s", "SERVER_PORT": "8443"}) == "s:8443"
    assert get_host({"wsgi.url_scheme": "http"}) == ""
    with pytest.raises(KeyError):
        get_host({})


# -- content length and input stream ---------------------------------------


@pytest.mark.parametrize(
    ("length", "transfer_encoding", "expected"),
    [
        (None, None, None),
        ("10", None, 10),
        (" 10 ", None, 10),
        ("0010", None, 10),
        ("0", None, 0),
        ("99999999999999999999", None, 99999999999999999999),
        ("+10", None, 0),
        ("-1", None, 0),
        ("1_0", None, 0),
        ("abc", None, 0),
        ("", None, 0),
        ("\u0661", None, 0),
        ("10 0", None, 0),
        ("1" * 5000, None, 0),
        ("10", "chunked", None),
        ("10", "Chunked", None),
        ("10", " CHUNKED", None),
        ("10", "gzip, chunked", None),
        ("10", ",chunked", None),
        ("10", "notchunked", 10),
        ("10", "chunkedx", 10),
        ("10", "identity", 10),
        ("10", "", 10),
        (None, "chunked", None),
    ],
)
def test_get_content_length(length: str | None, transfer_encoding: str | None, expected: int | None) -> None:
    assert sansio_utils.get_content_length(length, transfer_encoding) == expected
    environ = {}
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    if transfer_encoding is not None:
        environ["HTTP_TRANSFER_ENCODING"] = transfer_encoding
    assert get_content_length(environ) == expected


def test_get_content_length_ignores_header_style_key() -> None:
    assert get_content_length({"HTTP_CONTENT_LENGTH": "5"}) is None
    assert get_content_length({"CONTENT_LENGTH": "5", "wsgi.input_terminated": True}) == 5


def _input_environ(**extra: t.Any) -> tuple[dict[str, t.Any], io.BytesIO]:
    stream = io.BytesIO(b"abcdefgh")
    environ: dict[str, t.Any] = {"wsgi.input": stream}
    environ.update(extra)
    return environ, stream


@pytest.mark.parametrize(
    ("extra", "kwargs", "expected"),
    [
        # (is the raw stream, type, limit, is_max, data when not raw)
        ({}, {}, (False, "BytesIO", None, None, b"")),
        ({}, {"safe_fallback": False}, (True, "BytesIO", None, None, None)),
        ({"CONTENT_LENGTH": "4"}, {}, (False, "LimitedStream", 4, False, b"abcd")),
        ({"CONTENT_LENGTH": "4"}, {"max_content_length": 10}, (False, "LimitedStream", 4, False, b"abcd")),
        ({"CONTENT_LENGTH": "0"}, {}, (False, "LimitedStream", 0, False, b"")),
        ({"CONTENT_LENGTH": "x"}, {}, (False, "LimitedStream", 0, False, b"")),
        ({"wsgi.input_terminated": True}, {}, (True, "BytesIO", None, None, None)),
        ({"wsgi.input_terminated": False}, {}, (True, "BytesIO", None, None, None)),
        ({"wsgi.input_terminated": True, "CONTENT_LENGTH": "4"}, {}, (True, "BytesIO", None, None, None)),
        ({"wsgi.input_terminated": True}, {"max_content_length": 100}, (False, "LimitedStream", 100, True, b"abcdefgh")),
        ({"HTTP_TRANSFER_ENCODING": "chunked"}, {}, (False, "BytesIO", None, None, b"")),
        ({}, {"max_content_length": 5}, (False, "BytesIO", None, None, b"")),
    ],
)
def test_get_input_stream(extra: dict[str, t.Any], kwargs: dict[str, t.Any], expected: tuple[t.Any, ...]) -> None:
    environ, raw = _input_environ(**extra)
    stream = get_input_stream(environ, **kwargs)
    is_raw = stream is raw
    data = None if is_raw else stream.read()
    result = (is_raw, type(stream).__name__, getattr(stream, "limit", None), getattr(stream, "_limit_is_max", None), data)
    assert result == expected


@pytest.mark.parametrize(
    "extra",
    [{"CONTENT_LENGTH": "40"}, {"CONTENT_LENGTH": "40", "wsgi.input_terminated": True}],
)
def test_get_input_stream_too_large(extra: dict[str, str]) -> None:
    environ, _ = _input_environ(**extra)
    with pytest.raises(RequestEntityTooLarge):
        get_input_stream(environ, max_content_length=10)


def test_get_input_stream_terminated_over_max_is_413_when_read() -> None:
    environ, _ = _input_environ(**{"wsgi.input_terminated": True})
    stream = get_input_stream(environ, max_content_length=5)
    assert stream.read() == b"abcde"
    with pytest.raises(RequestEntityTooLarge):
        stream.read()


def test_get_path_info() -> None:
    assert get_path_info({"PATH_INFO": "/a\xc3\xa9\xff"}) == "/aé\ufffd"
    assert get_path_info({}) == ""


# -- LimitedStream ------------------------------------------------------------


class GuardedStream(io.RawIOBase):
    """A body of ``data`` followed by bytes that belong to someone else:
    reading them fails the test (a real socket would block there).
    """

    def __init__(self, data: bytes, trailing: bytes = b"NEXT REQUEST") -> None:
        self._data = data
        self._trailing = trailing
        self._pos = 0

    def readable(self) -> bool:
        return True

    def _take(self, size: int | None) -> bytes:
        remaining = len(self._data) - self._pos
        if size is None or size < 0 or size > remaining:
            if self._trailing:
                raise AssertionError(f"read past the body (asked {size}, {remaining} left)")
            size = remaining
        chunk = self._data[self._pos : self._pos + size]
        self._pos += len(chunk)
        return chunk

    def read(self, size: int | None = -1) -> bytes:
        return self._take(size)

    def readinto(self, buffer: t.Any) -> int:
        chunk = self._take(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def readline(self, size: int | None = -1) -> bytes:
        end = self._data.find(b"\n", self._pos)
        line_end = len(self._data) if end == -1 else end + 1
        want = line_end - self._pos
        if size is not None and size >= 0:
            want = min(want, size)
        if end == -1 and want == len(self._data) - self._pos and (size is None or size < 0 or size > want):
            # No newline before the end of the body: a socket would wait.
            return self._take(size)
        return self._take(want)


_BODY = b"abc\ndef\nghi"


@pytest.mark.parametrize(
    ("limit", "calls", "expected"),
    [
        (6, [("readline",), ("readline",), ("readline",)], [b"abc\n", b"de", b""]),
        (6, [("readlines",)], [[b"abc\n", b"de"]]),
        (6, [("read", 2), ("read",), ("read",), ("read", 1)], [b"ab", b"c\nde", b"", b""]),
        (6, [("read", -1)], [b"abc\nde"]),
        (6, [("read", None)], [b"abc\nde"]),
        (6, [("read", 100)], [b"abc\nde"]),
        (6, [("read", 0), ("tell",)], [b"", 0]),
        (6, [("readline", 2), ("readline", 10), ("readline", -1)], [b"ab", b"c\n", b"de"]),
        (6, [("readline", 0), ("tell",)], [b"", 0]),
        (6, [("readlines", 3)], [[b"abc\n"]]),
        (6, [("iter",)], [[b"abc\n", b"de"]]),
        (6, [("exhaust",), ("tell",), ("is_exhausted",), ("read",)], [b"abc\nde", 6, True, b""]),
        (6, [("exhaust",), ("exhaust",)], [b"abc\nde", b""]),
        (6, [("readinto", 4), ("tell",)], [(4, b"abc\n"), 4]),
        (0, [("read",), ("is_exhausted",), ("readline",)], [b"", True, b""]),
        (11, [("readall",)], [_BODY]),
    ],
)
def test_limited_stream(limit: int, calls: list[tuple[t.Any, ...]], expected: list[t.Any]) -> None:
    stream = LimitedStream(GuardedStream(_BODY[:limit]), limit)
    results: list[t.Any] = []
    for name, *args in calls:
        if name == "is_exhausted":
            results.append(stream.is_exhausted)
        elif name == "iter":
            results.append(list(stream))
        elif name == "readinto":
            buffer = bytearray(args[0])
            results.append((stream.readinto(buffer), bytes(buffer)))
        else:
            results.append(getattr(stream, name)(*args))
    assert results == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.read(),
        lambda s: (s.read(2), s.read(2), s.read(2)),
        lambda s: s.readline(),
        lambda s: s.readlines(),
        lambda s: s.exhaust(),
    ],
)
def test_limited_stream_disconnect(call: t.Callable[[LimitedStream], t.Any]) -> None:
    # The client promised 6 bytes and sent 3.
    stream = LimitedStream(io.BytesIO(b"abc"), 6)
    with pytest.raises(ClientDisconnected):
        call(stream)


@pytest.mark.parametrize("error", [OSError("reset"), ValueError("closed file")])
def test_limited_stream_inner_error_is_disconnect(error: Exception) -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            raise error

    with pytest.raises(ClientDisconnected):
        LimitedStream(Broken(), 5).read()


@pytest.mark.parametrize(
    ("data", "limit", "calls", "expected"),
    [
        # A short body is fine when the limit is only a maximum.
        (b"abc", 6, ["read", "read", "is_exhausted"], [b"abc", b"", False]),
        (b"abcdefgh", 6, ["read"], [b"abcdef"]),
        (b"abcdef", 6, ["read"], [b"abcdef"]),
        (b"abcdefgh", 6, ["readall"], [b"abcdef"]),
        (b"abcdefgh", 6, ["exhaust", "exhaust"], [b"abcdef", b""]),
        (b"abcde\n", 6, ["readline", "is_exhausted"], [b"abcde\n", True]),
    ],
)
def test_limited_stream_max(data: bytes, limit: int, calls: list[str], expected: list[t.Any]) -> None:
    stream = LimitedStream(io.BytesIO(data), limit, is_max=True)
    results = [stream.is_exhausted if name == "is_exhausted" else getattr(stream, name)() for name in calls]
    assert results == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda s: (s.read(), s.read()),
        lambda s: (s.read(6), s.read(1)),
        lambda s: (s.readall(), s.readall()),
        lambda s: s.readline(),  # the line runs on past the maximum
        lambda s: s.readline(100),
    ],
)
def test_limited_stream_max_exceeded(call: t.Callable[[LimitedStream], t.Any]) -> None:
    stream = LimitedStream(io.BytesIO(b"abcdefgh"), 6, is_max=True)
    with pytest.raises(RequestEntityTooLarge):
        call(stream)


def test_limited_stream_max_zero_and_sized_line() -> None:
    with pytest.raises(RequestEntityTooLarge):
        LimitedStream(io.BytesIO(b""), 0, is_max=True).read()
    assert LimitedStream(io.BytesIO(b"abcdefgh"), 6, is_max=True).readline(6) == b"abcdef"


def test_limited_stream_hooks_and_misc() -> None:
    stream = LimitedStream(io.BytesIO(b"abc"), 3)
    assert stream.readable() and not stream.seekable() and not stream.writable()
    assert stream.on_exhausted() is None
    with pytest.raises(ClientDisconnected):
        stream.on_disconnect(ValueError("x"))
    with pytest.raises(RequestEntityTooLarge):
        LimitedStream(io.BytesIO(b""), 3, is_max=True).on_exhausted()
    assert LimitedStream(io.BytesIO(b"abc"), -1).read() == b""


def test_limited_stream_overridable_disconnect() -> None:
    class Lenient(LimitedStream):
        def on_disconnect(self, error: Exception | None = None) -> None:
            pass

    assert Lenient(io.BytesIO(b"abc"), 10).read() == b"abc"
    assert Lenient(io.BytesIO(b"abc"), 10).readline() == b"abc"


def test_limited_stream_never_reads_past_limit_guarded() -> None:
    # GuardedStream raises if anything asks for bytes past the body.
    for reader in (
        lambda s: s.read(),
        lambda s: s.readlines(),
        lambda s: list(s),
        lambda s: s.exhaust(),
        lambda s: [s.read(3) for _ in range(10)],
        lambda s: [s.readline(4) for _ in range(10)],
    ):
        stream = LimitedStream(GuardedStream(_BODY), len(_BODY))
        reader(stream)
        assert stream.tell() == len(_BODY)


def test_limited_stream_plain_inner_without_readline() -> None:
    class Plain:
        def __init__(self) -> None:
            self.data = io.BytesIO(b"ab\ncdef")

        def read(self, size: int = -1) -> bytes:
            return self.data.read(size)

    stream = LimitedStream(Plain(), 5)  # type: ignore[arg-type]
    assert stream.readline() == b"ab\n"
    assert stream.readline() == b"cd"


def test_limited_stream_oversized_inner_read_is_truncated() -> None:
    class Greedy(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return b"x" * 100

    stream = LimitedStream(Greedy(), 5)
    assert stream.read(3) == b"xxx"
    assert stream.read() == b"xx"
    assert stream.tell() == 5


def test_limited_stream_large_body_linear() -> None:
    data = b"x" * 400_000 + b"\n" + b"y" * 400_000
    stream = LimitedStream(io.BytesIO(data), len(data))
    assert [len(line) for line in stream] == [400_001, 400_000]


# -- iterables ----------------------------------------------------------------


class _Body:
    def __init__(self, log: list[t.Any]) -> None:
        self.log = log

    def __iter__(self) -> t.Iterator[bytes]:
        return iter([b"a", b"b"])

    def close(self) -> None:
        self.log.append("body")


@pytest.mark.parametrize(
    ("make_callbacks", "expected_log"),
    [
        (lambda log: None, ["body"]),
        (lambda log: (lambda: log.append(1)), ["body", 1]),
        (lambda log: [lambda: log.append(1), lambda: log.append(2)], ["body", 1, 2]),
        (lambda log: (f for f in [lambda: log.append(1)]), ["body", 1]),
    ],
)
def test_closing_iterator(make_callbacks: t.Callable[[list[t.Any]], t.Any], expected_log: list[t.Any]) -> None:
    log: list[t.Any] = []
    iterator = ClosingIterator(_Body(log), make_callbacks(log))
    assert iter(iterator) is iterator
    assert list(iterator) == [b"a", b"b"]
    assert log == []
    iterator.close()
    assert log == expected_log


def test_closing_iterator_plain_iterable() -> None:
    iterator = ClosingIterator([b"x"])
    assert list(iterator) == [b"x"]
    iterator.close()


def test_file_wrapper() -> None:
    wrapper = FileWrapper(io.BytesIO(b"0123456789"), 4)
    assert list(wrapper) == [b"0123", b"4567", b"89"]
    assert wrapper.seekable() and wrapper.tell() == 10
    wrapper.seek(2)
    assert list(wrapper) == [b"2345", b"6789"]
    wrapper.close()
    assert wrapper.file.closed

    class NoSeek:
        def read(self, size: int) -> bytes:
            return b""

    plain = FileWrapper(NoSeek())  # type: ignore[arg-type]
    assert (list(plain), plain.seekable(), plain.tell(), plain.seek(0), plain.close()) == ([], False, None, None, None)


def test_wrap_file() -> None:
    assert isinstance(wrap_file({}, io.BytesIO(b"x")), FileWrapper)
    environ = {"wsgi.file_wrapper": lambda f, size: ("server", size)}
    assert wrap_file(environ, io.BytesIO(b"x"), 10) == ("server", 10)


@pytest.mark.parametrize(
    ("source", "start", "length", "expected"),
    [
        (lambda: io.BytesIO(b"0123456789"), 2, 5, [b"23456"]),
        (lambda: io.BytesIO(b"0123456789"), 0, None, [b"0123456789"]),
        (lambda: [b"012", b"345", b"6789"], 2, 5, [b"2", b"345", b"6"]),
        (lambda: [b"012", b"345", b"6789"], 2, None, [b"2", b"345", b"6789"]),
        (lambda: iter([b"012", b"345", b"6789"]), 4, 1, [b"4"]),
        (lambda: iter([b"012", b"345", b"6789"]), 40, 1, []),
        (lambda: [b"012", b"345"], 3, 0, []),
        (lambda: [], 0, 5, []),
        # An empty chunk is not the end (Werkzeug stops there).
        (lambda: iter([b"01", b"", b"2345"]), 1, 3, [b"1", b"23"]),
        (lambda: FileWrapper(io.BytesIO(b"0123456789"), 3), 4, 4, [b"456", b"7"]),
    ],
)
def test_range_wrapper(source: t.Callable[[], t.Any], start: int, length: int | None, expected: list[bytes]) -> None:
    wrapper = _RangeWrapper(source(), start, length)
    assert list(wrapper) == expected
    assert wrapper.end_reached


def test_range_wrapper_close() -> None:
    file = io.BytesIO(b"abc")
    _RangeWrapper(file, 1, 1).close()
    assert file.closed


def test_responder() -> None:
    @responder
    def app(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        """Docs."""
        return lambda e, s: [e["x"], s]

    assert app({"x": 1}, 2) == [1, 2]
    assert app.__name__ == "app" and app.__doc__ == "Docs."


# -- path info helpers (Werkzeug 0.8 names) ----------------------------------


@pytest.mark.parametrize(
    ("script", "path", "popped", "new_script", "new_path"),
    [
        ("/foo", "/a/b", "a", "/foo/a", "/b"),
        ("/foo", "/a", "a", "/foo/a", ""),
        ("", "//a///b", "a", "//a", "///b"),
        ("/x", "/caf\xc3\xa9/z", "café", "/x/caf\xc3\xa9", "/z"),
        ("/x", "/\xff/z", "\ufffd", "/x/\xff", "/z"),
    ],
)
def test_pop_path_info(script: str, path: str, popped: str, new_script: str, new_path: str) -> None:
    environ = {"SCRIPT_NAME": script, "PATH_INFO": path}
    assert peek_path_info(environ) == popped
    assert pop_path_info(environ) == popped
    assert environ == {"SCRIPT_NAME": new_script, "PATH_INFO": new_path}
    # Nothing is lost: the full path is the same.
    assert environ["SCRIPT_NAME"] + environ["PATH_INFO"] == script + path


def test_pop_path_info_empty() -> None:
    environ = {"SCRIPT_NAME": "/foo", "PATH_INFO": ""}
    assert pop_path_info(environ) is None
    assert pop_path_info({}) is None
    assert peek_path_info({}) == ""
    assert environ == {"SCRIPT_NAME": "/foo", "PATH_INFO": ""}


@pytest.mark.parametrize(
    ("base", "url", "kwargs", "expected"),
    [
        ("http://example.com/app", "/app/hello", {}, "/hello"),
        ("http://example.com/app", "https://example.com/app/hello", {}, "/hello"),
        ("http://example.com/app", "https://example.com/app/hello", {"collapse_http_schemes": False}, None),
        ("http://example.com/app/", "http://example.com/app/hello", {}, "/hello"),
        ("http://example.com/app/", "http://example.com/app", {}, "/"),
        ("http://example.com/app/", "https://example.com/a/hello", {}, None),
        ("http://example.com/app", "/application", {}, None),
        ("http://example.com/app", "http://other.com/app/x", {}, None),
        ("http://example.com:80/app", "http://example.com/app/x", {}, "/x"),
        ("http://example.com/app", "ftp://example.com/app/x", {}, None),
        ("http://☃.net/", "/fööbär", {}, "/fööbär"),
        ("http://☃.net/x", "http://xn--n3h.net/x/f%C3%B6%C3%B6b%C3%A4r", {}, "/fööbär"),
        ("http://[::1]:80/x", "http://[::1]/x/y", {}, "/y"),
    ],
)
def test_extract_path_info(base: str, url: str, kwargs: dict[str, t.Any], expected: str | None) -> None:
    assert extract_path_info(base, url, **kwargs) == expected


def test_extract_path_info_environ() -> None:
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "example.com", "SCRIPT_NAME": "/x", "PATH_INFO": "/"}
    assert extract_path_info(environ, "http://example.com/x/y") == "/y"
