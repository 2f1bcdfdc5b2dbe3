"""The IO-free part of a request: everything computable from the method,
scheme, server address, root path, path, query string, headers and remote
address, with no WSGI environ and no body stream.

Every derived view (``args``, ``cookies``, ``host``, ``url``, the accept
headers, ...) is computed on first access and then stored on the instance,
so a request pays only for what the application looks at.
"""

from __future__ import annotations

import codecs
import typing as t
from datetime import datetime
from urllib.parse import unquote

from ..datastructures import Accept
from ..datastructures import Authorization
from ..datastructures import CharsetAccept
from ..datastructures import ETags
from ..datastructures import Headers
from ..datastructures import HeaderSet
from ..datastructures import IfRange
from ..datastructures import ImmutableList
from ..datastructures import ImmutableMultiDict
from ..datastructures import LanguageAccept
from ..datastructures import MIMEAccept
from ..datastructures import MultiDict
from ..datastructures import Range
from ..datastructures import RequestCacheControl
from ..http import parse_accept_header
from ..http import parse_cache_control_header
from ..http import parse_date
from ..http import parse_etags
from ..http import parse_if_range_header
from ..http import parse_list_header
from ..http import parse_options_header
from ..http import parse_range_header
from ..http import parse_set_header
from ..user_agent import UserAgent
from ..utils import header_property
from .http import parse_cookie
from .utils import get_content_length
from .utils import get_current_url
from .utils import get_host

_T = t.TypeVar("_T")

class _lazy(t.Generic[_T]):
    """A computed-once attribute.

    PERF: a non-data descriptor (no ``__set__``): the first read runs the
    function and stores the result as an instance attribute of the same
    name, and from then on attribute lookup finds it there directly,
    without calling back into Python. (``cached_property`` in
    :mod:`wsgikit.utils` is a data descriptor, so every read pays a Python
    call.) The value is stored with ``setattr``, not through ``__dict__``:
    on CPython 3.11+ touching ``obj.__dict__`` turns the compact inline
    attribute storage into a real dict, which costs ~0.5 us once and makes
    every later attribute read slower. Assigning to the attribute replaces
    the value, as with Werkzeug's ``cached_property``.
    """

    def __init__(self, func: t.Callable[[t.Any], _T]) -> None:
        self.func = func
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.__name__ = name

    if t.TYPE_CHECKING:
        # Only for the checkers: assigning the attribute is allowed (it
        # replaces the value). At runtime a __set__ would make this a data
        # descriptor, and every read a Python call.
        def __set__(self, obj: object, value: _T) -> None: ...

    @t.overload
    def __get__(self, obj: None, owner: type | None = None) -> _lazy[_T]: ...
    @t.overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> _T | _lazy[_T]:
        if obj is None:
            return self
        value = self.func(obj)
        setattr(obj, self.__name__, value)
        return value


def _quote_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: keep bytes that are not valid UTF-8 as
    ``%XX`` escapes, so a hostile query string decodes without raising and
    without losing information.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(f"%{byte:02X}" for byte in bad), error.end


#: Name of the codec error handler above.
_QUOTE_ERRORS = "wsgikit.sansio.url_quote"
codecs.register_error(_QUOTE_ERRORS, _quote_undecodable)


def _parse_query(query: bytes) -> list[tuple[str, str]]:
    """Split a query string into ``(key, value)`` pairs.

    The same result as ``urllib.parse.parse_qsl(..., keep_blank_values=True)``
    (``&`` separates, ``+`` is a space, a key without ``=`` has the value
    ``""``), except that invalid UTF-8, raw or percent-encoded, is kept as
    ``%XX`` escapes instead of raising or being replaced.
    """
    # PERF: deliberately long hot path; str.split/partition and skipping
    # unquote() for the common escape-free item beat parse_qsl by ~2x.
    if not query:
        return []
    text = query.decode("utf-8", _QUOTE_ERRORS)
    pairs: list[tuple[str, str]] = []
    append = pairs.append
    for item in text.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        if "+" in item:
            key = key.replace("+", " ")
            value = value.replace("+", " ")
        if "%" in item:
            key = unquote(key, errors=_QUOTE_ERRORS)
            value = unquote(value, errors=_QUOTE_ERRORS)
        append((key, value))
    return pairs


