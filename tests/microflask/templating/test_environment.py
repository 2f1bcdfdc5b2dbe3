"""Environment and Template API: loading, caching, streaming, errors, policies."""

from __future__ import annotations

import io
import json
import os
import sys
import time
import traceback

import pytest

from microflask.markup import Markup
from microflask.templating import (
    ChoiceLoader,
    DictLoader,
    Environment,
    FileSystemLoader,
    FunctionLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplatesNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
    pass_environment,
    pass_eval_context,
)


def test_template_constructor_and_render_arguments() -> None:
    t = Template("Hello {{ name }}{{ x }}!")
    assert t.render(name="A") == "Hello A!"
    assert t.render({"name": "B"}, x=1) == "Hello B1!"
    t2 = Template("{{ 1 }}<% if 1 %>y<% endif %>{% x %}", block_start_string="<%", block_end_string="%>")
    assert t2.render() == "1y{% x %}"


def test_generate_and_stream() -> None:
    t = Environment().from_string("{% for i in range(6) %}{{ i }}{% endfor %}")
    assert "".join(t.generate()) == "012345"
    stream = t.stream()
    stream.enable_buffering(2)
    assert stream.buffered
    assert list(stream) == ["01", "23", "45"]
    with pytest.raises(ValueError):
        t.stream().enable_buffering(1)
    buf = io.StringIO()
    t.stream().dump(buf)
    assert buf.getvalue() == "012345"
    raw = io.BytesIO()
    t.stream().dump(raw, encoding="utf-8")
    assert raw.getvalue() == b"012345"


def test_stream_dump_to_path(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "out.txt")
    Environment().from_string("h\u00e9").stream().dump(path)
    with open(path, "rb") as f:
        assert f.read() == "h\u00e9".encode()


def test_get_template_errors_and_select() -> None:
    env = Environment(loader=DictLoader({"a": "A", "b": "B"}))
    with pytest.raises(TemplateNotFound) as info:
        env.get_template("nope")
    assert info.value.name == "nope" and str(info.value) == "nope"
    assert isinstance(info.value, LookupError)
    assert env.select_template(["nope", "b"]).render() == "B"
    with pytest.raises(TemplatesNotFound) as many:
        env.select_template(["n1", "n2"])
    assert str(many.value) == "none of the templates given were found: n1, n2"
    assert many.value.templates == ["n1", "n2"]
    with pytest.raises(TemplatesNotFound, match="empty list"):
        env.select_template([])
    assert env.get_or_select_template("a").render() == "A"
    assert env.get_or_select_template(["x", "a"]).render() == "A"
    t = env.get_template("a")
    assert env.get_or_select_template(t) is t
    assert env.list_templates() == ["a", "b"]
    assert env.list_templates(filter_func=lambda n: n == "b") == ["b"]


def test_cache_and_auto_reload() -> None:
    mapping = {"a": "one"}
    env = Environment(loader=DictLoader(mapping))
    first = env.get_template("a")
    assert env.get_template("a") is first
    mapping["a"] = "two"
    assert env.get_template("a").render() == "two"
    no_reload = Environment(loader=DictLoader(mapping), auto_reload=False)
    t = no_reload.get_template("a")
    mapping["a"] = "three"
    assert no_reload.get_template("a") is t
    uncached = Environment(loader=DictLoader(mapping), cache_size=0)
    assert uncached.get_template("a") is not uncached.get_template("a")


def test_lru_cache_size() -> None:
    env = Environment(loader=DictLoader({str(i): str(i) for i in range(5)}), cache_size=2)
    a = env.get_template("0")
    env.get_template("1")
    env.get_template("2")
    assert env.get_template("0") is not a
    assert len(env.cache) == 2  # type: ignore[arg-type]


def test_syntax_error_names_template_line_and_construct() -> None:
    env = Environment(loader=DictLoader({"page.html": "ok\n\n{% frobnicate %}"}))
    with pytest.raises(TemplateSyntaxError) as info:
        env.get_template("page.html")
    exc = info.value
    assert (exc.name, exc.lineno) == ("page.html", 3)
    assert "frobnicate" in exc.message
    # the traceback ends in a frame at the template line, as in Jinja2
    last = traceback.extract_tb(exc.__traceback__)[-1]
    assert (last.filename, last.lineno, last.name) == ("page.html", 3, "template")


