"""The WSGI request: the IO-free :class:`~wsgikit.sansio.request.Request`
read from a WSGI environ, plus the body (stream, form, files, JSON).

Theory of operation: constructing a request only stores the environ.
``method``, ``path``, ``headers`` and the other base values are lazy
attributes that read the environ on first access and are then plain
instance attributes; every parsed view (``args``, ``form``, ``json``...)
is computed once on first access as well. The body is read only when
something asks for it: ``stream`` wraps ``wsgi.input`` so reading stops at
``Content-Length`` (or at EOF for a server-terminated chunked body), and
``form``/``files`` parse that stream once, with the class-level limits.
"""

from __future__ import annotations

import functools
import json
import re
import typing as t
from io import BytesIO
from itertools import accumulate
from operator import sub

from ..datastructures import CombinedMultiDict
from ..datastructures import EnvironHeaders
from ..datastructures import FileStorage
from ..datastructures import ImmutableMultiDict
from ..datastructures import MultiDict
from ..exceptions import BadRequest
from ..exceptions import ClientDisconnected
from ..exceptions import HTTPException
from ..exceptions import RequestEntityTooLarge
from ..exceptions import UnsupportedMediaType
from .._internal import _keeps_stock
from ..sansio.request import Request as _SansIORequest
from ..sansio.request import _lazy
from ..utils import environ_property
from ..wsgi import LimitedStream
from ..wsgi import _get_server
from ..wsgi import get_content_length as _content_length
from ..wsgi import get_input_stream

#: Default :attr:`Request.max_json_depth`: deep enough for any real
#: document, shallow enough to stay well inside Python's recursion limit
#: when the decoded value is later walked recursively (dumped, compared).
MAX_JSON_DEPTH = 500

