"""A small click-like command framework on :mod:`argparse`.

Theory of operation: a :class:`Command` owns :class:`Parameter` objects
(:class:`Option` and :class:`Argument`), declared with the :func:`option` and
:func:`argument` decorators or inferred from the callback's signature
(positional parameters become arguments, parameters with defaults become
``--options``, type hints choose the conversion). Running a command builds
a :class:`Context`: the command's tokens are parsed by an
:class:`argparse.ArgumentParser` that only splits them (every value stays a
string), then each parameter takes its value from the command line, an
environment variable or its default, converts it and runs its callback,
eager parameters first. Errors become :class:`UsageError` with click's
wording and exit code 2. A :class:`Group` takes its own options up to the
first plain word, which names the subcommand; the rest of the tokens go to
that command in a child context. Help pages are laid out like click's.
"""

from __future__ import annotations

import argparse
import collections.abc as cabc
import contextlib
import contextvars
import enum
import functools
import inspect
import os
import pathlib
import shutil
import sys
import textwrap
import threading
import types
import typing as t

__all__ = [
    "Abort",
    "Argument",
    "BadParameter",
    "BOOL",
    "Choice",
    "Command",
    "CommandError",
    "Context",
    "Exit",
    "FLOAT",
    "Group",
    "INT",
    "Option",
    "Parameter",
    "ParameterSource",
    "ParamType",
    "Path",
    "STRING",
    "UsageError",
    "argument",
    "command",
    "echo",
    "get_current_context",
    "group",
    "option",
    "pass_context",
    "pass_obj",
]

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _Missing(enum.Enum):
    MISSING = enum.auto()


class ParameterSource(enum.Enum):
    """Where a parameter's value came from."""

    #: Given on the command line.
    COMMANDLINE = enum.auto()
    #: Read from an environment variable.
    ENVIRONMENT = enum.auto()
    #: The parameter's default.
    DEFAULT = enum.auto()
    #: Passed by :meth:`Context.invoke`.
    CALLER = enum.auto()


#: "No value": distinct from ``None``, which is a valid default.
MISSING = _Missing.MISSING

#: The help page's width, as click computes it (terminal width, at most 80).
_HELP_WIDTH = max(min(shutil.get_terminal_size((80, 24)).columns, 80) - 2, 50)


# -- errors --------------------------------------------------------------------


class CommandError(Exception):
    """An error a command reports to its user: the message is printed as
    ``Error: ...`` and the program exits with :attr:`exit_code`."""

    #: The process exit code.
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        #: The text shown after ``Error:``.
        self.message = message

    def format_message(self) -> str:
        """The message shown to the user."""
        return self.message

    def show(self, file: t.IO[str] | None = None) -> None:
        """Print the error (to stderr by default)."""
        echo(f"Error: {self.format_message()}", err=file is None, file=file)


class UsageError(CommandError):
    """The command line was wrong: the usage line is printed before the
    error and the exit code is 2."""

    exit_code = 2

    def __init__(self, message: str, ctx: Context | None = None) -> None:
        super().__init__(message)
        #: The context of the command whose usage is shown.
        self.ctx = ctx if ctx is not None else get_current_context(silent=True)

    def show(self, file: t.IO[str] | None = None) -> None:
        ctx = self.ctx
        lines = []
        if ctx is not None:
            lines.append(ctx.get_usage())
            lines.append(f"Try '{ctx.command_path} --help' for help.\n")
        lines.append(f"Error: {self.format_message()}")
        echo("\n".join(lines), err=file is None, file=file)


class BadParameter(UsageError):
    """A parameter's value is invalid: ``Invalid value for '--name': ...``."""

    def __init__(
        self,
        message: str,
        ctx: Context | None = None,
        param: Parameter | None = None,
        param_hint: str | None = None,
    ) -> None:
        super().__init__(message, ctx)
        self.param = param
        self.param_hint = param_hint

    def format_message(self) -> str:
        hint = self.param_hint
        if hint is None and self.param is not None:
            hint = self.param.get_error_hint()
        if hint is None:
            return f"Invalid value: {self.message}"
        return f"Invalid value for {hint}: {self.message}"


class Abort(RuntimeError):
    """Stop the program: ``Aborted!`` and exit code 1."""


class Exit(RuntimeError):
    """Stop the program quietly with an exit code."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


def echo(message: t.Any = None, file: t.IO[str] | None = None, nl: bool = True, err: bool = False) -> None:
    """Print ``message`` to stdout (``err=True``: stderr) and flush, the
    way command output should be written. Bytes are written to the
    stream's binary buffer when it has one."""
    if file is None:
        file = sys.stderr if err else sys.stdout
    if file is None:  # pythonw: no console at all
        return
    if isinstance(message, (bytes, bytearray)):
        buffer = getattr(file, "buffer", None)
        if buffer is not None:
            file.flush()
            buffer.write(bytes(message) + (b"\n" if nl else b""))
            buffer.flush()
            return
        message = bytes(message).decode("utf-8", "replace")
    text = "" if message is None else str(message)
    file.write(text + "\n" if nl else text)
    file.flush()


# -- parameter types -----------------------------------------------------------


class ParamType:
    """Converts a command-line string into a Python value."""

    #: The name shown in help (upper-cased as the metavar) and errors.
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        """Convert ``value``; raise :class:`BadParameter` when it is invalid."""
        return value

    def get_metavar(self) -> str:
        return self.name.upper()

    def fail(self, message: str, param: Parameter | None, ctx: Context | None) -> t.NoReturn:
        raise BadParameter(message, ctx, param)


class _StringType(ParamType):
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return value if isinstance(value, str) else str(value)


class _NumberType(ParamType):
    def __init__(self, func: t.Callable[[str], t.Any], name: str, article: str) -> None:
        self.func = func
        self.name = name
        self.article = article

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, self.func):
            return value
        try:
            return self.func(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"{value!r} is not {self.article} {self.name}.", param, ctx)


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", ""})


