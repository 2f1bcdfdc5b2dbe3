"""``microflask.templating.utils``, compared with ``jinja2.utils``."""

from __future__ import annotations

import pickle
import typing as t

import pytest

from microflask import templating
from microflask.templating import utils

NAMES = [None, "a.html", "a.HTML", "a.htm", "a.xml", "a.txt", "a", "x.html.j2", "a.xhtml", ".html", "html"]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"enabled_extensions": ["html"], "disabled_extensions": ["txt"], "default_for_string": False, "default": True}, {"enabled_extensions": (".j2",)}],
)
def test_select_autoescape(kwargs: dict[str, t.Any]) -> None:
    ours = [utils.select_autoescape(**kwargs)(name) for name in NAMES]
    assert templating.select_autoescape is utils.select_autoescape
    jinja_utils = pytest.importorskip("jinja2.utils")
    assert ours == [jinja_utils.select_autoescape(**kwargs)(name) for name in NAMES]


def test_select_autoescape_in_an_environment() -> None:
    env = templating.Environment(loader=templating.DictLoader({"a.html": "{{ x }}", "a.txt": "{{ x }}"}), autoescape=utils.select_autoescape())
    assert env.get_template("a.html").render(x="<") == "&lt;"
    assert env.get_template("a.txt").render(x="<") == "<"
    assert env.from_string("{{ x }}").render(x="<") == "&lt;"


def _lru_trace(module: t.Any) -> list[t.Any]:
    cache = module.LRUCache(3)
    trace: list[t.Any] = []
    for key in "abcd":
        cache[key] = key.upper()
    trace += [repr(cache), list(cache.keys()), list(cache.items()), cache.get("b"), list(cache.keys())]
    trace += [cache.capacity, len(cache), "a" in cache, cache.setdefault("e", 5), list(cache), cache.get("zz", 0)]
    trace += [list(cache.values()), list(reversed(cache)), repr(cache.copy()), repr(pickle.loads(pickle.dumps(cache)))]
    del cache["e"]
    trace.append(repr(cache))
    cache.clear()
    trace += [repr(cache), len(cache)]
    return trace


def test_lru_cache() -> None:
    assert _lru_trace(utils)[:4] == ["<LRUCache {'b': 'B', 'c': 'C', 'd': 'D'}>", ["d", "c", "b"], [("d", "D"), ("c", "C"), ("b", "B")], "B"]
    jinja_utils = pytest.importorskip("jinja2.utils")
    assert _lru_trace(utils) == _lru_trace(jinja_utils)


@pytest.mark.parametrize(("obj", "for_qs"), [("a b/ü?&=", False), ("a b/ü?&=", True), (b"a b", False), (5, False)])
def test_url_quote(obj: t.Any, for_qs: bool) -> None:
    jinja_utils = pytest.importorskip("jinja2.utils")
    assert utils.url_quote(obj, for_qs=for_qs) == jinja_utils.url_quote(obj, for_qs=for_qs)


def test_small_helpers(tmp_path: t.Any) -> None:
    assert str(utils.htmlsafe_json_dumps({"a": "<b>&'"})) == '{"a": "\\u003cb\\u003e\\u0026\\u0027"}'
    assert utils.object_type_repr(None) == "None" and utils.object_type_repr(1) == "int object"
    assert utils.open_if_exists(str(tmp_path / "missing")) is None
    assert utils.open_if_exists(str(tmp_path)) is None
    (tmp_path / "f").write_bytes(b"x")
    with utils.open_if_exists(str(tmp_path / "f")) as f:  # type: ignore[union-attr]
        assert f.read() == b"x"
    items = iter([1, 2])
    assert utils.consume(items) is None and list(items) == []
    assert utils.urlize("see http://a.com and x@y.com", trim_url_limit=10, rel="nofollow", target="_blank") == (
        'see <a href="http://a.com" rel="nofollow" target="_blank">http://a.c...</a> and <a href="mailto:x@y.com">x@y.com</a>'
    )
    assert utils.is_undefined(templating.Undefined()) and utils.concat(["a", "b"]) == "ab"
    assert utils.pformat({"a": 1}) == "{'a': 1}"


def test_clear_caches() -> None:
    from microflask.templating.environment import _SHARED

    templating.Template("x").render()
    assert _SHARED
    templating.clear_caches()
    assert not _SHARED
