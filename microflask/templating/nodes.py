"""The template AST: the node classes the parser builds and the compiler reads.

The classes, their names and the order of their ``fields`` are Jinja2's, so
an extension written for Jinja2 builds its nodes here unchanged
(``nodes.CallBlock(self.call_method("_cache", args), [], [], body)``).

A class lists only the fields it adds; ``fields`` on the class is the full
tuple, its bases' fields first (so ``Add`` has ``left, right`` from
:class:`BinExpr`). Nodes are constructed with the fields positionally (all or
none) and the ``attributes`` (``lineno``, ``environment``) by keyword.
"""

from __future__ import annotations

import operator
import typing as t
from collections import deque

from ..markup import Markup
from .runtime import EvalContext as EvalContext

if t.TYPE_CHECKING:
    from .environment import Environment

_N = t.TypeVar("_N", bound="Node")

_BINOP_FUNCS: dict[str, t.Callable[[t.Any, t.Any], t.Any]] = {
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "**": operator.pow,
    "%": operator.mod,
    "+": operator.add,
    "-": operator.sub,
}
_UNOP_FUNCS: dict[str, t.Callable[[t.Any], t.Any]] = {
    "not": operator.not_,
    "+": operator.pos,
    "-": operator.neg,
}
_CMP_FUNCS: dict[str, t.Callable[[t.Any, t.Any], t.Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gteq": operator.ge,
    "lt": operator.lt,
    "lteq": operator.le,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}


class Impossible(Exception):
    """Raised when a node cannot be evaluated at compile time (``as_const``)."""


def get_eval_context(node: Node, ctx: EvalContext | None) -> EvalContext:
    """``ctx``, or a new eval context for the environment attached to ``node``."""
    if ctx is None:
        if node.environment is None:
            raise RuntimeError("if no eval context is passed, the node must have an attached environment.")
        return EvalContext(node.environment)
    return ctx


def has_safe_repr(value: t.Any) -> bool:
    """Whether ``repr(value)`` is Python source that rebuilds ``value``."""
    if value is None or value is NotImplemented or value is Ellipsis:
        return True
    # as Jinja2 answers it: ``range`` yes, ``bytes`` no
    if type(value) in (bool, int, float, complex, range, str, Markup):
        return True
    if type(value) in (tuple, list, set, frozenset):
        return all(has_safe_repr(v) for v in value)
    if type(value) is dict:
        return all(has_safe_repr(k) and has_safe_repr(v) for k, v in value.items())
    return False


class NodeType(type):
    """The metaclass of :class:`Node` (Jinja2's name; fields are declared by
    each class's ``fields`` and combined with its bases')."""


class Node(metaclass=NodeType):
    """Base class of every node.

    :param fields: the node's fields, positionally: all of them or none.
    :param attributes: ``lineno`` and ``environment`` (and any attribute a
        subclass adds to :attr:`attributes`).
    """

    #: The node's children and values, in order (bases' fields first).
    fields: tuple[str, ...] = ()
    #: Keyword-only extras every node carries.
    attributes: tuple[str, ...] = ("lineno", "environment")
    #: Abstract nodes (``Expr``, ``BinExpr``...) cannot be instantiated.
    abstract = True

    #: The template line the node starts on.
    lineno: int | None = None
    #: The environment, when a caller set one with :meth:`set_environment`.
    environment: Environment | None = None

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        base = cls.__mro__[1]
        own = cls.__dict__
        if "fields" in own:
            combined = tuple(getattr(base, "fields", ())) + tuple(own["fields"])
            if len(set(combined)) != len(combined):
                raise TypeError(f"node {cls.__name__!r} repeats a field of its base")
            cls.fields = combined
        if "attributes" in own:
            cls.attributes = tuple(getattr(base, "attributes", ())) + tuple(own["attributes"])
        if "abstract" not in own:
            cls.abstract = False

    def __init__(self, *fields: t.Any, **attributes: t.Any) -> None:
        if self.abstract:
            raise TypeError("abstract nodes are not instantiable")
        if fields:
            names = self.fields
            if len(fields) != len(names):
                if not names:
                    raise TypeError(f"{type(self).__name__!r} takes 0 arguments")
                plural = "" if len(names) == 1 else "s"
                raise TypeError(f"{type(self).__name__!r} takes 0 or {len(names)} argument{plural}")
            self.__dict__.update(zip(names, fields))  # pyright: ignore[reportAttributeAccessIssue]  # it reads the metaclass's mappingproxy
        if attributes:
            # PERF: the parser passes exactly ``lineno``; skip the general loop
            if len(attributes) == 1 and "lineno" in attributes:
                self.lineno = attributes["lineno"]
                return
            allowed = self.attributes
            for name, value in attributes.items():
                if name not in allowed:
                    raise TypeError(f"unknown attribute {name!r}")
                setattr(self, name, value)

    # -- walking -------------------------------------------------------------------

    def iter_fields(
        self, exclude: t.Container[str] | None = None, only: t.Container[str] | None = None
    ) -> t.Iterator[tuple[str, t.Any]]:
        """Yield ``(name, value)`` for each field that is set.

        :param exclude: field names to skip.
        :param only: if given, only these field names.
        """
        for name in self.fields:
            if (exclude is None and only is None) or (exclude is not None and name not in exclude) or (
                only is not None and name in only
            ):
                try:
                    yield name, getattr(self, name)
                except AttributeError:
                    pass

    def iter_child_nodes(
        self, exclude: t.Container[str] | None = None, only: t.Container[str] | None = None
    ) -> t.Iterator[Node]:
        """Yield the direct child nodes (looking into list fields)."""
        if exclude is None and only is None:
            # PERF: the compiler's symbol analysis walks every node this way
            d = self.__dict__
            for name in self.fields:
                value = d.get(name)
                if value is None or value.__class__ is str:
                    continue
                if value.__class__ is list or isinstance(value, (list, tuple)):
                    for item in value:
                        if isinstance(item, Node):
                            yield item
                elif isinstance(value, Node):
                    yield value
            return
        for _, value in self.iter_fields(exclude, only):
            if isinstance(value, Node):
                yield value
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Node):
                        yield item

    def find(self, node_type: type[_N]) -> _N | None:
        """The first descendant of type ``node_type`` (depth first), or ``None``."""
        for result in self.find_all(node_type):
            return result
        return None

    def find_all(self, node_type: type[_N] | tuple[type[_N], ...]) -> t.Iterator[_N]:
        """Yield every descendant that is an instance of ``node_type``."""
        for child in self.iter_child_nodes():
            if isinstance(child, node_type):
                yield child
            yield from child.find_all(node_type)

    def _walk(self) -> t.Iterator[Node]:
        todo: deque[Node] = deque([self])
        while todo:
            node = todo.popleft()
            todo.extend(node.iter_child_nodes())
            yield node

    # -- bulk setters --------------------------------------------------------------

    def set_ctx(self: _N, ctx: str) -> _N:
        """Set ``ctx`` (``load``/``store``/``param``) on this node and every descendant having it."""
        for node in self._walk():
            if "ctx" in node.fields:
                node.ctx = ctx  # type: ignore[attr-defined]  # "ctx" is one of its fields
        return self

    def set_lineno(self: _N, lineno: int, override: bool = False) -> _N:
        """Set the line of this node and its descendants (only where unset, unless ``override``)."""
        for node in self._walk():
            if "lineno" in node.attributes and (node.lineno is None or override):
                node.lineno = lineno
        return self

    def set_environment(self: _N, environment: Environment) -> _N:
        """Set the environment of this node and every descendant."""
        for node in self._walk():
            node.environment = environment
        return self

    # -- comparison and display ----------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other) or not isinstance(other, Node):
            return NotImplemented
        return tuple(self.iter_fields()) == tuple(other.iter_fields())

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name, None)!r}" for name in self.fields)
        return f"{type(self).__name__}({args})"

    def dump(self) -> str:
        """The node as the Python expression that builds it (``nodes.Const(1)``)."""
        parts: list[str] = []

        def walk(node: t.Any) -> None:
            if not isinstance(node, Node):
                parts.append(repr(node))
                return
            parts.append(f"nodes.{type(node).__name__}(")
            if not node.fields:
                parts.append(")")
                return
            for index, name in enumerate(node.fields):
                if index:
                    parts.append(", ")
                value = getattr(node, name, None)
                if isinstance(value, list):
                    parts.append("[")
                    for i, item in enumerate(value):
                        if i:
                            parts.append(", ")
                        walk(item)
                    parts.append("]")
                else:
                    walk(value)
            parts.append(")")

        walk(self)
        return "".join(parts)


