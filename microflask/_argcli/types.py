"""Parameter types: converting a command-line string into a Python value."""

from __future__ import annotations

import collections.abc as cabc
import os
import pathlib
import typing as t

from .exceptions import BadParameter
from .utils import MISSING

if t.TYPE_CHECKING:
    from .context import Context
    from .params import Parameter


class ParamType:
    """Converts a command-line string into a Python value."""

    #: The name shown in help (upper-cased as the metavar) and errors.
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        """Convert ``value``; raise :class:`BadParameter` when it is invalid."""
        return value

    def get_metavar(self) -> str:
        return self.name.upper()

    def fail(self, message: str, param: Parameter | None, ctx: Context | None) -> t.NoReturn:
        raise BadParameter(message, ctx, param)


class _StringType(ParamType):
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return value if isinstance(value, str) else str(value)


class _NumberType(ParamType):
    def __init__(self, func: type[int] | type[float], name: str, article: str) -> None:
        self.func = func
        self.name = name
        self.article = article

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, self.func):
            return value
        try:
            return self.func(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"{value!r} is not {self.article} {self.name}.", param, ctx)


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", ""})


class _BoolType(ParamType):
    name = "boolean"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        recognized = ", ".join(sorted(_TRUE | _FALSE))
        self.fail(f"{value!r} is not a valid boolean. Recognized values: {recognized}", param, ctx)


class Choice(ParamType):
    """One of a fixed set of strings.

    :param choices: the accepted values.
    :param case_sensitive: compare case-sensitively (default).
    """

    name = "choice"

    def __init__(self, choices: cabc.Sequence[str], case_sensitive: bool = True) -> None:
        self.choices = tuple(choices)
        self.case_sensitive = case_sensitive

    def get_metavar(self) -> str:
        return f"[{'|'.join(self.choices)}]"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if value in self.choices:
            return value
        if not self.case_sensitive:
            for choice in self.choices:
                if choice.casefold() == str(value).casefold():
                    return choice
        listed = ", ".join(repr(c) for c in self.choices)
        self.fail(f"{value!r} is not one of {listed}.", param, ctx)


class Path(ParamType):
    """A file-system path, optionally checked.

    :param exists: the path must exist.
    :param file_okay: a file is accepted.
    :param dir_okay: a directory is accepted.
    :param path_type: the returned type (``str`` by default, or
        :class:`pathlib.Path`).
    :param resolve_path: return the absolute path with symlinks resolved.
    """

    def __init__(
        self,
        exists: bool = False,
        file_okay: bool = True,
        dir_okay: bool = True,
        path_type: type[t.Any] | None = None,
        resolve_path: bool = False,
    ) -> None:
        self.exists = exists
        self.resolve_path = resolve_path
        self.file_okay = file_okay
        self.dir_okay = dir_okay
        self.path_type = path_type
        self.name = "file" if not dir_okay and file_okay else "directory" if not file_okay else "path"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        given = os.fspath(value)
        # Checked (and returned) resolved; errors name the path as given.
        text = os.path.realpath(given) if self.resolve_path else given
        kind = self.name.capitalize()
        if self.exists or not (self.file_okay and self.dir_okay):
            if not os.path.exists(text):
                if self.exists:
                    self.fail(f"{kind} {given!r} does not exist.", param, ctx)
            elif not self.file_okay and not os.path.isdir(text):
                self.fail(f"{kind} {given!r} is a file.", param, ctx)
            elif not self.dir_okay and os.path.isdir(text):
                self.fail(f"{kind} {given!r} is a directory.", param, ctx)
        return text if self.path_type is None else self.path_type(text)


class _FuncType(ParamType):
    """Any one-argument callable used as a type (``ValueError`` -> usage error)."""

    def __init__(self, func: t.Callable[[str], t.Any]) -> None:
        self.func = func
        self.name = getattr(func, "__name__", "value")

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        try:
            return self.func(value)
        except (TypeError, ValueError) as e:
            self.fail(str(e) or f"{value!r} is not a valid {self.name}.", param, ctx)


STRING = _StringType()
INT = _NumberType(int, "integer", "a valid")
FLOAT = _NumberType(float, "float", "a valid")
BOOL = _BoolType()
#: ``os.PathLike`` as a plain class for ``issubclass`` (checkers refuse
#: protocols with attributes there; the ABC's subclass hook answers).
_PATH_LIKE: type = os.PathLike

_BY_PYTHON_TYPE: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}


def convert_type(ty: t.Any, default: t.Any = MISSING) -> ParamType:
    """The :class:`ParamType` for ``ty`` (a ParamType, a Python type or a
    callable); without one, guessed from the default's type."""
    if isinstance(ty, ParamType):
        return ty
    if ty is None:
        if default is MISSING or default is None:
            return STRING
        if isinstance(default, (list, tuple)):
            return convert_type(None, default[0]) if default else STRING
        ty = type(default)
    found = _BY_PYTHON_TYPE.get(ty)
    if found is not None:
        return found
    if isinstance(ty, type) and issubclass(ty, _PATH_LIKE):
        return Path(path_type=ty)
    if callable(ty):
        return _FuncType(ty)
    raise TypeError(f"Cannot use {ty!r} as a parameter type.")


#: :class:`pathlib.Path` is accepted as a type directly.
_BY_PYTHON_TYPE[pathlib.Path] = Path(path_type=pathlib.Path)
