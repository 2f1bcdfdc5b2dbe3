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


def _render_comparison(ours: t.Any, peer: t.Any, context: dict[str, t.Any], unit: str, target: float) -> Comparison:
    """Render ``ours`` against Jinja2's ``peer`` template (``None`` when Jinja2
    is missing), after checking both give the same output."""
    if peer is not None:
        assert ours.render(context) == peer.render(context), "outputs differ"
    return Comparison(
        ours=lambda: ours.render(context),
        peer=(lambda: peer.render(context)) if peer is not None else None,
        peer_name="jinja2",
        unit=unit,
        target=target,
    )


@scenario("templates.render_page")
def render_page() -> Comparison:
    from microflask import templating

    jinja2 = try_import("jinja2")
    templates = {"base.html": BASE, "page.html": PAGE}
    ours = _environment(templating, templates).get_template("page.html")
    peer = _environment(jinja2, templates).get_template("page.html") if jinja2 else None
    return _render_comparison(ours, peer, CONTEXT, "render", 1.0)


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
    return _render_comparison(ours, peer, CONTEXT, "render", 1.3)


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


# -- the realistic page of issue 13: three levels of inheritance, an imported
# macro per row, includes, groupby, loops of 50-300 rows, autoescape ----------

REALISTIC = {
    "base.html": """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{% block title %}Shop{% endblock %}</title>
  {% block head %}<link rel="stylesheet" href="/static/site.css">{% endblock %}
</head>
<body class="{% block body_class %}page{% endblock %}">
  {% include "header.html" %}
  <div id="content">{% block content %}{% endblock %}</div>
  {% include "footer.html" %}
</body>
</html>
""",
    "layout.html": """{% extends "base.html" %}
{% block body_class %}{{ super() }} with-sidebar{% endblock %}
{% block content %}
  <aside>
    <ul>{% for category in categories %}
      <li{% if category == current %} class="active"{% endif %}><a href="/c/{{ category|urlencode }}">{{ category|title }}</a></li>
    {%- endfor %}</ul>
  </aside>
  <section>{% block main %}{% endblock %}</section>
{% endblock %}
""",
    "header.html": """<header>
  <a href="/" class="logo">{{ site.name }}</a>
  <nav>{% for link in site.nav %}<a href="{{ link.href }}"{% if loop.first %} class="first"{% endif %}>{{ link.caption }}</a>{% endfor %}</nav>
  {% if user %}<span class="user">Signed in as {{ user.name }}</span>{% else %}<a href="/login">Sign in</a>{% endif %}
</header>""",
    "footer.html": """<footer>&copy; {{ site.year }} {{ site.name }} &middot; {{ products|length }} products</footer>""",
    "macros.html": """{% macro product_row(product, loop) -%}
<tr class="{{ loop.cycle('odd', 'even') }}{% if product.stock == 0 %} sold-out{% endif %}">
  <td>{{ loop.index }}</td>
  <td><a href="/p/{{ product.id }}" title="{{ product.name }}">{{ product.name|truncate(30) }}</a></td>
  <td>{{ product.description|striptags|truncate(60) }}</td>
  <td class="price">{{ "%.2f"|format(product.price) }} &euro;</td>
  <td>{% for tag in product.tags %}<span class="tag">{{ tag }}</span>{% if not loop.last %}, {% endif %}{% endfor %}</td>
</tr>
{%- endmacro %}
{% macro badge(text, kind="info") -%}
<span class="badge badge-{{ kind }}">{{ text }}</span>
{%- endmacro %}""",
    "page.html": """{% extends "layout.html" %}
{% from "macros.html" import product_row, badge %}
{% block title %}{{ title }} &ndash; {{ super() }}{% endblock %}
{% block main %}
  <h1>{{ title }} {{ badge(products|length ~ " items") }}</h1>
  {% for group in products|groupby("category") %}
  <h2 id="{{ group.grouper|lower }}">{{ group.grouper }} {{ badge(group.list|length, "count") }}</h2>
  <table>
    <tbody>
    {% for product in group.list %}
      {{ product_row(product, loop) }}
    {% endfor %}
    </tbody>
  </table>
  {% endfor %}
  <p>Total stock value: {{ products|sum(attribute="value")|round(2) }}</p>
{% endblock %}
""",
}

