"""Shared by the fuzzing campaign: the linear-growth check.

The check counts work instead of timing it (the machines are shared and
noisy, and a timing ratio fails under load): every Python line executed and
every call made, in the parser and everything it calls, is one unit. The
count is the same on every run, so the assertion never flakes. It sees a
loop that rescans in Python and a loop of calls that grows with the input;
it does not see work done inside one C call (a regular expression that
backtracks, one ``bytes.find`` over the whole buffer), which the parsers
keep linear by construction and the hypothesis campaigns exercise.
"""

from __future__ import annotations

import sys
import typing as t

import pytest


def count_work(func: t.Callable[[t.Any], object], arg: t.Any) -> int:
    """Units of work ``func(arg)`` does: lines executed plus calls made
    (Python and C), counted with the interpreter's trace and profile hooks."""
    units = 0

    def tracer(frame: t.Any, event: str, _arg: t.Any) -> t.Any:
        nonlocal units
        if event == "line":
            units += 1
        return tracer

    def profiler(frame: t.Any, event: str, _arg: t.Any) -> None:
        nonlocal units
        if event == "call" or event == "c_call":
            units += 1

    old_trace, old_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(tracer)
    sys.setprofile(profiler)
    try:
        func(arg)
    finally:
        sys.setprofile(old_profile)
        sys.settrace(old_trace)
    return units


def assert_linear(make: t.Callable[[int], t.Any], run: t.Callable[[t.Any], object], base: int) -> None:
    """``run(make(n))`` at 1x/4x/16x sizes: 16x the input may cost at most
    100x the work of 1x (linear is 16x, quadratic 256x) and 4x at most 16x
    (the same ratios the check had when it timed the runs).
    Inputs are built outside the count; the first run warms caches (compiled
    patterns, memoised tables) so that one-off set-up is not counted."""
    inputs = [make(base), make(4 * base), make(16 * base)]
    run(inputs[0])  # warm up: first-use set-up is not per-input work
    small = max(count_work(run, inputs[0]), 1)
    middle = count_work(run, inputs[1])
    large = count_work(run, inputs[2])
    if large > 100 * small or middle > 16 * small:
        raise AssertionError(f"superlinear: 1x {small} units, 4x {middle}, 16x {large}")


@pytest.fixture
def linear() -> t.Callable[[t.Callable[[int], t.Any], t.Callable[[t.Any], object], int], None]:
    return assert_linear
