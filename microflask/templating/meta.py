"""Questions about a parsed template: which variables it needs, which templates it loads."""

from __future__ import annotations

import typing as t

from . import nodes
from .compiler import scope_stores

#: Names templates get from the engine itself, never from the context.
_IMPLICIT = frozenset(("self",))
#: Names that exist inside macros (and call blocks) without being passed in.
_MACRO_IMPLICIT = frozenset(("caller", "varargs", "kwargs"))


class _Sink(set[str]):
    """A scope whose bindings do not count (the inside of an ``if`` branch)."""

    def add(self, item: t.Any) -> None:
        pass


class _UndeclaredFinder:
    """Walks statements in order, tracking the names each scope has bound so far.

    A name read before any binding of it is visible would be looked up in the
    render context: it is "undeclared". Within one scope that is decided in
    order (``{{ x }}{% set x = 1 %}`` reads ``x`` from the context); names
    bound inside ``if`` branches never count (the engine looks them up in
    case the branch does not run); a nested scope (loop body, macro, ``set``
    block...) sees every name its enclosing scopes bind anywhere; ``block``
    bodies start afresh (they render on their own).
    """

    def __init__(self, known_globals: t.Container[str]) -> None:
        self.known_globals = known_globals
        self.found: set[str] = set()
        #: For each enclosing scope: every name it binds anywhere.
        self._stores: list[set[str]] = []

    def read(self, name: str, scope: list[set[str]]) -> None:
        if name in _IMPLICIT or name in self.known_globals:
            return
        if not any(name in names for names in scope):
            self.found.add(name)

    # -- scopes --------------------------------------------------------------------------

    def frame(self, body: list[nodes.Node], visible: list[set[str]], bound: t.Iterable[str] = ()) -> None:
        """Walk the statements of a scope that sees ``visible`` and starts with ``bound``."""
        own = set(bound)
        self._stores.append(set(scope_stores(body)) | own)
        try:
            self.body(body, visible + [own])
        finally:
            self._stores.pop()

    def nested(self, scope: list[set[str]]) -> list[set[str]]:
        """What a scope nested here sees: everything visible, and all the enclosing bindings."""
        return [set().union(*scope, *self._stores)]

    def child(self, body: list[nodes.Node], scope: list[set[str]], bound: t.Iterable[str] = ()) -> None:
        self.frame(body, self.nested(scope), bound)

    def body(self, body: t.Iterable[nodes.Node], scope: list[set[str]]) -> None:
        for node in body:
            self.stmt(node, scope)

    # -- expressions ------------------------------------------------------------------

    def expr(self, node: t.Any, scope: list[set[str]]) -> None:
        if node is None:
            return
        if isinstance(node, nodes.Name):
            if node.ctx == "load":
                self.read(node.name, scope)
            return
        if isinstance(node, nodes.NSRef):
            self.read(node.name, scope)
            return
        for child in node.iter_child_nodes():
            self.expr(child, scope)

    # -- statements -------------------------------------------------------------------

    def stmt(self, node: t.Any, scope: list[set[str]]) -> None:
        handler = getattr(self, "stmt_" + type(node).__name__, None)
        if handler is not None:
            handler(node, scope)
        elif isinstance(node, nodes.Stmt):
            # an extension's statement: nested statements are a scope, the rest is read
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Stmt):
                    self.child([child], scope)
                else:
                    self.expr(child, scope)
        else:
            self.expr(node, scope)

    @staticmethod
    def names(target: t.Any) -> list[str]:
        if isinstance(target, nodes.Name):
            return [target.name]
        if isinstance(target, nodes.Tuple):
            return [name for item in target.items for name in _UndeclaredFinder.names(item)]
        return []

    def bind(self, target: t.Any, scope: list[set[str]]) -> None:
        if isinstance(target, nodes.NSRef):
            self.read(target.name, scope)
        for name in self.names(target):
            scope[-1].add(name)

    def stmt_Assign(self, node: nodes.Assign, scope: list[set[str]]) -> None:
        self.expr(node.node, scope)
        self.bind(node.target, scope)

    def stmt_AssignBlock(self, node: nodes.AssignBlock, scope: list[set[str]]) -> None:
        self.child(node.body, scope)
        self.expr(node.filter, scope)
        self.bind(node.target, scope)

    def stmt_If(self, node: nodes.If, scope: list[set[str]]) -> None:
        self.expr(node.test, scope)
        self.body(node.body, scope + [_Sink()])
        for branch in node.elif_:
            self.expr(branch.test, scope)
            self.body(branch.body, scope + [_Sink()])
        self.body(node.else_, scope + [_Sink()])

    def stmt_For(self, node: nodes.For, scope: list[set[str]]) -> None:
        self.expr(node.iter, scope)
        bound = ["loop", *self.names(node.target)]
        visible = self.nested(scope)
        self.expr(node.test, visible + [set(bound)])
        self.frame(node.body, visible, bound)
        self.body(node.else_, scope + [_Sink()])

    def stmt_With(self, node: nodes.With, scope: list[set[str]]) -> None:
        for value in node.values:
            self.expr(value, scope)
        self.child(node.body, scope, [name for target in node.targets for name in self.names(target)])

    def _function(self, node: t.Any, scope: list[set[str]]) -> None:
        bound: set[str] = set(_MACRO_IMPLICIT)
        for arg in node.args:
            bound.update(self.names(arg))
        visible = self.nested(scope)
        for default in node.defaults:
            self.expr(default, visible + [bound])
        self.frame(node.body, visible, bound)

    def stmt_Macro(self, node: nodes.Macro, scope: list[set[str]]) -> None:
        scope[-1].add(node.name)
        self._function(node, scope)

    def stmt_CallBlock(self, node: nodes.CallBlock, scope: list[set[str]]) -> None:
        self.expr(node.call, scope)
        self._function(node, scope)

    def stmt_FilterBlock(self, node: nodes.FilterBlock, scope: list[set[str]]) -> None:
        self.child(node.body, scope)
        self.expr(node.filter, scope)

    def stmt_Block(self, node: nodes.Block, scope: list[set[str]]) -> None:
        saved, self._stores = self._stores, []
        try:
            self.frame(node.body, [], {"super"})
        finally:
            self._stores = saved

    def stmt_Import(self, node: nodes.Import, scope: list[set[str]]) -> None:
        self.expr(node.template, scope)
        scope[-1].add(node.target)

    def stmt_FromImport(self, node: nodes.FromImport, scope: list[set[str]]) -> None:
        self.expr(node.template, scope)
        for item in node.names:
            scope[-1].add(item[1] if isinstance(item, tuple) else item)

    def stmt_Scope(self, node: nodes.Scope, scope: list[set[str]]) -> None:
        self.child(node.body, scope)

    def stmt_ScopedEvalContextModifier(self, node: nodes.ScopedEvalContextModifier, scope: list[set[str]]) -> None:
        for option in node.options:
            self.expr(option, scope)
        self.child(node.body, scope)

    def stmt_OverlayScope(self, node: nodes.OverlayScope, scope: list[set[str]]) -> None:
        self.expr(node.context, scope)
        self.child(node.body, scope)


