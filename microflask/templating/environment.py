"""The :class:`Environment` (configuration, template cache) and :class:`Template`."""

from __future__ import annotations

import functools
import os
import sys
import types
import typing as t
import weakref
from collections import OrderedDict

from ..markup import Markup, escape, _escape_output
from . import nodes
from .compiler import CodeGenerator, generate
from .debug import rewrite_traceback_stack
from .defaults import DEFAULT_NAMESPACE, DEFAULT_POLICIES
from .exceptions import (
    TemplateNotFound,
    TemplateRuntimeError,
    TemplatesNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from .filters import FILTERS
from .lexer import Lexer, reverse_operators
from .lexer import Token, TokenStream
from .loaders import ModuleLoader, _compiled_module_source
from .parser import Parser
from .async_utils import PLAIN_TYPES, auto_aiter, auto_await, run_sync
from .filters import async_variant_of
from .runtime import (
    BlockReference,
    Context,
    LoopContext,
    Macro,
    Namespace,
    TemplateModule,
    TemplateReference,
    Undefined,
    _PassArg,
    async_loop_context,
    macro_bad_keyword,
    macro_too_many,
    macro_value,
    markup_join,
    missing,
    new_context,
    str_join,
)
from .tests import TESTS

if t.TYPE_CHECKING:
    from .ext import Extension
    from .loaders import BaseLoader

_DICT_ATTRS = frozenset(dir(dict))


class _NoInlineReads:
    """Stands for ``dict`` in a compiled template whose environment overrides
    ``getattr``/``getitem``: no value is of this exact type, so the inline
    reads never apply and every read goes through the environment."""

    __slots__ = ()


def _missing_named(message: str) -> t.Callable[..., t.NoReturn]:
    def fail(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise TemplateRuntimeError(message)

    return fail


def _ns_set(namespace: t.Any, attr: str, value: t.Any) -> None:
    if not isinstance(namespace, Namespace):
        raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
    namespace[attr] = value


def _ns_check(namespace: t.Any) -> t.Any:
    # checked before the value is computed, as in Jinja2
    if not isinstance(namespace, Namespace):
        raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
    return namespace


def _call_with_locals(local_vars: dict[str, t.Any], context: Context, obj: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
    """A call in a ``for`` body or ``block`` that ``set`` variables: as in
    Jinja2, a ``pass_context`` callable gets a context that also holds them."""
    if local_vars:
        kind = _PassArg.from_obj(obj)
        if kind is None and not isinstance(obj, type):
            kind = _PassArg.from_obj(getattr(obj, "__call__", None))
        if kind == "context":
            context = context.derived(local_vars)
    if context.environment.sandboxed:
        return context.environment.call(context, obj, *args, **kwargs)  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment, which has call
    return context.call(obj, *args, **kwargs)


#: Names every generated module sees (besides ``environment`` and filters/tests).
_MODULE_HELPERS: dict[str, t.Any] = {
    "_j_escape": escape,
    "_j_escape_text": _escape_output,
    "_j_str": str,
    "_j_missing": missing,
    "_j_concat": "".join,
    "_j_Macro": Macro,
    "_j_Markup": Markup,
    # builtins under names a template variable or macro argument (a Python
    # parameter of a macro's function) can never shadow
    "_j_type": type,
    "_j_builtin_dict": dict,
    "_j_builtin_getattr": getattr,
    "_j_float": float,
    "_j_slice": slice,
    # PERF: ``_j_new_markup(_j_Markup, text)`` wraps a text known to be an
    # exact ``str`` without running ``Markup.__new__`` (a Python-level call).
    "_j_new_markup": str.__new__,
    "_j_LoopContext": LoopContext,
    "_j_markup_join": markup_join,
    "_j_str_join": str_join,
    "_j_TemplateReference": TemplateReference,
    "_j_BlockReference": BlockReference,
    "_j_TemplateRuntimeError": TemplateRuntimeError,
    "_j_TemplateNotFound": TemplateNotFound,
    "_j_macro_value": macro_value,
    "_j_macro_too_many": macro_too_many,
    "_j_macro_bad_keyword": macro_bad_keyword,
    "_j_ns_set": _ns_set,
    "_j_ns_check": _ns_check,
    "_j_call_lv": _call_with_locals,
    "_j_missing_named": _missing_named,
    "_j_identity": lambda value: value,
    "_j_partial": functools.partial,
    "_j_cond_undefined": Undefined,
    "_j_plain": PLAIN_TYPES,
    "_j_auto_await": auto_await,
    "_j_auto_aiter": auto_aiter,
    "_j_async_loop": async_loop_context,
    "_j_async_variant": async_variant_of,
}


class Environment:
    """Shared configuration of a set of templates, and their loader and cache.

    :param block_start_string: opens a statement (``{%``).
    :param block_end_string: closes a statement (``%}``).
    :param variable_start_string: opens an expression (``{{``).
    :param variable_end_string: closes an expression (``}}``).
    :param comment_start_string: opens a comment (``{#``).
    :param comment_end_string: closes a comment (``#}``).
    :param line_statement_prefix: when set, a line starting with it is a statement.
    :param line_comment_prefix: when set, it starts a comment running to the end of the line.
    :param trim_blocks: drop the first newline after a block tag.
    :param lstrip_blocks: strip spaces and tabs before a block tag at line start.
    :param newline_sequence: the newline written for template newlines.
    :param keep_trailing_newline: keep the source's final newline.
    :param extensions: extension classes or their import paths
        (``"jinja2.ext.i18n"`` names this engine's own extensions).
    :param optimized: accepted for compatibility (no effect).
    :param undefined: the :class:`~.runtime.Undefined` subclass for missing values.
    :param finalize: called on every ``{{ }}`` value before it is output.
    :param autoescape: ``True``/``False`` or a callable taking the template name.
    :param loader: where templates come from.
    :param cache_size: templates kept compiled (0 disables, -1 unlimited).
    :param auto_reload: recompile when the loader says the source changed.
    :param bytecode_cache: a :class:`~.bccache.BytecodeCache` keeping compiled
        templates across processes (used by :meth:`get_template`).
    :param enable_async: compile templates to coroutines (``render_async``,
        ``async for`` over async iterables, awaitable results awaited).
    """

    #: True for :class:`~.sandbox.SandboxedEnvironment` (its compiled templates
    #: route calls through its ``call`` hook).
    sandboxed = False
    #: Joins the rendered pieces (Jinja2's ``Environment.concat``).
    concat = "".join
    #: True for the environments ``Template(source)`` builds behind the scenes.
    shared = False
    #: Template class used by :meth:`from_string` and loaders.
    template_class: type[Template]
    #: Turns a template's AST into Python source.
    code_generator_class: type[CodeGenerator] = CodeGenerator
    #: The render context class (override ``resolve_or_missing`` to supply
    #: variables from elsewhere).
    context_class: type[Context] = Context
    #: True for an environment made by :meth:`overlay`.
    overlayed = False
    #: The environment an overlay was made from.
    linked_to: Environment | None = None
    #: PERF: compiled templates read ``loop.index``/``index0``/``first``/``depth``/
    #: ``depth0`` and call ``loop.cycle(...)`` on a ``for`` loop's own
    #: :class:`~.runtime.LoopContext` directly instead of through :meth:`getattr`
    #: and ``Context.call`` (which would do the same). Decided per class: off
    #: once a subclass overrides :meth:`getattr` or is sandboxed; see
    #: :meth:`_direct_loop_access` for what turns it off per instance.
    _loop_access_direct: t.ClassVar[bool] = True
    #: PERF: compiled templates read ``obj.name`` and ``obj['key']`` (a constant
    #: key) of an exact ``dict`` inline, without calling :meth:`getattr` /
    #: :meth:`getitem`, when the key is in it and these are the stock methods
    #: (which answer exactly that item: a ``dict`` has no instance attributes,
    #: and the compiler leaves out names that are ``dict`` attributes). Decided
    #: per class here, per instance in :meth:`_inline_dict_types`.
    _dict_attrs_inline: t.ClassVar[bool] = True
    _dict_items_inline: t.ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._loop_access_direct = cls.getattr is Environment.getattr and not cls.sandboxed
        cls._dict_attrs_inline = cls.getattr is Environment.getattr
        cls._dict_items_inline = cls.getitem is Environment.getitem

    def _inline_dict_types(self) -> tuple[type, type]:
        """The types a compiled template's inline ``obj.name`` and ``obj['key']``
        reads recognise (see ``_dict_attrs_inline``): ``dict``, or a type
        nothing is an exact instance of when this environment's own
        ``getattr``/``getitem`` (class or instance) must see every read."""
        attrs = dict if self._dict_attrs_inline and "getattr" not in vars(self) else _NoInlineReads
        items = dict if self._dict_items_inline and "getitem" not in vars(self) else _NoInlineReads
        return attrs, items

    def _direct_loop_access(self) -> bool:
        """Whether templates compiled now may use the direct loop access (see
        above): not in async mode, nor with an instance's own ``getattr`` or a
        context class with its own ``call``."""
        return (
            self._loop_access_direct
            and not self.is_async
            and "getattr" not in vars(self)
            and self.context_class.call is Context.call
        )

    def __init__(
        self,
        block_start_string: str = "{%",
        block_end_string: str = "%}",
        variable_start_string: str = "{{",
        variable_end_string: str = "}}",
        comment_start_string: str = "{#",
        comment_end_string: str = "#}",
        line_statement_prefix: str | None = None,
        line_comment_prefix: str | None = None,
        trim_blocks: bool = False,
        lstrip_blocks: bool = False,
        newline_sequence: str = "\n",
        keep_trailing_newline: bool = False,
        extensions: t.Sequence[t.Any] = (),
        optimized: bool = True,
        undefined: type[Undefined] = Undefined,
        finalize: t.Callable[..., t.Any] | None = None,
        autoescape: bool | t.Callable[[str | None], bool] = False,
        loader: BaseLoader | None = None,
        cache_size: int = 400,
        auto_reload: bool = True,
        bytecode_cache: t.Any = None,
        enable_async: bool = False,
    ) -> None:
        if newline_sequence not in ("\n", "\r\n", "\r"):
            raise ValueError("newline_sequence set to unknown line ending string.")
        self.block_start_string = block_start_string
        self.block_end_string = block_end_string
        self.variable_start_string = variable_start_string
        self.variable_end_string = variable_end_string
        self.comment_start_string = comment_start_string
        self.comment_end_string = comment_end_string
        self.line_statement_prefix = line_statement_prefix
        self.line_comment_prefix = line_comment_prefix
        self.trim_blocks = trim_blocks
        self.lstrip_blocks = lstrip_blocks
        self.newline_sequence = newline_sequence
        self.keep_trailing_newline = keep_trailing_newline
        self.undefined: type[Undefined] = undefined
        self.optimized = optimized
        self.finalize = finalize
        self.autoescape = autoescape
        #: Filters by name (``{{ x|name }}``).
        self.filters: dict[str, t.Callable[..., t.Any]] = dict(FILTERS)
        #: Tests by name (``{% if x is name %}``).
        self.tests: dict[str, t.Callable[..., t.Any]] = dict(TESTS)
        #: Variables every template sees.
        self.globals: dict[str, t.Any] = dict(DEFAULT_NAMESPACE)
        #: Settings filters consult (``json.dumps_function``, ``urlize.rel``...).
        self.policies: dict[str, t.Any] = dict(DEFAULT_POLICIES)
        self.loader = loader
        self.cache = _create_cache(cache_size)
        self.auto_reload = auto_reload
        #: Bound extensions by their ``identifier``.
        self.extensions: dict[str, Extension] = load_extensions(self, extensions)
        #: Where loaded templates' compiled code is kept (or ``None``).
        self.bytecode_cache = bytecode_cache
        #: Templates compile to async code (``enable_async``).
        self.is_async = enable_async
        self._lexer_key: tuple[t.Any, ...] | None = None
        self._lexer: Lexer | None = None

    _OVERLAY_OPTIONS = frozenset((
        "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
        "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
        "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "extensions",
        "optimized", "undefined", "finalize", "autoescape", "loader", "cache_size", "auto_reload",
        "bytecode_cache", "enable_async",
    ))  # fmt: skip

    def overlay(self, **options: t.Any) -> Environment:
        """A new environment sharing this one's filters, tests, globals and
        loader, with the given options changed and a cache of its own.

        Takes the constructor's keyword arguments.
        """
        for key in options:
            if key not in self._OVERLAY_OPTIONS:
                raise TypeError(f"Environment.overlay() got an unexpected keyword argument {key!r}")
        rv = object.__new__(type(self))
        rv.__dict__.update(self.__dict__)
        rv.overlayed = True
        rv.linked_to = self
        rv._lexer = None
        extensions = options.pop("extensions", ())
        cache_size = options.pop("cache_size", missing)
        if "enable_async" in options:
            rv.is_async = options.pop("enable_async")
        for key, value in options.items():
            setattr(rv, key, value)
        if rv.newline_sequence not in ("\n", "\r\n", "\r"):
            raise ValueError("newline_sequence set to unknown line ending string.")
        rv.cache = _create_cache(self._cache_size() if cache_size is missing else cache_size)
        rv.extensions = {key: getattr(ext, "bind", lambda env, ext=ext: ext)(rv) for key, ext in self.extensions.items()}
        if extensions:
            add = getattr(rv, "add_extension", None)
            if add is None:
                raise TypeError("microflask.templating does not support Jinja extensions")
            for extension in extensions:
                add(extension)
        return rv

    def _cache_size(self) -> int:
        if self.cache is None:
            return 0
        capacity: int = getattr(self.cache, "capacity", -1)
        return capacity

    def __getstate__(self) -> dict[str, t.Any]:
        state = dict(self.__dict__)
        state["_lexer"] = None  # rebuilt on first use
        return state

    # -- attribute lookup used by compiled templates ------------------------------------

    def getattr(self, obj: t.Any, attribute: str) -> t.Any:
        """``obj.attribute`` in a template: the attribute, else the item, else undefined."""
        # PERF: row dicts are the common case; a dict's attributes are fixed,
        # so skip the doomed ``getattr`` (and its exception) for other names.
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: t.Any, argument: t.Any) -> t.Any:
        """``obj[argument]`` in a template: the item, else the attribute, else undefined."""
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)

    def call_filter(
        self,
        name: str,
        value: t.Any,
        args: t.Sequence[t.Any] | None = None,
        kwargs: t.Mapping[str, t.Any] | None = None,
        context: Context | None = None,
        eval_ctx: t.Any = None,
    ) -> t.Any:
        """Call the filter ``name`` from Python."""
        return self._call_named(self.filters, "filter", name, value, args, kwargs, context, eval_ctx)

    def call_test(
        self,
        name: str,
        value: t.Any,
        args: t.Sequence[t.Any] | None = None,
        kwargs: t.Mapping[str, t.Any] | None = None,
        context: Context | None = None,
        eval_ctx: t.Any = None,
    ) -> t.Any:
        """Call the test ``name`` from Python."""
        return self._call_named(self.tests, "test", name, value, args, kwargs, context, eval_ctx)

    def _call_named(self, table: dict[str, t.Any], kind: str, name: str, value: t.Any, args: t.Any, kwargs: t.Any, context: Context | None, eval_ctx: t.Any) -> t.Any:
        func = table.get(name)
        if func is None:
            raise TemplateRuntimeError(f"No {kind} named {name!r}.")
        args = [value, *(args or ())]
        pass_arg = _PassArg.from_obj(func)
        if pass_arg == "context":
            if context is None:
                raise TemplateRuntimeError(f"Attempted to invoke a context {kind} without context")
            args.insert(0, context)
        elif pass_arg == "eval_context":
            if eval_ctx is None:
                eval_ctx = context.eval_ctx if context is not None else EvalContext(self)
            args.insert(0, eval_ctx)
        elif pass_arg == "environment":
            args.insert(0, self)
        return func(*args, **(kwargs or {}))

    # -- compiling ---------------------------------------------------------------------------

    @property
    def lexer(self) -> Lexer:
        """The lexer for this environment's delimiters and whitespace options."""
        return self._get_lexer()

    def _get_lexer(self) -> Lexer:
        key = (
            self.block_start_string, self.block_end_string, self.variable_start_string,
            self.variable_end_string, self.comment_start_string, self.comment_end_string,
            self.line_statement_prefix, self.line_comment_prefix, self.trim_blocks, self.lstrip_blocks,
            self.newline_sequence, self.keep_trailing_newline,
        )  # fmt: skip
        if self._lexer is None or self._lexer_key != key:
            self._lexer = Lexer(self)
            self._lexer_key = key
        return self._lexer

    # -- extensions ----------------------------------------------------------------------------

    def add_extension(self, extension: str | type[Extension]) -> None:
        """Add an extension (a class or its import path) after creation."""
        self.extensions.update(load_extensions(self, [extension]))

    def extend(self, **attributes: t.Any) -> None:
        """Add attributes to the environment, keeping any it already has (for extensions)."""
        for key, value in attributes.items():
            if not hasattr(self, key):
                setattr(self, key, value)

    def iter_extensions(self) -> t.Iterator[Extension]:
        """The extensions, lowest ``priority`` first."""
        return iter(sorted(self.extensions.values(), key=lambda x: x.priority))

    def preprocess(self, source: str, name: str | None = None, filename: str | None = None) -> str:
        """Run every extension's ``preprocess`` over ``source``."""
        for extension in self.iter_extensions():
            source = extension.preprocess(source, name, filename)
        return source

    def _tokenize(self, source: str, name: str | None, filename: str | None = None, state: str | None = None) -> TokenStream:
        """The token stream the parser reads: preprocessed, lexed, filtered by extensions."""
        if self.extensions:
            source = self.preprocess(source, name, filename)
        if state == "variable":
            # an expression on its own (compile_expression): lexed as the
            # inside of a variable tag, whose delimiters are then dropped
            lexer = self._get_lexer()
            tokens = [Token(*item) for item in lexer.tokeniter(source, name, filename, state="variable")]
        else:
            tokens = self._get_lexer().tokenize(source, name, filename)
        stream = TokenStream(tokens, name, filename)
        if self.extensions:
            for extension in self.iter_extensions():
                stream = extension.filter_stream(stream)  # type: ignore[assignment]  # any token iterable: wrapped below
                if not isinstance(stream, TokenStream):
                    stream = TokenStream(stream, name, filename)
        return stream

    def lex(self, source: str, name: str | None = None, filename: str | None = None) -> t.Iterator[tuple[int, str, str]]:
        """Yield ``(lineno, token_type, value)`` for ``source`` (for debugging).

        Unlike Jinja2, whitespace and comment tokens are not reported and
        extensions' ``preprocess`` does not run; operators have the type
        ``"operator"`` as in Jinja2.
        """
        for token in self._get_lexer().tokenize(str(source), name, filename):
            if token.type == "eof":
                break
            if token.type in reverse_operators:
                yield token.lineno, "operator", token.value
            else:
                yield token.lineno, token.type, str(token.value)

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> nodes.Template:
        """Parse ``source`` into the template AST."""
        try:
            try:
                return Parser(self, source, name, filename).parse()
            except RecursionError:
                raise TemplateSyntaxError("template is nested too deeply", 1, name, filename) from None
        except TemplateSyntaxError as exc:
            exc.source = source
            exc.add_location_note()
            raise

    def compile(
        self, source: str | nodes.Template, name: str | None = None, filename: str | None = None, raw: bool = False, defer_init: bool = False
    ) -> t.Any:
        """Compile ``source`` to a code object (or, with ``raw``, to Python source)."""
        python_source, _ = self._generate(source, name, filename)
        if raw:
            return python_source
        return compile(python_source, filename or "<template>", "exec")

    def _generate(self, source: str | nodes.Template, name: str | None, filename: str | None) -> tuple[str, list[tuple[int, int]]]:
        tree = source if isinstance(source, nodes.Template) else self.parse(source, name, filename)
        try:
            try:
                return generate(self, tree, name, filename)
            except RecursionError:
                raise TemplateSyntaxError("template is nested too deeply", 1, name, filename) from None
        except TemplateSyntaxError as exc:
            if isinstance(source, str):
                exc.source = source
            exc.add_location_note()
            raise

    def _compile_template(self, source: str, name: str | None, filename: str | None) -> tuple[types.CodeType, list[int]]:
        python_source, debug_info = self._generate(source, name, filename)
        try:
            code = compile(python_source, filename or "<template>", "exec")
        except (SyntaxError, RecursionError, MemoryError) as exc:
            # e.g. Python's own nesting limits on absurdly nested expressions
            raise TemplateSyntaxError(f"template cannot be compiled: {exc}", 1, name, filename) from None
        line_map = [0] * (python_source.count("\n") + 2)
        for py_line, tpl_line in debug_info:
            if py_line < len(line_map):
                line_map[py_line] = tpl_line
        return code, line_map

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> TemplateExpression:
        """Compile one expression to a callable that evaluates it.

        ``env.compile_expression("foo == 42")(foo=42)`` is ``True``. Calling it
        takes the variables like :meth:`Template.render`; an undefined result
        is ``None`` unless ``undefined_to_none`` is false.
        """
        try:
            parser = Parser(self, source, state="variable")
            expr = parser.parse_expression()
            if not parser.stream.eos:
                raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
            expr.set_environment(self)
            body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
            template = self.from_string(nodes.Template(body, lineno=1))
        except TemplateSyntaxError as exc:
            exc.source = source
            exc.add_location_note()
            raise
        return TemplateExpression(template, undefined_to_none)

    def compile_templates(
        self,
        target: str | os.PathLike[str],
        extensions: t.Collection[str] | None = None,
        filter_func: t.Callable[[str], bool] | None = None,
        zip: str | None = "deflated",
        log_function: t.Callable[[str], None] | None = None,
        ignore_errors: bool = True,
    ) -> None:
        """Compile every template the loader lists into Python modules for a
        :class:`~.loaders.ModuleLoader`.

        :param target: a directory, or the zip file to write (``zip`` is
            ``"deflated"`` or ``"stored"``; ``None`` writes a directory).
        :param extensions: only templates with these file extensions.
        :param filter_func: only templates it accepts.
        :param log_function: called with a line of progress per template.
        :param ignore_errors: log templates that fail to compile instead of raising.
        """
        import zipfile  # lazy on purpose: only this rarely used method writes archives

        if log_function is None:
            log_function = _ignore_log
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        archive: zipfile.ZipFile | None = None
        if zip is not None:
            modes = {"deflated": zipfile.ZIP_DEFLATED, "stored": zipfile.ZIP_STORED}
            archive = zipfile.ZipFile(target, "w", modes[zip])
            log_function(f"Compiling into Zip archive {os.fspath(target)!r}")
        else:
            os.makedirs(target, exist_ok=True)
            log_function(f"Compiling into folder {os.fspath(target)!r}")
        try:
            for name in self.list_templates(extensions, filter_func):
                source, filename, _ = self.loader.get_source(self, name)
                try:
                    module = _compiled_module_source(self, source, name, filename)
                except TemplateSyntaxError as exc:
                    if not ignore_errors:
                        raise
                    log_function(f'Could not compile "{name}": {exc.message}')
                    continue
                module_name = ModuleLoader.get_module_filename(name)
                if archive is not None:
                    info = zipfile.ZipInfo(module_name, (1980, 1, 1, 0, 0, 0))
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, module, archive.compression)
                else:
                    with open(os.path.join(target, module_name), "w", encoding="utf-8") as f:
                        f.write(module)
                log_function(f'Compiled "{name}" as {module_name}')
        finally:
            if archive is not None:
                archive.close()
        log_function("Finished compiling templates")

    # -- loading -----------------------------------------------------------------------------------

    def join_path(self, template: str, parent: str) -> str:
        """Resolve a template name relative to its parent (identity by default)."""
        return template

    def list_templates(
        self, extensions: t.Collection[str] | None = None, filter_func: t.Callable[[str], bool] | None = None
    ) -> list[str]:
        """Names of the templates the loader knows, optionally filtered."""
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        names = self.loader.list_templates()
        if extensions is not None:
            if filter_func is not None:
                raise TypeError("either extensions or filter_func can be passed, but not both")
            exts = tuple(extensions)
            names = [x for x in names if "." in x and x.rsplit(".", 1)[1] in exts]
        elif filter_func is not None:
            names = [x for x in names if filter_func(x)]
        return names

    def _load_template(self, name: str, globals: t.MutableMapping[str, t.Any] | None) -> Template:
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        cache_key = (weakref.ref(self.loader), name)
        if self.cache is not None:
            template: Template | None = self.cache.get(cache_key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        template = self.loader.load(self, name, self.make_globals(globals))
        if self.cache is not None:
            self.cache[cache_key] = template
        return template

    def get_template(
        self, name: str | Template, parent: str | None = None, globals: t.MutableMapping[str, t.Any] | None = None
    ) -> Template:
        """Load (or fetch from the cache) the template ``name``.

        :raises TemplateNotFound: when the loader has no such template.
        """
        if isinstance(name, Template):
            return name
        if isinstance(name, Undefined):
            name._fail_with_undefined_error()
        if parent is not None:
            name = self.join_path(name, parent)
        return self._load_template(name, globals)

    def select_template(
        self,
        names: t.Iterable[str | Template],
        parent: str | None = None,
        globals: t.MutableMapping[str, t.Any] | None = None,
    ) -> Template:
        """Return the first of ``names`` that exists.

        :raises TemplatesNotFound: when none does.
        """
        if isinstance(names, Undefined):
            names._fail_with_undefined_error()
        names = list(names)
        if not names:
            raise TemplatesNotFound(message="Tried to select from an empty list of templates.")
        for name in names:
            if isinstance(name, Template):
                return name
            if parent is not None:
                name = self.join_path(name, parent)
            try:
                return self._load_template(name, globals)
            except (TemplateNotFound, UndefinedError):
                pass
        raise TemplatesNotFound(names)  # type: ignore[arg-type]  # Templates were returned above: only names are left

    def get_or_select_template(
        self,
        template_name_or_list: str | Template | t.Iterable[str | Template],
        parent: str | None = None,
        globals: t.MutableMapping[str, t.Any] | None = None,
    ) -> Template:
        """:meth:`get_template` for a name, :meth:`select_template` for a list."""
        if isinstance(template_name_or_list, (str, Undefined)):
            return self.get_template(template_name_or_list, parent, globals)  # type: ignore[arg-type]  # an Undefined name fails in there, as in Jinja2
        if isinstance(template_name_or_list, Template):
            return template_name_or_list
        return self.select_template(template_name_or_list, parent, globals)

    def from_string(
        self,
        source: str | nodes.Template,
        globals: t.MutableMapping[str, t.Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        """Compile a template from a string (not cached)."""
        cls = template_class or self.template_class
        if isinstance(source, nodes.Template):
            python_source, debug_info = generate(self, source, None, None)
            code = compile(python_source, "<template>", "exec")
            line_map = [0] * (python_source.count("\n") + 2)
            for py_line, tpl_line in debug_info:
                line_map[py_line] = tpl_line
        else:
            code, line_map = self._compile_template(source, None, None)
        return cls._from_code(self, code, line_map, self.make_globals(globals), None, None, None)

    def make_globals(self, d: t.MutableMapping[str, t.Any] | None) -> t.MutableMapping[str, t.Any]:
        """The globals of a template: ``d`` layered over the environment's."""
        from collections import ChainMap

        if d is None:
            d = {}
        return ChainMap(d, self.globals)

    # -- error handling ---------------------------------------------------------------------------

    def handle_exception(self, source: str | None = None) -> t.NoReturn:
        """Re-raise the current exception with template lines in its traceback."""
        exc = sys.exc_info()[1]
        assert exc is not None
        raise rewrite_traceback_stack(exc)


def load_extensions(environment: Environment, extensions: t.Sequence[str | type[Extension]]) -> dict[str, Extension]:
    """Instantiate ``extensions`` (classes or import paths) for ``environment``, by identifier.

    The well-known ``jinja2.ext.*`` paths, and the installed Jinja2's
    built-in extension classes themselves, name this engine's own extensions.
    """
    result = {}
    for extension in extensions:
        if not isinstance(extension, str) and getattr(extension, "identifier", "").startswith("jinja2.ext."):
            # the installed Jinja2's own built-in classes: use ours instead
            extension = extension.identifier
        if isinstance(extension, str):
            from .ext import resolve_extension_name  # cycle: ext imports this module

            extension = resolve_extension_name(extension)
        result[extension.identifier] = extension(environment)
    return result


def _ignore_log(line: str) -> None:
    pass


def _create_cache(size: int) -> _LRUCache | dict[t.Any, t.Any] | None:
    if size == 0:
        return None
    if size < 0:
        return {}
    return _LRUCache(size)


class _LRUCache(OrderedDict[t.Any, t.Any]):
    """A dict that forgets its least recently used entry beyond ``capacity``."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def __reduce__(self) -> tuple[t.Any, ...]:
        return type(self), (self.capacity,), None, None, iter(self.items())

    def get(self, key: t.Any, default: t.Any = None) -> t.Any:
        try:
            value = self[key]
        except KeyError:
            return default
        self.move_to_end(key)
        return value

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.capacity:
            self.popitem(last=False)


class Template:
    """A compiled template. Render it with :meth:`render`, :meth:`generate` or :meth:`stream`.

    Constructing one directly (``Template("Hello {{ name }}")``) compiles the
    source in a shared environment built from the keyword arguments.
    """

    #: The class :class:`Template` (``Template(source)``) builds its shared environments with.
    environment_class: type[Environment] = Environment

    environment: Environment
    globals: t.MutableMapping[str, t.Any]
    name: str | None
    filename: str | None
    blocks: dict[str, t.Callable[[Context], t.Iterator[str]]]
    root_render_func: t.Callable[[Context], t.Iterator[str]]
    _module: TemplateModule | None
    _uptodate: t.Callable[[], bool] | None

    def __new__(
        cls,
        source: str | nodes.Template,
        block_start_string: str = "{%",
        block_end_string: str = "%}",
        variable_start_string: str = "{{",
        variable_end_string: str = "}}",
        comment_start_string: str = "{#",
        comment_end_string: str = "#}",
        line_statement_prefix: str | None = None,
        line_comment_prefix: str | None = None,
        trim_blocks: bool = False,
        lstrip_blocks: bool = False,
        newline_sequence: str = "\n",
        keep_trailing_newline: bool = False,
        extensions: t.Sequence[t.Any] = (),
        optimized: bool = True,
        undefined: type[Undefined] = Undefined,
        finalize: t.Callable[..., t.Any] | None = None,
        autoescape: bool | t.Callable[[str | None], bool] = False,
        enable_async: bool = False,
    ) -> t.Any:
        env = _shared_environment(
            block_start_string, block_end_string, variable_start_string, variable_end_string,
            comment_start_string, comment_end_string, line_statement_prefix, line_comment_prefix,
            trim_blocks, lstrip_blocks, newline_sequence, keep_trailing_newline, tuple(extensions),
            optimized, undefined, finalize, autoescape, enable_async,
        )  # fmt: skip
        return env.from_string(source, template_class=cls)

    @classmethod
    def _from_code(
        cls,
        environment: Environment,
        code: types.CodeType,
        line_map: list[int],
        globals: t.MutableMapping[str, t.Any],
        name: str | None,
        filename: str | None,
        uptodate: t.Callable[[], bool] | None,
    ) -> Template:
        namespace: dict[str, t.Any] = {"environment": environment, "__file__": filename, "_j_line_map": line_map}
        namespace.update(_MODULE_HELPERS)
        namespace["_j_getattr"] = environment.getattr
        namespace["_j_getitem"] = environment.getitem
        namespace["_j_attr_dict"], namespace["_j_item_dict"] = environment._inline_dict_types()
        namespace["_j_undefined"] = environment.undefined
        exec(code, namespace)
        return cls._from_namespace(environment, namespace, globals, name, filename, uptodate)

    @classmethod
    def _from_namespace(
        cls,
        environment: Environment,
        namespace: t.Mapping[str, t.Any],
        globals: t.MutableMapping[str, t.Any],
        name: str | None,
        filename: str | None,
        uptodate: t.Callable[[], bool] | None,
    ) -> Template:
        template: Template = object.__new__(cls)
        template.environment = environment
        template.globals = globals
        template.name = name
        template.filename = filename
        template.blocks = namespace["blocks"]
        template.root_render_func = namespace["root"]
        template._module = None
        template._uptodate = uptodate
        return template

    @classmethod
    def from_module_dict(
        cls, environment: Environment, module_dict: t.MutableMapping[str, t.Any], globals: t.MutableMapping[str, t.Any]
    ) -> Template:
        """A template from the namespace of an executed compiled template: its
        ``root`` and ``blocks`` (as the code of :meth:`Environment.compile`
        defines them), ``name`` and ``__file__`` when present."""
        if "root" not in module_dict or "blocks" not in module_dict:
            raise ValueError("module_dict is not the namespace of a compiled template (no 'root' and 'blocks')")
        return cls._from_namespace(
            environment, module_dict, globals, module_dict.get("name"), module_dict.get("__file__"), None
        )

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: types.CodeType,
        globals: t.MutableMapping[str, t.Any],
        uptodate: t.Callable[[], bool] | None = None,
    ) -> Template:
        """Build a template from a code object made by :meth:`Environment.compile`."""
        return cls._from_code(environment, code, [], globals, None, code.co_filename, uptodate)

    def new_context(
        self, vars: dict[str, t.Any] | None = None, shared: bool = False, locals: t.Mapping[str, t.Any] | None = None
    ) -> Context:
        """A render context over ``vars`` (layered on the globals unless ``shared``)."""
        return new_context(self.environment, self.name, self.blocks, vars, shared, self.globals, locals)

    def render(self, *args: t.Any, **kwargs: t.Any) -> str:
        """Render with the variables given like ``dict(*args, **kwargs)``.

        In an async environment this runs :meth:`render_async` to completion.
        """
        if self.environment.is_async:
            rendered: str = run_sync(self.render_async(*args, **kwargs))
            return rendered
        context = self.new_context(dict(*args, **kwargs))
        try:
            return "".join(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()

    async def render_async(self, *args: t.Any, **kwargs: t.Any) -> str:
        """Render in an async environment (a coroutine)."""
        if not self.environment.is_async:
            raise RuntimeError("The environment was not created with async mode enabled.")
        context = self.new_context(dict(*args, **kwargs))
        try:
            return "".join([piece async for piece in self.root_render_func(context)])  # type: ignore[attr-defined]  # async mode: an async generator function
        except Exception:
            self.environment.handle_exception()

    async def generate_async(self, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[str]:
        """Render piece by piece in an async environment (an async generator)."""
        if not self.environment.is_async:
            raise RuntimeError("The environment was not created with async mode enabled.")
        context = self.new_context(dict(*args, **kwargs))
        try:
            async for piece in self.root_render_func(context):  # type: ignore[attr-defined]  # async mode: an async generator function
                yield piece
        except Exception:
            self.environment.handle_exception()

    async def make_module_async(
        self, vars: dict[str, t.Any] | None = None, shared: bool = False, locals: t.Mapping[str, t.Any] | None = None
    ) -> TemplateModule:
        """:meth:`make_module` for an async environment."""
        context = self.new_context(vars, shared, locals)
        try:
            body = [piece async for piece in self.root_render_func(context)]  # type: ignore[attr-defined]  # async mode: an async generator function
        except Exception:
            self.environment.handle_exception()
        return TemplateModule(self, context, body)

    async def _get_default_module_async(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return await self.make_module_async({k: ctx.parent[k] for k in keys})
        if self._module is None:
            self._module = await self.make_module_async()
        return self._module

    def generate(self, *args: t.Any, **kwargs: t.Any) -> t.Iterator[str]:
        """Render piece by piece (a generator of strings).

        In an async environment the whole output comes as one piece.
        """
        if self.environment.is_async:
            yield self.render(*args, **kwargs)
            return
        context = self.new_context(dict(*args, **kwargs))
        try:
            yield from self.root_render_func(context)
        except Exception:
            self.environment.handle_exception()

    def stream(self, *args: t.Any, **kwargs: t.Any) -> TemplateStream:
        """Like :meth:`generate` but returns a :class:`TemplateStream`."""
        return TemplateStream(self.generate(*args, **kwargs))

    def make_module(
        self, vars: dict[str, t.Any] | None = None, shared: bool = False, locals: t.Mapping[str, t.Any] | None = None
    ) -> TemplateModule:
        """Render once and return the exported names as a module object."""
        if self.environment.is_async:
            raise RuntimeError(
                "Async mode requires a body stream to be passed to a template module."
                " Use the async methods of the API you are using."
            )
        context = self.new_context(vars, shared, locals)
        try:
            body = list(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()
        return TemplateModule(self, context, body)

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        """The cached module, or, when the importing context ``ctx`` has
        globals this template lacks (``globals=`` of the importer), a module
        made afresh with them, as Jinja2 does."""
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module

    @property
    def module(self) -> TemplateModule:
        """The template as a module (rendered once without variables, cached)."""
        if self.environment.is_async:
            raise RuntimeError("Module is not available in async mode.")
        return self._get_default_module()

    def _line_map(self) -> list[int]:
        line_map: list[int] = self.root_render_func.__globals__.get("_j_line_map") or []
        return line_map

    @property
    def debug_info(self) -> list[tuple[int, int]]:
        """``(template line, generated line)`` pairs where the template line changes."""
        pairs: list[tuple[int, int]] = []
        for code_line, template_line in enumerate(self._line_map()):
            if template_line and (not pairs or pairs[-1][0] != template_line):
                pairs.append((template_line, code_line))
        return pairs

    def get_corresponding_lineno(self, lineno: int) -> int:
        """The template line that produced line ``lineno`` of the generated code."""
        line_map = self._line_map()
        lineno = min(lineno, len(line_map) - 1)
        while lineno > 0:
            if line_map[lineno]:
                return line_map[lineno]
            lineno -= 1
        return 1

    @property
    def is_up_to_date(self) -> bool:
        """False when the loader reports a newer source."""
        if self._uptodate is None:
            return True
        return self._uptodate()

    def __repr__(self) -> str:
        name = "memory:" + hex(id(self)) if self.name is None else repr(self.name)
        return f"<{type(self).__name__} {name}>"


Environment.template_class = Template

_SHARED: dict[tuple[t.Any, ...], Environment] = {}


def _shared_environment(*args: t.Any) -> Environment:
    """One environment per distinct ``Template(...)`` configuration."""
    try:
        env = _SHARED.get(args)
        cacheable = True
    except TypeError:  # an unhashable option: build a private environment
        env = None
        cacheable = False
    if env is None:
        names = (
            "block_start_string", "block_end_string", "variable_start_string",
            "variable_end_string", "comment_start_string", "comment_end_string",
            "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
            "newline_sequence", "keep_trailing_newline", "extensions", "optimized",
            "undefined", "finalize", "autoescape", "enable_async",
        )  # fmt: skip
        env = Environment(**dict(zip(names, args)), cache_size=0)
        env.shared = True
        if cacheable and len(_SHARED) < 50:
            _SHARED[args] = env
    return env


class TemplateExpression:
    """An expression compiled by :meth:`Environment.compile_expression`;
    call it with the variables to get the expression's value."""

    def __init__(self, template: Template, undefined_to_none: bool) -> None:
        self._template = template
        self._undefined_to_none = undefined_to_none

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        template = self._template
        context = template.new_context(dict(*args, **kwargs))
        try:
            if template.environment.is_async:
                async def consume_async() -> None:
                    async for _ in template.root_render_func(context):  # type: ignore[attr-defined]  # async mode: an async generator function
                        pass

                run_sync(consume_async())
            else:
                for _ in template.root_render_func(context):
                    pass
        except Exception:
            template.environment.handle_exception()
        rv = context.vars["result"]
        if self._undefined_to_none and isinstance(rv, Undefined):
            rv = None
        return rv


class TemplateStream:
    """Iterates a rendering, optionally in buffered chunks, and can write it to a file."""

    #: Returns the next piece (or chunk, when buffered).
    _next: t.Callable[[], str]

    def __init__(self, gen: t.Iterator[str]) -> None:
        self._gen = gen
        self.disable_buffering()

    def dump(self, fp: str | t.IO[t.Any], encoding: str | None = None, errors: str | None = "strict") -> None:
        """Write the whole output to ``fp`` (a path or a file object)."""
        close = False
        if isinstance(fp, str):
            if encoding is None:
                encoding = "utf-8"
            fp = t.cast(t.IO[t.Any], open(fp, "wb"))  # a binary file: the pieces are encoded below
            close = True
        try:
            if encoding is not None:
                iterable: t.Iterable[t.Any] = (x.encode(encoding, errors) for x in self)  # type: ignore[arg-type]  # errors=None fails as in Jinja2
            else:
                iterable = self
            if hasattr(fp, "writelines"):
                fp.writelines(iterable)
            else:
                for item in iterable:
                    fp.write(item)
        finally:
            if close:
                fp.close()

    def disable_buffering(self) -> None:
        """Yield each piece as the template produces it."""
        self._next = lambda: next(self._gen)
        #: Whether output is grouped into chunks.
        self.buffered = False

    def _buffered_generator(self, size: int) -> t.Iterator[str]:
        buf: list[str] = []
        count = 0
        push = buf.append
        while True:
            try:
                while count < size:
                    piece = next(self._gen)
                    push(piece)
                    if piece:
                        count += 1
            except StopIteration:
                if not count:
                    return
            yield "".join(buf)
            del buf[:]
            count = 0

    def enable_buffering(self, size: int = 5) -> None:
        """Group output into chunks of ``size`` non-empty pieces."""
        if size <= 1:
            raise ValueError("buffer size too small")
        self.buffered = True
        gen = self._buffered_generator(size)
        self._next = lambda: next(gen)

    def __iter__(self) -> TemplateStream:
        return self

    def __next__(self) -> str:
        return self._next()


# -- jinja2.environment's other public names -----------------------------------------------
from .debug import internalcode as internalcode  # noqa: E402
from .defaults import (  # noqa: E402
    BLOCK_END_STRING as BLOCK_END_STRING,
    BLOCK_START_STRING as BLOCK_START_STRING,
    COMMENT_END_STRING as COMMENT_END_STRING,
    COMMENT_START_STRING as COMMENT_START_STRING,
    KEEP_TRAILING_NEWLINE as KEEP_TRAILING_NEWLINE,
    LINE_COMMENT_PREFIX as LINE_COMMENT_PREFIX,
    LINE_STATEMENT_PREFIX as LINE_STATEMENT_PREFIX,
    LSTRIP_BLOCKS as LSTRIP_BLOCKS,
    NEWLINE_SEQUENCE as NEWLINE_SEQUENCE,
    TRIM_BLOCKS as TRIM_BLOCKS,
    VARIABLE_END_STRING as VARIABLE_END_STRING,
    VARIABLE_START_STRING as VARIABLE_START_STRING,
)
# defaults holds these under Jinja2's names without re-exporting them (kept off its own API listing)
from .defaults import DEFAULT_FILTERS as DEFAULT_FILTERS  # type: ignore[attr-defined]  # see above  # noqa: E402
from .defaults import DEFAULT_TESTS as DEFAULT_TESTS  # type: ignore[attr-defined]  # see above  # noqa: E402
from .lexer import get_lexer as get_lexer  # noqa: E402
from .runtime import EvalContext as EvalContext  # noqa: E402
from .utils import LRUCache as LRUCache  # noqa: E402
from .utils import concat as concat  # noqa: E402
from .utils import consume as consume  # noqa: E402
from .utils import import_string as import_string  # noqa: E402

_SPONTANEOUS: dict[t.Any, t.Any] = {}


def get_spontaneous_environment(cls: type[Environment], *args: t.Any) -> Environment:
    """A shared environment of class ``cls`` built from the positional
    ``args`` (one per distinct configuration; ``env.shared`` is true)."""
    key: tuple[type[Environment], tuple[t.Any, ...]] | None = (cls, args)
    try:
        env = _SPONTANEOUS.get(key)
    except TypeError:  # unhashable options: a private one
        env = None
        key = None
    if env is None:
        env = cls(*args)
        env.shared = True
        if key is not None and len(_SPONTANEOUS) < 50:
            _SPONTANEOUS[key] = env
    return env


def create_cache(size: int) -> t.MutableMapping[t.Any, t.Any] | None:
    """The template cache for ``cache_size``: none for 0, unbounded for a
    negative size, else an :class:`LRUCache`."""
    if size == 0:
        return None
    if size < 0:
        return {}
    return LRUCache(size)  # type: ignore[return-value]  # has the mapping methods a cache uses, not the ABC (as Jinja2's)


def copy_cache(cache: t.MutableMapping[t.Any, t.Any] | None) -> t.MutableMapping[t.Any, t.Any] | None:
    """An empty cache of the same kind and size as ``cache``."""
    if cache is None:
        return None
    if isinstance(cache, LRUCache):
        # has the mapping methods a cache uses, not the ABC (see create_cache)
        return t.cast(t.MutableMapping[t.Any, t.Any], LRUCache(cache.capacity))
    if isinstance(cache, _LRUCache):
        return _LRUCache(cache.capacity)
    return {}
