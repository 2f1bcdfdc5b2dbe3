"""Objects the compiled templates use while rendering.

:class:`Context` holds the variables of one render; :class:`LoopContext` is the
``loop`` variable; :class:`Macro` wraps a compiled macro; the :class:`Undefined`
family stands in for missing values; :class:`BlockReference` and
:class:`TemplateReference` implement ``super()`` and ``self``.
"""

from __future__ import annotations

import enum
import types
import typing as t
from collections import ChainMap, abc

from ..markup import Markup, _new_markup, escape, soft_str
from .async_utils import _sync_aiter
from .debug import internalcode
from .exceptions import TemplateNotFound, TemplateRuntimeError, TemplatesNotFound, UndefinedError

if t.TYPE_CHECKING:
    from .environment import Environment

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class _MissingType:
    """The sentinel for "no value" (distinct from ``None``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "missing"

    def __reduce__(self) -> str:
        return "missing"


#: Marks a value that was not found.
missing: t.Any = _MissingType()


class _PassArg(enum.Enum):
    context = enum.auto()
    eval_context = enum.auto()
    environment = enum.auto()

    @classmethod
    def from_obj(cls, obj: t.Any) -> str | None:
        """Return ``context``/``eval_context``/``environment`` for a marked callable."""
        marker = getattr(obj, "jinja_pass_arg", None)
        if marker is None:
            return None
        # also accepts markers made by Jinja2's own decorators (same names)
        return getattr(marker, "name", None)


def pass_context(f: F) -> F:
    """Mark a filter/test/global so it receives the render :class:`Context` first."""
    f.jinja_pass_arg = _PassArg.context  # type: ignore[attr-defined]  # a marker attribute (as in Jinja2)
    return f


def pass_eval_context(f: F) -> F:
    """Mark a callable so it receives the :class:`EvalContext` first."""
    f.jinja_pass_arg = _PassArg.eval_context  # type: ignore[attr-defined]  # a marker attribute (as in Jinja2)
    return f


def pass_environment(f: F) -> F:
    """Mark a callable so it receives the :class:`~.environment.Environment` first."""
    f.jinja_pass_arg = _PassArg.environment  # type: ignore[attr-defined]  # a marker attribute (as in Jinja2)
    return f


class EvalContext:
    """Render-time settings that templates may change (``autoescape`` blocks)."""

    __slots__ = ("environment", "autoescape", "volatile")

    def __init__(self, environment: Environment, template_name: str | None = None) -> None:
        self.environment = environment
        autoescape = environment.autoescape
        if callable(autoescape):
            autoescape = autoescape(template_name)
        #: Whether output is HTML-escaped right now.
        self.autoescape = bool(autoescape)
        #: Whether ``autoescape`` changed at runtime (kept for API parity).
        self.volatile = False

    def save(self) -> dict[str, t.Any]:
        return {"autoescape": self.autoescape, "volatile": self.volatile}

    def revert(self, old: dict[str, t.Any]) -> None:
        self.autoescape = old["autoescape"]
        self.volatile = old["volatile"]


def markup_join(seq: t.Iterable[t.Any]) -> str:
    """Join pieces; if any piece is safe markup the others are escaped."""
    buf = []
    iterator = map(soft_str, seq)
    for arg in iterator:
        buf.append(arg)
        if hasattr(arg, "__html__"):
            return Markup("").join(_chain(buf, iterator))
    return "".join(buf)


def _chain(first: list[t.Any], rest: t.Iterator[t.Any]) -> t.Iterator[t.Any]:
    yield from first
    yield from rest


def str_join(seq: t.Iterable[t.Any]) -> str:
    """Join pieces as plain strings (the ``~`` operator without autoescape)."""
    return "".join(map(str, seq))


#: Callables whose ``__call__`` is a method-wrapper, never marked with ``pass_*``.
_PLAIN_CALLABLES = frozenset(
    (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, types.MethodWrapperType)
)


class Context:
    """The variables of one render: ``parent`` (globals and render arguments)
    under ``vars`` (the template's own top-level assignments)."""

    __slots__ = ("environment", "parent", "vars", "exported_vars", "name", "blocks", "eval_ctx", "globals_keys")

    def __init__(
        self,
        environment: Environment,
        parent: dict[str, t.Any],
        name: str | None,
        blocks: dict[str, t.Callable[[Context], t.Iterator[str]]],
        globals: t.MutableMapping[str, t.Any] | None = None,
    ) -> None:
        self.environment = environment
        #: Read-only base variables (globals and what ``render`` was given).
        self.parent = parent
        #: Variables the template assigned at top level.
        self.vars: dict[str, t.Any] = {}
        #: Names in ``vars`` a module import exposes.
        self.exported_vars: set[str] = set()
        self.name = name
        self.eval_ctx = EvalContext(environment, name)
        #: Block name -> renderers, most derived template first.
        self.blocks = {k: [v] for k, v in blocks.items()}
        self.globals_keys = set() if globals is None else _keys_of(globals)

    def resolve_or_missing(self, key: str) -> t.Any:
        """Return the variable's value or :data:`missing`."""
        if key in self.vars:
            return self.vars[key]
        if key in self.parent:
            return self.parent[key]
        return missing

    def resolve(self, key: str) -> t.Any:
        """Return the variable's value or an undefined object for it."""
        rv = self.resolve_or_missing(key)
        if rv is missing:
            return self.environment.undefined(name=key)
        return rv

    def get(self, key: str, default: t.Any = None) -> t.Any:
        rv = self.resolve_or_missing(key)
        return default if rv is missing else rv

    def __getitem__(self, key: str) -> t.Any:
        rv = self.resolve_or_missing(key)
        if rv is missing:
            raise KeyError(key)
        return rv

    def __contains__(self, key: object) -> bool:
        return key in self.vars or key in self.parent

    def get_exported(self) -> dict[str, t.Any]:
        """The exported top-level variables."""
        return {k: self.vars[k] for k in self.exported_vars}

    def get_all(self) -> dict[str, t.Any]:
        """Every variable as one dict (``vars`` win over ``parent``)."""
        if not self.vars:
            return self.parent
        if not self.parent:
            return self.vars
        return {**self.parent, **self.vars}

    def keys(self) -> t.KeysView[str]:
        return self.get_all().keys()

    def values(self) -> t.ValuesView[t.Any]:
        return self.get_all().values()

    def items(self) -> t.ItemsView[str, t.Any]:
        return self.get_all().items()

    def __iter__(self) -> t.Iterator[str]:
        return iter(self.get_all())

    @internalcode
    def call(__self, __obj: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # noqa: N805
        """Call ``__obj``, first passing the context/eval context/environment if it asks."""
        kind = _PassArg.from_obj(__obj)
        if kind is None and type(__obj) not in _PLAIN_CALLABLES:
            # a callable object may mark its ``__call__`` instead (PERF: the
            # ``__call__`` of functions, methods and builtins is never marked)
            func = getattr(__obj, "__call__", None)
            if func is not None and not isinstance(__obj, type):
                kind = _PassArg.from_obj(func)
        try:
            if kind is None:
                return __obj(*args, **kwargs)
            if kind == "context":
                return __obj(__self, *args, **kwargs)
            if kind == "eval_context":
                return __obj(__self.eval_ctx, *args, **kwargs)
            if kind == "environment":
                return __obj(__self.environment, *args, **kwargs)
            return __obj(*args, **kwargs)
        except StopIteration:
            # as in Jinja2: a StopIteration escaping into a generator would
            # end the rendering silently (or become a RuntimeError)
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")

    def derived(self, locals: dict[str, t.Any] | None = None) -> Context:
        """A new context over everything visible here plus ``locals``, sharing blocks."""
        parent = self.get_all()
        if locals:
            parent = {**parent, **locals}
        context = self.environment.context_class(self.environment, parent, self.name, {})
        context.eval_ctx = self.eval_ctx
        context.blocks.update((k, list(v)) for k, v in self.blocks.items())
        return context

    def super(self, name: str, current: t.Callable[[Context], t.Iterator[str]]) -> t.Any:
        """Return the renderer one level up the inheritance chain from ``current``."""
        try:
            blocks = self.blocks[name]
            index = blocks.index(current) + 1
            blocks[index]
        except LookupError:
            return self.environment.undefined(f"there is no parent block called {name!r}.", name="super")
        return BlockReference(name, self, blocks, index)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.get_all()!r} of {self.name!r}>"


abc.Mapping.register(Context)  # pyright: ignore[reportAttributeAccessIssue]  # typeshed's Mapping hides ABCMeta.register


def _keys_of(globals: t.Mapping[str, t.Any]) -> set[str]:
    """``set(globals)``. PERF: a template's globals are a ``ChainMap`` (its
    own over the environment's), whose keys iterate in Python; the union of
    its maps' keys is the same set, built in C."""
    if type(globals) is ChainMap:
        return set().union(*globals.maps)
    return set(globals)


def _flat_copy(globals: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """``{**globals}``. PERF: for a ``ChainMap`` of plain dicts, updating a
    dict from the last map to the first gives the same keys, in the same
    order, with the same values, without a Python-level lookup per key."""
    if type(globals) is ChainMap:
        maps = globals.maps
        if all(type(m) is dict for m in maps):
            flat: dict[str, t.Any] = {}
            for m in reversed(maps):
                flat.update(m)
            return flat
    return {**globals}


def new_context(
    environment: Environment,
    template_name: str | None,
    blocks: dict[str, t.Callable[[Context], t.Iterator[str]]],
    vars: dict[str, t.Any] | None = None,
    shared: bool = False,
    globals: t.MutableMapping[str, t.Any] | None = None,
    locals: t.Mapping[str, t.Any] | None = None,
) -> Context:
    """Build the context for a render of one template."""
    if vars is None:
        vars = {}
    if shared:
        parent = vars
    else:
        parent = {} if globals is None else _flat_copy(globals)
        if type(vars) is dict:
            parent.update(vars)
        else:
            parent = {**parent, **vars}
    if locals:
        if shared:
            parent = dict(parent)
        for key, value in locals.items():
            if value is not missing:
                parent[key] = value
    return environment.context_class(environment, parent, template_name, blocks, globals=globals)


class BlockReference:
    """``super()`` and ``self.name`` inside templates: one level of a block."""

    __slots__ = ("name", "_context", "_stack", "_depth")

    def __init__(self, name: str, context: Context, stack: list[t.Any], depth: int) -> None:
        self.name = name
        self._context = context
        self._stack = stack
        self._depth = depth

    @property
    def super(self) -> t.Any:
        """The block one level further up."""
        if self._depth + 1 >= len(self._stack):
            return self._context.environment.undefined(
                f"there is no parent block called {self.name!r}.", name="super"
            )
        return BlockReference(self.name, self._context, self._stack, self._depth + 1)

    def __call__(self) -> str:
        if self._context.environment.is_async:
            return self._async_call()  # type: ignore[return-value]  # async mode: the template awaits it
        rv = "".join(self._stack[self._depth](self._context))
        if self._context.eval_ctx.autoescape:
            return Markup(rv)
        return rv

    async def _async_call(self) -> str:
        rv = "".join([piece async for piece in self._stack[self._depth](self._context)])
        if self._context.eval_ctx.autoescape:
            return Markup(rv)
        return rv


class TemplateReference:
    """The ``self`` variable: ``self.blockname()`` renders a block."""

    __slots__ = ("_context",)

    def __init__(self, context: Context) -> None:
        self._context = context

    def __getitem__(self, name: str) -> BlockReference:
        blocks = self._context.blocks[name]
        return BlockReference(name, self._context, blocks, 0)

    def __getattr__(self, name: str) -> BlockReference:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._context.name!r}>"


class LoopContext:
    """The ``loop`` variable of a ``for`` tag.

    ``length``, ``revindex`` and ``last`` need to know the end: the iterable's
    ``len()`` is used when it has one, otherwise the rest is read into a list
    on first use. ``nextitem`` peeks one item ahead.
    """

    __slots__ = ("_iterable", "_iterator", "_after", "_length", "_recurse", "depth0", "index0", "_last_changed", "_current", "_before", "_undefined_cls")

    def __init__(
        self,
        iterable: t.Iterable[t.Any],
        undefined: type[Undefined],
        recurse: t.Callable[..., t.Any] | None = None,
        depth0: int = 0,
    ) -> None:
        self._iterable = iterable
        self._iterator = iter(iterable)
        self._after: t.Any = missing
        self._length: int | None = None
        self._recurse = recurse
        #: How deep in a recursive loop (0-based).
        self.depth0 = depth0
        #: The current iteration (0-based).
        self.index0 = -1
        self._last_changed: t.Any = missing
        self._current: t.Any = missing
        self._before: t.Any = missing
        self._undefined_cls = undefined

    def _undefined(self, hint: str) -> Undefined:
        return self._undefined_cls(hint)

    @property
    def length(self) -> int:
        if self._length is not None:
            return self._length
        try:
            self._length = len(self._iterable)  # type: ignore[arg-type]  # TypeError for an unsized one, caught
        except TypeError:
            rest = list(self._iterator)
            self._iterator = iter(rest)
            self._length = self.index0 + 1 + len(rest) + (self._after is not missing)
        return self._length

    def __len__(self) -> int:
        return self.length

    @property
    def depth(self) -> int:
        return self.depth0 + 1

    @property
    def index(self) -> int:
        return self.index0 + 1

    @property
    def revindex0(self) -> int:
        return self.length - self.index0 - 1

    @property
    def revindex(self) -> int:
        return self.length - self.index0

    @property
    def first(self) -> bool:
        return self.index0 == 0

    def _peek_next(self) -> t.Any:
        if self._after is missing:
            self._after = next(self._iterator, missing)
        return self._after

    @property
    def last(self) -> bool:
        # PERF: ``_peek_next`` inlined (``loop.last`` is read on every pass of many loops)
        after = self._after
        if after is missing:
            after = self._after = next(self._iterator, missing)
        return after is missing

    @property
    def previtem(self) -> t.Any:
        if self.first:
            return self._undefined("there is no previous item")
        return self._before

    @property
    def nextitem(self) -> t.Any:
        rv = self._peek_next()
        if rv is missing:
            return self._undefined("there is no next item")
        return rv

    def cycle(self, *args: t.Any) -> t.Any:
        """Return the argument at ``index0`` modulo the number of arguments."""
        if not args:
            raise TypeError("no items for cycling given")
        return args[self.index0 % len(args)]

    def changed(self, *value: t.Any) -> bool:
        """True when the arguments differ from the previous call's."""
        if self._last_changed != value:
            self._last_changed = value
            return True
        return False

    def __iter__(self) -> LoopContext:
        return self

    def __next__(self) -> t.Any:
        if self._after is not missing:
            rv = self._after
            self._after = missing
        else:
            rv = next(self._iterator)
        self.index0 += 1
        self._before = self._current
        self._current = rv
        return rv

    def __call__(self, iterable: t.Iterable[t.Any]) -> str:
        """Render the loop body again for ``iterable`` (``recursive`` loops)."""
        if self._recurse is None:
            raise TypeError("The loop must have the 'recursive' marker to be called recursively.")
        rendered: str = self._recurse(iterable, self._recurse, depth=self.depth)
        return rendered

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.index}/{self.length}>"


