"""Templates through the application: render_template / render_template_string.

Peer: Flask (with Jinja2), same templates and context in the same run. Each
unit pushes an application context and renders, which is what a view pays
for beyond the engine itself (context processors, signals, loader lookup).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import typing as t

from benchmarks._harness import Comparison, scenario, try_import

PAGE = """<ul>{% for item in items %}<li class="{{ loop.cycle('odd', 'even') }}">{{ item }}</li>{% endfor %}</ul>
<p>{{ user }} - {{ config.DEBUG }}</p>"""
CONTEXT: dict[str, t.Any] = {"items": [f"item <{i}>" for i in range(20)], "user": "Ann & co"}

_root: str | None = None


def _template_root() -> str:
    """A temporary app root with ``templates/page.html`` (removed at exit)."""
    global _root
    if _root is None:
        _root = tempfile.mkdtemp(prefix="bench_flask_templating_")
        atexit.register(shutil.rmtree, _root, True)
        os.mkdir(os.path.join(_root, "templates"))
        with open(os.path.join(_root, "templates", "page.html"), "w", encoding="utf-8") as f:
            f.write(PAGE)
    return _root


def _our_app() -> t.Any:
    from microflask import Flask
    from microflask.templating.flask_glue import TemplatingAppMixin

    cls = Flask if issubclass(Flask, TemplatingAppMixin) else type("App", (TemplatingAppMixin, Flask), {})
    return cls("bench_ours", root_path=_template_root())


def _pair(render_ours: t.Callable[[], str], render_peer: t.Callable[[], str] | None, unit: str) -> Comparison:
    if render_peer is not None:
        assert render_ours() == render_peer(), "outputs differ"
    return Comparison(ours=render_ours, peer=render_peer, peer_name="flask", unit=unit, target=1.0)


@scenario("flask_templating.render_template")
def render_template_bench() -> Comparison:
    from microflask.templating import render_template

    app = _our_app()
    flask = try_import("flask")

    def ours() -> str:
        with app.app_context():
            return render_template("page.html", **CONTEXT)

    peer = None
    if flask is not None:
        peer_app = flask.Flask("bench_peer", root_path=_template_root())

        def peer() -> str:
            with peer_app.app_context():
                return flask.render_template("page.html", **CONTEXT)  # type: ignore[no-any-return]

    return _pair(ours, peer, "app context + render")


@scenario("flask_templating.render_template_string")
def render_template_string_bench() -> Comparison:
    from microflask.templating import render_template_string

    app = _our_app()
    flask = try_import("flask")

    def ours() -> str:
        with app.app_context():
            return render_template_string(PAGE, **CONTEXT)

    peer = None
    if flask is not None:
        peer_app = flask.Flask("bench_peer", root_path=_template_root())

        def peer() -> str:
            with peer_app.app_context():
                return flask.render_template_string(PAGE, **CONTEXT)  # type: ignore[no-any-return]

    return _pair(ours, peer, "app context + compile + render")
