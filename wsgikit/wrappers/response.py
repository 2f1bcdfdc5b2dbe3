"""The WSGI response: the IO-free :class:`wsgikit.sansio.response.Response`
plus a body, conversion to a WSGI ``(app_iter, status, headers)`` triple,
conditional and range requests, and a file-like :class:`ResponseStream`.
"""

from __future__ import annotations

import json
import time
import typing as t
from functools import cached_property
from urllib.parse import urljoin

from .._internal import _fast_path_hook
from .._internal import _keeps_stock
from ..datastructures import Headers
from ..exceptions import RequestedRangeNotSatisfiable
from ..http import generate_etag
from ..http import http_date
from ..http import is_resource_modified
from ..http import parse_etags
from ..http import parse_range_header
from ..http import remove_entity_headers
from ..sansio.response import _STATUS_LINES
from ..sansio.response import Response as _SansIOResponse
from ..sansio.response import _cached_content_type
from ..sansio.response import _is_safe_header_value
from ..urls import iri_to_uri
from ..wsgi import ClosingIterator
from ..wsgi import get_current_url

if t.TYPE_CHECKING:
    from http import HTTPStatus  # cold start: only an annotation here

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from .request import Request

#: ``(unix second, formatted HTTP date)`` of the last Date header produced.
# PERF: make_conditional stamps a Date header on every response it handles;
# formatting a date costs far more than comparing an int, and many responses
# share the same second.
_last_date: tuple[int, str] = (0, "")


def _current_http_date() -> str:
    global _last_date
    now = int(time.time())
    cached = _last_date
    if cached[0] != now:
        cached = _last_date = (now, http_date(now))
    return cached[1]


def _iter_encoded(iterable: t.Iterable[str | bytes]) -> t.Iterator[bytes]:
    for item in iterable:
        if isinstance(item, str):
            yield item.encode()
        else:
            yield item


def _get_environ(obj: WSGIEnvironment | Request) -> WSGIEnvironment:
    """Accept either an environ dict or a request object carrying one."""
    if isinstance(obj, dict):
        return obj
    environ = getattr(obj, "environ", None)
    if not isinstance(environ, dict):
        raise TypeError(
            "Expected a WSGI environ dict or a request object with an 'environ',"
            f" got {type(obj).__name__!r}."
        )
    return environ


class _RangeWrapper:
    """Yield ``length`` bytes of ``iterable`` starting at byte ``start``.

    A seekable iterable (such as a file wrapper) is moved to ``start``
    relative to where it stands now; anything else is read and the leading
    bytes are dropped. ``str`` chunks are encoded first so offsets count
    bytes. :meth:`close` closes the wrapped iterable.
    """

    __slots__ = ("iterable", "_chunks")

    def __init__(self, iterable: t.Iterable[bytes | str], start: int, length: int) -> None:
        #: The wrapped body.
        self.iterable = iterable
        self._chunks = self._generate(start, length)

    def _generate(self, start: int, length: int) -> t.Iterator[bytes]:
        iterable = self.iterable
        seekable = getattr(iterable, "seekable", None)
        skip = start
        if seekable is not None and seekable():
            tell = getattr(iterable, "tell", None)
            base = tell() if tell is not None else 0
            iterable.seek(base + start)  # type: ignore[attr-defined]  # seekable() said it is a file
            skip = 0
        if length <= 0:
            return
        for chunk in _iter_encoded(iterable):
            if skip:
                if len(chunk) <= skip:
                    skip -= len(chunk)
                    continue
                chunk = chunk[skip:]
                skip = 0
            if len(chunk) >= length:
                yield chunk[:length]
                return
            length -= len(chunk)
            yield chunk

    def __iter__(self) -> _RangeWrapper:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self.iterable, "close", None)
        if close is not None:
            close()


