"""HTTP/1.1 request framing for the development server, free of IO.

Theory of operation: the server keeps the bytes it has received in one
buffer. :class:`HeadScanner` looks at that buffer after every ``recv`` and
says either "the head ends at offset N", "need more bytes", or raises
:class:`FramingError` as soon as the bytes seen so far can never become a
valid head (a bare LF, an over-long line, too many header lines), so a bad
client is answered at once instead of after a timeout. :func:`parse_head`
then turns the complete head into a :class:`RequestHead`, refusing anything
ambiguous. :func:`body_framing` decides from the headers how the body is
delimited (fixed length, chunked, or none), refusing every combination a
proxy in front of us could read differently (the classic smuggling vectors).
:class:`ChunkedDecoder` is a small state machine fed raw bytes that yields
decoded body bytes and says where the body ended, so the bytes after it are
the next request. Everything here takes bytes and returns plain values;
the socket work lives in :mod:`wsgikit.serving`.
"""

from __future__ import annotations

import ipaddress
import re

#: Longest request line accepted; longer gets 414.
MAX_REQUEST_LINE = 65536
#: Longest header line accepted; longer gets 431.
MAX_HEADER_LINE = 65536
#: Most header lines accepted; more gets 431.
MAX_HEADERS = 100
#: Longest chunk-size line (size plus extensions) accepted in a chunked body.
MAX_CHUNK_LINE = 4096
#: Most bytes of trailer section accepted after the last chunk.
MAX_TRAILER = 65536
#: Default for the most bytes of header section (every header line after
#: the request line, CRLFs included) accepted in one request; more gets
#: 431. The server's ``max_header_bytes`` overrides it.
MAX_HEADER_BYTES = 65536

# PERF: single-quantifier patterns, compiled once; linear on any input.
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET_BAD_RE = re.compile(r"[\x00-\x20\x7f]")
_VALUE_BAD_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_HEX_RE = re.compile(r"[0-9A-Fa-f]{1,16}")
# RFC 9112 section 7.1.1: chunk-size *( BWS ";" BWS name [ BWS "=" BWS
# ( token / quoted-string ) ] ). Every repetition must consume a ";" and the
# alternatives start with disjoint characters, so matching never backtracks
# more than a constant; the line is also capped at MAX_CHUNK_LINE.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
_CHUNK_LINE_RE = re.compile(
    rf"([0-9A-Fa-f]{{1,16}})(?:[ \t]*;[ \t]*{_TOKEN}(?:[ \t]*=[ \t]*(?:{_TOKEN}|{_QUOTED}))?)*"
)
# RFC 3986 host: IP-literal / IPv4address / reg-name. The comma (a sub-delim)
# is left out so "a.com, b.com" (two Host values folded) is refused.
_REG_NAME_RE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+;=]|%[0-9A-Fa-f]{2})*")
_IPVFUTURE_RE = re.compile(r"[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")
_PORT_RE = re.compile(r"[0-9]{0,5}")
#: Fields that must never come in a trailer section: they frame, route or
#: authenticate the request, and a server must not act on them late.
_FORBIDDEN_TRAILERS = frozenset(
    {"content-length", "transfer-encoding", "host", "content-type", "content-encoding",
     "authorization", "cookie", "expect", "connection", "te", "upgrade", "proxy-authorization"}
)

# PERF: the methods nearly every request uses skip the token regex.
_COMMON_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
#: Transfer codings that exist but that this server does not decode.
_UNSUPPORTED_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "compress", "x-compress", "identity"})


