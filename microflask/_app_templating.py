"""The application's and blueprints' side of the templating API
(``app.jinja_env``, ``template_filter``, ``update_template_context``...).

PERF: kept apart from :mod:`microflask.templating.flask_glue` so that
``Flask(__name__)`` does not import the template engine: an application
that never renders a template never loads it, and one that does loads it on
its first render (or first ``app.jinja_env``). Everything that needs the
engine imports it inside the function that needs it.
"""

from __future__ import annotations

import os
import typing as t
from itertools import chain

from wsgikit.utils import cached_property

from .globals import _cv_app
from .globals import _cv_request
from .globals import g
from .globals import request
from .globals import session
from .helpers import get_flashed_messages
from .scaffold import setupmethod

if t.TYPE_CHECKING:
    from .config import Config
    from .templating.flask_glue import DispatchingJinjaLoader
    from .templating.flask_glue import Environment
    from .templating.loaders import BaseLoader
    from .templating.loaders import FileSystemLoader

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: File name endings rendered with autoescaping on (case-sensitive, like Flask).
AUTOESCAPE_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg")


class _EngineClass:
    """A class attribute naming a class of the template engine, imported
    when first read (on the class or an instance). A subclass or an
    instance assigning the attribute replaces it as usual (this is a
    non-data descriptor)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> t.Any:
        # PERF: lazy, the template engine loads on the first render, not with the app.
        from .templating import flask_glue

        return getattr(flask_glue, self.name)


def _default_template_ctx_processor() -> dict[str, t.Any]:
    """The context every render gets: ``g`` inside an application context
    and ``request`` inside a request context. (``session`` is an environment
    global, so a template reads it, and opens it, only when it uses it.)"""
    rv: dict[str, t.Any] = {}
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        rv["g"] = app_ctx.g
    req_ctx = _cv_request.get(None)
    if req_ctx is not None:
        rv["request"] = req_ctx.request
    return rv



def _folder_loader(scaffold: t.Any) -> FileSystemLoader | None:
    folder = scaffold.template_folder
    if folder is None:
        return None
    # PERF: lazy, as in _FlaskGlue.
    from .templating.loaders import FileSystemLoader

    return FileSystemLoader(os.path.join(scaffold.root_path, folder))


class TemplatingScaffoldMixin:
    """What an application and a blueprint share: :attr:`jinja_loader`."""

    template_folder: str | os.PathLike[str] | None
    root_path: str

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A :class:`~microflask.templating.FileSystemLoader` of
        :attr:`template_folder` (relative to :attr:`root_path`), or
        ``None`` without a template folder. Computed once."""
        return _folder_loader(self)


