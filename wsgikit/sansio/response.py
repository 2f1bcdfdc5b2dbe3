"""The IO-free half of the response: status, headers, cookies and the typed
header properties (caching, conditional requests, CORS, CSP, ...).

Nothing here knows about WSGI or bodies; :class:`wsgikit.wrappers.Response`
adds the body and the environ-facing methods on top of this class.

Theory of operation for the lazy headers: most responses built on the hot
path (``Response("Hello")``, ``Response(json, mimetype="application/json")``)
only ever carry a Content-Type and a Content-Length that this module computes
itself. Until someone touches :attr:`Response.headers`, those two values live
in the plain slots ``_lazy_ct``/``_lazy_cl`` and no :class:`Headers` object
exists; the first access to ``headers`` builds the real object from them
(same order, same values) and from then on everything goes through it. The
WSGI layer reads the slots directly to emit the header list, so the common
response never allocates a header container at all.
"""

from __future__ import annotations

import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone

from .._internal import _keeps_stock
from ..datastructures import CallbackDict
from ..datastructures import ContentRange
from ..datastructures import ContentSecurityPolicy
from ..datastructures import Headers
from ..datastructures import HeaderSet
from ..datastructures import ResponseCacheControl
from ..datastructures import WWWAuthenticate
from ..http import COEP
from ..http import COOP
from ..http import HTTP_STATUS_CODES
from ..http import dump_age
from ..http import dump_cookie
from ..http import dump_header
from ..http import dump_options_header
from ..http import http_date
from ..http import parse_age
from ..http import parse_cache_control_header
from ..http import parse_content_range_header
from ..http import parse_csp_header
from ..http import parse_date
from ..http import parse_options_header
from ..http import parse_set_header
from ..http import quote_etag
from ..http import unquote_etag
from ..utils import get_content_type
from ..utils import header_property

if t.TYPE_CHECKING:
    from http import HTTPStatus  # cold start: only an annotation here

#: ``"200 OK"``-style status lines for every code Werkzeug knows a reason for.
# PERF: building the status line (dict lookup, upper(), f-string) showed up in
# profiles of the response hot path; a precomputed table makes it one lookup.
_STATUS_LINES: dict[int, str] = {
    code: f"{code} {reason.upper()}" for code, reason in HTTP_STATUS_CODES.items()
}

#: mimetype -> full Content-Type value (with ``charset=utf-8`` where it
#: applies), only for values already checked to be safe header values.
# PERF: get_content_type() does several string tests per call; responses
# reuse a handful of mimetypes, so the result is memoised. The table is
# bounded so arbitrary user mimetypes cannot grow it without limit.
_CONTENT_TYPES: dict[str, str] = {}
_CONTENT_TYPES_MAX = 256


def _is_safe_header_value(value: str) -> bool:
    """Whether ``value`` is free of the characters that split headers."""
    return "\n" not in value and "\r" not in value and "\0" not in value


def _cached_content_type(mimetype: str) -> str | None:
    """Return the Content-Type for ``mimetype``, or ``None`` when the value
    is not a safe header value (the caller then goes through :class:`Headers`,
    which raises the proper error).
    """
    value = _CONTENT_TYPES.get(mimetype)
    if value is None:
        value = get_content_type(mimetype, "utf-8")
        if not _is_safe_header_value(value):
            return None
        if len(_CONTENT_TYPES) >= _CONTENT_TYPES_MAX:
            _CONTENT_TYPES.clear()
        _CONTENT_TYPES[mimetype] = value
    return value


def _status_line_for_code(code: int) -> str:
    line = _STATUS_LINES.get(code)
    if line is None:
        line = f"{code} {HTTP_STATUS_CODES.get(code, 'unknown').upper()}"
    return line


def _clean_status_value(value: str | int | HTTPStatus) -> tuple[str, int]:
    """Turn a user supplied status into ``(status_line, status_code)``.

    Integers (and :class:`~http.HTTPStatus`) get the standard reason phrase,
    or ``UNKNOWN``. A string starting with a number keeps its own reason
    phrase, or gets the standard one when it is only a number; a string that
    does not start with a number is kept with a code of 0, as Werkzeug does.
    """
    if isinstance(value, int):
        code = int(value)
        return _status_line_for_code(code), code
    if not isinstance(value, str):
        raise TypeError(
            "The status must be an int, an HTTPStatus or a str,"
            f" not {type(value).__name__!r}."
        )
    value = value.strip()
    if not value:
        raise ValueError("Empty status argument")
    if not _is_safe_header_value(value):
        # Werkzeug would pass this through into the status line; a newline
        # there lets the value inject headers, so it is refused.
        raise ValueError("The status must not contain newline or NUL characters.")
    code_part, space, _reason = value.partition(" ")
    try:
        code = int(code_part)
    except ValueError:
        return f"0 {value}", 0
    if space:
        return value, code
    return _status_line_for_code(code), code


