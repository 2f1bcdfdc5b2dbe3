"""The direct ``loop`` access fast path (issue 18) answers as the general path.

Compiled templates read ``loop.index``/``index0``/``first``/``depth``/``depth0``
and call ``loop.cycle(...)`` straight on a LoopContext; anything else goes
through ``environment.getattr`` and ``Context.call``. The fast path is off for
an environment class or instance with its own ``getattr``, a context class
with its own ``call``, a sandbox, and async mode.
"""

from __future__ import annotations

import typing as t

import pytest

from microflask.templating import DictLoader, Environment
from microflask.templating.exceptions import UndefinedError
from microflask.templating.runtime import Context
from microflask.templating.sandbox import SandboxedEnvironment


class GeneralPathEnvironment(Environment):
    """Its own ``getattr`` (doing the same): templates take the general path."""

    def getattr(self, obj: t.Any, attribute: str) -> t.Any:
        return super().getattr(obj, attribute)


class Cycler:
    def cycle(self, *items: t.Any) -> str:
        return "custom:" + "/".join(map(str, items))


MACROS = """{% macro row(item, loop) -%}
<tr class="{{ loop.cycle('odd', 'even') }}">{{ loop.index }}:{{ loop.index0 }}:{{ loop.first }}:{{ item }}</tr>
{%- endmacro %}"""

TEMPLATES = [
    "{% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}",
    "{% for x in items %}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}",
    "{% from 'macros.html' import row %}{% for x in items %}{{ row(x, loop) }}{% endfor %}",
    # a for body with ``set`` variables and a call: the ``_j_call_lv`` general path
    "{% for x in items %}{% set y = x * 2 %}{{ loop.cycle(y, x) }}{{ fmt(y) }}{% endfor %}",
    # not a LoopContext: the general path (item, attribute, undefined)
    "{% set loop = {'index': 'dict-index', 'cycle': none} %}{{ loop.index }}|{{ loop.first }}",
    "{{ cycler.cycle(1, 2) }}|{{ cycler.index }}",
    "{% with loop = cycler %}{{ loop.cycle('x') }}{{ loop.index }}{% endwith %}",
    "{% for x in items %}{% set loop = cycler %}{{ loop.cycle('s') }}{% endfor %}",
    # nested and recursive loops
    "{% for x in items %}{% for y in items %}{{ loop.index }}.{{ loop.cycle('p', 'q') }} {% endfor %}{% endfor %}",
    "{% for n in tree recursive %}{{ loop.depth }}{{ loop.depth0 }}{{ loop.cycle('r', 's') }}"
    "{% if n.children %}[{{ loop(n.children) }}]{% endif %}{% endfor %}",
    "{% for x in items %}{{ (loop).cycle(*['u', 'v']) }}{{ loop.cycle(*items) }}{% endfor %}",
]

CONTEXT = {
    "items": [1, 2, 3],
    "cycler": Cycler(),
    "fmt": lambda value: f"<{value}>",
    "tree": [{"children": [{"children": []}, {"children": [{"children": []}]}]}, {"children": []}],
}


def _environment(cls: type[Environment], **options: t.Any) -> Environment:
    return cls(loader=DictLoader({"macros.html": MACROS}), autoescape=True, **options)


@pytest.mark.parametrize("source", TEMPLATES)
def test_fast_path_renders_as_the_general_path(source: str) -> None:
    fast = _environment(Environment)
    general = _environment(GeneralPathEnvironment)
    assert fast.from_string(source).render(CONTEXT) == general.from_string(source).render(CONTEXT)


def test_the_fast_path_is_taken_only_with_the_stock_lookups() -> None:
    source = "{% for x in items %}{{ loop.index }}{{ loop.cycle(1, 2) }}{% endfor %}"
    assert "_j_LoopContext else" in _environment(Environment).compile(source, raw=True)
    assert "_j_LoopContext else" not in _environment(GeneralPathEnvironment).compile(source, raw=True)
    assert "_j_LoopContext else" not in _environment(SandboxedEnvironment).compile(source, raw=True)
    assert "_j_LoopContext else" not in _environment(Environment, enable_async=True).compile(source, raw=True)


def test_an_instance_getattr_is_honoured() -> None:
    seen: list[str] = []
    env = _environment(Environment)
    stock = env.getattr

    def getattr_(obj: t.Any, attribute: str) -> t.Any:
        seen.append(attribute)
        return stock(obj, attribute)

    env.getattr = getattr_  # type: ignore[method-assign]  # the instance override under test
    assert env.from_string("{% for x in items %}{{ loop.index }}{% endfor %}").render(CONTEXT) == "123"
    assert seen == ["index", "index", "index"]


def test_a_context_class_call_is_honoured() -> None:
    calls: list[t.Any] = []

    class RecordingContext(Context):
        def call(__self, __obj: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # noqa: N805
            calls.append(args)
            return super().call(__obj, *args, **kwargs)

    env = _environment(Environment)
    env.context_class = RecordingContext
    assert env.from_string("{% for x in items %}{{ loop.cycle('a', 'b') }}{% endfor %}").render(CONTEXT) == "aba"
    assert calls == [("a", "b")] * 3


def test_errors_are_the_general_paths() -> None:
    for cls in (Environment, GeneralPathEnvironment):
        env = _environment(cls)
        with pytest.raises(TypeError, match="no items for cycling given"):
            env.from_string("{% for x in items %}{{ loop.cycle() }}{% endfor %}").render(CONTEXT)
        with pytest.raises(UndefinedError):
            env.from_string("{{ loop.cycle(1) }}").render(CONTEXT)
