"""The template AST: plain node classes the parser builds and the compiler reads.

Every node has ``fields`` (its children and attributes, in order) and a
``lineno``. :meth:`Node.iter_child_nodes` walks children generically, which the
compiler's symbol analysis relies on.
"""

from __future__ import annotations

import typing as t


class Node:
    """Base class of every node."""

    fields: tuple[str, ...] = ()
    __slots__ = ("lineno",)

    def __init__(self, *args: t.Any, lineno: int = 0) -> None:
        if len(args) != len(self.fields):
            raise TypeError(f"{type(self).__name__} takes {len(self.fields)} fields")
        for name, value in zip(self.fields, args):
            setattr(self, name, value)
        self.lineno = lineno

    def iter_child_nodes(self) -> t.Iterator[Node]:
        """Yield the direct child nodes (looking into lists and tuples)."""
        for name in self.fields:
            value = getattr(self, name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Node):
                        yield item
                    elif isinstance(item, tuple):
                        for sub in item:
                            if isinstance(sub, Node):
                                yield sub

    def find_all(self, kind: type | tuple[type, ...]) -> t.Iterator[t.Any]:
        """Yield every descendant that is an instance of ``kind``."""
        for child in self.iter_child_nodes():
            if isinstance(child, kind):
                yield child
            yield from child.find_all(kind)

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.fields)
        return f"{type(self).__name__}({args})"


def _node(name: str, fields: str, base: type = Node) -> type:
    """Make a node class with ``fields`` (space-separated) as its slots."""
    names = tuple(fields.split())
    kind = "A statement" if base is Stmt else "An expression" if base is Expr else "A"
    doc = f"{kind} node with the fields ({', '.join(names)})." if names else f"{kind} node without fields."
    return type(name, (base,), {"fields": names, "__slots__": names, "__doc__": doc})


class Stmt(Node):
    """Base class of statements."""

    __slots__ = ()


class Expr(Node):
    """Base class of expressions."""

    __slots__ = ()


# -- statements ---------------------------------------------------------------
Template = _node("Template", "body", Stmt)
Output = _node("Output", "nodes", Stmt)
If = _node("If", "test body elif_ else_", Stmt)
For = _node("For", "target iter body else_ test recursive", Stmt)
Assign = _node("Assign", "target node", Stmt)
AssignBlock = _node("AssignBlock", "target filter body", Stmt)
With = _node("With", "targets values body", Stmt)
Macro = _node("Macro", "name args defaults body", Stmt)
CallBlock = _node("CallBlock", "call args defaults body", Stmt)
FilterBlock = _node("FilterBlock", "body filter", Stmt)
Extends = _node("Extends", "template", Stmt)
Block = _node("Block", "name body scoped required", Stmt)
Include = _node("Include", "template with_context ignore_missing", Stmt)
Import = _node("Import", "template target with_context", Stmt)
FromImport = _node("FromImport", "template names with_context", Stmt)
AutoEscape = _node("AutoEscape", "value body", Stmt)
ExprStmt = _node("ExprStmt", "node", Stmt)
Break = _node("Break", "", Stmt)
Continue = _node("Continue", "", Stmt)

# -- expressions ----------------------------------------------------------------
TemplateData = _node("TemplateData", "data", Expr)
Name = _node("Name", "name ctx", Expr)
NSRef = _node("NSRef", "name attr", Expr)
Const = _node("Const", "value", Expr)
TupleNode = _node("Tuple", "items ctx", Expr)
ListNode = _node("List", "items", Expr)
DictNode = _node("Dict", "items", Expr)
Pair = _node("Pair", "key value", Expr)
Keyword = _node("Keyword", "key value", Expr)
CondExpr = _node("CondExpr", "test expr1 expr2", Expr)
BinOp = _node("BinOp", "op left right", Expr)
UnaryOp = _node("UnaryOp", "op node", Expr)
Concat = _node("Concat", "nodes", Expr)
Compare = _node("Compare", "expr ops", Expr)
Operand = _node("Operand", "op expr", Expr)
Getattr = _node("Getattr", "node attr", Expr)
Getitem = _node("Getitem", "node arg", Expr)
Slice = _node("Slice", "start stop step", Expr)
Call = _node("Call", "node args kwargs dyn_args dyn_kwargs", Expr)
Filter = _node("Filter", "node name args kwargs dyn_args dyn_kwargs", Expr)
Test = _node("Test", "node name args kwargs dyn_args dyn_kwargs", Expr)
