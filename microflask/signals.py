"""Signals: announce events to any number of receivers (blinker's API).

Theory of operation: a :class:`Signal` keeps ``receivers`` (receiver id ->
the receiver, or a weak reference to it) and two indexes, receiver id ->
sender ids and sender id -> receiver ids. A sender id is the value for
``str``/``int`` senders (equal values match) and the object's identity for
anything else; :data:`ANY` has its own id and matches every sender.

:meth:`Signal.send` must be nearly free when nobody listens, since the app
sends several signals per request: it returns ``[]`` after one truth test.
Otherwise it looks up a per-sender tuple of prepared entries ``(target,
is_weak, is_coroutine)``, built on first use and thrown away whenever a
connection changes, so the steady state does no set arithmetic and no
``iscoroutinefunction`` calls. Changes to the indexes happen under a lock;
``send`` itself only reads a tuple, so connecting or disconnecting (even from
inside a receiver) never disturbs a send in progress.

Weakly connected receivers (the default) are dropped when they die: plain
functions through :class:`weakref.ref`, bound methods through
:class:`weakref.WeakMethod`. Senders that can be weakly referenced are
forgotten when they die too, so a recycled ``id()`` never inherits their
receivers.
"""

from __future__ import annotations

import collections.abc as cabc
import sys
import threading
import typing as t
import weakref
from contextlib import contextmanager
from functools import cached_property
from types import MethodType

__all__ = [
    "ANY",
    "NamedSignal",
    "Namespace",
    "Signal",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "before_render_template",
    "default_namespace",
    "got_request_exception",
    "message_flashed",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "signal",
    "template_rendered",
]

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _Symbol:
    """A named singleton whose repr is its name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> str:
        return self.name


#: The "every sender" wildcard for :meth:`Signal.connect` and friends.
ANY = _Symbol("ANY")
_ANY_ID = id(ANY)

def _sender_id(sender: t.Any) -> cabc.Hashable:
    """The index id of a ``sender`` given to connect/disconnect: blinker's
    own ``ANY`` (when blinker is loaded) means the same as ours, so code
    written against blinker can pass it. blinker is never imported here.
    """
    if sender is ANY:
        return _ANY_ID
    blinker = sys.modules.get("blinker")
    if blinker is not None and sender is getattr(blinker, "ANY", ANY):
        return _ANY_ID
    return _make_id(sender)


#: A prepared send entry: (receiver or weak reference, is weak, is coroutine).
_Entry = tuple[t.Any, bool, bool]


def _make_id(obj: object) -> cabc.Hashable:
    """The identity used to index receivers and senders."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        # Keep int values apart from the ``id()`` numbers used below.
        return ("int", obj)
    if isinstance(obj, MethodType):
        return (id(obj.__func__), id(obj.__self__))
    return id(obj)


def _is_coroutine(receiver: t.Any) -> bool:
    # Imported here: creating an application must not load ``inspect``.
    import inspect

    if inspect.iscoroutinefunction(receiver):
        return True
    call = getattr(receiver, "__call__", None)  # noqa: B004
    return call is not None and inspect.iscoroutinefunction(call)


