"""Safe HTML strings: :class:`Markup` and :func:`escape`, with MarkupSafe 3 semantics.

A :class:`Markup` is a ``str`` that is known to be safe to put into HTML as it
is. Anything combined with it (``+``, ``%``, ``format``, ``join``) is escaped
first, unless it is itself safe, i.e. it has an ``__html__`` method (the
``__html__`` protocol shared by template engines and frameworks).
"""

from __future__ import annotations

import re
import string
import typing as t

__all__ = ["Markup", "escape", "escape_silent", "soft_str"]


class _HasHTML(t.Protocol):
    def __html__(self) -> str: ...


class _FormatMapping(t.Protocol):
    """What ``format_map`` needs of its argument (as ``str.format_map``)."""

    def __getitem__(self, key: str, /) -> t.Any: ...


def escape(s: t.Any) -> Markup:
    """Replace ``& < > ' "`` with HTML-safe sequences and mark the result safe.

    Objects with an ``__html__`` method are trusted: their ``__html__()`` is used
    unchanged. Everything else goes through ``str`` first, so ``None`` becomes
    ``'None'``.

    :param s: the value to escape.
    """
    # PERF: the exact types that cannot have ``__html__`` are recognised
    # without an attribute lookup (a failed ``hasattr`` on a str costs more
    # than the escaping); a str is escaped by :func:`_escape_output`, and
    # ``str.__new__`` skips ``Markup.__new__``'s checks. Every other type
    # takes the general path, which gives the same results (tested).
    cls = type(s)
    if cls is str:
        return _new_markup(Markup, _escape_output(s))
    if cls is Markup:
        return s  # type: ignore[no-any-return]  # exactly a Markup: tested above
    if cls is int or cls is float:
        # Their text never holds a character to escape.
        return _new_markup(Markup, str(s))
    return _escape_general(s)


def _escape_output(s: t.Any) -> str:
    """:func:`escape` for text formatted straight into output: the same
    characters, but a ``str`` is not wrapped in :class:`Markup` (compiled
    templates put it into ``'...%s...' % (...)``, which copies any ``str``
    subclass back into a plain ``str``; skipping the wrap skips both).
    Only the type of the result differs from :func:`escape`, never its text
    (tested against it).
    """
    # PERF: this runs for every ``{{ }}`` of an autoescaped template that is
    # formatted with other text. For a str, each ``in`` is a memchr-speed
    # scan, so text with nothing to escape costs five scans and no copy, and
    # only the characters present are replaced.
    cls = type(s)
    if cls is str:
        if "&" in s:
            s = s.replace("&", "&amp;")
        if ">" in s:
            s = s.replace(">", "&gt;")
        if "<" in s:
            s = s.replace("<", "&lt;")
        if "'" in s:
            s = s.replace("'", "&#39;")
        if '"' in s:
            s = s.replace('"', "&#34;")
        return s  # type: ignore[no-any-return]  # exactly a str: tested above
    if cls is Markup:
        return s  # type: ignore[no-any-return]  # exactly a Markup: tested above
    if cls is int or cls is float:
        return str(s)
    return escape(s)


def _escape_general(s: t.Any) -> Markup:
    """:func:`escape` for any value, without the type shortcuts.

    An ``__html__`` method is trusted; anything else is converted with
    ``str`` and the text of the result is escaped, whatever its type (a
    ``__str__`` returning a str subclass, even a ``Markup``, is escaped too).
    """
    if hasattr(s, "__html__"):
        html = s.__html__()
        if type(html) is str:
            return _new_markup(Markup, html)
        return Markup(html)
    text = str(s)
    if type(text) is not str:
        # A str subclass (its __str__ may return itself, and its methods may
        # be overridden): escape a plain copy of its text.
        text = "".join((text,))
    return _new_markup(Markup, _escape_output(text))


_new_markup = str.__new__


def escape_silent(s: t.Any) -> Markup:
    """Like :func:`escape` but ``None`` becomes an empty string.

    :param s: the value to escape.
    """
    if s is None:
        return Markup()
    return escape(s)


def soft_str(s: t.Any) -> str:
    """Convert to ``str`` unless the value already is a string (keeping Markup safe).

    :param s: the value to convert.
    """
    if not isinstance(s, str):
        return str(s)
    return s


