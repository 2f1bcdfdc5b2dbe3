"""Check that an application and the server around it follow PEP 3333 and
basic HTTP rules, issuing warnings for every violation found.

.. code-block:: python

    app = LintMiddleware(app)

Theory of operation: the middleware sits between server and application
and wraps everything that crosses: the environ is checked on the way in,
``wsgi.input``/``wsgi.errors`` are wrapped to watch how the application uses
them, ``start_response`` checks the status and headers, the ``write``
callable and the returned iterable check the body's type and count its
bytes, and closing the iterable compares the count with ``Content-Length``
and the status (no body for 1xx/204/304). Problems with the WSGI contract
are :class:`WSGIWarning`, problems with the HTTP response are
:class:`HTTPWarning`. Nothing is changed: the application's output passes
through as it is.
"""

from __future__ import annotations

import typing as t
from types import TracebackType
from urllib.parse import urlsplit
from warnings import warn

from ..datastructures import Headers
from ..http import is_entity_header
from ..wsgi import FileWrapper

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


class WSGIWarning(Warning):
    """The application or server broke the WSGI contract."""


class HTTPWarning(Warning):
    """The application's response breaks an HTTP rule."""


#: The keys PEP 3333 requires in every environ.
_REQUIRED_KEYS = (
    "REQUEST_METHOD",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.version",
    "wsgi.input",
    "wsgi.errors",
    "wsgi.multithread",
    "wsgi.multiprocess",
    "wsgi.run_once",
)


def check_type(context: str, obj: object, need: type = str) -> None:
    """Warn when ``obj`` is not exactly of type ``need``."""
    if type(obj) is not need:
        warn(f"{context!r} requires {need.__name__!r}, got {type(obj).__name__!r}.", WSGIWarning, stacklevel=3)


class InputStream:
    """Wraps ``wsgi.input``, warning about reads PEP 3333 does not allow
    or that may block forever.
    """

    def __init__(self, stream: t.IO[bytes]) -> None:
        self._stream = stream

    def read(self, *args: t.Any) -> bytes:
        if len(args) == 0:
            warn(
                "WSGI does not guarantee an EOF marker on the input stream, thus making"
                " calls to 'wsgi.input.read()' unsafe. Conforming servers may never"
                " return from this call.",
                WSGIWarning,
                stacklevel=2,
            )
        elif len(args) != 1:
            warn("Too many parameters passed to 'wsgi.input.read()'.", WSGIWarning, stacklevel=2)
            args = args[:1]
        return self._stream.read(*args)

    def readline(self, *args: t.Any) -> bytes:
        if len(args) == 0:
            warn(
                "Calls to 'wsgi.input.readline()' without arguments are unsafe. Use"
                " 'wsgi.input.read()' instead.",
                WSGIWarning,
                stacklevel=2,
            )
        elif len(args) == 1:
            warn(
                "'wsgi.input.readline()' was called with a size hint. WSGI does not"
                " support this, although it's available on all major servers.",
                WSGIWarning,
                stacklevel=2,
            )
        else:
            raise TypeError("Too many arguments passed to 'wsgi.input.readline()'.")
        return self._stream.readline(*args)

    def __iter__(self) -> t.Iterator[bytes]:
        try:
            return iter(self._stream)
        except TypeError:
            warn("'wsgi.input' is not iterable.", WSGIWarning, stacklevel=2)
            return iter(())

    def close(self) -> None:
        warn("The application closed the input stream!", WSGIWarning, stacklevel=2)
        self._stream.close()


class ErrorStream:
    """Wraps ``wsgi.errors``, checking that only text is written and that
    the application does not close it.
    """

    def __init__(self, stream: t.IO[str]) -> None:
        self._stream = stream

    def write(self, s: str) -> None:
        check_type("wsgi.error.write()", s, str)
        if isinstance(s, bytes):
            s = s.decode("utf-8", "replace")  # keep the message, warn only
        self._stream.write(s)

    def flush(self) -> None:
        self._stream.flush()

    def writelines(self, seq: t.Iterable[str]) -> None:
        for line in seq:
            self.write(line)

    def close(self) -> None:
        warn("The application closed the error stream!", WSGIWarning, stacklevel=2)
        self._stream.close()


