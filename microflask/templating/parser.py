"""A recursive-descent parser from tokens to the :mod:`.nodes` AST.

Theory of operation: the environment hands over a :class:`~.lexer.TokenStream`
(lexed, then passed through each extension's ``filter_stream``).
``subparse`` collects data and ``{{ }}`` output into :class:`~.nodes.Output`
nodes and dispatches each ``{% tag %}`` to a ``parse_<tag>`` method, or to
the ``parse`` of the extension that registered the tag, returning when it
meets one of the end tags its caller is waiting for (the stack of those tags
makes the "Jinja was looking for ..." messages). Extensions use the same
public helpers the built-in tags do (``parse_expression``,
``parse_statements``, ``stream.expect("name:endx")``...). Expressions follow Jinja's precedence, loosest first:
conditional, ``or``, ``and``, ``not``, comparisons, ``+ -``, ``~``,
``* / // %``, ``**``, unary ``- +``, then primaries with postfix ``.``/``[]``/
``()`` and the ``|filter`` / ``is test`` chain.
"""

from __future__ import annotations

import typing as t

from . import nodes as n
from .exceptions import TemplateAssertionError, TemplateSyntaxError
from .lexer import TokenStream as TokenStream
from .lexer import describe_token, describe_token_expr

if t.TYPE_CHECKING:
    from .environment import Environment
    from .ext import Extension

_STATEMENTS = frozenset(
    "for if block extends print macro include from import set with autoescape filter call".split()
)
_STATEMENT_METHODS = {name: "parse_" + name for name in _STATEMENTS}
_STATEMENT_METHODS["call"] = "parse_call_block"
_STATEMENT_METHODS["filter"] = "parse_filter_block"
_COMPARE_OPS = frozenset(("eq", "ne", "lt", "lteq", "gt", "gteq"))
_MATH1 = {"add": n.Add, "sub": n.Sub}
_MATH2 = {"mul": n.Mul, "div": n.Div, "floordiv": n.FloorDiv, "mod": n.Mod}


