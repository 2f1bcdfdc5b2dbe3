"""Datastructure scenarios: the hot paths of request and response handling."""

from __future__ import annotations

from benchmarks._harness import Comparison, scenario, try_import

#: A parsed query string / form: 12 pairs, one key repeated.
_PAIRS = [(f"field{i}", f"value{i}") for i in range(10)] + [("tag", "a"), ("tag", "b")]

#: Headers a typical view response carries.
_RESPONSE_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", "1234"),
    ("Cache-Control", "no-cache"),
    ("Set-Cookie", "session=abc; HttpOnly; Path=/"),
    ("Vary", "Cookie"),
    ("X-Frame-Options", "SAMEORIGIN"),
]

#: A browser-like WSGI environ.
_ENVIRON = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/",
    "SERVER_NAME": "localhost",
    "SERVER_PORT": "80",
    "CONTENT_TYPE": "",
    "CONTENT_LENGTH": "",
    "HTTP_HOST": "localhost",
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64)",
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.5",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
    "HTTP_COOKIE": "session=abc",
    "HTTP_CONNECTION": "keep-alive",
}


@scenario("datastructures.multidict_build_get")
def multidict_build_get() -> Comparison:
    from wsgikit.datastructures import MultiDict

    wz = try_import("werkzeug.datastructures")

    def run(cls: type) -> object:
        md = cls(_PAIRS)
        return md["field3"], md.get("field9"), md.getlist("tag"), md.get("missing")

    return Comparison(
        ours=lambda: run(MultiDict),
        peer=(lambda: run(wz.MultiDict)) if wz else None,
        peer_name="werkzeug",
        unit="build+4 gets",
        target=1.0,
    )


@scenario("datastructures.headers_build_get_wsgi")
def headers_build_get_wsgi() -> Comparison:
    from wsgikit.datastructures import Headers

    wz = try_import("werkzeug.datastructures")

    def run(cls: type) -> object:
        h = cls(_RESPONSE_HEADERS)
        h.add("X-Request-Id", "42")
        return h.get("Content-Type"), "content-length" in h, h.to_wsgi_list()

    return Comparison(
        ours=lambda: run(Headers),
        peer=(lambda: run(wz.Headers)) if wz else None,
        peer_name="werkzeug",
        unit="response",
        target=1.0,
    )


@scenario("datastructures.environ_headers_get")
def environ_headers_get() -> Comparison:
    from wsgikit.datastructures import EnvironHeaders

    wz = try_import("werkzeug.datastructures")

    def run(cls: type) -> object:
        h = cls(_ENVIRON)
        return h.get("Host"), h.get("Accept"), h.get("Content-Type"), h.get("X-Missing")

    return Comparison(
        ours=lambda: run(EnvironHeaders),
        peer=(lambda: run(wz.EnvironHeaders)) if wz else None,
        peer_name="werkzeug",
        unit="4 gets",
        target=1.0,
    )


@scenario("datastructures.mimeaccept_best_match")
def mimeaccept_best_match() -> Comparison:
    from wsgikit.datastructures import MIMEAccept

    wz = try_import("werkzeug.datastructures")
    values = [("text/html", 1), ("application/xhtml+xml", 1), ("application/xml", 0.9), ("*/*", 0.8)]
    offers = ["application/json", "text/html"]
    ours = MIMEAccept(values)
    peer = wz.MIMEAccept(values) if wz else None
    return Comparison(
        ours=lambda: ours.best_match(offers),
        peer=(lambda: peer.best_match(offers)) if peer is not None else None,
        peer_name="werkzeug",
        unit="best_match",
        target=1.0,
    )
