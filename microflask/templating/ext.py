"""Extensions: the :class:`Extension` base class and the built-in extensions.

An extension adds tags to the parser (``tags`` and :meth:`Extension.parse`,
which reads ``parser.stream`` and returns nodes), may rewrite the source
(:meth:`~Extension.preprocess`) or the token stream
(:meth:`~Extension.filter_stream`), and reaches its own methods from compiled
templates through :meth:`~Extension.attr` / :meth:`~Extension.call_method`.

Built in, under the names Jinja2 uses (``"jinja2.ext.i18n"`` etc. resolve
here even when Jinja2 is installed): ``i18n`` (``{% trans %}`` and the
gettext globals), ``do`` (``{% do expr %}``), ``loopcontrols``
(``{% break %}``, ``{% continue %}``) and ``debug`` (``{% debug %}``).
"""

from __future__ import annotations

import pprint
import re
import typing as t

from ..markup import Markup
from . import nodes
from .exceptions import TemplateAssertionError, TemplateSyntaxError
from .runtime import pass_context
from .utils import import_string

if t.TYPE_CHECKING:
    from .environment import Environment
    from .lexer import TokenStream
    from .parser import Parser
    from .runtime import Context

#: The functions :func:`extract_from_ast` looks for by default.
GETTEXT_FUNCTIONS: tuple[str, ...] = ("_", "gettext", "ngettext", "pgettext", "npgettext")

_WHITESPACE_AROUND_NEWLINES = re.compile(r"\s*\n\s*")


class Extension:
    """Base class of extensions.

    Subclasses set :attr:`tags` and implement :meth:`parse` to add tags. An
    instance is bound to one environment; :meth:`bind` makes a copy for
    another one (overlays).
    """

    #: The tags the extension parses.
    tags: set[str] = set()
    #: Extensions run (``preprocess``, ``filter_stream``) lowest first.
    priority = 100
    #: ``"module.ClassName"``: the key in ``environment.extensions``.
    identifier: t.ClassVar[str]

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.identifier = f"{cls.__module__}.{cls.__name__}"

    def __init__(self, environment: Environment) -> None:
        self.environment = environment

    def bind(self, environment: Environment) -> Extension:
        """A copy of this extension bound to ``environment``."""
        copy = object.__new__(self.__class__)
        copy.__dict__.update(self.__dict__)
        copy.environment = environment
        return copy

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """Rewrite the template source before it is lexed (unchanged by default)."""
        return source

    def filter_stream(self, stream: TokenStream) -> TokenStream | t.Iterable[t.Any]:
        """Rewrite the token stream (an iterable of tokens); unchanged by default."""
        return stream

    def parse(self, parser: Parser) -> nodes.Node | list[nodes.Node]:
        """Parse one of :attr:`tags`; the stream is on the tag's name.

        Return a node or a list of nodes. An extension without tags need not
        implement it.
        """
        raise NotImplementedError(f"{type(self).__name__} defines tags but no parse() method")

    def attr(self, name: str, lineno: int | None = None) -> nodes.ExtensionAttribute:
        """A node reading the attribute ``name`` of this extension at render time."""
        return nodes.ExtensionAttribute(self.identifier, name, lineno=lineno)

    def call_method(
        self,
        name: str,
        args: list[nodes.Expr] | None = None,
        kwargs: list[nodes.Keyword] | None = None,
        dyn_args: nodes.Expr | None = None,
        dyn_kwargs: nodes.Expr | None = None,
        lineno: int | None = None,
    ) -> nodes.Call:
        """A node calling the method ``name`` of this extension at render time."""
        return nodes.Call(
            self.attr(name, lineno=lineno), args or [], kwargs or [], dyn_args, dyn_kwargs, lineno=lineno
        )


# -- i18n ------------------------------------------------------------------------------


@pass_context
def _gettext_alias(__context: Context, *args: t.Any, **kwargs: t.Any) -> t.Any:
    """``_()`` in templates: whatever ``gettext`` currently is."""
    return __context.call(__context.resolve("gettext"), *args, **kwargs)


def _finish(context: Context, value: str, variables: dict[str, t.Any]) -> str:
    if context.eval_ctx.autoescape:
        value = Markup(value)
    return value % variables


def _make_new_gettext(func: t.Callable[[str], str]) -> t.Callable[..., str]:
    @pass_context
    def gettext(__context: Context, __string: str, **variables: t.Any) -> str:
        return _finish(__context, __context.call(func, __string), variables)

    return gettext


