"""Context-local storage and proxies to context-bound objects.

Everything here is built on :mod:`contextvars`, so each thread and each
asyncio task (and each greenlet, when gevent/eventlet patch contextvars)
sees its own values:

- :class:`Local`: a namespace whose attributes are context-local.
- :class:`LocalStack`: a context-local stack (Flask's context stacks).
- :class:`LocalProxy`: an object that forwards every operation to the
  object currently bound in a ``Local``, ``LocalStack``, ``ContextVar`` or
  returned by a function, e.g. ``request = LocalProxy(_cv_request)``.
- :class:`LocalManager` / :func:`release_local`: clear locals at the end of
  a request, for code that does not rely on contexts ending by themselves.
- :func:`get_ident`: Werkzeug 0.8's name for "which thread is this"; 0.8
  keyed its locals by it, these are keyed by context instead.
"""

from __future__ import annotations

import copy
import math
import operator
import typing as t
from contextvars import ContextVar
from functools import update_wrapper
from operator import attrgetter
from threading import get_ident as get_ident  # Werkzeug 0.8's name, kept for old code

from .wsgi import ClosingIterator

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

T = t.TypeVar("T")
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def release_local(local: Local | LocalStack[t.Any]) -> None:
    """Drop every value ``local`` holds in the current context."""
    local.__release_local__()


class Local:
    """A namespace whose attributes are stored per context.

    Values live in one dict inside a :class:`~contextvars.ContextVar`. The
    dict is copied on every write, never changed in place, because a new
    task or thread starts with a copy of the context that shares the same
    dict object: in-place writes would leak between them.

    :param context_var: the variable to store the dict in; a new one by
        default.
    """

    __slots__ = ("__storage",)

    def __init__(self, context_var: ContextVar[dict[str, t.Any]] | None = None) -> None:
        if context_var is None:
            # Unique name: ContextVar names are for debugging, not identity.
            context_var = ContextVar(f"wsgikit.Local<{id(self)}>.storage")
        object.__setattr__(self, "_Local__storage", context_var)

    def __iter__(self) -> t.Iterator[tuple[str, t.Any]]:
        return iter(self.__storage.get({}).items())

    def __call__(self, name: str, *, unbound_message: str | None = None) -> LocalProxy[t.Any]:
        """Return a :class:`LocalProxy` to the attribute ``name``."""
        return LocalProxy(self, name, unbound_message=unbound_message)

    def __release_local__(self) -> None:
        self.__storage.set({})

    def __getattr__(self, name: str) -> t.Any:
        try:
            return self.__storage.get({})[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: t.Any) -> None:
        values = self.__storage.get({}).copy()
        values[name] = value
        self.__storage.set(values)

    def __delattr__(self, name: str) -> None:
        values = self.__storage.get({})
        if name not in values:
            raise AttributeError(name)
        values = values.copy()
        del values[name]
        self.__storage.set(values)


