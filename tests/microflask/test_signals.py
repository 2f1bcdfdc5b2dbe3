"""microflask.signals: blinker-compatible signals."""

from __future__ import annotations

import asyncio
import gc
import threading
import typing as t

import pytest

from microflask import signals
from microflask.signals import ANY
from microflask.signals import NamedSignal
from microflask.signals import Namespace
from microflask.signals import Signal


def record(sender: t.Any, **kwargs: t.Any) -> tuple[t.Any, dict[str, t.Any]]:
    return sender, kwargs


class Sender:
    pass


class Receiver:
    def __init__(self) -> None:
        self.calls: list[t.Any] = []

    def method(self, sender: t.Any, **kwargs: t.Any) -> str:
        self.calls.append(sender)
        return "method"


def test_send_without_receivers() -> None:
    sig = Signal()
    assert sig.send() == []
    assert sig.send("x", a=1) == []
    assert sig.receivers == {}


def test_send_passes_sender_and_kwargs() -> None:
    sig = Signal()
    assert sig.connect(record) is record
    assert sig.send("snd", a=1) == [(record, ("snd", {"a": 1}))]
    assert sig.send() == [(record, (None, {}))]


def test_send_takes_at_most_one_positional() -> None:
    sig = Signal()
    sig.connect(record)
    with pytest.raises(TypeError):
        sig.send("a", "b")  # type: ignore[misc]


def test_receivers_called_in_connection_order() -> None:
    sig = Signal()
    calls: list[str] = []

    def first(sender: t.Any) -> None:
        calls.append("first")

    def second(sender: t.Any) -> None:
        calls.append("second")

    sig.connect(second, sender="s", weak=False)
    sig.connect(first, weak=False)
    sig.send("s")
    assert calls == ["second", "first"]


@pytest.mark.parametrize(
    ("connected_sender", "sent_sender", "called"),
    [
        ("abc", "".join(["a", "bc"]), True),  # equal strings match
        (10**20, int("1" + "0" * 20), True),  # equal ints match
        ("a", "b", False),
        (1, True, True),  # ints match by value, and True == 1 (as in blinker)
        (0, Sender(), False),
        ((1, 2), tuple([1, 2]), False),  # other values match by identity
        (None, None, True),
    ],
)
def test_sender_matching(connected_sender: t.Any, sent_sender: t.Any, called: bool) -> None:
    sig = Signal()
    sig.connect(record, sender=connected_sender)
    assert bool(sig.send(sent_sender)) is called


def test_specific_sender_and_any() -> None:
    sig = Signal()
    app, other = Sender(), Sender()
    sig.connect(record, sender=app)
    assert sig.send(app) == [(record, (app, {}))]
    assert sig.send(other) == []
    # Connected for ANY too: still called once.
    sig.connect(record)
    assert len(sig.send(app)) == 1
    assert len(sig.send(other)) == 1


def test_disconnect() -> None:
    sig = Signal()
    sig.connect(record, sender=1)
    sig.connect(record, sender=2)
    sig.disconnect(record, sender=1)
    assert sig.send(1) == []
    assert len(sig.send(2)) == 1
    sig.disconnect(record)
    assert sig.send(2) == []
    assert sig.receivers == {}
    sig.disconnect(record)  # unknown: ignored
    sig.disconnect(record, sender=5)


def test_weak_function_receiver_dies() -> None:
    sig = Signal()
    sig.connect(lambda sender: 1)
    gc.collect()
    assert sig.send(1) == []
    assert sig.receivers == {}


def test_strong_receiver_survives() -> None:
    sig = Signal()
    sig.connect(lambda sender: 2, weak=False)
    gc.collect()
    assert [result for _, result in sig.send(1)] == [2]


def test_weak_bound_method_dies_with_instance() -> None:
    sig = Signal()
    obj = Receiver()
    sig.connect(obj.method)  # a new bound method object; WeakMethod keeps it usable
    assert [result for _, result in sig.send("x")] == ["method"]
    assert obj.calls == ["x"]
    del obj
    gc.collect()
    assert sig.send("x") == []
    assert sig.receivers == {}


def test_bound_method_identity() -> None:
    sig = Signal()
    obj = Receiver()
    sig.connect(obj.method, weak=False)
    sig.connect(obj.method, weak=False)
    assert len(sig.receivers) == 1
    sig.disconnect(obj.method)
    assert sig.receivers == {}