class Signal:
    """An event that receivers can subscribe to.

    :param doc: documentation for the signal, shown as its ``__doc__``.
    """

    #: The wildcard sender, also reachable from any signal.
    ANY = ANY

    #: The set type of the internal indexes.
    set_class: type[set[t.Any]] = set

    def __init__(self, doc: str | None = None) -> None:
        if doc:
            self.__doc__ = doc
        #: Connected receivers by id: the receiver, or a weak reference to it.
        self.receivers: dict[t.Any, t.Any] = {}
        #: While true (see :meth:`muted`), :meth:`send` calls nobody.
        self.is_muted = False
        self._by_receiver: dict[t.Any, set[t.Any]] = {}
        self._by_sender: dict[t.Any, set[t.Any]] = {}
        self._weak_senders: dict[t.Any, weakref.ref[t.Any]] = {}
        # Receiver id -> (held weakly, is a coroutine function).
        self._meta: dict[t.Any, tuple[bool, bool]] = {}
        self._entries: dict[t.Any, tuple[_Entry, ...]] = {}
        self._lock = threading.RLock()

    @cached_property
    def receiver_connected(self) -> Signal:
        """Sent (with this signal as sender) after a receiver connects:
        ``receiver``, ``sender``, ``weak`` keyword arguments.
        """
        return Signal()

    @cached_property
    def receiver_disconnected(self) -> Signal:
        """Sent after a receiver disconnects: ``receiver`` and ``sender``."""
        return Signal()

    def connect(self, receiver: F, sender: t.Any = ANY, weak: bool = True) -> F:
        """Subscribe ``receiver`` and return it (so it works as a decorator).

        :param receiver: called as ``receiver(sender, **kwargs)``.
        :param sender: only receive sends from this sender; :data:`ANY` for all.
        :param weak: hold a weak reference, so connecting does not keep the
            receiver alive; it is disconnected when it dies.
        :raise TypeError: ``weak`` is true and the receiver cannot be weakly
            referenced.
        """
        receiver_id = _make_id(receiver)
        sender_id = _sender_id(sender)
        if weak:
            cleanup = self._make_cleanup_receiver(receiver_id)
            # Checked through another name, so ``receiver`` keeps its type
            # for the return value.
            target: t.Any = receiver
            if isinstance(target, MethodType):
                stored: t.Any = weakref.WeakMethod(target, cleanup)
            else:
                stored = weakref.ref(target, cleanup)
        else:
            stored = receiver
        with self._lock:
            if receiver_id not in self.receivers:
                self.receivers[receiver_id] = stored
                self._meta[receiver_id] = (weak, _is_coroutine(receiver))
            self._by_sender.setdefault(sender_id, set()).add(receiver_id)
            self._by_receiver.setdefault(receiver_id, set()).add(sender_id)
            if sender_id != _ANY_ID and sender_id not in self._weak_senders:
                self._watch_sender(sender, sender_id)
            self._entries = {}
        if "receiver_connected" in self.__dict__ and self.receiver_connected.receivers:
            try:
                self.receiver_connected.send(self, receiver=receiver, sender=sender, weak=weak)
            except BaseException:
                self.disconnect(receiver, sender)
                raise
        return receiver

    def _watch_sender(self, sender: t.Any, sender_id: t.Any) -> None:
        if isinstance(sender, (str, int)):
            return
        try:
            self._weak_senders[sender_id] = weakref.ref(sender, self._make_cleanup_sender(sender_id))
        except TypeError:
            pass  # Not weakly referenceable (e.g. a tuple): matched by identity only.

    def connect_via(self, sender: t.Any, weak: bool = False) -> t.Callable[[F], F]:
        """Decorator form of :meth:`connect` for a given sender (strong by
        default, since decorated functions usually live for the program).
        """

        def decorator(fn: F) -> F:
            self.connect(fn, sender, weak)
            return fn

        return decorator

    @contextmanager
    def connected_to(self, receiver: t.Callable[..., t.Any], sender: t.Any = ANY) -> cabc.Generator[None, None, None]:
        """Connect ``receiver`` (strongly) for the duration of a ``with``
        block, e.g. to record signals in a test.
        """
        self.connect(receiver, sender=sender, weak=False)
        try:
            yield None
        finally:
            self.disconnect(receiver)

    @contextmanager
    def muted(self) -> cabc.Generator[None, None, None]:
        """Suppress all sends of this signal inside a ``with`` block."""
        self.is_muted = True
        try:
            yield None
        finally:
            self.is_muted = False

    def send(
        self,
        sender: t.Any | None = None,
        /,
        *,
        _async_wrapper: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]] | None = None,
        **kwargs: t.Any,
    ) -> list[tuple[t.Callable[..., t.Any], t.Any]]:
        """Call every receiver for ``sender`` and return ``(receiver,
        return_value)`` pairs, in connection order.

        :param sender: who is sending; receivers connected for it or for
            :data:`ANY` are called.
        :param _async_wrapper: turns a coroutine receiver into a plain
            callable; without it a coroutine receiver is an error.
        :param kwargs: passed to every receiver.
        :raise RuntimeError: a receiver is a coroutine function and no
            ``_async_wrapper`` was given.
        """
        # PERF: the no-receiver case is one dict truth test.
        if not self.receivers or self.is_muted:
            return []
        results = []
        for target, is_weak, is_coroutine in self._entries_for(sender):
            receiver = target() if is_weak else target
            if receiver is None:
                continue
            if is_coroutine:
                if _async_wrapper is None:
                    raise RuntimeError("Cannot send to a coroutine function.")
                results.append((receiver, _async_wrapper(receiver)(sender, **kwargs)))
            else:
                results.append((receiver, receiver(sender, **kwargs)))
        return results

    async def send_async(
        self,
        sender: t.Any | None = None,
        /,
        *,
        _sync_wrapper: t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]] | None = None,
        **kwargs: t.Any,
    ) -> list[tuple[t.Callable[..., t.Any], t.Any]]:
        """Like :meth:`send` but awaits coroutine receivers.

        :param _sync_wrapper: turns a plain receiver into a coroutine
            function; without it a plain receiver is an error.
        :raise RuntimeError: a receiver is not a coroutine function and no
            ``_sync_wrapper`` was given.
        """
        if not self.receivers or self.is_muted:
            return []
        results = []
        for target, is_weak, is_coroutine in self._entries_for(sender):
            receiver = target() if is_weak else target
            if receiver is None:
                continue
            if is_coroutine:
                results.append((receiver, await receiver(sender, **kwargs)))
            else:
                if _sync_wrapper is None:
                    raise RuntimeError("Cannot send to a non-coroutine function.")
                results.append((receiver, await _sync_wrapper(receiver)(sender, **kwargs)))
        return results

    def _entries_for(self, sender: t.Any) -> tuple[_Entry, ...]:
        sender_id = _make_id(sender)
        entries = self._entries.get(sender_id)
        if entries is None:
            with self._lock:
                entries = self._build_entries(sender_id)
                if len(self._entries) >= 256:
                    self._entries = {}
                self._entries[sender_id] = entries
        return entries

    def _build_entries(self, sender_id: t.Any) -> tuple[_Entry, ...]:
        wanted = self._by_sender.get(_ANY_ID, set()) | self._by_sender.get(sender_id, set())
        meta = self._meta
        return tuple(
            (stored, *meta[receiver_id]) for receiver_id, stored in self.receivers.items() if receiver_id in wanted
        )

    def has_receivers_for(self, sender: t.Any) -> bool:
        """Whether a send from ``sender`` would reach anyone (possibly a
        receiver that has died but is not yet cleaned up).
        """
        if not self.receivers:
            return False
        if self._by_sender.get(_ANY_ID):
            return True
        sender_id = _sender_id(sender)
        if sender_id == _ANY_ID:
            return False
        return bool(self._by_sender.get(sender_id))

    def receivers_for(self, sender: t.Any) -> cabc.Generator[t.Callable[..., t.Any], None, None]:
        """Yield the live receivers a send from ``sender`` would call."""
        if not self.receivers:
            return
        for target, is_weak, _ in self._entries_for(sender):
            receiver = target() if is_weak else target
            if receiver is not None:
                yield receiver

    def disconnect(self, receiver: t.Callable[..., t.Any], sender: t.Any = ANY) -> None:
        """Unsubscribe ``receiver``: from ``sender`` only, or entirely when
        ``sender`` is :data:`ANY`. Unknown receivers are ignored.
        """
        sender_id = _sender_id(sender)
        self._disconnect(_make_id(receiver), sender_id)
        if "receiver_disconnected" in self.__dict__ and self.receiver_disconnected.receivers:
            self.receiver_disconnected.send(self, receiver=receiver, sender=sender)

    def _disconnect(self, receiver_id: t.Any, sender_id: t.Any) -> None:
        with self._lock:
            if sender_id == _ANY_ID:
                for sid in self._by_receiver.pop(receiver_id, ()):
                    self._drop_pair(receiver_id, sid)
                self._forget_receiver(receiver_id)
            else:
                sender_ids = self._by_receiver.get(receiver_id)
                if sender_ids is None:
                    return
                sender_ids.discard(sender_id)
                self._drop_pair(receiver_id, sender_id)
                if not sender_ids:
                    del self._by_receiver[receiver_id]
                    self._forget_receiver(receiver_id)
            self._entries = {}

    def _drop_pair(self, receiver_id: t.Any, sender_id: t.Any) -> None:
        receiver_ids = self._by_sender.get(sender_id)
        if receiver_ids is not None:
            receiver_ids.discard(receiver_id)
            if not receiver_ids:
                del self._by_sender[sender_id]
                self._weak_senders.pop(sender_id, None)

    def _forget_receiver(self, receiver_id: t.Any) -> None:
        self.receivers.pop(receiver_id, None)
        self._meta.pop(receiver_id, None)

    def _make_cleanup_receiver(self, receiver_id: t.Any) -> t.Callable[[t.Any], None]:
        def cleanup(ref: t.Any) -> None:
            # Only act if the dead reference is still the one we hold: the
            # id may meanwhile belong to a new receiver.
            if self.receivers.get(receiver_id) is ref:
                self._disconnect(receiver_id, _ANY_ID)

        return cleanup

    def _make_cleanup_sender(self, sender_id: t.Any) -> t.Callable[[t.Any], None]:
        def cleanup(ref: t.Any) -> None:
            with self._lock:
                if self._weak_senders.get(sender_id) is not ref:
                    return
                del self._weak_senders[sender_id]
                for receiver_id in self._by_sender.pop(sender_id, ()):
                    sender_ids = self._by_receiver.get(receiver_id)
                    if sender_ids is None:
                        continue
                    sender_ids.discard(sender_id)
                    if not sender_ids:
                        del self._by_receiver[receiver_id]
                        self._forget_receiver(receiver_id)
                self._entries = {}

        return cleanup

    def _clear_state(self) -> None:
        """Disconnect everything (for tests)."""
        with self._lock:
            self.receivers.clear()
            self._by_receiver.clear()
            self._by_sender.clear()
            self._weak_senders.clear()
            self._meta.clear()
            self._entries = {}


