"""The ``microflask`` command line: Flask's CLI, on argparse instead of click.

``python -m microflask --app hello run`` finds the application (see
:func:`locate_app`), loads ``.env`` files, and runs a built-in command
(``run``, ``routes``, ``shell``) or one the application registered with
``@app.cli.command()``. The command framework (options, arguments, groups,
help pages, the test runner) lives in :mod:`microflask._argcli` and is
re-exported here, so ``from microflask.cli import option, argument`` is
what a command module needs.

click is not a dependency and is never imported here. When the user's code
uses click, its commands and groups run on the same program: groups store
them as given and run them through :mod:`microflask._argcli.interop`, a
function declared with click's decorators becomes a click command
(:func:`click_app_group_class` is :class:`AppGroup`'s click counterpart),
and :func:`with_appcontext` / :func:`pass_script_info` see click's context.
"""

from __future__ import annotations

import ast
import collections.abc as cabc
import functools
import importlib.util
import inspect
import os
import re
import ssl
import sys
import threading
import traceback
import typing as t
from operator import itemgetter

import wsgikit
from wsgikit.utils import import_string

from . import __version__
from ._argcli import Abort as Abort
from ._argcli import Argument as Argument
from ._argcli import BadParameter as BadParameter
from ._argcli import Choice as Choice
from ._argcli import Command as Command
from ._argcli import CommandError as CommandError
from ._argcli import Context as Context
from ._argcli import Exit as Exit
from ._argcli import Group as Group
from ._argcli import Option as Option
from ._argcli import Parameter as Parameter
from ._argcli import ParameterSource as ParameterSource
from ._argcli import ParamType as ParamType
from ._argcli import Path as Path
from ._argcli import UsageError as UsageError
from ._argcli import argument as argument
from ._argcli import command as command
from ._argcli import echo as echo
from ._argcli import get_current_context as get_current_context
from ._argcli import group as group
from ._argcli import option as option
from ._argcli import pass_context as pass_context
from ._argcli import pass_obj as pass_obj
from ._argcli.foreign import require_click
from ._clirunner import CliRunner as CliRunner
from ._clirunner import Result as Result
from ._dotenv import find_dotenv
from ._dotenv import read_dotenv
from ._envflags import get_debug_flag as get_debug_flag
from ._envflags import get_load_dotenv as get_load_dotenv
from .ctx import has_app_context
from .globals import current_app

if t.TYPE_CHECKING:
    from types import ModuleType

    from .app import Flask

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: The environment variables naming the application, in order of preference.
APP_ENVVARS = ("MICROFLASK_APP", "FLASK_APP")
#: The ``.env`` files loaded by default, lowest precedence first.
DEFAULT_DOTENV_FILES = (".flaskenv", ".microflaskenv", ".env")
_NOT_FOUND = object()


class NoAppException(UsageError):
    """The application could not be found or loaded."""


def version_text() -> str:
    """The text ``microflask --version`` prints, shaped like Flask's."""
    return f"Python {sys.version.split()[0]}\nmicroflask {__version__}\nwsgikit {wsgikit.__version__}"


def get_version(ctx: Context, param: Parameter, value: t.Any) -> None:
    """The ``--version`` option's callback: print the versions and exit."""
    if not value:
        return
    echo(version_text())
    raise Exit(0)


def _flask_class() -> type[Flask]:
    # PERF: lazy, ``flask --help`` and ``--version`` answer without loading the app machinery.
    from .app import Flask

    return Flask


# -- debug flag and .env files -------------------------------------------------


def _set_debug_env(value: bool) -> None:
    # Both names: the app core reads FLASK_DEBUG when it builds its config.
    flag = "1" if value else "0"
    os.environ["MICROFLASK_DEBUG"] = flag
    os.environ["FLASK_DEBUG"] = flag


def load_dotenv(path: str | os.PathLike[str] | None = None, load_defaults: bool = True) -> bool:
    """Load environment variables from ``.env`` files, never replacing a
    variable that is already set.

    :param path: a file loaded after the default files, whose values win
        over theirs.
    :param load_defaults: also load ``.flaskenv``, ``.microflaskenv`` and
        ``.env`` (in that order of increasing precedence), each found in the
        current directory or the nearest parent that has it.
    :return: whether any variable was read.
    """
    data: dict[str, str | None] = {}
    if load_defaults:
        for name in DEFAULT_DOTENV_FILES:
            found = find_dotenv(name)
            if found is not None:
                data.update(_read_dotenv_file(found))
    if path is not None and os.path.isfile(path):
        data.update(_read_dotenv_file(os.fspath(path)))
    for key, value in data.items():
        if key not in os.environ and value is not None:
            os.environ[key] = value
    return bool(data)


def _read_dotenv_file(path: str) -> dict[str, str | None]:
    result = read_dotenv(path)
    for line in result.errors:
        echo(f"Warning: could not parse the statement on line {line} of {path!r}; it was skipped.", err=True)
    return result.values


