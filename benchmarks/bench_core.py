"""Core helpers against Werkzeug: locals, security, URLs, utils, exceptions."""

from __future__ import annotations

import typing as t
from urllib.parse import parse_qsl

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


@scenario("core.localproxy_getattr")
def localproxy_getattr() -> Comparison:
    """Attribute access through a proxy over a Local, as ``request.path``."""
    from wsgikit.local import Local

    class Target:
        path = "/index"

    ours_local = Local()
    ours_local.request = Target()
    ours = ours_local("request")
    wz = try_import("werkzeug.local")
    peer = None
    if wz:
        wz_local = wz.Local()
        wz_local.request = Target()
        peer_proxy = wz_local("request")
        peer = lambda: peer_proxy.path  # noqa: E731
    return Comparison(ours=lambda: ours.path, peer=peer, peer_name="werkzeug", unit="access", target=1.0)


@scenario("core.localproxy_contextvar_getattr")
def localproxy_contextvar_getattr() -> Comparison:
    """Attribute access through a proxy over a ContextVar (Flask's globals)."""
    from contextvars import ContextVar

    from wsgikit.local import LocalProxy

    class Target:
        path = "/index"

    var: ContextVar[Target] = ContextVar("bench_var")
    var.set(Target())
    ours = LocalProxy(var, "path")
    wz = try_import("werkzeug.local")
    peer_proxy = wz.LocalProxy(var, "path") if wz else None
    return Comparison(
        ours=lambda: ours.upper,
        peer=(lambda: peer_proxy.upper) if wz else None,
        peer_name="werkzeug",
        unit="access",
        target=1.0,
    )


@scenario("core.localproxy_ops")
def localproxy_ops() -> Comparison:
    """Operators through a proxy: ==, +, len, item access."""
    from contextvars import ContextVar

    from wsgikit.local import LocalProxy

    var: ContextVar[list[int]] = ContextVar("bench_ops")
    var.set([1, 2, 3])
    ours = LocalProxy(var)
    wz = try_import("werkzeug.local")
    theirs = wz.LocalProxy(var) if wz else None

    def run(proxy: object) -> object:
        return proxy == [1, 2, 3], proxy + [4], len(proxy), proxy[1]  # type: ignore[operator, arg-type, index]

    return Comparison(
        ours=lambda: run(ours),
        peer=(lambda: run(theirs)) if wz else None,
        peer_name="werkzeug",
        unit="4 ops",
        target=1.0,
    )


@scenario("core.localstack_push_pop")
def localstack_push_pop() -> Comparison:
    from wsgikit.local import LocalStack

    ours = LocalStack()  # type: ignore[var-annotated]
    wz = try_import("werkzeug.local")
    theirs = wz.LocalStack() if wz else None

    def run(stack: t.Any) -> None:
        stack.push(1)
        stack.top
        stack.pop()

    return Comparison(
        ours=lambda: run(ours),
        peer=(lambda: run(theirs)) if wz else None,
        peer_name="werkzeug",
        unit="push+top+pop",
        target=1.0,
    )



@scenario("core.cached_property_hit")
def cached_property_hit() -> Comparison:
    from wsgikit.utils import cached_property

    wz = try_import("werkzeug.utils")

    class Ours:
        @cached_property
        def value(self) -> int:
            return 1

    ours = Ours()
    ours.value
    peer = None
    if wz:

        class Theirs:
            @wz.cached_property
            def value(self) -> int:
                return 1

        theirs = Theirs()
        theirs.value
        peer = lambda: theirs.value  # noqa: E731
    return Comparison(ours=lambda: ours.value, peer=peer, peer_name="werkzeug", unit="access", target=1.0)


@scenario("core.secure_filename")
def secure_filename_bench() -> Comparison:
    from wsgikit.utils import secure_filename

    wz = try_import("werkzeug.utils")
    name = "../../My cööl movie (final) v2.mov"
    return Comparison(
        ours=lambda: secure_filename(name),
        peer=(lambda: wz.secure_filename(name)) if wz else None,
        peer_name="werkzeug",
        unit="name",
        target=1.0,
    )


