"""Property tests: the matcher against a simple linear reference matcher.

The reference does not use the tree.  It checks every rule with one regex
over the whole path and sorts the matching rules by the documented
priority (docs/routing.md): part by part, static before dynamic; dynamic
parts by (more static pieces, earlier/longer static pieces, fewer
converters, lower converter weights); then registration order.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.exceptions import NotFound
from wsgikit.routing import Map
from wsgikit.routing import Rule

# Rule segments; ``{i}`` becomes the segment position so names stay unique.
SEGMENTS = [
    "a",
    "b",
    "ab",
    "<x{i}>",
    "<int:x{i}>",
    "<float:x{i}>",
    "<x{i}>.html",
    "<string(length=2):x{i}>",
    "a-<int:x{i}>",
    "<any(a,b):x{i}>",
    "<x{i}>-1",
    "<path:x{i}>",
]
PATH_SEGMENTS = ["a", "b", "ab", "aa", "1", "12", "1.5", "x.html", "a-1", "b-1"]
CONVERTERS = {
    "default": (r"[^/]+", 100, str),
    "int": (r"\d+", 50, int),
    "float": (r"\d+\.\d+", 50, float),
    "string(length=2)": (r"[^/]{2}", 100, str),
    "any(a,b)": (r"(?:a|b)", 100, str),
    "path": (r"[^/].*?", 200, str),
}
VARIABLE = re.compile(r"<(?:([^:>]+):)?(\w+)>")


def pieces(text):
    """Split rule text into ("s", text) and ("v", converter, name) tokens."""
    out, pos = [], 0
    for match in VARIABLE.finditer(text):
        if match.start() > pos:
            out.append(("s", text[pos : match.start()]))
        out.append(("v", match.group(1) or "default", match.group(2)))
        pos = match.end()
    if pos < len(text):
        out.append(("s", text[pos:]))
    return out


def weight(tokens):
    statics = tuple((i, -len(tok[1])) for i, tok in enumerate(tokens) if tok[0] == "s")
    args = tuple(CONVERTERS[tok[1]][1] for tok in tokens if tok[0] == "v")
    return (-len(statics), statics, -len(args), args)


def rule_parts(segments):
    """The rule's parts: one per segment, the final one spanning the rest."""
    parts = []
    for index, segment in enumerate(segments):
        if "<path:" in segment:
            parts.append("/".join(segments[index:]))
            break
        parts.append(segment)
    return parts


def reference_match(rules, path):
    """Linear reference: returns (index, values) or None."""
    parts_of = [rule_parts(segments) for segments in rules]
    candidates = []
    for index, (segments, parts) in enumerate(zip(rules, parts_of)):
        regex, converters = "", []
        for token in pieces("/" + "/".join(segments)):
            if token[0] == "s":
                regex += re.escape(token[1])
            else:
                regex += f"({CONVERTERS[token[1]][0]})"
                converters.append((token[2], CONVERTERS[token[1]][2]))
        match = re.fullmatch(regex, path, re.DOTALL)
        if match is None:
            continue
        key = []
        for part in parts:
            tokens = pieces(part)
            if all(tok[0] == "s" for tok in tokens):
                key.append((0,))
            else:
                key.append((1, weight(tokens)))
        values = {name: convert(text) for (name, convert), text in zip(converters, match.groups())}
        candidates.append((key, index, values))
    if not candidates:
        return None
    _, index, values = min(candidates, key=lambda item: (item[0], item[1]))
    return index, values


rule_strategy = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3).map(
    lambda segs: [seg.format(i=i) for i, seg in enumerate(segs)]
)
path_strategy = st.lists(st.sampled_from(PATH_SEGMENTS), min_size=1, max_size=4).map(
    lambda segs: "/" + "/".join(segs)
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(rules=st.lists(rule_strategy, min_size=1, max_size=8), paths=st.lists(path_strategy, min_size=1, max_size=5))
def test_matcher_agrees_with_linear_reference(rules, paths):
    adapter = Map([Rule("/" + "/".join(segments), endpoint=i) for i, segments in enumerate(rules)]).bind("h")
    for path in paths:
        expected = reference_match(rules, path)
        try:
            got = adapter.match(path)
        except NotFound:
            got = None
        assert got == expected, (rules, path)


def match_or_none(rules, path):
    adapter = Map([Rule("/" + "/".join(s), endpoint=i) for i, s in enumerate(rules)]).bind("h")
    try:
        return adapter.match(path)
    except NotFound:
        return None


@settings(max_examples=300, deadline=None)
@given(rules=st.lists(rule_strategy, min_size=1, max_size=6), extra=rule_strategy, path=path_strategy)
def test_priority_does_not_depend_on_unrelated_rules(rules, extra, path):
    """Adding a rule that does not match the path, before or after the
    others, never changes which rule matches."""
    assume(reference_match([extra], path) is None)
    expected = match_or_none(rules, path)
    assert match_or_none([*rules, extra], path) == expected
    shifted = match_or_none([extra, *rules], path)
    if expected is None:
        assert shifted is None
    else:
        assert shifted == (expected[0] + 1, expected[1])


@settings(max_examples=300, deadline=None)
@given(value=st.text(min_size=1).filter(lambda v: "/" not in v))
def test_build_then_match_round_trip(value):
    adapter = Map([Rule("/s/<value>", endpoint="s")]).bind("h")
    url = adapter.build("s", {"value": value})
    assert url.isascii()
    assert not set(url) & set(" #?\"<>\\^`{|}")
    assert unquote(url) == "/s/" + value
    assert adapter.match(unquote(url)) == ("s", {"value": value})


@settings(max_examples=200, deadline=None)
@given(number=st.integers(min_value=-(10**30), max_value=10**30))
def test_signed_int_round_trip(number):
    adapter = Map([Rule("/n/<int(signed=True):n>", endpoint="n")]).bind("h")
    url = adapter.build("n", {"n": number})
    assert adapter.match(url) == ("n", {"n": number})


@settings(max_examples=200, deadline=None)
@given(path=st.text(alphabet="/a\\%.\x00", max_size=60))
def test_any_path_gives_a_routing_answer(path):
    from wsgikit.exceptions import HTTPException

    adapter = Map(
        [Rule("/", endpoint="i"), Rule("/a/", endpoint="a"), Rule("/<x>", endpoint="x"), Rule("/p/<path:p>/", endpoint="p")]
    ).bind("h")
    try:
        adapter.match(path)
    except HTTPException as error:  # 404, 405 or a redirect: all routing answers
        if error.code in (301, 302, 308):
            assert error.new_url.startswith("http://h/")  # type: ignore[attr-defined]