class Stmt(Node):
    """Base class of statements."""

    abstract = True


class Helper(Node):
    """Nodes that only exist inside other nodes (``Pair``, ``Keyword``, ``Operand``)."""

    abstract = True


class Template(Node):
    """The root of a template's AST."""

    fields = ("body",)
    body: list[Node]


# -- statements ----------------------------------------------------------------------


class Output(Stmt):
    """Output the ``nodes`` (template data and ``{{ }}`` expressions) in order."""

    fields = ("nodes",)
    nodes: list[Expr]


class Extends(Stmt):
    """``{% extends template %}``."""

    fields = ("template",)
    template: Expr


class For(Stmt):
    """``{% for target in iter if test recursive %}body{% else %}else_{% endfor %}``."""

    fields = ("target", "iter", "body", "else_", "test", "recursive")
    target: Node
    iter: Node
    body: list[Node]
    else_: list[Node]
    test: Node | None
    recursive: bool


class If(Stmt):
    """``{% if test %}body{% elif %}...{% else %}else_{% endif %}``; ``elif_`` holds ``If`` nodes."""

    fields = ("test", "body", "elif_", "else_")
    test: Node
    body: list[Node]
    elif_: list[If]
    else_: list[Node]


class Macro(Stmt):
    """``{% macro name(args) %}``; ``defaults`` belong to the last arguments."""

    fields = ("name", "args", "defaults", "body")
    name: str
    args: list[Name]
    defaults: list[Expr]
    body: list[Node]


