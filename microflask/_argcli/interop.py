"""Running click commands and groups inside microflask's CLI.

Theory of operation: a group stores a click command as given (so
``app.cli.commands["db"]`` is the user's object) and wraps it in a
:class:`ClickCommand` only to run it or list it. The wrapper takes every
token after its name without parsing (click parses them, ``--help``
included), then builds a click context whose name is the command path so
far (``microflask db``), whose ``obj`` is the parent's (the
:class:`~microflask.cli.ScriptInfo`) and whose auto-envvar prefix follows the
parent's; resources the parent opened (the application context) stay open
around it. While click runs, microflask's current context is marked as
"click's", so :func:`~.globals.get_current_context` (and with it
``with_appcontext`` and ``pass_script_info``) answers click's innermost
context. click's exceptions come back as microflask's, with the same
message and exit code.
"""

from __future__ import annotations

import contextlib
import typing as t

from .context import Context
from .core import Command
from .exceptions import Abort
from .exceptions import CommandError
from .exceptions import Exit
from .foreign import ClickError
from .foreign import error_from_click
from .foreign import is_click_command
from .foreign import loaded_click
from .globals import CLICK_IS_CURRENT
from .globals import _current_context

__all__ = ["ClickCommand", "ClickError", "as_command", "error_for_click", "invoke_click"]


class ClickCommand(Command):
    """A click command or group as a microflask command.

    :param click_command: the click object.
    """

    def __init__(self, click_command: t.Any) -> None:
        super().__init__(click_command.name, infer_params=False, hidden=click_command.hidden)
        #: The wrapped click object.
        self.click_command = click_command

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.click_command!r}>"

    def get_short_help_str(self, limit: int = 45) -> str:
        text: str = self.click_command.get_short_help_str(limit)
        return text

    def _click_context(self, ctx: Context, args: list[str], **extra: t.Any) -> t.Any:
        extra.setdefault("obj", ctx.obj)
        if ctx.auto_envvar_prefixes:
            # click has one prefix; the last is Flask's ("FLASK_...").
            extra.setdefault("auto_envvar_prefix", ctx.auto_envvar_prefixes[-1])
        return self.click_command.make_context(ctx.command_path, args, **extra)

    def get_usage(self, ctx: Context) -> str:
        with self._click_context(ctx, [], resilient_parsing=True) as click_ctx:
            usage: str = click_ctx.get_usage()
            return usage

    def get_help(self, ctx: Context) -> str:
        with self._click_context(ctx, [], resilient_parsing=True) as click_ctx:
            text: str = click_ctx.get_help()
            return text

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # click parses its own tokens, "--help" included.
        ctx.args = list(args)
        return []

    def invoke(self, ctx: Context) -> t.Any:
        with ctx, _click_is_running():
            with self._click_context(ctx, ctx.args) as click_ctx:
                return self.click_command.invoke(click_ctx)


@contextlib.contextmanager
def _click_is_running() -> t.Iterator[None]:
    """Mark click's context as the current one, and turn click's exceptions
    into microflask's, while click code runs."""
    token = _current_context.set(CLICK_IS_CURRENT)
    try:
        yield
    except Exception as e:
        translated = error_from_click(e)
        if translated is None:
            raise
        raise translated from None
    finally:
        _current_context.reset(token)


def invoke_click(ctx: Context, command: t.Any, kwargs: dict[str, t.Any]) -> t.Any:
    """``ctx.invoke(click_command, **kwargs)`` from a microflask command:
    click fills the parameters not given with their defaults, as click's
    own ``Context.invoke`` does."""
    click = loaded_click()
    assert click is not None, "a click object exists, so click was imported"
    with _click_is_running():
        with click.Context(command, info_name=ctx.command_path, obj=ctx.obj) as click_ctx:
            return click_ctx.invoke(command, **kwargs)


def as_command(obj: t.Any) -> Command:
    """``obj`` as a microflask command: itself, or a click command wrapped
    in a :class:`ClickCommand`.

    :raises TypeError: ``obj`` is neither.
    """
    if isinstance(obj, Command):
        return obj
    if is_click_command(obj):
        return ClickCommand(obj)
    raise TypeError(f"{obj!r} is not a command: expected a microflask.cli command or a click command.")


_shown_error_class: t.Any = None


def _shown_error(error: CommandError) -> BaseException:
    """A click exception that shows ``error`` as microflask shows it."""
    global _shown_error_class
    click = loaded_click()
    assert click is not None, "only called under a click group"
    if _shown_error_class is None:

        class MicroflaskCommandError(click.ClickException):  # type: ignore[name-defined,misc]  # click is untyped here (imported on first use)
            """A microflask command's error, leaving through a click group."""

            def __init__(self, error: CommandError) -> None:
                super().__init__(error.format_message())
                self.error = error
                self.exit_code = error.exit_code

            def show(self, file: t.IO[str] | None = None) -> None:
                self.error.show(file)

        _shown_error_class = MicroflaskCommandError
    shown: BaseException = _shown_error_class(error)
    return shown


def error_for_click(exc: BaseException) -> BaseException | None:
    """The click exception a click group expects for microflask's ``exc``
    (a microflask command added to a click group); ``None`` when ``exc``
    is not one of microflask's."""
    click = loaded_click()
    if click is None:
        return None
    if isinstance(exc, ClickError):
        error: BaseException = exc.error
        return error
    if isinstance(exc, CommandError):
        return _shown_error(exc)
    if isinstance(exc, Exit):
        exit_error: BaseException = click.exceptions.Exit(exc.exit_code)
        return exit_error
    if isinstance(exc, Abort):
        abort_error: BaseException = click.Abort()
        return abort_error
    return None
