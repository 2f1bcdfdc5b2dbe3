"""The linear-growth check itself: it counts work deterministically and it
can fail (a quadratic function is caught, a linear one passes)."""

from __future__ import annotations

import pytest

from .conftest import assert_linear, count_work


def _linear(items: list[int]) -> int:
    total = 0
    for item in items:
        total += item
    return total


def _quadratic(items: list[int]) -> int:
    total = 0
    for i in range(len(items)):
        for item in items[: i + 1]:
            total += item
    return total


def test_the_count_is_the_same_on_every_run() -> None:
    data = list(range(500))
    assert count_work(_linear, data) == count_work(_linear, data) > 500


def test_a_linear_function_passes() -> None:
    assert_linear(lambda n: list(range(n)), _linear, 200)


def test_a_quadratic_function_is_caught() -> None:
    with pytest.raises(AssertionError, match="superlinear"):
        assert_linear(lambda n: list(range(n)), _quadratic, 50)


def test_the_hooks_are_restored() -> None:
    import sys

    before = (sys.gettrace(), sys.getprofile())
    count_work(_linear, [1, 2, 3])
    assert (sys.gettrace(), sys.getprofile()) == before
