"""What an application and a blueprint share: registering routes, request
hooks and error handlers.

Every hook registry is a dict keyed by blueprint name, with ``None`` for
the application itself: a blueprint records its functions under its own
name when it is registered, and the dispatch walks ``request.blueprints``
plus ``None`` to find what applies to a request. Views are stored in
:attr:`Scaffold.view_functions` by endpoint.
"""

from __future__ import annotations

import os
import typing as t
from collections import defaultdict
from functools import update_wrapper

from wsgikit.exceptions import default_exceptions
from wsgikit.exceptions import HTTPException

from .helpers import get_root_path

if t.TYPE_CHECKING:  # pragma: no cover
    from . import typing as ft

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

# No value given (distinct from None, which can be a real value).
_sentinel = object()


def setupmethod(f: F) -> F:
    """Mark a method that changes the application's setup: it refuses to
    run once the application has handled a request, where the change would
    apply to some workers or requests and not others."""
    f_name = f.__name__

    def wrapper_func(self: Scaffold, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(f_name)
        return f(self, *args, **kwargs)

    return update_wrapper(wrapper_func, f)  # type: ignore[return-value]  # the wrapper takes and returns what f does


def _endpoint_from_view_func(view_func: t.Callable[..., t.Any] | None) -> str:
    """The default endpoint of a view: its function name."""
    assert view_func is not None, "expected view func if endpoint is not provided."
    return view_func.__name__


def _error_handler_map() -> defaultdict[int | None, dict[type[BaseException], ft.ErrorHandlerCallable]]:
    return defaultdict(dict)


class _SetupVersion:
    """How often the hook registries of one scaffold changed.

    Caches built from the registries (the application's per-endpoint hook
    chains) compare :attr:`value` with the one they were built at, so a
    hook added at any time -- through a decorator, a blueprint, or by
    mutating a registry directly (``app.before_request_funcs[None].append(f)``)
    -- runs from the next request on, as in Flask.
    """

    __slots__ = ("value", "untracked")

    def __init__(self) -> None:
        #: Bumped by every change of a registry or of one of its lists.
        self.value = 0
        #: Set when a registry holds a list this class cannot watch (one
        #: assigned from outside): caches must then not be trusted.
        self.untracked = False

    def bump(self) -> None:
        self.value += 1


def _bumping(name: str) -> t.Callable[..., t.Any]:
    stock = getattr(list, name)

    def method(self: _HookList, *args: t.Any, **kwargs: t.Any) -> t.Any:
        rv = stock(self, *args, **kwargs)
        self._version.bump()
        return rv

    method.__name__ = name
    return method


class _HookList(list[t.Any]):
    """A registry's list of functions: a plain list that bumps its
    :class:`_SetupVersion` on every change."""

    __slots__ = ("_version",)

    def __init__(self, version: _SetupVersion, items: t.Iterable[t.Any] = ()) -> None:
        super().__init__(items)
        self._version = version

    def __reduce__(self) -> t.Any:
        # A copy is a plain list, as Flask's registries hold.
        return list, (list(self),)


for _name in (
    "append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
    "__setitem__", "__delitem__", "__iadd__", "__imul__",
):  # fmt: skip
    setattr(_HookList, _name, _bumping(_name))
del _name


class _HookRegistry(defaultdict[t.Any, t.Any]):
    """A hook registry (blueprint name -> list of functions) whose lists are
    :class:`_HookList` and whose own changes bump the version too."""

    def __init__(self, version: _SetupVersion) -> None:
        super().__init__(lambda: _HookList(version))
        self._version = version

    def _watch(self, value: t.Any) -> t.Any:
        if type(value) is not _HookList or value._version is not self._version:
            self._version.untracked = True
        return value

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        super().__setitem__(key, self._watch(value))
        self._version.bump()

    def __delitem__(self, key: t.Any) -> None:
        super().__delitem__(key)
        self._version.bump()

    def setdefault(self, key: t.Any, default: t.Any = None) -> t.Any:
        if key not in self:
            # The list Flask's own code passes (``setdefault(name, [])``) is
            # stored as a watched list with the same items.
            self[key] = _HookList(self._version, default or ())
        return self[key]

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, *args: t.Any) -> t.Any:
        rv = super().pop(*args)
        self._version.bump()
        return rv

    def popitem(self) -> t.Any:
        rv = super().popitem()
        self._version.bump()
        return rv

    def clear(self) -> None:
        super().clear()
        self._version.bump()

    def __reduce__(self) -> t.Any:
        # A copy is a plain ``defaultdict(list)``, as Flask's registries are.
        return defaultdict, (list,), None, None, iter([(key, list(value)) for key, value in self.items()])


