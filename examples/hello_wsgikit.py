"""A raw WSGI app on wsgikit: routing, Request, Response and HTTP errors.

Run it with ``python3 examples/hello_wsgikit.py`` and open the printed
address. It is served by wsgikit's own threaded HTTP/1.1 dev server.
"""

from __future__ import annotations

import os
import sys

if __package__ in (None, ""):  # run as a script from a checkout
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wsgikit.routing import Map, Rule  # noqa: E402
from wsgikit.serving import make_server  # noqa: E402
from wsgikit.wrappers import Request, Response  # noqa: E402

url_map = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/hello/<name>", endpoint="hello", methods=["GET"]),
    ]
)


def index(request: Request) -> Response:
    who = request.args.get("name", "world")
    return Response(f"Hello, {who}! Try /hello/<your name> or ?name=...\n")


def hello(request: Request, name: str) -> Response:
    return Response(f"Hello, {name}!\n")


VIEWS = {"index": index, "hello": hello}


@Request.application
def application(request: Request) -> Response:
    """Match the URL and call the view.

    ``match`` raises NotFound, MethodNotAllowed or a redirect; the
    ``Request.application`` decorator turns them into their HTTP responses.
    """
    endpoint, values = url_map.bind_to_environ(request.environ).match()
    return VIEWS[endpoint](request, **values)


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    server = make_server(host, port, application, threaded=True)
    print(f" * Serving wsgikit example on http://{host}:{server.port}/ (Ctrl+C to quit)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
