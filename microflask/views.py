"""Class-based views: :class:`View` (one ``dispatch_request`` method) and
:class:`MethodView` (one method per HTTP method).

A class is turned into a view function with :meth:`View.as_view`; the
function makes an instance (per request, or once) and calls
``dispatch_request`` with the view arguments. The class attributes
(``methods``, ``provide_automatic_options``) are copied onto the function,
where ``add_url_rule`` reads them.
"""

from __future__ import annotations

import typing as t
from inspect import iscoroutinefunction
from types import MethodType

from .app import Flask
from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import request

if t.TYPE_CHECKING:  # pragma: no cover
    from . import typing as ft

#: The HTTP methods a :class:`MethodView` method can be named after.
http_method_funcs = frozenset(["get", "post", "head", "options", "delete", "put", "trace", "patch"])


def _ensure_sync(view: View, meth: t.Callable[..., t.Any]) -> t.Callable[..., ft.ResponseReturnValue]:
    """``current_app.ensure_sync(meth)`` for a method of ``view``.

    PERF: ``ensure_sync`` inspects the function on every call. For a plain
    method and an application that keeps Flask's ``ensure_sync``, whether
    the function is a coroutine function is remembered on the view class,
    so a request does a dict lookup instead.
    """
    ctx = _cv_app.get(None)
    # Outside an application context the proxy raises its usual error.
    # The proxy's own method (current_app is typed as the app):
    app = current_app._get_current_object() if ctx is None else ctx.app  # type: ignore[attr-defined]  # see above
    if isinstance(meth, MethodType) and type(app).ensure_sync is _default_ensure_sync and "ensure_sync" not in app.__dict__:
        func = meth.__func__
        cache = type(view)._async_methods
        is_async = cache.get(func)
        if is_async is None:
            is_async = cache[func] = iscoroutinefunction(func)
        if not is_async:
            return meth
    return app.ensure_sync(meth)


_default_ensure_sync = Flask.ensure_sync


class View:
    """A view as a class: subclass it, implement :meth:`dispatch_request`
    and register ``YourView.as_view("name")``::

        class Hello(View):
            def dispatch_request(self, name):
                return f"Hello {name}"

        app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))
    """

    #: The methods the view accepts (``None``: ``add_url_rule``'s default, GET).
    methods: t.ClassVar[t.Collection[str] | None] = None
    #: Whether ``OPTIONS`` is answered automatically (``None``: the
    #: application's default).
    provide_automatic_options: t.ClassVar[bool | None] = None
    #: Decorators applied, in order, to the view function :meth:`as_view`
    #: makes (the last one is outermost).
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []
    #: Make a new instance for every request (``True``), or one instance
    #: at :meth:`as_view` shared by every request (``False``: faster, but
    #: the instance must not keep per-request state).
    init_every_request: t.ClassVar[bool] = True
    # Whether each method function is a coroutine function (see
    # _ensure_sync); one table per class, so it goes away with the class.
    _async_methods: t.ClassVar[dict[t.Callable[..., t.Any], bool]] = {}

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._async_methods = {}

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Handle the request: receives the view arguments, returns the
        response value. Subclasses implement it."""
        raise NotImplementedError()

    @classmethod
    def as_view(cls, name: str, *class_args: t.Any, **class_kwargs: t.Any) -> ft.RouteCallable:
        """The view function of this class, named ``name`` (the default
        endpoint). ``class_args`` and ``class_kwargs`` go to the
        constructor. The function has the class as ``view_class`` and its
        ``methods`` and ``provide_automatic_options``.
        """
        if cls.init_every_request:

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                self = view.view_class(*class_args, **class_kwargs)  # type: ignore[attr-defined]  # set on the function below
                return _ensure_sync(self, self.dispatch_request)(**kwargs)

        else:
            self = cls(*class_args, **class_kwargs)

            def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
                return _ensure_sync(self, self.dispatch_request)(**kwargs)

        if cls.decorators:
            # The decorators see the final name and module (e.g. for
            # functools.wraps), as with a plain view function.
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        view.view_class = cls  # type: ignore[attr-defined]  # attributes of the view function, read by add_url_rule
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods  # type: ignore[attr-defined]  # as above
        view.provide_automatic_options = cls.provide_automatic_options  # type: ignore[attr-defined]  # as above
        return view


class MethodView(View):
    """A view dispatching to the method named after the request's HTTP
    method (``get``, ``post``...); ``HEAD`` falls back to ``get``.
    :attr:`methods` is found from the methods the class (and its bases)
    define, unless the class sets it::

        class Counter(MethodView):
            def get(self):
                return str(count)

            def post(self):
                ...

        app.add_url_rule("/counter", view_func=Counter.as_view("counter"))
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            base_methods = getattr(base, "methods", None)
            if base_methods:
                methods.update(base_methods)
        for key in http_method_funcs:
            if hasattr(cls, key):
                methods.add(key.upper())
        if methods:
            cls.methods = methods

    def dispatch_request(self, **kwargs: t.Any) -> ft.ResponseReturnValue:
        """Call the method named after the request's method.

        :raises AssertionError: when the class has no such method.
        """
        ctx = _cv_request.get(None)
        method = request.method if ctx is None else ctx.request.method
        meth = getattr(self, method.lower(), None)
        if meth is None and method == "HEAD":
            meth = getattr(self, "get", None)
        assert meth is not None, f"Unimplemented method {method!r}"
        return _ensure_sync(self, meth)(**kwargs)
