"""The AST node classes: Jinja2's names, fields and construction rules."""

from __future__ import annotations

import typing as t

import pytest

from microflask.markup import Markup
from microflask.templating import Environment, nodes

try:
    import jinja2
    import jinja2.nodes
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]

needs_jinja2 = pytest.mark.skipif(jinja2 is None, reason="needs jinja2 as a reference")

#: name -> (base, fields) as Jinja2 3.1 defines them.
NODE_TABLE = {
    "Template": ("Node", ("body",)),
    "Output": ("Stmt", ("nodes",)),
    "Extends": ("Stmt", ("template",)),
    "For": ("Stmt", ("target", "iter", "body", "else_", "test", "recursive")),
    "If": ("Stmt", ("test", "body", "elif_", "else_")),
    "Macro": ("Stmt", ("name", "args", "defaults", "body")),
    "CallBlock": ("Stmt", ("call", "args", "defaults", "body")),
    "FilterBlock": ("Stmt", ("body", "filter")),
    "With": ("Stmt", ("targets", "values", "body")),
    "Block": ("Stmt", ("name", "body", "scoped", "required")),
    "Include": ("Stmt", ("template", "with_context", "ignore_missing")),
    "Import": ("Stmt", ("template", "target", "with_context")),
    "FromImport": ("Stmt", ("template", "names", "with_context")),
    "ExprStmt": ("Stmt", ("node",)),
    "Assign": ("Stmt", ("target", "node")),
    "AssignBlock": ("Stmt", ("target", "filter", "body")),
    "Name": ("Expr", ("name", "ctx")),
    "NSRef": ("Expr", ("name", "attr")),
    "Const": ("Literal", ("value",)),
    "TemplateData": ("Literal", ("data",)),
    "Tuple": ("Literal", ("items", "ctx")),
    "List": ("Literal", ("items",)),
    "Dict": ("Literal", ("items",)),
    "Pair": ("Helper", ("key", "value")),
    "Keyword": ("Helper", ("key", "value")),
    "CondExpr": ("Expr", ("test", "expr1", "expr2")),
    "Filter": ("_FilterTestCommon", ("node", "name", "args", "kwargs", "dyn_args", "dyn_kwargs")),
    "Test": ("_FilterTestCommon", ("node", "name", "args", "kwargs", "dyn_args", "dyn_kwargs")),
    "Call": ("Expr", ("node", "args", "kwargs", "dyn_args", "dyn_kwargs")),
    "Getitem": ("Expr", ("node", "arg", "ctx")),
    "Getattr": ("Expr", ("node", "attr", "ctx")),
    "Slice": ("Expr", ("start", "stop", "step")),
    "Concat": ("Expr", ("nodes",)),
    "Compare": ("Expr", ("expr", "ops")),
    "Operand": ("Helper", ("op", "expr")),
    "Mul": ("BinExpr", ("left", "right")),
    "Div": ("BinExpr", ("left", "right")),
    "FloorDiv": ("BinExpr", ("left", "right")),
    "Add": ("BinExpr", ("left", "right")),
    "Sub": ("BinExpr", ("left", "right")),
    "Mod": ("BinExpr", ("left", "right")),
    "Pow": ("BinExpr", ("left", "right")),
    "And": ("BinExpr", ("left", "right")),
    "Or": ("BinExpr", ("left", "right")),
    "Not": ("UnaryExpr", ("node",)),
    "Neg": ("UnaryExpr", ("node",)),
    "Pos": ("UnaryExpr", ("node",)),
    "EnvironmentAttribute": ("Expr", ("name",)),
    "ExtensionAttribute": ("Expr", ("identifier", "name")),
    "ImportedName": ("Expr", ("importname",)),
    "InternalName": ("Expr", ("name",)),
    "MarkSafe": ("Expr", ("expr",)),
    "MarkSafeIfAutoescape": ("Expr", ("expr",)),
    "ContextReference": ("Expr", ()),
    "DerivedContextReference": ("Expr", ()),
    "Continue": ("Stmt", ()),
    "Break": ("Stmt", ()),
    "Scope": ("Stmt", ("body",)),
    "OverlayScope": ("Stmt", ("context", "body")),
    "EvalContextModifier": ("Stmt", ("options",)),
    "ScopedEvalContextModifier": ("EvalContextModifier", ("options", "body")),
}


@pytest.mark.parametrize(("name", "expected"), sorted(NODE_TABLE.items()))
def test_node_classes_have_jinja_names_bases_and_fields(name: str, expected: tuple[str, tuple[str, ...]]) -> None:
    cls = getattr(nodes, name)
    base, fields = expected
    assert isinstance(cls, type) and cls.__bases__[0].__name__ == base
    assert cls.fields == fields
    assert cls.attributes == ("lineno", "environment")
    assert issubclass(cls, nodes.Node)


