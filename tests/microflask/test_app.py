"""The application object: construction, config attributes, routing
registration, resources, and the port-by-rename check."""

from __future__ import annotations

import importlib
import os
import sys
from datetime import timedelta

import pytest

import microflask
from microflask import Flask
from wsgikit.routing import BaseConverter


def test_constructor_defaults(tmp_path):
    app = Flask("some_module_xyz", root_path=str(tmp_path))
    assert app.name == "some_module_xyz"
    assert app.root_path == str(tmp_path)
    assert app.static_url_path == "/static"
    assert app.static_folder == os.path.join(str(tmp_path), "static")
    assert app.has_static_folder
    assert app.url_map.host_matching is False
    assert [(r.rule, r.endpoint) for r in app.url_map.iter_rules()] == [("/static/<path:filename>", "static")]
    assert repr(app) == "<Flask 'some_module_xyz'>"


def test_no_static_folder():
    app = Flask("x", static_folder=None)
    assert not app.has_static_folder
    assert list(app.url_map.iter_rules()) == []
    with app.test_request_context():
        with pytest.raises(RuntimeError, match="'static_folder' must be set"):
            app.send_static_file("a.txt")


@pytest.mark.parametrize(
    ("site", "module", "expected"),
    [
        # an installed package or module: <prefix>/var/<name>-instance
        ("prefix/lib/python3.11/site-packages", "mf_ip_pkg.app", "prefix/var/mf_ip_pkg.app-instance"),
        ("prefix/lib/python3.11/site-packages", "mf_ip_mod", "prefix/var/mf_ip_mod-instance"),
        ("prefix/Lib/site-packages", "mf_ip_win", "prefix/var/mf_ip_win-instance"),
        ("other/site-packages", "mf_ip_other", "other/var/mf_ip_other-instance"),
        # not installed: "instance" next to the package
        ("plain", "mf_ip_plain.app", "plain/instance"),
    ],
)
def test_instance_path_of_an_installed_app(tmp_path, monkeypatch, site, module, expected):
    root = tmp_path / site
    package, _, name = module.rpartition(".")
    folder = root / package if package else root
    folder.mkdir(parents=True)
    if package:
        (folder / "__init__.py").write_text("")
    (folder / f"{name}.py").write_text("import microflask\napp = microflask.Flask(__name__)\n")
    monkeypatch.syspath_prepend(str(root))
    try:
        app = importlib.import_module(module).app
        assert app.instance_path == str(tmp_path / expected)
    finally:
        for loaded in [m for m in sys.modules if m.startswith("mf_ip_")]:
            del sys.modules[loaded]


def test_instance_path_default_and_relative():
    app = Flask("not_a_real_module_abc")
    assert app.instance_path == os.path.join(os.getcwd(), "instance")
    with pytest.raises(ValueError, match="must be absolute"):
        Flask("x", instance_path="relative")


def test_name_of_main(monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules["__main__"], "__file__", "/srv/myapp.py", raising=False)
    assert Flask("__main__", root_path="/").name == "myapp"


def test_config_attributes(app):
    assert app.testing is True
    app.testing = False
    assert app.config["TESTING"] is False
    assert app.secret_key == "test key"
    app.permanent_session_lifetime = 60
    assert app.permanent_session_lifetime == timedelta(seconds=60)
    app.debug = True
    assert app.config["DEBUG"] is True
    assert app.config["PROVIDE_AUTOMATIC_OPTIONS"] is True


