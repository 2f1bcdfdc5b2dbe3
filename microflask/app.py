"""The application object: :class:`Flask`.

A request goes through, in order (the names are the methods below)::

    __call__ -> wsgi_app(environ, start_response)
      ctx = request_context(environ); ctx.push()        # app ctx, session, match
      full_dispatch_request()
        request_started; preprocess_request()            # url_value_preprocessors, before_request
        dispatch_request()                               # the view of request.url_rule
        (exception -> handle_user_exception -> handle_http_exception / error handler)
        finalize_request(rv): make_response, process_response, request_finished
      (unhandled exception -> handle_exception: log, 500 handler)
      response(environ, start_response)
      ctx.pop(exc)                                       # teardown_request, teardown_appcontext

Everything a request needs that does not depend on the request is decided
when the application is set up, so the per-request path (``wsgi_app``,
``full_dispatch_request`` and the hooks it calls) does as little as it can;
those methods carry ``# PERF:`` notes.
"""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import threading
import typing as t
import weakref
from datetime import timedelta
from types import FunctionType
from urllib.parse import quote as _url_quote

from wsgikit._internal import _keeps_stock
from wsgikit.datastructures import Headers
from wsgikit.exceptions import Aborter
from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import BadRequestKeyError
from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import InternalServerError
from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import default_exceptions
from wsgikit.routing import BuildError
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import RoutingException
from wsgikit.routing import Rule
from wsgikit.utils import cached_property
from wsgikit.utils import redirect as _wz_redirect
from wsgikit.wrappers import Response as BaseResponse

from .config import DEFAULT_CONFIG
from .config import Config
from .config import ConfigAttribute
from .ctx import _AppCtxGlobals
from .ctx import _sentinel
from .ctx import AppContext
from .ctx import RequestContext
from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import g
from .globals import request
from .helpers import _split_blueprint_path
from .helpers import get_debug_flag
from .helpers import get_load_dotenv
from .helpers import get_root_path
from .helpers import send_from_directory
from .json.provider import DefaultJSONProvider
from .scaffold import _endpoint_from_view_func
from .scaffold import Scaffold
from .scaffold import setupmethod
from .sessions import SecureCookieSessionInterface
from .signals import appcontext_popped
from .signals import appcontext_pushed
from .signals import appcontext_tearing_down
from .signals import got_request_exception
from .signals import request_finished
from .signals import request_started
from .signals import request_tearing_down
from ._app_templating import TemplatingAppMixin
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from .blueprints import Blueprint
    from .cli import AppGroup
    from .cli import FlaskCliRunner
    from .json.provider import JSONProvider
    from .sessions import SessionInterface
    from .sessions import SessionMixin
    from .testing import FlaskClient


T = t.TypeVar("T")
#: The stock ``__call__`` of HTTP exceptions and of responses, for
#: :meth:`Flask._http_exception_response`.
_STOCK_EXCEPTION_CALL = HTTPException.__call__
_STOCK_RESPONSE_CALL = BaseResponse.__call__
#: The stock ``Request.cookies``, for :meth:`Flask._no_session_cookie`.
_STOCK_COOKIES = Request.cookies
#: Error pages by ``(exception class, code, description)``, for
#: :meth:`Flask._http_exception_response` (bounded: a description may come
#: from ``abort(404, text)``).
_ERROR_PAGES: dict[tuple[type, int | None, str | None], bytes] = {}
#: Exception classes by whether their page is the stock one (see
#: :func:`_renders_stock_page`), decided once per class.
_STOCK_PAGE_CLASSES: dict[type, bool] = {}
_PAGE_METHODS = ("get_response", "get_body", "get_description", "get_headers", "name")
_STOCK_GET_HEADERS = (HTTPException.get_headers, MethodNotAllowed.get_headers)


def _renders_stock_page(e: HTTPException) -> bool:
    """Whether ``e``'s response is the stock HTML page: the class keeps
    HTTPException's ``get_response``, ``get_body``, ``get_description`` and
    ``name`` and a stock ``get_headers`` (the base one, or 405's with its
    ``Allow``), its code has a body (400-599), and the instance replaced
    none of them."""
    cls = type(e)
    stock = _STOCK_PAGE_CLASSES.get(cls)
    if stock is None:
        stock = _STOCK_PAGE_CLASSES[cls] = (
            cls.get_response is HTTPException.get_response
            and cls.get_body is HTTPException.get_body
            and cls.get_description is HTTPException.get_description
            and cls.name is HTTPException.name
            and cls.get_headers in _STOCK_GET_HEADERS
        )
    code = e.code
    return stock and code is not None and 400 <= code < 600 and not (e.__dict__.keys() & _PAGE_METHODS)


def _current_blueprints() -> list[str]:
    """``request.blueprints``, read from the request context directly.

    PERF: the ``request`` proxy takes two Python calls per attribute; outside
    a request it is still the proxy that is asked, so the error is the same.
    """
    ctx = _cv_request.get(None)
    return (ctx.request if ctx is not None else request).blueprints


#: The methods :meth:`Flask.wsgi_app` runs written out in one frame
#: (:meth:`Flask._wsgi_app_inlined`) while an application keeps Flask's own
#: version of each; the methods it calls instead are not listed.
_INLINED_METHODS = frozenset(
    {
        "request_context",
        "app_context",
        "full_dispatch_request",
        "preprocess_request",
        "dispatch_request",
        "finalize_request",
        "make_response",
        "process_response",
        "do_teardown_request",
        "do_teardown_appcontext",
    }
)
# Characters kept as they are in a url_for() anchor.
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _HookChain(t.NamedTuple):
    """The request hooks that apply to one endpoint, flattened in call
    order (application and blueprints merged, async hooks wrapped).

    PERF: the dispatch would otherwise walk the registries by blueprint
    name on every request; this is built once per endpoint and reused, so
    a request costs one dict lookup whatever the nesting depth and however
    many blueprints the application has.
    """

    #: ``url_value_preprocessors``: application first, then outward-in.
    url_value_preprocessors: tuple[t.Callable[[str | None, dict[str, t.Any] | None], None], ...]
    #: ``before_request``: application first, then outward-in.
    before_request: tuple[t.Callable[[], t.Any], ...]
    #: ``after_request``: innermost blueprint first, each list reversed.
    after_request: tuple[t.Callable[[t.Any], t.Any], ...]
    #: ``teardown_request``: innermost blueprint first, each list reversed.
    teardown_request: tuple[t.Callable[[BaseException | None], None], ...]


#: ``inspect.CO_COROUTINE``: the code flag of an ``async def`` function.
_CO_COROUTINE = 0x80


