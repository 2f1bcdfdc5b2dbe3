"""The template engine inside an application: microflask.templating.flask_glue.

Expected outputs were checked once against Flask 3.1 in a shell.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

import microflask.templating as templating
from microflask import Flask
from microflask import flash
from microflask import g
from microflask import stream_with_context
from microflask.signals import before_render_template
from microflask.signals import template_rendered
from microflask.templating import FileSystemLoader
from microflask.templating import TemplateNotFound
from microflask.templating import TemplatesNotFound
from microflask.templating.flask_glue import _default_template_ctx_processor
from microflask.templating.flask_glue import DispatchingJinjaLoader
from microflask.templating.flask_glue import Environment
from microflask.templating.flask_glue import get_template_attribute
from microflask.templating.flask_glue import render_template
from microflask.templating.flask_glue import render_template_string
from microflask.templating.flask_glue import stream_template
from microflask.templating.flask_glue import stream_template_string
from microflask.templating.flask_glue import TemplatingAppMixin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# Until the lead adds the mixin to Flask's bases, tests add it themselves.
if issubclass(Flask, TemplatingAppMixin):
    App = Flask
else:
    App = type("App", (TemplatingAppMixin, Flask), {})


def write(root, name, text):
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def app(tmp_path):
    app = App("test_app", root_path=str(tmp_path))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    write(tmp_path, "hello.html", "Hi {{ name }}!")
    write(tmp_path, "hello.txt", "Hi {{ name }}!")
    write(tmp_path, "macros.html", "{% macro hello(n) %}Hello {{ n }}!{% endmacro %}{% set answer = 42 %}")
    write(tmp_path, "sub/page.html", "{% extends 'base.html' %}{% block body %}[{{ name }}]{% endblock %}")
    write(tmp_path, "base.html", "<body>{% block body %}{% endblock %}</body>")
    return app


# -- wiring ----------------------------------------------------------------------------


def test_jinja_env_is_cached_and_bound(app):
    env = app.jinja_env
    assert app.jinja_env is env
    assert isinstance(env, Environment)
    assert env.app is app
    assert isinstance(env.loader, DispatchingJinjaLoader)
    assert env.autoescape == app.select_jinja_autoescape
    assert app.jinja_environment is Environment
    assert app.jinja_options == {}


def test_env_globals(app):
    env = app.jinja_env
    assert env.globals["url_for"] == app.url_for
    assert env.globals["config"] is app.config
    assert env.globals["get_flashed_messages"] is templating.flask_glue.get_flashed_messages
    assert {"request", "session", "g"} <= set(env.globals)
    assert env.policies["json.dumps_function"] == app.json.dumps


def test_jinja_options_are_used(tmp_path):
    class Custom(App):
        jinja_options = {"trim_blocks": True, "variable_start_string": "[[", "variable_end_string": "]]"}

    app = Custom("custom", root_path=str(tmp_path))
    assert app.jinja_env.trim_blocks is True
    with app.app_context():
        assert render_template_string("[[ 1 + 1 ]]{% if 1 %}\nx{% endif %}") == "2x"


def test_jinja_loader(app, tmp_path):
    loader = app.jinja_loader
    assert isinstance(loader, FileSystemLoader)
    assert loader.searchpath == [os.path.join(str(tmp_path), "templates")]
    assert App("none", root_path=str(tmp_path), template_folder=None).jinja_loader is None


def test_default_context_processor_is_registered_first(app):
    @app.context_processor
    def extra():
        return {}

    assert app.template_context_processors[None] == [_default_template_ctx_processor, extra]


def test_engine_import_stays_light():
    code = (
        "import sys, microflask.templating as m\n"
        "assert 'microflask.templating.flask_glue' not in sys.modules\n"
        "assert 'microflask.globals' not in sys.modules\n"
        "m.render_template\n"
        "assert 'microflask.app' not in sys.modules\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert (out.returncode, out.stdout, out.stderr) == (0, "ok\n", "")


def test_lazy_package_exports():
    assert templating.render_template is render_template
    assert templating.render_template_string is render_template_string
    assert templating.stream_template is stream_template
    assert templating.stream_template_string is stream_template_string
    assert templating.get_template_attribute is get_template_attribute
    assert templating.DispatchingJinjaLoader is DispatchingJinjaLoader
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        templating.nope  # noqa: B018


# -- rendering -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "context", "expected"),
    [
        ("hello.html", {"name": "<b>"}, "Hi &lt;b&gt;!"),
        ("hello.txt", {"name": "<b>"}, "Hi <b>!"),
        ("sub/page.html", {"name": "&"}, "<body>[&amp;]</body>"),
        (["missing.html", "hello.html"], {"name": "x"}, "Hi x!"),
    ],
)
def test_render_template(app, name, context, expected):
    with app.app_context():
        assert render_template(name, **context) == expected


def test_render_template_from_a_view(app):
    @app.route("/<name>")
    def index(name):
        return render_template("hello.html", name=name)

    response = app.test_client().get("/a<b")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hi a&lt;b!"


def test_render_template_string_autoescapes(app):
    with app.app_context():
        assert render_template_string("{{ s }}|{{ s|safe }}", s="<i>") == "&lt;i&gt;|<i>"


def test_render_outside_app_context_fails():
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        render_template_string("x")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (None, True),
        ("a.html", True),
        ("a.htm", True),
        ("a.xml", True),
        ("a.xhtml", True),
        ("a.svg", True),
        ("dir/a.html", True),
        ("a.HTML", False),
        ("a.txt", False),
        ("a.js", False),
        ("html", False),
        ("a.html.j2", False),
        ("", False),
    ],
)
def test_select_jinja_autoescape(app, filename, expected):
    assert app.select_jinja_autoescape(filename) is expected


def test_autoescape_override_in_subclass(tmp_path):
    class NoEscape(App):
        def select_jinja_autoescape(self, filename):
            return False

    app = NoEscape("noescape", root_path=str(tmp_path))
    with app.app_context():
        assert render_template_string("{{ s }}", s="<i>") == "<i>"


# -- context -------------------------------------------------------------------------


def test_default_context(app):
    app.add_url_rule("/page", "page", lambda: "")
    source = (
        "{{ g.user }}|{{ request.path }}|{{ session.k }}|{{ config.SECRET_KEY }}"
        "|{{ url_for('page', q=1) }}|{{ get_flashed_messages() }}"
    )
    with app.test_request_context("/here"):
        g.user = "ann"
        from microflask import session

        session["k"] = "v"
        flash("hey")
        assert render_template_string(source) == "ann|/here|v|test key|/page?q=1|[&#39;hey&#39;]"


def test_default_context_processor_values(app):
    assert _default_template_ctx_processor() == {}
    with app.app_context():
        assert set(_default_template_ctx_processor()) == {"g"}
    with app.test_request_context() as ctx:
        values = _default_template_ctx_processor()
        assert set(values) == {"g", "request"}
        assert values["request"] is ctx.request


def test_app_context_only_has_no_request(app):
    with app.app_context():
        assert render_template_string("{{ g }}") == "&lt;microflask.g of &#39;test_app&#39;&gt;"
        with pytest.raises(RuntimeError, match="Working outside of request context"):
            render_template_string("{{ request.path }}")


def test_context_processors(app):
    calls = []

    @app.context_processor
    def one():
        calls.append("one")
        return {"a": 1, "b": 1}

    @app.context_processor
    def two():
        calls.append("two")
        return {"b": 2}

    with app.test_request_context():
        # Later processors win over earlier ones; render arguments win over all.
        assert render_template_string("{{ a }}{{ b }}") == "12"
        assert render_template_string("{{ a }}{{ b }}", a="x") == "x2"
    assert calls == ["one", "two", "one", "two"]


def test_async_context_processor(app):
    @app.context_processor
    async def later():
        return {"v": "async"}

    with app.test_request_context():
        assert render_template_string("{{ v }}") == "async"


def test_update_template_context_keeps_given_values(app):
    @app.context_processor
    def proc():
        return {"g": 7, "z": 1}

    with app.test_request_context() as ctx:
        context = {"z": 5}
        app.update_template_context(context)
        assert context == {"z": 5, "g": 7, "request": ctx.request}


# -- streaming -----------------------------------------------------------------------


def test_stream_template_in_a_view(app, tmp_path):
    write(tmp_path, "who.html", "{{ g.who }} at {{ request.path }}")

    @app.route("/")
    def index():
        return app.response_class(stream_template("who.html"))

    @app.before_request
    def set_who():
        g.who = "streamer"

    response = app.test_client().get("/")
    assert response.get_data(as_text=True) == "streamer at /"


def test_stream_template_string_keeps_request_context(app):
    @app.route("/s")
    def index():
        return app.response_class(stream_template_string("{{ request.path }}/{{ request.args.q }}"))

    assert app.test_client().get("/s?q=%3C").get_data(as_text=True) == "/s/&lt;"


def test_stream_with_context_around_render(app):
    @app.route("/w")
    def index():
        def generate():
            yield render_template("hello.html", name=g.get("x", "late"))

        return app.response_class(stream_with_context(generate()))

    assert app.test_client().get("/w").get_data(as_text=True) == "Hi late!"


def test_stream_template_outside_request(app):
    with app.app_context():
        parts = stream_template("hello.html", name="<")
        assert not isinstance(parts, str)
        assert "".join(parts) == "Hi &lt;!"


# -- filters, tests, globals -----------------------------------------------------------------


def test_template_filter_decorators(app):
    @app.template_filter()
    def reverse_it(s):
        return s[::-1]

    @app.template_filter("shout")
    def upper(s):
        return s.upper()

    @app.template_filter
    def bare(s):
        return f"<{s}>"

    assert reverse_it("ab") == "ba"
    assert bare("x") == "<x>"
    with app.app_context():
        assert render_template_string("{{ 'abc'|reverse_it }} {{ 'a'|shout }} {{ 'b'|bare }}") == "cba A &lt;b&gt;"


def test_add_template_filter(app):
    def rev(s):
        return s[::-1]

    app.add_template_filter(rev)
    app.add_template_filter(rev, "r2")
    assert app.jinja_env.filters["rev"] is rev
    assert app.jinja_env.filters["r2"] is rev


def test_template_test_decorators(app):
    @app.template_test()
    def boolean(value):
        return isinstance(value, bool)

    @app.template_test("odd2")
    def is_odd(n):
        return n % 2 == 1

    app.add_template_test(lambda n: n == 0, "zero")
    with app.app_context():
        out = render_template_string(
            "{{ True is boolean }}{{ 1 is boolean }}{{ 3 is odd2 }}{{ 2 is odd2 }}{{ 0 is zero }}"
        )
    assert out == "TrueFalseTrueFalseTrue"


def test_template_global_decorators(app):
    @app.template_global()
    def answer():
        return 42

    @app.template_global("double")
    def twice(n):
        return n * 2

    app.add_template_global(lambda: "hi", "greet")
    with app.app_context():
        assert render_template_string("{{ answer() }} {{ double(4) }} {{ greet() }}") == "42 8 hi"


def test_setup_methods_refused_after_first_request(app):
    app.add_url_rule("/", "i", lambda: "")
    app.test_client().get("/")
    with pytest.raises(AssertionError, match="The setup method 'add_template_filter' can no longer be called"):
        app.add_template_filter(str.upper)
    with pytest.raises(AssertionError, match="'template_global' can no longer"):
        app.template_global()


# -- auto reload ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "debug", "expected"),
    [
        (None, False, False),
        (None, True, True),
        (True, False, True),
        (False, True, False),
    ],
)
def test_templates_auto_reload_setting(app, config, debug, expected):
    app.config["TEMPLATES_AUTO_RELOAD"] = config
    app.config["DEBUG"] = debug
    assert app.templates_auto_reload is expected
    assert app.jinja_env.auto_reload is expected


def test_auto_reload_follows_debug_however_enabled(app):
    env = app.jinja_env
    assert env.auto_reload is False
    app.debug = True
    assert env.auto_reload is True
    app.config["DEBUG"] = False
    assert env.auto_reload is False
    app.templates_auto_reload = True
    assert app.config["TEMPLATES_AUTO_RELOAD"] is True
    assert env.auto_reload is True
    env.auto_reload = False  # an explicit value sticks
    assert env.auto_reload is False


def _rewrite(path, text):
    # A different mtime even on filesystems with coarse timestamps.
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, (stat.st_atime, stat.st_mtime + 10))


@pytest.mark.parametrize(("reload", "expected"), [(True, "new"), (False, "old")])
def test_auto_reload_rereads_changed_templates(app, tmp_path, reload, expected):
    path = write(tmp_path, "changing.html", "old")
    app.config["TEMPLATES_AUTO_RELOAD"] = reload
    with app.app_context():
        assert render_template("changing.html") == "old"
        _rewrite(path, "new")
        assert render_template("changing.html") == expected


def test_auto_reload_in_debug_mode(app, tmp_path):
    path = write(tmp_path, "changing.html", "old")
    app.debug = True
    with app.app_context():
        assert render_template("changing.html") == "old"
        _rewrite(path, "new")
        assert render_template("changing.html") == "new"


# -- signals ---------------------------------------------------------------------------------


def test_signals_sent_with_template_and_context(app):
    recorded = []

    def before(sender, **kwargs):
        recorded.append(("before", sender, sorted(kwargs), kwargs["template"].name, dict(kwargs["context"])))

    def after(sender, **kwargs):
        recorded.append(("after", sender, sorted(kwargs), kwargs["template"].name, kwargs["context"]["name"]))

    with before_render_template.connected_to(before, app), template_rendered.connected_to(after, app):
        with app.test_request_context() as ctx:
            app_g = g._get_current_object()
            render_template("hello.html", name="x")
            render_template_string("s", name="y")
    assert recorded == [
        ("before", app, ["context", "template"], "hello.html", {"name": "x", "g": app_g, "request": ctx.request}),
        ("after", app, ["context", "template"], "hello.html", "x"),
        ("before", app, ["context", "template"], None, {"name": "y", "g": app_g, "request": ctx.request}),
        ("after", app, ["context", "template"], None, "y"),
    ]


def test_stream_signals(app):
    events = []

    def before(sender, template, context):
        events.append("before")

    def after(sender, template, context):
        events.append("after")

    with before_render_template.connected_to(before, app), template_rendered.connected_to(after, app):
        with app.app_context():
            parts = stream_template("hello.html", name="z")
            assert events == ["before"]
            assert "".join(parts) == "Hi z!"
    assert events == ["before", "after"]


def test_signal_sender_filter(app, tmp_path):
    other = App("other", root_path=str(tmp_path))
    seen = []
    with template_rendered.connected_to(lambda sender, **kw: seen.append(sender), other):
        with app.app_context():
            render_template_string("x")
        with other.app_context():
            render_template_string("x")
    assert seen == [other]


# -- get_template_attribute -------------------------------------------------------------------


def test_get_template_attribute(app):
    with app.app_context():
        hello = get_template_attribute("macros.html", "hello")
        assert hello("<W>") == "Hello &lt;W&gt;!"
        assert get_template_attribute("macros.html", "answer") == 42
        with pytest.raises(AttributeError):
            get_template_attribute("macros.html", "nope")


# -- errors ------------------------------------------------------------------------------------


def test_template_not_found_names_the_template(app):
    with app.app_context():
        with pytest.raises(TemplateNotFound) as info:
            render_template("missing.html")
        assert info.value.name == "missing.html"
        assert str(info.value) == "missing.html"
        with pytest.raises(TemplatesNotFound) as info_many:
            render_template(["a.html", "b.html"])
        assert str(info_many.value) == "none of the templates given were found: a.html, b.html"


@pytest.mark.parametrize("name", ["../secret.html", "sub/../../x.html", "a\x00.html", "/etc/passwd"])
def test_traversal_is_not_found(app, tmp_path, name):
    (tmp_path / "secret.html").write_text("secret")
    with app.app_context():
        with pytest.raises(TemplateNotFound):
            render_template(name)


def test_template_not_found_is_a_500(app, log_records):
    app.config["TESTING"] = False
    errors = log_records

    @app.route("/")
    def index():
        return render_template("missing.html")

    response = app.test_client().get("/")
    assert response.status_code == 500
    assert any("missing.html" in str(record.exc_info[1]) for record in errors if record.exc_info)


def test_template_not_found_propagates_when_testing(app):
    @app.route("/")
    def index():
        return render_template("missing.html")

    with pytest.raises(TemplateNotFound, match="missing.html"):
        app.test_client().get("/")


# -- loader ----------------------------------------------------------------------------------


class _ListHandler(logging.Handler):
    def __init__(self, records):
        super().__init__()
        self.records = records

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def log_records(app):
    """The application logger's records at INFO and above, during the test only."""
    records = []
    handler = _ListHandler(records)
    logger = app.logger
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