def _make_new_ngettext(func: t.Callable[[str, str, int], str]) -> t.Callable[..., str]:
    @pass_context
    def ngettext(__context: Context, __singular: str, __plural: str, __num: int, **variables: t.Any) -> str:
        variables.setdefault("num", __num)
        return _finish(__context, __context.call(func, __singular, __plural, __num), variables)

    return ngettext


def _make_new_pgettext(func: t.Callable[[str, str], str]) -> t.Callable[..., str]:
    @pass_context
    def pgettext(__context: Context, __string_ctx: str, __string: str, **variables: t.Any) -> str:
        variables.setdefault("context", __string_ctx)
        return _finish(__context, __context.call(func, __string_ctx, __string), variables)

    return pgettext


def _make_new_npgettext(func: t.Callable[[str, str, str, int], str]) -> t.Callable[..., str]:
    @pass_context
    def npgettext(
        __context: Context, __string_ctx: str, __singular: str, __plural: str, __num: int, **variables: t.Any
    ) -> str:
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        value = __context.call(func, __string_ctx, __singular, __plural, __num)
        return _finish(__context, value, variables)

    return npgettext


class InternationalizationExtension(Extension):
    """``{% trans %}`` blocks and the ``gettext`` family of template globals.

    Adds to the environment: ``install_gettext_translations``,
    ``install_null_translations``, ``install_gettext_callables``,
    ``uninstall_gettext_translations``, ``extract_translations`` and the
    ``newstyle_gettext`` flag; and the global ``_``.
    """

    tags = {"trans"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["_"] = _gettext_alias
        environment.extend(
            install_gettext_translations=self._install,
            install_null_translations=self._install_null,
            install_gettext_callables=self._install_callables,
            uninstall_gettext_translations=self._uninstall,
            extract_translations=self._extract,
            newstyle_gettext=False,
        )

    # -- installing translations --------------------------------------------------------

    def _install(self, translations: t.Any, newstyle: bool | None = None) -> None:
        gettext = getattr(translations, "ugettext", None) or translations.gettext
        ngettext = getattr(translations, "ungettext", None) or translations.ngettext
        pgettext = getattr(translations, "pgettext", None)
        npgettext = getattr(translations, "npgettext", None)
        self._install_callables(gettext, ngettext, newstyle=newstyle, pgettext=pgettext, npgettext=npgettext)

    def _install_null(self, newstyle: bool | None = None) -> None:
        import gettext

        self._install(gettext.NullTranslations(), newstyle)

    def _install_callables(
        self,
        gettext: t.Callable[[str], str],
        ngettext: t.Callable[[str, str, int], str],
        newstyle: bool | None = None,
        pgettext: t.Callable[[str, str], str] | None = None,
        npgettext: t.Callable[[str, str, str, int], str] | None = None,
    ) -> None:
        if newstyle is not None:
            self.environment.newstyle_gettext = newstyle  # type: ignore[attr-defined]  # the i18n extension adds this option
        if self.environment.newstyle_gettext:  # type: ignore[attr-defined]  # the i18n extension adds this option
            gettext = _make_new_gettext(gettext)
            ngettext = _make_new_ngettext(ngettext)
            if pgettext is not None:
                pgettext = _make_new_pgettext(pgettext)
            if npgettext is not None:
                npgettext = _make_new_npgettext(npgettext)
        self.environment.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)

    def _uninstall(self, translations: t.Any = None) -> None:
        for key in ("gettext", "ngettext", "pgettext", "npgettext"):
            self.environment.globals.pop(key, None)

    def _extract(
        self, source: str | nodes.Template, gettext_functions: t.Sequence[str] = GETTEXT_FUNCTIONS
    ) -> t.Iterator[tuple[int, str, str | None | tuple[str | None, ...]]]:
        if isinstance(source, str):
            source = self.environment.parse(source)
        return extract_from_ast(source, gettext_functions)

    # -- parsing ------------------------------------------------------------------------------

    def parse(self, parser: Parser) -> nodes.Node | list[nodes.Node]:
        """Parse ``{% trans [context] [trimmed|notrimmed] [vars] %}...{% endtrans %}``."""
        stream = parser.stream
        lineno = next(stream).lineno
        context_token = stream.next_if("string")
        context = context_token.value if context_token is not None else None
        variables: dict[str, nodes.Node] = {}
        plural_expr: nodes.Node | None = None
        count_assignment: nodes.Assign | None = None
        num_called_num = False
        trimmed: bool | None = None
        while stream.current.type != "block_end":
            if variables:
                stream.expect("comma")
            if stream.skip_if("colon"):
                break
            token = stream.expect("name")
            if token.value in variables:
                parser.fail(f"translatable variable {token.value!r} defined twice.", token.lineno, TemplateAssertionError)
            if stream.current.type == "assign":
                next(stream)
                value = parser.parse_expression()
            elif trimmed is None and token.value in ("trimmed", "notrimmed"):
                trimmed = token.value == "trimmed"
                continue
            else:
                value = nodes.Name(token.value, "load")
            variables[token.value] = value
            if plural_expr is None:
                if isinstance(value, nodes.Call):
                    # evaluate a call once, though it is both the count and a variable
                    holder = parser.free_identifier(token.lineno)
                    count_assignment = nodes.Assign(holder, value, lineno=token.lineno)
                    variables[token.value] = plural_expr = holder
                else:
                    plural_expr = value
                num_called_num = token.value == "num"
        stream.expect("block_end")

        referenced: list[str] = []
        singular_names, singular = self._parse_block(parser, True)
        referenced.extend(singular_names)
        if singular_names and plural_expr is None:
            plural_expr = nodes.Name(singular_names[0], "load")
            num_called_num = singular_names[0] == "num"
        plural = None
        have_plural = False
        if stream.current.test("name:pluralize"):
            have_plural = True
            next(stream)
            if stream.current.type != "block_end":
                token = stream.expect("name")
                if token.value not in variables:
                    parser.fail(f"unknown variable {token.value!r} for pluralization", token.lineno, TemplateAssertionError)
                plural_expr = variables[token.value]
                num_called_num = token.value == "num"
            stream.expect("block_end")
            plural_names, plural = self._parse_block(parser, False)
            referenced.extend(plural_names)
        next(stream)  # the ``endtrans`` name

        for name in referenced:
            if name not in variables:
                variables[name] = nodes.Name(name, "load")
        if not have_plural:
            plural_expr = None
        elif plural_expr is None:
            parser.fail("pluralize without variables", lineno)
        if trimmed is None:
            trimmed = bool(self.environment.policies.get("ext.i18n.trimmed", False))
        if trimmed:
            singular = self._trim_whitespace(singular)
            if plural is not None:
                plural = self._trim_whitespace(plural)
        node = self._make_node(
            singular, plural, context, variables, plural_expr, bool(referenced), num_called_num and have_plural
        )
        node.set_lineno(lineno)
        if count_assignment is not None:
            return [count_assignment, node]
        return node

    @staticmethod
    def _trim_whitespace(text: str) -> str:
        return _WHITESPACE_AROUND_NEWLINES.sub(" ", text.strip())

    @staticmethod
    def _parse_block(parser: Parser, allow_pluralize: bool) -> tuple[list[str], str]:
        """Read a trans body up to ``pluralize``/``endtrans`` as a ``%(name)s`` format string."""
        stream = parser.stream
        referenced: list[str] = []
        parts: list[str] = []
        while True:
            token = stream.current
            if token.type == "data":
                parts.append(token.value.replace("%", "%%"))
                next(stream)
            elif token.type == "variable_begin":
                next(stream)
                name = stream.expect("name").value
                referenced.append(name)
                parts.append(f"%({name})s")
                stream.expect("variable_end")
            elif token.type == "block_begin":
                next(stream)
                tag = stream.current.value if stream.current.type == "name" else None
                if tag == "endtrans":
                    break
                if tag == "pluralize":
                    if allow_pluralize:
                        break
                    parser.fail("a translatable section can have only one pluralize section")
                if tag == "trans":
                    parser.fail("trans blocks can't be nested; did you mean `endtrans`?")
                parser.fail(f"control structures in translatable sections are not allowed; saw `{tag}`")
            elif stream.eos:
                parser.fail("unclosed translation block")
            else:
                parser.fail(f"unexpected {token.describe()!r} in translatable section")
        return referenced, "".join(parts)

    def _make_node(
        self,
        singular: str,
        plural: str | None,
        context: str | None,
        variables: dict[str, nodes.Node],
        plural_expr: nodes.Node | None,
        vars_referenced: bool,
        num_called_num: bool,
    ) -> nodes.Output:
        newstyle = getattr(self.environment, "newstyle_gettext", False)
        if not vars_referenced and not newstyle:
            # nothing is %-formatted afterwards, so undo the escaping
            singular = singular.replace("%%", "%")
            if plural is not None:
                plural = plural.replace("%%", "%")
        func_name = "gettext"
        args: list[nodes.Node] = [nodes.Const(singular)]
        if context is not None:
            args.insert(0, nodes.Const(context))
            func_name = "p" + func_name
        if plural_expr is not None:
            func_name = "n" + func_name
            args.extend((nodes.Const(plural), plural_expr))
        node: nodes.Expr = nodes.Call(nodes.Name(func_name, "load"), args, [], None, None)
        if newstyle:
            for key, value in variables.items():
                if num_called_num and key == "num":
                    continue  # ngettext passes the count as ``num`` itself
                node.kwargs.append(nodes.Keyword(key, value))  # type: ignore[attr-defined]  # still the Call built above
        else:
            # Markup % values escapes the values when autoescaping
            node = nodes.MarkSafeIfAutoescape(node)
            if variables:
                pairs = [nodes.Pair(nodes.Const(key), value) for key, value in variables.items()]
                node = nodes.Mod(node, nodes.Dict(pairs))
        return nodes.Output([node])


