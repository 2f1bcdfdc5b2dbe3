"""Application and request contexts.

An :class:`AppContext` makes an application current (``current_app``,
``g``); a :class:`RequestContext` makes a request current (``request``,
``session``) and pushes an application context first when the right one is
not already current. Pushing sets the context variables of
:mod:`microflask.globals` (the Flask 0.8 stacks read them); popping resets
them and checks that the context popped is the one that was pushed. A context may be pushed more than once (``with ctx:``
inside a streamed response, a preserved test context): teardown runs when
the last push is popped.
"""

from __future__ import annotations

import sys
import typing as t
from functools import update_wrapper

from wsgikit.exceptions import HTTPException

from .globals import _cv_app
from .globals import _cv_request
from .signals import appcontext_popped
from .signals import appcontext_pushed

if t.TYPE_CHECKING:
    from contextvars import Token
    from types import TracebackType

    from _typeshed.wsgi import WSGIEnvironment

    from .app import Flask
    from .sessions import SessionMixin
    from .wrappers import Request

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

# "No exception given": pop() then uses the one being handled, if any.
_sentinel = object()


class _AppCtxGlobals:
    """The namespace behind ``g``: a plain object holding whatever the
    application stores during one application context, with a few
    dict-like helpers.
    """

    def __getattr__(self, name: str) -> t.Any:
        # Only reached for missing attributes: say which one.
        raise AttributeError(name)

    if t.TYPE_CHECKING:
        # ``g.anything = 1`` and ``del g.anything`` type-check; at runtime
        # object's own methods do the work (PERF: no Python-level hook).
        def __setattr__(self, name: str, value: t.Any) -> None: ...

        def __delattr__(self, name: str) -> None: ...

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """Return the attribute ``name``, or ``default`` when it is not set."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: t.Any = _sentinel) -> t.Any:
        """Remove and return the attribute ``name``.

        :raises KeyError: when it is not set and no ``default`` is given.
        """
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return the attribute ``name``, setting it to ``default`` first
        when it is missing."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<microflask.g of {ctx.app.name!r}>"
        return object.__repr__(self)


def after_this_request(f: F) -> F:
    """Run ``f(response)`` after the current request, before the
    application's ``after_request`` functions; it returns the response
    to use.

    :raises RuntimeError: outside a request context.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'after_this_request' can only be used when a request"
            " context is active, such as in a view function."
        )
    ctx._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Wrap ``f`` so it runs inside a copy of the current request context,
    e.g. in a thread or task started by the view.

    :raises RuntimeError: outside a request context.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            "'copy_current_request_context' can only be used when a"
            " request context is active, such as in a view function."
        )
    ctx = ctx.copy()

    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]  # the wrapper takes f's arguments and returns its value


def has_request_context() -> bool:
    """Whether a request context is pushed (so ``request`` works)."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Whether an application context is pushed (so ``current_app`` works)."""
    return _cv_app.get(None) is not None


class AppContext:
    """Makes ``app`` the current application while pushed.

    :param app: the application.
    """

    # ``__dict__``: extensions written for Flask 0.8 keep their state on the
    # context (``_app_ctx_stack.top.sqlite3_db = ...``).
    __slots__ = ("app", "_url_adapter", "_g", "_cv_tokens", "__dict__")

    def __init__(self, app: Flask) -> None:
        #: The application.
        self.app = app
        self._url_adapter: t.Any = _sentinel
        self._g: _AppCtxGlobals | None = None
        self._cv_tokens: list[Token[AppContext]] = []

    @property
    def g(self) -> _AppCtxGlobals:
        """The ``g`` namespace of this context.

        PERF: made on first use. Every request pushes an application
        context and most never touch ``g``. (A property, not
        ``__getattr__``: a class with ``__getattr__`` makes every attribute
        read of its instances slower.)
        """
        g = self._g
        if g is None:
            g = self._g = self.app.app_ctx_globals_class()
        return g

    @g.setter
    def g(self, value: _AppCtxGlobals) -> None:
        self._g = value

    @property
    def url_adapter(self) -> t.Any:
        """Builds URLs when no request is active (needs ``SERVER_NAME``).

        PERF: made on first use. A request context pushes an application
        context on every request and has its own adapter, so binding the
        map here as well would build a second adapter nobody reads.
        """
        adapter = self._url_adapter
        if adapter is _sentinel:
            adapter = self._url_adapter = self.app.create_url_adapter(None)
        return adapter

    @url_adapter.setter
    def url_adapter(self, value: t.Any) -> None:
        self._url_adapter = value

    def push(self) -> None:
        """Make this context current."""
        self._cv_tokens.append(_cv_app.set(self))
        # PERF: skip building the send when nobody listens.
        if appcontext_pushed.receivers:
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # the sentinel means "the exception being handled"
        """Undo the latest :meth:`push`; the last one runs the
        ``teardown_appcontext`` functions with ``exc`` (by default the
        exception being handled, if any).

        :raises AssertionError: when this is not the current context.
        """
        tokens = self._cv_tokens
        try:
            if len(tokens) == 1:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            ctx = _cv_app.get(None)
            _cv_app.reset(tokens.pop())
        if ctx is not self:
            raise AssertionError(f"Popped wrong app context. ({ctx!r} instead of {self!r})")
        if appcontext_popped.receivers:
            appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self, exc_type: type | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.pop(exc_value)


