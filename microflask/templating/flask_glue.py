"""The template engine bound to an application: what ``flask.templating`` is.

How the parts fit together:

- :class:`TemplatingAppMixin` gives the application its side of the API
  (``app.jinja_env``, ``create_jinja_environment``, the ``template_filter``
  family, ``update_template_context``...). ``Flask`` lists it among its bases;
  it uses only attributes the application already has (``config``,
  ``debug``, ``template_folder``, ``root_path``,
  ``template_context_processors``, ``ensure_sync``, ``logger``).
- :class:`Environment` is the engine's environment remembering its
  application; its loader is a :class:`DispatchingJinjaLoader` that asks the
  application's loader, then each blueprint's.
- :func:`render_template` and friends render with the current application,
  filling the context from the context processors and sending the
  ``before_render_template`` / ``template_rendered`` signals.
"""

from __future__ import annotations

import os
import typing as t
from itertools import chain

from wsgikit.utils import cached_property

from ..globals import _cv_app
from ..globals import _cv_request
from ..globals import current_app
from ..globals import g
from ..globals import request
from ..globals import session
from ..helpers import get_flashed_messages
from ..helpers import stream_with_context
from ..scaffold import setupmethod
from ..signals import before_render_template
from ..signals import template_rendered
from .environment import Environment as BaseEnvironment
from .environment import Template
from .exceptions import TemplateNotFound
from .loaders import BaseLoader
from .loaders import FileSystemLoader

if t.TYPE_CHECKING:
    from ..config import Config
    from .loaders import SourceTuple

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: File name endings rendered with autoescaping on (case-sensitive, like Flask).
AUTOESCAPE_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg")


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


