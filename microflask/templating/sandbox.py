"""A sandboxed environment: the one safe way to render untrusted templates.

Theory of operation: a template reaches Python objects only through four
doors, and the sandbox guards each of them. Attribute and item lookups go
through :meth:`SandboxedEnvironment.getattr` / :meth:`~SandboxedEnvironment.getitem`,
which refuse private and internal attributes (anything starting with ``_``,
function globals and code, generator/coroutine frames, ``type.mro``...) by
returning an undefined that raises :class:`SecurityError` when used. Calls go
through :meth:`SandboxedEnvironment.call` (the compiler emits it instead of
``context.call`` for a sandboxed environment), which refuses callables marked
:func:`unsafe` or ``alters_data``. ``str.format`` and ``format_map`` would
otherwise walk attributes on their own (``"{0.__class__}".format(x)``): both
the lookup (a bound ``format`` method is replaced by a wrapper) and the call
(a ``format`` method reached any other way is recognised) run the format with
a formatter whose every field access goes through the sandboxed lookups.
Operators are plain Python unless a subclass lists them in
``intercepted_binops``/``intercepted_unops``; only then does the compiler route
them through :meth:`~SandboxedEnvironment.call_binop` / ``call_unop``.
"""

from __future__ import annotations

import operator
import string
import types
import typing as t
from _string import formatter_field_name_split  # type: ignore[import-not-found]  # CPython's private module, no stubs
from collections import abc, deque

from ..markup import Markup, _EscapeFormatter
from .debug import internalcode
from .environment import Environment
from .exceptions import SecurityError

if t.TYPE_CHECKING:
    from .runtime import Context

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: The most items ``range()`` may produce inside the sandbox.
MAX_RANGE = 100000

#: Attributes of functions that are internal (Python 3 keeps them all dunder).
UNSAFE_FUNCTION_ATTRIBUTES: set[str] = set()
#: Attributes of bound methods that are internal (all dunder in Python 3).
UNSAFE_METHOD_ATTRIBUTES: set[str] = set()
#: Generator attributes that lead to frames and code.
UNSAFE_GENERATOR_ATTRIBUTES = {"gi_frame", "gi_code"}
#: Coroutine attributes that lead to frames and code.
UNSAFE_COROUTINE_ATTRIBUTES = {"cr_frame", "cr_code"}
#: Async generator attributes that lead to frames and code.
UNSAFE_ASYNC_GENERATOR_ATTRIBUTES = {"ag_code", "ag_frame"}

# Methods that change an object in place, per container type (the first
# matching row wins: a deque is also a mutable sequence). Stricter than
# Jinja2, which misses deque's ``left`` variants and ``rotate``, the set's
# ``intersection_update`` and ``OrderedDict.move_to_end`` (see docs/sandbox.md).
_MUTABLE_SPEC: tuple[tuple[type, frozenset[str]], ...] = (
    (deque, frozenset((
        "append", "appendleft", "clear", "extend", "extendleft", "pop", "popleft",
        "remove", "rotate", "insert",
    ))),
    (abc.MutableSet, frozenset((
        "add", "clear", "difference_update", "discard", "pop", "remove",
        "symmetric_difference_update", "intersection_update", "update",
    ))),
    (abc.MutableMapping, frozenset(("clear", "pop", "popitem", "setdefault", "update", "move_to_end"))),
    (abc.MutableSequence, frozenset(("append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"))),
)  # fmt: skip

_FORMAT_NAMES = ("format", "format_map")
_DICT_ATTRS = frozenset(dir(dict))


def safe_range(*args: int) -> range:
    """``range()`` refusing more than :data:`MAX_RANGE` items (the sandbox's ``range``)."""
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise OverflowError(
            "Range too big. The sandbox blocks ranges larger than"
            f" MAX_RANGE ({MAX_RANGE})."
        )
    return rng


def unsafe(f: F) -> F:
    """Mark a function or method as not callable from a sandboxed template."""
    f.unsafe_callable = True  # type: ignore[attr-defined]  # a marker attribute (as in Jinja2)
    return f


def is_internal_attribute(obj: t.Any, attr: str) -> bool:
    """True if ``attr`` of ``obj`` is a Python internal no template may touch.

    Dunder names always are; so are every attribute of code, traceback and
    frame objects, ``mro`` of a type, and the frame/code attributes of
    generators, coroutines and async generators.
    """
    cls = type(obj)
    if cls in _ORDINARY_CLASSES:
        return attr.startswith("__")
    if isinstance(obj, types.FunctionType):
        if attr in UNSAFE_FUNCTION_ATTRIBUTES:
            return True
    elif isinstance(obj, types.MethodType):
        if attr in UNSAFE_FUNCTION_ATTRIBUTES or attr in UNSAFE_METHOD_ATTRIBUTES:
            return True
    elif isinstance(obj, type):
        if attr == "mro":
            return True
    elif isinstance(obj, (types.CodeType, types.TracebackType, types.FrameType)):
        return True
    elif isinstance(obj, types.GeneratorType):
        if attr in UNSAFE_GENERATOR_ATTRIBUTES:
            return True
    elif isinstance(obj, types.CoroutineType):
        if attr in UNSAFE_COROUTINE_ATTRIBUTES:
            return True
    elif isinstance(obj, types.AsyncGeneratorType):
        if attr in UNSAFE_ASYNC_GENERATOR_ATTRIBUTES:
            return True
    elif obj.__class__ is cls and len(_ORDINARY_CLASSES) < 1024:
        # none of the kinds above (and not pretending to be one through
        # ``__class__``): every object of this exact class gets the same answer
        _ORDINARY_CLASSES.add(cls)
    return attr.startswith("__")


