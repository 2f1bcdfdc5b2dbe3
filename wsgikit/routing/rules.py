"""URL rules: parsing rule strings, and the factories that produce rules.

A rule string such as ``/user/<int:id>/<name>.html`` is cut into *parts*:
the domain part (the subdomain, or the host with host matching) and one
part per path segment.  A part is either static text (matched by a dict
lookup) or dynamic: a regex made of the escaped static text and one named
group per converter.  Group names are positional (``_0``, ``_1``, ...) so
that the same pattern in two rules (``<a>`` and ``<b>``) is one node of the
matcher's tree.  A converter that may match ``/`` (``path``) makes its
segment and every later one a single *final* part, matched against the
rest of the path.  The matcher (:mod:`.matcher`) orders dynamic parts by
:attr:`_Part.key`; the URL builder is generated Python source (see
:func:`_builder_for`).
"""

from __future__ import annotations

import re
import typing as t
from string import Template
from types import FunctionType
from urllib.parse import quote_plus

from .._internal import _keeps_stock
from .converters import BaseConverter
from .converters import NumberConverter
from .converters import ValidationError
from .converters import _to_python_of
from .converters import quote_path

if t.TYPE_CHECKING:
    from .map import Map

_IDENT = "[A-Za-z_][A-Za-z0-9_]*"
# A variable after its ``<``: ``name>``, ``conv:name>`` or ``conv(args):name>``.
# Quoted arguments may hold ``)`` and ``>`` (a regex converter's
# ``'(a|b)(?P<n>c)'``); each alternative starts with a different character,
# so matching is linear.
_VARIABLE_RE = re.compile(
    rf"""(?:(?P<conv>{_IDENT})
    (?:\((?P<args>(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^)"'])*)\))?:)?
    (?P<name>{_IDENT})>""",
    re.VERBOSE,
)
# One converter argument: optional ``key=``, then a quoted string or a bare
# token, then a comma or the end.  The quoted-string loops have one way to
# match each character, so matching is linear.
_ARG_RE = re.compile(
    r"""\s*(?:(?P<key>\w+)\s*=\s*)?
    (?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?[\w.]+)
    \s*(?:,|$)""",
    re.VERBOSE,
)
_CONSTANTS: dict[str, t.Any] = {"True": True, "False": False, "None": None}


def _pythonize(value: str) -> t.Any:
    """Turn one converter argument token into a Python value."""
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    if value[:1] in "\"'":
        import ast

        return ast.literal_eval(value)
    return value


def parse_converter_args(argstr: str) -> tuple[tuple[t.Any, ...], dict[str, t.Any]]:
    """Parse the ``args`` of ``<conv(args):name>`` into ``(args, kwargs)``.

    Values are Python literals (numbers, quoted strings, ``True``,
    ``False``, ``None``) or bare words, which are strings:
    ``any(about, "help me")``.

    :raises ValueError: when a piece of ``argstr`` is not an argument.
    """
    args: list[t.Any] = []
    kwargs: dict[str, t.Any] = {}
    pos, end = 0, len(argstr.rstrip())
    while pos < end:
        match = _ARG_RE.match(argstr, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"Cannot parse converter argument {argstr[pos:]!r}")
        value = _pythonize(match["value"])
        if match["key"] is None:
            args.append(value)
        else:
            kwargs[match["key"]] = value
        pos = match.end()
    return tuple(args), kwargs


class _Piece(t.NamedTuple):
    """One token of a rule string: static text or a variable."""

    #: The static text, or ``None`` for a variable.
    text: str | None
    #: The variable name (variables only).
    name: str = ""
    #: The converter name (variables only).
    converter: str = "default"
    #: The raw converter argument string, or ``None``.
    args: str | None = None


def _tokenize(rule: str, source: str) -> list[_Piece]:
    """Cut ``rule`` into static text and variables.

    :param source: the full rule string, named in error messages.
    :raises ValueError: on an unclosed ``<`` or a malformed variable.
    """
    pieces: list[_Piece] = []
    pos = 0
    while True:
        start = rule.find("<", pos)
        if start < 0:
            if pos < len(rule):
                pieces.append(_Piece(rule[pos:]))
            return pieces
        match = _VARIABLE_RE.match(rule, start + 1)
        if match is None:
            raise ValueError(f"malformed url rule: {source!r}")
        if start > pos:
            pieces.append(_Piece(rule[pos:start]))
        pieces.append(_Piece(None, match["name"], match["conv"] or "default", match["args"]))
        pos = match.end()


