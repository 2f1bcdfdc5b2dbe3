"""Map.bind_to_environ's fast path (subscripts, the Host-keyed cache, the
adapter built without a class call) against its general path and against
MapAdapter built by its constructor."""

from __future__ import annotations

import typing as t
import warnings

import pytest

from wsgikit.exceptions import BadHost
from wsgikit.routing import Map
from wsgikit.routing import MapAdapter
from wsgikit.routing import Rule


def environ(**overrides: t.Any) -> dict[str, t.Any]:
    env: dict[str, t.Any] = {
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": "srv",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "PATH_INFO": "/p",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "HTTP_HOST": "example.com",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not _MISSING}


_MISSING = object()
WS = {"HTTP_UPGRADE": "WebSocket", "HTTP_CONNECTION": "keep-alive, Upgrade"}

CASES = [
    {},
    {"HTTP_HOST": "API.Example.com:8080"},
    {"HTTP_HOST": "example.com:80"},
    {"wsgi.url_scheme": "https", "HTTP_HOST": "example.com:443"},
    WS,
    {**WS, "wsgi.url_scheme": "https"},
    {"HTTP_UPGRADE": "h2c", "HTTP_CONNECTION": "Upgrade"},
    {"HTTP_UPGRADE": None},
    {"REQUEST_METHOD": b"POST"},
    {"REQUEST_METHOD": "patch"},
    {"PATH_INFO": "/caf\xc3\xa9", "QUERY_STRING": "q=\xc3\xa9&x=\xff"},
    {"SCRIPT_NAME": "/app"},
    {"SCRIPT_NAME": "/app/"},
    {"HTTP_HOST": _MISSING},
    {"HTTP_HOST": _MISSING, "SERVER_PORT": "8080"},
    {"QUERY_STRING": _MISSING, "SCRIPT_NAME": _MISSING},
    {"PATH_INFO": _MISSING},
    {"REQUEST_METHOD": _MISSING},
    {"HTTP_HOST": "b\xfccher.example"},
]

ARGUMENTS = [
    {},
    {"server_name": "example.com"},
    {"server_name": "example.com", "subdomain": "www"},
    {"subdomain": ""},
]


def state(adapter: MapAdapter) -> dict[str, t.Any]:
    return dict(vars(adapter))


@pytest.mark.parametrize("overrides", CASES)
@pytest.mark.parametrize("arguments", ARGUMENTS)
@pytest.mark.parametrize("host_matching", [False, True])
def test_fast_path_binds_as_the_general_path(overrides, arguments, host_matching) -> None:
    if host_matching and "subdomain" in arguments:
        return
    url_map = Map([Rule("/p", endpoint="p")], host_matching=host_matching)
    reference = Map([Rule("/p", endpoint="p")], host_matching=host_matching)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(3):  # a miss, then cache hits
            fast = url_map.bind_to_environ(environ(**overrides), **arguments)
            slow = reference._bind_to_environ(environ(**overrides), arguments.get("server_name"), arguments.get("subdomain"))
            expected = state(slow)
            expected["map"] = url_map
            assert state(fast) == expected
            assert list(vars(fast)) == list(vars(slow))


def test_adapter_attributes_are_the_constructors() -> None:
    url_map = Map([Rule("/p", endpoint="p")])
    fast = url_map.bind_to_environ(environ(**WS, QUERY_STRING="a=1"))
    made = MapAdapter(url_map, "example.com", "/", "", "ws", "/p", "GET", "a=1")
    assert vars(fast) == vars(made)
    assert list(vars(fast)) == list(vars(made))
    assert type(fast) is MapAdapter


def test_a_request_object_is_accepted() -> None:
    class Request:
        def __init__(self, env: dict[str, t.Any]) -> None:
            self.environ = env

    url_map = Map([Rule("/p", endpoint="p")])
    assert url_map.bind_to_environ(Request(environ())).match() == ("p", {})


def test_bad_host_is_refused_on_every_request_on_the_fast_path() -> None:
    url_map = Map([Rule("/", endpoint="i")])
    for _ in range(3):
        with pytest.raises(BadHost):
            url_map.bind_to_environ(environ(HTTP_HOST="a..b"))
    assert url_map._bind_cache == {}


def test_the_invalid_subdomain_warns_on_every_request_on_the_fast_path() -> None:
    url_map = Map([Rule("/", endpoint="i")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            adapter = url_map.bind_to_environ(environ(HTTP_HOST="other.org"), server_name="example.com")
            assert adapter.subdomain == "<invalid>"
    assert len(caught) == 3
    assert all(w.filename == __file__ for w in caught)


def test_a_settings_change_is_not_served_from_the_cache() -> None:
    url_map = Map([Rule("/", endpoint="i")], default_subdomain="www")
    env = environ(HTTP_HOST="api.example.com")
    assert url_map.bind_to_environ(env, server_name="example.com").subdomain == "api"
    url_map.host_matching = True
    assert url_map.bind_to_environ(env).subdomain is None
    url_map.host_matching = False
    url_map.default_subdomain = "other"
    assert url_map.bind_to_environ(env).subdomain == ""