class CallBlock(Stmt):
    """``{% call(args) call %}body{% endcall %}``: ``call`` gets the body as ``caller``."""

    fields = ("call", "args", "defaults", "body")
    call: Call
    args: list[Name]
    defaults: list[Expr]
    body: list[Node]


class FilterBlock(Stmt):
    """``{% filter f %}body{% endfilter %}``."""

    fields = ("body", "filter")
    body: list[Node]
    filter: Filter


class With(Stmt):
    """``{% with a=1, b=2 %}``: ``targets`` and ``values`` are parallel lists."""

    fields = ("targets", "values", "body")
    targets: list[Expr]
    values: list[Expr]
    body: list[Node]


class Block(Stmt):
    """``{% block name scoped required %}``."""

    fields = ("name", "body", "scoped", "required")
    name: str
    body: list[Node]
    scoped: bool
    required: bool


class Include(Stmt):
    """``{% include template ignore missing with context %}``."""

    fields = ("template", "with_context", "ignore_missing")
    template: Expr
    with_context: bool
    ignore_missing: bool


class Import(Stmt):
    """``{% import template as target %}``."""

    fields = ("template", "target", "with_context")
    template: Expr
    target: str
    with_context: bool


class FromImport(Stmt):
    """``{% from template import a, b as c %}``; ``names`` holds names or ``(name, alias)`` tuples."""

    fields = ("template", "names", "with_context")
    template: Expr
    names: list[str | tuple[str, str]]
    with_context: bool


class ExprStmt(Stmt):
    """Evaluate ``node`` and drop the result (``{% do %}``)."""

    fields = ("node",)
    node: Node


