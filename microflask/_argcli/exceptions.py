"""The errors a command reports to its user, with click's wording and exit
codes."""

from __future__ import annotations

import typing as t

from .globals import get_current_context
from .utils import echo

if t.TYPE_CHECKING:
    from .context import Context
    from .params import Parameter


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
