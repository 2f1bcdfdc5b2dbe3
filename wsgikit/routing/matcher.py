"""The URL matcher: a tree of rule parts walked depth first.

Theory of operation.  Every rule is a list of parts (see :mod:`.rules`):
the domain, then one part per path segment, maybe ending in a *final* part
that spans the rest of the path.  Rules are inserted into a tree whose
edges are parts: static parts live in a dict per node (one lookup, however
many siblings), dynamic parts in a list of :class:`_Edge` per node sorted
by priority (:attr:`_Part.key`).  Equal parts of different rules share an edge; when
different parts have equal priority, all of them are tried and the rules'
own order (later parts, then registration) picks the winner, so unrelated
rules never change the result.  A request ``(domain, path)`` is split on ``/`` and walked
from the root: at each node the static child for the segment is tried
first, then each dynamic child whose regex matches the segment (or, for a
final part, the rest of the path), backtracking on failure.  At the end of
the path the node's rules are checked in order (method, WebSocket flag,
converters' ``to_python``); the first that passes wins, and is returned
up the recursion as a ``(rule, values, captured texts)`` tuple.  Every node is
visited at most once per walk, so the cost depends on the rules that share
the request's prefixes, not on the size of the map.  Fully static paths are
also indexed in a dict (domain -> path -> node) to skip the walk, and the
outcome of a walk -- the rule and the captured texts -- is remembered per
``(domain, path, method, websocket)`` so that a path seen before only runs
its converters again (see :meth:`StateMachineMatcher.walk`).

Requests are not matched by this walk but by its compiled form
(:mod:`._compiler`, :attr:`StateMachineMatcher.find`): the same tree
written out as one Python function, which hands the cases it does not
write out back to :func:`_walk`.  The walk defines the behaviour; tests
compare the two.
"""

from __future__ import annotations

import re
import typing as t

from ._compiler import compile_matcher
from .converters import ValidationError
from .exceptions import NoMatch
from .exceptions import RequestPath

if t.TYPE_CHECKING:
    from .rules import Rule
    from .rules import _Part

_SLASHES_RE = re.compile("/{2,}")

#: Walk outcomes remembered per matcher (cleared when full: the paths come
#: from clients), and the longest path that is remembered.
_CACHE_SIZE = 1024
_CACHE_PATH_LIMIT = 256


class SlashRequired(Exception):
    """Internal: the path matches a rule with a trailing slash (redirect)."""


#: Marks a final part whose rule ends with ``/`` (see :func:`_slash_for_final`).
_SUFFIXED = 2


class _Edge(t.NamedTuple):
    """A dynamic child of a node, as the walk uses it."""

    #: The part's ``Pattern.fullmatch``: called with the segment, or (final
    #: parts) with the whole request and the position where the rest starts.
    fullmatch: t.Callable[..., re.Match[str] | None]
    #: The indexes of the groups holding the variables, or ``None`` when
    #: the one variable is group 1 (the common case, read without a tuple).
    groups: tuple[int, ...] | None
    #: ``0`` for a segment, ``1`` for a final part, :data:`_SUFFIXED` for a
    #: final part whose rule ends with ``/``.
    final: int
    #: The node after this part.
    child: _Node
    #: Whether the next edge has the same priority (both are tried).
    tied: bool


class _PendingEdge(t.NamedTuple):
    """A dynamic child as added; :meth:`StateMachineMatcher.update` sorts
    these by ``(key, order)`` into the node's :class:`_Edge` list."""

    #: The part's priority (:attr:`_Part.key`).
    key: tuple[t.Any, ...]
    #: When the edge was made: ties keep the order of registration.
    order: int
    pattern: re.Pattern[str]
    final: bool
    child: _Node