class _BoolType(ParamType):
    name = "boolean"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        recognized = ", ".join(sorted(_TRUE | _FALSE))
        self.fail(f"{value!r} is not a valid boolean. Recognized values: {recognized}", param, ctx)


class Choice(ParamType):
    """One of a fixed set of strings.

    :param choices: the accepted values.
    :param case_sensitive: compare case-sensitively (default).
    """

    name = "choice"

    def __init__(self, choices: cabc.Sequence[str], case_sensitive: bool = True) -> None:
        self.choices = tuple(choices)
        self.case_sensitive = case_sensitive

    def get_metavar(self) -> str:
        return f"[{'|'.join(self.choices)}]"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if value in self.choices:
            return value
        if not self.case_sensitive:
            for choice in self.choices:
                if choice.casefold() == str(value).casefold():
                    return choice
        listed = ", ".join(repr(c) for c in self.choices)
        self.fail(f"{value!r} is not one of {listed}.", param, ctx)


class Path(ParamType):
    """A file-system path, optionally checked.

    :param exists: the path must exist.
    :param file_okay: a file is accepted.
    :param dir_okay: a directory is accepted.
    :param path_type: the returned type (``str`` by default, or
        :class:`pathlib.Path`).
    """

    def __init__(
        self,
        exists: bool = False,
        file_okay: bool = True,
        dir_okay: bool = True,
        path_type: type[t.Any] | None = None,
    ) -> None:
        self.exists = exists
        self.file_okay = file_okay
        self.dir_okay = dir_okay
        self.path_type = path_type
        self.name = "file" if not dir_okay and file_okay else "directory" if not file_okay else "path"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        text = os.fspath(value)
        kind = self.name.capitalize()
        if self.exists or not (self.file_okay and self.dir_okay):
            if not os.path.exists(text):
                if self.exists:
                    self.fail(f"{kind} {text!r} does not exist.", param, ctx)
            elif not self.file_okay and not os.path.isdir(text):
                self.fail(f"{kind} {text!r} is a file.", param, ctx)
            elif not self.dir_okay and os.path.isdir(text):
                self.fail(f"{kind} {text!r} is a directory.", param, ctx)
        return text if self.path_type is None else self.path_type(text)


class _FuncType(ParamType):
    """Any one-argument callable used as a type (``ValueError`` -> usage error)."""

    def __init__(self, func: t.Callable[[str], t.Any]) -> None:
        self.func = func
        self.name = getattr(func, "__name__", "value")

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        try:
            return self.func(value)
        except (TypeError, ValueError) as e:
            self.fail(str(e) or f"{value!r} is not a valid {self.name}.", param, ctx)


STRING = _StringType()
INT = _NumberType(int, "integer", "a valid")
FLOAT = _NumberType(float, "float", "a valid")
BOOL = _BoolType()
_BY_PYTHON_TYPE: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}


def convert_type(ty: t.Any, default: t.Any = MISSING) -> ParamType:
    """The :class:`ParamType` for ``ty`` (a ParamType, a Python type or a
    callable); without one, guessed from the default's type."""
    if isinstance(ty, ParamType):
        return ty
    if ty is None:
        if default is MISSING or default is None:
            return STRING
        if isinstance(default, (list, tuple)):
            return convert_type(None, default[0]) if default else STRING
        ty = type(default)
    found = _BY_PYTHON_TYPE.get(ty)
    if found is not None:
        return found
    if isinstance(ty, type) and issubclass(ty, os.PathLike):
        return Path(path_type=ty)
    if callable(ty):
        return _FuncType(ty)
    raise TypeError(f"Cannot use {ty!r} as a parameter type.")


# -- parameters ----------------------------------------------------------------


class Parameter:
    """What options and arguments share: a name, a type, a default, where
    the value comes from and how it is checked."""

    #: ``"option"`` or ``"argument"``.
    param_type_name = "parameter"

    def __init__(
        self,
        name: str,
        type: t.Any = None,
        required: bool = False,
        default: t.Any = MISSING,
        callback: t.Callable[[Context, Parameter, t.Any], t.Any] | None = None,
        nargs: int = 1,
        multiple: bool = False,
        metavar: str | None = None,
        expose_value: bool = True,
        is_eager: bool = False,
        envvar: str | cabc.Sequence[str] | None = None,
    ) -> None:
        #: The Python name the value is passed as.
        self.name = name
        self.type = convert_type(type, default)
        self.required = required
        self.default = default
        self.callback = callback
        self.nargs = nargs
        self.multiple = multiple
        self.metavar = metavar
        self.expose_value = expose_value
        self.is_eager = is_eager
        self.envvar = envvar

    @property
    def takes_many(self) -> bool:
        return self.multiple or self.nargs == -1

    def get_error_hint(self) -> str:
        raise NotImplementedError

    def envvar_names(self, ctx: Context) -> list[str]:
        """The environment variables read when the command line has no value."""
        return [self.envvar] if isinstance(self.envvar, str) else list(self.envvar or ())

    def value_from_envvar(self, ctx: Context) -> str | None:
        for name in self.envvar_names(ctx):
            value = os.environ.get(name)
            if value:
                return value
        return None

    def process(self, ctx: Context, raw: t.Any) -> t.Any:
        """The parameter's final value from the parsed ``raw`` value
        (``MISSING`` when not given on the command line); records where
        it came from in the context."""
        source = ParameterSource.COMMANDLINE
        if raw is MISSING:
            source = ParameterSource.ENVIRONMENT
            raw = self.value_from_envvar(ctx)
            if raw is not None and self.takes_many:
                raw = raw.split()
            if raw is None:
                source = ParameterSource.DEFAULT
                raw = self.default() if callable(self.default) else self.default
        ctx.set_parameter_source(self.name, source)
        if raw is MISSING or raw is None or (self.takes_many and self.required and not raw):
            if self.required:
                raise self.missing_error(ctx)
            value: t.Any = () if self.takes_many else None
        elif self.takes_many:
            value = tuple(self.type.convert(item, self, ctx) for item in raw)
        else:
            value = self.type.convert(raw, self, ctx)
        if self.callback is not None:
            value = self.callback(ctx, self, value)
        return value

    def missing_error(self, ctx: Context) -> UsageError:
        raise NotImplementedError


