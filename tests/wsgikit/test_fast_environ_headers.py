"""EnvironHeaders' memoised name -> environ key mapping against the mapping
itself (``_environ_key``), per class."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.datastructures import EnvironHeaders

NAMES = st.text(alphabet="abcXYZ-_ 09", min_size=1, max_size=12) | st.sampled_from(
    ["Content-Type", "content-length", "CONTENT_TYPE", "Host", "X-Forwarded-For", "content_type"]
)


def environ_with(name: str) -> dict[str, str]:
    return {EnvironHeaders._environ_key(name): "v", "CONTENT_TYPE": "text/plain", "HTTP_HOST": "h"}


@given(name=NAMES, probe=NAMES)
@settings(max_examples=300, deadline=None)
def test_lookups_match_the_uncached_mapping(name: str, probe: str) -> None:
    environ = environ_with(name)
    headers = EnvironHeaders(environ)
    expected_key = EnvironHeaders._environ_key(probe)
    for _ in range(2):  # the second lookup comes from the memo
        assert headers.get(probe) == environ.get(expected_key)
        assert (probe in headers) == (expected_key in environ)
        if expected_key in environ:
            assert headers[probe] == environ[expected_key]
        else:
            with pytest.raises(KeyError):
                headers[probe]
    assert EnvironHeaders._environ_keys[probe] == expected_key


def test_subclass_with_its_own_mapping_has_its_own_memo() -> None:
    class Upper(EnvironHeaders):
        @staticmethod
        def _environ_key(key: str) -> str:
            return "X_" + key.upper()

    environ = {"X_A": "mine", "HTTP_A": "stock"}
    assert EnvironHeaders(environ).get("a") == "stock"
    assert Upper(environ).get("a") == "mine"
    assert EnvironHeaders(environ).get("a") == "stock"
    assert Upper._environ_keys is not EnvironHeaders._environ_keys


def test_non_string_keys_are_not_memoised() -> None:
    headers = EnvironHeaders({"HTTP_A": "1"})
    with pytest.raises(AttributeError):
        headers.get(1)  # type: ignore[call-overload]  # probing a wrong key type
    assert 1 not in headers  # type: ignore[operator]  # as above
    assert 1 not in EnvironHeaders._environ_keys  # type: ignore[comparison-overlap]  # as above


def test_memo_is_bounded() -> None:
    headers = EnvironHeaders({})
    for i in range(2000):
        headers.get(f"X-Name-{i}")
    assert len(EnvironHeaders._environ_keys) <= 512
