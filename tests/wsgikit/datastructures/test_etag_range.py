from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from wsgikit.datastructures import ContentRange, ETags, IfRange, Range

# -- ETags --------------------------------------------------------------------


def test_etags_strong_and_weak():
    e = ETags(["a", "c"], ["b"])
    assert e.contains("a") and not e.contains("b")
    assert e.contains_weak("b") and e.contains_weak("a")
    assert e.is_weak("b") and not e.is_weak("a")
    assert e.is_strong("a") and not e.is_strong("b")
    assert "a" in e and "b" not in e
    assert sorted(e) == ["a", "c"] and len(e) == 2 and bool(e)
    assert e.as_set() == {"a", "c"} and e.as_set(include_weak=True) == {"a", "b", "c"}
    assert e.contains_raw('W/"b"') and e.contains_raw('"a"') and e.contains_raw("a")
    assert not e.contains_raw('"b"')


def test_etags_call():
    e = ETags(["a"], ["b"])
    assert e("a") and not e("b") and e("b", include_weak=True)
    data_tag = ETags([hashlib.sha1(b"x").hexdigest()])
    assert data_tag(data=b"x") and not data_tag(data=b"y")
    with pytest.raises(TypeError, match="'data' is required when 'etag' is not given."):
        e()


def test_etags_star():
    s = ETags(["ignored"], star_tag=True)
    assert s.contains("x") and s.contains_weak("x") and "x" in s
    assert not s.is_strong("x") and not s.is_weak("x")
    assert len(s) == 0 and bool(s) and list(s) == []
    assert s.to_header() == "*" and repr(s) == "<ETags '*'>"


def test_etags_header_and_empty():
    assert ETags(["a"], ["b"]).to_header() == '"a", W/"b"'
    assert str(ETags(["a"])) == '"a"'
    assert repr(ETags()) == "<ETags ''>" and not ETags()


# -- Range --------------------------------------------------------------------


def test_range_header_and_repr():
    r = Range("bytes", [(0, 500), (600, None)])
    assert r.units == "bytes" and r.ranges == [(0, 500), (600, None)]
    assert r.to_header() == str(r) == "bytes=0-499,600-"
    assert repr(r) == "<Range 'bytes=0-499,600-'>"
    assert Range("bytes", [(0, 500), (-5, None), (7, None)]).to_header() == "bytes=0-499,-5,7-"


@pytest.mark.parametrize("bad", [(5, 2), (-5, 7), (5, 5), (None, 5), (-1, -1), (None, None)])
def test_range_invalid(bad):
    with pytest.raises(ValueError, match="is not a valid range"):
        Range("bytes", [bad])


@pytest.mark.parametrize(
    ("units", "ranges", "length", "expected"),
    [
        ("bytes", [(0, 500)], 1000, (0, 500)),
        ("bytes", [(0, 500)], 100, (0, 100)),
        ("bytes", [(0, None)], 100, (0, 100)),
        ("bytes", [(-200, None)], 100, None),
        ("bytes", [(-200, None)], 1000, (800, 1000)),
        ("bytes", [(0, 500), (600, None)], 1000, None),
        ("bytes", [(0, 500)], None, None),
        ("items", [(0, 5)], 10, None),
        ("bytes", [(500, 600)], 100, None),
        ("bytes", [(100, None)], 100, None),
        ("bytes", [(99, None)], 100, (99, 100)),
        ("bytes", [(0, None)], 0, None),
    ],
)
def test_range_for_length(units, ranges, length, expected):
    r = Range(units, ranges)
    assert r.range_for_length(length) == expected
    content_range = r.make_content_range(length)
    header = r.to_content_range_header(length)
    if expected is None:
        assert content_range is None and header is None
    else:
        assert (content_range.start, content_range.stop, content_range.length) == (*expected, length)
        assert header == f"{units} {expected[0]}-{expected[1] - 1}/{length}"


# -- ContentRange ---------------------------------------------------------------


def test_content_range_fields_and_updates():
    calls = []
    c = ContentRange("bytes", 0, 500, 1000, on_update=lambda x: calls.append(x.to_header()))
    assert calls == ["bytes 0-499/1000"]
    assert (c.units, c.start, c.stop, c.length) == ("bytes", 0, 500, 1000)
    assert str(c) == "bytes 0-499/1000" and repr(c) == "<ContentRange 'bytes 0-499/1000'>" and c
    c.set(0, 10)
    assert calls[-1] == "bytes 0-9/*"
    c.length = 50
    assert calls[-1] == "bytes 0-9/50"
    c.unset()
    assert calls[-1] == "" and not c and c.units is None and c.start is None
    c.units = "bytes"
    c.start = 5  # stop still None: no crash, formats as unsatisfied
    assert calls[-1] == "bytes */*"  # unset() cleared the length too
    c.stop = 10
    c.length = 50
    assert c.to_header() == "bytes 5-9/50"


def test_content_range_edge_cases():
    assert ContentRange("bytes", None, None, 100).to_header() == "bytes */100"
    assert not ContentRange(None, None, None)
    assert ContentRange("bytes", 0, 10).to_header() == "bytes 0-9/*"
    with pytest.raises(AssertionError, match="Bad range provided"):
        ContentRange("bytes", 5, 2, 10)
    c = ContentRange("bytes", 0, 10)
    with pytest.raises(AssertionError):
        c.set(5, 2)
    with pytest.raises(AssertionError):
        c.set(0, None)
    assert c.to_header() == "bytes 0-9/*"


# -- IfRange ----------------------------------------------------------------------


def test_if_range():
    i = IfRange(etag="abc")
    assert (i.etag, i.date) == ("abc", None)
    assert i.to_header() == str(i) == '"abc"' and repr(i) == "<IfRange '\"abc\"'>"
    d = IfRange(date=datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    assert d.to_header() == "Thu, 02 Jan 2020 03:04:05 GMT"
    assert IfRange().to_header() == "" and repr(IfRange()) == "<IfRange ''>"
