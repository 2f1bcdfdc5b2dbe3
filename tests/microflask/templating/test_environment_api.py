"""Environment API: overlay, context_class, pickling, line numbers."""

from __future__ import annotations

import pickle
import typing as t

import pytest

from microflask.templating import Context, DictLoader, Environment, Template
from microflask.templating.sandbox import SandboxedEnvironment


def _overlay_facts(module: t.Any) -> tuple[t.Any, ...]:
    env = module.Environment(loader=module.DictLoader({"a": "x{{ y }}"}))
    overlay = env.overlay(autoescape=True)
    return (
        overlay.overlayed, env.overlayed, overlay.linked_to is env, overlay.cache is env.cache,
        overlay.filters is env.filters, overlay.tests is env.tests, overlay.globals is env.globals,
        overlay.loader is env.loader, overlay.get_template("a").render(y="<"), env.get_template("a").render(y="<"),
        env.overlay(cache_size=0).cache,
    )  # fmt: skip


EXPECTED_OVERLAY = (True, False, True, False, True, True, True, True, "x&lt;", "x<", None)


def test_overlay() -> None:
    from microflask import templating

    assert _overlay_facts(templating) == EXPECTED_OVERLAY


def test_overlay_matches_jinja2() -> None:
    jinja2 = pytest.importorskip("jinja2")
    assert _overlay_facts(jinja2) == EXPECTED_OVERLAY


def test_overlay_options() -> None:
    env = Environment()
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        env.overlay(foo=1)
    with pytest.raises(ValueError, match="newline_sequence"):
        env.overlay(newline_sequence="x")
    overlay = env.overlay(enable_async=True, trim_blocks=True, variable_start_string="[[", variable_end_string="]]")
    assert overlay.is_async and not env.is_async
    assert overlay.from_string("[[ 1 ]]{% if 1 %}\nx{% endif %}").render() == "1x"
    assert env.from_string("{{ 1 }}").render() == "1"
    sandboxed = SandboxedEnvironment().overlay(autoescape=True)
    assert type(sandboxed) is SandboxedEnvironment and sandboxed.sandboxed


class _MagicContext(Context):
    def resolve_or_missing(self, key: str) -> t.Any:
        if key == "magic":
            return 42
        return super().resolve_or_missing(key)


def test_context_class_resolve_or_missing() -> None:
    env = Environment(loader=DictLoader({"inc": "[{{ magic }}]"}))
    env.context_class = _MagicContext
    source = "{{ magic }}|{% for i in [1] %}{{ magic }}{% endfor %}|{{ other }}|{% include 'inc' %}|{% block b %}{{ magic }}{% endblock %}"
    assert env.from_string(source).render(other=1) == "42|42|1|[42]|42"
    assert type(env.from_string("").new_context()) is _MagicContext
    jinja2 = pytest.importorskip("jinja2")
    from jinja2.runtime import Context as JinjaContext

    class JinjaMagic(JinjaContext):
        def resolve_or_missing(self, key: str) -> t.Any:
            if key == "magic":
                return 42
            return super().resolve_or_missing(key)

    theirs = jinja2.Environment(loader=jinja2.DictLoader({"inc": "[{{ magic }}]"}))
    theirs.context_class = JinjaMagic
    assert theirs.from_string(source).render(other=1) == "42|42|1|[42]|42"


@pytest.mark.parametrize("factory", [lambda: Environment(autoescape=True, loader=DictLoader({"a": "<{{ x }}>"})), lambda: SandboxedEnvironment(loader=DictLoader({"a": "<{{ x }}>"}))])
def test_environment_pickles(factory: t.Callable[[], Environment]) -> None:
    env = factory()
    copy = pickle.loads(pickle.dumps(env))
    assert type(copy) is type(env)
    assert copy.get_template("a").render(x="&") == env.get_template("a").render(x="&")


def test_corresponding_lineno() -> None:
    template = Environment().from_string("a\n{{ x }}\n{% for i in y %}{{ i }}{% endfor %}")
    source = Environment().compile("a\n{{ x }}\n{% for i in y %}{{ i }}{% endfor %}", raw=True).splitlines()
    for code_line, text in enumerate(source, 1):
        if "for l_" in text:
            assert template.get_corresponding_lineno(code_line) == 3
    assert template.get_corresponding_lineno(1) == 1
    assert template.get_corresponding_lineno(10_000) == 3
    assert [line for line, _ in template.debug_info] == [2, 3]
    assert isinstance(template, Template)