class RequestContext:
    """Makes a request (and its application) current while pushed.

    Made by :meth:`Flask.request_context` for each request; it creates the
    request object, the URL adapter, and opens the session.

    :param app: the application.
    :param environ: the WSGI environ of the request.
    :param request: an existing request object to use.
    :param session: an existing session to use.
    """

    __slots__ = (
        "app", "request", "url_adapter", "flashes", "_session", "_after_request_functions", "_cv_tokens", "__dict__",
    )

    def __init__(
        self,
        app: Flask,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        #: The application.
        self.app = app
        if request is None:
            request = app.request_class(environ)
            request.json_module = app.json
        #: The request.
        self.request: Request = request
        self.url_adapter = None
        try:
            #: Matches this request and builds URLs for it.
            self.url_adapter = app.create_url_adapter(request)
        except HTTPException as e:
            request.routing_exception = e
        #: The flashed messages, once :func:`get_flashed_messages` read them.
        self.flashes: list[tuple[str, str]] | None = None
        self._session = session
        self._after_request_functions: list[t.Callable[[t.Any], t.Any]] = []
        self._cv_tokens: list[tuple[Token[RequestContext], AppContext | None]] = []

    @property
    def session(self) -> SessionMixin:
        """The session of this request, opened on first use.

        PERF: with the default cookie session interface, a request that
        never touches the session never pays for reading the cookie (see
        :meth:`Flask.process_response` for how refreshing stays right).
        """
        session = self._session
        if session is None:
            session = self._session = self.app._open_session(self.request)
        return session

    @session.setter
    def session(self, value: SessionMixin) -> None:
        self._session = value

    def copy(self) -> RequestContext:
        """A new context for the same request object and session, e.g. to
        push in another thread."""
        return self.__class__(self.app, environ=self.request.environ, request=self.request, session=self.session)

    def match_request(self) -> None:
        """Match the request against the URL map; store the rule and the
        view arguments, or the routing exception, on the request."""
        try:
            result = self.url_adapter.match(return_rule=True)  # type: ignore[union-attr]  # push() calls this only with an adapter
        except HTTPException as e:
            self.request.routing_exception = e
        else:
            self.request.url_rule, self.request.view_args = result

    def push(self) -> None:
        """Make this request current (after an application context, pushed
        here when the current one is missing or of another application),
        open the session and match the URL."""
        app = self.app
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not app:
            app_ctx = app.app_context()
            app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))
        # Opened now unless the interface opens sessions on first use: only
        # the default interface, whose opening has no side effects, says so
        # with its ``_opens_lazily`` flag (off for overriding subclasses and
        # instances).
        if self._session is None and getattr(app.session_interface, "_opens_lazily", False) is not True:
            self._session = app._open_session(self.request)
        if self.url_adapter is not None:
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # the sentinel means "the exception being handled"
        """Undo the latest :meth:`push`. The last one runs the
        ``teardown_request`` functions with ``exc`` (by default the
        exception being handled, if any), closes the request and pops the
        application context pushed with it.

        :raises AssertionError: when this is not the current context.
        """
        tokens = self._cv_tokens
        clear_request = len(tokens) == 1
        try:
            if clear_request:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                self.request.close()
        finally:
            ctx = _cv_request.get(None)
            token, app_ctx = tokens.pop()
            _cv_request.reset(token)
            if clear_request:
                self.request.environ["werkzeug.request"] = None
            if app_ctx is not None:
                app_ctx.pop(exc)
            if ctx is not self:
                raise AssertionError(f"Popped wrong request context. ({ctx!r} instead of {self!r})")

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self, exc_type: type | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.request.url!r} [{self.request.method}] of {self.app.name}>"
