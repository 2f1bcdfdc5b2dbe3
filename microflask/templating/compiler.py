"""Generate Python source from a template AST.

Theory of operation: a template becomes one Python module. ``root(context)``
is a generator yielding output pieces; every ``{% block %}`` becomes its own
generator function ``block_<name>(context)`` collected in ``blocks``. Template
variables are Python locals named ``l_<scope>_<name>``: each scope (template,
loop body, ``with``, macro...) gets a fresh number, so an inner ``set`` can never
clobber an outer variable, and names a scope reads but never binds are looked
up once from the :class:`~.runtime.Context` at the top of the function.
Macros, ``call`` blocks and recursive loops become nested functions that
return a joined string (Python closures give them the outer variables).
Adjacent output is merged into one ``'...%s...' % (...)`` expression so the
generator yields few, large pieces. Every generated line remembers the
template line it came from (``debug_info``) so tracebacks can be rewritten.

Fast paths (PERF; each renders exactly as the general code, tested in
``test_fast_render``): ``obj.name``/``obj['key']`` of an exact dict is read
inline while the environment's lookups are the stock ones (``_j_attr_dict``
is ``dict`` only then, decided when the template is loaded); a macro call
runs the macro's function, which returns its text, and makes it Markup
only where the result is not formatted straight into autoescaped output;
a value formatted into autoescaped output that is an exact str with nothing
to escape skips ``escape_text``. Builtins are called under ``_j_`` names
(a macro's arguments are Python parameters and may be named ``type``).
"""

from __future__ import annotations

import keyword
import typing as t

from ..markup import escape
from . import nodes as n
from .exceptions import TemplateAssertionError, TemplateSyntaxError
from .runtime import _PassArg

if t.TYPE_CHECKING:
    from .environment import Environment

#: Bumped whenever the generated code changes in a way that code compiled
#: before cannot run with this engine (bytecode caches and precompiled
#: modules carry it). 2: macro functions return their text, the call makes
#: it Markup (``_j_macro_value``).
_GENERATED_CODE_VERSION = 2
_OPERATORS = {"eq": "==", "ne": "!=", "lt": "<", "lteq": "<=", "gt": ">", "gteq": ">=", "in": "in", "notin": "not in"}
#: Helpers every generated function binds as default arguments (fast locals).
_FAST_HELPERS = ("_j_escape", "_j_escape_text", "_j_str", "_j_getattr", "_j_getitem", "_j_undefined", "_j_missing", "_j_concat", "_j_Macro")
_SPECIAL_STORE = ("self",)
#: Expressions whose value is most often text (see ``_clean_text_or_escaped``).
_TEXT_NODES = (n.Name, n.Getattr, n.Getitem, n.Filter, n.Concat)


def _is_loop_attr(node: n.Node) -> bool:
    """``loop.index`` and the like: numbers, not text."""
    return isinstance(node, n.Getattr) and isinstance(node.node, n.Name) and node.node.name == "loop"


#: Names a ``dict`` has as attributes: ``obj.name`` for these is never read inline.
_DICT_ATTRS = frozenset(dir(dict))
#: ``loop`` attributes read directly from a LoopContext (their getters run no
#: template or user code, so they answer exactly as ``environment.getattr``).
_LOOP_DIRECT_ATTRS = frozenset(("index", "index0", "first", "depth", "depth0"))
_R = t.TypeVar("_R")


class Frame:
    """One variable scope during code generation."""

    __slots__ = ("parent", "symbols", "toplevel", "buffer", "autoescape", "volatile", "block_func", "loop_depth", "in_function", "local_vars", "declared")

    def __init__(self, parent: Frame | None, buffer: str | None = None, toplevel: bool = False) -> None:
        self.parent = parent
        #: Template name -> Python identifier, for names bound in this scope.
        self.symbols: dict[str, str] = {}
        #: Assignments here also go to ``context.vars`` (the template's top level).
        self.toplevel = toplevel
        #: The list output is appended to, or ``None`` to ``yield``.
        self.buffer = buffer
        self.autoescape: bool = parent.autoescape if parent else False
        self.volatile: bool = parent.volatile if parent else False
        self.block_func: str | None = parent.block_func if parent else None
        self.loop_depth = 0
        #: Inside a macro, ``call`` body or recursive loop (a nested ``def``).
        self.in_function: bool = parent.in_function if parent else False
        #: For a ``for`` body or a ``block``: the dict its ``set`` variables
        #: are also recorded in, for ``pass_context`` calls (see ``_track_sets``).
        self.local_vars: str | None = None
        #: Names this scope owns as Jinja2 sees it: stored here or read at its own level.
        self.declared: set[str] = set()

    def child(self, buffer: t.Any = Ellipsis) -> Frame:
        return Frame(self, self.buffer if buffer is Ellipsis else buffer)

    def lookup(self, name: str) -> str | None:
        frame: Frame | None = self
        while frame is not None:
            ident = frame.symbols.get(name)
            if ident is not None:
                return ident
            frame = frame.parent
        return None

    def visible(self) -> dict[str, str]:
        """Every visible name -> identifier (inner scopes win)."""
        chain = []
        frame: Frame | None = self
        while frame is not None:
            chain.append(frame.symbols)
            frame = frame.parent
        result: dict[str, str] = {}
        for symbols in reversed(chain):
            result.update(symbols)
        return result


# -- symbol analysis ------------------------------------------------------------------

_SCOPE_NODES = (n.For, n.With, n.Macro, n.CallBlock, n.FilterBlock, n.AssignBlock, n.EvalContextModifier, n.Block, n.Scope, n.OverlayScope)


def _target_names(target: n.Node) -> list[str]:
    if isinstance(target, n.Name):
        return [target.name]
    if isinstance(target, n.TupleNode):
        names: list[str] = []
        for item in target.items:
            names.extend(_target_names(item))
        return names
    return []


def _blocks_in(body: list[n.Node]) -> t.Iterator[n.Block]:
    """Every ``block`` under ``body``."""
    for node in body:
        if isinstance(node, n.Block):
            yield node
        yield from node.find_all(n.Block)


def scope_stores(body: list[n.Node]) -> list[str]:
    """Names assigned directly in this scope (not in nested scopes), in order."""
    found: dict[str, None] = {}

    def visit(node: n.Node) -> None:
        if isinstance(node, n.Assign):
            for name in _target_names(node.target):
                found[name] = None
        elif isinstance(node, n.AssignBlock):
            for name in _target_names(node.target):
                found[name] = None
        elif isinstance(node, n.Macro):
            found[node.name] = None
        elif isinstance(node, n.Import):
            found[node.target] = None
        elif isinstance(node, n.FromImport):
            for item in node.names:
                found[item[1] if isinstance(item, tuple) else item] = None
        elif isinstance(node, n.If):
            for child in node.body:
                visit(child)
            for child in node.elif_:
                visit(child)
            for child in node.else_:
                visit(child)

    for stmt in body:
        visit(stmt)
    return list(found)


def _set_names(body: list[n.Node]) -> list[str]:
    """Names ``set`` directly in this scope (also inside ``if``)."""
    found: list[str] = []
    for node in body:
        if isinstance(node, (n.Assign, n.AssignBlock)):
            found.extend(_target_names(node.target))
        elif isinstance(node, n.If):
            found.extend(_set_names(node.body))
            for elif_ in node.elif_:
                found.extend(_set_names(elif_.body))
            found.extend(_set_names(node.else_))
    return found


def _calls_in(node: n.Node) -> t.Iterator[n.Node]:
    if isinstance(node, n.Call):
        yield node
    yield from node.find_all(n.Call)


def all_loads(nodes: t.Iterable[n.Node], into_functions: bool = True) -> set[str]:
    """Every name read anywhere under ``nodes`` (not inside ``block`` bodies)."""
    found: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.__class__ is n.TemplateData or node.__class__ is n.Const:
            continue  # PERF: the most common leaves have no children
        if isinstance(node, n.Name):
            if node.ctx == "load":
                found.add(node.name)
            continue
        if isinstance(node, n.NSRef):
            found.add(node.name)
            continue
        if isinstance(node, n.Block):
            continue
        if not into_functions and isinstance(node, (n.Macro, n.CallBlock)):
            if isinstance(node, n.CallBlock):
                stack.append(node.call)
            continue
        stack.extend(node.iter_child_nodes())
    return found


def _declared_above(frame: Frame, name: str) -> bool:
    parent = frame.parent
    while parent is not None:
        if name in parent.declared:
            return True
        parent = parent.parent
    return False


