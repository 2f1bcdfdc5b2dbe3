"""Blueprints (Flask 3.1 behaviour): lazy registration, setup states,
application-wide hooks, nesting, names, static and template folders, error
handlers, relative URLs, the setup-finished errors and the CLI group."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from microflask import abort
from microflask import Blueprint
from microflask import Flask
from microflask import g
from microflask import render_template
from microflask import render_template_string
from microflask import request
from microflask import url_for
from microflask.blueprints import BlueprintSetupState
from wsgikit.exceptions import NotFound
from wsgikit.routing import BuildError


def rules(app):
    """``{endpoint: (rule, subdomain, defaults)}`` of the application's URL map."""
    return {r.endpoint: (r.rule, r.subdomain, r.defaults) for r in app.url_map.iter_rules()}


# -- construction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "'name' may not be empty."),
        ("a.b", "'name' may not contain a dot '.' character."),
        (".", "'name' may not contain a dot '.' character."),
        ("trailing.", "'name' may not contain a dot '.' character."),
    ],
)
def test_bad_names_refused(name, message):
    with pytest.raises(ValueError) as exc_info:
        Blueprint(name, __name__)
    assert str(exc_info.value) == message


def test_defaults_and_repr(tmp_path):
    bp = Blueprint("bp", __name__, root_path=str(tmp_path))
    assert (bp.name, bp.import_name, bp.root_path) == ("bp", __name__, str(tmp_path))
    assert (bp.url_prefix, bp.subdomain, bp.url_values_defaults) == (None, None, {})
    assert (bp.static_folder, bp.static_url_path, bp.template_folder) == (None, None, None)
    assert bp.has_static_folder is False
    assert bp.jinja_loader is None
    assert bp.deferred_functions == []
    assert repr(bp) == "<Blueprint 'bp'>"


def test_root_path_defaults_to_the_module_folder():
    bp = Blueprint("bp", __name__)
    assert bp.root_path == os.path.dirname(os.path.abspath(__file__))


@pytest.mark.parametrize(
    ("static_folder", "static_url_path", "expected_url_path"),
    [
        ("static", None, "/static"),
        ("assets/", None, "/assets"),
        ("st", "/assets/", "/assets"),
        ("st", "", ""),
    ],
)
def test_static_url_path(static_folder, static_url_path, expected_url_path):
    bp = Blueprint("bp", __name__, static_folder=static_folder, static_url_path=static_url_path)
    assert bp.static_url_path == expected_url_path
    assert bp.has_static_folder


# -- lazy registration ------------------------------------------------------------


def test_decorators_do_nothing_until_registered(app, client):
    bp = Blueprint("bp", __name__)
    calls = []

    @bp.route("/")
    def index():
        return "index"

    @bp.before_request
    def before():
        calls.append("before")

    @bp.errorhandler(404)
    def not_found(e):
        return "bp 404", 404

    assert "bp.index" not in app.view_functions
    assert "bp" not in app.before_request_funcs
    assert client.get("/").status_code == 404
    app2 = Flask("other", root_path=app.root_path)
    app2.register_blueprint(bp)
    c2 = app2.test_client()
    assert c2.get("/").data == b"index"
    assert calls == ["before"]
    assert app2.view_functions["bp.index"] is index
    assert app2.error_handler_spec["bp"][404][NotFound] is not_found


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch"])
def test_method_route_shortcuts(app, client, method):
    bp = Blueprint("bp", __name__)
    getattr(bp, method)("/m")(lambda: method)
    app.register_blueprint(bp)
    assert client.open("/m", method=method.upper()).data == method.encode()
    other = "GET" if method != "get" else "POST"
    assert client.open("/m", method=other).status_code == 405


def test_method_shortcut_refuses_methods():
    bp = Blueprint("bp", __name__)
    with pytest.raises(TypeError, match="Use the 'route' decorator to use the 'methods' argument."):
        bp.get("/", methods=["POST"])


def test_endpoint_decorator_keeps_the_name_unprefixed(app):
    # Flask quirk, kept: view functions registered with ``endpoint`` are
    # copied to the application under the bare endpoint name.
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/e", "e")

    @bp.endpoint("e")
    def e():
        return "e"

    app.register_blueprint(bp)
    assert app.view_functions["e"] is e
    assert "bp.e" not in app.view_functions
    assert rules(app)["bp.e"][0] == "/e"


@pytest.mark.parametrize(
    ("endpoint", "view_name", "message"),
    [
        ("a.b", "view", "'endpoint' may not contain a dot '.' character."),
        (None, "x.y", "'view_func' name may not contain a dot '.' character."),
    ],
)
def test_dots_in_endpoints_refused(endpoint, view_name, message):
    bp = Blueprint("bp", __name__)

    def view():
        return ""

    view.__name__ = view_name
    with pytest.raises(ValueError) as exc_info:
        bp.add_url_rule("/x", endpoint, view)
    assert str(exc_info.value) == message


