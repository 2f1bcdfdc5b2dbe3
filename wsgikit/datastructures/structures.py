"""Dicts and lists for request data: multi-value dicts and their relatives.

A :class:`MultiDict` is a ``dict`` whose stored values are *lists*: the
plain mapping API (``md[key]``, ``get``, ``items()``) sees the first value
of each list, and the ``*list`` methods see all of them. Form data and query
strings legitimately repeat keys, so request parsing fills these.
"""

from __future__ import annotations

import typing as t
import warnings
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import MutableSet
from copy import deepcopy

from .._http_text import quote_header_value
from .mixins import ImmutableDictMixin
from .mixins import ImmutableListMixin
from .mixins import ImmutableMultiDictMixin
from .mixins import UpdateDictMixin
from .mixins import _missing
from .mixins import is_immutable

if t.TYPE_CHECKING:
    import collections.abc as cabc

    import typing_extensions as te

K = t.TypeVar("K")
V = t.TypeVar("V")
T = t.TypeVar("T")

# PERF: unbound dict methods, so hot paths skip our overrides and the
# attribute lookup through the MRO. A MultiDict[K, V] stores a list[V] per
# key, which its dict[K, V] base cannot say, so the checkers see these as
# functions over that storage instead.
if t.TYPE_CHECKING:

    def _dict_getitem(md: MultiDict[K, V], key: K, /) -> list[V]: ...
    def _dict_setitem(md: MultiDict[K, V], key: K, values: list[V], /) -> None: ...
    def _dict_get(md: MultiDict[K, V], key: K, /) -> list[V] | None: ...
    def _dict_setdefault(md: MultiDict[K, V], key: K, default: list[V], /) -> list[V]: ...
    def _dict_pop(md: MultiDict[K, V], key: K, default: T, /) -> list[V] | T: ...
    def _dict_popitem(md: MultiDict[K, V], /) -> tuple[K, list[V]]: ...
    def _dict_lists(md: MultiDict[K, V], /) -> cabc.ItemsView[K, list[V]]: ...
    def _dict_listvalues(md: MultiDict[K, V], /) -> cabc.ValuesView[list[V]]: ...

else:
    _dict_getitem = dict.__getitem__
    _dict_setitem = dict.__setitem__
    _dict_get = dict.get
    _dict_setdefault = dict.setdefault
    _dict_pop = dict.pop
    _dict_popitem = dict.popitem
    _dict_lists = dict.items
    _dict_listvalues = dict.values
_list_types = (list, tuple, set)


def _bad_request_key(key: t.Any) -> KeyError:
    """Build the ``KeyError`` that is also a 400 Bad Request.

    Imported at call time: :mod:`wsgikit.exceptions` is a heavier module
    and a lookup miss is the rare path.
    """
    from ..exceptions import BadRequestKeyError

    return BadRequestKeyError(key)


def iter_multi_items(
    mapping: (
        MultiDict[K, V]
        | cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
        | cabc.Iterable[tuple[K, V]]
    ),
) -> cabc.Iterator[tuple[K, V]]:
    """Yield ``(key, value)`` pairs from any of the inputs a
    :class:`MultiDict` accepts: a multi dict (every value), a mapping (list,
    tuple and set values are spread into one pair per item) or an iterable
    of pairs.
    """
    # The checkers narrow the union below differently (pyright reads "an
    # iterable of pairs" that is a Mapping as one keyed by pairs), so the
    # branches work on an untyped name; the signature says what comes out.
    source: t.Any = mapping
    if isinstance(source, MultiDict):
        yield from source.items(multi=True)
    elif isinstance(source, Mapping):
        for key, value in source.items():
            if isinstance(value, _list_types):
                for v in value:
                    yield key, v
            else:
                yield key, value
    else:
        yield from source


