"""Parameters: :class:`Option` and :class:`Argument`, and how each takes its
value from the command line, the environment or its default."""

from __future__ import annotations

import collections.abc as cabc
import os
import typing as t

from .exceptions import UsageError
from .types import BOOL
from .types import convert_type
from .utils import MISSING
from .utils import ParameterSource

if t.TYPE_CHECKING:
    from .context import Context


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
        super().__init__(name, required=bool(required), **attrs)
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