def test_add_url_rule_options_reach_the_rule(app, client):
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    bp.add_url_rule("/opt", "opt", lambda: "opt", methods=["POST"], provide_automatic_options=False, strict_slashes=False)
    app.register_blueprint(bp)
    assert client.post("/bp/opt").data == b"opt"
    assert client.post("/bp/opt/").data == b"opt"
    assert client.open("/bp/opt", method="OPTIONS").status_code == 405
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "bp.opt")
    assert rule.methods == {"POST"}
    assert rule.strict_slashes is False


# -- record, record_once, setup state -----------------------------------------------


def test_record_and_record_once_states(app):
    bp = Blueprint("bp", __name__, url_prefix="/bp", subdomain="s", url_defaults={"a": 1})
    states = []
    bp.record(
        lambda s: states.append(
            (
                "rec",
                s.name,
                s.name_prefix,
                s.url_prefix,
                s.subdomain,
                s.url_defaults,
                s.first_registration,
                sorted(s.options),
            )
        )
    )
    bp.record_once(lambda s: states.append(("once", s.name)))
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="bp2", url_prefix="/two", url_defaults={"b": 2})
    assert states == [
        ("rec", "bp", "", "/bp", "s", {"a": 1}, True, []),
        ("once", "bp"),
        ("rec", "bp2", "", "/two", "s", {"a": 1, "b": 2}, False, ["name", "url_defaults", "url_prefix"]),
    ]


def test_record_once_keeps_the_function_name():
    bp = Blueprint("bp", __name__)

    def setup_things(state):
        pass

    bp.record_once(setup_things)
    assert bp.deferred_functions[0].__name__ == "setup_things"


def test_make_setup_state_can_be_overridden(app):
    class MyState(BlueprintSetupState):
        def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
            super().add_url_rule("/custom" + rule, endpoint, view_func, **options)

    class MyBlueprint(Blueprint):
        def make_setup_state(self, app, options, first_registration=False):
            return MyState(self, app, options, first_registration)

    bp = MyBlueprint("bp", __name__)
    bp.route("/x")(lambda: "x")
    seen = []
    bp.record(lambda s: seen.append(type(s)))
    app.register_blueprint(bp)
    assert seen == [MyState]
    assert rules(app)["bp.<lambda>"][0] == "/custom/x"


@pytest.mark.parametrize(
    ("url_prefix", "rule", "expected"),
    [
        (None, "/x", "/x"),
        ("/p", "/x", "/p/x"),
        ("/p/", "/x", "/p/x"),
        ("/p", "x", "/p/x"),
        ("/p//", "//x", "/p/x"),
        ("/p", "", "/p"),
        ("/p/", "", "/p/"),
        ("/p", "/", "/p/"),
        ("/", "/x", "/x"),
        ("", "/x", "/x"),
    ],
)
def test_setup_state_prefixes_rules(app, url_prefix, rule, expected):
    bp = Blueprint("bp", __name__)
    state = bp.make_setup_state(app, {"url_prefix": url_prefix} if url_prefix is not None else {})
    state.add_url_rule(rule, "e", lambda: "")
    assert rules(app)["bp.e"][0] == expected


def test_setup_state_names_subdomains_and_defaults(app):
    bp = Blueprint("bp", __name__, subdomain="api", url_defaults={"a": 1, "b": 1})
    state = bp.make_setup_state(app, {"name_prefix": "outer", "url_defaults": {"b": 2}})
    state.add_url_rule("/x", "e", lambda **kw: "", defaults={"c": 3})
    state.add_url_rule("/y", "f", lambda **kw: "", subdomain="other")
    state.add_url_rule("/z", view_func=lambda **kw: "")
    found = rules(app)
    assert found["outer.bp.e"] == ("/x", "api", {"a": 1, "b": 2, "c": 3})
    assert found["outer.bp.f"] == ("/y", "other", {"a": 1, "b": 2})
    assert "outer.bp.<lambda>" in found
    assert (state.name, state.name_prefix, state.first_registration) == ("bp", "outer", False)


def test_setup_state_needs_an_endpoint_or_a_view(app):
    state = Blueprint("bp", __name__).make_setup_state(app, {})
    with pytest.raises(AssertionError, match="expected view func if endpoint is not provided."):
        state.add_url_rule("/x")


def test_route_defaults_merge_with_blueprint_defaults(app, client):
    bp = Blueprint("d", __name__, url_defaults={"page": 1})

    @bp.route("/list", defaults={"q": "all"})
    def lst(page, q):
        return f"{page} {q}"

    app.register_blueprint(bp)
    assert client.get("/list").data == b"1 all"
    assert rules(app)["d.lst"] == ("/list", "", {"page": 1, "q": "all"})