class _Blueprint:
    """The attributes the loader reads from a blueprint (blueprints come later)."""

    def __init__(self, name, root_path, template_folder):
        self.name = name
        self.import_name = "bp_module"
        self.root_path = root_path
        self.template_folder = template_folder


def _with_blueprints(app, *blueprints):
    app.iter_blueprints = lambda: list(blueprints)


def test_blueprint_folders_are_searched_after_the_app(app, tmp_path):
    (tmp_path / "bpt").mkdir()
    (tmp_path / "bpt" / "hello.html").write_text("from blueprint")
    (tmp_path / "bpt" / "only_bp.html").write_text("only {{ 1 }}")
    _with_blueprints(app, _Blueprint("nofolder", str(tmp_path), None), _Blueprint("bp", str(tmp_path), "bpt"))
    with app.app_context():
        assert render_template("hello.html", name="app") == "Hi app!"
        assert render_template("only_bp.html") == "only 1"
    assert app.jinja_env.list_templates() == [
        "base.html", "hello.html", "hello.txt", "macros.html", "only_bp.html", "sub/page.html",
    ]  # fmt: skip


def test_explain_template_loading(app, tmp_path, log_records):
    (tmp_path / "bpt").mkdir()
    (tmp_path / "bpt" / "hello.html").write_text("bp")
    _with_blueprints(app, _Blueprint("bp", str(tmp_path), "bpt"))
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    records = log_records
    templates = os.path.join(str(tmp_path), "templates")
    bpt = os.path.join(str(tmp_path), "bpt")
    with app.app_context():
        assert render_template("hello.html", name="n") == "Hi n!"
        with pytest.raises(TemplateNotFound):
            render_template("zz.html")
    assert [r.levelname for r in records] == ["INFO", "INFO"]
    assert records[0].getMessage() == (
        "Locating template 'hello.html':\n"
        "    1: trying loader of application 'test_app'\n"
        "       class: microflask.templating.loaders.FileSystemLoader\n"
        "       encoding: 'utf-8'\n"
        "       followlinks: False\n"
        "       searchpath:\n"
        f"         - {templates}\n"
        f"       -> found ({os.path.join(templates, 'hello.html')!r})\n"
        "    2: trying loader of blueprint 'bp' (bp_module)\n"
        "       class: microflask.templating.loaders.FileSystemLoader\n"
        "       encoding: 'utf-8'\n"
        "       followlinks: False\n"
        "       searchpath:\n"
        f"         - {bpt}\n"
        f"       -> found ({os.path.join(bpt, 'hello.html')!r})\n"
        "Warning: multiple loaders returned a match for the template."
    )
    assert records[1].getMessage().endswith("       -> no match\nError: the template could not be found.")


