"""HTTP errors as Python exceptions.

Raise one of these anywhere while handling a request and the application
turns it into a response: every :class:`HTTPException` knows its status
code, a short description, extra headers (``Allow``, ``WWW-Authenticate``,
``Retry-After``, ``Content-Range``) and how to render a small HTML page. An
instance is also a WSGI application, so it can be returned as-is::

    from wsgikit.exceptions import NotFound, abort

    def app(environ, start_response):
        if environ["PATH_INFO"] != "/":
            return NotFound()(environ, start_response)
        ...

    abort(403)                    # raise Forbidden()
    abort(405, valid_methods=["GET"])

The HTML page, the status names and the descriptions match Werkzeug 3.1
byte for byte.
"""

from __future__ import annotations

import typing as t
from datetime import datetime

from ._http_text import HTTP_STATUS_CODES
from ._internal import _dt_as_utc
from ._internal import _escape_html
from ._internal import _get_environ

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .datastructures import WWWAuthenticate
    from .sansio.response import Response as SansIOResponse
    from .wrappers.request import Request as WSGIRequest
    from .wrappers.response import Response as WSGIResponse

#: ``HTTP_STATUS_CODES`` from :mod:`wsgikit.http`, fetched on first use:
#: importing it at module level would make ``exceptions -> http ->
#: datastructures -> exceptions`` a cycle.
_status_names: dict[int, str] | None = None


def _status_name(code: int | None) -> str:
    global _status_names
    if _status_names is None:
        _status_names = HTTP_STATUS_CODES
    return _status_names.get(code, "Unknown Error")  # type: ignore[arg-type]  # no code (None) is simply not found


class HTTPException(Exception):
    """The base of every HTTP error; raising it ends request handling with
    its response.

    :param description: replaces the class's default :attr:`description`
        (plain text; it is HTML-escaped when rendered).
    :param response: a ready response to send instead of the generated
        HTML page (see :func:`abort` with a response object).
    """

    #: The HTTP status code; ``None`` on the abstract base.
    code: int | None = None
    #: Text shown on the error page, explaining the error to the client.
    description: str | None = None

    def __init__(self, description: str | None = None, response: SansIOResponse | None = None) -> None:
        super().__init__()
        if description is not None:
            self.description = description
        #: A response to return as-is from :meth:`get_response`.
        self.response = response

    @property
    def name(self) -> str:
        """The reason phrase for :attr:`code` (``"Not Found"``)."""
        return _status_name(self.code)

    def get_description(self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None) -> str:
        """Return the description as an escaped HTML paragraph, with line
        breaks turned into ``<br>``."""
        if self.description is None:
            return "<p></p>"
        text = _escape_html(self.description).replace("\n", "<br>")
        return f"<p>{text}</p>"

    def get_body(self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None) -> str:
        """Return the HTML error page."""
        name = _escape_html(self.name)
        return (
            "<!doctype html>\n<html lang=en>\n"
            f"<title>{self.code} {name}</title>\n"
            f"<h1>{name}</h1>\n"
            f"{self.get_description(environ, scope)}\n"
        )

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None
    ) -> list[tuple[str, str]]:
        """Return the response headers; subclasses add their own."""
        return [("Content-Type", "text/html; charset=utf-8")]

    def get_response(
        self,
        environ: WSGIEnvironment | WSGIRequest | None = None,
        scope: dict[str, t.Any] | None = None,
    ) -> WSGIResponse:
        """Return :attr:`response` if one was given, else a new
        :class:`~wsgikit.wrappers.response.Response` with the HTML page.

        :param environ: the WSGI environ or a request object (optional).
        :param scope: an ASGI scope, passed on to the ``get_*`` methods.
        """
        if self.response is not None:
            return self.response  # type: ignore[return-value]  # typed as the WSGI response it is in a WSGI app (as Werkzeug does)
        if environ is not None:
            environ = _get_environ(environ)
        # Deliberate upward call: the wrappers sit above this module.
        from .wrappers.response import Response

        headers = self.get_headers(environ, scope)
        return Response(self.get_body(environ, scope), self.code, headers)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        """Run the exception as a WSGI application that sends its response."""
        response = self.get_response(environ)
        return response(environ, start_response)

    def __str__(self) -> str:
        code = self.code if self.code is not None else "???"
        return f"{code} {self.name}: {self.description}"

    def __repr__(self) -> str:
        code = self.code if self.code is not None else "???"
        return f"<{type(self).__name__} '{code}: {self.name}'>"


