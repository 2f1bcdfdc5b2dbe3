"""visitor (NodeVisitor, NodeTransformer), constants and utils.import_string."""

from __future__ import annotations

import pytest

from microflask.templating import Environment, nodes
from microflask.templating.constants import LOREM_IPSUM_WORDS
from microflask.templating.visitor import NodeTransformer, NodeVisitor


class NameCollector(NodeVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: nodes.Name) -> None:
        self.names.append(node.name)


class ShoutConstants(NodeTransformer):
    def visit_Const(self, node: nodes.Const) -> nodes.Node:
        return nodes.Const(str(node.value).upper(), lineno=node.lineno)

    def visit_TemplateData(self, node: nodes.TemplateData) -> None:
        return None  # drop literal text


class SplitOutput(NodeTransformer):
    def visit_Output(self, node: nodes.Output) -> list[nodes.Node]:
        return [nodes.Output([child]) for child in node.nodes]


def test_node_visitor_dispatches_by_class_name() -> None:
    collector = NameCollector()
    collector.visit(Environment().parse("{% for a in b %}{{ a ~ c.d }}{% endfor %}{{ e|f(g) }}"))
    assert collector.names == ["a", "b", "a", "c", "e", "g"]
    assert collector.get_visitor(nodes.Const(1)) is None


def test_node_transformer_replaces_removes_and_splices() -> None:
    env = Environment()
    tree = ShoutConstants().visit(env.parse("a{{ 'x' }}b{{ y }}"))
    assert env.from_string(tree).render(y="y") == "Xy"
    split = SplitOutput().visit(env.parse("a{{ 1 }}"))
    assert [len(node.nodes) for node in split.body] == [1, 1]
    assert SplitOutput().visit_list(nodes.Output([nodes.Const(1)]))[0].nodes == [nodes.Const(1)]
    assert ShoutConstants().visit_list(nodes.Const("q")) == [nodes.Const("Q")]


def test_lorem_ipsum_words() -> None:
    words = LOREM_IPSUM_WORDS.split()
    assert len(words) == len(set(words)) == 186 and words[0] == "a"
    out = Environment().from_string("{{ lipsum(1, false, 3, 4) }}").render()
    assert all(word.strip(".,").lower() in words for word in out.split())


def test_import_string() -> None:
    import os.path

    from microflask.templating.utils import import_string

    assert import_string("os.path:join") is os.path.join
    assert import_string("os.path.join") is os.path.join
    assert import_string("os") is os
    assert import_string("no_such_module_xyz.thing", silent=True) is None
    assert import_string("os.no_such_name", silent=True) is None
    with pytest.raises(ImportError):
        import_string("no_such_module_xyz.thing")
    with pytest.raises(AttributeError):
        import_string("os:no_such_name")