def test_debug_from_environment(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert Flask("x").debug is True
    monkeypatch.setenv("FLASK_DEBUG", "false")
    assert Flask("x").debug is False


def test_open_resource(tmp_path):
    (tmp_path / "data.txt").write_text("héllo", encoding="utf-8")
    app = Flask("x", root_path=str(tmp_path), instance_path=str(tmp_path))
    with app.open_resource("data.txt") as f:
        assert f.read() == "héllo".encode()
    with app.open_resource("data.txt", "r", encoding="utf-8") as f:
        assert f.read() == "héllo"
    with pytest.raises(ValueError, match="Resources can only be opened for reading."):
        app.open_resource("data.txt", "w")
    with app.open_instance_resource("new.txt", "w") as f:
        f.write("ok")
    with app.open_instance_resource("new.txt", "r") as f:
        assert f.read() == "ok"


def test_route_and_add_url_rule(app, client):
    @app.route("/a", methods=["get", "post"])
    def a():
        return "a"

    def b():
        return "b"

    app.add_url_rule("/b", view_func=b)
    app.add_url_rule("/c", "c_endpoint")

    @app.endpoint("c_endpoint")
    def c():
        return "c"

    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    assert rules["a"].methods == {"GET", "POST", "HEAD", "OPTIONS"}
    assert rules["b"].methods == {"GET", "HEAD", "OPTIONS"}
    assert client.post("/a").data == b"a"
    assert client.get("/b").data == b"b"
    assert client.get("/c").data == b"c"


def test_methods_from_view_and_automatic_options(app, client):
    def view():
        return "v"

    view.methods = ["PUT"]
    view.provide_automatic_options = False
    app.add_url_rule("/v", view_func=view)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/w", "w", lambda: "w")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "w")
    assert "OPTIONS" not in rule.methods
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "view")
    assert rule.methods == {"PUT"}
    assert client.put("/v").data == b"v"
    assert client.open("/v", method="OPTIONS").status_code == 405


@pytest.mark.parametrize(
    ("method", "allowed"),
    [("get", "GET"), ("post", "POST"), ("put", "PUT"), ("delete", "DELETE"), ("patch", "PATCH")],
)
def test_method_shortcuts(app, client, method, allowed):
    getattr(app, method)("/x")(lambda: allowed)
    with pytest.raises(TypeError, match="Use the 'route' decorator to use the 'methods' argument."):
        getattr(app, method)("/y", methods=["GET"])
    assert client.open("/x", method=allowed).data == allowed.encode()


def test_registration_errors(app):
    app.add_url_rule("/i", "i", lambda: "x")
    with pytest.raises(AssertionError, match="overwriting an existing endpoint function: i"):
        app.add_url_rule("/i2", "i", lambda: "y")
    with pytest.raises(TypeError, match=r'Allowed methods must be a list of strings, for example: @app.route\(\.\.\., methods=\["POST"\]\)'):
        app.add_url_rule("/m", "m", lambda: "x", methods="GET")
    with pytest.raises(AssertionError, match="expected view func if endpoint is not provided."):
        app.add_url_rule("/n")


def test_same_view_twice_is_allowed(app, client):
    def v():
        return "same"

    app.add_url_rule("/1", "v", v)
    app.add_url_rule("/2", "v", v)
    assert client.get("/2").data == b"same"


def test_setup_method_after_first_request(app, client):
    client.get("/")
    msg = (
        "The setup method 'route' can no longer be called on the application. It has already handled its"
        " first request, any changes will not be applied consistently.\nMake sure all imports, decorators,"
        " functions, etc. needed to set up the application are done before running it."
    )
    with pytest.raises(AssertionError) as info:
        app.route("/late")
    assert str(info.value) == msg
    for name in ("before_request", "after_request", "teardown_request", "teardown_appcontext"):
        with pytest.raises(AssertionError, match=f"'{name}'"):
            getattr(app, name)(lambda *a: None)


def test_custom_converter(app, client):
    class ListConverter(BaseConverter):
        def to_python(self, value):
            return value.split(",")

        def to_url(self, value):
            return ",".join(value)

    app.url_map.converters["list"] = ListConverter

    @app.route("/l/<list:items>")
    def items(items):
        return f"{len(items)}:{microflask.url_for('items', items=['x', 'y'])}"

    assert client.get("/l/a,b,c").data == b"3:/l/x,y"


def test_static_route(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "a.txt").write_text("static!")
    app = Flask("x", root_path=str(tmp_path))
    client = app.test_client()
    rv = client.get("/static/a.txt")
    assert rv.status_code == 200
    assert rv.data == b"static!"
    assert rv.headers["Cache-Control"] == "no-cache"
    rv.close()
    assert client.get("/static/../secret").status_code == 404
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(hours=1)
    rv = client.get("/static/a.txt")
    assert rv.headers["Cache-Control"] == "public, max-age=3600"
    rv.close()