# -- application-wide hooks --------------------------------------------------------


def test_app_wide_request_hooks_run_for_every_request(app, client):
    bp = Blueprint("bp", __name__)
    calls = []

    @bp.before_app_request
    def before():
        calls.append("before")

    @bp.after_app_request
    def after(response):
        calls.append("after")
        response.headers["X-Bp"] = "1"
        return response

    @bp.teardown_app_request
    def teardown(exc):
        calls.append(f"teardown {exc!r}")

    @bp.app_url_value_preprocessor
    def preprocess(endpoint, values):
        calls.append(f"uvp {endpoint} {values}")

    @app.route("/a/<int:x>")
    def app_view(x):
        return str(x)

    app.register_blueprint(bp)
    response = client.get("/a/2")
    assert response.data == b"2"
    assert response.headers["X-Bp"] == "1"
    assert calls == ["uvp app_view {'x': 2}", "before", "after", "teardown None"]


def test_blueprint_hooks_only_run_for_its_views(app, client):
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    calls = []
    bp.before_request(lambda: calls.append("bp before"))
    bp.after_request(lambda r: calls.append("bp after") or r)
    bp.teardown_request(lambda e: calls.append("bp teardown"))
    bp.url_value_preprocessor(lambda e, v: calls.append("bp uvp"))
    bp.route("/")(lambda: "bp")
    app.route("/")(lambda: "app")
    app.register_blueprint(bp)
    client.get("/")
    assert calls == []
    client.get("/bp/")
    assert calls == ["bp uvp", "bp before", "bp after", "bp teardown"]


def test_before_request_response_short_circuits(app, client):
    bp = Blueprint("bp", __name__)
    calls = []
    bp.before_request(lambda: "stopped")
    bp.route("/")(lambda: calls.append("view") or "view")
    app.register_blueprint(bp)
    assert client.get("/").data == b"stopped"
    assert calls == []


def test_app_template_filter_test_and_global(app):
    bp = Blueprint("bp", __name__)

    @bp.app_template_filter()
    def shout(s):
        return s.upper()

    @bp.app_template_filter("twice")
    def double(s):
        return s * 2

    @bp.app_template_test()
    def odd(n):
        return n % 2 == 1

    @bp.app_template_test("big")
    def is_big(n):
        return n > 10

    @bp.app_template_global()
    def triple(n):
        return n * 3

    @bp.app_template_global("answer")
    def forty_two():
        return 42

    bp.add_app_template_filter(lambda s: s[::-1], "rev")
    bp.add_app_template_test(lambda n: n == 0, "zero")
    bp.add_app_template_global(lambda: "g", "gfunc")
    app.register_blueprint(bp)
    with app.app_context():
        out = render_template_string(
            "{{ 'a'|shout }} {{ 'b'|twice }} {{ 3 is odd }} {{ 30 is big }} {{ triple(2) }} {{ answer() }}"
            " {{ 'ab'|rev }} {{ 0 is zero }} {{ gfunc() }}"
        )
    assert out == "A bb True True 6 42 ba True g"


def test_app_context_processor_and_blueprint_context_processor(app, client):
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    bp.app_context_processor(lambda: {"everywhere": "E"})
    bp.context_processor(lambda: {"local": "L"})
    bp.route("/")(lambda: render_template_string("{{ everywhere }}-{{ local }}"))
    app.route("/")(lambda: render_template_string("{{ everywhere }}-{{ local }}"))
    app.register_blueprint(bp)
    assert client.get("/bp/").data == b"E-L"
    assert client.get("/").data == b"E-"


def test_app_errorhandler_applies_everywhere(app, client):
    bp = Blueprint("bp", __name__)

    @bp.app_errorhandler(404)
    def not_found(e):
        return "bp handles all 404s", 404

    @bp.app_errorhandler(KeyError)
    def key_error(e):
        return "key", 400

    app.route("/key")(lambda: {}["x"])
    app.register_blueprint(bp)
    assert client.get("/nowhere").data == b"bp handles all 404s"
    assert client.get("/key").data == b"key"


def test_app_errorhandler_bad_code_fails_at_registration(app):
    bp = Blueprint("bp", __name__)
    bp.app_errorhandler(999)(lambda e: "")
    with pytest.raises(ValueError, match="'999' is not a recognized HTTP error code."):
        app.register_blueprint(bp)


