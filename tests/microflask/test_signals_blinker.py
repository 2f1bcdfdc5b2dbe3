"""microflask's signals next to a user's real blinker: the interop the
compat docs promise (docs/extensions.md, "Signals")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from microflask import signals

blinker = pytest.importorskip("blinker", reason="blinker is not installed")


def test_blinkers_any_means_every_sender():
    sig = signals.Signal()
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    sig.connect(receiver, sender=blinker.ANY)
    assert sig.has_receivers_for(object())
    assert sig.has_receivers_for(blinker.ANY)
    sig.send("a")
    sig.send(42)
    assert seen == ["a", 42]
    # Disconnecting from blinker's ANY removes the receiver entirely.
    sig.connect(receiver, sender="only-this")
    sig.disconnect(receiver, sender=blinker.ANY)
    assert sig.receivers == {}
    assert not sig.has_receivers_for("only-this")


def test_connected_to_with_blinkers_any(app, client):
    recorded = []

    def record(sender, **kwargs):
        recorded.append(sender)

    @app.route("/")
    def index():
        return "x"

    with signals.request_started.connected_to(record, blinker.ANY):
        client.get("/")
    client.get("/")
    assert recorded == [app]


def test_an_extensions_own_blinker_signals_run_inside_requests(app, client):
    # Extensions (Flask-Login, Flask-Principal) define their signals with
    # blinker's Namespace; they work unchanged next to microflask's.
    namespace = blinker.Namespace()
    logged_in = namespace.signal("logged-in")
    calls = []

    @logged_in.connect_via(app)
    def on_login(sender, user):
        calls.append((sender, user))

    @app.route("/login")
    def login():
        from microflask import current_app

        logged_in.send(current_app._get_current_object(), user="ann")
        return "ok"

    assert client.get("/login").text == "ok"
    assert calls == [(app, "ann")]


def test_flask_signals_keep_blinkers_api_but_are_not_blinker_instances():
    # The documented difference: same methods, different class.
    assert not isinstance(signals.request_started, blinker.Signal)
    for name in ("connect", "connect_via", "connected_to", "disconnect", "send", "send_async",
                 "has_receivers_for", "receivers_for", "muted", "receiver_connected"):
        assert hasattr(signals.request_started, name), name
    assert signals.request_started.name == "request-started"


def test_importing_microflask_signals_does_not_import_blinker():
    code = "import sys, microflask.signals; print('blinker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
