"""Real-traffic scenarios: every framework, a new path every request.

Run ``python3 -m benchmarks.traffic [--rounds N] [--batch S] [NAME ...]``.

Theory of operation.  A :class:`Traffic` scenario is defined once: a
function ``environ(i)`` that makes the ``i``-th request (the path changes
with ``i``, so no router's memory of past paths helps any figure) and, per
framework, a factory returning the WSGI application that answers it.  The
same request stream goes to every framework: microflask, Flask, Bottle,
Falcon, wsgikit alone (``Request.application`` + ``Map``, where it applies)
and ``raw``, a hand-written WSGI function doing the same work -- the floor.
Each framework gets a calibrated loop count; then rounds run the frameworks
one batch each, in an order that rotates every round (interleaving spreads
the shared machine's noise over all of them).  Each batch records the
wall-clock time and the process CPU time.  Per round, the ratio of
microflask to a peer is ``peer seconds / our seconds`` (higher is better);
the report gives the median and the range over the rounds, for both clocks.
The cold-start scenario times whole new interpreters instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import hmac
import html
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t

if __package__ in (None, ""):  # run as ``python3 benchmarks/traffic.py``
    # The repository root, so that ``microflask`` and ``wsgikit`` import
    # (otherwise they would be skipped as "not installed", like a missing peer).
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Frameworks in report order; ``microflask`` is "ours".
FRAMEWORKS = ("microflask", "flask", "bottle", "falcon", "wsgikit", "raw")
#: The project's own: an import error there is a failure, not a skipped peer.
_OURS = ("microflask", "wsgikit")


@dataclasses.dataclass
class Traffic:
    """One scenario: the request stream and the application of each framework."""

    name: str
    #: What one unit of work is.
    what: str
    #: The ``i``-th request's environ (a new dict each call).
    environ: t.Callable[[int], dict[str, t.Any]]
    #: Framework name -> factory of its WSGI application.
    apps: dict[str, t.Callable[[], t.Any]]
    #: Peer name -> the ratio microflask should reach against it.
    targets: dict[str, float] = dataclasses.field(default_factory=dict)
    #: Consume the body by chunks (a large file) instead of joining it.
    stream: bool = False


SCENARIOS: dict[str, t.Callable[[], Traffic]] = {}


def traffic(func: t.Callable[[], Traffic]) -> t.Callable[[], Traffic]:
    SCENARIOS[func.__name__] = func
    return func


# -- requests ---------------------------------------------------------------------

_BASE_ENVIRON: dict[str, t.Any] = {
    "REQUEST_METHOD": "GET",
    "SCRIPT_NAME": "",
    "PATH_INFO": "/",
    "QUERY_STRING": "",
    "SERVER_NAME": "localhost",
    "SERVER_PORT": "80",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_HOST": "localhost",
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.5",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
    "wsgi.version": (1, 0),
    "wsgi.url_scheme": "http",
    "wsgi.errors": io.StringIO(),
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}

#: What a browser sends after visiting a site with the usual analytics.
ANALYTICS_COOKIES = (
    "_ga=GA1.1.1234567890.1733500000; _gid=GA1.1.987654321.1733500000;"
    " _fbp=fb.1.1733500000123.1122334455"
)


def make_environ(path: str, method: str = "GET", body: bytes = b"", **extra: t.Any) -> dict[str, t.Any]:
    env = _BASE_ENVIRON.copy()
    env["PATH_INFO"] = path
    env["REQUEST_METHOD"] = method
    env["wsgi.input"] = io.BytesIO(body)
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
    env.update(extra)
    return env


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
    return None


def call(app: t.Any, environ: dict[str, t.Any], stream: bool = False) -> int:
    """One request through ``app``; returns the body size."""
    out = app(environ, _start_response)
    try:
        if stream:
            return sum(len(chunk) for chunk in out)
        return len(b"".join(out))
    finally:
        close = getattr(out, "close", None)
        if close is not None:
            close()


# -- hello, a new path every request ----------------------------------------------------


def _hello_environ(cookie: str = "") -> t.Callable[[int], dict[str, t.Any]]:
    if cookie:
        return lambda i: make_environ(f"/hello/user{i}", HTTP_COOKIE=cookie)
    return lambda i: make_environ(f"/hello/user{i}")


def _hello_flask(fw: str) -> t.Callable[[], t.Any]:
    def build() -> t.Any:
        mod = __import__(fw)
        app = mod.Flask("bench_hello")
        # A real application has a secret key (so a session could be read).
        app.secret_key = _SECRET

        @app.route("/hello/<name>")
        def hello(name: str) -> str:
            return f"Hello {name}!"

        return app

    return build


def _hello_bottle() -> t.Any:
    import bottle

    app = bottle.Bottle()

    @app.route("/hello/<name>")
    def hello(name: str) -> str:
        return f"Hello {name}!"

    return app


def _hello_falcon() -> t.Any:
    import falcon

    class Hello:
        def on_get(self, req: t.Any, resp: t.Any, name: str) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = f"Hello {name}!"

    app = falcon.App()
    app.add_route("/hello/{name}", Hello())
    return app


def _hello_wsgikit() -> t.Any:
    from wsgikit.exceptions import HTTPException
    from wsgikit.routing import Map
    from wsgikit.routing import Rule
    from wsgikit.wrappers import Request
    from wsgikit.wrappers import Response

    url_map = Map([Rule("/hello/<name>", endpoint="hello")])

    @Request.application
    def app(request: t.Any) -> t.Any:
        try:
            _, args = url_map.bind_to_environ(request.environ).match()
        except HTTPException as e:
            return e
        return Response(f"Hello {args['name']}!", content_type="text/html; charset=utf-8")

    return app


def _hello_raw() -> t.Any:
    def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path.startswith("/hello/") and "/" not in path[7:] and path[7:]:
            body = f"Hello {path[7:]}!".encode()
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"Not Found"]

    return app


def _hello_apps() -> dict[str, t.Callable[[], t.Any]]:
    return {
        "microflask": _hello_flask("microflask"),
        "flask": _hello_flask("flask"),
        "bottle": _hello_bottle,
        "falcon": _hello_falcon,
        "wsgikit": _hello_wsgikit,
        "raw": _hello_raw,
    }


@traffic
def hello() -> Traffic:
    return Traffic(
        "hello", "GET /hello/user<i>, i new every request", _hello_environ(), _hello_apps(),
        targets={"bottle": 1.3, "falcon": 0.8},
    )


@traffic
def hello_cookies() -> Traffic:
    return Traffic(
        "hello_cookies", "the same with three analytics cookies, no session cookie",
        _hello_environ(ANALYTICS_COOKIES), _hello_apps(), targets={"bottle": 1.0},
    )


# -- 60 REST-ish routes in 6 blueprints --------------------------------------------------

_RESOURCES = ("users", "posts", "comments", "orders", "products", "tags")

#: ``(suffix, method)`` per resource: 10 rules each, 60 in all. ``{id}`` is an int.
_REST_ROUTES = (
    ("", "GET"),
    ("", "POST"),
    ("/{id}", "GET"),
    ("/{id}", "PUT"),
    ("/{id}", "DELETE"),
    ("/{id}/history", "GET"),
    ("/{id}/owner", "GET"),
    ("/{id}/tags/{tag}", "GET"),
    ("/search/{term}", "GET"),
    ("/stats", "GET"),
)

#: One cycle of 100 requests: ``(kind, resource index, suffix, method)``;
#: 85 answered, 9 not found, 6 with a method not allowed.
def _rest_cycle() -> list[tuple[str, int, str, str]]:
    import random

    rng = random.Random(18)
    cycle: list[tuple[str, int, str, str]] = []
    for _ in range(85):
        suffix, method = rng.choice(_REST_ROUTES)
        cycle.append(("ok", rng.randrange(6), suffix, method))
    not_found = ["/{id}/nothing", "/{id}/tags", "/stats/more", "/{id}/owner/x"]
    for n in range(9):
        cycle.append(("404", rng.randrange(6), not_found[n % len(not_found)], "GET"))
    not_allowed = [("", "DELETE"), ("/{id}", "POST"), ("/stats", "POST")]
    for n in range(6):
        suffix, method = not_allowed[n % 3]
        cycle.append(("405", rng.randrange(6), suffix, method))
    rng.shuffle(cycle)
    return cycle


def _rest_environ() -> t.Callable[[int], dict[str, t.Any]]:
    cycle = _rest_cycle()
    names = ("alpha", "beta", "gamma", "delta")

    def environ(i: int) -> dict[str, t.Any]:
        _, res, suffix, method = cycle[i % 100]
        # Half the requests repeat a path from a small pool, half are new.
        n = i if i % 2 else (i // 2) % 16
        path = "/api/" + _RESOURCES[res] + (suffix or "/").replace("{id}", str(n)).replace("{tag}", names[i % 4])
        path = path.replace("{term}", f"q{n}")
        return make_environ(path, method)

    return environ


def _rest_flask(fw: str) -> t.Callable[[], t.Any]:
    def build() -> t.Any:
        mod = __import__(fw)
        app = mod.Flask("bench_rest")
        app.secret_key = _SECRET
        for res in _RESOURCES:
            bp = mod.Blueprint(res, "bench_rest", url_prefix=f"/api/{res}")
            for n, (suffix, method) in enumerate(_REST_ROUTES):
                rule = suffix.replace("{id}", "<int:id>").replace("{tag}", "<tag>").replace("{term}", "<term>")

                def view(_res: str = res, _n: int = n, **kw: t.Any) -> str:
                    return f"{_res} {_n} {kw}"

                bp.add_url_rule(rule or "/", f"r{n}", view, methods=[method])
            app.register_blueprint(bp)
        return app

    return build


def _rest_bottle() -> t.Any:
    import bottle

    app = bottle.Bottle()
    for res in _RESOURCES:
        for n, (suffix, method) in enumerate(_REST_ROUTES):
            rule = suffix.replace("{id}", "<id:int>").replace("{tag}", "<tag>").replace("{term}", "<term>")

            def view(_res: str = res, _n: int = n, **kw: t.Any) -> str:
                return f"{_res} {_n} {kw}"

            app.route(f"/api/{res}{rule or '/'}", method, view)
    return app


def _rest_falcon() -> t.Any:
    import falcon

    app = falcon.App()
    for res in _RESOURCES:
        by_uri: dict[str, dict[str, int]] = {}
        for n, (suffix, method) in enumerate(_REST_ROUTES):
            by_uri.setdefault(suffix.replace("{id}", "{id:int}"), {})[method] = n
        for suffix, methods in by_uri.items():
            resource = type("Resource", (), {})()
            for method, n in methods.items():

                def responder(req: t.Any, resp: t.Any, _res: str = res, _n: int = n, **kw: t.Any) -> None:
                    resp.content_type = falcon.MEDIA_HTML
                    resp.text = f"{_res} {_n} {kw}"

                setattr(resource, "on_" + method.lower(), responder)
            app.add_route(f"/api/{res}{suffix or '/'}", resource)
    # Flask and Bottle answer "/api/users" with the rule "/api/users/" by a
    # redirect; our paths always carry the slash, so no request needs one.
    return app


def _rest_wsgikit() -> t.Any:
    from wsgikit.exceptions import HTTPException
    from wsgikit.routing import Map
    from wsgikit.routing import Rule
    from wsgikit.wrappers import Request
    from wsgikit.wrappers import Response

    rules = []
    for res in _RESOURCES:
        for n, (suffix, method) in enumerate(_REST_ROUTES):
            rule = suffix.replace("{id}", "<int:id>").replace("{tag}", "<tag>").replace("{term}", "<term>")
            rules.append(Rule(f"/api/{res}{rule or '/'}", endpoint=(res, n), methods=[method]))
    url_map = Map(rules)

    @Request.application
    def app(request: t.Any) -> t.Any:
        try:
            (res, n), args = url_map.bind_to_environ(request.environ).match()
        except HTTPException as e:
            return e
        return Response(f"{res} {n} {args}", content_type="text/html; charset=utf-8")

    return app


def _rest_raw() -> t.Any:
    import re

    table: dict[str, list[tuple[re.Pattern[str], str, int]]] = {}
    patterns: list[re.Pattern[str]] = []
    for res in _RESOURCES:
        for n, (suffix, method) in enumerate(_REST_ROUTES):
            regex = re.escape(f"/api/{res}{suffix or '/'}")
            regex = regex.replace(r"\{id\}", r"(?P<id>\d+)").replace(r"\{tag\}", "(?P<tag>[^/]+)")
            regex = regex.replace(r"\{term\}", "(?P<term>[^/]+)")
            compiled = re.compile(regex)
            patterns.append(compiled)
            table.setdefault(method, []).append((compiled, res, n))

    def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        for compiled, res, n in table.get(environ["REQUEST_METHOD"], ()):
            m = compiled.fullmatch(path)
            if m is not None:
                kw = {k: int(v) if k == "id" else v for k, v in m.groupdict().items()}
                body = f"{res} {n} {kw}".encode()
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
                return [body]
        if any(p.fullmatch(path) for p in patterns):
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Content-Length", "18")])
            return [b"Method Not Allowed"]
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"Not Found"]

    return app


@traffic
def rest_routes() -> Traffic:
    return Traffic(
        "rest_routes", "60 rules in 6 blueprints, mixed methods, 9% 404, 6% 405, half the paths new",
        _rest_environ(),
        {
            "microflask": _rest_flask("microflask"),
            "flask": _rest_flask("flask"),
            "bottle": _rest_bottle,
            "falcon": _rest_falcon,
            "wsgikit": _rest_wsgikit,
            "raw": _rest_raw,
        },
        targets={"bottle": 1.2, "falcon": 0.6},
    )


# -- session + template page -------------------------------------------------------------

_SECRET = "bench-secret-key"

_JINJA_BASE = (
    "<!doctype html><html><head><title>{% block title %}{% endblock %}</title></head>\n"
    "<body><nav>Signed in as {{ user }}</nav>\n{% block body %}{% endblock %}\n"
    "<footer>&copy; bench</footer></body></html>\n"
)
_JINJA_PAGE = (
    '{% extends "base.html" %}\n'
    '{% macro cell(row) %}<td class="{{ row.kind }}">{{ row.name }}</td><td>{{ row.price }}</td>{% endmacro %}\n'
    "{% block title %}Page {{ n }}{% endblock %}\n"
    "{% block body %}<table>\n{% for row in rows %}<tr>{{ cell(row) }}<td>{{ row.note }}</td></tr>\n"
    "{% endfor %}</table>{% endblock %}\n"
)
_BOTTLE_BASE = (
    "<!doctype html><html><head><title>{{title}}</title></head>\n"
    "<body><nav>Signed in as {{user}}</nav>\n{{!base}}\n"
    "<footer>&copy; bench</footer></body></html>\n"
)
_BOTTLE_PAGE = (
    "% rebase('base', title='Page %s' % n, user=user)\n"
    "% def cell(row):\n"
    "%   return '<td class=\"%s\">%s</td><td>%s</td>' % (escape(row['kind']), escape(row['name']), escape(row['price']))\n"
    "% end\n"
    "<table>\n"
    "% for row in rows:\n"
    "<tr>{{!cell(row)}}<td>{{row['note']}}</td></tr>\n"
    "% end\n"
    "</table>\n"
)


def _rows() -> list[dict[str, str]]:
    return [
        {
            "name": f"item {i}",
            "kind": "odd" if i % 2 else "even",
            "price": f"{i * 1.25:.2f}",
            "note": "Tom & Jerry <b>" if i % 10 == 0 else f"note {i}",
        }
        for i in range(50)
    ]


def _template_dir() -> str:
    path = os.path.join(tempfile.gettempdir(), "microflask-bench-templates")
    os.makedirs(path, exist_ok=True)
    for name, text in (
        ("base.html", _JINJA_BASE),
        ("page.html", _JINJA_PAGE),
        ("base.tpl", _BOTTLE_BASE),
        ("page.tpl", _BOTTLE_PAGE),
    ):
        with open(os.path.join(path, name), "w") as f:
            f.write(text)
    return path


def _page_flask(fw: str) -> t.Callable[[], t.Any]:
    def build() -> t.Any:
        mod = __import__(fw)
        app = mod.Flask("bench_page", template_folder=_template_dir())
        app.secret_key = _SECRET
        rows = _rows()

        @app.route("/login")
        def login() -> str:
            mod.session["user"] = "alice"
            return "ok"

        @app.route("/page/<int:n>")
        def page(n: int) -> str:
            return mod.render_template("page.html", user=mod.session.get("user"), n=n, rows=rows)

        cookie = app.test_client().get("/login").headers["Set-Cookie"].split(";")[0]
        app.bench_cookie = cookie  # type: ignore[attr-defined]
        return app

    return build


def _sign(value: str) -> str:
    return value + "." + hmac.new(_SECRET.encode(), value.encode(), hashlib.sha256).hexdigest()


def _unsign(cookie: str | None) -> str | None:
    if not cookie or "." not in cookie:
        return None
    value, _, sig = cookie.rpartition(".")
    expected = hmac.new(_SECRET.encode(), value.encode(), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(sig, expected) else None


def _page_bottle() -> t.Any:
    import bottle

    lookup = [_template_dir()]
    app = bottle.Bottle()
    rows = _rows()

    @app.route("/page/<n:int>")
    def page(n: int) -> str:
        user = bottle.request.get_cookie("session", secret=_SECRET)
        return bottle.template("page", template_lookup=lookup, user=user, n=n, rows=rows, escape=html.escape)

    return app


def _bottle_cookie() -> str:
    import bottle

    app = bottle.Bottle()

    @app.route("/login")
    def login() -> str:
        bottle.response.set_cookie("session", "alice", secret=_SECRET)
        return "ok"

    headers: list[tuple[str, str]] = []
    app(make_environ("/login"), lambda s, h, e=None: headers.extend(h))
    return dict(headers)["Set-Cookie"].split(";")[0]


def _page_falcon() -> t.Any:
    import falcon
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_template_dir()), autoescape=True)
    rows = _rows()

    class Page:
        def on_get(self, req: t.Any, resp: t.Any, n: int) -> None:
            user = _unsign(req.cookies.get("session"))
            resp.content_type = falcon.MEDIA_HTML
            resp.text = env.get_template("page.html").render(user=user, n=n, rows=rows)

    app = falcon.App()
    app.add_route("/page/{n:int}", Page())
    return app


def _page_raw() -> t.Any:
    from http.cookies import SimpleCookie

    rows = _rows()
    esc = html.escape

    def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
        n = int(environ["PATH_INFO"].rsplit("/", 1)[1])
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        user = _unsign(cookie["session"].value if "session" in cookie else None)
        out = [f"<!doctype html><html><head><title>Page {n}</title></head>\n<body><nav>Signed in as {esc(user or '')}</nav>\n<table>\n"]
        for row in rows:
            out.append(
                f'<tr><td class="{esc(row["kind"])}">{esc(row["name"])}</td><td>{esc(row["price"])}</td>'
                f"<td>{esc(row['note'])}</td></tr>\n"
            )
        out.append("</table>\n<footer>&copy; bench</footer></body></html>\n")
        body = "".join(out).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]

    return app


def _page_traffic() -> Traffic:
    apps: dict[str, t.Callable[[], t.Any]] = {
        "microflask": _page_flask("microflask"),
        "flask": _page_flask("flask"),
        "bottle": _page_bottle,
        "falcon": _page_falcon,
        "raw": _page_raw,
    }
    return Traffic("page", "GET /page/<i>: signed session cookie, extends + 50-row loop + macro", lambda i: {}, apps,
                   targets={"bottle": 1.0})


@traffic
def page() -> Traffic:
    scenario = _page_traffic()
    # Each framework reads its own signed cookie format; the path is new every time.
    cookies: dict[str, str] = {}

    def cookie_for(name: str, app: t.Any) -> str:
        if name not in cookies:
            if name in ("microflask", "flask"):
                cookies[name] = app.bench_cookie
            elif name == "bottle":
                cookies[name] = _bottle_cookie()
            else:
                cookies[name] = "session=" + _sign("alice")
        return cookies[name]

    scenario.environ = lambda i: make_environ(f"/page/{i}")
    scenario.cookie_for = cookie_for  # type: ignore[attr-defined]
    return scenario


# -- JSON API ------------------------------------------------------------------------------


def _json_payload() -> bytes:
    item = {"sku": "SKU-000000", "name": "A reasonably named product", "price": 12.5, "tags": ["a", "b", "c"],
            "stock": 42, "active": True}
    items = []
    for i in range(16):
        entry = dict(item)
        entry["sku"] = f"SKU-{i:06d}"
        items.append(entry)
    body = json.dumps({"order": "ORD-1", "customer": {"id": 7, "email": "alice@example.com"}, "items": items}).encode()
    return body


def _json_reply(data: dict[str, t.Any], n: int) -> dict[str, t.Any]:
    return {"id": n, "status": "created", "customer": data["customer"], "items": [
        {"sku": it["sku"], "qty": 1, "price": it["price"], "name": it["name"], "tags": it["tags"], "ok": True}
        for it in data["items"]]}


def _json_environ() -> t.Callable[[int], dict[str, t.Any]]:
    body = _json_payload()
    return lambda i: make_environ(f"/api/orders/{i}", "POST", body, CONTENT_TYPE="application/json")


def _json_flask(fw: str) -> t.Callable[[], t.Any]:
    def build() -> t.Any:
        mod = __import__(fw)
        app = mod.Flask("bench_json")

        @app.post("/api/orders/<int:n>")
        def create(n: int) -> t.Any:
            return _json_reply(mod.request.get_json(), n), 201

        return app

    return build


def _json_bottle() -> t.Any:
    import bottle

    app = bottle.Bottle()

    @app.post("/api/orders/<n:int>")
    def create(n: int) -> t.Any:
        bottle.response.status = 201
        return _json_reply(bottle.request.json, n)

    return app


def _json_falcon() -> t.Any:
    import falcon

    class Orders:
        def on_post(self, req: t.Any, resp: t.Any, n: int) -> None:
            resp.media = _json_reply(req.get_media(), n)
            resp.status = falcon.HTTP_201

    app = falcon.App()
    app.add_route("/api/orders/{n:int}", Orders())
    return app


def _json_raw() -> t.Any:
    def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
        n = int(environ["PATH_INFO"].rsplit("/", 1)[1])
        data = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        body = json.dumps(_json_reply(data, n)).encode()
        start_response("201 CREATED", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


@traffic
def json_api() -> Traffic:
    return Traffic(
        "json_api", "POST /api/orders/<i>: 2 KB JSON in, 1.9 KB JSON out, 201", _json_environ(),
        {"microflask": _json_flask("microflask"), "flask": _json_flask("flask"), "bottle": _json_bottle,
         "falcon": _json_falcon, "raw": _json_raw},
        targets={"bottle": 1.0},
    )


# -- send_file without wsgi.file_wrapper -------------------------------------------------------

_FILE_SIZE = 10 * 1024 * 1024


def _big_file() -> str:
    # One file for every run (written whole, then renamed into place, so a
    # concurrent run never reads half of it).
    path = os.path.join(tempfile.gettempdir(), "microflask-bench-10mib.bin")
    if not os.path.exists(path) or os.path.getsize(path) != _FILE_SIZE:
        partial = f"{path}.{os.getpid()}"
        with open(partial, "wb") as f:
            f.write(os.urandom(1024) * (_FILE_SIZE // 1024))
        os.replace(partial, path)
    return path


def _file_flask(fw: str) -> t.Callable[[], t.Any]:
    def build() -> t.Any:
        mod = __import__(fw)
        app = mod.Flask("bench_file")
        path = _big_file()

        @app.route("/files/<int:n>")
        def download(n: int) -> t.Any:
            return mod.send_file(path, mimetype="application/octet-stream")

        return app

    return build


def _file_bottle() -> t.Any:
    import bottle

    app = bottle.Bottle()
    path = _big_file()
    root, name = os.path.split(path)

    @app.route("/files/<n:int>")
    def download(n: int) -> t.Any:
        return bottle.static_file(name, root=root, mimetype="application/octet-stream")

    return app


def _file_falcon() -> t.Any:
    import falcon

    path = _big_file()

    class Files:
        def on_get(self, req: t.Any, resp: t.Any, n: int) -> None:
            resp.content_type = "application/octet-stream"
            resp.set_stream(open(path, "rb"), os.path.getsize(path))

    app = falcon.App()
    app.add_route("/files/{n:int}", Files())
    return app


def _file_raw() -> t.Any:
    path = _big_file()

    def app(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        f = open(path, "rb")
        size = os.fstat(f.fileno()).st_size
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))])

        def chunks() -> t.Iterator[bytes]:
            with f:
                while True:
                    block = f.read(65536)
                    if not block:
                        return
                    yield block

        return chunks()

    return app


@traffic
def send_file() -> Traffic:
    return Traffic(
        "send_file", "GET /files/<i>: a 10 MiB file, no wsgi.file_wrapper", lambda i: make_environ(f"/files/{i}"),
        {"microflask": _file_flask("microflask"), "flask": _file_flask("flask"), "bottle": _file_bottle,
         "falcon": _file_falcon, "raw": _file_raw},
        targets={"bottle": 1.0}, stream=True,
    )


# -- running -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Figures:
    name: str
    #: Framework -> per-round seconds per request, wall clock and CPU.
    wall: dict[str, list[float]]
    cpu: dict[str, list[float]]
    targets: dict[str, float]

    def ratios(self, peer: str, clock: str = "wall") -> list[float]:
        times = self.wall if clock == "wall" else self.cpu
        return [p / o for o, p in zip(times["microflask"], times[peer])]


def _time_batch(func: t.Callable[[int], object], start: int, loops: int) -> tuple[float, float]:
    gc.collect()
    wall0 = time.perf_counter()
    cpu0 = time.process_time()
    for i in range(start, start + loops):
        func(i)
    return (time.perf_counter() - wall0) / loops, (time.process_time() - cpu0) / loops


def run_traffic(scenario: Traffic, rounds: int, batch_seconds: float, only: t.Iterable[str] = FRAMEWORKS) -> Figures:
    runners: dict[str, t.Callable[[int], object]] = {}
    for name in FRAMEWORKS:
        factory = scenario.apps.get(name)
        if factory is None or name not in only:
            continue
        try:
            app = factory()
        except ImportError:
            if name in _OURS:
                raise  # never report figures without ours
            continue
        environ = scenario.environ
        cookie_for = getattr(scenario, "cookie_for", None)
        if cookie_for is not None:
            cookie = cookie_for(name, app)

            def environ(i: int, _base: t.Any = scenario.environ, _c: str = cookie) -> dict[str, t.Any]:
                env = _base(i)
                env["HTTP_COOKIE"] = _c
                return env

        runners[name] = lambda i, _app=app, _env=environ: call(_app, _env(i), scenario.stream)
    # Every framework draws from its own, never repeating, range of i.
    offsets = {name: n * 100_000_000 for n, name in enumerate(runners)}
    for name, run in runners.items():
        run(offsets[name])
        offsets[name] += 1
    loops: dict[str, int] = {}
    for name, run in runners.items():
        n = 1
        while True:
            wall, _ = _time_batch(run, offsets[name], n)
            offsets[name] += n
            if wall * n >= batch_seconds / 4 or n >= 1 << 20:
                loops[name] = max(1, int(n * batch_seconds / max(wall * n, 1e-9)))
                break
            n *= 4
    wall_times: dict[str, list[float]] = {name: [] for name in runners}
    cpu_times: dict[str, list[float]] = {name: [] for name in runners}
    order = list(runners)
    for k in range(rounds):
        rotated = order[k % len(order):] + order[: k % len(order)]
        for name in rotated:
            wall, cpu = _time_batch(runners[name], offsets[name], loops[name])
            offsets[name] += loops[name]
            wall_times[name].append(wall)
            cpu_times[name].append(cpu)
    return Figures(scenario.name, wall_times, cpu_times, scenario.targets)


def _span(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f}x ({min(values):.2f}-{max(values):.2f})"


def _best(fig: Figures, peer: str, clock: str) -> float:
    """The ratio of the two fastest batches: on a shared machine a batch
    only gets slower (preempted), never faster, so this is the least noisy."""
    times = fig.wall if clock == "wall" else fig.cpu
    return min(times[peer]) / min(times["microflask"])


def format_figures(fig: Figures) -> str:
    lines = [f"== {fig.name}"]
    for name in fig.wall:
        rps = 1 / statistics.median(fig.wall[name])
        cpu_rps = 1 / statistics.median(fig.cpu[name])
        line = f"  {name:<11} {rps:>10,.0f} req/s ({cpu_rps:>9,.0f} per CPU s)"
        if name != "microflask" and "microflask" in fig.wall:
            line += (f"   ours/{name}: wall {_span(fig.ratios(name))}"
                     f"  cpu {_span(fig.ratios(name, 'cpu'))} best {_best(fig, name, 'cpu'):.2f}x")
            target = fig.targets.get(name)
            if target is not None:
                met = statistics.median(fig.ratios(name)) >= target
                line += f"  target >= {target}x {'met' if met else 'MISSED'}"
        lines.append(line)
    return "\n".join(lines)


# -- URL building with query arguments (wsgikit against Werkzeug) --------------------------


def url_building(rounds: int, batch_seconds: float) -> Figures:
    def build_for(pkg: str) -> t.Callable[[int], object]:
        routing = __import__(f"{pkg}.routing", fromlist=["Map", "Rule"])
        url_map = routing.Map([
            routing.Rule("/", endpoint="index"),
            routing.Rule("/users/<int:id>", endpoint="user"),
            routing.Rule("/posts/<int:year>/<slug>", endpoint="post"),
            routing.Rule("/search", endpoint="search"),
        ])
        adapter = url_map.bind("example.com")

        def run(i: int) -> object:
            adapter.build("user", {"id": i, "page": 2, "sort": "name"})
            adapter.build("post", {"year": 2024, "slug": f"post-{i}", "ref": "feed"})
            return adapter.build("search", {"q": f"term {i}", "page": i % 7, "lang": "en"})

        return run

    runners = {"microflask": build_for("wsgikit"), "werkzeug": build_for("werkzeug")}
    wall_times: dict[str, list[float]] = {n: [] for n in runners}
    cpu_times: dict[str, list[float]] = {n: [] for n in runners}
    loops = 20000
    for k in range(rounds):
        for name in (list(runners) if k % 2 == 0 else list(reversed(runners))):
            wall, cpu = _time_batch(runners[name], k * loops, loops)
            wall_times[name].append(wall)
            cpu_times[name].append(cpu)
    return Figures("url_building (wsgikit as 'microflask', 3 builds with query args)", wall_times, cpu_times,
                   {"werkzeug": 2.0})


# -- cold start ----------------------------------------------------------------------------------

_COLD_COMMON = """
import io, resource, sys, time
t0 = time.perf_counter()
{body}
env = {{"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/r7/world", "QUERY_STRING": "",
       "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
       "HTTP_HOST": "localhost", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
       "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
       "wsgi.multiprocess": False, "wsgi.run_once": False}}