def _is_coroutine_function(func: t.Any) -> bool:
    """``inspect.iscoroutinefunction(func)``.

    PERF: a plain function (the usual view or hook) is answered from its
    code flags, so creating an application and serving its first requests
    does not import :mod:`inspect` (with ``ast``, ``dis``, ``tokenize``);
    anything else (partials, methods, callables, functions marked with
    ``inspect.markcoroutinefunction``) asks :mod:`inspect`.
    """
    if type(func) is FunctionType and "_is_coroutine_marker" not in func.__dict__:
        return bool(func.__code__.co_flags & _CO_COROUTINE)
    from inspect import iscoroutinefunction

    return iscoroutinefunction(func)


def _make_timedelta(value: timedelta | int | None) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(seconds=value)


def _default_config() -> dict[str, t.Any]:
    return dict(DEFAULT_CONFIG)


class _LoopHolder(threading.local):
    """The event loop of the current thread for async views, created on
    first use and closed when the thread (and this holder) goes away."""

    loop: t.Any = None

    def get(self) -> t.Any:
        loop = self.loop
        if loop is None or loop.is_closed():
            import asyncio

            loop = self.loop = asyncio.new_event_loop()
            weakref.finalize(threading.current_thread(), _close_loop, loop)
        return loop


def _close_loop(loop: t.Any) -> None:
    if not loop.is_closed() and not loop.is_running():
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


_loops = _LoopHolder()