@pytest.mark.parametrize(("endpoint", "hint"), [("plain", False), ("bp.view", True)])
def test_explain_template_loading_blueprint_hint(app, log_records, endpoint, hint):
    app.add_url_rule("/v", endpoint, lambda: "")
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    with app.test_request_context("/v"):
        with pytest.raises(TemplateNotFound):
            render_template("zz.html")
    message = log_records[0].getMessage()
    expected_hint = (
        "Error: the template could not be found.\n"
        "  The template was looked up from an endpoint that belongs to the blueprint 'bp'.\n"
        "  Maybe you did not place a template in the right folder?\n"
        "  See https://flask.palletsprojects.com/blueprints/#templates"
    )
    assert message.endswith(expected_hint) is hint
    assert message.endswith("Error: the template could not be found.") is not hint


def test_explain_with_a_string_loader(tmp_path):
    from microflask.templating import DictLoader

    class DictApp(App):
        jinja_loader = DictLoader({"a": "x"})

    app = DictApp("dictapp", root_path=str(tmp_path))
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    records = []
    handler = _ListHandler(records)
    app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)
    try:
        with app.app_context():
            assert render_template("a") == "x"
    finally:
        app.logger.removeHandler(handler)
        app.logger.setLevel(logging.NOTSET)
    assert records[0].getMessage() == (
        "Locating template 'a':\n"
        "    1: trying loader of application 'dictapp'\n"
        "       class: microflask.templating.loaders.DictLoader\n"
        "       -> found ('<string>')"
    )


def test_no_template_folder(tmp_path):
    app = App("bare", root_path=str(tmp_path), template_folder=None)
    with app.app_context():
        with pytest.raises(TemplateNotFound):
            render_template("hello.html")
        assert render_template_string("ok") == "ok"
    assert app.jinja_env.list_templates() == []
