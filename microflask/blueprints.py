"""Blueprints: a group of views, hooks, templates and static files that is
registered on an application (once or several times, under a URL prefix or
a subdomain) instead of being written into it.

How registration works. A blueprint changes nothing when its decorators
run: :meth:`Blueprint.route` and friends *record* a function of a
:class:`BlueprintSetupState`, and the blueprint-local hooks go into the
blueprint's own registries (keyed ``None`` for itself, like the
application's). :meth:`Blueprint.register` then, for one application and one
set of options:

1. claims the dotted name (``parent.child``) in ``app.blueprints``;
2. copies its registries into the application's, re-keyed by that dotted
   name (so the request path looks hooks up by ``request.blueprints``);
3. replays the recorded functions against a fresh setup state, which
   prefixes rules, endpoints, subdomains and defaults;
4. registers the nested blueprints with the combined prefix, subdomain
   and name prefix.

Nothing of this runs per request: the dispatch only looks registries up by
the request's blueprint names.
"""

from __future__ import annotations

import os
import typing as t
from collections import defaultdict
from datetime import timedelta
from functools import update_wrapper

from .globals import current_app
from .helpers import send_from_directory
from .scaffold import _endpoint_from_view_func
from .scaffold import _sentinel
from .scaffold import Scaffold
from .scaffold import setupmethod
from ._app_templating import TemplatingScaffoldMixin

if t.TYPE_CHECKING:
    from . import typing as ft
    from .app import Flask
    from .cli import AppGroup
    from .wrappers import Response

DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]


class BlueprintSetupState:
    """One registration of a blueprint on an application: what
    :meth:`Blueprint.record` functions receive.

    :param blueprint: the blueprint being registered.
    :param app: the application it is registered on.
    :param options: the keyword arguments of ``register_blueprint``
        (plus ``name_prefix`` for nested blueprints).
    :param first_registration: whether this blueprint object was not yet
        registered on this application.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        app: Flask,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        #: The application the blueprint is registered on.
        self.app = app
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The options given to ``register_blueprint``.
        self.options = options
        #: Whether this is the blueprint's first registration on :attr:`app`
        #: (``record_once`` functions run only then).
        self.first_registration = first_registration

        subdomain = options.get("subdomain")
        if subdomain is None:
            subdomain = blueprint.subdomain
        #: The subdomain of the blueprint's rules, or ``None``.
        self.subdomain: str | None = subdomain

        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = blueprint.url_prefix
        #: The prefix of the blueprint's rules, or ``None``.
        self.url_prefix: str | None = url_prefix

        #: The name of this registration (``name=`` or the blueprint's).
        self.name: str = options.get("name", blueprint.name)
        #: The dotted names of the parent blueprints (empty at the top).
        self.name_prefix: str = options.get("name_prefix", "")
        #: Default view arguments of every rule: the blueprint's, updated
        #: with the registration's ``url_defaults``.
        self.url_defaults: dict[str, t.Any] = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the application with this registration's prefix,
        subdomain and defaults, its endpoint named ``<prefix>.<name>.<endpoint>``."""
        url_prefix = self.url_prefix
        if url_prefix is not None:
            rule = "/".join((url_prefix.rstrip("/"), rule.lstrip("/"))) if rule else url_prefix
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = dict(defaults, **options.pop("defaults"))
        self.app.add_url_rule(
            rule,
            f"{self.name_prefix}.{self.name}.{endpoint}".lstrip("."),
            view_func,
            defaults=defaults,
            **options,
        )