class LocalStack(t.Generic[T]):
    """A stack whose contents are stored per context.

    The context variable holds the top of an immutable linked list of
    ``(item, rest)`` pairs (``None`` is the empty stack). Nothing is ever
    changed in place, so a new task or thread, which starts with a copy of
    the context sharing the same pairs, cannot see later pushes and pops.

    PERF: push and pop are O(1) and copy nothing (a list would be copied on
    every call to stay immutable); Flask pushes and pops two of these stacks
    per request.

    A variable passed in by the caller is the caller's to read and preset
    (e.g. ``ContextVar("x", default=[])``), so it holds what Werkzeug keeps
    there: a list of the items, bottom first, replaced on every change.

    :param context_var: the variable to store the stack in; a new one by
        default.
    """

    __slots__ = ("_storage", "_holds_list")

    def __init__(self, context_var: ContextVar[t.Any] | None = None) -> None:
        self._holds_list = context_var is not None
        if context_var is None:
            context_var = ContextVar(f"wsgikit.LocalStack<{id(self)}>.storage")
        self._storage = context_var

    def __release_local__(self) -> None:
        self._storage.set([] if self._holds_list else None)

    def push(self, obj: T) -> list[T]:
        """Push ``obj``; return the new stack (a new list, bottom first)."""
        storage = self._storage
        if self._holds_list:
            items = [*storage.get([]), obj]
            storage.set(items)
            return items
        rest = storage.get(None)
        node = (obj, rest)
        storage.set(node)
        # PERF: the usual stack holds one item; only deeper ones are walked.
        if rest is None:
            return [obj]
        return _stack_items(node)

    def pop(self) -> T | None:
        """Remove and return the top item, or ``None`` if the stack is empty."""
        storage = self._storage
        if self._holds_list:
            items: list[T] = storage.get([])
            if not items:
                return None
            storage.set(items[:-1])
            return items[-1]
        node: tuple[T, t.Any] | None = storage.get(None)
        if node is None:
            return None
        storage.set(node[1])
        return node[0]

    @property
    def top(self) -> T | None:
        """The top item, or ``None`` if the stack is empty."""
        if self._holds_list:
            items = self._storage.get([])
            return items[-1] if items else None
        node = self._storage.get(None)
        return None if node is None else node[0]

    def __call__(self, name: str | None = None, *, unbound_message: str | None = None) -> LocalProxy[t.Any]:
        """Return a :class:`LocalProxy` to the top item, or to its attribute
        ``name``."""
        return LocalProxy(self, name, unbound_message=unbound_message)


def _stack_items(node: tuple[t.Any, t.Any] | None) -> list[t.Any]:
    """The items of a :class:`LocalStack` chain, bottom first."""
    items = []
    while node is not None:
        items.append(node[0])
        node = node[1]
    items.reverse()
    return items


class LocalManager:
    """Release a set of locals together, e.g. at the end of each request.

    :param locals: a :class:`Local`, a :class:`LocalStack`, or an iterable of them.
    """

    __slots__ = ("locals",)

    def __init__(
        self, locals: None | Local | LocalStack[t.Any] | t.Iterable[Local | LocalStack[t.Any]] = None
    ) -> None:
        if locals is None:
            self.locals: list[Local | LocalStack[t.Any]] = []
        elif isinstance(locals, (Local, LocalStack)):
            self.locals = [locals]
        else:
            self.locals = list(locals)

    def cleanup(self) -> None:
        """Release every managed local in the current context."""
        for local in self.locals:
            release_local(local)

    def make_middleware(self, app: WSGIApplication) -> WSGIApplication:
        """Wrap a WSGI app so the locals are released once its response
        iterable is closed."""
        def application(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
            return ClosingIterator(app(environ, start_response), self.cleanup)

        return application

    def middleware(self, func: WSGIApplication) -> WSGIApplication:
        """Decorator form of :meth:`make_middleware` keeping the app's name and docs."""
        return update_wrapper(self.make_middleware(func), func)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} storages: {len(self.locals)}>"


_PROXY_DOC = """A proxy to the object bound in a context-local source.

    Every operation (attribute access, item access, calls, operators,
    iteration, ``with``, ``await`` ...) is forwarded to the current object,
    so the proxy can stand in for it; ``isinstance`` sees the object's
    class. Use :meth:`_get_current_object` to get the object itself, e.g.
    to pass it to another thread or task.

    :param local: a :class:`~contextvars.ContextVar`, a :class:`Local`
        (``name`` required), a :class:`LocalStack` (proxies the top item),
        or a function returning the object.
    :param name: proxy this attribute of the object (for a ``Local``: this
        key of it) instead of the object itself.
    :param unbound_message: the :exc:`RuntimeError` message when nothing is
        bound.
    """


class _ProxyDoc:
    """``__doc__`` of a proxy: the bound object's docstring, or the proxy
    class's own when unbound or read on the class."""

    def __get__(self, instance: LocalProxy[t.Any] | None, owner: type) -> str | None:
        if instance is not None:
            try:
                doc: str | None = instance._get_current_object().__doc__
                return doc
            except RuntimeError:
                pass
        return _PROXY_DOC


