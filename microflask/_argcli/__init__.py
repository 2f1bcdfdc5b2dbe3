"""A small click-like command framework on :mod:`argparse`.

Theory of operation: a :class:`Command` owns :class:`Parameter` objects
(:class:`Option` and :class:`Argument`), declared with the :func:`option` and
:func:`argument` decorators or inferred from the callback's signature
(positional parameters become arguments, parameters with defaults become
``--options``, type hints choose the conversion). Running a command builds
a :class:`Context`: the command's tokens are parsed by an
:class:`argparse.ArgumentParser` that only splits them (every value stays a
string), then each parameter takes its value from the command line, an
environment variable or its default, converts it and runs its callback,
eager parameters first. Errors become :class:`UsageError` with click's
wording and exit code 2. A :class:`Group` takes its own options up to the
first plain word, which names the subcommand; the rest of the tokens go to
that command in a child context. Help pages are laid out like click's.
When the user's code uses click, a group also runs click commands
(:mod:`.interop`), and functions declared with click's decorators become
click commands (:mod:`.foreign`); click itself is never imported here.

The modules, each importing only those before it: ``utils``, ``globals``
(the current context), ``exceptions``, ``foreign`` (recognising click),
``types``, ``params``, ``inference``, ``context``, ``parser``,
``formatting``, ``core`` (commands and groups), ``decorators``, ``interop``.
"""

from __future__ import annotations

from .utils import MISSING as MISSING
from .utils import ParameterSource as ParameterSource
from .utils import echo as echo
from .exceptions import Abort as Abort
from .exceptions import BadParameter as BadParameter
from .exceptions import CommandError as CommandError
from .exceptions import Exit as Exit
from .exceptions import UsageError as UsageError
from .globals import get_current_context as get_current_context
from .types import BOOL as BOOL
from .types import Choice as Choice
from .types import FLOAT as FLOAT
from .types import INT as INT
from .types import ParamType as ParamType
from .types import Path as Path
from .types import STRING as STRING
from .types import convert_type as convert_type
from .params import Argument as Argument
from .params import Option as Option
from .params import Parameter as Parameter
from .inference import infer_params as infer_params
from .context import Context as Context
from .context import pass_context as pass_context
from .context import pass_obj as pass_obj
from .core import Command as Command
from .core import Group as Group
from .core import command as command
from .core import group as group
from .decorators import argument as argument
from .decorators import option as option

__all__ = [
    "Abort",
    "Argument",
    "BOOL",
    "BadParameter",
    "Choice",
    "Command",
    "CommandError",
    "Context",
    "Exit",
    "FLOAT",
    "Group",
    "INT",
    "Option",
    "ParamType",
    "Parameter",
    "ParameterSource",
    "Path",
    "STRING",
    "UsageError",
    "argument",
    "command",
    "echo",
    "get_current_context",
    "group",
    "option",
    "pass_context",
    "pass_obj",
]