# -- finding the application ---------------------------------------------------


def prepare_import(path: str) -> str:
    """The module name to import for ``path`` (a file, a package folder or
    a dotted name), after putting the folder it lives in at the front of
    ``sys.path``."""
    return _prepare(path)[0]


def _prepare(path: str) -> tuple[str, str]:
    """:func:`prepare_import`, also returning the folder added to ``sys.path``."""
    path = os.path.realpath(path)
    base, ext = os.path.splitext(path)
    if ext == ".py":
        path = base
    if os.path.basename(path) == "__init__":
        path = os.path.dirname(path)
    parts = []
    # Walk up while the folder is a package, so "src/pkg/mod.py" imports
    # as "pkg.mod" with "src" on the path.
    while True:
        path, name = os.path.split(path)
        parts.append(name)
        if not os.path.exists(os.path.join(path, "__init__.py")):
            break
    if sys.path[0] != path:
        sys.path.insert(0, path)
    return ".".join(reversed(parts)), path


def _called_with_wrong_args(f: t.Callable[..., t.Any], exc: BaseException) -> bool:
    """Whether the ``TypeError`` ``exc`` came from calling ``f`` itself
    (wrong arguments) rather than from inside it."""
    tb = exc.__traceback__
    code = getattr(f, "__code__", None)
    while tb is not None:
        if tb.tb_frame.f_code is code:
            return False
        tb = tb.tb_next
    return True


def _describe(value: t.Any) -> str:
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}" if value is not None else "None"


def _tried(lines: list[str]) -> str:
    return "\nCandidates tried:\n" + "\n".join(f"  - {line}" for line in lines)


def find_best_app(module: ModuleType) -> Flask:
    """The application in ``module``: an ``app`` or ``application``
    attribute, else its only Flask instance, else what a ``create_app`` or
    ``make_app`` factory returns when called without arguments.

    :raises NoAppException: listing each candidate tried and why it was
        rejected.
    """
    flask_class = _flask_class()
    name = module.__name__
    tried = []
    for attr in ("app", "application"):
        value = getattr(module, attr, _NOT_FOUND)
        if isinstance(value, flask_class):
            return value
        tried.append(f"{attr!r}: " + ("not defined" if value is _NOT_FOUND else f"is {_describe(value)}, not a Flask application"))
    found = [key for key, value in vars(module).items() if isinstance(value, flask_class)]
    if len(found) == 1:
        only: Flask = getattr(module, found[0])
        return only
    if len(found) > 1:
        raise NoAppException(
            f"Detected multiple Flask applications in module '{name}' ({', '.join(found)})."
            f" Use '{name}:name' to specify the correct one."
        )
    tried.append("a Flask instance anywhere in the module: none found")
    for attr in ("create_app", "make_app"):
        factory = getattr(module, attr, _NOT_FOUND)
        if not inspect.isfunction(factory):
            reason = "not defined" if factory is _NOT_FOUND else f"is {_describe(factory)}, not a function"
            tried.append(f"factory {attr!r}: {reason}")
            continue
        app = _call_factory(factory, (), {}, module, attr)
        if isinstance(app, flask_class):
            return app
        tried.append(f"factory {attr!r}: returned {_describe(app)}, not a Flask application")
    raise NoAppException(
        f"Failed to find Flask application or factory in module '{name}'. Use '{name}:name' to specify one."
        + _tried(tried)
    )


def _call_factory(factory: t.Callable[..., t.Any], args: t.Any, kwargs: t.Any, module: ModuleType, expr: str) -> t.Any:
    try:
        return factory(*args, **kwargs)
    except TypeError as e:
        if not _called_with_wrong_args(factory, e):
            raise
        name = module.__name__
        if not args and not kwargs and expr.isidentifier():
            raise NoAppException(
                f"Detected factory '{expr}' in module '{name}', but could not call it without"
                f" arguments. Use '{name}:{expr}(args)' to specify arguments. ({e})"
            ) from e
        raise NoAppException(
            f"The factory {expr!r} in module {name!r} could not be called with the specified arguments. ({e})"
        ) from e


