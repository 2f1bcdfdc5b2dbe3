"""Extensions: the Extension base class, the parser API they use, built-ins, third-party ones."""

from __future__ import annotations

import importlib
import sys
import typing as t

import pytest

from microflask import templating
from microflask.markup import Markup
from microflask.templating import Environment, TemplateSyntaxError, ext, lexer, nodes, parser
from microflask.templating.lexer import Token, TokenStream

try:
    import jinja2
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]

needs_jinja2 = pytest.mark.skipif(jinja2 is None, reason="needs jinja2 as a reference")


# -- tokens and the token stream ---------------------------------------------------------


def test_token_constants_match_jinja_names() -> None:
    assert lexer.TOKEN_COMMA == "comma" and lexer.TOKEN_NAME == "name" and lexer.TOKEN_EOF == "eof"
    assert lexer.TOKEN_BLOCK_END == "block_end" and lexer.operators["//"] == lexer.TOKEN_FLOORDIV
    assert lexer.reverse_operators["assign"] == "="


@needs_jinja2
def test_token_constants_match_installed_jinja2() -> None:
    import jinja2.lexer

    theirs = {k: getattr(jinja2.lexer, k) for k in dir(jinja2.lexer) if k.startswith("TOKEN_")}
    ours = {k: getattr(lexer, k) for k in dir(lexer) if k.startswith("TOKEN_") and k != "TOKEN_DESCRIPTIONS"}
    assert ours == theirs
    assert lexer.operators == jinja2.lexer.operators


def test_token_behaves_like_jinja_token() -> None:
    token = Token(3, "name", "endfor")
    assert token.test("name") and token.test("name:endfor") and not token.test("name:endif")
    assert not token.test("comma") and token.test_any("comma", "name:endfor")
    lineno, type_, value = token
    assert (lineno, type_, value) == (3, "name", "endfor") and token[2] == "endfor"
    assert token == (3, "name", "endfor") and str(token) == "endfor"
    assert str(Token(1, "comma", ",")) == "," and str(Token(1, "block_end", "%}")) == "end of statement block"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ a, b }}", [(1, "variable_begin", "{{"), (1, "name", "a"), (1, "comma", ","), (1, "name", "b"), (1, "variable_end", "}}")]),
        ("x{%- if a == 1 -%}\ny", [(1, "data", "x"), (1, "block_begin", "{%-"), (1, "name", "if"), (1, "name", "a"), (1, "eq", "=="), (1, "integer", 1), (1, "block_end", "-%}"), (2, "data", "y")]),
        ("{{ f(x)|e }}", [(1, "variable_begin", "{{"), (1, "name", "f"), (1, "lparen", "("), (1, "name", "x"), (1, "rparen", ")"), (1, "pipe", "|"), (1, "name", "e"), (1, "variable_end", "}}")]),
    ],
)
def test_token_stream_types(source: str, expected: list[tuple[int, str, t.Any]]) -> None:
    stream = Environment()._tokenize(source, None)
    assert [tuple(tok) for tok in stream] == expected


@needs_jinja2
@pytest.mark.parametrize(
    "source",
    ["{{ a, b }}", "{% for x in y|f(1, k=2) %}{{ x.a[0] ~ 'q' }}{% endfor %}", "{{ 1 // 2 ** 3 != 4 }}{# c #}t"],
)
def test_token_stream_matches_jinja2(source: str) -> None:
    theirs = [(tok.lineno, tok.type, tok.value) for tok in jinja2.Environment()._tokenize(source, None)]
    ours = [(tok.lineno, tok.type, tok.value) for tok in Environment()._tokenize(source, None)]
    assert ours == theirs


def test_token_stream_lives_in_lexer_like_jinja2() -> None:
    assert parser.TokenStream is TokenStream
    env = Environment()
    assert env.lexer is env.lexer and isinstance(env.lexer, lexer.Lexer)