class Environment(BaseEnvironment):
    """An environment that knows its application (:attr:`app`) and, unless
    a ``loader`` is given, loads through the application and its blueprints.

    ``auto_reload`` left unset follows the application live:
    ``TEMPLATES_AUTO_RELOAD`` when set, else debug mode, however and
    whenever debug was turned on. Assigning ``auto_reload`` fixes it.

    :param app: the application.
    :param options: :class:`~microflask.templating.Environment` options.
    """

    def __init__(self, app: t.Any, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        auto_reload = options.pop("auto_reload", None)
        #: The application the templates belong to.
        self.app = app
        super().__init__(**options)
        # The base class assigned its default through the property setter.
        self._auto_reload: bool | None = auto_reload

    @property  # type: ignore[override]
    def auto_reload(self) -> bool:
        """Whether a cached template is checked for a newer source on use."""
        if self._auto_reload is not None:
            return self._auto_reload
        return bool(self.app.templates_auto_reload)

    @auto_reload.setter
    def auto_reload(self, value: bool | None) -> None:
        self._auto_reload = value


def _scaffold_loader(scaffold: t.Any) -> BaseLoader | None:
    """The loader of an application or blueprint (``None`` without a
    template folder); works for objects without a ``jinja_loader`` too."""
    try:
        return scaffold.jinja_loader  # type: ignore[no-any-return]
    except AttributeError:
        return _folder_loader(scaffold)


def _folder_loader(scaffold: t.Any) -> FileSystemLoader | None:
    folder = scaffold.template_folder
    if folder is None:
        return None
    return FileSystemLoader(os.path.join(scaffold.root_path, folder))


class DispatchingJinjaLoader(BaseLoader):
    """Finds a template in the application's template folder, then in each
    blueprint's, in registration order; the first match wins.

    With ``EXPLAIN_TEMPLATE_LOADING`` every loader is tried and the attempts
    are logged (``app.logger.info``), to debug a template found in the
    wrong folder or not at all.

    :param app: the application.
    """

    def __init__(self, app: t.Any) -> None:
        #: The application whose loaders are searched.
        self.app = app

    def _iter_loaders(self) -> t.Iterator[tuple[t.Any, BaseLoader]]:
        app = self.app
        loader = _scaffold_loader(app)
        if loader is not None:
            yield app, loader
        iter_blueprints = getattr(app, "iter_blueprints", None)
        if iter_blueprints is None:
            return
        for blueprint in iter_blueprints():
            loader = _scaffold_loader(blueprint)
            if loader is not None:
                yield blueprint, loader

    def get_source(self, environment: BaseEnvironment, template: str) -> SourceTuple:
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            return self._get_source_explained(environment, template)
        for _, loader in self._iter_loaders():
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _get_source_explained(self, environment: BaseEnvironment, template: str) -> SourceTuple:
        attempts: list[tuple[t.Any, BaseLoader, SourceTuple | None]] = []
        first: SourceTuple | None = None
        for owner, loader in self._iter_loaders():
            try:
                found: SourceTuple | None = loader.get_source(environment, template)
            except TemplateNotFound:
                found = None
            if first is None:
                first = found
            attempts.append((owner, loader, found))
        self.app.logger.info(_explain_attempts(self.app, template, attempts))
        if first is None:
            raise TemplateNotFound(template)
        return first

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for _, loader in self._iter_loaders():
            names.update(loader.list_templates())
        return sorted(names)


def _describe_loader(loader: BaseLoader) -> list[str]:
    """The lines describing a loader: its class and simple public settings."""
    cls = type(loader)
    lines = [f"class: {cls.__module__}.{cls.__qualname__}"]
    for key, value in sorted(vars(loader).items()):
        if key.startswith("_"):
            continue
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
        elif isinstance(value, (str, int, float, bool)) or value is None:
            lines.append(f"{key}: {value!r}")
    return lines


def _explain_attempts(app: t.Any, template: str, attempts: list[tuple[t.Any, BaseLoader, t.Any]]) -> str:
    """The ``EXPLAIN_TEMPLATE_LOADING`` report, in Flask's wording."""
    lines = [f"Locating template {template!r}:"]
    found_count = 0
    for number, (owner, loader, found) in enumerate(attempts, 1):
        if owner is app:
            who = f"application {app.import_name!r}"
        else:
            who = f"blueprint {owner.name!r} ({owner.import_name})"
        lines.append(f"{number:5}: trying loader of {who}")
        lines.extend(f"       {line}" for line in _describe_loader(loader))
        if found is None:
            lines.append("       -> no match")
        else:
            found_count += 1
            lines.append(f"       -> found ({found[1] or '<string>'!r})")
    if found_count == 0:
        lines.append("Error: the template could not be found.")
        req_ctx = _cv_request.get(None)
        blueprint = getattr(req_ctx.request, "blueprint", None) if req_ctx is not None else None
        if blueprint is not None:
            lines.append(f"  The template was looked up from an endpoint that belongs to the blueprint {blueprint!r}.")
            lines.append("  Maybe you did not place a template in the right folder?")
            lines.append("  See https://flask.palletsprojects.com/blueprints/#templates")
    elif found_count > 1:
        lines.append("Warning: multiple loaders returned a match for the template.")
    return "\n".join(lines)


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

    #: The class of :attr:`jinja_env`.
    jinja_environment: type[Environment] = Environment
    #: Options passed to :attr:`jinja_environment`; change them before
    #: :attr:`jinja_env` is first used.
    jinja_options: dict[str, t.Any] = {}

    if t.TYPE_CHECKING:
        config: Config
        debug: bool
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


# -- rendering ------------------------------------------------------------------------


def _send(signal: t.Any, app: t.Any, template: Template, context: dict[str, t.Any]) -> None:
    # PERF: a signal nobody listens to costs one attribute check.
    if signal.receivers:
        signal.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)


def _render(app: t.Any, template: Template, context: dict[str, t.Any]) -> str:
    app.update_template_context(context)
    _send(before_render_template, app, template, context)
    rv = template.render(context)
    _send(template_rendered, app, template, context)
    return rv


def _stream(app: t.Any, template: Template, context: dict[str, t.Any]) -> t.Iterator[str]:
    app.update_template_context(context)
    _send(before_render_template, app, template, context)

    def generate() -> t.Iterator[str]:
        yield from template.generate(context)
        _send(template_rendered, app, template, context)

    rv = generate()
    if _cv_request.get(None) is not None:
        rv = stream_with_context(rv)  # type: ignore[assignment]
    return rv


def render_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> str:
    """Render a template of the current application with ``context``.

    :param template_name_or_list: a template name, a template, or a list
        of them (the first that exists is used).
    :param context: the template's variables.
    :raises TemplateNotFound: (or ``TemplatesNotFound`` for a list) when
        no template matches.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render template ``source`` (autoescaped) with ``context``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _render(app, app.jinja_env.from_string(source), context)


def stream_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template` but return the output in pieces, to
    return as a streamed response; inside a request the request context
    stays available while the pieces are produced."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template_string` but return the output in pieces."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return _stream(app, app.jinja_env.from_string(source), context)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """A name a template exports (a macro, or a top-level variable), to use
    from Python: ``get_template_attribute("_macros.html", "hello")("World")``.

    :param template_name: the template to load.
    :param attribute: the exported name.
    """
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)