@scenario("core.safe_join")
def safe_join_bench() -> Comparison:
    from wsgikit.security import safe_join

    wz = try_import("werkzeug.security")
    return Comparison(
        ours=lambda: safe_join("/srv/static", "css/site/main.css"),
        peer=(lambda: wz.safe_join("/srv/static", "css/site/main.css")) if wz else None,
        peer_name="werkzeug",
        unit="join",
        target=1.0,
    )


@scenario("core.iri_to_uri")
def iri_to_uri_bench() -> Comparison:
    from wsgikit.urls import iri_to_uri

    wz = try_import("werkzeug.urls")
    # Distinct inputs defeat urlsplit's LRU cache the same way for both sides.
    iris = [f"http://☃.net/påth/{i}?q=ü&x={i}#frag" for i in range(64)]

    def run(func: t.Any) -> None:
        for iri in iris:
            func(iri)

    return Comparison(
        ours=lambda: run(iri_to_uri),
        peer=(lambda: run(wz.iri_to_uri)) if wz else None,
        peer_name="werkzeug",
        unit="64 IRIs",
        target=1.0,
    )


@scenario("core.uri_to_iri")
def uri_to_iri_bench() -> Comparison:
    from wsgikit.urls import uri_to_iri

    wz = try_import("werkzeug.urls")
    uris = [f"http://xn--n3h.net/p%C3%A5th/{i}?q=%C3%BC&x=%26{i}#frag%20x" for i in range(64)]

    def run(func: t.Any) -> None:
        for uri in uris:
            func(uri)

    return Comparison(
        ours=lambda: run(uri_to_iri),
        peer=(lambda: run(wz.uri_to_iri)) if wz else None,
        peer_name="werkzeug",
        unit="64 URIs",
        target=1.0,
    )


@scenario("core.url_decode")
def url_decode_bench() -> Comparison:
    """url_decode against the nearest Werkzeug 3.1 equivalent: its MultiDict
    filled from urllib's parse_qsl (same splitting on "&" only, same
    unquoting), i.e. what Werkzeug's own query-string parsing does."""
    from wsgikit.urls import url_decode

    wz = try_import("werkzeug.datastructures")
    query = "page=2&sort=name&q=hello+world&tag=a&tag=b&city=K%C3%B6ln&empty="

    def peer() -> object:
        return wz.MultiDict(parse_qsl(query, keep_blank_values=True, errors="replace", separator="&"))

    url_decode(query)  # warm up: the first call imports wsgikit.datastructures

    return Comparison(
        ours=lambda: url_decode(query),
        peer=peer if wz else None,
        peer_name="werkzeug+parse_qsl",
        unit="query",
        target=1.0,
    )


@scenario("core.http_exception_get_body")
def http_exception_get_body() -> Comparison:
    from wsgikit.exceptions import NotFound

    wz = try_import("werkzeug.exceptions")
    ours = NotFound()
    theirs = wz.NotFound() if wz else None
    ours.get_body()  # warm up: the first call imports the status-name table
    return Comparison(
        ours=ours.get_body,
        peer=theirs.get_body if wz else None,
        peer_name="werkzeug",
        unit="body",
        target=1.0,
    )


@scenario("core.check_password_hash_pbkdf2")
def check_password_hash_bench() -> Comparison:
    """Cheap pbkdf2 parameters so the parsing and comparison overhead shows."""
    from wsgikit.security import check_password_hash
    from wsgikit.security import generate_password_hash

    wz = try_import("werkzeug.security")
    pwhash = generate_password_hash("secret", "pbkdf2:sha256:1")
    return Comparison(
        ours=lambda: check_password_hash(pwhash, "secret"),
        peer=(lambda: wz.check_password_hash(pwhash, "secret")) if wz else None,
        peer_name="werkzeug",
        unit="check",
        target=1.0,
    )
