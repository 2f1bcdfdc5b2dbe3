"""The matcher remembers walk outcomes: converters still run on every
match, converters that refuse are never cached around, and adding rules
forgets everything."""

from __future__ import annotations

import pytest

from wsgikit.exceptions import NotFound
from wsgikit.routing import BaseConverter
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.routing import ValidationError
from wsgikit.routing import matcher as matcher_module


class Users(BaseConverter):
    """Accepts only names in ``known``, like a converter that loads a row."""

    known: set[str] = set()
    calls: list[str] = []

    def to_python(self, value: str) -> str:
        Users.calls.append(value)
        if value not in Users.known:
            raise ValidationError()
        return value.upper()


@pytest.fixture
def users():
    Users.known = set()
    Users.calls = []
    return Users


def adapter(url_map: Map, path: str, method: str = "GET"):
    return url_map.bind("example.org").match(path, method)


def test_converters_run_on_every_match(users):
    users.known = {"bob"}
    url_map = Map([Rule("/u/<user:name>", endpoint="user")], converters={"user": Users})
    for _ in range(3):
        assert adapter(url_map, "/u/bob") == ("user", {"name": "BOB"})
    assert users.calls == ["bob", "bob", "bob"]


def test_a_refusing_converter_is_asked_again_each_time(users):
    url_map = Map(
        [Rule("/<user:name>", endpoint="user"), Rule("/<page>", endpoint="page")],
        converters={"user": Users},
    )
    assert adapter(url_map, "/bob") == ("page", {"page": "bob"})
    users.known.add("bob")
    assert adapter(url_map, "/bob") == ("user", {"name": "BOB"})


def test_a_remembered_rule_whose_converter_now_refuses_is_walked_again(users):
    users.known = {"bob"}
    url_map = Map(
        [Rule("/<user:name>", endpoint="user"), Rule("/<page>", endpoint="page")],
        converters={"user": Users},
    )
    assert adapter(url_map, "/bob") == ("user", {"name": "BOB"})
    users.known.clear()
    assert adapter(url_map, "/bob") == ("page", {"page": "bob"})


def test_a_remembered_rule_refusing_with_no_other_candidate_is_not_found(users):
    users.known = {"bob"}
    url_map = Map([Rule("/u/<user:name>", endpoint="user")], converters={"user": Users})
    assert adapter(url_map, "/u/bob") == ("user", {"name": "BOB"})
    users.known.clear()
    with pytest.raises(NotFound):
        adapter(url_map, "/u/bob")


def test_adding_a_rule_forgets_remembered_outcomes():
    url_map = Map([Rule("/x/<value>", endpoint="any")])
    assert adapter(url_map, "/x/1") == ("any", {"value": "1"})
    url_map.add(Rule("/x/<int:value>", endpoint="int"))
    # The int converter ranks before the default one.
    assert adapter(url_map, "/x/1") == ("int", {"value": 1})


def test_methods_are_part_of_what_is_remembered():
    url_map = Map([
        Rule("/r/<k>", endpoint="read", methods=["GET"]),
        Rule("/r/<k>", endpoint="write", methods=["POST"]),
    ])
    assert adapter(url_map, "/r/a", "GET") == ("read", {"k": "a"})
    assert adapter(url_map, "/r/a", "POST") == ("write", {"k": "a"})
    assert adapter(url_map, "/r/a", "GET") == ("read", {"k": "a"})


def test_each_match_gets_its_own_values_dict():
    url_map = Map([Rule("/p/<k>", endpoint="p", defaults={"d": 1})])
    _, first = adapter(url_map, "/p/a")
    first["k"] = "changed"
    first["d"] = 2
    assert adapter(url_map, "/p/a") == ("p", {"k": "a", "d": 1})


def test_what_is_remembered_is_bounded():
    url_map = Map([Rule("/item/<path:rest>", endpoint="item")])
    for i in range(matcher_module._CACHE_SIZE + 10):
        adapter(url_map, f"/item/{i}")
    assert len(url_map._matcher._outcomes) <= matcher_module._CACHE_SIZE
    long_path = "/item/" + "a" * matcher_module._CACHE_PATH_LIMIT
    url_map._matcher._outcomes.clear()
    assert adapter(url_map, long_path) == ("item", {"rest": "a" * matcher_module._CACHE_PATH_LIMIT})
    assert url_map._matcher._outcomes == {}
