"""Recognising click objects without importing click.

click is not a dependency: it is only ever looked up in :data:`sys.modules`
(a click object can only exist once the user's own code imported click), or
imported when the user's code asked for something only click can do
(:func:`require_click`), with a message saying so when it is missing.
Functions declared with click's decorators become click commands
(:func:`make_click_command`), and click's exceptions raised by click code
inside a microflask command become microflask's (:func:`error_from_click`).
"""

from __future__ import annotations

import importlib
import os
import sys
import types
import typing as t

from .exceptions import Abort
from .exceptions import CommandError
from .exceptions import Exit

__all__ = [
    "ClickError",
    "error_from_click",
    "is_click_command",
    "is_click_parameter",
    "loaded_click",
    "make_click_command",
    "require_click",
    "wants_click",
]


def loaded_click() -> types.ModuleType | None:
    """The click module when the process already imported it, else ``None``
    (never imports it)."""
    return sys.modules.get("click")


def require_click(what: str) -> types.ModuleType:
    """Import click for ``what`` (a phrase naming the feature, e.g. "The
    command 'hello', which uses click's decorators,").

    :raises RuntimeError: click is not installed; the message says that
        ``what`` needs it.
    """
    try:
        # Interop only: the user's own click, never a dependency.
        click = importlib.import_module("click")
    except ImportError:
        raise RuntimeError(
            f"{what} needs click, which is not installed (pip install click)."
            " microflask's own commands (microflask.cli) run without it."
        ) from None
    return click


def is_click_command(obj: t.Any) -> bool:
    """Whether ``obj`` is a click command or group."""
    click = loaded_click()
    return click is not None and isinstance(obj, click.Command)


def is_click_parameter(obj: t.Any) -> bool:
    """Whether ``obj`` is a click option or argument."""
    click = loaded_click()
    return click is not None and isinstance(obj, click.Parameter)


def _made_by_click(func: t.Any, click: types.ModuleType) -> bool:
    """Whether ``func`` is a wrapper click's decorators made (``pass_context``,
    ``pass_obj``, ``make_pass_decorator``): it calls
    ``click.get_current_context()``, so only click can run it."""
    code = getattr(func, "__code__", None)
    folder = os.path.dirname(getattr(click, "__file__", None) or "")
    return code is not None and bool(folder) and code.co_filename.startswith(folder + os.sep)


def wants_click(f: t.Callable[..., t.Any]) -> bool:
    """Whether the function ``f`` (or one it wraps) was decorated with
    click's ``@click.option``/``@click.argument`` or a click ``pass_*``
    decorator, so that it must become a click command.

    :raises TypeError: it mixes click's parameters with microflask's.
    """
    click = loaded_click()
    if click is None:
        return False
    has_click_params = hasattr(f, "__click_params__")
    if has_click_params and getattr(f, "__cli_params__", None):
        name = getattr(f, "__name__", f)
        raise TypeError(
            f"The command function {name!r} has options from both click and microflask.cli;"
            " declare all of one command's parameters with the same library."
        )
    if has_click_params:
        return True
    seen = 0
    node: t.Any = f
    while node is not None and seen < 100:
        if _made_by_click(node, click):
            return True
        node = getattr(node, "__wrapped__", None)
        seen += 1
    return False


def make_click_command(
    f: t.Callable[..., t.Any], name: str | None, cls: t.Any, attrs: dict[str, t.Any]
) -> t.Any:
    """A click command (of click's class matching ``cls``) for ``f``, with
    the keyword arguments click knows."""
    click = require_click(f"The command function {getattr(f, '__name__', f)!r}, which uses click's decorators,")
    attrs = dict(attrs)
    # microflask's own switch; click infers nothing.
    attrs.pop("infer_params", None)
    if cls is not None and not (isinstance(cls, type) and issubclass(cls, click.Command)):
        cls = cls.click_class()
    return click.command(name, cls=cls, **attrs)(f)


class ClickError(CommandError):
    """A click exception (``UsageError``, ``BadParameter``,
    ``ClickException``) leaving a click command: shown as click shows it,
    with its exit code."""

    def __init__(self, error: t.Any) -> None:
        super().__init__(error.format_message())
        #: The click exception.
        self.error = error
        self.exit_code = error.exit_code

    def show(self, file: t.IO[str] | None = None) -> None:
        self.error.show(file)


def error_from_click(exc: BaseException) -> BaseException | None:
    """microflask's exception for click's ``exc`` (``Exit``, ``Abort``, a
    ``ClickException``) raised by click code run in a microflask command
    (``click.confirm``, ``ctx.exit()``...); ``None`` for any other."""
    click = loaded_click()
    if click is None:
        return None
    if isinstance(exc, click.exceptions.Exit):
        click_exit: t.Any = exc  # click is untyped here: its Exit has exit_code
        return Exit(click_exit.exit_code)
    if isinstance(exc, click.exceptions.Abort):
        return Abort()
    if isinstance(exc, click.ClickException):
        return ClickError(exc)
    return None
