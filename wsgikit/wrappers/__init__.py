"""The WSGI request and response objects (and Werkzeug 0.8's names for
their building blocks, see :mod:`wsgikit.wrappers.mixins`)."""

from __future__ import annotations

from .mixins import AcceptMixin as AcceptMixin
from .mixins import AuthorizationMixin as AuthorizationMixin
from .mixins import BaseRequest as BaseRequest
from .mixins import BaseResponse as BaseResponse
from .mixins import CommonRequestDescriptorsMixin as CommonRequestDescriptorsMixin
from .mixins import CommonResponseDescriptorsMixin as CommonResponseDescriptorsMixin
from .mixins import ETagRequestMixin as ETagRequestMixin
from .mixins import ETagResponseMixin as ETagResponseMixin
from .mixins import ResponseStreamMixin as ResponseStreamMixin
from .mixins import UserAgentMixin as UserAgentMixin
from .mixins import WWWAuthenticateMixin as WWWAuthenticateMixin
from .request import Request as Request
from .response import Response as Response