@needs_jinja2
def test_node_table_matches_installed_jinja2() -> None:
    for name in dir(jinja2.nodes):
        cls = getattr(jinja2.nodes, name)
        if isinstance(cls, type) and issubclass(cls, jinja2.nodes.Node) and not cls.abstract:
            ours = getattr(nodes, name)
            assert ours.fields == cls.fields, name
            assert ours.__bases__[0].__name__ == cls.__bases__[0].__name__, name


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: nodes.Const(1, 2), "'Const' takes 0 or 1 argument"),
        (lambda: nodes.Output(1, 2), "'Output' takes 0 or 1 argument"),
        (lambda: nodes.Getattr(1), "'Getattr' takes 0 or 3 arguments"),
        (lambda: nodes.Break(1), "'Break' takes 0 arguments"),
        (lambda: nodes.Const(1, foo=1), "unknown attribute 'foo'"),
        (lambda: nodes.Expr(), "abstract nodes are not instantiable"),
        (lambda: nodes.BinExpr(1, 2), "abstract nodes are not instantiable"),
        (lambda: nodes.InternalName(), "Can't create internal names. Use the `free_identifier` method on a parser."),
    ],
)
def test_construction_errors(build: t.Callable[[], t.Any], message: str) -> None:
    with pytest.raises(TypeError) as info:
        build()
    assert str(info.value) == message


