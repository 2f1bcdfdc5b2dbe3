"""Mixins that make the containers read-only, or that report changes.

The immutable mixins sit in front of a builtin (``list``/``dict``) or of
:class:`~wsgikit.datastructures.Headers` in the MRO and turn every mutating
method into a :exc:`TypeError` naming the concrete class. They also make the
container hashable (it can no longer change) and picklable by value.
:class:`UpdateDictMixin` instead lets the change happen and then calls an
``on_update`` callback, which is how a response keeps its ``Cache-Control``
header in sync with the object that edits it.
"""

from __future__ import annotations

import typing as t
from itertools import repeat

if t.TYPE_CHECKING:
    import collections.abc as cabc

    import typing_extensions as te

K = t.TypeVar("K")
V = t.TypeVar("V")
T = t.TypeVar("T")

#: Marks "no default given" where ``None`` is a valid default.
_missing: t.Any = object()


def is_immutable(self: object) -> t.NoReturn:
    """Raise the :exc:`TypeError` every immutable container raises on change."""
    raise TypeError(f"{type(self).__name__!r} objects are immutable")


class ImmutableListMixin:
    """Make a ``list`` subclass read-only and hashable."""

    _hash_cache: int | None = None

    def __hash__(self) -> int:
        if self._hash_cache is not None:
            return self._hash_cache
        rv = self._hash_cache = hash(tuple(self))  # type: ignore[arg-type]  # mixed into a list
        return rv

    def __reduce_ex__(self, protocol: t.SupportsIndex) -> t.Any:
        return type(self), (list(self),)  # type: ignore[call-overload]  # mixed into a list

    def __delitem__(self, key: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __iadd__(self, other: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __imul__(self, other: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __setitem__(self, key: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def append(self, item: t.Any) -> t.NoReturn:
        is_immutable(self)

    def remove(self, item: t.Any) -> t.NoReturn:
        is_immutable(self)

    def extend(self, iterable: t.Any) -> t.NoReturn:
        is_immutable(self)

    def insert(self, pos: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def pop(self, index: t.Any = -1) -> t.NoReturn:
        is_immutable(self)

    def reverse(self: t.Any) -> t.NoReturn:
        is_immutable(self)

    def sort(self, key: t.Any = None, reverse: t.Any = False) -> t.NoReturn:
        is_immutable(self)


class ImmutableDictMixin(t.Generic[K, V]):
    """Make a ``dict`` subclass read-only and hashable."""

    _hash_cache: int | None = None

    @classmethod
    def fromkeys(cls, keys: cabc.Iterable[K], value: V | None = None) -> te.Self:
        # The normal dict.fromkeys would call __setitem__, which refuses.
        instance = super().__new__(cls)
        # The mixin cannot know its dict's __init__ signature.
        uninitialised: t.Any = instance
        uninitialised.__init__(zip(keys, repeat(value)))
        return instance

    def __reduce_ex__(self, protocol: t.SupportsIndex) -> t.Any:
        return type(self), (dict(self),)  # type: ignore[call-overload]  # mixed into a dict

    def _iter_hashitems(self) -> t.Iterable[t.Any]:
        return self.items()  # type: ignore[attr-defined,no-any-return]  # mixed into a dict

    def __hash__(self) -> int:
        if self._hash_cache is not None:
            return self._hash_cache
        rv = self._hash_cache = hash(frozenset(self._iter_hashitems()))
        return rv

    def setdefault(self, key: t.Any, default: t.Any = None) -> t.NoReturn:
        is_immutable(self)

    def update(self, arg: t.Any = None, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __ior__(self, other: t.Any) -> t.NoReturn:
        is_immutable(self)

    def pop(self, key: t.Any, default: t.Any = None) -> t.NoReturn:
        is_immutable(self)

    def popitem(self) -> t.NoReturn:
        is_immutable(self)

    def __setitem__(self, key: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __delitem__(self, key: t.Any) -> t.NoReturn:
        is_immutable(self)

    def clear(self) -> t.NoReturn:
        is_immutable(self)


class ImmutableMultiDictMixin(ImmutableDictMixin[K, V]):
    """Make a :class:`MultiDict` subclass read-only and hashable."""

    def __reduce_ex__(self, protocol: t.SupportsIndex) -> t.Any:
        return type(self), (list(self.items(multi=True)),)  # type: ignore[attr-defined]  # mixed into a MultiDict

    def _iter_hashitems(self) -> t.Iterable[t.Any]:
        return self.items(multi=True)  # type: ignore[attr-defined,no-any-return]  # mixed into a MultiDict

    def add(self, key: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def popitemlist(self) -> t.NoReturn:
        is_immutable(self)

    def poplist(self, key: t.Any) -> t.NoReturn:
        is_immutable(self)

    def setlist(self, key: t.Any, new_list: t.Any) -> t.NoReturn:
        is_immutable(self)

    def setlistdefault(self, key: t.Any, default_list: t.Any = None) -> t.NoReturn:
        is_immutable(self)


class ImmutableHeadersMixin:
    """Make a :class:`Headers` subclass read-only.

    Headers are unhashable even when immutable (they compare by content
    ignoring order, which a hash could not follow cheaply).
    """

    def __delitem__(self, key: t.Any, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __setitem__(self, key: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def set(self, key: t.Any, value: t.Any, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def setlist(self, key: t.Any, values: t.Any) -> t.NoReturn:
        is_immutable(self)

    def add(self, key: t.Any, value: t.Any, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def add_header(self, key: t.Any, value: t.Any, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def remove(self, key: t.Any) -> t.NoReturn:
        is_immutable(self)

    def extend(self, arg: t.Any = None, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def update(self, arg: t.Any = None, /, **kwargs: t.Any) -> t.NoReturn:
        is_immutable(self)

    def __ior__(self, other: t.Any) -> t.NoReturn:
        is_immutable(self)

    def insert(self, pos: t.Any, value: t.Any) -> t.NoReturn:
        is_immutable(self)

    def pop(self, key: t.Any = None, default: t.Any = _missing) -> t.NoReturn:
        is_immutable(self)

    def popitem(self) -> t.NoReturn:
        is_immutable(self)

    def setdefault(self, key: t.Any, default: t.Any) -> t.NoReturn:
        is_immutable(self)

    def setlistdefault(self, key: t.Any, default: t.Any) -> t.NoReturn:
        is_immutable(self)


class UpdateDictMixin(dict[K, V]):
    """Call ``self.on_update(self)`` after every change to the dict.

    A call that changes nothing (``pop`` of a missing key with a default,
    ``setdefault`` of a present key) does not report.
    """

    #: Called with the dict after each change; ``None`` to report nothing.
    on_update: cabc.Callable[[te.Self], None] | None = None

    def _changed(self: te.Self) -> None:
        if self.on_update is not None:
            self.on_update(self)

    def setdefault(self, key: K, default: V | None = None) -> V:
        modified = key not in self
        rv = super().setdefault(key, default)  # type: ignore[arg-type]  # None is stored when no default is given, as dict does
        if modified:
            self._changed()
        return rv

    @t.overload
    def pop(self, key: K) -> V: ...
    @t.overload
    def pop(self, key: K, default: V) -> V: ...
    @t.overload
    def pop(self, key: K, default: T) -> V | T: ...
    def pop(self, key: K, default: V | T = _missing) -> V | T:
        modified = key in self
        rv: V | T
        if default is _missing:
            rv = super().pop(key)
        else:
            rv = super().pop(key, default)
        if modified:
            self._changed()
        return rv

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: K) -> None:
        super().__delitem__(key)
        self._changed()

    def clear(self) -> None:
        super().clear()
        self._changed()

    def popitem(self) -> tuple[K, V]:
        rv = super().popitem()
        self._changed()
        return rv

    def update(self, arg: t.Any = None, /, **kwargs: V) -> None:
        if arg is None:
            super().update(**kwargs)  # type: ignore[call-overload]  # keyword names are the str keys
        else:
            super().update(arg, **kwargs)
        self._changed()

    def __ior__(self, other: t.Any) -> te.Self:  # type: ignore[misc,override]  # updates in place, keeping its own type
        self.update(other)
        return self
