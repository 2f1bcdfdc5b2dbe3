"""Parameters inferred from a command function's signature: positional
parameters become arguments, those with defaults ``--options``, and type
hints choose the conversion."""

from __future__ import annotations

import collections.abc as cabc
import inspect
import types
import typing as t

from .params import Argument
from .params import Option
from .params import Parameter
from .utils import MISSING


def _unwrap_optional(hint: t.Any) -> t.Any:
    """``X | None`` / ``Optional[X]`` -> ``X``."""
    origin = t.get_origin(hint)
    union_types: tuple[t.Any, ...] = (t.Union,)
    if hasattr(types, "UnionType"):
        union_types += (types.UnionType,)
    if origin in union_types:
        members = [a for a in t.get_args(hint) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return hint


def _hint_to_type(hint: t.Any) -> tuple[t.Any, bool]:
    """A type hint -> ``(element type, is a list)``."""
    hint = _unwrap_optional(hint)
    origin = t.get_origin(hint)
    if origin in (list, tuple, set, frozenset, cabc.Sequence, cabc.Iterable):
        args = [a for a in t.get_args(hint) if a is not Ellipsis]
        return (args[0] if args else str), True
    if hint in (list, tuple):
        return str, True
    if hint is inspect.Parameter.empty or hint is t.Any:
        return None, False
    return hint, False


def _type_hints(func: t.Callable[..., t.Any]) -> dict[str, t.Any]:
    target = inspect.unwrap(func)
    try:
        return t.get_type_hints(target)
    except Exception:
        # Unresolvable string annotations: use only those already objects.
        raw = getattr(target, "__annotations__", {})
        return {k: v for k, v in raw.items() if not isinstance(v, str)}


def infer_params(func: t.Callable[..., t.Any], declared: cabc.Iterable[str], skip: int = 0) -> list[Parameter]:
    """Parameters for the function's signature parameters that no decorator
    declared: positional ones without a default become arguments (``*args``
    one taking all the rest), those with a default become options.

    :param skip: leading parameters filled by decorators (the context...).
    """
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    hints = _type_hints(func)
    declared = set(declared)
    params: list[Parameter] = []
    for index, p in enumerate(sig.parameters.values()):
        if index < skip or p.name in declared or p.kind is p.VAR_KEYWORD:
            continue
        ty, many = _hint_to_type(hints.get(p.name, inspect.Parameter.empty))
        if p.kind is p.VAR_POSITIONAL:
            params.append(Argument([p.name], nargs=-1, type=ty))
        elif p.default is p.empty and p.kind is not p.KEYWORD_ONLY:
            params.append(Argument([p.name], nargs=-1 if many else 1, type=ty, required=True))
        else:
            params.append(_option_for(p, ty, many))
    return params


def _option_for(p: inspect.Parameter, ty: t.Any, many: bool) -> Option:
    flag = "--" + p.name.replace("_", "-").lower()
    required = p.default is p.empty
    default = MISSING if required else p.default
    if ty is bool or (ty is None and isinstance(default, bool)):
        return Option([f"{flag}/--no-{flag[2:]}", p.name], default=bool(default) if not required else False)
    show = default not in (MISSING, None, (), [], "")
    if many:
        default = tuple(default) if isinstance(default, (list, tuple)) else default
        return Option([flag, p.name], type=ty, multiple=True, default=default, required=required, show_default=show)
    return Option([flag, p.name], type=ty, default=default, required=required, show_default=show)
