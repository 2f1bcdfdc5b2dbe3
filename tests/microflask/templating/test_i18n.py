"""The i18n extension: {% trans %}, the gettext globals, message extraction, Babel, Flask-Babel style."""

from __future__ import annotations

import gettext
import io
import typing as t

import pytest

from microflask import Flask
from microflask.markup import Markup
from microflask.templating import Environment, TemplateAssertionError, TemplateSyntaxError, ext
from microflask.templating.flask_glue import TemplatingAppMixin, render_template_string

try:
    import jinja2
    import jinja2.ext  # read as jinja2.ext below; not imported by the package itself
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]

App = Flask if issubclass(Flask, TemplatingAppMixin) else type("App", (TemplatingAppMixin, Flask), {})


class Translations(gettext.NullTranslations):
    """German for a handful of messages; contexts show up as ``ctx|``."""

    CATALOG = {
        "Hello %(user)s!": "Hallo %(user)s!",
        "apple": "Apfel",
        "%(num)s apple": "%(num)s Apfel",
        "%(num)s apples": "%(num)s Äpfel",
        "100%": "hundert%",
        "100%% of %(user)s": "hundert%% von %(user)s",
    }

    def gettext(self, message: str) -> str:
        return self.CATALOG.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return f"{context}|{self.gettext(message)}"

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return f"{context}|{self.ngettext(singular, plural, n)}"


CONTEXT = {"user": "<Ann>", "name": "Bob", "n": 2, "items": [1], "f": lambda: 1}

#: (template, old-style output, newstyle output) without autoescaping.
TRANS_CASES = [
    ("{% trans %}Hello {{ user }}!{% endtrans %}", "Hallo <Ann>!", "Hallo <Ann>!"),
    ("{% trans user=name %}Hello {{ user }}!{% endtrans %}", "Hallo Bob!", "Hallo Bob!"),
    ("{% trans %}apple{% endtrans %}", "Apfel", "Apfel"),
    ("{% trans num=n %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}", "2 Äpfel", "2 Äpfel"),
    ("{% trans num=1 %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}", "1 Apfel", "1 Apfel"),
    ("{% trans count=n %}{{ count }} apple{% pluralize %}{{ count }} apples{% endtrans %}", "2 apples", "2 apples"),
    ("{% trans %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}", " Äpfel", " Äpfel"),
    ("{% trans n, user %}{{ user }} {{ n }}{% pluralize n %}{{ user }} {{ n }}s{% endtrans %}", "<Ann> 2s", "<Ann> 2s"),
    ("{% trans num=items|length %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}", "1 Apfel", "1 Apfel"),
    ("{% trans num=f() %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}", "1 Apfel", "1 Apfel"),
    ("{% trans %}100%{% endtrans %}", "hundert%", "100%"),
    ("{% trans %}100% of {{ user }}{% endtrans %}", "hundert% von <Ann>", "hundert% von <Ann>"),
    ("{% trans trimmed %}  Hello  \n   {{ user }}!\n  {% endtrans %}", "Hallo <Ann>!", "Hallo <Ann>!"),
    ("{% trans notrimmed %}  Hello  \n   {{ user }}!\n  {% endtrans %}", "  Hello  \n   <Ann>!\n  ", "  Hello  \n   <Ann>!\n  "),
    ('{% trans "fruit" %}apple{% endtrans %}', "fruit|Apfel", "fruit|Apfel"),
    ('{% trans "fruit" num=n %}{{ num }} apple{% pluralize %}{{ num }} apples{% endtrans %}', "fruit|2 Äpfel", "fruit|2 Äpfel"),
    (
        "{{ _('apple') }}|{{ gettext('apple') }}|{{ ngettext('%(num)s apple', '%(num)s apples', 3) }}",
        "Apfel|Apfel|%(num)s Äpfel",
        "Apfel|Apfel|3 Äpfel",
    ),
    ("{{ pgettext('c', 'apple') }}|{{ npgettext('c', '%(num)s apple', '%(num)s apples', 1) }}", "c|Apfel|c|%(num)s Apfel", "c|Apfel|c|1 Apfel"),
    ("{% set user = 'set' %}{% trans %}Hello {{ user }}!{% endtrans %}", "Hallo set!", "Hallo set!"),
    ("{% for user in ['a', 'b'] %}{% trans %}Hello {{ user }}!{% endtrans %}{% endfor %}", "Hallo a!Hallo b!", "Hallo a!Hallo b!"),
    ("{% macro m(user) %}{% trans %}Hello {{ user }}!{% endtrans %}{% endmacro %}{{ m('M') }}", "Hallo M!", "Hallo M!"),
]


