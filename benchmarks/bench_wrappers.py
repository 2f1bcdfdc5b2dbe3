"""Request-side scenarios: building a request from an environ and reading
what a typical view reads, and a whole in-process hello-world app.
"""

from __future__ import annotations

import io
import typing as t

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


def _environ(**extra: t.Any) -> dict[str, t.Any]:
    """A realistic environ, as a server would hand it over."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/users/42/profile",
        "QUERY_STRING": "page=2&sort=name&q=hello+world",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost:8000",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.5",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "HTTP_COOKIE": "session=abcdef0123456789; theme=dark",
        "HTTP_CONNECTION": "keep-alive",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    environ.update(extra)
    return environ


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
    return None


@scenario("wrappers.request_basic")
def request_basic() -> Comparison:
    """Construct a request, read ``args``, one header and ``path``."""
    from wsgikit.wrappers.request import Request

    wz = try_import("werkzeug.wrappers")
    environ = _environ()

    def use(request_class: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            request = request_class(environ)
            return request.args.get("page"), request.headers.get("User-Agent"), request.path

        return run

    return Comparison(
        ours=use(Request),
        peer=use(wz.Request) if wz else None,
        peer_name="werkzeug",
        unit="request",
        # The Request target is the whole hello app (wrappers.hello_app,
        # >= 3x); this piece only has to keep the "never slower" rule.
        target=1.0,
    )


@scenario("wrappers.request_url")
def request_url() -> Comparison:
    """Construct a request and compute its full URL and host."""
    from wsgikit.wrappers.request import Request

    wz = try_import("werkzeug.wrappers")
    environ = _environ()

    def use(request_class: t.Any) -> t.Callable[[], object]:
        return lambda: (request_class(environ).url,)

    return Comparison(
        ours=use(Request),
        peer=use(wz.Request) if wz else None,
        peer_name="werkzeug",
        unit="request",
    )


@scenario("wrappers.request_form")
def request_form() -> Comparison:
    """Parse a small urlencoded POST body into ``form``."""
    from wsgikit.wrappers.request import Request

    wz = try_import("werkzeug.wrappers")
    body = b"name=Alice&email=alice%40example.com&age=30&remember=on"

    def use(request_class: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            environ = _environ(
                REQUEST_METHOD="POST",
                CONTENT_TYPE="application/x-www-form-urlencoded",
                CONTENT_LENGTH=str(len(body)),
            )
            environ["wsgi.input"] = io.BytesIO(body)
            return request_class(environ).form["email"]

        return run

    return Comparison(
        ours=use(Request),
        peer=use(wz.Request) if wz else None,
        peer_name="werkzeug",
        unit="request",
    )


@scenario("wrappers.request_json")
def request_json() -> Comparison:
    """Parse a small JSON POST body."""
    from wsgikit.wrappers.request import Request

    wz = try_import("werkzeug.wrappers")
    body = b'{"name": "Alice", "tags": ["a", "b"], "age": 30}'

    def use(request_class: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            environ = _environ(
                REQUEST_METHOD="POST", CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(body))
            )
            environ["wsgi.input"] = io.BytesIO(body)
            return request_class(environ).json["age"]

        return run

    return Comparison(
        ours=use(Request),
        peer=use(wz.Request) if wz else None,
        peer_name="werkzeug",
        unit="request",
    )


def _hello_app(request_class: t.Any, response_class: t.Any, map_class: t.Any, rule_class: t.Any) -> t.Any:
    """The classic hello world: a one-rule Map, a Request.application view."""
    url_map = map_class([rule_class("/", endpoint="index"), rule_class("/users/<int:id>", endpoint="user")])

    @request_class.application
    def app(request: t.Any) -> t.Any:
        adapter = url_map.bind_to_environ(request.environ)
        endpoint, args = adapter.match()
        return response_class("Hello")

    return app


@scenario("wrappers.hello_app")
def hello_app() -> Comparison:
    """``Request.application`` + ``Map`` + ``Response("Hello")``, called
    in-process with a prebuilt environ (the issue's 3x requirement).
    """
    from wsgikit.wrappers.request import Request

    try:
        from wsgikit.routing import Map
        from wsgikit.routing import Rule
        from wsgikit.wrappers.response import Response
    except ImportError:  # routing or Response not written yet
        return Comparison(ours=lambda: None, unit="request (routing/Response missing)")

    wz_wrappers = try_import("werkzeug.wrappers")
    wz_routing = try_import("werkzeug.routing")
    environ = _environ(PATH_INFO="/", QUERY_STRING="")

    def use(app: t.Any) -> t.Callable[[], object]:
        def run() -> object:
            body = app(environ, _start_response)
            result = b"".join(body)
            close = getattr(body, "close", None)
            if close is not None:
                close()
            return result

        return run

    peer = None
    if wz_wrappers and wz_routing:
        peer = use(_hello_app(wz_wrappers.Request, wz_wrappers.Response, wz_routing.Map, wz_routing.Rule))
    return Comparison(
        ours=use(_hello_app(Request, Response, Map, Rule)),
        peer=peer,
        peer_name="werkzeug",
        unit="request",
        target=3.0,
    )