class AsyncLoopContext(LoopContext):
    """The ``loop`` variable in async mode: iterated with ``async for``.

    Built by :func:`async_loop_context`, which reads an async iterable into a
    list first so that ``length``, ``last`` and ``nextitem`` stay plain
    attributes.
    """

    __slots__ = ()

    def __aiter__(self) -> t.AsyncIterator[t.Any]:
        return _sync_aiter(self)


async def async_loop_context(
    iterable: t.Any, undefined: type[Undefined], recurse: t.Callable[..., t.Any] | None = None, depth0: int = 0
) -> AsyncLoopContext:
    """The ``loop`` of an async ``for`` over a sync or async iterable."""
    if hasattr(iterable, "__aiter__"):
        iterable = [item async for item in iterable]
    return AsyncLoopContext(iterable, undefined, recurse, depth0)


class Macro:
    """A compiled ``{% macro %}`` (or a ``caller`` of a ``call`` block).

    As in Jinja2, the output is :class:`~microflask.markup.Markup` when the
    code calling the macro autoescapes: template code passes its eval
    context first (``Context.call`` does so for this class's
    ``jinja_pass_arg`` marker; compiled templates call ``_func`` and wrap
    its text themselves, see :func:`macro_value`); a call from Python gets
    the autoescaping of the place the macro was defined.

    :param func: the generated Python function; it takes the macro's arguments
        by name (missing ones get :data:`missing`) and returns the output text.
    :param default_autoescape: whether a call from Python gets ``Markup``
        (default: the environment's ``autoescape`` for a template without a name).
    """

    __slots__ = (
        "_environment", "_func", "name", "arguments", "catch_kwargs", "catch_varargs", "caller",
        "_default_autoescape", "__weakref__",
    )  # fmt: skip
    jinja_pass_arg = _PassArg.eval_context

    def __init__(
        self,
        environment: Environment,
        func: t.Callable[..., t.Any],
        name: str,
        arguments: list[str],
        catch_kwargs: bool,
        catch_varargs: bool,
        caller: bool,
        default_autoescape: bool | None = None,
    ) -> None:
        self._environment = environment
        self._func = func
        self.name = name
        self.arguments = tuple(arguments)
        self.catch_kwargs = catch_kwargs
        self.catch_varargs = catch_varargs
        self.caller = caller
        if default_autoescape is None:
            autoescape = environment.autoescape
            default_autoescape = bool(autoescape(None) if callable(autoescape) else autoescape)
        self._default_autoescape = default_autoescape

    @internalcode
    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        # PERF: the generated function has a real Python signature, so the
        # interpreter does the argument binding; Jinja's rules for extra
        # arguments are checked inside it.
        if args and isinstance(args[0], EvalContext):
            autoescape = args[0].autoescape
            args = args[1:]
        else:
            autoescape = self._default_autoescape
        if kwargs and not self.catch_kwargs:
            self._check_keywords(args, kwargs)
        rv = self._func(*args, **kwargs)
        if self._environment.is_async:
            return _marked_async(rv, autoescape)
        return Markup(rv) if autoescape else rv

    def _check_keywords(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> None:
        """Refuse, as Jinja2 does (before too many positional arguments), a
        keyword the macro does not take or an argument it already got by
        position."""
        # the keywords ``func`` takes (it takes no others: not ``catch_kwargs``)
        keywords = self.arguments + (("caller",) if self.caller else ())
        given = self.arguments[: len(args)]
        unexpected = {key: value for key, value in kwargs.items() if key not in keywords or key in given}
        if unexpected:
            macro_bad_keyword(self.name, unexpected)

    def __repr__(self) -> str:
        name = "anonymous" if self.name is None else repr(self.name)
        return f"<{type(self).__name__} {name}>"


async def _marked_async(text: t.Awaitable[t.Any], autoescape: bool) -> t.Any:
    rv = await text
    return Markup(rv) if autoescape else rv


def macro_value(eval_ctx: EvalContext, text: t.Any) -> t.Any:
    """What a macro call in compiled template code gives: the macro's text,
    as :class:`~microflask.markup.Markup` when the calling code autoescapes
    right now (``eval_ctx``), as in Jinja2."""
    if eval_ctx.autoescape:
        if type(text) is str:
            # PERF: what Markup.__new__ does for an exact str, without a Python-level call
            return _new_markup(Markup, text)
        return Markup(text)
    return text


def macro_too_many(name: str, count: int) -> t.NoReturn:
    raise TypeError(f"macro {name!r} takes not more than {count} argument(s)")


def macro_bad_keyword(name: str, kwargs: dict[str, t.Any]) -> t.NoReturn:
    if "caller" in kwargs:
        raise TypeError(f"macro {name!r} was invoked with two values for the special caller argument. This is most likely a bug.")
    raise TypeError(f"macro {name!r} takes no keyword argument {next(iter(kwargs))!r}")


class TemplateModule:
    """What ``{% import %}`` gives: the exported names of a rendered template.

    ``str()`` of it is the template's output.
    """

    def __init__(self, template: t.Any, context: Context, body: list[str]) -> None:
        self._body_stream = body
        self.__dict__.update(context.get_exported())
        self.__name__ = template.name

    def __html__(self) -> Markup:
        return Markup("".join(self._body_stream))

    def __str__(self) -> str:
        return "".join(self._body_stream)

    def __repr__(self) -> str:
        name = "memory:" + hex(id(self)) if self.__name__ is None else repr(self.__name__)
        return f"<{type(self).__name__} {name}>"


# -- undefined ---------------------------------------------------------------------


def object_type_repr(obj: t.Any) -> str:
    """Describe an object's type the way undefined messages do."""
    if obj is None:
        return "None"
    if obj is Ellipsis:
        return "Ellipsis"
    cls = type(obj)
    if cls.__module__ == "builtins":
        return f"{cls.__name__} object"
    return f"{cls.__module__}.{cls.__name__} object"


class Undefined:
    """The value of a missing variable or attribute.

    It prints as an empty string, is false and iterates as empty; most other
    uses raise :class:`~.exceptions.UndefinedError`.

    :param hint: a custom error message.
    :param obj: the object that lacked the attribute/item.
    :param name: the missing name.
    :param exc: the exception class to raise.
    """

    __slots__ = ("_undefined_hint", "_undefined_obj", "_undefined_name", "_undefined_exception")

    def __init__(
        self,
        hint: str | None = None,
        obj: t.Any = missing,
        name: str | None = None,
        exc: type[TemplateRuntimeError] = UndefinedError,
    ) -> None:
        self._undefined_hint = hint
        self._undefined_obj = obj
        self._undefined_name = name
        self._undefined_exception = exc

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is missing:
            return f"{self._undefined_name!r} is undefined"
        if not isinstance(self._undefined_name, str):
            return f"{object_type_repr(self._undefined_obj)} has no element {self._undefined_name!r}"
        return f"{object_type_repr(self._undefined_obj)!r} has no attribute {self._undefined_name!r}"

    @internalcode
    def _fail_with_undefined_error(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise self._undefined_exception(self._undefined_message)

    @internalcode
    def __getattr__(self, name: str) -> t.Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return self._fail_with_undefined_error()

    __add__ = __radd__ = __sub__ = __rsub__ = _fail_with_undefined_error
    __mul__ = __rmul__ = __div__ = __rdiv__ = _fail_with_undefined_error
    __truediv__ = __rtruediv__ = _fail_with_undefined_error
    __floordiv__ = __rfloordiv__ = _fail_with_undefined_error
    __mod__ = __rmod__ = __pos__ = __neg__ = _fail_with_undefined_error
    __call__ = __getitem__ = _fail_with_undefined_error
    __lt__ = __le__ = __gt__ = __ge__ = _fail_with_undefined_error
    __int__ = __float__ = __complex__ = _fail_with_undefined_error
    __pow__ = __rpow__ = _fail_with_undefined_error

    def __eq__(self, other: t.Any) -> bool:
        return type(self) is type(other)

    def __ne__(self, other: t.Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))

    def __str__(self) -> str:
        return ""

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> t.Iterator[t.Any]:
        yield from ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "Undefined"


class ChainableUndefined(Undefined):
    """An undefined whose attributes and items are undefined too (no error)."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)

    def __getattr__(self, name: str) -> t.Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return self

    def __getitem__(self, key: t.Any) -> ChainableUndefined:  # type: ignore[override]  # chains instead of failing
        return self


class DebugUndefined(Undefined):
    """An undefined that prints what was missing, e.g. ``{{ name }}``."""

    __slots__ = ()

    def __str__(self) -> str:
        if self._undefined_hint:
            message = f"undefined value printed: {self._undefined_hint}"
        elif self._undefined_obj is missing:
            message = self._undefined_name  # type: ignore[assignment]  # set whenever the object is missing
        else:
            message = f"no such element: {object_type_repr(self._undefined_obj)}[{self._undefined_name!r}]"
        return f"{{{{ {message} }}}}"


class StrictUndefined(Undefined):
    """An undefined that raises on printing, iterating, testing truth or comparing."""

    __slots__ = ()
    __iter__ = __str__ = __len__ = Undefined._fail_with_undefined_error
    __eq__ = __ne__ = __bool__ = __hash__ = Undefined._fail_with_undefined_error
    __contains__ = Undefined._fail_with_undefined_error


def make_logging_undefined(logger: t.Any = None, base: type[Undefined] = Undefined) -> type[Undefined]:
    """An undefined class that logs to ``logger`` when it is printed, iterated
    or tested for truth (a warning) and when it fails (an error).

    :param logger: a :class:`logging.Logger`; by default one for this module
        writing to stderr.
    :param base: the undefined class to extend (e.g. :class:`StrictUndefined`).
    """
    if logger is None:
        import logging
        import sys

        logger = logging.getLogger(__name__)
        logger.addHandler(logging.StreamHandler(sys.stderr))

    class LoggingUndefined(base):  # type: ignore[valid-type,misc]  # a base chosen at runtime
        __slots__ = ()

        def _fail_with_undefined_error(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:  # type: ignore[misc]  # the base (a dynamic class here) always raises
            try:
                super()._fail_with_undefined_error(*args, **kwargs)
            except self._undefined_exception as e:
                logger.error("Template variable error: %s", e)
                raise

        def __str__(self) -> str:
            logger.warning("Template variable warning: %s", self._undefined_message)
            text: str = super().__str__()
            return text

        def __iter__(self) -> t.Iterator[t.Any]:
            logger.warning("Template variable warning: %s", self._undefined_message)
            items: t.Iterator[t.Any] = super().__iter__()
            return items

        def __bool__(self) -> bool:
            logger.warning("Template variable warning: %s", self._undefined_message)
            truth: bool = super().__bool__()
            return truth

    return LoggingUndefined


def is_undefined(obj: t.Any) -> bool:
    """True for any :class:`Undefined` instance."""
    return isinstance(obj, Undefined)


# -- small globals ---------------------------------------------------------------------


class Namespace:
    """``namespace()``: an object whose attributes ``{% set ns.x = ... %}`` may assign."""

    def __init__(*args: t.Any, **kwargs: t.Any) -> None:  # noqa: N805
        self, args = args[0], args[1:]
        self.__attrs = dict(*args, **kwargs)

    def __getattribute__(self, name: str) -> t.Any:
        if name in {"_Namespace__attrs", "__class__"}:
            return object.__getattribute__(self, name)
        try:
            return self.__attrs[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, name: str, value: t.Any) -> None:
        self.__attrs[name] = value

    def __repr__(self) -> str:
        return f"<Namespace {self.__attrs!r}>"


class Cycler:
    """``cycler(a, b, ...)``: hands out its items in turn with ``next()``."""

    def __init__(self, *items: t.Any) -> None:
        if not items:
            raise RuntimeError("at least one item has to be provided")
        self.items = items
        self.pos = 0

    def reset(self) -> None:
        """Go back to the first item."""
        self.pos = 0

    @property
    def current(self) -> t.Any:
        """The item ``next()`` returns next."""
        return self.items[self.pos]

    def next(self) -> t.Any:
        """Return the current item and advance."""
        rv = self.current
        self.pos = (self.pos + 1) % len(self.items)
        return rv

    __next__ = next


class Joiner:
    """``joiner(sep)``: returns ``''`` on the first call and ``sep`` afterwards."""

    def __init__(self, sep: str = ", ") -> None:
        self.sep = sep
        self.used = False

    def __call__(self) -> str:
        if not self.used:
            self.used = True
            return ""
        return self.sep


def template_not_found(names: list[t.Any]) -> TemplateNotFound:
    return TemplatesNotFound(names)


def identity(x: t.Any) -> t.Any:
    """Return ``x`` unchanged (a no-op filter or finalize)."""
    return x


__all__ = [
    "Context", "LoopContext", "AsyncLoopContext", "Macro", "Undefined", "StrictUndefined",
    "ChainableUndefined", "DebugUndefined", "missing", "escape", "markup_join", "str_join",
    "identity", "Markup", "Namespace", "TemplateReference", "BlockReference",
    "TemplateRuntimeError", "TemplateNotFound", "internalcode", "make_logging_undefined",
    "new_context",
]  # fmt: skip


# -- jinja2.runtime's other public names -----------------------------------------------------
from .async_utils import auto_aiter as auto_aiter  # noqa: E402
from .async_utils import auto_await as auto_await  # noqa: E402

concat = "".join
#: The names Jinja2's generated modules import from the runtime (API compatibility).
exported = [
    "LoopContext", "TemplateReference", "Macro", "Markup", "TemplateRuntimeError", "missing",
    "escape", "markup_join", "str_join", "identity", "TemplateNotFound", "Namespace", "Undefined",
    "internalcode",
]  # fmt: skip
async_exported = ["AsyncLoopContext", "auto_aiter", "auto_await"]