class _ProxyWrapped:
    """``__wrapped__``: the bound object's own ``__wrapped__``; when nothing
    is bound, the source the proxy was made from."""

    def __get__(self, instance: LocalProxy[t.Any] | None, owner: type) -> t.Any:
        if instance is None:
            return self
        try:
            obj = instance._get_current_object()
        except RuntimeError:
            return object.__getattribute__(instance, "_LocalProxy__wrapped")
        return obj.__wrapped__


def _proxy_getter(local: t.Any, name: str | None, unbound_message: str) -> t.Callable[[], t.Any]:
    """Build the function that returns the current object for ``local``.

    PERF: one closure per proxy, specialised on the kind of source, so an
    access does no ``isinstance`` dispatch; for a ``Local`` it reads the
    ContextVar's dict directly instead of going through ``Local.__getattr__``.
    """
    if isinstance(local, Local):
        if name is None:
            raise TypeError("'name' is required when proxying a 'Local' object.")
        storage = object.__getattribute__(local, "_Local__storage")

        def get_from_local() -> t.Any:
            try:
                return storage.get()[name]
            except LookupError:  # variable unset, or key missing
                raise RuntimeError(unbound_message) from None

        return get_from_local

    select = _identity if name is None else attrgetter(name)

    if isinstance(local, LocalStack):
        if type(local).top is not LocalStack.top or local._holds_list:
            # A subclass that computes its top its own way, or a caller's
            # variable holding a list.
            def get_from_top() -> t.Any:
                obj = local.top
                if obj is None:
                    raise RuntimeError(unbound_message)
                return select(obj)

            return get_from_top

        stack_var = local._storage

        def get_from_stack() -> t.Any:
            node = stack_var.get(None)
            if node is None or node[0] is None:
                raise RuntimeError(unbound_message)
            return select(node[0])

        return get_from_stack

    if isinstance(local, ContextVar):

        def get_from_var() -> t.Any:
            try:
                obj = local.get()
            except LookupError:
                raise RuntimeError(unbound_message) from None
            return select(obj)

        return get_from_var

    if callable(local):
        if name is None:
            getter: t.Callable[[], t.Any] = local
            return getter
        return lambda: select(local())

    raise TypeError(f"Don't know how to proxy '{type(local)}'.")


def _identity(obj: T) -> T:
    return obj


# The in-place operators the proxy forwards to, typed here once because
# typeshed leaves them unannotated (a call to them is an untyped call).
# PERF: a module global is also one lookup cheaper than ``operator.iadd``.
_iadd: t.Callable[[t.Any, t.Any], t.Any] = operator.iadd
_isub: t.Callable[[t.Any, t.Any], t.Any] = operator.isub
_imul: t.Callable[[t.Any, t.Any], t.Any] = operator.imul
_imatmul: t.Callable[[t.Any, t.Any], t.Any] = operator.imatmul
_itruediv: t.Callable[[t.Any, t.Any], t.Any] = operator.itruediv
_ifloordiv: t.Callable[[t.Any, t.Any], t.Any] = operator.ifloordiv
_imod: t.Callable[[t.Any, t.Any], t.Any] = operator.imod
_ipow: t.Callable[[t.Any, t.Any], t.Any] = operator.ipow
_ilshift: t.Callable[[t.Any, t.Any], t.Any] = operator.ilshift
_irshift: t.Callable[[t.Any, t.Any], t.Any] = operator.irshift
_iand: t.Callable[[t.Any, t.Any], t.Any] = operator.iand
_ixor: t.Callable[[t.Any, t.Any], t.Any] = operator.ixor
_ior: t.Callable[[t.Any, t.Any], t.Any] = operator.ior