# -- small extensions ---------------------------------------------------------------------


class ExprStmtExtension(Extension):
    """``{% do expr %}``: evaluate an expression for its side effect."""

    tags = {"do"}

    def parse(self, parser: Parser) -> nodes.ExprStmt:
        lineno = next(parser.stream).lineno
        return nodes.ExprStmt(parser.parse_tuple(), lineno=lineno)


class LoopControlExtension(Extension):
    """``{% break %}`` and ``{% continue %}`` inside ``for`` loops."""

    tags = {"break", "continue"}

    def parse(self, parser: Parser) -> nodes.Break | nodes.Continue:
        token = next(parser.stream)
        if "for" not in parser._tag_stack[:-1]:
            parser.fail(f"{token.value!r} outside of a loop", token.lineno)
        if token.value == "break":
            return nodes.Break(lineno=token.lineno)
        return nodes.Continue(lineno=token.lineno)


class DebugExtension(Extension):
    """``{% debug %}``: output the context, filters and tests (pretty-printed)."""

    tags = {"debug"}

    def parse(self, parser: Parser) -> nodes.Output:
        lineno = parser.stream.expect("name", "debug").lineno
        context = nodes.ContextReference()
        call = self.call_method("_render", [context], lineno=lineno)
        return nodes.Output([call], lineno=lineno)

    def _render(self, context: Context) -> str:
        result = {
            "context": context.get_all(),
            "filters": sorted(self.environment.filters.keys()),
            "tests": sorted(self.environment.tests.keys()),
        }
        return pprint.pformat(result, depth=3, compact=True)