@pytest.mark.parametrize(
    "source",
    [
        "{% macro m(class) %}{% endmacro %}",
        "{% macro m(_j_x) %}{% endmacro %}",
        "{% for x in y %}{% extends 'a' %}{% endfor %}",
    ],
)
def test_unsupported_constructs_fail_at_compile_time(source: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string(source)
    assert info.value.lineno == 1


def test_runtime_error_traceback_points_at_template(tmp_path: object) -> None:
    root = str(tmp_path)
    with open(os.path.join(root, "page.html"), "w") as f:
        f.write("line1\n{% for i in items %}\n{{ 1 / i }}\n{% endfor %}\n")
    env = Environment(loader=FileSystemLoader(root))
    with pytest.raises(ZeroDivisionError) as info:
        env.get_template("page.html").render(items=[1, 0])
    frames = traceback.extract_tb(info.value.__traceback__)
    template_frames = [f for f in frames if f.filename.endswith("page.html")]
    assert template_frames and template_frames[-1].lineno == 3
    assert template_frames[-1].line == "{{ 1 / i }}"


def test_undefined_error_message() -> None:
    env = Environment(undefined=StrictUndefined)
    with pytest.raises(UndefinedError, match="'missing_var' is undefined"):
        env.from_string("{{ missing_var }}").render()


def test_range_is_not_bounded() -> None:
    # as in Jinja2, only the sandbox caps range() (see test_sandbox.py)
    env = Environment()
    assert env.from_string("{{ range(100001)|length }}").render() == "100001"


def test_tojson_policies() -> None:
    env = Environment()
    env.policies["json.dumps_function"] = lambda obj, **kw: json.dumps(obj, **kw).upper()
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}
    assert env.from_string("{{ d|tojson }}").render(d={"b": "<", "a": 1}) == '{"B": "\\u003c", "A": 1}'


def test_custom_filters_tests_globals_and_pass_decorators() -> None:
    env = Environment(autoescape=True)
    env.filters["double"] = lambda v: v * 2
    env.tests["big"] = lambda v: v > 10
    env.globals["site"] = "S"

    @pass_context
    def ctx_name(context: object, value: str) -> str:
        return value + str(context["who"])  # type: ignore[index]

    @pass_eval_context
    def ae(eval_ctx: object, value: str) -> str:
        return f"{value}:{eval_ctx.autoescape}"  # type: ignore[attr-defined]

    @pass_environment
    def env_filter(environment: Environment, value: str) -> str:
        return f"{value}:{environment is env}"

    env.filters.update(ctx=ctx_name, ae=ae, envf=env_filter)

    @pass_context
    def greet(context: object) -> str:
        return "hi " + str(context["who"])  # type: ignore[index]

    env.globals["greet"] = greet
    t = env.from_string("{{ 4|double }} {{ 20 is big }} {{ site }} {{ 'a'|ctx }} {{ 'b'|ae }} {{ 'c'|envf }} {{ greet() }}")
    assert t.render(who="W") == "8 True S aW b:True c:True hi W"


def test_finalize_with_pass_context() -> None:
    @pass_context
    def finalize(context: object, value: object) -> object:
        return "" if value is None else value

    assert Environment(finalize=finalize).from_string("{{ none }}|{{ 1 }}").render() == "|1"


def test_module_and_macro_from_python() -> None:
    env = Environment(loader=DictLoader({"m": "{% set v = 1 %}{% macro hi(n) %}Hi {{ n }}{% endmacro %}body"}))
    module = env.get_template("m").module
    assert module.v == 1
    assert module.hi("x") == "Hi x"
    assert str(module) == "body"
    assert module.hi.name == "hi" and module.hi.arguments == ("n",)


def test_autoescape_callable_receives_name() -> None:
    seen = []

    def select(name: str | None) -> bool:
        seen.append(name)
        return bool(name and name.endswith(".html"))

    env = Environment(autoescape=select, loader=DictLoader({"a.html": "{{ x }}", "a.txt": "{{ x }}"}))
    assert env.get_template("a.html").render(x="<") == "&lt;"
    assert env.get_template("a.txt").render(x="<") == "<"
    assert "a.html" in seen and "a.txt" in seen


def test_markup_output_not_double_escaped() -> None:
    env = Environment(autoescape=True)
    assert env.from_string("{{ x }}").render(x=Markup("<b>")) == "<b>"


# -- loaders -------------------------------------------------------------------------------


@pytest.fixture()
def template_dirs(tmp_path: object) -> tuple[str, str]:
    one = os.path.join(str(tmp_path), "one")
    two = os.path.join(str(tmp_path), "two")
    os.makedirs(os.path.join(one, "sub"))
    os.makedirs(two)
    with open(os.path.join(one, "a.html"), "w") as f:
        f.write("A1")
    with open(os.path.join(one, "sub", "c.html"), "w") as f:
        f.write("C")
    with open(os.path.join(two, "a.html"), "w") as f:
        f.write("A2")
    with open(os.path.join(two, "b.html"), "w", encoding="latin-1") as f:
        f.write("B\u00e9")
    with open(os.path.join(str(tmp_path), "secret.txt"), "w") as f:
        f.write("secret")
    return one, two