class Markup(str):
    """A string that is safe to include in HTML without escaping.

    Passing an object with ``__html__`` uses its HTML form. Operations that mix
    in other values escape those values first::

        >>> Markup("<em>%s</em>") % "<foot>"
        Markup('<em>&lt;foot&gt;</em>')
    """

    __slots__ = ()

    def __new__(
        cls, base: t.Any = "", encoding: str | None = None, errors: str = "strict"
    ) -> Markup:
        # PERF: a plain text (what compiled templates and macros wrap) skips
        # the ``__html__`` lookup, which fails slowly on a ``str``.
        if type(base) is str and encoding is None:
            return _new_markup(cls, base)
        # Anything str() accepts; bytes-like when an encoding is given.
        value: t.Any = base
        if hasattr(value, "__html__"):
            value = value.__html__()
        if encoding is None:
            return super().__new__(cls, value)
        return super().__new__(cls, value, encoding, errors)

    def __html__(self) -> Markup:
        return self

    def __add__(self, value: t.Any) -> Markup:
        if isinstance(value, str) or hasattr(value, "__html__"):
            return self.__class__(str.__add__(self, self.escape(value)))
        return NotImplemented

    def __radd__(self, value: t.Any) -> Markup:
        if isinstance(value, str) or hasattr(value, "__html__"):
            return self.escape(value).__add__(self)
        return NotImplemented

    def __mul__(self, value: t.SupportsIndex) -> Markup:
        return self.__class__(str.__mul__(self, value))

    def __rmul__(self, value: t.SupportsIndex) -> Markup:
        return self.__class__(str.__mul__(self, value))

    def __mod__(self, value: t.Any) -> Markup:
        if isinstance(value, tuple):
            value = tuple(_EscapeHelper(x, self.escape) for x in value)
        elif hasattr(type(value), "__getitem__") and not isinstance(value, str):
            # a mapping (``%(name)s``) or a sequence used as one value
            value = _EscapeHelper(value, self.escape)
        else:
            # a 1-tuple, so that a format without placeholders still raises
            # "not all arguments converted" (a bare helper looks like a mapping)
            value = (_EscapeHelper(value, self.escape),)
        return self.__class__(str.__mod__(self, value))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({str.__repr__(self)})"

    def join(self, iterable: t.Iterable[t.Any]) -> Markup:
        return self.__class__(str.join(self, map(self.escape, iterable)))

    def split(  # type: ignore[override]  # the parts are Markup too
        self, sep: str | None = None, maxsplit: t.SupportsIndex = -1
    ) -> list[Markup]:
        return [self.__class__(v) for v in str.split(self, sep, maxsplit)]

    def rsplit(  # type: ignore[override]  # the parts are Markup too
        self, sep: str | None = None, maxsplit: t.SupportsIndex = -1
    ) -> list[Markup]:
        return [self.__class__(v) for v in str.rsplit(self, sep, maxsplit)]

    def splitlines(self, keepends: bool = False) -> list[Markup]:  # type: ignore[override]  # the lines are Markup too
        return [self.__class__(v) for v in str.splitlines(self, keepends)]

    def unescape(self) -> str:
        """Convert HTML entities back to characters; the result is a plain ``str``."""
        # Cold start: html loads its 2,000-entry entity table.
        import html

        return html.unescape(str(self))

    def striptags(self) -> str:
        """Remove comments and tags, collapse whitespace, then :meth:`unescape`.

        Linear time: hostile input such as many unclosed ``<`` cannot make
        it slow (see :func:`_strip_tags`).
        """
        text = _strip_tags(str(self))
        if type(self) is Markup:
            # PERF: the stock class's unescape is html.unescape of the text;
            # a subclass (which may override unescape) takes the general way.
            # Cold start: html loads its 2,000-entry entity table.
            import html

            return html.unescape(text)
        return self.__class__(text).unescape()

    @classmethod
    def escape(cls, s: t.Any) -> Markup:
        """Escape a value; subclasses get an instance of themselves back."""
        rv = escape(s)
        if rv.__class__ is not cls:
            return cls(rv)
        return rv

    def __getitem__(self, key: t.Any) -> Markup:
        return self.__class__(str.__getitem__(self, key))

    def capitalize(self) -> Markup:
        return self.__class__(str.capitalize(self))

    def title(self) -> Markup:
        return self.__class__(str.title(self))

    def lower(self) -> Markup:
        return self.__class__(str.lower(self))

    def upper(self) -> Markup:
        return self.__class__(str.upper(self))

    def casefold(self) -> Markup:
        return self.__class__(str.casefold(self))

    def swapcase(self) -> Markup:
        return self.__class__(str.swapcase(self))

    def replace(self, old: str, new: str, count: t.SupportsIndex = -1) -> Markup:
        return self.__class__(str.replace(self, old, self.escape(new), count))

    def ljust(self, width: t.SupportsIndex, fillchar: str = " ") -> Markup:
        return self.__class__(str.ljust(self, width, self.escape(fillchar)))

    def rjust(self, width: t.SupportsIndex, fillchar: str = " ") -> Markup:
        return self.__class__(str.rjust(self, width, self.escape(fillchar)))

    def center(self, width: t.SupportsIndex, fillchar: str = " ") -> Markup:
        return self.__class__(str.center(self, width, self.escape(fillchar)))

    def strip(self, chars: str | None = None) -> Markup:
        return self.__class__(str.strip(self, chars))

    def lstrip(self, chars: str | None = None) -> Markup:
        return self.__class__(str.lstrip(self, chars))

    def rstrip(self, chars: str | None = None) -> Markup:
        return self.__class__(str.rstrip(self, chars))

    def removeprefix(self, prefix: str) -> Markup:
        return self.__class__(str.removeprefix(self, prefix))

    def removesuffix(self, suffix: str) -> Markup:
        return self.__class__(str.removesuffix(self, suffix))

    def translate(self, table: t.Any) -> Markup:
        return self.__class__(str.translate(self, table))

    def expandtabs(self, tabsize: t.SupportsIndex = 8) -> Markup:
        return self.__class__(str.expandtabs(self, tabsize))

    def zfill(self, width: t.SupportsIndex) -> Markup:
        return self.__class__(str.zfill(self, width))

    def partition(self, sep: str) -> tuple[Markup, Markup, Markup]:
        left, middle, right = str.partition(self, self.escape(sep))
        cls = self.__class__
        return cls(left), cls(middle), cls(right)

    def rpartition(self, sep: str) -> tuple[Markup, Markup, Markup]:
        left, middle, right = str.rpartition(self, self.escape(sep))
        cls = self.__class__
        return cls(left), cls(middle), cls(right)

    def format(self, *args: t.Any, **kwargs: t.Any) -> Markup:
        formatter = _EscapeFormatter(self.escape)
        return self.__class__(formatter.vformat(self, args, kwargs))

    def format_map(self, mapping: _FormatMapping) -> Markup:
        formatter = _EscapeFormatter(self.escape)
        return self.__class__(formatter.vformat(self, (), mapping))  # type: ignore[call-overload]  # vformat only indexes it

    def __html_format__(self, format_spec: str) -> Markup:
        if format_spec:
            raise ValueError("Unsupported format specification for Markup.")
        return self


