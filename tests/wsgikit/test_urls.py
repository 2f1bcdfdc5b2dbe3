"""Tests for wsgikit.urls: IRI/URI conversion and the classic query-string codec."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsgikit import urls
from wsgikit.datastructures import MultiDict
from wsgikit.urls import iri_to_uri
from wsgikit.urls import uri_to_iri
from wsgikit.urls import url_decode
from wsgikit.urls import url_decode_stream
from wsgikit.urls import url_encode
from wsgikit.urls import url_encode_stream
from wsgikit.urls import url_quote
from wsgikit.urls import url_quote_plus
from wsgikit.urls import url_unquote
from wsgikit.urls import url_unquote_plus

# (input, iri_to_uri(input), uri_to_iri(input)), as Werkzeug 3.1 returns them.
CONVERSIONS = [
    ("http://☃.net/påth?q=ü#frag✓", "http://xn--n3h.net/p%C3%A5th?q=%C3%BC#frag%E2%9C%93", "http://☃.net/påth?q=ü#frag✓"),
    ("http://user:päss@☃.net:8080/a b?c d=e f#g h", "http://user:p%C3%A4ss@xn--n3h.net:8080/a%20b?c%20d=e%20f#g%20h", "http://user:päss@☃.net:8080/a b?c d=e f#g h"),
    ("http://example.com/%2F%25?%26=%3D#%23", "http://example.com/%2F%25?%26=%3D#%23", "http://example.com/%2F%25?%26=%3D##"),
    ("http://[::1]:80/x", "http://[::1]:80/x", "http://[::1]:80/x"),
    ("mailto:föö@bär.de", "mailto:f%C3%B6%C3%B6@b%C3%A4r.de", "mailto:föö@bär.de"),
    ("", "", ""),
    ("http://ex.com/%zz%C3", "http://ex.com/%zz%C3", "http://ex.com/%zz%C3"),
    ("http://ex.com/\x00\x7f", "http://ex.com/%00%7F", "http://ex.com/\x00\x7f"),
    ("https://ÄÖÜ.de/", "https://xn--4ca0bs.de/", "https://äöü.de/"),
    ("http://ex.com/!$&'()*+,;=:@", "http://ex.com/!$&'()*+,;=:@", "http://ex.com/!$&'()*+,;=:@"),
    ('http://ex.com/?a=[b]{c}|d^e`f"g<h>i\\', "http://ex.com/?a=%5Bb%5D%7Bc%7D%7Cd%5Ee%60f%22g%3Ch%3Ei%5C", 'http://ex.com/?a=[b]{c}|d^e`f"g<h>i\\'),
    ("http://EX.com/", "http://ex.com/", "http://ex.com/"),
    # empty user names and passwords and port 0 stay as given (Werkzeug 3.1.9)
    ("http://h:0/", "http://h:0/", "http://h:0/"),
    ("http://u:@h/", "http://u:@h/", "http://u:@h/"),
    ("http://:p@h/", "http://:p@h/", "http://:p@h/"),
    ("http://:@h/", "http://:@h/", "http://:@h/"),
    ("http://@h/", "http://@h/", "http://@h/"),
    ("http://ü:@h:0/é", "http://%C3%BC:@h:0/%C3%A9", "http://ü:@h:0/é"),
    ("http://h:/", "http://h/", "http://h/"),
    # an empty authority of a scheme urllib does not know keeps its "//"
    ("itms-services://?url=abc", "itms-services://?url=abc", "itms-services://?url=abc"),
    ("itms-services://?action=x&url=https://h/é", "itms-services://?action=x&url=https://h/%C3%A9", "itms-services://?action=x&url=https://h/é"),
    ("x-app:///p", "x-app:///p", "x-app:///p"),
    ("x-app:/p", "x-app:/p", "x-app:/p"),
    ("http://h/?", "http://h/", "http://h/"),
    ("//host/x", "//host/x", "//host/x"),
    ("http://xn--n3h.net/p%C3%A5th", "http://xn--n3h.net/p%C3%A5th", "http://☃.net/påth"),
    ("http://ex.com/%e2%98%83", "http://ex.com/%e2%98%83", "http://ex.com/☃"),
    ("http://ex.com/%E2%98", "http://ex.com/%E2%98", "http://ex.com/%E2%98"),
    ("http://a.b/%C3%A5%2f%3F%23", "http://a.b/%C3%A5%2f%3F%23", "http://a.b/å%2f%3F%23"),
    ("http://a.b/?%26%3D%2B%23%41", "http://a.b/?%26%3D%2B%23%41", "http://a.b/?%26%3D%2B%23A"),
    ("http://a.b/#%23%20%E2%98%83", "http://a.b/#%23%20%E2%98%83", "http://a.b/##%20☃"),
    ("http://üser:pä%40ss@h/", "http://%C3%BCser:p%C3%A4%40ss@h/", "http://üser:pä%40ss@h/"),
    ("http://h/a%2fb%e2%98%83%c3", "http://h/a%2fb%e2%98%83%c3", "http://h/a%2fb☃%C3"),
    ("http://h/%C0%AF%ED%A0%80%F0%9F%98%80", "http://h/%C0%AF%ED%A0%80%F0%9F%98%80", "http://h/%C0%AF%ED%A0%80😀"),
    ("http://u%3Ax%40y:p%2Fq@h/", "http://u%3Ax%40y:p%2Fq@h/", "http://u%3Ax%40y:p%2Fq@h/"),
    ("http://h/%C2%A0", "http://h/%C2%A0", "http://h/\xa0"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "uri", "iri"), CONVERSIONS)
def test_iri_to_uri(value: str, uri: str, iri: str) -> None:
    assert iri_to_uri(value) == uri


@pytest.mark.parametrize(("value", "uri", "iri"), CONVERSIONS)
def test_uri_to_iri(value: str, uri: str, iri: str) -> None:
    assert uri_to_iri(value) == iri


@pytest.mark.parametrize(
    ("part", "template", "kept"),
    [
        ("path", "http://h/a{}b", "#%/?"),
        ("query", "http://h/?a{}b", "#%&+="),
        ("fragment", "http://h/#a{}b", "%"),
        ("username", "http://a{}b:p@h/", "#%/:?@"),
        ("password", "http://u:a{}b@h/", "#%/:?@"),
    ],
)
def test_uri_to_iri_keeps_escapes_per_part(part: str, template: str, kept: str) -> None:
    # Controls, DEL and space stay escaped everywhere; each part adds its
    # delimiters. Everything else printable is decoded.
    always = "".join(map(chr, range(0x20))) + " \x7f"
    for code in range(0x80):
        escape = f"%{code:02X}"
        result = uri_to_iri(template.format(escape))
        should_keep = chr(code) in always or chr(code) in kept
        assert (escape in result) is should_keep, (part, escape, result)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("http://ex.com:badport/", ValueError),
        ("http://h:65536/", ValueError),
        ("http://[::1/", ValueError),
        ("http://a..b/", UnicodeError),
        ("http://" + "a" * 64 + ".com/", UnicodeError),
        ("http://a..b:x/", UnicodeError),  # the host is checked before the port
        ("http://u@a..b:x/", UnicodeError),
    ],
)
def test_iri_to_uri_errors(value: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        iri_to_uri(value)


@pytest.mark.parametrize(("value", "error"), [("http://xn--/", UnicodeError), ("http://xn--a.com/", UnicodeError), ("http://h:x/", ValueError)])
def test_uri_to_iri_errors(value: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        uri_to_iri(value)


def test_uri_to_iri_leaves_invalid_hosts_alone() -> None:
    assert uri_to_iri("http://a..b/") == "http://a..b/"
    assert uri_to_iri("http://a..xn--n3h.com/") == "http://a..☃.com/"


_iri_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r\n"), max_size=30)


@given(_iri_text, _iri_text)
def test_iri_to_uri_is_idempotent_and_ascii(path: str, query: str) -> None:
    uri = iri_to_uri(f"http://example.com/{path}?{query}")
    assert uri.isascii()
    assert iri_to_uri(uri) == uri


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")) , max_size=30).filter(lambda s: not any(c in s for c in "%#?/")))
def test_path_round_trip(segment: str) -> None:
    iri = f"http://example.com/{segment}"
    assert uri_to_iri(iri_to_uri(iri)) == iri


def test_conversion_is_linear_on_large_input() -> None:
    big = "%C3%A4" * 70_000 + "%zz" * 10_000
    assert uri_to_iri("http://h/" + big) == "http://h/" + "ä" * 70_000 + "%zz" * 10_000
    assert iri_to_uri("http://h/" + "ä" * 100_000) == "http://h/" + "%C3%A4" * 100_000
    bad = "%ff" * 100_000
    assert uri_to_iri("http://h/" + bad) == "http://h/" + "%FF" * 100_000


# -- classic quoting ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("a b",), "a%20b"),
        (("/path:x",), "/path:x"),
        (("a+b&c=d",), "a+b%26c%3Dd"),
        (("-._~$!'()*+,;",), "-._~$!'()*+,;"),
        (("ü",), "%C3%BC"),
        (("ü", "latin1"), "%FC"),
        ((b"\xff\x00",), "%FF%00"),
        ((42,), "42"),
        (("a/b", "utf-8", "strict", ""), "a%2Fb"),
        (("a b", "utf-8", "strict", "/: "), "a b"),
        (("abc", "utf-8", "strict", "/:", "b"), "a%62c"),
        (("%",), "%25"),
    ],
)
def test_url_quote(args: tuple, expected: str) -> None:  # type: ignore[type-arg]
    assert url_quote(*args) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a b+c", "a+b%2Bc"), ("a/b:c", "a%2Fb%3Ac"), ("ä ö", "%C3%A4+%C3%B6"), ("", "")],
)
def test_url_quote_plus(value: str, expected: str) -> None:
    assert url_quote_plus(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a%20b", "a b"),
        ("a+b", "a+b"),
        ("%C3%BC", "ü"),
        ("%c3%bc", "ü"),
        ("%zz%", "%zz%"),
        ("%+1", "%+1"),
        ("% 1", "% 1"),
        ("%1_", "%1_"),
        ("%FF", "\ufffd"),
        (b"a%41", "aA"),
        ("plain", "plain"),
    ],
)
def test_url_unquote(value: str, expected: str) -> None:
    assert url_unquote(value) == expected


def test_url_unquote_options() -> None:
    assert url_unquote("%FC", "latin1") == "ü"
    assert url_unquote("%FF", charset=None) == b"\xff"
    assert url_unquote("a%2Fb%2f", unsafe="/") == "a%2Fb%2f"
    with pytest.raises(UnicodeDecodeError):
        url_unquote("%FF", errors="strict")


@pytest.mark.parametrize(("value", "expected"), [("a+b%2B", "a b+"), (b"x+y", "x y"), ("%20+", "  ")])
def test_url_unquote_plus(value: str, expected: str) -> None:
    assert url_unquote_plus(value) == expected


@given(st.text())
def test_quote_round_trip(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return
    assert url_unquote(url_quote(value)) == value
    assert url_unquote_plus(url_quote_plus(value)) == value


# -- query strings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a=1&b=2", [("a", "1"), ("b", "2")]),
        ("a=1;b=2", [("a", "1;b=2")]),
        ("a=1&a=2", [("a", "1"), ("a", "2")]),
        ("a", [("a", "")]),
        ("a=", [("a", "")]),
        ("=x", [("", "x")]),
        ("&&a=1&&", [("a", "1")]),
        ("a=b=c", [("a", "b=c")]),
        ("q=a+b%2Bc", [("q", "a b+c")]),
        ("%C3%BC=%E2%98%83", [("ü", "☃")]),
        ("x=%FF", [("x", "\ufffd")]),
        ("", []),
        (b"a=1&b=%C3%A4", [("a", "1"), ("b", "ä")]),
    ],
)
def test_url_decode(query: str, expected: list[tuple[str, str]]) -> None:
    result = url_decode(query)
    assert isinstance(result, MultiDict)
    assert list(result.items(multi=True)) == expected


def test_url_decode_options() -> None:
    assert list(url_decode("a&b=", include_empty=False).items(multi=True)) == [("b", "")]
    assert list(url_decode("a=1;b=2", separator=";").items(multi=True)) == [("a", "1"), ("b", "2")]
    assert url_decode("x=%FC", charset="latin1")["x"] == "ü"
    assert url_decode("a=1&a=2", cls=dict) == {"a": "2"}
    assert list(url_decode(b"a=1;b=2", separator=";").items(multi=True)) == [("a", "1"), ("b", "2")]
    with pytest.raises(UnicodeDecodeError):
        url_decode("x=%FF", errors="strict")


def test_url_decode_large_input_is_linear() -> None:
    query = "&".join(f"k{i}=v+{i}%21" for i in range(40_000))
    result = url_decode(query)
    assert len(result) == 40_000
    assert result["k39999"] == "v 39999!"
    assert url_decode("a=" + "%" * 400_000)["a"] == "%" * 400_000


@pytest.mark.parametrize(
    ("obj", "kwargs", "expected"),
    [
        ({"a": "1", "b": "x y"}, {}, "a=1&b=x+y"),
        ({"a": ["1", "2"]}, {}, "a=1&a=2"),
        ({"a": None, "b": 0}, {}, "b=0"),
        ([("b", "2"), ("a", "1")], {"sort": True}, "a=1&b=2"),
        ([("b", "2"), ("a", "1")], {"sort": True, "key": lambda kv: kv[1], "separator": ";"}, "a=1;b=2"),
        ({"ü": "☃", "k": b"\xff"}, {}, "%C3%BC=%E2%98%83&k=%FF"),
        ({"k": "ü"}, {"charset": "latin1"}, "k=%FC"),
        ({"q": "a+b&c=d/e"}, {}, "q=a%2Bb%26c%3Dd%2Fe"),
        (MultiDict([("a", "1"), ("a", "2")]), {}, "a=1&a=2"),
        ({}, {}, ""),
    ],
)
def test_url_encode(obj: object, kwargs: dict, expected: str) -> None:  # type: ignore[type-arg]
    assert url_encode(obj, **kwargs) == expected


@given(st.lists(st.tuples(st.text(), st.text()), max_size=8))
def test_encode_decode_round_trip(pairs: list[tuple[str, str]]) -> None:
    try:
        for key, value in pairs:
            key.encode("utf-8"), value.encode("utf-8")
    except UnicodeEncodeError:
        return
    # cls=list keeps the pairs in order (a MultiDict groups them by key);
    # an empty pair ("=") survives as ("", "").
    assert url_decode(url_encode(pairs), cls=list) == pairs


def test_url_encode_stream() -> None:
    stream = io.StringIO()
    assert url_encode_stream({"a": "1", "b": "2"}, stream) is None
    assert stream.getvalue() == "a=1&b=2"
    gen = url_encode_stream([("x", "y z")])
    assert list(gen) == ["x=y+z"]  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 10240])
def test_url_decode_stream(chunk_size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    body = b"a=1&b=%C3%A4&&c=x+y&d"
    original = urls._iter_stream_pairs

    def small_chunks(stream, separator, limit, chunk_size_=chunk_size):  # type: ignore[no-untyped-def]
        return original(stream, separator, limit, chunk_size_)

    monkeypatch.setattr(urls, "_iter_stream_pairs", small_chunks)
    result = url_decode_stream(io.BytesIO(body))
    assert list(result.items(multi=True)) == [("a", "1"), ("b", "ä"), ("c", "x y"), ("d", "")]
    multi = url_decode_stream(io.BytesIO(b"a=1;;b=2;;c"), separator=b";;")
    assert list(multi.items(multi=True)) == [("a", "1"), ("b", "2"), ("c", "")]


def test_url_decode_stream_limit() -> None:
    result = url_decode_stream(io.BytesIO(b"a=1&b=2&c=3"), limit=5)
    assert list(result.items(multi=True)) == [("a", "1"), ("b", "")]
    assert url_decode_stream(io.BytesIO(b"a=1"), cls=dict) == {"a": "1"}
    with pytest.raises(ValueError):
        url_decode_stream(io.BytesIO(b""), separator=b"")


def test_url_decode_stream_long_pair_is_linear() -> None:
    body = b"k=" + b"v" * 2_000_000 + b"&z=1"
    result = url_decode_stream(io.BytesIO(body))
    assert len(result["k"]) == 2_000_000
    assert result["z"] == "1"


# -- internal helpers other modules use --------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("abc", "abc"), ("/a b/ü", "/a%20b/%C3%BC"), (b"x:y", "x:y"), ("a&b", "a%26b")],
)
def test_fast_url_quote(value: str, expected: str) -> None:
    assert urls._fast_url_quote(value) == expected


def test_fast_url_quote_plus() -> None:
    assert urls._fast_url_quote_plus("a b+c/d") == "a+b%2Bc%2Fd"
    quote = urls._make_fast_url_quote(safe="@", unsafe="~")
    assert quote("a@b~c") == "a@b%7Ec"
