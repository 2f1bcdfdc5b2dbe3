"""Map.bind_to_environ caches what it derives from the host and script
root: the cache must never mix up hosts, settings or per-request values."""

from __future__ import annotations

import warnings

import pytest

from wsgikit.exceptions import BadHost
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.routing import map as map_module


def environ(**overrides):
    env = {
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": "srv",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
    }
    env.update(overrides)
    return env


def state(adapter):
    return (adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme, adapter.websocket)


def test_two_hosts_get_their_own_adapters():
    url_map = Map([Rule("/", endpoint="i")])
    for _ in range(3):
        a = url_map.bind_to_environ(environ(HTTP_HOST="a.example"))
        b = url_map.bind_to_environ(environ(HTTP_HOST="B.example:8080"))
        assert a is not b
        assert state(a) == ("a.example", "/", "", "http", False)
        assert state(b) == ("b.example:8080", "/", "", "http", False)


def test_per_request_values_are_never_cached():
    url_map = Map([Rule("/<x>", endpoint="x")])
    first = url_map.bind_to_environ(environ(PATH_INFO="/one", QUERY_STRING="a=1", REQUEST_METHOD="POST"))
    second = url_map.bind_to_environ(environ(PATH_INFO="/caf\xc3\xa9", QUERY_STRING="b=\xc3\xa9"))
    assert (first.path_info, first.query_args, first.default_method) == ("/one", "a=1", "POST")
    assert (second.path_info, second.query_args, second.default_method) == ("/caf\xe9", "b=\xe9", "GET")
    assert second.match() == ("x", {"x": "caf\xe9"})


def test_websocket_flag_is_per_request_for_the_same_host():
    url_map = Map([Rule("/", endpoint="i")])
    ws = {"HTTP_UPGRADE": "websocket", "HTTP_CONNECTION": "Upgrade"}
    assert state(url_map.bind_to_environ(environ(**ws))) == ("srv", "/", "", "ws", True)
    assert state(url_map.bind_to_environ(environ())) == ("srv", "/", "", "http", False)
    assert state(url_map.bind_to_environ(environ(**ws, **{"wsgi.url_scheme": "https"})))[3:] == ("wss", True)
    assert state(url_map.bind_to_environ(environ(**{"wsgi.url_scheme": "https"})))[3:] == ("https", False)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"SCRIPT_NAME": "/a"}, {"SCRIPT_NAME": "/b"}),
        ({"SERVER_PORT": "80"}, {"SERVER_PORT": "81"}),
        ({"SERVER_NAME": "one"}, {"SERVER_NAME": "two"}),
        ({"wsgi.url_scheme": "http"}, {"wsgi.url_scheme": "https"}),
        ({"HTTP_HOST": "x.example"}, {}),
    ],
)
def test_every_host_input_is_part_of_the_key(first, second):
    url_map = Map([Rule("/", endpoint="i")])
    fresh = Map([Rule("/", endpoint="i")])
    for env in (first, second, first, second):
        assert state(url_map.bind_to_environ(environ(**env))) == state(fresh.bind_to_environ(environ(**env)))
        fresh._bind_cache.clear()


def test_arguments_and_map_settings_are_part_of_the_key():
    url_map = Map([Rule("/", endpoint="i")], default_subdomain="www")
    env = environ(HTTP_HOST="api.example.com")
    assert url_map.bind_to_environ(env).subdomain == ""
    assert url_map.bind_to_environ(env, server_name="example.com").subdomain == "api"
    assert url_map.bind_to_environ(env, server_name="example.com", subdomain="zz").subdomain == "zz"
    assert url_map.bind_to_environ(env, server_name="Example.COM").server_name == "example.com"
    url_map.host_matching = True
    assert url_map.bind_to_environ(env).subdomain is None
    with pytest.raises(RuntimeError, match="host matching enabled"):
        url_map.bind_to_environ(env, subdomain="zz")
    url_map.host_matching = False
    assert url_map.bind_to_environ(env, server_name="example.com").subdomain == "api"


def test_rules_added_after_binding_are_matched():
    url_map = Map([Rule("/a", endpoint="a")])
    assert url_map.bind_to_environ(environ(PATH_INFO="/a")).match() == ("a", {})
    url_map.add(Rule("/b", endpoint="b"))
    assert url_map.bind_to_environ(environ(PATH_INFO="/b")).match() == ("b", {})


def test_wrong_server_name_warns_on_every_request():
    url_map = Map([Rule("/", endpoint="i")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            adapter = url_map.bind_to_environ(environ(HTTP_HOST="other.org"), server_name="example.com")
            assert adapter.subdomain == "<invalid>"
    assert len(caught) == 3
    assert all(w.filename == __file__ for w in caught)


def test_bad_host_is_refused_on_every_request():
    url_map = Map([Rule("/", endpoint="i")])
    for _ in range(3):
        with pytest.raises(BadHost):
            url_map.bind_to_environ(environ(), server_name="a" * 70 + ".d\xe9", subdomain="")


def test_unhashable_environ_values_are_not_cached():
    url_map = Map([Rule("/", endpoint="i")])
    adapter = url_map.bind_to_environ(environ(SERVER_PORT=["80"]))
    assert adapter.match() == ("i", {})
    assert url_map._bind_cache == {}


def test_cache_is_bounded_under_many_hosts():
    url_map = Map([Rule("/", endpoint="i")])
    for i in range(map_module._BIND_CACHE_SIZE * 3):
        adapter = url_map.bind_to_environ(environ(HTTP_HOST=f"h{i}.example"))
        assert adapter.server_name == f"h{i}.example"
        assert len(url_map._bind_cache) <= map_module._BIND_CACHE_SIZE