class Option(Parameter):
    """A ``--name value`` option, or a ``--flag`` / ``--flag/--no-flag``.

    :param param_decls: the option strings (``"--count", "-c"``), an
        on/off pair (``"--reload/--no-reload"``) and optionally a bare
        Python name.
    :param is_flag: a flag taking no value (implied by an on/off pair or
        a boolean default).
    :param flag_value: the value of a given flag (default ``True``).
    :param help: the help text.
    :param hidden: left out of the help page.
    :param show_default: mention the default in the help.
    """

    param_type_name = "option"

    def __init__(
        self,
        param_decls: cabc.Sequence[str],
        is_flag: bool | None = None,
        flag_value: t.Any = True,
        help: str | None = None,
        hidden: bool = False,
        show_default: bool = False,
        **attrs: t.Any,
    ) -> None:
        name, opts, secondary = _parse_option_decls(param_decls)
        if is_flag is None:
            is_flag = bool(secondary)
        if is_flag and "default" not in attrs:
            attrs["default"] = False if secondary or flag_value is True else None
        if is_flag:
            attrs.setdefault("type", BOOL if isinstance(flag_value, bool) else None)
        super().__init__(name, **attrs)
        #: The option strings that set the value.
        self.opts = opts
        #: The ``--no-...`` strings of an on/off pair.
        self.secondary_opts = secondary
        self.is_flag = is_flag
        self.flag_value = flag_value
        self.help = help
        self.hidden = hidden
        self.show_default = show_default

    def get_error_hint(self) -> str:
        return " / ".join(repr(o) for o in self.opts)

    def envvar_names(self, ctx: Context) -> list[str]:
        names = super().envvar_names(ctx)
        if self.envvar is None:
            names.extend(f"{prefix}_{self.name.upper()}" for prefix in ctx.auto_envvar_prefixes)
        return names

    def missing_error(self, ctx: Context) -> UsageError:
        return UsageError(f"Missing option {self.get_error_hint()}.", ctx)

    def help_record(self) -> tuple[str, str]:
        # Short options first, as help pages usually list them.
        names = ", ".join(sorted(self.opts, key=lambda o: o.startswith("--")))
        if self.secondary_opts:
            names += " / " + ", ".join(self.secondary_opts)
        if not self.is_flag:
            names += " " + (self.metavar or self.type.get_metavar())
        extras = []
        if self.show_default and self.default not in (MISSING, None):
            default = self.default
            if isinstance(default, (list, tuple)):
                default = ", ".join(map(str, default))
            extras.append(f"default: {default}")
        if self.required:
            extras.append("required")
        text = self.help or ""
        if extras:
            text = f"{text}  [{'; '.join(extras)}]" if text else f"[{'; '.join(extras)}]"
        return names, text


class Argument(Parameter):
    """A positional argument; ``nargs=-1`` takes all that remain.

    :param param_decls: the Python name.
    """

    param_type_name = "argument"

    def __init__(self, param_decls: cabc.Sequence[str], required: bool | None = None, **attrs: t.Any) -> None:
        if len(param_decls) != 1:
            raise TypeError(f"Arguments take exactly one name, got {len(param_decls)}: {param_decls!r}.")
        name = param_decls[0].replace("-", "_").lower()
        if required is None:
            required = attrs.get("default", MISSING) is MISSING and attrs.get("nargs", 1) != -1
        super().__init__(name, required=required, **attrs)
        self.nargs = attrs.get("nargs", 1)

    def human_name(self) -> str:
        return self.metavar or self.name.upper()

    def get_error_hint(self) -> str:
        return repr(self.human_name())

    def missing_error(self, ctx: Context) -> UsageError:
        return UsageError(f"Missing argument {self.get_error_hint()}.", ctx)

    def usage_piece(self) -> str:
        name = self.human_name()
        if not self.required:
            name = f"[{name}]"
        return f"{name}..." if self.nargs == -1 else name


def _parse_option_decls(decls: cabc.Sequence[str]) -> tuple[str, list[str], list[str]]:
    """``("--dry-run/--no-dry-run", "-n")`` -> ``("dry_run", ["--dry-run",
    "-n"], ["--no-dry-run"])``: the Python name, the option strings and the
    off switches."""
    name = None
    opts: list[str] = []
    secondary: list[str] = []
    for decl in decls:
        if decl.isidentifier():
            name = decl
            continue
        first, slash, second = decl.partition("/")
        for piece in (first, second) if slash else (first,):
            if not piece.startswith("-") or piece.strip("-") == "":
                raise TypeError(f"Invalid option declaration {decl!r}: option strings start with '-'.")
        opts.append(first.strip())
        if slash:
            secondary.append(second.strip())
    if not opts:
        raise TypeError(f"No option strings in {decls!r}.")
    if name is None:
        longest = max(opts, key=lambda o: (o.startswith("--"), len(o)))
        name = longest.lstrip("-").replace("-", "_").lower()
    return name, opts, secondary


# -- declaring parameters ------------------------------------------------------


def _attach(f: t.Any, param: Parameter) -> None:
    if isinstance(f, Command):
        f.params.append(param)
    else:
        if not hasattr(f, "__cli_params__"):
            f.__cli_params__ = []
        f.__cli_params__.append(param)