def test_token_stream_api() -> None:
    stream = TokenStream(iter([Token(1, "name", "a"), Token(1, "comma", ","), Token(2, "name", "b")]), "n", "f")
    assert stream.current.test("name:a") and stream.look().type == "comma"
    assert stream.next_if("comma") is None and stream.next_if("name") == (1, "name", "a")
    assert stream.skip_if("comma") and not stream.skip_if("comma")
    stream.push(Token(2, "dot", "."))
    assert stream.current.value == "b" and stream.look().type == "dot"
    assert next(stream).value == "b" and next(stream).type == "dot"
    assert stream.eos and not stream and stream.current.type == "eof"
    assert next(stream).type == "eof"  # stays at the end
    with pytest.raises(TemplateSyntaxError) as info:
        stream.expect("name:endcache")
    assert info.value.message == "unexpected end of template, expected 'endcache'."
    other = TokenStream([Token(1, "integer", 1), Token(1, "eof", "")], None, None)
    with pytest.raises(TemplateSyntaxError) as info:
        other.expect("comma")
    assert info.value.message == "expected token ',', got 'integer'"
    other.skip(1)
    assert other.eos
    closing = TokenStream([Token(1, "name", "a"), Token(1, "name", "b")], None, None)
    closing.close()
    assert closing.eos and list(closing) == []


# -- the Extension base class and environment support ----------------------------------


class _Upper(ext.Extension):
    """``{% upper %}...{% endupper %}`` through a CallBlock to a method."""

    tags = {"upper"}

    def parse(self, parser: parser.Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endupper",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_upper"), [], [], body).set_lineno(lineno)

    def _upper(self, caller: t.Callable[[], str]) -> str:
        return caller().upper()


class _Shout(ext.Extension):
    """Uppercases template data via ``filter_stream``; rewrites ``!!`` in ``preprocess``."""

    priority = 50

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source.replace("!!", "{{ '!' }}")

    def filter_stream(self, stream: t.Any) -> t.Iterator[Token]:
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", token.value.upper())
            else:
                yield token


def test_extension_identifier_priority_and_environment_registry() -> None:
    env = Environment(extensions=[_Upper, "microflask.templating.ext.do"])
    assert _Upper.identifier == f"{__name__}._Upper"
    assert set(env.extensions) == {_Upper.identifier, "microflask.templating.ext.ExprStmtExtension"}
    env.add_extension(_Shout)
    assert [type(x).__name__ for x in env.iter_extensions()] == ["_Shout", "_Upper", "ExprStmtExtension"] or [
        type(x).__name__ for x in env.iter_extensions()
    ][0] == "_Shout"
    assert env.extensions[_Upper.identifier].environment is env
    bound = env.extensions[_Upper.identifier].bind(Environment())
    assert bound.environment is not env and type(bound) is _Upper


def test_extension_tag_call_method_and_stream_hooks() -> None:
    env = Environment(extensions=[_Upper, _Shout], autoescape=True)
    assert env.from_string("a{% upper %}b{{ x }}{% endupper %}c").render(x="<i>") == "AB&LT;I&GT;C"
    assert env.from_string("hi!!").render() == "HI!"
    assert env.preprocess("x!!") == "x{{ '!' }}"


def test_environment_extend_keeps_existing_attributes() -> None:
    env = Environment()
    env.extend(autoescape=True, brand_new=1)
    assert env.autoescape is False and env.brand_new == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("jinja2.ext.i18n", ext.InternationalizationExtension),
        ("jinja2.ext.InternationalizationExtension", ext.InternationalizationExtension),
        ("jinja2.ext:i18n", ext.InternationalizationExtension),
        ("jinja2.ext.do", ext.ExprStmtExtension),
        ("jinja2.ext.loopcontrols", ext.LoopControlExtension),
        ("jinja2.ext.debug", ext.DebugExtension),
        ("microflask.templating.ext.i18n", ext.InternationalizationExtension),
        ("microflask.templating.ext.LoopControlExtension", ext.LoopControlExtension),
        (f"{__name__}._Upper", _Upper),
    ],
)
def test_extension_names_resolve_to_our_extensions(name: str, cls: type) -> None:
    env = Environment(extensions=[name])
    assert [type(x) for x in env.extensions.values()] == [cls]


