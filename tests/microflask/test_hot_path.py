"""Behaviour the request hot path's caches must keep (see the ``# PERF:``
notes in wsgikit.routing.map and microflask.sessions)."""

from __future__ import annotations

import pytest

from microflask import Flask


def test_trusted_hosts_checked_on_every_request(app, client):
    app.config["TRUSTED_HOSTS"] = ["good.example"]
    app.route("/")(lambda: "ok")
    for _ in range(2):
        assert client.get("/", base_url="http://good.example").status_code == 200
        assert client.get("/", base_url="http://evil.example").status_code == 400
    # A host that was served (and cached) is refused once it is no longer trusted.
    app.config["TRUSTED_HOSTS"] = ["other.example"]
    assert client.get("/", base_url="http://good.example").status_code == 400


def test_server_name_change_takes_effect(app, client):
    app.subdomain_matching = True
    app.route("/", subdomain="api")(lambda: "api")
    app.config["SERVER_NAME"] = "example.com"
    assert client.get("/", base_url="http://api.example.com").data == b"api"
    app.config["SERVER_NAME"] = "example.org"
    assert client.get("/", base_url="http://api.example.org").data == b"api"
    with pytest.warns(UserWarning, match="doesn't match configured server name 'example.org'"):
        assert client.get("/", base_url="http://api.example.com").status_code == 404


def test_two_hosts_build_their_own_external_urls(app, client):
    from microflask import url_for

    app.route("/<x>")(lambda x: url_for("<lambda>", x=x, _external=True))
    assert client.get("/1", base_url="http://a.example").data == b"http://a.example/1"
    assert client.get("/2", base_url="https://b.example:8443").data == b"https://b.example:8443/2"
    assert client.get("/3", base_url="http://a.example").data == b"http://a.example/3"


def test_rules_added_between_requests_are_routed(app, client):
    app.add_url_rule("/a", "a", lambda: "a")
    assert client.get("/a").data == b"a"
    app._got_first_request = False  # allow setup again, as a reloaded app would
    app.add_url_rule("/b", "b", lambda: "b")
    assert client.get("/b").data == b"b"


def test_session_read_and_write_sends_one_vary_cookie(app, client):
    from microflask import session

    @app.route("/")
    def index():
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    first = client.get("/")
    second = client.get("/")
    assert (first.data, second.data) == (b"1", b"2")
    assert second.headers.getlist("Vary") == ["Cookie"]
    assert len(second.headers.getlist("Set-Cookie")) == 1


def test_session_write_without_read_still_varies(app, client):
    from microflask import session

    @app.route("/")
    def index():
        session["x"] = 1
        return "ok"

    response = client.get("/")
    assert response.headers["Vary"] == "Cookie"
    assert "session=" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, '{"a": [1, "\\u00e9"], "b": 1}'),
        ({"separators": (",", ":")}, '{"a":[1,"\\u00e9"],"b":1}'),
        ({"indent": 1}, '{\n "a": [\n  1,\n  "\\u00e9"\n ],\n "b": 1\n}'),
    ],
)
def test_json_dumps_reused_encoders_follow_the_provider_settings(app, kwargs, expected):
    value = {"b": 1, "a": [1, "\xe9"]}
    assert app.json.dumps(value, **kwargs) == expected
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    unsorted = app.json.dumps(value, **kwargs)
    assert unsorted.index('"b"') < unsorted.index('"a"') and "\xe9" in unsorted
    app.json.default = lambda o: "custom"
    assert "custom" in app.json.dumps({"o": object()}, **kwargs)


def _cycle():
    items: list = [1]
    items.append({"back": items})
    return items


def _deep(levels: int):
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("kwargs", [{}, {"separators": (",", ":")}, {"indent": 2}])
def test_json_dumps_of_a_cycle_is_the_stdlib_value_error(app, kwargs):
    # The reused encoders skip the circular-reference bookkeeping; a cycle
    # must still end in json.dumps' own error, not in a RecursionError.
    with pytest.raises(ValueError, match="^Circular reference detected$"):
        app.json.dumps(_cycle(), **kwargs)


def test_json_default_returning_its_argument_is_a_cycle(app):
    class Loop:
        pass

    app.json.default = lambda o: o
    with pytest.raises(ValueError, match="^Circular reference detected$"):
        app.json.dumps({"x": Loop()})


def test_jsonify_and_session_of_a_cycle(app):
    from microflask import jsonify
    from microflask import session

    with app.test_request_context():
        with pytest.raises(ValueError, match="^Circular reference detected$"):
            jsonify(_cycle())
        # The session's tagging walks the value first and, as in Flask,
        # never finishes a cycle.
        session["loop"] = _cycle()
        with pytest.raises(RecursionError):
            app.session_interface.save_session(app, session._get_current_object(), app.response_class())


def test_json_dumps_too_deep_is_a_recursion_error_as_in_the_stdlib(app):
    import sys

    with pytest.raises(RecursionError):
        app.json.dumps(_deep(sys.getrecursionlimit() * 20))
    # Deep but within the limit: encoded normally.
    assert app.json.dumps(_deep(50)) == "[" * 50 + "[]" + "]" * 50


def test_request_context_overrides_are_called_by_wsgi_app(app, client):
    # The stock request_context is skipped for speed; an override on the
    # instance or in a subclass must still be the one that makes the context.
    app.route("/")(lambda: "ok")
    calls = []
    stock = app.request_context

    def on_instance(environ):
        calls.append("instance")
        return stock(environ)

    app.request_context = on_instance
    assert client.get("/").data == b"ok"
    assert calls == ["instance"]

    class Subclassed(Flask):
        def request_context(self, environ):
            calls.append("subclass")
            return super().request_context(environ)

    sub = Subclassed("sub")
    sub.route("/")(lambda: "sub")
    assert sub.test_client().get("/").data == b"sub"
    assert calls == ["instance", "subclass"]
    assert Flask._stock_request_context and not Subclassed._stock_request_context
