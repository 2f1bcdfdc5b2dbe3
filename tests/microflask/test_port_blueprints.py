"""Port by renaming: an application written for Flask 3.1 (nested
blueprints with prefixes, hooks at every level, error handlers, relative and
absolute ``url_for``, a blueprint template folder and static folder, a
``MethodView``, signals) answers exactly as it does under Flask.

The expected rows were computed once by running this same application with
``import flask`` (Flask 3.1.3) and are written here literally; only the
``Allow`` header is compared as a set (Flask's order follows a ``set``).
"""

from __future__ import annotations

import os

import pytest

import microflask as fl
from microflask import views


def build(tmp):
    Flask, Blueprint, g, request, url_for = fl.Flask, fl.Blueprint, fl.g, fl.request, fl.url_for
    render_template, abort = fl.render_template, fl.abort
    log = []
    os.makedirs(os.path.join(tmp, "app_templates"), exist_ok=True)
    os.makedirs(os.path.join(tmp, "bp_templates", "parent"), exist_ok=True)
    os.makedirs(os.path.join(tmp, "static"), exist_ok=True)
    with open(os.path.join(tmp, "app_templates", "shared.html"), "w") as f:
        f.write("app shared {{ who }}")
    with open(os.path.join(tmp, "bp_templates", "shared.html"), "w") as f:
        f.write("bp shared")
    with open(os.path.join(tmp, "bp_templates", "parent", "page.html"), "w") as f:
        f.write("<p>{{ title|shout }} {{ who }} {{ url_for('.index') }} {{ request.blueprint }} {{ bp_value }} {{ app_value }} {{ 3 is odd_num }} {{ triple(2) }}</p>")
    with open(os.path.join(tmp, "static", "hello.txt"), "w") as f:
        f.write("static hello\n")

    app = Flask("port_app", root_path=tmp, template_folder="app_templates", static_folder=None)
    app.config["TESTING"] = False

    class MyError(Exception):
        pass

    @app.before_request
    def app_before():
        log.append("app.before:" + str(request.blueprints))

    @app.after_request
    def app_after(resp):
        log.append("app.after")
        resp.headers["X-App"] = "1"
        return resp

    @app.teardown_request
    def app_teardown(exc):
        log.append("app.teardown:" + type(exc).__name__)

    @app.url_value_preprocessor
    def app_uvp(endpoint, values):
        log.append(f"app.uvp:{endpoint}:{sorted(values or {})}")

    @app.errorhandler(404)
    def app_404(e):
        return f"app 404 {request.blueprint}", 404

    @app.errorhandler(MyError)
    def app_myerror(e):
        return "app myerror", 500

    @app.context_processor
    def app_ctx():
        return {"app_value": "AV", "who": "app"}

    @app.route("/")
    def index():
        return "root " + url_for("parent.index") + " " + url_for("parent.child.item", id=3, lang="fr")

    parent = Blueprint("parent", __name__, url_prefix="/parent", template_folder=os.path.join(tmp, "bp_templates"),
                       static_folder="static", root_path=tmp)
    child = Blueprint("child", __name__, url_prefix="/<lang>/child")

    @parent.before_request
    def parent_before():
        log.append("parent.before")

    @parent.after_request
    def parent_after(resp):
        log.append("parent.after")
        resp.headers["X-Parent"] = "1"
        return resp

    @parent.teardown_request
    def parent_teardown(exc):
        log.append("parent.teardown")

    @parent.before_app_request
    def parent_before_app():
        log.append("parent.before_app")

    @parent.after_app_request
    def parent_after_app(resp):
        log.append("parent.after_app")
        return resp

    @parent.app_template_filter()
    def shout(s):
        return str(s).upper() + "!"

    @parent.app_template_test("odd_num")
    def is_odd(n):
        return n % 2 == 1

    @parent.app_template_global()
    def triple(n):
        return n * 3

    @parent.context_processor
    def parent_ctx():
        return {"bp_value": "BV", "who": "parent"}

    @parent.errorhandler(404)
    def parent_404(e):
        return "parent 404", 404

    @parent.errorhandler(KeyError)
    def parent_keyerror(e):
        return "parent keyerror " + str(e), 400

    @parent.app_errorhandler(418)
    def teapot(e):
        return "teapot everywhere", 418

    @parent.route("/")
    def index():
        return render_template("parent/page.html", title="hi")

    @parent.route("/shared")
    def shared():
        return render_template("shared.html", who="w")

    @parent.route("/missing")
    def missing():
        abort(404)

    @parent.route("/key")
    def key():
        raise KeyError("k")

    @parent.route("/tea")
    def tea():
        abort(418)

    @parent.route("/my")
    def my():
        raise MyError()

    @parent.route("/urls")
    def urls():
        return " ".join([url_for(".index"), url_for("parent.static", filename="hello.txt"),
                         url_for(".static", filename="x y.txt"), url_for("index"),
                         url_for(".child.item", id=7, lang="de"), url_for("parent.child.item", id=1, lang="en", _external=True)])

    @child.url_value_preprocessor
    def child_uvp(endpoint, values):
        g.lang = values.pop("lang", None)
        log.append(f"child.uvp:{endpoint}")

    @child.url_defaults
    def child_defaults(endpoint, values):
        if "lang" not in values and getattr(g, "lang", None):
            values["lang"] = g.lang

    @child.before_request
    def child_before():
        log.append("child.before")

    @child.after_request
    def child_after(resp):
        log.append("child.after")
        resp.headers["X-Child"] = "1"
        return resp

    @child.teardown_request
    def child_teardown(exc):
        log.append("child.teardown")

    @child.errorhandler(ValueError)
    def child_valueerror(e):
        return "child valueerror", 422

    @child.route("/item/<int:id>")
    def item(id):
        return f"item {id} {g.lang} {request.blueprint} {request.blueprints} {url_for('.item', id=id + 1)} {url_for('.things')}"

    @child.route("/bad")
    def bad():
        raise ValueError("v")

    @child.route("/key")
    def child_key():
        raise KeyError("c")

    @child.route("/missing")
    def child_missing():
        abort(404)

    class Things(views.MethodView):
        def get(self):
            return f"things get {g.lang}"

        def post(self):
            return {"posted": request.form.get("x")}

    child.add_url_rule("/things", view_func=Things.as_view("things"))
    parent.register_blueprint(child)
    app.register_blueprint(parent)

    def on_started(sender, **kw):
        log.append("signal.started")

    def on_finished(sender, response, **kw):
        log.append(f"signal.finished:{response.status_code}")

    def on_rendered(sender, template, context, **kw):
        log.append(f"signal.rendered:{template.name}")

    fl.request_started.connect(on_started, app)
    fl.request_finished.connect(on_finished, app)
    fl.template_rendered.connect(on_rendered, app)
    app._keep = (on_started, on_finished, on_rendered)
    return app, log


