"""WSGI helpers: read facts out of an environ, guard the input stream, and
wrap response iterables.

The URL and host logic lives IO-free in :mod:`wsgikit.sansio.utils`; the
functions here only pull the right keys out of the environ. The input
stream is wrapped in a :class:`LimitedStream` so an application can never
read past the request body (and block waiting for bytes that belong to the
next request on a kept-alive connection).
"""

from __future__ import annotations

import io
import typing as t
from functools import update_wrapper
from urllib.parse import unquote
from urllib.parse import urljoin
from urllib.parse import urlsplit

from ._internal import _wsgi_decoding_dance
from .exceptions import ClientDisconnected
from .exceptions import RequestEntityTooLarge
from .sansio import utils as _sansio_utils
from .sansio.utils import host_is_trusted as host_is_trusted

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

__all__ = [
    "responder",
    "get_current_url",
    "get_host",
    "get_content_length",
    "get_input_stream",
    "get_path_info",
    "host_is_trusted",
    "peek_path_info",
    "pop_path_info",
    "extract_path_info",
    "ClosingIterator",
    "FileWrapper",
    "wrap_file",
    "LimitedStream",
]


def responder(f: t.Callable[..., WSGIApplication]) -> WSGIApplication:
    """Turn a function that *returns* a WSGI application (typically a
    response object) into a WSGI application itself::

        @responder
        def app(environ, start_response):
            return Response("Hello World!")

    :param f: called with the WSGI arguments; its result is then called
        with the last two of them (``environ``, ``start_response``).
    """

    def application(*args: t.Any) -> t.Iterable[bytes]:
        return f(*args)(*args[-2:])

    return update_wrapper(application, f)


def _get_server(environ: WSGIEnvironment) -> tuple[str, int | None] | None:
    """The ``(SERVER_NAME, SERVER_PORT)`` pair, or ``None`` without a name."""
    name = environ.get("SERVER_NAME")
    if name is None:
        return None
    try:
        port: int | None = int(environ.get("SERVER_PORT", None))  # type: ignore[arg-type]  # None raises TypeError, caught below
    except (TypeError, ValueError):
        port = None
    return name, port


def get_current_url(
    environ: WSGIEnvironment,
    root_only: bool = False,
    strip_querystring: bool = False,
    host_only: bool = False,
    trusted_hosts: t.Collection[str] | None = None,
) -> str:
    """Rebuild the URL the request was made to, as an IRI.

    :param environ: the WSGI environ.
    :param root_only: stop after the application root (``SCRIPT_NAME``).
    :param strip_querystring: leave out the query string.
    :param host_only: stop after the host.
    :param trusted_hosts: see :func:`get_host`.
    """
    scheme = environ["wsgi.url_scheme"]
    host = get_host(environ, trusted_hosts)
    if host_only:
        return _sansio_utils.get_current_url(scheme, host)
    root_path = environ.get("SCRIPT_NAME", "")
    if root_only:
        return _sansio_utils.get_current_url(scheme, host, root_path)
    path = environ.get("PATH_INFO", "")
    if strip_querystring:
        return _sansio_utils.get_current_url(scheme, host, root_path, path)
    query = environ.get("QUERY_STRING", "").encode("latin1")
    return _sansio_utils.get_current_url(scheme, host, root_path, path, query)


def get_host(environ: WSGIEnvironment, trusted_hosts: t.Collection[str] | None = None) -> str:
    """Return the request's host (``Host`` header, else server name and
    port), without the scheme's default port; ``""`` when it is malformed.

    :param environ: the WSGI environ.
    :param trusted_hosts: when not empty, a host outside this list raises
        :exc:`~wsgikit.exceptions.SecurityError` (400).
    """
    return _sansio_utils.get_host(
        environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), _get_server(environ), trusted_hosts
    )


def get_content_length(environ: WSGIEnvironment) -> int | None:
    """Return the body length from ``CONTENT_LENGTH``: ``None`` when it is
    missing or the body is chunked, 0 when it is malformed.

    :param environ: the WSGI environ.
    """
    return _sansio_utils.get_content_length(
        environ.get("CONTENT_LENGTH"), environ.get("HTTP_TRANSFER_ENCODING")
    )


