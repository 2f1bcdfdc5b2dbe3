"""The context-bound globals: ``current_app``, ``g``, ``request``, ``session``.

Two sources of truth would drift apart, so there is one per kind of context:
a :class:`~contextvars.ContextVar` holding the current context
(``_cv_app``, ``_cv_request``, Flask 3.1's names). The Flask 0.8 names
``_app_ctx_stack`` and ``_request_ctx_stack`` are :class:`LocalStack`
objects that :meth:`AppContext.push` / :meth:`RequestContext.push` push
onto and pop from in the same step, so ``_app_ctx_stack.top`` is always the
context ``_cv_app`` holds. Everything is per thread and per asyncio task,
because contextvars are.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from wsgikit.local import LocalProxy
from wsgikit.local import LocalStack

if t.TYPE_CHECKING:
    from .app import Flask
    from .ctx import _AppCtxGlobals
    from .ctx import AppContext
    from .ctx import RequestContext
    from .sessions import SessionMixin
    from .wrappers import Request

_no_app_msg = """\
Working outside of application context.

This typically means that you attempted to use functionality that needed
the current application. To solve this, set up an application context
with app.app_context(). See the documentation for more information."""

_no_req_msg = """\
Working outside of request context.

This typically means that you attempted to use functionality that needed
an active HTTP request. Consult the documentation on testing for
information about how to avoid this problem."""

#: The current application context.
_cv_app: ContextVar[AppContext] = ContextVar("flask.app_ctx")
#: The current request context.
_cv_request: ContextVar[RequestContext] = ContextVar("flask.request_ctx")

#: Flask 0.8's stack of application contexts, kept in step with ``_cv_app``.
_app_ctx_stack: LocalStack[AppContext] = LocalStack(ContextVar("microflask.app_ctx_stack"))
#: Flask 0.8's stack of request contexts, kept in step with ``_cv_request``.
_request_ctx_stack: LocalStack[RequestContext] = LocalStack(ContextVar("microflask.request_ctx_stack"))

app_ctx: AppContext = LocalProxy(_cv_app, unbound_message=_no_app_msg)  # type: ignore[assignment]
current_app: Flask = LocalProxy(_cv_app, "app", unbound_message=_no_app_msg)  # type: ignore[assignment]
g: _AppCtxGlobals = LocalProxy(_cv_app, "g", unbound_message=_no_app_msg)  # type: ignore[assignment]

request_ctx: RequestContext = LocalProxy(_cv_request, unbound_message=_no_req_msg)  # type: ignore[assignment]
request: Request = LocalProxy(_cv_request, "request", unbound_message=_no_req_msg)  # type: ignore[assignment]
session: SessionMixin = LocalProxy(_cv_request, "session", unbound_message=_no_req_msg)  # type: ignore[assignment]