class Assign(Stmt):
    """``{% set target = node %}``."""

    fields = ("target", "node")
    target: Expr
    node: Node


class AssignBlock(Stmt):
    """``{% set target | filter %}body{% endset %}``."""

    fields = ("target", "filter", "body")
    target: Expr
    filter: Filter | None
    body: list[Node]


class Continue(Stmt):
    """``{% continue %}`` (the ``loopcontrols`` extension)."""


class Break(Stmt):
    """``{% break %}`` (the ``loopcontrols`` extension)."""


class Scope(Stmt):
    """A nested variable scope: assignments in ``body`` stay inside it."""

    fields = ("body",)
    body: list[Node]


class OverlayScope(Stmt):
    """Run ``body`` with the names of the mapping ``context`` layered over the variables."""

    fields = ("context", "body")
    context: Expr
    body: list[Node]


class EvalContextModifier(Stmt):
    """Change the eval context (``options`` are ``Keyword`` nodes, e.g. ``autoescape``) from here on."""

    fields = ("options",)
    options: list[Keyword]


class ScopedEvalContextModifier(EvalContextModifier):
    """Change the eval context for ``body`` only (``{% autoescape %}``)."""

    fields = ("body",)
    body: list[Node]


# -- expressions ---------------------------------------------------------------------


class Expr(Node):
    """Base class of expressions."""

    abstract = True

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        """The expression's value at compile time.

        :raises Impossible: when it cannot be known before rendering.
        """
        raise Impossible()

    def can_assign(self) -> bool:
        """Whether the expression may be an assignment target."""
        return False


class BinExpr(Expr):
    """Base class of binary operators; ``operator`` is the operator's symbol."""

    fields = ("left", "right")
    left: Expr
    right: Expr
    operator: str
    abstract = True

    @property
    def op(self) -> str:
        """The operator's symbol (the name the compiler uses)."""
        return self.operator

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        func = _BINOP_FUNCS.get(self.operator)
        if func is None:
            raise Impossible()
        try:
            return func(self.left.as_const(eval_ctx), self.right.as_const(eval_ctx))
        except Exception as exc:
            raise Impossible() from exc


class UnaryExpr(Expr):
    """Base class of unary operators; ``operator`` is the operator's symbol."""

    fields = ("node",)
    node: Expr
    operator: str
    abstract = True

    @property
    def op(self) -> str:
        """The operator's symbol (the name the compiler uses)."""
        return self.operator

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        try:
            return _UNOP_FUNCS[self.operator](self.node.as_const(eval_ctx))
        except Exception as exc:
            raise Impossible() from exc


class Name(Expr):
    """A variable; ``ctx`` is ``load``, ``store`` or ``param``."""

    fields = ("name", "ctx")
    name: str
    ctx: str

    def can_assign(self) -> bool:
        return self.name not in ("true", "false", "none", "True", "False", "None")


class NSRef(Expr):
    """``ns.attr`` as an assignment target (``{% set ns.attr = 1 %}``)."""

    fields = ("name", "attr")
    name: str
    attr: str

    def can_assign(self) -> bool:
        return True


class Literal(Expr):
    """Base class of literals."""

    abstract = True


class Const(Literal):
    """A constant: a string, number, ``None``, a boolean, or a list/tuple of those."""

    fields = ("value",)
    value: t.Any

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return self.value

    @classmethod
    def from_untrusted(cls, value: t.Any, lineno: int | None = None, environment: Environment | None = None) -> Const:
        """A ``Const`` for ``value``, if its ``repr`` is valid Python source.

        :raises Impossible: otherwise.
        """
        if not has_safe_repr(value):
            raise Impossible()
        return cls(value, lineno=lineno, environment=environment)


class TemplateData(Literal):
    """Literal template text between tags."""

    fields = ("data",)
    data: str

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        eval_ctx = get_eval_context(self, eval_ctx)
        if eval_ctx.volatile:
            raise Impossible()
        return Markup(self.data) if eval_ctx.autoescape else self.data


