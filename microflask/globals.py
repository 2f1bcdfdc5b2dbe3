"""The context-bound globals: ``current_app``, ``g``, ``request``, ``session``.

Two sources of truth would drift apart, so there is one per kind of context:
a :class:`~contextvars.ContextVar` holding the current context
(``_cv_app``, ``_cv_request``, Flask 3.1's names). The Flask 0.8 names
``_app_ctx_stack`` and ``_request_ctx_stack`` are :class:`LocalStack`
objects that read those variables: ``_app_ctx_stack.top`` is the context
``_cv_app`` holds, and the items below it are the contexts each push
replaced. Everything is per thread and per asyncio task, because
contextvars are.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar
from contextvars import Token

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

_T = t.TypeVar("_T")


class _ContextStack(LocalStack[_T]):
    """Flask 0.8's stack of contexts, read from a context variable.

    :attr:`top` is what the variable holds; below it come the values each
    push replaced (a token remembers them). Contexts never touch this
    object: PERF: keeping a second variable in step cost two more
    ``ContextVar.set`` calls per context, about a tenth of a small request.

    Code written for Flask 0.8 may still push and pop here: a context
    pushed here is pushed (``ctx.push()``) and the top context popped here
    is popped (``ctx.pop()``, with its teardown). Any other object is made
    current by itself and taken off again by :meth:`pop`; its tokens live
    in this stack's own storage.

    :param var: the variable holding the current context.
    """

    __slots__ = ("_var",)

    def __init__(self, var: ContextVar[t.Any]) -> None:
        super().__init__(ContextVar(f"{var.name}.pushed_objects"))
        self._var = var

    @property
    def top(self) -> _T | None:
        """The current context (or object pushed here), or ``None``."""
        top: _T | None = self._var.get(None)
        return top

    def push(self, obj: _T) -> list[_T]:
        """Make ``obj`` current; return the whole stack, bottom first."""
        # Cycle: ctx imports this module at module level.
        from .ctx import AppContext
        from .ctx import RequestContext

        if isinstance(obj, (AppContext, RequestContext)):
            obj.push()
        else:
            storage = self._storage
            storage.set((obj, self._var.set(obj), storage.get(None)))
        return self._items()

    def pop(self) -> _T | None:
        """Take the top off and return it (``None`` when empty)."""
        top: _T | None = self._var.get(None)
        if top is None:
            return None
        storage = self._storage
        node = storage.get(None)
        if node is not None and node[0] is top:
            self._var.reset(node[1])
            storage.set(node[2])
        else:
            top.pop()  # type: ignore[attr-defined]  # not pushed here: a context, which has pop()
        return top

    def __release_local__(self) -> None:
        while self.pop() is not None:
            pass

    def _items(self) -> list[_T]:
        """The stack, bottom first: each value and the one its push replaced."""
        # Cycle: ctx imports this module at module level.
        from .ctx import AppContext
        from .ctx import RequestContext

        items = []
        obj = self._var.get(None)
        node = self._storage.get(None)
        while obj is not None:
            items.append(obj)
            if node is not None and node[0] is obj:
                token, node = node[1], node[2]
            elif isinstance(obj, AppContext) and obj._cv_tokens:
                token = obj._cv_tokens[-1]
            elif isinstance(obj, RequestContext) and obj._cv_tokens:
                token = obj._cv_tokens[-1][0]
            else:  # set on the variable directly: nothing is known below it
                break
            previous = token.old_value
            obj = None if previous is Token.MISSING else previous
        items.reverse()
        return items


#: Flask 0.8's stack of application contexts; its top is ``_cv_app``'s value.
_app_ctx_stack: LocalStack[AppContext] = _ContextStack(_cv_app)
#: Flask 0.8's stack of request contexts; its top is ``_cv_request``'s value.
_request_ctx_stack: LocalStack[RequestContext] = _ContextStack(_cv_request)



def _lookup_req_object(name: str) -> t.Any:
    """Attribute ``name`` of the current request context: Flask 0.9's
    helper, with which its ``request`` was
    ``LocalProxy(partial(_lookup_req_object, "request"))``.

    :raises RuntimeError: outside a request context.
    """
    top = _cv_request.get(None)
    if top is None:
        raise RuntimeError(_no_req_msg)
    return getattr(top, name)


def _lookup_app_object(name: str) -> t.Any:
    """Attribute ``name`` of the current application context (``"app"``,
    ``"g"``): Flask 0.9's helper behind ``g``.

    :raises RuntimeError: outside an application context.
    """
    top = _cv_app.get(None)
    if top is None:
        raise RuntimeError(_no_app_msg)
    return getattr(top, name)


app_ctx: AppContext = LocalProxy(_cv_app, unbound_message=_no_app_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)
current_app: Flask = LocalProxy(_cv_app, "app", unbound_message=_no_app_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)
g: _AppCtxGlobals = LocalProxy(_cv_app, "g", unbound_message=_no_app_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)

request_ctx: RequestContext = LocalProxy(_cv_request, unbound_message=_no_req_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)
request: Request = LocalProxy(_cv_request, "request", unbound_message=_no_req_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)
session: SessionMixin = LocalProxy(_cv_request, "session", unbound_message=_no_req_msg)  # type: ignore[assignment]  # the proxy stands in for the object it finds (Flask types these names the same way)