class BadRequest(HTTPException):
    """400: the request was malformed or the application could not process it."""

    code = 400
    description = "The browser (or proxy) sent a request that this server could not understand."


class InvalidFormData(BadRequest, ValueError):
    """400: the request body is not a valid form (bad multipart framing or
    an unparsable ``Content-Length`` of a part).

    It is both a :class:`BadRequest`, a clear 400 when it escapes to the
    client, and a :class:`ValueError`, what Werkzeug's form parser raises
    and what ``silent=True`` swallows.
    """


class ClientDisconnected(BadRequest):
    """The client went away while the request body was being read.

    It is a :class:`BadRequest` so that, should it reach the server, the
    server logs it as a client error rather than crashing.
    """


class SecurityError(BadRequest):
    """A request was refused for a security reason (400)."""


class BadHost(BadRequest):
    """The ``Host`` header is malformed or not one of the trusted hosts (400)."""


class BadRequestKeyError(BadRequest, KeyError):
    """A missing key in request data (``request.form["x"]``): both a
    :class:`KeyError` and a 400 :class:`BadRequest`.

    :param arg: the missing key.
    """

    #: Append ``KeyError: <key>`` to the description; handy while debugging,
    #: too revealing in production.
    show_exception = False

    def __init__(self, arg: object | None = None, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        if arg is None:
            KeyError.__init__(self)
        else:
            KeyError.__init__(self, arg)

    @property
    def description(self) -> str:
        base: str = self.__dict__.get("_description", BadRequest.description)
        if self.show_exception:
            return f"{base}\n{KeyError.__name__}: {KeyError.__str__(self)}"
        return base

    @description.setter
    def description(self, value: str) -> None:
        self._description = value


class Unauthorized(HTTPException):
    """401: the request needs (valid) credentials.

    :param www_authenticate: one :class:`~wsgikit.datastructures.WWWAuthenticate`
        or a list of them; each becomes a ``WWW-Authenticate`` header telling
        the client which schemes it may use.
    """

    code = 401
    description = (
        "The server could not verify that you are authorized to access"
        " the URL requested. You either supplied the wrong credentials"
        " (e.g. a bad password), or your browser doesn't understand"
        " how to supply the credentials required."
    )

    def __init__(
        self,
        description: str | None = None,
        response: SansIOResponse | None = None,
        www_authenticate: None | WWWAuthenticate | t.Iterable[WWWAuthenticate] = None,
    ) -> None:
        super().__init__(description, response)
        if www_authenticate is not None and not isinstance(www_authenticate, (tuple, list)):
            www_authenticate = (www_authenticate,)  # type: ignore[assignment]  # the lone challenge, wrapped
        #: The challenges sent as ``WWW-Authenticate`` headers, or ``None``.
        self.www_authenticate = www_authenticate

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None
    ) -> list[tuple[str, str]]:
        headers = super().get_headers(environ, scope)
        if self.www_authenticate:
            headers.extend(("WWW-Authenticate", str(challenge)) for challenge in self.www_authenticate)  # type: ignore[union-attr]  # __init__ wraps a lone challenge in a tuple
        return headers


class Forbidden(HTTPException):
    """403: the client may not access this resource (credentials won't help)."""

    code = 403
    description = (
        "You don't have the permission to access the requested"
        " resource. It is either read-protected or not readable by the"
        " server."
    )


class NotFound(HTTPException):
    """404: nothing lives at this URL."""

    code = 404
    description = (
        "The requested URL was not found on the server. If you entered"
        " the URL manually please check your spelling and try again."
    )


class MethodNotAllowed(HTTPException):
    """405: the URL exists but not for this method.

    :param valid_methods: the methods the URL does accept; sent in the
        ``Allow`` header.
    """

    code = 405
    description = "The method is not allowed for the requested URL."

    def __init__(
        self,
        valid_methods: t.Iterable[str] | None = None,
        description: str | None = None,
        response: SansIOResponse | None = None,
    ) -> None:
        super().__init__(description=description, response=response)
        #: The methods listed in ``Allow``.
        self.valid_methods = valid_methods

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None
    ) -> list[tuple[str, str]]:
        headers = super().get_headers(environ, scope)
        if self.valid_methods:
            headers.append(("Allow", ", ".join(self.valid_methods)))
        return headers