def _dump_coop(value: COOP | str) -> str:
    return COOP(value).value


def _dump_coep(value: COEP | str) -> str:
    return COEP(value).value


def _set_property(name: str, doc: str | None = None) -> property:
    """A property exposing a comma separated header as a live :class:`HeaderSet`.

    Changing the set writes the header back; assigning a string stores it
    as is, assigning an iterable joins it, assigning something empty removes
    the header.
    """

    def fget(self: Response) -> HeaderSet:
        def on_update(header_set: HeaderSet) -> None:
            if header_set:
                self.headers[name] = header_set.to_header()
            else:
                self.headers.remove(name)

        value = self.headers.get(name)
        if value is None:
            # PERF: nothing to parse (the usual case for ``vary.add(...)``).
            return HeaderSet(None, on_update)
        return parse_set_header(value, on_update)

    def fset(self: Response, value: str | t.Iterable[str] | None) -> None:
        if not value:
            self.headers.remove(name)
        elif isinstance(value, str):
            self.headers[name] = value
        else:
            self.headers[name] = dump_header(value)

    return property(fget, fset, doc=doc)


def _structured_property(
    name: str, parse: t.Callable[..., t.Any], doc: str | None = None
) -> property:
    """A property for a header parsed into an object with ``to_header()``
    and an update callback (Content-Security-Policy and friends).
    """

    def fget(self: Response) -> t.Any:
        def on_update(value: t.Any) -> None:
            if not value:
                self.headers.remove(name)
            else:
                self.headers[name] = value.to_header()

        return parse(self.headers.get(name), on_update)

    def fset(self: Response, value: t.Any) -> None:
        if not value:
            self.headers.remove(name)
        elif isinstance(value, str):
            self.headers[name] = value
        else:
            self.headers[name] = value.to_header()

    return property(fget, fset, doc=doc)


