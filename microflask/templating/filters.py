"""The built-in filters (``{{ value|name(args) }}``), with Jinja2's behaviour."""

from __future__ import annotations

import json
import math
import random as _random
import re
import textwrap
import typing as t
from collections import abc
from itertools import chain
from itertools import groupby
from pprint import pformat
from urllib.parse import quote_from_bytes

from ..markup import Markup
from ..markup import escape
from ..markup import soft_str
from .exceptions import FilterArgumentError
from .exceptions import TemplateRuntimeError
from .runtime import Undefined
from .runtime import _PassArg
from .runtime import pass_context
from .runtime import pass_environment
from .runtime import pass_eval_context
from .urlize import urlize as _urlize

if t.TYPE_CHECKING:
    from .environment import Environment
    from .runtime import Context
    from .runtime import EvalContext

_WORD_RE = re.compile(r"\w+")
_WORD_BEGINNING_SPLIT_RE = re.compile(r"([-\s({\[<]+)")
_ATTR_KEY_INVALID = re.compile(r"[\s/>=]")


# -- helpers ----------------------------------------------------------------------------


def _ignore_case(value: t.Any) -> t.Any:
    return value.lower() if isinstance(value, str) else value


def _identity(value: t.Any) -> t.Any:
    return value


def make_attrgetter(
    environment: Environment,
    attribute: str | int | None,
    postprocess: t.Callable[[t.Any], t.Any] | None = None,
    default: t.Any = None,
) -> t.Callable[[t.Any], t.Any]:
    """A getter for ``attribute`` (dotted paths and integer parts allowed)."""
    parts = _split_attribute(attribute)

    def getter(item: t.Any) -> t.Any:
        for part in parts:
            item = environment.getitem(item, part)
            if default is not None and isinstance(item, Undefined):
                item = default
        if postprocess is not None:
            item = postprocess(item)
        return item

    return getter


def make_multi_attrgetter(
    environment: Environment, attribute: str | int | None, postprocess: t.Callable[[t.Any], t.Any] | None = None
) -> t.Callable[[t.Any], list[t.Any]]:
    """A getter returning a list of values for comma-separated attributes."""
    if isinstance(attribute, str):
        names = attribute.split(",")
    else:
        names = [attribute]  # type: ignore[list-item]  # an int index or None, looked up as is
    getters = [_split_attribute(name) for name in names]

    def getter(item: t.Any) -> list[t.Any]:
        values = []
        for parts in getters:
            value = item
            for part in parts:
                value = environment.getitem(value, part)
            if postprocess is not None:
                value = postprocess(value)
            values.append(value)
        return values

    return getter


def _split_attribute(attribute: str | int | None) -> list[t.Any]:
    if attribute is None:
        return []
    if isinstance(attribute, str):
        return [int(x) if x.isdigit() else x for x in attribute.split(".")]
    return [attribute]


# -- string filters -------------------------------------------------------------------------


def do_forceescape(value: t.Any) -> Markup:
    """Escape even values that are already marked safe."""
    if hasattr(value, "__html__"):
        value = t.cast(t.Any, value).__html__()
    return escape(str(value))


def do_urlencode(value: str | t.Mapping[str, t.Any] | t.Iterable[tuple[str, t.Any]]) -> str:
    """Percent-encode a string (keeping ``/``) or a mapping/pairs as a query string."""
    if isinstance(value, str) or not isinstance(value, abc.Iterable):
        return _url_quote(value)
    pairs: t.Any = value  # a mapping or (key, value) pairs
    items: t.Iterable[tuple[str, t.Any]] = pairs.items() if isinstance(value, dict) else iter(pairs)
    return "&".join(f"{_url_quote(k, for_qs=True)}={_url_quote(v, for_qs=True)}" for k, v in items)


