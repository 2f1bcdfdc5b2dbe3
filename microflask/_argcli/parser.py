"""Splitting a command's tokens with :mod:`argparse`: every value stays a
string; conversion and checks are the parameters' job."""

from __future__ import annotations

import argparse
import collections.abc as cabc
import threading
import typing as t

from .exceptions import UsageError
from .globals import get_current_context
from .params import Option
from .params import Parameter
from .utils import MISSING

if t.TYPE_CHECKING:
    from .context import Context


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
