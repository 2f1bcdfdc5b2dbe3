"""A development WSGI server: HTTP/1.1, keep-alive, TLS, reloading.

Theory of operation: :class:`BaseWSGIServer` is a :mod:`socketserver`
server (threads or forks come from the standard mixins) that accepts
connections and hands each to a :class:`WSGIRequestHandler`. The handler
owns one receive buffer per connection and loops: wait (up to the
keep-alive timeout) for the next request head, let
:class:`~wsgikit._http11.HeadScanner` find its end and
:func:`~wsgikit._http11.parse_head` validate it, choose the body framing,
run the application with a ``wsgi.input`` that reads exactly that body,
and write the response (chunked when the length is unknown). Before the
next request, whatever body the application left unread is drained (up to
a cap) or the connection is closed, so body bytes are never parsed as a
request. Framing errors answer 400/414/431/501/505 and close. Every
socket read has a timeout, so a silent client cannot hold a thread.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import socketserver
import ssl
import sys
import threading
import time
import typing as t
from datetime import datetime as dt
from datetime import timedelta
from datetime import timezone
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer
from urllib.parse import unquote_to_bytes
from urllib.parse import urlsplit

from . import __version__
from ._http11 import CHUNKED
from ._http11 import NO_BODY
from ._http11 import ChunkedDecoder
from ._http11 import MAX_HEADER_BYTES
from ._http11 import FramingError
from ._http11 import HeadScanner
from ._http11 import RequestHead
from ._http11 import body_framing
from ._http11 import escape_for_log
from ._http11 import parse_head
from ._http11 import request_host
from ._internal import _log
from .wsgi import FileWrapper

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKeyWithSerialization
    from cryptography.x509 import Certificate

__all__ = [
    "BaseWSGIServer",
    "ForkingWSGIServer",
    "ThreadedWSGIServer",
    "WSGIRequestHandler",
    "generate_adhoc_ssl_context",
    "generate_adhoc_ssl_pair",
    "get_interface_ip",
    "get_sockaddr",
    "is_running_from_reloader",
    "is_ssl_error",
    "load_ssl_context",
    "make_server",
    "make_ssl_devcert",
    "run_simple",
    "select_address_family",
]

#: Backlog of the listening socket.
LISTEN_QUEUE = 128

#: Whether this platform can fork worker processes.
can_fork = hasattr(os, "fork")

#: ``socket.AF_UNIX`` where it exists, else ``None``.
af_unix = getattr(socket, "AF_UNIX", None)

#: Errors that mean the client went away; they are not logged as failures.
connection_dropped_errors = (ConnectionError, socket.timeout, ssl.SSLEOFError)

_TSSLContextArg = t.Optional[t.Union["ssl.SSLContext", t.Tuple[str, t.Optional[str]], t.Literal["adhoc"]]]

#: Environment variable carrying the listening socket's fd to a reloader child.
_SERVER_FD_ENV = "WSGIKIT_SERVER_FD"

_DEV_WARNING = (
    "WARNING: This is a development server. Do not use it in a production"
    " deployment. Use a production WSGI server instead."
)

_ANSI_CODES = {"bold": 1, "red": 31, "green": 32, "yellow": 33, "magenta": 35, "cyan": 36}
_log_add_style: bool | None = None


def _use_color() -> bool:
    """Colour log output only for a terminal that wants it."""
    global _log_add_style
    if _log_add_style is None:
        stream = sys.stderr
        _log_add_style = (
            "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb"
            and hasattr(stream, "isatty")
            and stream.isatty()
        )
    return _log_add_style


def _ansi_style(value: str, *styles: str) -> str:
    """Wrap ``value`` in ANSI escapes for ``styles`` when colour is on."""
    if not _use_color():
        return value
    codes = "".join(f"\x1b[{_ANSI_CODES[style]}m" for style in styles)
    return f"{codes}{value}\x1b[0m"


def is_running_from_reloader() -> bool:
    """Whether this process is the reloader's child, which runs the server."""
    return os.environ.get("WSGIKIT_RUN_MAIN") == "true" or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


# --------------------------------------------------------------------------
# Request body streams
# --------------------------------------------------------------------------


