"""wsgikit: a WSGI toolkit with Werkzeug's API and no dependencies.

The top-level names Werkzeug offers (``Request``, ``Response``,
``run_simple``, ``Client``) are re-exported lazily. PERF: ``import wsgikit``
(which every submodule import triggers) then costs nothing beyond this
table; the defining module loads on first use of the name.
"""

from __future__ import annotations

import importlib
import typing as t

if t.TYPE_CHECKING:
    from .serving import run_simple as run_simple
    from .test import Client as Client
    from .wrappers import Request as Request
    from .wrappers import Response as Response

__version__ = "0.1.0"

# Public name -> the module defining it.
_EXPORTS = {
    "run_simple": "serving",
    "Client": "test",
    "Request": "wrappers",
    "Response": "wrappers",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> t.Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wsgikit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
