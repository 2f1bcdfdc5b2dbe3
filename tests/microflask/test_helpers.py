"""url_for, redirect, abort, flash, send_file, stream_with_context."""

from __future__ import annotations

import contextlib
import io

import pytest

from microflask import Flask
from microflask import Response
from microflask import abort
from microflask import flash
from microflask import get_flashed_messages
from microflask import redirect
from microflask import request
from microflask import send_file
from microflask import send_from_directory
from microflask import session
from microflask import signals
from microflask import stream_with_context
from microflask import url_for
from microflask.helpers import _split_blueprint_path
from microflask.helpers import get_root_path
from wsgikit.exceptions import NotFound
from wsgikit.routing import BuildError

NO_SERVER_NAME = (
    "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure"
    " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed."
)


@pytest.fixture
def url_app(app):
    app.route("/")(lambda: "i")
    app.route("/user/<name>", endpoint="user")(lambda name: name)
    app.route("/both", methods=["GET"], endpoint="both_get")(lambda: "")
    app.route("/both", methods=["POST"], endpoint="both_post")(lambda: "")
    return app


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (("<lambda>",), {}, "/"),
        (("user",), {"name": "ann"}, "/user/ann"),
        (("user",), {"name": "a b", "x": "1"}, "/user/a%20b?x=1"),
        (("user",), {"name": "a", "_external": True}, "http://localhost/user/a"),
        (("user",), {"name": "a", "_scheme": "https"}, "https://localhost/user/a"),
        (("user",), {"name": "a", "_anchor": "a b#c"}, "/user/a#a%20b#c"),
        ((".user",), {"name": "dot"}, "/user/dot"),
    ],
)
def test_url_for_in_request(url_app, args, kwargs, expected):
    with url_app.test_request_context():
        assert url_for(*args, **kwargs) == expected


def test_url_for_errors(url_app):
    with url_app.test_request_context():
        with pytest.raises(ValueError, match="When specifying '_scheme', '_external' must be True."):
            url_for("user", name="a", _scheme="https", _external=False)
        with pytest.raises(BuildError):
            url_for("missing")
    with url_app.app_context():
        with pytest.raises(RuntimeError) as info:
            url_for("user", name="a")
        assert str(info.value) == NO_SERVER_NAME


def test_url_for_outside_request_with_server_name(url_app):
    url_app.config.update(SERVER_NAME="example.com", APPLICATION_ROOT="/root", PREFERRED_URL_SCHEME="https")
    with url_app.app_context():
        assert url_for("user", name="x") == "https://example.com/root/user/x"
        assert url_for("user", name="x", _external=False) == "/root/user/x"
    assert url_app.url_for("user", name="y") == "https://example.com/root/user/y"


def test_url_for_method(url_app):
    with url_app.test_request_context():
        assert url_for("both_post", _method="POST") == "/both"


def test_url_defaults(app):
    app.route("/<lang>/page", endpoint="page")(lambda lang: lang)

    @app.url_defaults
    def add_lang(endpoint, values):
        values.setdefault("lang", "en")

    with app.test_request_context():
        assert url_for("page") == "/en/page"
        assert url_for("page", lang="fr") == "/fr/page"


def test_url_build_error_handlers(url_app):
    calls = []

    def first(error, endpoint, values):
        calls.append(("first", endpoint, values["_external"]))
        raise BuildError(endpoint, values, "GET")

    def second(error, endpoint, values):
        calls.append(("second", endpoint))
        return "/fallback" if endpoint == "known" else None

    url_app.url_build_error_handlers.extend([first, second])
    with url_app.test_request_context():
        assert url_for("known") == "/fallback"
        with pytest.raises(BuildError):
            url_for("unknown")
    assert calls[:2] == [("first", "known", False), ("second", "known")]


def test_redirect(app):
    rv = redirect("/x")
    assert rv.status_code == 302 and rv.location == "/x"
    assert not isinstance(rv, Response)
    with app.app_context():
        rv = redirect("/y", 301)
        assert isinstance(rv, Response) and rv.status_code == 301


def test_abort(app):
    with pytest.raises(NotFound):
        abort(404)
    with app.app_context():
        with pytest.raises(LookupError, match="no exception for 999"):
            abort(999)

        class Custom(app.aborter.mapping[403]):
            pass

        app.aborter.mapping[403] = Custom
        with pytest.raises(Custom):
            abort(403)
        with pytest.raises(Exception) as info:
            abort(Response("resp", 410))
        assert info.value.get_response().status_code == 410