class _Node:
    """One state of the matcher: the children and rules after some parts."""

    __slots__ = ("static", "dynamic", "rules", "_pending", "_by_part")

    def __init__(self) -> None:
        #: Children by exact segment text.
        self.static: dict[str, _Node] = {}
        #: Dynamic children in priority order.
        self.dynamic: list[_Edge] = []
        #: Rules that end here, in registration order.
        self.rules: list[Rule] = []
        #: Dynamic children as added, sorted into :attr:`dynamic` by
        #: :meth:`StateMachineMatcher.update`.
        self._pending: list[_PendingEdge] = []
        #: Dynamic children by ``(key, pattern, final)``, to share equal parts.
        self._by_part: dict[tuple[t.Any, str, bool], _Node] = {}


class _Walk:
    """What one match call is looking for, and what it learned on the way."""

    __slots__ = ("method", "websocket", "have_match_for", "websocket_mismatch", "refused", "settled")

    def __init__(self, method: str, websocket: bool) -> None:
        self.method = method
        self.websocket = websocket
        #: Methods of rules that matched the path but not the method (a
        #: shared empty set until the first one: PERF, most walks find none).
        self.have_match_for: t.AbstractSet[str] = _NO_METHODS
        #: Whether a rule matched the path but not the WebSocket flag.
        self.websocket_mismatch = False
        #: Whether a converter refused a text (``ValidationError``): its
        #: answer may change over time (a lookup), so the outcome of this
        #: walk is not remembered.
        self.refused = False
        #: Whether the match being returned ends the search: a non-strict
        #: rule reached by adding its trailing slash is taken as it is,
        #: without comparing it with the alternatives of the nodes above.
        self.settled = False


_NO_METHODS: frozenset[str] = frozenset()


#: What a walk finds: the rule, its converted values and the captured texts.
_Match = tuple["Rule", dict[str, t.Any], tuple[str, ...]]


def _accept(rule: Rule, raw: list[str], walk: _Walk) -> _Match | None:
    """Check one candidate rule at the end of the path."""
    methods = rule.methods
    if methods is not None and walk.method not in methods:
        walk.have_match_for = walk.have_match_for | methods
        return None
    if rule.websocket != walk.websocket:
        walk.websocket_mismatch = True
        return None
    try:
        return rule, rule._convert(raw), tuple(raw)
    except ValidationError:
        # Deliberate: a converter refusing the text means "this rule does
        # not match", so the walk goes on to the next candidate.
        walk.refused = True
        return None


def _at_end(node: _Node, raw: list[str], walk: _Walk) -> _Match | None:
    """The path is used up at ``node``: pick a rule, or ask for a slash."""
    # PERF: this is :func:`_accept` inlined, as every match ends here.
    for rule in node.rules:
        methods = rule.methods
        if methods is not None and walk.method not in methods:
            walk.have_match_for = walk.have_match_for | methods
            continue
        if rule.websocket != walk.websocket:
            walk.websocket_mismatch = True
            continue
        try:
            return rule, rule._convert(raw), tuple(raw)
        except ValidationError:
            # A converter refusing the text: try the next candidate.
            walk.refused = True
            continue
    slash = node.static.get("")
    if slash is not None:
        for rule in slash.rules:
            if rule.websocket == walk.websocket and (rule.methods is None or walk.method in rule.methods):
                if rule.strict_slashes:
                    raise SlashRequired()
                found = _accept(rule, raw, walk)
                if found is not None:
                    return found
    return None


def _slash_for_final(
    match: re.Match[str] | None, groups: tuple[int, ...] | None, node: _Node, raw: list[str], walk: _Walk
) -> _Match | None:
    """The path lacks the trailing slash of a final part's rule: redirect
    (strict rule) or accept, and settle the walk (see :attr:`_Walk.settled`)."""
    if match is None:
        return None
    for rule in node.rules:
        if rule.websocket == walk.websocket and (rule.methods is None or walk.method in rule.methods):
            if rule.strict_slashes:
                raise SlashRequired()
            captured = (match[1],) if groups is None else match.group(*groups)
            found = _accept(rule, [*raw, *captured], walk)
            if found is not None:
                walk.settled = True
                return found
    return None