def test_url_defaults_scoped_and_app_wide(app):
    bp = Blueprint("bp", __name__)

    @bp.url_defaults
    def bp_defaults(endpoint, values):
        values.setdefault("x", "bpx")

    @bp.app_url_defaults
    def everywhere(endpoint, values):
        values.setdefault("y", "appy")

    bp.route("/b/<x>")(lambda x: x)
    app.route("/a/<x>")(lambda x: x)
    app.register_blueprint(bp)
    with app.test_request_context():
        assert url_for("bp.<lambda>") == "/b/bpx?y=appy"
        assert url_for("<lambda>", x=1) == "/a/1?y=appy"
        with pytest.raises(BuildError) as exc_info:
            url_for("<lambda>")
    assert str(exc_info.value) == (
        "Could not build url for endpoint '<lambda>' with values ['y']. Did you forget to specify values ['x']?"
    )


def test_app_wide_hooks_added_once_per_application(app, client):
    bp = Blueprint("bp", __name__)
    calls = []
    bp.before_app_request(lambda: calls.append("once"))
    bp.route("/")(lambda: "x")
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again", url_prefix="/again")
    client.get("/")
    assert calls == ["once"]


# -- registering twice, names --------------------------------------------------------


def test_register_twice_needs_a_name(app, client):
    bp = Blueprint("bp", __name__)
    bp.route("/")(lambda: request.blueprint)
    app.register_blueprint(bp)
    with pytest.raises(ValueError) as exc_info:
        app.register_blueprint(bp)
    assert str(exc_info.value) == (
        "The name 'bp' is already registered for this blueprint. Use 'name=' to provide a unique name."
    )
    app.register_blueprint(bp, name="other", url_prefix="/o")
    assert client.get("/").data == b"bp"
    assert client.get("/o/").data == b"other"
    assert rules(app)["other.<lambda>"][0] == "/o/"


def test_different_blueprint_same_name(app):
    app.register_blueprint(Blueprint("bp", __name__))
    with pytest.raises(ValueError) as exc_info:
        app.register_blueprint(Blueprint("bp", __name__))
    assert str(exc_info.value) == (
        "The name 'bp' is already registered for a different blueprint. Use 'name=' to provide a unique name."
    )


@pytest.mark.parametrize(
    ("same", "message"),
    [
        (True, "The name 'c' is already registered for this blueprint 'p.c'. Use 'name=' to provide a unique name."),
        (
            False,
            "The name 'c' is already registered for a different blueprint 'p.c'. Use 'name=' to provide a unique name.",
        ),
    ],
)
def test_nested_name_clash_message(app, same, message):
    parent = Blueprint("p", __name__)
    child = Blueprint("c", __name__)
    parent.register_blueprint(child)
    parent.register_blueprint(child if same else Blueprint("c", __name__))
    with pytest.raises(ValueError) as exc_info:
        app.register_blueprint(parent)
    assert str(exc_info.value) == message


def test_register_name_option_is_not_checked_like_flask(app):
    # Flask 3.1 checks the constructor's name only; ``name=`` is taken as given.
    bp = Blueprint("bp", __name__)
    app.register_blueprint(bp, name="a.b")
    assert list(app.blueprints) == ["a.b"]


def test_blueprint_cannot_nest_itself():
    bp = Blueprint("bp", __name__)
    with pytest.raises(ValueError, match="^Cannot register a blueprint on itself$"):
        bp.register_blueprint(bp)


def test_blueprints_and_iter_blueprints_order(app):
    a = Blueprint("a", __name__)
    b = Blueprint("b", __name__)
    c = Blueprint("c", __name__)
    a.register_blueprint(c)
    app.register_blueprint(a)
    app.register_blueprint(b)
    app.register_blueprint(c)
    assert list(app.blueprints) == ["a", "a.c", "b", "c"]
    assert list(app.iter_blueprints()) == [a, c, b, c]
    assert app.blueprints["a.c"] is c


def test_register_directly(app, client):
    bp = Blueprint("bp", __name__)
    bp.route("/")(lambda: "direct")
    bp.register(app, {"url_prefix": "/d"})
    assert client.get("/d/").data == b"direct"
    assert app.blueprints == {"bp": bp}


# -- setup finished -------------------------------------------------------------------