def test_filesystem_loader(template_dirs: tuple[str, str]) -> None:
    one, two = template_dirs
    env = Environment(loader=FileSystemLoader([one, two]))
    assert env.get_template("a.html").render() == "A1"
    assert env.get_template("sub/c.html").render() == "C"
    assert env.get_template("./sub//c.html").render() == "C"
    assert env.list_templates() == ["a.html", "b.html", "sub/c.html"]
    assert env.list_templates(extensions=["html"]) == ["a.html", "b.html", "sub/c.html"]
    latin = Environment(loader=FileSystemLoader(two, encoding="latin-1"))
    assert latin.get_template("b.html").render() == "B\u00e9"
    assert latin.get_template("b.html").filename == os.path.normpath(os.path.join(two, "b.html"))


@pytest.mark.parametrize("name", ["../secret.txt", "sub/../../secret.txt", "..", "a/..", "x\x00y"])
def test_filesystem_loader_refuses_escapes(template_dirs: tuple[str, str], name: str) -> None:
    env = Environment(loader=FileSystemLoader(template_dirs[0]))
    with pytest.raises(TemplateNotFound):
        env.get_template(name)


def test_filesystem_loader_reloads_changed_file(template_dirs: tuple[str, str]) -> None:
    one, _ = template_dirs
    env = Environment(loader=FileSystemLoader(one))
    assert env.get_template("a.html").render() == "A1"
    path = os.path.join(one, "a.html")
    with open(path, "w") as f:
        f.write("changed")
    later = time.time() + 5
    os.utime(path, (later, later))
    assert env.get_template("a.html").render() == "changed"


def test_filesystem_loader_followlinks(template_dirs: tuple[str, str], tmp_path: object) -> None:
    one, two = template_dirs
    link_root = os.path.join(str(tmp_path), "links")
    os.makedirs(link_root)
    os.symlink(two, os.path.join(link_root, "linked"))
    assert FileSystemLoader(link_root).list_templates() == []
    assert FileSystemLoader(link_root, followlinks=True).list_templates() == ["linked/a.html", "linked/b.html"]


def test_package_loader() -> None:
    loader = PackageLoader("microflask", "templating")
    env = Environment(loader=loader)
    assert "lexer.py" in env.list_templates()
    source, filename, uptodate = loader.get_source(env, "nodes.py")
    assert "class Node" in source and filename.endswith("nodes.py") and uptodate is not None and uptodate()
    with pytest.raises(ValueError):
        PackageLoader("microflask", "no_such_dir")


def test_function_prefix_choice_loaders() -> None:
    def load(name: str) -> object:
        if name == "f":
            return "F"
        if name == "g":
            return ("G", "g.txt", lambda: True)
        return None

    env = Environment(loader=FunctionLoader(load))
    assert env.get_template("f").render() == "F"
    assert env.get_template("g").filename == "g.txt"
    with pytest.raises(TemplateNotFound):
        env.get_template("h")

    prefix = Environment(loader=PrefixLoader({"app": DictLoader({"x": "AX"}), "lib": DictLoader({"x": "LX"})}))
    assert prefix.get_template("lib/x").render() == "LX"
    assert sorted(prefix.list_templates()) == ["app/x", "lib/x"]
    with pytest.raises(TemplateNotFound) as info:
        prefix.get_template("lib/nope")
    assert info.value.name == "lib/nope"

    choice = Environment(loader=ChoiceLoader([DictLoader({"a": "1"}), DictLoader({"a": "2", "b": "3"})]))
    assert choice.get_template("a").render() == "1"
    assert choice.get_template("b").render() == "3"
    assert choice.list_templates() == ["a", "b"]
    source, filename, uptodate = choice.loader.get_source(choice, "b")  # type: ignore[union-attr]
    assert source == "3" and filename is None and uptodate is not None and uptodate()


def test_include_missing_template_name_in_error() -> None:
    env = Environment(loader=DictLoader({"main": "{% include 'gone.html' %}"}))
    with pytest.raises(TemplateNotFound) as info:
        env.get_template("main").render()
    assert info.value.name == "gone.html"


def test_unknown_filter_guarded_by_is_filter_is_deferred() -> None:
    env = Environment()
    source = "{% if 'nof' is filter %}{{ x|nof }}{% endif %}{% if 'upper' is filter %}{{ 'a'|upper }}{% endif %}ok"
    assert env.from_string(source).render() == "Aok"
    from microflask.templating.exceptions import TemplateRuntimeError

    with pytest.raises(TemplateRuntimeError, match="No filter named 'nof' found."):
        env.from_string("{% if 'nof' is not filter %}{{ x|nof }}{% endif %}").render()
    with pytest.raises(TemplateSyntaxError, match="No filter named 'nof'."):
        env.from_string("{{ x|nof }}")
