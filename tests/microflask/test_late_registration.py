"""A hook added after the first request -- through the decorator or by
mutating a registry directly -- runs from the next request on, as in Flask
(the per-endpoint hook chains are keyed on the setup version)."""

from __future__ import annotations

import typing as t

import pytest

from microflask import Blueprint
from microflask import Flask
from microflask import render_template_string
from microflask import url_for


def _app() -> Flask:
    app = Flask(__name__)
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @app.route("/")
    def index() -> str:
        return render_template_string("{{ extra|default('-') }}") + "|" + url_for("with_lang", lang="de")

    @app.route("/<lang>/x")
    def with_lang(lang: str) -> str:
        return lang

    @app.route("/boom")
    def boom() -> str:
        raise KeyError("boom")

    @bp.route("/")
    def bp_index() -> str:
        return index()

    app.register_blueprint(bp)
    # A hook of every kind from the start, so the hook chains are built and
    # cached by the first request (an empty setup is not cached at all).
    app.before_request(lambda: None)
    app.after_request(lambda response: response)
    app.teardown_request(lambda exc: None)
    app.url_value_preprocessor(lambda endpoint, values: None)
    app.url_defaults(lambda endpoint, values: None)
    app.context_processor(lambda: {})
    return app


def _add(app: Flask, kind: str, direct: bool, record: list[str]) -> None:
    def before() -> None:
        record.append("before")

    def after(response: t.Any) -> t.Any:
        record.append("after")
        return response

    def teardown(exc: BaseException | None) -> None:
        record.append("teardown")

    def preprocess(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        record.append("preprocess")

    def defaults(endpoint: str, values: dict[str, t.Any]) -> None:
        record.append("defaults")
        values.setdefault("lang", "en")

    def context() -> dict[str, t.Any]:
        record.append("context")
        return {"extra": "ctx"}

    funcs = {
        "before_request": (before, "before_request_funcs"),
        "after_request": (after, "after_request_funcs"),
        "teardown_request": (teardown, "teardown_request_funcs"),
        "url_value_preprocessor": (preprocess, "url_value_preprocessors"),
        "url_defaults": (defaults, "url_default_functions"),
        "context_processor": (context, "template_context_processors"),
    }
    func, registry = funcs[kind]
    if direct:
        getattr(app, registry)[None].append(func)
    else:
        # The setup methods refuse after the first request; Flask's
        # documented way around that for hooks is the registry itself, and
        # an app that was reset (a new test) registers anew.
        app._got_first_request = False
        getattr(app, kind)(func)


KINDS = [
    "before_request",
    "after_request",
    "teardown_request",
    "url_value_preprocessor",
    "url_defaults",
    "context_processor",
]


@pytest.mark.parametrize("direct", [True, False], ids=["registry", "decorator"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", ["/", "/bp/"])
def test_hook_added_after_the_first_request_runs(kind: str, direct: bool, path: str) -> None:
    app = _app()
    client = app.test_client()
    assert client.get(path).status_code == 200  # hook chains are built and cached now
    record: list[str] = []
    _add(app, kind, direct, record)
    response = client.get(path)
    assert response.status_code == 200
    expected = {
        "before_request": "before",
        "after_request": "after",
        "teardown_request": "teardown",
        "url_value_preprocessor": "preprocess",
        "url_defaults": "defaults",
        "context_processor": "context",
    }[kind]
    assert expected in record


def test_error_handler_added_after_the_first_request_runs() -> None:
    app = _app()
    app.testing = False
    client = app.test_client()
    assert client.get("/boom").status_code == 500
    app.error_handler_spec[None][None][KeyError] = lambda e: ("handled", 418)
    response = client.get("/boom")
    assert (response.status_code, response.data) == (418, b"handled")


def test_removed_hook_stops_running() -> None:
    app = _app()
    record: list[str] = []
    _add(app, "before_request", True, record)
    client = app.test_client()
    client.get("/")
    assert record == ["before"]
    app.before_request_funcs[None].clear()
    client.get("/")
    assert record == ["before"]


def test_a_foreign_list_still_runs() -> None:
    app = _app()
    client = app.test_client()
    client.get("/")
    record: list[str] = []
    mine: list[t.Any] = []
    app.before_request_funcs[None] = mine
    mine.append(lambda: record.append("late"))
    client.get("/")
    assert record == ["late"]
