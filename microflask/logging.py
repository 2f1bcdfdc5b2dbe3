"""The application's logger: named after the application, writing to the
WSGI server's error stream during a request (``sys.stderr`` otherwise)
unless logging is configured."""

from __future__ import annotations

import logging
import sys
import typing as t

from wsgikit.local import LocalProxy

from .globals import _cv_request

if t.TYPE_CHECKING:
    from .app import Flask


def _wsgi_errors_stream() -> t.TextIO:
    ctx = _cv_request.get(None)
    if ctx is not None:
        stream: t.TextIO = ctx.request.environ["wsgi.errors"]
        return stream
    return sys.stderr


#: The ``wsgi.errors`` stream of the current request, or ``sys.stderr``
#: outside a request: what :data:`default_handler` writes to.
wsgi_errors_stream: t.TextIO = LocalProxy(_wsgi_errors_stream)  # type: ignore[assignment]  # the proxy acts as the stream


def has_level_handler(logger: logging.Logger) -> bool:
    """Whether some handler would emit the records ``logger`` lets through:
    one on the logger or on an ancestor it propagates to, at a level at
    or below the logger's effective level."""
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler.level <= level for handler in current.handlers):
            return True
        if not current.propagate:
            break
        current = current.parent
    return False


#: The handler added to an application's logger when nothing else would
#: show its records.
default_handler = logging.StreamHandler(wsgi_errors_stream)
default_handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s"))


def create_logger(app: Flask) -> logging.Logger:
    """The logger of ``app`` (``logging.getLogger(app.name)``): at DEBUG in
    debug mode when no level is set, with :data:`default_handler` when no
    handler would show its records."""
    logger = logging.getLogger(app.name)
    if app.debug and not logger.level:
        logger.setLevel(logging.DEBUG)
    if not has_level_handler(logger):
        logger.addHandler(default_handler)
    return logger