KEEP = ("Content-Type", "Content-Length", "X-App", "X-Parent", "X-Child", "Allow", "Cache-Control")

# (method, path, status, body, headers, hook/signal log), from Flask 3.1.3.
EXPECTED = [
    ('GET', '/', 200, 'root /parent/ /parent/fr/child/item/3', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '37', 'X-App': '1'}, ['signal.started', 'app.uvp:index:[]', 'app.before:[]', 'parent.before_app', 'parent.after_app', 'app.after', 'signal.finished:200', 'app.teardown:NoneType']),
    ('GET', '/parent/', 200, '<p>HI! parent /parent/ parent BV AV True 6</p>', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '46', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.index:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'signal.rendered:parent/page.html', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/shared', 200, 'app shared w', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '12', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.shared:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'signal.rendered:shared.html', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/missing', 404, 'parent 404', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '10', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.missing:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:404', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/nothing-here', 404, 'app 404 None', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '12', 'X-App': '1'}, ['signal.started', 'app.uvp:None:[]', 'app.before:[]', 'parent.before_app', 'parent.after_app', 'app.after', 'signal.finished:404', 'app.teardown:NoneType']),
    ('GET', '/nowhere', 404, 'app 404 None', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '12', 'X-App': '1'}, ['signal.started', 'app.uvp:None:[]', 'app.before:[]', 'parent.before_app', 'parent.after_app', 'app.after', 'signal.finished:404', 'app.teardown:NoneType']),
    ('GET', '/parent/key', 400, "parent keyerror 'k'", {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '19', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.key:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:400', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/tea', 418, 'teapot everywhere', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '17', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.tea:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:418', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/my', 500, 'app myerror', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '11', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.my:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:500', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/urls', 200, '/parent/ /parent/static/hello.txt /parent/static/x%20y.txt / /parent/de/child/item/7 http://localhost/parent/en/child/item/1', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '124', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', 'app.uvp:parent.urls:[]', "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/fr/child/item/5', 200, "item 5 fr parent.child ['parent.child', 'parent'] /parent/fr/child/item/6 /parent/fr/child/things", {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '97', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.item:['id', 'lang']", 'child.uvp:parent.child.item', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/fr/child/bad', 422, 'child valueerror', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '16', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.bad:['lang']", 'child.uvp:parent.child.bad', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:422', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/fr/child/key', 400, "parent keyerror 'c'", {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '19', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.child_key:['lang']", 'child.uvp:parent.child.child_key', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:400', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/fr/child/missing', 404, 'parent 404', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '10', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.child_missing:['lang']", 'child.uvp:parent.child.child_missing', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:404', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/it/child/things', 200, 'things get it', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '13', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.things:['lang']", 'child.uvp:parent.child.things', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('POST', '/parent/it/child/things', 200, '{"posted":"1"}\n', {'Content-Type': 'application/json', 'Content-Length': '15', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.things:['lang']", 'child.uvp:parent.child.things', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('HEAD', '/parent/it/child/things', 200, '', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '13', 'X-App': '1', 'X-Parent': '1', 'X-Child': '1'}, ['signal.started', "app.uvp:parent.child.things:['lang']", 'child.uvp:parent.child.things', "app.before:['parent.child', 'parent']", 'parent.before_app', 'parent.before', 'child.before', 'child.after', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'child.teardown', 'parent.teardown', 'app.teardown:NoneType']),
    ('DELETE', '/parent/it/child/things', 405, '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '153', 'X-App': '1', 'Allow': 'POST, HEAD, OPTIONS, GET'}, ['signal.started', 'app.uvp:None:[]', 'app.before:[]', 'parent.before_app', 'parent.after_app', 'app.after', 'signal.finished:405', 'app.teardown:NoneType']),
    ('GET', '/parent/static/hello.txt', 200, 'static hello\n', {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '13', 'X-App': '1', 'X-Parent': '1', 'Cache-Control': 'no-cache'}, ['signal.started', "app.uvp:parent.static:['filename']", "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:200', 'parent.teardown', 'app.teardown:NoneType']),
    ('GET', '/parent/static/nope.txt', 404, 'parent 404', {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '10', 'X-App': '1', 'X-Parent': '1'}, ['signal.started', "app.uvp:parent.static:['filename']", "app.before:['parent']", 'parent.before_app', 'parent.before', 'parent.after', 'parent.after_app', 'app.after', 'signal.finished:404', 'parent.teardown', 'app.teardown:NoneType']),
]


@pytest.fixture
def port_app(tmp_path):
    app, log = build(str(tmp_path))
    yield app, log
    for signal, receiver in zip((fl.request_started, fl.request_finished, fl.template_rendered), app._keep):
        signal.disconnect(receiver, app)


@pytest.mark.parametrize(("method", "path", "status", "body", "headers", "log"), EXPECTED, ids=[f"{r[0]} {r[1]}" for r in EXPECTED])
def test_same_as_flask(port_app, method, path, status, body, headers, log):
    app, calls = port_app
    client = app.test_client()
    kwargs = {"data": {"x": "1"}} if method == "POST" else {}
    response = client.open(path, method=method, **kwargs)
    text = response.get_data(as_text=True)
    response.close()
    got_headers = {k: response.headers[k] for k in KEEP if k in response.headers}
    if "Allow" in headers:
        assert set(got_headers.pop("Allow").split(", ")) == set(headers.pop("Allow").split(", "))
    assert (response.status_code, text, got_headers, calls) == (status, body, headers, log)


def test_whole_sequence_on_one_client(port_app):
    """The same requests in order on one client: no state leaks between them."""
    app, calls = port_app
    client = app.test_client()
    for method, path, status, body, _, log in EXPECTED:
        del calls[:]
        kwargs = {"data": {"x": "1"}} if method == "POST" else {}
        response = client.open(path, method=method, **kwargs)
        text = response.get_data(as_text=True)
        response.close()
        assert (response.status_code, text, calls) == (status, body, log)