@needs_jinja2
@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [("Const", (1, 2), {}), ("Break", (1,), {}), ("Const", (1,), {"foo": 1}), ("Getattr", (1,), {})],
)
def test_construction_errors_match_jinja2(name: str, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> None:
    with pytest.raises(TypeError) as theirs:
        getattr(jinja2.nodes, name)(*args, **kwargs)
    with pytest.raises(TypeError) as ours:
        getattr(nodes, name)(*args, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_construction_forms() -> None:
    empty = nodes.Const()
    assert not hasattr(empty, "value") and empty.lineno is None and empty.environment is None
    node = nodes.Const(42, lineno=7)
    assert node.value == 42 and node.lineno == 7
    assert node == nodes.Const(42) and node != nodes.Const(43) and node != nodes.TemplateData(42)
    assert len({node, nodes.Const(42)}) == 2  # hashed by identity, like Jinja2
    assert repr(nodes.Output([nodes.Const(1)])) == "Output(nodes=[Const(value=1)])"


def test_subclass_fields_extend_the_base() -> None:
    class Tagged(nodes.Stmt):
        fields = ("tag", "body")

    class MoreTagged(Tagged):
        fields = ("extra",)

    assert Tagged.fields == ("tag", "body") and MoreTagged.fields == ("tag", "body", "extra")
    node = MoreTagged("t", [nodes.Output([])], 1, lineno=3)
    assert [name for name, _ in node.iter_fields()] == ["tag", "body", "extra"]
    assert list(node.iter_child_nodes()) == [node.body[0]]


def test_walking_and_setters() -> None:
    tree = Environment().parse("{% if a %}{{ b.c[1]|f(x) }}{% endif %}{{ 1 + y }}")
    test = tree.body[0]
    assert isinstance(test, nodes.If)
    assert [name for name, _ in test.iter_fields(exclude=("test",))] == ["body", "elif_", "else_"]
    assert [name for name, _ in test.iter_fields(only=("test", "else_"))] == ["test", "else_"]
    assert tree.find(nodes.Name) == nodes.Name("a", "load")
    assert [n.name for n in tree.find_all(nodes.Name)] == ["a", "b", "x", "y"]
    assert tree.find(nodes.Slice) is None
    add = tree.find(nodes.Add)
    assert isinstance(add, nodes.Add) and add.operator == "+"
    assert [type(c).__name__ for c in add.iter_child_nodes()] == ["Const", "Name"]
    target = nodes.Tuple([nodes.Name("a", "load"), nodes.Name("b", "load")], "load")
    target.set_ctx("store")
    assert target.ctx == "store" and all(item.ctx == "store" for item in target.items)
    call = nodes.Call(nodes.Name("f", "load", lineno=2), [nodes.Const(1)], [], None, None)
    call.set_lineno(9)
    assert call.lineno == 9 and call.node.lineno == 2 and call.args[0].lineno == 9
    call.set_lineno(4, override=True)
    assert call.node.lineno == 4
    env = Environment()
    assert call.set_environment(env).args[0].environment is env


def test_as_const() -> None:
    assert nodes.Add(nodes.Const(1), nodes.Const(2)).as_const() == 3
    assert nodes.Neg(nodes.Const(3)).as_const() == -3
    assert nodes.Tuple([nodes.Const(1), nodes.Const("a")], "load").as_const() == (1, "a")
    assert nodes.Dict([nodes.Pair(nodes.Const("k"), nodes.Const(1))]).as_const() == {"k": 1}
    assert nodes.Compare(nodes.Const(1), [nodes.Operand("lt", nodes.Const(2))]).as_const() is True
    with pytest.raises(nodes.Impossible):
        nodes.Name("x", "load").as_const()
    with pytest.raises(nodes.Impossible):
        nodes.Div(nodes.Const(1), nodes.Const(0)).as_const()
    assert nodes.Const.from_untrusted([1, "a"]).value == [1, "a"]
    with pytest.raises(nodes.Impossible):
        nodes.Const.from_untrusted(object())
    assert nodes.Name("x", "store").can_assign() and not nodes.Name("true", "store").can_assign()
    assert not nodes.Const(1).can_assign()
    escaping = nodes.EvalContext(Environment(autoescape=True))
    assert nodes.TemplateData("<x>").as_const(escaping) == Markup("<x>")
    assert nodes.MarkSafeIfAutoescape(nodes.Const("<")).as_const(escaping) == Markup("<")
    assert nodes.TemplateData("<x>").as_const(nodes.EvalContext(Environment())) == "<x>"
    with pytest.raises(RuntimeError):
        nodes.TemplateData("x").as_const()
    assert nodes.get_eval_context(nodes.Const(1).set_environment(Environment()), None).autoescape is False


PARSE_CASES = [
    "a{{ x }}b",
    "{% for a, b in x|items if a %}{{ a ~ b }}{% else %}e{% endfor %}",
    "{% if a %}1{% elif b %}2{% else %}3{% endif %}",
    "{{ 1 + 2 * 3 - 4 / 5 // 6 % 7 ** 8 }}{{ -x }}{{ +x }}{{ not x }}{{ a and b or c }}",
    "{{ a < b <= c == d != e > f >= g }}{{ a in b }}{{ a not in b }}",
    "{{ a.b[c]['d'][1:2:3][:] }}{{ f(1, x=2, *a, **k) }}{{ x|f(1)|g }}{{ x is t(1) }}{{ x is not t 2 }}",
    "{{ [1, 2] }}{{ (1,) }}{{ {'a': 1} }}{{ 'a' if b else c }}{{ 'a' if b }}",
    "{% macro m(a, b=1) %}{{ caller() }}{% endmacro %}{% call(x) m(1) %}{{ x }}{% endcall %}",
    "{% filter upper %}x{% endfilter %}{% set a = 1 %}{% set b %}x{% endset %}{% set c | upper %}y{% endset %}",
    "{% with a=1, b=2 %}{{ a }}{% endwith %}{% block x scoped %}b{% endblock %}",
    "{% extends 'a' %}{% include 'b' ignore missing without context %}{% import 'c' as d %}"
    "{% from 'e' import f, g as h with context %}",
    "{% set ns.a = 1 %}{% autoescape true %}x{% endautoescape %}{% print 1, 2 %}",
    "{% for x in y recursive %}{{ loop(x) }}{% endfor %}{% raw %}{{ %}{% endraw %}",
    "{% do x.append(1) %}{% for i in x %}{% break %}{% continue %}{% endfor %}",
]


@needs_jinja2
@pytest.mark.parametrize("source", PARSE_CASES)
def test_parse_builds_the_same_tree_as_jinja2(source: str) -> None:
    extensions = ["jinja2.ext.do", "jinja2.ext.loopcontrols"]
    theirs = jinja2.Environment(extensions=extensions).parse(source).dump()
    ours = Environment(extensions=extensions).parse(source).dump()
    assert ours == theirs


def test_dump_format() -> None:
    tree = Environment().parse("{{ a.b }}")
    assert tree.dump() == "nodes.Template([nodes.Output([nodes.Getattr(nodes.Name('a', 'load'), 'b', 'load')])])"


def _linenos(tree: nodes.Node) -> list[tuple[str, int | None]]:
    found = [(type(tree).__name__, tree.lineno)]
    for child in tree.iter_child_nodes():
        found.extend(_linenos(child))
    return found


LINENO_CASES = [
    "{{ k[1:2] -\nnone or ((m)) != (1) or e['k'] }}",
    "{% if a\nand b and\nc %}x{% endif %}",
    "{% autoescape true %}\n{{ x }}{% endautoescape %}",
    "{{ a }}\n\n{% for x in y\nif x %}{{ x\n+ 1 }}{% endfor %}",
]


@pytest.mark.parametrize("source", LINENO_CASES)
def test_line_numbers_match_jinja2(source: str) -> None:
    ours = _linenos(Environment().parse(source))
    assert ours[0] == ("Template", 1)
    if jinja2 is not None:
        assert ours == _linenos(jinja2.Environment().parse(source))  # type: ignore[arg-type]


def test_or_chain_line_numbers() -> None:
    output = Environment().parse("{{ a -\nb or c or d }}").body[0]
    assert output.lineno == 2 and output.nodes[0].lineno == 2 and output.nodes[0].left.lineno == 1