#: Jinja2's short names.
i18n = InternationalizationExtension
do = ExprStmtExtension
loopcontrols = LoopControlExtension
debug = DebugExtension

_BUILTIN: dict[str, type[Extension]] = {
    "i18n": InternationalizationExtension,
    "InternationalizationExtension": InternationalizationExtension,
    "do": ExprStmtExtension,
    "ExprStmtExtension": ExprStmtExtension,
    "loopcontrols": LoopControlExtension,
    "LoopControlExtension": LoopControlExtension,
    "debug": DebugExtension,
    "DebugExtension": DebugExtension,
}
_BUILTIN_PREFIXES = ("jinja2.ext.", "jinja2.ext:", f"{__name__}.", f"{__name__}:")


def resolve_extension_name(name: str) -> type[Extension]:
    """The extension class an import path names.

    ``jinja2.ext.i18n`` (and the other Jinja2 built-ins, by short or class
    name, with ``.`` or ``:``) resolve to this module's extensions, so Flask
    applications keep working whether or not Jinja2 is installed.
    """
    for prefix in _BUILTIN_PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            if rest in _BUILTIN:
                return _BUILTIN[rest]
            if prefix.startswith("jinja2"):
                raise AttributeError(f"module 'jinja2.ext' has no attribute {rest!r}")
    extension: type[Extension] = import_string(name)
    return extension


# -- extraction ---------------------------------------------------------------------------