def option(*param_decls: str, cls: type[Option] | None = None, **attrs: t.Any) -> t.Callable[[F], F]:
    """Declare an option on a command function, e.g.
    ``@option("--count", "-c", type=int, default=1, help="How many.")``.
    The other keywords are those of :class:`Option`."""

    def decorator(f: F) -> F:
        _attach(f, (cls or Option)(param_decls, **attrs))
        return f

    return decorator


def argument(*param_decls: str, cls: type[Argument] | None = None, **attrs: t.Any) -> t.Callable[[F], F]:
    """Declare a positional argument on a command function, e.g.
    ``@argument("paths", nargs=-1, type=pathlib.Path)``."""

    def decorator(f: F) -> F:
        _attach(f, (cls or Argument)(param_decls, **attrs))
        return f

    return decorator


def _unwrap_optional(hint: t.Any) -> t.Any:
    """``X | None`` / ``Optional[X]`` -> ``X``."""
    origin = t.get_origin(hint)
    union_types: tuple[t.Any, ...] = (t.Union,)
    if hasattr(types, "UnionType"):
        union_types += (types.UnionType,)
    if origin in union_types:
        members = [a for a in t.get_args(hint) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return hint


def _hint_to_type(hint: t.Any) -> tuple[t.Any, bool]:
    """A type hint -> ``(element type, is a list)``."""
    hint = _unwrap_optional(hint)
    origin = t.get_origin(hint)
    if origin in (list, tuple, set, frozenset, cabc.Sequence, cabc.Iterable):
        args = [a for a in t.get_args(hint) if a is not Ellipsis]
        return (args[0] if args else str), True
    if hint in (list, tuple):
        return str, True
    if hint is inspect.Parameter.empty or hint is t.Any:
        return None, False
    return hint, False


def _type_hints(func: t.Callable[..., t.Any]) -> dict[str, t.Any]:
    target = inspect.unwrap(func)
    try:
        return t.get_type_hints(target)
    except Exception:
        # Unresolvable string annotations: use only those already objects.
        raw = getattr(target, "__annotations__", {})
        return {k: v for k, v in raw.items() if not isinstance(v, str)}


def infer_params(func: t.Callable[..., t.Any], declared: cabc.Iterable[str], skip: int = 0) -> list[Parameter]:
    """Parameters for the function's signature parameters that no decorator
    declared: positional ones without a default become arguments (``*args``
    one taking all the rest), those with a default become options.

    :param skip: leading parameters filled by decorators (the context...).
    """
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    hints = _type_hints(func)
    declared = set(declared)
    params: list[Parameter] = []
    for index, p in enumerate(sig.parameters.values()):
        if index < skip or p.name in declared or p.kind is p.VAR_KEYWORD:
            continue
        ty, many = _hint_to_type(hints.get(p.name, inspect.Parameter.empty))
        if p.kind is p.VAR_POSITIONAL:
            params.append(Argument([p.name], nargs=-1, type=ty))
        elif p.default is p.empty and p.kind is not p.KEYWORD_ONLY:
            params.append(Argument([p.name], nargs=-1 if many else 1, type=ty, required=True))
        else:
            params.append(_option_for(p, ty, many))
    return params


def _option_for(p: inspect.Parameter, ty: t.Any, many: bool) -> Option:
    flag = "--" + p.name.replace("_", "-").lower()
    required = p.default is p.empty
    default = MISSING if required else p.default
    if ty is bool or (ty is None and isinstance(default, bool)):
        return Option([f"{flag}/--no-{flag[2:]}", p.name], default=bool(default) if not required else False)
    show = default not in (MISSING, None, (), [], "")
    if many:
        default = tuple(default) if isinstance(default, (list, tuple)) else default
        return Option([flag, p.name], type=ty, multiple=True, default=default, required=required, show_default=show)
    return Option([flag, p.name], type=ty, default=default, required=required, show_default=show)


# -- context -------------------------------------------------------------------

_current_context: contextvars.ContextVar[Context] = contextvars.ContextVar("microflask_cli_context")


def get_current_context(silent: bool = False) -> t.Any:
    """The :class:`Context` of the command being run.

    :param silent: return ``None`` instead of raising outside a command.
    """
    try:
        return _current_context.get()
    except LookupError:
        if silent:
            return None
        raise RuntimeError("There is no active command context.") from None


class Context:
    """The state of one command invocation: its parameters, its parent
    (the group that dispatched it), a shared :attr:`obj` and resources
    closed when the command ends.

    :param command: the command being run.
    :param parent: the group's context.
    :param info_name: the name the command was called by.
    :param obj: a user object shared with subcommands (inherited).
    """

    def __init__(
        self,
        command: Command,
        parent: Context | None = None,
        info_name: str | None = None,
        obj: t.Any = None,
        auto_envvar_prefixes: cabc.Sequence[str] | None = None,
    ) -> None:
        self.command = command
        self.parent = parent
        self.info_name = info_name
        #: The shared user object (``ScriptInfo`` in microflask).
        self.obj = obj if obj is not None else (parent.obj if parent is not None else None)
        #: Parameter name -> processed value.
        self.params: dict[str, t.Any] = {}
        #: The tokens left for a group's subcommand.
        self.args: list[str] = []
        #: Which parameters were given by the caller (:meth:`invoke`).
        self.explicit: set[str] = set()
        self._sources: dict[str, ParameterSource] = {}
        #: Options without an explicit ``envvar`` read ``PREFIX_NAME``
        #: (the subcommand's name is appended to a parent's prefixes).
        self.auto_envvar_prefixes: tuple[str, ...] = tuple(auto_envvar_prefixes or ())
        if parent is not None and not self.auto_envvar_prefixes and info_name:
            suffix = info_name.upper().replace("-", "_")
            self.auto_envvar_prefixes = tuple(f"{p}_{suffix}" for p in parent.auto_envvar_prefixes)
        self._exit_stack = contextlib.ExitStack()
        self._depth = 0
        self._tokens: list[contextvars.Token[Context]] = []

    @property
    def command_path(self) -> str:
        """The words that invoke this command, e.g. ``microflask routes``."""
        name = self.info_name or ""
        if self.parent is not None:
            return f"{self.parent.command_path} {name}".strip()
        return name

    def __enter__(self) -> Context:
        self._depth += 1
        self._tokens.append(_current_context.set(self))
        return self

    def __exit__(self, *exc: t.Any) -> None:
        self._depth -= 1
        _current_context.reset(self._tokens.pop())
        if self._depth == 0:
            self.close()

    def close(self) -> None:
        """Exit every resource entered with :meth:`with_resource`."""
        self._exit_stack.close()

    def with_resource(self, cm: t.ContextManager[t.Any]) -> t.Any:
        """Enter ``cm`` now and exit it when the context closes."""
        return self._exit_stack.enter_context(cm)

    def call_on_close(self, f: F) -> F:
        """Call ``f()`` when the context closes."""
        self._exit_stack.callback(f)
        return f

    def get_parameter_source(self, name: str) -> ParameterSource | None:
        """Where the value of parameter ``name`` came from."""
        return self._sources.get(name)

    def set_parameter_source(self, name: str, source: ParameterSource) -> None:
        self._sources[name] = source

    def find_root(self) -> Context:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def find_object(self, object_type: type[t.Any]) -> t.Any:
        """The nearest :attr:`obj` (here or in a parent) of ``object_type``."""
        node: Context | None = self
        while node is not None:
            if isinstance(node.obj, object_type):
                return node.obj
            node = node.parent
        return None

    def ensure_object(self, object_type: type[t.Any]) -> t.Any:
        """:meth:`find_object`, creating and storing one when there is none."""
        rv = self.find_object(object_type)
        if rv is None:
            self.obj = rv = object_type()
        return rv

    def invoke(self, callback: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Call ``callback`` (a function or a :class:`Command`) with this
        context current."""
        if isinstance(callback, Command):
            sub = callback.make_context(callback.name or "", [], parent=self, defaults=kwargs)
            with sub:
                return callback.invoke(sub)
        with self:
            return callback(*args, **kwargs)

    def get_usage(self) -> str:
        return self.command.get_usage(self)

    def get_help(self) -> str:
        return self.command.get_help(self)

    def exit(self, code: int = 0) -> t.NoReturn:
        raise Exit(code)

    def fail(self, message: str) -> t.NoReturn:
        raise UsageError(message, self)

    def abort(self) -> t.NoReturn:
        raise Abort()


def pass_context(f: F) -> F:
    """Pass the current :class:`Context` as the first argument."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return f(get_current_context(), *args, **kwargs)

    wrapper.__cli_injected__ = getattr(f, "__cli_injected__", 0) + 1  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def pass_obj(f: F) -> F:
    """Pass the context's :attr:`~Context.obj` as the first argument."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return f(get_current_context().obj, *args, **kwargs)

    wrapper.__cli_injected__ = getattr(f, "__cli_injected__", 0) + 1  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# -- parsing -------------------------------------------------------------------


_INTERMIXED_LOCK = threading.Lock()


class _Parser(argparse.ArgumentParser):
    """An argparse parser that raises :class:`UsageError` in click's words
    instead of printing and exiting."""

    def __init__(self) -> None:
        super().__init__(add_help=False, allow_abbrev=False)

    def error(self, message: str) -> t.NoReturn:
        # The context being parsed is the current one (see make_context).
        raise UsageError(_click_wording(message), get_current_context(silent=True))

    def format_usage(self) -> str:
        # PERF: argparse formats its usage on every intermixed parse; the
        # help pages are ours, so skip that work.
        return ""


def _click_wording(message: str) -> str:
    """Reword argparse's common errors the way click states them."""
    head, sep, rest = message.partition(": ")
    if head.startswith("argument ") and sep:
        opt = head[len("argument ") :].split("/")[0]
        if rest == "expected one argument":
            return f"Option '{opt}' requires an argument."
        if rest.startswith("ignored explicit argument"):
            return f"Option '{opt}' does not take a value."
    return message[:1].upper() + message[1:]


def _build_parser(params: cabc.Iterable[Parameter]) -> _Parser:
    parser = _Parser()
    parser.add_argument("--help", dest="__help__", action="store_true", default=False)
    for param in params:
        if isinstance(param, Option):
            _add_option(parser, param)
        else:
            parser.add_argument(
                f"__arg_{param.name}", nargs="*" if param.nargs == -1 else "?", default=MISSING, metavar=param.name
            )
    return parser


def _add_option(parser: _Parser, param: Option) -> None:
    dest = f"__opt_{param.name}"
    if param.is_flag:
        if param.secondary_opts:
            parser.add_argument(*param.opts, dest=dest, action="store_const", const=True, default=MISSING)
            parser.add_argument(*param.secondary_opts, dest=dest, action="store_const", const=False, default=MISSING)
        else:
            parser.add_argument(*param.opts, dest=dest, action="store_const", const=param.flag_value, default=MISSING)
    elif param.multiple:
        # argparse appends to the default object itself: start from None.
        parser.add_argument(*param.opts, dest=dest, action="append", default=None)
    else:
        parser.add_argument(*param.opts, dest=dest, action="store", default=MISSING)


def _split_at_dashes(args: list[str]) -> tuple[list[str], bool, list[str]]:
    if "--" not in args:
        return args, False, []
    index = args.index("--")
    return args[:index], True, args[index + 1 :]


def _extra_args_error(extra: list[str], ctx: Context) -> UsageError:
    option_like = [e for e in extra if e.startswith("-") and len(e) > 1]
    if option_like:
        return UsageError(f"No such option '{option_like[0].partition('=')[0]}'.", ctx)
    plural = "s" if len(extra) > 1 else ""
    return UsageError(f"Got unexpected extra argument{plural} ({' '.join(extra)})", ctx)


# -- commands ------------------------------------------------------------------


class Command:
    """A command: a callback, its parameters and its help.

    :param name: the command's name.
    :param callback: the function run with the parameters' values.
    :param params: explicit parameters (those declared with decorators are
        added; the callback's other signature parameters are inferred).
    :param help: the help text (default: the callback's docstring).
    :param short_help: the one-line text in the parent's command list.
    :param epilog: text shown at the end of the help page.
    :param hidden: left out of the parent's command list.
    :param no_args_is_help: show the help when called without arguments.
    :param infer_params: turn the callback's undeclared signature
        parameters into arguments and options.
    """

    def __init__(
        self,
        name: str | None,
        callback: t.Callable[..., t.Any] | None = None,
        params: list[Parameter] | None = None,
        help: str | None = None,
        short_help: str | None = None,
        epilog: str | None = None,
        hidden: bool = False,
        no_args_is_help: bool = False,
        infer_params: bool = True,
        context_settings: dict[str, t.Any] | None = None,
    ) -> None:
        self.name = name
        self.callback = callback
        self.params: list[Parameter] = list(params or ())
        if callback is not None:
            self.params.extend(reversed(getattr(callback, "__cli_params__", ())))
            if infer_params:
                self._add_inferred_params(callback)
        if help is None and callback is not None:
            help = inspect.getdoc(callback)
        self.help = inspect.cleandoc(help) if help else help
        self.short_help = short_help
        self.epilog = epilog
        self.hidden = hidden
        self.no_args_is_help = no_args_is_help
        self.context_settings = dict(context_settings or {})

    def _add_inferred_params(self, callback: t.Callable[..., t.Any]) -> None:
        skip = getattr(callback, "__cli_injected__", 0)
        inferred = infer_params(callback, (p.name for p in self.params), skip)
        if not inferred:
            return
        try:
            order = {name: i for i, name in enumerate(inspect.signature(callback).parameters)}
        except (TypeError, ValueError):
            order = {}
        # Positional arguments must follow the function's order, wherever
        # they were declared; parameters outside the signature go first.
        self.params = sorted(self.params + inferred, key=lambda p: order.get(p.name, -1))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # -- help --------------------------------------------------------------------

    def get_short_help_str(self, limit: int = 45) -> str:
        """The help's first sentence, cut to ``limit`` characters."""
        if self.short_help:
            return self.short_help
        if not self.help:
            return ""
        return _make_short_help(self.help, limit)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = ["[OPTIONS]"]
        pieces.extend(p.usage_piece() for p in self.params if isinstance(p, Argument))
        return pieces

    def get_usage(self, ctx: Context) -> str:
        return f"Usage: {ctx.command_path} {' '.join(self.collect_usage_pieces(ctx))}"

    def get_help(self, ctx: Context) -> str:
        """The help page: usage, description, options (and commands)."""
        parts = [self.get_usage(ctx)]
        if self.help:
            parts.append(_indent_paragraphs(self.help))
        records = [p.help_record() for p in self.params if isinstance(p, Option) and not p.hidden]
        records.append(("--help", "Show this message and exit."))
        parts.append("Options:\n" + _format_table(records))
        parts.extend(self.extra_help_sections(ctx))
        if self.epilog:
            parts.append(_indent_paragraphs(self.epilog))
        return "\n\n".join(parts)

    def extra_help_sections(self, ctx: Context) -> list[str]:
        return []

    # -- running -----------------------------------------------------------------

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: t.Any
    ) -> Context:
        """A context for running this command with ``args``, parsed."""
        defaults = extra.pop("defaults", None)
        for key, value in self.context_settings.items():
            extra.setdefault(key, value)
        ctx = Context(self, parent=parent, info_name=info_name, **extra)
        with ctx:
            if defaults:
                ctx.params.update(defaults)
                ctx.explicit.update(defaults)
                for name in defaults:
                    ctx.set_parameter_source(name, ParameterSource.CALLER)
            self.parse_args(ctx, args)
        return ctx

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse ``args`` into ``ctx.params``; return the unparsed tail."""
        if not args and self.no_args_is_help:
            echo(ctx.get_help())
            raise Exit(0)
        parser, intermixed = self._get_parser()
        # After "--" every token is positional; argparse's intermixed mode
        # loses the marker, so that tail is handed out here.
        before, dashes, after = _split_at_dashes(args)
        if intermixed:
            # argparse's intermixed parse edits the parser's actions for a
            # moment; the parser is shared, so one parse at a time.
            with _INTERMIXED_LOCK:
                namespace, extra = parser.parse_known_intermixed_args(before)
        else:
            namespace, extra = parser.parse_known_args(before)
        raw = vars(namespace)
        if dashes:
            extra.extend(self._fill_positionals(raw, after))
        self._process_params(ctx, raw)
        if extra:
            raise _extra_args_error(extra, ctx)
        return []

    def _get_parser(self) -> tuple[_Parser, bool]:
        """The argparse parser of the current parameters, and whether
        positionals need the (slower) intermixed parse.

        PERF: building a parser costs more than parsing; it is built once
        and rebuilt only when the parameter list changes.
        """
        key = tuple(map(id, self.params))
        cached = self.__dict__.get("_parser_cache")
        if cached is None or cached[0] != key:
            intermixed = any(isinstance(p, Argument) for p in self.params)
            cached = (key, _build_parser(self.params), intermixed)
            self._parser_cache = cached
        return cached[1], cached[2]

    def _fill_positionals(self, raw: dict[str, t.Any], tokens: list[str]) -> list[str]:
        """Give ``tokens`` to the arguments still without a value, in
        order; return those left over."""
        tokens = list(tokens)
        for param in self.params:
            if not isinstance(param, Argument) or not tokens:
                continue
            key = f"__arg_{param.name}"
            current = raw.get(key, MISSING)
            if param.nargs == -1:
                raw[key] = (current if isinstance(current, list) else []) + tokens
                return []
            if current is MISSING or current is None:
                raw[key] = tokens.pop(0)
        return tokens

    def _process_params(self, ctx: Context, raw: dict[str, t.Any]) -> None:
        def raw_value(param: Parameter) -> t.Any:
            key = f"__opt_{param.name}" if isinstance(param, Option) else f"__arg_{param.name}"
            value = raw.get(key, MISSING)
            if value is None or (isinstance(param, Argument) and param.nargs == -1 and value == []):
                value = MISSING
            return value

        ordered = [p for p in self.params if p.is_eager] + [p for p in self.params if not p.is_eager]
        help_asked = raw.get("__help__", False)
        for param in ordered:
            if help_asked and not param.is_eager:
                echo(ctx.get_help())
                raise Exit(0)
            if param.name in ctx.explicit and raw_value(param) is MISSING:
                continue
            value = param.process(ctx, raw_value(param))
            if param.expose_value:
                ctx.params[param.name] = value
        if help_asked:
            echo(ctx.get_help())
            raise Exit(0)

    def invoke(self, ctx: Context) -> t.Any:
        """Run the callback with the parameters' values."""
        if self.callback is None:
            return None
        with ctx:
            return _call_with_params(self.callback, ctx.params)

    def main(
        self,
        args: cabc.Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **extra: t.Any,
    ) -> t.Any:
        """Run the command as a program. In standalone mode (the default)
        errors are printed and the process exits with the exit code;
        otherwise the callback's return value is returned and errors raise.
        """
        if not standalone_mode:
            return self._run(args, prog_name, **extra)
        sys.exit(self.run_standalone(args, prog_name, **extra))

    def _run(self, args: cabc.Sequence[str] | None, prog_name: str | None, **extra: t.Any) -> t.Any:
        argv = list(sys.argv[1:] if args is None else args)
        if prog_name is None:
            prog_name = _detect_program_name()
        with self.make_context(prog_name, argv, **extra) as ctx:
            return self.invoke(ctx)

    def run_standalone(self, args: cabc.Sequence[str] | None = None, prog_name: str | None = None, **extra: t.Any) -> int:
        """Run, print any error the user should see, return the exit code."""
        try:
            self._run(args, prog_name, **extra)
        except CommandError as e:
            e.show()
            return e.exit_code
        except Exit as e:
            return e.exit_code
        except (Abort, KeyboardInterrupt, EOFError):
            echo("Aborted!", err=True)
            return 1
        except BrokenPipeError:
            return 1
        return 0

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self.main(*args, **kwargs)


def _call_with_params(callback: t.Callable[..., t.Any], params: dict[str, t.Any]) -> t.Any:
    """Call ``callback`` with keyword arguments, passing the positional-only
    and ``*args`` parameters by position."""
    try:
        sig = inspect.signature(callback)
    except (TypeError, ValueError):
        return callback(**params)
    kinds = {p.kind for p in sig.parameters.values()}
    if inspect.Parameter.VAR_POSITIONAL not in kinds and inspect.Parameter.POSITIONAL_ONLY not in kinds:
        return callback(**params)
    kwargs = dict(params)
    args: list[t.Any] = []
    skip = getattr(callback, "__cli_injected__", 0)
    for index, p in enumerate(sig.parameters.values()):
        if index < skip:
            continue
        if p.kind is p.VAR_POSITIONAL:
            args.extend(kwargs.pop(p.name, ()))
            break
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name in kwargs:
            args.append(kwargs.pop(p.name))
        else:
            break
    return callback(*args, **kwargs)


def _detect_program_name() -> str:
    """``python -m package`` when run that way, else the script's name."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name:
        name = spec.name
        if name.endswith(".__main__"):
            name = name[: -len(".__main__")]
        return f"python -m {name}"
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"


class Group(Command):
    """A command made of subcommands: ``prog [OPTIONS] COMMAND [ARGS]...``.

    :param commands: initial subcommands.
    :param invoke_without_command: run the group's callback even when no
        subcommand is given (otherwise the help is shown, exit code 2).
    """

    def __init__(
        self,
        name: str | None = None,
        commands: cabc.Iterable[Command] | dict[str, Command] | None = None,
        invoke_without_command: bool = False,
        **attrs: t.Any,
    ) -> None:
        super().__init__(name, **attrs)
        #: Name -> subcommand.
        self.commands: dict[str, Command] = {}
        if isinstance(commands, dict):
            self.commands.update(commands)
        else:
            for cmd in commands or ():
                self.add_command(cmd)
        self.invoke_without_command = invoke_without_command

    def add_command(self, cmd: Command, name: str | None = None) -> None:
        """Register ``cmd`` under ``name`` (default: its own name)."""
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self.commands[name] = cmd

    def command(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """A decorator creating a subcommand (see :func:`command`);
        usable with or without parentheses."""
        if args and callable(args[0]):
            return self.command(*args[1:], **kwargs)(args[0])

        def decorator(f: t.Callable[..., t.Any]) -> Command:
            cmd = command(*args, **kwargs)(f)
            self.add_command(cmd)
            return cmd

        return decorator

    def group(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """A decorator creating a subgroup (see :func:`group`)."""
        if args and callable(args[0]):
            return self.group(*args[1:], **kwargs)(args[0])
        kwargs.setdefault("cls", type(self) if type(self) is not Group else Group)

        def decorator(f: t.Callable[..., t.Any]) -> Group:
            cmd = group(*args, **kwargs)(f)
            self.add_command(cmd)
            return cmd  # type: ignore[no-any-return]

        return decorator

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: Context) -> list[str]:
        return sorted(self.commands)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), "COMMAND [ARGS]..."]

    def extra_help_sections(self, ctx: Context) -> list[str]:
        rows = []
        names = [n for n in self.list_commands(ctx)]
        commands = [(n, self.get_command(ctx, n)) for n in names]
        visible = [(n, c) for n, c in commands if c is not None and not c.hidden]
        if not visible:
            return []
        limit = _HELP_WIDTH - 6 - max(len(n) for n, _ in visible)
        for name, cmd in visible:
            rows.append((name, cmd.get_short_help_str(limit)))  # type: ignore[union-attr]
        return ["Commands:\n" + _format_table(rows)]

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if not args and (self.no_args_is_help or not self.invoke_without_command):
            self._process_params(ctx, {})
            echo(ctx.get_help())
            raise Exit(0 if self.no_args_is_help else 2)
        own, rest = self._split_args(ctx, args)
        super().parse_args(ctx, own)
        ctx.args = rest
        return rest

    def _split_args(self, ctx: Context, args: list[str]) -> tuple[list[str], list[str]]:
        """The group's own option tokens, and the subcommand's (from the
        first plain word on)."""
        takes_value = {}
        for param in self.params:
            if isinstance(param, Option):
                for opt in param.opts + param.secondary_opts:
                    takes_value[opt] = not param.is_flag
        index = 0
        while index < len(args):
            token = args[index]
            if token == "--":
                return args[:index], args[index + 1 :]
            if not token.startswith("-") or token == "-":
                break
            name, eq, _ = token.partition("=")
            if takes_value.get(name) and not eq:
                index += 1
            elif name not in takes_value and not name.startswith("--") and len(name) > 2:
                # "-pVALUE": a short option with its value attached.
                if takes_value.get(name[:2]) is None and name != "--help":
                    raise _extra_args_error([token], ctx)
            index += 1
        return args[:index], args[index:]

    def invoke(self, ctx: Context) -> t.Any:
        if not ctx.args:
            if self.invoke_without_command:
                return super().invoke(ctx)
            echo(ctx.get_help())
            raise Exit(2)
        cmd_name, *cmd_args = ctx.args
        with ctx:
            cmd = self.get_command(ctx, cmd_name)
            if cmd is None:
                raise UsageError(f"No such command {cmd_name!r}.", ctx)
            super().invoke(ctx)
            sub_ctx = cmd.make_context(cmd_name, cmd_args, parent=ctx)
            with sub_ctx:
                return cmd.invoke(sub_ctx)


def _command_name(func_name: str) -> str:
    """``run_command`` -> ``run``, ``init_db`` -> ``init-db``."""
    name = func_name.lower()
    for suffix in ("_command", "_cmd", "_group", "_grp"):
        if name.endswith(suffix) and name != suffix.lstrip("_"):
            name = name[: -len(suffix)]
            break
    return name.replace("_", "-")


def command(name: str | None = None, cls: type[Command] | None = None, **attrs: t.Any) -> t.Callable[..., t.Any]:
    """A decorator turning a function into a :class:`Command` (of ``cls``),
    named after the function unless ``name`` is given."""
    if callable(name):
        return command(None, cls, **attrs)(name)

    def decorator(f: t.Callable[..., t.Any]) -> Command:
        if isinstance(f, Command):
            raise TypeError("Attempted to convert a callback into a command twice.")
        cmd = (cls or Command)(name or _command_name(getattr(f, "__name__", "command")), callback=f, **attrs)
        cmd.__doc__ = f.__doc__
        return cmd

    return decorator


def group(name: str | None = None, cls: type[Group] | None = None, **attrs: t.Any) -> t.Callable[..., t.Any]:
    """A decorator turning a function into a :class:`Group`."""
    if callable(name):
        return group(None, cls, **attrs)(name)
    return command(name, cls=cls or Group, **attrs)


# -- help layout ---------------------------------------------------------------


def _make_short_help(text: str, limit: int) -> str:
    """The first sentence of the first paragraph, cut at a word boundary
    with ``...`` when longer than ``limit``."""
    paragraph = text.split("\n\n", 1)[0]
    words = paragraph.split()
    out: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (1 if out else 0)
        if length + extra > limit:
            while out and length + 3 > limit:
                length -= len(out.pop()) + (1 if out else 0)
            return " ".join(out) + "..."
        out.append(word)
        length += extra
        if word.endswith("."):
            break
    return " ".join(out)


def _indent_paragraphs(text: str) -> str:
    """Help text wrapped to the page width, indented by two spaces, its
    paragraphs kept apart."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for p in paragraphs:
        out.append(textwrap.fill(" ".join(p.split()), _HELP_WIDTH, initial_indent="  ", subsequent_indent="  "))
    return "\n\n".join(out)


def _format_table(rows: list[tuple[str, str]]) -> str:
    """Two columns: names, then help wrapped beside them (the help goes to
    the next line when a name is wider than 30 characters)."""
    first = min(max(len(name) for name, _ in rows), 30)
    text_width = max(_HELP_WIDTH - first - 4, 10)
    pad = " " * (first + 4)
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_width) if text else []
        if len(name) <= first:
            head = f"  {name.ljust(first)}  "
            lines.append((head + wrapped[0]) if wrapped else head.rstrip())
            wrapped = wrapped[1:]
        else:
            lines.append(f"  {name}")
        lines.extend(pad + line for line in wrapped)
    return "\n".join(lines)


#: :class:`pathlib.Path` is accepted as a type directly.
_BY_PYTHON_TYPE[pathlib.Path] = Path(path_type=pathlib.Path)