class Blueprint(TemplatingScaffoldMixin, Scaffold):
    """A set of views and hooks to register on an application, possibly
    several times and under different URL prefixes or subdomains.

    :param name: the blueprint's name, the first part of its endpoints
        (``bp.index``); may not be empty or contain a dot.
    :param import_name: the blueprint's module (``__name__``); resources
        are found relative to it.
    :param static_folder: a folder of static files served at
        ``<url_prefix><static_url_path>/<filename>`` (endpoint ``<name>.static``).
    :param static_url_path: the URL of the static files (default: the
        folder's name).
    :param template_folder: a folder of templates, searched after the
        application's.
    :param url_prefix: a prefix of every rule of the blueprint.
    :param subdomain: the subdomain of every rule of the blueprint.
    :param url_defaults: default view arguments of every rule.
    :param root_path: the folder resources are relative to (default: the
        module's folder).
    :param cli_group: the name of the command group of :attr:`cli` on the
        application's CLI (default: the blueprint's name; ``None``: its
        commands are added to the application's group directly).
    :raises ValueError: for an empty name or a name with a dot.
    """

    #: Whether the blueprint has been registered (its setup is then frozen).
    _got_registered_once = False

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _sentinel,  # type: ignore[assignment]  # the sentinel means "not given", as in Flask
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if not name:
            raise ValueError("'name' may not be empty.")
        if "." in name:
            raise ValueError("'name' may not contain a dot '.' character.")
        self.name = name
        #: The prefix of the blueprint's rules.
        self.url_prefix = url_prefix
        #: The subdomain of the blueprint's rules.
        self.subdomain = subdomain
        #: The recorded setup functions, replayed at each registration.
        self.deferred_functions: list[DeferredSetupFunction] = []
        #: Default view arguments of every rule.
        self.url_values_defaults: dict[str, t.Any] = {} if url_defaults is None else url_defaults
        #: The name of the blueprint's command group (see the class).
        self.cli_group = cli_group
        # Nested blueprints with their registration options.
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    @property
    def cli(self) -> AppGroup:
        """The blueprint's command group (a :class:`~microflask.cli.AppGroup`
        named after the blueprint), added to the application's CLI on
        registration. PERF: made on first use; the CLI machinery is not
        worth importing for a blueprint without commands."""
        cached: AppGroup | None = self.__dict__.get("_cli")
        if cached is not None:
            return cached
        from .cli import AppGroup as app_group_class

        group: AppGroup = app_group_class(self.name)
        self.__dict__["_cli"] = group
        return group

    @cli.setter
    def cli(self, value: AppGroup) -> None:
        self.__dict__["_cli"] = value

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the blueprint"
                f" '{self.name}'. It has already been registered at least once, any"
                " changes will not be applied consistently.\n"
                "Make sure all imports, decorators, functions, etc. needed to set up"
                " the blueprint are done before registering it."
            )

    # -- recording -------------------------------------------------------------

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Record ``func(state)`` to run at each registration, with the
        :class:`BlueprintSetupState` of that registration."""
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Like :meth:`record`, but only the first time the blueprint is
        registered on a given application (for app-wide hooks, which must
        not be added twice)."""

        def wrapper(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(wrapper, func))

    def make_setup_state(self, app: Flask, options: dict[str, t.Any], first_registration: bool = False) -> BlueprintSetupState:
        """The :class:`BlueprintSetupState` of one registration."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest ``blueprint`` in this one: it is registered with this one,
        its prefix and subdomain appended to this one's and its endpoints
        named ``<this name>.<its name>.<endpoint>``.

        :param options: as for ``app.register_blueprint``.
        :raises ValueError: when ``blueprint`` is this blueprint.
        """
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    # -- registration ------------------------------------------------------------

    def register(self, app: Flask, options: dict[str, t.Any]) -> None:
        """Register the blueprint on ``app`` (``app.register_blueprint``
        calls this): claim its dotted name, copy its hooks into the
        application, replay the recorded functions, register the nested
        blueprints.

        :param options: ``url_prefix``, ``subdomain``, ``url_defaults``,
            ``name``, ``cli_group`` (and ``name_prefix`` from a parent).
        :raises ValueError: when the name is already registered; register
            the same blueprint again with ``name=`` to make it distinct.
        """
        name_prefix = options.get("name_prefix", "")
        self_name = options.get("name", self.name)
        name = f"{name_prefix}.{self_name}".lstrip(".")
        blueprints = app.blueprints
        if name in blueprints:
            which = "this" if blueprints[name] is self else "a different"
            where = f" '{name}'" if self_name != name else ""
            raise ValueError(
                f"The name '{self_name}' is already registered for {which} blueprint{where}."
                " Use 'name=' to provide a unique name."
            )
        first_registration = not any(bp is self for bp in blueprints.values())
        blueprints[name] = self
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_registration)

        if self.has_static_folder:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                view_func=self.send_static_file,
                endpoint="static",
            )
        self._merge_blueprint_funcs(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_cli(app, name, options)
        for blueprint, bp_options in self._blueprints:
            blueprint.register(app, _nested_options(state, blueprint, bp_options, name))

    def _merge_blueprint_funcs(self, app: Flask, name: str) -> None:
        """Copy this blueprint's registries into the application's, keyed
        by ``name`` (its own functions) or ``name.key`` (functions kept
        for a key below it)."""

        def key_for(key: str | None) -> str:
            return name if key is None else f"{name}.{key}"

        for key, spec in self.error_handler_spec.items():
            app.error_handler_spec[key_for(key)] = defaultdict(
                dict, {code: dict(handlers) for code, handlers in spec.items()}
            )
        app.view_functions.update(self.view_functions)
        for attr in (
            "before_request_funcs",
            "after_request_funcs",
            "teardown_request_funcs",
            "url_default_functions",
            "url_value_preprocessors",
            "template_context_processors",
        ):
            # Each registry holds one kind of function; this only moves them.
            registry: dict[ft.AppOrBlueprintKey, list[t.Any]] = getattr(self, attr)
            target: dict[ft.AppOrBlueprintKey, list[t.Any]] = getattr(app, attr)
            for key, funcs in registry.items():
                if funcs:
                    target[key_for(key)].extend(funcs)

    def _register_cli(self, app: Flask, name: str, options: dict[str, t.Any]) -> None:
        """Add :attr:`cli`'s commands to the application's CLI: as a group
        named ``cli_group`` (default: the blueprint's dotted name), or
        directly with ``cli_group=None``."""
        group = self.__dict__.get("_cli")
        if group is None or not group.commands:
            return
        app_cli = getattr(app, "cli", None)
        if app_cli is None:
            return
        cli_group = options.get("cli_group", self.cli_group)
        if cli_group is None:
            app_cli.commands.update(group.commands)
            return
        group.name = name if cli_group is _sentinel else cli_group
        app_cli.add_command(group)

    # -- routes ------------------------------------------------------------------

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a rule to add at registration, under the registration's
        prefix, subdomain and endpoint name (see
        :meth:`BlueprintSetupState.add_url_rule`).

        :raises ValueError: when the endpoint (or the view's name) contains
            a dot: dots separate blueprint names.
        """
        if endpoint and "." in endpoint:
            raise ValueError("'endpoint' may not contain a dot '.' character.")
        if view_func is not None and "." in getattr(view_func, "__name__", ""):
            raise ValueError("'view_func' name may not contain a dot '.' character.")
        self.record(
            lambda s: s.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )

    # -- application-wide hooks ------------------------------------------------------

    @setupmethod
    def before_app_request(self, f: ft.T_before_request) -> ft.T_before_request:
        """Like ``before_request``, for every request of the application."""
        self.record_once(lambda s: s.app.before_request_funcs.setdefault(None, []).append(f))
        return f

    @setupmethod
    def after_app_request(self, f: ft.T_after_request) -> ft.T_after_request:
        """Like ``after_request``, for every request of the application."""
        self.record_once(lambda s: s.app.after_request_funcs.setdefault(None, []).append(f))
        return f

    @setupmethod
    def teardown_app_request(self, f: ft.T_teardown) -> ft.T_teardown:
        """Like ``teardown_request``, for every request of the application."""
        self.record_once(lambda s: s.app.teardown_request_funcs.setdefault(None, []).append(f))
        return f

    @setupmethod
    def app_context_processor(self, f: ft.T_template_context_processor) -> ft.T_template_context_processor:
        """Like ``context_processor``, for every template of the application."""
        self.record_once(lambda s: s.app.template_context_processors.setdefault(None, []).append(f))
        return f

    @setupmethod
    def app_url_value_preprocessor(self, f: ft.T_url_value_preprocessor) -> ft.T_url_value_preprocessor:
        """Like ``url_value_preprocessor``, for every request of the application."""
        self.record_once(lambda s: s.app.url_value_preprocessors.setdefault(None, []).append(f))
        return f

    @setupmethod
    def app_url_defaults(self, f: ft.T_url_defaults) -> ft.T_url_defaults:
        """Like ``url_defaults``, for every URL the application builds."""
        self.record_once(lambda s: s.app.url_default_functions.setdefault(None, []).append(f))
        return f

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> t.Callable[[ft.T_error_handler], ft.T_error_handler]:
        """Like ``errorhandler``, for errors anywhere in the application."""

        def decorator(f: ft.T_error_handler) -> ft.T_error_handler:
            def register(state: BlueprintSetupState) -> None:
                state.app.errorhandler(code)(f)

            self.record_once(register)
            return f

        return decorator

    # -- application-wide template names ------------------------------------------

    @setupmethod
    def app_template_filter(self, name: str | None = None) -> t.Callable[[ft.T_template_filter], ft.T_template_filter]:
        """Decorate a function to be a template filter of the application,
        named ``name`` or after the function."""

        def decorator(f: ft.T_template_filter) -> ft.T_template_filter:
            self.add_app_template_filter(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_filter(self, f: ft.TemplateFilterCallable, name: str | None = None) -> None:
        """Register ``f`` as a template filter of the application."""
        self.record_once(lambda s: s.app.add_template_filter(f, name=name))

    @setupmethod
    def app_template_test(self, name: str | None = None) -> t.Callable[[ft.T_template_test], ft.T_template_test]:
        """Decorate a function to be a template test of the application."""

        def decorator(f: ft.T_template_test) -> ft.T_template_test:
            self.add_app_template_test(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_test(self, f: ft.TemplateTestCallable, name: str | None = None) -> None:
        """Register ``f`` as a template test of the application."""
        self.record_once(lambda s: s.app.add_template_test(f, name=name))

    @setupmethod
    def app_template_global(self, name: str | None = None) -> t.Callable[[ft.T_template_global], ft.T_template_global]:
        """Decorate a function to be a global of the application's templates."""

        def decorator(f: ft.T_template_global) -> ft.T_template_global:
            self.add_app_template_global(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_global(self, f: ft.TemplateGlobalCallable, name: str | None = None) -> None:
        """Make ``f`` a global of the application's templates."""
        self.record_once(lambda s: s.app.add_template_global(f, name=name))

    # -- resources -----------------------------------------------------------------

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The cache max age of the blueprint's static files:
        ``SEND_FILE_MAX_AGE_DEFAULT`` of the current application."""
        value: timedelta | int | None = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if value is None:
            return None
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        return value

    def send_static_file(self, filename: str) -> Response:
        """The view of the blueprint's static route: a file of its
        :attr:`static_folder`."""
        if not self.has_static_folder:
            raise RuntimeError("'static_folder' must be set to serve static_files.")
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(t.cast(str, self.static_folder), filename, max_age=max_age)

    def open_resource(self, resource: str, mode: str = "rb", encoding: str | None = "utf-8") -> t.IO[t.Any]:
        """Open a file relative to :attr:`root_path` for reading.

        :raises ValueError: for a mode other than ``"r"``, ``"rt"``, ``"rb"``.
        """
        if mode not in {"r", "rt", "rb"}:
            raise ValueError("Resources can only be opened for reading.")
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, mode)
        return open(path, mode, encoding=encoding)


def _nested_options(
    state: BlueprintSetupState, blueprint: Blueprint, options: dict[str, t.Any], name: str
) -> dict[str, t.Any]:
    """The registration options of a blueprint nested in the one ``state``
    registers: its subdomain under the parent's, its prefix after the
    parent's, its endpoints named under ``name``."""
    options = options.copy()
    subdomain = options.get("subdomain")
    if subdomain is None:
        subdomain = blueprint.subdomain
    if state.subdomain is not None and subdomain is not None:
        options["subdomain"] = f"{subdomain}.{state.subdomain}"
    elif subdomain is not None:
        options["subdomain"] = subdomain
    elif state.subdomain is not None:
        options["subdomain"] = state.subdomain

    url_prefix = options.get("url_prefix")
    if url_prefix is None:
        url_prefix = blueprint.url_prefix
    if state.url_prefix is not None and url_prefix is not None:
        options["url_prefix"] = f"{state.url_prefix.rstrip('/')}/{url_prefix.lstrip('/')}"
    elif url_prefix is not None:
        options["url_prefix"] = url_prefix
    elif state.url_prefix is not None:
        options["url_prefix"] = state.url_prefix
    options["name_prefix"] = name
    return options
