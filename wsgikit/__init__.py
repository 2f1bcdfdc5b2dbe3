"""wsgikit: a WSGI toolkit with Werkzeug's API and no dependencies."""

from __future__ import annotations

__version__ = "0.1.0"
