"""The built-in tests (``{% if value is name(args) %}``), with Jinja2's behaviour."""

from __future__ import annotations

import operator
import typing as t
from collections import abc
from numbers import Number

from .runtime import Undefined, pass_environment

if t.TYPE_CHECKING:
    from .environment import Environment


def test_odd(value: int) -> bool:
    """``value is odd``: the integer is not divisible by 2."""
    return value % 2 == 1


def test_even(value: int) -> bool:
    """``value is even``: the integer is divisible by 2."""
    return value % 2 == 0


def test_divisibleby(value: int, num: int) -> bool:
    """``value is divisibleby(num)``: no remainder when divided by ``num``."""
    return value % num == 0


def test_defined(value: t.Any) -> bool:
    """``value is defined``: the name resolved to something other than an undefined."""
    return not isinstance(value, Undefined)


def test_undefined(value: t.Any) -> bool:
    """``value is undefined``: the name did not resolve."""
    return isinstance(value, Undefined)


@pass_environment
def test_filter(env: Environment, value: str) -> bool:
    """``name is filter``: a filter of that name is registered in the environment."""
    return value in env.filters


@pass_environment
def test_test(env: Environment, value: str) -> bool:
    """``name is test``: a test of that name is registered in the environment."""
    return value in env.tests


def test_none(value: t.Any) -> bool:
    """``value is none``: the value is ``None``."""
    return value is None


def test_boolean(value: t.Any) -> bool:
    """``value is boolean``: the value is ``True`` or ``False`` itself."""
    return value is True or value is False


def test_false(value: t.Any) -> bool:
    """``value is false``: the value is the ``False`` object."""
    return value is False


def test_true(value: t.Any) -> bool:
    """``value is true``: the value is the ``True`` object."""
    return value is True


def test_integer(value: t.Any) -> bool:
    """``value is integer``: an int that is not a bool."""
    return isinstance(value, int) and value is not True and value is not False


def test_float(value: t.Any) -> bool:
    """``value is float``: a float."""
    return isinstance(value, float)


def test_lower(value: str) -> bool:
    """``value is lower``: the string form is all lowercase."""
    return str(value).islower()


def test_upper(value: str) -> bool:
    """``value is upper``: the string form is all uppercase."""
    return str(value).isupper()


def test_string(value: t.Any) -> bool:
    """``value is string``: a ``str`` (Markup included)."""
    return isinstance(value, str)


def test_mapping(value: t.Any) -> bool:
    """``value is mapping``: a dict-like mapping."""
    return isinstance(value, abc.Mapping)


def test_number(value: t.Any) -> bool:
    """``value is number``: any numbers.Number (bools included, as in Jinja)."""
    return isinstance(value, Number)


def test_sequence(value: t.Any) -> bool:
    """``value is sequence``: something with a length and item access."""
    try:
        len(value)
        value.__getitem__  # noqa: B018
    except Exception:
        return False
    return True


def test_sameas(value: t.Any, other: t.Any) -> bool:
    """``value is sameas(other)``: the very same object (``is``)."""
    return value is other


def test_iterable(value: t.Any) -> bool:
    """``value is iterable``: ``iter()`` accepts it."""
    try:
        iter(value)
    except TypeError:
        return False
    return True


def test_escaped(value: t.Any) -> bool:
    """``value is escaped``: it has an ``__html__`` method (Markup)."""
    return hasattr(value, "__html__")


def test_in(value: t.Any, seq: t.Container[t.Any]) -> bool:
    """``value is in(seq)``: ``value in seq``."""
    return value in seq


TESTS: dict[str, t.Callable[..., bool]] = {
    "odd": test_odd,
    "even": test_even,
    "divisibleby": test_divisibleby,
    "defined": test_defined,
    "undefined": test_undefined,
    "filter": test_filter,
    "test": test_test,
    "none": test_none,
    "boolean": test_boolean,
    "false": test_false,
    "true": test_true,
    "integer": test_integer,
    "float": test_float,
    "lower": test_lower,
    "upper": test_upper,
    "string": test_string,
    "mapping": test_mapping,
    "number": test_number,
    "sequence": test_sequence,
    "iterable": test_iterable,
    "callable": callable,
    "sameas": test_sameas,
    "escaped": test_escaped,
    "in": test_in,
    "==": operator.eq,
    "eq": operator.eq,
    "equalto": operator.eq,
    "!=": operator.ne,
    "ne": operator.ne,
    ">": operator.gt,
    "gt": operator.gt,
    "greaterthan": operator.gt,
    "ge": operator.ge,
    ">=": operator.ge,
    "<": operator.lt,
    "lt": operator.lt,
    "lessthan": operator.lt,
    "<=": operator.le,
    "le": operator.le,
}