def _run_coroutine(coro: t.Any) -> t.Any:
    """Run ``coro`` to completion from synchronous code.

    One event loop per worker thread, reused across requests. The coroutine
    runs as a task created in the current context, so it sees the pushed
    request and application contexts. When this thread is already running
    an event loop (the application was called from async code), the
    coroutine runs on a helper thread's loop, in a copy of the context.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _loops.get().run_until_complete(coro)
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    ctx = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(ctx.run, asyncio.run, coro).result()


class Flask(TemplatingAppMixin, Scaffold):
    """The WSGI application: holds the configuration, the URL map, the
    views and hooks, and handles requests.

    :param import_name: the application's module or package (``__name__``);
        resources and the instance folder are found relative to it.
    :param static_url_path: the URL prefix of static files (default: the
        static folder's name, ``/static``).
    :param static_folder: the folder of static files, relative to
        :attr:`root_path`; ``None`` disables the static route.
    :param static_host: the host of the static route, with ``host_matching``.
    :param host_matching: rules match the full host (``host=`` on rules).
    :param subdomain_matching: match the subdomain against ``SERVER_NAME``
        (rules' ``subdomain=``); off by default, so any host is served.
    :param template_folder: the folder of templates.
    :param instance_path: an absolute path for the instance folder (default:
        found next to the package).
    :param instance_relative_config: relative config file names are relative
        to the instance folder instead of the root path.
    :param root_path: the folder resources are relative to.
    """

    #: The request class (``request`` is an instance of it).
    request_class: type[Request] = Request
    #: The response class :meth:`make_response` creates.
    response_class: type[Response] = Response
    #: The class of :attr:`aborter`.
    aborter_class = Aborter
    #: The class of ``g``.
    app_ctx_globals_class = _AppCtxGlobals
    #: The class of :attr:`config`.
    config_class = Config
    #: The configuration defaults (Flask's ``default_config``).
    default_config: dict[str, t.Any] = _default_config()
    #: The JSON provider class; :attr:`json` is made from it.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    #: The rule class of :meth:`add_url_rule`.
    url_rule_class = Rule
    #: The URL map class.
    url_map_class = Map
    #: The test client class of :meth:`test_client` (``FlaskClient`` by default).
    test_client_class: type[FlaskClient] | None = None
    #: The CLI test runner class of :meth:`test_cli_runner` (``FlaskCliRunner`` by default).
    test_cli_runner_class: type[FlaskCliRunner] | None = None
    #: Opens and saves sessions; signed cookies by default.
    session_interface: SessionInterface = SecureCookieSessionInterface()

    #: ``config["TESTING"]``.
    testing = ConfigAttribute[bool]("TESTING")
    #: ``config["SECRET_KEY"]``.
    secret_key = ConfigAttribute[t.Union[str, bytes, None]]("SECRET_KEY")
    #: ``config["PERMANENT_SESSION_LIFETIME"]`` as a timedelta.
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME", get_converter=_make_timedelta  # type: ignore[arg-type]  # None only if the config holds None, as in Flask
    )

    #: Whether this class's :meth:`request_context` is Flask's own, so that
    #: :meth:`wsgi_app` may build the context directly (decided per class by
    #: ``__init_subclass__``; assigning ``app.request_context`` turns it off
    #: for that instance, see :meth:`__setattr__`).
    _stock_request_context = True
    #: Whether this class keeps Flask's own version of every method in
    #: :data:`_INLINED_METHODS`, so that :meth:`wsgi_app` may run them written
    #: out in one frame (:meth:`_wsgi_app_inlined`). Decided per class by
    #: ``__init_subclass__``; assigning one of those methods on an instance
    #: (``app.process_response = f``) turns it off for that instance
    #: (:meth:`__setattr__`).
    _inline_request = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._stock_request_context = _keeps_stock(cls, Flask, ("request_context",))
        cls._inline_request = _keeps_stock(cls, Flask, _INLINED_METHODS)

    if not t.TYPE_CHECKING:
        # Hidden from the checkers: a declared ``__setattr__`` would let them
        # accept any attribute name on an application (``app.secrte_key``).

        def __setattr__(self, name: str, value: t.Any) -> None:
            # PERF: applications set attributes while they are set up, not
            # per request, so this hook costs the request path nothing; it is
            # how an instance's own version of a method a fast path bypasses
            # is noticed (the methods stay plain functions, cheap to call).
            if name in _INLINED_METHODS:
                object.__setattr__(self, "_inline_request", False)
                if name == "request_context":
                    object.__setattr__(self, "_stock_request_context", False)
            object.__setattr__(self, name, value)

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError(
                "If an instance path is provided it must be absolute. A relative path was given instead."
            )
        #: The instance folder: per-deployment files kept out of version control.
        self.instance_path = instance_path
        #: The configuration.
        self.config = self.make_config(instance_relative_config)
        #: Raises HTTP exceptions for :func:`~microflask.abort`.
        self.aborter = self.make_aborter()
        #: The JSON provider (``dumps``, ``loads``, ``response``).
        self.json: JSONProvider = self.json_provider_class(self)
        #: Handlers tried when :meth:`url_for` cannot build a URL.
        self.url_build_error_handlers: list[t.Callable[[Exception, str, dict[str, t.Any]], str]] = []
        #: Functions run when the application context is popped.
        self.teardown_appcontext_funcs: list[t.Callable[[BaseException | None], None]] = []
        #: Functions adding names to ``flask shell``.
        self.shell_context_processors: list[t.Callable[[], dict[str, t.Any]]] = []
        #: Registered blueprints by dotted name (``parent.child``), in
        #: registration order.
        self.blueprints: dict[str, Blueprint] = {}
        #: Storage for extensions.
        self.extensions: dict[str, t.Any] = {}
        #: The URL map.
        self.url_map = self.url_map_class(host_matching=host_matching)
        self.subdomain_matching = subdomain_matching
        self._got_first_request = False
        # ensure_sync() results by function.
        self._sync_cache: dict[t.Callable[..., t.Any], t.Callable[..., t.Any]] = {}
        # The request hooks of each endpoint (None: no match), filled
        # once requests are served (see _hook_chain).
        self._hook_chains: dict[str | None, _HookChain] = {}
        #: The setup version the cached hook chains were built at.
        self._hook_chains_version = -1

        if self.has_static_folder:
            assert bool(static_host) == host_matching, "Invalid static_host/host_matching combination"
            # A weak reference: the view must not keep the application alive.
            self_ref = weakref.ref(self)
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                host=static_host,
                view_func=lambda **kw: self_ref().send_static_file(**kw),  # type: ignore[union-attr]  # the route only runs while the app is alive
            )

    # -- setup -------------------------------------------------------------------

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called"
                " on the application. It has already handled its first"
                " request, any changes will not be applied"
                " consistently.\n"
                "Make sure all imports, decorators, functions, etc."
                " needed to set up the application are done before"
                " running it."
            )

    @cached_property
    def name(self) -> str:  # pyright: ignore[reportIncompatibleVariableOverride]  # Flask computes the name Scaffold stores
        """The application's name: the import name, or the script's file
        name when that is ``__main__``."""
        if self.import_name == "__main__":
            fn: str | None = getattr(sys.modules["__main__"], "__file__", None)
            if fn is None:
                return "__main__"
            return os.path.splitext(os.path.basename(fn))[0]
        return self.import_name

    @cached_property
    def logger(self) -> t.Any:
        """The ``logging`` logger named after the application; logs to the
        request's ``wsgi.errors`` stream unless a handler is configured."""
        # Cold start: ``microflask.logging`` imports the stdlib ``logging``,
        # which an application that never logs does not need.
        from .logging import create_logger

        return create_logger(self)

    @property
    def debug(self) -> bool:
        """``config["DEBUG"]``: debug mode."""
        debug: bool = self.config["DEBUG"]
        return debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value

    def make_config(self, instance_relative: bool = False) -> Config:
        """Create :attr:`config` from the defaults (``DEBUG`` from
        ``FLASK_DEBUG``)."""
        root_path = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """Create :attr:`aborter`."""
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """The default instance folder: ``instance`` next to the package,
        or ``<prefix>/var/<name>-instance`` for an installed package."""
        prefix, package_path = _find_package(self.import_name)
        if prefix is None:
            return os.path.join(package_path, "instance")
        return os.path.join(prefix, "var", f"{self.name}-instance")

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = None) -> t.IO[t.Any]:
        """Open a file relative to :attr:`root_path` for reading.

        :raises ValueError: for a mode other than ``"r"``, ``"rt"``, ``"rb"``.
        """
        if mode not in {"r", "rt", "rb"}:
            raise ValueError("Resources can only be opened for reading.")
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    def open_instance_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """Open a file relative to :attr:`instance_path` (for writing too)."""
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    # -- routing -----------------------------------------------------------------

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: t.Callable[..., t.Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Add a URL rule, and the view of its endpoint.

        :param rule: the rule string, e.g. ``/user/<int:id>``.
        :param endpoint: the endpoint name (default: the view's name).
        :param view_func: the view function.
        :param provide_automatic_options: answer ``OPTIONS`` automatically
            (default: when ``OPTIONS`` is not among the methods and
            ``PROVIDE_AUTOMATIC_OPTIONS`` is set).
        :param options: :class:`~wsgikit.routing.Rule` arguments;
            ``methods`` defaults to the view's ``methods`` or ``GET``.
        :raises AssertionError: when the endpoint already has another view.
        """
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)
        options["endpoint"] = endpoint
        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            raise TypeError(
                'Allowed methods must be a list of strings, for example: @app.route(..., methods=["POST"])'
            )
        methods = {item.upper() for item in methods}
        required_methods: set[str] = set(getattr(view_func, "required_methods", ()))
        if provide_automatic_options is None:
            provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
        if provide_automatic_options is None:
            if "OPTIONS" not in methods and self.config["PROVIDE_AUTOMATIC_OPTIONS"]:
                provide_automatic_options = True
                required_methods.add("OPTIONS")
            else:
                provide_automatic_options = False
        methods |= required_methods
        rule_obj = self.url_rule_class(rule, methods=methods, **options)
        rule_obj.provide_automatic_options = provide_automatic_options  # type: ignore[attr-defined]  # Flask's own attribute on the rule
        self.url_map.add(rule_obj)
        if view_func is not None:
            old_func = self.view_functions.get(endpoint)
            if old_func is not None and old_func != view_func:
                raise AssertionError(f"View function mapping is overwriting an existing endpoint function: {endpoint}")
            self.view_functions[endpoint] = view_func

    @setupmethod
    def teardown_appcontext(self, f: F) -> F:
        """Run ``f(exc)`` when the application context is popped."""
        self.teardown_appcontext_funcs.append(f)
        return f

    @setupmethod
    def shell_context_processor(self, f: F) -> F:
        """Register ``f()`` returning names for the interactive shell."""
        self.shell_context_processors.append(f)
        return f

    def make_shell_context(self) -> dict[str, t.Any]:
        """The names of the interactive shell: ``app``, ``g`` and what the
        shell context processors add."""
        rv: dict[str, t.Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            rv.update(processor())
        return rv

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register ``blueprint``: add its rules, hooks and nested
        blueprints (see :meth:`Blueprint.register`).

        :param options: override the blueprint's ``url_prefix``,
            ``subdomain``, ``url_defaults``, ``cli_group``, and ``name``
            (needed to register a blueprint a second time).
        """
        blueprint.register(self, options)

    def iter_blueprints(self) -> t.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    def create_url_adapter(self, request: Request | None) -> t.Any:
        """The URL adapter of a request (or, without one, of the
        application: needs ``SERVER_NAME``; else ``None``)."""
        config = self.config
        if request is not None:
            trusted_hosts = config["TRUSTED_HOSTS"]
            if trusted_hosts is not None:
                request.trusted_hosts = trusted_hosts
                # Refuses an untrusted Host header now (a 400).
                request.host  # noqa: B018
            subdomain = None
            server_name = config["SERVER_NAME"]
            url_map = self.url_map
            if url_map.host_matching:
                # Match the real host, not SERVER_NAME.
                server_name = None
            elif not self.subdomain_matching:
                # Any host is served: the subdomain is the default one.
                subdomain = url_map.default_subdomain or ""
            return url_map.bind_to_environ(request.environ, server_name=server_name, subdomain=subdomain)
        if config["SERVER_NAME"] is not None:
            return self.url_map.bind(
                config["SERVER_NAME"],
                script_name=config["APPLICATION_ROOT"],
                url_scheme=config["PREFERRED_URL_SCHEME"],
            )
        return None

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint`` with ``values``.

        Inside a request, ``.name`` means ``name`` in the current
        blueprint and URLs are relative unless ``_external``; outside one
        (``SERVER_NAME`` needed), they are external.

        :param _anchor: the fragment to append.
        :param _method: build the rule accepting this method.
        :param _scheme: the scheme (makes the URL external).
        :param _external: make a full URL with the host.
        :raises RuntimeError: outside a request without ``SERVER_NAME``.
        :raises ValueError: ``_scheme`` with ``_external=False``.
        :raises wsgikit.routing.BuildError: nothing matches and no
            :attr:`url_build_error_handlers` helped.
        """
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            url_adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint_name = req_ctx.request.blueprint
                endpoint = f"{blueprint_name}{endpoint}" if blueprint_name is not None else endpoint[1:]
            if _external is None:
                _external = _scheme is not None
        else:
            app_ctx = _cv_app.get(None)
            url_adapter = app_ctx.url_adapter if app_ctx is not None else self.create_url_adapter(None)
            if url_adapter is None:
                raise RuntimeError(
                    "Unable to build URLs outside an active request"
                    " without 'SERVER_NAME' configured. Also configure"
                    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as"
                    " needed."
                )
            if _external is None:
                _external = True
        if _scheme is not None and not _external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")
        self.inject_url_defaults(endpoint, values)
        try:
            rv: str = url_adapter.build(endpoint, values, method=_method, url_scheme=_scheme, force_external=_external)  # type: ignore[union-attr]  # None only when the request's host was refused (a 400); Flask's AttributeError too
        except BuildError as error:
            # A new dict: the error may refer to ``values`` for its message,
            # which lists only the values given to build.
            values = {**values, "_anchor": _anchor, "_method": _method, "_scheme": _scheme, "_external": _external}
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            rv = f"{rv}#{_url_quote(_anchor, safe=_ANCHOR_SAFE)}"
        return rv

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the ``url_defaults`` functions of the application (and of the
        endpoint's blueprints) add to ``values``."""
        funcs = self.url_default_functions
        if not funcs:
            return
        names: list[str | None] = [None]
        if "." in endpoint:
            names.extend(reversed(_split_blueprint_path(endpoint.rpartition(".")[0])))
        for name in names:
            if name in funcs:
                for func in funcs[name]:
                    func(endpoint, values)

    def handle_url_build_error(self, error: BuildError, endpoint: str, values: dict[str, t.Any]) -> str:
        """Try :attr:`url_build_error_handlers`; the first that returns a
        value other than ``None`` gives the URL. Otherwise re-raise."""
        for handler in self.url_build_error_handlers:
            try:
                rv = handler(error, endpoint, values)
            except BuildError as e:
                # The next handler gets the newer error.
                error = e
            else:
                if rv is not None:
                    return rv
        if error is sys.exc_info()[1]:
            raise
        raise error

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """A response redirecting to ``location``, of :attr:`response_class`."""
        return _wz_redirect(location, code=code, Response=self.response_class)

    # -- static files ------------------------------------------------------------

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The cache max age of sent files: ``SEND_FILE_MAX_AGE_DEFAULT``
        (``None``: conditional requests only)."""
        value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if value is None:
            return None
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        seconds: int = value
        return seconds

    def send_static_file(self, filename: str) -> Response:
        """The view of the static route: a file from :attr:`static_folder`."""
        if not self.has_static_folder:
            raise RuntimeError("'static_folder' must be set to serve static_files.")
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(t.cast(str, self.static_folder), filename, max_age=max_age)

    # -- contexts ----------------------------------------------------------------

    def app_context(self) -> AppContext:
        """A new application context (``with app.app_context(): ...``)."""
        return AppContext(self)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """A new request context for ``environ``."""
        return RequestContext(self, environ)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> RequestContext:
        """A request context for a request built from
        :class:`~microflask.testing.EnvironBuilder` arguments (``path``,
        ``method``, ``data``, ``json``, ``headers``...)."""
        # Cold start: the testing module brings in wsgikit.test and the CLI.
        from .testing import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            return self.request_context(builder.get_environ())
        finally:
            builder.close()

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """A test client (:attr:`test_client_class`, by default
        :class:`~microflask.testing.FlaskClient`)."""
        cls = self.test_client_class
        if cls is None:
            # Cold start: the testing module brings in wsgikit.test and the CLI.
            from .testing import FlaskClient

            cls = FlaskClient
        return cls(self, self.response_class, use_cookies=use_cookies, **kwargs)

    @cached_property
    def cli(self) -> AppGroup:
        """The application's command group (``@app.cli.command()``), named
        after the application; built on first use."""
        # Cold start and layering: the CLI is the layer above the app
        # (it imports this module) and loads argparse, inspect, ast...
        from .cli import AppGroup

        return AppGroup(self.name)

    def test_cli_runner(self, **kwargs: t.Any) -> FlaskCliRunner:
        """A runner that invokes the application's commands in tests
        (:attr:`test_cli_runner_class`)."""
        cls = self.test_cli_runner_class
        if cls is None:
            # Cold start and layering: the CLI is the layer above the app.
            from .cli import FlaskCliRunner

            cls = FlaskCliRunner
        return cls(self, **kwargs)

    # -- sessions ----------------------------------------------------------------

    def _no_session_cookie(self, request: Request) -> bool:
        """Whether ``request`` surely carries no session cookie, so that a
        session the view never touched needs no saving (the default
        interface opens a new, empty session then, and saves nothing).

        PERF: a ``Cookie`` header the view never reads (analytics cookies)
        would otherwise cost parsing every cookie and opening the session.
        A cookie's name always appears as it is in the header text, so a
        substring test never misses one; when it finds the name (or the
        request class reads cookies its own way), the session is opened
        as usual.
        """
        header = request.environ.get("HTTP_COOKIE")
        if not header:
            return True
        if type(request).cookies is not _STOCK_COOKIES:
            return False
        return self.session_interface.get_cookie_name(self) not in header

    def _open_session(self, request: Request) -> SessionMixin:
        interface = self.session_interface
        session = interface.open_session(self, request)
        if session is None:
            session = interface.make_null_session(self)
        return session

    # -- async -------------------------------------------------------------------

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """``func`` itself, or a synchronous wrapper when it is a coroutine
        function (an ``async def`` view or hook)."""
        if _is_coroutine_function(func):
            return self.async_to_sync(func)
        return func

    def _sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """:meth:`ensure_sync` for registered views and hooks, remembered
        per function. PERF: these run on every request; the coroutine check
        is done once. (Per-request callables, like ``after_this_request``
        closures, use :meth:`ensure_sync` so nothing accumulates.)"""
        try:
            return self._sync_cache[func]
        except KeyError:
            sync = self._sync_cache[func] = self.ensure_sync(func)
            return sync

    def async_to_sync(self, func: t.Callable[..., t.Coroutine[t.Any, t.Any, t.Any]]) -> t.Callable[..., t.Any]:
        """Wrap a coroutine function so calling it runs it to completion on
        the worker thread's event loop."""

        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return _run_coroutine(func(*args, **kwargs))

        wrapper.__name__ = getattr(func, "__name__", "wrapper")
        wrapper.__wrapped__ = func  # type: ignore[attr-defined]  # functions take any attribute; typeshed does not list this one
        return wrapper

    # -- the request -------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """The WSGI entry point: :meth:`wsgi_app` (wrap that one with
        middleware, ``app.wsgi_app = Middleware(app.wsgi_app)``)."""
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """Handle one request: push its context, dispatch, send the
        response, pop the context (running the teardown functions).

        PERF: the per-request path; kept flat on purpose.
        """
        if self._inline_request:
            return self._wsgi_app_inlined(environ, start_response)
        # PERF: the stock request_context skips a method call; a subclass
        # or an instance (``app.request_context = f``) override is called.
        if self._stock_request_context:
            ctx = RequestContext(self, environ)
        else:
            ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:  # noqa: E722
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def _wsgi_app_inlined(self, environ: WSGIEnvironment, start_response: StartResponse) -> cabc.Iterable[bytes]:
        """:meth:`wsgi_app` for an application that keeps Flask's own
        versions of :data:`_INLINED_METHODS`: the same steps, in the same
        order, with the same exceptions, written out in one frame.

        PERF: the general path makes about fifteen Python calls per request
        that only forward to the next step (``ctx.push``, ``app_context``,
        ``match_request``, ``full_dispatch_request``, ``preprocess_request``,
        ``dispatch_request``, ``finalize_request``, ``make_response``,
        ``process_response``, ``ctx.pop``, the teardowns...). Here each step
        whose stock version would do nothing (no hooks registered, no
        receivers, an untouched lazy session) is skipped by the same check
        the method itself starts with, and any step with work to do calls
        the stock method. ``tests/microflask/test_inlined_request.py``
        compares the two paths.
        """
        ctx = RequestContext(self, environ)
        request = ctx.request
        error: BaseException | None = None
        try:
            try:
                # -- RequestContext.push, with AppContext.push and match_request.
                app_ctx: AppContext | None = _cv_app.get(None)
                if app_ctx is None or app_ctx.app is not self:
                    app_ctx = AppContext(self)
                    app_ctx._cv_tokens.append(_cv_app.set(app_ctx))
                    if appcontext_pushed.receivers:
                        appcontext_pushed.send(self, _async_wrapper=self.ensure_sync)
                else:
                    app_ctx = None
                ctx._cv_tokens.append((_cv_request.set(ctx), app_ctx))
                if ctx._session is None and getattr(self.session_interface, "_opens_lazily", False) is not True:
                    ctx._session = self._open_session(request)
                adapter = ctx.url_adapter
                if adapter is not None:
                    try:
                        result = adapter.match(return_rule=True)
                    except HTTPException as e:
                        request.routing_exception = e
                    else:
                        request.url_rule, request.view_args = result
                # -- full_dispatch_request.
                if not self._got_first_request:
                    self._hook_chains.clear()
                    self._got_first_request = True
                try:
                    if request_started.receivers:
                        request_started.send(self, _async_wrapper=self.ensure_sync)
                    rv: t.Any = None
                    if self.url_value_preprocessors or self.before_request_funcs:
                        rv = self.preprocess_request()
                    if rv is None:
                        # -- dispatch_request.
                        if request.routing_exception is not None:
                            self.raise_routing_exception(request)
                        rule = request.url_rule
                        if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
                            rv = self.make_default_options_response()
                        else:
                            func = self.view_functions[rule.endpoint]  # type: ignore[union-attr]  # no routing exception: a rule matched
                            view = self._sync_cache.get(func) or self._sync(func)
                            rv = view(**request.view_args)  # type: ignore[arg-type]  # no routing exception: the match set the arguments
                except Exception as e:
                    rv = self.handle_user_exception(e)
                # -- finalize_request: make_response's common cases, then
                # process_response unless it has nothing to do.
                response_class = self.response_class
                rv_type = type(rv)
                if rv_type is str:
                    response = response_class(rv)
                elif rv_type is response_class:
                    response = rv
                else:
                    response = self.make_response(rv)
                if (
                    ctx._after_request_functions
                    or self.after_request_funcs
                    or ctx._session is not None
                    or getattr(self.session_interface, "_opens_lazily", False) is not True
                    or (request.environ.get("HTTP_COOKIE") and not self._no_session_cookie(request))
                ):
                    response = self.process_response(response)
                if request_finished.receivers:
                    request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:  # noqa: E722
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            # -- RequestContext.pop(error), with AppContext.pop.
            tokens = ctx._cv_tokens
            clear_request = len(tokens) == 1
            try:
                if clear_request:
                    if self.teardown_request_funcs or request_tearing_down.receivers:
                        self.do_teardown_request(error)
                    request.close()
            finally:
                current = _cv_request.get(None)
                token, app_ctx = tokens.pop()
                _cv_request.reset(token)
                if clear_request:
                    request.environ["werkzeug.request"] = None
                if app_ctx is not None:
                    app_tokens = app_ctx._cv_tokens
                    try:
                        if len(app_tokens) == 1 and (self.teardown_appcontext_funcs or appcontext_tearing_down.receivers):
                            self.do_teardown_appcontext(error)
                    finally:
                        current_app_ctx = _cv_app.get(None)
                        _cv_app.reset(app_tokens.pop())
                    if current_app_ctx is not app_ctx:
                        raise AssertionError(f"Popped wrong app context. ({current_app_ctx!r} instead of {app_ctx!r})")
                    if appcontext_popped.receivers:
                        appcontext_popped.send(self, _async_wrapper=self.ensure_sync)
                if current is not ctx:
                    raise AssertionError(f"Popped wrong request context. ({current!r} instead of {ctx!r})")

    def full_dispatch_request(self) -> Response:
        """Run the request hooks and the view, handle its exceptions, and
        finish the response."""
        if not self._got_first_request:
            # The setup may have changed since requests were last served
            # (a restarted server): hook chains are rebuilt from it.
            self._hook_chains.clear()
            self._got_first_request = True
        try:
            # PERF: a signal without receivers costs one attribute check.
            if request_started.receivers:
                request_started.send(self, _async_wrapper=self.ensure_sync)
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        return self.finalize_request(rv)

    def _request_blueprints(self, req: Request) -> list[str]:
        # PERF: without blueprints there is nothing to walk.
        return req.blueprints if self.blueprints else []

    def _hook_chain(self, req: Request) -> _HookChain:
        """The request hooks of ``req``'s endpoint, cached per endpoint for
        one setup version: any change of a hook registry (a decorator, a
        blueprint, or ``app.before_request_funcs[None].append(f)``) bumps
        the version and the chains are rebuilt, as Flask reads the
        registries on every request."""
        version = self._setup_version
        if version.value != self._hook_chains_version or version.untracked:
            self._hook_chains.clear()
            self._hook_chains_version = -1 if version.untracked else version.value
        rule = req.url_rule
        key = rule.endpoint if rule is not None else None
        chain = self._hook_chains.get(key)
        if chain is None:
            chain = self._hook_chains[key] = self._build_hook_chain(self._request_blueprints(req))
        return chain

    def _build_hook_chain(self, blueprints: list[str]) -> _HookChain:
        outward_in = (None, *reversed(blueprints))
        inward_out = (*blueprints, None)
        sync = self._sync
        # ``.get``: indexing the defaultdict registries would add entries.
        preprocessors = self.url_value_preprocessors
        before = self.before_request_funcs
        after = self.after_request_funcs
        teardown = self.teardown_request_funcs
        return _HookChain(
            tuple(f for name in outward_in for f in preprocessors.get(name, ())),
            tuple(sync(f) for name in outward_in for f in before.get(name, ())),
            tuple(sync(f) for name in inward_out for f in reversed(after.get(name, ()))),
            tuple(sync(f) for name in inward_out for f in reversed(teardown.get(name, ()))),
        )

    def preprocess_request(self) -> t.Any:
        """Run the ``url_value_preprocessors`` and then the
        ``before_request`` functions (application first, then the
        blueprints outward-in); a non-``None`` return value of the latter
        stops the request and becomes the response."""
        if not self.url_value_preprocessors and not self.before_request_funcs:
            return None
        req = _cv_request.get().request
        chain = self._hook_chain(req)
        for url_func in chain.url_value_preprocessors:
            url_func(req.endpoint, req.view_args)
        for before_func in chain.before_request:
            rv = before_func()
            if rv is not None:
                return rv
        return None

    def dispatch_request(self) -> t.Any:
        """Call the view of the matched rule with the view arguments (or
        raise the routing error, or answer ``OPTIONS`` automatically)."""
        req = _cv_request.get().request
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule = req.url_rule
        if req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return self.make_default_options_response()
        func = self.view_functions[rule.endpoint]  # type: ignore[union-attr]  # no routing exception: a rule matched
        # PERF: ``self._sync(func)`` without the call once it is known.
        view = self._sync_cache.get(func) or self._sync(func)
        return view(**req.view_args)  # type: ignore[arg-type]  # no routing exception: the match set the arguments

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the routing error of ``request``. In debug mode, a
        redirect that would make the browser drop a form body (301/302
        for a method with a body) raises a descriptive error instead."""
        exc = request.routing_exception
        if (
            not isinstance(exc, RequestRedirect)
            or not self.debug
            or exc.code in {307, 308}
            or request.method in {"GET", "HEAD", "OPTIONS"}
        ):
            raise exc  # type: ignore[misc]  # only called when the request has a routing exception
        raise FormDataRoutingRedirect(request)

    def make_default_options_response(self) -> Response:
        """The automatic ``OPTIONS`` response: an empty 200 whose ``Allow``
        header lists the URL's methods."""
        adapter = _cv_request.get().url_adapter
        methods = adapter.allowed_methods()  # type: ignore[union-attr]  # only called for a matched rule, which needed the adapter
        rv = self.response_class()
        rv.allow.update(methods)
        return rv

    def finalize_request(self, rv: t.Any, from_error_handler: bool = False) -> Response:
        """Turn ``rv`` into a response and run :meth:`process_response`.
        When the request is already failing (``from_error_handler``), an
        error here is logged rather than raised."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if request_finished.receivers:
                request_finished.send(self, _async_wrapper=self.ensure_sync, response=response)
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception("Request finalizing failed with an error while handling an error")
        return response

    def make_response(self, rv: t.Any) -> Response:
        """Turn a view's return value into a response.

        Accepted: a response object; ``str``/``bytes`` (the body); a
        ``dict`` or ``list`` (JSON); a generator or iterator (streamed); any
        WSGI callable; or a tuple ``(body, status)``, ``(body, headers)``,
        ``(body, status, headers)``.

        :raises TypeError: for anything else, with Flask's messages.
        """
        response_class = self.response_class
        # PERF: the common cases first, by exact type.
        rv_type = type(rv)
        if rv_type is str:
            return response_class(rv)
        if rv_type is response_class:
            return rv  # type: ignore[no-any-return]  # the view's value is untyped; its exact type was just checked
        status = headers = None
        if isinstance(rv, tuple):
            len_rv = len(rv)
            if len_rv == 3:
                rv, status, headers = rv
            elif len_rv == 2:
                if isinstance(rv[1], (Headers, dict, tuple, list)):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    "The view function did not return a valid response tuple."
                    " The tuple must have the form (body, status, headers),"
                    " (body, status), or (body, headers)."
                )
        if rv is None:
            raise TypeError(
                f"The view function for {request.endpoint!r} did not"
                " return a valid response. The function either returned"
                " None or ended without a return statement."
            )
        if not isinstance(rv, response_class):
            if isinstance(rv, (str, bytes, bytearray)) or isinstance(rv, cabc.Iterator):
                rv = response_class(rv, status=status, headers=headers)
                status = headers = None
            elif isinstance(rv, (dict, list)):
                rv = self.json.response(rv)
            elif isinstance(rv, BaseResponse) or callable(rv):
                try:
                    if isinstance(rv, HTTPException):
                        rv = self._http_exception_response(rv, request.environ)
                    else:
                        rv = response_class.force_type(rv, request.environ)  # pyright: ignore[reportArgumentType]  # any callable is tried as a WSGI app (TypeError below otherwise)
                except TypeError as e:
                    raise TypeError(
                        f"{e}\nThe view function did not return a valid"
                        " response. The return type must be a string,"
                        " dict, list, tuple with headers or status,"
                        " Response instance, or WSGI callable, but it"
                        f" was a {type(rv).__name__}."
                    ).with_traceback(sys.exc_info()[2]) from None
            else:
                raise TypeError(
                    "The view function did not return a valid"
                    " response. The return type must be a string,"
                    " dict, list, tuple with headers or status,"
                    " Response instance, or WSGI callable, but it was a"
                    f" {type(rv).__name__}."
                )
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                rv.status = status  # pyright: ignore[reportAttributeAccessIssue]  # as in Flask: the setter refuses bytes itself (TypeError)
            else:
                rv.status_code = status
        if headers:
            rv.headers.update(headers)
        return rv  # type: ignore[no-any-return]  # made an instance of response_class above

    def _http_exception_response(self, e: HTTPException, environ: WSGIEnvironment) -> Response:
        """``response_class.force_type(e, environ)`` for an HTTP exception
        whose ``__call__`` is the stock one (the 404s and 405s of routing).

        PERF: the general path runs the exception as a WSGI application
        through the test runner (environ copy, ``start_response`` closure,
        lazy-start iterator); this makes the same response -- the status,
        headers and body iterator the exception's response sends -- by
        calling what the stock ``__call__`` calls, directly. An exception
        or a response class with its own ``__call__`` takes the general path.
        """
        if type(e).__call__ is not _STOCK_EXCEPTION_CALL:
            return self.response_class.force_type(e, environ)  # type: ignore[return-value]  # force_type is annotated as returning wsgikit's Response, not Self; it returns an instance of response_class
        if e.response is None and _renders_stock_page(e):
            # PERF: the stock ``get_response`` would build a response from
            # the page and headers only to have its WSGI output read back;
            # that output is, for these classes, the headers plus the
            # body's length, and the body unless the request is HEAD (the
            # page depends only on the code, name and description, so its
            # bytes are kept per class and description).
            description = e.description
            key = (type(e), e.code, description)
            body = _ERROR_PAGES.get(key) if description is None or type(description) is str else None
            if body is None:
                body = e.get_body(environ, None).encode()
                if description is None or type(description) is str:
                    if len(_ERROR_PAGES) >= 64:
                        _ERROR_PAGES.clear()
                    _ERROR_PAGES[key] = body
            headers = e.get_headers(environ, None)
            headers.append(("Content-Length", str(len(body))))
            sent = () if environ.get("REQUEST_METHOD") == "HEAD" else (body,)
            response = BaseResponse(iter(sent), e.code, Headers(headers))
            return self.response_class.force_type(response)  # type: ignore[return-value]  # force_type is annotated as returning wsgikit's Response, not Self; it returns an instance of response_class
        inner = e.get_response(environ)
        if type(inner).__call__ is _STOCK_RESPONSE_CALL:
            # The stock __call__ is the WSGI response's: ``inner`` is one.
            app_iter, status, headers = inner.get_wsgi_response(environ)
            # A plain body: the general path hands on an iterator over it
            # (the response is streamed); anything else may need closing.
            if type(app_iter) is list or type(app_iter) is tuple:
                response = BaseResponse(iter(app_iter), status, Headers(headers))
                return self.response_class.force_type(response)  # type: ignore[return-value]  # force_type is annotated as returning wsgikit's Response, not Self; it returns an instance of response_class
        return self.response_class.force_type(e, environ)  # type: ignore[return-value]  # force_type is annotated as returning wsgikit's Response, not Self; it returns an instance of response_class

    def process_response(self, response: Response) -> Response:
        """Run the ``after_this_request`` functions, then the
        ``after_request`` functions (blueprints inward-out, then the
        application, each list in reverse), then save the session."""
        ctx = _cv_request.get()
        # PERF: no loop set up for the usual empty list.
        if ctx._after_request_functions:
            for func in ctx._after_request_functions:
                response = self.ensure_sync(func)(response)
        if self.after_request_funcs:
            for func in self._hook_chain(ctx.request).after_request:
                response = func(response)
        session = ctx._session
        interface = self.session_interface
        if session is None:
            # The session was never used. With the default interface only a
            # permanent session cookie can need a refresh, and that needs the
            # session cookie in the request; otherwise open it now like Flask
            # would have at push time. (The interface's ``_opens_lazily`` flag.)
            if getattr(interface, "_opens_lazily", False) is True and self._no_session_cookie(ctx.request):
                return response
            session = ctx.session
        if not interface.is_null_session(session):
            interface.save_session(self, session, response)
        return response

    # -- errors ------------------------------------------------------------------

    def _find_error_handler(self, e: Exception, blueprints: list[str]) -> t.Callable[[Exception], t.Any] | None:
        """The handler for ``e``: by status code before by class, the
        blueprint's before the application's, and the most specific class
        of the exception's MRO."""
        spec = self.error_handler_spec
        if not spec:
            # PERF: no handler registered anywhere (the registry only gets
            # keys when one is): a routing 404 or 405 skips the walk below.
            return None
        exc_class, code = self._get_exc_class_and_code(type(e))
        names = (*blueprints, None)
        for c in (code, None) if code is not None else (None,):
            for name in names:
                if name not in spec:
                    continue
                handler_map = spec[name].get(c)
                if not handler_map:
                    continue
                for cls in exc_class.__mro__:
                    handler = handler_map.get(cls)
                    if handler is not None:
                        return handler
        return None

    def trap_http_exception(self, e: Exception) -> bool:
        """Whether an HTTP exception should propagate like any other
        exception instead of becoming its error response
        (``TRAP_HTTP_EXCEPTIONS``, ``TRAP_BAD_REQUEST_ERRORS``)."""
        config = self.config
        if config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None and isinstance(e, BadRequestKeyError) and self.debug:
            return True
        if trap_bad_request:
            return isinstance(e, BadRequest)
        return False

    def handle_http_exception(self, e: HTTPException) -> t.Any:
        """The response for an HTTP exception: its error handler's, or the
        exception itself (a WSGI response). Routing redirects and
        code-less exceptions are returned as they are."""
        if e.code is None:
            return e
        if isinstance(e, RoutingException):
            return e
        handler = self._find_error_handler(e, _current_blueprints())
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)

    def handle_user_exception(self, e: Exception) -> t.Any:
        """Handle an exception raised by a hook or view: HTTP exceptions go
        to :meth:`handle_http_exception`; others to their error handler,
        or are re-raised (to :meth:`handle_exception`)."""
        if isinstance(e, BadRequestKeyError) and (self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]):
            e.show_exception = True
        if not isinstance(e, HTTPException):
            e = _adopt_foreign_http_exception(e) or e
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._find_error_handler(e, _current_blueprints())
        if handler is None:
            raise
        return self.ensure_sync(handler)(e)

    def handle_exception(self, e: Exception) -> Response:
        """Handle an exception nothing else handled: send
        ``got_request_exception``; re-raise it when exceptions propagate
        (``PROPAGATE_EXCEPTIONS``, default in testing and debug mode);
        otherwise log it and answer 500 (through a 500 handler if any)."""
        exc_info = sys.exc_info()
        if got_request_exception.receivers:
            got_request_exception.send(self, _async_wrapper=self.ensure_sync, exception=e)
        propagate = self.config["PROPAGATE_EXCEPTIONS"]
        if propagate is None:
            propagate = self.testing or self.debug
        if propagate:
            if exc_info[1] is e:
                raise
            raise e
        self.log_exception(exc_info)
        server_error: t.Any = InternalServerError(original_exception=e)
        handler = self._find_error_handler(server_error, _current_blueprints())
        if handler is not None:
            server_error = self.ensure_sync(handler)(server_error)
        return self.finalize_request(server_error, from_error_handler=True)

    def log_exception(self, exc_info: t.Any) -> None:
        """Log an unhandled exception to :attr:`logger`."""
        self.logger.error(f"Exception on {request.path} [{request.method}]", exc_info=exc_info)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Whether the teardown functions should not see ``error``
        (``False``: they see every error)."""
        return False

    def do_teardown_request(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # the sentinel means "the exception being handled"
        """Run the ``teardown_request`` functions (blueprints first, each
        list in reverse) and send ``request_tearing_down``."""
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        if self.teardown_request_funcs:
            for func in self._hook_chain(_cv_request.get().request).teardown_request:
                func(exc)
        if request_tearing_down.receivers:
            request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # the sentinel means "the exception being handled"
        """Run the ``teardown_appcontext`` functions (in reverse) and send
        ``appcontext_tearing_down``."""
        if exc is _sentinel:
            exc = sys.exc_info()[1]
        # PERF: no reversed() iterator when nothing is registered.
        if self.teardown_appcontext_funcs:
            for func in reversed(self.teardown_appcontext_funcs):
                self._sync(func)(exc)
        if appcontext_tearing_down.receivers:
            appcontext_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)

    # -- serving -----------------------------------------------------------------

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the application with the development server
        (:func:`wsgikit.serving.run_simple`). Host and port default to
        ``SERVER_NAME``'s, else ``127.0.0.1:5000``."""
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            return
        # Layering: the CLI is the layer above the app (it imports this
        # module); both names are only needed when the server starts.
        from .cli import load_dotenv as load_dotenv_files
        from .cli import show_server_banner

        if get_load_dotenv(load_dotenv):

            # ``.flaskenv``/``.env`` of the working directory (or the
            # nearest parent), never replacing variables already set; then
            # FLASK_DEBUG, from either, decides the debug flag.
            load_dotenv_files()
            if "FLASK_DEBUG" in os.environ:
                self.debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)
        server_name = self.config.get("SERVER_NAME")
        sn_host = sn_port = None
        if server_name:
            sn_host, _, sn_port = server_name.partition(":")
        hostname: str = host or sn_host or "127.0.0.1"
        if port or port == 0:
            port = int(port)
        else:
            port = int(sn_port) if sn_port else 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)
        # Cold start: the server (sockets, threads, TLS) is only loaded to serve.
        from wsgikit.serving import run_simple

        # " * Serving microflask app 'name'" and " * Debug mode: on/off",
        # as Flask prints them (not again in the reloader's child).
        show_server_banner(self.debug, self.name)
        try:
            run_simple(hostname, port, self, **options)
        finally:
            # A reloaded or restarted server may be set up again.
            self._got_first_request = False