class ResponseStream:
    """A write-only file-like view of a response body, returned by
    :attr:`Response.stream`. Writing converts the body into a list (if it is
    not one already) and appends to it.
    """

    #: The mode a file opened for this kind of access would report.
    mode = "wb+"

    def __init__(self, response: Response) -> None:
        #: The response written to.
        self.response = response
        #: Set by :meth:`close`; writing afterwards raises :exc:`ValueError`.
        self.closed = False

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")

    def write(self, value: bytes | str) -> int:
        """Append ``value`` to the body and return its length. The
        Content-Length header is dropped since it no longer holds.
        """
        self._check_open()
        if not isinstance(value, (str, bytes, bytearray)):
            raise TypeError(
                f"write() argument must be str or bytes, not {type(value).__name__!r}"
            )
        self.response._ensure_sequence(mutable=True)
        self.response.response.append(value)  # type: ignore[union-attr]  # a list now: _ensure_sequence(mutable=True)
        self.response.headers.remove("Content-Length")
        return len(value)

    def writelines(self, seq: t.Iterable[bytes | str]) -> None:
        """Write every item of ``seq``."""
        for item in seq:
            self.write(item)

    def close(self) -> None:
        """Mark the stream closed (the response itself stays usable)."""
        self.closed = True

    def flush(self) -> None:
        """Nothing is buffered; only checks that the stream is open."""
        self._check_open()

    def isatty(self) -> bool:
        """A response is never a terminal."""
        self._check_open()
        return False

    def tell(self) -> int:
        """The number of body bytes written so far."""
        self.response._ensure_sequence()
        return sum(map(len, self.response.iter_encoded()))

    @property
    def encoding(self) -> str:
        """Text written to the stream is encoded with this charset."""
        return "utf-8"


#: What a status allows on the wire (RFC 9110 6.4.1, 8.6, 15.3.5, 15.4.5):
#: a body with its Content-Length; no body and no Content-Length (1xx,
#: 204); no body and none of the headers that describe one (304).
_WIRE_BODY = 0
_WIRE_NO_BODY = 1
_WIRE_NOT_MODIFIED = 2


#: The statuses whose rule is not :data:`_WIRE_BODY`.
_WIRE_RULES = {code: _WIRE_NO_BODY for code in range(100, 200)}
_WIRE_RULES[204] = _WIRE_NO_BODY
_WIRE_RULES[304] = _WIRE_NOT_MODIFIED


def _wire_rule(code: int) -> int:
    """The one "what goes on the wire" decision for a status code, used by
    every send path of :class:`Response` (see :data:`_WIRE_BODY`)."""
    return _WIRE_RULES.get(code, _WIRE_BODY)


def _sends_body(rule: int, environ: WSGIEnvironment) -> bool:
    """Whether the body goes out: the status allows one and it is no HEAD."""
    return rule == _WIRE_BODY and environ.get("REQUEST_METHOD") != "HEAD"


#: Headers whose value :meth:`Response.get_wsgi_headers` rewrites (IRI to
#: URI, Location maybe made absolute); lower case.
_REWRITTEN_HEADERS = frozenset(["location", "content-location"])


#: The methods the WSGI output's fast paths do not call.
_WSGI_HOOKS = ("get_wsgi_headers", "get_app_iter", "iter_encoded", "close", "get_wsgi_response")


def _plain_text_init(cls: type) -> bool:
    """Whether ``cls`` builds a str-body response with the stock helpers:
    ``set_data``/``_set_content_length`` not overridden and the IO-free
    base's constructor next in line after :class:`Response`'s. (No instance
    can override them before its constructor ran: a class check is all.)"""
    if not _keeps_stock(cls, Response, ("set_data", "_set_content_length")):
        return False
    mro = cls.__mro__
    for base in mro[mro.index(Response) + 1 :]:
        if "__init__" in base.__dict__:
            return base is _SansIOResponse
    return False


