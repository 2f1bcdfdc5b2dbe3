"""Template engine scenarios: rendering a realistic page and compiling templates.

Peer: Jinja2, with the same templates and data in the same run.
"""

from __future__ import annotations

import typing as t

from benchmarks._harness import Comparison, scenario, try_import

BASE = """<!doctype html>
<html>
<head><title>{% block title %}Site{% endblock %}</title></head>
<body>
  <nav>{% for link in nav %}<a href="{{ link.href }}">{{ link.caption|title }}</a>{% endfor %}</nav>
  <main>{% block content %}{% endblock %}</main>
  <footer>{% block footer %}&copy; {{ year }}{% endblock %}</footer>
</body>
</html>
"""

PAGE = """{% extends "base.html" %}
{% macro row(item, index) -%}
  <tr class="{{ 'odd' if index is odd else 'even' }}">
    <td>{{ index }}</td>
    <td><a href="/items/{{ item.id }}">{{ item.name }}</a></td>
    <td>{{ item.description|truncate(40) }}</td>
    <td>{{ '%.2f'|format(item.price) }}</td>
    <td>{{ item.tags|join(', ') }}</td>
  </tr>
{%- endmacro %}
{% block title %}{{ title|upper }} - {{ super() }}{% endblock %}
{% block content %}
  <h1>{{ title }}</h1>
  {% if user %}<p>Hello, {{ user.name }}!</p>{% endif %}
  <table>
  {% for item in items %}
    {{ row(item, loop.index) }}
  {% else %}
    <tr><td>No items</td></tr>
  {% endfor %}
  </table>
  <p>{{ items|length }} items, total {{ items|sum(attribute='price')|round(2) }}</p>
{% endblock %}
"""

ITEMS = [
    {
        "id": i,
        "name": f"Item <{i}> & co",
        "description": "A fairly long description of the item that needs truncating " * 2,
        "price": i * 1.25,
        "tags": ["red", "green", f"t{i % 7}"],
    }
    for i in range(300)
]
CONTEXT: dict[str, t.Any] = {
    "title": "Catalogue",
    "user": {"name": "Ann <admin>"},
    "items": ITEMS,
    "nav": [{"href": f"/section/{i}", "caption": f"section {i}"} for i in range(8)],
    "year": 2025,
}


def _environment(module: t.Any, templates: dict[str, str]) -> t.Any:
    return module.Environment(loader=module.DictLoader(templates), autoescape=True)


@scenario("templates.render_page")
def render_page() -> Comparison:
    from microflask import templating

    jinja2 = try_import("jinja2")
    templates = {"base.html": BASE, "page.html": PAGE}
    ours = _environment(templating, templates).get_template("page.html")
    peer = _environment(jinja2, templates).get_template("page.html") if jinja2 else None
    if peer is not None:
        assert ours.render(CONTEXT) == peer.render(CONTEXT), "outputs differ"
    return Comparison(
        ours=lambda: ours.render(CONTEXT),
        peer=(lambda: peer.render(CONTEXT)) if peer is not None else None,
        peer_name="jinja2",
        unit="render",
        target=1.0,
    )


@scenario("templates.compile_50")
def compile_templates() -> Comparison:
    from microflask import templating

    jinja2 = try_import("jinja2")
    sources = [PAGE.replace("Catalogue", f"Catalogue {i}") for i in range(50)]

    def compile_all(module: t.Any) -> None:
        env = module.Environment(autoescape=True, loader=module.DictLoader({"base.html": BASE}))
        for source in sources:
            env.from_string(source)

    return Comparison(
        ours=lambda: compile_all(templating),
        peer=(lambda: compile_all(jinja2)) if jinja2 else None,
        peer_name="jinja2",
        unit="50 compiles",
        target=1.0,
    )


@scenario("templates.render_page_sandboxed")
def render_page_sandboxed() -> Comparison:
    """The same page in a ``SandboxedEnvironment`` (untrusted templates)."""
    from microflask.templating import sandbox

    jinja_sandbox = try_import("jinja2.sandbox")
    templates = {"base.html": BASE, "page.html": PAGE}

    def page(module: t.Any, loaders: t.Any) -> t.Any:
        env = module.SandboxedEnvironment(loader=loaders.DictLoader(templates), autoescape=True)
        return env.get_template("page.html")

    from microflask import templating

    ours = page(sandbox, templating)
    peer = page(jinja_sandbox, try_import("jinja2")) if jinja_sandbox else None
    if peer is not None:
        assert ours.render(CONTEXT) == peer.render(CONTEXT), "outputs differ"
    return Comparison(
        ours=lambda: ours.render(CONTEXT),
        peer=(lambda: peer.render(CONTEXT)) if peer is not None else None,
        peer_name="jinja2",
        unit="render",
        target=1.3,
    )


def _complete(coro: t.Any) -> t.Any:
    """Run a coroutine that never waits for I/O to its result, without an event loop."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("the coroutine waited for I/O")


@scenario("templates.render_page_async")
def render_page_async() -> Comparison:
    """The same page with ``enable_async=True``, through ``render_async``.

    The coroutine is driven directly (it waits for nothing), so the figure is
    the engines' async rendering, not event loop overhead.
    """
    from microflask import templating

    jinja2 = try_import("jinja2")
    templates = {"base.html": BASE, "page.html": PAGE}

    def page(module: t.Any) -> t.Any:
        env = module.Environment(loader=module.DictLoader(templates), autoescape=True, enable_async=True)
        return env.get_template("page.html")

    ours = page(templating)
    peer = page(jinja2) if jinja2 else None
    if peer is not None:
        assert _complete(ours.render_async(CONTEXT)) == _complete(peer.render_async(CONTEXT)), "outputs differ"
    return Comparison(
        ours=lambda: _complete(ours.render_async(CONTEXT)),
        peer=(lambda: _complete(peer.render_async(CONTEXT))) if peer is not None else None,
        peer_name="jinja2",
        unit="render",
        target=1.0,
    )