class Request:
    """A request as plain values, without any IO. The WSGI
    :class:`~wsgikit.wrappers.Request` builds on it and adds the body.

    :param method: the HTTP method; upper-cased.
    :param scheme: the URL scheme, such as ``"https"``.
    :param server: the server's ``(address, port)``, if known.
    :param root_path: the prefix the application is mounted under; a
        trailing slash is dropped.
    :param path: the path below the root; it always starts with one slash.
    :param query_string: the raw query string bytes.
    :param headers: the request headers.
    :param remote_addr: the client's address.
    """

    #: The class of :attr:`args` and of the ``form``/``files`` collections.
    #: Immutable by default so request data cannot be changed by accident.
    parameter_storage_class: type[MultiDict[str, t.Any]] = ImmutableMultiDict
    #: The class of :attr:`cookies`.
    dict_storage_class: type[MultiDict[str, t.Any]] = ImmutableMultiDict
    #: The class of list views such as :attr:`access_route`.
    list_storage_class: type[list[t.Any]] = ImmutableList
    #: The class of :attr:`user_agent`; replace it to use a better parser.
    user_agent_class: type[UserAgent] = UserAgent
    #: When set, :attr:`host` must be one of these (a leading dot allows
    #: subdomains) or a 400 :exc:`~wsgikit.exceptions.SecurityError` is raised.
    trusted_hosts: list[str] | None = None

    def __init__(
        self,
        method: str,
        scheme: str,
        server: tuple[str, int | None] | None,
        root_path: str,
        path: str,
        query_string: bytes,
        headers: Headers,
        remote_addr: str | None,
    ) -> None:
        #: The request method, such as ``"GET"``.
        self.method = method.upper()
        #: The URL scheme, such as ``"http"`` or ``"https"``.
        self.scheme = scheme
        #: The server's ``(address, port)``.
        self.server = server
        #: The prefix the application is mounted under, without a trailing slash.
        self.root_path = root_path.rstrip("/")
        #: The path below :attr:`root_path`, starting with a slash.
        self.path = "/" + path.lstrip("/")
        #: The raw query string.
        self.query_string = query_string
        #: The request headers.
        self.headers = headers
        #: The client's address.
        self.remote_addr = remote_addr

    def __repr__(self) -> str:
        try:
            url = self.url
        except Exception as e:  # a broken request must still be printable
            url = f"(invalid URL: {e})"
        return f"<{type(self).__name__} {url!r} [{self.method}]>"

    @_lazy
    def args(self) -> MultiDict[str, str]:
        """The parsed query string. Invalid UTF-8 (raw or escaped) stays as
        ``%XX`` escapes rather than raising.
        """
        return self.parameter_storage_class(_parse_query(self.query_string))

    @_lazy
    def access_route(self) -> list[str]:
        """The client address followed by the proxies, from
        ``X-Forwarded-For`` when present, else :attr:`remote_addr`. Only
        trust it behind a proxy that sets the header.
        """
        forwarded = self.headers.get("X-Forwarded-For")
        if forwarded is not None:
            return self.list_storage_class(parse_list_header(forwarded))
        if self.remote_addr is not None:
            return self.list_storage_class([self.remote_addr])
        return self.list_storage_class()

    @_lazy
    def full_path(self) -> str:
        """The path and the query string (after a ``?``, even when empty)."""
        return f"{self.path}?{self.query_string.decode('utf-8', _QUOTE_ERRORS)}"

    @property
    def is_secure(self) -> bool:
        """Whether the request came over HTTPS or WSS."""
        return self.scheme in {"https", "wss"}

    @_lazy
    def url(self) -> str:
        """The full URL, as an IRI: ``http://example.com/app/page?x=1``."""
        return get_current_url(self.scheme, self.host, self.root_path, self.path, self.query_string)

    @_lazy
    def base_url(self) -> str:
        """:attr:`url` without the query string."""
        return get_current_url(self.scheme, self.host, self.root_path, self.path)

    @_lazy
    def root_url(self) -> str:
        """The URL of the application root, with a trailing slash."""
        return get_current_url(self.scheme, self.host, self.root_path)

    @_lazy
    def host_url(self) -> str:
        """The scheme and host, with a trailing slash."""
        return get_current_url(self.scheme, self.host)

    @_lazy
    def host(self) -> str:
        """The host the request was sent to, with the port when it is not
        the scheme's default; ``""`` when the ``Host`` header is malformed.
        Checked against :attr:`trusted_hosts`.
        """
        return get_host(self.scheme, self.headers.get("host"), self.server, self.trusted_hosts)

    @_lazy
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The cookies sent with the request. Values are taken as the
        header carries them (no latin-1 to UTF-8 re-decoding), as in Werkzeug.
        """
        return parse_cookie(self.headers.get("Cookie"), cls=self.dict_storage_class)  # type: ignore[return-value]  # immutable unless a subclass swaps the storage class (typed as in Werkzeug)

    content_type: header_property[str] = header_property(
        "Content-Type", read_only=True, doc="The media type of the body, with its parameters."
    )

    @_lazy
    def content_length(self) -> int | None:
        """The body length in bytes; ``None`` when unknown or chunked."""
        return get_content_length(self.headers.get("Content-Length"), self.headers.get("Transfer-Encoding"))

    content_encoding: header_property[str] = header_property(
        "Content-Encoding", read_only=True, doc="The coding applied to the body, such as ``gzip``."
    )
    content_md5: header_property[str] = header_property(
        "Content-MD5", read_only=True, doc="The base64 MD5 digest of the body (RFC 1864)."
    )
    referrer: header_property[str] = header_property(
        "Referer", read_only=True, doc="The address of the page that linked here."
    )
    date = header_property(
        "Date",
        None,
        lambda value: _parse_date(value),
        read_only=True,
        doc="When the message was sent, as an aware datetime.",
    )
    max_forwards = header_property(
        "Max-Forwards", None, int, read_only=True, doc="How many more proxies may forward the request."
    )

    #: ``Content-Type`` split into media type and parameters, once parsed.
    _parsed_content_type: tuple[str, dict[str, str]] | None = None

    def _parse_content_type(self) -> tuple[str, dict[str, str]]:
        parsed = self._parsed_content_type
        if parsed is None:
            parsed = self._parsed_content_type = parse_options_header(self.headers.get("Content-Type", ""))
        return parsed

    @property
    def mimetype(self) -> str:
        """The media type from ``Content-Type``, lowercased, without
        parameters: ``"text/html"``.
        """
        return self._parse_content_type()[0].lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The ``Content-Type`` parameters, such as ``{"charset": "utf-8"}``."""
        return self._parse_content_type()[1]

    @_lazy
    def pragma(self) -> HeaderSet:
        """The ``Pragma`` directives (``no-cache`` in practice)."""
        return parse_set_header(self.headers.get("Pragma", ""))

    @_lazy
    def accept_mimetypes(self) -> MIMEAccept:
        """The media types the client accepts, best first."""
        return parse_accept_header(self.headers.get("Accept"), MIMEAccept)

    @_lazy
    def accept_charsets(self) -> CharsetAccept:
        """The charsets the client accepts."""
        return parse_accept_header(self.headers.get("Accept-Charset"), CharsetAccept)

    @_lazy
    def accept_encodings(self) -> Accept:
        """The content codings (``gzip``, ``br``) the client accepts."""
        return parse_accept_header(self.headers.get("Accept-Encoding"))

    @_lazy
    def accept_languages(self) -> LanguageAccept:
        """The languages the client prefers."""
        return parse_accept_header(self.headers.get("Accept-Language"), LanguageAccept)

    @_lazy
    def cache_control(self) -> RequestCacheControl:
        """The ``Cache-Control`` directives the client sent."""
        return parse_cache_control_header(self.headers.get("Cache-Control"), None, RequestCacheControl)

    @_lazy
    def if_match(self) -> ETags:
        """The ETags from ``If-Match``."""
        return parse_etags(self.headers.get("If-Match"))

    @_lazy
    def if_none_match(self) -> ETags:
        """The ETags from ``If-None-Match``."""
        return parse_etags(self.headers.get("If-None-Match"))

    @_lazy
    def if_modified_since(self) -> datetime | None:
        """``If-Modified-Since`` as an aware datetime."""
        return _parse_date(self.headers.get("If-Modified-Since"))

    @_lazy
    def if_unmodified_since(self) -> datetime | None:
        """``If-Unmodified-Since`` as an aware datetime."""
        return _parse_date(self.headers.get("If-Unmodified-Since"))

    @_lazy
    def if_range(self) -> IfRange:
        """The ``If-Range`` condition (an ETag or a date)."""
        return parse_if_range_header(self.headers.get("If-Range"))

    @_lazy
    def range(self) -> Range | None:
        """The requested byte ranges, ``None`` when absent or malformed."""
        return parse_range_header(self.headers.get("Range"))

    @_lazy
    def user_agent(self) -> UserAgent:
        """The ``User-Agent`` header as a :attr:`user_agent_class`."""
        return self.user_agent_class(self.headers.get("User-Agent") or "")

    @_lazy
    def authorization(self) -> Authorization | None:
        """The credentials from ``Authorization``, ``None`` when absent."""
        return Authorization.from_header(self.headers.get("Authorization"))

    origin: header_property[str] = header_property(
        "Origin", read_only=True, doc="The origin (scheme, host, port) a cross-origin request came from."
    )
    access_control_request_headers = header_property(
        "Access-Control-Request-Headers",
        load_func=lambda value: _parse_set_header(value),
        read_only=True,
        doc="The headers a CORS preflight asks permission to send.",
    )
    access_control_request_method: header_property[str] = header_property(
        "Access-Control-Request-Method",
        read_only=True,
        doc="The method a CORS preflight asks permission to use.",
    )

    @property
    def is_json(self) -> bool:
        """Whether the body is JSON: ``application/json`` or
        ``application/<anything>+json``.
        """
        mimetype = self.mimetype
        return mimetype == "application/json" or (
            mimetype.startswith("application/") and mimetype.endswith("+json")
        )


def _parse_date(value: str | None) -> datetime | None:
    return parse_date(value)


def _parse_set_header(value: str) -> HeaderSet:
    return parse_set_header(value)
