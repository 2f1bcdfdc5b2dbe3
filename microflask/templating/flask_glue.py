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

import typing as t

# The application's and blueprints' side (the mixins) lives in
# microflask._app_templating, so that creating an application does not
# import the engine; re-exported here where it used to be.
from .._app_templating import _default_template_ctx_processor as _default_template_ctx_processor
from .._app_templating import _folder_loader as _folder_loader
from .._app_templating import AUTOESCAPE_EXTENSIONS as AUTOESCAPE_EXTENSIONS
from .._app_templating import TemplatingAppMixin as TemplatingAppMixin
from .._app_templating import TemplatingScaffoldMixin as TemplatingScaffoldMixin
from ..globals import _cv_request
from ..globals import current_app
from ..globals import g  # noqa: F401  (read by tests and old imports)
from ..globals import request  # noqa: F401
from ..globals import session  # noqa: F401
from ..helpers import get_flashed_messages  # noqa: F401
from ..helpers import stream_with_context
from ..signals import before_render_template
from ..signals import template_rendered
from .environment import Environment as BaseEnvironment
from .environment import Template
from .exceptions import TemplateNotFound
from .loaders import BaseLoader

if t.TYPE_CHECKING:
    from .loaders import SourceTuple


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

    @property
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
        loader: BaseLoader | None = scaffold.jinja_loader
        return loader
    except AttributeError:
        return _folder_loader(scaffold)


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
        return stream_with_context(rv)
    return rv


def render_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> str:
    """Render a template of the current application with ``context``.

    :param template_name_or_list: a template name, a template, or a list
        of them (the first that exists is used).
    :param context: the template's variables.
    :raises TemplateNotFound: (or ``TemplatesNotFound`` for a list) when
        no template matches.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method the proxy type hides
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render template ``source`` (autoescaped) with ``context``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method the proxy type hides
    return _render(app, app.jinja_env.from_string(source), context)


def stream_template(template_name_or_list: str | Template | list[str | Template], **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template` but return the output in pieces, to
    return as a streamed response; inside a request the request context
    stays available while the pieces are produced."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method the proxy type hides
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template_string` but return the output in pieces."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method the proxy type hides
    return _stream(app, app.jinja_env.from_string(source), context)


def get_template_attribute(template_name: str, attribute: str) -> t.Any:
    """A name a template exports (a macro, or a top-level variable), to use
    from Python: ``get_template_attribute("_macros.html", "hello")("World")``.

    :param template_name: the template to load.
    :param attribute: the exported name.
    """
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)
