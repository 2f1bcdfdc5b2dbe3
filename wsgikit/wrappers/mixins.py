"""Werkzeug 0.8's names for the request and response building blocks.

In Werkzeug 0.8 a full request was composed from a bare ``BaseRequest`` and
mixins, each adding a family of lazily parsed attributes::

    class Request(BaseRequest, AcceptMixin, ETagRequestMixin,
                  UserAgentMixin, AuthorizationMixin,
                  CommonRequestDescriptorsMixin):
        pass

Here (as in Werkzeug 3) :class:`~wsgikit.wrappers.Request` and
:class:`~wsgikit.wrappers.Response` already have every one of those
families, still parsed on first access, so ``BaseRequest`` and
``BaseResponse`` are those classes and each mixin is an empty marker that
adds nothing. The names stay so that code written against 0.8 composes into
a working class unchanged.
"""

from __future__ import annotations

from .request import Request
from .response import Response

#: Werkzeug 0.8's request without mixins; here the full :class:`Request`.
BaseRequest = Request
#: Werkzeug 0.8's response without mixins; here the full :class:`Response`.
BaseResponse = Response


class AcceptMixin:
    """0.8's ``accept_mimetypes``, ``accept_charsets``, ``accept_encodings``
    and ``accept_languages``; all are on :class:`Request` already."""

    __slots__ = ()


class ETagRequestMixin:
    """0.8's ``cache_control``, ``if_match``, ``if_none_match``,
    ``if_modified_since``, ``if_unmodified_since``, ``if_range`` and
    ``range``; all are on :class:`Request` already."""

    __slots__ = ()


class UserAgentMixin:
    """0.8's ``user_agent``; it is on :class:`Request` already."""

    __slots__ = ()


class AuthorizationMixin:
    """0.8's ``authorization``; it is on :class:`Request` already."""

    __slots__ = ()


class CommonRequestDescriptorsMixin:
    """0.8's ``content_type``, ``content_length``, ``referrer``, ``date``,
    ``mimetype`` and friends; all are on :class:`Request` already."""

    __slots__ = ()


class ETagResponseMixin:
    """0.8's ``cache_control``, ``add_etag``, ``set_etag``,
    ``make_conditional`` and ``freeze``; all are on :class:`Response`
    already."""

    __slots__ = ()


class ResponseStreamMixin:
    """0.8's ``stream`` (a file-like object writing to the body); it is on
    :class:`Response` already."""

    __slots__ = ()


class CommonResponseDescriptorsMixin:
    """0.8's ``mimetype``, ``content_type``, ``location``, ``age``,
    ``expires``, ``last_modified`` and friends; all are on
    :class:`Response` already."""

    __slots__ = ()


class WWWAuthenticateMixin:
    """0.8's ``www_authenticate``; it is on :class:`Response` already."""

    __slots__ = ()