class FormDataRoutingRedirect(AssertionError):
    """Raised in debug mode when routing redirects a request with a body
    in a way that makes browsers drop the body (301/302)."""

    def __init__(self, request: Request) -> None:
        # Only raised for a routing redirect.
        exc = t.cast(RequestRedirect, request.routing_exception)
        buf = [f"A request was sent to '{request.url}', but routing issued a redirect to the canonical URL '{exc.new_url}'."]
        if f"{request.base_url}/" == exc.new_url.partition("?")[0]:
            buf.append(
                " The URL was defined with a trailing slash. Flask"
                " will redirect to the URL with a trailing slash if it"
                " was accessed without one."
            )
        buf.append(
            " Send requests to the canonical URL, or use 307 or 308 for"
            " routing redirects. Otherwise, browsers will drop form"
            " data.\n\n"
            "This exception is only raised in debug mode."
        )
        super().__init__("".join(buf))


def _find_package(import_name: str) -> tuple[str | None, str]:
    """Where the top-level package of ``import_name`` lives: ``(install
    prefix, folder containing it)``. The prefix is ``None`` unless the
    package is installed (in site-packages or under the interpreter's
    prefix), in which case its instance folder goes to ``<prefix>/var``."""
    import sysconfig

    package_path = _find_package_path(import_name.partition(".")[0])
    if _is_subpath(package_path, sysconfig.get_path("purelib")):
        return os.path.abspath(sys.prefix), package_path
    site_parent, site_folder = os.path.split(package_path)
    if site_folder.lower() == "site-packages":
        parent, folder = os.path.split(site_parent)
        if folder.lower() == "lib":
            return parent, package_path
        if os.path.basename(parent).lower() == "lib":
            return os.path.dirname(parent), package_path
        return site_parent, package_path
    return None, package_path