def _url_quote(obj: t.Any, charset: str = "utf-8", for_qs: bool = False) -> str:
    if not isinstance(obj, bytes):
        if not isinstance(obj, str):
            obj = str(obj)
        obj = obj.encode(charset)
    safe = b"" if for_qs else b"/"
    rv = quote_from_bytes(obj, safe)
    if for_qs:
        rv = rv.replace("%20", "+")
    return rv


@pass_eval_context
def do_replace(eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
    """Replace ``old`` with ``new`` (the first ``count`` times if given)."""
    if count is None:
        count = -1
    if not eval_ctx.autoescape:
        return str(s).replace(str(old), str(new), count)
    if (hasattr(old, "__html__") or hasattr(new, "__html__")) and not hasattr(s, "__html__"):
        s = escape(s)
    else:
        s = soft_str(s)
    return s.replace(soft_str(old), soft_str(new), count)


def do_upper(s: str) -> str:
    return soft_str(s).upper()


def do_lower(s: str) -> str:
    return soft_str(s).lower()


def do_capitalize(s: str) -> str:
    return soft_str(s).capitalize()


def do_title(s: str) -> str:
    """Uppercase the first letter of each word (words split on spaces and brackets)."""
    return "".join(
        item[0].upper() + item[1:].lower()
        for item in _WORD_BEGINNING_SPLIT_RE.split(soft_str(s))
        if item
    )


def do_center(value: str, width: int = 80) -> str:
    return soft_str(value).center(width)


def do_trim(value: str, chars: str | None = None) -> str:
    return soft_str(value).strip(chars)


def do_striptags(value: t.Any) -> str:
    """Remove tags and collapse whitespace."""
    if hasattr(value, "__html__"):
        value = t.cast(t.Any, value).__html__()
    return Markup(str(value)).striptags()


def do_wordcount(s: str) -> int:
    return len(_WORD_RE.findall(soft_str(s)))


def do_format(value: str, *args: t.Any, **kwargs: t.Any) -> str:
    """``printf``-style formatting: ``"%s, %s"|format(a, b)``."""
    if args and kwargs:
        raise FilterArgumentError("can't handle positional and keyword arguments at the same time")
    return soft_str(value) % (kwargs or args)


def do_indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Indent every line but the first (and blank lines only if ``blank``)."""
    if isinstance(width, str):
        indention = width
    else:
        indention = " " * width
    newline = "\n"
    if isinstance(s, Markup):
        indention = Markup(indention)
        newline = Markup(newline)
    s += newline  # so a trailing newline survives splitlines()
    if blank:
        rv = (newline + indention).join(s.splitlines())
    else:
        lines = s.splitlines()
        rv = lines.pop(0)
        if lines:
            rv += newline + newline.join(indention + line if line else line for line in lines)
    if first:
        rv = indention + rv
    return rv


@pass_environment
def do_truncate(
    env: Environment, s: str, length: int = 255, killwords: bool = False, end: str = "...", leeway: int | None = None
) -> str:
    """Shorten to ``length`` characters (on a word boundary unless ``killwords``)."""
    if leeway is None:
        policy_leeway: int = env.policies["truncate.leeway"]
        leeway = policy_leeway
    assert length >= len(end), f"expected length >= {len(end)}, got {length}"
    assert leeway >= 0, f"expected leeway >= 0, got {leeway}"
    if len(s) <= length + leeway:
        return s
    if killwords:
        return s[: length - len(end)] + end
    result = s[: length - len(end)].rsplit(" ", 1)[0]
    return result + end


@pass_environment
def do_wordwrap(
    environment: Environment,
    s: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    """Wrap text at ``width`` columns, keeping existing line breaks."""
    if wrapstring is None:
        wrapstring = environment.newline_sequence
    return wrapstring.join(
        wrapstring.join(
            textwrap.wrap(
                line,
                width=width,
                expand_tabs=False,
                replace_whitespace=False,
                break_long_words=break_long_words,
                break_on_hyphens=break_on_hyphens,
            )
        )
        for line in s.splitlines()
    )


def do_filesizeformat(value: str | float | int, binary: bool = False) -> str:
    """Human-readable file size (``13.0 kB``; ``binary`` uses KiB, MiB...)."""
    size = float(value)
    base = 1024 if binary else 1000
    prefixes = (
        ("KiB" if binary else "kB"), ("MiB" if binary else "MB"), ("GiB" if binary else "GB"),
        ("TiB" if binary else "TB"), ("PiB" if binary else "PB"), ("EiB" if binary else "EB"),
        ("ZiB" if binary else "ZB"), ("YiB" if binary else "YB"),
    )  # fmt: skip
    if size == 1:
        return "1 Byte"
    if size < base:
        return f"{int(size)} Bytes"
    unit, prefix = base, prefixes[0]  # (the loop below always runs)
    for i, prefix in enumerate(prefixes):
        unit = base ** (i + 2)
        if size < unit:
            return f"{base * size / unit:.1f} {prefix}"
    return f"{base * size / unit:.1f} {prefix}"


def do_pprint(value: t.Any) -> str:
    return pformat(value)


@pass_eval_context
def do_xmlattr(eval_ctx: EvalContext, d: t.Mapping[str, t.Any], autospace: bool = True) -> str:
    """Render a dict as HTML/XML attributes (skipping ``None`` and undefined values)."""
    items = []
    for key, value in d.items():
        if value is None or isinstance(value, Undefined):
            continue
        if _ATTR_KEY_INVALID.search(key) is not None:
            raise ValueError(f"Invalid character in attribute name: {key!r}")
        items.append(f'{escape(key)}="{escape(value)}"')
    rv = " ".join(items)
    if autospace and rv:
        rv = " " + rv
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv


@pass_eval_context
def do_tojson(eval_ctx: EvalContext, value: t.Any, indent: int | None = None) -> Markup:
    """Serialise to JSON that is safe inside HTML (``< > & '`` are escaped)."""
    policies = eval_ctx.environment.policies
    dumps = policies["json.dumps_function"]
    kwargs = policies["json.dumps_kwargs"]
    if indent is not None:
        kwargs = {**kwargs, "indent": indent}
    return htmlsafe_json_dumps(value, dumps=dumps, **kwargs)


def htmlsafe_json_dumps(obj: t.Any, dumps: t.Callable[..., str] | None = None, **kwargs: t.Any) -> Markup:
    """``json.dumps`` with the HTML-special characters written as ``\\uXXXX``."""
    if dumps is None:
        dumps = json.dumps
    return Markup(
        dumps(obj, **kwargs)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


# -- sequence filters ------------------------------------------------------------------------


@pass_eval_context
def do_join(eval_ctx: EvalContext, value: t.Iterable[t.Any], d: str = "", attribute: str | int | None = None) -> str:
    """Join items with ``d``; with autoescape, unsafe items are escaped."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    if not eval_ctx.autoescape:
        return str(d).join(map(str, value))
    if not hasattr(d, "__html__"):
        value = list(value)
        do_escape = False
        for idx, item in enumerate(value):
            if hasattr(item, "__html__"):
                do_escape = True
            else:
                value[idx] = str(item)
        if do_escape:
            d = escape(d)
        else:
            d = str(d)
        return d.join(value)
    return soft_str(d).join(map(soft_str, value))


@pass_context
def do_first(context: Context, seq: t.Iterable[t.Any]) -> t.Any:
    for item in seq:
        return item
    return context.environment.undefined("No first item, sequence was empty.")


@pass_context
def do_last(context: Context, seq: t.Reversible[t.Any]) -> t.Any:
    try:
        return next(iter(reversed(seq)))
    except StopIteration:
        return context.environment.undefined("No last item, sequence was empty.")


@pass_context
def do_random(context: Context, seq: t.Sequence[t.Any]) -> t.Any:
    try:
        return _random.choice(seq)
    except IndexError:
        return context.environment.undefined("No random item, sequence was empty.")


def do_length(obj: t.Any) -> int:
    return len(obj)


def do_list(value: t.Iterable[t.Any]) -> list[t.Any]:
    return list(value)


def do_reverse(value: t.Any) -> t.Any:
    """Reverse a string, or return a reverse iterator over a sequence."""
    if isinstance(value, str):
        return value[::-1]
    try:
        return reversed(value)
    except TypeError:
        try:
            rv = list(value)
            rv.reverse()
            return rv
        except TypeError as exc:
            raise FilterArgumentError("argument must be iterable") from exc


@pass_environment
def do_sort(
    environment: Environment,
    value: t.Iterable[t.Any],
    reverse: bool = False,
    case_sensitive: bool = False,
    attribute: str | int | None = None,
) -> list[t.Any]:
    """Sort (by ``attribute``, comma-separated for several), case-insensitively by default."""
    key_func = make_multi_attrgetter(environment, attribute, postprocess=None if case_sensitive else _ignore_case)
    return sorted(value, key=key_func, reverse=reverse)


def do_dictsort(
    value: t.Mapping[t.Any, t.Any], case_sensitive: bool = False, by: str = "key", reverse: bool = False
) -> list[tuple[t.Any, t.Any]]:
    """The items of a dict sorted by key (or by value)."""
    if by == "key":
        pos = 0
    elif by == "value":
        pos = 1
    else:
        raise FilterArgumentError('You can only sort by either "key" or "value"')

    def sort_func(item: tuple[t.Any, t.Any]) -> t.Any:
        value = item[pos]
        if not case_sensitive:
            value = _ignore_case(value)
        return value

    return sorted(value.items(), key=sort_func, reverse=reverse)


@pass_environment
def do_unique(
    environment: Environment, value: t.Iterable[t.Any], case_sensitive: bool = False, attribute: str | int | None = None
) -> t.Iterator[t.Any]:
    """Yield each distinct item once, in order."""
    getter = make_attrgetter(environment, attribute, postprocess=None if case_sensitive else _ignore_case)
    seen = set()
    for item in value:
        key = getter(item)
        if key not in seen:
            seen.add(key)
            yield item


def _min_or_max(
    environment: Environment, value: t.Iterable[t.Any], func: t.Callable[..., t.Any], case_sensitive: bool, attribute: str | int | None
) -> t.Any:
    it = iter(value)
    try:
        first = next(it)
    except StopIteration:
        return environment.undefined("No aggregated item, sequence was empty.")
    key_func = make_attrgetter(environment, attribute, postprocess=None if case_sensitive else _ignore_case)
    return func(chain([first], it), key=key_func)


@pass_environment
def do_min(environment: Environment, value: t.Iterable[t.Any], case_sensitive: bool = False, attribute: str | int | None = None) -> t.Any:
    return _min_or_max(environment, value, min, case_sensitive, attribute)


@pass_environment
def do_max(environment: Environment, value: t.Iterable[t.Any], case_sensitive: bool = False, attribute: str | int | None = None) -> t.Any:
    return _min_or_max(environment, value, max, case_sensitive, attribute)


def do_default(value: t.Any, default_value: t.Any = "", boolean: bool = False) -> t.Any:
    """``value`` unless it is undefined (or, with ``boolean``, falsy)."""
    if isinstance(value, Undefined) or (boolean and not value):
        return default_value
    return value


def do_batch(value: t.Iterable[t.Any], linecount: int, fill_with: t.Any = None) -> t.Iterator[list[t.Any]]:
    """Yield lists of ``linecount`` items (the last one padded with ``fill_with`` if given)."""
    tmp: list[t.Any] = []
    for item in value:
        if len(tmp) == linecount:
            yield tmp
            tmp = []
        tmp.append(item)
    if tmp:
        if fill_with is not None and len(tmp) < linecount:
            tmp += [fill_with] * (linecount - len(tmp))
        yield tmp


def do_slice(value: t.Collection[t.Any], slices: int, fill_with: t.Any = None) -> t.Iterator[list[t.Any]]:
    """Split into ``slices`` columns of (nearly) equal length."""
    seq = list(value)
    length = len(seq)
    items_per_slice = length // slices
    slices_with_extra = length % slices
    offset = 0
    for slice_number in range(slices):
        start = offset + slice_number * items_per_slice
        if slice_number < slices_with_extra:
            offset += 1
        end = offset + (slice_number + 1) * items_per_slice
        tmp = seq[start:end]
        if fill_with is not None and slice_number >= slices_with_extra:
            tmp.append(fill_with)
        yield tmp


class _GroupTuple(t.NamedTuple):
    grouper: t.Any
    list: list[t.Any]

    def __repr__(self) -> str:
        return tuple.__repr__(self)

    def __str__(self) -> str:
        return tuple.__repr__(self)


@pass_environment
def do_groupby(
    environment: Environment,
    value: t.Iterable[t.Any],
    attribute: str | int,
    default: t.Any = None,
    case_sensitive: bool = False,
) -> list[_GroupTuple]:
    """Group items by ``attribute``; each group is ``(grouper, list)``."""
    expr = make_attrgetter(environment, attribute, postprocess=None if case_sensitive else _ignore_case, default=default)
    out = [_GroupTuple(key, list(values)) for key, values in groupby(sorted(value, key=expr), expr)]
    if not case_sensitive:
        # show the grouper as it appears in the first item, not lowercased
        output_expr = make_attrgetter(environment, attribute, default=default)
        out = [_GroupTuple(output_expr(values[0]), values) for _, values in out]
    return out


@pass_environment
def do_sum(environment: Environment, iterable: t.Iterable[t.Any], attribute: str | int | None = None, start: t.Any = 0) -> t.Any:
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    return sum(iterable, start)


def do_items(value: t.Mapping[t.Any, t.Any] | Undefined) -> t.Iterator[tuple[t.Any, t.Any]]:
    """Iterate a mapping's ``(key, value)`` pairs (nothing for undefined)."""
    if isinstance(value, Undefined):
        return
    if not isinstance(value, abc.Mapping):
        raise TypeError("Can only get item pairs from a mapping.")
    yield from value.items()


# -- numbers ------------------------------------------------------------------------------


def do_int(value: t.Any, default: int = 0, base: int = 10) -> int:
    """Convert to ``int`` (strings in ``base``), or ``default`` when impossible."""
    try:
        if isinstance(value, str):
            return int(value, base)
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError, OverflowError):
            return default


def do_float(value: t.Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def do_round(value: float, precision: int = 0, method: str = "common") -> float:
    """Round (``common``), or always up (``ceil``) or down (``floor``)."""
    if method not in {"common", "ceil", "floor"}:
        raise FilterArgumentError("method must be common, ceil or floor")
    if method == "common":
        return round(value, precision)
    func = getattr(math, method)
    return t.cast(float, func(value * (10**precision)) / (10**precision))


def do_abs(value: t.Any) -> t.Any:
    return abs(value)


# -- attribute / higher-order filters ---------------------------------------------------------


@pass_environment
def do_attr(environment: Environment, obj: t.Any, name: str) -> t.Any:
    """Get an attribute (never an item) of ``obj``."""
    try:
        value = getattr(obj, name)
    except AttributeError:
        return environment.undefined(obj=obj, name=name)
    if environment.sandboxed:
        # the sandbox's own checks, so ``|attr`` is no way around them
        fmt = environment.wrap_str_format(value)  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment
        if fmt is not None:
            return fmt
        if not environment.is_safe_attribute(obj, name, value):  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment
            return environment.unsafe_undefined(obj, name)  # type: ignore[attr-defined]  # sandboxed: a SandboxedEnvironment
    return value


@pass_context
def do_map(context: Context, value: t.Iterable[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Iterator[t.Any]:
    """Apply a filter (``map('upper')``) or take an attribute (``map(attribute='x')``)."""
    if value:
        func = _prepare_map(context, args, kwargs)
        for item in value:
            yield func(item)


def _prepare_map(context: Context, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Callable[[t.Any], t.Any]:
    if not args and "attribute" in kwargs:
        attribute = kwargs.pop("attribute")
        default = kwargs.pop("default", None)
        if kwargs:
            raise FilterArgumentError(f"Unexpected keyword argument {next(iter(kwargs))!r}")
        return make_attrgetter(context.environment, attribute, default=default)
    try:
        name = args[0]
        args = args[1:]
    except LookupError:
        raise FilterArgumentError("map requires a filter argument") from None

    def func(item: t.Any) -> t.Any:
        return context.environment.call_filter(name, item, args, kwargs, context=context)

    return func


def _prepare_select_or_reject(
    context: Context, args: tuple[t.Any, ...], kwargs: dict[str, t.Any], modfunc: t.Callable[[t.Any], t.Any], lookup_attr: bool
) -> t.Callable[[t.Any], t.Any]:
    if lookup_attr:
        try:
            attr = args[0]
        except LookupError:
            raise FilterArgumentError("Missing parameter for attribute name") from None
        transfunc: t.Callable[[t.Any], t.Any] = make_attrgetter(context.environment, attr)
        off = 1
    else:
        off = 0
        transfunc = _identity

    try:
        name = args[off]
        args = args[1 + off :]

        def func(item: t.Any) -> t.Any:
            return context.environment.call_test(name, item, args, kwargs, context=context)

    except LookupError:
        func = bool  # type: ignore[assignment]  # no test given: truthiness
    return lambda item: modfunc(func(transfunc(item)))


def _select_or_reject(
    context: Context, value: t.Iterable[t.Any], args: tuple[t.Any, ...], kwargs: dict[str, t.Any], modfunc: t.Callable[[t.Any], t.Any], lookup_attr: bool
) -> t.Iterator[t.Any]:
    if value:
        func = _prepare_select_or_reject(context, args, kwargs, modfunc, lookup_attr)
        for item in value:
            if func(item):
                yield item


@pass_context
def do_select(context: Context, value: t.Iterable[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Iterator[t.Any]:
    """Keep the items that pass a test (truthy items without a test)."""
    return _select_or_reject(context, value, args, kwargs, lambda x: x, False)


@pass_context
def do_reject(context: Context, value: t.Iterable[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Iterator[t.Any]:
    """Drop the items that pass a test."""
    return _select_or_reject(context, value, args, kwargs, lambda x: not x, False)


@pass_context
def do_selectattr(context: Context, value: t.Iterable[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Iterator[t.Any]:
    """Keep the items whose attribute passes a test."""
    return _select_or_reject(context, value, args, kwargs, lambda x: x, True)


@pass_context
def do_rejectattr(context: Context, value: t.Iterable[t.Any], *args: t.Any, **kwargs: t.Any) -> t.Iterator[t.Any]:
    """Drop the items whose attribute passes a test."""
    return _select_or_reject(context, value, args, kwargs, lambda x: not x, True)


def do_mark_safe(value: str) -> Markup:
    return Markup(value)


def do_string(value: t.Any) -> str:
    return soft_str(value)


def _do_escape(value: t.Any) -> Markup:
    return escape(value)


@pass_eval_context
def do_urlize(
    eval_ctx: EvalContext,
    value: str,
    trim_url_limit: int | None = None,
    nofollow: bool = False,
    target: str | None = None,
    rel: str | None = None,
    extra_schemes: t.Iterable[str] | None = None,
) -> str:
    """Turn URLs and e-mail addresses in text into links."""
    policies = eval_ctx.environment.policies
    rel_parts = set((rel or "").split())
    if nofollow:
        rel_parts.add("nofollow")
    rel_parts.update((policies["urlize.rel"] or "").split())
    rel = " ".join(sorted(rel_parts)) or None
    if target is None:
        target = policies["urlize.target"]
    if extra_schemes is None:
        policy_schemes: t.Iterable[str] = policies["urlize.extra_schemes"] or ()
        extra_schemes = policy_schemes
    for scheme in extra_schemes:
        if re.fullmatch(r"[a-zA-Z][\w+.-]*:(//)?", scheme) is None:
            raise FilterArgumentError(f"{scheme!r} is not a valid URI scheme prefix.")
    rv = _urlize(value, trim_url_limit=trim_url_limit, rel=rel, target=target, extra_schemes=extra_schemes)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv


FILTERS: dict[str, t.Callable[..., t.Any]] = {
    "abs": do_abs,
    "attr": do_attr,
    "batch": do_batch,
    "capitalize": do_capitalize,
    "center": do_center,
    "count": do_length,
    "d": do_default,
    "default": do_default,
    "dictsort": do_dictsort,
    "e": _do_escape,
    "escape": _do_escape,
    "filesizeformat": do_filesizeformat,
    "first": do_first,
    "float": do_float,
    "forceescape": do_forceescape,
    "format": do_format,
    "groupby": do_groupby,
    "indent": do_indent,
    "int": do_int,
    "items": do_items,
    "join": do_join,
    "last": do_last,
    "length": do_length,
    "list": do_list,
    "lower": do_lower,
    "map": do_map,
    "max": do_max,
    "min": do_min,
    "pprint": do_pprint,
    "random": do_random,
    "reject": do_reject,
    "rejectattr": do_rejectattr,
    "replace": do_replace,
    "reverse": do_reverse,
    "round": do_round,
    "safe": do_mark_safe,
    "select": do_select,
    "selectattr": do_selectattr,
    "slice": do_slice,
    "sort": do_sort,
    "string": do_string,
    "striptags": do_striptags,
    "sum": do_sum,
    "title": do_title,
    "tojson": do_tojson,
    "trim": do_trim,
    "truncate": do_truncate,
    "unique": do_unique,
    "upper": do_upper,
    "urlencode": do_urlencode,
    "urlize": do_urlize,
    "wordcount": do_wordcount,
    "wordwrap": do_wordwrap,
    "xmlattr": do_xmlattr,
}

__all__ = ["FILTERS", "TemplateRuntimeError"]


# -- async variants (Environment(enable_async=True)) ---------------------------------------------
#
# In async mode the compiler swaps these built-in filters for their variants
# below (a filter a user registered under the same name is used as it is).
# They accept async iterables; ``map`` and ``select``/``reject`` become async
# generators that await what the mapped function returns.


def _materializing_variant(sync_func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """An async variant reading an async iterable into a list, then running ``sync_func``."""

    if _PassArg.from_obj(sync_func) is None:

        async def variant(value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # pyright: ignore[reportRedeclaration]  # one of two conditional definitions
            if hasattr(value, "__aiter__"):
                value = await auto_to_list(value)
            return sync_func(value, *args, **kwargs)

    else:

        async def variant(first: t.Any, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # type: ignore[misc]  # the pass_arg variant takes one more argument
            if hasattr(value, "__aiter__"):
                value = await auto_to_list(value)
            return sync_func(first, value, *args, **kwargs)

        variant.jinja_pass_arg = sync_func.jinja_pass_arg  # type: ignore[attr-defined]  # set by the pass_* decorators
    variant.__name__ = variant.__qualname__ = f"async_{sync_func.__name__}"
    variant.__doc__ = sync_func.__doc__
    return variant


@pass_context
async def async_do_first(context: Context, seq: t.Any) -> t.Any:
    """``first`` over a sync or async iterable (reads one item only)."""
    if not hasattr(seq, "__aiter__"):
        return do_first(context, seq)
    async for item in seq:
        return item
    return context.environment.undefined("No first item, sequence was empty.")


@pass_context
async def async_do_map(context: Context, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[t.Any]:
    """``map`` over a sync or async iterable; awaitable results are awaited."""

    if value:
        func = _prepare_map(context, args, kwargs)
        async for item in auto_aiter(value):
            yield await auto_await(func(item))


async def _async_select_or_reject(
    context: Context, value: t.Any, args: tuple[t.Any, ...], kwargs: dict[str, t.Any], modfunc: t.Callable[[t.Any], t.Any], lookup_attr: bool
) -> t.AsyncIterator[t.Any]:

    if value:
        func = _prepare_select_or_reject(context, args, kwargs, modfunc, lookup_attr)
        async for item in auto_aiter(value):
            if func(item):
                yield item


@pass_context
def async_do_select(context: Context, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[t.Any]:
    return _async_select_or_reject(context, value, args, kwargs, lambda x: x, False)


@pass_context
def async_do_reject(context: Context, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[t.Any]:
    return _async_select_or_reject(context, value, args, kwargs, lambda x: not x, False)


@pass_context
def async_do_selectattr(context: Context, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[t.Any]:
    return _async_select_or_reject(context, value, args, kwargs, lambda x: x, True)


@pass_context
def async_do_rejectattr(context: Context, value: t.Any, *args: t.Any, **kwargs: t.Any) -> t.AsyncIterator[t.Any]:
    return _async_select_or_reject(context, value, args, kwargs, lambda x: not x, True)


#: Built-in filter -> its async variant (the filters Jinja2 makes async-aware).
ASYNC_VARIANTS: dict[t.Callable[..., t.Any], t.Callable[..., t.Any]] = {
    do_first: async_do_first,
    do_map: async_do_map,
    do_select: async_do_select,
    do_reject: async_do_reject,
    do_selectattr: async_do_selectattr,
    do_rejectattr: async_do_rejectattr,
    **{func: _materializing_variant(func) for func in (do_join, do_list, do_sum, do_unique, do_groupby, do_slice)},
}


def async_variant_of(func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """The async variant of a built-in filter, else ``func`` itself."""
    try:
        return ASYNC_VARIANTS.get(func, func)
    except TypeError:  # an unhashable callable
        return func


# -- jinja2.filters' other public names ----------------------------------------------------
from .async_utils import async_variant as async_variant  # noqa: E402
from .async_utils import auto_aiter as auto_aiter  # noqa: E402
from .async_utils import auto_await as auto_await  # noqa: E402
from .async_utils import auto_to_list as auto_to_list  # noqa: E402


def url_quote(obj: t.Any, charset: str = "utf-8", for_qs: bool = False) -> str:
    """Percent-encode ``obj`` (str, bytes or anything ``str()`` can render).

    Keeps ``/`` unless ``for_qs``, which also writes spaces as ``+``.
    """
    return _url_quote(obj, charset, for_qs)


#: jinja2.filters' (and jinja2.utils') ``urlize``: escape text and link its addresses.
urlize = _urlize

ignore_case = _ignore_case
prepare_map = _prepare_map
prepare_select_or_reject = _prepare_select_or_reject
select_or_reject = _select_or_reject
async_select_or_reject = _async_select_or_reject
# the synchronous implementations of the async-aware filters, by Jinja2's names
sync_do_first = do_first
sync_do_join = do_join
sync_do_list = do_list
sync_do_sum = do_sum
sync_do_unique = do_unique
sync_do_groupby = do_groupby
sync_do_slice = do_slice
sync_do_map = do_map
sync_do_select = do_select
sync_do_reject = do_reject
sync_do_selectattr = do_selectattr
sync_do_rejectattr = do_rejectattr


def do_mark_unsafe(value: str) -> str:
    """Mark a value as unsafe: a plain ``str`` again."""
    return str(value)
