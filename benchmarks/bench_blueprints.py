"""microflask against Flask 3.1: requests through blueprints and class-based
views, through the WSGI entry point with a prebuilt environ."""

from __future__ import annotations

import typing as t

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import
from benchmarks.bench_microflask import _environ
from benchmarks.bench_microflask import _runner


def _both(build: t.Callable[[t.Any], t.Any], path: str, target: float) -> Comparison:
    import microflask

    flask = try_import("flask")
    ours = _runner(build(microflask), _environ(path))
    peer = _runner(build(flask), _environ(path)) if flask else None
    return Comparison(ours=ours, peer=peer, peer_name="flask", unit="request", target=target)


def _nested_app(fw: t.Any, siblings: int = 0) -> t.Any:
    """An application with a view two blueprints deep, a ``before_request``
    at each level, and ``siblings`` unrelated blueprints registered too
    (they must not slow the request down)."""
    app = fw.Flask("bench")
    outer = fw.Blueprint("outer", __name__, url_prefix="/outer")
    inner = fw.Blueprint("inner", __name__, url_prefix="/inner")
    calls = [0]

    def count() -> None:
        calls[0] += 1

    app.before_request(count)
    outer.before_request(count)
    inner.before_request(count)

    @inner.route("/hello/<name>")
    def hello(name: str) -> str:
        return f"Hello {name}"

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    for i in range(siblings):
        other = fw.Blueprint(f"other{i}", __name__, url_prefix=f"/other{i}")
        other.before_request(count)
        other.route("/x")(lambda: "x")
        app.register_blueprint(other)
    return app


@scenario("blueprints.nested_two_deep")
def nested_bench() -> Comparison:
    return _both(_nested_app, "/outer/inner/hello/world", 3.0)


@scenario("blueprints.nested_with_50_siblings")
def nested_siblings_bench() -> Comparison:
    return _both(lambda fw: _nested_app(fw, siblings=50), "/outer/inner/hello/world", 3.0)


@scenario("blueprints.method_view")
def method_view_bench() -> Comparison:
    def build(fw: t.Any) -> t.Any:
        from importlib import import_module

        views = import_module(f"{fw.__name__}.views")

        class Item(views.MethodView):
            def get(self, id: int) -> str:
                return f"item {id}"

            def post(self, id: int) -> str:
                return "posted"

        app = fw.Flask("bench")
        bp = fw.Blueprint("api", __name__, url_prefix="/api")
        bp.add_url_rule("/items/<int:id>", view_func=Item.as_view("item"))
        app.register_blueprint(bp)
        return app

    return _both(build, "/api/items/42", 3.0)
