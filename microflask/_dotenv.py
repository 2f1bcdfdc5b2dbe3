"""A small parser for ``.env`` files (the format python-dotenv reads).

Theory of operation: :func:`parse_dotenv` walks the text once with an
index, one statement at a time. A statement is an optional ``export``, a
key, ``=`` and a value; blank lines and ``#`` comments are skipped. The
value is read by its first character: ``'...'`` keeps everything but
``\\'`` and ``\\\\`` literally, ``"..."`` decodes the usual backslash
escapes, and both may span lines; an unquoted value runs to the end of the
line, loses a `` #comment`` and its surrounding spaces. A key with no ``=``
gets the value ``None``. A statement that cannot be read is reported by its
line number and skipped up to the next line, so one typo never hides the
rest of the file. Finally ``${NAME}`` and ``${NAME:-default}`` are expanded,
left to right, from the keys read before and then the environment, the way
python-dotenv does (in single-quoted values too, for compatibility). Every
step advances the index, so the work is linear in the file size.
"""

from __future__ import annotations

import os
import typing as t

__all__ = ["DotenvResult", "expand_variables", "find_dotenv", "parse_dotenv", "read_dotenv"]

_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
}
_KEY_END = frozenset(" \t=\n\r#")


class DotenvResult(t.NamedTuple):
    """What :func:`parse_dotenv` found."""

    #: Key -> value (``None`` for a bare key), in file order.
    values: dict[str, str | None]
    #: The line numbers (1-based) of statements that could not be read.
    errors: list[int]


class _Cursor:
    """The scan position over the text, with the line number for errors."""

    __slots__ = ("text", "pos", "end")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.end = len(text)

    def line_number(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def skip_spaces(self) -> None:
        text, pos, end = self.text, self.pos, self.end
        while pos < end and text[pos] in " \t":
            pos += 1
        self.pos = pos

    def skip_line(self) -> None:
        newline = self.text.find("\n", self.pos)
        self.pos = self.end if newline == -1 else newline + 1

    def at_line_end(self) -> bool:
        return self.pos >= self.end or self.text[self.pos] in "\r\n"


class _ParseError(Exception):
    pass


def parse_dotenv(text: str, environ: t.Mapping[str, str] | None = None) -> DotenvResult:
    """Parse the text of a ``.env`` file and expand its variables.

    :param text: the file's content.
    :param environ: where ``${NAME}`` looks after the file's own keys
        (default: :data:`os.environ`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    cursor = _Cursor(text)
    raw: list[tuple[str, str | None, bool]] = []
    errors: list[int] = []
    while cursor.pos < cursor.end:
        start = cursor.pos
        try:
            entry = _read_statement(cursor)
        except _ParseError:
            errors.append(cursor.line_number(start))
            cursor.pos = start
            cursor.skip_line()
            continue
        if entry is not None:
            raw.append(entry)
    env = os.environ if environ is None else environ
    values: dict[str, str | None] = {}
    for key, value, expand in raw:
        if value is not None and expand:
            value = expand_variables(value, values, env)
        values[key] = value
    return DotenvResult(values, errors)


def _read_statement(cursor: _Cursor) -> tuple[str, str | None, bool] | None:
    """Read one statement; ``None`` for a blank or comment line."""
    cursor.skip_spaces()
    text = cursor.text
    if cursor.at_line_end() or text[cursor.pos] == "#":
        cursor.skip_line()
        return None
    if text.startswith("export", cursor.pos) and text[cursor.pos + 6 : cursor.pos + 7] in (" ", "\t"):
        cursor.pos += 6
        cursor.skip_spaces()
    key = _read_key(cursor)
    cursor.skip_spaces()
    if cursor.at_line_end() or text[cursor.pos] == "#":
        cursor.skip_line()
        return key, None, False
    if text[cursor.pos] != "=":
        raise _ParseError
    cursor.pos += 1
    cursor.skip_spaces()
    value = _read_value(cursor)
    return key, value, True


def _read_key(cursor: _Cursor) -> str:
    text, pos, end = cursor.text, cursor.pos, cursor.end
    if pos < end and text[pos] == "'":
        close = text.find("'", pos + 1)
        if close == -1 or "\n" in text[pos:close]:
            raise _ParseError
        cursor.pos = close + 1
        return text[pos + 1 : close]
    start = pos
    while pos < end and text[pos] not in _KEY_END:
        pos += 1
    if pos == start:
        raise _ParseError
    cursor.pos = pos
    return text[start:pos]


def _read_value(cursor: _Cursor) -> str:
    text = cursor.text
    if cursor.at_line_end():
        cursor.skip_line()
        return ""
    quote = text[cursor.pos]
    if quote in "'\"":
        value = _read_quoted(cursor, quote)
        cursor.skip_spaces()
        if not cursor.at_line_end() and text[cursor.pos] != "#":
            raise _ParseError
        cursor.skip_line()
        return value
    newline = text.find("\n", cursor.pos)
    line_end = cursor.end if newline == -1 else newline
    value = text[cursor.pos : line_end]
    cursor.pos = line_end
    cursor.skip_line()
    # A comment needs a space before the "#", so "a#b" stays a value.
    for marker in (" #", "\t#"):
        cut = value.find(marker)
        if cut != -1:
            value = value[:cut]
    return value.strip()


def _read_quoted(cursor: _Cursor, quote: str) -> str:
    """Read a quoted value (possibly over several lines), decoding escapes:
    all of them in double quotes, only the quote and backslash in single."""
    text, pos, end = cursor.text, cursor.pos + 1, cursor.end
    parts: list[str] = []
    while True:
        close = text.find(quote, pos)
        backslash = text.find("\\", pos, end if close == -1 else close)
        if backslash == -1:
            if close == -1:
                raise _ParseError
            parts.append(text[pos:close])
            cursor.pos = close + 1
            return "".join(parts)
        parts.append(text[pos:backslash])
        escaped = text[backslash + 1 : backslash + 2]
        if quote == '"' and escaped in _ESCAPES:
            parts.append(_ESCAPES[escaped])
        elif quote == "'" and escaped in ("'", "\\"):
            parts.append(escaped)
        else:
            parts.append(text[backslash : backslash + 2])
        pos = backslash + 2


def expand_variables(value: str, defined: t.Mapping[str, str | None], environ: t.Mapping[str, str]) -> str:
    """Replace ``${NAME}`` and ``${NAME:-default}`` in ``value``: from
    ``defined`` (the file's earlier keys) first, then ``environ``, else the
    default (or the empty string). An unclosed ``${`` stays as it is."""
    start = value.find("${")
    if start == -1:
        return value
    parts: list[str] = []
    pos = 0
    while start != -1:
        close = value.find("}", start + 2)
        if close == -1:
            break
        name, _, default = value[start + 2 : close].partition(":-")
        found = defined.get(name)
        if found is None:
            found = environ.get(name)
        parts.append(value[pos:start])
        parts.append(default if found is None else found)
        pos = close + 1
        start = value.find("${", pos)
    parts.append(value[pos:])
    return "".join(parts)


def read_dotenv(path: str | os.PathLike[str], environ: t.Mapping[str, str] | None = None) -> DotenvResult:
    """Parse the ``.env`` file at ``path`` (UTF-8)."""
    with open(path, encoding="utf-8") as f:
        return parse_dotenv(f.read(), environ)


def find_dotenv(name: str, start: str | None = None) -> str | None:
    """The path of the file ``name`` in ``start`` (default: the current
    directory) or the nearest of its parents; ``None`` when there is none."""
    directory = os.path.abspath(start if start is not None else os.getcwd())
    while True:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
