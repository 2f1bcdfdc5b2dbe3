"""The command being run: one context variable, read by the parts below
:mod:`.context` (errors name the current command's usage)."""

from __future__ import annotations

import contextvars
import typing as t

if t.TYPE_CHECKING:
    from .context import Context

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
