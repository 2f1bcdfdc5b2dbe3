"""Parse form bodies (``multipart/form-data`` and URL-encoded) from a stream.

:class:`FormDataParser` picks a parser by mimetype and enforces the limits;
:class:`MultiPartParser` drives the IO-free
:class:`~wsgikit.sansio.multipart.MultipartDecoder` with large reads,
collecting field values in memory and streaming file parts into containers
made by a ``stream_factory`` (by default, spooled to disk past 500 KiB).
"""

from __future__ import annotations

import codecs
import typing as t
from io import BytesIO
from tempfile import SpooledTemporaryFile
from urllib.parse import unquote

from .datastructures import FileStorage
from .datastructures import MultiDict
from ._internal import _plain_int
from .exceptions import InvalidFormData as InvalidFormData  # the formparser's error, at its old place too
from .exceptions import RequestEntityTooLarge
from .http import parse_options_header
from .sansio.multipart import NEED_DATA
from .sansio.multipart import Data
from .sansio.multipart import Epilogue
from .sansio.multipart import Field
from .sansio.multipart import File
from .sansio.multipart import MultipartDecoder
from .wsgi import get_content_length
from .wsgi import get_input_stream

if t.TYPE_CHECKING:
    import typing_extensions as te
    from _typeshed.wsgi import WSGIEnvironment

    from .datastructures import Headers

    t_parse_result = t.Tuple[
        t.IO[bytes], "MultiDict[str, str]", "MultiDict[str, FileStorage]"
    ]

    class TStreamFactory(te.Protocol):
        def __call__(
            self,
            total_content_length: int | None,
            content_type: str | None,
            filename: str | None,
            content_length: int | None = None,
        ) -> t.IO[bytes]: ...


#: File parts up to this size stay in memory; larger ones go to disk.
_SPOOL_THRESHOLD = 500 * 1024

#: Bytes read from a multipart body at a time (Werkzeug's buffer size)...
_READ_SIZE = 64 * 1024
#: ...and for bodies of at least ``_LARGE_BODY`` bytes.
_LARGE_READ_SIZE = 256 * 1024
_LARGE_BODY = 1024 * 1024

#: Part charsets honoured for field values; anything else decodes as UTF-8,
#: as browsers always send UTF-8 (or the page's charset, which is declared
#: through the ``_charset_`` field, not per part).
_PART_CHARSETS = frozenset({"ascii", "us-ascii", "utf-8", "iso-8859-1"})


def default_stream_factory(
    total_content_length: int | None,
    content_type: str | None,
    filename: str | None,
    content_length: int | None = None,
) -> t.IO[bytes]:
    """Return a container for one uploaded file.

    A request whose whole body is known to fit in 500 KiB gets a plain
    :class:`~io.BytesIO`; otherwise a :class:`~tempfile.SpooledTemporaryFile`
    that moves to disk once it holds more than 500 KiB.

    :param total_content_length: Length of the whole request body, if known.
    :param content_type: The part's ``Content-Type``.
    :param filename: The uploaded file's name.
    :param content_length: The part's own ``Content-Length`` header, if any.
    """
    if total_content_length is not None and total_content_length <= _SPOOL_THRESHOLD:
        # PERF: a BytesIO avoids SpooledTemporaryFile's wrapper on every call.
        return BytesIO()
    return t.cast(t.IO[bytes], SpooledTemporaryFile(max_size=_SPOOL_THRESHOLD, mode="rb+"))


def parse_form_data(
    environ: WSGIEnvironment,
    stream_factory: TStreamFactory | None = None,
    max_form_memory_size: int | None = None,
    max_content_length: int | None = None,
    cls: type[MultiDict[str, t.Any]] | None = None,
    silent: bool = True,
    *,
    max_form_parts: int | None = None,
) -> t_parse_result:
    """Parse the form data in a WSGI environ.

    Returns ``(stream, form, files)``. For ``multipart/form-data`` and
    ``application/x-www-form-urlencoded`` bodies the stream is consumed;
    for other content types it is returned unread and both dicts are empty.

    :param environ: The WSGI environment.
    :param stream_factory: Makes the container for each file part, see
        :func:`default_stream_factory`.
    :param max_form_memory_size: The largest non-file field value (and the
        largest URL-encoded body) in bytes; beyond it
        :exc:`~wsgikit.exceptions.RequestEntityTooLarge` is raised.
    :param max_content_length: The largest body accepted; a larger declared
        ``Content-Length`` raises ``RequestEntityTooLarge`` before reading.
    :param cls: The :class:`~wsgikit.datastructures.MultiDict` class to use.
    :param silent: Return empty results for malformed bodies instead of
        raising. Limits (413) are always raised.
    :param max_form_parts: The largest number of multipart parts.
    """
    return FormDataParser(
        stream_factory=stream_factory,
        max_form_memory_size=max_form_memory_size,
        max_content_length=max_content_length,
        cls=cls,
        silent=silent,
        max_form_parts=max_form_parts,
    ).parse_from_environ(environ)