_MARKUP_RE = re.compile(r"<!--.*?-->|<(?!!--)[^>]*>", re.S)


def _strip_markup_scan(value: str) -> str:
    """Remove comments and tags in one left-to-right pass, as MarkupSafe
    3.0.4 does: at each ``<``, a ``<!--`` runs to the first ``-->`` after
    it, anything else to the first ``>`` after it; an opener without its
    closer ends the pass and the rest stays as it is. Linear: every find
    starts where the last one ended or at the opener it closes."""
    parts: list[str] = []
    pos = 0
    while True:
        start = value.find("<", pos)
        if start == -1:
            break
        if value.startswith("<!--", start):
            end = value.find("-->", start + 4)
            if end == -1:
                break
            end += 3
        else:
            end = value.find(">", start + 1)
            if end == -1:
                break
            end += 1
        parts.append(value[pos:start])
        pos = end
    parts.append(value[pos:])
    return "".join(parts)


def _strip_tags(value: str) -> str:
    """Remove comments and tags (:func:`_strip_markup_scan`'s rule), then
    collapse whitespace.

    PERF: when every opener has its closer somewhere after it (the last
    ``<`` comes before the last ``>``, the last ``<!--`` before the last
    ``-->``), the pass never stops early and one regular-expression
    substitution removes the same spans in C; otherwise the scan runs.
    """
    if "<" in value:
        last_comment = value.rfind("<!--")
        if value.rfind("<") < value.rfind(">") and (
            last_comment == -1 or last_comment + 4 <= value.rfind("-->")
        ):
            value = _MARKUP_RE.sub("", value)
        else:
            value = _strip_markup_scan(value)
    return " ".join(value.split())



class _EscapeFormatter(string.Formatter):
    """A ``str.format`` engine that escapes every substituted field."""

    __slots__ = ("escape",)

    def __init__(self, escape: t.Callable[[t.Any], Markup]) -> None:
        self.escape = escape
        super().__init__()

    def format_field(self, value: t.Any, format_spec: str) -> str:
        if hasattr(value, "__html_format__"):
            rv = value.__html_format__(format_spec)
        elif hasattr(value, "__html__"):
            if format_spec:
                raise ValueError(
                    f"Format specifier {format_spec} given, but {type(value)} does"
                    " not define __html_format__. A class that defines __html__ must"
                    " define __html_format__ to work with format specifiers."
                )
            rv = value.__html__()
        else:
            # Format first so specifiers such as ``:>3`` see the raw value.
            rv = string.Formatter.format_field(self, value, str(format_spec))
        return str(self.escape(rv))


class _EscapeHelper:
    """Wraps a ``%`` argument so that ``%s``/``%r`` produce escaped text."""

    __slots__ = ("obj", "escape")

    def __init__(self, obj: t.Any, escape: t.Callable[[t.Any], Markup]) -> None:
        self.obj = obj
        self.escape = escape

    def __getitem__(self, key: t.Any) -> _EscapeHelper:
        return _EscapeHelper(self.obj[key], self.escape)

    def __str__(self) -> str:
        return str(self.escape(self.obj))

    def __repr__(self) -> str:
        return str(self.escape(repr(self.obj)))

    def __int__(self) -> int:
        return int(self.obj)

    def __float__(self) -> float:
        return float(self.obj)

    def __index__(self) -> int:
        return self.obj.__index__()  # type: ignore[no-any-return]  # __index__ returns an int by contract