def test_flash_and_categories(app, client):
    flashed = []

    def on_flash(sender, message, category, **kw):
        flashed.append((message, category))

    @app.route("/set")
    def set_():
        flash("one")
        flash("two", "error")
        flash("three", "warning")
        return ""

    @app.route("/get")
    def get():
        first = get_flashed_messages()
        again = get_flashed_messages(with_categories=True)
        errors = get_flashed_messages(category_filter=["error", "warning"])
        return {"first": first, "again": again, "errors": errors}

    with signals.message_flashed.connected_to(on_flash, app):
        client.get("/set")
    assert flashed == [("one", "message"), ("two", "error"), ("three", "warning")]
    assert client.get("/get").json == {
        "first": ["one", "two", "three"],
        "again": [["message", "one"], ["error", "two"], ["warning", "three"]],
        "errors": ["two", "three"],
    }
    assert client.get("/get").json["first"] == []


def test_send_file_and_from_directory(app, tmp_path):
    (tmp_path / "f.txt").write_text("file body")
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    with app.test_request_context():
        rv = send_file("f.txt")  # relative to the root path
        rv.direct_passthrough = False
        assert rv.get_data() == b"file body"
        assert rv.headers["Cache-Control"] == "public, max-age=60"
        assert isinstance(rv, Response)
        rv.close()
        rv = send_file(io.BytesIO(b"mem"), mimetype="text/plain", as_attachment=True, download_name="m.txt")
        rv.direct_passthrough = False
        assert rv.get_data() == b"mem"
        assert rv.headers["Content-Disposition"] == "attachment; filename=m.txt"
        rv.close()
        rv = send_from_directory(str(tmp_path), "f.txt", max_age=5)
        assert rv.headers["Cache-Control"] == "public, max-age=5"
        rv.close()
        with pytest.raises(NotFound):
            send_from_directory(str(tmp_path), "../etc/passwd")


def test_send_file_x_sendfile(app, tmp_path):
    (tmp_path / "f.txt").write_text("x")
    app.config["USE_X_SENDFILE"] = True
    with app.test_request_context():
        rv = send_file("f.txt")
        assert rv.headers["X-Sendfile"] == str(tmp_path / "f.txt")
        rv.close()


def test_stream_with_context(app, client):
    @app.route("/s")
    def s():
        def gen():
            yield "hello "
            yield request.args["name"]

        return stream_with_context(gen())

    @app.route("/d")
    def d():
        @stream_with_context
        def gen(suffix):
            yield request.args["name"] + suffix

        return gen("!")

    assert client.get("/s?name=ann").data == b"hello ann"
    assert client.get("/d?name=bob").data == b"bob!"
    with pytest.raises(RuntimeError, match="'stream_with_context' can only be used when a request context is active"):
        stream_with_context(iter(["x"]))


@pytest.mark.parametrize("read", [True, False])
@pytest.mark.parametrize("preserve", [True, False])
@pytest.mark.parametrize("decorate", [True, False])
def test_stream_with_context_from_an_async_view(app, read, preserve, decorate):
    # The async view primes the stream in its own copy of the context; the
    # body is produced (or the response closed) later in the caller's.
    log = []
    app.teardown_request(lambda exc: log.append("teardown"))

    def gen():
        log.append(f"start {request.path}")
        yield "a" + request.args["x"]
        yield "b"

    @app.route("/s")
    async def s():
        return stream_with_context(gen)() if decorate else stream_with_context(gen())

    client = app.test_client()
    with client if preserve else contextlib.nullcontext():
        response = client.get("/s?x=1")
        if read:
            assert response.get_data(as_text=True) == "a1b"
        else:
            response.close()
    assert log[0] == "teardown"
    assert log[1:] == (["start /s", "teardown"] if read else ["teardown"] if preserve else [])


def test_split_blueprint_path():
    assert _split_blueprint_path("a") == ["a"]
    assert _split_blueprint_path("a.b.c") == ["a.b.c", "a.b", "a"]


def test_get_root_path(tmp_path):
    import os

    assert get_root_path("pytest") == os.path.dirname(pytest.__file__)
    assert get_root_path("no_such_module_qq") == os.getcwd()


def test_flash_requires_secret_key(app):
    app.secret_key = None
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="secret key"):
            flash("x")


def test_escape_and_markup_exports():
    import microflask

    assert microflask.escape("<a>") == "&lt;a&gt;"
    assert str(microflask.Markup("<b>%s</b>") % "<i>") == "<b>&lt;i&gt;</b>"
    assert microflask.__version__


def test_lazy_exports():
    import microflask

    assert "Flask" in dir(microflask)
    assert microflask.Flask is Flask
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        microflask.nope  # noqa: B018
