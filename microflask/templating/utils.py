"""Helpers at Jinja2's ``jinja2.utils`` paths: autoescape selection, an LRU
cache, URL and JSON helpers, and re-exports of the runtime's small classes."""

from __future__ import annotations

import importlib
import os
import typing as t
from collections import deque
from pprint import pformat as _pformat
from threading import Lock

from .debug import internal_code as internal_code
from .debug import internalcode as internalcode
from .defaults import generate_lorem_ipsum as generate_lorem_ipsum
from .filters import htmlsafe_json_dumps as htmlsafe_json_dumps
from .filters import url_quote as url_quote
from .filters import urlize as urlize
from .runtime import Cycler as Cycler
from .runtime import Joiner as Joiner
from .runtime import Namespace as Namespace
from .runtime import is_undefined as is_undefined
from .runtime import missing as missing
from .runtime import object_type_repr as object_type_repr
from .runtime import pass_context as pass_context
from .runtime import pass_environment as pass_environment
from .runtime import pass_eval_context as pass_eval_context

#: Joins rendered pieces.
concat = "".join


def select_autoescape(
    enabled_extensions: t.Collection[str] = ("html", "htm", "xml"),
    disabled_extensions: t.Collection[str] = (),
    default_for_string: bool = True,
    default: bool = False,
) -> t.Callable[[str | None], bool]:
    """An ``autoescape`` callable deciding by the template name's extension.

    Names ending (case-insensitively) in one of ``enabled_extensions`` are
    escaped, in one of ``disabled_extensions`` are not, others get
    ``default``; templates from strings (no name) get ``default_for_string``.
    """
    enabled = tuple(f".{x.lstrip('.').lower()}" for x in enabled_extensions)
    disabled = tuple(f".{x.lstrip('.').lower()}" for x in disabled_extensions)

    def autoescape(template_name: str | None) -> bool:
        if template_name is None:
            return default_for_string
        name = template_name.lower()
        if name.endswith(enabled):
            return True
        if name.endswith(disabled):
            return False
        return default

    return autoescape


def consume(iterable: t.Iterable[t.Any]) -> None:
    """Exhaust ``iterable`` (for its side effects)."""
    deque(iterable, maxlen=0)


def open_if_exists(filename: str, mode: str = "rb") -> t.IO[t.Any] | None:
    """Open ``filename`` if it is a file, else return ``None``."""
    if not os.path.isfile(filename):
        return None
    return open(filename, mode)


def pformat(obj: t.Any) -> str:
    """A pretty-printed representation of ``obj``."""
    return _pformat(obj)


def clear_caches() -> None:
    """Forget the environments shared by ``Template(...)`` constructors."""
    from .environment import _SHARED  # cycle: the environment imports this module

    _SHARED.clear()


class LRUCache:
    """A mapping keeping at most ``capacity`` items, forgetting the least
    recently used one first (Jinja2's ``LRUCache`` API; thread safe).

    Iteration, :meth:`keys`, :meth:`values` and :meth:`items` go from the most
    to the least recently used item.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._mapping: dict[t.Any, t.Any] = {}
        self._queue: deque[t.Any] = deque()
        self._wlock = Lock()

    def __getstate__(self) -> dict[str, t.Any]:
        return {"capacity": self.capacity, "_mapping": self._mapping, "_queue": self._queue}

    def __setstate__(self, state: dict[str, t.Any]) -> None:
        self.__dict__.update(state)
        self._wlock = Lock()

    def __getnewargs__(self) -> tuple[t.Any, ...]:
        return (self.capacity,)

    def copy(self) -> LRUCache:
        """A shallow copy (same capacity, items and order)."""
        rv = type(self)(self.capacity)
        rv._mapping.update(self._mapping)
        rv._queue.extend(self._queue)
        return rv

    def get(self, key: t.Any, default: t.Any = None) -> t.Any:
        """The value for ``key`` (now the most recently used), or ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def setdefault(self, key: t.Any, default: t.Any = None) -> t.Any:
        """The value for ``key``, storing ``default`` first if it is missing."""
        try:
            return self[key]
        except KeyError:
            self[key] = default
            return default

    def clear(self) -> None:
        """Remove every item."""
        with self._wlock:
            self._mapping.clear()
            self._queue.clear()

    def __contains__(self, key: t.Any) -> bool:
        return key in self._mapping

    def __len__(self) -> int:
        return len(self._mapping)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._mapping!r}>"

    def __getitem__(self, key: t.Any) -> t.Any:
        with self._wlock:
            rv = self._mapping[key]
            if self._queue[-1] != key:
                try:
                    self._queue.remove(key)
                except ValueError:  # another thread removed it meanwhile
                    pass
                self._queue.append(key)
            return rv

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        with self._wlock:
            if key in self._mapping:
                self._queue.remove(key)
            elif len(self._mapping) == self.capacity:
                del self._mapping[self._queue.popleft()]
            self._queue.append(key)
            self._mapping[key] = value

    def __delitem__(self, key: t.Any) -> None:
        with self._wlock:
            del self._mapping[key]
            try:
                self._queue.remove(key)
            except ValueError:
                pass

    def items(self) -> list[tuple[t.Any, t.Any]]:
        """``(key, value)`` pairs, most recently used first."""
        return [(key, self._mapping[key]) for key in reversed(self._queue)]

    def values(self) -> list[t.Any]:
        """Values, most recently used first."""
        return [value for _, value in self.items()]

    def keys(self) -> list[t.Any]:
        """Keys, most recently used first."""
        return list(self)

    def __iter__(self) -> t.Iterator[t.Any]:
        newest_first: t.Iterator[t.Any] = reversed(tuple(self._queue))
        return newest_first

    def __reversed__(self) -> t.Iterator[t.Any]:
        """Least recently used first."""
        return iter(tuple(self._queue))

    __copy__ = copy


__all__ = [
    "select_autoescape", "LRUCache", "consume", "open_if_exists", "url_quote", "urlize",
    "htmlsafe_json_dumps", "generate_lorem_ipsum", "object_type_repr", "is_undefined", "missing",
    "Cycler", "Joiner", "Namespace", "pass_context", "pass_environment", "pass_eval_context",
    "internalcode", "pformat", "clear_caches", "concat", "import_string",
]  # fmt: skip


def import_string(import_name: str, silent: bool = False) -> t.Any:
    """Import an object from its dotted path (``"pkg.mod.name"`` or ``"pkg.mod:name"``).

    :param silent: return ``None`` instead of raising when the import fails.
    """
    try:
        if ":" in import_name:
            module, obj = import_name.split(":", 1)
        elif "." in import_name:
            module, _, obj = import_name.rpartition(".")
        else:
            return importlib.import_module(import_name)
        return getattr(importlib.import_module(module), obj)
    except (ImportError, AttributeError):
        if not silent:
            raise
    return None