def get_input_stream(
    environ: WSGIEnvironment,
    safe_fallback: bool = True,
    max_content_length: int | None = None,
) -> t.IO[bytes]:
    """Return a stream of the request body that is safe to read to the end.

    - A declared ``Content-Length`` bigger than ``max_content_length``
      raises :exc:`~wsgikit.exceptions.RequestEntityTooLarge`.
    - When the server marks the input as terminated
      (``wsgi.input_terminated``, e.g. a de-chunked body) it is returned as
      it is, or capped at ``max_content_length`` (413 past it).
    - With a ``Content-Length`` the stream is a :class:`LimitedStream` that
      stops there.
    - Without a length, reading could block forever, so an empty stream is
      returned unless ``safe_fallback`` is false.

    :param environ: the WSGI environ.
    :param safe_fallback: return an empty stream when the length is unknown.
    :param max_content_length: the largest body accepted.
    """
    # PERF: no ``t.cast`` here (it is a function call, and ``t.IO[bytes]``
    # another, on every request with a body); annotations say the same.
    stream: t.IO[bytes] = environ["wsgi.input"]
    content_length = get_content_length(environ)
    if content_length is not None and max_content_length is not None:
        if content_length > max_content_length:
            raise RequestEntityTooLarge()
    if "wsgi.input_terminated" in environ:
        if max_content_length is not None:
            return LimitedStream(stream, max_content_length, is_max=True)  # type: ignore[return-value]  # a RawIOBase: reads as IO[bytes]
        return stream
    if content_length is None:
        return io.BytesIO() if safe_fallback else stream
    return LimitedStream(stream, content_length)  # type: ignore[return-value]  # as above


def get_path_info(environ: WSGIEnvironment) -> str:
    """Return ``PATH_INFO`` as text (bytes decoded as UTF-8, invalid bytes
    replaced).

    :param environ: the WSGI environ.
    """
    return _wsgi_decoding_dance(environ.get("PATH_INFO", ""))


def peek_path_info(environ: WSGIEnvironment, charset: str = "utf-8", errors: str = "replace") -> str:
    """Return the first segment of ``PATH_INFO`` without changing the
    environ (``"/a/b"`` gives ``"a"``; an empty path gives ``""``).

    Kept from Werkzeug 0.8 (gone from 3.1) for dispatchers written against it.

    :param environ: the WSGI environ.
    :param charset: the encoding of the path bytes.
    :param errors: the decoding error handling.
    """
    segment: str = environ.get("PATH_INFO", "").lstrip("/").partition("/")[0]
    return segment.encode("latin1").decode(charset, errors)


def pop_path_info(
    environ: WSGIEnvironment, charset: str = "utf-8", errors: str = "replace"
) -> str | None:
    """Move the first segment of ``PATH_INFO`` to the end of
    ``SCRIPT_NAME`` and return it, ``None`` when the path is empty.

    Slashes before the segment move along, so ``SCRIPT_NAME + PATH_INFO``
    is unchanged. Kept from Werkzeug 0.8 (gone from 3.1) for dispatchers
    that mount applications under a prefix.

    :param environ: the WSGI environ; modified in place.
    :param charset: the encoding of the path bytes.
    :param errors: the decoding error handling.
    """
    path: str | None = environ.get("PATH_INFO")
    if not path:
        return None
    script_name = environ.get("SCRIPT_NAME", "")
    rest = path.lstrip("/")
    script_name += "/" * (len(path) - len(rest))
    segment, slash, rest = rest.partition("/")
    environ["PATH_INFO"] = slash + rest
    environ["SCRIPT_NAME"] = script_name + segment
    return segment.encode("latin1").decode(charset, errors)