def _parse_app_expression(app_name: str) -> tuple[str, list[t.Any], dict[str, t.Any]]:
    """``"create_app('dev', debug=True)"`` -> ``("create_app", ["dev"],
    {"debug": True})``; arguments must be literals (``ast.literal_eval``:
    nothing is executed)."""
    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise NoAppException(f"Failed to parse {app_name!r} as an attribute name or function call.") from None
    if isinstance(expr, ast.Name):
        return expr.id, [], {}
    if not isinstance(expr, ast.Call):
        raise NoAppException(f"Failed to parse {app_name!r} as an attribute name or function call.")
    if not isinstance(expr.func, ast.Name):
        raise NoAppException(f"Function reference must be a simple name: {app_name!r}.")
    try:
        args = [ast.literal_eval(arg) for arg in expr.args]
        kwargs = {}
        for kw in expr.keywords:
            if kw.arg is None:
                raise ValueError("** arguments are not literals")
            kwargs[kw.arg] = ast.literal_eval(kw.value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise NoAppException(f"Failed to parse arguments as literal values: {app_name!r}.") from None
    return expr.func.id, args, kwargs


def find_app_by_string(module: ModuleType, app_name: str) -> Flask:
    """The application named by ``app_name`` in ``module``: an attribute
    (``app``) or a factory call with literal arguments
    (``create_app('dev')``)."""
    name, args, kwargs = _parse_app_expression(app_name)
    try:
        attr = getattr(module, name)
    except AttributeError as e:
        raise NoAppException(f"Failed to find attribute {name!r} in {module.__name__!r}.") from e
    if inspect.isfunction(attr):
        app = _call_factory(attr, args, kwargs, module, app_name)
    else:
        app = attr
    if isinstance(app, _flask_class()):
        return app
    raise NoAppException(
        f"A valid Flask application was not obtained from '{module.__name__}:{app_name}'"
        f" (got {_describe(app)})."
    )


def _is_module_missing(e: ImportError, module_name: str) -> bool:
    """Whether ``e`` says ``module_name`` (or a package above it) does not
    exist, as opposed to an import failing inside it."""
    missing = getattr(e, "name", None)
    return isinstance(e, ModuleNotFoundError) and bool(missing) and (
        module_name == missing or module_name.startswith(f"{missing}.")
    )


@t.overload
def locate_app(module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True) -> Flask: ...


@t.overload
def locate_app(module_name: str, app_name: str | None, raise_if_not_found: bool = ...) -> Flask | None: ...


def locate_app(module_name: str, app_name: str | None, raise_if_not_found: bool = True) -> Flask | None:
    """Import ``module_name`` and find the application in it (by
    ``app_name`` when given, see :func:`find_app_by_string`, else
    :func:`find_best_app`)."""
    try:
        __import__(module_name)
    except ImportError as e:
        if not _is_module_missing(e, module_name):
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:\n\n{traceback.format_exc()}"
            ) from None
        if raise_if_not_found:
            raise NoAppException(f"Could not import {module_name!r}.") from None
        return None
    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)


def _split_import_path(value: str) -> tuple[str, str | None]:
    """``"pkg.mod:create_app()"`` -> ``("pkg.mod", "create_app()")``; a
    Windows drive's colon (``C:\\...``) is not the separator."""
    start = 0
    while True:
        colon = value.find(":", start)
        if colon == -1:
            return value, None
        if value[colon + 1 : colon + 2] not in ("\\", "/"):
            return value[:colon], value[colon + 1 :]
        start = colon + 1


def stdlib_shadows(directory: str) -> list[str]:
    """The files and packages in ``directory`` named like a standard-library
    module (``email.py``, ``random.py``): with the folder first on
    ``sys.path``, Python imports them in place of the standard ones."""
    names: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    found = []
    for entry in sorted(entries):
        stem, ext = os.path.splitext(entry)
        if stem not in names or stem == "__main__":
            continue
        full = os.path.join(directory, entry)
        if (ext == ".py" and os.path.isfile(full)) or (not ext and os.path.isfile(os.path.join(full, "__init__.py"))):
            found.append(entry)
    return found


# -- ScriptInfo and decorators -------------------------------------------------


class ScriptInfo:
    """What the command line knows about the application: how to load it,
    and the loaded application once loaded (it is loaded once).

    :param app_import_path: ``module:name``, as given to ``--app``.
    :param create_app: a function returning the application (used instead
        of the import path).
    :param set_debug_flag: set ``app.debug`` from the debug environment
        variables after loading.
    :param load_dotenv_defaults: load the default ``.env`` files.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: t.Callable[..., Flask] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        #: Storage for commands and extensions.
        self.data: dict[t.Any, t.Any] = {}
        self.set_debug_flag = set_debug_flag
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        self._loaded_app: Flask | None = None
        self._warned: set[str] = set()

    def load_app(self) -> Flask:
        """Load (once) and return the application.

        :raises NoAppException: when it cannot be found.
        """
        if self._loaded_app is not None:
            return self._loaded_app
        if self.create_app is not None:
            app: Flask | None = self.create_app()
        elif self.app_import_path:
            path, name = _split_import_path(self.app_import_path)
            import_name, directory = _prepare(path)
            self._warn_shadows(directory)
            app = locate_app(import_name, name)
        else:
            app = self._load_default_files()
        if app is None:
            raise NoAppException("Could not locate a Flask application.")
        if self.set_debug_flag:
            app.debug = get_debug_flag()
        self._loaded_app = app
        return app

    def _load_default_files(self) -> Flask | None:
        tried = []
        for filename in ("wsgi.py", "app.py"):
            if not os.path.isfile(filename):
                tried.append(f"{filename!r}: no such file in {os.getcwd()!r}")
                continue
            import_name, directory = _prepare(filename)
            self._warn_shadows(directory)
            app = locate_app(import_name, None, raise_if_not_found=False)
            if app is not None:
                return app
            tried.append(f"{filename!r}: could not be imported")
        raise NoAppException(
            "Could not locate a Flask application. Use the 'microflask --app' option, the"
            " 'MICROFLASK_APP' (or 'FLASK_APP') environment variable, or a 'wsgi.py' or"
            " 'app.py' file in the current directory." + _tried(tried)
        )

    def _warn_shadows(self, directory: str) -> None:
        if directory in self._warned:
            return
        self._warned.add(directory)
        for entry in stdlib_shadows(directory):
            module = os.path.splitext(entry)[0]
            echo(
                f"Warning: {entry!r} in {directory!r} has the name of the standard-library module"
                f" {module!r}; one hides the other on import. Rename it.",
                err=True,
            )


def pass_script_info(f: F) -> F:
    """Pass the :class:`ScriptInfo` as the first argument."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return f(get_current_context().ensure_object(ScriptInfo), *args, **kwargs)

    wrapper.__cli_injected__ = getattr(f, "__cli_injected__", 0) + 1  # type: ignore[attr-defined]  # a marker on the function
    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the metadata; callers see f's type


