from __future__ import annotations

import pickle

import pytest

from wsgikit.datastructures import Accept, CharsetAccept, LanguageAccept, MIMEAccept

_BROWSER = [
    ("text/html", 1),
    ("application/xhtml+xml", 1),
    ("application/xml", 0.9),
    ("*/*", 0.8),
]


def test_accept_basics():
    a = MIMEAccept(_BROWSER)
    assert a.provided
    assert a.best == "text/html"
    assert a["text/html"] == 1
    assert a["image/png"] == 0.8
    assert a[0] == ("text/html", 1)
    assert a[1:] == [("application/xhtml+xml", 1), ("application/xml", 0.9), ("*/*", 0.8)]
    assert a.quality("application/xml") == 0.9
    assert a.find("image/png") == 3 and a.find("foo/bar") == 3
    assert a.index("text/html") == 0 and a.index(("text/html", 1)) == 0
    assert a.find(("nope", 1)) == -1
    assert "image/png" in a
    assert list(a.values()) == ["text/html", "application/xhtml+xml", "application/xml", "*/*"]
    assert a.to_header() == str(a) == "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert repr(a) == (
        "MIMEAccept([('text/html', 1), ('application/xhtml+xml', 1),"
        " ('application/xml', 0.9), ('*/*', 0.8)])"
    )


def test_accept_empty_and_provided():
    assert Accept(None).provided is False
    assert Accept().provided is True
    assert Accept(Accept(None)).provided is False
    empty = MIMEAccept()
    assert empty.best is None
    assert empty.best_match(["a/b"], "d") == "d"
    assert empty["text/html"] == 0
    assert "x/y" not in empty
    assert repr(empty) == "MIMEAccept([])" and str(empty) == ""


def test_accept_is_immutable_and_hashable():
    a = Accept([("gzip", 1)])
    with pytest.raises(TypeError, match="'Accept' objects are immutable"):
        a.append(("br", 1))  # type: ignore[arg-type]
    assert hash(a) == hash(Accept([("gzip", 1)]))
    assert pickle.loads(pickle.dumps(a)) == a


def test_accept_sorts_by_specificity_then_quality():
    a = MIMEAccept([("text/*", 1), ("text/plain;format=flowed", 0.5), ("*/*", 0.9), ("text/html", 0.5)])
    assert list(a.values()) == ["text/plain;format=flowed", "text/html", "text/*", "*/*"]
    assert Accept([("*", 1), ("a", 0.1)]).best == "a"
    assert Accept([("a", 0.5), ("b", 1.0)]).to_header() == "b,a;q=0.5"


@pytest.mark.parametrize(
    ("values", "offers", "expected"),
    [
        (_BROWSER, ["application/json", "text/plain"], "application/json"),
        (_BROWSER, ["image/png", "text/html"], "text/html"),
        ([("text/*", 1), ("text/html", 1)], ["text/plain", "text/html"], "text/html"),
        ([("text/*", 0.5), ("*/*", 1)], ["text/plain", "image/png"], "image/png"),
        ([("text/html", 0.5), ("text/*", 1)], ["text/html"], "text/html"),
        ([("text/html", 1), ("text/plain", 1)], ["text/plain", "text/html"], "text/plain"),
        ([("*/*", 1)], ["a/b", "c/d"], "a/b"),
        ([("text/html;level=1", 1), ("text/html", 0.5)], ["text/html"], "text/html"),
        ([("text/html;level=1", 1)], ["text/html;level=1"], "text/html;level=1"),
        ([("text/html;level=1", 1)], ["text/html; LEVEL=1"], "text/html; LEVEL=1"),
        ([("text/html", 1)], ["text/html;level=1"], None),
        ([("text/html;level=1", 1)], ["text/html"], None),
        ([("a/b;x=1;y=2", 1)], ["a/b;y=2;x=1"], "a/b;y=2;x=1"),
        ([("*", 1)], ["text/html"], None),  # malformed client entry accepts nothing
        ([("text", 1)], ["text/html"], None),
        ([("text/html", 1)], ["*/*"], "*/*"),
        ([("text/html", 1)], ["text/*"], "text/*"),
        ([("text/html", 0)], ["text/html"], None),
        ([("text/html", 0), ("*/*", 1)], ["text/html"], None),
        ([("TEXT/HTML", 1)], ["text/html"], "text/html"),
        ([], ["text/html"], None),
        (_BROWSER, [], None),
    ],
)
def test_mime_best_match(values, offers, expected):
    assert MIMEAccept(values).best_match(offers) == expected