def _render(module: t.Any, source: str, autoescape: bool, newstyle: bool, trimmed: bool = False) -> str:
    env = module.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    env.policies["ext.i18n.trimmed"] = trimmed
    env.install_gettext_translations(Translations(), newstyle=newstyle)
    return env.from_string(source).render(CONTEXT)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("source", "old", "new"), TRANS_CASES)
def test_trans(source: str, old: str, new: str) -> None:
    assert _render(__import__("microflask.templating", fromlist=["x"]), source, False, False) == old
    assert _render(__import__("microflask.templating", fromlist=["x"]), source, False, True) == new


@pytest.mark.skipif(jinja2 is None, reason="needs jinja2 as a reference")
@pytest.mark.parametrize(("source", "old", "new"), TRANS_CASES)
@pytest.mark.parametrize("autoescape", [False, True])
@pytest.mark.parametrize("newstyle", [False, True])
@pytest.mark.parametrize("trimmed", [False, True])
def test_trans_matches_jinja2(source: str, old: str, new: str, autoescape: bool, newstyle: bool, trimmed: bool) -> None:
    from microflask import templating

    assert _render(templating, source, autoescape, newstyle, trimmed) == _render(jinja2, source, autoescape, newstyle, trimmed)


def test_autoescaping_escapes_variables_not_the_translation() -> None:
    for newstyle in (False, True):
        env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        env.install_gettext_callables(lambda s: "<b>" + s, lambda s, p, n: s, newstyle=newstyle)  # type: ignore[attr-defined]
        out = env.from_string("{% trans %}Hello {{ user }}!{% endtrans %}").render(user="<Ann>")
        assert out == "<b>Hello &lt;Ann&gt;!"
    # newstyle gettext formats its keyword arguments, escaping them
    out = env.from_string("{{ _('%(x)s</b>', x=user) }}").render(user="<Ann>")
    assert out == "<b>&lt;Ann&gt;</b>"
    with pytest.raises(KeyError):
        env.from_string("{{ _('%(missing)s') }}").render()


def test_trimmed_policy() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    env.install_null_translations()
    source = "{% trans %}  a \n  b {% endtrans %}"
    assert env.from_string(source).render() == "  a \n  b "
    env.policies["ext.i18n.trimmed"] = True
    assert env.from_string(source).render() == "a b"
    assert env.from_string("{% trans notrimmed %} a \n b{% endtrans %}").render() == " a \n b"


def test_install_and_uninstall() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    assert env.newstyle_gettext is False  # type: ignore[attr-defined]
    assert "_" in env.globals and "gettext" not in env.globals
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    assert env.newstyle_gettext is True  # type: ignore[attr-defined]
    assert env.from_string("{{ _('%(a)s!', a=1) }}").render() == "1!"
    env.uninstall_gettext_translations()  # type: ignore[attr-defined]
    assert not {"gettext", "ngettext", "pgettext", "npgettext"} & set(env.globals)
    env.install_gettext_callables(str.upper, lambda s, p, n: (s if n == 1 else p).upper(), newstyle=False)  # type: ignore[attr-defined]
    assert env.from_string("{% trans %}hi{% endtrans %} {{ ngettext('a', 'b', 2) }}").render() == "HI B"
    assert env.globals["pgettext"] is None


