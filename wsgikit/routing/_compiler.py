"""The compiled matcher: the matcher's tree turned into one Python function.

Theory of operation.  :class:`~.matcher.StateMachineMatcher` keeps the
rules in a tree (see :mod:`.matcher`) and can walk it for any request
(:func:`~.matcher._walk`, "the general walk").  This module writes the same
walk out as Python source, once per set of rules, the way Falcon compiles
its router: the path is split on ``/`` once, and every node of the tree
becomes nested ``if`` statements -- the segment count (``n``), the static
children as string comparisons (a dict and a bisection over its indexes
when a node has many), then the dynamic children in priority order, each
tested as cheaply as its regex allows (the default converter is "the
segment is not empty", ``int`` is ``str.isdecimal``, others call their
compiled regex's ``fullmatch``).  Falling out of an ``if`` is backtracking.
At the end of the path the node's rules are checked inline, in order:
method (else its methods are collected for a 405), WebSocket flag (else a
mismatch is noted), then the values dict is built, calling a converter's
``to_python`` only when it is not the identity (decided here, per converter
instance).  The result is ``(rule, values)``, or ``(None, outcome)`` where
``outcome`` is the path to redirect to (a ``str``), the methods for a 405
(a non-empty set), ``True`` for a WebSocket mismatch, or false for a 404 --
no exception is raised.  What is hard to write out exactly (children of
equal priority, which the general walk compares; nodes nested too deep;
a failed path with ``//``, which may redirect to the merged path) is handed
to the general walk, so behaviour is the general walk's in every case.
Below a place with many rules (:data:`_EAGER_RULES`), each static child
becomes a function of its own, written and compiled when a request first
reaches it, so a large map costs little to start.  The source is
readable: :meth:`wsgikit.routing.Map.matcher_source`.

PERF: on CPython 3.11 every bytecode costs tens of machine instructions,
so the generated code is written for few of them: locals for segments
and captured texts, dict displays for the values, the method and
WebSocket checks as plain comparisons, no calls on the usual path but
``str.split`` and the stock converters' conversions.
"""

from __future__ import annotations

import re
import typing as t

from .converters import BaseConverter
from .converters import NumberConverter
from .converters import _to_python_of
from .rules import Rule

if t.TYPE_CHECKING:
    from .matcher import _Edge
    from .matcher import _Node

#: Indentation levels (of 4 spaces) past which a node is handed to the
#: general walk: Python refuses 100 nested blocks, and deep nesting is slow
#: to compile.
_MAX_INDENT = 64
#: Up to this many static children are tested one comparison each; more go
#: through a dict of indexes and a bisection.
_CHAIN_LIMIT = 8
#: Marks a final edge whose rule ends with ``/`` (``matcher._SUFFIXED``).
_SUFFIXED = 2

#: Segment patterns the generated code tests without a regex (the converter
#: is the pattern's only piece, so its text is the whole segment).
_NON_EMPTY = frozenset({"(?P<_0>[^/]+)", "(?P<_0>[^/]{1,})"})
_DIGITS = r"(?P<_0>\d+)"
_LENGTH_RE = re.compile(r"\(\?P<_0>\[\^/\]\{(\d+)(?:(,)(\d*))?\}\)")
#: What may not appear in a comment of the generated source.
_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _stock_convert(rule: Rule) -> bool:
    """Whether ``rule`` converts its texts with the stock ``Rule._convert``
    (neither its class nor the instance replaced it)."""
    # Not ``vars(rule)``: on CPython 3.11 making an instance's ``__dict__``
    # exist slows every later attribute read of that instance.
    method = rule._convert
    return (
        type(rule)._stock_convert
        and getattr(method, "__func__", None) is Rule._convert
        and getattr(method, "__self__", None) is rule
    )


