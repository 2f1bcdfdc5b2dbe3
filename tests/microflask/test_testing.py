"""FlaskClient and EnvironBuilder."""

from __future__ import annotations

import pytest

from microflask import Flask
from microflask import request
from microflask import session
from microflask.globals import _cv_request
from microflask.testing import EnvironBuilder
from microflask.testing import FlaskClient


def test_client_class(app):
    client = app.test_client()
    assert isinstance(client, FlaskClient)

    class Mine(FlaskClient):
        pass

    app.test_client_class = Mine
    assert isinstance(app.test_client(), Mine)


@pytest.mark.parametrize(
    ("config", "kwargs", "url"),
    [
        ({}, {}, "http://localhost/"),
        ({"SERVER_NAME": "example.com"}, {}, "http://example.com/"),
        ({"SERVER_NAME": "example.com"}, {"subdomain": "api"}, "http://api.example.com/"),
        ({"APPLICATION_ROOT": "/app"}, {}, "http://localhost/app/"),
        ({"PREFERRED_URL_SCHEME": "https"}, {}, "https://localhost/"),
        ({}, {"url_scheme": "https"}, "https://localhost/"),
        ({}, {"path": "https://full.example/x?q=1"}, "https://full.example/x?q=1"),
        ({}, {"base_url": "http://base.example/root"}, "http://base.example/root/"),
    ],
)
def test_environ_builder_config(app, config, kwargs, url):
    app.config.update(config)
    builder = EnvironBuilder(app, **kwargs)
    try:
        assert builder.get_request().url == url
    finally:
        builder.close()


def test_environ_builder_rejects_mixed_base_url(app):
    with pytest.raises(AssertionError, match='Cannot pass "subdomain" or "url_scheme" with "base_url".'):
        EnvironBuilder(app, base_url="http://x/", subdomain="a")


def test_environ_builder_json_uses_app_provider(app):
    app.json.sort_keys = False
    builder = EnvironBuilder(app, json={"b": 1, "a": 2})
    try:
        assert builder.get_request().get_data() == b'{"b": 1, "a": 2}' or builder.json_dumps({"b": 1, "a": 2}).startswith('{"b"')
    finally:
        builder.close()


def test_environ_base_defaults(app, client):
    app.route("/")(lambda: f"{request.remote_addr} {request.user_agent.string.split('/')[0]}")
    assert client.get("/").data == b"127.0.0.1 wsgikit"


def test_with_client_keeps_context(app, client):
    calls = []
    app.teardown_request(lambda exc: calls.append("teardown"))
    app.route("/p")(lambda: "p")
    with client:
        client.get("/p?x=1")
        assert request.args["x"] == "1"
        assert calls == ["teardown"]
        client.get("/p?x=2")
        assert request.args["x"] == "2"
    assert _cv_request.get(None) is None
    # Flask 3.1 tears the preserved context down again when it is popped.
    assert calls == ["teardown", "teardown", "teardown", "teardown"]


def test_nested_with_client(client):
    with client:
        with pytest.raises(RuntimeError, match="Cannot nest client invocations"):
            with client:
                pass


def test_session_transaction(app, client):
    @app.route("/")
    def index():
        return str(session.get("n"))

    with client.session_transaction() as sess:
        sess["n"] = 41
    assert client.get("/").data == b"41"
    with client.session_transaction() as sess:
        assert sess["n"] == 41
        sess["n"] = 42
    assert client.get("/").data == b"42"


def test_session_transaction_errors(app):
    client = app.test_client(use_cookies=False)
    with pytest.raises(TypeError, match="Cookies are disabled. Create a client with 'use_cookies=True'."):
        with client.session_transaction():
            pass

    class NoSession(type(app.session_interface)):
        def open_session(self, app, request):
            return None

    app.session_interface = NoSession()
    with pytest.raises(RuntimeError, match="Session backend did not open a session."):
        with app.test_client().session_transaction():
            pass


def test_follow_redirects_keeps_session(app, client):
    @app.route("/login")
    def login():
        session["user"] = "ann"
        from microflask import redirect

        return redirect("/me")

    app.route("/me")(lambda: session.get("user", "nobody"))
    rv = client.get("/login", follow_redirects=True)
    assert rv.data == b"ann"
    assert [r.status_code for r in rv.history] == [302]
    assert rv.request.path == "/me"


def test_open_with_builder_environ_and_request(app, client):
    app.route("/e")(lambda: request.remote_addr)
    builder = EnvironBuilder(app, "/e")
    try:
        assert client.open(builder).data == b"127.0.0.1"
        environ = builder.get_environ()
    finally:
        builder.close()
    assert client.open(environ).data == b"127.0.0.1"


def test_response_json_uses_app_provider(app, client):
    app.route("/")(lambda: {"a": 1})
    assert client.get("/").json == {"a": 1}


def test_test_request_context_arguments(app):
    with app.test_request_context("/p", method="PUT", data={"a": "b"}, headers={"X-H": "v"}):
        assert request.method == "PUT"
        assert request.form["a"] == "b"
        assert request.headers["X-H"] == "v"