@pytest.mark.parametrize(
    ("source", "cls", "message"),
    [
        ("{% trans %}{{ a.b }}{% endtrans %}", TemplateSyntaxError, "expected token 'end of print statement', got '.'"),
        ("{% trans %}{% if x %}{% endif %}{% endtrans %}", TemplateSyntaxError, "control structures in translatable sections are not allowed; saw `if`"),
        ("{% trans %}a{% pluralize %}b{% pluralize %}c{% endtrans %}", TemplateSyntaxError, "a translatable section can have only one pluralize section"),
        ("{% trans %}a", TemplateSyntaxError, "unclosed translation block"),
        ("{% trans a=1, a=2 %}{% endtrans %}", TemplateAssertionError, "translatable variable 'a' defined twice."),
        ("{% trans %}a{% pluralize %}b{% endtrans %}", TemplateSyntaxError, "pluralize without variables"),
        ("{% trans %}{{ a|e }}{% endtrans %}", TemplateSyntaxError, "expected token 'end of print statement', got '|'"),
        ("{% trans 1 %}x{% endtrans %}", TemplateSyntaxError, "expected token 'name', got 'integer'"),
        ('{% trans "c" "d" %}x{% endtrans %}', TemplateSyntaxError, "expected token 'name', got 'string'"),
        ("{% trans a b %}x{% endtrans %}", TemplateSyntaxError, "expected token ',', got 'b'"),
        ("{% trans %}{{ count }}{% pluralize n %}{% endtrans %}", TemplateAssertionError, "unknown variable 'n' for pluralization"),
        ("{% trans %}{% trans %}{% endtrans %}", TemplateSyntaxError, "trans blocks can't be nested; did you mean `endtrans`?"),
    ],
)
def test_trans_errors(source: str, cls: type, message: str) -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    with pytest.raises(cls) as info:
        env.parse(source)
    assert info.value.message == message  # type: ignore[attr-defined]
    if jinja2 is not None:
        with pytest.raises(getattr(jinja2, cls.__name__)) as theirs:
            jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(source)
        assert theirs.value.message == message


EXTRACT_SOURCE = """{# NOTE: first #}{{ _('Hello') }}
{# other #}
{# NOTE: two
lines #}
{% trans %}Hi {{ user }}{% endtrans %}
{% trans count=n %}one{% pluralize %}{{ count }} many{% endtrans %}
{% trans "ctx" %}c{% endtrans %}
{{ gettext('a', x=1) }} {{ ngettext('s','p', 3) }} {{ _(foo) }} {{ pgettext('c','m') }}
{% trans trimmed %}  a
  b  {% endtrans %}
"""


def test_extract_from_ast() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse(EXTRACT_SOURCE)
    assert list(ext.extract_from_ast(tree)) == [
        (1, "_", "Hello"),
        (5, "gettext", "Hi %(user)s"),
        (6, "ngettext", ("one", "%(count)s many", None)),
        (7, "pgettext", ("ctx", "c")),
        (8, "gettext", ("a", None)),
        (8, "ngettext", ("s", "p", None)),
        (8, "_", None),
        (8, "pgettext", ("c", "m")),
        (9, "gettext", "a b"),
    ]
    assert list(ext.extract_from_ast(tree, babel_style=False))[:2] == [(1, "_", ("Hello",)), (5, "gettext", ("Hi %(user)s",))]
    assert (8, "_", None) not in list(ext.extract_from_ast(tree, babel_style=False))
    assert list(ext.extract_from_ast(tree, ("pgettext",))) == [(7, "pgettext", ("ctx", "c")), (8, "pgettext", ("c", "m"))]
    assert list(env.extract_translations(EXTRACT_SOURCE))[0] == (1, "_", "Hello")  # type: ignore[attr-defined]
    if jinja2 is not None:
        theirs = jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(EXTRACT_SOURCE)
        for style in (True, False):
            assert list(ext.extract_from_ast(tree, babel_style=style)) == list(jinja2.ext.extract_from_ast(theirs, babel_style=style))


BABEL_KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext")