def test_custom_static_url_path(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "s.css").write_text("css")
    app = Flask("x", root_path=str(tmp_path), static_folder="assets/", static_url_path="/s/")
    assert app.static_url_path == "/s"
    rv = app.test_client().get("/s/s.css")
    assert rv.data == b"css"
    rv.close()


def test_static_host_requires_host_matching():
    with pytest.raises(AssertionError, match="Invalid static_host/host_matching combination"):
        Flask("x", static_host="example.com")
    app = Flask("x", host_matching=True, static_host="static.example.com")
    rule = next(app.url_map.iter_rules())
    assert rule.host == "static.example.com"


def test_server_name_does_not_restrict_hosts(app, client):
    app.config["SERVER_NAME"] = "example.com"
    app.route("/")(lambda: microflask.request.host)
    assert client.get("/", base_url="http://other.org").data == b"other.org"


def test_subdomain_matching():
    app = Flask("x", subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.com"
    app.route("/", subdomain="<user>")(lambda user: f"user {user}")
    app.route("/", endpoint="root")(lambda: "root")
    client = app.test_client()
    assert client.get("/", subdomain="ann").data == b"user ann"
    assert client.get("/").data == b"root"


def test_host_matching():
    app = Flask("x", host_matching=True, static_folder=None)
    app.route("/", host="a.example")(lambda: "a")
    app.route("/", host="b.example", endpoint="b")(lambda: "b")
    client = app.test_client()
    assert client.get("/", base_url="http://a.example").data == b"a"
    assert client.get("/", base_url="http://b.example").data == b"b"
    assert client.get("/", base_url="http://c.example").status_code == 404


def test_trusted_hosts(app, client):
    app.config["TRUSTED_HOSTS"] = ["good.example"]
    app.route("/")(lambda: "ok")
    assert client.get("/", base_url="http://good.example").status_code == 200
    assert client.get("/", base_url="http://evil.example").status_code == 400


@pytest.mark.parametrize("host", ["a" * 64, "a..b", ".a"])
def test_host_that_cannot_be_encoded_is_400(app, client, host):
    # Binding the URL map refuses a host IDNA cannot encode; the routing
    # error is a 400 raised at dispatch, as in Flask.
    app.route("/")(lambda: "ok")
    assert client.get("/", headers={"Host": host}).status_code == 400
    assert client.get("/", headers={"Host": "a" * 63}).status_code == 200


def test_shell_context(app):
    app.shell_context_processor(lambda: {"x": 1})
    ctx = app.make_shell_context()
    assert ctx["app"] is app and ctx["x"] == 1 and "g" in ctx


def test_iter_blueprints_empty(app):
    assert list(app.iter_blueprints()) == []


def test_run_uses_run_simple(app, monkeypatch):
    import sys
    import types

    calls = []
    fake = types.ModuleType("wsgikit.serving")
    fake.run_simple = lambda *a, **kw: calls.append((a, kw))
    fake.is_running_from_reloader = lambda: False
    monkeypatch.setitem(sys.modules, "wsgikit.serving", fake)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app.config["SERVER_NAME"] = "srv.local:8123"
    app.run()
    (args, kwargs), = calls
    assert args == ("srv", 8123, app) or args == ("srv.local", 8123, app)
    assert kwargs == {"use_reloader": False, "use_debugger": False, "threaded": True}
    app.run(host="0.0.0.0", port=0, debug=True)
    assert calls[1][0][:2] == ("0.0.0.0", 0) and calls[1][1]["use_reloader"] is True


@pytest.mark.parametrize(
    ("load_dotenv", "skip", "expected_debug"),
    [(True, None, True), (False, None, False), (True, "1", False), (True, "0", True)],
)
def test_run_loads_dotenv_files_and_their_debug_flag(
    app, monkeypatch, tmp_path, load_dotenv, skip, expected_debug
):
    import sys
    import types

    calls = []
    fake = types.ModuleType("wsgikit.serving")
    fake.run_simple = lambda *a, **kw: calls.append((a, kw))
    fake.is_running_from_reloader = lambda: False
    monkeypatch.setitem(sys.modules, "wsgikit.serving", fake)
    for name in ("FLASK_RUN_FROM_CLI", "FLASK_DEBUG", "RUN_DOTENV_MARKER", "MICROFLASK_SKIP_DOTENV"):
        monkeypatch.delenv(name, raising=False)
    if skip is None:
        monkeypatch.delenv("FLASK_SKIP_DOTENV", raising=False)
    else:
        monkeypatch.setenv("FLASK_SKIP_DOTENV", skip)
    (tmp_path / ".flaskenv").write_text("FLASK_DEBUG=1\nRUN_DOTENV_MARKER=loaded\n")
    monkeypatch.chdir(tmp_path)
    app.run(load_dotenv=load_dotenv)
    assert app.debug is expected_debug
    assert calls[0][1]["use_reloader"] is expected_debug
    assert (os.environ.get("RUN_DOTENV_MARKER") == "loaded") is expected_debug
    for name in ("FLASK_DEBUG", "RUN_DOTENV_MARKER"):
        os.environ.pop(name, None)


# -- port by rename: a Flask-style app gives Flask 3.1's responses ----------------

KEEP = ("Content-Type", "Content-Length", "Location", "X-User", "X-A", "Allow", "Vary")


def _make_port_app():
    from microflask import abort, flash, g, get_flashed_messages, jsonify, redirect, request, session, url_for

    app = Flask("portapp", root_path="/tmp")
    app.secret_key = "dev-key"
    log = []

    @app.before_request
    def load_user():
        g.user = request.args.get("user", "anon")
        if request.path == "/blocked":
            return "blocked by hook", 403

    @app.after_request
    def add_header(resp):
        resp.headers["X-User"] = g.user
        return resp

    @app.teardown_request
    def td(exc):
        log.append(exc)

    @app.route("/")
    def index():
        return "Hello " + g.user

    @app.route("/user/<int:uid>")
    def user(uid):
        return {"id": uid, "url": url_for("user", uid=uid), "ext": url_for("user", uid=uid, _external=True, _anchor="top")}

    @app.post("/login")
    def login():
        session["name"] = request.form["name"]
        flash("logged in")
        flash("careful", "warning")
        return redirect(url_for("me"))

    @app.get("/me")
    def me():
        return jsonify(name=session.get("name"), msgs=get_flashed_messages(with_categories=True))

    @app.route("/list")
    def lst():
        return [1, 2, "x"]

    @app.route("/tuple")
    def tup():
        return "created", 201, {"X-A": "1"}

    @app.route("/teapot")
    def teapot():
        abort(418)

    @app.route("/boom")
    def boom():
        raise KeyError("k")

    @app.route("/gen")
    def gen():
        def g2():
            yield "a"
            yield "b"

        return g2()

    @app.errorhandler(404)
    def nf(e):
        return "custom 404: " + request.path, 404

    @app.errorhandler(LookupError)
    def lookup(e):
        return "lookup " + type(e).__name__, 500

    @app.route("/form", methods=["POST"])
    def form():
        return ",".join(f"{k}={v}" for k, v in sorted(request.form.items()))

    @app.route("/json", methods=["POST"])
    def js():
        return jsonify(got=request.get_json(), n=len(request.json))

    return app, log


HTML = "text/html; charset=utf-8"
JSON = "application/json"
REDIRECT_BODY = (
    '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be'
    ' redirected automatically to the target URL: <a href="/me">/me</a>. If not, click the link.\n'
)
TEAPOT_BODY = (
    "<!doctype html>\n<html lang=en>\n<title>418 I&#39;m a teapot</title>\n<h1>I&#39;m a teapot</h1>\n<p>This"
    " server is a teapot, not a coffee machine</p>\n"
)
NOT_ALLOWED_BODY = (
    "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The"
    " method is not allowed for the requested URL.</p>\n"
)

# (request, expected (status, kept headers, body)) -- computed with Flask 3.1.
PORT_CASES = [
    (("get", "/", {}), ("200 OK", [("Content-Type", HTML), ("Content-Length", "10"), ("X-User", "anon")], "Hello anon")),
    (("get", "/?user=bob", {}), ("200 OK", [("Content-Type", HTML), ("Content-Length", "9"), ("X-User", "bob")], "Hello bob")),
    (("get", "/blocked", {}), ("403 FORBIDDEN", [("Content-Type", HTML), ("Content-Length", "15"), ("X-User", "anon")], "blocked by hook")),
    (("get", "/user/5", {}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "61"), ("X-User", "anon")], '{"ext":"http://localhost/user/5#top","id":5,"url":"/user/5"}\n')),
    (("get", "/user/x", {}), ("404 NOT FOUND", [("Content-Type", HTML), ("Content-Length", "19"), ("X-User", "anon")], "custom 404: /user/x")),
    (("post", "/login", {"data": {"name": "ann"}}), ("302 FOUND", [("Content-Type", HTML), ("Content-Length", "193"), ("Location", "/me"), ("X-User", "anon"), ("Vary", "Cookie")], REDIRECT_BODY)),
    (("get", "/me", {}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "70"), ("X-User", "anon"), ("Vary", "Cookie")], '{"msgs":[["message","logged in"],["warning","careful"]],"name":"ann"}\n')),
    (("get", "/me", {}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "25"), ("X-User", "anon"), ("Vary", "Cookie")], '{"msgs":[],"name":"ann"}\n')),
    (("get", "/list", {}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "10"), ("X-User", "anon")], '[1,2,"x"]\n')),
    (("get", "/tuple", {}), ("201 CREATED", [("X-A", "1"), ("Content-Type", HTML), ("Content-Length", "7"), ("X-User", "anon")], "created")),
    (("get", "/teapot", {}), ("418 I'M A TEAPOT", [("Content-Type", HTML), ("Content-Length", "146"), ("X-User", "anon")], TEAPOT_BODY)),
    (("get", "/boom", {}), ("500 INTERNAL SERVER ERROR", [("Content-Type", HTML), ("Content-Length", "15"), ("X-User", "anon")], "lookup KeyError")),
    (("get", "/gen", {}), ("200 OK", [("Content-Type", HTML), ("X-User", "anon")], "ab")),
    (("post", "/", {}), ("405 METHOD NOT ALLOWED", [("Content-Type", HTML), ("Allow", {"GET", "HEAD", "OPTIONS"}), ("Content-Length", "153"), ("X-User", "anon")], NOT_ALLOWED_BODY)),
    (("options", "/", {}), ("200 OK", [("Content-Type", HTML), ("Allow", {"GET", "HEAD", "OPTIONS"}), ("X-User", "anon"), ("Content-Length", "0")], "")),
    (("post", "/form", {"data": {"b": "2", "a": "1"}}), ("200 OK", [("Content-Type", HTML), ("Content-Length", "7"), ("X-User", "anon")], "a=1,b=2")),
    (("post", "/json", {"json": {"k": [1, 2]}}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "26"), ("X-User", "anon")], '{"got":{"k":[1,2]},"n":1}\n')),
    (("post", "/login", {"data": {"name": "zed"}, "follow_redirects": True}), ("200 OK", [("Content-Type", JSON), ("Content-Length", "70"), ("X-User", "anon"), ("Vary", "Cookie")], '{"msgs":[["message","logged in"],["warning","careful"]],"name":"zed"}\n')),
    (("head", "/", {}), ("200 OK", [("Content-Type", HTML), ("Content-Length", "10"), ("X-User", "anon")], "")),
]


def test_port_by_rename_matches_flask():
    app, log = _make_port_app()
    client = app.test_client()
    for (method, path, kwargs), (status, headers, body) in PORT_CASES:
        rv = getattr(client, method)(path, **kwargs)
        got_headers = [(k, set(v.split(", ")) if k == "Allow" else v) for k, v in rv.headers if k in KEEP]
        assert (rv.status, got_headers, rv.get_data(as_text=True)) == (status, headers, body), path
        rv.close()
    assert log == [None] * 20