class ImmutableList(ImmutableListMixin, list[V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A ``list`` that refuses changes and can be hashed."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list.__repr__(self)})"


class TypeConversionDict(dict[K, V]):
    """A ``dict`` whose :meth:`get` can convert the value it returns."""

    @t.overload
    def get(self, key: K, default: None = None, type: None = None) -> V | None: ...
    @t.overload
    def get(self, key: K, default: V, type: None = None) -> V: ...
    @t.overload
    def get(self, key: K, default: T, type: None = None) -> V | T: ...
    @t.overload
    def get(self, key: K, default: None = None, *, type: cabc.Callable[[V], T]) -> T | None: ...
    @t.overload
    def get(self, key: K, default: T, type: cabc.Callable[[V], T]) -> T: ...
    def get(
        self,
        key: K,
        default: V | T | None = None,
        type: cabc.Callable[[V], T] | None = None,
    ) -> V | T | None:
        """Return the value for ``key``, or ``default`` when it is missing.

        :param key: the key to look up.
        :param default: returned for a missing key, or when ``type`` fails.
        :param type: called with the value; a :exc:`ValueError` or
            :exc:`TypeError` from it means "not convertible" and gives
            ``default``.
        """
        try:
            rv = self[key]
        except KeyError:
            return default
        if type is None:
            return rv
        try:
            return type(rv)
        except (ValueError, TypeError):
            return default


class ImmutableTypeConversionDict(ImmutableDictMixin[K, V], TypeConversionDict[K, V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A read-only, hashable :class:`TypeConversionDict`."""

    def copy(self) -> TypeConversionDict[K, V]:
        """Return a mutable :class:`TypeConversionDict` with the same items."""
        return TypeConversionDict(self)

    def __copy__(self) -> te.Self:
        return self


class MultiDict(TypeConversionDict[K, V]):
    """A dict that keeps every value given for a key.

    ``md[key]`` and :meth:`get` return the first value; :meth:`getlist`
    returns all of them. Build one from a mapping (list/tuple/set values
    become several values), another multi dict, or an iterable of pairs::

        >>> md = MultiDict([("a", "1"), ("b", "2"), ("a", "3")])
        >>> md["a"], md.getlist("a")
        ('1', ['1', '3'])

    A missing key raises :exc:`~wsgikit.exceptions.BadRequestKeyError`, a
    :exc:`KeyError` that a WSGI app turns into 400 Bad Request when it is
    not caught.

    Typing: ``MultiDict[K, V]`` maps ``K`` to values of type ``V`` as the
    mapping API shows them; the stored lists are reached through the
    ``_dict_*`` helpers above.
    """

    # One overload per input shape, so that the checkers can infer K and V
    # from a mapping of lists as from a mapping of single values.
    @t.overload
    def __init__(self, mapping: None = None) -> None: ...
    @t.overload
    def __init__(self, mapping: MultiDict[K, V]) -> None: ...
    @t.overload
    def __init__(self, mapping: cabc.Mapping[K, list[V] | tuple[V, ...] | set[V]]) -> None: ...
    @t.overload
    def __init__(self, mapping: cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]) -> None: ...
    @t.overload
    def __init__(self, mapping: cabc.Iterable[tuple[K, V]]) -> None: ...
    def __init__(
        self,
        mapping: (
            MultiDict[K, V]
            | cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
            | cabc.Iterable[tuple[K, V]]
            | None
        ) = None,
    ) -> None:
        tmp: dict[K, list[V]]
        if mapping is None:
            super().__init__()
        elif type(mapping) is not list and isinstance(mapping, MultiDict):
            super().__init__((k, list(v)) for k, v in mapping.lists())  # type: ignore[misc]  # the dict stores lists
        # PERF: a list (what the parsers produce) is pairs; the isinstance
        # test against the Mapping ABC runs Python-level code, so it is
        # skipped for it.
        elif type(mapping) is not list and isinstance(mapping, Mapping):
            tmp = {}
            # pyright reads an iterable of pairs that is a Mapping as one keyed by pairs.
            items: cabc.Iterable[tuple[K, V | list[V] | tuple[V, ...] | set[V]]] = mapping.items()  # pyright: ignore[reportAssignmentType]  # as above
            for key, value in items:
                if isinstance(value, _list_types):
                    values = list(value)
                    if not values:
                        continue
                else:
                    values = [value]
                tmp[key] = values
            super().__init__(tmp)  # type: ignore[arg-type]  # the dict stores lists
        else:
            # PERF: the common case (parsed query strings and forms) is a
            # list of pairs; one dict.get per pair, one list per new key.
            # Filled in a plain dict (bound methods of a builtin dict are
            # the cheapest calls), then copied in once at C speed.
            tmp = {}
            get = tmp.get
            pairs: cabc.Iterable[tuple[K, V]] = mapping
            for key, value in pairs:
                stored = get(key)
                if stored is None:
                    tmp[key] = [value]
                else:
                    stored.append(value)
            super().__init__(tmp)  # type: ignore[arg-type]  # the dict stores lists

    def __getstate__(self) -> t.Any:
        return dict(self.lists())

    def __setstate__(self, value: t.Any) -> None:
        dict.clear(self)
        dict.update(self, value)

    def __iter__(self) -> cabc.Iterator[K]:
        return dict.__iter__(self)

    def __getitem__(self, key: K) -> V:
        """Return the first value for ``key``.

        :raises ~wsgikit.exceptions.BadRequestKeyError: if it is missing.
        """
        # PERF: EAFP; a hit costs one dict lookup and one index.
        try:
            return _dict_getitem(self, key)[0]
        except (KeyError, IndexError):
            raise _bad_request_key(key) from None

    def __setitem__(self, key: K, value: V) -> None:
        """Replace all values for ``key`` with the single ``value``."""
        _dict_setitem(self, key, [value])

    def add(self, key: K, value: V) -> None:
        """Append ``value`` to the values of ``key``."""
        _dict_setdefault(self, key, []).append(value)

    @t.overload
    def get(self, key: K, default: None = None, type: None = None) -> V | None: ...
    @t.overload
    def get(self, key: K, default: V, type: None = None) -> V: ...
    @t.overload
    def get(self, key: K, default: T, type: None = None) -> V | T: ...
    @t.overload
    def get(self, key: K, default: None = None, *, type: cabc.Callable[[V], T]) -> T | None: ...
    @t.overload
    def get(self, key: K, default: T, type: cabc.Callable[[V], T]) -> T: ...
    def get(
        self,
        key: K,
        default: V | T | None = None,
        type: cabc.Callable[[V], T] | None = None,
    ) -> V | T | None:
        """Return the first value for ``key``, or ``default``.

        :param type: converts the value; a :exc:`ValueError` or
            :exc:`TypeError` from it returns ``default``.
        """
        # PERF: no exception (and no BadRequestKeyError import) on a miss.
        values = _dict_get(self, key)
        if not values:
            return default
        if type is None:
            return values[0]
        try:
            return type(values[0])
        except (ValueError, TypeError):
            return default

    @t.overload
    def getlist(self, key: K) -> list[V]: ...
    @t.overload
    def getlist(self, key: K, type: cabc.Callable[[V], T]) -> list[T]: ...
    def getlist(self, key: K, type: cabc.Callable[[V], T] | None = None) -> list[V] | list[T]:
        """Return a new list of every value for ``key`` (empty if missing).

        :param type: converts each value; values it rejects with
            :exc:`ValueError` or :exc:`TypeError` are left out.
        """
        values = _dict_get(self, key)
        if values is None:
            return []
        if type is None:
            return list(values)
        result: list[T] = []
        for value in values:
            try:
                result.append(type(value))
            except (ValueError, TypeError):
                pass
        return result

    def setlist(self, key: K, new_list: cabc.Iterable[V]) -> None:
        """Replace the values of ``key`` with a copy of ``new_list``."""
        _dict_setitem(self, key, list(new_list))

    def setdefault(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]  # returns the first value, stores a list
        """Return the first value of ``key``, storing ``default`` if missing."""
        if key in self:
            return self[key]
        self[key] = default  # type: ignore[assignment]  # None is stored as a value, as in Werkzeug
        return default

    def setlistdefault(self, key: K, default_list: cabc.Iterable[V] | None = None) -> list[V]:
        """Return the stored list for ``key`` (edits to it are kept),
        storing a copy of ``default_list`` first if the key is missing.
        """
        if key not in self:
            _dict_setitem(self, key, list(default_list or ()))
        return _dict_getitem(self, key)

    def items(self, multi: bool = False) -> cabc.Iterable[tuple[K, V]]:  # type: ignore[override]  # a generator, with ``multi``
        """Yield ``(key, first value)``, or every pair when ``multi``."""
        for key, values in _dict_lists(self):
            if multi:
                for value in values:
                    yield key, value
            elif values:
                yield key, values[0]

    def lists(self) -> cabc.Iterable[tuple[K, list[V]]]:
        """Yield ``(key, stored list)`` for every key."""
        yield from _dict_lists(self)

    def values(self) -> cabc.Iterable[V]:  # type: ignore[override]  # a generator of first values
        """Yield the first value of every key."""
        for values in _dict_listvalues(self):
            if values:
                yield values[0]

    def listvalues(self) -> cabc.Iterable[list[V]]:
        """Yield the stored list of every key."""
        return iter(_dict_listvalues(self))

    def copy(self) -> te.Self:
        """Return a shallow copy (the value lists are new lists)."""
        return self.__class__(self)

    def deepcopy(self, memo: t.Any = None) -> te.Self:
        """Return a deep copy, values included."""
        return self.__class__(deepcopy(self.to_dict(flat=False), memo))

    def __copy__(self) -> te.Self:
        return self.copy()

    def __deepcopy__(self, memo: t.Any) -> te.Self:
        return self.deepcopy(memo=memo)

    @t.overload
    def to_dict(self) -> dict[K, V]: ...
    @t.overload
    def to_dict(self, flat: t.Literal[False]) -> dict[K, list[V]]: ...
    @t.overload
    def to_dict(self, flat: bool = True) -> dict[K, V] | dict[K, list[V]]: ...
    def to_dict(self, flat: bool = True) -> dict[K, V] | dict[K, list[V]]:
        """Return a plain dict: first values, or lists when not ``flat``."""
        if flat:
            return dict(self.items())
        return dict(self.lists())

    def update(  # type: ignore[override]  # adds values instead of replacing them
        self,
        mapping: (
            MultiDict[K, V]
            | cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
            | cabc.Iterable[tuple[K, V]]
        ),
    ) -> None:
        """Add the values from ``mapping`` to the existing ones (unlike
        ``dict.update``, nothing is replaced).
        """
        for key, value in iter_multi_items(mapping):
            self.add(key, value)

    def __or__(  # type: ignore[override]  # a MultiDict union adds values
        self, other: cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
    ) -> MultiDict[K, V]:
        if not isinstance(other, Mapping):
            return NotImplemented
        rv = self.copy()
        rv.update(other)
        return rv

    def __ior__(  # type: ignore[override]  # a MultiDict union adds values
        self,
        other: cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]] | cabc.Iterable[tuple[K, V]],
    ) -> te.Self:
        if not isinstance(other, (Mapping, Iterable)):
            return NotImplemented
        self.update(other)
        return self

    @t.overload
    def pop(self, key: K) -> V: ...
    @t.overload
    def pop(self, key: K, default: V) -> V: ...
    @t.overload
    def pop(self, key: K, default: T) -> V | T: ...
    def pop(self, key: K, default: V | T = _missing) -> V | T:
        """Remove ``key`` and return its first value.

        :raises ~wsgikit.exceptions.BadRequestKeyError: if it is missing
            and no ``default`` is given.
        """
        values = _dict_pop(self, key, None)
        if values:
            return values[0]
        if default is not _missing:
            return default
        raise _bad_request_key(key)

    def popitem(self) -> tuple[K, V]:
        """Remove a key and return ``(key, first value)``."""
        try:
            key, values = _dict_popitem(self)
        except KeyError as e:
            raise _bad_request_key(e.args[0]) from None
        if not values:
            raise _bad_request_key(key)
        return key, values[0]

    def poplist(self, key: K) -> list[V]:
        """Remove ``key`` and return all its values (empty if missing)."""
        return _dict_pop(self, key, [])

    def popitemlist(self) -> tuple[K, list[V]]:
        """Remove a key and return ``(key, all its values)``."""
        try:
            return _dict_popitem(self)
        except KeyError as e:
            raise _bad_request_key(e.args[0]) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.items(multi=True))!r})"


class ImmutableMultiDict(ImmutableMultiDictMixin[K, V], MultiDict[K, V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A read-only, hashable :class:`MultiDict` (what ``request.args`` is)."""

    def copy(self) -> MultiDict[K, V]:  # type: ignore[override]  # the mutable base class, as in Werkzeug
        """Return a mutable :class:`MultiDict` with the same items."""
        return MultiDict(self)

    def __copy__(self) -> te.Self:
        return self


class _OrderedMultiDict(MultiDict[K, V]):
    """A :class:`MultiDict` that remembers the order of every pair, not only
    of the first occurrence of each key.

    Deprecated like in Werkzeug 3.1 (a plain :class:`MultiDict` keeps key
    order); importing the name warns. ``items(multi=True)`` yields the pairs
    in insertion order, assigning a key moves it to the end, and two ordered
    dicts are equal only with the same pairs in the same order.
    """

    # Storage: the dict-of-lists of MultiDict (so lookups are inherited and
    # fast) plus ``_order``, the key of each pair in insertion order. The
    # n-th occurrence of a key in ``_order`` is the n-th value in its list.

    def __init__(
        self,
        mapping: (
            MultiDict[K, V]
            | cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
            | cabc.Iterable[tuple[K, V]]
            | None
        ) = None,
    ) -> None:
        super().__init__()
        self._order: list[K] = []
        if mapping is not None:
            for key, value in iter_multi_items(mapping):
                _OrderedMultiDict.add(self, key, value)

    def __reduce_ex__(self, protocol: t.SupportsIndex) -> t.Any:
        return type(self), (list(self.items(multi=True)),)

    def __getstate__(self) -> t.Any:
        return list(self.items(multi=True))

    def __setstate__(self, values: t.Any) -> None:
        dict.clear(self)
        self._order = []
        for key, value in values:
            _OrderedMultiDict.add(self, key, value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _OrderedMultiDict):
            return list(self.items(multi=True)) == list(other.items(multi=True))
        if isinstance(other, MultiDict):
            return dict(self.lists()) == dict(other.lists())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        # dict defines its own __ne__, which would skip the __eq__ above.
        rv = self.__eq__(other)
        return rv if rv is NotImplemented else not rv

    __hash__ = None  # type: ignore[assignment]  # unhashable, like a dict

    def _forget(self, key: K) -> None:
        self._order = [k for k in self._order if k != key]

    def add(self, key: K, value: V) -> None:
        _dict_setdefault(self, key, []).append(value)
        self._order.append(key)

    def __setitem__(self, key: K, value: V) -> None:
        self.poplist(key)
        self.add(key, value)

    def __delitem__(self, key: K) -> None:
        self.pop(key)

    def setlist(self, key: K, new_list: cabc.Iterable[V]) -> None:
        self.poplist(key)
        for value in new_list:
            self.add(key, value)

    def setlistdefault(self, key: K, default_list: cabc.Iterable[V] | None = None) -> t.NoReturn:
        raise TypeError("setlistdefault is unsupported for ordered multi dicts")

    def items(self, multi: bool = False) -> cabc.Iterable[tuple[K, V]]:  # type: ignore[override]  # a generator, with ``multi``
        if not multi:
            yield from super().items()
            return
        seen: dict[K, int] = {}
        for key in self._order:
            index = seen.get(key, 0)
            seen[key] = index + 1
            yield key, _dict_getitem(self, key)[index]

    @t.overload
    def pop(self, key: K) -> V: ...
    @t.overload
    def pop(self, key: K, default: V) -> V: ...
    @t.overload
    def pop(self, key: K, default: T) -> V | T: ...
    def pop(self, key: K, default: V | T = _missing) -> V | T:
        if key in self:
            self._forget(key)
        return super().pop(key, default)

    def popitem(self) -> tuple[K, V]:
        key, values = self.popitemlist()
        return key, values[0]

    def poplist(self, key: K) -> list[V]:
        if key in self:
            self._forget(key)
        return super().poplist(key)

    def popitemlist(self) -> tuple[K, list[V]]:
        key, values = super().popitemlist()
        self._forget(key)
        return key, values

    def clear(self) -> None:
        dict.clear(self)
        self._order = []

    def update(  # type: ignore[override]  # adds values instead of replacing them
        self,
        mapping: (
            MultiDict[K, V]
            | cabc.Mapping[K, V | list[V] | tuple[V, ...] | set[V]]
            | cabc.Iterable[tuple[K, V]]
        ),
    ) -> None:
        for key, value in iter_multi_items(mapping):
            self.add(key, value)

    def setdefault(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]  # returns the first value, stores a list
        if key in self:
            return self[key]
        self.add(key, default)  # type: ignore[arg-type]  # None is stored as a value, as in Werkzeug
        return default


class _ImmutableOrderedMultiDict(ImmutableMultiDictMixin[K, V], _OrderedMultiDict[K, V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A read-only, hashable :class:`OrderedMultiDict` (deprecated)."""

    def _iter_hashitems(self) -> t.Iterable[t.Any]:
        return enumerate(self.items(multi=True))

    def copy(self) -> _OrderedMultiDict[K, V]:  # type: ignore[override]  # the mutable base class, as in Werkzeug
        return _OrderedMultiDict(self)

    def __copy__(self) -> te.Self:
        return self


class CombinedMultiDict(ImmutableMultiDictMixin[K, V], MultiDict[K, V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A read-only view over several multi dicts, searched in order.

    ``request.values`` combines ``args`` and ``form`` this way: a key's
    first value comes from the first dict that has it, and :meth:`getlist`
    concatenates the values from all of them.
    """

    def __reduce_ex__(self, protocol: t.SupportsIndex) -> t.Any:
        return type(self), (self.dicts,)

    def __init__(self, dicts: cabc.Iterable[MultiDict[K, V]] | None = None) -> None:
        super().__init__()
        #: The dicts searched, in order.
        self.dicts: list[MultiDict[K, V]] = list(dicts or ())

    @classmethod
    def fromkeys(cls, keys: t.Any, value: t.Any = None) -> t.NoReturn:
        raise TypeError(f"cannot create {cls.__name__!r} instances by fromkeys")

    def __getitem__(self, key: K) -> V:
        for d in self.dicts:
            if key in d:
                return d[key]
        raise _bad_request_key(key)

    @t.overload
    def get(self, key: K, default: None = None, type: None = None) -> V | None: ...
    @t.overload
    def get(self, key: K, default: V, type: None = None) -> V: ...
    @t.overload
    def get(self, key: K, default: T, type: None = None) -> V | T: ...
    @t.overload
    def get(self, key: K, default: None = None, *, type: cabc.Callable[[V], T]) -> T | None: ...
    @t.overload
    def get(self, key: K, default: T, type: cabc.Callable[[V], T]) -> T: ...
    def get(
        self,
        key: K,
        default: V | T | None = None,
        type: cabc.Callable[[V], T] | None = None,
    ) -> V | T | None:
        """Return the first value for ``key`` from the first dict having it;
        with ``type``, the first value that converts.
        """
        for d in self.dicts:
            if key in d:
                if type is None:
                    return d[key]
                try:
                    return type(d[key])
                except (ValueError, TypeError):
                    continue
        return default

    @t.overload
    def getlist(self, key: K) -> list[V]: ...
    @t.overload
    def getlist(self, key: K, type: cabc.Callable[[V], T]) -> list[T]: ...
    def getlist(self, key: K, type: cabc.Callable[[V], T] | None = None) -> list[V] | list[T]:
        rv: list[t.Any] = []
        for d in self.dicts:
            rv.extend(d.getlist(key, type))  # type: ignore[arg-type]  # type=None is getlist's no-conversion default
        return rv

    def _keys_impl(self) -> dict[K, None]:
        # A dict, not a set: keys come out in a stable, first-seen order.
        rv: dict[K, None] = {}
        for d in self.dicts:
            rv.update(dict.fromkeys(d.keys()))
        return rv

    def keys(self) -> cabc.Iterable[K]:  # type: ignore[override]  # a view of the combined keys
        return self._keys_impl().keys()

    def __iter__(self) -> cabc.Iterator[K]:
        return iter(self._keys_impl())

    def items(self, multi: bool = False) -> cabc.Iterable[tuple[K, V]]:  # type: ignore[override]  # a generator, with ``multi``
        found = set()
        for d in self.dicts:
            for key, value in d.items(multi):
                if multi:
                    yield key, value
                elif key not in found:
                    found.add(key)
                    yield key, value

    def values(self) -> cabc.Iterable[V]:  # type: ignore[override]  # a generator of first values
        for _key, value in self.items():
            yield value

    def lists(self) -> cabc.Iterable[tuple[K, list[V]]]:
        rv: dict[K, list[V]] = {}
        for d in self.dicts:
            for key, values in d.lists():
                rv.setdefault(key, []).extend(values)
        return list(rv.items())

    def listvalues(self) -> cabc.Iterable[list[V]]:
        return (values for _key, values in self.lists())

    def copy(self) -> MultiDict[K, V]:  # type: ignore[override]  # the mutable base class, as in Werkzeug
        """Return a mutable :class:`MultiDict` holding every pair."""
        return MultiDict(self.items(multi=True))

    def __len__(self) -> int:
        return len(self._keys_impl())

    def __contains__(self, key: object) -> bool:
        return any(key in d for d in self.dicts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.dicts!r})"

    @t.overload
    def to_dict(self) -> dict[K, V]: ...
    @t.overload
    def to_dict(self, flat: t.Literal[False]) -> dict[K, list[V]]: ...
    @t.overload
    def to_dict(self, flat: bool = True) -> dict[K, V] | dict[K, list[V]]: ...
    def to_dict(self, flat: bool = True) -> dict[K, V] | dict[K, list[V]]:
        if flat:
            return dict(self.items())
        return dict(self.lists())


class ImmutableDict(ImmutableDictMixin[K, V], dict[K, V]):  # type: ignore[misc]  # the mixin refuses what the base would change
    """A read-only, hashable ``dict``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

    def copy(self) -> dict[K, V]:
        """Return a mutable ``dict`` with the same items."""
        return dict(self)

    def __copy__(self) -> te.Self:
        return self


class CallbackDict(UpdateDictMixin[K, V], dict[K, V]):
    """A ``dict`` that calls ``on_update(self)`` after each change."""

    def __init__(
        self,
        initial: cabc.Mapping[K, V] | cabc.Iterable[tuple[K, V]] | None = None,
        on_update: cabc.Callable[[te.Self], None] | None = None,
    ) -> None:
        if initial is None:
            super().__init__()
        else:
            super().__init__(initial)
        self.on_update = on_update

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"


class HeaderSet(MutableSet[str]):
    """An ordered, case-insensitive set of header tokens (``Vary``,
    ``Allow``, ``Content-Language``...), calling ``on_update(self)`` after
    each change.
    """

    def __init__(
        self,
        headers: cabc.Iterable[str] | None = None,
        on_update: cabc.Callable[[HeaderSet], None] | None = None,
    ) -> None:
        if headers is None:
            # PERF: the usual case (``response.vary`` of a response without
            # the header) builds nothing to iterate.
            self._headers: list[str] = []
            self._set: set[str] = set()
        else:
            self._headers = list(headers)
            self._set = {x.lower() for x in self._headers}
        #: Called with the set after each change, or ``None``.
        self.on_update = on_update

    def _changed(self) -> None:
        if self.on_update is not None:
            self.on_update(self)

    def add(self, header: str) -> None:
        """Add ``header`` unless it is already there (any casing)."""
        key = header.lower()
        if key not in self._set:
            self._headers.append(header)
            self._set.add(key)
            self._changed()

    def remove(self, header: str) -> None:
        """Remove ``header``; :exc:`KeyError` if it is not there."""
        key = header.lower()
        if key not in self._set:
            raise KeyError(header)
        self._set.remove(key)
        self._headers = [h for h in self._headers if h.lower() != key]
        self._changed()

    def update(self, iterable: cabc.Iterable[str]) -> None:
        """Add every header not already present."""
        inserted_any = False
        for header in iterable:
            key = header.lower()
            if key not in self._set:
                self._headers.append(header)
                self._set.add(key)
                inserted_any = True
        if inserted_any:
            self._changed()

    def discard(self, header: str) -> None:
        """Remove ``header`` if it is there."""
        try:
            self.remove(header)
        except KeyError:
            pass

    def find(self, header: str) -> int:
        """Return the index of ``header``, or ``-1``."""
        key = header.lower()
        for idx, item in enumerate(self._headers):
            if item.lower() == key:
                return idx
        return -1

    def index(self, header: str) -> int:
        """Return the index of ``header``; :exc:`IndexError` if missing."""
        rv = self.find(header)
        if rv < 0:
            raise IndexError(header)
        return rv

    def clear(self) -> None:
        """Remove every header."""
        self._set.clear()
        self._headers.clear()
        self._changed()

    def as_set(self, preserve_casing: bool = False) -> set[str]:
        """Return a plain ``set``, lower-cased unless ``preserve_casing``."""
        if preserve_casing:
            return set(self._headers)
        return set(self._set)

    def to_header(self) -> str:
        """Join the items into a header value, quoting where needed."""
        return ", ".join(map(quote_header_value, self._headers))

    def __getitem__(self, idx: t.SupportsIndex) -> str:
        return self._headers[idx]

    def __delitem__(self, idx: t.SupportsIndex) -> None:
        rv = self._headers.pop(idx)
        self._set.remove(rv.lower())
        self._changed()

    def __setitem__(self, idx: t.SupportsIndex, value: str) -> None:
        old = self._headers[idx]
        self._set.remove(old.lower())
        self._headers[idx] = value
        self._set.add(value.lower())
        self._changed()

    def __contains__(self, header: object) -> bool:
        return isinstance(header, str) and header.lower() in self._set

    def __len__(self) -> int:
        return len(self._set)

    def __iter__(self) -> cabc.Iterator[str]:
        return iter(self._headers)

    def __bool__(self) -> bool:
        return bool(self._set)

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._headers!r})"


#: Names that still import but warn, with the class to use instead.
_DEPRECATED = {
    "OrderedMultiDict": (_OrderedMultiDict, "MultiDict"),
    "ImmutableOrderedMultiDict": (_ImmutableOrderedMultiDict, "ImmutableMultiDict"),
}


def __getattr__(name: str) -> t.Any:
    """Hand out the deprecated ordered multi dicts with a warning."""
    if name in _DEPRECATED:
        cls, replacement = _DEPRECATED[name]
        warnings.warn(
            f"{name!r} is deprecated and will be removed in Werkzeug 3.2."
            f" Use {replacement!r} instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