class Scaffold:
    """The registration API of :class:`~microflask.Flask` (and of
    blueprints).

    :param import_name: the name of the module or package of the
        application (or blueprint); resources are found relative to it.
    :param static_folder: the folder of static files, relative to
        :attr:`root_path`.
    :param static_url_path: the URL prefix of static files (default: the
        folder's name).
    :param template_folder: the folder of templates, relative to
        :attr:`root_path`.
    :param root_path: the folder resources are relative to (default: the
        module's folder).
    """

    #: The name of the module or package this object belongs to.
    import_name: str
    #: The folder of templates, relative to :attr:`root_path`.
    template_folder: str | os.PathLike[str] | None
    #: The folder resources (static files, templates) are relative to.
    root_path: str
    #: The name (the application's or the blueprint's).
    name: str
    _static_folder: str | None = None
    _static_url_path: str | None = None

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        self.import_name = import_name
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        self.template_folder = template_folder
        if root_path is None:
            root_path = get_root_path(self.import_name)
        self.root_path = root_path

        #: The view function of each endpoint.
        self.view_functions: dict[str, ft.RouteCallable] = {}
        #: Error handlers: blueprint name (``None`` for the application)
        #: -> status code (``None`` for other exceptions) -> exception
        #: class -> handler.
        self.error_handler_spec: defaultdict[
            ft.AppOrBlueprintKey, defaultdict[int | None, dict[type[BaseException], ft.ErrorHandlerCallable]]
        ] = defaultdict(_error_handler_map)
        #: How often the hook registries below changed (see :class:`_SetupVersion`).
        self._setup_version = version = _SetupVersion()
        #: Functions run before each request, by blueprint name.
        self.before_request_funcs: defaultdict[ft.AppOrBlueprintKey, list[ft.BeforeRequestCallable]] = (
            _HookRegistry(version)
        )
        #: Functions run after each request (in reverse order), by blueprint name.
        self.after_request_funcs: defaultdict[ft.AppOrBlueprintKey, list[ft.AfterRequestCallable[t.Any]]] = (
            _HookRegistry(version)
        )
        #: Functions run when the request context is torn down, by blueprint name.
        self.teardown_request_funcs: defaultdict[ft.AppOrBlueprintKey, list[ft.TeardownCallable]] = (
            _HookRegistry(version)
        )
        #: Functions adding values to the template context, by blueprint name.
        self.template_context_processors: defaultdict[
            ft.AppOrBlueprintKey, list[ft.TemplateContextProcessorCallable]
        ] = _HookRegistry(version)
        #: Functions that may change the matched view arguments, by blueprint name.
        self.url_value_preprocessors: defaultdict[ft.AppOrBlueprintKey, list[ft.URLValuePreprocessorCallable]] = (
            _HookRegistry(version)
        )
        #: Functions that may add values when building URLs, by blueprint name.
        self.url_default_functions: defaultdict[ft.AppOrBlueprintKey, list[ft.URLDefaultCallable]] = (
            _HookRegistry(version)
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        raise NotImplementedError  # each subclass says when setup is over

    # -- static files ----------------------------------------------------------

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or ``None``."""
        if self._static_folder is not None:
            return os.path.join(self.root_path, self._static_folder)
        return None

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is set."""
        return self.static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of static files: the one given, else ``/`` plus
        the static folder's name."""
        if self._static_url_path is not None:
            return self._static_url_path
        if self.static_folder is not None:
            basename = os.path.basename(self.static_folder)
            return f"/{basename}".rstrip("/")
        return None

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    # -- routes ------------------------------------------------------------------

    def _method_route(self, method: str, rule: str, options: dict[str, t.Any]) -> t.Callable[[ft.T_route], ft.T_route]:
        if "methods" in options:
            raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
        return self.route(rule, methods=[method], **options)

    @setupmethod
    def get(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """``route(rule, methods=["GET"], **options)``."""
        return self._method_route("GET", rule, options)

    @setupmethod
    def post(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """``route(rule, methods=["POST"], **options)``."""
        return self._method_route("POST", rule, options)

    @setupmethod
    def put(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """``route(rule, methods=["PUT"], **options)``."""
        return self._method_route("PUT", rule, options)

    @setupmethod
    def delete(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """``route(rule, methods=["DELETE"], **options)``."""
        return self._method_route("DELETE", rule, options)

    @setupmethod
    def patch(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """``route(rule, methods=["PATCH"], **options)``."""
        return self._method_route("PATCH", rule, options)

    @setupmethod
    def route(self, rule: str, **options: t.Any) -> t.Callable[[ft.T_route], ft.T_route]:
        """Decorate a view function to handle the URL ``rule``; see
        :meth:`add_url_rule` for the options (``endpoint``, ``methods``
        and the :class:`~wsgikit.routing.Rule` arguments)."""

        def decorator(f: ft.T_route) -> ft.T_route:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        raise NotImplementedError  # the application and blueprints differ

    @setupmethod
    def endpoint(self, endpoint: str) -> t.Callable[[F], F]:
        """Decorate a function to be the view of ``endpoint`` (for a rule
        added with :meth:`add_url_rule` and no view)."""

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    # -- hooks -------------------------------------------------------------------

    @setupmethod
    def before_request(self, f: ft.T_before_request) -> ft.T_before_request:
        """Run ``f()`` before each request; a return value other than
        ``None`` is used as the response and the view is not called."""
        self.before_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def after_request(self, f: ft.T_after_request) -> ft.T_after_request:
        """Run ``f(response)`` after each request that did not fail; it
        returns the response to send. Registered functions run in reverse
        order."""
        self.after_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def teardown_request(self, f: ft.T_teardown) -> ft.T_teardown:
        """Run ``f(exc)`` when the request context is popped, whether the
        request failed (``exc`` is the unhandled exception) or not (``None``)."""
        self.teardown_request_funcs.setdefault(None, []).append(f)
        return f

    @setupmethod
    def context_processor(self, f: ft.T_template_context_processor) -> ft.T_template_context_processor:
        """Register ``f()`` returning values for the template context."""
        self.template_context_processors[None].append(f)
        return f

    @setupmethod
    def url_value_preprocessor(self, f: ft.T_url_value_preprocessor) -> ft.T_url_value_preprocessor:
        """Run ``f(endpoint, values)`` on the matched view arguments before
        the ``before_request`` functions; it may change ``values``."""
        self.url_value_preprocessors[None].append(f)
        return f

    @setupmethod
    def url_defaults(self, f: ft.T_url_defaults) -> ft.T_url_defaults:
        """Run ``f(endpoint, values)`` when a URL is built; it may add
        values (e.g. a language code taken from ``g``)."""
        self.url_default_functions[None].append(f)
        return f

    # -- error handlers ----------------------------------------------------------

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> t.Callable[[ft.T_error_handler], ft.T_error_handler]:
        """Decorate a function handling an HTTP status code or an
        exception class (and its subclasses); it receives the exception
        and returns a response."""

        def decorator(f: ft.T_error_handler) -> ft.T_error_handler:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    @setupmethod
    def register_error_handler(self, code_or_exception: type[Exception] | int, f: ft.ErrorHandlerCallable) -> None:
        """:meth:`errorhandler` without the decorator."""
        exc_class, code = self._get_exc_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        """The exception class and the status code (``None`` for non-HTTP
        exceptions) of what an error handler is registered for."""
        if isinstance(exc_class_or_code, int):
            try:
                exc_class: t.Any = default_exceptions[exc_class_or_code]
            except KeyError:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP"
                    " error code. Use a subclass of HTTPException with"
                    " that code instead."
                ) from None
        else:
            exc_class = exc_class_or_code
        if isinstance(exc_class, Exception):
            raise TypeError(
                f"{exc_class!r} is an instance, not a class. Handlers"
                " can only be registered for Exception classes or HTTP"
                " error codes."
            )
        if not isinstance(exc_class, type) or not issubclass(exc_class, Exception):
            name = getattr(exc_class, "__name__", repr(exc_class))
            raise ValueError(
                f"'{name}' is not a subclass of Exception. Handlers can only"
                " be registered for Exception classes or HTTP error codes."
            )
        if issubclass(exc_class, HTTPException):
            return exc_class, exc_class.code
        return exc_class, None