class NamedSignal(Signal):
    """A signal with a name, as made by :meth:`Namespace.signal`.

    :param name: the signal's name.
    :param doc: its documentation.
    """

    def __init__(self, name: str, doc: str | None = None) -> None:
        super().__init__(doc)
        #: The name the signal was created under.
        self.name = name

    def __repr__(self) -> str:
        base = super().__repr__()
        return f"{base[:-1]}; {self.name!r}>"


class Namespace(dict[str, NamedSignal]):
    """A registry of named signals: asking twice for a name returns the
    same signal.
    """

    def signal(self, name: str, doc: str | None = None) -> NamedSignal:
        """The signal called ``name``, created on first request.

        :param name: the signal's name.
        :param doc: documentation, used only when the signal is created.
        """
        if name not in self:
            self[name] = NamedSignal(name, doc)
        return self[name]


#: The process-wide namespace behind :func:`signal`.
default_namespace = Namespace()

#: Get or create a named signal in :data:`default_namespace`.
signal = default_namespace.signal

# The framework's own signals, in their own namespace as in Flask.
_signals = Namespace()

#: Sent after a template renders: ``template``, ``context``.
template_rendered = _signals.signal("template-rendered")
#: Sent before a template renders: ``template``, ``context``.
before_render_template = _signals.signal("before-render-template")
#: Sent when request handling starts, before the view is found.
request_started = _signals.signal("request-started")
#: Sent with the ``response`` when it is about to go out.
request_finished = _signals.signal("request-finished")
#: Sent during request teardown, with ``exc`` (the unhandled error or ``None``).
request_tearing_down = _signals.signal("request-tearing-down")
#: Sent with ``exception`` when an unhandled error occurs in a request.
got_request_exception = _signals.signal("got-request-exception")
#: Sent during app context teardown, with ``exc``.
appcontext_tearing_down = _signals.signal("appcontext-tearing-down")
#: Sent after an application context is pushed.
appcontext_pushed = _signals.signal("appcontext-pushed")
#: Sent after an application context is popped.
appcontext_popped = _signals.signal("appcontext-popped")
#: Sent by ``flash`` with ``message`` and ``category``.
message_flashed = _signals.signal("message-flashed")
