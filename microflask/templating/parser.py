"""A recursive-descent parser from tokens to the :mod:`.nodes` AST.

Theory of operation: :class:`TokenStream` gives one token of lookahead over the
lexer's list. ``subparse`` collects data and ``{{ }}`` output into
:class:`~.nodes.Output` nodes and dispatches each ``{% tag %}`` to a
``parse_<tag>`` method, returning when it meets one of the end tags its
caller is waiting for (the stack of those tags makes the "Jinja was looking
for ..." messages). Expressions follow Jinja's precedence, loosest first:
conditional, ``or``, ``and``, ``not``, comparisons, ``+ -``, ``~``,
``* / // %``, ``**``, unary ``- +``, then primaries with postfix ``.``/``[]``/
``()`` and the ``|filter`` / ``is test`` chain.
"""

from __future__ import annotations

import typing as t

from . import nodes as n
from .exceptions import TemplateAssertionError, TemplateSyntaxError
from .lexer import TOKEN_DESCRIPTIONS, Token

_STATEMENTS = frozenset(
    "for if block extends print macro include from import set with autoescape "
    "filter call do break continue".split()
)
_COMPARE_OPS = {"==": "eq", "!=": "ne", "<": "lt", "<=": "lteq", ">": "gt", ">=": "gteq"}
_MATH2 = {"*": "*", "/": "/", "//": "//", "%": "%"}