@pytest.mark.parametrize("bad", ["text", "*/html", "*"])
def test_mime_invalid_server_value_raises(bad):
    a = MIMEAccept([("text/html", 1)])
    with pytest.raises(ValueError, match="invalid mimetype"):
        a.best_match([bad])
    with pytest.raises(ValueError, match="invalid mimetype"):
        a.quality(bad)


@pytest.mark.parametrize(
    ("values", "html", "xhtml", "json"),
    [
        (_BROWSER, True, True, True),
        ([("application/json", 1)], False, False, True),
        ([("application/xml", 1)], True, True, False),
        ([("text/html", 1)], True, False, False),
        ([], False, False, False),
    ],
)
def test_mime_accept_properties(values, html, xhtml, json):
    a = MIMEAccept(values)
    assert (a.accept_html, a.accept_xhtml, a.accept_json) == (html, xhtml, json)


@pytest.mark.parametrize(
    ("values", "offers", "expected"),
    [
        ([("en-US", 1)], ["en"], "en"),
        ([("en-US", 1)], ["en-GB"], None),
        ([("en", 1)], ["en-US", "en-GB"], "en-US"),
        ([("de-DE", 0.8), ("en-US", 1)], ["de", "en"], "en"),
        ([("de-DE", 0.8), ("en-US", 1)], ["de", "en-GB"], "de"),
        ([("en-US", 1), ("de", 0.5)], ["de-AT", "en-GB"], "de-AT"),
        ([("*", 1)], ["fr"], "fr"),
        ([("en-*", 1)], ["en-US"], None),
        ([("zh-Hant-TW", 1)], ["zh-Hant", "zh"], "zh"),
        ([("zh", 1)], ["zh-Hant-TW"], "zh-Hant-TW"),
        ([("EN", 1)], ["en-us"], "en-us"),
        ([("en-us", 1)], ["en_US"], "en_US"),
        ([("de-DE", 1)], ["de-AT"], None),
        ([("en", 0)], ["en-US"], None),
        ([], ["en"], None),
    ],
)
def test_language_best_match(values, offers, expected):
    a = LanguageAccept(values)
    assert a.best_match(offers) == expected
    assert a.best_match(offers, "dflt") == (expected or "dflt")


def test_language_quality_is_exact():
    assert LanguageAccept([("en", 1)]).quality("en-US") == 0
    assert LanguageAccept([("en-US", 1)]).quality("en") == 0
    assert LanguageAccept([("en_US", 1)]).quality("EN-us") == 1
    assert LanguageAccept([("en-US", 1)]).find("en_us") == 0


@pytest.mark.parametrize(
    ("values", "offers", "expected"),
    [
        ([("utf-8", 1), ("ISO-8859-1", 0.5)], ["latin1", "utf8"], "utf8"),
        ([("utf-8", 1), ("ISO-8859-1", 0.5)], ["latin1"], "latin1"),
        ([("utf-8", 1)], ["unknown-x"], None),
        ([("unknown-X", 1)], ["UNKNOWN-x"], "UNKNOWN-x"),
        ([("*", 1)], ["ascii"], "ascii"),
        ([("us-ascii", 1)], ["ascii"], "ascii"),
        ([("utf-8", 1)], ["bad\x00name"], None),
    ],
)
def test_charset_best_match(values, offers, expected):
    assert CharsetAccept(values).best_match(offers) == expected


def test_charset_quality_normalises():
    assert CharsetAccept([("utf-8", 1)]).quality("UTF8") == 1


def test_accept_many_entries_linear():
    values = [(f"type{i}/sub{i}", 0.5) for i in range(2000)]
    a = MIMEAccept(values)
    offers = [f"other{i}/x" for i in range(200)] + ["type1999/sub1999"]
    assert a.best_match(offers) == "type1999/sub1999"