class Response(_SansIOResponse):
    """A WSGI response: a status, headers and a body, and itself a WSGI
    application that sends them.

    :param response: the body: a string (encoded as UTF-8), bytes, or an
        iterable of strings or bytes (a generator makes a streamed response).
    :param status: the status as an int, an :class:`~http.HTTPStatus` or a
        string such as ``"404 Not Found"``.
    :param headers: a :class:`Headers` object, a mapping or a list of pairs.
    :param mimetype: the mimetype; ``charset=utf-8`` is added to text types.
    :param content_type: the full Content-Type value, used as given.
    :param direct_passthrough: hand ``response`` to the server untouched
        (used for file wrappers); the body is then not encoded or buffered.

    .. code-block:: python

        def app(environ, start_response):
            response = Response("Hello, World!")
            return response(environ, start_response)
    """

    #: The json module used by :meth:`get_json`; anything with ``loads`` works.
    json_module = json

    #: Convert an iterable body into a list when an operation needs the whole
    #: body (``data``, ``freeze``, ...). When off, such operations raise.
    implicit_sequence_conversion = True

    #: Make a relative Location header absolute using the request URL. Off by
    #: default, as in Werkzeug 3.1: browsers resolve relative URLs themselves.
    autocorrect_location_header = False

    #: Set Content-Length when the body's size is known (a list body, or data
    #: set with :meth:`set_data`).
    automatically_set_content_length = True

    #: The body: a list of bytes/str or any iterable of them.
    response: t.Iterable[str] | t.Iterable[bytes]
    # The callbacks run by close() (see call_on_close).
    _on_close: list[t.Callable[[], t.Any]]

    #: Whether the WSGI output may skip get_wsgi_headers/get_app_iter (set
    #: per class: only when a subclass does not override them).
    _wsgi_fast_path = True

    #: Whether a str body may take the constructor's fast path (set per
    #: class by :func:`_plain_text_init`).
    _text_fast_path = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._wsgi_fast_path = _keeps_stock(cls, Response, _WSGI_HOOKS)
        cls._text_fast_path = _plain_text_init(cls)

    def __init__(
        self,
        response: t.Iterable[bytes] | bytes | bytearray | t.Iterable[str] | str | None = None,
        status: int | str | HTTPStatus | None = None,
        headers: t.Mapping[str, str | t.Iterable[str]]
        | t.Iterable[tuple[str, str]]
        | Headers
        | None = None,
        mimetype: str | None = None,
        content_type: str | None = None,
        direct_passthrough: bool = False,
    ) -> None:
        # PERF: a str body with every other argument defaulted but maybe
        # the mimetype or the content type (what a view returning a string,
        # or jsonify, produces) is stored directly: the same fields the general path
        # below sets, without its calls and type tests. Only for classes
        # whose constructor helpers are the stock ones (see
        # _plain_text_init) and when the class defaults are plain.
        if (
            type(response) is str
            and self._text_fast_path
            and status is None
            and headers is None
            and not direct_passthrough
        ):
            code = self.default_status
            line = _STATUS_LINES.get(code) if type(code) is int else None
            if content_type is None:
                chosen = self.default_mimetype if mimetype is None else mimetype
                lazy_ct = None if chosen is None else _cached_content_type(chosen)
            elif type(content_type) is str and _is_safe_header_value(content_type):
                lazy_ct = content_type  # used as given, as the general path does
            else:
                lazy_ct = None
            if line is not None and lazy_ct is not None:
                self._status = line
                self._status_code = code
                self._headers = None
                self._lazy_ct = lazy_ct
                self.direct_passthrough = False
                self._on_close = []
                body = response.encode()
                self.response = [body]
                self._lazy_cl = str(len(body)) if self.automatically_set_content_length else None
                return
        super().__init__(status, headers, mimetype, content_type)
        #: Hand the body to the server as is (see the class docstring).
        self.direct_passthrough = direct_passthrough
        self._on_close = []
        if response is None:
            self.response = []
        elif isinstance(response, (str, bytes, bytearray)):
            self.set_data(response)
        else:
            cls = type(response)
            if not (hasattr(cls, "__iter__") or hasattr(cls, "__getitem__")):
                raise TypeError(
                    "The response body must be a str, bytes or an iterable of"
                    f" them, not {cls.__name__!r}."
                )
            self.response = response

    def __repr__(self) -> str:
        if self.is_sequence:
            body_info = f"{sum(map(len, self.iter_encoded()))} bytes"
        else:
            body_info = "streamed" if self.is_streamed else "likely-streamed"
        return f"<{type(self).__name__} {body_info} [{self.status}]>"

    # -- construction helpers ---------------------------------------------

    @classmethod
    def force_type(
        cls, response: Response | WSGIApplication, environ: WSGIEnvironment | None = None
    ) -> Response:
        """Make ``response`` an instance of this class.

        A response object of another class has its class switched in place
        (so it should share this class's attributes); anything else is treated
        as a WSGI application and run with ``environ`` to get a response.

        :param response: a response object or a WSGI application.
        :param environ: the environ to run an application with.
        """
        if not isinstance(response, Response):
            if environ is None:
                raise TypeError(
                    "cannot convert WSGI application into response objects"
                    " without an environ"
                )
            if not callable(response):
                raise TypeError(
                    "Expected a response object or a WSGI application,"
                    f" got {type(response).__name__!r}."
                )
            # Deliberate upward call: the test tools sit above the wrappers.
            from ..test import run_wsgi_app

            response = Response(*run_wsgi_app(response, environ, False))
        response.__class__ = cls
        return response

    @classmethod
    def from_app(
        cls, app: WSGIApplication, environ: WSGIEnvironment, buffered: bool = False
    ) -> Response:
        """Run a WSGI application and wrap what it returns in a response.

        :param app: the WSGI application to call.
        :param environ: the environ to call it with.
        :param buffered: read the whole body (and close the app's iterable)
            right away instead of streaming it.
        """
        # Deliberate upward call: the test tools sit above the wrappers.
        from ..test import run_wsgi_app

        return cls(*run_wsgi_app(app, environ, buffered))

    # -- body -------------------------------------------------------------

    @t.overload
    def get_data(self, as_text: t.Literal[False] = ...) -> bytes: ...
    @t.overload
    def get_data(self, as_text: t.Literal[True]) -> str: ...
    @t.overload
    def get_data(self, as_text: bool = ...) -> bytes | str: ...

    def get_data(self, as_text: bool = False) -> bytes | str:
        """Return the whole body, as bytes or (``as_text``) decoded UTF-8.

        A streamed body is read and kept as a list first (see
        :attr:`implicit_sequence_conversion`).
        """
        self._ensure_sequence()
        rv = b"".join(self.iter_encoded())
        if as_text:
            return rv.decode()
        return rv

    def set_data(self, value: bytes | bytearray | str) -> None:
        """Replace the body; a string is encoded as UTF-8. Content-Length is
        updated when :attr:`automatically_set_content_length` is on.
        """
        # PERF: exact type checks first; str and bytes are nearly every call.
        cls = type(value)
        if cls is str:
            value = value.encode()  # type: ignore[union-attr]  # a str: its exact type was just checked
        elif cls is bytes:
            pass
        elif isinstance(value, str):
            value = value.encode()
        elif isinstance(value, memoryview):
            value = value.tobytes()
        elif not isinstance(value, (bytes, bytearray)):
            raise TypeError(
                f"The body must be str or bytes, not {type(value).__name__!r}."
            )
        self.response = [value]  # type: ignore[assignment]  # bytes: a str was encoded above
        if self.automatically_set_content_length:
            self._set_content_length(len(value))

    data = property(
        get_data, set_data, doc="The body as bytes; assigning sets it (see :meth:`set_data`)."
    )

    def calculate_content_length(self) -> int | None:
        """The body size in bytes, or ``None`` if it cannot be known without
        consuming a stream that may not be converted.
        """
        try:
            self._ensure_sequence()
        except RuntimeError:
            return None
        return sum(len(x) for x in self.iter_encoded())

    def _ensure_sequence(self, mutable: bool = False) -> None:
        """Make sure the body is a list (``mutable``) or at least a sequence."""
        if self.is_sequence:
            if mutable and not isinstance(self.response, list):
                self.response = list(self.response)  # type: ignore[assignment]  # the same items, now in a list
            return
        if self.direct_passthrough:
            raise RuntimeError(
                "Attempted implicit sequence conversion but the response object"
                " is in direct passthrough mode."
            )
        if not self.implicit_sequence_conversion:
            raise RuntimeError(
                "The response object required the iterable to be a sequence, but"
                " the implicit conversion was disabled. Call make_sequence()"
                " yourself."
            )
        self.make_sequence()

    def make_sequence(self) -> None:
        """Read a streamed body into a list of bytes. The original iterable's
        ``close`` is kept and runs when the response is closed.
        """
        if not self.is_sequence:
            close = getattr(self.response, "close", None)
            self.response = list(self.iter_encoded())
            if close is not None:
                self.call_on_close(close)

    @_fast_path_hook("_wsgi_fast_path")
    def iter_encoded(self) -> t.Iterator[bytes]:
        """Iterate over the body with strings encoded as UTF-8."""
        return _iter_encoded(self.response)

    @property
    def is_streamed(self) -> bool:
        """Whether the body's length is unknown (it has no ``len()``)."""
        try:
            len(self.response)  # type: ignore[arg-type]  # probing: a streamed body has no len()
        except (TypeError, AttributeError):
            return True
        return False

    @property
    def is_sequence(self) -> bool:
        """Whether the body is a list or tuple (buffered, not streamed)."""
        return isinstance(self.response, (tuple, list))

    @cached_property
    def stream(self) -> ResponseStream:
        """A write-only file-like object that appends to the body."""
        return ResponseStream(self)

    # -- JSON -------------------------------------------------------------

    @property
    def json(self) -> t.Any | None:
        """The body parsed as JSON if the mimetype is JSON, else ``None``."""
        return self.get_json()

    def get_json(self, force: bool = False, silent: bool = False) -> t.Any:
        """Parse the body as JSON.

        :param force: parse even if the mimetype does not say JSON.
        :param silent: return ``None`` instead of raising on invalid JSON.
        """
        if not (force or self.is_json):
            return None
        data = self.get_data()
        try:
            return self.json_module.loads(data)
        except ValueError:
            if not silent:
                raise
            return None

    # -- lifecycle --------------------------------------------------------

    def call_on_close(self, func: t.Callable[[], t.Any]) -> t.Callable[[], t.Any]:
        """Register ``func`` to run when the response is closed (after the
        server has sent it). Returns ``func`` so it works as a decorator.
        """
        self._on_close.append(func)
        return func

    @_fast_path_hook("_wsgi_fast_path")
    def close(self) -> None:
        """Close the body iterable (if it can be) and run the callbacks
        registered with :meth:`call_on_close`.
        """
        close = getattr(self.response, "close", None)
        if close is not None:
            close()
        for func in self._on_close:
            func()

    def __enter__(self) -> Response:
        return self

    def __exit__(self, exc_type: t.Any, exc_value: t.Any, tb: t.Any) -> None:
        self.close()

    def freeze(self) -> None:
        """Buffer the body, set Content-Length and add an ETag, so the
        response can be pickled or cached and served again.
        """
        close = getattr(self.response, "close", None) if not self.is_sequence else None
        self.response = list(self.iter_encoded())
        if close is not None:
            self.call_on_close(close)
        self.headers["Content-Length"] = str(sum(map(len, self.response)))
        self.add_etag()

    def add_etag(self, overwrite: bool = False, weak: bool = False) -> None:
        """Set an ETag computed from the body, unless one is set already.

        :param overwrite: replace an existing ETag.
        :param weak: mark the ETag weak.
        """
        if overwrite or "etag" not in self.headers:
            self.set_etag(generate_etag(self.get_data()), weak)

    # -- conditional requests ---------------------------------------------

    def make_conditional(
        self,
        request_or_environ: WSGIEnvironment | Request,
        accept_ranges: bool | str = False,
        complete_length: int | None = None,
    ) -> Response:
        """Answer a GET or HEAD request conditionally.

        Sets a Date header, then: a satisfiable Range request (when
        ``accept_ranges`` and ``complete_length`` are given) turns the response
        into a 206 with Content-Range; an unsatisfiable one raises
        :exc:`~wsgikit.exceptions.RequestedRangeNotSatisfiable` (416); a
        request whose If-None-Match / If-Modified-Since says the client's copy
        is current turns it into a 304 (412 if an If-Match did not match).
        Other methods are left alone. Returns ``self``.

        :param request_or_environ: the request, or its WSGI environ.
        :param accept_ranges: ``True`` for ``bytes``, or the Accept-Ranges
            value to send; false to not handle ranges.
        :param complete_length: the full body size, needed for ranges.
        """
        environ = _get_environ(request_or_environ)
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self
        headers = self.headers
        if "date" not in headers:
            headers["Date"] = _current_http_date()
        is206 = self._process_range_request(environ, complete_length, accept_ranges)
        if not is206:
            self._apply_validators(environ, headers)
        if self.automatically_set_content_length and "content-length" not in headers:
            length = self.calculate_content_length()
            if length is not None:
                headers["Content-Length"] = str(length)
        return self

    def _apply_validators(self, environ: WSGIEnvironment, headers: Headers) -> None:
        """Turn the response into a 304 (or 412) when the request's
        validators say the client's copy is current.
        """
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if (
            if_none_match is None
            and "HTTP_IF_MODIFIED_SINCE" not in environ
            and "HTTP_IF_MATCH" not in environ
        ):
            # PERF: no validator at all, nothing can be "not modified".
            return
        etag = headers.get("etag")
        if (
            if_none_match is not None
            and if_none_match == etag
            and etag.endswith('"')  # type: ignore[union-attr]  # not None: it equals if_none_match
            and etag.count('"') == 2  # type: ignore[union-attr]  # as above
            and (etag.startswith('"') or etag.startswith('W/"'))  # type: ignore[union-attr]  # as above
            and "HTTP_IF_MODIFIED_SINCE" not in environ
            and "HTTP_IF_MATCH" not in environ
        ):
            # PERF: the client echoes back exactly the one well-formed ETag we
            # sent (what browsers do), which is a match by any comparison;
            # this skips parsing the headers for the most common 304.
            self.status_code = 304
            return
        if not is_resource_modified(environ, etag, None, headers.get("last-modified")):
            if parse_etags(environ.get("HTTP_IF_MATCH")):
                self.status_code = 412
            else:
                self.status_code = 304

    def _is_range_request_processable(self, environ: WSGIEnvironment) -> bool:
        """A Range header is honoured unless an If-Range names another version."""
        if "HTTP_RANGE" not in environ:
            return False
        return "HTTP_IF_RANGE" not in environ or not is_resource_modified(
            environ,
            self.headers.get("etag"),
            None,
            self.headers.get("last-modified"),
            ignore_if_range=False,
        )

    def _process_range_request(
        self,
        environ: WSGIEnvironment,
        complete_length: int | None,
        accept_ranges: bool | str | None,
    ) -> bool:
        """Apply a Range request; return whether the response became a 206."""
        if accept_ranges is None or accept_ranges is False:
            return False
        if accept_ranges is True:
            accept_ranges = "bytes"
        self.headers["Accept-Ranges"] = accept_ranges
        if not complete_length or not self._is_range_request_processable(environ):
            return False
        parsed = parse_range_header(environ.get("HTTP_RANGE"))
        if parsed is None:
            raise RequestedRangeNotSatisfiable(length=complete_length)
        range_tuple = parsed.range_for_length(complete_length)
        content_range = parsed.to_content_range_header(complete_length)
        if range_tuple is None or content_range is None:
            raise RequestedRangeNotSatisfiable(length=complete_length)
        start, stop = range_tuple
        self.headers["Content-Length"] = str(stop - start)
        self.content_range = content_range
        self.status_code = 206
        self._wrap_range_response(start, stop - start)
        return True

    def _wrap_range_response(self, start: int, length: int) -> None:
        if self.status_code == 206:
            self.response = _RangeWrapper(self.response, start, length)

    # -- WSGI -------------------------------------------------------------

    @_fast_path_hook("_wsgi_fast_path")
    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        """Return a copy of the headers adjusted for sending: Location and
        Content-Location made ASCII (and Location absolute if
        :attr:`autocorrect_location_header`), body headers dropped for
        1xx/204/304, Content-Length added for a sequence body.

        :param environ: the request environ (for the Location correction).
        """
        headers = Headers(self.headers)
        # One pass over the copy instead of a case-insensitive lookup per name.
        location = content_location = content_length = None
        for key, value in headers:
            ikey = key.lower()
            if ikey == "location":
                if location is None:
                    location = value
            elif ikey == "content-location":
                if content_location is None:
                    content_location = value
            elif ikey == "content-length":
                content_length = value
        if location is not None:
            location = iri_to_uri(location)
            if self.autocorrect_location_header:
                current_url = iri_to_uri(get_current_url(environ, strip_querystring=True))
                location = urljoin(current_url, location)
            headers["Location"] = location
        if content_location is not None:
            headers["Content-Location"] = iri_to_uri(content_location)

        rule = _wire_rule(self.status_code)
        if rule == _WIRE_NO_BODY:
            headers.remove("Content-Length")
        elif rule == _WIRE_NOT_MODIFIED:
            remove_entity_headers(headers)
        elif content_length is None:
            length = self._wire_content_length()
            if length is not None:
                headers["Content-Length"] = length
        return headers

    def _wire_content_length(self) -> str | None:
        """The Content-Length to add when none is set: the encoded size of a
        sequence body, if :attr:`automatically_set_content_length`."""
        if self.automatically_set_content_length and self.is_sequence:
            return str(sum(len(x) for x in self.iter_encoded()))
        return None

    @_fast_path_hook("_wsgi_fast_path")
    def get_app_iter(self, environ: WSGIEnvironment) -> t.Iterable[bytes]:
        """Return the iterable to hand the server: empty for HEAD and for
        1xx/204/304, the raw body in direct passthrough mode, otherwise the
        encoded body. Closing it closes the response.

        :param environ: the request environ (for the method).
        """
        if not _sends_body(_wire_rule(self.status_code), environ):
            iterable: t.Iterable[bytes] = ()
        elif self.direct_passthrough:
            return self.response  # type: ignore[return-value]  # passed through as the app gave it: bytes, by the WSGI contract
        else:
            iterable = self.iter_encoded()
        return ClosingIterator(iterable, self.close)

    @_fast_path_hook("_wsgi_fast_path")
    def get_wsgi_response(
        self, environ: WSGIEnvironment
    ) -> tuple[t.Iterable[bytes], str, list[tuple[str, str]]]:
        """Return ``(app_iter, status, headers)`` ready for a WSGI server.

        :param environ: the request environ.
        """
        # PERF: deliberately long hot path. While the headers are still lazy
        # (only Content-Type/Content-Length, computed by us, see
        # wsgikit.sansio.response), the header list is produced directly from
        # them instead of copying a Headers object, and a list-of-bytes body
        # with nothing to close is handed to the server as is.
        if self._headers is not None or not self._wsgi_fast_path:
            if self._wsgi_fast_path:
                sent = self._wsgi_from_plain_headers(environ)
                if sent is not None:
                    return sent
            headers = self.get_wsgi_headers(environ)
            return self.get_app_iter(environ), self._status, headers.to_wsgi_list()

        rule = _WIRE_RULES.get(self._status_code, _WIRE_BODY)  # _wire_rule, inlined
        content_type = self._lazy_ct
        response = self.response
        no_body = rule != _WIRE_BODY or environ.get("REQUEST_METHOD") == "HEAD"  # _sends_body, inlined
        if rule == _WIRE_NOT_MODIFIED or content_type is None:
            wsgi_headers = []  # Content-Type describes a body: not for 304
        else:
            wsgi_headers = [("Content-Type", content_type)]
        if rule == _WIRE_BODY:
            content_length = self._lazy_cl
            if content_length is None:
                content_length = self._wire_content_length()
            if content_length is not None:
                wsgi_headers.append(("Content-Length", content_length))

        if not self._on_close:
            # Nothing to close: the server may get the body (or nothing) as is.
            if type(response) is list:  # a list has no close()
                if no_body:
                    return (), self._status, wsgi_headers
                if not self.direct_passthrough:
                    for item in response:
                        if type(item) is not bytes:
                            break
                    else:
                        return response, self._status, wsgi_headers
            elif no_body and getattr(response, "close", None) is None:
                return (), self._status, wsgi_headers
        return self.get_app_iter(environ), self._status, wsgi_headers

    def _wsgi_from_plain_headers(
        self, environ: WSGIEnvironment
    ) -> tuple[t.Iterable[bytes], str, list[tuple[str, str]]] | None:
        """:meth:`get_wsgi_response` for real headers that need no change,
        or ``None`` when :meth:`get_wsgi_headers` has work to do.

        PERF: once a header was added (``Set-Cookie``, ``Vary``...) the
        general path copies the :class:`Headers`, scans it and wraps the
        body. When the status has a body, no ``Location`` or
        ``Content-Location`` needs rewriting and the body is a list of
        bytes with nothing to close, what it sends is the header list (plus
        the Content-Length it would add) and the list itself.
        """
        headers = self._headers
        response = self.response
        if (
            type(headers) is not Headers
            or _wire_rule(self._status_code) != _WIRE_BODY
            or self._on_close
            or type(response) is not list
            or self.direct_passthrough
        ):
            return None
        for item in response:
            if type(item) is not bytes:
                return None
        has_length = False
        for key, _ in headers._list:
            lower = key.lower()
            if lower == "content-length":
                has_length = True
            elif lower in _REWRITTEN_HEADERS:
                return None
        wsgi_headers = headers.to_wsgi_list()
        if not has_length and self.automatically_set_content_length:
            wsgi_headers.append(("Content-Length", str(sum(len(item) for item in response))))
        if not _sends_body(_WIRE_BODY, environ):
            return (), self._status, wsgi_headers
        return response, self._status, wsgi_headers

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Send the response as a WSGI application.

        :param environ: the request environ.
        :param start_response: the server's start_response callable.
        """
        # PERF: the response nearly every view makes -- lazy headers (see
        # wsgikit.sansio.response), a status with a body, one bytes chunk,
        # its Content-Length known, nothing to close, not a HEAD request --
        # is sent here without the get_wsgi_response call; it sends the
        # same header list and the list itself. Anything else, and any
        # class or instance overriding one of _WSGI_HOOKS, goes through
        # get_wsgi_response.
        if self._headers is None and self._wsgi_fast_path and not self._on_close:
            response = self.response
            content_length = self._lazy_cl
            if (
                type(response) is list
                and content_length is not None
                and self._status_code not in _WIRE_RULES
                and len(response) == 1
                and type(response[0]) is bytes
                and not self.direct_passthrough
                and environ.get("REQUEST_METHOD") != "HEAD"
            ):
                content_type = self._lazy_ct
                if content_type is None:
                    start_response(self._status, [("Content-Length", content_length)])
                else:
                    start_response(self._status, [("Content-Type", content_type), ("Content-Length", content_length)])
                return response
        sent: tuple[t.Iterable[bytes], str, list[tuple[str, str]]] = self.get_wsgi_response(environ)
        start_response(sent[1], sent[2])
        return sent[0]