class Parser:
    """Parse one template into a :class:`~.nodes.Template`.

    :param environment: supplies the lexer, the extensions and their tags.
    :param source: the template source.
    :param name: the template's load name (for errors).
    :param filename: the template's file name (for errors).
    :param state: accepted for Jinja compatibility (lexing always starts in data).
    """

    def __init__(
        self,
        environment: Environment,
        source: str,
        name: str | None = None,
        filename: str | None = None,
        state: str | None = None,
    ) -> None:
        self.environment = environment
        #: The :class:`TokenStream` extensions read from.
        self.stream = environment._tokenize(source, name, filename, state)
        self.name = name
        self.filename = filename
        self.closed = False
        #: Extension tag -> the extension's ``parse`` method.
        self.extensions: dict[str, t.Callable[[Parser], n.Node | list[n.Node]]] = {}
        for extension in environment.iter_extensions():
            for tag in extension.tags:
                self.extensions[tag] = extension.parse
        self._last_identifier = 0
        self._end_token_stack: list[tuple[str, ...]] = []
        self._tag_stack: list[str] = []

    # -- entry points ----------------------------------------------------------------

    def parse(self) -> n.Template:
        """Parse the whole template."""
        body = self.subparse(None)
        result = n.Template(body, lineno=1)
        # only the root: tools like ``meta`` ask it for the environment's globals
        result.environment = self.environment
        return result

    def fail(self, msg: str, lineno: int | None = None, exc: type[TemplateSyntaxError] = TemplateSyntaxError) -> t.NoReturn:
        """Raise ``exc`` (a :class:`TemplateSyntaxError`) for ``msg`` at ``lineno``."""
        self.stream.fail(msg, lineno, exc)

    def free_identifier(self, lineno: int | None = None) -> n.InternalName:
        """A new :class:`~.nodes.InternalName` no template variable can clash with."""
        self._last_identifier += 1
        return n._new_internal_name(f"fi{self._last_identifier}", lineno)

    def is_tuple_end(self, extra_end_rules: tuple[str, ...] | None = None) -> bool:
        """Whether the current token ends a tuple (``)``, a tag's end, or an extra rule)."""
        token = self.stream.current
        if token.type in ("variable_end", "block_end", "rparen", "eof"):
            return True
        if extra_end_rules:
            return token.test_any(*extra_end_rules)
        return False

    def fail_unknown_tag(self, name: str, lineno: int | None = None) -> t.NoReturn:
        """Fail for the unknown tag ``name``, saying which end tags were expected."""
        self._fail_unknown_tag(name, lineno)

    def fail_eof(self, end_tokens: tuple[str, ...] | None = None, lineno: int | None = None) -> t.NoReturn:
        """Fail for the end of the template while ``end_tokens`` were expected."""
        stack = list(self._end_token_stack)
        if end_tokens is not None:
            stack.append(end_tokens)
        self._fail_unknown_tag(None, lineno, stack)

    def _fail_unknown_tag(self, name: str | None, lineno: int | None, stack: list[tuple[str, ...]] | None = None) -> t.NoReturn:
        if stack is None:
            stack = self._end_token_stack
        if name is None:
            message = ["Unexpected end of template."]
        else:
            message = [f"Encountered unknown tag {name!r}."]
        if stack:
            wanted = " or ".join(repr(describe_token_expr(x)) for x in stack[-1])
            message.append(f"Jinja was looking for the following tags: {wanted}.")
        if self._tag_stack:
            message.append(
                f"The innermost block that needs to be closed is {self._tag_stack[-1]!r}."
            )
        self.fail(" ".join(message), lineno)

    # -- statements ------------------------------------------------------------------

    def subparse(self, end_tokens: tuple[str, ...] | None = None) -> list[n.Node]:
        """Parse until one of ``end_tokens`` (``"name:endfor"``...) is next; leave it current."""
        body: list[n.Node] = []
        data: list[n.Node] = []
        stream = self.stream
        end_names: frozenset[str] | None = None
        if end_tokens is not None:
            self._end_token_stack.append(end_tokens)
            # PERF: end tags are nearly always ``name:x``; test the name set.
            if all(x.startswith("name:") for x in end_tokens):
                end_names = frozenset(x[5:] for x in end_tokens)

        def flush() -> None:
            if data:
                body.append(n.Output(list(data), lineno=data[0].lineno))
                del data[:]

        try:
            while True:
                token = stream.current
                if token.type == "data":
                    if token.value:
                        data.append(n.TemplateData(token.value, lineno=token.lineno))
                    stream.next()
                elif token.type == "variable_begin":
                    stream.next()
                    data.append(self.parse_tuple(with_condexpr=True))
                    stream.expect("variable_end")
                elif token.type == "block_begin":
                    flush()
                    stream.next()
                    if end_tokens is not None:
                        current = stream.current
                        if (
                            current.type == "name" and current.value in end_names
                            if end_names is not None
                            else current.test_any(*end_tokens)
                        ):
                            return body
                    result = self.parse_statement()
                    if isinstance(result, list):
                        body.extend(result)
                    else:
                        body.append(result)
                    stream.expect("block_end")
                elif token.type == "eof":
                    if end_tokens is not None:
                        self._fail_unknown_tag(None, token.lineno)
                    break
                else:
                    self.fail(f"unexpected {token.describe()!r}")
            flush()
            return body
        finally:
            if end_tokens is not None:
                self._end_token_stack.pop()

    def parse_statement(self) -> n.Node | list[n.Node]:
        """Parse one ``{% tag %}`` (the stream is on the tag name)."""
        token = self.stream.current
        if token.type != "name":
            self.fail("tag name expected", token.lineno)
        self._tag_stack.append(token.value)
        pop = True
        try:
            if token.value in _STATEMENTS:
                method = _STATEMENT_METHODS[token.value]
                parsed: n.Node | list[n.Node] = getattr(self, method)()
                return parsed
            extension = self.extensions.get(token.value)
            if extension is not None:
                return extension(self)
            pop = False
            self._tag_stack.pop()
            self._fail_unknown_tag(token.value, token.lineno)
        finally:
            if pop:
                self._tag_stack.pop()

    def parse_statements(self, end_tokens: tuple[str, ...], drop_needle: bool = False) -> list[n.Node]:
        """Parse a tag body up to one of ``end_tokens`` (``("name:endcache",)``).

        :param drop_needle: also consume the end tag's name.
        """
        end_tokens = tuple(end_tokens)
        self.stream.skip_if("colon")
        self.stream.expect("block_end")
        result = self.subparse(end_tokens)
        if self.stream.current.type == "eof":
            self.fail_eof(end_tokens)
        if drop_needle:
            self.stream.next()
        return result

    def parse_for(self) -> n.For:
        lineno = self.stream.expect("name", "for").lineno
        target = self.parse_assign_target(extra_end_rules=("name:in",))
        self.stream.expect("name", "in")
        iter_node = self.parse_tuple(with_condexpr=False, extra_end_rules=("name:recursive",))
        test = None
        if self.stream.skip_if("name", "if"):
            test = self.parse_expression()
        recursive = self.stream.skip_if("name", "recursive")
        body = self.parse_statements(("name:endfor", "name:else"))
        if self.stream.next().value == "endfor":
            else_: list[n.Node] = []
        else:
            else_ = self.parse_statements(("name:endfor",), drop_needle=True)
        return n.For(target, iter_node, body, else_, test, recursive, lineno=lineno)

    def parse_if(self) -> n.If:
        node = result = n.If(None, [], [], [], lineno=self.stream.expect("name", "if").lineno)
        while True:
            node.test = self.parse_tuple(with_condexpr=False)
            node.body = self.parse_statements(("name:elif", "name:else", "name:endif"))
            token = self.stream.next()
            if token.value == "elif":
                node = n.If(None, [], [], [], lineno=self.stream.current.lineno)
                result.elif_.append(node)
                continue
            if token.value == "else":
                result.else_ = self.parse_statements(("name:endif",), drop_needle=True)
            break
        return result

    def parse_with(self) -> n.With:
        lineno = self.stream.next().lineno
        targets: list[n.Node] = []
        values: list[n.Node] = []
        while self.stream.current.type != "block_end":
            if targets:
                self.stream.expect("comma")
            target = self.parse_assign_target()
            target.set_ctx("param")
            self.stream.expect("assign")
            targets.append(target)
            values.append(self.parse_expression())
        body = self.parse_statements(("name:endwith",), drop_needle=True)
        return n.With(targets, values, body, lineno=lineno)

    def parse_autoescape(self) -> n.Scope:
        lineno = self.stream.next().lineno
        options = [n.Keyword("autoescape", self.parse_expression())]
        body = self.parse_statements(("name:endautoescape",), drop_needle=True)
        return n.Scope([n.ScopedEvalContextModifier(options, body, lineno=lineno)])

    def parse_block(self) -> n.Block:
        lineno = self.stream.next().lineno
        name = self.stream.expect("name").value
        scoped = self.stream.skip_if("name", "scoped")
        required = self.stream.skip_if("name", "required")
        if self.stream.current.type == "sub":
            self.fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.")
        body = self.parse_statements(("name:endblock",), drop_needle=True)
        if required:
            for stmt in body:
                if not isinstance(stmt, n.Output) or any(
                    not isinstance(d, n.TemplateData) or not d.data.isspace() for d in stmt.nodes
                ):
                    self.fail("Required blocks can only contain comments or whitespace", lineno)
        self.stream.skip_if("name", name)
        return n.Block(name, body, scoped, required, lineno=lineno)

    def parse_extends(self) -> n.Extends:
        lineno = self.stream.next().lineno
        return n.Extends(self.parse_expression(), lineno=lineno)

    def parse_import_context(self, node: t.Any, default: bool) -> t.Any:
        """Set ``node.with_context`` from a trailing ``with/without context``."""
        node.with_context = self._parse_context(default)
        return node

    def _parse_context(self, default: bool) -> bool:
        stream = self.stream
        if stream.current.type == "name" and stream.current.value in ("with", "without"):
            if stream.look().test("name:context"):
                with_context: bool = stream.next().value == "with"
                stream.next()
                return with_context
        return default

    def parse_include(self) -> n.Include:
        lineno = self.stream.next().lineno
        template = self.parse_expression()
        ignore_missing = False
        if self.stream.test("name", "ignore") and self.stream.look().test("name:missing"):
            self.stream.skip(2)
            ignore_missing = True
        with_context = self._parse_context(True)
        return n.Include(template, with_context, ignore_missing, lineno=lineno)

    def parse_import(self) -> n.Import:
        lineno = self.stream.next().lineno
        template = self.parse_expression()
        self.stream.expect("name", "as")
        target = self.parse_assign_target(name_only=True).name
        with_context = self._parse_context(False)
        return n.Import(template, target, with_context, lineno=lineno)

    def parse_from(self) -> n.FromImport:
        lineno = self.stream.next().lineno
        template = self.parse_expression()
        self.stream.expect("name", "import")
        names: list[str | tuple[str, str]] = []
        with_context = False
        stream = self.stream
        while True:
            if names:
                stream.expect("comma")
            if stream.current.type == "name":
                if stream.current.value in ("with", "without") and stream.look().test("name:context"):
                    with_context = self._parse_context(False)
                    break
                target = self.parse_assign_target(name_only=True)
                if target.name.startswith("_"):
                    self.fail("names starting with an underline can not be imported", target.lineno, TemplateAssertionError)
                if stream.skip_if("name", "as"):
                    alias = self.parse_assign_target(name_only=True)
                    names.append((target.name, alias.name))
                else:
                    names.append(target.name)
                if stream.current.type != "comma":
                    with_context = self._parse_context(False)
                    break
            else:
                stream.expect("name")
        if not names:
            self.fail("no names given to import", lineno)
        return n.FromImport(template, names, with_context, lineno=lineno)

    def parse_signature(self, node: t.Any) -> None:
        """Parse ``(a, b=1)`` into ``node.args`` and ``node.defaults``."""
        node.args, node.defaults = self._parse_signature()

    def _parse_signature(self) -> tuple[list[n.Node], list[n.Node]]:
        args: list[n.Node] = []
        defaults: list[n.Node] = []
        seen: set[str] = set()
        self.stream.expect("lparen")
        while not self.stream.test("rparen"):
            if args:
                self.stream.expect("comma")
                if self.stream.test("rparen"):
                    break
            arg = self.parse_assign_target(name_only=True)
            arg.ctx = "param"
            if arg.name in seen:
                self.fail(f"duplicate argument {arg.name!r} in macro signature", arg.lineno)
            seen.add(arg.name)
            if self.stream.skip_if("assign"):
                defaults.append(self.parse_expression())
            elif defaults:
                self.fail("non-default argument follows default argument")
            args.append(arg)
        self.stream.expect("rparen")
        return args, defaults

    def parse_macro(self) -> n.Macro:
        lineno = self.stream.next().lineno
        name = self.parse_assign_target(name_only=True).name
        args, defaults = self._parse_signature()
        body = self.parse_statements(("name:endmacro",), drop_needle=True)
        self.stream.skip_if("name", name)
        return n.Macro(name, args, defaults, body, lineno=lineno)

    def parse_call_block(self) -> n.CallBlock:
        lineno = self.stream.next().lineno
        if self.stream.test("lparen"):
            args, defaults = self._parse_signature()
        else:
            args, defaults = [], []
        call = self.parse_expression()
        if not isinstance(call, n.Call):
            self.fail("expected call", lineno)
        body = self.parse_statements(("name:endcall",), drop_needle=True)
        return n.CallBlock(call, args, defaults, body, lineno=lineno)

    def parse_filter_block(self) -> n.FilterBlock:
        lineno = self.stream.next().lineno
        filter_node = self.parse_filter(None, start_inline=True)
        body = self.parse_statements(("name:endfilter",), drop_needle=True)
        return n.FilterBlock(body, filter_node, lineno=lineno)

    def parse_set(self) -> n.Node:
        lineno = self.stream.next().lineno
        target = self.parse_assign_target(with_namespace=True)
        if self.stream.skip_if("assign"):
            expr = self.parse_tuple()
            return n.Assign(target, expr, lineno=lineno)
        filter_node = self.parse_filter(None)
        body = self.parse_statements(("name:endset",), drop_needle=True)
        return n.AssignBlock(target, filter_node, body, lineno=lineno)

    def parse_print(self) -> n.Output:
        lineno = self.stream.next().lineno
        items: list[n.Node] = []
        while self.stream.current.type != "block_end":
            if items:
                self.stream.expect("comma")
            items.append(self.parse_expression())
        return n.Output(items, lineno=lineno)

    # -- assignment targets ----------------------------------------------------------

    def parse_assign_target(
        self,
        with_tuple: bool = True,
        name_only: bool = False,
        extra_end_rules: tuple[str, ...] | None = None,
        with_namespace: bool = False,
    ) -> t.Any:
        """Parse an assignment target: a name, a tuple of names, or ``ns.attr``."""
        stream = self.stream
        if name_only:
            token = stream.expect("name")
            return n.Name(token.value, "store", lineno=token.lineno)
        if with_tuple:
            target = self.parse_tuple(simplified=True, extra_end_rules=extra_end_rules, with_namespace=with_namespace)
        elif with_namespace:
            target = self._parse_namespace_or_primary()
        else:
            target = self.parse_primary()
        self._set_store(target)
        return target

    def _set_store(self, target: n.Node) -> None:
        if isinstance(target, n.Name):
            if target.name in ("true", "false", "none", "True", "False", "None"):
                self.fail(f"Can't assign to {type(target).__name__.lower()!r}", target.lineno)
            target.ctx = "store"
        elif isinstance(target, n.Tuple):
            target.ctx = "store"
            for item in target.items:
                self._set_store(item)
        elif isinstance(target, n.NSRef):
            pass
        else:
            self.fail(f"can't assign to {type(target).__name__.lower()!r}", target.lineno)

    # -- expressions -------------------------------------------------------------------

    def parse_expression(self, with_condexpr: bool = True) -> n.Node:
        """Parse an expression (with ``a if b else c`` unless ``with_condexpr`` is false)."""
        if with_condexpr:
            return self.parse_condexpr()
        return self.parse_or()

    def parse_condexpr(self) -> n.Node:
        lineno = self.stream.current.lineno
        expr1 = self.parse_or()
        while self.stream.skip_if("name", "if"):
            expr2 = self.parse_or()
            expr3 = self.parse_condexpr() if self.stream.skip_if("name", "else") else None
            expr1 = n.CondExpr(expr2, expr1, expr3, lineno=lineno)
            lineno = self.stream.current.lineno
        return expr1

    def parse_or(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_and()
        while self.stream.skip_if("name", "or"):
            left = n.Or(left, self.parse_and(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_and(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_not()
        while self.stream.skip_if("name", "and"):
            left = n.And(left, self.parse_not(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_not(self) -> n.Node:
        if self.stream.test("name", "not"):
            lineno = self.stream.next().lineno
            return n.Not(self.parse_not(), lineno=lineno)
        return self.parse_compare()

    def parse_compare(self) -> n.Node:
        stream = self.stream
        lineno = stream.current.lineno
        expr = self.parse_math1()
        ops: list[n.Node] = []
        while True:
            token = stream.current
            if token.type in _COMPARE_OPS:
                stream.next()
                ops.append(n.Operand(token.type, self.parse_math1()))
            elif stream.skip_if("name", "in"):
                ops.append(n.Operand("in", self.parse_math1()))
            elif stream.test("name", "not") and stream.look().test("name:in"):
                stream.skip(2)
                ops.append(n.Operand("notin", self.parse_math1()))
            else:
                break
            lineno = stream.current.lineno
        if not ops:
            return expr
        return n.Compare(expr, ops, lineno=lineno)

    def parse_math1(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_concat()
        while self.stream.current.type in _MATH1:
            cls = _MATH1[self.stream.next().type]
            left = cls(left, self.parse_concat(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_concat(self) -> n.Node:
        lineno = self.stream.current.lineno
        items = [self.parse_math2()]
        while self.stream.skip_if("tilde"):
            items.append(self.parse_math2())
        if len(items) == 1:
            return items[0]
        return n.Concat(items, lineno=lineno)

    def parse_math2(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_pow()
        while self.stream.current.type in _MATH2:
            cls = _MATH2[self.stream.next().type]
            left = cls(left, self.parse_pow(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_pow(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_unary()
        while self.stream.skip_if("pow"):
            left = n.Pow(left, self.parse_unary(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_unary(self, with_filter: bool = True) -> n.Node:
        token = self.stream.current
        if token.type == "sub" or token.type == "add":
            self.stream.next()
            cls = n.Neg if token.type == "sub" else n.Pos
            node: n.Node = cls(self.parse_unary(False), lineno=token.lineno)
        else:
            node = self.parse_primary()
        node = self.parse_postfix(node)
        if with_filter:
            node = self.parse_filter_expr(node)
        return node

    def parse_primary(self) -> n.Node:
        """Parse a name, a literal, or a parenthesized/list/dict expression."""
        token = self.stream.current
        lineno = token.lineno
        type = token.type
        if type == "name":
            value = token.value
            self.stream.next()
            if value in ("true", "True"):
                return n.Const(True, lineno=lineno)
            if value in ("false", "False"):
                return n.Const(False, lineno=lineno)
            if value in ("none", "None"):
                return n.Const(None, lineno=lineno)
            return n.Name(value, "load", lineno=lineno)
        if type == "string":
            self.stream.next()
            parts = [token.value]
            while self.stream.current.type == "string":
                parts.append(self.stream.next().value)
            return n.Const("".join(parts), lineno=lineno)
        if type == "integer" or type == "float":
            self.stream.next()
            return n.Const(token.value, lineno=lineno)
        if type == "lparen":
            self.stream.next()
            node = self.parse_tuple(explicit_parentheses=True)
            self.stream.expect("rparen")
            return node
        if type == "lbracket":
            return self.parse_list()
        if type == "lbrace":
            return self.parse_dict()
        self.fail(f"unexpected {token.describe()!r}")

    def _parse_namespace_or_primary(self) -> n.Node:
        """``name.attr`` as an :class:`~.nodes.NSRef` target, else a primary."""
        stream = self.stream
        if stream.current.type == "name" and stream.look().type == "dot":
            token = stream.next()
            stream.next()
            attr = stream.expect("name")
            return n.NSRef(token.value, attr.value, lineno=token.lineno)
        return self.parse_primary()

    def parse_tuple(
        self,
        simplified: bool = False,
        with_condexpr: bool = True,
        extra_end_rules: tuple[str, ...] | None = None,
        explicit_parentheses: bool = False,
        with_namespace: bool = False,
    ) -> n.Node:
        """Parse one expression, or several separated by commas as a ``Tuple``.

        :param simplified: only primaries (names, literals), as for targets.
        :param with_condexpr: allow ``a if b else c`` items.
        :param extra_end_rules: token expressions that also end the tuple.
        :param explicit_parentheses: an empty tuple is allowed (``()``).
        :param with_namespace: with ``simplified``, ``ns.attr`` items are ``NSRef`` targets.
        """
        lineno = self.stream.current.lineno
        if simplified and with_namespace:
            parse = self._parse_namespace_or_primary
        elif simplified:
            parse = self.parse_primary
        elif with_condexpr:
            parse = self.parse_expression
        else:
            parse = lambda: self.parse_expression(with_condexpr=False)  # noqa: E731
        items: list[n.Node] = []
        is_tuple = False
        while True:
            if items:
                self.stream.expect("comma")
            if self.is_tuple_end(extra_end_rules):
                break
            items.append(parse())
            if self.stream.current.type == "comma":
                is_tuple = True
            else:
                break
            lineno = self.stream.current.lineno
        if not is_tuple:
            if items:
                return items[0]
            if not explicit_parentheses:
                self.fail(f"Expected an expression, got {describe_token(self.stream.current)!r}")
        return n.Tuple(items, "load", lineno=lineno)

    def parse_list(self) -> n.Node:
        token = self.stream.expect("lbracket")
        items: list[n.Node] = []
        while not self.stream.test("rbracket"):
            if items:
                self.stream.expect("comma")
            if self.stream.test("rbracket"):
                break
            items.append(self.parse_expression())
        self.stream.expect("rbracket")
        return n.List(items, lineno=token.lineno)

    def parse_dict(self) -> n.Node:
        token = self.stream.expect("lbrace")
        items: list[n.Node] = []
        while not self.stream.test("rbrace"):
            if items:
                self.stream.expect("comma")
            if self.stream.test("rbrace"):
                break
            key = self.parse_expression()
            self.stream.expect("colon")
            value = self.parse_expression()
            items.append(n.Pair(key, value, lineno=key.lineno))
        self.stream.expect("rbrace")
        return n.Dict(items, lineno=token.lineno)

    def parse_postfix(self, node: n.Node) -> n.Node:
        while True:
            type = self.stream.current.type
            if type == "dot" or type == "lbracket":
                node = self.parse_subscript(node)
            elif type == "lparen":
                node = self.parse_call(node)
            else:
                break
        return node

    def parse_filter_expr(self, node: n.Node) -> n.Node:
        while True:
            token = self.stream.current
            if token.type == "pipe":
                node = self.parse_filter(node)
            elif token.type == "name" and token.value == "is":
                node = self.parse_test(node)
            elif token.type == "lparen":
                node = self.parse_call(node)
            else:
                break
        return node

    def parse_subscript(self, node: n.Node) -> n.Node:
        token = self.stream.next()
        if token.type == "dot":
            attr = self.stream.current
            self.stream.next()
            if attr.type == "name":
                return n.Getattr(node, attr.value, "load", lineno=token.lineno)
            if attr.type != "integer":
                self.fail("expected name or number", attr.lineno)
            return n.Getitem(node, n.Const(attr.value, lineno=attr.lineno), "load", lineno=token.lineno)
        args: list[n.Node] = []
        while not self.stream.test("rbracket"):
            if args:
                self.stream.expect("comma")
            args.append(self.parse_subscribed())
        self.stream.expect("rbracket")
        if len(args) == 1:
            arg = args[0]
        else:
            arg = n.Tuple(args, "load", lineno=token.lineno)
        return n.Getitem(node, arg, "load", lineno=token.lineno)

    def parse_subscribed(self) -> n.Node:
        lineno = self.stream.current.lineno
        args: list[n.Node | None]
        if self.stream.test("colon"):
            self.stream.next()
            args = [None]
        else:
            node = self.parse_expression()
            if not self.stream.test("colon"):
                return node
            self.stream.next()
            args = [node]
        if self.stream.test("colon"):
            args.append(None)
        elif not (self.stream.test("rbracket") or self.stream.test("comma")):
            args.append(self.parse_expression())
        else:
            args.append(None)
        if self.stream.skip_if("colon"):
            if not (self.stream.test("rbracket") or self.stream.test("comma")):
                args.append(self.parse_expression())
            else:
                args.append(None)
        else:
            args.append(None)
        return n.Slice(args[0], args[1], args[2], lineno=lineno)

    def parse_call_args(self) -> tuple[list[n.Node], list[n.Node], n.Node | None, n.Node | None]:
        """Parse ``(args, key=value, *dyn_args, **dyn_kwargs)``."""
        stream = self.stream
        stream.expect("lparen")
        args: list[n.Node] = []
        kwargs: list[n.Node] = []
        dyn_args = dyn_kwargs = None
        require_comma = False
        while not stream.test("rparen"):
            if require_comma:
                stream.expect("comma")
                if stream.test("rparen"):
                    break
            if stream.test("pow"):
                if dyn_kwargs is not None:
                    self.fail("invalid syntax for function call expression")
                stream.next()
                dyn_kwargs = self.parse_expression()
            elif stream.test("mul"):
                if dyn_args is not None or dyn_kwargs is not None:
                    self.fail("invalid syntax for function call expression")
                stream.next()
                dyn_args = self.parse_expression()
            elif stream.current.type == "name" and stream.look().type == "assign":
                if dyn_kwargs is not None:
                    self.fail("invalid syntax for function call expression")
                key = stream.current.value
                stream.skip(2)
                value = self.parse_expression()
                kwargs.append(n.Keyword(key, value, lineno=value.lineno))
            else:
                if kwargs or dyn_args is not None or dyn_kwargs is not None:
                    self.fail("invalid syntax for function call expression")
                args.append(self.parse_expression())
            require_comma = True
        stream.expect("rparen")
        return args, kwargs, dyn_args, dyn_kwargs

    def parse_call(self, node: n.Node) -> n.Node:
        lineno = self.stream.current.lineno
        args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
        return n.Call(node, args, kwargs, dyn_args, dyn_kwargs, lineno=lineno)

    def _dotted_name(self) -> str:
        name: str = self.stream.expect("name").value
        while self.stream.test("dot"):
            self.stream.next()
            name += "." + self.stream.expect("name").value
        return name

    @t.overload
    def parse_filter(self, node: n.Node, start_inline: bool = False) -> n.Node: ...
    @t.overload
    def parse_filter(self, node: n.Node | None, start_inline: bool = False) -> n.Node | None: ...

    def parse_filter(self, node: n.Node | None, start_inline: bool = False) -> n.Node | None:
        """Parse ``|f(args)|g`` applied to ``node``."""
        while self.stream.test("pipe") or start_inline:
            if not start_inline:
                self.stream.next()
            token = self.stream.current
            name = self._dotted_name()
            if self.stream.test("lparen"):
                args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
            else:
                args, kwargs, dyn_args, dyn_kwargs = [], [], None, None
            node = n.Filter(node, name, args, kwargs, dyn_args, dyn_kwargs, lineno=token.lineno)
            start_inline = False
        return node

    parse_filter_chain = parse_filter

    def parse_test(self, node: n.Node) -> n.Node:
        """Parse ``is [not] name(args)`` applied to ``node``."""
        stream = self.stream
        token = stream.expect("name", "is")
        negated = stream.skip_if("name", "not")
        name = self._dotted_name()
        dyn_args = dyn_kwargs = None
        kwargs: list[n.Node] = []
        current = stream.current
        if current.type == "lparen":
            args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
        elif (
            current.type in ("name", "string", "integer", "float", "lparen", "lbracket", "lbrace")
        ) and not (current.type == "name" and current.value in ("else", "or", "and")):
            if current.type == "name" and current.value == "is":
                self.fail("You cannot chain multiple tests with is")
            arg = self.parse_postfix(self.parse_primary())
            args = [arg]
        else:
            args = []
        result: n.Node = n.Test(node, name, args, kwargs, dyn_args, dyn_kwargs, lineno=token.lineno)
        if negated:
            result = n.Not(result, lineno=token.lineno)
        return result


from . import nodes as nodes  # noqa: E402  (jinja2.parser.nodes)