BP_FINISHED = (
    "The setup method '{}' can no longer be called on the blueprint 'bp'. It has already been registered at"
    " least once, any changes will not be applied consistently.\n"
    "Make sure all imports, decorators, functions, etc. needed to set up the blueprint are done before"
    " registering it."
)


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("route", lambda bp: bp.route("/y")),
        ("add_url_rule", lambda bp: bp.add_url_rule("/y", "y", lambda: "")),
        ("get", lambda bp: bp.get("/y")),
        ("before_request", lambda bp: bp.before_request(lambda: None)),
        ("after_request", lambda bp: bp.after_request(lambda r: r)),
        ("teardown_request", lambda bp: bp.teardown_request(lambda e: None)),
        ("errorhandler", lambda bp: bp.errorhandler(404)),
        ("register_error_handler", lambda bp: bp.register_error_handler(404, lambda e: "")),
        ("context_processor", lambda bp: bp.context_processor(lambda: {})),
        ("url_value_preprocessor", lambda bp: bp.url_value_preprocessor(lambda e, v: None)),
        ("url_defaults", lambda bp: bp.url_defaults(lambda e, v: None)),
        ("endpoint", lambda bp: bp.endpoint("e")),
        ("record", lambda bp: bp.record(lambda s: None)),
        ("record_once", lambda bp: bp.record_once(lambda s: None)),
        ("register_blueprint", lambda bp: bp.register_blueprint(Blueprint("x", __name__))),
        ("before_app_request", lambda bp: bp.before_app_request(lambda: None)),
        ("after_app_request", lambda bp: bp.after_app_request(lambda r: r)),
        ("teardown_app_request", lambda bp: bp.teardown_app_request(lambda e: None)),
        ("app_errorhandler", lambda bp: bp.app_errorhandler(404)),
        ("app_context_processor", lambda bp: bp.app_context_processor(lambda: {})),
        ("app_url_value_preprocessor", lambda bp: bp.app_url_value_preprocessor(lambda e, v: None)),
        ("app_url_defaults", lambda bp: bp.app_url_defaults(lambda e, v: None)),
        ("app_template_filter", lambda bp: bp.app_template_filter()),
        ("add_app_template_filter", lambda bp: bp.add_app_template_filter(str)),
        ("app_template_test", lambda bp: bp.app_template_test()),
        ("add_app_template_test", lambda bp: bp.add_app_template_test(bool)),
        ("app_template_global", lambda bp: bp.app_template_global()),
        ("add_app_template_global", lambda bp: bp.add_app_template_global(str)),
    ],
)
def test_setup_methods_refused_after_registration(app, method, call):
    bp = Blueprint("bp", __name__)
    bp.route("/x")(lambda: "x")
    app.register_blueprint(bp)
    with pytest.raises(AssertionError) as exc_info:
        call(bp)
    assert str(exc_info.value) == BP_FINISHED.format(method)


def test_register_blueprint_refused_after_first_request(app, client):
    app.route("/")(lambda: "x")
    client.get("/")
    with pytest.raises(AssertionError) as exc_info:
        app.register_blueprint(Blueprint("late", __name__))
    assert str(exc_info.value).startswith(
        "The setup method 'register_blueprint' can no longer be called on the application. It has already"
        " handled its first request"
    )


# -- nesting --------------------------------------------------------------------------


def test_nested_prefixes_subdomains_defaults():
    app = Flask("nested")
    app.config["SERVER_NAME"] = "ex.com"
    p = Blueprint("p", __name__, url_prefix="/p/", subdomain="api", url_defaults={"lang": "en"})
    c = Blueprint("c", __name__, url_prefix="/c", subdomain="v1", url_defaults={"x": 1})
    gc = Blueprint("gc", __name__)
    gc.route("/g")(lambda: "g")
    c.route("/")(lambda **kw: "c")
    c.add_url_rule("", "bare", lambda **kw: "c2")
    p.route("/<lang>/")(lambda lang: "p")
    c.register_blueprint(gc, url_prefix="/gg/")
    p.register_blueprint(c)
    app.register_blueprint(p)
    app.register_blueprint(p, name="p2", url_prefix="/q", subdomain="s", url_defaults={"z": 2})
    found = rules(app)
    del found["static"]
    assert found == {
        "p.c.<lambda>": ("/p/c/", "v1.api", {"x": 1}),
        "p.c.bare": ("/p/c", "v1.api", {"x": 1}),
        "p.c.gc.<lambda>": ("/p/c/gg/g", "v1.api", {}),
        "p.<lambda>": ("/p/<lang>/", "api", {"lang": "en"}),
        "p2.c.<lambda>": ("/q/c/", "v1.s", {"x": 1}),
        "p2.c.bare": ("/q/c", "v1.s", {"x": 1}),
        "p2.c.gc.<lambda>": ("/q/c/gg/g", "v1.s", {}),
        "p2.<lambda>": ("/q/<lang>/", "s", {"lang": "en", "z": 2}),
    }
    assert list(app.blueprints) == ["p", "p.c", "p.c.gc", "p2", "p2.c", "p2.c.gc"]


@pytest.mark.parametrize(
    ("parent_prefix", "child_prefix", "option_prefix", "expected"),
    [
        ("/parent", "/child", None, "/parent/child/x"),
        ("/parent/", "/child/", None, "/parent/child/x"),
        (None, "/child", None, "/child/x"),
        ("/parent", None, None, "/parent/x"),
        (None, None, None, "/x"),
        ("/parent", "/child", "/opt", "/parent/opt/x"),
        ("/parent", None, "opt", "/parent/opt/x"),
    ],
)
def test_nested_prefix_table(app, parent_prefix, child_prefix, option_prefix, expected):
    parent = Blueprint("parent", __name__, url_prefix=parent_prefix)
    child = Blueprint("child", __name__, url_prefix=child_prefix)
    child.route("/x")(lambda: "x")
    options = {"url_prefix": option_prefix} if option_prefix else {}
    parent.register_blueprint(child, **options)
    app.register_blueprint(parent)
    assert rules(app)["parent.child.<lambda>"][0] == expected
    assert app.test_client().get(expected).data == b"x"