def _own_loads(nodes: t.Iterable[n.Node]) -> set[str]:
    """Names read at this scope's own level: not inside nested scopes
    (``for``/``with``/``filter``/macro/call/set-block bodies, blocks), but
    including the parts of those statements evaluated here."""
    found: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.__class__ is n.TemplateData or node.__class__ is n.Const:
            continue
        if isinstance(node, n.Name):
            if node.ctx == "load":
                found.add(node.name)
            continue
        if isinstance(node, n.NSRef):
            found.add(node.name)
            continue
        if isinstance(node, (n.Block, n.Macro)):
            continue
        if isinstance(node, n.For):
            stack.append(node.iter)
            continue
        if isinstance(node, n.With):
            stack.extend(node.values)
            continue
        if isinstance(node, n.CallBlock):
            stack.append(node.call)
            continue
        if isinstance(node, n.FilterBlock):
            stack.append(node.filter)
            continue
        if isinstance(node, n.AssignBlock):
            if node.filter is not None:
                stack.append(node.filter)
            stack.append(node.target)
            continue
        if isinstance(node, (n.Scope, n.OverlayScope, n.ScopedEvalContextModifier)):
            continue
        stack.extend(node.iter_child_nodes())
    return found


class CodeGenerator:
    """Build the Python source of one template.

    :param environment: supplies filters, tests, autoescape and finalize.
    :param name: the template's load name (for errors and autoescape).
    :param filename: the template's file name (for errors).
    """

    #: False in a generator whose modules rebind ``_j_concat`` (native types).
    _concat_is_join: t.ClassVar[bool] = True

    def __init__(self, environment: Environment, name: str | None, filename: str | None) -> None:
        self.environment = environment
        self.name = name
        self.filename = filename
        self.lines: list[str] = []
        #: (generated line number, template line number) pairs.
        self.debug_info: list[tuple[int, int]] = []
        self._indent = 0
        self._last_lineno = 0
        self._scope_counter = 0
        self._ident_counter = 0
        #: filter/test name -> module-level identifier
        self._filters: dict[str, str] = {}
        self._tests: dict[str, str] = {}
        #: import path -> module-level identifier (``ImportedName`` nodes)
        self._imports: dict[str, str] = {}
        self._blocks: dict[str, n.Block] = {}
        self.has_extends = False
        self._known_extends = False
        self._needs_locals = False
        #: Identifiers that may still hold ``missing`` when read (see ``_assigned_later``).
        self._maybe_missing: set[str] = set()
        self._has_autoescape_blocks = False
        self._guards: list[set[tuple[str, str]]] = []
        #: > 0 inside an ``if`` or inline if: an unknown filter/test fails only if it runs
        self._conditional = 0
        autoescape = environment.autoescape
        if callable(autoescape):
            autoescape = autoescape(name)
        self._autoescape = bool(autoescape)
        self._finalize = environment.finalize is not None
        self._finalize_kind = _PassArg.from_obj(environment.finalize) if self._finalize else None
        self._direct_loop = environment._direct_loop_access()
        #: Whether buffered output is joined by ``"".join`` (an exact str).
        self._concat_makes_text = self._concat_is_join

    # -- output helpers ------------------------------------------------------------------

    def fail(self, message: str, lineno: int | None, cls: type[TemplateSyntaxError] = TemplateSyntaxError) -> t.NoReturn:
        # a node an extension built may carry no line: passed on as is, like Jinja2
        raise cls(message, lineno, self.name, self.filename)  # type: ignore[arg-type]  # lineno may be None (see above)

    def writeline(self, code: str, node: n.Node | None = None) -> None:
        if node is not None and node.lineno:
            self._last_lineno = node.lineno
        self.lines.append("    " * self._indent + code)
        self.debug_info.append((len(self.lines), self._last_lineno))

    def indent(self) -> None:
        self._indent += 1

    def outdent(self) -> None:
        self._indent -= 1

    def temp(self, prefix: str = "t") -> str:
        self._ident_counter += 1
        return f"_j_{prefix}{self._ident_counter}"

    def new_scope_id(self) -> int:
        self._scope_counter += 1
        return self._scope_counter

    # -- entry point ------------------------------------------------------------------------

    def generate(self, template: n.Template) -> str:
        """Return the module source for ``template``."""
        for block in template.find_all(n.Block):
            if block.name in self._blocks:
                self.fail(f"block {block.name!r} defined twice", block.lineno, TemplateAssertionError)
            self._blocks[block.name] = block
        self.has_extends = any(True for _ in template.find_all(n.Extends))
        self._has_autoescape_blocks = any(True for _ in template.find_all(n.EvalContextModifier))
        self._needs_locals = any(
            True for _ in template.find_all((n.Include, n.Import, n.FromImport, n.Block))
        )
        body_lines_start = len(self.lines)
        self._function_header("root", "context")
        frame = Frame(None, None, toplevel=True)
        frame.autoescape = self._autoescape
        frame.in_function = False
        self.indent()
        if self.has_extends:
            self.writeline("_j_parent_template = None")
        self._declare_function_scope(frame, template.body)
        self.visit_body(template.body, frame)
        if self.has_extends:
            self.writeline("if _j_parent_template is not None:")
            self.indent()
            # a traceback through the parent points at the ``extends`` tag
            extends = next(iter(template.find_all(n.Extends)))
            self._emit_many("_j_parent_template.root_render_func(context)", frame, extends)
            self.outdent()
        self.writeline("if 0: yield None")
        self.outdent()
        del body_lines_start
        for name, block in self._blocks.items():
            self._generate_block_function(name, block)
        names = ", ".join(f"{name!r}: block_{name}" for name in self._blocks)
        self.writeline(f"blocks = {{{names}}}")
        prelude = [f"{ident} = environment.filters[{name!r}]" for name, ident in self._filters.items()]
        if self.environment.is_async:
            prelude = [f"{ident} = _j_async_variant(environment.filters[{name!r}])" for name, ident in self._filters.items()]
        prelude += [f"{ident} = environment.tests[{name!r}]" for name, ident in self._tests.items()]
        for importname, ident in self._imports.items():
            module, _, obj = importname.rpartition(".")
            if module:
                prelude.append(f"from {module} import {obj} as {ident}")
            else:
                prelude.append(f"import {obj} as {ident}")
        shift = len(prelude)
        self.debug_info = [(line + shift, tpl) for line, tpl in self.debug_info]
        return "\n".join(prelude + self.lines) + "\n"

    def _function_header(self, name: str, params: str) -> None:
        helpers = ", ".join(f"{h}={h}" for h in _FAST_HELPERS)
        self.writeline(f"{self._def()} {name}({params}, {helpers}, environment=environment):")
        self.indent()
        if self.environment.sandboxed:
            # every call passes the sandbox's ``call`` hook
            self.writeline("_j_call = _j_partial(environment.call, context)")
        else:
            self.writeline("_j_call = context.call")
        self.outdent()

    # -- async mode (``Environment(enable_async=True)``) ---------------------------------
    # Functions become ``async def``, loops ``async for``, and the result of
    # every call, filter, test and lookup passes through ``auto_await``.

    def _def(self) -> str:
        return "async def" if self.environment.is_async else "def"

    def _auto_await(self, code: str) -> str:
        if not self.environment.is_async:
            return code
        # PERF: plain values (most lookups) skip the ``auto_await`` coroutine
        value = self.temp("aw")
        return f"({value} if _j_type({value} := {code}) in _j_plain else await _j_auto_await({value}))"

    def _generate_block_function(self, name: str, block: n.Block) -> None:
        self._function_header(f"block_{name}", "context")
        self.indent()
        frame = Frame(None, None, toplevel=False)
        frame.autoescape = self._autoescape
        frame.block_func = f"block_{name}"
        if block.required:
            self.writeline(
                f"raise _j_TemplateRuntimeError({f'Required block {name!r} not found'!r})", block
            )
        else:
            self._declare_function_scope(frame, block.body)
            self._track_sets(frame, block.body)
            self.visit_body(block.body, frame)
        self.writeline("if 0: yield None")
        self.outdent()

    def _declare_function_scope(self, frame: Frame, body: list[n.Node]) -> None:
        """Bind, at the top of a root/block function, every name it reads or sets."""
        loads = all_loads(body)
        stores = scope_stores(body)
        later = self._assigned_later(body, stores, loads)
        frame.declared = set(stores) | _own_loads(body)
        scope = self.new_scope_id()
        for name in sorted(loads | set(stores)):
            ident = f"l_{scope}_{name}"
            frame.symbols[name] = ident
            if name == "self":
                self.writeline(f"{ident} = _j_TemplateReference(context)")
            elif name == "super" and frame.block_func is not None:
                self.writeline(f"{ident} = context.super({frame.block_func[6:]!r}, {frame.block_func})")
            elif name in later:
                self._maybe_missing.add(ident)
                self.writeline(f"{ident} = _j_missing")
            elif name in loads:
                self.writeline(f"{ident} = context.resolve({name!r})")
            else:
                self.writeline(f"{ident} = _j_missing")

    def _assigned_later(self, body: list[n.Node], stores: t.Iterable[str], loads: set[str]) -> set[str]:
        """Names this scope assigns that only nested scopes read: as in Jinja2
        the scope owns them from its start, so a nested read before the
        assignment sees an undefined value, not the context's."""
        if not loads:
            return set()
        undecided = {name for name in stores if name in loads}
        result: set[str] = set()
        # the first thing this level does with a name decides: a read (also
        # a conditional ``set`` inside an ``if``) keeps the context's value,
        # a ``set`` makes it undefined until then. One pass (linear time).
        for stmt in body:
            if not undecided:
                break
            read = _own_loads([stmt])
            stored = scope_stores([stmt])
            if isinstance(stmt, n.If):
                undecided -= {name for name in read if name in undecided}
                undecided -= {name for name in stored if name in undecided}
                continue
            undecided -= {name for name in read if name in undecided}
            later = {name for name in stored if name in undecided}
            result |= later
            undecided -= later
        return result

    def _declare_child_scope(self, frame: Frame, body: list[n.Node], bound: t.Iterable[str] = (), extra_loads: set[str] | None = None) -> None:
        """Give a nested scope its own identifiers for the names it assigns.

        Names that are assigned and also read start with the outer value (an
        assignment might happen only on some paths).
        """
        scope = self.new_scope_id()
        loads = all_loads(body)
        if extra_loads:
            loads |= extra_loads
        bound = set(bound)
        parent = frame.parent
        later = self._assigned_later(body, scope_stores(body), loads)
        frame.declared = set(scope_stores(body)) | _own_loads(body) | set(bound) | set(frame.symbols)
        if later:
            # a name an enclosing scope owns starts with its value instead
            later = {name for name in later if not _declared_above(frame, name)}
        for name in scope_stores(body):
            if name in bound:
                continue
            ident = f"l_{scope}_{name}"
            outer = parent.lookup(name) if parent is not None else None
            frame.symbols[name] = ident
            if name in later:
                self._maybe_missing.add(ident)
                self.writeline(f"{ident} = _j_missing")
            elif name in loads and outer is not None:
                if outer in self._maybe_missing:
                    self._maybe_missing.add(ident)
                self.writeline(f"{ident} = {outer}")
            elif name in loads:
                self.writeline(f"{ident} = context.resolve({name!r})")
            elif self._needs_locals:
                self.writeline(f"{ident} = _j_missing")

    # -- statements ----------------------------------------------------------------------------

    def visit_body(self, body: list[n.Node], frame: Frame) -> None:
        for node in body:
            getattr(self, "visit_" + type(node).__name__)(node, frame)

    def _guard_output(self, frame: Frame) -> bool:
        """Open ``if parent is None`` around output in an extending template."""
        if self.has_extends and not frame.in_function and frame.block_func is None:
            self.writeline("if _j_parent_template is None:")
            self.indent()
            return True
        return False

    def visit_Output(self, node: n.Output, frame: Frame) -> None:
        if self._known_extends and frame.toplevel:
            return
        output = self._output_code(node, frame)
        if output is None:
            return
        code, where, _ = output
        guarded = self._guard_output(frame)
        self._emit(code, frame, where)
        if guarded:
            self.outdent()

    def _output_code(self, node: n.Output, frame: Frame) -> tuple[str, n.Node, bool] | None:
        """The expression for an ``Output`` node (``None`` when it has no
        parts), the node errors point at, and whether the expression always
        makes an exact ``str`` (a literal, or a ``'...' % (...)`` format)."""
        parts: list[str] = []
        expr_nodes: list[n.Node] = []
        for child in node.nodes:
            if isinstance(child, n.TemplateData):
                parts.append(child.data.replace("%", "%%"))
            elif isinstance(child, n.Const) and not self._finalize and not frame.volatile:
                value = child.value
                text = str(escape(value)) if frame.autoescape else str(value)
                parts.append(text.replace("%", "%%"))
            else:
                parts.append("%s")
                expr_nodes.append(child)
        if not parts:
            return None
        template = "".join(parts)
        formatted = template != "%s"
        args = [self.output_expr(child, frame, formatted) for child in expr_nodes]
        exprs = [c for c in node.nodes if not isinstance(c, n.TemplateData)]
        where: n.Node = node
        if exprs:
            # point errors at the first expression, not at leading text
            where = exprs[0]
        if not args:
            return repr(template.replace("%%", "%")), where, True
        if template == "%s":
            return args[0], where, False
        return f"{template!r} % ({', '.join(args)},)", where, True

    def _emit(self, code: str, frame: Frame, node: n.Node | None = None) -> None:
        if frame.buffer is None:
            self.writeline(f"yield {code}", node)
        else:
            self.writeline(f"{frame.buffer}.append({code})", node)

    def _emit_many(self, code: str, frame: Frame, node: n.Node | None = None) -> None:
        if self.environment.is_async:
            piece = self.temp("piece")
            self.writeline(f"async for {piece} in {code}:", node)
            self.indent()
            self._emit(piece, frame)
            self.outdent()
            return
        if frame.buffer is None:
            self.writeline(f"yield from {code}", node)
        else:
            self.writeline(f"{frame.buffer}.extend({code})", node)

    def output_expr(self, node: n.Node, frame: Frame, formatted: bool = False) -> str:
        """Code for ``{{ node }}``: finalize, then escape or ``str``.

        ``formatted``: the value goes into a ``'...%s...' % (...)`` with other
        output, which turns it into plain text anyway, so it is escaped with
        ``escape_text`` (the same characters, no :class:`Markup` built);
        output yielded on its own stays a ``Markup``, as in Jinja2.
        """
        escape_name = "_j_escape_text" if formatted else "_j_escape"
        if isinstance(node, n.Call) and frame.autoescape and not frame.volatile and not self._finalize:
            if formatted:
                return self._escaped_call_text(node, frame)
            # PERF: a call's result is most often a macro's Markup, which
            # escape returns as it is: skip calling it.
            value = self.temp("v")
            return f"({value} if _j_type({value} := {self.visit(node, frame)}) is _j_Markup else _j_escape({value}))"
        code = self.visit(node, frame)
        if self._finalize:
            kind = self._finalize_kind
            if kind == "context":
                code = f"environment.finalize(context, {code})"
            elif kind == "eval_context":
                code = f"environment.finalize(context.eval_ctx, {code})"
            elif kind == "environment":
                code = f"environment.finalize(environment, {code})"
            else:
                code = f"environment.finalize({code})"
        if frame.volatile:
            return f"({escape_name} if context.eval_ctx.autoescape else _j_str)({code})"
        if frame.autoescape:
            if formatted and not self._finalize and isinstance(node, _TEXT_NODES) and not _is_loop_attr(node):
                return self._clean_text_or_escaped(code)
            return f"{escape_name}({code})"
        return f"_j_str({code})"

    def _clean_text_or_escaped(self, code: str) -> str:
        """PERF: a value that is most often text (a variable, attribute,
        item, filter result or ``~``) and has no character to escape goes
        into the output without calling ``escape_text`` (which would return
        it as it is: only an exact str with none of ``& < > ' "``).
        The five scans are what ``escape_text`` does first; the call is
        most of its cost."""
        v = self.temp("v")
        clean = f"'&' in {v} or '<' in {v} or '>' in {v} or \"'\" in {v} or '\"' in {v}"
        return f"({v} if _j_type({v} := {code}) is _j_str and not ({clean}) else _j_escape_text({v}))"

    def visit_If(self, node: n.If, frame: Frame) -> None:
        self._conditional += 1
        try:
            self._visit_if(node, frame)
        finally:
            self._conditional -= 1

    def _without_conditional(self, method: t.Callable[..., _R], *args: t.Any) -> _R:
        """Run ``method``: as in Jinja2, loops, macros and filter blocks reset the ``if`` leniency."""
        saved, self._conditional = self._conditional, 0
        try:
            return method(*args)
        finally:
            self._conditional = saved

    def _visit_if(self, node: n.If, frame: Frame) -> None:
        self.writeline(f"if {self.visit(node.test, frame)}:", node)
        # ``{% if 'name' is filter %}`` guards a filter that may not exist:
        # as in Jinja, an unknown one inside is only an error if it runs.
        guarded = self._guarded_names(node.test)
        self._guards.append(guarded)
        try:
            self._block(node.body, frame)
        finally:
            self._guards.pop()
        for elif_ in node.elif_:
            self.writeline(f"elif {self.visit(elif_.test, frame)}:", elif_)
            self._block(elif_.body, frame)
        if node.else_:
            self.writeline("else:")
            self._block(node.else_, frame)

    def _block(self, body: list[n.Node], frame: Frame) -> None:
        self.indent()
        start = len(self.lines)
        self.visit_body(body, frame)
        if len(self.lines) == start:
            self.writeline("pass")
        self.outdent()

    def visit_For(self, node: n.For, frame: Frame) -> None:
        if "loop" in _target_names(node.target):
            self.fail("Can't assign to special loop variable in for-loop target", node.lineno, TemplateAssertionError)
        self._without_conditional(self._visit_for, node, frame)

    def _visit_for(self, node: n.For, frame: Frame) -> None:
        if node.recursive:
            self._visit_recursive_for(node, frame)
            return
        loop_frame = frame.child()
        loop_frame.toplevel = False
        uses_loop = "loop" in all_loads(node.body, into_functions=True)
        # a scoped block inside the loop sees ``loop`` too
        uses_loop = uses_loop or any(b.scoped and "loop" in all_loads(b.body) for b in _blocks_in(node.body))
        targets = _target_names(node.target)
        iter_code = self.visit(node.iter, frame)
        bound = list(targets) + (["loop"] if uses_loop else [])
        # the symbols are declared before the loop so the filter test can see them
        scope_body = list(node.body)
        self._bind_targets(loop_frame, bound)
        if node.test is not None:
            iter_code = self._loop_filter(node, node.test, frame, iter_code, targets)
        iterated = None
        if node.else_:
            iterated = self.temp("iterated")
            self.writeline(f"{iterated} = False")
        if uses_loop:
            loop_ident = loop_frame.symbols["loop"]
            if self.environment.is_async:
                self.writeline(f"{loop_ident} = await _j_async_loop({iter_code}, _j_undefined, None, 0)", node)
            else:
                self.writeline(f"{loop_ident} = _j_LoopContext({iter_code}, _j_undefined, None, 0)", node)
            iter_code = loop_ident
        target_code = self.visit_target(node.target, loop_frame)
        if not self.environment.is_async:
            self.writeline(f"for {target_code} in {iter_code}:", node)
        elif uses_loop:
            self.writeline(f"async for {target_code} in {iter_code}:", node)
        else:
            self.writeline(f"async for {target_code} in _j_auto_aiter({iter_code}):", node)
        self.indent()
        if iterated:
            self.writeline(f"{iterated} = True")
        self._declare_loop_body(loop_frame, scope_body, bound)
        self._track_sets(loop_frame, node.body)
        start = len(self.lines)
        self.visit_body(node.body, loop_frame)
        if len(self.lines) == start:
            self.writeline("pass")
        self.outdent()
        if node.else_:
            # as in Jinja2, the ``else`` block is a scope of its own
            self.writeline(f"if not {iterated}:")
            self.indent()
            else_frame = frame.child()
            else_frame.toplevel = False
            self._declare_child_scope(else_frame, node.else_)
            start = len(self.lines)
            self.visit_body(node.else_, else_frame)
            if len(self.lines) == start:
                self.writeline("pass")
            self.outdent()

    def _track_sets(self, frame: Frame, body: list[n.Node]) -> None:
        """As in Jinja2, a ``pass_context`` callable called in a ``for`` body or
        a ``block`` sees the variables ``set`` there so far: when the body has
        both, they are recorded in a dict made fresh for each pass."""
        if not _set_names(body) or not any(True for node in body for _ in _calls_in(node)):
            return
        ident = self.temp("lv")
        frame.local_vars = ident
        self.writeline(f"{ident} = {{}}")

    def _record_sets(self, names: list[str], frame: Frame) -> None:
        if frame.local_vars is None:
            return
        for name in names:
            self.writeline(f"{frame.local_vars}[{name!r}] = {frame.lookup(name)}")

    def _bind_targets(self, frame: Frame, names: t.Iterable[str]) -> None:
        scope = self.new_scope_id()
        for name in names:
            frame.symbols[name] = f"l_{scope}_{name}"

    def _declare_loop_body(self, frame: Frame, body: list[n.Node], bound: list[str]) -> None:
        loads = all_loads(body)
        parent = frame.parent
        assert parent is not None
        scope = self.new_scope_id()
        later = self._assigned_later(body, scope_stores(body), loads)
        frame.declared = set(scope_stores(body)) | _own_loads(body) | set(bound)
        if later:
            # a name an enclosing scope owns starts with its value instead
            later = {name for name in later if not _declared_above(frame, name)}
        for name in scope_stores(body):
            if name in bound:
                ident = frame.symbols[name]
                continue
            ident = f"l_{scope}_{name}"
            outer = parent.lookup(name)
            frame.symbols[name] = ident
            if name in later:
                self._maybe_missing.add(ident)
                self.writeline(f"{ident} = _j_missing")
            elif name in loads and outer is not None:
                if outer in self._maybe_missing:
                    self._maybe_missing.add(ident)
                self.writeline(f"{ident} = {outer}")
            elif name in loads:
                self.writeline(f"{ident} = context.resolve({name!r})")
            elif self._needs_locals:
                self.writeline(f"{ident} = _j_missing")

    def _loop_filter(self, node: n.For, test: n.Node, frame: Frame, iter_code: str, targets: list[str]) -> str:
        func = self.temp("loopfilter")
        test_frame = frame.child()
        test_frame.toplevel = False
        self._bind_targets(test_frame, targets)
        item = self.temp("item")
        self.writeline(f"{self._def()} {func}(_j_iter):", node)
        self.indent()
        if self.environment.is_async:
            self.writeline(f"async for {item} in _j_auto_aiter(_j_iter):")
        else:
            self.writeline(f"for {item} in _j_iter:")
        self.indent()
        self.writeline(f"{self.visit_target(node.target, test_frame)} = {item}")
        self.writeline(f"if {self.visit(test, test_frame)}:")
        self.indent()
        self.writeline(f"yield {item}")
        self.outdent()
        self.outdent()
        self.outdent()
        return f"{func}({iter_code})"

    def _visit_recursive_for(self, node: n.For, frame: Frame) -> None:
        func = self.temp("loop")
        buffer = self.temp("buf")
        loop_frame = Frame(frame, buffer)
        loop_frame.in_function = True
        targets = _target_names(node.target)
        bound = list(targets) + ["loop"]
        self._bind_targets(loop_frame, bound)
        self.writeline(f"{self._def()} {func}(_j_reciter, _j_loop_render, depth=0):", node)
        self.indent()
        self.writeline(f"{buffer} = []")
        iter_code = "_j_reciter"
        if node.test is not None:
            iter_code = self._loop_filter(node, node.test, frame, iter_code, targets)
        loop_ident = loop_frame.symbols["loop"]
        iterated = self.temp("iterated")
        self.writeline(f"{iterated} = False")
        if self.environment.is_async:
            self.writeline(f"{loop_ident} = await _j_async_loop({iter_code}, _j_undefined, _j_loop_render, depth)")
            self.writeline(f"async for {self.visit_target(node.target, loop_frame)} in {loop_ident}:")
        else:
            self.writeline(f"{loop_ident} = _j_LoopContext({iter_code}, _j_undefined, _j_loop_render, depth)")
            self.writeline(f"for {self.visit_target(node.target, loop_frame)} in {loop_ident}:")
        self.indent()
        self.writeline(f"{iterated} = True")
        self._declare_loop_body(loop_frame, node.body, bound)
        self._track_sets(loop_frame, node.body)
        self.visit_body(node.body, loop_frame)
        self.outdent()
        if node.else_:
            else_frame = Frame(frame, buffer)
            else_frame.in_function = True
            self.writeline(f"if not {iterated}:")
            self.indent()
            self.writeline("pass")
            self._declare_child_scope(else_frame, node.else_)
            self.visit_body(node.else_, else_frame)
            self.outdent()
        self._return_buffer(buffer, frame)
        self.outdent()
        code = f"{func}({self.visit(node.iter, frame)}, {func})"
        if self.environment.is_async:
            code = f"(await {code})"
        guarded = self._guard_output(frame)
        self._emit(code, frame, node)
        if guarded:
            self.outdent()

    def _return_buffer(self, buffer: str, frame: Frame) -> None:
        # Like Jinja, a macro marks its result safe according to the eval
        # context at call time; that only varies with ``autoescape`` blocks.
        if frame.volatile or self._has_autoescape_blocks:
            self.writeline(f"return _j_Markup(_j_concat({buffer})) if context.eval_ctx.autoescape else _j_concat({buffer})")
        elif frame.autoescape:
            self.writeline(f"return {self._markup_of_text(f'_j_concat({buffer})')}")
        else:
            self.writeline(f"return _j_concat({buffer})")

    def _markup_of_text(self, code: str) -> str:
        """``Markup(code)`` for code that makes an exact ``str`` (``"".join``
        always does; a subclass's ``concat`` may not)."""
        if self._concat_makes_text:
            # PERF: ``str.__new__`` does what ``Markup.__new__`` does for an
            # exact str, without a Python-level call.
            return f"_j_new_markup(_j_Markup, {code})"
        return f"_j_Markup({code})"

    def visit_target(self, target: n.Node, frame: Frame) -> str:
        if isinstance(target, n.InternalName):
            return self.expr_InternalName(target, frame)
        if isinstance(target, n.Name):
            ident = frame.lookup(target.name)
            assert ident is not None
            return ident
        if isinstance(target, n.TupleNode):
            items = [self.visit_target(item, frame) for item in target.items]
            return "(" + "".join(item + ", " for item in items) + ")"
        self.fail("can't assign to this expression", target.lineno)

    def _export(self, names: list[str], frame: Frame, export: bool = True) -> None:
        if not frame.toplevel:
            return
        for name in names:
            ident = frame.lookup(name)
            self.writeline(f"context.vars[{name!r}] = {ident}")
            if export and not name.startswith("_"):
                self.writeline(f"context.exported_vars.add({name!r})")
            elif not export:
                self.writeline(f"context.exported_vars.discard({name!r})")

    def visit_Assign(self, node: n.Assign, frame: Frame) -> None:
        value = self.visit(node.node, frame)
        if isinstance(node.target, n.NSRef):
            ns = self.visit(n.Name(node.target.name, "load"), frame)
            self.writeline(f"_j_ns_set(_j_ns_check({ns}), {node.target.attr!r}, {value})", node)
            return
        if isinstance(node.target, n.Tuple) and any(True for _ in node.target.find_all(n.NSRef)):
            self._assign_with_namespaces(node, frame, value)
            return
        self.writeline(f"{self.visit_target(node.target, frame)} = {value}", node)
        self._export(_target_names(node.target), frame)
        self._record_sets(_target_names(node.target), frame)

    def _assign_with_namespaces(self, node: n.Assign, frame: Frame, value: str) -> None:
        """``{% set ns.a, b = 1, 2 %}``: unpack into temporaries, then set each attribute."""
        pending: list[tuple[n.NSRef, str]] = []
        for ref in node.target.find_all(n.NSRef):
            # the targets are checked before the value is computed, as in Jinja2
            self.writeline(f"_j_ns_check({self.visit(n.Name(ref.name, 'load'), frame)})", node)

        def target_code(target: n.Node) -> str:
            if isinstance(target, n.NSRef):
                temp = self.temp("ns")
                pending.append((target, temp))
                return temp
            if isinstance(target, n.Tuple):
                return "(" + "".join(target_code(item) + ", " for item in target.items) + ")"
            return self.visit_target(target, frame)

        self.writeline(f"{target_code(node.target)} = {value}", node)
        for ref, temp in pending:
            ns = self.visit(n.Name(ref.name, "load"), frame)
            self.writeline(f"_j_ns_set({ns}, {ref.attr!r}, {temp})")
        self._export(_target_names(node.target), frame)
        self._record_sets(_target_names(node.target), frame)

    def visit_AssignBlock(self, node: n.AssignBlock, frame: Frame) -> None:
        buffer = self.temp("buf")
        inner = frame.child(buffer)
        inner.toplevel = False
        self.writeline(f"{buffer} = []", node)
        self._declare_child_scope(inner, node.body)
        self.visit_body(node.body, inner)
        value = f"_j_concat({buffer})"
        if frame.volatile:
            value = f"(_j_Markup({value}) if context.eval_ctx.autoescape else {value})"
        elif frame.autoescape:
            value = f"_j_Markup({value})"
        if node.filter is not None:
            value = self._filter_call(node.filter, frame, value)
        if isinstance(node.target, n.NSRef):
            ns = self.visit(n.Name(node.target.name, "load"), frame)
            self.writeline(f"_j_ns_set({ns}, {node.target.attr!r}, {value})", node)
            return
        self.writeline(f"{self.visit_target(node.target, frame)} = {value}")
        self._export(_target_names(node.target), frame)
        self._record_sets(_target_names(node.target), frame)

    def visit_With(self, node: n.With, frame: Frame) -> None:
        inner = frame.child()
        inner.toplevel = False
        values = [self.visit(value, frame) for value in node.values]
        names: list[str] = []
        for target in node.targets:
            names.extend(_target_names(target))
        self._bind_targets(inner, names)
        for target, value in zip(node.targets, values):
            self.writeline(f"{self.visit_target(target, inner)} = {value}", node)
        self._declare_child_scope(inner, node.body, bound=names)
        self.visit_body(node.body, inner)

    def visit_ScopedEvalContextModifier(self, node: n.ScopedEvalContextModifier, frame: Frame) -> None:
        inner = frame.child()
        inner.toplevel = False
        saved = self.temp("saved")
        self.writeline(f"{saved} = context.eval_ctx.save()", node)
        self._eval_context_options(node, frame, inner)
        self._declare_child_scope(inner, node.body)
        self.visit_body(node.body, inner)
        self.writeline(f"context.eval_ctx.revert({saved})")

    def visit_EvalContextModifier(self, node: n.EvalContextModifier, frame: Frame) -> None:
        self._eval_context_options(node, frame, frame)

    def _eval_context_options(self, node: n.EvalContextModifier, frame: Frame, target: Frame) -> None:
        """Set the eval context's options at runtime; track ``autoescape`` in ``target``."""
        for keyword in node.options:
            self.writeline(f"context.eval_ctx.{keyword.key} = {self.visit(keyword.value, frame)}", node)
            if keyword.key != "autoescape":
                continue
            if isinstance(keyword.value, n.Const) and target is not frame:
                target.autoescape = bool(keyword.value.value)
                target.volatile = False
            else:
                # not known at compile time (or changed mid-scope): ask at runtime
                target.volatile = True

    def visit_Scope(self, node: n.Scope, frame: Frame) -> None:
        inner = frame.child()
        inner.toplevel = False
        self._declare_child_scope(inner, node.body)
        self.visit_body(node.body, inner)

    def visit_OverlayScope(self, node: n.OverlayScope, frame: Frame) -> None:
        inner = frame.child()
        inner.toplevel = False
        overlay = self.temp("overlay")
        self.writeline(f"{overlay} = _j_builtin_dict({self.visit(node.context, frame)})", node)
        scope = self.new_scope_id()
        for name in sorted(all_loads(node.body) | set(scope_stores(node.body))):
            ident = f"l_{scope}_{name}"
            outer = frame.lookup(name) or f"context.resolve({name!r})"
            self.writeline(f"{ident} = {overlay}[{name!r}] if {name!r} in {overlay} else {outer}")
            inner.symbols[name] = ident
        self.visit_body(node.body, inner)

    def visit_ExprStmt(self, node: n.ExprStmt, frame: Frame) -> None:
        self.writeline(self.visit(node.node, frame), node)

    def visit_Break(self, node: n.Break, frame: Frame) -> None:
        self.writeline("break", node)

    def visit_Continue(self, node: n.Continue, frame: Frame) -> None:
        self.writeline("continue", node)

    def visit_FilterBlock(self, node: n.FilterBlock, frame: Frame) -> None:
        self._without_conditional(self._visit_filter_block, node, frame)

    def _visit_filter_block(self, node: n.FilterBlock, frame: Frame) -> None:
        buffer = self.temp("buf")
        inner = frame.child(buffer)
        inner.toplevel = False
        self.writeline(f"{buffer} = []", node)
        self._declare_child_scope(inner, node.body)
        self.visit_body(node.body, inner)
        value = f"_j_concat({buffer})"
        if frame.volatile:
            value = f"(_j_Markup({value}) if context.eval_ctx.autoescape else {value})"
        elif frame.autoescape:
            value = f"_j_Markup({value})"
        code = self._filter_call(node.filter, frame, value)
        guarded = self._guard_output(frame)
        if frame.volatile:
            self._emit(f"(_j_escape if context.eval_ctx.autoescape else _j_str)({code})", frame, node)
        elif frame.autoescape:
            self._emit(f"_j_escape({code})", frame, node)
        else:
            self._emit(f"_j_str({code})", frame, node)
        if guarded:
            self.outdent()

    # -- macros and calls -----------------------------------------------------------------------

    def _function_scope(self, node: n.Macro | n.CallBlock, frame: Frame, name: str) -> tuple[str, Frame, dict[str, bool]]:
        """Emit ``def`` for a macro/caller; return its identifier, frame and flags."""
        return self._without_conditional(self._function_scope_body, node, frame, name)

    def _function_scope_body(self, node: n.Macro | n.CallBlock, frame: Frame, name: str) -> tuple[str, Frame, dict[str, bool]]:
        func = self.temp("macro")
        buffer = self.temp("buf")
        inner = Frame(frame, buffer)
        inner.in_function = True
        inner.toplevel = False
        loads = all_loads(node.body, into_functions=False)
        for default in node.defaults:
            loads |= all_loads([default], into_functions=False)
        flags = {
            "varargs": "varargs" in loads,
            "kwargs": "kwargs" in loads,
            "caller": "caller" in loads,
        }
        params: list[str] = []
        arg_names = [arg.name for arg in node.args]
        for arg in arg_names:
            if keyword.iskeyword(arg) or arg.startswith("_j_") or arg in ("environment", "context"):
                self.fail(f"unsupported macro argument name {arg!r}", node.lineno)
            params.append(f"{arg}=_j_missing")
        params.append("*_j_varargs")
        # ``{% macro m(caller=none) %}``: the argument is the caller
        if "caller" in arg_names and arg_names.index("caller") < len(arg_names) - len(node.defaults):
            self.fail(
                'When defining macros or call blocks the special "caller" argument must be omitted or be given a default.',
                node.lineno,
                TemplateAssertionError,
            )
        if flags["caller"] and "caller" not in arg_names:
            params.append("caller=_j_missing")
        if flags["kwargs"]:
            # PERF: otherwise no ``**`` parameter (no dict made per call):
            # ``Macro.__call__``, which every call with keywords goes
            # through, refuses unknown keywords first
            params.append("**_j_kwargs")
        self.writeline(f"{self._def()} {func}({', '.join(params)}):", node)
        self.indent()
        if not flags["varargs"]:
            self.writeline(f"if _j_varargs: _j_macro_too_many({name!r}, {len(arg_names)})")
        scope = self.new_scope_id()
        first_default = len(arg_names) - len(node.defaults)
        # As in Jinja2, every argument is bound before the defaults run, so a
        # default naming another argument sees it (undefined while missing).
        idents = {arg: f"l_{scope}_{arg}" for arg in arg_names}
        for arg in arg_names:
            self.writeline(f"{idents[arg]} = {arg}")
            inner.symbols[arg] = idents[arg]
        for index, arg in enumerate(arg_names):
            ident = idents[arg]
            self.writeline(f"if {ident} is _j_missing:")
            self.indent()
            if index >= first_default:
                default = node.defaults[index - first_default]
                self.writeline(f"{ident} = {self.visit(default, self._default_frame(inner, arg_names[index:], idents))}")
            else:
                hint = f"parameter {arg!r} was not provided"
                self.writeline(f"{ident} = _j_undefined({hint!r}, name={arg!r})")
            self.outdent()
        if flags["varargs"]:
            inner.symbols["varargs"] = "_j_varargs"
        if flags["kwargs"]:
            inner.symbols["kwargs"] = "_j_kwargs"
        if flags["caller"] and "caller" not in arg_names:
            ident = f"l_{scope}_caller"
            self.writeline(f"{ident} = caller if caller is not _j_missing else _j_undefined('No caller defined', name='caller')")
            inner.symbols["caller"] = ident
        self._declare_child_scope(inner, node.body, bound=list(inner.symbols))
        if not self._return_output(node.body, inner, frame):
            self.writeline(f"{buffer} = []")
            self.visit_body(node.body, inner)
            # the text: the call makes it Markup or not (see ``Macro``)
            self.writeline(f"return _j_concat({buffer})")
        self.outdent()
        return func, inner, flags

    def _return_output(self, body: list[n.Node], inner: Frame, frame: Frame) -> bool:
        """PERF: a macro (or ``call`` body) whose body is one piece of output
        that makes an exact ``str`` returns it at once, without a buffer list
        to fill and join (which would give the same text). Returns whether
        it did."""
        if (
            len(body) != 1
            or not isinstance(body[0], n.Output)
            or not self._concat_makes_text
            or type(self).visit_Output is not CodeGenerator.visit_Output
        ):
            return False
        output = self._output_code(body[0], inner)
        if output is None or not output[2]:
            return False
        code, where, _ = output
        self.writeline(f"return {code}", where)
        return True

    @staticmethod
    def _default_frame(inner: Frame, pending: list[str], idents: dict[str, str]) -> Frame:
        """The frame a macro default is compiled in: arguments still ``pending``
        (this one and later ones) read as undefined while they are missing."""
        frame = Frame(inner, inner.buffer)
        for arg in pending:
            ident = idents[arg]
            frame.symbols[arg] = f"({ident} if {ident} is not _j_missing else _j_undefined(name={arg!r}))"
        return frame

    def _macro_object(self, func: str, name: str, node: n.Macro | n.CallBlock, flags: dict[str, bool], frame: Frame) -> str:
        args = [arg.name for arg in node.args]
        # a call from Python gets Markup when the definition's place autoescapes
        if frame.volatile or self._has_autoescape_blocks:
            autoescape = "context.eval_ctx.autoescape"
        else:
            autoescape = repr(frame.autoescape)
        return (
            f"_j_Macro(environment, {func}, {name!r}, {args!r}, "
            f"{flags['kwargs']}, {flags['varargs']}, {flags['caller']}, {autoescape})"
        )

    def visit_Macro(self, node: n.Macro, frame: Frame) -> None:
        func, _, flags = self._function_scope(node, frame, node.name)
        ident = frame.lookup(node.name)
        self.writeline(f"{ident} = {self._macro_object(func, node.name, node, flags, frame)}")
        self._export([node.name], frame)

    def visit_CallBlock(self, node: n.CallBlock, frame: Frame) -> None:
        func, _, flags = self._function_scope(node, frame, "caller")
        caller = self._macro_object(func, "caller", node, flags, frame)
        call = node.call
        code = self._call_code(call, frame, extra_kwargs=[f"caller={caller}"])
        guarded = self._guard_output(frame)
        # like Jinja2, the call's result is output as is: not escaped, not finalized
        self._emit(code, frame, node)
        if guarded:
            self.outdent()

    def _wrap_output(self, code: str, frame: Frame) -> str:
        if frame.volatile:
            return f"(_j_escape if context.eval_ctx.autoescape else _j_str)({code})"
        if frame.autoescape:
            return f"_j_escape({code})"
        return f"_j_str({code})"

    # -- inheritance and inclusion ------------------------------------------------------------

    def visit_Extends(self, node: n.Extends, frame: Frame) -> None:
        if not frame.toplevel:
            self.fail("cannot use extend from a non top-level scope", node.lineno)
        if self._known_extends:
            self.writeline("raise _j_TemplateRuntimeError('extended multiple times')", node)
            return
        self.writeline("if _j_parent_template is not None:", node)
        self.indent()
        self.writeline("raise _j_TemplateRuntimeError('extended multiple times')")
        self.outdent()
        template = self.visit(node.template, frame)
        self.writeline(f"_j_parent_template = environment.get_template({template}, {self.name!r})")
        self.writeline("for _j_name, _j_parent_block in _j_parent_template.blocks.items():")
        self.indent()
        self.writeline("context.blocks.setdefault(_j_name, []).append(_j_parent_block)")
        self.outdent()
        if frame.parent is None and not frame.in_function and self._at_top(node, frame):
            self._known_extends = True

    def _at_top(self, node: n.Node, frame: Frame) -> bool:
        return frame.toplevel and self._indent == 1

    def visit_Block(self, node: n.Block, frame: Frame) -> None:
        if self._known_extends and frame.toplevel:
            return
        if node.scoped:
            context = f"context.derived({self._locals_dict(frame)})"
        else:
            context = "context"
        guarded = self._guard_output(frame)
        self._emit_many(f"context.blocks[{node.name!r}][0]({context})", frame, node)
        if guarded:
            self.outdent()

    def _locals_dict(self, frame: Frame) -> str:
        items = [f"{name!r}: {ident}" for name, ident in frame.visible().items() if not ident.startswith("_j_")]
        return "{" + ", ".join(items) + "}"

    def _get_template_code(self, node: n.Include | n.Import | n.FromImport, frame: Frame) -> str:
        template = node.template
        code = self.visit(template, frame)
        if isinstance(template, n.Const):
            if isinstance(template.value, str):
                return f"environment.get_template({code}, {self.name!r})"
            if isinstance(template.value, (list, tuple)):
                return f"environment.select_template({code}, {self.name!r})"
        if isinstance(template, (n.TupleNode, n.ListNode)):
            return f"environment.select_template({code}, {self.name!r})"
        return f"environment.get_or_select_template({code}, {self.name!r})"

    def visit_Include(self, node: n.Include, frame: Frame) -> None:
        template = self.temp("template")
        get = self._get_template_code(node, frame)
        if node.ignore_missing:
            self.writeline("try:", node)
            self.indent()
            self.writeline(f"{template} = {get}")
            self.outdent()
            self.writeline("except _j_TemplateNotFound:")
            self.indent()
            self.writeline(f"{template} = None")
            self.outdent()
            self.writeline(f"if {template} is not None:")
            self.indent()
        else:
            self.writeline(f"{template} = {get}", node)
        if node.with_context:
            ctx = f"{template}.new_context(context.get_all(), True, {self._locals_dict(frame)})"
        else:
            ctx = f"{template}.new_context()"
        guarded = self._guard_output(frame)
        self._emit_many(f"{template}.root_render_func({ctx})", frame, node)
        if guarded:
            self.outdent()
        if node.ignore_missing:
            self.outdent()

    def _module_code(self, node: n.Import | n.FromImport, frame: Frame) -> str:
        get = self._get_template_code(node, frame)
        if self.environment.is_async:
            if node.with_context:
                return f"(await {get}.make_module_async(context.get_all(), True, {self._locals_dict(frame)}))"
            return f"(await {get}._get_default_module_async(context))"
        if node.with_context:
            return f"{get}.make_module(context.get_all(), True, {self._locals_dict(frame)})"
        return f"{get}._get_default_module(context)"

    def visit_Import(self, node: n.Import, frame: Frame) -> None:
        ident = frame.lookup(node.target)
        self.writeline(f"{ident} = {self._module_code(node, frame)}", node)
        self._export([node.target], frame, export=False)

    def visit_FromImport(self, node: n.FromImport, frame: Frame) -> None:
        module = self.temp("module")
        self.writeline(f"{module} = {self._module_code(node, frame)}", node)
        names = [item if isinstance(item, tuple) else (item, item) for item in node.names]
        for name, alias in names:
            ident = frame.lookup(alias)
            hint = f"the template %r (imported on line {node.lineno}) does not export the requested name {name!r}"
            self.writeline(f"{ident} = _j_builtin_getattr({module}, {name!r}, _j_missing)")
            self.writeline(f"if {ident} is _j_missing:")
            self.indent()
            self.writeline(f"{ident} = _j_undefined({hint!r} % {module}.__name__, name={name!r})")
            self.outdent()
        self._export([alias for _, alias in names], frame, export=False)

    # -- expressions ------------------------------------------------------------------------------

    def visit(self, node: n.Node, frame: Frame) -> str:
        method: t.Callable[[n.Node, Frame], str] = getattr(self, "expr_" + type(node).__name__)
        return method(node, frame)

    def expr_Const(self, node: n.Const, frame: Frame) -> str:
        value = node.value
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                return f"_j_float({str(value)!r})"
        return repr(value)

    def expr_TemplateData(self, node: n.TemplateData, frame: Frame) -> str:
        return repr(node.data)

    def expr_Name(self, node: n.Name, frame: Frame) -> str:
        ident = frame.lookup(node.name)
        if ident is None:
            return f"context.resolve({node.name!r})"
        if ident in self._maybe_missing:
            return f"(_j_undefined(name={node.name!r}) if {ident} is _j_missing else {ident})"
        return ident

    def expr_Tuple(self, node: n.Tuple, frame: Frame) -> str:
        items = [self.visit(item, frame) for item in node.items]
        return "(" + "".join(item + ", " for item in items) + ")"

    def expr_List(self, node: n.List, frame: Frame) -> str:
        return "[" + ", ".join(self.visit(item, frame) for item in node.items) + "]"

    def expr_Dict(self, node: n.Dict, frame: Frame) -> str:
        items = [f"{self.visit(p.key, frame)}: {self.visit(p.value, frame)}" for p in node.items]
        return "{" + ", ".join(items) + "}"

    def expr_CondExpr(self, node: n.CondExpr, frame: Frame) -> str:
        self._conditional += 1
        try:
            return self._cond_expr(node, frame)
        finally:
            self._conditional -= 1

    def _cond_expr(self, node: n.CondExpr, frame: Frame) -> str:
        if node.expr2 is None:
            where = f" in {self.name!r}" if self.name is not None else ""
            hint = f"the inline if-expression on line {node.lineno}{where} evaluated to false and no else section was defined."
            # as in Jinja2 always the plain Undefined, whatever the environment's
            other = f"_j_cond_undefined({hint!r})"
        else:
            other = self.visit(node.expr2, frame)
        return f"({self.visit(node.expr1, frame)} if {self.visit(node.test, frame)} else {other})"

    def expr_BinOp(self, node: n.BinExpr, frame: Frame) -> str:
        if self.environment.sandboxed and node.op in self.environment.intercepted_binops:  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment
            return f"environment.call_binop(context, {node.op!r}, {self.visit(node.left, frame)}, {self.visit(node.right, frame)})"
        return f"({self.visit(node.left, frame)} {node.op} {self.visit(node.right, frame)})"

    def expr_UnaryOp(self, node: n.UnaryExpr, frame: Frame) -> str:
        if self.environment.sandboxed and node.op in self.environment.intercepted_unops:  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment
            return f"environment.call_unop(context, {node.op!r}, {self.visit(node.node, frame)})"
        op = "not " if node.op == "not" else node.op
        return f"({op}{self.visit(node.node, frame)})"

    def expr_Concat(self, node: n.Concat, frame: Frame) -> str:
        items = "".join(self.visit(item, frame) + ", " for item in node.nodes)
        if frame.volatile:
            return f"(_j_markup_join if context.eval_ctx.autoescape else _j_str_join)(({items}))"
        if frame.autoescape:
            return f"_j_markup_join(({items}))"
        return f"_j_str_join(({items}))"

    def expr_Compare(self, node: n.Compare, frame: Frame) -> str:
        parts = [self.visit(node.expr, frame)]
        for operand in node.ops:
            parts.append(_OPERATORS[operand.op])
            parts.append(self.visit(operand.expr, frame))
        return "(" + " ".join(parts) + ")"

    def expr_Getattr(self, node: n.Getattr, frame: Frame) -> str:
        obj = self.visit(node.node, frame)
        if self._direct_loop and node.attr in _LOOP_DIRECT_ATTRS:
            # PERF: ``loop.index`` and friends on a LoopContext skip ``environment.getattr``
            value = self.temp("v")
            return f"({value}.{node.attr} if _j_type({value} := {obj}) is _j_LoopContext else _j_getattr({value}, {node.attr!r}))"
        if node.attr not in _DICT_ATTRS and not self.environment.sandboxed:
            # PERF: an exact dict's item read inline (``_j_attr_dict`` is
            # ``dict`` only while the environment's getattr is the stock one,
            # which answers the same: see ``Environment._dict_attrs_inline``).
            value = self.temp("v")
            return self._auto_await(
                f"({value}[{node.attr!r}] if _j_type({value} := {obj}) is _j_attr_dict and {node.attr!r} in {value}"
                f" else _j_getattr({value}, {node.attr!r}))"
            )
        return self._auto_await(f"_j_getattr({obj}, {node.attr!r})")

    def expr_Getitem(self, node: n.Getitem, frame: Frame) -> str:
        if isinstance(node.arg, n.Slice):
            return self._auto_await(f"_j_getitem({self.visit(node.node, frame)}, {self.visit(node.arg, frame)})")
        if isinstance(node.arg, n.Const) and type(node.arg.value) in (str, int) and not self.environment.sandboxed:
            # PERF: ``obj['key']`` of an exact dict read inline, like ``obj.name``
            # above (``_j_item_dict``: see ``Environment._dict_attrs_inline``).
            value = self.temp("v")
            key = repr(node.arg.value)
            return self._auto_await(
                f"({value}[{key}] if _j_type({value} := {self.visit(node.node, frame)}) is _j_item_dict and {key} in {value}"
                f" else _j_getitem({value}, {key}))"
            )
        return self._auto_await(f"_j_getitem({self.visit(node.node, frame)}, {self.visit(node.arg, frame)})")

    def expr_Slice(self, node: n.Slice, frame: Frame) -> str:
        parts = [self.visit(x, frame) if x is not None else "None" for x in (node.start, node.stop, node.step)]
        return f"_j_slice({', '.join(parts)})"

    def _arguments(self, node: n.Call | n.Filter | n.Test, frame: Frame, extra_kwargs: list[str] | None = None) -> list[str]:
        args = [self.visit(arg, frame) for arg in node.args]
        for kw in node.kwargs:
            if not kw.key.isidentifier() or keyword.iskeyword(kw.key):
                args.append(f"**{{{kw.key!r}: {self.visit(kw.value, frame)}}}")
            else:
                args.append(f"{kw.key}={self.visit(kw.value, frame)}")
        if extra_kwargs:
            args.extend(extra_kwargs)
        if node.dyn_args is not None:
            args.append(f"*{self.visit(node.dyn_args, frame)}")
        if node.dyn_kwargs is not None:
            args.append(f"**{self.visit(node.dyn_kwargs, frame)}")
        return args

    def expr_Call(self, node: n.Call, frame: Frame) -> str:
        return self._call_code(node, frame)

    def _call_code(self, node: n.Call, frame: Frame, extra_kwargs: list[str] | None = None) -> str:
        callee = node.node
        if self._direct_loop and isinstance(callee, n.Getattr) and callee.attr == "cycle" and not self._has_calls(node):
            return self._loop_cycle_code(node, callee, frame, extra_kwargs)
        return self._macro_or_general_call(node, frame, extra_kwargs, False)

    def _escaped_call_text(self, node: n.Call, frame: Frame) -> str:
        """The escaped text of a call formatted into output in an
        autoescaped frame (see :meth:`_macro_or_general_call`)."""
        callee = node.node
        if self._direct_loop and isinstance(callee, n.Getattr) and callee.attr == "cycle" and not self._has_calls(node):
            return self._escape_unless_markup(self._loop_cycle_code(node, callee, frame, None))
        return self._macro_or_general_call(node, frame, None, True)

    def _escape_unless_markup(self, code: str) -> str:
        # PERF: exact Markup (most results of calls) is what escaping returns
        value = self.temp("v")
        return f"({value} if _j_type({value} := {code}) is _j_Markup else _j_escape_text({value}))"

    def _macro_or_general_call(self, node: n.Call, frame: Frame, extra_kwargs: list[str] | None, escaped_text: bool) -> str:
        """A call; ``escaped_text``: its escaped text, for output formatted
        with other text in a statically autoescaped frame."""
        func = self.visit(node.node, frame)
        args = self._arguments(node, frame, extra_kwargs)
        joined = ", ".join(args)
        if frame.local_vars is not None:
            # a for body or block with ``set`` variables (``pass_context``
            # callables see them); macros keep their fast path below
            general = f"_j_call_lv({frame.local_vars}, context, {func}{', ' if joined else ''}{joined})"
        else:
            general = f"_j_call({func}{', ' if joined else ''}{joined})"
        general = self._auto_await(general)
        if isinstance(node.node, n.Name) and not func.startswith("context.") and not self._has_calls(node):
            # PERF: macros are by far the most called objects in templates;
            # they need no context, so skip ``Context.call`` for them. (Only
            # for arguments without calls: the argument code appears twice.)
            # The macro's function returns its text; as in Jinja2, the call
            # gives Markup when this code autoescapes at the time of the call.
            if node.kwargs or node.dyn_kwargs is not None or extra_kwargs:
                # keywords: ``Macro.__call__`` checks them (the generated
                # function has no ``**`` parameter unless it reads ``kwargs``)
                value = f"{func}(context.eval_ctx{', ' if joined else ''}{joined})"
                if self.environment.is_async:
                    value = f"(await {value})"
                if escaped_text:
                    return f"({self._escape_unless_markup(value)} if _j_type({func}) is _j_Macro else {self._escape_unless_markup(general)})"
                return f"({value} if _j_type({func}) is _j_Macro else {general})"
            text = f"{func}._func({joined})"
            if self.environment.is_async:
                text = f"(await {text})"
            if escaped_text:
                # PERF: the text goes into the output as it is when it is an
                # exact str (what Markup of it would give), no Markup made.
                value = self.temp("v")
                macro = (
                    f"({value} if _j_type({value} := {text}) is _j_str and context.eval_ctx.autoescape"
                    f" else _j_escape_text(_j_macro_value(context.eval_ctx, {value})))"
                )
                return f"({macro} if _j_type({func}) is _j_Macro else {self._escape_unless_markup(general)})"
            return f"(_j_macro_value(context.eval_ctx, {text}) if _j_type({func}) is _j_Macro else {general})"
        if escaped_text:
            return self._escape_unless_markup(general)
        return general

    def _loop_cycle_code(self, node: n.Call, callee: n.Getattr, frame: Frame, extra_kwargs: list[str] | None) -> str:
        """``loop.cycle(...)``: PERF: called directly on a LoopContext (it runs no
        user code, so ``Context.call`` would add nothing); anything else named
        ``cycle`` goes the general way. (The argument code appears twice.)"""
        value = self.temp("v")
        obj = self.visit(callee.node, frame)
        joined = ", ".join(self._arguments(node, frame, extra_kwargs))
        func = f"_j_getattr({value}, 'cycle')"
        if frame.local_vars is not None:
            general = f"_j_call_lv({frame.local_vars}, context, {func}{', ' if joined else ''}{joined})"
        else:
            general = f"_j_call({func}{', ' if joined else ''}{joined})"
        return f"({value}.cycle({joined}) if _j_type({value} := {obj}) is _j_LoopContext else {general})"

    @staticmethod
    def _has_calls(node: n.Call) -> bool:
        for child in node.iter_child_nodes():
            if child is node.node:
                continue
            if isinstance(child, (n.Call, n.Filter, n.Test)) or any(True for _ in child.find_all((n.Call, n.Filter, n.Test))):
                return True
        return False

    @staticmethod
    def _guarded_names(test: n.Node) -> set[tuple[str, str]]:
        names = set()
        candidates = [test] + list(test.find_all(n.Test))
        for item in candidates:
            if isinstance(item, n.Test) and item.name in ("filter", "test") and isinstance(item.node, n.Const):
                names.add((item.name, item.node.value))
        return names

    def _resolve_named(self, kind: str, name: str, lineno: int | None, frame: Frame) -> tuple[str, str | None]:
        table = self.environment.filters if kind == "filter" else self.environment.tests
        registry = self._filters if kind == "filter" else self._tests
        func = table.get(name)
        if func is None:
            if self._conditional or any((kind, name) in guard for guard in self._guards):
                message = f"No {kind} named {name!r} found."
                return f"_j_missing_named({message!r})", None
            self.fail(f"No {kind} named {name!r}.", lineno, TemplateAssertionError)
        ident = registry.get(name)
        if ident is None:
            ident = registry[name] = f"_j_{kind[0]}_{len(registry)}"
        return ident, _PassArg.from_obj(func)

    def _named_call(self, kind: str, node: n.Filter | n.Test, frame: Frame, value: str) -> str:
        ident, pass_arg = self._resolve_named(kind, node.name, node.lineno, frame)
        args = [value] + self._arguments(node, frame)
        if pass_arg == "context":
            args.insert(0, "context")
        elif pass_arg == "eval_context":
            args.insert(0, "context.eval_ctx")
        elif pass_arg == "environment":
            args.insert(0, "environment")
        return self._auto_await(f"{ident}({', '.join(args)})")

    def _filter_call(self, node: n.Filter, frame: Frame, value: str) -> str:
        """Apply a (chain of) filter node(s) whose innermost value is ``value``."""
        if node.node is None:
            inner = value
        else:
            inner = self._filter_call(node.node, frame, value) if isinstance(node.node, n.Filter) else self.visit(node.node, frame)
        return self._named_call("filter", node, frame, inner)

    def expr_Filter(self, node: n.Filter, frame: Frame) -> str:
        return self._named_call("filter", node, frame, self.visit(node.node, frame))  # type: ignore[arg-type]  # only a filter block's chain has no node

    def expr_Test(self, node: n.Test, frame: Frame) -> str:
        return self._named_call("test", node, frame, self.visit(node.node, frame))

    def expr_ExtensionAttribute(self, node: n.ExtensionAttribute, frame: Frame) -> str:
        return f"environment.extensions[{node.identifier!r}].{node.name}"

    def expr_EnvironmentAttribute(self, node: n.EnvironmentAttribute, frame: Frame) -> str:
        return f"environment.{node.name}"

    def expr_ImportedName(self, node: n.ImportedName, frame: Frame) -> str:
        ident = self._imports.get(node.importname)
        if ident is None:
            ident = self._imports[node.importname] = f"_j_imported_{len(self._imports)}"
        return ident

    def expr_InternalName(self, node: n.InternalName, frame: Frame) -> str:
        return f"_j_internal_{node.name}"

    def expr_MarkSafe(self, node: n.MarkSafe, frame: Frame) -> str:
        return f"_j_Markup({self.visit(node.expr, frame)})"

    def expr_MarkSafeIfAutoescape(self, node: n.MarkSafeIfAutoescape, frame: Frame) -> str:
        code = self.visit(node.expr, frame)
        if frame.volatile:
            return f"(_j_Markup if context.eval_ctx.autoescape else _j_identity)({code})"
        if frame.autoescape:
            return f"_j_Markup({code})"
        return code

    def expr_ContextReference(self, node: n.ContextReference, frame: Frame) -> str:
        return "context"

    def expr_DerivedContextReference(self, node: n.DerivedContextReference, frame: Frame) -> str:
        return f"context.derived({self._locals_dict(frame)})"

    # Jinja2's operator node classes (``op`` is their ``operator``)
    expr_Add = expr_Sub = expr_Mul = expr_Div = expr_FloorDiv = expr_Mod = expr_Pow = expr_BinOp
    expr_And = expr_Or = expr_BinOp
    expr_Not = expr_Neg = expr_Pos = expr_UnaryOp

    def expr_NSRef(self, node: n.NSRef, frame: Frame) -> str:
        self.fail("namespace references can only be assignment targets", node.lineno)