def test_non_weakrefable_receiver() -> None:
    class Slotted:
        __slots__ = ()

        def __call__(self, sender: t.Any) -> str:
            return "slotted"

    sig = Signal()
    with pytest.raises(TypeError):
        sig.connect(Slotted())
    receiver = Slotted()
    sig.connect(receiver, weak=False)
    assert sig.send(1) == [(receiver, "slotted")]


def test_sender_death_forgets_its_receivers() -> None:
    sig = Signal()
    sender = Sender()
    sig.connect(record, sender=sender)
    assert sig.has_receivers_for(sender)
    del sender
    gc.collect()
    assert sig.receivers == {}
    assert sig._by_sender == {}


def test_has_receivers_for() -> None:
    sig = Signal()
    app = Sender()
    assert not sig.has_receivers_for(app)
    sig.connect(record, sender=app)
    assert sig.has_receivers_for(app)
    assert not sig.has_receivers_for(Sender())
    assert not sig.has_receivers_for(ANY)
    sig.connect(record)
    assert sig.has_receivers_for(Sender())
    assert sig.has_receivers_for(ANY)


def test_receivers_for() -> None:
    sig = Signal()
    app = Sender()
    keep = Receiver()
    sig.connect(record, sender=app)
    sig.connect(keep.method)
    assert list(sig.receivers_for(app)) == [record, keep.method]
    assert list(sig.receivers_for(Sender())) == [keep.method]
    assert list(Signal().receivers_for(app)) == []


def test_connected_to() -> None:
    sig = Signal()
    with sig.connected_to(record):
        assert len(sig.send(1)) == 1
    assert sig.send(1) == []
    with pytest.raises(ValueError):
        with sig.connected_to(record, sender=1):
            raise ValueError("inside")
    assert sig.receivers == {}


def test_connect_via() -> None:
    sig = Signal()

    @sig.connect_via(5)
    def on_five(sender: t.Any) -> int:
        return 5

    assert sig.send(5) == [(on_five, 5)]
    assert sig.send(6) == []
    del on_five
    gc.collect()
    assert len(sig.send(5)) == 1  # connect_via connects strongly by default


def test_muted() -> None:
    sig = Signal()
    sig.connect(record)
    with sig.muted():
        assert sig.is_muted
        assert sig.send(1) == []
    assert not sig.is_muted
    assert len(sig.send(1)) == 1


def test_receiver_errors_propagate() -> None:
    sig = Signal()

    def boom(sender: t.Any) -> None:
        raise ValueError("boom")

    sig.connect(boom)
    with pytest.raises(ValueError, match="boom"):
        sig.send()


def test_receiver_may_disconnect_itself_during_send() -> None:
    sig = Signal()

    def once(sender: t.Any) -> str:
        sig.disconnect(once)
        return "once"

    sig.connect(once)
    sig.connect(record)
    assert [r for r, _ in sig.send(1)] == [once, record]
    assert [r for r, _ in sig.send(1)] == [record]


def test_connect_during_send_applies_to_next_send() -> None:
    sig = Signal()

    def adder(sender: t.Any) -> None:
        sig.connect(record)

    sig.connect(adder)
    assert [r for r, _ in sig.send(1)] == [adder]
    assert [r for r, _ in sig.send(1)] == [adder, record]


async def coro_receiver(sender: t.Any, **kwargs: t.Any) -> str:
    return "async"