def _find_package_path(root_name: str) -> str:
    """The folder holding the module or package ``root_name`` (the current
    folder when it cannot be found)."""
    import importlib.util

    module = sys.modules.get(root_name)
    spec = getattr(module, "__spec__", None) if module is not None else None
    if spec is None:
        try:
            spec = importlib.util.find_spec(root_name)
        except (ImportError, ValueError):
            spec = None
    if spec is None:
        return os.getcwd()
    if spec.submodule_search_locations:
        if spec.origin in (None, "namespace"):
            return os.path.dirname(os.path.abspath(next(iter(spec.submodule_search_locations))))
        # A package: the folder that contains the package's folder.
        return os.path.dirname(os.path.dirname(os.path.abspath(spec.origin)))
    if spec.origin is None or not os.path.isabs(spec.origin):
        return os.getcwd()
    return os.path.dirname(os.path.abspath(spec.origin))


def _is_subpath(path: str, base: str) -> bool:
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(base)]) == os.path.abspath(base)
    except ValueError:
        return False


def _adopt_foreign_http_exception(e: Exception) -> HTTPException | None:
    """``e`` as the wsgikit HTTP exception of the same code when it was raised
    through the real Werkzeug, else ``None``.

    An app ported by renaming only its ``flask`` imports keeps
    ``from werkzeug.exceptions import abort`` (Flask's own tutorial does);
    Flask handles those exceptions by code, so the error handlers and the
    error page must see them here too. Werkzeug is only looked up in
    :data:`sys.modules` (the app imported it), never imported.
    """
    module = sys.modules.get("werkzeug.exceptions")
    foreign = getattr(module, "HTTPException", None)
    if foreign is None or foreign is HTTPException or not isinstance(e, foreign):
        return None
    code = getattr(e, "code", None)
    response = getattr(e, "response", None)
    kind = default_exceptions.get(code)  # type: ignore[arg-type]  # a foreign exception's code may be None: no match then
    description = getattr(e, "description", None)
    adopted = kind(description=description, response=response) if kind else HTTPException(description, response)
    if kind is None:
        adopted.code = code
    adopted.__cause__ = e
    return adopted
