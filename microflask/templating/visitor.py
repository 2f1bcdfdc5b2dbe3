"""Walking and rewriting the template AST (Jinja2's ``jinja2.visitor``)."""

from __future__ import annotations

import typing as t

from .nodes import Node

VisitCallable = t.Callable[..., t.Any]


class NodeVisitor:
    """Calls ``visit_<ClassName>(node)`` for each node it visits.

    A node without such a method goes to :meth:`generic_visit`, which visits
    its children. The return value of the visitor method is passed back.
    """

    def get_visitor(self, node: Node) -> VisitCallable | None:
        """The ``visit_<ClassName>`` method for ``node``, or ``None``."""
        return getattr(self, f"visit_{type(node).__name__}", None)

    def visit(self, node: Node, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Visit ``node`` (its own method, else :meth:`generic_visit`)."""
        visitor = self.get_visitor(node)
        if visitor is not None:
            return visitor(node, *args, **kwargs)
        return self.generic_visit(node, *args, **kwargs)

    def generic_visit(self, node: Node, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Visit every child of ``node``."""
        for child in node.iter_child_nodes():
            self.visit(child, *args, **kwargs)


class NodeTransformer(NodeVisitor):
    """A visitor whose methods return the replacement for the visited node.

    Returning ``None`` removes the node; inside a list field a visitor may
    also return a list of nodes to splice in.
    """

    def generic_visit(self, node: Node, *args: t.Any, **kwargs: t.Any) -> Node:
        for field, old in node.iter_fields():
            if isinstance(old, list):
                new: list[t.Any] = []
                for item in old:
                    if isinstance(item, Node):
                        item = self.visit(item, *args, **kwargs)
                        if item is None:
                            continue
                        if not isinstance(item, Node):
                            new.extend(item)
                            continue
                    new.append(item)
                old[:] = new
            elif isinstance(old, Node):
                replacement = self.visit(old, *args, **kwargs)
                if replacement is None:
                    delattr(node, field)
                else:
                    setattr(node, field, replacement)
        return node

    def visit_list(self, node: Node, *args: t.Any, **kwargs: t.Any) -> list[Node]:
        """Visit ``node`` and always return a list (for list fields)."""
        result = self.visit(node, *args, **kwargs)
        if not isinstance(result, list):
            return [result]
        return result
