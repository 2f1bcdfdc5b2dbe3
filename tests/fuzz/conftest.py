"""Shared by the fuzzing campaign: the linear-growth check."""

from __future__ import annotations

import time
import typing as t

import pytest


def _best_time(func: t.Callable[[t.Any], object], arg: t.Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func(arg)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(make: t.Callable[[int], t.Any], run: t.Callable[[t.Any], object], base: int) -> None:
    """``run(make(n))`` at 1x/4x/16x sizes: 16x the input may cost at most
    100x the time of 1x (linear is 16x, quadratic 256x) and 4x at most 16x
    -- generous ratios of best-of-three runs, never an absolute time. Inputs are built outside
    the timing; keep the 16x input small (about 16k units) so it stays in
    the CPU cache: beyond that, per-unit cost steps up once (memory, not
    the algorithm) and the ratio would lie."""
    inputs = [make(base), make(4 * base), make(16 * base)]
    run(inputs[0])  # warm up
    for _attempt in range(3):  # a busy shared machine gets another go
        small = _best_time(run, inputs[0])
        middle = _best_time(run, inputs[1])
        large = _best_time(run, inputs[2])
        if large < 100 * max(small, 2e-5) and middle < 16 * max(small, 2e-5):
            return
    raise AssertionError(f"superlinear: 1x {small:.6f}s, 4x {middle:.6f}s, 16x {large:.6f}s")


@pytest.fixture
def linear() -> t.Callable[[t.Callable[[int], t.Any], t.Callable[[t.Any], object], int], None]:
    return assert_linear