@pytest.mark.parametrize(
    ("source", "options"),
    [
        (EXTRACT_SOURCE, {}),
        (EXTRACT_SOURCE, {"newstyle_gettext": "true", "trimmed": "false"}),
        (EXTRACT_SOURCE, {"trimmed": "true"}),
        ('{# NOTE: a #}{# other #}{{ _("x") }}', {}),
        ('{# other #}{# NOTE:  a  #}\n{{ _("x") }}', {}),
        ('{# NOTE: a #}{{ x }}{{ _("x") }}{{ _("y") }}', {}),
        ('{{ _("x") }}{# NOTE: after #}', {}),
        ('{# NOTE:a #}{# NOTE: b #}{{ _("x") }}', {}),
        ("## NOTE: line\n{{ _('x') }}", {"line_comment_prefix": "##"}),
        ("<% if x %><< _('x') >><% endif %>", {"block_start_string": "<%", "block_end_string": "%>", "variable_start_string": "<<", "variable_end_string": ">>"}),
        ("{% do _('x') %}{% for i in y %}{% break %}{% endfor %}", {"extensions": "jinja2.ext.do, jinja2.ext.loopcontrols"}),
    ],
)
def test_babel_extract(source: str, options: dict[str, str]) -> None:
    ours = list(ext.babel_extract(io.BytesIO(source.encode()), BABEL_KEYWORDS, ["NOTE:"], options))
    assert ours and all(len(item) == 4 for item in ours)
    if jinja2 is not None:
        theirs = list(jinja2.ext.babel_extract(io.BytesIO(source.encode()), BABEL_KEYWORDS, ["NOTE:"], options))
        assert ours == theirs


def test_babel_extract_silent_and_loud() -> None:
    broken = io.BytesIO(b"{% trans %}x")
    assert list(ext.babel_extract(broken, BABEL_KEYWORDS, [], {})) == []
    with pytest.raises(TemplateSyntaxError):
        list(ext.babel_extract(io.BytesIO(b"{% trans %}x"), BABEL_KEYWORDS, [], {"silent": "false"}))


def test_babel_uses_babel_extract_as_extraction_method() -> None:
    babel_extract_module = pytest.importorskip("babel.messages.extract")
    source = b"{# NOTE: greet #}\n<p>{% trans %}Hello {{ user }}!{% endtrans %}</p>\n{{ ngettext('%(num)s apple', '%(num)s apples', n) }}\n{{ pgettext('menu', 'File') }}"
    messages = list(
        babel_extract_module.extract(
            "microflask.templating.ext:babel_extract", io.BytesIO(source), comment_tags=("NOTE:",)
        )
    )
    assert [(m[0], m[1], m[2], m[3]) for m in messages] == [
        (2, "Hello %(user)s!", ["greet"], None),
        (3, ("%(num)s apple", "%(num)s apples"), [], None),
        (4, "File", [], "menu"),
    ]
    assert list(babel_extract_module.extract(ext.babel_extract, io.BytesIO(source)))[0][1] == "Hello %(user)s!"


# -- the way Flask-Babel wires it: app.jinja_env.add_extension + install_gettext_callables -----


def test_flask_babel_style_setup_through_the_app_environment(tmp_path: t.Any) -> None:
    app = App("i18n_app", root_path=str(tmp_path))
    translations = Translations()
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: translations.gettext(s),
        lambda s, p, n: translations.ngettext(s, p, n),
        newstyle=True,
        pgettext=translations.pgettext,
        npgettext=translations.npgettext,
    )
    assert isinstance(app.jinja_env.extensions["microflask.templating.ext.InternationalizationExtension"], ext.InternationalizationExtension)

    @app.route("/")
    def index() -> str:
        return render_template_string(
            "{% trans %}Hello {{ user }}!{% endtrans %} {{ ngettext('%(num)s apple', '%(num)s apples', 2) }} {{ _('apple') }}",
            user="<Ann>",
        )

    response = app.test_client().get("/")
    assert response.get_data(as_text=True) == "Hallo &lt;Ann&gt;! 2 Äpfel Apfel"


def test_jinja_options_extensions_reach_the_app_environment(tmp_path: t.Any) -> None:
    cls = type("OptionsApp", (App,), {"jinja_options": {"extensions": ["jinja2.ext.i18n", "jinja2.ext.do"]}})
    app = cls("opts_app", root_path=str(tmp_path))
    app.jinja_env.install_null_translations()  # type: ignore[attr-defined]
    with app.app_context():
        out = render_template_string("{% set l = [] %}{% do l.append(_('x')) %}{{ l }}")
    assert out == "[&#39;x&#39;]"
    assert Markup(out) == out
