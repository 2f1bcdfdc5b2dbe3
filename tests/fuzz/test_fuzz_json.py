"""Fuzzing the JSON nesting check: for any valid JSON document it agrees
with the real depth of the decoded value (brackets inside strings never
count), never raises anything but ValueError on junk, and is linear."""

from __future__ import annotations

import json
import typing as t

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.wrappers.request import check_json_depth

pytestmark = pytest.mark.fuzz

EXAMPLES = 60 if settings.default.max_examples <= 100 else settings.default.max_examples
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

tricky_text = st.text(alphabet=st.sampled_from(list('[]{}"\\,:ab é\x00\n')), max_size=8)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=30,
)


def depth(value: t.Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@FUZZ
@given(documents, st.integers(0, 8), st.sampled_from(["utf-8", "utf-16", "utf-32", "str"]), st.booleans())
def test_agrees_with_decoded_depth(value: t.Any, limit: int, encoding: str, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    data: str | bytes = text if encoding == "str" else text.encode(encoding)
    if depth(value) > limit:
        with pytest.raises(ValueError):
            check_json_depth(data, limit)
    else:
        check_json_depth(data, limit)


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200), st.integers(0, 5))
def test_junk_only_value_error(data: str | bytes, limit: int) -> None:
    try:
        check_json_depth(data, limit)
    except ValueError:
        pass


@pytest.mark.parametrize(
    "shape",
    [
        lambda n: b"[" * n,
        lambda n: b'"' + b"\\" * n,
        lambda n: b'"\\' * n,
        lambda n: b'["[",' * n + b"1]",  # over the fast path's bracket count at every size
        lambda n: b"[" * 400 + b"]" * 400 + b",[]" * n,
    ],
)
def test_depth_check_is_linear(shape: t.Callable[[int], bytes], linear) -> None:  # type: ignore[no-untyped-def]
    def run(data: bytes) -> None:
        try:
            check_json_depth(data, 500)
        except ValueError:
            pass

    linear(shape, run, 1000)
