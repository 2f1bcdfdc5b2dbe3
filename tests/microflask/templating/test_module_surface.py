"""Every public name of Jinja2 3.1's modules exists at the same dotted path
under ``microflask.templating`` (or raises an error naming why it is not
provided), and the helpers added for that behave like Jinja2's."""

from __future__ import annotations

import asyncio
import importlib
import random
import types
import typing as t

import pytest

from microflask import templating

jinja2 = pytest.importorskip("jinja2")

MODULES = [
    "", "sandbox", "ext", "nativetypes", "meta", "bccache", "utils", "lexer", "parser", "nodes",
    "compiler", "runtime", "environment", "loaders", "exceptions", "filters", "tests", "defaults",
    "debug", "async_utils", "visitor", "constants",
]  # fmt: skip

#: Jinja2 internals deliberately absent: access names the limitation.
NOT_PROVIDED = {
    "": {"idtracking", "optimizer"},
    "meta": {"TrackingCodeGenerator"},
    "compiler": {
        "CompilerExit", "DependencyFinderVisitor", "MacroRef", "Optimizer", "Symbols",
        "UndeclaredNameVisitor", "VAR_LOAD_ALIAS", "VAR_LOAD_PARAMETER", "VAR_LOAD_RESOLVE",
        "VAR_LOAD_UNDEFINED", "VisitorExit", "find_undeclared", "optimizeconst",
    },
}  # fmt: skip


def _jinja_public_names(module: types.ModuleType) -> set[str]:
    """Names the module defines or re-exports from Jinja2/MarkupSafe, and its constants
    (not stdlib helpers it happens to import, nor typing variables)."""
    names = set()
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if isinstance(value, types.ModuleType):
            if value.__name__.startswith("jinja2."):
                names.add(name)
            continue
        if isinstance(value, t.TypeVar):
            continue
        if callable(value):
            origin = getattr(value, "__module__", None) or ""
            if origin.startswith(("jinja2", "markupsafe")) or name == "concat":
                names.add(name)
            continue
        names.add(name)
    return names


@pytest.mark.parametrize("module_name", MODULES)
def test_every_jinja2_name_is_here_or_names_its_limitation(module_name: str) -> None:
    suffix = f".{module_name}" if module_name else ""
    theirs = importlib.import_module("jinja2" + suffix)
    ours = importlib.import_module("microflask.templating" + suffix)
    missing = []
    refused = set()
    for name in sorted(_jinja_public_names(theirs)):
        try:
            getattr(ours, name)
        except AttributeError as exc:
            if "is not provided:" in str(exc):
                refused.add(name)
            else:
                missing.append(name)
    assert missing == []
    assert refused == NOT_PROVIDED.get(module_name, set())


def test_submodules_are_attributes_of_the_package() -> None:
    assert templating.sandbox is importlib.import_module("microflask.templating.sandbox")
    assert templating.visitor.NodeVisitor is templating.compiler.NodeVisitor
    with pytest.raises(AttributeError, match="optimizer is not provided"):
        templating.optimizer  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        templating.nope  # noqa: B018


def test_defaults_match_jinja2() -> None:
    from jinja2 import defaults as theirs

    from microflask.templating import defaults as ours

    for name in dir(theirs):
        if name.isupper() and name not in ("DEFAULT_FILTERS", "DEFAULT_TESTS", "DEFAULT_NAMESPACE"):
            assert getattr(ours, name) == getattr(theirs, name), name
    assert set(ours.DEFAULT_FILTERS) == set(theirs.DEFAULT_FILTERS)
    assert set(ours.DEFAULT_TESTS) == set(theirs.DEFAULT_TESTS)
    assert templating.environment.DEFAULT_FILTERS is ours.DEFAULT_FILTERS


