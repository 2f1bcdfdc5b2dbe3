"""The matcher's tree: named edges, and matches returned (not raised) out
of the walk, with the same outcomes as before."""

from __future__ import annotations

import re

import pytest

from wsgikit.exceptions import MethodNotAllowed
from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule
from wsgikit.routing import matcher as matcher_module


def _tree(*rules: Rule) -> matcher_module._Node:
    url_map = Map(list(rules))
    url_map.update()
    return url_map._matcher._root


def test_dynamic_children_are_named_edges() -> None:
    root = _tree(Rule("/a/<int:n>", endpoint="n"), Rule("/a/<name>", endpoint="name"), Rule("/p/<path:rest>/", endpoint="p"))
    edges = root.static[""].static["a"].dynamic
    assert [type(edge) for edge in edges] == [matcher_module._Edge, matcher_module._Edge]
    integer, default = edges
    assert integer.fullmatch("12") is not None and integer.fullmatch("x") is None
    assert default.fullmatch("x") is not None
    assert (integer.groups, integer.final, integer.tied) == (None, 0, False)
    assert integer.child.rules[0].endpoint == "n"
    assert default.child.rules[0].endpoint == "name"
    (final,) = root.static[""].static["p"].dynamic
    assert final.final == matcher_module._SUFFIXED
    # Unpacking still gives the fields in their declared order.
    fullmatch, groups, flag, child, tied = final
    assert (groups, flag, child, tied) == (final.groups, final.final, final.child, final.tied)
    assert isinstance(fullmatch("a/b/", 0), re.Match)


def test_tied_edges_are_flagged() -> None:
    root = _tree(Rule("/<string(minlength=2):a>/x", endpoint="long"), Rule("/<b>/y", endpoint="any"))
    first, second = root.static[""].dynamic
    assert (first.tied, second.tied) == (True, False)


def test_pending_edges_keep_registration_order() -> None:
    url_map = Map([Rule("/<string(minlength=2):a>", endpoint="a"), Rule("/<b>", endpoint="b")])
    pending = url_map._matcher._root.static[""]._pending
    assert [type(edge) for edge in pending] == [matcher_module._PendingEdge] * 2
    assert [edge.order for edge in pending] == sorted(edge.order for edge in pending)
    assert pending[0].key == pending[1].key


def test_the_walk_signals_no_match_without_exceptions() -> None:
    assert not hasattr(matcher_module, "_Found")


def _settled_map() -> Map:
    # The first rule makes the ``minlength`` edge first, so it is tried
    # before the tied ``<b>`` edge although "R2" is registered before "R1".
    return Map(
        [
            Rule("/<string(minlength=2):a>/x", endpoint="R0"),
            Rule("/<b>/<path:q>", endpoint="R2"),
            Rule("/<string(minlength=2):a>/<path:p>/", endpoint="R1", strict_slashes=False),
        ]
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # A non-strict rule reached by adding its trailing slash is taken as
        # found, as in Werkzeug: the tied edge after it is not compared.
        ("/xy/z", ("R1", {"a": "xy", "p": "z"})),
        ("/xy/x", ("R0", {"a": "xy"})),
        ("/x/z", ("R2", {"b": "x", "q": "z"})),
        ("/x/z/", ("R2", {"b": "x", "q": "z/"})),
    ],
)
def test_a_match_by_adding_the_slash_settles_the_walk(path: str, expected: tuple[str, dict[str, str]]) -> None:
    assert _settled_map().bind("h").match(path) == expected


def test_a_strict_final_rule_still_redirects_to_the_slash() -> None:
    url_map = Map([Rule("/files/<path:p>/", endpoint="files")])
    with pytest.raises(RequestRedirect) as info:
        url_map.bind("h").match("/files/a/b")
    assert info.value.new_url == "http://h/files/a/b/"


def test_settled_flag_is_reset_for_each_match() -> None:
    url_map = _settled_map()
    adapter = url_map.bind("h")
    assert adapter.match("/xy/z") == ("R1", {"a": "xy", "p": "z"})
    # A later walk of another path compares alternatives again.
    assert adapter.match("/x/z") == ("R2", {"b": "x", "q": "z"})
    with pytest.raises(NotFound):
        adapter.match("/")


def test_settled_match_with_merged_slashes_redirects() -> None:
    with pytest.raises(RequestRedirect) as info:
        _settled_map().bind("h").match("/xy//z")
    assert info.value.new_url == "http://h/xy/z"


def test_methods_of_every_rule_matching_the_path_are_collected() -> None:
    url_map = Map(
        [
            Rule("/r/<int:n>", endpoint="a", methods=["PUT"]),
            Rule("/r/<name>", endpoint="b", methods=["POST"]),
            Rule("/r/<name>", endpoint="c", methods=["DELETE"], websocket=False),
        ]
    )
    adapter = url_map.bind("h")
    for _ in range(2):  # the first walk, then the same path again
        with pytest.raises(MethodNotAllowed) as info:
            adapter.match("/r/5", "GET")
        assert sorted(info.value.valid_methods or ()) == ["DELETE", "POST", "PUT"]
    # Another walk starts with no methods collected.
    with pytest.raises(NotFound):
        adapter.match("/x/5", "GET")


@pytest.mark.parametrize(
    ("rule", "path", "expected", "plain"),
    [
        # Texts that are the values (no converter changes them), with and
        # without defaults, and rules mixing such texts with converted ones.
        (Rule("/p/<a>/<b>", endpoint="e"), "/p/x/y", {"a": "x", "b": "y"}, True),
        (Rule("/p/<a>", endpoint="e", defaults={"kind": "k"}), "/p/x", {"a": "x", "kind": "k"}, True),
        (Rule("/p/<a>/<int:n>", endpoint="e"), "/p/x/7", {"a": "x", "n": 7}, False),
        (Rule("/p/<int:n>/<a>", endpoint="e", defaults={"z": 1}), "/p/7/x", {"n": 7, "a": "x", "z": 1}, False),
        (Rule("/p/<path:rest>", endpoint="e"), "/p/a/b", {"rest": "a/b"}, True),
    ],
)
def test_captured_texts_become_values(rule: Rule, path: str, expected: dict[str, object], plain: bool) -> None:
    adapter = Map([rule]).bind("h")
    assert rule._texts_are_values is plain
    assert adapter.match(path) == ("e", expected)
    assert adapter.match(path) == ("e", expected)  # from the remembered walk