class GuardedWrite:
    """Wraps the ``write`` callable: checks the type and counts bytes."""

    def __init__(self, write: t.Callable[[bytes], object], chunks: list[int]) -> None:
        self._write = write
        self._chunks = chunks

    def __call__(self, s: bytes) -> None:
        check_type("write()", s, bytes)
        self._write(s)
        self._chunks.append(len(s))


class GuardedIterator:
    """Wraps the application's iterable: checks each item, and on close the
    body against the status and ``Content-Length``.
    """

    def __init__(
        self,
        iterator: t.Iterable[bytes],
        headers_set: tuple[int, Headers],
        chunks: list[int],
    ) -> None:
        self._iterator = iter(iterator)
        self._close = getattr(iterator, "close", None)
        self.headers_set = headers_set
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> GuardedIterator:
        return self

    def __next__(self) -> bytes:
        if self.closed:
            warn("Iterated over closed 'app_iter'.", WSGIWarning, stacklevel=2)
        rv = next(self._iterator)
        if not self.headers_set:
            warn("The application returned before it started the response.", WSGIWarning, stacklevel=2)
        check_type("application iterator items", rv, bytes)
        if isinstance(rv, (bytes, bytearray, str)):
            self.chunks.append(len(rv))
        return rv

    def close(self) -> None:
        self.closed = True
        if self._close is not None:
            self._close()
        if self.headers_set:
            status_code, headers = self.headers_set
            self._check_body(status_code, headers, sum(self.chunks))

    @staticmethod
    def _check_body(status_code: int, headers: Headers, bytes_sent: int) -> None:
        content_length = headers.get("content-length", type=int)
        if status_code == 304:
            for key, _value in headers:
                key = key.lower()
                if key not in ("expires", "content-location") and is_entity_header(key):
                    warn(f"Entity header {key!r} found in 304 response.", HTTPWarning, stacklevel=3)
            if bytes_sent:
                warn("304 responses must not have a body.", HTTPWarning, stacklevel=3)
        elif 100 <= status_code < 200 or status_code == 204:
            if content_length not in (None, 0):
                warn(f"{status_code} responses must have an empty content length.", HTTPWarning, stacklevel=3)
            if bytes_sent:
                warn(f"{status_code} responses must not have a body.", HTTPWarning, stacklevel=3)
        elif content_length is not None and content_length != bytes_sent:
            warn(
                "Content-Length and the number of bytes sent to the client do not match.",
                WSGIWarning,
                stacklevel=3,
            )

    def __del__(self) -> None:
        if not self.closed:
            try:
                warn("Iterator was garbage collected before it was closed.", WSGIWarning, stacklevel=2)
            except Exception:
                pass


