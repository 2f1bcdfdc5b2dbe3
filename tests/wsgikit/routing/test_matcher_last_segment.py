"""The last path segment matched by a dynamic part checks the rules
directly (no further walk); these pin the outcomes of that step."""

from __future__ import annotations

import pytest

from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.routing import WebsocketMismatch


def _map() -> Map:
    return Map(
        [
            Rule("/hello/<int:n>", endpoint="number", methods=["POST"]),
            Rule("/hello/<name>", endpoint="name", methods=["GET"]),
            Rule("/items/<int:n>", endpoint="item"),
            Rule("/ws/<name>", endpoint="ws", websocket=True),
            Rule("/deep/<a>/<b>", endpoint="deep"),
        ]
    )


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/hello/world", "GET", ("name", {"name": "world"})),
        ("/hello/42", "POST", ("number", {"n": 42})),
        ("/hello/42", "GET", ("name", {"name": "42"})),
        ("/items/7", "GET", ("item", {"n": 7})),
        ("/deep/x/y", "GET", ("deep", {"a": "x", "b": "y"})),
    ],
)
def test_last_dynamic_segment_matches(path: str, method: str, expected: tuple[str, dict[str, object]]) -> None:
    assert _map().bind("h").match(path, method) == expected


def test_method_mismatch_on_last_segment_is_405() -> None:
    with pytest.raises(MethodNotAllowed) as info:
        _map().bind("h").match("/hello/world", "PUT")
    assert sorted(info.value.valid_methods or ()) == ["GET", "HEAD"]


def test_converter_refusal_on_last_segment_is_404() -> None:
    with pytest.raises(NotFound):
        _map().bind("h").match("/items/seven", "GET")


def test_websocket_mismatch_on_last_segment() -> None:
    with pytest.raises(WebsocketMismatch):
        _map().bind("h").match("/ws/chat", "GET")
    assert _map().bind("h", url_scheme="ws").match("/ws/chat", "GET") == ("ws", {"name": "chat"})