def find_undeclared_variables(ast: nodes.Template) -> set[str]:
    """The names ``ast`` reads from the render context (not set before use).

    Names in the environment's globals (when the tree came from
    :meth:`~.environment.Environment.parse`) are not counted.
    """
    environment = getattr(ast, "environment", None)
    finder = _UndeclaredFinder(environment.globals if environment is not None else ())
    finder.frame(ast.body, [])
    return finder.found


_TEMPLATE_NODES: tuple[type[nodes.Extends | nodes.FromImport | nodes.Import | nodes.Include], ...] = (
    nodes.Extends, nodes.FromImport, nodes.Import, nodes.Include
)


def find_referenced_templates(ast: nodes.Template) -> t.Iterator[str | None]:
    """Yield the names of the templates ``ast`` extends, includes or imports.

    A name computed at render time yields ``None`` (the list cannot be
    known in advance).
    """
    for node in ast.find_all(_TEMPLATE_NODES):
        template = node.template
        if isinstance(template, nodes.Const):
            value = template.value
            if isinstance(value, str):
                yield value
            elif isinstance(node, nodes.Include) and isinstance(value, (tuple, list)):
                for name in value:
                    yield name if isinstance(name, str) else None
            else:
                yield None
        elif isinstance(node, nodes.Include) and isinstance(template, (nodes.Tuple, nodes.List)):
            for item in template.items:
                if isinstance(item, nodes.Const) and isinstance(item.value, str):
                    yield item.value
                else:
                    yield None
        else:
            yield None


from .compiler import CodeGenerator as CodeGenerator  # noqa: E402
from .compiler import Frame as Frame  # noqa: E402


def __getattr__(name: str) -> t.Any:
    if name == "TrackingCodeGenerator":
        raise AttributeError(
            f"{__name__}.TrackingCodeGenerator is not provided: Jinja2 finds undeclared names by"
            " running its code generator; use find_undeclared_variables(), which walks the tree"
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