class TokenStream:
    """Cursor over a token list with one token of lookahead."""

    __slots__ = ("tokens", "pos", "current", "name", "filename")

    def __init__(self, tokens: list[Token], name: str | None, filename: str | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.current = tokens[0]
        self.name = name
        self.filename = filename

    def next(self) -> Token:
        """Advance and return the token that was current."""
        token = self.current
        if self.pos < len(self.tokens) - 1:
            self.pos += 1
            self.current = self.tokens[self.pos]
        return token

    def look(self) -> Token:
        """Return the token after the current one."""
        return self.tokens[min(self.pos + 1, len(self.tokens) - 1)]

    def test(self, type: str, value: t.Any = None) -> bool:
        token = self.current
        return token.type == type and (value is None or token.value == value)

    def skip_if(self, type: str, value: t.Any = None) -> bool:
        if self.test(type, value):
            self.next()
            return True
        return False

    def fail(self, message: str, lineno: int | None = None, cls: type = TemplateSyntaxError) -> t.NoReturn:
        raise cls(message, lineno or self.current.lineno, self.name, self.filename)

    def expect(self, type: str, value: t.Any = None) -> Token:
        if not self.test(type, value):
            token = self.current
            wanted = value if value is not None else TOKEN_DESCRIPTIONS.get(type, type)
            if token.type == "eof":
                self.fail(f"unexpected end of template, expected {wanted!r}.")
            self.fail(f"expected token {wanted!r}, got {token.describe()!r}")
        return self.next()


class Parser:
    """Parse one template's tokens into a :class:`~.nodes.Template`."""

    def __init__(self, tokens: list[Token], name: str | None = None, filename: str | None = None) -> None:
        self.stream = TokenStream(tokens, name, filename)
        self.name = name
        self.filename = filename
        self._end_token_stack: list[tuple[str, ...]] = []
        self._tag_stack: list[str] = []

    # -- entry points ----------------------------------------------------------------

    def parse(self) -> n.Template:
        """Parse the whole template."""
        body = self.subparse(None)
        return n.Template(body, lineno=1)

    def fail(self, message: str, lineno: int | None = None, cls: type = TemplateSyntaxError) -> t.NoReturn:
        self.stream.fail(message, lineno, cls)

    def _fail_unknown_tag(self, name: str | None, lineno: int) -> t.NoReturn:
        expected: list[str] = []
        for tokens in self._end_token_stack:
            expected.extend(tokens)
        if name is None:
            message = ["Unexpected end of template."]
        else:
            message = [f"Encountered unknown tag {name!r}."]
        if self._end_token_stack:
            wanted = " or ".join(repr(x) for x in self._end_token_stack[-1])
            message.append(f"Jinja was looking for the following tags: {wanted}.")
        if self._tag_stack:
            message.append(
                f"The innermost block that needs to be closed is {self._tag_stack[-1]!r}."
            )
        self.fail(" ".join(message), lineno)

    # -- statements ------------------------------------------------------------------

    def subparse(self, end_tokens: tuple[str, ...] | None) -> list[n.Node]:
        """Parse until one of ``end_tokens`` (a tag name) is next; leave it current."""
        body: list[n.Node] = []
        data: list[n.Node] = []
        stream = self.stream
        if end_tokens is not None:
            self._end_token_stack.append(end_tokens)

        def flush() -> None:
            if data:
                body.append(n.Output(list(data), lineno=data[0].lineno))
                del data[:]

        try:
            while True:
                token = stream.current
                if token.type == "data":
                    data.append(n.TemplateData(token.value, lineno=token.lineno))
                    stream.next()
                elif token.type == "variable_begin":
                    stream.next()
                    data.append(self.parse_tuple(with_condexpr=True))
                    stream.expect("variable_end")
                elif token.type == "block_begin":
                    flush()
                    stream.next()
                    if end_tokens is not None and stream.current.type == "name" and stream.current.value in end_tokens:
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
        token = self.stream.current
        if token.type != "name":
            self.fail("tag name expected", token.lineno)
        self._tag_stack.append(token.value)
        pop = True
        try:
            if token.value in _STATEMENTS:
                method = "parse_call_block" if token.value == "call" else "parse_" + token.value
                return getattr(self, method)()  # type: ignore[no-any-return]
            pop = False
            self._tag_stack.pop()
            self._fail_unknown_tag(token.value, token.lineno)
        finally:
            if pop:
                self._tag_stack.pop()

    def parse_statements(self, end_tokens: tuple[str, ...], drop_needle: bool = False) -> list[n.Node]:
        """Parse a tag body up to one of ``end_tokens``."""
        self.stream.skip_if("op", ":")
        self.stream.expect("block_end")
        result = self.subparse(end_tokens)
        if self.stream.current.type == "eof":
            self._fail_unknown_tag(None, self.stream.current.lineno)
        if drop_needle:
            self.stream.next()
        return result

    def parse_for(self) -> n.For:
        lineno = self.stream.expect("name", "for").lineno
        target = self.parse_assign_target(extra_end_rules=("in",))
        self.stream.expect("name", "in")
        iter_node = self.parse_tuple(with_condexpr=False, extra_end_rules=("recursive",))
        test = None
        if self.stream.skip_if("name", "if"):
            test = self.parse_expression()
        recursive = self.stream.skip_if("name", "recursive")
        body = self.parse_statements(("endfor", "else"))
        if self.stream.next().value == "endfor":
            else_: list[n.Node] = []
        else:
            else_ = self.parse_statements(("endfor",), drop_needle=True)
        return n.For(target, iter_node, body, else_, test, recursive, lineno=lineno)

    def parse_if(self) -> n.If:
        node = result = n.If(None, [], [], [], lineno=self.stream.expect("name", "if").lineno)
        while True:
            node.test = self.parse_tuple(with_condexpr=False)
            node.body = self.parse_statements(("elif", "else", "endif"))
            token = self.stream.next()
            if token.value == "elif":
                node = n.If(None, [], [], [], lineno=self.stream.current.lineno)
                result.elif_.append(node)
                continue
            if token.value == "else":
                result.else_ = self.parse_statements(("endif",), drop_needle=True)
            break
        return result

    def parse_with(self) -> n.With:
        lineno = self.stream.next().lineno
        targets: list[n.Node] = []
        values: list[n.Node] = []
        while self.stream.current.type != "block_end":
            if targets:
                self.stream.expect("op", ",")
            target = self.parse_assign_target()
            self.stream.expect("op", "=")
            targets.append(target)
            values.append(self.parse_expression())
        body = self.parse_statements(("endwith",), drop_needle=True)
        return n.With(targets, values, body, lineno=lineno)

    def parse_autoescape(self) -> n.AutoEscape:
        lineno = self.stream.next().lineno
        value = self.parse_expression()
        body = self.parse_statements(("endautoescape",), drop_needle=True)
        return n.AutoEscape(value, body, lineno=lineno)

    def parse_block(self) -> n.Block:
        lineno = self.stream.next().lineno
        name = self.stream.expect("name").value
        scoped = self.stream.skip_if("name", "scoped")
        required = self.stream.skip_if("name", "required")
        if self.stream.current.type == "op" and self.stream.current.value == "-":
            self.fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.")
        body = self.parse_statements(("endblock",), drop_needle=True)
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

    def _parse_context(self, default: bool) -> bool:
        stream = self.stream
        if stream.current.type == "name" and stream.current.value in ("with", "without"):
            if stream.look().type == "name" and stream.look().value == "context":
                with_context = stream.next().value == "with"
                stream.next()
                return with_context
        return default

    def parse_include(self) -> n.Include:
        lineno = self.stream.next().lineno
        template = self.parse_expression()
        ignore_missing = False
        if self.stream.test("name", "ignore") and self.stream.look().type == "name" and self.stream.look().value == "missing":
            self.stream.next()
            self.stream.next()
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
        names: list[tuple[str, str]] = []
        with_context = False
        stream = self.stream
        while True:
            if names:
                stream.expect("op", ",")
            if stream.current.type == "name":
                if stream.current.value in ("with", "without") and stream.look().type == "name" and stream.look().value == "context":
                    with_context = self._parse_context(False)
                    break
                target = self.parse_assign_target(name_only=True)
                if target.name.startswith("_"):
                    self.fail("names starting with an underline can not be imported", target.lineno, TemplateAssertionError)
                alias = target.name
                if stream.skip_if("name", "as"):
                    alias = self.parse_assign_target(name_only=True).name
                names.append((target.name, alias))
                if stream.current.type != "op" or stream.current.value != ",":
                    with_context = self._parse_context(False)
                    break
            else:
                stream.expect("name")
        if not names:
            self.fail("no names given to import", lineno)
        return n.FromImport(template, names, with_context, lineno=lineno)

    def _parse_signature(self) -> tuple[list[n.Node], list[n.Node]]:
        args: list[n.Node] = []
        defaults: list[n.Node] = []
        seen: set[str] = set()
        self.stream.expect("op", "(")
        while not self.stream.test("op", ")"):
            if args:
                self.stream.expect("op", ",")
                if self.stream.test("op", ")"):
                    break
            arg = self.parse_assign_target(name_only=True)
            arg.ctx = "param"
            if arg.name in seen:
                self.fail(f"duplicate argument {arg.name!r} in macro signature", arg.lineno)
            seen.add(arg.name)
            if self.stream.skip_if("op", "="):
                defaults.append(self.parse_expression())
            elif defaults:
                self.fail("non-default argument follows default argument")
            args.append(arg)
        self.stream.expect("op", ")")
        return args, defaults

    def parse_macro(self) -> n.Macro:
        lineno = self.stream.next().lineno
        name = self.parse_assign_target(name_only=True).name
        args, defaults = self._parse_signature()
        body = self.parse_statements(("endmacro",), drop_needle=True)
        self.stream.skip_if("name", name)
        return n.Macro(name, args, defaults, body, lineno=lineno)

    def parse_call_block(self) -> n.CallBlock:
        lineno = self.stream.next().lineno
        if self.stream.test("op", "("):
            args, defaults = self._parse_signature()
        else:
            args, defaults = [], []
        call = self.parse_expression()
        if not isinstance(call, n.Call):
            self.fail("expected call", lineno)
        body = self.parse_statements(("endcall",), drop_needle=True)
        return n.CallBlock(call, args, defaults, body, lineno=lineno)

    def parse_filter(self) -> n.FilterBlock:
        lineno = self.stream.next().lineno
        filter_node = self.parse_filter_chain(None, start_inline=True)
        body = self.parse_statements(("endfilter",), drop_needle=True)
        return n.FilterBlock(body, filter_node, lineno=lineno)

    def parse_set(self) -> n.Node:
        lineno = self.stream.next().lineno
        target = self.parse_assign_target(with_namespace=True)
        if self.stream.skip_if("op", "="):
            expr = self.parse_tuple()
            return n.Assign(target, expr, lineno=lineno)
        filter_node = self.parse_filter_chain(None)
        body = self.parse_statements(("endset",), drop_needle=True)
        return n.AssignBlock(target, filter_node, body, lineno=lineno)

    def parse_print(self) -> n.Output:
        lineno = self.stream.next().lineno
        items: list[n.Node] = []
        while self.stream.current.type != "block_end":
            if items:
                self.stream.expect("op", ",")
            items.append(self.parse_expression())
        return n.Output(items, lineno=lineno)

    def parse_do(self) -> n.ExprStmt:
        lineno = self.stream.next().lineno
        return n.ExprStmt(self.parse_tuple(), lineno=lineno)

    def parse_break(self) -> n.Break:
        token = self.stream.next()
        if "for" not in self._tag_stack[:-1]:
            self.fail("'break' outside of a loop", token.lineno)
        return n.Break(lineno=token.lineno)

    def parse_continue(self) -> n.Continue:
        token = self.stream.next()
        if "for" not in self._tag_stack[:-1]:
            self.fail("'continue' outside of a loop", token.lineno)
        return n.Continue(lineno=token.lineno)

    # -- assignment targets ----------------------------------------------------------

    def parse_assign_target(
        self,
        with_tuple: bool = True,
        name_only: bool = False,
        extra_end_rules: tuple[str, ...] | None = None,
        with_namespace: bool = False,
    ) -> t.Any:
        stream = self.stream
        if name_only:
            token = stream.expect("name")
            return n.Name(token.value, "store", lineno=token.lineno)
        if with_namespace and stream.look().type == "op" and stream.look().value == ".":
            token = stream.expect("name")
            stream.next()
            attr = stream.expect("name")
            return n.NSRef(token.value, attr.value, lineno=token.lineno)
        if with_tuple:
            target = self.parse_tuple(simplified=True, extra_end_rules=extra_end_rules)
        else:
            target = self.parse_primary()
        self._set_store(target)
        return target

    def _set_store(self, target: n.Node) -> None:
        if isinstance(target, n.Name):
            if target.name in ("true", "false", "none", "True", "False", "None"):
                self.fail(f"Can't assign to {type(target).__name__.lower()!r}", target.lineno)
            target.ctx = "store"
        elif isinstance(target, n.TupleNode):
            target.ctx = "store"
            for item in target.items:
                self._set_store(item)
        else:
            self.fail(f"can't assign to {type(target).__name__.lower()!r}", target.lineno)

    # -- expressions -------------------------------------------------------------------

    def parse_expression(self, with_condexpr: bool = True) -> n.Node:
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
            left = n.BinOp("or", left, self.parse_and(), lineno=lineno)
        return left

    def parse_and(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_not()
        while self.stream.skip_if("name", "and"):
            left = n.BinOp("and", left, self.parse_not(), lineno=lineno)
        return left

    def parse_not(self) -> n.Node:
        if self.stream.test("name", "not"):
            lineno = self.stream.next().lineno
            return n.UnaryOp("not", self.parse_not(), lineno=lineno)
        return self.parse_compare()

    def parse_compare(self) -> n.Node:
        stream = self.stream
        lineno = stream.current.lineno
        expr = self.parse_math1()
        ops: list[n.Node] = []
        while True:
            token = stream.current
            if token.type == "op" and token.value in _COMPARE_OPS:
                stream.next()
                ops.append(n.Operand(_COMPARE_OPS[token.value], self.parse_math1()))
            elif stream.skip_if("name", "in"):
                ops.append(n.Operand("in", self.parse_math1()))
            elif stream.test("name", "not") and stream.look().type == "name" and stream.look().value == "in":
                stream.next()
                stream.next()
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
        while self.stream.current.type == "op" and self.stream.current.value in ("+", "-"):
            op = self.stream.next().value
            left = n.BinOp(op, left, self.parse_concat(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_concat(self) -> n.Node:
        lineno = self.stream.current.lineno
        items = [self.parse_math2()]
        while self.stream.skip_if("op", "~"):
            items.append(self.parse_math2())
        if len(items) == 1:
            return items[0]
        return n.Concat(items, lineno=lineno)

    def parse_math2(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_pow()
        while self.stream.current.type == "op" and self.stream.current.value in _MATH2:
            op = self.stream.next().value
            left = n.BinOp(op, left, self.parse_pow(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_pow(self) -> n.Node:
        lineno = self.stream.current.lineno
        left = self.parse_unary()
        while self.stream.skip_if("op", "**"):
            left = n.BinOp("**", left, self.parse_unary(), lineno=lineno)
            lineno = self.stream.current.lineno
        return left

    def parse_unary(self, with_filter: bool = True) -> n.Node:
        token = self.stream.current
        if token.type == "op" and token.value in ("-", "+"):
            self.stream.next()
            node: n.Node = n.UnaryOp(token.value, self.parse_unary(False), lineno=token.lineno)
        else:
            node = self.parse_primary()
        node = self.parse_postfix(node)
        if with_filter:
            node = self.parse_filter_expr(node)
        return node

    def parse_primary(self) -> n.Node:
        token = self.stream.current
        lineno = token.lineno
        if token.type == "name":
            value = token.value
            self.stream.next()
            if value in ("true", "True"):
                return n.Const(True, lineno=lineno)
            if value in ("false", "False"):
                return n.Const(False, lineno=lineno)
            if value in ("none", "None"):
                return n.Const(None, lineno=lineno)
            return n.Name(value, "load", lineno=lineno)
        if token.type == "string":
            self.stream.next()
            parts = [token.value]
            while self.stream.current.type == "string":
                parts.append(self.stream.next().value)
            return n.Const("".join(parts), lineno=lineno)
        if token.type in ("integer", "float"):
            self.stream.next()
            return n.Const(token.value, lineno=lineno)
        if token.type == "op":
            if token.value == "(":
                self.stream.next()
                node = self.parse_tuple(explicit_parentheses=True)
                self.stream.expect("op", ")")
                return node
            if token.value == "[":
                return self.parse_list()
            if token.value == "{":
                return self.parse_dict()
        self.fail(f"unexpected {token.describe()!r}")

    def _is_tuple_end(self, extra_end_rules: tuple[str, ...] | None) -> bool:
        token = self.stream.current
        if token.type in ("variable_end", "block_end", "eof"):
            return True
        if token.type == "op" and token.value == ")":
            return True
        if extra_end_rules and token.type == "name" and token.value in extra_end_rules:
            return True
        return False

    def parse_tuple(
        self,
        simplified: bool = False,
        with_condexpr: bool = True,
        extra_end_rules: tuple[str, ...] | None = None,
        explicit_parentheses: bool = False,
    ) -> n.Node:
        lineno = self.stream.current.lineno
        if simplified:
            parse = self.parse_primary
        elif with_condexpr:
            parse = self.parse_expression
        else:
            parse = lambda: self.parse_expression(with_condexpr=False)  # noqa: E731
        items: list[n.Node] = []
        is_tuple = False
        while True:
            if items:
                self.stream.expect("op", ",")
            if self._is_tuple_end(extra_end_rules):
                break
            items.append(parse())
            if self.stream.test("op", ","):
                is_tuple = True
            else:
                break
            lineno = self.stream.current.lineno
        if not is_tuple:
            if items:
                return items[0]
            if not explicit_parentheses:
                self.fail(f"Expected an expression, got {self.stream.current.describe()!r}")
        return n.TupleNode(items, "load", lineno=lineno)

    def parse_list(self) -> n.Node:
        token = self.stream.expect("op", "[")
        items: list[n.Node] = []
        while not self.stream.test("op", "]"):
            if items:
                self.stream.expect("op", ",")
            if self.stream.test("op", "]"):
                break
            items.append(self.parse_expression())
        self.stream.expect("op", "]")
        return n.ListNode(items, lineno=token.lineno)

    def parse_dict(self) -> n.Node:
        token = self.stream.expect("op", "{")
        items: list[n.Node] = []
        while not self.stream.test("op", "}"):
            if items:
                self.stream.expect("op", ",")
            if self.stream.test("op", "}"):
                break
            key = self.parse_expression()
            self.stream.expect("op", ":")
            value = self.parse_expression()
            items.append(n.Pair(key, value, lineno=key.lineno))
        self.stream.expect("op", "}")
        return n.DictNode(items, lineno=token.lineno)

    def parse_postfix(self, node: n.Node) -> n.Node:
        while True:
            token = self.stream.current
            if token.type != "op":
                break
            if token.value in (".", "["):
                node = self.parse_subscript(node)
            elif token.value == "(":
                node = self.parse_call(node)
            else:
                break
        return node

    def parse_filter_expr(self, node: n.Node) -> n.Node:
        while True:
            token = self.stream.current
            if token.type == "op" and token.value == "|":
                node = self.parse_filter_chain(node)
            elif token.type == "name" and token.value == "is":
                node = self.parse_test(node)
            elif token.type == "op" and token.value == "(":
                node = self.parse_call(node)
            else:
                break
        return node

    def parse_subscript(self, node: n.Node) -> n.Node:
        token = self.stream.next()
        if token.value == ".":
            attr = self.stream.current
            self.stream.next()
            if attr.type == "name":
                return n.Getattr(node, attr.value, lineno=token.lineno)
            if attr.type != "integer":
                self.fail("expected name or number", attr.lineno)
            return n.Getitem(node, n.Const(attr.value, lineno=attr.lineno), lineno=token.lineno)
        args: list[n.Node] = []
        while not self.stream.test("op", "]"):
            if args:
                self.stream.expect("op", ",")
            args.append(self.parse_subscribed())
        self.stream.expect("op", "]")
        if len(args) == 1:
            arg = args[0]
        else:
            arg = n.TupleNode(args, "load", lineno=token.lineno)
        return n.Getitem(node, arg, lineno=token.lineno)

    def parse_subscribed(self) -> n.Node:
        lineno = self.stream.current.lineno
        args: list[n.Node | None]
        if self.stream.test("op", ":"):
            self.stream.next()
            args = [None]
        else:
            node = self.parse_expression()
            if not self.stream.test("op", ":"):
                return node
            self.stream.next()
            args = [node]
        if self.stream.test("op", ":"):
            args.append(None)
        elif not (self.stream.test("op", "]") or self.stream.test("op", ",")):
            args.append(self.parse_expression())
        else:
            args.append(None)
        if self.stream.skip_if("op", ":"):
            if not (self.stream.test("op", "]") or self.stream.test("op", ",")):
                args.append(self.parse_expression())
            else:
                args.append(None)
        else:
            args.append(None)
        return n.Slice(args[0], args[1], args[2], lineno=lineno)

    def parse_call_args(self) -> tuple[list[n.Node], list[n.Node], n.Node | None, n.Node | None]:
        stream = self.stream
        stream.expect("op", "(")
        args: list[n.Node] = []
        kwargs: list[n.Node] = []
        dyn_args = dyn_kwargs = None
        require_comma = False
        while not stream.test("op", ")"):
            if require_comma:
                stream.expect("op", ",")
                if stream.test("op", ")"):
                    break
            if stream.test("op", "**"):
                stream.next()
                dyn_kwargs = self.parse_expression()
            elif stream.test("op", "*"):
                stream.next()
                dyn_args = self.parse_expression()
            elif stream.current.type == "name" and stream.look().type == "op" and stream.look().value == "=":
                key = stream.current.value
                stream.next()
                stream.next()
                value = self.parse_expression()
                kwargs.append(n.Keyword(key, value, lineno=value.lineno))
            else:
                if kwargs or dyn_args is not None or dyn_kwargs is not None:
                    self.fail("invalid syntax for function call expression")
                args.append(self.parse_expression())
            require_comma = True
        stream.expect("op", ")")
        return args, kwargs, dyn_args, dyn_kwargs

    def parse_call(self, node: n.Node) -> n.Node:
        lineno = self.stream.current.lineno
        args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
        return n.Call(node, args, kwargs, dyn_args, dyn_kwargs, lineno=lineno)

    def _dotted_name(self) -> str:
        name = self.stream.expect("name").value
        while self.stream.test("op", "."):
            self.stream.next()
            name += "." + self.stream.expect("name").value
        return name

    def parse_filter_chain(self, node: n.Node | None, start_inline: bool = False) -> n.Node | None:
        while self.stream.test("op", "|") or start_inline:
            if not start_inline:
                self.stream.next()
            token = self.stream.current
            name = self._dotted_name()
            if self.stream.test("op", "("):
                args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
            else:
                args, kwargs, dyn_args, dyn_kwargs = [], [], None, None
            node = n.Filter(node, name, args, kwargs, dyn_args, dyn_kwargs, lineno=token.lineno)
            start_inline = False
        return node

    def parse_test(self, node: n.Node) -> n.Node:
        stream = self.stream
        token = stream.expect("name", "is")
        negated = stream.skip_if("name", "not")
        name = self._dotted_name()
        dyn_args = dyn_kwargs = None
        kwargs: list[n.Node] = []
        current = stream.current
        if current.type == "op" and current.value == "(":
            args, kwargs, dyn_args, dyn_kwargs = self.parse_call_args()
        elif (
            current.type in ("name", "string", "integer", "float")
            or (current.type == "op" and current.value in ("(", "[", "{"))
        ) and not (current.type == "name" and current.value in ("else", "or", "and")):
            if current.type == "name" and current.value == "is":
                self.fail("You cannot chain multiple tests with is")
            arg = self.parse_postfix(self.parse_primary())
            args = [arg]
        else:
            args = []
        result: n.Node = n.Test(node, name, args, kwargs, dyn_args, dyn_kwargs, lineno=token.lineno)
        if negated:
            result = n.UnaryOp("not", result, lineno=token.lineno)
        return result