class NotAcceptable(HTTPException):
    """406: no representation matches the request's ``Accept*`` headers."""

    code = 406
    description = (
        "The resource identified by the request is only capable of"
        " generating response entities which have content"
        " characteristics not acceptable according to the accept"
        " headers sent in the request."
    )


class RequestTimeout(HTTPException):
    """408: the client took too long to send its request."""

    code = 408
    description = (
        "The server closed the network connection because the browser"
        " didn't finish the request within the specified time."
    )


class Conflict(HTTPException):
    """409: the request conflicts with the resource's current state."""

    code = 409
    description = (
        "A conflict happened while processing the request. The"
        " resource might have been modified while the request was being"
        " processed."
    )


class Gone(HTTPException):
    """410: the resource existed once and is gone for good."""

    code = 410
    description = (
        "The requested URL is no longer available on this server and"
        " there is no forwarding address. If you followed a link from a"
        " foreign page, please contact the author of this page."
    )


class LengthRequired(HTTPException):
    """411: the request needs a ``Content-Length`` header."""

    code = 411
    description = "A request with this method requires a valid <code>Content-Length</code> header."


class PreconditionFailed(HTTPException):
    """412: a conditional header (``If-Match`` ...) did not hold."""

    code = 412
    description = "The precondition on the request for the URL failed positive evaluation."


class RequestEntityTooLarge(HTTPException):
    """413: the request body is bigger than the application accepts."""

    code = 413
    description = "The data value transmitted exceeds the capacity limit."


class RequestURITooLarge(HTTPException):
    """414: the URL is longer than the server accepts."""

    code = 414
    description = (
        "The length of the requested URL exceeds the capacity limit for"
        " this server. The request cannot be processed."
    )


class UnsupportedMediaType(HTTPException):
    """415: the request body's media type is not one the resource handles."""

    code = 415
    description = "The server does not support the media type transmitted in the request."


class RequestedRangeNotSatisfiable(HTTPException):
    """416: the ``Range`` asked for lies outside the resource.

    :param length: the resource's full length, sent as ``Content-Range: <units> */<length>``.
    :param units: the range unit.
    """

    code = 416
    description = "The server cannot provide the requested range."

    def __init__(
        self,
        length: int | None = None,
        units: str = "bytes",
        description: str | None = None,
        response: SansIOResponse | None = None,
    ) -> None:
        super().__init__(description=description, response=response)
        #: The complete length of the resource, or ``None``.
        self.length = length
        #: The range unit (normally ``bytes``).
        self.units = units

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None
    ) -> list[tuple[str, str]]:
        headers = super().get_headers(environ, scope)
        if self.length is not None:
            headers.append(("Content-Range", f"{self.units} */{self.length}"))
        return headers


class ExpectationFailed(HTTPException):
    """417: the server cannot meet the request's ``Expect`` header."""

    code = 417
    description = "The server could not meet the requirements of the Expect header"


class ImATeapot(HTTPException):
    """418: the server refuses to brew coffee (RFC 2324)."""

    code = 418
    description = "This server is a teapot, not a coffee machine"


class MisdirectedRequest(HTTPException):
    """421: the request reached a server that cannot answer for this origin."""

    code = 421
    description = "The server is not able to produce a response."


class UnprocessableEntity(HTTPException):
    """422: the body is well-formed but its content is invalid."""

    code = 422
    description = "The request was well-formed but was unable to be followed due to semantic errors."


class Locked(HTTPException):
    """423: the resource is locked (WebDAV)."""

    code = 423
    description = "The resource that is being accessed is locked."


class FailedDependency(HTTPException):
    """424: the method depended on another action that failed (WebDAV)."""

    code = 424
    description = (
        "The method could not be performed on the resource because the"
        " requested action depended on another action and that action"
        " failed."
    )


class PreconditionRequired(HTTPException):
    """428: the request must be conditional, to avoid lost updates."""

    code = 428
    description = (
        "This request is required to be conditional; try using"
        ' "If-Match" or "If-Unmodified-Since".'
    )


class _RetryAfter(HTTPException):
    """Base for errors that may tell the client when to retry.

    :param retry_after: seconds to wait (``int``) or the moment to retry
        (``datetime``; naive means UTC), sent as ``Retry-After``.
    """

    def __init__(
        self,
        description: str | None = None,
        response: SansIOResponse | None = None,
        retry_after: datetime | int | None = None,
    ) -> None:
        super().__init__(description, response)
        #: The ``Retry-After`` value, or ``None``.
        self.retry_after = retry_after

    def get_headers(
        self, environ: WSGIEnvironment | None = None, scope: dict[str, t.Any] | None = None
    ) -> list[tuple[str, str]]:
        headers = super().get_headers(environ, scope)
        if self.retry_after:
            if isinstance(self.retry_after, datetime):
                from email.utils import format_datetime

                value = format_datetime(_dt_as_utc(self.retry_after), usegmt=True)
            else:
                value = str(self.retry_after)
            headers.append(("Retry-After", value))
        return headers