@pytest.mark.parametrize(
    ("parent_sub", "child_sub", "option_sub", "expected"),
    [
        ("api", "v1", None, "v1.api"),
        ("api", None, None, "api"),
        (None, "v1", None, "v1"),
        (None, None, None, None),
        ("api", "v1", "v2", "v2.api"),
    ],
)
def test_nested_subdomain_table(parent_sub, child_sub, option_sub, expected):
    app = Flask("subs", subdomain_matching=True)
    app.config["SERVER_NAME"] = "ex.com"
    parent = Blueprint("parent", __name__, subdomain=parent_sub)
    child = Blueprint("child", __name__, subdomain=child_sub)
    child.route("/x")(lambda: request.host)
    options = {"subdomain": option_sub} if option_sub else {}
    parent.register_blueprint(child, **options)
    app.register_blueprint(parent)
    assert rules(app)["parent.child.<lambda>"][1] == (expected or "")
    host = f"{expected}.ex.com" if expected else "ex.com"
    assert app.test_client().get("/x", base_url=f"http://{host}").data == host.encode()


def test_nested_hook_order(app, client):
    calls = []

    def hooks(scaffold, name):
        scaffold.url_value_preprocessor(lambda e, v: calls.append(f"{name} uvp"))
        scaffold.before_request(lambda: calls.append(f"{name} before"))
        scaffold.before_request(lambda: calls.append(f"{name} before2"))
        scaffold.after_request(lambda r: calls.append(f"{name} after") or r)
        scaffold.after_request(lambda r: calls.append(f"{name} after2") or r)
        scaffold.teardown_request(lambda e: calls.append(f"{name} teardown"))
        scaffold.teardown_request(lambda e: calls.append(f"{name} teardown2"))

    outer = Blueprint("outer", __name__, url_prefix="/o")
    inner = Blueprint("inner", __name__, url_prefix="/i")
    hooks(app, "app")
    hooks(outer, "outer")
    hooks(inner, "inner")
    inner.route("/")(lambda: calls.append("view") or "ok")
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert client.get("/o/i/").data == b"ok"
    assert calls == [
        "app uvp", "outer uvp", "inner uvp",
        "app before", "app before2", "outer before", "outer before2", "inner before", "inner before2",
        "view",
        "inner after2", "inner after", "outer after2", "outer after", "app after2", "app after",
        "inner teardown2", "inner teardown", "outer teardown2", "outer teardown", "app teardown2", "app teardown",
    ]  # fmt: skip


def test_request_blueprint_and_blueprints(app, client):
    outer = Blueprint("outer", __name__)
    inner = Blueprint("inner", __name__)
    view = lambda: f"{request.blueprint} {request.blueprints}"  # noqa: E731
    inner.add_url_rule("/inner", "v", view)
    outer.add_url_rule("/outer", "v", view)
    app.add_url_rule("/", "v", view)
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert client.get("/").data == b"None []"
    assert client.get("/outer").data == b"outer ['outer']"
    assert client.get("/inner").data == b"outer.inner ['outer.inner', 'outer']"
    assert client.get("/missing").status_code == 404


def test_relative_url_for(app, client):
    outer = Blueprint("outer", __name__, url_prefix="/o")
    inner = Blueprint("inner", __name__, url_prefix="/i")

    @inner.route("/")
    def index():
        return " ".join([url_for(".index"), url_for(".other", n=2), url_for("outer.index"), url_for("index")])

    @inner.route("/other/<int:n>")
    def other(n):
        return ""

    @outer.route("/")
    def index():  # noqa: F811
        return url_for(".index") + " " + url_for(".inner.index")

    @app.route("/")
    def index():  # noqa: F811
        return url_for(".index") + " " + url_for("outer.inner.other", n=1, _external=True)

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert client.get("/o/i/").data == b"/o/i/ /o/i/other/2 /o/ /"
    assert client.get("/o/").data == b"/o/ /o/i/"
    assert client.get("/").data == b"/ http://localhost/o/i/other/1"


