"""Runtime behaviour: StopIteration in calls, make_logging_undefined."""

from __future__ import annotations

import io
import logging
import typing as t

import pytest

from microflask.templating import ChainableUndefined, Environment, StrictUndefined, Undefined, UndefinedError
from microflask.templating.runtime import make_logging_undefined


def _stop() -> t.NoReturn:
    raise StopIteration()


@pytest.mark.parametrize(
    ("source", "expected"),
    [("{{ f() }}", ""), ("{{ f() is defined }}", "False"), ("{{ f()|default('d') }}", "d"), ("{% for x in [1, 2] %}{{ f() }}{{ x }}{% endfor %}", "12")],
)
def test_stop_iteration_in_a_call_is_undefined(source: str, expected: str) -> None:
    assert Environment().from_string(source).render(f=_stop) == expected
    assert Environment(enable_async=True).from_string(source).render(f=_stop) == expected


def test_stop_iteration_undefined_message() -> None:
    with pytest.raises(UndefinedError, match="value was undefined because a callable raised a StopIteration exception"):
        Environment().from_string("{{ f().x }}").render(f=_stop)


@pytest.fixture()
def log() -> t.Iterator[tuple[logging.Logger, io.StringIO]]:
    logger = logging.getLogger("microflask.tests.logging_undefined")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


W = "Template variable warning: 'x' is undefined\n"
E = "Template variable error: 'x' is undefined\n"

LOGGING_CASES = [
    (Undefined, "{{ x.a }}", "raise", E),
    (Undefined, "{{ x() }}", "raise", E),
    (Undefined, "{{ x[1] }}", "raise", ""),
    (Undefined, "{{ x|length }}", "0", ""),
    (Undefined, "{{ x == 1 }}", "False", ""),
    (Undefined, "{{ x is defined }}", "False", ""),
    (Undefined, "{{ x|string }}", "", W),
    (Undefined, "{{ x }}|{{ x|list }}|{% if x %}{% endif %}", "|[]|", W * 3),
    (Undefined, "{{ x + 1 }}", "raise", ""),
    (StrictUndefined, "{{ x.a }}", "raise", E),
    (StrictUndefined, "{{ x == 1 }}", "raise", ""),
    (StrictUndefined, "{{ x|string }}", "raise", W),
    (ChainableUndefined, "{{ x.a }}", "", W),
    (ChainableUndefined, "{{ x[1] }}", "", W),
    (ChainableUndefined, "{{ x() }}", "raise", ""),
]


@pytest.mark.parametrize(("base", "source", "expected", "logged"), LOGGING_CASES)
def test_logging_undefined(log: tuple[logging.Logger, io.StringIO], base: type[Undefined], source: str, expected: str, logged: str) -> None:
    logger, buffer = log
    env = Environment(undefined=make_logging_undefined(logger, base))
    try:
        got = env.from_string(source).render()
    except UndefinedError:
        got = "raise"
    assert (got, buffer.getvalue()) == (expected, logged)


@pytest.mark.parametrize(("base", "source", "expected", "logged"), LOGGING_CASES)
def test_logging_undefined_matches_jinja2(log: tuple[logging.Logger, io.StringIO], base: type[Undefined], source: str, expected: str, logged: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    from jinja2.runtime import make_logging_undefined as jinja_make

    logger, buffer = log
    env = jinja2.Environment(undefined=jinja_make(logger, getattr(jinja2, base.__name__)))
    try:
        got = env.from_string(source).render()
    except jinja2.UndefinedError:
        got = "raise"
    assert (got, buffer.getvalue()) == (expected, logged)


def test_logging_undefined_class() -> None:
    cls = make_logging_undefined(base=StrictUndefined)
    assert cls.__name__ == "LoggingUndefined" and issubclass(cls, StrictUndefined)
    default = make_logging_undefined()
    assert issubclass(default, Undefined)


_COND_CASES = [
    ('{{ "x" if false }}', "''"),
    ('{{ ("x" if false).foo }}', "UndefinedError: the inline if-expression on line 1 evaluated to false and no else section was defined."),
    ('{{ ("x" if false) is defined }}', "'False'"),
    ('{{ ("x" if false)|default("d") }}', "'d'"),
    ('{% set v = "x" if false %}{{ v }}', "''"),
]


@pytest.mark.parametrize("undefined", ["Undefined", "StrictUndefined", "DebugUndefined", "ChainableUndefined"])
@pytest.mark.parametrize(("source", "expected"), _COND_CASES)
def test_cond_expr_without_else_is_plain_undefined(undefined: str, source: str, expected: str) -> None:
    from microflask import templating

    def outcome(module: t.Any) -> str:
        try:
            return repr(module.Environment(undefined=getattr(module, undefined)).from_string(source).render())
        except module.UndefinedError as e:
            return f"UndefinedError: {e}"

    assert outcome(templating) == expected
    jinja2 = pytest.importorskip("jinja2")
    assert outcome(jinja2) == expected


@pytest.mark.parametrize(("args", "low", "high"), [((1, False, 20, 100), 20, 99), ((1, False, 2, 4), 2, 3), ((1, False, 1, 2), 1, 1)])
def test_lipsum_word_bounds(args: tuple[t.Any, ...], low: int, high: int) -> None:
    from microflask.templating.defaults import generate_lorem_ipsum

    counts = {len(generate_lorem_ipsum(*args).split()) for _ in range(400)}
    assert low <= min(counts) and max(counts) <= high


@pytest.mark.parametrize("args", [(1, False, 5, 5), (2, False, 3, 2), (1, True, 3, 3)])
def test_lipsum_empty_range_like_jinja2(args: tuple[t.Any, ...]) -> None:
    from microflask.templating.defaults import generate_lorem_ipsum

    with pytest.raises(ValueError, match="empty range"):
        generate_lorem_ipsum(*args)
    jinja_utils = pytest.importorskip("jinja2.utils")
    with pytest.raises(ValueError, match="empty range"):
        jinja_utils.generate_lorem_ipsum(*args)