# A JSON string, or an unterminated one running to the end: every match
# attempt succeeds, so the scan never restarts and stays linear.
_JSON_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_NOT_BRACKET_RE = re.compile(rb"[^\[\]{}]+")
# Openers count +1 and closers -1, as 2 and 0 shifted by one per byte.
_BRACKET_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def check_json_depth(data: bytes | str, max_depth: int) -> None:
    """Raise :exc:`ValueError` if the JSON text ``data`` nests arrays and
    objects deeper than ``max_depth``; brackets inside strings do not count.

    Linear time, and nearly free for documents with no more than
    ``max_depth`` brackets in all. Invalid JSON may pass (the decoder then
    refuses it) or be refused as too deep; either way it never decodes.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif 0 in data[:4] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16/32 (as json.loads detects them): check the decoded text.
        try:
            data = data.decode(json.detect_encoding(data)).encode("utf-8", "surrogatepass")
        except (UnicodeDecodeError, LookupError):
            return  # the decoder refuses it
    # PERF: a document cannot nest deeper than its number of openers, and
    # not deeper than its length. The openers are counted in one pass:
    # replacing one byte by another of the same length finds each one with
    # memchr (nearly free), so this costs about half of two count() scans.
    if len(data) <= max_depth or data.replace(b"{", b"[").count(b"[") <= max_depth:
        return
    brackets = _NOT_BRACKET_RE.sub(b"", _JSON_STRING_RE.sub(b"", data)).translate(_BRACKET_STEP)
    # Depth after byte k is sum(step) - (k + 1); all in C-level iterators.
    depth = max(map(sub, accumulate(brackets), range(1, len(brackets) + 1)), default=0)
    if depth > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels.")


if t.TYPE_CHECKING:
    from types import TracebackType

    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from ..datastructures import Headers
    from ..formparser import FormDataParser


def _decode_native(value: str) -> str:
    """A PEP 3333 native string (UTF-8 bytes carried as latin-1) to text;
    invalid UTF-8 becomes U+FFFD. A value a broken server stored as real
    text (code points above U+00FF) is kept as it is instead of raising.
    """
    # PERF: ASCII (nearly every path) is already the right text.
    if value.isascii():
        return value
    try:
        return value.encode("latin1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value


def _native_bytes(value: str) -> bytes:
    """A native string's bytes (see :func:`_decode_native`)."""
    try:
        return value.encode("latin1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _refuse_truncated_body(stream: t.IO[bytes]) -> None:
    """After reading a body capped at ``max_content_length`` (a chunked
    body of unknown length), make sure nothing was left behind.

    A capped :class:`~wsgikit.wsgi.LimitedStream` stops quietly at the cap;
    Werkzeug 3.1 then hands out the first ``max_content_length`` bytes as
    if they were the whole body. Here one more byte is requested from the
    server's (terminated, so non-blocking) input, and any byte means 413.
    """
    if isinstance(stream, LimitedStream) and stream._limit_is_max and stream.is_exhausted:
        if stream._stream.read(1):
            raise RequestEntityTooLarge()


class _FormDataParserClass:
    """The default :attr:`Request.form_data_parser_class`:
    :class:`~wsgikit.formparser.FormDataParser`, imported when first read.

    PERF: the form parser (and the multipart parser with its dataclasses)
    is only loaded by a request that reads a form, not by every process
    that creates a request. A non-data descriptor: a subclass or an
    instance assigning the attribute replaces it as usual.
    """

    def __get__(self, obj: object, owner: type | None = None) -> type[FormDataParser]:
        # PERF: lazy, the form parser (and the multipart decoder under it)
        # loads on the first form body, not with the first request.
        from ..formparser import FormDataParser

        return FormDataParser


class _BodyStream:
    """:attr:`Request.stream`: opened by :meth:`Request._open_stream` on the
    first read and kept; assigning replaces it and deleting forgets it (as
    Werkzeug's ``cached_property`` allows).

    A data descriptor over the private ``_stream`` attribute, so the
    request can tell cheaply whether the stream was opened or assigned
    (``_stream is None``) without looking into its ``__dict__``: when it
    was not, :meth:`Request.get_data` reads the body straight from
    ``wsgi.input``.
    """

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    @t.overload
    def __get__(self, obj: None, owner: type | None = None) -> _BodyStream: ...
    @t.overload
    def __get__(self, obj: Request, owner: type | None = None) -> t.IO[bytes]: ...

    def __get__(self, obj: Request | None, owner: type | None = None) -> t.IO[bytes] | _BodyStream:
        if obj is None:
            return self
        stream = obj._stream
        if stream is None:
            stream = obj._stream = obj._open_stream()
        return stream

    def __set__(self, obj: Request, value: t.IO[bytes]) -> None:
        obj._stream = value

    def __delete__(self, obj: Request) -> None:
        obj._stream = None


class Request(_SansIORequest):
    """The request of a WSGI application, read lazily from the environ.

    :param environ: the WSGI environ.
    :param populate_request: store the request in the environ as
        ``werkzeug.request`` (for debugging tools).
    :param shallow: forbid reading the body; for code that inspects a
        request that someone else will consume (middleware).
    """

    #: Largest body accepted, in bytes; ``None`` means no limit. A longer
    #: body raises :exc:`~wsgikit.exceptions.RequestEntityTooLarge` (413).
    max_content_length: int | None = None
    #: Largest form part kept in memory (non-file fields), in bytes.
    max_form_memory_size: int | None = 500_000
    #: Largest number of multipart parts parsed.
    max_form_parts: int | None = 1000
    #: The parser of ``form``/``files``.
    form_data_parser_class: type[FormDataParser] = _FormDataParserClass()  # type: ignore[assignment]  # a lazy descriptor that reads as type[FormDataParser]
    #: The module :meth:`get_json` decodes with (``loads``).
    json_module: t.Any = json
    #: Deepest nesting of JSON arrays and objects :meth:`get_json` accepts;
    #: deeper is a 400. ``None`` disables the check (then only Python's
    #: recursion limit, near 1000, still turns a deep body into a 400).
    #: Werkzeug has no such limit.
    max_json_depth: int | None = MAX_JSON_DEPTH

    #: The WSGI environ.
    environ: WSGIEnvironment
    #: Whether reading the body is forbidden.
    shallow: bool

    # Results of get_json(): (normal, silent); Ellipsis means "not yet".
    _cached_json: tuple[t.Any, t.Any] = (Ellipsis, Ellipsis)
    # The body kept by get_data(cache=True).
    _cached_data: bytes | None = None
    # Whether _load_form_data() has run (so close() has files to close).
    _form_loaded = False

    #: Whether :meth:`get_data` may read the body without opening
    #: :attr:`stream` (see :meth:`_read_body`): only while ``stream`` and
    #: the methods behind it are the stock ones. Set per class.
    _stock_body_stream = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._stock_body_stream = _keeps_stock(cls, Request, ("stream", "_open_stream", "_read_body"))

    def __init__(
        self,
        environ: WSGIEnvironment,
        populate_request: bool = True,
        shallow: bool = False,
    ) -> None:
        # PERF: nothing else happens here; every field below is read from
        # the environ on first access. The base __init__ is not called.
        self.environ = environ
        self.shallow = shallow
        if populate_request and not shallow:
            environ["werkzeug.request"] = self

    # -- the base values, read from the environ on first access --------------

    @_lazy
    def method(self) -> str:
        """The request method, upper-cased (``"GET"`` when missing). A
        method some Python 2 era middleware stored as bytes is decoded as
        latin-1."""
        method = self.environ.get("REQUEST_METHOD", "GET")
        if type(method) is bytes:
            method = method.decode("latin-1")
        return method.upper()  # type: ignore[no-any-return]  # the environ is dict[str, Any]; PEP 3333 makes this a str

    @_lazy
    def scheme(self) -> str:
        """The URL scheme (``wsgi.url_scheme``)."""
        return self.environ.get("wsgi.url_scheme", "http")  # type: ignore[no-any-return]  # a str by PEP 3333

    @_lazy
    def server(self) -> tuple[str, int | None] | None:
        """The ``(SERVER_NAME, SERVER_PORT)`` pair."""
        return _get_server(self.environ)

    @_lazy
    def root_path(self) -> str:
        """``SCRIPT_NAME`` as text, without a trailing slash."""
        return _decode_native(self.environ.get("SCRIPT_NAME") or "").rstrip("/")

    @_lazy
    def path(self) -> str:
        """``PATH_INFO`` as text, starting with exactly one slash. Invalid
        UTF-8 becomes U+FFFD.
        """
        path = _decode_native(self.environ.get("PATH_INFO") or "")
        if path[:1] != "/" or path[1:2] == "/":
            path = "/" + path.lstrip("/")
        return path

    @_lazy
    def query_string(self) -> bytes:
        """The raw query string bytes."""
        return _native_bytes(self.environ.get("QUERY_STRING", ""))

    @_lazy
    def headers(self) -> Headers:
        """The request headers, a read-only view of the environ."""
        return EnvironHeaders(self.environ)

    @_lazy
    def remote_addr(self) -> str | None:
        """The client's address (``REMOTE_ADDR``)."""
        return self.environ.get("REMOTE_ADDR")

    # -- construction helpers -------------------------------------------------

    @classmethod
    def from_values(cls, *args: t.Any, **kwargs: t.Any) -> Request:
        """Make a request from the arguments of Werkzeug's
        ``EnvironBuilder`` (``path``, ``base_url``, ``query_string``,
        ``method``, ``headers``, ``data``, ``json``, ``content_type``, ...),
        without a server. Handy in tests and scripts::

            request = Request.from_values("/search?q=wsgi", method="POST", data={"a": "1"})
        """
        # Deliberate upward call: the test tools sit above the wrappers.
        from ..test import EnvironBuilder

        builder = EnvironBuilder(*args, **kwargs)
        try:
            return builder.get_request(cls)
        finally:
            builder.close()

    @classmethod
    def application(cls, f: t.Callable[[Request], WSGIApplication]) -> WSGIApplication:
        """Decorate a function taking a request and returning a response
        into a WSGI application. An :exc:`~wsgikit.exceptions.HTTPException`
        raised by the function becomes its error response. Works on methods
        too (the request is then the last argument)::

            @Request.application
            def app(request):
                return Response(f"Hello {request.args.get('name', 'World')}!")

        The request is closed (uploaded files released) when the function
        has returned.
        """
        # A method gets its own arguments before the request.
        view: t.Callable[..., WSGIApplication] = f

        if _keeps_stock(cls, Request, ("__enter__", "__exit__")):
            # PERF: the stock ``with request:`` only closes the request at
            # the end (two Python calls per request); a class overriding
            # __enter__ or __exit__ gets the with statement below.
            @functools.wraps(f)
            def closing_application(*args: t.Any) -> t.Iterable[bytes]:
                environ = args[-2]
                request = cls(environ)
                try:
                    try:
                        response = view(request) if len(args) == 2 else view(*args[:-2], request)
                    except HTTPException as e:
                        response = e.get_response(environ)
                    return response(environ, args[-1])
                finally:
                    request.close()

            return t.cast("WSGIApplication", closing_application)

        @functools.wraps(f)
        def application(*args: t.Any) -> t.Iterable[bytes]:
            environ = args[-2]
            request = cls(environ)
            with request:
                try:
                    response = view(*args[:-2], request)
                except HTTPException as e:
                    response = e.get_response(environ)
                return response(environ, args[-1])

        return t.cast("WSGIApplication", application)

    # -- the body ------------------------------------------------------------

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> t.IO[bytes]:
        """Where an uploaded file is written while parsing: memory for small
        bodies, a temporary file otherwise. Override to change it.

        :param total_content_length: the whole body's length.
        :param content_type: the file part's media type.
        :param filename: the file's name as the client sent it.
        :param content_length: the file part's length, if known.
        """
        # PERF: lazy, see ``_FormDataParserClass``.
        from ..formparser import default_stream_factory

        return default_stream_factory(
            total_content_length=total_content_length,
            filename=filename,
            content_type=content_type,
            content_length=content_length,
        )

    @property
    def want_form_data_parsed(self) -> bool:
        """Whether the body would be parsed as a form (it has a content type)."""
        return bool(self.environ.get("CONTENT_TYPE"))

    def make_form_data_parser(self) -> FormDataParser:
        """The parser for ``form``/``files``, configured with the limits."""
        return self.form_data_parser_class(
            self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
        )

    def _load_form_data(self) -> None:
        """Parse the body into ``form`` and ``files`` once. A body that is
        not a form leaves both empty and the stream unread.
        """
        if self._form_loaded:
            return
        if "form" in self.__dict__:
            # A form assigned by the application is kept as it is (and
            # ``files`` must not recurse into this method again).
            if "files" not in self.__dict__:
                self.files = self.parameter_storage_class()  # type: ignore[assignment]  # immutable unless a subclass swaps the storage class (typed as in Werkzeug)
            return
        if self.want_form_data_parsed:
            parser = self.make_form_data_parser()
            data = parser.parse(
                self._get_stream_for_parsing(),
                self.mimetype,
                self.content_length,
                self.mimetype_params,
            )
        else:
            empty = self.parameter_storage_class
            data = (self.stream, empty(), empty())
        self.stream, self.form, self.files = data  # type: ignore[assignment]  # as above
        self._form_loaded = True

    def _get_stream_for_parsing(self) -> t.IO[bytes]:
        """The body for the form parser: the cached data when
        :meth:`get_data` already read it, else :attr:`stream`.
        """
        cached = self._cached_data
        if cached is not None:
            return BytesIO(cached)
        return self.stream

    def close(self) -> None:
        """Close the uploaded files' streams (if ``files`` was parsed)."""
        # PERF: checks a flag rather than ``__dict__`` (see _lazy), since
        # Request.application closes every request.
        if not self._form_loaded:
            return
        files = self.files
        if files:
            for _key, value in files.items(multi=True):
                value.close()

    def __enter__(self) -> Request:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    #: The body stream once opened or assigned (see :class:`_BodyStream`).
    _stream: t.IO[bytes] | None = None
    #: Bytes :meth:`get_data` read from ``wsgi.input`` without opening
    #: :attr:`stream`; a stream opened later starts there (at its end).
    _body_read = 0

    stream = _BodyStream(
        """The body as a stream that stops at ``Content-Length``. Reading
        it bypasses form parsing, so after that ``form`` is empty.

        :raises RuntimeError: the request is ``shallow``.
        """
    )

    def _open_stream(self) -> t.IO[bytes]:
        """Make :attr:`stream` (on its first read): ``wsgi.input`` capped at
        ``Content-Length`` and :attr:`max_content_length`."""
        if self.shallow:
            raise RuntimeError(
                "This request was created with 'shallow=True', reading from the input stream is disabled."
            )
        if "wsgi.input" not in self.environ:
            # A hand-made environ without a body: an empty one, not a KeyError.
            return BytesIO()
        stream = get_input_stream(self.environ, max_content_length=self.max_content_length)
        if self._body_read and isinstance(stream, LimitedStream):
            # get_data() already read the body straight from wsgi.input.
            stream._pos = self._body_read
        return stream

    def _read_body(self) -> bytes | None:
        """The body read straight from ``wsgi.input``, exactly as reading
        :attr:`stream` to its end would read it, or ``None`` when the
        stream itself must be used.

        PERF: for a body with a ``Content-Length`` (nearly every body) the
        stream wrapper -- an :class:`io.RawIOBase` whose creation and
        finalization cost more than reading a few KB -- is not made: the
        same first ``read`` goes to ``wsgi.input``, with the same checks
        (413 over :attr:`max_content_length`, 400 when the client went
        away). Anything else (no length, a terminated chunked input, a
        short first read) takes the stream.
        """
        environ = self.environ
        if self.shallow or "wsgi.input_terminated" in environ:
            return None
        stream = environ.get("wsgi.input")
        length = _content_length(environ) if stream is not None else None
        if length is None:
            return None
        max_length = self.max_content_length
        if max_length is not None and length > max_length:
            raise RequestEntityTooLarge()
        if length == 0:
            return b""
        size = length if length < 65536 else 65536  # LimitedStream.readall's first read
        try:
            data: bytes = stream.read(size)  # type: ignore[union-attr]  # not None: length is only set with a stream
        except (OSError, ValueError):
            # As LimitedStream.on_disconnect: the read error stays the context.
            raise ClientDisconnected()  # noqa: B904
        if not data:
            raise ClientDisconnected()
        if len(data) > size:
            data = data[:size]  # a misbehaving input must not go past the body
        self._body_read = len(data)
        if len(data) < length:
            # The rest through the stream, which starts where this read ended.
            data += self.stream.read()
        return data

    input_stream: environ_property[t.IO[bytes]] = environ_property(
        "wsgi.input",
        doc="The raw WSGI input stream, without any limit; prefer :attr:`stream`.",
    )

    @_lazy
    def data(self) -> bytes:
        """The body as bytes; empty when it was parsed as a form."""
        return self.get_data(parse_form_data=True)

    @t.overload
    def get_data(
        self, cache: bool = ..., as_text: t.Literal[False] = ..., parse_form_data: bool = ...
    ) -> bytes: ...
    @t.overload
    def get_data(self, cache: bool, as_text: t.Literal[True], parse_form_data: bool = ...) -> str: ...
    @t.overload
    def get_data(self, cache: bool = ..., *, as_text: t.Literal[True], parse_form_data: bool = ...) -> str: ...
    @t.overload
    def get_data(self, cache: bool = ..., as_text: bool = ..., parse_form_data: bool = ...) -> bytes | str: ...

    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False) -> bytes | str:
        """Read the whole body.

        :param cache: keep the bytes, so later calls (and ``form``) see them.
        :param as_text: decode as UTF-8 (invalid bytes replaced).
        :param parse_form_data: parse a form body first; the data is then
            empty for form content types.
        """
        data = self._cached_data
        if data is None:
            if parse_form_data:
                self._load_form_data()
            # PERF: see _read_body; only with the stock stream, not opened,
            # assigned or read from yet.
            if self._stream is None and not self._body_read and self._stock_body_stream:
                data = self._read_body()
            if data is None:
                stream = self.stream
                data = stream.read()
                _refuse_truncated_body(stream)
            if cache:
                self._cached_data = data
        if as_text:
            return data.decode("utf-8", "replace")
        return data

    @_lazy
    def form(self) -> ImmutableMultiDict[str, str]:
        """The form fields of a ``application/x-www-form-urlencoded`` or
        ``multipart/form-data`` body. Files are in :attr:`files`.
        """
        self._load_form_data()
        return self.form

    @_lazy
    def values(self) -> CombinedMultiDict[str, str]:
        """:attr:`args` and :attr:`form` combined (only ``args`` for GET)."""
        sources = [self.args]
        if self.method != "GET":
            sources.append(self.form)
        return CombinedMultiDict(
            [source if isinstance(source, MultiDict) else MultiDict(source) for source in sources]
        )

    @_lazy
    def files(self) -> ImmutableMultiDict[str, FileStorage]:
        """The uploaded files of a ``multipart/form-data`` body, each a
        :class:`~wsgikit.datastructures.FileStorage`.
        """
        self._load_form_data()
        return self.files

    @property
    def script_root(self) -> str:
        """Alias of :attr:`root_path`."""
        return self.root_path

    @_lazy
    def url_root(self) -> str:
        """Alias of :attr:`root_url`."""
        return self.root_url

    remote_user: environ_property[str] = environ_property("REMOTE_USER", doc="The user the server authenticated, if any.")
    is_multithread: environ_property[bool] = environ_property(
        "wsgi.multithread", doc="Whether the server may run the application in several threads."
    )
    is_multiprocess: environ_property[bool] = environ_property(
        "wsgi.multiprocess", doc="Whether the server may run the application in several processes."
    )
    is_run_once: environ_property[bool] = environ_property(
        "wsgi.run_once", doc="Whether the application runs once per process (CGI)."
    )

    # -- JSON ----------------------------------------------------------------

    @property
    def json(self) -> t.Any:
        """The body parsed as JSON; see :meth:`get_json`."""
        return self.get_json()

    @t.overload
    def get_json(self, force: bool = ..., silent: t.Literal[False] = ..., cache: bool = ...) -> t.Any: ...
    @t.overload
    def get_json(self, force: bool = ..., silent: bool = ..., cache: bool = ...) -> t.Any | None: ...

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> t.Any | None:
        """Parse the body as JSON. The encoding is detected from the bytes
        (UTF-8, -16 or -32); a ``charset`` parameter is ignored.

        :param force: parse even when the content type is not JSON.
        :param silent: return ``None`` instead of raising.
        :param cache: remember the result (and the body).
        :raises wsgikit.exceptions.UnsupportedMediaType: the content type is
            not JSON (415), via :meth:`on_json_loading_failed`.
        :raises wsgikit.exceptions.BadRequest: the body is not valid JSON
            (400), via :meth:`on_json_loading_failed`.
        """
        if cache and self._cached_json[silent] is not Ellipsis:
            return self._cached_json[silent]
        if not (force or self.is_json):
            if silent:
                return None
            return self.on_json_loading_failed(None)
        data = self.get_data(cache=cache)
        try:
            max_depth = self.max_json_depth
            if max_depth is not None:
                check_json_depth(data, max_depth)
            try:
                result = self.json_module.loads(data)
            except RecursionError:
                raise ValueError("JSON nested too deeply to decode.") from None
        except ValueError as e:
            if silent:
                result = None
                if cache:
                    self._cached_json = (self._cached_json[0], None)
            else:
                result = self.on_json_loading_failed(e)
                if cache:
                    self._cached_json = (result, self._cached_json[1])
        else:
            if cache:
                self._cached_json = (result, result)
        return result

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Called when :meth:`get_json` cannot give a result; raises. A
        subclass may return a value to use instead.

        :param e: the decoding error, or ``None`` when the content type was
            not JSON.
        :raises wsgikit.exceptions.BadRequest: ``e`` is given.
        :raises wsgikit.exceptions.UnsupportedMediaType: ``e`` is ``None``.
        """

        if e is not None:
            raise BadRequest(f"Failed to decode JSON object: {e}")
        raise UnsupportedMediaType(
            "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
        )