@needs_jinja2
def test_installed_jinja2_builtin_extension_classes_map_to_ours() -> None:
    import jinja2.ext

    env = Environment(extensions=[jinja2.ext.i18n, jinja2.ext.do, jinja2.ext.loopcontrols, jinja2.ext.debug])
    assert sorted(type(x).__name__ for x in env.extensions.values()) == [
        "DebugExtension", "ExprStmtExtension", "InternationalizationExtension", "LoopControlExtension",
    ]  # fmt: skip
    assert all(type(x).__module__ == "microflask.templating.ext" for x in env.extensions.values())
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    assert env.from_string("{{ _('%(v)s', v='<') }}{% do 1 %}").render() == "<"


def test_unknown_extension_names_fail_like_jinja2() -> None:
    with pytest.raises(AttributeError) as info:
        Environment(extensions=["jinja2.ext.with_"])
    assert str(info.value) == "module 'jinja2.ext' has no attribute 'with_'"
    with pytest.raises(ModuleNotFoundError):
        Environment(extensions=["no_such_module_here.Ext"])


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ("{% for x in y %}{% break %}{% endfor %}", "break"),
        ("{% for x in y %}{% continue %}{% endfor %}", "continue"),
        ("{% do x %}", "do"),
        ("{% debug %}", "debug"),
    ],
)
def test_loop_controls_and_do_need_their_extension(source: str, tag: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string(source)
    assert info.value.message.startswith(f"Encountered unknown tag {tag!r}.")


def test_builtin_small_extensions() -> None:
    env = Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols", "jinja2.ext.debug"])
    source = "{% set l = [] %}{% for i in range(9) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{% do l.append(i) %}{% endfor %}{{ l }}"
    assert env.from_string(source).render() == "[0, 1, 3]"
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("{% break %}")
    assert info.value.message == "'break' outside of a loop"
    out = env.from_string("{% set x = 1 %}{% debug %}").render(a=[1, 2])
    assert out.startswith("{'context': {'a': [1, 2],") and "'x': 1}" in out and "'filters': ['abs'," in out


@needs_jinja2
def test_debug_extension_output_matches_jinja2() -> None:
    source = "{% set x = 1 %}{% debug %}"
    theirs = jinja2.Environment(extensions=["jinja2.ext.debug"]).from_string(source).render(a=[1, 2])
    ours = Environment(extensions=["jinja2.ext.debug"]).from_string(source).render(a=[1, 2])
    # the context's default globals are different objects; compare the rest
    assert ours.split("'filters'")[1] == theirs.split("'filters'")[1]


# -- every node an extension may emit compiles ---------------------------------------------


class _NodeKit(ext.Extension):
    """``{% kit name %}``: emits the node shapes third-party extensions build."""

    tags = {"kit"}
    greeting = "hello"

    def parse(self, parser: parser.Parser) -> t.Any:
        lineno = next(parser.stream).lineno
        kind = parser.stream.expect("name").value
        return getattr(self, "_" + kind)(parser, lineno)

    def _const(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([nodes.Const("<c>"), nodes.TemplateData("<d>")], lineno=lineno)

    def _attr(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([self.attr("greeting", lineno=lineno)])

    def _context(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([self.call_method("_lookup", [nodes.ContextReference(), nodes.Const("who")])])

    def _lookup(self, context: t.Any, key: str) -> str:
        return f"ctx:{context.resolve(key)}"

    def _derived(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([self.call_method("_lookup", [nodes.DerivedContextReference(), nodes.Const("local")])])

    def _internal(self, parser: parser.Parser, lineno: int) -> t.Any:
        name = parser.free_identifier(lineno)
        value = parser.parse_expression()
        return [nodes.Assign(name, value, lineno=lineno), nodes.Output([nodes.Mul(name, nodes.Const(2))], lineno=lineno)]

    def _safe(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([nodes.MarkSafe(nodes.Const("<b>")), nodes.MarkSafeIfAutoescape(nodes.Const("<i>"))])

    def _assign(self, parser: parser.Parser, lineno: int) -> t.Any:
        target = nodes.Name(parser.stream.expect("name").value, "store")
        parser.stream.expect("assign")
        return nodes.Assign(target, parser.parse_expression(), lineno=lineno)

    def _scope(self, parser: parser.Parser, lineno: int) -> t.Any:
        body = parser.parse_statements(("name:endkit",), drop_needle=True)
        return nodes.Scope(body, lineno=lineno)

    def _overlay(self, parser: parser.Parser, lineno: int) -> t.Any:
        mapping = parser.parse_expression()
        body = parser.parse_statements(("name:endkit",), drop_needle=True)
        return nodes.OverlayScope(mapping, body, lineno=lineno)

    def _noescape(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.EvalContextModifier([nodes.Keyword("autoescape", nodes.Const(False))], lineno=lineno)

    def _envattr(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([nodes.EnvironmentAttribute("trim_blocks")])

    def _imported(self, parser: parser.Parser, lineno: int) -> t.Any:
        return nodes.Output([nodes.Call(nodes.ImportedName("os.path.join"), [nodes.Const("a"), nodes.Const("b")], [], None, None)])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% kit const %}", "&lt;c&gt;<d>"),
        ("{% kit attr %}", "hello"),
        ("{% kit context %}", "ctx:W"),
        ("{% set local = 'L' %}{% kit derived %}", "ctx:L"),
        ("{% for local in ['a'] %}{% kit derived %}{% endfor %}", "ctx:a"),
        ("{% kit internal 21 %}{{ fi1 }}", "42"),
        ("{% kit safe %}", "<b><i>"),
        ("{% kit assign y = 5 %}{{ y }}", "5"),
        ("{% set y = 1 %}{% kit scope %}{% set y = 2 %}{{ y }}{% endkit %}{{ y }}", "21"),
        ("{% set y = 1 %}{% kit overlay {'y': 9, 'z': 8} %}{{ y }}{{ z }}{{ who }}{% endkit %}{{ y }}", "98W1"),
        ("{{ '<' }}{% kit noescape %}{{ '<' }}", "&lt;<"),
        ("{% kit envattr %}", "False"),
        ("{% kit imported %}", "a/b"),
        ("{% macro m() %}{% kit attr %}{% endmacro %}{{ m() }}", "hello"),
    ],
)
def test_compiler_compiles_extension_nodes(source: str, expected: str) -> None:
    env = Environment(extensions=[_NodeKit], autoescape=True)
    assert env.from_string(source).render(who="W") == expected


def test_imported_name_of_a_module_and_template_constructor_extensions() -> None:
    tree = nodes.Template([nodes.Output([nodes.Getattr(nodes.ImportedName("string"), "digits", "load")])])
    assert Environment().from_string(tree).render() == "0123456789"
    assert templating.Template("{% do x.append(1) %}{{ x }}", extensions=["jinja2.ext.do"]).render(x=[]) == "[1]"


def test_mark_safe_if_autoescape_without_autoescape() -> None:
    env = Environment(extensions=[_NodeKit])
    assert env.from_string("{% kit safe %}").render() == "<b><i>"
    assert env.from_string("{% autoescape true %}{{ '<' }}{% endautoescape %}{{ '<' }}").render() == "&lt;<"


# -- parser API ---------------------------------------------------------------------------


class _Probe(ext.Extension):
    """``{% probe ... %}``: exercises parser helpers and records what they returned."""

    tags = {"probe"}
    seen: list[t.Any] = []

    def parse(self, parser: parser.Parser) -> t.Any:
        next(parser.stream)
        target = parser.parse_assign_target()
        parser.stream.expect("assign")
        values = parser.parse_tuple()
        _Probe.seen.append((target, values, parser.free_identifier().name, parser.name, parser.filename))
        if parser.stream.skip_if("name:fail"):
            parser.fail("probe failed here")
        return nodes.Assign(target, values)


def test_parser_helpers_for_extensions() -> None:
    _Probe.seen.clear()
    env = Environment(extensions=[_Probe], loader=templating.DictLoader({"p.html": "{% probe a, b = 1, 2 %}{{ b }}{{ a }}"}))
    assert env.get_template("p.html").render() == "21"
    target, values, free, name, filename = _Probe.seen[0]
    assert isinstance(target, nodes.Tuple) and target.ctx == "store" and isinstance(values, nodes.Tuple)
    assert free == "fi1" and name == "p.html" and filename is None  # DictLoader has no file names
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("\n{% probe a = 1 fail %}")
    assert info.value.message == "probe failed here" and info.value.lineno == 2


def test_parse_statements_reports_missing_end_tag() -> None:
    env = Environment(extensions=[_Upper])
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("{% upper %}x")
    assert info.value.message == (
        "Unexpected end of template. Jinja was looking for the following tags: 'endupper'. "
        "The innermost block that needs to be closed is 'upper'."
    )


# -- environment tools -----------------------------------------------------------------


def test_lex_parse_and_raw_compile() -> None:
    env = Environment()
    assert list(env.lex("{{ a+1 }}x")) == [
        (1, "variable_begin", "{{"), (1, "name", "a"), (1, "operator", "+"), (1, "integer", "1"),
        (1, "variable_end", "}}"), (1, "data", "x"),
    ]  # fmt: skip
    assert isinstance(env.parse("{{ a }}"), nodes.Template)
    source = env.compile("{{ a }}", raw=True)
    assert isinstance(source, str) and "def root(context" in source
    compile(source, "<raw>", "exec")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a ## c\nb", "a\nb"),
        ("a\n## c\nb", "a\n\nb"),
        ("  ## c\nb", "\nb"),
        ("x ## c", "x"),
        ("{% raw %}## x{% endraw %}\ny", "## x\ny"),
        ("{{ '## no' }}\n", "## no"),
        ("# for i in [1, 2]\n{{ i }}\n# endfor\nend", "1\n2\nend"),
        ("a" + " " * 5000 + "b ## c", "a" + " " * 5000 + "b"),
    ],
)
def test_line_comment_prefix(source: str, expected: str) -> None:
    env = Environment(line_comment_prefix="##", line_statement_prefix="#")
    assert env.from_string(source).render() == expected
    if jinja2 is not None:
        theirs = jinja2.Environment(line_comment_prefix="##", line_statement_prefix="#")
        assert theirs.from_string(source).render() == expected


# -- a real third-party extension: Flask-Caching's {% cache %} ------------------------------


class _FragmentStore:
    def __init__(self) -> None:
        self.data: dict[str, t.Any] = {}
        self.sets = 0
        self.app = None

    def get(self, key: str) -> t.Any:
        return self.data.get(key)

    def set(self, key: str, value: t.Any, timeout: t.Any = None) -> None:
        self.sets += 1
        self.data[key] = value

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


def _load_with_our_jinja(module_name: str) -> t.Any:
    """Import ``module_name`` while ``jinja2`` and its submodules are ours, then restore."""
    names = ("jinja2", "jinja2.nodes", "jinja2.ext", "jinja2.parser", module_name)
    saved = {name: sys.modules.get(name) for name in names}
    sys.modules["jinja2"] = templating
    sys.modules["jinja2.nodes"] = nodes
    sys.modules["jinja2.ext"] = ext
    sys.modules["jinja2.parser"] = parser
    sys.modules.pop(module_name, None)
    try:
        return importlib.import_module(module_name)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_flask_caching_cache_tag_works_unchanged() -> None:
    pytest.importorskip("flask_caching")
    module = _load_with_our_jinja("flask_caching.jinja2ext")
    assert module.Extension is ext.Extension and module.nodes is nodes
    env = Environment(extensions=[module.CacheExtension], autoescape=True)
    store = _FragmentStore()
    env._template_fragment_cache = store  # type: ignore[attr-defined]
    template = env.from_string("[{% cache 60, 'frag', who %}<{{ who }}:{{ n }}>{% endcache %}]")
    assert template.render(who="<a>", n=1) == "[<&lt;a&gt;:1>]"
    assert template.render(who="<a>", n=2) == "[<&lt;a&gt;:1>]"  # served from the cache
    assert template.render(who="b", n=3) == "[<b:3>]"  # vary_on changes the key
    assert store.sets == 2 and len(store.data) == 2
    deleting = env.from_string("{% cache 'del', 'frag', who %}fresh{% endcache %}")
    assert deleting.render(who="b") == "fresh" and len(store.data) == 1
    # without a fragment name the key is the template name and line
    unnamed = env.from_string("\n{% cache 60 %}{{ n }}{% endcache %}")
    assert unnamed.render(n=1) == "\n1" and unnamed.render(n=2) == "\n1"


# -- a custom extension modelled on the documented "fragment cache" example -----------------


class FragmentCacheExtension(ext.Extension):
    """``{% fragment "key" [, timeout] %}...{% endfragment %}`` cached on ``fragment_cache``."""

    tags = {"fragment"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache_prefix="", fragment_cache=None)

    def parse(self, parser: parser.Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        if parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        else:
            args.append(nodes.Const(None))
        body = parser.parse_statements(["name:endfragment"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_cache_support", args), [], [], body).set_lineno(lineno)

    def _cache_support(self, name: str, timeout: int | None, caller: t.Callable[[], str]) -> str:
        key = self.environment.fragment_cache_prefix + name  # type: ignore[attr-defined]
        cache = self.environment.fragment_cache  # type: ignore[attr-defined]
        value = cache.get(key)
        if value is not None:
            return value  # type: ignore[no-any-return]
        value = caller()
        cache.set(key, value, timeout)
        return value


def test_fragment_cache_extension() -> None:
    env = Environment(extensions=[FragmentCacheExtension])
    env.fragment_cache = _FragmentStore()  # type: ignore[attr-defined]
    env.fragment_cache_prefix = "p/"  # type: ignore[attr-defined]
    template = env.from_string("{% fragment 'side', 30 %}{% for i in items %}{{ i }}{% endfor %}{% endfragment %}!")
    assert template.render(items=[1, 2]) == "12!"
    assert template.render(items=[3]) == "12!"
    assert env.fragment_cache.data == {"p/side": "12"}  # type: ignore[attr-defined]
    with pytest.raises(TemplateSyntaxError):
        env.from_string("{% fragment 'x' %}no end")


@needs_jinja2
def test_fragment_cache_extension_matches_jinja2() -> None:
    class TheirFragment(jinja2.ext.Extension):  # the same extension written for jinja2
        tags = {"fragment"}

        def parse(self, parser: t.Any) -> t.Any:
            lineno = next(parser.stream).lineno
            args = [parser.parse_expression(), jinja2.nodes.Const(None)]
            body = parser.parse_statements(["name:endfragment"], drop_needle=True)
            call = self.call_method("_cache_support", args)
            return jinja2.nodes.CallBlock(call, [], [], body).set_lineno(lineno)

        def _cache_support(self, name: str, timeout: t.Any, caller: t.Callable[[], str]) -> str:
            return f"[{name}:{caller()}]"

    class OurFragment(FragmentCacheExtension):
        def _cache_support(self, name: str, timeout: t.Any, caller: t.Callable[[], str]) -> str:
            return f"[{name}:{caller()}]"

    source = "{% fragment 'k' %}<{{ x }}>{% endfragment %}"
    theirs = jinja2.Environment(extensions=[TheirFragment], autoescape=True).from_string(source).render(x="&")
    ours = Environment(extensions=[OurFragment], autoescape=True).from_string(source).render(x="&")
    # the call block's result is output as is (the caller's body was escaped)
    assert ours == theirs == "[k:<&amp;>]"
    assert Markup(ours) == ours


def test_extension_built_on_the_real_jinja2_package_works_too() -> None:
    """Without any module swapping: the extension subclasses jinja2's Extension
    and builds jinja2 nodes; the compiler reads them by class name and fields."""
    pytest.importorskip("jinja2")
    caching = pytest.importorskip("flask_caching.jinja2ext")
    env = Environment(extensions=[caching.CacheExtension], autoescape=True)
    store = _FragmentStore()
    env._template_fragment_cache = store  # type: ignore[attr-defined]
    source = "{% set y = 2 %}{% for i in [1] %}{% cache 60, 'k', x %}<{{ x }}{{ i }}{{ y }}>{% endcache %}{% endfor %}"
    template = env.from_string(source)
    assert template.render(x="<a>") == template.render(x="<a>") == "<&lt;a&gt;12>"
    assert store.sets == 1
