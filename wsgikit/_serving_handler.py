"""The development server's request handler: one connection, many requests.

Theory of operation: :class:`WSGIRequestHandler` owns one receive buffer
per connection and loops: wait (up to the keep-alive timeout) for the next
request head, let :class:`~wsgikit._http11.HeadScanner` find its end and
:func:`~wsgikit._http11.parse_head` validate it, choose the body framing,
run the application with a ``wsgi.input`` (:mod:`wsgikit._serving_input`)
that reads exactly that body, and write the response (chunked when the
length is unknown). Before the next request, whatever body the application
left unread is drained (up to a cap) or the connection is closed, so body
bytes are never parsed as a request. Framing errors answer
400/408/414/431/501/505 and close. Every socket read has a timeout, so a
silent client cannot hold a thread. The access log (coloured on a
terminal) is written here too.

Layers (the dev server's modules; imports only point down)::

    _serving_input, _serving_tls
    -> _serving_handler (this module)
    -> serving (the servers, run_simple; re-exports every public name)

Import the public names from :mod:`wsgikit.serving`.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import ssl
import stat
import sys
import time
import typing as t
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote_to_bytes
from urllib.parse import urlsplit

from . import __version__
from ._http11 import NO_BODY
from ._http11 import FramingError
from ._http11 import HeadScanner
from ._http11 import RequestHead
from ._http11 import body_framing
from ._http11 import escape_for_log
from ._http11 import parse_head
from ._http11 import request_host
from ._internal import _log
from ._serving_input import _BodyInput
from .exceptions import HTTPException
from .exceptions import InternalServerError
from .urls import uri_to_iri
from .wsgi import FileWrapper

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from .serving import BaseWSGIServer

#: Errors that mean the client went away; they are not logged as failures.
connection_dropped_errors = (ConnectionError, socket.timeout, ssl.SSLEOFError)

_ANSI_CODES = {"bold": 1, "red": 31, "green": 32, "yellow": 33, "magenta": 35, "cyan": 36}
_log_add_style: bool | None = None


def _use_color() -> bool:
    """Colour log output only for a terminal that wants it."""
    global _log_add_style
    add_style = _log_add_style
    if add_style is None:
        stream = sys.stderr
        add_style = _log_add_style = (
            "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb"
            and hasattr(stream, "isatty")
            and stream.isatty()
        )
    return add_style


def _ansi_style(value: str, *styles: str) -> str:
    """Wrap ``value`` in ANSI escapes for ``styles`` when colour is on."""
    if not _use_color():
        return value
    codes = "".join(f"\x1b[{_ANSI_CODES[style]}m" for style in styles)
    return f"{codes}{value}\x1b[0m"


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
        value: str | None = self.get(name)
        return value

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
    value: str = _date_cache[1]
    return value


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

    server: BaseWSGIServer  # pyright: ignore[reportIncompatibleVariableOverride]  # the stdlib says any BaseServer; these handlers only run under a BaseWSGIServer

    #: Seconds an idle keep-alive connection waits for the next request.
    keep_alive_timeout: float = 5.0
    #: Seconds allowed to receive a whole request head, and for each read
    #: of the body; a client that stops sending is dropped after this.
    request_timeout: float = 30.0
    #: Most unread body bytes discarded to keep a connection alive.
    max_drain: int = 1 << 20

    environ: WSGIEnvironment

    #: ``SERVER_SOFTWARE``, and the start of the ``Server`` header.
    server_version = f"wsgikit/{__version__}"

    def setup(self) -> None:
        self.connection = self.request
        if isinstance(self.client_address, str) or not self.client_address:
            # AF_UNIX peers have no address.
            self.client_address = (self.client_address or "", 0)
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
        self.wfile = _Writer(self.connection)  # type: ignore[assignment]  # unbuffered socket writer
        self.rfile = None  # type: ignore[assignment]  # the handler reads the socket itself (see _read_head)
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
        self.path = None  # type: ignore[assignment]  # no request line yet: log_request then logs the raw line
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
        self.headers = _HeaderView(head.headers)  # type: ignore[assignment]  # Message's read part
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
                timeout = self.keep_alive_timeout
                if conn.gettimeout() != timeout:
                    # PERF: settimeout is a system call even when the value
                    # stays; on a keep-alive connection it rarely changes.
                    conn.settimeout(timeout)
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
            # PERF: the memo inlined; the function only for names not seen yet.
            key = _ENVIRON_KEYS.get(name) or _environ_key(name)
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
            der = self.connection.getpeercert(binary_form=True)
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
        is_http = isinstance(error, HTTPException)
        if not is_http:
            import traceback  # cold start: only an application error needs it

            self.server.log("error", "Error on request:\n%s", traceback.format_exc())
        if state.sent:
            # Part of another response is on the wire: only closing is safe.
            self.close_connection = True
            return
        self.close_connection = True
        fresh = _ResponseState(state.head_only)
        self._state = fresh
        try:
            answer = error if isinstance(error, HTTPException) else InternalServerError()
            self._execute(answer, environ, fresh)
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
                self._set_length(state, sum(map(len, app_iter)))
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
            self.connection.sendfile(wrapper.file, offset, length)
        return True

    def connection_dropped(self, error: BaseException, environ: WSGIEnvironment | None = None) -> None:
        """Called when the client went away mid-request; a hook for subclasses."""

    def address_string(self) -> str:
        if getattr(self, "environ", None):
            address: str = self.environ["REMOTE_ADDR"]
            return address
        if not self.client_address or not self.client_address[0]:
            return "<local>"
        return self.client_address[0]

    def port_integer(self) -> int:
        return self.client_address[1]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Write the access log line for the current request."""
        path = getattr(self, "path", None)
        if path is not None:
            if "%" in path:
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
    value: str = _log_date_cache[1]
    return value