CATEGORIES = ["Books", "Garden", "Kitchen", "Music", "Toys"]


def _realistic_context(rows: int) -> dict[str, t.Any]:
    products = [
        {
            "id": i,
            "name": f"Product <{i}> & \"friends\"",
            "description": f"<p>A <b>fine</b> product number {i}, described at some length so that it is truncated.</p>",
            "price": 3.5 + i * 1.75,
            "stock": i % 9,
            "value": (3.5 + i * 1.75) * (i % 9),
            "category": CATEGORIES[i % len(CATEGORIES)],
            "tags": ["new", f"tag{i % 4}", "sale" if i % 3 == 0 else "std"],
        }
        for i in range(rows)
    ]
    return {
        "title": "Catalogue <2025>",
        "current": "Garden",
        "categories": CATEGORIES,
        "products": products,
        "user": {"name": "Ann <admin>"},
        "site": {
            "name": "Example & Co",
            "year": 2025,
            "nav": [{"href": f"/s/{i}", "caption": f"Section {i}"} for i in range(6)],
        },
    }


def _realistic_pages(module: t.Any, env_class: t.Any = None, **options: t.Any) -> t.Any:
    cls = env_class or module.Environment
    return cls(loader=module.DictLoader(REALISTIC), autoescape=True, **options).get_template("page.html")


def _realistic_scenario(rows: int) -> t.Callable[[], Comparison]:
    def make() -> Comparison:
        from microflask import templating

        jinja2 = try_import("jinja2")
        context = _realistic_context(rows)
        ours = _realistic_pages(templating)
        peer = _realistic_pages(jinja2) if jinja2 else None
        return _render_comparison(ours, peer, context, f"render ({rows} rows)", 1.5)

    return make


scenario("templates.realistic_50")(_realistic_scenario(50))
scenario("templates.realistic_300")(_realistic_scenario(300))


@scenario("templates.realistic_sandboxed")
def realistic_sandboxed() -> Comparison:
    """The realistic page (150 rows) in a ``SandboxedEnvironment``."""
    from microflask import templating
    from microflask.templating import sandbox

    jinja2 = try_import("jinja2")
    jinja_sandbox = try_import("jinja2.sandbox")
    context = _realistic_context(150)
    ours = _realistic_pages(templating, sandbox.SandboxedEnvironment)
    peer = _realistic_pages(jinja2, jinja_sandbox.SandboxedEnvironment) if jinja_sandbox else None
    return _render_comparison(ours, peer, context, "render (150 rows)", 1.3)


@scenario("templates.realistic_async")
def realistic_async() -> Comparison:
    """The realistic page (150 rows) with ``enable_async=True`` through ``render_async``."""
    from microflask import templating

    jinja2 = try_import("jinja2")
    context = _realistic_context(150)
    ours = _realistic_pages(templating, enable_async=True)
    peer = _realistic_pages(jinja2, enable_async=True) if jinja2 else None
    if peer is not None:
        assert _complete(ours.render_async(context)) == _complete(peer.render_async(context)), "outputs differ"
    return Comparison(
        ours=lambda: _complete(ours.render_async(context)),
        peer=(lambda: _complete(peer.render_async(context))) if peer is not None else None,
        peer_name="jinja2",
        unit="render (150 rows)",
        target=1.0,
    )


@scenario("templates.realistic_compile")
def realistic_compile() -> Comparison:
    """Compiling the realistic page's five templates from source (no cache)."""
    from microflask import templating

    jinja2 = try_import("jinja2")

    def compile_all(module: t.Any) -> None:
        env = module.Environment(autoescape=True)
        for source in REALISTIC.values():
            env.from_string(source)

    return Comparison(
        ours=lambda: compile_all(templating),
        peer=(lambda: compile_all(jinja2)) if jinja2 else None,
        peer_name="jinja2",
        unit="6 compiles",
        target=1.0,
    )
