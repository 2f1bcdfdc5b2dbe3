"""The seed articles' examples run here with only the package names changed.

The project grew from three articles that walk through Werkzeug 0.8 and
Flask 0.8: a plain wsgiref application, a class-based WSGI application, an
environ dump, ``@Request.application`` served by ``run_simple``, a
``MethodRewriteMiddleware``, Flask's quickstart (routes, ``url_for``,
templates, ``request.values``, sessions with ``escape``), and Flask's own
``request = LocalProxy(partial(_lookup_object, "request"))`` over
``_request_ctx_stack.top``. Each example is written the way those articles
write it (Python 2 only spellings moved to Python 3: ``print()``, bytes
bodies), with ``werkzeug`` -> ``wsgikit`` and ``flask`` -> ``microflask``.

Werkzeug 0.8's top-level imports (``from werkzeug import url_decode``) are
taken here from the modules that define them (``wsgikit.urls``,
``wsgikit.utils``...); the package-level names are another change's.
docs/lifecycle.md says which lines of the code tell this story.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import typing as t
import wsgiref.simple_server
import wsgiref.validate
from functools import partial
from pathlib import Path

import pytest

from microflask import Flask
from microflask import escape
from microflask import redirect
from microflask import render_template
from microflask import request
from microflask import session
from microflask import url_for
from microflask.globals import _cv_app
from microflask.globals import _cv_request
from microflask.globals import _lookup_req_object
from microflask.globals import _request_ctx_stack
from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import NotFound
from wsgikit.local import LocalProxy
from wsgikit.local import LocalStack
from wsgikit.local import get_ident
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.serving import make_server
from wsgikit.test import Client
from wsgikit.urls import url_decode
from wsgikit.utils import redirect as wsgikit_redirect
from wsgikit.wrappers import AcceptMixin
from wsgikit.wrappers import AuthorizationMixin
from wsgikit.wrappers import BaseRequest
from wsgikit.wrappers import BaseResponse
from wsgikit.wrappers import CommonRequestDescriptorsMixin
from wsgikit.wrappers import ETagRequestMixin
from wsgikit.wrappers import Request
from wsgikit.wrappers import Response
from wsgikit.wrappers import UserAgentMixin

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_leaked_contexts() -> t.Iterator[None]:
    yield
    assert _cv_request.get(None) is None and _cv_app.get(None) is None, "an example left a context pushed"


# -- serving an example over a real socket -------------------------------------------


def _get(port: int, path: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def _served(server: t.Any) -> t.Iterator[int]:
    """Serve with ``server`` (wsgiref's or wsgikit's) in a thread; yield its port."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- 1. a plain WSGI application, served by wsgiref and by wsgikit ---------------------


def hello_world_app(environ, start_response):  # type: ignore[no-untyped-def]
    status = "200 OK"
    headers = [("Content-type", "text/plain; charset=utf-8")]
    start_response(status, headers)
    return [b"Hello World!"]


def test_wsgiref_app_under_wsgiref_and_wsgikit() -> None:
    with _served(wsgiref.simple_server.make_server("127.0.0.1", 0, hello_world_app, handler_class=_QuietWSGIRefHandler)) as port:
        assert _get(port, "/") == (200, b"Hello World!")
    with _served(make_server("127.0.0.1", 0, hello_world_app)) as port:
        assert _get(port, "/") == (200, b"Hello World!")
    # and it is a valid WSGI application by wsgiref's own checker
    response = Client(wsgiref.validate.validator(hello_world_app)).get("/")
    assert response.get_data() == b"Hello World!"
    response.close()  # the validator insists the body is closed


class _QuietWSGIRefHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, format: str, *args: t.Any) -> None:
        pass


# -- 2. a class-based application (Werkzeug's tutorial shape) -------------------------