class _BodyInput(io.RawIOBase):
    """``wsgi.input``: exactly the request body, read from the connection.

    Bytes past the body stay in the handler's buffer for the next request.
    A client that disconnects or stalls ends the stream early (the
    request wrappers turn a short body into ``ClientDisconnected``).
    """

    def __init__(self, handler: WSGIRequestHandler, kind: str, length: int, expect_continue: bool) -> None:
        self._handler = handler
        self._remaining = length
        self._decoder = ChunkedDecoder() if kind == CHUNKED else None
        self._ready = b""
        #: Whether the whole body has been received.
        self.complete = kind == NO_BODY
        #: Whether the connection failed while reading (do not reuse it).
        self.broken = False
        #: Whether a ``100 Continue`` is owed before the first read.
        self.continue_pending = expect_continue
        #: Body bytes handed to the application.
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def _receive(self) -> bytes:
        handler = self._handler
        if handler._buf:
            data = handler._buf
            handler._buf = b""
            return data
        if self.continue_pending:
            self.continue_pending = False
            handler._send_continue()
        try:
            handler.connection.settimeout(handler.request_timeout)
            data = handler.connection.recv(65536)
        except (OSError, ValueError):
            data = b""
        if not data:
            self.broken = True
        return data

    def _more(self) -> bytes:
        """Return the next piece of body, ``b""`` at its end."""
        if self.complete or self.broken:
            return b""
        data = self._receive()
        if not data:
            return b""
        decoder = self._decoder
        if decoder is None:
            remaining = self._remaining
            if len(data) >= remaining:
                self._handler._buf = data[remaining:]
                data = data[:remaining]
                self.complete = True
            self._remaining = remaining - len(data)
            return data
        try:
            out = decoder.feed(data)
        except FramingError:
            self.broken = True
            from .exceptions import BadRequest

            raise BadRequest("Invalid chunked request body.") from None
        if decoder.done:
            self._handler._buf = decoder.leftover
            self.complete = True
        return out

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._ready]
            self._ready = b""
            while True:
                data = self._more()
                if not data and (self.complete or self.broken):
                    break
                parts.append(data)
            out = b"".join(parts)
        else:
            ready = self._ready
            while not ready and not (self.complete or self.broken):
                ready = self._more()
            out = ready[:size]
            self._ready = ready[size:]
        self.consumed += len(out)
        return out

    def readinto(self, buffer: t.Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        parts: list[bytes] = []
        total = 0
        limit = -1 if size is None else size
        while limit < 0 or total < limit:
            ready = self._ready
            while not ready and not (self.complete or self.broken):
                ready = self._more()
            if not ready:
                break
            end = ready.find(b"\n") + 1 or len(ready)
            if limit >= 0:
                end = min(end, limit - total)
            parts.append(ready[:end])
            self._ready = ready[end:]
            total += end
            if parts[-1].endswith(b"\n"):
                break
        self.consumed += total
        return b"".join(parts)

    def drain(self, cap: int) -> bool:
        """Discard the rest of the body; ``False`` when the connection
        cannot be reused (too much left, client gone, 100 never sent)."""
        if self.continue_pending and not self.complete:
            # We never asked for the body: the client may or may not send it.
            return False
        discarded = len(self._ready)
        self._ready = b""
        while not (self.complete or self.broken):
            if self._decoder is None and self._remaining + discarded > cap:
                return False
            try:
                discarded += len(self._more())
            except Exception:
                return False
            if discarded > cap:
                return False
        return self.complete and not self.broken


class DechunkedInput(io.RawIOBase):
    """Decode a chunked body read from a binary file object.

    :param rfile: the stream carrying the chunked body.
    """

    def __init__(self, rfile: t.IO[bytes]) -> None:
        self._rfile = rfile
        self._decoder = ChunkedDecoder()
        self._ready = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buf: t.Any) -> int:
        while not self._ready and not self._decoder.done:
            data = self._rfile.read1(8192) if hasattr(self._rfile, "read1") else self._rfile.read(8192)
            if not data:
                raise OSError("Client disconnected while sending a chunked body.")
            try:
                self._ready = self._decoder.feed(data)
            except FramingError as e:
                raise OSError(e.reason) from None
        out = self._ready[: len(buf)]
        self._ready = self._ready[len(out) :]
        buf[: len(out)] = out
        return len(out)


class _SendfileWrapper(FileWrapper):
    """``wsgi.file_wrapper``: the server sends real files with ``sendfile``."""


class _Writer:
    """The handler's ``wfile``: unbuffered writes straight to the socket."""

    __slots__ = ("_sock",)

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def write(self, data: bytes) -> int:
        self._sock.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True


class _HeaderView:
    """The request headers as the handler's ``headers`` attribute: the
    read-only part of :class:`email.message.Message` that handlers use."""

    __slots__ = ("_items",)

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items = items

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def keys(self) -> list[str]:
        return [k for k, _ in self._items]

    def get(self, name: str, default: t.Any = None) -> t.Any:
        lower = name.lower()
        for key, value in self._items:
            if key.lower() == lower:
                return value
        return default

    def get_all(self, name: str, failobj: t.Any = None) -> t.Any:
        lower = name.lower()
        found = [v for k, v in self._items if k.lower() == lower]
        return found or failobj

    def __getitem__(self, name: str) -> str | None:
        return self.get(name)  # type: ignore[no-any-return]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._items)


# PERF: header name -> environ key, memoised (bounded) since clients send
# the same few names on every request.
_ENVIRON_KEYS: dict[str, str] = {"Content-Type": "CONTENT_TYPE", "Content-Length": "CONTENT_LENGTH"}


def _environ_key(name: str) -> str:
    key = _ENVIRON_KEYS.get(name)
    if key is None:
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
        if len(_ENVIRON_KEYS) < 1024:
            _ENVIRON_KEYS[name] = key
    return key


_date_cache: list[t.Any] = [0, ""]


def _http_date() -> str:
    """The ``Date`` header value, recomputed at most once a second."""
    # PERF: formatting a date costs more than the rest of a tiny response.
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[1] = formatdate(now, usegmt=True)
        _date_cache[0] = now
    return _date_cache[1]  # type: ignore[no-any-return]


_NO_BODY_STATUS = frozenset({204, 304})


class _ResponseState:
    """What the application has said about the response so far."""

    __slots__ = ("status", "headers", "sent", "chunked", "close", "code", "head_only")

    def __init__(self, head_only: bool) -> None:
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        #: Whether the status line and headers are on the wire.
        self.sent = False
        self.chunked = False
        self.close = False
        self.code = 0
        self.head_only = head_only


# --------------------------------------------------------------------------
# The request handler
# --------------------------------------------------------------------------


# PERF: response header names already checked; bounded so arbitrary names
# from an application cannot grow it without limit.
_SENT_NAMES: set[str] = set()
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _check_response_header_name(name: str) -> None:
    """Refuse a response header name that is not an RFC 9110 token: a raw
    WSGI app bypasses :class:`~wsgikit.datastructures.Headers`, and a name
    like ``"X-B: c"`` would forge a header on the wire."""
    if not isinstance(name, str) or not name or not _TOKEN_CHARS.issuperset(name):
        raise ValueError(f"Invalid response header name {name!r}: it must be an RFC 9110 token.")
    if len(_SENT_NAMES) < 1024:
        _SENT_NAMES.add(name)


