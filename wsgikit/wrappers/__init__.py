"""The WSGI request and response objects."""

from __future__ import annotations

from .request import Request as Request
from .response import Response as Response