def test_nested_error_handlers(app, client):
    outer = Blueprint("outer", __name__, url_prefix="/o")
    inner = Blueprint("inner", __name__, url_prefix="/i")
    outer.errorhandler(LookupError)(lambda e: ("outer lookup", 500))
    inner.errorhandler(KeyError)(lambda e: ("inner key", 500))
    app.errorhandler(Exception)(lambda e: ("app exception", 500))
    inner.route("/key")(lambda: {}["x"])
    inner.add_url_rule("/index", "index", lambda: [][1])
    inner.add_url_rule("/value", "value", lambda: int("x"))
    outer.add_url_rule("/key", "key", lambda: {}["x"])
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    # The innermost blueprint first, then outwards, the application last;
    # for each, the most specific class of the exception.
    assert client.get("/o/i/key").data == b"inner key"
    assert client.get("/o/i/index").data == b"outer lookup"
    assert client.get("/o/i/value").data == b"app exception"
    assert client.get("/o/key").data == b"outer lookup"


def test_error_handler_codes_and_classes(app, client):
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    class Teapot(Exception):
        pass

    bp.errorhandler(404)(lambda e: ("bp 404", 404))
    bp.register_error_handler(Teapot, lambda e: ("bp teapot", 418))
    app.errorhandler(404)(lambda e: ("app 404", 404))
    app.errorhandler(Teapot)(lambda e: ("app teapot", 418))
    bp.route("/missing")(lambda: abort(404))

    def teapot():
        raise Teapot()

    bp.route("/tea")(teapot)
    app.route("/tea")(teapot)
    app.route("/missing")(lambda: abort(404))
    app.register_blueprint(bp)
    assert client.get("/bp/missing").data == b"bp 404"
    assert client.get("/bp/tea").data == b"bp teapot"
    assert client.get("/missing").data == b"app 404"
    assert client.get("/tea").data == b"app teapot"
    # Routing found nothing: no blueprint, the application's handler.
    assert client.get("/bp/nothing").data == b"app 404"


def test_error_handler_spec_copied_per_registration(app):
    bp = Blueprint("bp", __name__)
    handler = bp.errorhandler(404)(lambda e: "x")
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="two")
    assert app.error_handler_spec["bp"][404] == {NotFound: handler}
    assert app.error_handler_spec["two"][404] == {NotFound: handler}
    assert app.error_handler_spec["bp"] is not bp.error_handler_spec[None]
    app.error_handler_spec["bp"][404].clear()
    assert bp.error_handler_spec[None][404] == {NotFound: handler}


# -- static and template folders --------------------------------------------------------


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "hello.txt").write_text("hello static\n")
    (tmp_path / "app_templates").mkdir()
    (tmp_path / "app_templates" / "shared.html").write_text("app {{ x }}")
    (tmp_path / "bp_templates" / "bp").mkdir(parents=True)
    (tmp_path / "bp_templates" / "shared.html").write_text("bp {{ x }}")
    (tmp_path / "bp_templates" / "bp" / "page.html").write_text("page {{ x }} {{ url_for('.static', filename='a b.txt') }}")
    return tmp_path


def test_static_folder_route(folders):
    app = Flask("app", root_path=str(folders), static_folder=None)
    bp = Blueprint("bp", __name__, url_prefix="/bp", static_folder="static", root_path=str(folders))
    app.register_blueprint(bp)
    client = app.test_client()
    assert rules(app)["bp.static"][0] == "/bp/static/<path:filename>"
    response = client.get("/bp/static/hello.txt")
    assert (response.status_code, response.data, response.mimetype) == (200, b"hello static\n", "text/plain")
    assert response.headers["Cache-Control"] == "no-cache"
    response.close()
    assert client.get("/bp/static/nope.txt").status_code == 404
    assert client.get("/bp/static/../static/hello.txt").status_code == 404
    with app.test_request_context():
        assert url_for("bp.static", filename="hello.txt") == "/bp/static/hello.txt"


def test_static_max_age_from_config(folders):
    app = Flask("app", root_path=str(folders), static_folder=None)
    bp = Blueprint("bp", __name__, static_folder="static", static_url_path="/assets", root_path=str(folders))
    app.register_blueprint(bp)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(hours=1)
    response = app.test_client().get("/assets/hello.txt")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    response.close()
    with app.app_context():
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
        assert bp.get_send_file_max_age("x") == 60
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = None
        assert bp.get_send_file_max_age("x") is None


def test_send_static_file_needs_a_folder(app):
    with app.app_context():
        with pytest.raises(RuntimeError, match="'static_folder' must be set to serve static_files."):
            Blueprint("bp", __name__).send_static_file("x")


def test_no_static_route_without_folder(app):
    app.register_blueprint(Blueprint("bp", __name__))
    assert "bp.static" not in rules(app)