class LintMiddleware:
    """Warn about WSGI and HTTP mistakes of ``app`` and its server. Meant
    for development and tests; it adds overhead to every request.

    :param app: the application to check.
    """

    def __init__(self, app: WSGIApplication) -> None:
        #: The checked application.
        self.app = app

    def check_environ(self, environ: WSGIEnvironment) -> None:
        """Warn about a malformed environ."""
        if type(environ) is not dict:
            warn("WSGI environment is not a standard Python dict.", WSGIWarning, stacklevel=4)
        for key in _REQUIRED_KEYS:
            if key not in environ:
                warn(f"Required environment key {key!r} not found", WSGIWarning, stacklevel=3)
        if hasattr(environ, "get"):
            if environ.get("wsgi.version") != (1, 0):
                warn("Environ is not a WSGI 1.0 environ.", WSGIWarning, stacklevel=3)
            script_name = environ.get("SCRIPT_NAME", "")
            path_info = environ.get("PATH_INFO", "")
            if script_name and script_name[0] != "/":
                warn(f"'SCRIPT_NAME' does not start with a slash: {script_name!r}", WSGIWarning, stacklevel=3)
            if path_info and path_info[0] != "/":
                warn(f"'PATH_INFO' does not start with a slash: {path_info!r}", WSGIWarning, stacklevel=3)

    def check_start_response(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: None | tuple[type[BaseException], BaseException, TracebackType],
    ) -> tuple[int, Headers]:
        """Warn about a malformed status, header list or ``exc_info``;
        return the status code and the headers.
        """
        check_type("status", status, str)
        status_code = self._status_code(str(status))
        if type(headers) is not list:
            warn("Header list is not a list.", WSGIWarning, stacklevel=3)
        valid: list[tuple[str, str]] = []
        for item in headers if isinstance(headers, (list, tuple)) else ():
            if type(item) is not tuple or len(item) != 2:
                warn("Header items must be 2-item tuples.", WSGIWarning, stacklevel=3)
                continue
            name, value = item
            if type(name) is not str or type(value) is not str:
                warn("Header keys and values must be strings.", WSGIWarning, stacklevel=3)
                continue
            if name.lower() == "status":
                warn(
                    "The status header is not supported due to conflicts with the CGI spec.",
                    WSGIWarning,
                    stacklevel=3,
                )
            valid.append((name, value))
        if exc_info is not None and not isinstance(exc_info, tuple):
            warn("Invalid value for exc_info.", WSGIWarning, stacklevel=3)
        checked = Headers(valid)
        self.check_headers(checked)
        return status_code, checked

    @staticmethod
    def _status_code(status: str) -> int:
        code_text = status.split(None, 1)[0] if status.strip() else ""
        if len(code_text) != 3 or not code_text.isdigit() or not code_text.isascii():
            warn("Status code must be three digits.", WSGIWarning, stacklevel=4)
        if len(status) < 4 or status[3] != " ":
            warn(
                f"Invalid value for status {status!r}. Valid status strings are three"
                " digits, a space and a status explanation.",
                WSGIWarning,
                stacklevel=4,
            )
        status_code = int(code_text) if code_text.isdigit() and code_text.isascii() else 0
        if code_text.isdigit() and status_code < 100:
            warn("Status code < 100 detected.", WSGIWarning, stacklevel=4)
        return status_code

    def check_headers(self, headers: Headers) -> None:
        """Warn about malformed ETag and Location headers."""
        etag = headers.get("etag")
        if etag is not None:
            if etag.startswith(("W/", "w/")):
                if etag.startswith("w/"):
                    warn("Weak etag indicator should be upper case.", HTTPWarning, stacklevel=4)
                etag = etag[2:]
            if not (etag[:1] == etag[-1:] == '"'):
                warn("Unquoted etag emitted.", HTTPWarning, stacklevel=4)
        location = headers.get("location")
        if location is not None and not urlsplit(location).netloc:
            warn("Absolute URLs required for location header.", HTTPWarning, stacklevel=4)

    def check_iterator(self, app_iter: t.Iterable[bytes]) -> None:
        """Warn when the application returned a string instead of an
        iterable of byte strings.
        """
        if isinstance(app_iter, (str, bytes)):
            warn(
                "The application returned a string. The response will send one"
                " character at a time to the client, which will kill performance."
                " Return a list or iterable instead.",
                WSGIWarning,
                stacklevel=3,
            )

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Iterable[bytes]:
        if len(args) != 2:
            warn("A WSGI app takes two arguments.", WSGIWarning, stacklevel=2)
        if kwargs:
            warn("A WSGI app does not take keyword arguments.", WSGIWarning, stacklevel=2)
        environ: WSGIEnvironment = args[0] if args else kwargs["environ"]
        start_response: StartResponse = args[1] if len(args) > 1 else kwargs["start_response"]
        self.check_environ(environ)
        environ["wsgi.input"] = InputStream(environ["wsgi.input"])
        environ["wsgi.errors"] = ErrorStream(environ["wsgi.errors"])
        # Hook our own file wrapper so the body still passes our checks.
        environ["wsgi.file_wrapper"] = FileWrapper
        headers_set: list[t.Any] = []
        chunks: list[int] = []

        def checking_start_response(*args: t.Any, **kwargs: t.Any) -> t.Callable[[bytes], None]:
            if len(args) not in (2, 3):
                warn(f"Invalid number of arguments: {len(args)}, expected 2 or 3.", WSGIWarning, stacklevel=2)
            if kwargs:
                warn("'start_response' does not take keyword arguments.", WSGIWarning, stacklevel=2)
            status: t.Any = args[0] if args else kwargs.get("status")
            headers = args[1] if len(args) > 1 else kwargs.get("headers", [])
            exc_info = args[2] if len(args) > 2 else kwargs.get("exc_info")
            headers_set[:] = self.check_start_response(status, headers, exc_info)
            return GuardedWrite(start_response(status, headers, exc_info), chunks)

        app_iter = self.app(environ, t.cast("StartResponse", checking_start_response))
        self.check_iterator(app_iter)
        return GuardedIterator(app_iter, t.cast(t.Tuple[int, Headers], headers_set), chunks)