class Shortly:
    """Werkzeug's tutorial application: a URL map, ``on_<endpoint>``
    handlers, ``wsgi_app`` and ``__call__``."""

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self.url_map = Map([Rule("/", endpoint="new_url"), Rule("/<short_id>", endpoint="follow_short_link")])

    def on_new_url(self, request: Request) -> Response:
        if request.method == "POST":
            short_id = str(len(self.urls) + 1)
            self.urls[short_id] = request.form["url"]
            return wsgikit_redirect(f"/{short_id}+")
        return Response("<form method=post><input name=url></form>", mimetype="text/html")

    def on_follow_short_link(self, request: Request, short_id: str) -> Response:
        if short_id.endswith("+"):
            return Response(f"link {short_id[:-1]} -> {self.urls[short_id[:-1]]}")
        if short_id not in self.urls:
            raise NotFound()
        return wsgikit_redirect(self.urls[short_id])

    def dispatch_request(self, request: Request) -> t.Any:
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
            return getattr(self, "on_" + endpoint)(request, **values)
        except HTTPException as e:
            return e

    def wsgi_app(self, environ, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        response = self.dispatch_request(request)
        return response(environ, start_response)

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        return self.wsgi_app(environ, start_response)


def test_class_based_app() -> None:
    client = Client(Shortly())
    assert b"<form" in client.get("/").get_data()
    created = client.post("/", data={"url": "http://example.test/a"})
    assert created.status_code == 302 and created.headers["Location"] == "/1+"
    assert client.get("/1+").get_data() == b"link 1 -> http://example.test/a"
    followed = client.get("/1")
    assert followed.status_code == 302 and followed.headers["Location"] == "http://example.test/a"
    assert client.get("/2").status_code == 404


# -- 3. the environ dump -----------------------------------------------------------------


def environ_app(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{key}: {value!r}\n".encode() for key, value in sorted(environ.items())]


def test_environ_dump_over_a_socket() -> None:
    with _served(make_server("127.0.0.1", 0, environ_app)) as port:
        status, body = _get(port, "/some/path?a=1&b=2", headers={"X-Seed": "yes"})
    assert status == 200
    lines = body.decode().splitlines()
    assert lines == sorted(lines)
    for expected in [
        "REQUEST_METHOD: 'GET'",
        "PATH_INFO: '/some/path'",
        "QUERY_STRING: 'a=1&b=2'",
        "HTTP_X_SEED: 'yes'",
        "SERVER_PROTOCOL: 'HTTP/1.1'",
        "wsgi.url_scheme: 'http'",
        "wsgi.version: (1, 0)",
    ]:
        assert expected in lines


# -- 4. @Request.application served by run_simple, in its own process ----------------------

RUN_SIMPLE_SCRIPT = textwrap.dedent(
    """
    from wsgikit.wrappers import Request, Response

    @Request.application
    def application(request):
        return Response('Hello %s!' % request.args.get('name', 'World'))

    if __name__ == '__main__':
        from wsgikit.serving import run_simple
        run_simple('127.0.0.1', 0, application)
    """
)


def test_request_application_under_run_simple(tmp_path: Path) -> None:
    script = tmp_path / "hello.py"
    script.write_text(RUN_SIMPLE_SCRIPT)
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(script)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            start_new_session=True,
        )
    try:
        port = _wait_for_port(log, process)
        assert _get(port, "/") == (200, b"Hello World!")
        assert _get(port, "/?name=Seed") == (200, b"Hello Seed!")
        # The access log line is written just after the response is sent.
        _wait_for_log(log, r'"GET /\?name=Seed HTTP/1.1" 200')
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def _wait_for_log(log: Path, pattern: str) -> None:
    deadline = time.monotonic() + 20
    while not re.search(pattern, log.read_text()):
        assert time.monotonic() < deadline, f"{pattern!r} not logged:\n{log.read_text()}"
        time.sleep(0.05)


def _wait_for_port(log: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        match = re.search(r"Running on http://127\.0\.0\.1:(\d+)", log.read_text())
        if match:
            port = int(match.group(1))
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                return port
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


# -- 5. Werkzeug 0.8's request, composed of BaseRequest and mixins ------------------------


class SeedRequest(BaseRequest, AcceptMixin, ETagRequestMixin, UserAgentMixin, AuthorizationMixin, CommonRequestDescriptorsMixin):
    """Werkzeug 0.8's full ``Request``, spelled as 0.8 spells it."""


def test_request_composed_of_mixins_parses_lazily() -> None:
    @SeedRequest.application
    def app(request: SeedRequest) -> BaseResponse:
        parsed_before = sorted(key for key in ("args", "form", "accept_mimetypes") if key in request.__dict__)
        return BaseResponse(f"{parsed_before} {request.accept_mimetypes.best} {request.args['q']} {request.user_agent.browser}")

    body = Client(app).get("/?q=1", headers={"Accept": "text/html", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"}).get_data(as_text=True)
    assert body == "[] text/html 1 chrome"


# -- 6. the MethodRewriteMiddleware -----------------------------------------------------------


class MethodRewriteMiddleware:
    """Flask 0.8's pattern, as written for Python 2: the method is stored
    as bytes (``method.encode('ascii', 'replace')``)."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if "METHOD_OVERRIDE" in environ.get("QUERY_STRING", ""):
            args = url_decode(environ["QUERY_STRING"])
            method = args.get("__METHOD_OVERRIDE__")
            if method:
                method = method.encode("ascii", "replace")
                environ["REQUEST_METHOD"] = method
        return self.app(environ, start_response)


def test_method_rewrite_middleware() -> None:
    app = Flask(__name__)
    app.wsgi_app = MethodRewriteMiddleware(app.wsgi_app)  # type: ignore[method-assign]

    @app.route("/entry/<int:entry_id>", methods=["GET", "PUT", "DELETE"])
    def entry(entry_id: int) -> str:
        return f"{request.method} {entry_id}"

    client = app.test_client()
    assert client.post("/entry/1?__METHOD_OVERRIDE__=PUT").get_data() == b"PUT 1"
    assert client.post("/entry/2?__METHOD_OVERRIDE__=DELETE").get_data() == b"DELETE 2"
    assert client.get("/entry/3").get_data() == b"GET 3"
    assert client.post("/entry/4").status_code == 405


# -- 7. Flask's quickstart: routes, url_for, templates, request.values, sessions ---------


def make_quickstart_app(tmp_path: Path) -> Flask:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "hello.html").write_text(
        "<!doctype html>\n<title>Hello from Flask</title>\n"
        "{% if name %}\n  <h1>Hello {{ name }}!</h1>\n{% else %}\n  <h1>Hello World!</h1>\n{% endif %}\n"
    )
    app = Flask(__name__, root_path=str(tmp_path))
    app.secret_key = "A0Zr98j/3yX R~XHH!jmN]LWX/,?RT"

    @app.route("/")
    def index() -> str:
        if "username" in session:
            return "Logged in as %s" % escape(session["username"])
        return "You are not logged in"

    @app.route("/login", methods=["GET", "POST"])
    def login() -> t.Any:
        if request.method == "POST":
            session["username"] = request.form["username"]
            return redirect(url_for("index"))
        return """
            <form action="" method="post">
                <p><input type=text name=username>
                <p><input type=submit value=Login>
            </form>
        """

    @app.route("/logout")
    def logout() -> t.Any:
        session.pop("username", None)
        return redirect(url_for("index"))

    @app.route("/user/<username>")
    def show_user_profile(username: str) -> str:
        return "User %s" % username

    @app.route("/post/<int:post_id>")
    def show_post(post_id: int) -> str:
        return "Post %d" % post_id

    @app.route("/hello/")
    @app.route("/hello/<name>")
    def hello(name: str | None = None) -> str:
        return render_template("hello.html", name=name)

    @app.route("/search", methods=["GET", "POST"])
    def search() -> str:
        return "searching %s" % request.values.get("q", "")

    return app


def test_quickstart_routes_and_url_for(tmp_path: Path) -> None:
    app = make_quickstart_app(tmp_path)
    client = app.test_client()
    assert client.get("/user/ann").get_data() == b"User ann"
    assert client.get("/post/42").get_data() == b"Post 42"
    assert client.get("/post/x").status_code == 404
    assert client.get("/hello").status_code == 308  # the canonical URL has the slash
    with app.test_request_context():
        assert url_for("index") == "/"
        assert url_for("login", next="/") == "/login?next=/"
        assert url_for("show_user_profile", username="John Doe") == "/user/John%20Doe"
        assert url_for("hello", name="x", _external=True) == "http://localhost/hello/x"


def test_quickstart_templates_escape(tmp_path: Path) -> None:
    client = make_quickstart_app(tmp_path).test_client()
    assert "<h1>Hello World!</h1>" in client.get("/hello/").get_data(as_text=True)
    assert "<h1>Hello &lt;ann&gt; &amp; co!</h1>" in client.get("/hello/%3Cann%3E%20%26%20co").get_data(as_text=True)


def test_quickstart_request_values(tmp_path: Path) -> None:
    client = make_quickstart_app(tmp_path).test_client()
    assert client.get("/search?q=from+the+query").get_data() == b"searching from the query"
    assert client.post("/search", data={"q": "from the form"}).get_data() == b"searching from the form"


def test_quickstart_sessions(tmp_path: Path) -> None:
    client = make_quickstart_app(tmp_path).test_client()
    assert client.get("/").get_data() == b"You are not logged in"
    assert b'<input type=text name=username>' in client.get("/login").get_data()
    response = client.post("/login", data={"username": "<script>"}, follow_redirects=True)
    assert response.get_data() == b"Logged in as &lt;script&gt;"
    assert client.get("/logout", follow_redirects=True).get_data() == b"You are not logged in"


# -- 8. wsgi_app pushes a RequestContext; request is a LocalProxy over a partial -------------


def _lookup_object(name: str) -> t.Any:
    """Flask 0.8's own helper, over the 0.8 stack."""
    top = _request_ctx_stack.top
    if top is None:
        raise RuntimeError("working outside of request context")
    return getattr(top, name)


seed_request = LocalProxy(partial(_lookup_object, "request"))
seed_session = LocalProxy(partial(_lookup_object, "session"))
seed_request_09 = LocalProxy(partial(_lookup_req_object, "request"))


def test_local_proxy_over_the_request_context_stack() -> None:
    app = Flask(__name__)
    app.secret_key = "seed"

    @app.route("/who")
    def who() -> str:
        seed_session["seen"] = True
        return f"{seed_request.args['name']} {seed_request_09.method} {seed_request is not request}"

    assert app.test_client().get("/who?name=ann").get_data() == b"ann GET True"
    with pytest.raises(RuntimeError, match="working outside of request context"):
        seed_request.args  # noqa: B018
    assert repr(seed_request) == "<LocalProxy unbound>"


def test_wsgi_app_pushes_a_request_context_like_flask_08() -> None:
    app = Flask(__name__)
    seen = []

    @app.route("/")
    def index() -> str:
        seen.append(_request_ctx_stack.top)
        return "ok"

    # Flask 0.8's wsgi_app, step by step: make the context, push it,
    # dispatch, pop.
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    ctx = app.request_context(environ)
    ctx.push()
    try:
        assert _request_ctx_stack.top is ctx
        assert _lookup_object("request") is ctx.request
        response = app.full_dispatch_request()
    finally:
        ctx.pop()
    assert _request_ctx_stack.top is None
    assert seen == [ctx] and response.get_data() == b"ok"


def test_a_local_stack_of_the_seeds_kind() -> None:
    # Werkzeug 0.8 keyed its locals by get_ident(); here they are per
    # context, which is per thread too.
    stack: LocalStack[str] = LocalStack()
    stack.push("main")
    other: list[t.Any] = []
    thread = threading.Thread(target=lambda: other.append((get_ident(), stack.top)))
    thread.start()
    thread.join()
    assert other[0][0] != get_ident() and other[0][1] is None
    assert stack.pop() == "main"
