"""Hostile requests: huge paths, slashes, NULs, bad escapes and bytes.

Every case must end in a routing answer (match, 404, 405, redirect) and
stay linear: the inputs are big enough that a quadratic step would make
this file visibly slow.
"""

from __future__ import annotations

import pytest

from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import RequestRedirect
from wsgikit.routing import Rule

HOSTILE_MAP = Map(
    [
        Rule("/", endpoint="index"),
        Rule("/a/", endpoint="a"),
        Rule("/s/<name>", endpoint="s"),
        Rule("/i/<int:n>", endpoint="i"),
        Rule("/p/<path:rest>", endpoint="p"),
        Rule("/e/<path:rest>/edit", endpoint="edit"),
        Rule("/t/<path:rest>/", endpoint="t"),
        Rule("/f/<float:x>", endpoint="f"),
    ]
)
BIG = 64 * 1024


def answer(path, **kwargs):
    try:
        return HOSTILE_MAP.bind("example.com").match(path, **kwargs)
    except RequestRedirect as error:
        return ("redirect", error.new_url)
    except HTTPException as error:
        return (error.code,)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/" + "x" * BIG, (404,)),
        ("/s/" + "x" * BIG, ("s", {"name": "x" * BIG})),
        ("/i/" + "9" * BIG, (404,)),
        ("/i/" + "9" * 5000, (404,)),
        ("/i/" + "1" * 4000, ("i", {"n": int("1" * 4000)})),
        ("/f/" + "1" * BIG + "." + "x", (404,)),
        ("/p/" + "a/" * (BIG // 2), ("p", {"rest": "a/" * (BIG // 2)})),
        ("/e/" + "a/" * (BIG // 2) + "x", (404,)),
        ("/e/" + "a/" * (BIG // 2) + "edit", ("edit", {"rest": "a/" * (BIG // 2 - 1) + "a"})),
        ("/t/" + "a/" * (BIG // 2) + "a", ("redirect", "http://example.com/t/" + "a/" * (BIG // 2) + "a/")),
        ("/" * BIG, ("index", {})),
        ("/a" + "/" * BIG, ("redirect", "http://example.com/a/")),
        ("/s/" + "/" * BIG + "x", ("redirect", "http://example.com/s/x")),
        ("/x" + "/" * BIG + "y", (404,)),
        ("/s/a\x00b", ("s", {"name": "a\x00b"})),
        ("/\x00", (404,)),
        ("/s/%zz%", ("s", {"name": "%zz%"})),
        ("/s/%", ("s", {"name": "%"})),
        ("/s/%C3%28", ("s", {"name": "%C3%28"})),
        ("/s/\udcff", ("s", {"name": "\udcff"})),
        ("/p/\n", ("p", {"rest": "\n"})),
        ("/s/" + "%2F" * 10000, ("s", {"name": "%2F" * 10000})),
    ],
    ids=lambda value: repr(value)[:24],
)
def test_hostile_paths(path, expected):
    assert answer(path) == expected


def test_huge_path_with_many_segments_against_deep_map():
    deep = Map([Rule("/" + "/".join(f"<s{i}>" for i in range(30)), endpoint="deep"), Rule("/<path:p>", endpoint="p")])
    path = "/x" * 20000
    assert deep.bind("h").match(path) == ("p", {"p": path[1:]})


@pytest.mark.parametrize(
    "path",
    ["//evil.example/a", "/\\evil.example/a", "///evil.example//a", "/\\\\evil.example", "/a//\\evil"],
)
def test_redirect_location_stays_on_this_host(path):
    url_map = Map([Rule("/<path:p>/", endpoint="p"), Rule("/a/", endpoint="a")])
    try:
        url_map.bind("example.com", "/").match(path)
    except RequestRedirect as error:
        assert error.new_url.startswith("http://example.com/")
        assert not error.new_url.startswith("http://example.com//")
    else:
        pytest.fail("expected a redirect")


def test_redirect_with_hostile_query_string():
    url_map = Map([Rule("/a/", endpoint="a")])
    with pytest.raises(RequestRedirect) as info:
        url_map.bind("example.com", query_args="x=%zz&y=\r\n").match("/a")
    assert info.value.new_url == "http://example.com/a/?x=%zz&y=\r\n"


def test_hostile_environ():
    url_map = Map([Rule("/s/<name>", endpoint="s")])
    env = {
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": "srv",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/s/\xff\x00" + "\xc3" * BIG,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "HTTP_HOST": "bad host\x00",
    }
    adapter = url_map.bind_to_environ(env)
    endpoint, values = adapter.match()
    assert endpoint == "s"
    assert values["name"].startswith("\ufffd\x00")


@pytest.mark.parametrize("method", ["", "G E T", "\x00", "x" * BIG])
def test_strange_methods(method):
    url_map = Map([Rule("/g", endpoint="g", methods=["GET"]), Rule("/any", endpoint="any")])
    adapter = url_map.bind("h")
    assert adapter.match("/any", method=method or None) == ("any", {})
    if method:
        with pytest.raises(HTTPException) as info:
            adapter.match("/g", method=method)
        assert info.value.code == 405


def test_unmatched_is_not_found_not_other_errors():
    with pytest.raises(NotFound):
        HOSTILE_MAP.bind("example.com").match("/i/" + "\u0661" * 10 + "x")
