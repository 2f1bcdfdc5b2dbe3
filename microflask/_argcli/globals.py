"""The command being run: one context variable, read by the parts below
:mod:`.context` (errors name the current command's usage).

When a click command runs inside microflask's CLI, or a click program runs
code that uses microflask's decorators (``with_appcontext``), click's own
context is the current one, so code written for click keeps seeing click's
context.
"""

from __future__ import annotations

import contextvars
import sys
import typing as t

if t.TYPE_CHECKING:
    from .context import Context


class _ClickIsCurrent:
    """The marker set while a click command runs inside a microflask one."""

    def __repr__(self) -> str:
        return "<click's context is current>"


#: Set as the current context while a click command runs inside a
#: microflask one: click's innermost context is then the current one.
CLICK_IS_CURRENT: t.Any = _ClickIsCurrent()

_current_context: contextvars.ContextVar[Context] = contextvars.ContextVar("microflask_cli_context")


def _click_context() -> t.Any:
    # Never imports click: a click context exists only if click was imported.
    click = sys.modules.get("click")
    if click is None:
        return None
    return click.get_current_context(silent=True)


def get_current_context(silent: bool = False) -> t.Any:
    """The :class:`Context` of the command being run (click's context when
    a click command is running).

    :param silent: return ``None`` instead of raising outside a command.
    """
    ctx = _current_context.get(None)
    if ctx is None or ctx is CLICK_IS_CURRENT:
        ctx = _click_context()
    if ctx is None and not silent:
        raise RuntimeError("There is no active command context.")
    return ctx