#: PERF: exact classes seen to be none of the special kinds of
#: :func:`is_internal_attribute` (most lookups are on such plain objects, and
#: for them only the dunder check remains). Decided once per class.
_ORDINARY_CLASSES: set[type] = set()


def modifies_known_mutable(obj: t.Any, attr: str) -> bool:
    """True if ``attr`` is a method that changes ``obj``, a list/dict/set/deque-like.

    Known mutable types are the abstract mutable set, mapping and sequence
    (so ``UserList``, ``UserDict``, ``OrderedDict`` and subclasses count) and
    :class:`collections.deque`. Unknown types answer ``False``.
    """
    for typespec, unsafe_names in _MUTABLE_SPEC:
        if isinstance(obj, typespec):
            return attr in unsafe_names
    return False


def _format_method(callable: t.Any) -> str | None:
    """The string of a bound ``str.format``/``format_map`` method, else ``None``."""
    if not isinstance(callable, (types.MethodType, types.BuiltinMethodType)):
        return None
    if callable.__name__ not in _FORMAT_NAMES:
        return None
    obj = callable.__self__
    if isinstance(obj, str):
        return obj
    return None


def _unbound_format_name(func: t.Any, first: str) -> str | None:
    """``"format"``/``"format_map"`` if ``func`` is the unbound method of ``first``'s class.

    Catches ``str.format(s, ...)`` and ``Markup.format(m, ...)`` (any string
    subclass, MarkupSafe's too) reached through a class the application passed.
    """
    if func is str.format:
        return "format"
    if func is str.format_map:
        return "format_map"
    name = getattr(func, "__name__", None)
    if name in _FORMAT_NAMES and getattr(type(first), name, None) is func:
        return t.cast(str, name)  # one of _FORMAT_NAMES
    return None


class SandboxedFormatter(string.Formatter):
    """``str.format`` whose field lookups (``{0.attr}``, ``{0[key]}``) are sandboxed."""

    def __init__(self, env: SandboxedEnvironment, **kwargs: t.Any) -> None:
        self._env = env
        super().__init__(**kwargs)

    def get_field(self, field_name: str, args: t.Sequence[t.Any], kwargs: t.Mapping[str, t.Any]) -> tuple[t.Any, str]:
        first, rest = formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            if is_attr:
                obj = self._env.getattr(obj, key)
            else:
                obj = self._env.getitem(obj, key)
        return obj, first


class SandboxedEscapeFormatter(SandboxedFormatter, _EscapeFormatter):
    """``Markup.format``: sandboxed lookups and every field escaped."""

    def __init__(self, env: SandboxedEnvironment, escape: t.Callable[[t.Any], Markup]) -> None:
        self._env = env
        _EscapeFormatter.__init__(self, escape)


