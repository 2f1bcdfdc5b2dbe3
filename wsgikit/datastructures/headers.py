"""HTTP headers: an ordered, case-insensitive multi-value list.

:class:`Headers` stores ``(name, value)`` tuples in one list, in the order
they will be sent, because header order and repeated headers
(``Set-Cookie``) matter on the wire. Lookups compare names
case-insensitively. Every name and value that enters is checked: a name
must be an RFC 9110 token and a value must not hold CR, LF or NUL, else
:exc:`ValueError`, so a header can never be split into two or smuggle a
response line. :class:`EnvironHeaders` is the read-only
view of the ``HTTP_*`` keys of a WSGI environ.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Iterable
from collections.abc import Mapping

from .._http_text import dump_options_header
from .mixins import ImmutableHeadersMixin
from .mixins import _missing
from .mixins import is_immutable
from .structures import MultiDict
from .structures import _bad_request_key
from .structures import iter_multi_items

if t.TYPE_CHECKING:
    import collections.abc as cabc

    import typing_extensions as te
    from _typeshed.wsgi import WSGIEnvironment

T = t.TypeVar("T")

_list_types = (list, tuple, set)


def _str_header_value(value: t.Any) -> str:
    """Return ``value`` as a header value string, refusing CR, LF and NUL."""
    if value.__class__ is not str:
        value = str(value)
    if "\n" in value or "\r" in value:
        raise ValueError("Header values must not contain newline characters.")
    if "\x00" in value:
        raise ValueError("Header values must not contain NUL characters.")
    return value  # type: ignore[no-any-return]  # a str by now: converted above


# RFC 9110 section 5.1: a field name is a token.
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# PERF: names already checked are remembered, so the usual few dozen names
# cost one set lookup each; the cache is bounded so arbitrary names from
# user code cannot grow it without limit.
_CHECKED_NAMES: set[str] = set()
_CHECKED_NAMES_MAX = 2048


def _check_header_name(key: str) -> str:
    """Return ``key`` unchanged if it is an RFC 9110 token, else raise
    :exc:`ValueError` (Werkzeug lets CR, LF, NUL, spaces, colons and the
    empty name through; a name like ``"X-B: c"`` would forge a header on
    the wire, so we do not). A name that is not a string is refused with a
    clear :exc:`TypeError` (it could never be sent).
    """
    if key.__class__ is str and key in _CHECKED_NAMES:
        return key
    if not isinstance(key, str):
        raise TypeError(f"Header names must be strings, not {type(key).__name__!r}.")
    if "\n" in key or "\r" in key:
        raise ValueError("Header names must not contain newline characters.")
    if "\x00" in key:
        raise ValueError("Header names must not contain NUL characters.")
    if _TOKEN_RE.fullmatch(key) is None:
        raise ValueError(
            f"Invalid header name {key!r}: a header name must be a non-empty RFC 9110"
            " token (letters, digits and !#$%&'*+-.^_`|~; no spaces, colons or"
            " other separators)."
        )
    if len(_CHECKED_NAMES) < _CHECKED_NAMES_MAX and key.__class__ is str:
        _CHECKED_NAMES.add(key)
    return key


def _options_header_vkw(value: str, kw: dict[str, t.Any]) -> str:
    """Append ``kw`` to ``value`` as ``; key=value`` options
    (underscores in keys become dashes).
    """
    return dump_options_header(value, {k.replace("_", "-"): v for k, v in kw.items()})


class Headers:
    """An ordered list of ``(name, value)`` header pairs with a
    case-insensitive, dict-like API.

    Values are stored as strings (anything else is converted with
    :func:`str`); names and values containing CR, LF or NUL raise
    :exc:`ValueError`. Indexing by name returns the first value, by int or
    slice returns pairs::

        >>> h = Headers([("Content-Type", "text/html")])
        >>> h.add("Set-Cookie", "a=1")
        >>> h["content-type"], h[1]
        ('text/html', ('Set-Cookie', 'a=1'))

    A missing name raises :exc:`~wsgikit.exceptions.BadRequestKeyError`.

    :param defaults: initial headers: a :class:`Headers`, a
        :class:`MultiDict`, a mapping (list values add several headers)
        or an iterable of pairs.
    """

    # PERF: one list attribute; slots make the attribute access cheaper.
    __slots__ = ("_list", "__weakref__")

    def __init__(
        self,
        defaults: (
            Headers
            | MultiDict[str, t.Any]
            | cabc.Mapping[str, t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any]]
            | cabc.Iterable[tuple[str, t.Any]]
            | None
        ) = None,
    ) -> None:
        self._list: list[tuple[str, str]] = []
        if defaults is None:
            return
        if defaults.__class__ is list:
            # PERF: a list of pairs (the usual start_response argument or a
            # view's headers) is checked and stored in one tight loop.
            # Deliberately inlines _str_header_value/_check_header_name.
            append = self._list.append
            for key, value in defaults:
                if value.__class__ is not str:
                    value = str(value)
                if "\n" in value or "\r" in value or "\x00" in value:
                    _str_header_value(value)
                if key.__class__ is not str or key not in _CHECKED_NAMES:
                    _check_header_name(key)
                append((key, value))
        elif isinstance(defaults, Headers) and defaults.__class__ is Headers:
            # Already checked when they entered the other Headers.
            self._list.extend(defaults._list)
        else:
            self.extend(defaults)

    @t.overload
    def __getitem__(self, key: str) -> str: ...
    @t.overload
    def __getitem__(self, key: int) -> tuple[str, str]: ...
    @t.overload
    def __getitem__(self, key: slice) -> te.Self: ...
    def __getitem__(self, key: str | int | slice) -> str | tuple[str, str] | te.Self:
        """Return the first value of a header name, the pair at an index, or
        a new :class:`Headers` for a slice.
        """
        if key.__class__ is str:
            # PERF: most lookups use the stored casing, so an equality test
            # avoids lowering every stored name.
            ikey = key.lower()  # pyright: ignore[reportAttributeAccessIssue]  # a str: tested just above
            for k, v in self._list:
                if k == key or k.lower() == ikey:
                    return v
            raise _bad_request_key(key)
        if isinstance(key, int):
            return self._list[key]
        if isinstance(key, slice):
            return self.__class__(self._list[key])
        if isinstance(key, str):
            return self[str(key)]
        raise _bad_request_key(key)

    def __eq__(self, other: object) -> bool:
        # Only the same class compares equal (as in Werkzeug).
        if type(other) is not type(self):
            return NotImplemented

        def lowered(headers: Headers) -> set[tuple[str, str]]:
            return {(k.lower(), v) for k, v in headers._list}

        return lowered(self) == lowered(other)

    __hash__ = None  # type: ignore[assignment]  # unhashable: compared by content, in any order

    @t.overload
    def get(self, key: str, default: None = None, type: None = None) -> str | None: ...
    @t.overload
    def get(self, key: str, default: str, type: None = None) -> str: ...
    @t.overload
    def get(self, key: str, default: T, type: None = None) -> str | T: ...
    @t.overload
    def get(self, key: str, default: None = None, *, type: cabc.Callable[[str], T]) -> T | None: ...
    @t.overload
    def get(self, key: str, default: T, type: cabc.Callable[[str], T]) -> T: ...
    def get(
        self,
        key: str,
        default: str | T | None = None,
        type: cabc.Callable[[str], T] | None = None,
    ) -> str | T | None:
        """Return the first value of header ``key``, or ``default``.

        :param type: converts the value; a :exc:`ValueError` or
            :exc:`TypeError` from it returns ``default``.
        """
        ikey = key.lower()
        for k, v in self._list:
            if k == key or k.lower() == ikey:
                break
        else:
            return default
        if type is None:
            return v
        try:
            return type(v)
        except (ValueError, TypeError):
            return default

    @t.overload
    def getlist(self, key: str) -> list[str]: ...
    @t.overload
    def getlist(self, key: str, type: cabc.Callable[[str], T]) -> list[T]: ...
    def getlist(self, key: str, type: cabc.Callable[[str], T] | None = None) -> list[str] | list[T]:
        """Return every value of header ``key`` (empty list if missing).

        :param type: converts each value; values it rejects with
            :exc:`ValueError` or :exc:`TypeError` are left out.
        """
        ikey = key.lower()
        if type is None:
            return [v for k, v in self._list if k.lower() == ikey]
        result = []
        for k, v in self._list:
            if k.lower() == ikey:
                try:
                    result.append(type(v))
                except (ValueError, TypeError):
                    continue
        return result

    def get_all(self, name: str) -> list[str]:
        """Return every value of header ``name`` (like
        :meth:`email.message.Message.get_all`).
        """
        return self.getlist(name)

    def items(self, lower: bool = False) -> t.Iterable[tuple[str, str]]:
        """Yield ``(name, value)`` pairs; names lower-cased if ``lower``."""
        for key, value in self._list:
            if lower:
                key = key.lower()
            yield key, value

    def keys(self, lower: bool = False) -> t.Iterable[str]:
        """Yield the header names (repeats included)."""
        for key, _ in self.items(lower):
            yield key

    def values(self) -> t.Iterable[str]:
        """Yield the header values."""
        for _, value in self._list:
            yield value

    def extend(
        self,
        arg: (
            Headers
            | MultiDict[str, t.Any]
            | cabc.Mapping[str, t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any]]
            | cabc.Iterable[tuple[str, t.Any]]
            | None
        ) = None,
        /,
        **kwargs: str,
    ) -> None:
        """Add headers, keeping existing ones with the same names.

        Accepts what the constructor accepts, plus keyword arguments.
        """
        if arg is not None:
            for key, value in iter_multi_items(arg):
                self.add(key, value)
        for key, value in iter_multi_items(kwargs):
            self.add(key, value)

    def __delitem__(self, key: str | int | slice) -> None:
        """Remove every header named ``key``, or the pair(s) at an index
        or slice. A missing name is not an error.
        """
        if isinstance(key, str):
            self._del_key(key)
        else:
            del self._list[key]

    def _del_key(self, key: str) -> None:
        ikey = key.lower()
        self._list = [item for item in self._list if item[0].lower() != ikey]

    def remove(self, key: str) -> None:
        """Remove every header named ``key`` (no error if there is none)."""
        self._del_key(key)

    @t.overload
    def pop(self) -> tuple[str, str]: ...
    @t.overload
    def pop(self, key: str) -> str: ...
    @t.overload
    def pop(self, key: int | None = ...) -> tuple[str, str]: ...
    @t.overload
    def pop(self, key: str, default: str | T) -> str | T: ...
    def pop(
        self,
        key: str | int | None = None,
        default: str | T = _missing,
    ) -> str | tuple[str, str] | T:
        """Remove and return: the last pair (no key), the pair at an int
        index, or the first value of a name (removing all of its headers).

        :raises ~wsgikit.exceptions.BadRequestKeyError: for a missing name
            without ``default``.
        """
        if key is None:
            return self._list.pop()
        if isinstance(key, int):
            return self._list.pop(key)
        rv = self.get(key, _missing)
        if rv is _missing:
            if default is not _missing:
                return default
            raise _bad_request_key(key)
        self._del_key(key)
        return t.cast(str, rv)  # not the sentinel: a stored value

    def popitem(self) -> tuple[str, str]:
        """Remove and return the last pair."""
        return self.pop()

    def __contains__(self, key: str) -> bool:
        """Whether a header named ``key`` is present (any casing)."""
        if not isinstance(key, str):
            return False
        ikey = key.lower()
        for k, _ in self._list:
            if k == key or k.lower() == ikey:
                return True
        return False

    def __iter__(self) -> t.Iterator[tuple[str, str]]:
        """Iterate over the ``(name, value)`` pairs."""
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    def add(self, key: str, value: t.Any, /, **kwargs: t.Any) -> None:
        """Append a header, keeping any with the same name.

        Keyword arguments become options (``; name=value``), underscores
        turning into dashes::

            >>> h = Headers()
            >>> h.add("Content-Disposition", "attachment", filename="a.txt")
            >>> h["Content-Disposition"]
            'attachment; filename=a.txt'
        """
        if kwargs:
            value = _options_header_vkw(value, kwargs)
        # PERF: inlined fast checks; the helpers only run to raise.
        if value.__class__ is not str:
            value = str(value)
        if "\n" in value or "\r" in value or "\x00" in value:
            _str_header_value(value)
        if key.__class__ is not str or key not in _CHECKED_NAMES:
            _check_header_name(key)
        self._list.append((key, value))

    def add_header(self, key: str, value: t.Any, /, **kwargs: t.Any) -> None:
        """Same as :meth:`add` (the :mod:`wsgiref.headers` name)."""
        self.add(key, value, **kwargs)

    def clear(self) -> None:
        """Remove every header."""
        del self._list[:]

    def set(self, key: str, value: t.Any, /, **kwargs: t.Any) -> None:
        """Set header ``key`` to ``value``, replacing existing ones.

        The new pair takes the position of the first existing header of
        that name (or goes last); options work as in :meth:`add`.
        """
        if kwargs:
            value = _options_header_vkw(value, kwargs)
        # PERF: the same inlined checks as :meth:`add`; the helpers only run
        # to raise.
        if value.__class__ is not str:
            value = str(value)
        if "\n" in value or "\r" in value or "\x00" in value:
            _str_header_value(value)
        if key.__class__ is not str or key not in _CHECKED_NAMES:
            _check_header_name(key)
        lst = self._list
        ikey = key.lower()
        idx = 0
        for old_key, _ in lst:
            if old_key.lower() == ikey:
                break
            idx += 1
        else:
            lst.append((key, value))
            return
        lst[idx] = (key, value)
        if idx + 1 < len(lst):
            lst[idx + 1 :] = [item for item in lst[idx + 1 :] if item[0].lower() != ikey]

    def setlist(self, key: str, values: cabc.Iterable[t.Any]) -> None:
        """Replace header ``key`` with one header per item of ``values``
        (removing it when empty).
        """
        it = iter(values)
        try:
            first = next(it)
        except StopIteration:
            self.remove(key)
            return
        self.set(key, first)
        for value in it:
            self.add(key, value)

    def setdefault(self, key: str, default: t.Any) -> str:
        """Return the first value of ``key``, setting ``default`` first if
        the header is missing.
        """
        if key not in self:
            self.set(key, default)
        return self[key]

    def setlistdefault(self, key: str, default: cabc.Iterable[t.Any]) -> list[str]:
        """Return every value of ``key``, setting ``default`` first if the
        header is missing. (The list is a copy: editing it changes nothing.)
        """
        if key not in self:
            self.setlist(key, default)
        return self.getlist(key)

    @t.overload
    def __setitem__(self, key: str, value: t.Any) -> None: ...
    @t.overload
    def __setitem__(self, key: int, value: tuple[str, t.Any]) -> None: ...
    @t.overload
    def __setitem__(self, key: slice, value: cabc.Iterable[tuple[str, t.Any]]) -> None: ...
    def __setitem__(
        self,
        key: str | int | slice,
        value: t.Any,
    ) -> None:
        """Set a header by name (like :meth:`set`), or replace the pair at
        an index or the pairs in a slice.
        """
        if isinstance(key, str):
            self.set(key, value)
        elif isinstance(key, int):
            name, item = value
            self._list[key] = (_check_header_name(name), _str_header_value(item))
        else:
            self._list[key] = [(_check_header_name(k), _str_header_value(v)) for k, v in value]

    def update(
        self,
        arg: (
            Headers
            | MultiDict[str, t.Any]
            | cabc.Mapping[str, t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any]]
            | cabc.Iterable[tuple[str, t.Any]]
            | None
        ) = None,
        /,
        **kwargs: t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any],
    ) -> None:
        """Replace headers with those given (unlike :meth:`extend`).

        From a :class:`Headers` or :class:`MultiDict`, every value of a
        name replaces the old ones; from a mapping, list/tuple/set values
        do; from an iterable of pairs, each pair is :meth:`set` in turn.
        """
        if arg is not None:
            if isinstance(arg, (Headers, MultiDict)):
                # pyright narrows "an iterable of pairs" to a multi dict keyed by pairs.
                multi: Headers | MultiDict[str, t.Any] = arg  # pyright: ignore[reportAssignmentType]  # as above
                for key in dict.fromkeys(multi.keys()):
                    self.setlist(key, multi.getlist(key))
            elif isinstance(arg, Mapping):
                self._update_from_mapping(arg)  # pyright: ignore[reportArgumentType]  # as above, for a Mapping
            else:
                for key, value in arg:
                    self.set(key, value)
        self._update_from_mapping(kwargs)

    def _update_from_mapping(self, mapping: cabc.Mapping[str, t.Any]) -> None:
        for key, value in mapping.items():
            if isinstance(value, _list_types):
                self.setlist(key, value)
            else:
                self.set(key, value)

    def __or__(
        self, other: cabc.Mapping[str, t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any]]
    ) -> te.Self:
        if not isinstance(other, Mapping):
            return NotImplemented
        rv = self.copy()
        rv.update(other)
        return rv

    def __ior__(
        self,
        other: (
            cabc.Mapping[str, t.Any | list[t.Any] | tuple[t.Any, ...] | cabc.Set[t.Any]]
            | cabc.Iterable[tuple[str, t.Any]]
        ),
    ) -> te.Self:
        if not isinstance(other, (Mapping, Iterable)):
            return NotImplemented
        self.update(other)
        return self

    def to_wsgi_list(self) -> list[tuple[str, str]]:
        """Return the pairs as a new list, ready for ``start_response``."""
        return list(self._list)

    def copy(self) -> te.Self:
        """Return a copy holding the same pairs."""
        return self.__class__(self._list)

    def __copy__(self) -> te.Self:
        return self.copy()

    def __str__(self) -> str:
        """Format the headers as an HTTP header block."""
        lines = [f"{key}: {value}\r\n" for key, value in self._list]
        lines.append("\r\n")
        return "".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._list)!r})"

    def __getstate__(self) -> t.Any:
        return self._list

    def __setstate__(self, state: t.Any) -> None:
        self._list = list(state)


#: Environ keys that are headers but carry no ``HTTP_`` prefix.
_CONTENT_KEYS = frozenset(("CONTENT_TYPE", "CONTENT_LENGTH"))
_HTTP_CONTENT_KEYS = frozenset(("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"))


class EnvironHeaders(ImmutableHeadersMixin, Headers):
    """A read-only :class:`Headers` view of a WSGI environ.

    Names map to environ keys the CGI way (``X-Forwarded-For`` is
    ``HTTP_X_FORWARDED_FOR``; ``Content-Type`` and ``Content-Length`` have
    no prefix). Values are the environ strings as the server gave them
    (latin-1 decoded bytes). Lookups go straight to the environ; iteration
    and everything built on it scan it.

    :param environ: the WSGI environ to read.
    """

    __slots__ = ("environ",)

    #: Header name -> environ key, as :meth:`_environ_key` maps it; one
    #: table per class (a subclass may map names its own way).
    # PERF: the mapping (upper, replace, a set test, a concatenation) runs
    # for every lookup, always with the same few names.
    _environ_keys: t.ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._environ_keys = {}

    def __init__(self, environ: WSGIEnvironment) -> None:
        #: The WSGI environ the headers are read from.
        self.environ = environ

    def _key_of(self, key: str) -> str:
        """:meth:`_environ_key`, memoised per class (bounded) for str names."""
        environ_key = self._environ_keys.get(key) if type(key) is str else None
        if environ_key is None:
            environ_key = self._environ_key(key)
            if type(key) is str:
                keys = self._environ_keys
                if len(keys) >= 512:
                    keys.clear()
                keys[key] = environ_key
        return environ_key

    # The inherited list-based methods (getlist, items, to_wsgi_list, ...)
    # read ``_list``; here it is computed from the environ on each access.
    @property
    def _list(self) -> list[tuple[str, str]]:  # type: ignore[override]  # computed from the environ, not stored
        return list(self.__iter__())

    def __eq__(self, other: object) -> bool:
        # Identity of the environ: comparing contents would need two scans.
        return isinstance(other, EnvironHeaders) and self.environ is other.environ

    __hash__ = None

    @staticmethod
    def _environ_key(key: str) -> str:
        key = key.upper().replace("-", "_")
        if key in _CONTENT_KEYS:
            return key
        return f"HTTP_{key}"

    def __getitem__(self, key: str) -> str:  # type: ignore[override]  # names only; an int or slice raises
        """Return the value of header ``key``.

        :raises KeyError: if it is missing (a plain one, like Werkzeug).
        :raises ~wsgikit.exceptions.BadRequestKeyError: for an int or
            slice key, which this view does not support.
        """
        if not isinstance(key, str):
            raise _bad_request_key(key)
        return self.environ[self._key_of(key)]  # type: ignore[no-any-return]  # environ values are str (PEP 3333)

    @t.overload
    def get(self, key: str, default: None = None, type: None = None) -> str | None: ...
    @t.overload
    def get(self, key: str, default: str, type: None = None) -> str: ...
    @t.overload
    def get(self, key: str, default: T, type: None = None) -> str | T: ...
    @t.overload
    def get(self, key: str, default: None = None, *, type: cabc.Callable[[str], T]) -> T | None: ...
    @t.overload
    def get(self, key: str, default: T, type: cabc.Callable[[str], T]) -> T: ...
    def get(
        self,
        key: str,
        default: str | T | None = None,
        type: cabc.Callable[[str], T] | None = None,
    ) -> str | T | None:
        # PERF: one environ lookup instead of a scan; the key mapping is
        # memoised (see _environ_keys), inlined here as get() is the hot one.
        # (``type`` is the parameter here: the cache is keyed by str names,
        # and a str subclass's hash and equality are a str's.)
        environ_key = self._environ_keys.get(key) if isinstance(key, str) else None
        if environ_key is None:
            environ_key = self._key_of(key)
        rv = self.environ.get(environ_key, _missing)
        if rv is _missing:
            return default
        if type is None:
            return rv  # type: ignore[no-any-return]  # environ values are str (PEP 3333)
        try:
            return type(rv)
        except (ValueError, TypeError):
            return default

    @t.overload
    def getlist(self, key: str) -> list[str]: ...
    @t.overload
    def getlist(self, key: str, type: cabc.Callable[[str], T]) -> list[T]: ...
    def getlist(self, key: str, type: cabc.Callable[[str], T] | None = None) -> list[str] | list[T]:
        # A WSGI server folds repeated headers into one environ value.
        rv: t.Any = self.get(key, _missing, type)  # a value, a converted value or the sentinel
        return [] if rv is _missing else [rv]

    def __contains__(self, key: str) -> bool:
        if not isinstance(key, str):
            return False
        return self._key_of(key) in self.environ

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __iter__(self) -> cabc.Iterator[tuple[str, str]]:
        for key, value in self.environ.items():
            if key.startswith("HTTP_"):
                if key not in _HTTP_CONTENT_KEYS:
                    yield key[5:].replace("_", "-").title(), value
            elif key in _CONTENT_KEYS and value:
                yield key.replace("_", "-").title(), value

    def clear(self) -> t.NoReturn:
        # Without this, the inherited clear() would empty a temporary list.
        is_immutable(self)

    def copy(self) -> t.NoReturn:
        raise TypeError(f"cannot create {type(self).__name__!r} copies")

    def __or__(self, other: t.Any) -> t.NoReturn:
        raise TypeError(f"cannot create {type(self).__name__!r} copies")

    def __getstate__(self) -> t.Any:
        return self.environ

    def __setstate__(self, state: t.Any) -> None:
        self.environ = state
