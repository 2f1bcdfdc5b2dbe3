"""microflask against Flask 3.1: whole requests through the WSGI entry point
with a prebuilt environ (no server, no test client), and the import time."""

from __future__ import annotations

import io
import subprocess
import sys
import typing as t

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


def _environ(path: str, method: str = "GET", body: bytes = b"", content_type: str = "", cookie: str = "") -> dict[str, t.Any]:
    env: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
        env["CONTENT_TYPE"] = content_type
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def _runner(app: t.Any, env: dict[str, t.Any]) -> t.Callable[[], object]:
    body = env.get("_body", b"")

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> None:
        return None

    def run() -> object:
        environ = dict(env)
        environ["wsgi.input"] = io.BytesIO(body)
        out = app(environ, start_response)
        data = b"".join(out)
        close = getattr(out, "close", None)
        if close is not None:
            close()
        return data

    return run


def _both(build: t.Callable[[t.Any], t.Any], env: dict[str, t.Any], target: float, unit: str) -> Comparison:
    import microflask

    flask = try_import("flask")
    ours = _runner(build(microflask), env)
    peer = _runner(build(flask), env) if flask else None
    return Comparison(ours=ours, peer=peer, peer_name="flask", unit=unit, target=target)


def _hello_app(fw: t.Any) -> t.Any:
    app = fw.Flask("bench")

    @app.route("/hello/<name>")
    def hello(name: str) -> str:
        return f"Hello {name}"

    return app


@scenario("microflask.hello")
def hello_bench() -> Comparison:
    return _both(_hello_app, _environ("/hello/world"), 5.0, "request")


@scenario("microflask.hello_new_paths")
def hello_new_paths_bench() -> Comparison:
    """``microflask.hello`` with a path never seen in the last 4,096
    requests each time: what the routing costs when the matcher's memory
    of past paths never helps (no target; for the record)."""
    import itertools

    import microflask

    flask = try_import("flask")

    def runner(app: t.Any) -> t.Callable[[], object]:
        runs = itertools.cycle([_runner(app, _environ(f"/hello/visitor{i}")) for i in range(4096)])
        return lambda: next(runs)()

    return Comparison(
        ours=runner(_hello_app(microflask)),
        peer=runner(_hello_app(flask)) if flask else None,
        peer_name="flask",
        unit="request",
    )


@scenario("microflask.jsonify")
def jsonify_bench() -> Comparison:
    items = [{"id": i, "name": f"item {i}", "ok": i % 2 == 0} for i in range(50)]

    def build(fw: t.Any) -> t.Any:
        app = fw.Flask("bench")
        app.route("/items")(lambda: fw.jsonify(items))
        return app

    return _both(build, _environ("/items"), 3.0, "request")


@scenario("microflask.jsonify_flat")
def jsonify_flat_bench() -> Comparison:
    """``jsonify`` of a flat 50-item list (numbers and short strings): the
    framework's share of a JSON response, where ``microflask.jsonify``'s 50
    small objects are mostly the standard library's encoder (the same
    ``json`` C code on both sides)."""
    items = [i if i % 2 else f"item {i}" for i in range(50)]

    def build(fw: t.Any) -> t.Any:
        app = fw.Flask("bench")
        app.route("/items")(lambda: fw.jsonify(items))
        return app

    return _both(build, _environ("/items"), 3.0, "request")


def _session_cookie(fw: t.Any, app: t.Any) -> str:
    client = app.test_client()
    client.get("/")
    cookie = client.get_cookie("session")
    return f"session={cookie.value}"


def _session_comparison(view: t.Callable[[t.Any], str], target: float | None) -> Comparison:
    """A request to ``/`` carrying the session cookie that a first request
    to the same app set; ``view(session)`` is the view's body."""
    import microflask

    flask = try_import("flask")

    def runner(fw: t.Any) -> t.Callable[[], object]:
        app = fw.Flask("bench")
        app.secret_key = "bench secret"
        app.route("/")(lambda: view(fw.session))
        return _runner(app, _environ("/", cookie=_session_cookie(fw, app)))

    return Comparison(
        ours=runner(microflask),
        peer=runner(flask) if flask else None,
        peer_name="flask",
        unit="request",
        target=target,
    )


def _count_visit(session: t.Any) -> str:
    session["visits"] = session.get("visits", 0) + 1
    return "ok"


def _logged_in_visit(session: t.Any) -> str:
    session.setdefault("user_id", 42)
    session.setdefault("csrf_token", "3f2b8c1d9e7a4b6c8d0e1f2a3b4c5d6e7f8a9b0c")
    return _count_visit(session)


@scenario("microflask.session")
def session_bench() -> Comparison:
    return _session_comparison(_count_visit, 3.0)


@scenario("microflask.session_login")
def session_login_bench() -> Comparison:
    """``microflask.session`` with a logged-in user's session (a user id and
    a CSRF token, about 70 bytes of JSON): big enough that zlib is tried
    on every save, as for most real sessions (no target; for the record)."""
    return _session_comparison(_logged_in_visit, None)


@scenario("microflask.form_post")
def form_bench() -> Comparison:
    from urllib.parse import urlencode

    body = urlencode({f"field{i}": f"value {i}" for i in range(20)}).encode()

    def build(fw: t.Any) -> t.Any:
        app = fw.Flask("bench")
        app.route("/form", methods=["POST"])(lambda: str(len(fw.request.form)))
        return app

    env = _environ("/form", "POST", body, "application/x-www-form-urlencoded")
    env["_body"] = body
    return _both(build, env, 3.0, "request")


def _import_seconds(module: str) -> float:
    """Best of several fresh interpreters: the cumulative import time of
    ``module`` reported by ``-X importtime`` (interpreter start excluded)."""
    best = float("inf")
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        for line in out.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                best = min(best, int(parts[1]) / 1e6)
    return best


@scenario("microflask.import")
def import_bench() -> Comparison:
    # The measured callables just return the precomputed times: the harness
    # compares the "cost" of one call, so make each call sleep-free but
    # proportional by busy-waiting for the measured duration.
    import time

    ours_s = _import_seconds("microflask")
    peer_s = _import_seconds("flask") if try_import("flask") else None

    def spin(seconds: float) -> t.Callable[[], object]:
        def run() -> object:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                pass
            return None

        return run

    return Comparison(
        ours=spin(ours_s),
        peer=spin(peer_s) if peer_s is not None else None,
        peer_name="flask",
        unit="import (python -X importtime, best of 5)",
        target=4.0,
    )