def test_coroutine_receiver_needs_wrapper() -> None:
    sig = Signal()
    sig.connect(coro_receiver)
    with pytest.raises(RuntimeError, match="^Cannot send to a coroutine function.$"):
        sig.send(1)

    def wrap(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        return lambda *a, **kw: asyncio.run(func(*a, **kw))

    assert sig.send(1, _async_wrapper=wrap) == [(coro_receiver, "async")]


def test_send_async() -> None:
    sig = Signal()
    sig.connect(coro_receiver)
    assert asyncio.run(sig.send_async(1)) == [(coro_receiver, "async")]
    sig.connect(record)
    with pytest.raises(RuntimeError, match="^Cannot send to a non-coroutine function.$"):
        asyncio.run(sig.send_async(1))

    def to_coro(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        async def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return func(*args, **kwargs)

        return run

    results = asyncio.run(sig.send_async(1, _sync_wrapper=to_coro, a=2))
    assert results == [(coro_receiver, "async"), (record, (1, {"a": 2}))]
    assert asyncio.run(Signal().send_async(1)) == []


def test_receiver_connected_and_disconnected_signals() -> None:
    sig = Signal()
    events: list[tuple[str, dict[str, t.Any]]] = []
    sig.receiver_connected.connect(lambda s, **kw: events.append(("conn", kw)), weak=False)
    sig.receiver_disconnected.connect(lambda s, **kw: events.append(("disc", kw)), weak=False)
    sig.connect(record, sender="zz")
    sig.disconnect(record, sender="zz")
    assert events == [
        ("conn", {"receiver": record, "sender": "zz", "weak": True}),
        ("disc", {"receiver": record, "sender": "zz"}),
    ]


def test_failing_receiver_connected_hook_undoes_the_connect() -> None:
    sig = Signal()

    def refuse(signal: t.Any, **kwargs: t.Any) -> None:
        raise LookupError("no")

    sig.receiver_connected.connect(refuse)
    with pytest.raises(LookupError):
        sig.connect(record)
    assert sig.receivers == {}


def test_doc() -> None:
    assert Signal("Fires often.").__doc__ == "Fires often."


def test_named_signal_and_namespace() -> None:
    ns = Namespace()
    first = ns.signal("thing", doc="A thing.")
    assert isinstance(first, NamedSignal)
    assert ns.signal("thing") is first
    assert first.name == "thing"
    assert first.__doc__ == "A thing."
    assert dict(ns) == {"thing": first}
    assert repr(first).startswith("<microflask.signals.NamedSignal object at 0x")
    assert repr(first).endswith("; 'thing'>")


def test_module_level_signal() -> None:
    assert signals.signal("mf-test-signal") is signals.signal("mf-test-signal")
    assert signals.signal("mf-test-signal") in signals.default_namespace.values()


def test_any_symbol() -> None:
    assert repr(ANY) == "ANY"
    assert Signal.ANY is ANY


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("template_rendered", "template-rendered"),
        ("before_render_template", "before-render-template"),
        ("request_started", "request-started"),
        ("request_finished", "request-finished"),
        ("request_tearing_down", "request-tearing-down"),
        ("got_request_exception", "got-request-exception"),
        ("appcontext_tearing_down", "appcontext-tearing-down"),
        ("appcontext_pushed", "appcontext-pushed"),
        ("appcontext_popped", "appcontext-popped"),
        ("message_flashed", "message-flashed"),
    ],
)
def test_flask_signals(name: str, key: str) -> None:
    sig = getattr(signals, name)
    assert isinstance(sig, NamedSignal)
    assert sig.name == key
    assert signals._signals[key] is sig


def test_threaded_connect_disconnect_and_send() -> None:
    sig = Signal()
    errors: list[BaseException] = []
    receivers = [Receiver() for _ in range(8)]

    def churn(receiver: Receiver) -> None:
        try:
            for i in range(300):
                sig.connect(receiver.method, sender=i % 3)
                sig.send(i % 3)
                sig.disconnect(receiver.method, sender=i % 3)
        except BaseException as e:  # pragma: no cover - only on failure
            errors.append(e)

    threads = [threading.Thread(target=churn, args=(r,)) for r in receivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sig.receivers == {}
    assert all(r.calls for r in receivers)


def test_many_distinct_senders_keep_the_cache_bounded() -> None:
    sig = Signal()
    sig.connect(record)
    for i in range(5000):
        assert len(sig.send(f"sender-{i}")) == 1
    assert len(sig._entries) <= 256


def test_app_core_sends_request_signals() -> None:
    from microflask import Flask

    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "ok"

    started: list[t.Any] = []
    finished: list[t.Any] = []

    def on_started(sender: t.Any, **kwargs: t.Any) -> None:
        started.append(sender)

    def on_finished(sender: t.Any, response: t.Any, **kwargs: t.Any) -> None:
        finished.append(response.status_code)

    with signals.request_started.connected_to(on_started, app), signals.request_finished.connected_to(on_finished, app):
        app.test_client().get("/")
    assert started == [app]
    assert finished == [200]