class Tuple(Literal):
    """A tuple (also an unpacking assignment target when ``ctx`` is ``store``)."""

    fields = ("items", "ctx")
    items: list[Expr]
    ctx: str

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return tuple(item.as_const(eval_ctx) for item in self.items)

    def can_assign(self) -> bool:
        return all(item.can_assign() for item in self.items)


class List(Literal):
    """A list literal."""

    fields = ("items",)
    items: list[Expr]

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return [item.as_const(eval_ctx) for item in self.items]


class Dict(Literal):
    """A dict literal; ``items`` are :class:`Pair` nodes."""

    fields = ("items",)
    items: list[Pair]

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return dict(item.as_const(eval_ctx) for item in self.items)


class Pair(Helper):
    """One ``key: value`` of a dict literal."""

    fields = ("key", "value")
    key: Expr
    value: Expr

    def as_const(self, eval_ctx: t.Any = None) -> tuple[t.Any, t.Any]:
        return self.key.as_const(eval_ctx), self.value.as_const(eval_ctx)


class Keyword(Helper):
    """One ``key=value`` argument of a call."""

    fields = ("key", "value")
    key: str
    value: Expr

    def as_const(self, eval_ctx: t.Any = None) -> tuple[str, t.Any]:
        return self.key, self.value.as_const(eval_ctx)


class CondExpr(Expr):
    """``expr1 if test else expr2`` (``expr2`` may be ``None``)."""

    fields = ("test", "expr1", "expr2")
    test: Expr
    expr1: Expr
    expr2: Expr | None


class _FilterTestCommon(Expr):
    fields = ("node", "name", "args", "kwargs", "dyn_args", "dyn_kwargs")
    # ``node`` is declared by each subclass: a filter's may be ``None``, a test's not
    name: str
    args: list[Expr]
    kwargs: list[Keyword]
    dyn_args: Expr | None
    dyn_kwargs: Expr | None
    abstract = True


class Filter(_FilterTestCommon):
    """``node|name(args)``; ``node`` is ``None`` in a filter block's chain."""

    node: Expr | None


class Test(_FilterTestCommon):
    """``node is name(args)``."""

    node: Expr


class Call(Expr):
    """``node(args, key=value, *dyn_args, **dyn_kwargs)``."""

    fields = ("node", "args", "kwargs", "dyn_args", "dyn_kwargs")
    node: Expr
    args: list[Expr]
    kwargs: list[Keyword]
    dyn_args: Expr | None
    dyn_kwargs: Expr | None


class Getitem(Expr):
    """``node[arg]``."""

    fields = ("node", "arg", "ctx")
    node: Expr
    arg: Expr
    ctx: str


class Getattr(Expr):
    """``node.attr``."""

    fields = ("node", "attr", "ctx")
    node: Expr
    attr: str
    ctx: str


class Slice(Expr):
    """``start:stop:step`` inside a subscript (any part may be ``None``)."""

    fields = ("start", "stop", "step")
    start: Expr | None
    stop: Expr | None
    step: Expr | None


class Concat(Expr):
    """``a ~ b ~ c``: the string forms of ``nodes`` joined."""

    fields = ("nodes",)
    nodes: list[Expr]


class Compare(Expr):
    """``expr`` compared through the chain ``ops`` (``Operand`` nodes)."""

    fields = ("expr", "ops")
    expr: Expr
    ops: list[Operand]

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        value = self.expr.as_const(eval_ctx)
        try:
            for op in self.ops:
                other = op.expr.as_const(eval_ctx)
                if not _CMP_FUNCS[op.op](value, other):
                    return False
                value = other
        except Impossible:
            raise
        except Exception as exc:
            raise Impossible() from exc
        return True


class Operand(Helper):
    """One link of a comparison: ``op`` (``eq``, ``lt``, ``in``, ``notin``...) and ``expr``."""

    fields = ("op", "expr")
    op: str
    expr: Expr


class Mul(BinExpr):
    """``left * right``."""

    operator = "*"