def extract_from_ast(
    ast: nodes.Template,
    gettext_functions: t.Sequence[str] = GETTEXT_FUNCTIONS,
    babel_style: bool = True,
) -> t.Iterator[tuple[int, str, str | None | tuple[str | None, ...]]]:
    """Yield ``(lineno, function, message)`` for each gettext call in ``ast``.

    Each argument that is a string literal gives its string, any other
    argument (including keyword and ``*``/``**`` arguments) gives ``None``.
    With ``babel_style`` a single argument is returned bare and all
    arguments as a tuple; without it the ``None`` entries are dropped and
    calls without string arguments are skipped.
    """
    for call in ast.find_all(nodes.Call):
        func = call.node
        if not isinstance(func, nodes.Name) or func.name not in gettext_functions:
            continue
        strings: list[str | None] = [
            arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else None
            for arg in call.args
        ]
        strings.extend(None for _ in call.kwargs)
        if call.dyn_args is not None:
            strings.append(None)
        if call.dyn_kwargs is not None:
            strings.append(None)
        if babel_style:
            message: str | None | tuple[str | None, ...] = strings[0] if len(strings) == 1 else tuple(strings)
        else:
            message = tuple(x for x in strings if x is not None)
            if not message:
                continue
        yield call.lineno, func.name, message  # type: ignore[misc]  # babel wants a str or tuple of str/None


class _CommentFinder:
    """Finds the translator comment (one starting with a comment tag) for each message.

    The candidates for a message are the comments after the previous
    message's line, up to the end of the message's own line; the nearest
    tagged one wins.
    """

    def __init__(self, comments: list[tuple[int, str]], comment_tags: t.Sequence[str]) -> None:
        self.comments = comments
        self.comment_tags = comment_tags
        self.offset = 0

    def find_comments(self, lineno: int) -> list[str]:
        if not self.comment_tags:
            return []
        end = self.offset
        while end < len(self.comments) and self.comments[end][0] <= lineno:
            end += 1
        candidates = self.comments[self.offset : end]
        self.offset = end
        for _, text in reversed(candidates):
            text = text.strip()
            for tag in self.comment_tags:
                if text.startswith(tag):
                    return [text[len(tag) :].strip()]
        return []


_TRUE = ("1", "on", "yes", "true")


def babel_extract(
    fileobj: t.BinaryIO,
    keywords: t.Sequence[str],
    comment_tags: t.Sequence[str],
    options: dict[str, t.Any],
) -> t.Iterator[tuple[int, str, str | None | tuple[str | None, ...], list[str]]]:
    """A Babel extraction method for templates.

    Register it in Babel's mapping (``[microflask.templating.ext.babel_extract:
    templates/**.html]``) or pass it to ``babel.messages.extract.extract``.
    ``options`` take the environment's delimiters and flags as strings
    (``trim_blocks``, ``line_statement_prefix``...), ``extensions`` (a comma
    separated list), ``encoding``, ``silent`` (default true: skip templates
    that do not parse), ``newstyle_gettext`` and ``trimmed``.
    """
    extensions: list[t.Any] = [InternationalizationExtension]
    for name in options.get("extensions", "").split(","):
        name = name.strip()
        if name:
            extensions.append(resolve_extension_name(name))

    def getbool(key: str, default: bool = False) -> bool:
        return str(options.get(key, str(default))).lower() in _TRUE

    environment = Environment(
        options.get("block_start_string", "{%"),
        options.get("block_end_string", "%}"),
        options.get("variable_start_string", "{{"),
        options.get("variable_end_string", "}}"),
        options.get("comment_start_string", "{#"),
        options.get("comment_end_string", "#}"),
        options.get("line_statement_prefix") or None,
        options.get("line_comment_prefix") or None,
        getbool("trim_blocks"),
        getbool("lstrip_blocks"),
        "\n",
        getbool("keep_trailing_newline"),
        tuple(dict.fromkeys(extensions)),
        cache_size=0,
        auto_reload=False,
    )
    if getbool("trimmed"):
        environment.policies["ext.i18n.trimmed"] = True
    if getbool("newstyle_gettext"):
        environment.newstyle_gettext = True  # type: ignore[attr-defined]  # the i18n extension adds this option

    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    try:
        tree = environment.parse(source)
        comments = environment._get_lexer().comments(source)
    except TemplateSyntaxError:
        if not getbool("silent", True):
            raise
        return
    finder = _CommentFinder(comments, comment_tags)
    for lineno, func, message in extract_from_ast(tree, keywords):
        yield lineno, func, message, finder.find_comments(lineno)


# jinja2.ext's re-exports
from . import defaults as defaults  # noqa: E402
from .environment import Environment as Environment  # noqa: E402
from .runtime import Context as Context  # noqa: E402
from .runtime import Undefined as Undefined  # noqa: E402

concat = "".join