class LocalProxy(t.Generic[T]):
    # Typing: ``LocalProxy[Request]`` says what ``_get_current_object()``
    # returns. The forwarding methods take ``self: LocalProxy[t.Any]``: they
    # apply an operator to whatever the target is and return its result as
    # is, which no bound on T could describe. The annotation is free at run
    # time (annotations are never evaluated here).
    __slots__ = ("__wrapped", "_get_current_object")

    __doc__ = _ProxyDoc()  # pyright: ignore[reportAssignmentType]  # a descriptor giving str | None
    __wrapped__ = _ProxyWrapped()

    #: Return the object the proxy currently stands for (set per instance).
    _get_current_object: t.Callable[[], T]

    def __init__(
        self,
        local: ContextVar[T] | Local | LocalStack[T] | t.Callable[[], T],
        name: str | None = None,
        *,
        unbound_message: str | None = None,
    ) -> None:
        if unbound_message is None:
            unbound_message = "object is not bound"
        getter = _proxy_getter(local, name, unbound_message)
        # object.__setattr__: our own __setattr__ forwards to the target.
        object.__setattr__(self, "_LocalProxy__wrapped", local)
        object.__setattr__(self, "_get_current_object", getter)

    # -- the ones with a fallback when unbound ---------------------------------

    def __repr__(self: LocalProxy[t.Any]) -> str:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return f"<{type(self).__name__} unbound>"
        return repr(obj)

    def __bool__(self: LocalProxy[t.Any]) -> bool:
        try:
            return bool(self._get_current_object())
        except RuntimeError:
            return False

    def __dir__(self: LocalProxy[t.Any]) -> t.Iterable[str]:
        try:
            return dir(self._get_current_object())
        except RuntimeError:
            return []

    # The checkers expect object's settable ``__class__``; a proxy only reports
    # its target's class and never lets it be reassigned.
    @property  # type: ignore[misc]  # read-only property over object.__class__
    def __class__(self: LocalProxy[t.Any]) -> type:  # pyright: ignore[reportIncompatibleMethodOverride]  # as above
        try:
            cls: type = self._get_current_object().__class__
            return cls
        except RuntimeError:
            return type(self)

    # Comparisons give NotImplemented when unbound, so == and != fall back
    # to identity and ordering raises TypeError.

    def __eq__(self: LocalProxy[t.Any], other: object) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj == other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __ne__(self: LocalProxy[t.Any], other: object) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj != other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __lt__(self: LocalProxy[t.Any], other: t.Any) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj < other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __le__(self: LocalProxy[t.Any], other: t.Any) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj <= other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __gt__(self: LocalProxy[t.Any], other: t.Any) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj > other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __ge__(self: LocalProxy[t.Any], other: t.Any) -> bool:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            return NotImplemented
        return obj >= other  # type: ignore[no-any-return]  # the target decides what a comparison returns

    def __hash__(self: LocalProxy[t.Any]) -> int:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            raise TypeError(f"unhashable type: {type(self).__name__!r}") from None
        return hash(obj)

    def __iter__(self: LocalProxy[t.Any]) -> t.Iterator[t.Any]:
        try:
            obj = self._get_current_object()
        except RuntimeError:
            raise TypeError(f"{type(self).__name__!r} object is not iterable") from None
        return iter(obj)

    # -- attributes -------------------------------------------------------------

    def __getattr__(self: LocalProxy[t.Any], name: str) -> t.Any:
        # Only called for names the proxy class itself does not define.
        return getattr(self._get_current_object(), name)

    def __setattr__(self: LocalProxy[t.Any], name: str, value: t.Any) -> None:
        setattr(self._get_current_object(), name, value)

    def __delattr__(self: LocalProxy[t.Any], name: str) -> None:
        delattr(self._get_current_object(), name)

    # -- conversions and formatting --------------------------------------------

    def __str__(self: LocalProxy[t.Any]) -> str:
        return str(self._get_current_object())

    def __bytes__(self: LocalProxy[t.Any]) -> bytes:
        return bytes(self._get_current_object())

    def __format__(self: LocalProxy[t.Any], format_spec: str) -> str:
        return format(self._get_current_object(), format_spec)

    def __complex__(self: LocalProxy[t.Any]) -> complex:
        return complex(self._get_current_object())

    def __int__(self: LocalProxy[t.Any]) -> int:
        return int(self._get_current_object())

    def __float__(self: LocalProxy[t.Any]) -> float:
        return float(self._get_current_object())

    def __index__(self: LocalProxy[t.Any]) -> int:
        return operator.index(self._get_current_object())

    def __round__(self: LocalProxy[t.Any], ndigits: int | None = None) -> t.Any:
        return round(self._get_current_object(), ndigits)

    def __trunc__(self: LocalProxy[t.Any]) -> t.Any:
        return math.trunc(self._get_current_object())

    def __floor__(self: LocalProxy[t.Any]) -> t.Any:
        return math.floor(self._get_current_object())

    def __ceil__(self: LocalProxy[t.Any]) -> t.Any:
        return math.ceil(self._get_current_object())

    # -- containers, calls, class checks ----------------------------------------

    def __len__(self: LocalProxy[t.Any]) -> int:
        return len(self._get_current_object())

    def __length_hint__(self: LocalProxy[t.Any]) -> int:
        return operator.length_hint(self._get_current_object())

    def __getitem__(self: LocalProxy[t.Any], key: t.Any) -> t.Any:
        return self._get_current_object()[key]

    def __setitem__(self: LocalProxy[t.Any], key: t.Any, value: t.Any) -> None:
        self._get_current_object()[key] = value

    def __delitem__(self: LocalProxy[t.Any], key: t.Any) -> None:
        del self._get_current_object()[key]

    def __contains__(self: LocalProxy[t.Any], item: t.Any) -> bool:
        return item in self._get_current_object()

    def __next__(self: LocalProxy[t.Any]) -> t.Any:
        return next(self._get_current_object())

    def __reversed__(self: LocalProxy[t.Any]) -> t.Iterator[t.Any]:
        return reversed(self._get_current_object())  # type: ignore[no-any-return]  # the target's __reversed__ result, as is

    def __call__(self: LocalProxy[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self._get_current_object()(*args, **kwargs)

    def __instancecheck__(self: LocalProxy[t.Any], instance: t.Any) -> bool:
        return isinstance(instance, self._get_current_object())

    def __subclasscheck__(self: LocalProxy[t.Any], subclass: type) -> bool:
        return issubclass(subclass, self._get_current_object())

    # -- context managers, async protocols, copying -----------------------------

    def __enter__(self: LocalProxy[t.Any]) -> t.Any:
        return self._get_current_object().__enter__()

    def __exit__(self: LocalProxy[t.Any], *exc_info: t.Any) -> t.Any:
        return self._get_current_object().__exit__(*exc_info)

    def __await__(self: LocalProxy[t.Any]) -> t.Generator[t.Any, None, t.Any]:
        return self._get_current_object().__await__()  # type: ignore[no-any-return]  # the target's own awaitable protocol

    def __aiter__(self: LocalProxy[t.Any]) -> t.Any:
        return self._get_current_object().__aiter__()

    def __anext__(self: LocalProxy[t.Any]) -> t.Any:
        return self._get_current_object().__anext__()

    def __aenter__(self: LocalProxy[t.Any]) -> t.Any:
        return self._get_current_object().__aenter__()

    def __aexit__(self: LocalProxy[t.Any], *exc_info: t.Any) -> t.Any:
        return self._get_current_object().__aexit__(*exc_info)

    def __copy__(self: LocalProxy[t.Any]) -> t.Any:
        return copy.copy(self._get_current_object())

    def __deepcopy__(self: LocalProxy[t.Any], memo: dict[int, t.Any]) -> t.Any:
        return copy.deepcopy(self._get_current_object(), memo)

    # -- unary operators ---------------------------------------------------------

    def __neg__(self: LocalProxy[t.Any]) -> t.Any:
        return -self._get_current_object()

    def __pos__(self: LocalProxy[t.Any]) -> t.Any:
        return +self._get_current_object()

    def __abs__(self: LocalProxy[t.Any]) -> t.Any:
        return abs(self._get_current_object())

    def __invert__(self: LocalProxy[t.Any]) -> t.Any:
        return ~self._get_current_object()

    # -- binary operators; reflected ones evaluate ``other <op> obj`` -----------

    def __add__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() + other

    def __radd__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other + self._get_current_object()

    def __sub__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() - other

    def __rsub__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other - self._get_current_object()

    def __mul__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() * other

    def __rmul__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other * self._get_current_object()

    def __matmul__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() @ other

    def __rmatmul__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other @ self._get_current_object()

    def __truediv__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() / other

    def __rtruediv__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other / self._get_current_object()

    def __floordiv__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() // other

    def __rfloordiv__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other // self._get_current_object()

    def __mod__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() % other

    def __rmod__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other % self._get_current_object()

    def __divmod__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return divmod(self._get_current_object(), other)

    def __rdivmod__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return divmod(other, self._get_current_object())

    def __pow__(self: LocalProxy[t.Any], other: t.Any, modulo: t.Any = None) -> t.Any:
        return pow(self._get_current_object(), other, modulo)

    def __rpow__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other ** self._get_current_object()

    def __lshift__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() << other

    def __rlshift__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other << self._get_current_object()

    def __rshift__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() >> other

    def __rrshift__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other >> self._get_current_object()

    def __and__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() & other

    def __rand__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other & self._get_current_object()

    def __xor__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() ^ other

    def __rxor__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other ^ self._get_current_object()

    def __or__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return self._get_current_object() | other

    def __ror__(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return other | self._get_current_object()

    # -- in-place operators ---------------------------------------------------
    # The operation runs on the target (a list really grows), and the name
    # stays bound to the proxy, as in Werkzeug: the proxy never rebinds what
    # the local holds, so ``x += 1`` on a proxied int leaves the int as it was.

    def __iadd__(self, other: t.Any) -> LocalProxy[T]:
        _iadd(self._get_current_object(), other)
        return self

    def __isub__(self, other: t.Any) -> LocalProxy[T]:
        _isub(self._get_current_object(), other)
        return self

    def __imul__(self, other: t.Any) -> LocalProxy[T]:
        _imul(self._get_current_object(), other)
        return self

    def __imatmul__(self, other: t.Any) -> LocalProxy[T]:
        _imatmul(self._get_current_object(), other)
        return self

    def __itruediv__(self, other: t.Any) -> LocalProxy[T]:
        _itruediv(self._get_current_object(), other)
        return self

    def __ifloordiv__(self, other: t.Any) -> LocalProxy[T]:
        _ifloordiv(self._get_current_object(), other)
        return self

    def __imod__(self, other: t.Any) -> LocalProxy[T]:
        _imod(self._get_current_object(), other)
        return self

    def __ipow__(self, other: t.Any) -> LocalProxy[T]:  # type: ignore[misc]  # ``**=`` has no 3-argument form to mirror __pow__
        _ipow(self._get_current_object(), other)
        return self

    def __ilshift__(self, other: t.Any) -> LocalProxy[T]:
        _ilshift(self._get_current_object(), other)
        return self

    def __irshift__(self, other: t.Any) -> LocalProxy[T]:
        _irshift(self._get_current_object(), other)
        return self

    def __iand__(self, other: t.Any) -> LocalProxy[T]:
        _iand(self._get_current_object(), other)
        return self

    def __ixor__(self, other: t.Any) -> LocalProxy[T]:
        _ixor(self._get_current_object(), other)
        return self

    def __ior__(self, other: t.Any) -> LocalProxy[T]:
        _ior(self._get_current_object(), other)
        return self