def with_appcontext(f: F) -> F:
    """Run the command inside the application's context, loading the
    application first if no application context is active. Commands
    registered with ``app.cli.command()`` get this by default."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if not has_app_context():
            ctx = get_current_context()
            app = ctx.ensure_object(ScriptInfo).load_app()
            ctx.with_resource(app.app_context())
        return f(*args, **kwargs)

    return wrapper  # type: ignore[return-value]  # same arguments and result as f


class AppGroup(Group):
    """A group whose commands run in the application context (unless
    created with ``with_appcontext=False``) and whose subgroups are
    :class:`AppGroup` too. ``app.cli`` and ``blueprint.cli`` are these."""

    @t.overload
    def command(self, __func: t.Callable[..., t.Any]) -> Command: ...

    @t.overload
    def command(self, *args: t.Any, **kwargs: t.Any) -> t.Callable[[t.Callable[..., t.Any]], Command]: ...

    def command(self, *args: t.Any, **kwargs: t.Any) -> Command | t.Callable[[t.Callable[..., t.Any]], Command]:
        """Like :meth:`Group.command`; ``with_appcontext=False`` skips the
        application context."""
        if args and callable(args[0]):
            decorate: t.Callable[[t.Callable[..., t.Any]], Command] = self.command(*args[1:], **kwargs)
            return decorate(args[0])
        wrap = kwargs.pop("with_appcontext", True)

        def decorator(f: t.Callable[..., t.Any]) -> Command:
            cmd: Command = Group.command(self, *args, **kwargs)(with_appcontext(f) if wrap else f)
            return cmd

        return decorator

    @t.overload
    def group(self, __func: t.Callable[..., t.Any]) -> Group: ...

    @t.overload
    def group(self, *args: t.Any, **kwargs: t.Any) -> t.Callable[[t.Callable[..., t.Any]], Group]: ...

    def group(self, *args: t.Any, **kwargs: t.Any) -> Group | t.Callable[[t.Callable[..., t.Any]], Group]:
        """Like :meth:`Group.group`, making an :class:`AppGroup`."""
        kwargs.setdefault("cls", AppGroup)
        made: Group | t.Callable[[t.Callable[..., t.Any]], Group] = super().group(*args, **kwargs)
        return made

    @classmethod
    def click_class(cls) -> t.Any:
        """A function declared with click's decorators becomes a click group
        that behaves as this one (see :func:`click_app_group_class`)."""
        return click_app_group_class()


_click_app_group: t.Any = None
_CLICK_CLASS_LOCK = threading.Lock()


def click_app_group_class() -> t.Any:
    """The click counterpart of :class:`AppGroup` (what Flask's ``AppGroup``
    is): a ``click.Group`` whose ``command()`` runs the command in the
    application context (unless ``with_appcontext=False``) and whose
    ``group()`` makes another such group. Built on first use, so click is
    imported only by programs that use it.
    """
    global _click_app_group
    with _CLICK_CLASS_LOCK:
        if _click_app_group is None:
            _click_app_group = _make_click_app_group(require_click("A click group in the application context"))
    return _click_app_group


def _make_click_app_group(click: t.Any) -> t.Any:
    """Define :func:`click_app_group_class`'s class on ``click.Group``."""

    class ClickAppGroup(click.Group):  # type: ignore[misc]  # click is untyped here (imported on first use)
        """A click group whose commands run in the application context."""

        def command(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            if args and callable(args[0]):
                return self.command(*args[1:], **kwargs)(args[0])
            wrap = kwargs.pop("with_appcontext", True)

            def decorator(f: t.Callable[..., t.Any]) -> t.Any:
                return click.Group.command(self, *args, **kwargs)(with_appcontext(f) if wrap else f)

            return decorator

        def group(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
            kwargs.setdefault("cls", ClickAppGroup)
            return click.Group.group(self, *args, **kwargs)

    ClickAppGroup.__module__ = __name__
    return ClickAppGroup


# -- the top-level group -------------------------------------------------------


def _env_file_callback(ctx: Context, param: Parameter, value: str | None) -> str | None:
    info = ctx.ensure_object(ScriptInfo)
    if value is not None or info.load_dotenv_defaults:
        load_dotenv(value, load_defaults=info.load_dotenv_defaults)
    return value


def _set_app(ctx: Context, param: Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


def _set_debug(ctx: Context, param: Parameter, value: bool) -> bool | None:
    source = ctx.get_parameter_source(param.name)
    if source is ParameterSource.DEFAULT:
        return None
    _set_debug_env(value)
    return value


def _env_file_option() -> Option:
    return Option(
        ["-e", "--env-file"],
        type=Path(exists=True, dir_okay=False),
        help="Load environment variables from this file; they win over '.env',"
        " '.microflaskenv' and '.flaskenv', but never over variables already"
        " set in the environment.",
        is_eager=True,
        expose_value=False,
        callback=_env_file_callback,
    )


def _app_option() -> Option:
    return Option(
        ["-A", "--app"],
        metavar="IMPORT",
        help="The application or factory to load, as 'module:name'. The module is a dotted"
        " import or a file path; the name may be left out when it is 'app',"
        " 'application', 'create_app' or 'make_app', and may be 'name(args)' to call a"
        " factory with literal arguments.",
        is_eager=True,
        expose_value=False,
        callback=_set_app,
        envvar=list(APP_ENVVARS),
    )


def _debug_option() -> Option:
    return Option(["--debug/--no-debug"], help="Set debug mode.", expose_value=False, callback=_set_debug)


def _version_option() -> Option:
    return Option(
        ["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=get_version,
        help="Show the microflask version.",
    )


#: The entry-point groups whose commands ``FlaskGroup`` adds; the first wins a name.
PLUGIN_GROUPS = ("microflask.commands", "flask.commands")
_OWN_PLUGINS, _FLASK_PLUGINS = PLUGIN_GROUPS


def _flask_is_microflask() -> bool:
    """Whether ``import flask`` gives microflask (``install_as_flask()``),
    found without importing anything."""
    # The compat layer sits above the CLI (DESIGN.md's layering): a
    # deliberate upward call, so the switch has one reading in one place.
    from ._compat import switch_is_on

    module = sys.modules.get("flask")
    if module is not None:
        return getattr(module, "__name__", None) == "microflask"
    if switch_is_on():
        return True  # the environment switch of install_as_flask()
    try:
        spec = importlib.util.find_spec("flask")
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    here = os.path.dirname(os.path.abspath(__file__))
    origin = os.path.abspath(spec.origin) if spec.origin else ""
    loader_module = type(spec.loader).__module__ if spec.loader is not None else ""
    return origin.startswith(here + os.sep) or loader_module.split(".")[0] == "microflask"


def _needs_real_flask(ep: t.Any) -> bool:
    """Whether loading the plugin ``ep`` would import Flask itself: its
    distribution requires Flask and ``flask`` is not microflask."""
    dist = getattr(ep, "dist", None)
    requires = (getattr(dist, "requires", None) or []) if dist is not None else []
    for requirement in requires:
        name = re.match(r"[A-Za-z0-9._-]*", requirement).group(0)  # type: ignore[union-attr]  # the pattern matches any string (maybe empty)
        if name.lower() == "flask" and not re.search(r"\bextra\s*==", requirement):
            return not _flask_is_microflask()
    return False


def _real_flask_loaded() -> bool:
    """Whether the process imported Flask itself (not microflask standing
    in for it)."""
    module = sys.modules.get("flask")
    return module is not None and getattr(module, "__name__", None) == "flask"


def _load_plugin(ep: t.Any) -> t.Any:
    """The command an entry point names; ``None`` (with a message) when it
    is a click command and click is not installed."""
    try:
        return ep.load()
    except ImportError as e:
        if e.name != "click":
            raise
        echo(
            f"Error: the command {ep.name!r} from the {ep.group!r} plugin {ep.value!r} needs click,"
            " which is not installed (pip install click); it was skipped.",
            err=True,
        )
        return None


class FlaskGroup(AppGroup):
    """The top-level group of the ``microflask`` command: it loads ``.env``
    files, finds the application (``--app``), adds ``--debug`` and the
    built-in commands, and offers the application's own commands.

    :param add_default_commands: add ``run``, ``shell`` and ``routes``.
    :param create_app: a function returning the application (instead of
        ``--app``).
    :param add_version_option: add ``--version``.
    :param load_dotenv: load the default ``.env`` files.
    :param set_debug_flag: set ``app.debug`` from the debug variables.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: t.Callable[..., Flask] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[Parameter] = list(extra.pop("params", None) or ())
        params.extend((_env_file_option(), _app_option(), _debug_option()))
        if add_version_option:
            params.append(_version_option())
        settings = extra.setdefault("context_settings", {})
        settings.setdefault("auto_envvar_prefixes", ("MICROFLASK", "FLASK"))
        super().__init__(params=params, **extra)
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)
        self._loaded_plugin_groups: set[str] = set()
        #: Flask plugins not loaded because they would import Flask itself.
        self._skipped_plugins: dict[str, t.Any] = {}

    @classmethod
    def click_class(cls) -> t.Any:
        raise TypeError(
            "FlaskGroup is microflask's own group: declare its options with microflask.cli.option,"
            " not click's decorators (its subcommands may be click commands)."
        )

    def _load_plugin_commands(self, group: str) -> None:
        """Add the commands of the entry-point ``group`` (once); they never
        replace a command already there (the built-ins, or microflask's
        plugins for Flask's)."""
        if group in self._loaded_plugin_groups:
            return
        self._loaded_plugin_groups.add(group)
        from importlib.metadata import entry_points

        for ep in entry_points(group=group):
            if ep.name in self.commands:
                continue
            if group == _FLASK_PLUGINS and _needs_real_flask(ep):
                # Loading it would import Flask next to microflask.
                self._skipped_plugins[ep.name] = ep
                continue
            real_flask_before = _real_flask_loaded()
            command = _load_plugin(ep)
            if command is not None:
                self.add_command(command, ep.name)
            if not real_flask_before and _real_flask_loaded():
                echo(
                    f"Warning: the {group!r} plugin {ep.value!r} imported Flask itself, so its command"
                    f" {ep.name!r} will not see microflask's application. Call"
                    " microflask.install_as_flask() in the application module (or set"
                    " MICROFLASK_AS_FLASK=1) to give Flask extensions microflask.",
                    err=True,
                )

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        self._load_plugin_commands(_OWN_PLUGINS)
        rv = super().get_command(ctx, cmd_name)
        if rv is not None:
            return rv
        info = ctx.ensure_object(ScriptInfo)
        try:
            app: Flask | None = info.load_app()
            error = None
        except NoAppException as e:
            app, error = None, e
        # Flask's plugins after the application: an install_as_flask() call
        # in it then applies to the extensions they import.
        self._load_plugin_commands(_FLASK_PLUGINS)
        rv = super().get_command(ctx, cmd_name)
        if rv is not None:
            return rv
        if app is None:
            echo(f"Error: {error.format_message()}\n", err=True)  # type: ignore[union-attr]  # no app means the load raised
            rv = None
        else:
            self._push_app_context(ctx, app)
            rv = app.cli.get_command(ctx, cmd_name)
        if rv is None:
            self._explain_skipped_plugin(cmd_name)
        return rv

    def _explain_skipped_plugin(self, cmd_name: str) -> None:
        skipped = self._skipped_plugins.get(cmd_name)
        if skipped is not None:
            echo(
                f"Note: {cmd_name!r} is a command of the Flask plugin {skipped.value!r}, which needs Flask's"
                " API: call microflask.install_as_flask() in the application module (or set"
                " MICROFLASK_AS_FLASK=1) so that it runs on microflask.",
                err=True,
            )

    @staticmethod
    def _push_app_context(ctx: Context, app: Flask) -> None:
        # The app's commands, their parameters' callbacks included, then
        # run in its context without needing with_appcontext.
        if not has_app_context() or current_app._get_current_object() is not app:  # type: ignore[attr-defined]  # the proxy's own method
            ctx.with_resource(app.app_context())

    def list_commands(self, ctx: Context) -> list[str]:
        self._load_plugin_commands(_OWN_PLUGINS)
        rv = set(super().list_commands(ctx))
        info = ctx.ensure_object(ScriptInfo)
        try:
            rv.update(info.load_app().cli.list_commands(ctx))
        except NoAppException as e:
            echo(f"Error: {e.format_message()}\n", err=True)
        except Exception:
            # Still show the built-in commands: the traceback says why the
            # application's are missing.
            echo(f"{traceback.format_exc()}\n", err=True)
        self._load_plugin_commands(_FLASK_PLUGINS)
        rv.update(super().list_commands(ctx))
        return sorted(rv)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: t.Any
    ) -> Context:
        # app.run() inside the imported module must not start a second server.
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app, set_debug_flag=self.set_debug_flag, load_dotenv_defaults=self.load_dotenv
            )
        return super().make_context(info_name, args, parent=parent, **extra)


# -- run -----------------------------------------------------------------------


class CertParamType(ParamType):
    """``--cert``: a certificate file, ``adhoc``, or the import path of an
    :class:`ssl.SSLContext`."""

    name = "path"

    def __init__(self) -> None:
        self.path_type = Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        try:
            return self.path_type.convert(value, param, ctx)
        except BadParameter:
            if str(value).lower() == "adhoc":
                if not _cryptography_available():
                    raise BadParameter(
                        "Using ad-hoc certificates requires the cryptography library.", ctx, param
                    ) from None
                return "adhoc"
            obj = import_string(str(value), silent=True)
            if isinstance(obj, ssl.SSLContext):
                return obj
            raise


def _cryptography_available() -> bool:
    return importlib.util.find_spec("cryptography") is not None


def _validate_key(ctx: Context, param: Parameter, value: t.Any) -> t.Any:
    """``--key`` goes with a certificate file, and only with one."""
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    is_context = isinstance(cert, ssl.SSLContext)
    if value is not None:
        if is_adhoc:
            raise BadParameter('When "--cert" is "adhoc", "--key" is not used.', ctx, param)
        if is_context:
            raise BadParameter('When "--cert" is an SSLContext object, "--key" is not used.', ctx, param)
        if not cert:
            raise BadParameter('"--cert" must also be specified.', ctx, param)
        ctx.params["cert"] = (cert, value)
    elif cert and not (is_adhoc or is_context):
        raise BadParameter('Required when using "--cert".', ctx, param)
    return value


class SeparatedPathType(ParamType):
    """Several paths in one value, separated by :data:`os.pathsep`."""

    name = "path"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, (list, tuple)):
            return list(value)
        return [item for item in str(value).split(os.pathsep) if item]


def show_server_banner(debug: bool, app_import_path: str | None) -> None:
    """Say which application is served and whether debug mode is on (not
    again in the reloader's child process)."""
    # PERF: lazy, the server loads only for the ``run`` command.
    from wsgikit.serving import is_running_from_reloader

    if is_running_from_reloader():
        return
    if app_import_path is not None:
        echo(f" * Serving microflask app '{app_import_path}'")
    if debug is not None:
        echo(f" * Debug mode: {'on' if debug else 'off'}")


def _debugger_available() -> bool:
    try:
        return importlib.util.find_spec("wsgikit.debug") is not None
    except (ImportError, ValueError):
        return False


def _load_for_serving(info: ScriptInfo, in_reloader_child: bool) -> t.Any:
    """The application to serve. In the reloader's child a failing import
    gives an application that re-raises the error, so the reloader keeps
    watching and the fix is picked up."""
    try:
        return info.load_app()
    except Exception as e:
        if not in_reloader_child:
            raise
        traceback.print_exc()
        error = e

        def app(environ: t.Any, start_response: t.Any) -> t.Any:
            raise error from None

        return app


@command("run", short_help="Run a development server.", infer_params=False)
@option("--host", "-h", default="127.0.0.1", help="The interface to listen on.")
@option("--port", "-p", default=5000, help="The port to listen on (0 picks a free one).")
@option("--cert", type=CertParamType(), help="A certificate file for HTTPS, or 'adhoc'.", is_eager=True)
@option(
    "--key",
    type=Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The key file that goes with '--cert'.",
)
@option("--reload/--no-reload", default=None, help="Restart when a source file changes (default: in debug mode).")
@option("--debugger/--no-debugger", default=None, help="Serve the interactive debugger (default: in debug mode).")
@option("--with-threads/--without-threads", default=True, help="Handle each request in its own thread.")
@option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help=f"More files whose change restarts the server, separated by {os.pathsep!r}.",
)
@option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help=f"fnmatch patterns of files whose change does not restart the server, separated by {os.pathsep!r}.",
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: t.Any,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Serve the application with the development server.

    The development server is for working on the application, not for
    production traffic: deploy behind a production WSGI server.

    With '--debug', the reloader and the debugger are on unless turned off.
    """
    # PERF: lazy, as in show_server_banner (one import for both names).
    from wsgikit.serving import is_running_from_reloader, run_simple

    app = _load_for_serving(info, is_running_from_reloader())
    debug = get_debug_flag()
    if reload is None:
        reload = debug
    if debugger is None:
        debugger = debug
        if debugger and not _debugger_available():
            echo(" * The interactive debugger (wsgikit.debug) is not available; serving without it.", err=True)
            debugger = False
    elif debugger and not _debugger_available():
        raise UsageError("'--debugger' needs wsgikit.debug, which is not available in this installation.")
    show_server_banner(debug, info.app_import_path)
    run_simple(
        host,
        port,
        app,
        use_reloader=reload,
        use_debugger=debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


run_command.params.insert(0, _debug_option())


# -- shell ---------------------------------------------------------------------


@command("shell", short_help="Run a shell in the app context.", infer_params=False)
@with_appcontext
def shell_command() -> None:
    """Start an interactive Python console inside the application context.

    The console's namespace holds 'app', 'g' and whatever the application's
    shell context processors add; PYTHONSTARTUP runs first, as in the
    regular interpreter.
    """
    import code

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own method
    banner = f"Python {sys.version} on {sys.platform}\nApp: {app.import_name}\nInstance: {app.instance_path}"
    namespace: dict[str, t.Any] = {}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup, encoding="utf-8") as f:
            exec(compile(f.read(), startup, "exec"), namespace)
    namespace.update(app.make_shell_context())
    _enable_completion(namespace)
    code.interact(banner=banner, local=namespace)


def _enable_completion(namespace: dict[str, t.Any]) -> None:
    """Tab completion over the console's names, with the interpreter's
    usual readline setup (history), only on a real terminal."""
    hook = getattr(sys, "__interactivehook__", None)
    if hook is None or not sys.stdin.isatty():
        return
    try:
        import readline
        from rlcompleter import Completer
    except ImportError:
        return
    readline.set_completer(Completer(namespace).complete)
    hook()


# -- routes --------------------------------------------------------------------


@command("routes", short_help="Show the routes for the app.", infer_params=False)
@option(
    "--sort",
    "-s",
    type=Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help="Sort the routes by this column; 'match' is the order in which requests are matched.",
)
@option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS methods.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Show every route: its endpoint, methods and rule."""
    for line in format_routes(current_app.url_map, sort, all_methods):
        echo(line)


def format_routes(url_map: t.Any, sort: str = "endpoint", all_methods: bool = False) -> list[str]:
    """The lines of the ``routes`` table (Flask's layout): left-aligned
    columns two spaces apart, a domain column (``Host`` or ``Subdomain``)
    only when some rule has one."""
    rules = list(url_map.iter_rules())
    if not rules:
        return ["No routes were registered."]
    ignored = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = url_map.host_matching
    has_domain = any(rule.host if host_matching else rule.subdomain for rule in rules)
    rows = []
    for rule in rules:
        row = [rule.endpoint, ", ".join(sorted(set(rule.methods or ()) - ignored))]
        if has_domain:
            row.append((rule.host if host_matching else rule.subdomain) or "")
        row.append(rule.rule)
        rows.append([str(cell) for cell in row])
    headers = ["Endpoint", "Methods"]
    columns = ["endpoint", "methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
        columns.append("domain")
    headers.append("Rule")
    columns.append("rule")
    if sort in columns:
        rows.sort(key=itemgetter(columns.index(sort)))
    rows.insert(0, headers)
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    rows.insert(1, ["-" * w for w in widths])
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]


# -- the program ---------------------------------------------------------------

cli = FlaskGroup(
    name="microflask",
    help="""\
A general utility script for microflask applications.

The application to load is given by the '--app' option, the 'MICROFLASK_APP'
(or 'FLASK_APP') environment variable, or a 'wsgi.py' or 'app.py' file in the
current directory.
""",
)


class FlaskCliRunner(CliRunner):
    """Invokes an application's commands in tests: ``app.test_cli_runner()``.

    :param app: the application whose commands run.
    """

    def __init__(self, app: Flask, **kwargs: t.Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(  # type: ignore[override]  # cli is optional here (default: app.cli), as in Flask
        self, cli: Command | None = None, args: str | cabc.Sequence[str] | None = None, **kwargs: t.Any
    ) -> Result:
        """Run ``cli`` (default: ``app.cli``) with ``args``; the command
        sees this runner's application (through a :class:`ScriptInfo`)."""
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``microflask`` console script and of
    ``python -m microflask``; returns the exit code."""
    main_module = sys.modules.get("__main__")
    spec = getattr(main_module, "__spec__", None)
    prog = "python -m microflask" if spec is not None and spec.name == "microflask.__main__" else "microflask"
    return cli.run_standalone(argv, prog)


# -- click's other names ---------------------------------------------------------

#: click's exception for an error shown to the user: microflask's is
#: :class:`CommandError` (``Error: ...``, exit code 1).
ClickException = CommandError

#: Flask's ``--version`` option object, for a custom group's ``params``.
version_option = _version_option()

#: click's names that microflask's own command framework lacks (asking for one says so).
CLICK_ONLY_NAMES = frozenset(
    {
        "BadArgumentUsage", "BadOptionUsage", "CommandCollection", "DateTime", "File", "FileError",
        "FloatRange", "HelpFormatter", "IntRange", "MissingParameter", "MultiCommand", "NoSuchOption",
        "Tuple", "UNPROCESSED", "UUID", "clear", "confirm", "confirmation_option", "edit",
        "format_filename", "get_app_dir", "get_binary_stream", "get_text_stream", "getchar",
        "help_option", "launch", "make_pass_decorator", "open_file", "password_option", "pause",
        "progressbar", "prompt", "secho", "style", "unstyle", "wrap_text",
    }
)


def __getattr__(name: str) -> t.NoReturn:
    if name in CLICK_ONLY_NAMES:
        raise AttributeError(
            f"microflask.cli has no {name!r}: microflask's own command framework does not implement"
            f" click.{name} (a microflask limitation). Install click and use click.{name}; click"
            " commands run on app.cli too."
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