class Div(BinExpr):
    """``left / right``."""

    operator = "/"


class FloorDiv(BinExpr):
    """``left // right``."""

    operator = "//"


class Add(BinExpr):
    """``left + right``."""

    operator = "+"


class Sub(BinExpr):
    """``left - right``."""

    operator = "-"


class Mod(BinExpr):
    """``left % right``."""

    operator = "%"


class Pow(BinExpr):
    """``left ** right``."""

    operator = "**"


class And(BinExpr):
    """``left and right``."""

    operator = "and"

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return self.left.as_const(eval_ctx) and self.right.as_const(eval_ctx)


class Or(BinExpr):
    """``left or right``."""

    operator = "or"

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return self.left.as_const(eval_ctx) or self.right.as_const(eval_ctx)


class Not(UnaryExpr):
    """``not node``."""

    operator = "not"


class Neg(UnaryExpr):
    """``-node``."""

    operator = "-"


class Pos(UnaryExpr):
    """``+node``."""

    operator = "+"


# -- nodes only extensions and the compiler build --------------------------------------


class EnvironmentAttribute(Expr):
    """The attribute ``name`` of the environment."""

    fields = ("name",)
    name: str


class ExtensionAttribute(Expr):
    """The attribute ``name`` of the extension ``identifier`` bound to the environment.

    :meth:`~.ext.Extension.attr` builds these.
    """

    fields = ("identifier", "name")
    identifier: str
    name: str


class ImportedName(Expr):
    """The object at the import path ``importname`` (``"package.module.name"``)."""

    fields = ("importname",)
    importname: str


class InternalName(Expr):
    """A compiler-level variable the template cannot see (``parser.free_identifier()``)."""

    fields = ("name",)
    name: str

    def __init__(self, *fields: t.Any, **attributes: t.Any) -> None:
        raise TypeError(
            "Can't create internal names. Use the `free_identifier` method on a parser."
        )


class MarkSafe(Expr):
    """Mark ``expr`` as safe markup."""

    fields = ("expr",)
    expr: Expr

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        return Markup(self.expr.as_const(eval_ctx))


class MarkSafeIfAutoescape(Expr):
    """Mark ``expr`` as safe markup only while autoescaping is on."""

    fields = ("expr",)
    expr: Expr

    def as_const(self, eval_ctx: t.Any = None) -> t.Any:
        eval_ctx = get_eval_context(self, eval_ctx)
        if eval_ctx.volatile:
            raise Impossible()
        value = self.expr.as_const(eval_ctx)
        return Markup(value) if eval_ctx.autoescape else value


class ContextReference(Expr):
    """The current :class:`~.runtime.Context`."""


class DerivedContextReference(Expr):
    """The current context with the visible local variables added."""


# Older names the compiler and existing code use.
TupleNode = Tuple
ListNode = List
DictNode = Dict
BinOp = BinExpr
UnaryOp = UnaryExpr


def _new_internal_name(name: str, lineno: int | None = None) -> InternalName:
    """Build an :class:`InternalName` (only the parser hands these out)."""
    node = object.__new__(InternalName)
    node.name = name
    if lineno is not None:
        node.lineno = lineno
    return node


def args_as_const(node: t.Any, eval_ctx: t.Any) -> tuple[list[t.Any], dict[t.Any, t.Any]]:
    """The constant values of a call's (or filter's, test's) arguments;
    :class:`Impossible` when one is not constant."""
    args = [x.as_const(eval_ctx) for x in node.args]
    kwargs = dict(x.as_const(eval_ctx) for x in node.kwargs)
    if node.dyn_args is not None:
        try:
            args.extend(node.dyn_args.as_const(eval_ctx))
        except Exception as exc:
            raise Impossible() from exc
    if node.dyn_kwargs is not None:
        try:
            kwargs.update(node.dyn_kwargs.as_const(eval_ctx))
        except Exception as exc:
            raise Impossible() from exc
    return args, kwargs
