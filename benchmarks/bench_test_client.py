"""Benchmarks for wsgikit.test: building environs and full client round trips."""

from __future__ import annotations

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


@scenario("test.create_environ")
def create_environ_bench() -> Comparison:
    from wsgikit.test import create_environ

    wz = try_import("werkzeug.test")
    kwargs = {"path": "/a/b?x=1", "headers": {"X-A": "1"}, "data": b"body", "method": "POST"}
    return Comparison(
        ours=lambda: create_environ(**kwargs),
        peer=(lambda: wz.create_environ(**kwargs)) if wz else None,
        peer_name="werkzeug", unit="environ", target=1.0,
    )


@scenario("test.client_get")
def client_get_bench() -> Comparison:
    from wsgikit.test import Client

    wz = try_import("werkzeug.test")

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [("Content-Type", "text/plain"), ("Set-Cookie", "a=1; Path=/")])
        return [b"hello"]

    ours = Client(app)
    peer = wz.Client(app) if wz else None
    return Comparison(
        ours=lambda: ours.get("/x").get_data(),
        peer=(lambda: peer.get("/x").get_data()) if peer else None,
        peer_name="werkzeug", unit="request", target=1.0,
    )