def test_lipsum_uses_jinja2s_words() -> None:
    from jinja2.constants import LOREM_IPSUM_WORDS

    random.seed(3)
    text = templating.utils.generate_lorem_ipsum(n=40, html=False, min=20, max=21)
    words = {w.strip(",.").lower() for w in text.split()}
    assert words <= set(LOREM_IPSUM_WORDS.split())
    # 800 draws from 186 words reach the four the old list lacked (in practice every word)
    assert {"hac", "habitasse", "platea", "dictumst"} & words


@pytest.mark.parametrize(
    ("size", "kind"), [(0, type(None)), (-1, dict), (5, templating.utils.LRUCache)]
)
def test_create_and_copy_cache(size: int, kind: type) -> None:
    cache = templating.environment.create_cache(size)
    assert type(cache) is kind
    copied = templating.environment.copy_cache(cache)
    assert type(copied) is kind and copied is not cache or copied is None
    if isinstance(cache, templating.utils.LRUCache):
        assert copied.capacity == 5  # type: ignore[union-attr]


def test_spontaneous_environment_is_shared() -> None:
    env = templating.environment.get_spontaneous_environment(templating.Environment, "<%", "%>")
    assert env.shared and env.block_start_string == "<%"
    assert templating.environment.get_spontaneous_environment(templating.Environment, "<%", "%>") is env
    assert templating.Environment().shared is False
    assert templating.Template("x").environment.shared is True


def test_lexer_helpers() -> None:
    lexer = templating.lexer
    assert lexer.count_newlines("a\nb\r\nc\rd") == 3
    assert lexer.get_lexer(templating.Environment()).tokenize("{{ x }}")[1].value == "x"
    assert lexer.ignored_tokens == jinja2.lexer.ignored_tokens
    assert lexer.ignore_if_empty == jinja2.lexer.ignore_if_empty
    for regex, text in [("name_re", "abc"), ("integer_re", "1_000"), ("float_re", "1.5e3"), ("string_re", "'a\\'b'"), ("operator_re", "//")]:
        assert getattr(lexer, regex).match(text).group() == text
    assert lexer.whitespace_re.match(" \t\nx").end() == 3
    with pytest.raises(templating.TemplateSyntaxError, match="boom") as info:
        lexer.Failure("boom")(3, "f.html")
    assert info.value.lineno == 3 and info.value.filename == "f.html"
    assert lexer.OptionalLStrip(1, 2) == (1, 2)
    assert [rule[0] for rule in lexer.compile_rules(templating.Environment())] == [
        rule[0] for rule in jinja2.lexer.compile_rules(jinja2.Environment())
    ]
    stream = templating.Environment()._tokenize("{{ a }}", None)
    assert [tok.type for tok in lexer.TokenStreamIterator(stream)] == ["variable_begin", "name", "variable_end"]


def test_args_as_const_and_node_type() -> None:
    nodes = templating.nodes
    call = templating.Environment().parse("{{ f(1, *[2], a=3, **{'b': 4}) }}").find(nodes.Call)
    assert nodes.args_as_const(call, None) == ([1, 2], {"a": 3, "b": 4})
    dynamic = templating.Environment().parse("{{ f(x) }}").find(nodes.Call)
    with pytest.raises(nodes.Impossible):
        nodes.args_as_const(dynamic, None)
    assert isinstance(nodes.Call, nodes.NodeType)


def test_filters_module_names() -> None:
    filters = templating.filters
    assert filters.do_mark_unsafe(templating.Markup("<b>")) == "<b>"
    assert type(filters.do_mark_unsafe(templating.Markup("<b>"))) is str
    assert filters.ignore_case("AbC") == "abc" and filters.ignore_case(3) == 3
    assert filters.sync_do_list is filters.do_list
    env = templating.Environment()
    assert list(filters.select_or_reject(env.from_string("").new_context(), [1, 2, 3, 4], ("odd",), {}, lambda x: x, False)) == [1, 3]


