"""Declaring parameters on a command function: :func:`option` and
:func:`argument`."""

from __future__ import annotations

import typing as t

from .core import Command
from .params import Argument
from .params import Option
from .params import Parameter
from .utils import F


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
