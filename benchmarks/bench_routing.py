"""Routing scenarios: matching and building on a 2,000-rule map, map
construction, and matching cost versus map size (peer: our own small map)."""

from __future__ import annotations

import typing as t

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import


def _rule_specs(count: int) -> list[tuple[str, str]]:
    """A mixed map: static pages, int/str converters, suffixes and paths."""
    specs = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            specs.append((f"/section{i}/about", f"static{i}"))
        elif kind == 1:
            specs.append((f"/section{i}/item/<int:item_id>", f"item{i}"))
        elif kind == 2:
            specs.append((f"/users{i}/<username>/posts/<int:post>", f"post{i}"))
        else:
            specs.append((f"/files{i}/<path:filename>", f"file{i}"))
    return specs


def _make_map(module: t.Any, count: int) -> t.Any:
    return module.Map([module.Rule(path, endpoint=endpoint) for path, endpoint in _rule_specs(count)])


def _last_dynamic_path(count: int) -> str:
    # The last-registered converter rule (kind 2) of the map.
    last = max(i for i in range(count) if i % 4 == 2)
    return f"/users{last}/alice/posts/42"


def _match_2000(path: str, first_time: bool = False) -> Comparison:
    """Match ``path`` in the 2,000-rule map, ours against Werkzeug's. With
    ``first_time`` the general walk's memory of past paths is cleared
    before each match; the compiled matcher (what ``match`` uses) keeps
    no such memory, so both variants measure a path as if new."""
    import wsgikit.routing as ours

    wz = try_import("werkzeug.routing")
    url_map = _make_map(ours, 2000)
    adapter = url_map.bind("example.com")
    peer = _make_map(wz, 2000).bind("example.com") if wz else None
    if first_time:
        forget = url_map._matcher._outcomes.clear

        def run() -> object:
            forget()
            return adapter.match(path)

    else:

        def run() -> object:
            return adapter.match(path)

    return Comparison(
        ours=run,
        peer=(lambda: peer.match(path)) if peer else None,
        peer_name="werkzeug",
        unit="match",
        target=1.5,
    )


@scenario("routing.match_2000_last_rule")
def match_last_rule() -> Comparison:
    return _match_2000(_last_dynamic_path(2000))


@scenario("routing.match_2000_last_rule_first_time")
def match_last_rule_first_time() -> Comparison:
    """As above, walking the tree for a path not seen yet."""
    return _match_2000(_last_dynamic_path(2000), first_time=True)


@scenario("routing.match_2000_static")
def match_static() -> Comparison:
    return _match_2000("/section1996/about")


@scenario("routing.match_flat_in_map_size")
def match_flat() -> Comparison:
    """Ours with 2,000 rules against ours with 20: cost must stay flat."""
    import wsgikit.routing as ours

    big = _make_map(ours, 2000).bind("example.com")
    small = _make_map(ours, 20).bind("example.com")
    big_path, small_path = _last_dynamic_path(2000), _last_dynamic_path(20)
    return Comparison(
        ours=lambda: big.match(big_path),
        peer=lambda: small.match(small_path),
        peer_name="ours-20-rules",
        unit="match",
        target=0.8,
    )


@scenario("routing.build_url")
def build_url() -> Comparison:
    import wsgikit.routing as ours

    wz = try_import("werkzeug.routing")
    values = {"username": "alice", "post": 42}
    adapter = _make_map(ours, 2000).bind("example.com")
    peer = _make_map(wz, 2000).bind("example.com") if wz else None
    return Comparison(
        ours=lambda: adapter.build("post1998", values),
        peer=(lambda: peer.build("post1998", values)) if peer else None,
        peer_name="werkzeug",
        unit="build",
        target=2.0,
    )


@scenario("routing.build_url_with_query")
def build_url_query() -> Comparison:
    import wsgikit.routing as ours

    wz = try_import("werkzeug.routing")
    values = {"item_id": 7, "page": 2, "q": "a b"}
    adapter = _make_map(ours, 200).bind("example.com")
    peer = _make_map(wz, 200).bind("example.com") if wz else None
    return Comparison(
        ours=lambda: adapter.build("item197", values),
        peer=(lambda: peer.build("item197", values)) if peer else None,
        peer_name="werkzeug",
        unit="build",
        target=1.0,
    )


@scenario("routing.map_construction_2000")
def map_construction() -> Comparison:
    """Create the rules, the map, and do the first match (startup cost)."""
    import wsgikit.routing as ours

    wz = try_import("werkzeug.routing")
    path = _last_dynamic_path(2000)

    def run(module: t.Any) -> object:
        return _make_map(module, 2000).bind("example.com").match(path)

    return Comparison(
        ours=lambda: run(ours),
        peer=(lambda: run(wz)) if wz else None,
        peer_name="werkzeug",
        unit="map",
        target=2.0,
    )