def test_templates_searched_after_the_application(folders):
    app = Flask("app", root_path=str(folders), template_folder="app_templates")
    bp = Blueprint(
        "bp", __name__, url_prefix="/bp", template_folder="bp_templates", static_folder="static", root_path=str(folders)
    )
    bp.add_url_rule("/shared", "shared", lambda: render_template("shared.html", x=1))
    bp.add_url_rule("/page", "page", lambda: render_template("bp/page.html", x=2))
    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/bp/shared").data == b"app 1"
    assert client.get("/bp/page").data == b"page 2 /bp/static/a%20b.txt"
    assert bp.jinja_loader is not None


def test_blueprint_template_used_when_the_app_has_none(folders):
    app = Flask("app", root_path=str(folders), template_folder=None)
    bp = Blueprint("bp", __name__, template_folder="bp_templates", root_path=str(folders))
    app.register_blueprint(bp)
    with app.app_context():
        assert render_template("shared.html", x=3) == "bp 3"


def test_open_resource(folders):
    bp = Blueprint("bp", __name__, root_path=str(folders))
    with bp.open_resource("static/hello.txt") as f:
        assert f.read() == b"hello static\n"
    with bp.open_resource("static/hello.txt", "r") as f:
        assert f.read() == "hello static\n"
    with pytest.raises(ValueError, match="Resources can only be opened for reading."):
        bp.open_resource("static/hello.txt", "w")


# -- async hooks ---------------------------------------------------------------------------


def test_async_hooks_and_views_in_blueprints(app, client):
    bp = Blueprint("bp", __name__)

    @bp.before_request
    async def before():
        g.value = "from before"

    @bp.route("/")
    async def index():
        return g.value

    @bp.after_request
    async def after(response):
        response.headers["X-Async"] = "yes"
        return response

    app.register_blueprint(bp)
    response = client.get("/")
    assert (response.data, response.headers["X-Async"]) == (b"from before", "yes")


# -- hook chains (precomputed per endpoint) --------------------------------------------


def test_hooks_added_between_test_requests_are_seen(app):
    bp = Blueprint("bp", __name__)
    bp.route("/")(lambda: "x")
    app.register_blueprint(bp)
    calls = []
    with app.test_request_context("/"):
        assert app.preprocess_request() is None
    app.before_request(lambda: calls.append("added later"))
    with app.test_request_context("/"):
        app.preprocess_request()
    assert calls == ["added later"]


def test_restarted_server_sees_a_changed_setup(app, client):
    app.route("/")(lambda: "x")
    calls = []
    client.get("/")
    app._got_first_request = False  # what app.run() does when the server stops
    app.before_request(lambda: calls.append("new hook"))
    client.get("/")
    assert calls == ["new hook"]


def test_many_blueprints(app, client):
    for i in range(300):
        bp = Blueprint(f"bp{i}", __name__, url_prefix=f"/bp{i}")
        bp.before_request(lambda i=i: setattr(g, "seen", i))
        bp.route("/")(lambda: str(g.seen))
        app.register_blueprint(bp)
    assert [client.get(f"/bp{i}/").data for i in (0, 150, 299)] == [b"0", b"150", b"299"]


# -- CLI group ------------------------------------------------------------------------------


def test_cli_group_is_made_on_first_use():
    from microflask.cli import AppGroup

    bp = Blueprint("bp", __name__)
    assert "_cli" not in bp.__dict__
    assert isinstance(bp.cli, AppGroup)
    assert bp.cli.name == "bp"
    assert bp.cli is bp.cli


class CliFlask(Flask):
    """An application with a CLI group (``app.cli``) for these tests."""

    def __init__(self, *args, **kwargs):
        from microflask.cli import AppGroup

        super().__init__(*args, **kwargs)
        self.cli = AppGroup(self.name)


@pytest.mark.parametrize(
    ("bp_group", "option", "expected_group", "nested_names"),
    [
        ("__default__", None, "bp", True),
        ("custom", None, "custom", True),
        ("custom", "opt", "opt", True),
        (None, None, None, False),
        ("__default__", "__none__", None, False),
    ],
)
def test_cli_commands_added_on_registration(tmp_path, bp_group, option, expected_group, nested_names):
    kwargs = {} if bp_group == "__default__" else {"cli_group": bp_group}
    bp = Blueprint("bp", __name__, **kwargs)

    @bp.cli.command("hello")
    def hello():
        pass

    app = CliFlask("cliapp", root_path=str(tmp_path))
    options = {} if option is None else {"cli_group": None if option == "__none__" else option}
    app.register_blueprint(bp, **options)
    if expected_group is None:
        assert "hello" in app.cli.commands
    else:
        assert app.cli.commands[expected_group] is bp.cli
        assert "hello" in bp.cli.commands
        assert bp.cli.name == expected_group


def test_cli_without_commands_adds_nothing(tmp_path):
    bp = Blueprint("bp", __name__)
    assert bp.cli.commands == {}
    app = CliFlask("cliapp", root_path=str(tmp_path))
    app.register_blueprint(bp)
    assert app.cli.commands == {}