def _url_key(url: str) -> tuple[str, str, str]:
    """Split an absolute URL into (scheme, normalised host[:port], path)
    for :func:`extract_path_info`: the host is compared in its IDNA form and
    without the scheme's default port; the path is percent-decoded.
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    if host.startswith("["):
        end = host.find("]") + 1
        name, port = host[:end], host[end + 1 :]
    else:
        name, _, port = host.partition(":")
    if (parts.scheme, port) in (("http", "80"), ("https", "443")):
        port = ""
    try:
        name = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        name = name.lower()
    netloc = f"{name}:{port}" if port else name
    return parts.scheme, netloc, unquote(parts.path, errors="replace")


def extract_path_info(
    environ_or_baseurl: str | WSGIEnvironment,
    path_or_url: str,
    charset: str = "utf-8",
    errors: str = "replace",
    collapse_http_schemes: bool = True,
) -> str | None:
    """Return the path of ``path_or_url`` relative to an application's root
    URL, or ``None`` when the URL does not point into that application.

    >>> extract_path_info("http://example.com/app", "/app/hello")
    '/hello'
    >>> extract_path_info("http://example.com/app", "https://other.com/app/hello") is None
    True

    Kept from Werkzeug 0.8/2.x (gone from 3.1).

    :param environ_or_baseurl: the application root URL, or an environ to
        compute it from.
    :param path_or_url: an absolute URL or a path (joined to the root).
    :param charset: unused; kept for signature compatibility.
    :param errors: unused; kept for signature compatibility.
    :param collapse_http_schemes: treat ``http`` and ``https`` as the same
        application; otherwise the schemes must match.
    """
    if isinstance(environ_or_baseurl, dict):
        environ_or_baseurl = get_current_url(environ_or_baseurl, root_only=True)
    base_scheme, base_netloc, base_path = _url_key(environ_or_baseurl)
    cur_scheme, cur_netloc, cur_path = _url_key(urljoin(environ_or_baseurl, path_or_url))
    if collapse_http_schemes:
        if base_scheme not in ("http", "https") or cur_scheme not in ("http", "https"):
            return None
    elif base_scheme not in ("http", "https") or base_scheme != cur_scheme:
        return None
    if base_netloc != cur_netloc:
        return None
    base_path = base_path.rstrip("/")
    if cur_path != base_path and not cur_path.startswith(base_path + "/"):
        return None
    return "/" + cur_path[len(base_path) :].lstrip("/")


class ClosingIterator:
    """Wrap a response iterable and run callbacks when the server closes it.

    The iterable's own ``close`` runs first, then ``callbacks`` in order::

        return ClosingIterator(app(environ, start_response), [cleanup_session, cleanup_locals])

    :param iterable: the response body.
    :param callbacks: one callable or several, called without arguments.
    """

    def __init__(
        self,
        iterable: t.Iterable[bytes],
        callbacks: None | (t.Callable[[], None] | t.Iterable[t.Callable[[], None]]) = None,
    ) -> None:
        # PERF: bind the iterator's __next__ once; __next__ below is then a
        # single call per chunk.
        self._next = iter(iterable).__next__
        if callbacks is None:
            callback_list: list[t.Callable[[], None]] = []
        elif callable(callbacks):
            callback_list = [callbacks]
        else:
            callback_list = list(callbacks)
        iterable_close = getattr(iterable, "close", None)
        if iterable_close is not None:
            callback_list.insert(0, iterable_close)
        self._callbacks = callback_list

    def __iter__(self) -> ClosingIterator:
        return self

    def __next__(self) -> bytes:
        return self._next()

    def close(self) -> None:
        """Run the callbacks."""
        for callback in self._callbacks:
            callback()


def wrap_file(environ: WSGIEnvironment, file: t.IO[bytes], buffer_size: int = 8192) -> t.Iterable[bytes]:
    """Return an iterable over ``file`` in ``buffer_size`` blocks, using the
    server's ``wsgi.file_wrapper`` (which may send the file with
    ``sendfile``) when it offers one, else :class:`FileWrapper`.

    :param environ: the WSGI environ.
    :param file: a binary file opened for reading.
    :param buffer_size: the block size.
    """
    return environ.get("wsgi.file_wrapper", FileWrapper)(file, buffer_size)  # type: ignore[no-any-return]  # the server's (PEP 3333) or ours: bytes chunks


class FileWrapper:
    """Iterate over a file in blocks, closing it when the iterable is closed.

    :param file: a binary file opened for reading.
    :param buffer_size: the block size.
    """

    def __init__(self, file: t.IO[bytes], buffer_size: int = 8192) -> None:
        self.file = file
        self.buffer_size = buffer_size

    def close(self) -> None:
        """Close the file, if it can be closed."""
        if hasattr(self.file, "close"):
            self.file.close()

    def seekable(self) -> bool:
        """Whether the file supports :meth:`seek`."""
        if hasattr(self.file, "seekable"):
            return self.file.seekable()
        return hasattr(self.file, "seek")

    def seek(self, *args: t.Any) -> None:
        """Seek the file, when it supports it."""
        if hasattr(self.file, "seek"):
            self.file.seek(*args)

    def tell(self) -> int | None:
        """The file position, or ``None`` when it is unknown."""
        if hasattr(self.file, "tell"):
            return self.file.tell()
        return None

    def __iter__(self) -> FileWrapper:
        return self

    def __next__(self) -> bytes:
        data = self.file.read(self.buffer_size)
        if data:
            return data
        raise StopIteration()


class _RangeWrapper:
    """Yield only bytes ``start_byte`` to ``start_byte + byte_range`` of a
    response iterable or file (used for ``Range`` responses).

    A seekable source is seeked to the start; otherwise chunks are skipped
    and the first one sliced. ``byte_range=None`` means to the end.
    """

    def __init__(
        self,
        iterable: t.Iterable[bytes] | t.IO[bytes],
        start_byte: int = 0,
        byte_range: int | None = None,
    ) -> None:
        self.iterable = iter(iterable)
        #: The source object, kept for seeking (``iter()`` of a file-like
        #: wrapper is usually the object itself).
        self._source = iterable
        self.byte_range = byte_range
        self.start_byte = start_byte
        self.end_byte = None if byte_range is None else start_byte + byte_range
        #: Offset in the source just past the last chunk taken from it.
        self.read_length = 0
        seekable = getattr(iterable, "seekable", None)
        self.seekable = bool(seekable()) if callable(seekable) else False
        self.end_reached = False
        self._started = False

    def __iter__(self) -> _RangeWrapper:
        return self

    def _next_chunk(self) -> bytes:
        try:
            chunk = next(self.iterable)
        except StopIteration:
            self.end_reached = True
            raise
        self.read_length += len(chunk)
        return chunk

    def _start(self) -> None:
        self._started = True
        if self.seekable and self.start_byte:
            self._source.seek(self.start_byte)  # type: ignore[union-attr]  # seekable: a file
            self.read_length = self.start_byte

    def __next__(self) -> bytes:
        if not self._started:
            self._start()
        while True:
            if self.end_reached or (self.end_byte is not None and self.read_length >= self.end_byte):
                self.end_reached = True
                raise StopIteration()
            chunk_start = self.read_length
            chunk = self._next_chunk()
            if self.read_length <= self.start_byte:
                continue
            low = max(self.start_byte - chunk_start, 0)
            high = len(chunk) if self.end_byte is None else min(len(chunk), self.end_byte - chunk_start)
            if high > low:
                return chunk[low:high]

    def close(self) -> None:
        """Close the source, if it can be closed."""
        close = getattr(self._source, "close", None)
        if close is not None:
            close()


class LimitedStream(io.RawIOBase):
    """A read-only stream that yields at most ``limit`` bytes of another.

    Theory of operation: WSGI servers may hand over the raw socket file as
    ``wsgi.input``; reading past ``Content-Length`` would block until the
    client sends more (it never will) or eat the next pipelined request.
    This wrapper counts bytes and never asks the inner stream for more
    than what remains (``_pos`` counts bytes handed out; ``limit`` is the
    cap). Two meanings of the limit:

    - ``is_max=False``: ``limit`` is the exact body length. If the inner
      stream ends early, or raises, the client went away:
      :meth:`on_disconnect` raises :exc:`~wsgikit.exceptions.ClientDisconnected`
      (a 400). At the limit, reads return ``b""``.
    - ``is_max=True``: ``limit`` is an upper bound (a body of unknown
      length, such as a de-chunked one). An early end is just the end; a
      read attempted at the limit means the body is too large:
      :meth:`on_exhausted` raises :exc:`~wsgikit.exceptions.RequestEntityTooLarge`.

    :param stream: the inner stream (anything with ``read(n)``).
    :param limit: the byte cap.
    :param is_max: whether ``limit`` is a maximum rather than the length.
    """

    def __init__(self, stream: t.IO[bytes], limit: int, is_max: bool = False) -> None:
        self._stream = stream
        self._pos = 0
        self.limit = limit
        self._limit_is_max = is_max

    @property
    def is_exhausted(self) -> bool:
        """Whether the limit has been reached."""
        return self._pos >= self.limit

    def on_exhausted(self) -> None:
        """Called when a read is attempted at the limit. Raises
        :exc:`~wsgikit.exceptions.RequestEntityTooLarge` when the limit is
        a maximum; otherwise the read returns ``b""``.
        """
        if self._limit_is_max:
            raise RequestEntityTooLarge()

    def on_disconnect(self, error: Exception | None = None) -> None:
        """Called when the inner stream ends before an exact limit, or
        raises. Raises :exc:`~wsgikit.exceptions.ClientDisconnected`.

        :param error: the exception raised by the inner stream, if any.
        """
        raise ClientDisconnected()

    def exhaust(self) -> bytes:
        """Read and return whatever remains up to the limit, so the next
        request on the connection starts at the right place.
        """
        if self._pos >= self.limit:
            return b""
        return self.readall()

    def _read_inner(self, size: int) -> bytes:
        """Read at most ``size`` (> 0, within the limit) bytes from the inner
        stream, handling errors and an early end.
        """
        try:
            data = self._stream.read(size)
        except (OSError, ValueError) as e:
            self.on_disconnect(error=e)
            return b""
        if not data:
            if not self._limit_is_max:
                self.on_disconnect()
            return b""
        if len(data) > size:
            # A misbehaving inner stream must not move us past the limit.
            data = data[:size]
        self._pos += len(data)
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all that remain when negative)."""
        # PERF: overridden so a sized read is one call into the inner stream,
        # without RawIOBase's buffer allocation and readinto round trip.
        if size is None or size < 0:
            return self.readall()
        if size == 0:
            return b""
        remaining = self.limit - self._pos
        if remaining <= 0:
            self.on_exhausted()
            return b""
        return self._read_inner(min(size, remaining))

    def readinto(self, b: bytearray) -> int | None:  # type: ignore[override]  # any writable buffer taking slice assignment
        """Read into a buffer; returns the number of bytes read."""
        data = self.read(len(b))
        size = len(data)
        b[:size] = data
        return size

    def readall(self) -> bytes:
        """Read everything up to the limit."""
        if self._pos >= self.limit:
            self.on_exhausted()
            return b""
        parts = []
        while self._pos < self.limit:
            data = self._read_inner(min(self.limit - self._pos, 65536))
            if not data:
                break
            parts.append(data)
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line, at most ``size`` bytes, never past the limit."""
        if size == 0:
            return b""
        remaining = self.limit - self._pos
        if remaining <= 0:
            self.on_exhausted()
            return b""
        inner_readline = getattr(self._stream, "readline", None)
        if inner_readline is None:
            # Byte-at-a-time through read(); slow but always correct.
            return super().readline(-1 if size is None else size)
        capped_by_limit = size is None or size < 0 or size > remaining
        want = remaining if capped_by_limit else t.cast(int, size)
        try:
            line: bytes = inner_readline(want)
        except (OSError, ValueError) as e:
            self.on_disconnect(error=e)
            return b""
        if len(line) > want:
            line = line[:want]
        self._pos += len(line)
        if line.endswith(b"\n"):
            return line
        if len(line) < want:
            # The inner stream ended inside the body.
            if not self._limit_is_max:
                self.on_disconnect()
        elif capped_by_limit:
            # The line runs on past the limit.
            self.on_exhausted()
        return line

    def tell(self) -> int:
        """The number of bytes read so far."""
        return self._pos

    def readable(self) -> bool:
        return True
