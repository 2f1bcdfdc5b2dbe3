"""What every layer of the command framework shares: the "no value"
marker, where a parameter's value came from, the help page's width and
:func:`echo`."""

from __future__ import annotations

import enum
import shutil
import sys
import typing as t


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