def _comment(text: str, limit: int = 100) -> str:
    text = _UNSAFE_RE.sub("?", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(rule: Rule) -> str:
    methods = f" ({', '.join(sorted(rule.methods))})" if rule.methods is not None else ""
    websocket = " websocket" if rule.websocket else ""
    return _comment(f"{rule.rule!r}{methods}{websocket} -> {rule.endpoint!r}")


class _Writer:
    """Writes the source of the ``match`` function for one tree."""

    source = ""

    def __init__(self, helpers: dict[str, t.Any], counts: dict[int, int], label: str = "") -> None:
        #: The generated function's globals: rules, method sets, regexes...
        self.env: dict[str, t.Any] = dict(helpers)
        self._helpers = helpers
        self._names: dict[tuple[str, int], str] = {}
        #: Rules under each node (by id), shared by the writers of one tree.
        self._counts = counts
        #: The static text leading to the subtree written, for comments.
        self.label = label
        #: The functions of the subtrees written separately, in order.
        self.subs: list[_Subtree] = []

    def count(self, node: _Node) -> int:
        """How many rules end at ``node`` or below it."""
        counts = self._counts
        if id(node) not in counts:
            # Children before parents, without recursion (rules may be
            # thousands of segments deep).
            stack: list[tuple[_Node, bool]] = [(node, False)]
            while stack:
                current, ready = stack.pop()
                children = [*current.static.values(), *(edge.child for edge in current.dynamic)]
                if ready:
                    counts[id(current)] = len(current.rules) + sum(counts[id(child)] for child in children)
                elif id(current) not in counts:
                    stack.append((current, True))
                    stack.extend((child, False) for child in children if id(child) not in counts)
        return counts[id(node)]

    def constant(self, prefix: str, value: t.Any) -> str:
        """A global name of the generated code bound to ``value``."""
        key = (prefix, id(value))
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"{prefix}{len(self._names)}"
            # Holding the value keeps its id() from being reused.
            self.env[name] = value
        return name

    # -- nodes ----------------------------------------------------------------

    def node(self, out: list[str], node: _Node, index: int, captured: list[str], lens: list[str], indent: int) -> None:
        """Code for ``node`` reached with ``parts[index]`` next."""
        if indent > _MAX_INDENT or any(edge.tied for edge in node.dynamic):
            self.resume(out, node, index, captured, lens, indent)
            return
        if index == 0:
            # The domain is always there: no count to test.
            self.branch(out, node, 0, "domain", captured, lens, indent)
            return
        pad = "    " * indent
        at_end: list[str] = []
        self.at_end(at_end, node, captured, indent + 1)
        body: list[str] = []
        segment = f"s{index}"
        self.branch(body, node, index, segment, captured, lens, indent + 1)
        # Final parts alone read the rest of the path, not the segment.
        if node.static or any(not edge.final for edge in node.dynamic) or any(not r.strict_slashes for r in node.rules):
            body.insert(0, f"{pad}    {segment} = parts[{index}]")
        if at_end and body:
            out += [f"{pad}if n == {index}:", *at_end, f"{pad}else:", *body]
        elif at_end:
            out += [f"{pad}if n == {index}:", *at_end]
        elif body:
            out += [f"{pad}if n > {index}:", *body]

    def branch(
        self, out: list[str], node: _Node, index: int, segment: str, captured: list[str], lens: list[str], indent: int
    ) -> None:
        """Code for the children of ``node`` when ``segment`` is there."""
        statics = list(node.static.items())
        if statics and self.count(node) > _EAGER_RULES:
            self.separately(out, statics, index, segment, captured, lens, indent)
        elif len(statics) > _CHAIN_LIMIT:
            self.bisect(out, statics, index, segment, captured, lens, indent)
        else:
            keyword = "if"
            for text, child in statics:
                sub: list[str] = []
                self.node(sub, child, index + 1, captured, self.lengths(lens, index, str(len(text))), indent + 1)
                out += [f"{'    ' * indent}{keyword} {segment} == {text!r}:", *(sub or [f"{'    ' * indent}    pass"])]
                keyword = "elif"
        for edge in node.dynamic:
            if edge.final:
                self.final_edge(out, edge, index, captured, lens, indent)
            else:
                self.segment_edge(out, edge, index, segment, captured, lens, indent)
        lenient = [rule for rule in node.rules if not rule.strict_slashes]
        if lenient and index:
            # "/a/" for a rule "/a" that does not insist on strict slashes.
            out.append(f"{'    ' * indent}if {segment} == '' and n == {index + 1}:")
            for rule in lenient:
                self.accept(out, rule, captured, indent + 1)

    def bisect(
        self,
        out: list[str],
        statics: list[tuple[str, _Node]],
        index: int,
        segment: str,
        captured: list[str],
        lens: list[str],
        indent: int,
    ) -> None:
        """Many static children: one dict lookup, then a bisection."""
        pad = "    " * indent
        table = self.constant("T", {text: number for number, (text, _) in enumerate(statics)})
        key = f"k{index}"
        out += [f"{pad}{key} = {table}.get({segment}, -1)", f"{pad}if {key} >= 0:"]

        def split(low: int, high: int, indent: int) -> None:
            pad = "    " * indent
            if high - low == 1:
                text, child = statics[low]
                sub: list[str] = []
                self.node(sub, child, index + 1, captured, self.lengths(lens, index, str(len(text))), indent)
                out.extend([f"{pad}# {_comment(repr(text))}", *(sub or [f"{pad}pass"])])
                return
            middle = (low + high) // 2
            out.append(f"{pad}if {key} < {middle}:")
            split(low, middle, indent + 1)
            out.append(f"{pad}else:")
            split(middle, high, indent + 1)

        split(0, len(statics), indent + 1)

    def separately(
        self,
        out: list[str],
        statics: list[tuple[str, _Node]],
        index: int,
        segment: str,
        captured: list[str],
        lens: list[str],
        indent: int,
    ) -> None:
        """Many rules below: each static child becomes a function of its
        own, written and compiled when a request first reaches it (a large
        map is not compiled all at once)."""
        pad = "    " * indent
        table = self.constant("T", {text: number for number, (text, _) in enumerate(statics)})
        functions: list[t.Any] = []
        for number, (text, child) in enumerate(statics):
            label = f"{self.label}/{text}" if index else f"{text}|"
            subtree = _Subtree(
                functions, number, child, index + 1, captured, self.lengths(lens, index, str(len(text))), self, label
            )
            functions.append(subtree)
            self.subs.append(subtree)
        name = self.constant("S", functions)
        key = f"k{index}"
        arguments = _subtree_arguments(captured)
        out += [
            f"{pad}{key} = {table}.get({segment}, -1)",
            f"{pad}if {key} >= 0:",
            f"{pad}    # one function per child, written when first called (see below)",
            f"{pad}    found = {name}[{key}]({arguments})",
            f"{pad}    if len(found) == 2:",
            f"{pad}        return found",
            f"{pad}    allowed = found[1]",
            f"{pad}    mismatch = found[2]",
        ]

    def segment_edge(
        self, out: list[str], edge: _Edge, index: int, segment: str, captured: list[str], lens: list[str], indent: int
    ) -> None:
        """A dynamic child matching one segment."""
        pad = "    " * indent
        pattern = edge.fullmatch.__self__.pattern  # type: ignore[attr-defined]  # a bound Pattern.fullmatch
        values: list[str] = [segment]
        length = _LENGTH_RE.fullmatch(pattern)
        if pattern in _NON_EMPTY:
            out.append(f"{pad}if {segment}:")
        elif pattern == _DIGITS:
            # ``\d`` is exactly the Unicode decimal digits (category Nd).
            out.append(f"{pad}if {segment}.isdecimal():")
        elif length is not None:
            low, comma, high = length.groups()
            if not comma:
                out.append(f"{pad}if len({segment}) == {int(low)}:")
            elif high:
                out.append(f"{pad}if {int(low)} <= len({segment}) <= {int(high)}:")
            else:
                out.append(f"{pad}if len({segment}) >= {int(low)}:")
        else:
            found = f"m{index}"
            regex = self.constant("P", edge.fullmatch)
            values = self.captures(found, edge.groups, index)
            out += [f"{pad}{found} = {regex}({segment})", f"{pad}if {found} is not None:"]
            out.append(f"{pad}    {self.unpack(values, found, edge.groups)}")
        sub: list[str] = []
        self.node(sub, edge.child, index + 1, [*captured, *values], self.lengths(lens, index, f"len(parts[{index}])"), indent + 1)
        out += sub or [f"{pad}    pass"]

    @staticmethod
    def captures(found: str, groups: tuple[int, ...] | None, index: int) -> list[str]:
        """Names of the local variables holding a match's captured texts."""
        if groups is None:
            return [f"v{index}"]
        return [f"v{index}_{number}" for number in range(len(groups))]

    @staticmethod
    def unpack(values: list[str], found: str, groups: tuple[int, ...] | None) -> str:
        """The statement reading the captured texts out of a match."""
        if groups is None:
            return f"{values[0]} = {found}[1]"
        return "; ".join(f"{value} = {found}[{group}]" for value, group in zip(values, groups))

    def final_edge(
        self, out: list[str], edge: _Edge, index: int, captured: list[str], lens: list[str], indent: int
    ) -> None:
        """A dynamic child matching the rest of the path (``path`` converter)."""
        pad = "    " * indent
        found = f"m{index}"
        regex = self.constant("P", edge.fullmatch)
        position = self.position(index, lens)
        values = self.captures(found, edge.groups, index)
        out += [f"{pad}{found} = {regex}(domain + '/' + path[1:], {position})", f"{pad}if {found} is not None:"]
        out.append(f"{pad}    {self.unpack(values, found, edge.groups)}")
        sub: list[str] = []
        self.at_end(sub, edge.child, [*captured, *values], indent + 1)
        out += sub or [f"{pad}    pass"]
        if edge.final == _SUFFIXED:
            # The path may lack the rule's trailing slash: redirect or
            # accept, as the general walk decides (rare: kept out of line).
            node = self.constant("N", edge.child)
            out += [
                f"{pad}else:",
                f"{pad}    found = final_slash({regex}((domain + '/' + path[1:])[{position}:] + '/'),"
                f" {edge.groups!r}, {node}, [{', '.join(captured)}], method, websocket)",
                f"{pad}    if found is not None:",
                f"{pad}        return found[0], found[1]",
            ]

    @staticmethod
    def lengths(lens: list[str], index: int, size: str) -> list[str]:
        """``lens`` after ``parts[index]`` (of length ``size``): the
        lengths of the path segments before the next one (the domain's is
        ``len(domain)``, always counted)."""
        return [*lens, size] if index else lens

    def position(self, index: int, lens: list[str]) -> str:
        """Where ``parts[index]`` starts in ``domain + '/' + path[1:]``."""
        if index == 0:
            return "0"
        static = index + sum(int(size) for size in lens if size.isdigit())
        dynamic = [size for size in lens if not size.isdigit()]
        return " + ".join(["len(domain)", *dynamic, str(static)])

    def resume(self, out: list[str], node: _Node, index: int, captured: list[str], lens: list[str], indent: int) -> None:
        """Hand ``node`` to the general walk (ties, deep nesting)."""
        pad = "    " * indent
        name = self.constant("N", node)
        out += [
            f"{pad}# handed to the general walk (children of equal priority, or deep)",
            f"{pad}found = resume({name}, [domain, *parts[1:]], {index}, domain + '/' + path[1:],"
            f" {self.position(index, lens)}, [{', '.join(captured)}], method, websocket)",
            f"{pad}if found[0] is not None:",
            f"{pad}    return found",
            f"{pad}if found[1]:",
            f"{pad}    allowed = found[1] if allowed is None else allowed | found[1]",
            f"{pad}if found[2]:",
            f"{pad}    mismatch = True",
        ]

    # -- rules ----------------------------------------------------------------

    def at_end(self, out: list[str], node: _Node, captured: list[str], indent: int) -> None:
        """The path is used up at ``node``: its rules, then the rules that
        want one more ``/``."""
        pad = "    " * indent
        for rule in node.rules:
            self.accept(out, rule, captured, indent)
        slash = node.static.get("")
        if slash is None:
            return
        for rule in slash.rules:
            conditions = ["websocket" if rule.websocket else "not websocket"]
            if rule.methods is not None:
                conditions.insert(0, f"method in {self.constant('M', rule.methods)}")
            out += [f"{pad}# {_describe(rule)}: wants a trailing slash", f"{pad}if {' and '.join(conditions)}:"]
            if rule.strict_slashes:
                out.append(f"{pad}    return None, path + '/'")
            else:
                self.convert(out, rule, captured, indent + 1)

    def accept(self, out: list[str], rule: Rule, captured: list[str], indent: int) -> None:
        """Check one candidate rule: method, WebSocket flag, converters."""
        pad = "    " * indent
        wrong_kind = "not websocket" if rule.websocket else "websocket"
        out.append(f"{pad}# {_describe(rule)}")
        if rule.methods is not None:
            methods = self.constant("M", rule.methods)
            out += [
                f"{pad}if method not in {methods}:",
                f"{pad}    allowed = {methods} if allowed is None else allowed | {methods}",
                f"{pad}elif {wrong_kind}:",
            ]
        else:
            out.append(f"{pad}if {wrong_kind}:")
        out += [f"{pad}    mismatch = True", f"{pad}else:"]
        self.convert(out, rule, captured, indent + 1)

    def convert(self, out: list[str], rule: Rule, captured: list[str], indent: int) -> None:
        """Return the rule and its values; a refusing converter
        (``ValidationError``) lets the code go on to the next candidate."""
        pad = "    " * indent
        name = self.constant("R", rule)
        if not _stock_convert(rule):
            out += [
                f"{pad}try:",
                f"{pad}    return {name}, {name}._convert(({''.join(f'{c}, ' for c in captured)}))",
                f"{pad}except ValidationError:",
                f"{pad}    pass",
            ]
            return
        converters = [rule._converters[variable] for variable in rule._names]
        calls = [_to_python_of(converter) for converter in converters]
        numbers = [_stock_number(converter) for converter in converters]
        general = any(call is not None and number is None for call, number in zip(calls, numbers))
        items = []
        for variable, text, call, number in zip(rule._names, captured, calls, numbers):
            if call is None:
                items.append(f"{variable!r}: {text}")
            elif number is not None and not general:
                items.append(f"{variable!r}: {number}({text})")
            else:
                items.append(f"{variable!r}: {self.constant('C', call)}({text})")
        if rule.defaults:
            items.append(f"**{self.constant('D', rule.defaults)}")
        result = f"return {name}, {{{', '.join(items)}}}"
        if general:
            out += [f"{pad}try:", f"{pad}    {result}", f"{pad}except ValidationError:", f"{pad}    pass"]
        elif any(call is not None for call in calls):
            # The stock number converters only turn ValueError into
            # ValidationError (a refusal).
            out += [f"{pad}try:", f"{pad}    {result}", f"{pad}except ValueError:", f"{pad}    pass"]
        else:
            out.append(f"{pad}{result}")


def _stock_number(converter: BaseConverter) -> str | None:
    """``"int"`` or ``"float"`` when ``converter.to_python`` is the stock
    number conversion without limits (the call is inlined), else ``None``."""
    if not isinstance(converter, NumberConverter):
        return None
    method = converter.to_python
    if getattr(method, "__func__", None) is not NumberConverter.to_python or getattr(method, "__self__", None) is not converter:
        return None
    if converter.fixed_digits or converter.min is not None or converter.max is not None:
        return None
    convert = converter.num_convert
    return "int" if convert is int else "float" if convert is float else None


#: A subtree with more rules than this has its static children written as
#: separate functions, compiled on first use.
_EAGER_RULES = 100

_HEADER = '''\
def match(domain, path, method, websocket, allowed=None, mismatch=False):
    """Match (domain, path, method, websocket): (rule, values), or
    (None, redirect path | 405 methods | True for a WebSocket mismatch |
    False for a 404).  ``allowed`` and ``mismatch`` are what the rules
    matching the path but not the method or WebSocket flag tell."""
    parts = path.split('/')
    n = len(parts)
    if parts[0] or (n > 2 and not parts[1]):
        # Not exactly one leading slash: match the path with one.
        return match(domain, '/' + path.lstrip('/'), method, websocket)
    try:
'''

_FOOTER = '''\
    except SlashRequired:
        return None, path + '/'
    if '//' in path:
        # Maybe a redirect to the merged path: the general walk decides.
        return general(domain, path, method, websocket)
    return None, allowed or mismatch
'''

_SUB_FOOTER = '''\
    except SlashRequired:
        return None, path + '/'
    return None, allowed, mismatch
'''


def _subtree_arguments(captured: list[str]) -> str:
    """The arguments of a subtree's function: the state of the walk and
    the texts captured above it (the domain is passed anyway)."""
    names = ["domain, path, parts, n, method, websocket, allowed, mismatch"]
    names += [name for name in captured if name != "domain"]
    return ", ".join(names)


class _Subtree:
    """The function of one subtree, written and compiled on its first call
    (it then replaces itself in its parent's list).  It returns ``(rule,
    values)``, ``(None, redirect path)``, or ``(None, allowed,
    mismatch)`` when nothing matched."""

    def __init__(
        self,
        functions: list[t.Any],
        number: int,
        node: _Node,
        index: int,
        captured: list[str],
        lens: list[str],
        parent: _Writer,
        label: str,
    ) -> None:
        self.functions = functions
        self.label = label
        self.number = number
        self.node = node
        self.index = index
        self.captured = captured
        self.lens = lens
        self.helpers = parent._helpers
        self.counts = parent._counts
        self.name = f"{parent.constant('S', functions)}[{number}]"

    def write(self) -> _Writer:
        writer = _Writer(self.helpers, self.counts, self.label)
        body: list[str] = []
        writer.node(body, self.node, self.index, self.captured, self.lens, 2)
        arguments = _subtree_arguments(self.captured)
        writer.source = (
            f"def match_subtree({arguments}):\n"
            f"    # the rules below {_comment(repr(self.label))} ({self.name} of the caller)\n"
            "    try:\n" + "\n".join(body or ["        pass"]) + "\n" + _SUB_FOOTER
        )
        return writer

    def __call__(self, *arguments: t.Any) -> tuple[t.Any, ...]:
        writer = self.write()
        exec(compile(writer.source, f"<url matcher {self.name}>", "exec"), writer.env)
        function = writer.env["match_subtree"]
        self.functions[self.number] = function
        return t.cast(tuple[t.Any, ...], function(*arguments))


def compile_matcher(root: _Node, helpers: dict[str, t.Any]) -> tuple[t.Callable[..., t.Any], t.Callable[[], str]]:
    """Compile the ``match`` function for the tree at ``root``.

    :param helpers: the globals the generated code calls besides its
        constants: ``resume``, ``final_slash``, ``general``,
        ``SlashRequired``, ``ValidationError``.
    :returns: the function, and a function giving the whole source (the
        subtrees' functions too, written for the occasion).
    """
    writer = _Writer(helpers, {})
    body: list[str] = []
    writer.node(body, root, 0, [], [], 2)
    source = _HEADER + "\n".join(body or ["        pass"]) + "\n" + _FOOTER
    exec(compile(source, "<url matcher>", "exec"), writer.env)

    def full_source() -> str:
        texts = [source]
        pending = list(writer.subs)
        while pending:
            subtree = pending.pop(0)
            sub = subtree.write()
            texts.append(sub.source)
            pending.extend(sub.subs)
        return "\n\n".join(texts)

    return writer.env["match"], full_source
