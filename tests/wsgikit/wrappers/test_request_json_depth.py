"""Deeply nested JSON bodies are a 400 with a clear description, never a
RecursionError (a 500); the nesting limit is configurable and checked in
linear time."""

from __future__ import annotations

import json

import pytest

from wsgikit.exceptions import BadRequest
from wsgikit.test import EnvironBuilder
from wsgikit.wrappers import Request
from wsgikit.wrappers.request import MAX_JSON_DEPTH
from wsgikit.wrappers.request import check_json_depth


def json_request(body: bytes | str, cls: type[Request] = Request) -> Request:
    if isinstance(body, str):
        body = body.encode()
    return cls(EnvironBuilder(method="POST", data=body, content_type="application/json").get_environ())


def nested(depth: int, opener: str = "[", closer: str = "]", inner: str = "1") -> str:
    return opener * depth + inner + closer * depth


DEEP = [
    "[" * 100_000,
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    nested(MAX_JSON_DEPTH + 1),
    nested(MAX_JSON_DEPTH + 1, '{"k":', "}"),
    "[" * 300 + '{"a":' * 300 + "1" + "}" * 300 + "]" * 300,
]


@pytest.mark.parametrize("body", DEEP, ids=lambda b: f"{len(b)}")
@pytest.mark.parametrize("access", [lambda r: r.get_json(), lambda r: r.json, lambda r: r.get_json(force=True)])
def test_deep_json_is_400(body: str, access) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadRequest) as info:
        access(json_request(body))
    assert info.value.code == 400
    assert "nested" in info.value.description  # type: ignore[operator]


@pytest.mark.parametrize("body", DEEP, ids=lambda b: f"{len(b)}")
def test_deep_json_silent_is_none(body: str) -> None:
    assert json_request(body).get_json(silent=True) is None


@pytest.mark.parametrize(
    "body",
    [
        nested(MAX_JSON_DEPTH),
        nested(MAX_JSON_DEPTH, '{"k":', "}"),
        json.dumps([[1, {"a": [2]}]] * 5000),  # many brackets, shallow
        json.dumps(["[" * 10_000, "{" * 10_000]),  # brackets inside strings do not count
        json.dumps({"k": '\\"[[[[' * 1000}),
    ],
    ids=["at-limit-array", "at-limit-object", "wide", "brackets-in-strings", "escaped-quotes"],
)
def test_json_within_limit_decodes(body: str) -> None:
    assert json_request(body).get_json() == json.loads(body)


@pytest.mark.parametrize(("limit", "depth", "ok"), [(3, 3, True), (3, 4, False), (2000, 900, True), (10, 11, False)])
def test_limit_configurable_on_request_class(limit: int, depth: int, ok: bool) -> None:
    class LimitedRequest(Request):
        max_json_depth = limit

    request = json_request(nested(depth), LimitedRequest)
    if ok:
        assert request.get_json() is not None
    else:
        with pytest.raises(BadRequest, match="nested deeper than"):
            request.get_json()


def test_limit_per_instance_and_disabled() -> None:
    request = json_request(nested(5))
    request.max_json_depth = 4
    with pytest.raises(BadRequest):
        request.get_json()
    unlimited = json_request("[" * 100_000)
    unlimited.max_json_depth = None
    # Without the check, Python's recursion limit still gives a 400.
    with pytest.raises(BadRequest, match="nested too deeply"):
        unlimited.get_json()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-32-be", "utf-8-sig"])
def test_depth_checked_in_every_json_encoding(encoding: str) -> None:
    request = json_request(nested(MAX_JSON_DEPTH + 1).encode(encoding))
    with pytest.raises(BadRequest, match="nested"):
        request.get_json()
    assert json_request(nested(3).encode(encoding)).get_json() == [[[1]]]


@pytest.mark.parametrize(
    ("data", "limit", "ok"),
    [
        ("", 0, True),
        ("1", 0, True),
        ("[]", 0, False),
        ("[]", 1, True),
        ("[][][]", 1, True),
        ('"[[[["', 1, True),
        ('"\\\\"[[', 1, False),  # an escaped backslash ends the string
        ('"\\"[[', 1, True),  # an escaped quote does not
        ('"[[[', 1, True),  # unterminated string: invalid anyway
        ("]]]]][[", 1, True),  # invalid JSON may pass; the decoder refuses it
        (b"[[1]]", 2, True),
        (b"[[[1]]]", 2, False),
    ],
)
def test_check_json_depth_table(data: str | bytes, limit: int, ok: bool) -> None:
    if ok:
        check_json_depth(data, limit)
    else:
        with pytest.raises(ValueError):
            check_json_depth(data, limit)
