"""Commands and groups: parsing a command line into a :class:`Context`,
running the callback, the help page, and the ``command``/``group``
decorators."""

from __future__ import annotations

import collections.abc as cabc
import inspect
import os
import sys
import typing as t

from .context import Context
from .exceptions import Abort
from .exceptions import CommandError
from .exceptions import Exit
from .exceptions import UsageError
from .foreign import require_click
from .foreign import is_click_command
from .foreign import is_click_parameter
from .foreign import loaded_click
from .foreign import make_click_command
from .foreign import wants_click
from .formatting import _format_table
from .formatting import _indent_paragraphs
from .formatting import _make_short_help
from .inference import infer_params
from .params import Argument
from .params import Option
from .params import Parameter
from .parser import _INTERMIXED_LOCK
from .parser import _build_parser
from .parser import _extra_args_error
from .parser import _Parser
from .parser import _split_at_dashes
from .utils import _HELP_WIDTH
from .utils import MISSING
from .utils import ParameterSource
from .utils import echo


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

    def __new__(cls, *args: t.Any, **kwargs: t.Any) -> t.Any:
        # click's decorators pass click parameters (``@click.group(cls=AppGroup)``
        # over ``@click.option``): such a command is made with click.
        params = kwargs.get("params")
        if params and any(is_click_parameter(p) for p in params):
            kwargs.pop("infer_params", None)
            return cls.click_class()(*args, **kwargs)
        return super().__new__(cls)

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
        for param in self.params:
            if not isinstance(param, Parameter):
                raise TypeError(
                    f"{param!r} is not a microflask.cli parameter: a microflask command cannot take"
                    " click's options or arguments (use microflask.cli.option / argument, or make"
                    " the whole command with click)."
                )
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

    @classmethod
    def click_class(cls) -> t.Any:
        """The click class made instead of this one for a function declared
        with click's decorators (``@click.option`` ...)."""
        return require_click("A command declared with click's decorators").Command

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
            self.commands.update(t.cast("dict[str, Command]", commands))  # setup time only
        else:
            for cmd in commands or ():
                self.add_command(cmd)
        self.invoke_without_command = invoke_without_command

    @classmethod
    def click_class(cls) -> t.Any:
        return require_click("A group declared with click's decorators").Group

    def add_command(self, cmd: Command, name: str | None = None) -> None:
        """Register ``cmd`` under ``name`` (default: its own name)."""
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self.commands[name] = cmd

    @t.overload
    def command(self, __func: t.Callable[..., t.Any]) -> Command: ...

    @t.overload
    def command(self, *args: t.Any, **kwargs: t.Any) -> t.Callable[[t.Callable[..., t.Any]], Command]: ...

    def command(self, *args: t.Any, **kwargs: t.Any) -> Command | t.Callable[[t.Callable[..., t.Any]], Command]:
        """A decorator creating a subcommand (see :func:`command`);
        usable with or without parentheses."""
        if args and callable(args[0]):
            decorate: t.Callable[[t.Callable[..., t.Any]], Command] = self.command(*args[1:], **kwargs)
            return decorate(args[0])

        def decorator(f: t.Callable[..., t.Any]) -> Command:
            cmd: Command = command(*args, **kwargs)(f)
            self.add_command(cmd)
            return cmd

        return decorator

    @t.overload
    def group(self, __func: t.Callable[..., t.Any]) -> Group: ...

    @t.overload
    def group(self, *args: t.Any, **kwargs: t.Any) -> t.Callable[[t.Callable[..., t.Any]], Group]: ...

    def group(self, *args: t.Any, **kwargs: t.Any) -> Group | t.Callable[[t.Callable[..., t.Any]], Group]:
        """A decorator creating a subgroup (see :func:`group`)."""
        if args and callable(args[0]):
            decorate: t.Callable[[t.Callable[..., t.Any]], Group] = self.group(*args[1:], **kwargs)
            return decorate(args[0])
        kwargs.setdefault("cls", type(self) if type(self) is not Group else Group)

        def decorator(f: t.Callable[..., t.Any]) -> Group:
            cmd: Group = group(*args, **kwargs)(f)
            self.add_command(cmd)
            return cmd

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
            rows.append((name, cmd.get_short_help_str(limit)))
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
            if not isinstance(cmd, Command):
                # Upward, only for a click command: its adapter is a Command.
                from .interop import as_command

                cmd = as_command(cmd)
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


_INIT_ARGUMENTS: dict[type, frozenset[str]] = {}


def _init_arguments(cls: type) -> frozenset[str]:
    """The keyword arguments the constructors of ``cls`` and its bases name
    (decided once per class)."""
    found = _INIT_ARGUMENTS.get(cls)
    if found is None:
        names: set[str] = set()
        for klass in cls.__mro__:
            init = vars(klass).get("__init__")
            if init is None or klass is object:
                continue
            for p in inspect.signature(init).parameters.values():
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                    names.add(p.name)
        found = _INIT_ARGUMENTS[cls] = frozenset(names - {"self"})
    return found


@t.overload
def command(name: t.Callable[..., t.Any]) -> Command: ...


@t.overload
def command(
    name: str | None = None, cls: type[Command] | None = None, **attrs: t.Any
) -> t.Callable[[t.Callable[..., t.Any]], Command]: ...


def command(
    name: str | t.Callable[..., t.Any] | None = None, cls: type[Command] | None = None, **attrs: t.Any
) -> Command | t.Callable[[t.Callable[..., t.Any]], Command]:
    """A decorator turning a function into a :class:`Command` (of ``cls``),
    named after the function unless ``name`` is given."""
    if callable(name):
        return command(None, cls, **attrs)(name)

    def decorator(f: t.Callable[..., t.Any]) -> Command:
        if isinstance(f, Command) or is_click_command(f):
            raise TypeError("Attempted to convert a callback into a command twice.")
        if wants_click(f):
            return _click_command(f, name, cls, attrs)
        unknown = sorted(set(attrs) - _init_arguments(cls or Command))
        if unknown:
            if loaded_click() is not None:
                # click's own settings (deprecated=, add_help_option=...).
                return _click_command(f, name, cls, attrs)
            raise TypeError(
                f"microflask.cli commands do not take {', '.join(map(repr, unknown))} (a microflask"
                " limitation; with click installed, such a command is made with click)."
            )
        cmd = (cls or Command)(name or _command_name(getattr(f, "__name__", "command")), callback=f, **attrs)
        cmd.__doc__ = f.__doc__
        return cmd

    return decorator


def _click_command(f: t.Callable[..., t.Any], name: str | None, cls: t.Any, attrs: dict[str, t.Any]) -> Command:
    # A click command stands where a Command would: groups, the runner and
    # the help treat both alike (click's command has the same interface).
    cmd: Command = make_click_command(f, name, cls, attrs)
    return cmd


@t.overload
def group(name: t.Callable[..., t.Any]) -> Group: ...


@t.overload
def group(
    name: str | None = None, cls: type[Group] | None = None, **attrs: t.Any
) -> t.Callable[[t.Callable[..., t.Any]], Group]: ...


def group(
    name: str | t.Callable[..., t.Any] | None = None, cls: type[Group] | None = None, **attrs: t.Any
) -> Group | t.Callable[[t.Callable[..., t.Any]], Group]:
    """A decorator turning a function into a :class:`Group`."""
    if callable(name):
        return group(None, cls, **attrs)(name)
    # The command made with a Group class is a Group.
    return command(name, cls=cls or Group, **attrs)  # type: ignore[return-value]  # see above