def _split_segments(pieces: list[_Piece], merge_slashes: bool) -> list[list[_Piece]]:
    """Group pieces into path segments (split static text on ``/``)."""
    segments: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.text is None:
            segments[-1].append(piece)
            continue
        first, *rest = piece.text.split("/")
        if first:
            segments[-1].append(_Piece(first))
        for text in rest:
            if merge_slashes and not segments[-1] and len(segments) > 1:
                segments.pop()  # ``//`` in the rule: drop the empty segment
            segments.append([_Piece(text)] if text else [])
    return segments


class _Part:
    """One matchable part of a rule: static text, a segment regex or a final
    regex over the rest of the path."""

    __slots__ = ("text", "pattern", "final", "key", "names")

    def __init__(
        self,
        text: str | None,
        pattern: str = "",
        final: bool = False,
        key: tuple[t.Any, ...] = (),
        names: tuple[str, ...] = (),
    ) -> None:
        #: The static text, or ``None`` for a dynamic part.
        self.text = text
        #: The regex source (dynamic parts), groups named ``_0``, ``_1``...
        self.pattern = pattern
        #: ``True`` when the regex matches the whole rest of the path.
        self.final = final
        #: Priority among dynamic parts at one place (lower is tried first):
        #: more static pieces first, then earlier/longer static pieces, then
        #: fewer converters, then lower converter weights.
        self.key = key
        #: The rule's variable names, in the order of the regex groups.
        self.names = names

    def __repr__(self) -> str:
        if self.text is not None:
            return f"<_Part static {self.text!r}>"
        return f"<_Part {'final ' if self.final else ''}{self.pattern!r}>"


def _dynamic_part(pieces: list[_Piece], converters: dict[str, BaseConverter], final: bool) -> _Part:
    """Compile the pieces of a segment (or of the final rest) into a part."""
    regex: list[str] = []
    static_weights: list[tuple[int, int]] = []
    argument_weights: list[int] = []
    names: list[str] = []
    for index, piece in enumerate(pieces):
        if piece.text is not None:
            regex.append(re.escape(piece.text))
            # A final part's trailing slash (rule "/<path:p>/") says how the
            # URL ends, it does not make the part more specific.
            weighed = piece.text
            if final and index == len(pieces) - 1 and weighed.endswith("/"):
                weighed = weighed[:-1]
            if weighed:
                static_weights.append((index, -len(weighed)))
        else:
            converter = converters[piece.name]
            regex.append(f"(?P<_{len(names)}>{converter.regex})")
            argument_weights.append(converter.weight)
            names.append(piece.name)
    key = (-len(static_weights), tuple(static_weights), -len(argument_weights), tuple(argument_weights))
    return _Part(None, "".join(regex), final, key, tuple(names))


