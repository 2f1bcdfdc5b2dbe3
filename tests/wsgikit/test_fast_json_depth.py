"""check_json_depth's prefilter (the length and the openers counted in one
pass) against a character-by-character reference of the nesting depth."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.wrappers.request import check_json_depth


def reference_depth(text: str) -> int:
    """The deepest nesting of brackets outside JSON strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def refuses(data: str | bytes, limit: int) -> bool:
    try:
        check_json_depth(data, limit)
    except ValueError:
        return True
    return False


@given(text=st.text(alphabet='[]{}"\\a,:', max_size=60), limit=st.integers(0, 12))
@settings(max_examples=600, deadline=None)
def test_prefilter_never_lets_a_deep_document_through(text: str, limit: int) -> None:
    deep = reference_depth(text) > limit
    # Valid or not, a document deeper than the limit is refused; one within
    # it is refused only when it is not valid JSON (unbalanced brackets).
    assert refuses(text, limit) == deep or (not deep and text.count("[") + text.count("{") > limit)
    assert refuses(text.encode(), limit) == refuses(text, limit)


@pytest.mark.parametrize(
    ("data", "limit", "refused"),
    [
        ("[" * 5, 5, False),  # as long as the limit: cannot be deeper
        ("[" * 6, 5, True),
        ("{" * 3 + "[" * 3, 5, True),  # both kinds of opener count
        ("{" * 3 + "[" * 2, 5, False),
        ('"' + "{[" * 10 + '"', 5, False),  # inside a string
        ("[]" * 100, 5, False),  # many openers, shallow
    ],
)
def test_prefilter_table(data: str, limit: int, refused: bool) -> None:
    assert refuses(data, limit) is refused
    assert refuses(data.encode(), limit) is refused
