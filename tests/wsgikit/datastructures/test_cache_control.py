from __future__ import annotations

import copy
import pickle

import pytest

from wsgikit.datastructures import (
    ContentSecurityPolicy,
    RequestCacheControl,
    ResponseCacheControl,
)

_REQUEST_ATTRS = [
    "no_cache", "max_age", "max_stale", "min_fresh", "only_if_cached",
    "no_transform", "no_store", "stale_if_error",
]
_RESPONSE_ATTRS = [
    "no_cache", "max_age", "public", "private", "must_revalidate", "immutable",
    "s_maxage", "stale_while_revalidate", "proxy_revalidate", "must_understand",
    "no_store", "no_transform", "stale_if_error",
]


@pytest.mark.parametrize(
    ("directives", "expected"),
    [
        ({}, [False, None, None, None, False, False, False, None]),
        (
            {"no-cache": None, "max-age": "10", "max-stale": None, "min-fresh": "x",
             "only-if-cached": None, "no-transform": None, "stale-if-error": "5"},
            [True, 10, True, None, True, True, False, 5],
        ),
        (
            {"no-cache": "x", "max-stale": "5", "no-store": "1", "max-age": None},
            [True, None, 5, None, False, False, True, None],
        ),
        ({"max-stale": "*"}, [False, None, None, None, False, False, False, None]),
    ],
)
def test_request_cache_control_types(directives, expected):
    cc = RequestCacheControl(directives)
    assert [getattr(cc, name) for name in _REQUEST_ATTRS] == expected


def test_request_cache_control_is_immutable():
    cc = RequestCacheControl({"max-age": "1"})
    with pytest.raises(TypeError, match="'RequestCacheControl' objects are immutable"):
        cc.max_age = 5
    with pytest.raises(TypeError):
        cc["x"] = None
    assert hash(cc) == hash(RequestCacheControl({"max-age": "1"}))
    assert pickle.loads(pickle.dumps(cc)) == cc


@pytest.mark.parametrize(
    ("directives", "expected"),
    [
        ({}, [None, None, False, None, False, False, None, None, False, False, False, False, None]),
        (
            {"no-cache": None, "private": None, "max-age": "abc", "must-revalidate": "1",
             "s-maxage": "-1", "immutable": "x", "public": "1", "stale-while-revalidate": None},
            [True, None, True, True, True, True, -1, None, False, False, False, False, None],
        ),
        (
            {"no-cache": "a, b", "private": "x"},
            ["a, b", None, False, "x", False, False, None, None, False, False, False, False, None],
        ),
    ],
)
def test_response_cache_control_types(directives, expected):
    cc = ResponseCacheControl(directives)
    assert [getattr(cc, name) for name in _RESPONSE_ATTRS] == expected


def test_response_cache_control_setting_and_on_update():
    calls = []
    cc = ResponseCacheControl(on_update=lambda x: calls.append(x.to_header()))
    cc.no_cache = True
    cc.max_age = 10
    cc.public = True
    cc.private = "x"
    cc.s_maxage = "20"
    cc.immutable = True
    cc.stale_while_revalidate = 5
    assert calls[-1] == (
        "no-cache, max-age=10, public, private=x, s-maxage=20, immutable,"
        " stale-while-revalidate=5"
    )
    assert len(calls) == 7
    assert dict(cc) == {
        "no-cache": None, "max-age": "10", "public": None, "private": "x",
        "s-maxage": "20", "immutable": None, "stale-while-revalidate": "5",
    }
    assert (cc.no_cache, cc.max_age, cc.private, cc.public) == (True, 10, "x", True)
    assert repr(cc) == (
        "<ResponseCacheControl immutable=None max-age='10' no-cache=None private='x'"
        " public=None s-maxage='20' stale-while-revalidate='5'>"
    )


@pytest.mark.parametrize(
    ("name", "value", "stored", "read"),
    [
        ("max_age", 0, {"max-age": "0"}, 0),
        ("max_age", 1.7, {"max-age": "1"}, 1),
        ("max_age", True, {"max-age": None}, None),
        ("max_age", None, {}, None),
        ("max_age", False, {}, None),
        ("no_cache", "", {"no-cache": ""}, ""),
        ("no_cache", 1, {"no-cache": "1"}, "1"),
        ("no_cache", False, {}, None),
        ("private", 0, {"private": "0"}, "0"),
        ("public", "yes", {"public": None}, True),
        ("public", 0, {}, False),
        ("no_store", None, {}, False),
    ],
)
def test_response_cache_control_set_values(name, value, stored, read):
    cc = ResponseCacheControl()
    setattr(cc, name, value)
    assert dict(cc) == stored
    assert getattr(cc, name) == read


def test_response_cache_control_delete_and_bad_value():
    cc = ResponseCacheControl({"max-age": "5", "public": None})
    del cc.max_age
    del cc.max_age  # already gone: fine
    assert dict(cc) == {"public": None}
    with pytest.raises(ValueError):
        cc.max_age = "abc"
    assert str(cc) == "public"
    assert repr(ResponseCacheControl()) == "<ResponseCacheControl >"


def test_cache_control_to_header_quotes():
    assert ResponseCacheControl({"no-cache": "a, b", "private": "x"}).to_header() == (
        'no-cache="a, b", private=x'
    )


def test_cache_control_provided_and_copies():
    assert ResponseCacheControl().provided is True
    assert ResponseCacheControl(None).provided is False
    cc = ResponseCacheControl({"public": None})
    assert type(cc.copy()) is dict
    dup = copy.copy(cc)
    assert type(dup) is ResponseCacheControl and dup == cc


def test_csp_properties_and_header():
    calls = []
    csp = ContentSecurityPolicy(on_update=lambda x: calls.append(x.to_header()))
    assert csp.default_src is None and str(csp) == ""
    csp.default_src = "'self'"
    csp.img_src = "*"
    csp.script_src = None  # absent already: nothing happens
    assert calls == ["default-src 'self'", "default-src 'self'; img-src *"]
    assert dict(csp) == {"default-src": "'self'", "img-src": "*"}
    assert repr(csp) == "<ContentSecurityPolicy default-src=\"'self'\" img-src='*'>"
    del csp.img_src
    del csp.img_src
    assert csp.to_header() == "default-src 'self'"
    csp.sandbox = ""
    assert csp.sandbox == ""
    assert repr(ContentSecurityPolicy()) == "<ContentSecurityPolicy >"
    assert ContentSecurityPolicy(None).provided is False


@pytest.mark.parametrize(
    "name",
    [
        "base_uri", "child_src", "connect_src", "default_src", "font_src", "form_action",
        "frame_ancestors", "frame_src", "img_src", "manifest_src", "media_src", "navigate_to",
        "object_src", "prefetch_src", "plugin_types", "report_to", "report_uri", "sandbox",
        "script_src", "script_src_attr", "script_src_elem", "style_src", "style_src_attr",
        "style_src_elem", "worker_src",
    ],
)
def test_csp_every_directive(name):
    csp = ContentSecurityPolicy()
    setattr(csp, name, "x")
    assert dict(csp) == {name.replace("_", "-"): "x"}
    assert getattr(csp, name) == "x"