class RuleFactory:
    """Anything that can add rules to a map: a :class:`Rule` or a group of
    rules such as :class:`Submount`.  Subclasses implement :meth:`get_rules`.
    """

    def get_rules(self, map: Map) -> t.Iterable[Rule]:
        """Yield the rules this factory contributes to ``map``."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_rules()")


class Subdomain(RuleFactory):
    """Put a group of rules on a subdomain: ``Subdomain("api", [...])``.

    :param subdomain: the subdomain (may contain variables).
    :param rules: the rules or factories to wrap.
    """

    def __init__(self, subdomain: str, rules: t.Iterable[RuleFactory]) -> None:
        self.subdomain = subdomain
        self.rules = rules

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                rule = rule.empty()
                rule.subdomain = self.subdomain
                yield rule


class Submount(RuleFactory):
    """Prefix the paths of a group of rules: ``Submount("/blog", [...])``.

    :param path: the path prefix; a trailing slash is ignored.
    :param rules: the rules or factories to wrap.
    """

    def __init__(self, path: str, rules: t.Iterable[RuleFactory]) -> None:
        self.path = path.rstrip("/")
        self.rules = rules

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                rule = rule.empty()
                rule.rule = self.path + rule.rule
                yield rule


class EndpointPrefix(RuleFactory):
    """Prefix the (string) endpoints of a group of rules.

    :param prefix: prepended to every endpoint.
    :param rules: the rules or factories to wrap.
    """

    def __init__(self, prefix: str, rules: t.Iterable[RuleFactory]) -> None:
        self.prefix = prefix
        self.rules = rules

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                rule = rule.empty()
                rule.endpoint = self.prefix + rule.endpoint
                yield rule


class RuleTemplate:
    """Rules with ``$placeholders`` (:class:`string.Template` syntax) in the
    path, endpoint, subdomain and string defaults; call it with the values
    to get a factory.

    :param rules: the template rules.
    """

    def __init__(self, rules: t.Iterable[Rule]) -> None:
        self.rules = list(rules)

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> RuleTemplateFactory:
        return RuleTemplateFactory(self.rules, dict(*args, **kwargs))


class RuleTemplateFactory(RuleFactory):
    """The factory a :class:`RuleTemplate` returns: fills in the template.

    :param rules: the template rules.
    :param context: the placeholder values.
    """

    def __init__(self, rules: t.Iterable[RuleFactory], context: dict[str, t.Any]) -> None:
        self.rules = rules
        self.context = context

    def _fill(self, value: t.Any) -> t.Any:
        if isinstance(value, str):
            return Template(value).substitute(self.context)
        return value

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        for factory in self.rules:
            for rule in factory.get_rules(map):
                kwargs = dict(rule.get_empty_kwargs())
                if rule.defaults:
                    kwargs["defaults"] = {k: self._fill(v) for k, v in rule.defaults.items()}
                kwargs["subdomain"] = self._fill(rule.subdomain)
                kwargs["endpoint"] = self._fill(rule.endpoint)
                yield type(rule)(self._fill(rule.rule), **kwargs)


class Rule(RuleFactory):
    """One URL pattern and what it leads to.

    :param string: the rule, starting with ``/``: ``/page/<int:id>``.
    :param defaults: values for variables the URL does not contain; also
        makes this rule the canonical URL for those values.
    :param subdomain: the subdomain pattern (default: the map's).
    :param methods: the accepted HTTP methods (``HEAD`` is added with
        ``GET``); ``None`` accepts every method.
    :param build_only: never match, only build URLs.
    :param endpoint: what the rule leads to (any hashable object).
    :param strict_slashes: redirect ``/a`` to ``/a/`` instead of matching
        (default: the map's setting).
    :param merge_slashes: redirect ``//a///b`` to ``/a/b`` (default: the
        map's setting).
    :param redirect_to: redirect matches to this URL: a string with
        ``<variable>`` placeholders, or a callable ``(adapter, **values)``.
    :param alias: matches redirect to the URL of the endpoint's main rule.
    :param host: the host pattern, with host matching.
    :param websocket: match only WebSocket requests.
    """

    #: Whether the class keeps :meth:`_encode_query_vars`, so that its URL
    #: builders may encode the extra values in one pass (:func:`_encode_extra`).
    _stock_query_encoding = True
    #: Whether the class keeps :meth:`_convert`, so that the compiled
    #: matcher (:mod:`._compiler`) may build the values dict inline.
    _stock_convert = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._stock_query_encoding = _keeps_stock(cls, Rule, ("_encode_query_vars",))
        cls._stock_convert = _keeps_stock(cls, Rule, ("_convert",))

    def __init__(
        self,
        string: str,
        defaults: t.Mapping[str, t.Any] | None = None,
        subdomain: str | None = None,
        methods: t.Iterable[str] | None = None,
        build_only: bool = False,
        endpoint: t.Any | None = None,
        strict_slashes: bool | None = None,
        merge_slashes: bool | None = None,
        redirect_to: str | t.Callable[..., str] | None = None,
        alias: bool = False,
        host: str | None = None,
        websocket: bool = False,
    ) -> None:
        if not string.startswith("/"):
            raise ValueError(f"URL rule '{string}' must start with a slash.")
        #: The rule string.
        self.rule = string
        self.is_leaf = not string.endswith("/")
        self.is_branch = string.endswith("/")
        #: The map this rule is bound to, or ``None``.
        self.map: Map = None  # type: ignore[assignment]  # unbound until Map.add; typed as bound for the code that runs after
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.subdomain = subdomain
        self.host = host
        self.defaults = defaults
        self.build_only = build_only
        self.alias = alias
        self.websocket = websocket
        if methods is not None:
            if isinstance(methods, str):
                raise TypeError("'methods' should be a list of strings.")
            methods = {method.upper() for method in methods}
            if "GET" in methods:
                methods.add("HEAD")
            if websocket and methods - {"GET", "HEAD", "OPTIONS"}:
                raise ValueError(
                    "WebSocket rules can only use 'GET', 'HEAD', and 'OPTIONS' methods."
                )
        #: The accepted methods (upper case), or ``None`` for any method.
        self.methods: set[str] | None = methods
        self.endpoint: t.Any = endpoint
        self.redirect_to = redirect_to
        #: Every variable name: the URL's and the defaults' keys.
        self.arguments: set[str] = set(map(str, defaults)) if defaults else set()
        self._converters: dict[str, BaseConverter] = {}
        self._trace: list[tuple[bool, str]] = []
        self._parts: list[_Part] = []
        #: Rules of the same endpoint this one redirects to when the matched
        #: values equal their defaults: ``None`` until worked out by the
        #: adapter, ``False`` when there are none.
        self._default_redirects: list[Rule] | t.Literal[False] | None = None
        #: Registration order in the map (set by :meth:`Map.add`).
        self._index = 0

    def empty(self) -> Rule:
        """An unbound copy of this rule (used by the rule factories)."""
        return type(self)(self.rule, **self.get_empty_kwargs())

    def get_empty_kwargs(self) -> t.Mapping[str, t.Any]:
        """The keyword arguments :meth:`empty` passes to the constructor.

        Subclasses with extra constructor arguments extend this.
        """
        return {
            "defaults": dict(self.defaults) if self.defaults else None,
            "subdomain": self.subdomain,
            "methods": self.methods,
            "build_only": self.build_only,
            "endpoint": self.endpoint,
            "strict_slashes": self.strict_slashes,
            "merge_slashes": self.merge_slashes,
            "redirect_to": self.redirect_to,
            "alias": self.alias,
            "host": self.host,
            "websocket": self.websocket,
        }

    def get_rules(self, map: Map) -> t.Iterator[Rule]:
        yield self

    def refresh(self) -> None:
        """Recompile the rule after its attributes changed."""
        self.bind(self.map, rebind=True)

    def bind(self, map: Map, rebind: bool = False) -> None:
        """Bind the rule to ``map`` and compile it (done by :meth:`Map.add`).

        :raises RuntimeError: when already bound and ``rebind`` is false.
        """
        if self.map is not None and not rebind:
            raise RuntimeError(f"url rule {self!r} already bound to map {self.map!r}")
        self.map = map
        if self.strict_slashes is None:
            self.strict_slashes = map.strict_slashes
        if self.merge_slashes is None:
            self.merge_slashes = map.merge_slashes
        if self.subdomain is None:
            self.subdomain = map.default_subdomain
        self.compile()

    def get_converter(
        self,
        variable_name: str,
        converter_name: str,
        args: tuple[t.Any, ...],
        kwargs: t.Mapping[str, t.Any],
    ) -> BaseConverter:
        """Create the converter for one variable.

        :raises LookupError: when the map has no converter of that name.
        """
        if converter_name not in self.map.converters:
            raise LookupError(f"the converter {converter_name!r} does not exist")
        return self.map.converters[converter_name](self.map, *args, **kwargs)

    def _make_converters(self, pieces: list[_Piece]) -> None:
        for piece in pieces:
            if piece.text is not None:
                continue
            if piece.name in self._converters:
                raise ValueError(f"variable name {piece.name!r} used twice in url rule {self.rule!r}")
            args, kwargs = parse_converter_args(piece.args) if piece.args else ((), {})
            self._converters[piece.name] = self.get_converter(piece.name, piece.converter, args, kwargs)
            self.arguments.add(piece.name)

    def compile(self) -> None:
        """Parse the rule string into matchable parts and a URL builder."""
        assert self.map is not None, "rule not bound"
        domain = (self.host or "") if self.map.host_matching else (self.subdomain or "")
        self._converters = {}
        self.arguments = set(map(str, self.defaults)) if self.defaults else set()
        try:
            domain_pieces = _tokenize(domain, domain)
            path_pieces = _tokenize(self.rule, self.rule)
            self._make_converters(domain_pieces)
            self._make_converters(path_pieces)
        except ValueError as exc:
            if self.rule in str(exc) or domain and domain in str(exc):
                raise
            raise ValueError(f"invalid url rule {self.rule!r}: {exc}") from exc
        self._trace = self._make_trace(domain_pieces, path_pieces)
        segments = _split_segments(path_pieces, bool(self.merge_slashes))
        # The leading "/" of the rule gives an empty first segment: drop it.
        segments.pop(0)
        self._parts = [self._part_for(domain_pieces, final=False)]
        for index, pieces in enumerate(segments):
            if any(p.text is None and not self._converters[p.name].part_isolating for p in pieces):
                rest = self._join_segments(segments[index:])
                self._parts.append(_dynamic_part(rest, self._converters, final=True))
                break
            self._parts.append(self._part_for(pieces, final=False))
        self._names = tuple(name for part in self._parts for name in part.names)
        #: Per part: ``(0,)`` for static text, ``(1, key)`` for dynamic
        #: parts; with :attr:`_index` this is the rule's matching priority.
        self._part_keys = tuple((0,) if part.text is not None else (1, part.key) for part in self._parts)
        # PERF: ``None`` marks converters whose ``to_python`` returns the
        # text unchanged (neither the class nor the instance replaced it),
        # so matching skips the call.
        self._to_python = tuple(_to_python_of(self._converters[name]) for name in self._names)
        #: Whether no converter changes its text (``_to_python`` all ``None``).
        self._texts_are_values = not any(self._to_python)
        #: The generated URL builders (without / with extra values in the
        #: query string), made on first use by :meth:`_builder`.
        self._build: t.Callable[..., tuple[str, str] | None] | None = None
        self._build_unknown: t.Callable[..., tuple[str, str] | None] | None = None

    @staticmethod
    def _join_segments(segments: list[list[_Piece]]) -> list[_Piece]:
        joined: list[_Piece] = []
        for index, pieces in enumerate(segments):
            if index:
                joined.append(_Piece("/"))
            joined.extend(pieces)
        # Merge neighbouring static text so "/" joins with its neighbours.
        merged: list[_Piece] = []
        for piece in joined:
            if piece.text is not None and merged and merged[-1].text is not None:
                merged[-1] = _Piece(merged[-1].text + piece.text)
            else:
                merged.append(piece)
        return merged

    def _part_for(self, pieces: list[_Piece], final: bool) -> _Part:
        if all(p.text is not None for p in pieces):
            return _Part("".join(p.text or "" for p in pieces))
        return _dynamic_part(pieces, self._converters, final)

    @staticmethod
    def _make_trace(domain: list[_Piece], path: list[_Piece]) -> list[tuple[bool, str]]:
        trace = [(p.text is None, p.name if p.text is None else p.text) for p in domain]
        trace.append((False, "|"))
        for piece in path:
            if piece.text is None:
                trace.append((True, piece.name))
                continue
            for index, text in enumerate(piece.text.split("/")):
                if index:
                    trace.append((False, "/"))
                if text:
                    trace.append((False, text))
        return trace

    # -- matching support ---------------------------------------------------

    def _convert(self, raw: t.Sequence[str]) -> dict[str, t.Any]:
        """Turn the captured URL texts into values (defaults added).

        :raises ValidationError: when a converter rejects its text.
        """
        if self._texts_are_values:
            # PERF: the common rule (``/hello/<name>``) needs no calls.
            values = dict(zip(self._names, raw))
        else:
            values = {}
            for name, to_python, text in zip(self._names, self._to_python, raw):
                values[name] = text if to_python is None else to_python(text)
        if self.defaults:
            values.update(self.defaults)
        return values

    # -- building -------------------------------------------------------------

    def _encode_query_vars(self, query_vars: t.Mapping[str, t.Any]) -> str:
        """Encode the values that are not URL variables as a query string."""
        items = _query_items(query_vars)
        if self.map.sort_parameters:
            items = sorted(items, key=self.map.sort_key)
        return _encode_query(items)

    def _builder(self, append_unknown: bool) -> t.Callable[..., tuple[str, str] | None]:
        """The generated URL builder, made on first use."""
        if append_unknown:
            if self._build_unknown is None:
                self._build_unknown = _builder_for(self, True)
            return self._build_unknown
        if self._build is None:
            self._build = _builder_for(self, False)
        return self._build

    def build(self, values: t.Mapping[str, t.Any], append_unknown: bool = True) -> tuple[str, str] | None:
        """Build ``(domain_part, path_with_query)`` from ``values``.

        Returns ``None`` when the values do not suit the rule (a variable is
        missing, a default differs) or a converter raises
        :class:`ValidationError`.
        """
        try:
            return self._builder(append_unknown)(values)
        except ValidationError:
            return None

    @property
    def _build_source(self) -> str:
        """The generated Python source of this rule's URL builder."""
        return _builder_source(self, True)[0]

    def provides_defaults_for(self, rule: Rule) -> bool:
        """Whether this rule is the canonical URL for ``rule``'s matches
        (same endpoint and arguments, and it has defaults)."""
        return bool(
            not self.build_only
            and self.defaults
            and self.endpoint == rule.endpoint
            and self != rule
            and self.arguments == rule.arguments
        )

    def suitable_for(self, values: t.Mapping[str, t.Any], method: str | None = None) -> bool:
        """Whether this rule can build a URL for ``values`` and ``method``."""
        if method is not None and self.methods is not None and method not in self.methods:
            return False
        defaults = self.defaults or ()
        for key in self.arguments:
            if key not in defaults and key not in values:
                return False
        if defaults:
            for key, value in defaults.items():
                if key in values and value != values[key]:
                    return False
        return True

    def build_compare_key(self) -> tuple[int, int, int]:
        """Sort key for building: main rules before aliases, then rules with
        more arguments, then with more defaults."""
        return (1 if self.alias else 0, -len(self.arguments), -len(self.defaults or ()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._trace == other._trace

    __hash__ = None  # type: ignore[assignment]  # unhashable (equality is by value), as in Werkzeug

    def __str__(self) -> str:
        return self.rule

    def __repr__(self) -> str:
        if self.map is None:
            return f"<{type(self).__name__} (unbound)>"
        shown = "".join(f"<{data}>" if dynamic else data for dynamic, data in self._trace).lstrip("|")
        methods = f" ({', '.join(sorted(self.methods))})" if self.methods is not None else ""
        return f"<{type(self).__name__} {shown!r}{methods} -> {self.endpoint}>"


#: Characters left unquoted in query strings built from extra values.
QUERY_SAFE = "!$'()*,/:;?@"
#: Texts ``quote_plus(text, safe=QUERY_SAFE)`` leaves as they are, but for
#: spaces, which become ``+`` (``+`` itself is not plain: it is quoted).
_QUERY_PLAIN = r"[A-Za-z0-9_.\-~!$'()*,/:;?@ ]*"
_QUERY_PLAIN_RE = re.compile(_QUERY_PLAIN)
#: ``key=value`` where neither needs more than spaces made ``+`` (``=`` is
#: not plain, so the one ``=`` matched is the separator).
_QUERY_PLAIN_PAIR_RE = re.compile(f"{_QUERY_PLAIN}={_QUERY_PLAIN}")
#: Such pairs joined by ``&``.
_QUERY_PLAIN_PAIRS_RE = re.compile(f"{_QUERY_PLAIN}={_QUERY_PLAIN}(?:&{_QUERY_PLAIN}={_QUERY_PLAIN})*")


def _quote_query(text: str | bytes) -> str:
    """``quote_plus(text, safe=QUERY_SAFE)``, without urllib for plain texts."""
    if type(text) is str and _QUERY_PLAIN_RE.fullmatch(text) is not None:
        return text.replace(" ", "+")
    return quote_plus(text, safe=QUERY_SAFE)


def _encode_query(items: list[tuple[t.Any, t.Any]]) -> str:
    """``urlencode(items, safe=QUERY_SAFE)``.

    PERF: URL building spent most of its time in ``urlencode``; keys and
    values are usually short texts and numbers that need no quoting (but
    for spaces), which one regex match over the joined pairs tells
    (:func:`_join_plain`); otherwise each pair is checked, and only the
    texts that need it go through ``quote_plus``.
    """
    pairs = []
    for key, value in items:
        kind = type(value)
        if type(key) is not str or (kind is not str and kind is not int):
            break
        pairs.append(f"{key}={value}")
    else:
        query = _join_plain(pairs)
        if query is not None:
            return query
    plain_pair = _QUERY_PLAIN_PAIR_RE.fullmatch
    parts = []
    for key, value in items:
        kind = type(value)
        if type(key) is str and (kind is str or kind is int):
            # An exact int formats as ``str(value)``.
            pair = f"{key}={value}"
            if plain_pair(pair) is not None:
                parts.append(pair.replace(" ", "+"))
                continue
        if type(key) is not str:
            key = key if isinstance(key, bytes) else str(key)
        if kind is not str:
            value = value if isinstance(value, bytes) else str(value)
        parts.append(f"{_quote_query(key)}={_quote_query(value)}")
    return "&".join(parts)


def _query_items(query_vars: t.Mapping[str, t.Any]) -> list[tuple[str, t.Any]]:
    """Flatten a mapping (lists/tuples give repeated keys), dropping ``None``."""
    items: list[tuple[str, t.Any]] = []
    # PERF: a plain dict (the usual case) has no ``getlist``; asking costs.
    getlist = None if type(query_vars) is dict else getattr(query_vars, "getlist", None)
    for key in query_vars:
        value = getlist(key) if getlist is not None else query_vars[key]
        if isinstance(value, (list, tuple)):
            items.extend((key, v) for v in value if v is not None)
        elif value is not None:
            items.append((key, value))
    return items


def _encode_extra(values: t.Mapping[str, t.Any], arguments: t.Container[str], map: Map) -> str:
    """The query string of the values that are not rule ``arguments``:
    ``rule._encode_query_vars({k: v for k, v in values.items() if k not in
    arguments})`` of a stock :class:`Rule`.

    PERF: the URL builders of stock rules call this.  The usual values (a
    plain dict, as :meth:`MapAdapter.build` passes, of texts and integers,
    or lists of them, unsorted) are joined into ``key=value`` pairs as they
    are read, and one regex match over the whole string tells that nothing
    needs quoting (spaces aside).  Anything else takes the general path.
    ``Map.sort_parameters`` is read on every call, as the general path does.
    """
    if type(values) is dict and not map.sort_parameters:
        pairs: list[str] = []
        for key, value in values.items():
            if key in arguments:
                continue
            kind = type(value)
            if type(key) is not str:
                break
            if kind is str or kind is int:
                pairs.append(f"{key}={value}")
            elif kind is list or kind is tuple:
                for item in value:
                    if type(item) is str or type(item) is int:
                        pairs.append(f"{key}={item}")
                    elif item is not None:
                        break
                else:
                    continue
                break
            elif value is not None:
                break
        else:
            query = _join_plain(pairs)
            if query is not None:
                return query
    elif type(values) is dict:
        # ``_query_items`` of the extra values in one loop, then sorted
        # (stably, as ``sorted`` does) on the values as given.
        items: list[tuple[str, t.Any]] = []
        for key, value in values.items():
            if key in arguments or value is None:
                continue
            if isinstance(value, (list, tuple)):
                items.extend((key, v) for v in value if v is not None)
            else:
                items.append((key, value))
        items.sort(key=map.sort_key)
        return _encode_query(items)
    items = _query_items({k: v for k, v in values.items() if k not in arguments})
    if map.sort_parameters:
        items = sorted(items, key=map.sort_key)
    return _encode_query(items)


def _join_plain(pairs: list[str]) -> str | None:
    """``"&".join(pairs)`` with spaces made ``+`` when every pair is
    ``key=value`` of plain texts, else ``None`` (quoting is needed).

    Each pair has its one ``=`` and no ``&``: one match over the joined
    string (plain pairs joined by ``&``) and the count of ``=`` make sure.
    """
    query = "&".join(pairs)
    if not pairs or (_QUERY_PLAIN_PAIRS_RE.fullmatch(query) is not None and query.count("=") == len(pairs)):
        return query.replace(" ", "+")
    return None


# -- URL builders: generated Python source per rule ------------------------------
#
# Each rule gets a function ``build(values)`` that returns ``(domain, url)``.
# The source depends only on the rule's *shape* (which pieces are static or
# variables, which converters are plain), never on the static text itself:
# texts and converter methods are passed in as globals ``s0``, ``c0``...  So
# rules of the same shape share one compiled code object, which keeps map
# construction cheap.  Example for ``/user/<int:id>/posts``::
#
#     def build(values):
#         if 'id' not in values:
#             return None
#         domain = s0
#         url = s1 + str(n2(values['id'])) + s3
#         if len(values) > 1:
#             query = encode(values, args, url_map)
#             if query:
#                 url += '?' + query
#         return domain, url
#
# ``encode`` is :func:`_encode_extra`, which skips the rule's ``args``.  A
# rule whose class (or instance) overrides ``_encode_query_vars`` gets the
# general form instead: the extra values are collected into a dict first
# (``extra = {k: v for k, v in values.items() if k not in args}``) and
# handed to that method.

_CODE_CACHE: dict[str, t.Any] = {}


def _expression(rule: Rule, pieces: list[_Piece], env: dict[str, t.Any], defaults: t.Mapping[str, t.Any]) -> str:
    """Source of an expression joining the built pieces of a URL part."""
    terms: list[str] = []
    for piece in pieces:
        if piece.text is not None:
            name = f"s{len(env)}"
            env[name] = piece.text
            terms.append(name)
            continue
        converter = rule._converters[piece.name]
        value = f"values[{piece.name!r}]"
        if piece.name in defaults:
            name = f"d{len(env)}"
            env[name] = defaults[piece.name]
            value = f"(values[{piece.name!r}] if {piece.name!r} in values else {name})"
        to_url = _own_to_url(converter)
        if to_url is BaseConverter.to_url:
            # PERF: the plain converter only quotes; call the helper directly.
            terms.append(f"quote(str({value}))")
        elif to_url is NumberConverter.to_url and isinstance(converter, NumberConverter) and not converter.fixed_digits:
            # PERF: a number without padding is just str(int(value)).
            name = f"n{len(env)}"
            env[name] = converter.num_convert
            terms.append(f"str({name}({value}))")
        else:
            name = f"c{len(env)}"
            env[name] = converter.to_url
            terms.append(f"{name}({value})")
    if len(terms) > _MAX_CONCAT_TERMS:
        # ``a + b + c`` nests one level per term in the compiled syntax tree,
        # so a rule of hundreds of parts would overflow the compiler's
        # recursion limit; a tuple stays flat at any length.
        return f"''.join(({', '.join(terms)},))"
    return " + ".join(terms) or "''"


def _own_to_url(converter: BaseConverter) -> t.Any:
    """The converter's ``to_url`` as defined (an instance's own, else its
    class's function), to tell the stock ones the builders inline."""
    # Read as an attribute, not through ``vars()``: on CPython 3.11 making
    # an instance's ``__dict__`` exist slows every later attribute read of
    # that instance.
    method = converter.to_url
    if getattr(method, "__self__", None) is converter:
        return getattr(method, "__func__", method)
    return method


#: Up to this many pieces a part is built with ``+`` (PERF: cheaper than a
#: ``join`` for the short rules of real applications); longer ones with a join.
_MAX_CONCAT_TERMS = 32


def _rule_pieces(rule: Rule) -> tuple[list[_Piece], list[_Piece]]:
    """The domain and path pieces of a bound rule, for the URL builder."""
    domain = (rule.host or "") if rule.map.host_matching else (rule.subdomain or "")
    path = _tokenize(rule.rule, rule.rule)
    if rule.merge_slashes:
        # Built URLs are the canonical ones matching redirects to: runs of
        # slashes in the rule's own text become one (values are left alone).
        path = [p if p.text is None else _Piece(_slash_run_re.sub("/", p.text)) for p in path]
    quoted = [p if p.text is None else _Piece(quote_path(p.text)) for p in path]
    return _tokenize(domain, domain), quoted


_slash_run_re = re.compile("//+")


def _builder_source(rule: Rule, append_unknown: bool) -> tuple[str, dict[str, t.Any]]:
    env: dict[str, t.Any] = {}
    defaults = rule.defaults or {}
    domain_pieces, path_pieces = _rule_pieces(rule)
    domain = _expression(rule, domain_pieces, env, defaults)
    url = _expression(rule, path_pieces, env, defaults)
    lines = ["def build(values):"]
    # Suitability (as in Rule.suitable_for, method aside): every variable
    # without a default is given, and given defaults equal the rule's.
    required = sorted(name for name in rule.arguments if name not in defaults)
    if required:
        missing = " or ".join(f"{name!r} not in values" for name in required)
        lines += [f"    if {missing}:", "        return None"]
    for key in sorted(defaults, key=str):
        name = f"d{len(env)}"
        env[name] = defaults[key]
        lines += [f"    if {key!r} in values and values[{key!r}] != {name}:", "        return None"]
    # Without defaults every argument is in ``values`` (suitable_for
    # checked it), so a longer mapping is the only sign of extra keys.
    limit = len(rule.arguments) if not defaults else 0
    general = append_unknown and not _stock_query_encoding(rule)
    if general:
        lines += [
            "    extra = None",
            f"    if len(values) > {limit}:",
            "        extra = {k: v for k, v in values.items() if k not in args}",
        ]
    lines += [f"    domain = {domain}", f"    url = {url}"]
    if general:
        lines += [
            "    if extra:",
            "        query = encode(extra)",
            "        if query:",
            "            url += '?' + query",
        ]
    elif append_unknown:
        lines += [
            f"    if len(values) > {limit}:",
            "        query = encode(values, args, url_map)",
            "        if query:",
            "            url += '?' + query",
        ]
    lines.append("    return domain, url")
    return "\n".join(lines) + "\n", env


def _stock_query_encoding(rule: Rule) -> bool:
    """Whether ``rule`` encodes extra values with the stock method (neither
    its class nor the instance replaced ``_encode_query_vars``)."""
    # Not ``vars(rule)``: see :func:`_own_to_url`.
    method = rule._encode_query_vars
    return (
        rule._stock_query_encoding
        and getattr(method, "__func__", None) is Rule._encode_query_vars
        and getattr(method, "__self__", None) is rule
    )


def _builder_for(rule: Rule, append_unknown: bool) -> t.Callable[..., tuple[str, str]]:
    """Compile (or reuse the compiled code of) ``rule``'s URL builder."""
    source, env = _builder_source(rule, append_unknown)
    code = _CODE_CACHE.get(source)
    if code is None:
        module = compile(source, f"<url builder for {rule.rule!r}>", "exec")
        code = _CODE_CACHE[source] = next(c for c in module.co_consts if hasattr(c, "co_code"))
    env.update(quote=quote_path, args=rule.arguments)
    if append_unknown and _stock_query_encoding(rule):
        env.update(encode=_encode_extra, url_map=rule.map)
    else:
        env.update(encode=rule._encode_query_vars)
    return FunctionType(code, env, "build")