class TemplatingAppMixin(TemplatingScaffoldMixin):
    """The application's templating API. ``Flask`` puts it first among its
    bases; it relies on the application's ``config``, ``debug``,
    ``template_context_processors``, ``ensure_sync``, ``url_for``,
    ``json``, ``logger`` and ``iter_blueprints``."""

    #: The class of :attr:`jinja_env` (:class:`microflask.templating.flask_glue.Environment`;
    #: the engine is imported when this is first read).
    jinja_environment: type[Environment] = _EngineClass("Environment")  # type: ignore[assignment]  # a descriptor that gives the engine's class on first read
    #: Options passed to :attr:`jinja_environment`; change them before
    #: :attr:`jinja_env` is first used.
    jinja_options: dict[str, t.Any] = {}

    if t.TYPE_CHECKING:
        config: Config

        @property
        def debug(self) -> bool: ...
        template_context_processors: t.Any
        ensure_sync: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]
        url_for: t.Callable[..., str]
        json: t.Any
        logger: t.Any
        import_name: str

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_context_processors[None].insert(0, _default_template_ctx_processor)

    @cached_property
    def jinja_env(self) -> Environment:
        """The template environment, made by :meth:`create_jinja_environment`
        on first use."""
        return self.create_jinja_environment()

    @property
    def templates_auto_reload(self) -> bool:
        """``TEMPLATES_AUTO_RELOAD``, or debug mode when that is ``None``:
        whether changed template files are reloaded."""
        value = self.config["TEMPLATES_AUTO_RELOAD"]
        return bool(self.debug) if value is None else bool(value)

    @templates_auto_reload.setter
    def templates_auto_reload(self, value: bool) -> None:
        self.config["TEMPLATES_AUTO_RELOAD"] = value

    def create_jinja_environment(self) -> Environment:
        """Build the environment from :attr:`jinja_options`: autoescaping
        by :meth:`select_jinja_autoescape`, the globals ``url_for``,
        ``get_flashed_messages``, ``config``, ``request``, ``session``,
        ``g``, and ``tojson`` through the application's JSON provider."""
        options = dict(self.jinja_options)
        options.setdefault("autoescape", self.select_jinja_autoescape)
        env = self.jinja_environment(self, **options)
        env.globals.update(
            url_for=self.url_for,
            get_flashed_messages=get_flashed_messages,
            config=self.config,
            request=request,
            session=session,
            g=g,
        )
        env.policies["json.dumps_function"] = self.json.dumps
        return env

    def create_global_jinja_loader(self) -> DispatchingJinjaLoader:
        """The loader of :attr:`jinja_env`: the application's templates,
        then the blueprints'."""
        # PERF: lazy, as in _FlaskGlue.
        from .templating.flask_glue import DispatchingJinjaLoader

        return DispatchingJinjaLoader(self)

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether a template is autoescaped: strings (no file name) and
        ``.html``, ``.htm``, ``.xml``, ``.xhtml``, ``.svg`` files are."""
        if filename is None:
            return True
        return filename.endswith(AUTOESCAPE_EXTENSIONS)

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the context processors' values to ``context``: the
        application's, then those of the request's blueprints, outermost
        first. Values passed to the render call win."""
        processors = self.template_context_processors
        names: t.Iterable[str | None] = (None,)
        req_ctx = _cv_request.get(None)
        if req_ctx is not None and len(processors) > 1:
            names = chain(names, reversed(req_ctx.request.blueprints))
        original = context.copy()
        for name in names:
            # PERF: ``.get``: the registry is a defaultdict; indexing would
            # add an empty entry for every blueprint without processors.
            for func in processors.get(name, ()):
                context.update(self.ensure_sync(func)())
        context.update(original)

    @setupmethod
    def template_filter(self, name: str | t.Callable[..., t.Any] | None = None) -> t.Any:
        """Decorate a function to be a template filter, named ``name`` or
        after the function (``@app.template_filter()`` or ``@app.template_filter``)."""
        return self._template_decorator(self.add_template_filter, name)

    @setupmethod
    def add_template_filter(self, f: t.Callable[..., t.Any], name: str | None = None) -> None:
        """Register ``f`` as the template filter ``name`` (default: its name)."""
        self.jinja_env.filters[name or f.__name__] = f

    @setupmethod
    def template_test(self, name: str | t.Callable[..., bool] | None = None) -> t.Any:
        """Decorate a function to be a template test (``{% if x is name %}``)."""
        return self._template_decorator(self.add_template_test, name)

    @setupmethod
    def add_template_test(self, f: t.Callable[..., bool], name: str | None = None) -> None:
        """Register ``f`` as the template test ``name`` (default: its name)."""
        self.jinja_env.tests[name or f.__name__] = f

    @setupmethod
    def template_global(self, name: str | t.Callable[..., t.Any] | None = None) -> t.Any:
        """Decorate a function to be available in every template."""
        return self._template_decorator(self.add_template_global, name)

    @setupmethod
    def add_template_global(self, f: t.Callable[..., t.Any], name: str | None = None) -> None:
        """Make ``f`` available in every template as ``name`` (default: its name)."""
        self.jinja_env.globals[name or f.__name__] = f

    @staticmethod
    def _template_decorator(register: t.Callable[..., None], name: t.Any) -> t.Any:
        if callable(name):  # used without parentheses
            register(name)
            return name

        def decorator(f: F) -> F:
            register(f, name=name)
            return f

        return decorator