class TooManyRequests(_RetryAfter):
    """429: the client hit a rate limit."""

    code = 429
    description = "This user has exceeded an allotted request count. Try again later."


class RequestHeaderFieldsTooLarge(HTTPException):
    """431: one header, or all of them together, is too large."""

    code = 431
    description = "One or more header fields exceeds the maximum size."


class UnavailableForLegalReasons(HTTPException):
    """451: the resource is withheld for legal reasons."""

    code = 451
    description = "Unavailable for legal reasons."


class InternalServerError(HTTPException):
    """500: the application failed; sent for unhandled exceptions.

    :param original_exception: the exception that caused it, for handlers
        and logging.
    """

    code = 500
    description = (
        "The server encountered an internal error and was unable to"
        " complete your request. Either the server is overloaded or"
        " there is an error in the application."
    )

    def __init__(
        self,
        description: str | None = None,
        response: SansIOResponse | None = None,
        original_exception: BaseException | None = None,
    ) -> None:
        #: The unhandled exception behind this error, if known.
        self.original_exception = original_exception
        super().__init__(description=description, response=response)


class NotImplemented(HTTPException):
    """501: the server does not support this method at all."""

    code = 501
    description = "The server does not support the action requested by the browser."


class BadGateway(HTTPException):
    """502: an upstream server sent an invalid response to this proxy."""

    code = 502
    description = "The proxy server received an invalid response from an upstream server."


class ServiceUnavailable(_RetryAfter):
    """503: the server is down for maintenance or overloaded, for now."""

    code = 503
    description = (
        "The server is temporarily unable to service your request due"
        " to maintenance downtime or capacity problems. Please try"
        " again later."
    )


class GatewayTimeout(HTTPException):
    """504: an upstream server did not answer this proxy in time."""

    code = 504
    description = "The connection to an upstream server timed out."


class HTTPVersionNotSupported(HTTPException):
    """505: the request's HTTP version is not supported."""

    code = 505
    description = "The server does not support the HTTP protocol version used in the request."


def _find_default_exceptions() -> dict[int, type[HTTPException]]:
    # The first class defined for a code wins, so 400 maps to BadRequest,
    # not to one of its specialised subclasses.
    found: dict[int, type[HTTPException]] = {}
    for obj in list(globals().values()):
        if isinstance(obj, type) and issubclass(obj, HTTPException) and obj.code is not None:
            found.setdefault(obj.code, obj)
    return dict(sorted(found.items()))


#: Status code -> the exception class :func:`abort` raises for it.
default_exceptions: dict[int, type[HTTPException]] = _find_default_exceptions()


class Aborter:
    """Raise the :class:`HTTPException` registered for a status code.

    :param mapping: status code -> exception class; defaults to
        :data:`default_exceptions` (copied, so changes stay local).
    :param extra: more entries added on top of ``mapping``.
    """

    def __init__(
        self,
        mapping: dict[int, type[HTTPException]] | None = None,
        extra: dict[int, type[HTTPException]] | None = None,
    ) -> None:
        if mapping is None:
            mapping = default_exceptions
        #: The code -> class table this aborter uses.
        self.mapping = dict(mapping)
        if extra is not None:
            self.mapping.update(extra)

    def __call__(self, code: int | SansIOResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        """Raise the exception for ``code`` built with ``args``/``kwargs``;
        given a response object instead, raise an :class:`HTTPException`
        carrying it.

        :raises LookupError: no exception is registered for ``code``.
        """
        if not isinstance(code, int):
            raise HTTPException(response=code)
        if code not in self.mapping:
            raise LookupError(f"no exception for {code!r}")
        raise self.mapping[code](*args, **kwargs)


_aborter: Aborter = Aborter()


def abort(status: int | SansIOResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the :class:`HTTPException` for ``status`` (``abort(404)``), or
    an exception that sends the given response object unchanged.

    Extra arguments go to the exception's constructor
    (``abort(405, valid_methods=["GET"])``).
    """
    _aborter(status, *args, **kwargs)