def _resolve_defaults(
    stream_factory: TStreamFactory | None, cls: type[MultiDict[str, t.Any]] | None
) -> tuple[TStreamFactory, type[MultiDict[str, t.Any]]]:
    """The stream factory and result class both parsers fall back to."""
    if cls is None:
        cls = MultiDict
    return stream_factory or default_stream_factory, cls


class FormDataParser:
    """Parse form bodies according to their mimetype, within limits.

    :param stream_factory: Makes the container for each file part, see
        :func:`default_stream_factory`.
    :param max_form_memory_size: The largest non-file field value (and the
        largest URL-encoded body) in bytes.
    :param max_content_length: The largest body accepted.
    :param cls: The :class:`~wsgikit.datastructures.MultiDict` class to use.
    :param silent: Return empty results for malformed bodies instead of
        raising. Limits (413) are always raised.
    :param max_form_parts: The largest number of multipart parts.
    """

    def __init__(
        self,
        stream_factory: TStreamFactory | None = None,
        max_form_memory_size: int | None = None,
        max_content_length: int | None = None,
        cls: type[MultiDict[str, t.Any]] | None = None,
        silent: bool = True,
        *,
        max_form_parts: int | None = None,
    ) -> None:
        stream_factory, cls = _resolve_defaults(stream_factory, cls)
        #: Makes the container for each file part.
        self.stream_factory = stream_factory
        #: The largest non-file field value or URL-encoded body, in bytes.
        self.max_form_memory_size = max_form_memory_size
        #: The largest body accepted, in bytes.
        self.max_content_length = max_content_length
        #: The largest number of multipart parts.
        self.max_form_parts = max_form_parts
        #: The dict class for the results.
        self.cls = cls
        #: Whether malformed bodies give empty results instead of errors.
        self.silent = silent

    def parse_from_environ(self, environ: WSGIEnvironment) -> t_parse_result:
        """Parse the body of a WSGI environ; see :meth:`parse`."""

        stream = get_input_stream(environ, max_content_length=self.max_content_length)
        content_length = get_content_length(environ)
        mimetype, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
        return self.parse(stream, mimetype, content_length, options=options)

    def parse(
        self,
        stream: t.IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str] | None = None,
    ) -> t_parse_result:
        """Parse a body of the given mimetype from ``stream``.

        Returns ``(stream, form, files)``. Unsupported mimetypes leave the
        stream unread and return empty dicts.

        :param stream: The body; at most ``content_length`` bytes are read.
        :param mimetype: The body's mimetype, without parameters.
        :param content_length: The body's length, if known.
        :param options: The ``Content-Type`` parameters (``boundary``).
        """
        # Mimetypes are case-insensitive (RFC 9110); Werkzeug only matches lowercase.
        mimetype = mimetype.lower()
        if mimetype == "multipart/form-data":
            parse_func = self._parse_multipart
        elif mimetype == "application/x-www-form-urlencoded":
            parse_func = self._parse_urlencoded
        else:
            return stream, self.cls(), self.cls()
        if (
            self.max_content_length is not None
            and content_length is not None
            and content_length > self.max_content_length
        ):
            raise RequestEntityTooLarge(
                f"The request body ({content_length} bytes) exceeds"
                f" max_content_length={self.max_content_length} bytes."
            )
        if options is None:
            options = {}
        try:
            return parse_func(stream, mimetype, content_length, options)
        except ValueError:
            if not self.silent:
                raise
        return stream, self.cls(), self.cls()

    def _parse_multipart(
        self,
        stream: t.IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> t_parse_result:
        boundary = options.get("boundary", "")
        if not boundary:
            raise InvalidFormData("Missing boundary in the multipart/form-data Content-Type.")
        try:
            boundary_bytes = boundary.encode("ascii")
        except UnicodeEncodeError:
            raise InvalidFormData("The multipart boundary is not ASCII.") from None
        # PERF: big uploads are read in bigger chunks: the per-chunk Python
        # work (and, with the default factory, the number of temp-file
        # writes) drops fourfold. Past 256 KiB a fresh chunk no longer comes
        # from recycled heap memory and page faults eat the gain.
        large = content_length is not None and content_length >= _LARGE_BODY
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            cls=self.cls,
            buffer_size=_LARGE_READ_SIZE if large else _READ_SIZE,
            max_form_parts=self.max_form_parts,
        )
        form, files = parser.parse(stream, boundary_bytes, content_length)
        return stream, form, files

    def _parse_urlencoded(
        self,
        stream: t.IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> t_parse_result:
        limit = self.max_form_memory_size
        if limit is not None and content_length is not None and content_length > limit:
            raise RequestEntityTooLarge(_urlencoded_limit_message(limit))
        body = _read_urlencoded(stream, content_length, limit)
        try:
            text = body.decode()
        except UnicodeDecodeError:
            raise InvalidFormData("The URL-encoded form body is not valid UTF-8.") from None
        return stream, self.cls(_parse_pairs(text)), self.cls()


def _parse_pairs(text: str) -> list[tuple[str, str]]:
    """Split a URL-encoded body into pairs (``urllib.parse.parse_qsl`` with
    blank values kept and ``&`` as the only separator)."""
    # PERF: ``+`` means a space in keys and values alike and never touches
    # the ``&``/``=`` separators, so one replace over the whole body does
    # what a replace per key and value would (and, as there, it happens
    # before unquoting). Without any ``%`` nothing needs unquoting and each
    # pair is a bare ``partition``.
    if "+" in text:
        text = text.replace("+", " ")
    if "%" not in text:
        return [pair.partition("=")[::2] for pair in text.split("&") if pair]  # pyright: ignore[reportReturnType]  # (key, value): partition's two ends
    items = []
    for pair in text.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if "%" in key:
            key = unquote(key, errors=_URL_QUOTE_ERRORS)
        if "%" in value:
            value = unquote(value, errors=_URL_QUOTE_ERRORS)
        items.append((key, value))
    return items


def _urlencoded_limit_message(limit: int) -> str:
    return f"The URL-encoded form body exceeds max_form_memory_size={limit} bytes."


def _read_urlencoded(stream: t.IO[bytes], content_length: int | None, limit: int | None) -> bytes:
    """Read the whole URL-encoded body, never more than ``limit + 1`` bytes."""
    if content_length is not None:
        # PERF: a single read when the length is known.
        return _read_exactly(stream, content_length)
    if limit is None:
        return stream.read()
    body = _read_exactly(stream, limit + 1)
    if len(body) > limit:
        raise RequestEntityTooLarge(_urlencoded_limit_message(limit))
    return body


def _read_exactly(stream: t.IO[bytes], size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads until EOF."""
    data = stream.read(size)
    if len(data) >= size or not data:
        return data
    pieces = [data]
    remaining = size - len(data)
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        pieces.append(chunk)
        remaining -= len(chunk)
    return b"".join(pieces)


def _url_quote_errors(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: keep undecodable bytes as uppercase ``%XX``."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(f"%{byte:02X}" for byte in bad), error.end


_URL_QUOTE_ERRORS = "wsgikit.formparser.url_quote"
codecs.register_error(_URL_QUOTE_ERRORS, _url_quote_errors)


class MultiPartParser:
    """Parse a ``multipart/form-data`` body from a stream.

    :param stream_factory: Makes the container for each file part, see
        :func:`default_stream_factory`.
    :param max_form_memory_size: The largest non-file field value in bytes.
    :param cls: The :class:`~wsgikit.datastructures.MultiDict` class to use.
    :param buffer_size: How many bytes to read from the stream at a time.
    :param max_form_parts: The largest number of parts.
    """

    def __init__(
        self,
        stream_factory: TStreamFactory | None = None,
        max_form_memory_size: int | None = None,
        cls: type[MultiDict[str, t.Any]] | None = None,
        buffer_size: int = _READ_SIZE,
        max_form_parts: int | None = None,
    ) -> None:
        stream_factory, cls = _resolve_defaults(stream_factory, cls)
        #: Makes the container for each file part.
        self.stream_factory = stream_factory
        #: The largest non-file field value in bytes.
        self.max_form_memory_size = max_form_memory_size
        #: The largest number of parts.
        self.max_form_parts = max_form_parts
        #: The dict class for the results.
        self.cls = cls
        #: Bytes read from the stream at a time.
        self.buffer_size = buffer_size

    def fail(self, message: str) -> te.NoReturn:
        """Raise the error for a malformed body with ``message``."""
        raise InvalidFormData(message)

    def get_part_charset(self, headers: Headers) -> str:
        """Return the charset to decode a field value with.

        Only a few charsets named in the part's ``Content-Type`` are
        honoured; everything else is decoded as UTF-8.
        """
        content_type = headers.get("content-type")
        if content_type:
            charset = parse_options_header(content_type)[1].get("charset", "").lower()
            if charset in _PART_CHARSETS:
                return charset
        return "utf-8"

    def start_file_streaming(self, event: File, total_content_length: int | None) -> t.IO[bytes]:
        """Return the container for the file part that ``event`` starts."""
        content_type = event.headers.get("content-type")
        try:
            content_length = _plain_int(event.headers["content-length"])  # type: ignore[arg-type, unused-ignore]  # a str key gives a str (Headers.__getitem__ not yet overloaded)
        except (KeyError, ValueError):
            content_length = 0
        return self.stream_factory(
            total_content_length=total_content_length,
            content_type=content_type,
            filename=event.filename,
            content_length=content_length,
        )

    def parse(
        self, stream: t.IO[bytes], boundary: bytes, content_length: int | None
    ) -> tuple[MultiDict[str, str], MultiDict[str, FileStorage]]:
        """Parse the body in ``stream``; return ``(form, files)``.

        At most ``content_length`` bytes are read when it is given.

        :raises ValueError: (a 400 :class:`~wsgikit.exceptions.BadRequest`
            too) for a malformed body.
        :raises RequestEntityTooLarge: when a limit is exceeded.
        """
        try:
            decoder = MultipartDecoder(
                boundary, self.max_form_memory_size, max_parts=self.max_form_parts
            )
        except ValueError as e:
            raise InvalidFormData(str(e)) from None
        files: list[tuple[str, FileStorage]] = []
        try:
            fields = self._collect(decoder, stream, content_length, files)
        except BaseException as e:
            # Uploaded files may already sit in temporary files: close them.
            for _, storage in files:
                storage.close()
            if not isinstance(e, ValueError) or isinstance(e, InvalidFormData):
                raise
            raise InvalidFormData(str(e)) from e
        return self.cls(fields), self.cls(files)

    def _collect(
        self,
        decoder: MultipartDecoder,
        stream: t.IO[bytes],
        content_length: int | None,
        files: list[tuple[str, FileStorage]],
    ) -> list[tuple[str, str]]:
        """Run the decoder over ``stream``; append file parts to ``files``
        (as soon as they start, so a failure can close them) and return
        the fields."""
        # Deliberately long: the event loop is the hot path of every upload.

        fields: list[tuple[str, str]] = []
        part: Field | File | None = None
        container: t.IO[bytes] | None = None
        chunks: list[bytes] = []
        # PERF: bound methods hoisted out of the loop (512 chunks per 32 MiB).
        receive_data = decoder.receive_data
        next_event = decoder.next_event
        write: t.Callable[[bytes], object] | None = None
        for data in _chunk_iter(stream.read, self.buffer_size, content_length):
            receive_data(data)
            event = next_event()
            while event is not NEED_DATA:
                if type(event) is Data:
                    if container is not None:
                        write(event.data)  # type: ignore[misc]  # set with container
                    else:
                        chunks.append(event.data)
                    if not event.more_data:
                        if container is not None:
                            container.seek(0)
                            container = None
                        else:
                            value = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                            charset = self.get_part_charset(part.headers)  # type: ignore[union-attr]  # data follows its part
                            fields.append((part.name, value.decode(charset, "replace")))  # type: ignore[union-attr]  # as above
                            chunks = []
                elif type(event) is Field:
                    part = event
                elif type(event) is File:
                    part = event
                    container = self.start_file_streaming(event, content_length)
                    write = container.write
                    files.append(
                        (event.name, FileStorage(container, event.filename, event.name, headers=event.headers))
                    )
                elif type(event) is Epilogue:
                    return fields
                event = next_event()
        raise ValueError("Invalid multipart/form-data body: it ended unexpectedly.")


def _chunk_iter(
    read: t.Callable[[int], bytes], size: int, limit: int | None
) -> t.Iterator[bytes | None]:
    """Yield chunks of at most ``size`` bytes, then ``None`` at the end.

    Stops at end of stream or after ``limit`` bytes, whichever is first.
    """
    if limit is None:
        while True:
            data = read(size)
            if not data:
                break
            yield data
    else:
        remaining = limit
        while remaining > 0:
            data = read(min(size, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    yield None