class WSGIRequestHandler(BaseHTTPRequestHandler):
    """Serve HTTP/1.x requests on one connection by calling the WSGI app."""

    server: BaseWSGIServer

    #: Seconds an idle keep-alive connection waits for the next request.
    keep_alive_timeout: float = 5.0
    #: Seconds allowed to receive a whole request head, and for each read
    #: of the body; a client that stops sending is dropped after this.
    request_timeout: float = 30.0
    #: Most unread body bytes discarded to keep a connection alive.
    max_drain: int = 1 << 20

    environ: WSGIEnvironment

    @property
    def server_version(self) -> str:  # type: ignore[override]
        return f"wsgikit/{__version__}"

    def setup(self) -> None:
        self.connection = self.request
        if isinstance(self.client_address, str) or not self.client_address:
            # AF_UNIX peers have no address.
            self.client_address = (self.client_address or "", 0)  # type: ignore[assignment]
        self._handshake_failed = False
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.settimeout(self.request_timeout)
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                # Not TLS, or the client gave up: nothing to answer.
                self._handshake_failed = True
        if self.server.address_family in (socket.AF_INET, socket.AF_INET6):
            # PERF: responses are written whole; do not wait for ACKs.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.wfile = _Writer(self.connection)  # type: ignore[assignment]
        self.rfile = None  # type: ignore[assignment]
        self._buf = b""
        self.protocol_version = self.server._protocol_for(type(self))
        self.server._track(self.connection, True)

    def finish(self) -> None:
        self.server._track(self.connection, False)

    def handle(self) -> None:
        """Serve requests on the connection until one side closes it."""
        self.close_connection = True
        if self._handshake_failed:
            return
        try:
            self.close_connection = False
            while not self.close_connection:
                self.handle_one_request()
        except connection_dropped_errors as e:
            self.connection_dropped(e, getattr(self, "environ", None))
        except ssl.SSLError:
            pass
        except OSError as e:
            if e.errno not in (errno.EBADF, errno.ENOTCONN, errno.EPIPE, errno.ECONNRESET):
                raise

    def handle_one_request(self) -> None:
        """Read, run and answer one request."""
        self.close_connection = True
        self.path = None  # type: ignore[assignment]
        self.requestline = ""
        try:
            head = self._read_head()
        except FramingError as e:
            self._send_framing_error(e)
            return
        if head is None:
            return
        self._head = head
        self.command = head.method
        # Origin-form "//a/b" becomes "/a/b" (as http.server does, so as in
        # Werkzeug): a leading "//" is never an authority, and a path that
        # starts with one would read as another host when built into a URL.
        self.path = "/" + head.target.lstrip("/") if head.target[:2] == "//" else head.target
        self.request_version = head.version
        self.requestline = head.request_line
        self.headers = _HeaderView(head.headers)  # type: ignore[assignment]
        try:
            request_host(head)
            kind, length = body_framing(head.version, head.headers)
        except FramingError as e:
            self._send_framing_error(e)
            return
        expect = False
        if kind != NO_BODY and head.version == "HTTP/1.1":
            expect = any(n.lower() == "expect" and v.lower() == "100-continue" for n, v in head.headers)
        # A body already in our buffer means the client did not wait for 100.
        self._input = _BodyInput(self, kind, length, expect and not self._buf)
        self.close_connection = not self._wants_keep_alive(head)
        self.run_wsgi()
        if not self.close_connection and not self._input.drain(self.max_drain):
            self.close_connection = True

    def _wants_keep_alive(self, head: RequestHead) -> bool:
        if self.protocol_version != "HTTP/1.1" or head.version != "HTTP/1.1":
            return False
        for name, value in head.headers:
            if len(name) == 10 and name.lower() == "connection":
                if "close" in [v.strip(" \t").lower() for v in value.split(",")]:
                    return False
        return True

    def _read_head(self) -> RequestHead | None:
        """Return the next request head, or ``None`` when the client closed
        or stayed idle past the keep-alive timeout."""
        buf: bytes | bytearray = self._buf
        if buf[:2] == b"\r\n":
            # Tolerate one stray CRLF after a body, as RFC 9112 asks.
            buf = buf[2:]
        scanner = HeadScanner(self.server.max_header_bytes)
        try:
            return self._receive_head(buf, scanner)
        except FramingError:
            # Log what the client sent, bounded, since there is no request line.
            self.requestline = bytes(self._partial[:200]).partition(b"\n")[0].rstrip(b"\r").decode("latin-1")
            raise

    def _receive_head(self, buf: bytes | bytearray, scanner: HeadScanner) -> RequestHead | None:
        self._partial = buf
        end = scanner.scan(buf) if buf else -1
        if end < 0:
            conn = self.connection
            if not buf:
                conn.settimeout(self.keep_alive_timeout)
                try:
                    buf = conn.recv(65536)
                except (socket.timeout, ConnectionError):
                    return None
                if not buf:
                    return None
                if buf[:2] == b"\r\n":
                    buf = buf[2:]
                self._partial = buf
                end = scanner.scan(buf)
            if end < 0:
                buf, end = self._read_rest_of_head(bytearray(buf), scanner)
                if end < 0:
                    return None
        self._buf = bytes(buf[end:])
        self._partial = buf
        return parse_head(buf[: end - 4])

    def _read_rest_of_head(self, buf: bytearray, scanner: HeadScanner) -> tuple[bytearray, int]:
        """Keep receiving until the head is complete, within ``request_timeout``."""
        conn = self.connection
        deadline = time.monotonic() + self.request_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FramingError(408, "Timed out waiting for the request.")
            conn.settimeout(remaining)
            try:
                data = conn.recv(65536)
            except socket.timeout:
                raise FramingError(408, "Timed out waiting for the request.") from None
            if not data:
                return buf, -1
            buf += data
            self._partial = buf
            end = scanner.scan(buf)
            if end >= 0:
                return buf, end

    def _send_framing_error(self, error: FramingError) -> None:
        """Answer a request that cannot be framed, then close."""
        self.close_connection = True
        if not hasattr(self, "requestline"):
            self.requestline = ""
        phrase = HTTPStatus(error.status).phrase
        body = f"{error.status} {phrase}: {error.reason}\n".encode()
        head = (
            f"{self.protocol_version} {error.status} {phrase}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            self.connection.sendall(head.encode("latin-1") + body)
        except OSError:
            pass
        self.log_request(error.status)

    def _send_continue(self) -> None:
        self.connection.sendall(f"{self.protocol_version} 100 Continue\r\n\r\n".encode("latin-1"))

    def make_environ(self) -> WSGIEnvironment:
        """Build the WSGI environ for the current request."""
        head = self._head
        target = self.path
        server = self.server
        host_from_target = None
        if target[0] == "/":
            path, _, query = target.partition("?")
            path = path.partition("#")[0]
        elif "://" in target:
            parts = urlsplit(target)
            path, query, host_from_target = parts.path or "/", parts.query, parts.netloc
        else:
            path, _, query = target.partition("?")
        if "%" in path:
            path = unquote_to_bytes(path.encode("latin-1")).decode("latin-1")
        client = self.client_address
        environ: dict[str, t.Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http" if server.ssl_context is None else "https",
            "wsgi.input": self._input,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": server.multithread,
            "wsgi.multiprocess": server.multiprocess,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": _SendfileWrapper,
            "werkzeug.socket": self.connection,
            "SERVER_SOFTWARE": self.server_version,
            "REQUEST_METHOD": head.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_URI": target,
            "RAW_URI": target,
            "REMOTE_ADDR": client[0],
            "REMOTE_PORT": client[1],
            "SERVER_NAME": server._environ_name,
            "SERVER_PORT": server._environ_port,
            "SERVER_PROTOCOL": head.version,
        }
        for name, value in head.headers:
            key = _environ_key(name)
            if key in environ:
                environ[key] = f"{environ[key]},{value}"
            else:
                environ[key] = value
        if host_from_target:
            environ["HTTP_HOST"] = host_from_target
        if self._input._decoder is not None:
            environ["wsgi.input_terminated"] = True
        if server.ssl_context is not None:
            self._add_client_cert(environ)
        return environ

    def _add_client_cert(self, environ: dict[str, t.Any]) -> None:
        try:
            der = self.connection.getpeercert(binary_form=True)  # type: ignore[attr-defined]
        except (ValueError, AttributeError):
            return
        if der is not None:
            environ["SSL_CLIENT_CERT"] = ssl.DER_cert_to_PEM_cert(der)

    def run_wsgi(self) -> None:
        """Run the application for the current request and send its response."""
        self.environ = environ = self.make_environ()
        state = _ResponseState(head_only=self.command == "HEAD")
        self._state = state
        try:
            self._execute(self.server.app, environ, state)
        except connection_dropped_errors as e:
            self.close_connection = True
            self.connection_dropped(e, environ)
            return
        except Exception as e:
            if self.server.passthrough_errors:
                raise
            self._handle_app_error(e, environ, state)
        if state.close:
            self.close_connection = True
        self.log_request(state.code)

    def _handle_app_error(self, error: Exception, environ: WSGIEnvironment, state: _ResponseState) -> None:
        """Answer 500 (or the HTTP error raised) if nothing was sent yet."""
        from .exceptions import HTTPException
        from .exceptions import InternalServerError

        is_http = isinstance(error, HTTPException)
        if not is_http:
            import traceback

            self.server.log("error", "Error on request:\n%s", traceback.format_exc())
        if state.sent:
            # Part of another response is on the wire: only closing is safe.
            self.close_connection = True
            return
        self.close_connection = True
        fresh = _ResponseState(state.head_only)
        self._state = fresh
        try:
            self._execute(error if is_http else InternalServerError(), environ, fresh)  # type: ignore[arg-type]
        except OSError:
            pass
        state.code = fresh.code

    def _execute(self, app: WSGIApplication, environ: WSGIEnvironment, state: _ResponseState) -> None:
        """Call ``app`` and stream what it returns.

        Deliberately long: it is the per-request hot path.
        """
        write = self._make_write(state)

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Callable[[bytes], None]:
            if exc_info:
                try:
                    if state.sent:
                        raise exc_info[1].with_traceback(exc_info[2])
                finally:
                    exc_info = None
            elif state.status is not None:
                raise AssertionError("Headers already set")
            state.status = status
            state.headers = list(headers)
            return write

        app_iter = app(environ, start_response)
        try:
            if isinstance(app_iter, _SendfileWrapper) and self._try_sendfile(app_iter, state):
                return
            if type(app_iter) in (list, tuple) and state.status is not None:
                # PERF: a known body gets a Content-Length, not chunked framing.
                self._set_length(state, sum(map(len, app_iter)))  # type: ignore[arg-type]
            for data in app_iter:
                write(data)
            if not state.sent:
                write(b"")
            if state.chunked:
                self.connection.sendall(b"0\r\n\r\n")
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()

    @staticmethod
    def _set_length(state: _ResponseState, length: int) -> None:
        for name, _ in state.headers:
            if name.lower() in ("content-length", "transfer-encoding"):
                return
        state.headers.append(("Content-Length", str(length)))

    def _make_write(self, state: _ResponseState) -> t.Callable[[bytes], None]:
        sendall = self.connection.sendall

        def write(data: bytes) -> None:
            if not state.sent:
                if state.status is None:
                    raise AssertionError("write() before start_response")
                head = self._response_head(state)
                if state.head_only or not data:
                    sendall(head)
                elif state.chunked:
                    sendall(b"".join((head, b"%x\r\n" % len(data), data, b"\r\n")))
                else:
                    sendall(head + data)
                return
            if not data or state.head_only:
                return
            if state.chunked:
                sendall(b"".join((b"%x\r\n" % len(data), data, b"\r\n")))
            else:
                sendall(data)

        return write

    def _response_head(self, state: _ResponseState) -> bytes:
        """Serialise the status line and headers; decide the body framing."""
        status = state.status
        assert status is not None
        try:
            code = int(status[:3])
        except ValueError:
            raise AssertionError(f"Invalid status {status!r}") from None
        state.code = code
        lines = [f"{self.protocol_version} {status}\r\n"]
        has_length = has_server = has_date = False
        for name, value in state.headers:
            lower = name.lower()
            if lower == "content-length" or lower == "transfer-encoding":
                has_length = True
            elif lower == "server":
                has_server = True
            elif lower == "date":
                has_date = True
            elif lower == "connection" and "close" in value.lower():
                state.close = True
            if name not in _SENT_NAMES:
                _check_response_header_name(name)
            lines.append(f"{name}: {value}\r\n")
        if not has_server:
            lines.append(f"Server: {self.version_string()}\r\n")
        if not has_date:
            lines.append(f"Date: {_http_date()}\r\n")
        bodyless = state.head_only or code in _NO_BODY_STATUS or code < 200
        if not has_length and not bodyless:
            if self.protocol_version == "HTTP/1.1" and self.request_version == "HTTP/1.1":
                state.chunked = True
                lines.append("Transfer-Encoding: chunked\r\n")
            else:
                state.close = True
        body = self._input
        if not body.complete and (
            body.continue_pending or (body._decoder is None and body._remaining > self.max_drain)
        ):
            # The unread body will not be drained: say so now.
            self.close_connection = True
        if self.close_connection or state.close:
            state.close = True
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        text = "".join(lines)
        if text.count("\n") != len(lines) or "\r\r" in text:
            # A header name or value carried a line break: refuse to send it.
            raise ValueError("Response header contains a newline character.")
        state.sent = True
        return text.encode("latin-1")

    def version_string(self) -> str:
        return f"{self.server_version} {self.sys_version}"

    def _try_sendfile(self, wrapper: _SendfileWrapper, state: _ResponseState) -> bool:
        """Send a real file with ``socket.sendfile``; ``False`` to fall back."""
        if state.status is None or state.head_only or isinstance(self.connection, ssl.SSLSocket):
            return False
        try:
            fileno = wrapper.file.fileno()
            info = os.fstat(fileno)
            offset = wrapper.file.tell()
        except (AttributeError, OSError, io.UnsupportedOperation):
            return False
        import stat

        if not stat.S_ISREG(info.st_mode):
            return False
        length = max(info.st_size - offset, 0)
        declared = [v for n, v in state.headers if n.lower() == "content-length"]
        if declared:
            length = min(length, int(declared[0]))
        else:
            state.headers.append(("Content-Length", str(length)))
        self.connection.sendall(self._response_head(state))
        if length:
            self.connection.sendfile(wrapper.file, offset, length)  # type: ignore[arg-type]
        return True

    def connection_dropped(self, error: BaseException, environ: WSGIEnvironment | None = None) -> None:
        """Called when the client went away mid-request; a hook for subclasses."""

    def address_string(self) -> str:
        if getattr(self, "environ", None):
            return self.environ["REMOTE_ADDR"]  # type: ignore[no-any-return]
        if not self.client_address or not self.client_address[0]:
            return "<local>"
        return self.client_address[0]  # type: ignore[no-any-return]

    def port_integer(self) -> int:
        return self.client_address[1]  # type: ignore[no-any-return]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Write the access log line for the current request."""
        path = getattr(self, "path", None)
        if path is not None:
            if "%" in path:
                from .urls import uri_to_iri

                try:
                    path = uri_to_iri(path)
                except Exception:
                    pass
            message = f"{self.command} {path} {self.request_version}"
        else:
            message = self.requestline
        message = escape_for_log(message)
        code = str(code)
        if _use_color():
            message = _style_for_status(message, code)
        self.log("info", '"%s" %s %s', message, code, size)

    def log_error(self, format: str, *args: t.Any) -> None:
        self.log("error", format, *args)

    def log_message(self, format: str, *args: t.Any) -> None:
        self.log("info", format, *args)

    def log(self, type: str, message: str, *args: t.Any) -> None:
        _log(type, f"{self.address_string()} - - [{_log_date()}] {message % args}\n")


def _style_for_status(message: str, code: str) -> str:
    if code[0] == "1":
        return _ansi_style(message, "bold")
    if code == "200":
        return message
    if code == "304":
        return _ansi_style(message, "cyan")
    if code[0] == "3":
        return _ansi_style(message, "green")
    if code == "404":
        return _ansi_style(message, "yellow")
    if code[0] == "4":
        return _ansi_style(message, "bold", "red")
    return _ansi_style(message, "bold", "magenta")


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_log_date_cache: list[t.Any] = [0, ""]


def _log_date() -> str:
    """Local time as the access log shows it, recomputed once a second."""
    now = int(time.time())
    if _log_date_cache[0] != now:
        y, m, d, hh, mm, ss, *_ = time.localtime(now)
        _log_date_cache[1] = f"{d:02d}/{_MONTHS[m]}/{y:04d} {hh:02d}:{mm:02d}:{ss:02d}"
        _log_date_cache[0] = now
    return _log_date_cache[1]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------
# TLS
# --------------------------------------------------------------------------


def _import_cryptography() -> t.Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise TypeError("Using ad-hoc certificates requires the cryptography library.") from None
    return x509, hashes, serialization, rsa, NameOID


def generate_adhoc_ssl_pair(cn: str | None = None) -> tuple[Certificate, RSAPrivateKeyWithSerialization]:
    """Create a self-signed certificate and its RSA key (needs ``cryptography``).

    :param cn: the certificate's common name; ``"*"`` when not given.
    """
    x509, hashes, _, rsa, NameOID = _import_cryptography()
    if cn is None:
        cn = "*"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dummy Certificate"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )
    now = dt.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _pem_pair(cn: str | None) -> tuple[bytes, bytes]:
    _, _, serialization, _, _ = _import_cryptography()
    cert, key = generate_adhoc_ssl_pair(cn=cn)
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.TraditionalOpenSSL,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return cert_pem, key_pem


def make_ssl_devcert(base_path: str, host: str | None = None, cn: str | None = None) -> tuple[str, str]:
    """Write a self-signed certificate to ``<base_path>.crt`` and its key to
    ``<base_path>.key``; return both paths.

    :param base_path: path prefix of the two files.
    :param host: the host name the certificate is for (sets the common name).
    :param cn: the common name, when ``host`` is not given.
    """
    if host is not None:
        cn = host
    cert_pem, key_pem = _pem_pair(cn)
    cert_file = f"{base_path}.crt"
    pkey_file = f"{base_path}.key"
    with open(cert_file, "wb") as f:
        f.write(cert_pem)
    with open(pkey_file, "wb") as f:
        f.write(key_pem)
    return cert_file, pkey_file


def generate_adhoc_ssl_context() -> ssl.SSLContext:
    """A server :class:`ssl.SSLContext` with a fresh self-signed certificate."""
    import tempfile

    cert_pem, key_pem = _pem_pair(None)
    with tempfile.TemporaryDirectory() as tmp:
        cert_file = os.path.join(tmp, "adhoc.crt")
        pkey_file = os.path.join(tmp, "adhoc.key")
        with open(cert_file, "wb") as f:
            f.write(cert_pem)
        with open(pkey_file, "wb") as f:
            f.write(key_pem)
        return load_ssl_context(cert_file, pkey_file)


def load_ssl_context(cert_file: str, pkey_file: str | None = None, protocol: int | None = None) -> ssl.SSLContext:
    """Load a server TLS context from a certificate (and key) file.

    :param cert_file: PEM certificate chain (may include the key).
    :param pkey_file: PEM private key, when not in ``cert_file``.
    :param protocol: an ``ssl.PROTOCOL_*`` constant; TLS server by default.
    """
    if protocol is None:
        protocol = ssl.PROTOCOL_TLS_SERVER
    ctx = ssl.SSLContext(protocol)
    ctx.load_cert_chain(cert_file, pkey_file)
    return ctx


def is_ssl_error(error: Exception | None = None) -> bool:
    """Whether ``error`` (default: the one being handled) is a TLS error."""
    if error is None:
        error = t.cast(Exception, sys.exc_info()[1])
    return isinstance(error, ssl.SSLError)


# --------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------


def select_address_family(host: str, port: int) -> socket.AddressFamily:
    """The socket family for ``host``: unix for ``unix://path``, IPv6 when
    the host contains ``:``, else IPv4."""
    if host.startswith("unix://"):
        return socket.AF_UNIX
    if ":" in host and hasattr(socket, "AF_INET6"):
        return socket.AF_INET6
    return socket.AF_INET


def get_sockaddr(host: str, port: int, family: socket.AddressFamily) -> tuple[str, int] | str:
    """The address to bind for ``host`` and ``port`` in ``family``."""
    if family == af_unix:
        return os.path.abspath(host.partition("://")[2])
    try:
        info = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror:
        return host, port
    return info[0][4]  # type: ignore[return-value]


def get_interface_ip(family: socket.AddressFamily) -> str:
    """The address of the interface with the default route, for the banner.

    Connecting a UDP socket only consults the routing table; no packet is sent.
    """
    probe = "fd31:f903:5ab5:1::1" if family == socket.AF_INET6 else "10.253.155.219"
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        try:
            s.connect((probe, 58162))
        except OSError:
            return "::1" if family == socket.AF_INET6 else "127.0.0.1"
        return s.getsockname()[0]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------


class BaseWSGIServer(HTTPServer):
    """A single-threaded WSGI server, one request at a time (HTTP/1.0).

    :param host: address to listen on, or ``unix://path``.
    :param port: TCP port; 0 picks a free one (see :attr:`port` after).
    :param app: the WSGI application.
    :param handler: the request handler class.
    :param passthrough_errors: let application errors propagate (for debuggers).
    :param ssl_context: an :class:`ssl.SSLContext`, a (cert, key) tuple, or ``"adhoc"``.
    :param fd: listen on this already bound socket instead of binding.
    """

    multithread = False
    multiprocess = False
    request_queue_size = LISTEN_QUEUE
    #: Most bytes of request header section (the lines after the request
    #: line) accepted; a larger one is answered 431 and the connection closed.
    max_header_bytes: int = MAX_HEADER_BYTES
    allow_reuse_address = True

    def __init__(
        self,
        host: str,
        port: int,
        app: WSGIApplication,
        handler: type[WSGIRequestHandler] | None = None,
        passthrough_errors: bool = False,
        ssl_context: _TSSLContextArg | None = None,
        fd: int | None = None,
    ) -> None:
        if handler is None:
            handler = WSGIRequestHandler
        #: The host the server was asked to listen on.
        self.host = host
        #: The port it listens on (the real one when 0 was asked).
        self.port = port
        #: The WSGI application.
        self.app = app
        #: Whether application errors propagate instead of becoming 500s.
        self.passthrough_errors = passthrough_errors
        self.address_family = family = select_address_family(host, port)
        server_address = get_sockaddr(host, int(port), family)
        self._unlink_on_close: str | None = None
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._protocols: dict[type, str] = {}
        if family == af_unix and fd is None and os.path.exists(t.cast(str, server_address)):
            os.unlink(t.cast(str, server_address))
        super().__init__(server_address, handler, bind_and_activate=False)  # type: ignore[arg-type]
        if fd is None:
            self._bind_or_exit()
        else:
            self.socket.close()
            self.socket = socket.fromfd(fd, family, socket.SOCK_STREAM)
            self.server_address = self.socket.getsockname()
        if family != af_unix:
            self.port = self.server_address[1]
            self._environ_name, self._environ_port = str(self.server_address[0]), str(self.port)
        else:
            self._environ_name, self._environ_port = str(self.server_address), ""
        #: The TLS context, or ``None`` for plain HTTP.
        self.ssl_context: ssl.SSLContext | None = _make_ssl_context(ssl_context)
        if self.ssl_context is not None:
            self.socket = self.ssl_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def _bind_or_exit(self) -> None:
        try:
            self.server_bind()
            self.server_activate()
        except OSError as e:
            self.server_close()
            print(e.strerror, file=sys.stderr)
            if e.errno == errno.EADDRINUSE:
                print(
                    f"Port {self.port} is in use by another program. Either identify and"
                    " stop that program, or start the server with a different port.",
                    file=sys.stderr,
                )
            sys.exit(1)
        if self.address_family == af_unix:
            self._unlink_on_close = t.cast(str, self.server_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would resolve the FQDN (a slow DNS lookup).
        socketserver.TCPServer.server_bind(self)
        if self.address_family != af_unix:
            self.server_name = str(self.server_address[0])
            self.server_port = self.server_address[1]

    def _protocol_for(self, handler: type) -> str:
        """HTTP/1.1 (keep-alive) when requests can run concurrently, unless
        the handler class chose a protocol itself."""
        protocol = self._protocols.get(handler)
        if protocol is None:
            explicit = next((c for c in handler.__mro__ if "protocol_version" in vars(c)), None)
            if explicit is not None and explicit is not BaseHTTPRequestHandler:
                protocol = handler.protocol_version  # type: ignore[attr-defined]
            else:
                protocol = "HTTP/1.1" if self.multithread or self.multiprocess else "HTTP/1.0"
            self._protocols[handler] = protocol
        return protocol

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def log(self, type: str, message: str, *args: t.Any) -> None:
        _log(type, message, *args)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown` (from another thread) or Ctrl+C,
        then close the server."""
        try:
            super().serve_forever(poll_interval=poll_interval)
        except KeyboardInterrupt:
            pass
        finally:
            self.server_close()

    def server_close(self) -> None:
        """Close the listening socket and wake idle keep-alive connections."""
        super().server_close()
        with self._connections_lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._unlink_on_close and os.path.exists(self._unlink_on_close):
            if not is_running_from_reloader():
                os.unlink(self._unlink_on_close)
            self._unlink_on_close = None

    def handle_error(self, request: t.Any, client_address: tuple[str, int] | str) -> None:
        if self.passthrough_errors:
            raise
        return super().handle_error(request, client_address)

    def log_startup(self) -> None:
        """Log the development-server warning and where it listens."""
        messages = [_ansi_style(_DEV_WARNING, "bold", "red")]
        if self.address_family == af_unix:
            messages.append(f" * Running on {self.host}")
        else:
            scheme = "http" if self.ssl_context is None else "https"
            shown = self.host
            if self.host in ("0.0.0.0", "::"):
                messages.append(f" * Running on all addresses ({self.host})")
                ipv4 = self.host == "0.0.0.0"
                messages.append(f" * Running on {scheme}://{'127.0.0.1' if ipv4 else '[::1]'}:{self.port}")
                shown = get_interface_ip(socket.AF_INET if ipv4 else socket.AF_INET6)
            if ":" in shown:
                shown = f"[{shown}]"
            messages.append(f" * Running on {scheme}://{shown}:{self.port}")
        _log("info", "\n".join(messages))


def _make_ssl_context(arg: _TSSLContextArg | None) -> ssl.SSLContext | None:
    if arg is None or isinstance(arg, ssl.SSLContext):
        return arg
    if isinstance(arg, tuple):
        return load_ssl_context(*arg)
    if arg == "adhoc":
        return generate_adhoc_ssl_context()
    raise TypeError(f"Invalid ssl_context {arg!r}: use an SSLContext, a (cert, key) tuple or 'adhoc'.")


class ThreadedWSGIServer(socketserver.ThreadingMixIn, BaseWSGIServer):
    """A WSGI server that handles each connection in a thread (HTTP/1.1)."""

    multithread = True
    daemon_threads = True


class ForkingWSGIServer(socketserver.ForkingMixIn, BaseWSGIServer):
    """A WSGI server that handles each connection in a forked process.

    :param processes: the most worker processes alive at once.
    """

    multiprocess = True

    def __init__(
        self,
        host: str,
        port: int,
        app: WSGIApplication,
        processes: int = 40,
        handler: type[WSGIRequestHandler] | None = None,
        passthrough_errors: bool = False,
        ssl_context: _TSSLContextArg | None = None,
        fd: int | None = None,
    ) -> None:
        if not can_fork:
            raise ValueError("Your platform does not support forking.")
        super().__init__(host, port, app, handler, passthrough_errors, ssl_context, fd)
        self.max_children = processes


def make_server(
    host: str,
    port: int,
    app: WSGIApplication,
    threaded: bool = False,
    processes: int = 1,
    request_handler: type[WSGIRequestHandler] | None = None,
    passthrough_errors: bool = False,
    ssl_context: _TSSLContextArg | None = None,
    fd: int | None = None,
) -> BaseWSGIServer:
    """Create the right server for ``threaded``/``processes``; see
    :class:`BaseWSGIServer` for the other parameters. It is bound and
    listening; call ``serve_forever()`` to run it."""
    if threaded and processes > 1:
        raise ValueError("Cannot have a multi-thread and multi-process server.")
    if threaded:
        return ThreadedWSGIServer(host, port, app, request_handler, passthrough_errors, ssl_context, fd=fd)
    if processes > 1:
        return ForkingWSGIServer(
            host, port, app, processes, request_handler, passthrough_errors, ssl_context, fd=fd
        )
    return BaseWSGIServer(host, port, app, request_handler, passthrough_errors, ssl_context, fd=fd)


def _inherited_fd() -> int | None:
    """The listening socket's fd handed down by the reloader parent."""
    if not is_running_from_reloader():
        return None
    value = os.environ.get(_SERVER_FD_ENV) or os.environ.get("WERKZEUG_SERVER_FD")
    return int(value) if value else None


def run_simple(
    hostname: str,
    port: int,
    application: WSGIApplication,
    use_reloader: bool = False,
    use_debugger: bool = False,
    use_evalex: bool = True,
    extra_files: t.Iterable[str] | None = None,
    exclude_patterns: t.Iterable[str] | None = None,
    reloader_interval: int = 1,
    reloader_type: str = "auto",
    threaded: bool = False,
    processes: int = 1,
    request_handler: type[WSGIRequestHandler] | None = None,
    static_files: dict[str, str | tuple[str, str]] | None = None,
    passthrough_errors: bool = False,
    ssl_context: _TSSLContextArg | None = None,
) -> None:
    """Run a development server for ``application`` until interrupted.

    :param hostname: address to listen on (``"0.0.0.0"`` for every
        interface) or ``unix://path``.
    :param port: TCP port; 0 picks a free one.
    :param application: the WSGI application.
    :param use_reloader: restart the server when a source file changes.
    :param use_debugger: wrap the app in the interactive debugger.
    :param use_evalex: allow the debugger's console.
    :param extra_files: more files the reloader watches.
    :param exclude_patterns: globs (matched against whole paths) the reloader ignores.
    :param reloader_interval: seconds between reloader checks.
    :param reloader_type: ``"auto"``, ``"stat"``, ``"inotify"`` or ``"watchdog"``.
    :param threaded: one thread per connection.
    :param processes: at most this many forked worker processes.
    :param request_handler: the request handler class.
    :param static_files: URL prefix -> directory (or (package, path)) served as is.
    :param passthrough_errors: let application errors propagate.
    :param ssl_context: an :class:`ssl.SSLContext`, a (cert, key) tuple, or ``"adhoc"``.
    """
    if not isinstance(port, int):
        raise TypeError("port must be an integer")
    if static_files:
        from .middleware.shared_data import SharedDataMiddleware

        application = SharedDataMiddleware(application, static_files)
    if use_debugger:
        application = _wrap_debugger(application, use_evalex, hostname, use_reloader)
    srv = make_server(
        hostname,
        port,
        application,
        threaded,
        processes,
        request_handler,
        passthrough_errors,
        ssl_context,
        fd=_inherited_fd(),
    )
    srv.socket.set_inheritable(True)
    os.environ[_SERVER_FD_ENV] = str(srv.fileno())
    if not is_running_from_reloader():
        srv.log_startup()
        _log("info", _ansi_style("Press CTRL+C to quit", "yellow"))
    if use_reloader:
        from ._reloader import run_with_reloader

        try:
            run_with_reloader(srv.serve_forever, extra_files, exclude_patterns, reloader_interval, reloader_type)
        finally:
            srv.server_close()
    else:
        srv.serve_forever()


def _wrap_debugger(
    application: WSGIApplication, use_evalex: bool, hostname: str, use_reloader: bool
) -> WSGIApplication:
    try:
        from .debug import DebuggedApplication  # type: ignore[import-not-found,unused-ignore]
    except ImportError as e:
        raise RuntimeError(
            "The interactive debugger (use_debugger=True) is not available in this"
            f" build of wsgikit: 'wsgikit.debug' could not be imported ({e})."
        ) from None
    from_reloader = is_running_from_reloader()
    if from_reloader or not use_reloader:
        # The process that serves says so, before the PIN line (under the
        # reloader the DebuggedApplication logs its PIN as it is made).
        _log("info", " * Debugger is active!")
    debugged = DebuggedApplication(application, evalex=use_evalex)
    if not hostname.startswith("unix://"):
        # Besides the localhost names, the debugger answers for the bound host.
        debugged.trusted_hosts.append(hostname)
    if use_evalex and not from_reloader and not use_reloader:
        debugged.log_pin()
    if not from_reloader and not _is_loopback_host(hostname):
        _log("warning", _ansi_style(_EXPOSED_DEBUGGER_WARNING % hostname, "bold", "red"))
    return debugged  # type: ignore[no-any-return]


_EXPOSED_DEBUGGER_WARNING = (
    " * WARNING: the debugger is on and the server listens on %s, which is not a"
    " loopback address. Anyone who reaches it can read tracebacks and source code,"
    " and whoever learns the PIN can run any code on this machine."
    " Bind to 127.0.0.1, or turn the debugger off."
)


def _is_loopback_host(hostname: str) -> bool:
    """Whether ``hostname`` only accepts connections from this machine."""
    import ipaddress

    if hostname.startswith("unix://"):
        return True
    name = hostname.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False