def _ranks_before(rule: Rule, other: Rule, depth: int) -> bool:
    """Order of two rules whose parts have equal priority up to ``depth``:
    compare the later parts, then the registration order."""
    return (rule._part_keys[depth + 1 :], rule._index) < (other._part_keys[depth + 1 :], other._index)


def _walk(
    node: _Node, parts: list[str], index: int, full: str, pos: int, raw: list[str], walk: _Walk
) -> _Match | None:
    """Depth-first search from ``node`` for ``parts[index:]``.

    ``full`` is the whole request (domain, then the path) and ``pos`` where
    ``parts[index]`` starts in it: a final part matches ``full[pos:]``
    without copying.  ``raw`` collects the captured texts.  This is the hot
    path, kept in one function on purpose.
    """
    end = len(parts)
    while True:
        if index == end:
            return _at_end(node, raw, walk)
        segment = parts[index]
        child = node.static.get(segment)
        if node.dynamic or (segment == "" and index + 1 == end):
            break
        # PERF: no alternatives at this node, so no backtracking is needed:
        # follow the static child in a loop instead of recursing.
        if child is None:
            return None
        node = child
        index += 1
        pos += len(segment) + 1
    if child is not None:
        found = _walk(child, parts, index + 1, full, pos + len(segment) + 1, raw, walk)
        if found is not None:
            return found
    best = None
    for fullmatch, groups, final, child, tied in node.dynamic:
        match = fullmatch(full, pos) if final else fullmatch(segment)
        if match is not None:
            size = len(raw)
            if groups is None:
                raw.append(match[1])
            else:
                raw.extend(match.group(*groups))
            if final or index + 1 == end:
                # PERF: the last segment (or a final part) leaves nothing to
                # walk: check the child's rules without recursing.
                found = _at_end(child, raw, walk)
            else:
                found = _walk(child, parts, index + 1, full, pos + len(segment) + 1, raw, walk)
            del raw[size:]
            if found is not None:
                if walk.settled:
                    return found
                if best is None or _ranks_before(found[0], best[0], index):
                    best = found
        elif final is _SUFFIXED and best is None:
            # Adding the rule's trailing slash is only offered when no tied
            # part before it (registered earlier) matched the path as it is.
            found = _slash_for_final(fullmatch(full[pos:] + "/"), groups, child, raw, walk)
            if found is not None:
                return found
        # Children with equal priority (``tied``) are all tried; the best
        # of their matches is chosen by the rules' own order.
        if best is not None and not tied:
            return best
    if segment == "" and index + 1 == end:
        # "/a/" against a rule "/a" that does not insist on strict slashes.
        for rule in node.rules:
            if not rule.strict_slashes:
                found = _accept(rule, raw, walk)
                if found is not None:
                    return found
    return None


def _resume(
    node: _Node, parts: list[str], index: int, full: str, pos: int, raw: list[str], method: str, websocket: bool
) -> tuple[t.Any, ...]:
    """The general walk from ``node``, for the compiled matcher: ``(rule,
    values)``, or ``(None, methods for a 405, WebSocket mismatch)``.

    :raises SlashRequired: the path needs a trailing slash.
    """
    walk = _Walk(method, websocket)
    found = _walk(node, parts, index, full, pos, raw, walk)
    if found is not None:
        return found[0], found[1]
    return None, walk.have_match_for, walk.websocket_mismatch


def _final_slash(
    match: re.Match[str] | None,
    groups: tuple[int, ...] | None,
    node: _Node,
    raw: list[str],
    method: str,
    websocket: bool,
) -> _Match | None:
    """:func:`_slash_for_final` for the compiled matcher."""
    return _slash_for_final(match, groups, node, raw, _Walk(method, websocket))


#: What :attr:`StateMachineMatcher.find` returns: ``(rule, values)`` or
#: ``(None, outcome)``, see :mod:`._compiler`.
_Answer = tuple[t.Any, t.Any]
_Find = t.Callable[[str, str, str, bool], _Answer]


