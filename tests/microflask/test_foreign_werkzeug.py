"""HTTP exceptions raised through the real Werkzeug in a microflask app.

Flask's tutorial keeps ``from werkzeug.exceptions import abort`` after its
``flask`` imports are renamed; Flask answers those by code, and so must we.
"""

from __future__ import annotations

import pytest

from microflask import Flask

werkzeug_exceptions = pytest.importorskip("werkzeug.exceptions", reason="needs the real Werkzeug (the ecosystem extra)")


@pytest.fixture()
def app() -> Flask:
    app = Flask(__name__)

    @app.route("/forbidden")
    def forbidden() -> str:
        werkzeug_exceptions.abort(403)

    @app.route("/missing")
    def missing() -> str:
        werkzeug_exceptions.abort(404, "Post id 2 doesn't exist.")

    @app.route("/teapot")
    def teapot() -> str:
        raise werkzeug_exceptions.ImATeapot()

    return app


def test_real_werkzeug_abort_gives_its_status_and_page(app: Flask) -> None:
    response = app.test_client().get("/forbidden")
    assert response.status_code == 403
    assert b"<title>403 Forbidden</title>" in response.data


def test_real_werkzeug_abort_reaches_the_error_handler_for_its_code(app: Flask) -> None:
    seen = []

    @app.errorhandler(404)
    def not_found(e):  # type: ignore[no-untyped-def]
        seen.append((type(e).__module__, e.code, e.description, type(e.__cause__).__module__))
        return "gone", 404

    response = app.test_client().get("/missing")
    assert (response.status_code, response.data) == (404, b"gone")
    assert seen == [("wsgikit.exceptions", 404, "Post id 2 doesn't exist.", "werkzeug.exceptions")]


def test_real_werkzeug_exception_classes_map_by_code(app: Flask) -> None:
    assert app.test_client().get("/teapot").status_code == 418


def test_other_exceptions_are_untouched(app: Flask) -> None:
    @app.route("/boom")
    def boom() -> str:
        raise KeyError("x")

    app.testing = True
    with pytest.raises(KeyError):
        app.test_client().get("/boom")