def generate(environment: Environment, tree: n.Template, name: str | None, filename: str | None) -> tuple[str, list[tuple[int, int]]]:
    """Return the Python source for ``tree`` and its line map."""
    generator_class = getattr(environment, "code_generator_class", CodeGenerator)
    generator = generator_class(environment, name, filename)
    source = generator.generate(tree)
    return source, generator.debug_info


def _not_provided(module: str, names: dict[str, str]) -> t.Callable[[str], t.Any]:
    """A module ``__getattr__`` naming the Jinja2 internals this engine does not have."""

    def __getattr__(name: str) -> t.Any:
        reason = names.get(name)
        if reason is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        raise AttributeError(f"{module}.{name} is not provided: {reason}")

    return __getattr__


# -- jinja2.compiler's public names ------------------------------------------------------------
from ..markup import Markup as Markup  # noqa: E402
from . import nodes as nodes  # noqa: E402
from .nodes import has_safe_repr as has_safe_repr  # noqa: E402
from .runtime import EvalContext as EvalContext  # noqa: E402
from .visitor import NodeVisitor as NodeVisitor  # noqa: E402

concat = "".join
#: Comparison operator names of :class:`~.nodes.Operand` -> Python's operators.
operators = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=", "in": "in", "notin": "not in"}

_INTERNAL = (
    "an internal of Jinja2's code generator; microflask.templating's compiler "
    "(CodeGenerator, Frame) generates different code and has no equivalent"
)
__getattr__ = _not_provided(
    __name__,
    {
        name: _INTERNAL
        for name in (
            "CompilerExit", "DependencyFinderVisitor", "MacroRef", "Optimizer", "Symbols",
            "UndeclaredNameVisitor", "VAR_LOAD_ALIAS", "VAR_LOAD_PARAMETER", "VAR_LOAD_RESOLVE",
            "VAR_LOAD_UNDEFINED", "VisitorExit", "optimizeconst", "find_undeclared",
        )
    },
)  # fmt: skip