class StateMachineMatcher:
    """Matches ``(domain, path)`` against the rules added to it.

    :param merge_slashes: retry a failed path with runs of slashes merged
        (the caller then redirects to the merged path).
    """

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        #: The compiled matcher (see :mod:`._compiler`): ``find(domain, path,
        #: method, websocket)`` gives ``(rule, values)`` or ``(None,
        #: outcome)`` without raising; the path is given exactly one leading
        #: slash first (unless it is empty), as the adapter's is.  It is
        #: generated on first use after rules were added.
        self.find: _Find = self._compile_and_find
        self._source: t.Callable[[], str] | None = None
        self._root = _Node()
        self._static: dict[str, dict[str, _Node]] = {}
        self._order = 0
        self._dirty = False
        self._compiled: dict[str, re.Pattern[str]] = {}
        #: ``(domain, path, method, websocket)`` -> ``(rule, captured texts)``.
        self._outcomes: dict[tuple[str, str, str, bool], tuple[Rule, tuple[str, ...]]] = {}

    def add(self, rule: Rule) -> None:
        """Insert ``rule``'s parts into the tree."""
        self._outcomes.clear()
        self.find = self._compile_and_find
        self._source = None
        node = self._root
        texts: list[str] = []
        for part in rule._parts:
            if part.text is not None:
                texts.append(part.text)
                child = node.static.get(part.text)
                if child is None:
                    child = node.static[part.text] = _Node()
                node = child
                continue
            node = self._dynamic_child(node, part, rule)
        node.rules.append(rule)
        if len(texts) == len(rule._parts):
            domain, *segments = texts
            self._static.setdefault(domain, {})["/" + "/".join(segments)] = node

    def _dynamic_child(self, node: _Node, part: _Part, rule: Rule) -> _Node:
        ident = (part.key, part.pattern, part.final)
        child = node._by_part.get(ident)
        if child is not None:
            return child
        compiled = self._compiled.get(part.pattern)
        if compiled is None:
            try:
                compiled = re.compile(part.pattern, re.DOTALL)
            except re.error as exc:
                raise ValueError(f"url rule {rule.rule!r}: a converter's regex is invalid: {exc}") from None
            self._compiled[part.pattern] = compiled
        child = node._by_part[ident] = _Node()
        self._order += 1
        node._pending.append(_PendingEdge(part.key, self._order, compiled, part.final, child))
        self._dirty = True
        return child

    def update(self) -> None:
        """Sort the dynamic children of every node (after adding rules)."""
        if not self._dirty:
            return
        self._outcomes.clear()
        stack = [self._root]
        while stack:
            node = stack.pop()
            stack.extend(node.static.values())
            node._pending.sort(key=lambda edge: (edge.key, edge.order))
            node.dynamic = []
            pending = node._pending
            for position, edge in enumerate(pending):
                tied = position + 1 < len(pending) and pending[position + 1].key == edge.key
                names = edge.pattern.groupindex
                indexes = tuple(names[f"_{i}"] for i in range(len(names)) if f"_{i}" in names)
                # PERF: one variable is always group 1 (only escaped static
                # text comes before it); ``None`` selects that fast path.
                groups = None if indexes == (1,) else indexes
                final = _SUFFIXED if edge.final and edge.pattern.pattern.endswith("/") else int(edge.final)
                node.dynamic.append(_Edge(edge.pattern.fullmatch, groups, final, edge.child, tied))
                stack.append(edge.child)
        self._dirty = False

    def _compile_and_find(self, domain: str, path: str, method: str, websocket: bool) -> _Answer:
        """:attr:`find` until the rules are compiled: compile, then find."""
        self._compile()
        return self.find(domain, path, method, websocket)

    def _compile(self) -> None:
        """Generate and compile :attr:`find` for the current rules."""
        self.update()
        helpers = {
            "resume": _resume,
            "final_slash": _final_slash,
            "general": self._general_find,
            "SlashRequired": SlashRequired,
            "ValidationError": ValidationError,
        }
        self.find, self._source = compile_matcher(self._root, helpers)

    def source(self) -> str:
        """The Python source of the compiled matcher (:attr:`find`)."""
        if self._source is None:
            self._compile()
        return t.cast(t.Callable[[], str], self._source)()

    def match(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, t.MutableMapping[str, t.Any]]:
        """Find the rule for ``path`` (given exactly one leading slash
        first, unless it is empty).

        :raises RequestPath: the path should be redirected (slash added or
            slashes merged) to :attr:`RequestPath.path_info`.
        :raises NoMatch: nothing matched.
        """
        if path[:1] != "/" or path[1:2] == "/":
            path = f"/{path.lstrip('/')}" if path else ""
        rule, outcome = self.find(domain, path, method, websocket)
        if rule is not None:
            return rule, outcome
        if type(outcome) is str:
            raise RequestPath(outcome)
        # The compiled matcher says only what the adapter needs (405 before
        # a WebSocket mismatch); the general walk gives every detail.
        return self.walk(domain, path, method, websocket)

    def _general_find(self, domain: str, path: str, method: str, websocket: bool) -> _Answer:
        """:meth:`walk` with :attr:`find`'s results instead of exceptions."""
        try:
            return self.walk(domain, path, method, websocket)
        except RequestPath as signal:
            return None, signal.path_info
        except NoMatch as failure:
            return None, failure.have_match_for or failure.websocket_mismatch

    def walk(
        self, domain: str, path: str, method: str, websocket: bool
    ) -> tuple[Rule, t.MutableMapping[str, t.Any]]:
        """:meth:`match` by the general walk of the tree (the reference the
        compiled matcher is tested against, and its fallback).

        :raises RequestPath: the path should be redirected (slash added or
            slashes merged) to :attr:`RequestPath.path_info`.
        :raises NoMatch: nothing matched.
        """
        # PERF: a fully static path is one dict lookup away.
        nodes = self._static.get(domain)
        if nodes is not None:
            node = nodes.get(path)
            if node is not None:
                for rule in node.rules:
                    if (rule.methods is None or method in rule.methods) and rule.websocket == websocket:
                        values = dict(rule.defaults) if rule.defaults else {}
                        return rule, values
        # PERF: a path matched before skips the walk: which rule matches
        # and what it captures depend only on the key and the rules (the
        # cache is cleared when rules are added), as long as no converter
        # refused anything on the way (such walks are not remembered). The
        # converters still run on every request; should one refuse now,
        # the path is walked afresh.
        key = (domain, path, method, websocket)
        outcome = self._outcomes.get(key)
        if outcome is not None:
            rule = outcome[0]
            try:
                return rule, rule._convert(outcome[1])
            except ValidationError:
                self._outcomes.pop(key, None)
        walk = _Walk(method, websocket)
        found = self._walk_path(domain, path, walk)
        if found is None and self.merge_slashes and "//" in path:
            merged = _SLASHES_RE.sub("/", path)
            found = self._walk_path(domain, merged, walk)
            if found is not None and found[0].merge_slashes:
                raise RequestPath(merged)
            found = None
        if found is None:
            raise NoMatch(walk.have_match_for, walk.websocket_mismatch)
        rule, values, raw = found
        if not walk.refused and len(path) <= _CACHE_PATH_LIMIT:
            outcomes = self._outcomes
            if len(outcomes) >= _CACHE_SIZE:
                outcomes.clear()
            outcomes[key] = (rule, raw)
        return rule, values

    def _walk_path(self, domain: str, path: str, walk: _Walk) -> _Match | None:
        rest = path[1:]
        parts = [domain, *rest.split("/")] if path else [domain]
        try:
            return _walk(self._root, parts, 0, domain + "/" + rest, 0, [], walk)
        except SlashRequired:
            raise RequestPath(path + "/") from None