class SandboxedEnvironment(Environment):
    """An environment whose templates cannot reach Python internals.

    Attribute and item access, calls and (optionally) operators are checked;
    override :meth:`is_safe_attribute`, :meth:`is_safe_callable`,
    :meth:`call_binop` and :meth:`call_unop` to tighten or loosen the policy.
    It does not limit CPU time or memory (see ``docs/sandbox.md``).
    """

    sandboxed = True

    #: Operator symbol -> function, for :meth:`call_binop`.
    default_binop_table: dict[str, t.Callable[[t.Any, t.Any], t.Any]] = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "//": operator.floordiv,
        "**": operator.pow,
        "%": operator.mod,
    }
    #: Operator symbol -> function, for :meth:`call_unop`.
    default_unop_table: dict[str, t.Callable[[t.Any], t.Any]] = {"+": operator.pos, "-": operator.neg}
    #: Binary operators the compiler routes through :meth:`call_binop`
    #: (none by default: operators on plain values are safe and fast).
    intercepted_binops: frozenset[str] = frozenset()
    #: Unary operators the compiler routes through :meth:`call_unop`.
    intercepted_unops: frozenset[str] = frozenset()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = safe_range
        self.binop_table = self.default_binop_table.copy()
        self.unop_table = self.default_unop_table.copy()

    # -- policy hooks ---------------------------------------------------------------------

    def is_safe_attribute(self, obj: t.Any, attr: str, value: t.Any) -> bool:
        """May a template see ``obj.attr`` (whose value is ``value``)?

        By default: not if it starts with an underscore or is internal
        (:func:`is_internal_attribute`).
        """
        return not (attr.startswith("_") or is_internal_attribute(obj, attr))

    def is_safe_callable(self, obj: t.Any) -> bool:
        """May a template call ``obj``? Not if marked :func:`unsafe` or ``alters_data``."""
        return not (getattr(obj, "unsafe_callable", False) or getattr(obj, "alters_data", False))

    def call_binop(self, context: Context, operator: str, left: t.Any, right: t.Any) -> t.Any:
        """Apply a binary operator listed in :attr:`intercepted_binops`."""
        return self.binop_table[operator](left, right)

    def call_unop(self, context: Context, operator: str, arg: t.Any) -> t.Any:
        """Apply a unary operator listed in :attr:`intercepted_unops`."""
        return self.unop_table[operator](arg)

    # -- lookups -----------------------------------------------------------------------------

    def getitem(self, obj: t.Any, argument: t.Any) -> t.Any:
        """``obj[argument]``, falling back to a checked attribute for string keys."""
        try:
            return obj[argument]
        except (TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    value = getattr(obj, argument)
                except AttributeError:
                    pass
                else:
                    return self._checked(obj, argument, value)
        return self.undefined(obj=obj, name=argument)

    def getattr(self, obj: t.Any, attribute: str) -> t.Any:
        """``obj.attribute`` checked by :meth:`is_safe_attribute`, falling back to the item."""
        # PERF: as in the base class, a dict's attributes are fixed, so other
        # names are items (never checked, like every item).
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                pass
        else:
            return self._checked(obj, attribute, value)
        return self.undefined(obj=obj, name=attribute)

    def _checked(self, obj: t.Any, attribute: str, value: t.Any) -> t.Any:
        fmt = self.wrap_str_format(value)
        if fmt is not None:
            return fmt
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def unsafe_undefined(self, obj: t.Any, attribute: str) -> t.Any:
        """The undefined standing for a refused attribute; using it raises :class:`SecurityError`."""
        return self.undefined(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    # -- str.format ---------------------------------------------------------------------------

    def wrap_str_format(self, value: t.Any) -> t.Callable[..., str] | None:
        """A sandboxed stand-in for a bound ``str.format``/``format_map``, else ``None``."""
        s = _format_method(value)
        if s is None:
            return None
        name = value.__name__

        def wrapper(*args: t.Any, **kwargs: t.Any) -> str:
            return self.format_string(s, args, kwargs, name)

        wrapper.__name__ = name
        wrapper.__qualname__ = f"{type(s).__name__}.{name}"
        wrapper.__doc__ = value.__doc__
        return wrapper

    def format_string(self, s: str, args: tuple[t.Any, ...], kwargs: dict[str, t.Any], format_func: t.Any = None) -> str:
        """Run ``s.format(*args, **kwargs)`` (or ``format_map``) with sandboxed field lookups."""
        formatter: SandboxedFormatter
        if hasattr(s, "__html__"):  # our Markup, or MarkupSafe's
            formatter = SandboxedEscapeFormatter(self, escape=getattr(s, "escape", Markup.escape))
        else:
            formatter = SandboxedFormatter(self)
        name = format_func if isinstance(format_func, str) else getattr(format_func, "__name__", "format")
        if name == "format_map":
            if len(args) != 1 or kwargs:
                if kwargs:
                    raise TypeError("format_map() takes no keyword arguments")
                raise TypeError(f"format_map() takes exactly one argument ({len(args)} given)")
            kwargs = args[0]
            args = ()
        rv = formatter.vformat(s, args, kwargs)
        return type(s)(rv)

    # -- calls ------------------------------------------------------------------------------------

    @internalcode
    def call(__self, __context: Context, __obj: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # noqa: N805
        """Call ``__obj`` from a template, after the sandbox's checks."""
        s = _format_method(__obj)
        if s is not None:
            return __self.format_string(s, args, kwargs, __obj.__name__)
        if args and isinstance(args[0], str):
            name = _unbound_format_name(__obj, args[0])
            if name is not None:
                # ``str.format(s, ...)``: Jinja2 lets this one through unchecked.
                return __self.format_string(args[0], args[1:], kwargs, name)
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        return __context.call(__obj, *args, **kwargs)


class ImmutableSandboxedEnvironment(SandboxedEnvironment):
    """A sandbox that also refuses methods changing lists, dicts, sets and deques.

    See :func:`modifies_known_mutable`.
    """

    def is_safe_attribute(self, obj: t.Any, attr: str, value: t.Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not modifies_known_mutable(obj, attr)


__all__ = [
    "SandboxedEnvironment", "ImmutableSandboxedEnvironment", "SecurityError", "MAX_RANGE",
    "safe_range", "unsafe", "is_internal_attribute", "modifies_known_mutable",
    "SandboxedFormatter", "SandboxedEscapeFormatter",
]  # fmt: skip


# jinja2.sandbox's re-exports
from ..markup import _EscapeFormatter as EscapeFormatter  # noqa: E402
from .runtime import Context as Context  # noqa: E402
from .runtime import Undefined as Undefined  # noqa: E402