def test_async_variant_decorator() -> None:
    from microflask.templating.async_utils import async_variant

    @templating.pass_environment
    def normal(env: t.Any, value: int) -> str:
        return "sync"

    @async_variant(normal)
    async def either(env: t.Any, value: int) -> str:
        return "async"

    assert either(templating.Environment(), 1) == "sync"
    assert asyncio.run(either(templating.Environment(enable_async=True), 1)) == "async"
    assert either.__name__ == "normal" and either.jinja_pass_arg is normal.jinja_pass_arg  # type: ignore[attr-defined]


def test_runtime_exported_names() -> None:
    assert templating.runtime.exported == jinja2.runtime.exported
    assert templating.runtime.async_exported == jinja2.runtime.async_exported
    for name in templating.runtime.exported:
        assert hasattr(templating.runtime, name), name


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("args", [(1, False, 5, 9), (3, True, 20, 100), (2, False, 1, 60), ()])
def test_lipsum_with_a_seeded_random_is_jinja2s_text(seed: int, args: tuple[t.Any, ...]) -> None:
    random.seed(seed)
    theirs = jinja2.utils.generate_lorem_ipsum(*args)
    random.seed(seed)
    ours = templating.utils.generate_lorem_ipsum(*args)
    assert ours == theirs
    assert isinstance(ours, templating.Markup) == isinstance(theirs, jinja2.utils.markupsafe.Markup)


CLASSES = [
    "Environment", "Template", "runtime.Context", "runtime.LoopContext", "runtime.Macro", "runtime.Undefined",
    "runtime.TemplateReference", "runtime.BlockReference", "runtime.AsyncLoopContext", "sandbox.SandboxedEnvironment",
    "nativetypes.NativeEnvironment", "bccache.BytecodeCache", "bccache.Bucket", "loaders.BaseLoader",
    "loaders.FileSystemLoader", "ext.Extension", "ext.InternationalizationExtension", "utils.LRUCache",
    "utils.Cycler", "utils.Namespace", "environment.TemplateModule", "environment.TemplateStream",
    "environment.TemplateExpression", "lexer.Lexer", "lexer.TokenStream", "parser.Parser", "nodes.Node",
]  # fmt: skip


@pytest.mark.parametrize("path", CLASSES)
def test_classes_have_jinja2s_public_attributes(path: str) -> None:
    module, _, name = path.rpartition(".")
    suffix = f".{module}" if module else ""
    theirs = getattr(importlib.import_module("jinja2" + suffix), name)
    ours = getattr(importlib.import_module("microflask.templating" + suffix), name)
    assert sorted(n for n in dir(theirs) if not n.startswith("_") and not hasattr(ours, n)) == []


def test_template_from_module_dict_and_lexer_wrap() -> None:
    env = templating.Environment()
    compiled = env.from_string("hi {{ x }}{% block b %}!{% endblock %}")
    namespace = {"root": compiled.root_render_func, "blocks": compiled.blocks, "name": "t.html"}
    template = templating.Template.from_module_dict(env, namespace, {})
    assert template.render(x=1) == "hi 1!" and template.name == "t.html"
    with pytest.raises(ValueError, match="not the namespace of a compiled template"):
        templating.Template.from_module_dict(env, {}, {})
    lexer = env.lexer
    assert list(lexer.tokeniter("a{{ x }}")) == [(1, "data", "a"), (1, "variable_begin", "{{"), (1, "name", "x"), (1, "variable_end", "}}")]
    assert [tok.type for tok in lexer.wrap([(1, "whitespace", " "), (1, "name", "y")])] == ["name"]
    assert templating.Template.environment_class is templating.Environment
    assert env.concat(["a", "b"]) == "ab"


@pytest.mark.parametrize(
    "value",
    [None, NotImplemented, Ellipsis, True, 1, 1.5, 1j, "s", b"b", bytearray(b"x"), range(2), [range(2)],
     {range(1): 1}, (1, [object()]), {1, 2}, frozenset(), object()],
)  # fmt: skip
def test_has_safe_repr_answers_as_jinja2(value: t.Any) -> None:
    assert templating.compiler.has_safe_repr(value) == jinja2.compiler.has_safe_repr(value)