class Response:
    """The IO-free base of a response: a status, headers and the typed
    accessors for those headers.

    :param status: the status as an int, an :class:`~http.HTTPStatus` or a
        string such as ``"404 Not Found"``; :attr:`default_status` if omitted.
    :param headers: a :class:`Headers` object (used as is), a mapping or a
        list of ``(name, value)`` pairs.
    :param mimetype: the mimetype; ``charset=utf-8`` is added for text types.
        :attr:`default_mimetype` is used when neither this nor
        ``content_type`` nor a Content-Type header is given.
    :param content_type: the full Content-Type value, used as given.
    """

    #: The status used when none is given.
    default_status = 200

    #: The mimetype used when no content type is given.
    default_mimetype: str | None = "text/plain"

    #: Cookies whose ``Set-Cookie`` header would be larger than this many
    #: bytes trigger a warning (browsers drop them silently). 0 disables it.
    max_cookie_size = 4093

    #: Whether ``status`` and ``_clean_status`` are the stock ones, so an
    #: int status may be stored straight from the table. Set per class.
    _stock_status = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._stock_status = _keeps_stock(cls, Response, ("status", "_clean_status"))

    _status: str
    _status_code: int
    _headers: Headers | None
    _lazy_ct: str | None
    _lazy_cl: str | None

    def __init__(
        self,
        status: int | str | HTTPStatus | None = None,
        headers: t.Mapping[str, str | t.Iterable[str]]
        | t.Iterable[tuple[str, str]]
        | Headers
        | None = None,
        mimetype: str | None = None,
        content_type: str | None = None,
    ) -> None:
        # PERF: this constructor runs for every response; it takes the lazy
        # header route (see the module docstring) whenever it can, and sets
        # the status from the precomputed table for plain int codes.
        if status is None:
            status = self.default_status
        line = _STATUS_LINES.get(status) if type(status) is int else None
        if line is not None:
            self._status = line
            self._status_code = status  # type: ignore[assignment]  # an int: only int keys are in the table
        else:
            self._status, self._status_code = _clean_status_value(status)

        self._lazy_cl = None
        if headers is None:
            if content_type is None:
                if mimetype is None:
                    mimetype = self.default_mimetype
                if mimetype is not None:
                    content_type = _cached_content_type(mimetype)
                    if content_type is None:
                        self._init_headers(None, mimetype, None)
                        return
            elif not _is_safe_header_value(content_type):
                self._init_headers(None, None, content_type)
                return
            self._headers = None
            self._lazy_ct = content_type
            return
        self._init_headers(headers, mimetype, content_type)

    def _init_headers(
        self,
        headers: t.Any,
        mimetype: str | None,
        content_type: str | None,
    ) -> None:
        """The general constructor path, with a real :class:`Headers`."""
        if isinstance(headers, Headers):
            self._headers = headers
        else:
            self._headers = Headers(headers) if headers else Headers()
        self._lazy_ct = None
        if content_type is None:
            if mimetype is None and "content-type" not in self._headers:
                mimetype = self.default_mimetype
            if mimetype is not None:
                content_type = get_content_type(mimetype, "utf-8")
        if content_type is not None:
            self._headers["Content-Type"] = content_type

    @property
    def headers(self) -> Headers:
        """The response headers, a :class:`Headers` object."""
        headers = self._headers
        if headers is None:
            # First access: turn the lazily kept values into the real object.
            pairs = []
            if self._lazy_ct is not None:
                pairs.append(("Content-Type", self._lazy_ct))
            if self._lazy_cl is not None:
                pairs.append(("Content-Length", self._lazy_cl))
            headers = self._headers = Headers(pairs)
            self._lazy_ct = self._lazy_cl = None
        return headers

    @headers.setter
    def headers(self, value: Headers) -> None:
        self._headers = value
        self._lazy_ct = self._lazy_cl = None

    def _set_content_length(self, length: int) -> None:
        """Store a Content-Length computed by this package (always safe)."""
        if self._headers is None:
            self._lazy_cl = str(length)
        else:
            self._headers["Content-Length"] = str(length)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status}]>"

    # -- status -----------------------------------------------------------

    @property
    def status_code(self) -> int:
        """The HTTP status code as an int."""
        return self._status_code

    @status_code.setter
    def status_code(self, code: int) -> None:
        # PERF: a plain int code with a known reason (``return body, 201``)
        # is stored from the table, without the two calls below, while the
        # class keeps the stock ``status`` and ``_clean_status``.
        if type(code) is int and self._stock_status:
            line = _STATUS_LINES.get(code)
            if line is not None:
                self._status = line
                self._status_code = code
                return
        self.status = code

    @property
    def status(self) -> str:
        """The HTTP status line, such as ``"200 OK"``."""
        return self._status

    @status.setter
    def status(self, value: str | int | HTTPStatus) -> None:
        if type(value) is int and self._stock_status:
            line = _STATUS_LINES.get(value)  # PERF: as in the status_code setter
            if line is not None:
                self._status = line
                self._status_code = value
                return
        self._status, self._status_code = self._clean_status(value)

    def _clean_status(self, value: str | int | HTTPStatus) -> tuple[str, int]:
        return _clean_status_value(value)

    # -- cookies ----------------------------------------------------------

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: timedelta | int | None = None,
        expires: str | datetime | int | float | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header. The arguments are those of
        :func:`wsgikit.http.dump_cookie`; a cookie larger than
        :attr:`max_cookie_size` makes it warn.

        :param key: the cookie name.
        :param value: the cookie value.
        :param max_age: lifetime in seconds or as a timedelta; ``None`` keeps
            the cookie for the browser session.
        :param expires: an absolute expiry time.
        :param path: limit the cookie to this path.
        :param domain: share the cookie with this domain (and subdomains).
        :param secure: send the cookie over HTTPS only.
        :param httponly: hide the cookie from JavaScript.
        :param samesite: ``"Strict"``, ``"Lax"`` or ``"None"``.
        :param partitioned: store the cookie per top-level site (CHIPS).
        """
        self.headers.add(
            "Set-Cookie",
            dump_cookie(
                key,
                value=value,
                max_age=max_age,
                expires=expires,
                path=path,
                domain=domain,
                secure=secure,
                httponly=httponly,
                max_size=self.max_cookie_size,
                samesite=samesite,
                partitioned=partitioned,
            ),
        )

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Tell the browser to drop a cookie, by setting it empty and expired.

        ``path`` and ``domain`` must match those the cookie was set with.
        """
        self.set_cookie(
            key,
            expires=0,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    # -- content type -----------------------------------------------------

    @property
    def is_json(self) -> bool:
        """Whether the mimetype is ``application/json`` or ``application/*+json``."""
        mt = self.mimetype
        return mt is not None and (
            mt == "application/json"
            or (mt.startswith("application/") and mt.endswith("+json"))
        )

    @property
    def mimetype(self) -> str | None:
        """The mimetype (the Content-Type without its parameters)."""
        if self._headers is None:
            ct = self._lazy_ct
        else:
            ct = self._headers.get("content-type")
        if ct:
            return ct.split(";", 1)[0].strip()
        return None

    @mimetype.setter
    def mimetype(self, value: str | None) -> None:
        if value is None:
            self.headers.remove("Content-Type")
        else:
            self.headers["Content-Type"] = get_content_type(value, "utf-8")

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The Content-Type parameters as a dict; changing it rewrites the
        header, e.g. ``response.mimetype_params["charset"] = "latin-1"``.
        """

        def on_update(d: CallbackDict[str, str]) -> None:
            self.headers["Content-Type"] = dump_options_header(self.mimetype, d)

        params = parse_options_header(self.headers.get("content-type", ""))[1]
        return CallbackDict(params, on_update)

    # -- plain header properties ------------------------------------------

    location: header_property[str] = header_property(
        "Location",
        doc="Where a redirect points. A relative URL is sent as given unless"
        " :attr:`autocorrect_location_header` is set on the WSGI response.",
    )
    age = header_property(
        "Age",
        None,
        parse_age,
        dump_age,  # type: ignore[arg-type]  # it also takes the None a getter may give back
        doc="How long the response has been in a proxy cache, as a timedelta.",
    )
    content_type: header_property[str] = header_property(
        "Content-Type", doc="The full Content-Type header value."
    )
    content_length = header_property(
        "Content-Length",
        None,
        int,
        str,
        doc="The body size in bytes, as an int.",
    )
    content_location: header_property[str] = header_property(
        "Content-Location",
        doc="Another URL at which the returned content is available.",
    )
    content_encoding: header_property[str] = header_property(
        "Content-Encoding",
        doc="The coding (such as ``gzip``) applied to the body.",
    )
    content_md5: header_property[str] = header_property(
        "Content-MD5",
        doc="Base64 MD5 digest of the body (obsolete, kept for compatibility).",
    )
    date = header_property(
        "Date",
        None,
        parse_date,
        http_date,
        doc="When the response was generated, as an aware datetime.",
    )
    expires = header_property(
        "Expires",
        None,
        parse_date,
        http_date,
        doc="When the response becomes stale, as an aware datetime.",
    )
    last_modified = header_property(
        "Last-Modified",
        None,
        parse_date,
        http_date,
        doc="When the resource last changed, as an aware datetime.",
    )
    accept_ranges: header_property[str] = header_property(
        "Accept-Ranges",
        doc="The range units the resource supports (``bytes`` or ``none``).",
    )

    # -- retry-after ------------------------------------------------------

    @property
    def retry_after(self) -> datetime | None:
        """When the client may retry, as an aware datetime. The header may hold
        seconds (converted relative to now) or an HTTP date.
        """
        value = self.headers.get("retry-after")
        if value is None:
            return None
        try:
            seconds = int(value)
        except ValueError:
            return parse_date(value)
        return datetime.now(timezone.utc) + timedelta(seconds=seconds)

    @retry_after.setter
    def retry_after(self, value: datetime | int | str | None) -> None:
        if value is None:
            self.headers.remove("Retry-After")
            return
        if isinstance(value, datetime):
            value = http_date(value)
        else:
            value = str(value)
        self.headers["Retry-After"] = value

    # -- sets -------------------------------------------------------------

    vary = _set_property(
        "Vary", "The request headers that select this response (for caches)."
    )
    content_language = _set_property(
        "Content-Language", "The languages of the intended audience."
    )
    allow = _set_property("Allow", "The methods the resource supports.")

    # -- caching ----------------------------------------------------------

    @property
    def cache_control(self) -> ResponseCacheControl:
        """The Cache-Control header as a :class:`ResponseCacheControl`;
        changing it rewrites (or removes) the header.
        """

        def on_update(cache_control: ResponseCacheControl) -> None:
            if not cache_control:
                self.headers.remove("Cache-Control")
            else:
                self.headers["Cache-Control"] = cache_control.to_header()

        return parse_cache_control_header(
            self.headers.get("cache-control"), on_update, ResponseCacheControl
        )

    def set_etag(self, etag: str, weak: bool = False) -> None:
        """Set the ETag header, quoting ``etag`` (and marking it weak)."""
        self.headers["ETag"] = quote_etag(etag, weak)

    def get_etag(self) -> tuple[str, bool] | tuple[None, None]:
        """Return ``(etag, is_weak)``, or ``(None, None)`` without an ETag."""
        return unquote_etag(self.headers.get("ETag"))

    # -- content range ----------------------------------------------------

    @property
    def content_range(self) -> ContentRange:
        """The Content-Range header as a :class:`ContentRange`; an empty one
        when the header is missing or invalid. Changing it rewrites the header.
        """

        def on_update(rng: ContentRange) -> None:
            if not rng:
                self.headers.remove("Content-Range")
            else:
                self.headers["Content-Range"] = rng.to_header()

        rng = parse_content_range_header(self.headers.get("content-range"), on_update)
        if rng is None:
            rng = ContentRange(None, None, None, on_update=on_update)
        return rng

    @content_range.setter
    def content_range(self, value: ContentRange | str | None) -> None:
        if not value:
            self.headers.remove("Content-Range")
        elif isinstance(value, str):
            self.headers["Content-Range"] = value
        elif hasattr(value, "to_header"):
            self.headers["Content-Range"] = value.to_header()
        else:
            raise TypeError(
                "content_range must be a ContentRange, a str or None,"
                f" not {type(value).__name__!r}."
            )

    # -- authentication ---------------------------------------------------

    @property
    def www_authenticate(self) -> WWWAuthenticate:
        """The first WWW-Authenticate challenge as a :class:`WWWAuthenticate`
        (a ``Basic`` one when the header is missing); changing it rewrites the
        header. Assign a list to send several challenges.
        """
        value = WWWAuthenticate.from_header(self.headers.get("WWW-Authenticate"))
        if value is None:
            value = WWWAuthenticate("basic")

        def on_update(value: WWWAuthenticate) -> None:
            self.www_authenticate = value

        # The datastructure has no public hook for this; like Werkzeug, the
        # callback is attached after construction.
        value._on_update = on_update
        return value

    @www_authenticate.setter
    def www_authenticate(
        self, value: WWWAuthenticate | list[WWWAuthenticate] | None
    ) -> None:
        if not value:
            self.headers.remove("WWW-Authenticate")
        elif isinstance(value, WWWAuthenticate):
            self.headers["WWW-Authenticate"] = value.to_header()
        else:
            self.headers.remove("WWW-Authenticate")
            for challenge in value:
                self.headers.add("WWW-Authenticate", challenge.to_header())

    @www_authenticate.deleter
    def www_authenticate(self) -> None:
        self.headers.remove("WWW-Authenticate")

    # -- CSP --------------------------------------------------------------

    content_security_policy = _structured_property(
        "Content-Security-Policy",
        parse_csp_header,
        "The Content-Security-Policy header as a :class:`ContentSecurityPolicy`.",
    )
    content_security_policy_report_only = _structured_property(
        "Content-Security-Policy-Report-Only",
        parse_csp_header,
        "The report-only variant of :attr:`content_security_policy`.",
    )

    # -- CORS -------------------------------------------------------------

    @property
    def access_control_allow_credentials(self) -> bool:
        """Whether credentials may be exposed to the requesting origin. The
        header's only valid value is ``true``, so its presence means True.
        """
        return "Access-Control-Allow-Credentials" in self.headers

    @access_control_allow_credentials.setter
    def access_control_allow_credentials(self, value: bool | None) -> None:
        if value is True:
            self.headers["Access-Control-Allow-Credentials"] = "true"
        else:
            self.headers.remove("Access-Control-Allow-Credentials")

    access_control_allow_headers = header_property(
        "Access-Control-Allow-Headers",
        load_func=parse_set_header,
        dump_func=dump_header,
        doc="The request headers a cross-origin request may use.",
    )
    access_control_allow_methods = header_property(
        "Access-Control-Allow-Methods",
        load_func=parse_set_header,
        dump_func=dump_header,
        doc="The methods a cross-origin request may use.",
    )
    access_control_allow_origin: header_property[str] = header_property(
        "Access-Control-Allow-Origin",
        doc="The origin (or ``*``) allowed to read the response.",
    )
    access_control_expose_headers = header_property(
        "Access-Control-Expose-Headers",
        load_func=parse_set_header,
        dump_func=dump_header,
        doc="The response headers a cross-origin script may read.",
    )
    access_control_max_age = header_property(
        "Access-Control-Max-Age",
        load_func=int,
        dump_func=str,
        doc="How long, in seconds, a preflight result may be cached.",
    )

    # -- cross-origin isolation ---------------------------------------------

    cross_origin_opener_policy = header_property(
        "Cross-Origin-Opener-Policy",
        load_func=lambda value: COOP(value),
        dump_func=_dump_coop,
        default=COOP.UNSAFE_NONE,
        doc="Whether other-origin documents share the browsing context group.",
    )
    cross_origin_embedder_policy = header_property(
        "Cross-Origin-Embedder-Policy",
        load_func=lambda value: COEP(value),
        dump_func=_dump_coep,
        default=COEP.UNSAFE_NONE,
        doc="Whether other-origin resources need explicit permission to load.",
    )