class FramingError(Exception):
    """The request cannot be framed; answer ``status`` and close.

    :param status: the HTTP status code to answer with (400, 414, 431, 501, 505).
    :param reason: a short human readable explanation, sent as the body.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(status, reason)
        #: The HTTP status code to answer with.
        self.status = status
        #: Why the request was refused.
        self.reason = reason


class RequestHead:
    """A parsed request line and header section."""

    __slots__ = ("method", "target", "version", "headers")

    def __init__(self, method: str, target: str, version: str, headers: list[tuple[str, str]]) -> None:
        #: The request method, e.g. ``"GET"``.
        self.method = method
        #: The request target exactly as sent (origin-form, absolute-form, ...).
        self.target = target
        #: ``"HTTP/1.1"`` or ``"HTTP/1.0"``.
        self.version = version
        #: Header (name, value) pairs in order; names as sent, values stripped.
        #: Names containing ``_`` are already dropped.
        self.headers = headers

    @property
    def request_line(self) -> str:
        """The request line as it would be logged."""
        return f"{self.method} {self.target} {self.version}"


class HeadScanner:
    """Find the end of a request head in a growing buffer, incrementally.

    Call :meth:`scan` with the whole buffer after each receive. Work done on
    earlier calls is not repeated, so scanning is linear in the head size.
    """

    __slots__ = ("_seen", "_lines", "max_header_bytes")

    def __init__(self, max_header_bytes: int = MAX_HEADER_BYTES) -> None:
        self._seen = 0
        self._lines = 0
        #: Most bytes of header section (after the request line) accepted.
        self.max_header_bytes = max_header_bytes

    def scan(self, buf: bytes | bytearray) -> int:
        """Return the offset just past the blank line ending the head, or -1
        when more bytes are needed.

        :raises FramingError: the bytes so far can never form a valid head.
        """
        seen = self._seen
        # PERF: the usual case, a whole head in the first packet, is one find.
        end = buf.find(b"\r\n\r\n", max(seen - 3, 0))
        if end >= 0:
            self._check_section_size(buf, end + 2)
            return end + 4
        if seen < 2 and buf[:2] == b"\r\n":
            # A head cannot start with a blank line; the line scan below
            # would otherwise see CRLF as an empty header section. (Checked
            # until two bytes were seen, so a CR and LF arriving in separate
            # packets are refused as early; found by tests/fuzz.)
            raise FramingError(400, "Empty request line.")
        # Count LFs and CRLFs in the new bytes only: a difference is a bare LF.
        new_lf = buf.count(b"\n", seen)
        if new_lf != buf.count(b"\r\n", max(seen - 1, 0)):
            raise FramingError(400, "Line endings must be CRLF.")
        self._lines += new_lf
        self._seen = len(buf)
        last = buf.rfind(b"\n")
        partial = len(buf) - last - 1
        if last < 0:
            if partial > MAX_REQUEST_LINE:
                raise FramingError(414, "Request line too long.")
        elif partial > MAX_HEADER_LINE:
            raise FramingError(431, "Header line too long.")
        if self._lines > MAX_HEADERS + 1:
            raise FramingError(431, "Too many headers.")
        if last >= 0:
            self._check_section_size(buf, len(buf))
        return -1

    def _check_section_size(self, buf: bytes | bytearray, end: int) -> None:
        """Refuse a header section (request line excluded) over the limit."""
        if end > self.max_header_bytes:
            first = buf.find(b"\n")
            if first >= 0 and end - first - 1 > self.max_header_bytes:
                raise FramingError(431, "Request header section too large.")


def parse_head(head: bytes | bytearray) -> RequestHead:
    """Parse a complete head (request line and headers, without the final
    blank line) strictly.

    Deliberately long: it is the per-request hot path, kept in one frame.

    :raises FramingError: for anything that is not unambiguous HTTP/1.x.
    """
    text = head.decode("latin-1")
    lines = text.split("\r\n")
    if text.count("\n") != len(lines) - 1:
        raise FramingError(400, "Line endings must be CRLF.")
    request_line = lines[0]
    if len(request_line) > MAX_REQUEST_LINE:
        raise FramingError(414, "Request line too long.")
    if len(lines) - 1 > MAX_HEADERS:
        raise FramingError(431, "Too many headers.")
    method, target, version = _split_request_line(request_line)
    headers: list[tuple[str, str]] = []
    append = headers.append
    for line in lines[1:]:
        if len(line) > MAX_HEADER_LINE:
            raise FramingError(431, "Header line too long.")
        name, colon, value = line.partition(":")
        if not colon:
            raise FramingError(400, "Header line without a colon.")
        if _TOKEN_RE.fullmatch(name) is None:
            # Also catches obs-fold (leading whitespace) and "Name : value".
            raise FramingError(400, "Invalid header name.")
        value = value.strip(" \t")
        if _VALUE_BAD_RE.search(value) is not None:
            raise FramingError(400, "Control character in header value.")
        if "_" in name:
            # "X_Foo" and "X-Foo" both become HTTP_X_FOO; drop the ambiguous
            # form so a proxy-set header cannot be spoofed.
            continue
        append((name, value))
    return RequestHead(method, target, version, headers)


def _split_request_line(line: str) -> tuple[str, str, str]:
    """Split and validate ``METHOD SP target SP HTTP/x.y``."""
    method, _, rest = line.partition(" ")
    target, _, version = rest.partition(" ")
    if method not in _COMMON_METHODS and _TOKEN_RE.fullmatch(method) is None:
        raise FramingError(400, "Invalid request method.")
    if not target or _TARGET_BAD_RE.search(target) is not None:
        raise FramingError(400, "Invalid request target.")
    if version != "HTTP/1.1" and version != "HTTP/1.0":
        if (
            len(version) == 8
            and version.startswith("HTTP/")
            and version[5].isdigit()
            and version[6] == "."
            and version[7].isdigit()
            and version.isascii()
        ):
            raise FramingError(505, "HTTP version not supported.")
        raise FramingError(400, "Invalid HTTP version.")
    return method, target, version


def request_host(head: RequestHead) -> str | None:
    """Check the request's ``Host`` as RFC 9112 section 3.2 asks and return
    the authority the request is for: the absolute-form target's when the
    target has one (it overrides ``Host``), else the ``Host`` value, else
    ``None`` (an HTTP/1.0 request without ``Host``).

    :raises FramingError: 400 for a missing ``Host`` in HTTP/1.1, more than
        one ``Host`` field, or a value that is not ``uri-host[:port]``.
    """
    hosts = [value for name, value in head.headers if len(name) == 4 and name.lower() == "host"]
    if len(hosts) > 1:
        raise FramingError(400, "More than one Host header.")
    if not hosts and head.version == "HTTP/1.1":
        raise FramingError(400, "Missing Host header.")
    host = hosts[0] if hosts else None
    if host is not None and not _is_authority(host):
        raise FramingError(400, "Invalid Host header.")
    target = head.target
    if target[0] != "/" and "://" in target:
        scheme, _, rest = target.partition("://")
        authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if scheme.lower() not in ("http", "https") or "@" in authority or not authority:
            raise FramingError(400, "Invalid request target.")
        if not _is_authority(authority):
            raise FramingError(400, "Invalid request target.")
        return authority
    return host


def _is_authority(value: str) -> bool:
    """Whether ``value`` is ``uri-host [ ":" port ]`` (RFC 3986)."""
    if value[:1] == "[":
        literal, bracket, port = value[1:].partition("]")
        if not bracket or (port and (port[0] != ":" or not _PORT_RE.fullmatch(port[1:]))):
            return False
        if _IPVFUTURE_RE.fullmatch(literal):
            return True
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
        return True
    host, _, port = value.partition(":")
    return _REG_NAME_RE.fullmatch(host) is not None and _PORT_RE.fullmatch(port) is not None


#: :func:`body_framing` result: no body.
NO_BODY = "none"
#: :func:`body_framing` result: exactly ``length`` bytes.
LENGTH = "length"
#: :func:`body_framing` result: chunked transfer coding.
CHUNKED = "chunked"


def body_framing(version: str, headers: list[tuple[str, str]]) -> tuple[str, int]:
    """Decide how the request body is delimited.

    :return: ``(kind, length)`` with kind one of :data:`NO_BODY`,
        :data:`LENGTH`, :data:`CHUNKED`; ``length`` is meaningful for
        :data:`LENGTH` only.
    :raises FramingError: ambiguous or unsupported framing.
    """
    lengths: list[str] = []
    codings: list[str] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-length":
            lengths.append(value)
        elif lower == "transfer-encoding":
            codings.append(value)
    if codings:
        if lengths:
            raise FramingError(400, "Both Transfer-Encoding and Content-Length.")
        if version == "HTTP/1.0":
            raise FramingError(400, "Transfer-Encoding in an HTTP/1.0 request.")
        _check_codings(codings)
        return CHUNKED, 0
    if not lengths:
        return NO_BODY, 0
    if len(lengths) > 1:
        raise FramingError(400, "More than one Content-Length.")
    value = lengths[0]
    # str.isdigit alone accepts "²" and other non-ASCII digits.
    if not value.isdigit() or not value.isascii() or len(value) > 18:
        raise FramingError(400, "Invalid Content-Length.")
    length = int(value)
    return (LENGTH, length) if length else (NO_BODY, 0)


def _check_codings(values: list[str]) -> None:
    """Accept exactly one ``chunked``, as the final coding, nothing else."""
    codings = [c.strip(" \t").lower() for v in values for c in v.split(",")]
    if any(not c for c in codings):
        raise FramingError(400, "Empty transfer coding.")
    if codings[-1] != "chunked" or codings.count("chunked") > 1:
        raise FramingError(400, "Transfer-Encoding must end with a single chunked.")
    for coding in codings[:-1]:
        if coding in _UNSUPPORTED_CODINGS or _TOKEN_RE.fullmatch(coding):
            raise FramingError(501, f"Transfer coding {coding!r} is not supported.")
        raise FramingError(400, "Invalid transfer coding.")


class ChunkedDecoder:
    """Decode a chunked body from raw bytes fed in pieces.

    :meth:`feed` returns the decoded data available so far; once
    :attr:`done` is true, :attr:`leftover` holds the bytes that followed
    the body (the start of the next request).
    """

    __slots__ = ("_state", "_remaining", "_pending", "_trailer_size", "_trailer_count", "done", "leftover")

    _SIZE, _DATA, _DATA_END, _TRAILER = range(4)

    def __init__(self) -> None:
        self._state = self._SIZE
        self._remaining = 0
        self._pending = b""
        self._trailer_size = 0
        self._trailer_count = 0
        #: Whether the terminating chunk and trailer were read.
        self.done = False
        #: Bytes received after the end of the body.
        self.leftover = b""

    def feed(self, data: bytes) -> bytes:
        """Consume ``data``; return the body bytes it completed.

        :raises FramingError: malformed chunk framing.
        """
        if self.done:
            self.leftover += data
            return b""
        buf = self._pending + data if self._pending else data
        self._pending = b""
        out: list[bytes] = []
        pos = 0
        while pos < len(buf) and not self.done:
            pos = self._step(buf, pos, out)
            if pos < 0:
                break
        if self.done:
            self.leftover = buf[pos:]
        return b"".join(out)

    def _step(self, buf: bytes, pos: int, out: list[bytes]) -> int:
        """Advance one state; return the new position, or -1 after keeping
        an incomplete line in ``_pending``."""
        state = self._state
        if state == self._DATA:
            take = min(self._remaining, len(buf) - pos)
            out.append(buf[pos : pos + take])
            self._remaining -= take
            if not self._remaining:
                self._state = self._DATA_END
            return pos + take
        nl = buf.find(b"\n", pos)
        if nl < 0:
            limit = MAX_CHUNK_LINE if state == self._SIZE else 2
            if state == self._TRAILER:
                limit = MAX_TRAILER - self._trailer_size
            if len(buf) - pos > limit:
                raise FramingError(400, "Chunk framing line too long.")
            self._pending = buf[pos:]
            return -1
        if nl == pos or buf[nl - 1] != 13:
            raise FramingError(400, "Line endings must be CRLF.")
        line = buf[pos : nl - 1]
        if state == self._SIZE:
            self._start_chunk(line)
        elif state == self._DATA_END:
            if line:
                raise FramingError(400, "Chunk data longer than its size.")
            self._state = self._SIZE
        else:
            self._trailer_line(line)
        return nl + 1

    def _start_chunk(self, line: bytes) -> None:
        if len(line) > MAX_CHUNK_LINE:
            raise FramingError(400, "Chunk size line too long.")
        match = _CHUNK_LINE_RE.fullmatch(line.decode("latin-1"))
        if match is None:
            if _HEX_RE.match(line.decode("latin-1")) is None:
                raise FramingError(400, "Invalid chunk size.")
            raise FramingError(400, "Invalid chunk extension.")
        self._remaining = int(match.group(1), 16)
        self._state = self._DATA if self._remaining else self._TRAILER

    def _trailer_line(self, line: bytes) -> None:
        if not line:
            self.done = True
            return
        self._trailer_size += len(line) + 2
        if self._trailer_size > MAX_TRAILER:
            raise FramingError(400, "Trailer section too long.")
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or _TOKEN_RE.fullmatch(name) is None or _VALUE_BAD_RE.search(value.strip(" \t")):
            raise FramingError(400, "Invalid trailer field.")
        if name.lower() in _FORBIDDEN_TRAILERS:
            raise FramingError(400, f"Field {name!r} is not allowed in a trailer.")
        self._trailer_count += 1
        if self._trailer_count > MAX_HEADERS:
            raise FramingError(400, "Too many trailer fields.")


# Control characters in a logged request line are shown escaped, so a
# request cannot forge log lines or terminal escape sequences.
_LOG_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def escape_for_log(text: str) -> str:
    """Escape C0/C1 control characters (and DEL) as ``\\xNN``."""
    return text.translate(_LOG_ESCAPES)