out = app(env, lambda s, h, e=None: None)
assert b"".join(out) == b"r7 world", out
elapsed = time.perf_counter() - t0
peak = 0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
print(elapsed, peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_COLD_BODIES = {
    "microflask": """
from microflask import Flask
app = Flask(__name__)
for n in range(20):
    app.add_url_rule(f"/r{n}/<name>", f"r{n}", lambda name, n=n: f"r{n} {name}")
""",
    "flask": """
from flask import Flask
app = Flask(__name__)
for n in range(20):
    app.add_url_rule(f"/r{n}/<name>", f"r{n}", lambda name, n=n: f"r{n} {name}")
""",
    "bottle": """
import bottle
app = bottle.Bottle()
for n in range(20):
    app.route(f"/r{n}/<name>", callback=lambda name, n=n: f"r{n} {name}")
""",
    "falcon": """
import falcon
app = falcon.App()
for n in range(20):
    class R:
        def on_get(self, req, resp, name, n=n):
            resp.text = f"r{n} {name}"
    app.add_route(f"/r{n}/{{name}}", R())
""",
    "raw": """
def app(environ, start_response):
    head, _, name = environ["PATH_INFO"][1:].partition("/")
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [f"{head} {name}".encode()]
""",
}


def cold_start(rounds: int) -> tuple[Figures, dict[str, list[int]]]:
    """New interpreters, interleaved: wall time of the whole process
    (interpreter start included) and, inside it, the time from before the
    first import to the first response; plus the peak RSS (KiB, VmHWM)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    wall_times: dict[str, list[float]] = {n: [] for n in _COLD_BODIES}
    inner_times: dict[str, list[float]] = {n: [] for n in _COLD_BODIES}
    rss: dict[str, list[int]] = {n: [] for n in _COLD_BODIES}
    order = list(_COLD_BODIES)
    # Deployed code runs from bytecode: children may write and read it (in
    # a private cache directory, whatever PYTHONDONTWRITEBYTECODE says
    # here), and one untimed run per framework fills that cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "microflask-bench-pycache")
    for name in order:
        subprocess.run([sys.executable, "-c", _COLD_COMMON.format(body=_COLD_BODIES[name])], cwd=root, env=env,
                       capture_output=True, check=True)
    for k in range(rounds):
        for name in order[k % len(order):] + order[: k % len(order)]:
            code = _COLD_COMMON.format(body=_COLD_BODIES[name])
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
            wall_times[name].append(time.perf_counter() - start)
            inner, peak = out.stdout.split()
            inner_times[name].append(float(inner))
            rss[name].append(int(peak))
    return Figures("cold_start (process wall / in-process import-to-first-response)", wall_times, inner_times,
                   {"flask": 3.0, "bottle": 1.0}), rss


def format_cold(fig: Figures, rss: dict[str, list[int]]) -> str:
    lines = [f"== {fig.name}"]
    for name in fig.wall:
        line = (f"  {name:<11} process {statistics.median(fig.wall[name]) * 1000:6.1f} ms"
                f"  import..response {statistics.median(fig.cpu[name]) * 1000:6.1f} ms"
                f"  RSS {statistics.median(rss[name]) / 1024:5.1f} MiB")
        if name != "microflask":
            line += f"   ours/{name}: process {_span(fig.ratios(name))}  in-process {_span(fig.ratios(name, 'cpu'))}"
            target = fig.targets.get(name)
            if target is not None:
                met = statistics.median(fig.ratios(name, "cpu")) >= target
                line += f"  target >= {target}x {'met' if met else 'MISSED'}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.traffic", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="scenarios (default: all): " + ", ".join(
        [*SCENARIOS, "url_building", "cold_start"]))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=float, default=0.1, help="seconds per batch")
    parser.add_argument("--only", default=",".join(FRAMEWORKS), help="frameworks, comma-separated")
    args = parser.parse_args(argv)
    names = args.names or [*SCENARIOS, "url_building", "cold_start"]
    for name in names:
        if name == "cold_start":
            print(format_cold(*cold_start(max(args.rounds, 5))), flush=True)
        elif name == "url_building":
            print(format_figures(url_building(args.rounds, args.batch)), flush=True)
        else:
            fig = run_traffic(SCENARIOS[name](), args.rounds, args.batch, args.only.split(","))
            print(format_figures(fig), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
