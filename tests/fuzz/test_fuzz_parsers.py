"""Property-based fuzzing of every parser that sees client bytes: multipart,
urlencoded forms, cookies, the ``parse_*`` header functions, Range and
If-Range, URL/IRI conversion and routing. Each may only raise its documented
errors, round-trips where a dumper exists, and grows linearly with its input
on adversarial shapes (checked at 1x/4x/16x)."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import HealthCheck
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit import http
from wsgikit.datastructures import Headers
from wsgikit.datastructures import MultiDict
from wsgikit.exceptions import HTTPException
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.routing import Map
from wsgikit.routing import Rule
from wsgikit.sansio.multipart import NEED_DATA
from wsgikit.sansio.multipart import Data
from wsgikit.sansio.multipart import Epilogue
from wsgikit.sansio.multipart import Field
from wsgikit.sansio.multipart import File
from wsgikit.sansio.multipart import MultipartDecoder
from wsgikit.sansio.multipart import MultipartEncoder
from wsgikit.sansio.multipart import Preamble
from wsgikit.test import EnvironBuilder
from wsgikit.urls import iri_to_uri
from wsgikit.urls import uri_to_iri
from wsgikit.urls import url_decode
from wsgikit.urls import url_encode
from wsgikit.wrappers import Request

pytestmark = pytest.mark.fuzz

EXAMPLES = 40 if settings.default.max_examples <= 100 else settings.default.max_examples
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)

#: Text that favours the characters parsers split and quote on.
header_text = st.text(alphabet=st.sampled_from(list(" \t,;=\"'\\/*-.:<>()[]{}?@aZ09é\x00\x7f")), max_size=60) | st.text(
    max_size=40
)


# -- multipart -----------------------------------------------------------------------

BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?"
boundaries = st.builds(
    lambda body, last: (body + last).encode(),
    st.text(alphabet=BCHARS + " ", max_size=69),
    st.sampled_from(list(BCHARS)),
)
part_names = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n\x00"), max_size=12)
parts = st.lists(
    st.tuples(part_names, st.one_of(st.none(), part_names), st.binary(max_size=200)),
    max_size=5,
)


def _decode(boundary: bytes, body: bytes, cuts: list[int], **limits: t.Any) -> list[tuple[t.Any, ...]]:
    decoder = MultipartDecoder(boundary, **limits)
    points = sorted({c % (len(body) + 1) for c in cuts} | {0, len(body)})
    out: list[tuple[t.Any, ...]] = []
    for a, b in [*zip(points, points[1:]), (None, None)]:
        decoder.receive_data(None if a is None else body[a:b])
        while (event := decoder.next_event()) is not NEED_DATA:
            if isinstance(event, Field):
                out.append(("field", event.name, None, b""))
            elif isinstance(event, File):
                out.append(("file", event.name, event.filename, b""))
            elif isinstance(event, Data):
                kind, name, filename, data = out[-1]
                out[-1] = (kind, name, filename, data + event.data)
            elif isinstance(event, Epilogue):
                return out
    return out


@FUZZ
@given(boundaries, parts, st.lists(st.integers(0, 1 << 12), max_size=10), st.binary(max_size=20))
def test_multipart_round_trip_any_chunking(boundary: bytes, items: list, cuts: list[int], epilogue: bytes) -> None:
    encoder = MultipartEncoder(boundary)
    body = encoder.send_event(Preamble(b""))
    expected = []
    for name, filename, data in items:
        # A part's data must not contain the delimiter (the sender picks the
        # boundary so); the decoder also takes a bare-LF delimiter.
        assume(b"--" + boundary not in data)
        if filename is None:
            body += encoder.send_event(Field(name=name, headers=Headers()))
            expected.append(("field", name, None, data))
        else:
            body += encoder.send_event(File(name=name, filename=filename, headers=Headers()))
            expected.append(("file", name, filename, data))
        body += encoder.send_event(Data(data=data, more_data=False))
    if not items:
        return
    body += encoder.send_event(Epilogue(data=b""))
    assert _decode(boundary, body, cuts) == expected


@FUZZ
@given(st.binary(max_size=400), st.lists(st.integers(0, 1 << 10), max_size=6))
def test_multipart_random_bytes_documented_errors(body: bytes, cuts: list[int]) -> None:
    try:
        _decode(b"B", body, cuts, max_form_memory_size=100, max_parts=3)
    except (ValueError, RequestEntityTooLarge):
        pass


@FUZZ
@given(parts, st.binary(max_size=60), st.lists(st.integers(0, 1 << 10), max_size=6))
def test_multipart_mutated_documented_errors(items: list, noise: bytes, cuts: list[int]) -> None:
    encoder = MultipartEncoder(b"BB")
    body = encoder.send_event(Preamble(b""))
    for name, filename, data in items:
        event = Field(name=name, headers=Headers()) if filename is None else File(name=name, filename=filename, headers=Headers())
        body += encoder.send_event(event) + encoder.send_event(Data(data=data, more_data=False))
    body += encoder.send_event(Epilogue(b""))
    at = cuts[0] % (len(body) + 1) if cuts else 0
    try:
        _decode(b"BB", body[:at] + noise + body[at:], cuts)
    except ValueError:
        pass


def test_multipart_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    shapes = [
        lambda n: b"--B\r\nContent-Disposition: form-data; name=a\r\n\r\n" + b"\r\n-" * n + b"\r\n--B--\r\n",
        lambda n: b"--B\r\nContent-Disposition: form-data; name=a\r\n\r\n" + b"\r\n--C" * n + b"\r\n--B--\r\n",
        lambda n: b"--B\r\n" + b"X: " + b";" * min(n, 8000) + b"\r\n\r\n--B--\r\n",
        lambda n: b"--B\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n" * (n // 20) + b"--B--\r\n",
    ]

    def run(body: bytes) -> None:
        try:
            _decode(b"B", body, list(range(0, len(body), 1000)))
        except (ValueError, RequestEntityTooLarge):
            pass

    for shape in shapes:
        linear(shape, run, 400)


# -- urlencoded forms ----------------------------------------------------------------

form_items = st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=8)


@FUZZ
@given(form_items)
def test_urlencoded_round_trip(items: list[tuple[str, str]]) -> None:
    assume(all("\ud800" > c or c > "\udfff" for k, v in items for c in k + v))
    expected = MultiDict(items)
    decoded = url_decode(url_encode(expected))
    assert list(decoded.items(multi=True)) == list(expected.items(multi=True))


@FUZZ
@given(st.binary(max_size=300))
def test_urlencoded_random_body(body: bytes) -> None:
    environ = EnvironBuilder(method="POST", data=body, content_type="application/x-www-form-urlencoded").get_environ()
    request = Request(environ)
    request.max_form_parts = 20
    try:
        form = request.form
    except HTTPException as e:
        assert e.code in (400, 413)
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in form.items(multi=True))


def test_urlencoded_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    for shape in (lambda n: "&" * n, lambda n: "%" * n, lambda n: "a=%zz&" * (n // 6), lambda n: "+" * n):
        linear(shape, url_decode, 400)


# -- cookies -------------------------------------------------------------------------

cookie_names = st.text(alphabet="!#$%&'*+-.^_`|~abcXYZ019", min_size=1, max_size=10)
cookie_values = st.text(max_size=20).filter(lambda v: all("\ud800" > c or c > "\udfff" for c in v))


@FUZZ
@given(st.lists(st.tuples(cookie_names, cookie_values), max_size=6))
def test_cookie_round_trip(pairs: list[tuple[str, str]]) -> None:
    header = "; ".join(http.dump_cookie(k, v, path=None).encode("latin-1").decode("utf-8") for k, v in pairs)
    parsed = http.parse_cookie(header)
    assert list(parsed.items(multi=True)) == list(MultiDict(pairs).items(multi=True))


@FUZZ
@given(header_text)
def test_parse_cookie_never_raises(value: str) -> None:
    parsed = http.parse_cookie(value)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items(multi=True))


@FUZZ
@given(st.text(max_size=20), cookie_values, st.one_of(st.none(), st.text(max_size=12)))
def test_dump_cookie_never_injects(name: str, value: str, domain: str | None) -> None:
    try:
        header = http.dump_cookie(name, value, domain=domain)
    except ValueError:
        return
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    # Exactly the attributes asked for: the name=value pair, Domain, Path.
    assert header.count("; Path=") == 1 and header.count("Domain=") == (domain is not None)


def test_parse_cookie_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    for shape in (lambda n: ";" * n, lambda n: '"' * n, lambda n: "a=" + '\\"' * (n // 2), lambda n: "a=b; " * (n // 5)):
        linear(shape, http.parse_cookie, 500)


# -- header parsers --------------------------------------------------------------------

PARSERS: list[t.Callable[[str], object]] = [
    http.parse_list_header,
    http.parse_dict_header,
    http.parse_options_header,
    http.parse_accept_header,
    http.parse_cache_control_header,
    http.parse_csp_header,
    http.parse_set_header,
    http.parse_authorization_header,
    http.parse_www_authenticate_header,
    http.parse_etags,
    http.parse_if_range_header,
    http.parse_range_header,
    http.parse_content_range_header,
    http.parse_date,
    http.parse_age,
    http.unquote_etag,
    http.unquote_header_value,
]


@FUZZ
@given(header_text)
def test_header_parsers_never_raise(value: str) -> None:
    for parse in PARSERS:
        parse(value)


@FUZZ
@given(st.text(alphabet="abcXYZ-09", min_size=1, max_size=8), st.dictionaries(st.text(alphabet="abcxyz-", min_size=1, max_size=6), st.text(max_size=10).filter(lambda v: "\r" not in v and "\n" not in v and "\x00" not in v), max_size=4))
def test_options_header_round_trip(value: str, options: dict[str, str]) -> None:
    dumped = http.dump_options_header(value, options)
    parsed_value, parsed = http.parse_options_header(dumped)
    assert parsed_value == value
    assert parsed == {k.lower(): v for k, v in options.items()} or len({k.lower() for k in options}) < len(options)


@FUZZ
@given(st.lists(st.text(max_size=10).filter(lambda v: "\r" not in v and "\n" not in v and "\\" not in v), max_size=5))
def test_list_header_round_trip(items: list[str]) -> None:
    assume(all(item == item.strip() and item for item in items))
    assert http.parse_list_header(http.dump_header(items)) == items


@FUZZ
@given(st.text(alphabet="abcXYZ09-/+._", min_size=1, max_size=10), st.booleans())
def test_etag_round_trip(tag: str, weak: bool) -> None:
    assert http.unquote_etag(http.quote_etag(tag, weak)) == (tag, weak)
    assert http.parse_etags(http.quote_etag(tag, weak)).contains_raw(http.quote_etag(tag, weak))


# -- Range and If-Range -----------------------------------------------------------------

@st.composite
def ranges(draw: st.DrawFn) -> list[tuple[int, int | None]]:
    """Ascending, non-overlapping ranges (what a valid Range holds), the
    last one possibly open (``n-``) or a suffix (``-n``)."""
    items: list[tuple[int, int | None]] = []
    pos = 0
    for gap, size in draw(st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 1000)), max_size=4)):
        items.append((pos + gap, pos + gap + size))
        pos += gap + size
    tail = draw(st.sampled_from(["none", "open", "suffix"]))
    if tail == "open":
        items.append((pos + draw(st.integers(0, 1000)), None))
    elif tail == "suffix" or not items:
        items.append((-draw(st.integers(1, 1000)), None))
    return items


@FUZZ
@given(ranges())
def test_range_round_trip(items: list[tuple[int, int | None]]) -> None:
    from wsgikit.datastructures import Range

    header = Range("bytes", items).to_header()
    parsed = http.parse_range_header(header)
    assert parsed is not None and parsed.ranges == items


@FUZZ
@given(st.text(alphabet="bytes=0123456789-, ", max_size=40), st.integers(0, 10**6))
def test_range_random(value: str, length: int) -> None:
    parsed = http.parse_range_header(value)
    if parsed is not None:
        for start, stop in parsed.ranges:
            assert stop is None or start < stop
        rng = parsed.range_for_length(length)
        assert rng is None or 0 <= rng[0] < rng[1] <= length


@FUZZ
@given(header_text)
def test_if_range_round_trip(value: str) -> None:
    if_range = http.parse_if_range_header(value)
    try:
        header = if_range.to_header()
    except ValueError:
        return  # an etag that cannot be quoted back (as in Werkzeug)
    again = http.parse_if_range_header(header)
    assert (again.etag, again.date) == (if_range.etag, if_range.date)


def test_header_parsers_are_linear(linear) -> None:  # type: ignore[no-untyped-def]
    shapes = [
        lambda n: "," * n,
        lambda n: '"' * n,
        lambda n: ";" * n,
        lambda n: "a=" + '"\\' * (n // 2),
        lambda n: "bytes=" + "0-1," * (n // 4),
        lambda n: "W/" * (n // 2),
        lambda n: "a;q=0.5," * (n // 8),
        lambda n: " " * n + "x",
    ]

    def run(value: str) -> None:
        for parse in PARSERS:
            parse(value)

    for shape in shapes:
        linear(shape, run, 500)


# -- URL and IRI conversion ---------------------------------------------------------------

urlish = st.text(alphabet=st.sampled_from(list("htps:/?#[]@%25aé€ 0:.-~+&=;\\")), max_size=40) | st.text(max_size=30)


@FUZZ
@given(urlish)
def test_iri_to_uri_is_ascii_and_idempotent(value: str) -> None:
    assume(all("\ud800" > c or c > "\udfff" for c in value))
    try:
        uri = iri_to_uri(value)
    except ValueError:
        return  # documented: an invalid port or IDNA host
    assert uri.isascii()
    assert iri_to_uri(uri) == uri


@FUZZ
@given(urlish)
def test_uri_to_iri_never_raises_unexpectedly(value: str) -> None:
    assume(all("\ud800" > c or c > "\udfff" for c in value))
    try:
        iri = uri_to_iri(value)
    except ValueError:
        return
    assert isinstance(iri, str)


def test_url_conversion_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    for shape in (lambda n: "http://a/" + "%" * n, lambda n: "http://a/" + "%e2%82" * (n // 6), lambda n: "é" * n, lambda n: "http://" + "@" * n):

        def run(value: str) -> None:
            try:
                uri_to_iri(iri_to_uri(value))
            except ValueError:
                pass

        linear(shape, run, 500)


# -- routing -----------------------------------------------------------------------------

rule_text = st.text(alphabet=st.sampled_from(list("/<>:(),=abc'\"int path any float uuid default 1 0 ")), max_size=30)


@FUZZ
@given(rule_text)
def test_rule_parsing_documented_errors(rule: str) -> None:
    try:
        url_map = Map([Rule(rule, endpoint="e")])
        url_map.bind("example.org").match("/abc", return_rule=True)
    except (ValueError, LookupError, HTTPException, TypeError):
        pass


@FUZZ
@given(st.text(max_size=40))
def test_matching_random_paths_documented_errors(path: str) -> None:
    url_map = Map(
        [
            Rule("/", endpoint="index"),
            Rule("/u/<int:id>", endpoint="user"),
            Rule("/p/<path:rest>", endpoint="path"),
            Rule("/f/<float:x>/<uuid:u>", endpoint="f"),
            Rule("/a/<any(x, y):v>/", endpoint="any"),
        ]
    )
    adapter = url_map.bind("example.org")
    try:
        endpoint, args = adapter.match(path)
    except HTTPException as e:
        assert e.code in (308, 404, 405)
    else:
        assert adapter.build(endpoint, args)


def test_rule_parsing_is_linear(linear) -> None:  # type: ignore[no-untyped-def]
    shapes = [lambda n: "/" + "<" * n, lambda n: "/" + "a/" * (n // 2), lambda n: "/<a:b(" + "," * n + ")>", lambda n: "/" + "<x" * (n // 2)]

    def run(rule: str) -> None:
        try:
            Map([Rule(rule, endpoint="e")])
        except (ValueError, LookupError):
            pass

    for shape in shapes:
        linear(shape, run, 400)
