"""Tests for the IO-free multipart decoder and encoder."""

from __future__ import annotations

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.datastructures import Headers
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.sansio.multipart import Data
from wsgikit.sansio.multipart import Epilogue
from wsgikit.sansio.multipart import Field
from wsgikit.sansio.multipart import File
from wsgikit.sansio.multipart import MultipartDecoder
from wsgikit.sansio.multipart import MultipartEncoder
from wsgikit.sansio.multipart import NEED_DATA
from wsgikit.sansio.multipart import NeedData
from wsgikit.sansio.multipart import Preamble
from wsgikit.sansio.multipart import State

CD = b"Content-Disposition: form-data; "


def _record(out: list, event: object) -> None:
    """Append ``event`` to ``out`` in a chunking-independent form."""
    if isinstance(event, Preamble):
        out.append(("preamble", event.data))
    elif isinstance(event, Epilogue):
        out.append(("epilogue", event.data))
    elif isinstance(event, Field):
        out.append(("field", event.name, list(event.headers.items())))
        out.append(["data", bytearray(), True])
    elif isinstance(event, File):
        out.append(("file", event.name, event.filename, list(event.headers.items())))
        out.append(["data", bytearray(), True])
    elif isinstance(event, Data):
        current = out[-1]
        assert isinstance(current, list) and current[2], "Data outside a part"
        current[1] += event.data
        current[2] = event.more_data
    else:  # pragma: no cover - a failure message
        raise AssertionError(f"unexpected event {event!r}")


def decode(
    body: bytes, boundary: bytes = b"BB", chunk: int | None = None, eager: bool = False, **kw
) -> list:
    """Decode ``body`` fed in ``chunk``-sized pieces; errors become a tuple.

    ``eager`` feeds all input (and the end marker) before pulling events.
    """
    decoder = MultipartDecoder(boundary, **kw)
    out: list = []
    pieces = [body] if chunk is None else [body[i : i + chunk] for i in range(0, len(body), chunk)]
    try:
        if eager:
            for piece in pieces:
                decoder.receive_data(piece)
            pieces = []
        for piece in [*pieces, None]:
            decoder.receive_data(piece)
            while True:
                event = decoder.next_event()
                if event is NEED_DATA:
                    break
                _record(out, event)
                if isinstance(event, Epilogue):
                    break
            if out and out[-1][0] == "epilogue":
                break
        if eager:
            decoder.receive_data(None)
            while not out or out[-1][0] != "epilogue":
                event = decoder.next_event()
                assert event is not NEED_DATA
                _record(out, event)
    except (ValueError, RequestEntityTooLarge) as e:
        description = getattr(e, "description", None) or str(e)
        out.append(("error", type(e).__name__, description))
    return _freeze(out)


def _freeze(out: list) -> list:
    return [(x[0], bytes(x[1]), x[2]) if isinstance(x, list) else x for x in out]


def part(name: bytes, value: bytes, extra: bytes = b"", boundary: bytes = b"BB") -> bytes:
    return b"--" + boundary + b"\r\n" + CD + b'name="' + name + b'"' + extra + b"\r\n\r\n" + value + b"\r\n"


def cd_header(value: str) -> list[tuple[str, str]]:
    return [("Content-Disposition", value)]


def field(name: str, value: bytes, headers: list | None = None) -> list:
    headers = headers or cd_header(f'form-data; name="{name}"')
    return [("field", name, headers), ("data", value, False)]


VALID = [
    pytest.param(
        part(b"a", b"val") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"val"), ("epilogue", b"")],
        id="one-field",
    ),
    pytest.param(
        b"preamble text\r\n"
        + part(b"a", b"1")
        + part(b"f", b"file\r\ncontent", b'; filename="x.txt"\r\nContent-Type: text/plain')
        + b"--BB--\r\nepilogue",
        [
            ("preamble", b"preamble text"),
            *field("a", b"1"),
            (
                "file",
                "f",
                "x.txt",
                [
                    ("Content-Disposition", 'form-data; name="f"; filename="x.txt"'),
                    ("Content-Type", "text/plain"),
                ],
            ),
            ("data", b"file\r\ncontent", False),
            ("epilogue", b"epilogue"),
        ],
        id="preamble-field-file-epilogue",
    ),
    pytest.param(
        b'--BB\nContent-Disposition: form-data; name="a"\n\nv1\n--BB\n'
        b'Content-Disposition: form-data; name="b"\n\nv2\n--BB--\n',
        [("preamble", b""), *field("a", b"v1"), *field("b", b"v2"), ("epilogue", b"")],
        id="bare-lf-everywhere",
    ),
    pytest.param(
        part(b"a", b"val")[:-2] + b"\n--BB--",
        [("preamble", b""), *field("a", b"val"), ("epilogue", b"")],
        id="lf-before-closing-delimiter-no-final-newline",
    ),
    pytest.param(
        part(b"a", b"x\r\n--BBX\r\n--B\r\n-\r\n--\r\nmid--BB--line\r\n") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"x\r\n--BBX\r\n--B\r\n-\r\n--\r\nmid--BB--line\r\n"), ("epilogue", b"")],
        id="delimiter-lookalikes-are-data",
    ),
    pytest.param(
        part(b"a", b"") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b""), ("epilogue", b"")],
        id="empty-value",
    ),
    pytest.param(
        b'--BB\r\nContent-Disposition: form-data; name="a"\r\n\r\n--BB--\r\n',
        [("preamble", b""), *field("a", b""), ("epilogue", b"")],
        id="empty-value-no-line-break",
    ),
    pytest.param(
        part(b"a", b"\r\n\r\n") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"\r\n\r\n"), ("epilogue", b"")],
        id="value-of-line-breaks",
    ),
    pytest.param(
        part(b"a", b"\n\r\r\n\n") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"\n\r\r\n\n"), ("epilogue", b"")],
        id="value-of-mixed-line-breaks",
    ),
    pytest.param(
        b"--BB \t\r\n" + CD + b'name="a"\r\n\r\nv\r\n--BB\t\r\n' + CD + b'name="b"\r\n\r\nw\r\n--BB--  \r\n',
        [("preamble", b""), *field("a", b"v"), *field("b", b"w"), ("epilogue", b"")],
        id="transport-padding",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\nContent-Type: text/plain;\r\n charset=utf-8\r\n\r\nv\r\n--BB--\r\n',
        [
            ("preamble", b""),
            (
                "field",
                "a",
                [
                    ("Content-Disposition", 'form-data; name="a"'),
                    ("Content-Type", "text/plain; charset=utf-8"),
                ],
            ),
            ("data", b"v", False),
            ("epilogue", b""),
        ],
        id="folded-header",
    ),
    pytest.param(
        b"--BB--\r\n",
        [("preamble", b""), ("epilogue", b"")],
        id="no-parts",
    ),
    pytest.param(
        b"pre--BB\r\n" + CD + b'name="a"\r\n\r\nv\r\n--BB--',
        [("preamble", b"pre"), *field("a", b"v"), ("epilogue", b"")],
        id="lenient-preamble",
    ),
    pytest.param(
        b"\r\n" + part(b"a", b"v") + b"--BB--\r\n\r\n--BB\r\nstuff",
        [("preamble", b""), *field("a", b"v"), ("epilogue", b"\r\n--BB\r\nstuff")],
        id="epilogue-keeps-delimiters",
    ),
    pytest.param(
        part(b"a", b"v") + b"--BB--X",
        [("preamble", b""), *field("a", b"v"), ("epilogue", b"X")],
        id="epilogue-without-line-break",
    ),
    pytest.param(
        part(b"f", b"", b'; filename=""') + part(b"", b"e") + b"--BB--\r\n",
        [
            ("preamble", b""),
            ("file", "f", "", cd_header('form-data; name="f"; filename=""')),
            ("data", b"", False),
            *field("", b"e"),
            ("epilogue", b""),
        ],
        id="empty-filename-and-empty-name",
    ),
    pytest.param(
        b"--BB\r\ncontent-disposition: form-data; name=a\r\n\r\nv\r\n--BB--\r\n",
        [
            ("preamble", b""),
            ("field", "a", [("content-disposition", "form-data; name=a")]),
            ("data", b"v", False),
            ("epilogue", b""),
        ],
        id="lowercase-header-unquoted-name",
    ),
    pytest.param(
        part("näme".encode(), "välue".encode(), '; filename="fïle.txt"'.encode()) + b"--BB--\r\n",
        [
            ("preamble", b""),
            ("file", "näme", "fïle.txt", cd_header('form-data; name="näme"; filename="fïle.txt"')),
            ("data", "välue".encode(), False),
            ("epilogue", b""),
        ],
        id="utf8-names",
    ),
    pytest.param(
        part(b"a", b"\xff\xfe\x00binary") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"\xff\xfe\x00binary"), ("epilogue", b"")],
        id="binary-value-bytes-untouched",
    ),
    # Bare CR line endings, which Werkzeug accepts like CRLF and LF.
    pytest.param(
        b"--BB\r" + CD + b'name="a"\rX-A: 1\r\rval\r--BB\r' + CD + b'name="e"\r\r\r--BB--\r',
        [
            ("preamble", b""),
            *field("a", b"val", [*cd_header('form-data; name="a"'), ("X-A", "1")]),
            *field("e", b""),
            ("epilogue", b""),
        ],
        id="bare-cr-line-endings",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\r\nval\r\r--BB \r' + CD + b'name="b"\r\n\nx\n\r--BB--',
        [("preamble", b""), *field("a", b"val\r"), *field("b", b"x\n"), ("epilogue", b"")],
        id="mixed-line-endings",
    ),
    pytest.param(
        part(b"a", b"val\r--BBz") + b"--BB--\r\n",
        [("preamble", b""), *field("a", b"val\r--BBz"), ("epilogue", b"")],
        id="bare-cr-before-a-non-delimiter",
    ),
    *[
        pytest.param(
            part(b"a", start + b"val" + end) + part(b"e", b"") + b"--BB--\r\n",
            [("preamble", b""), *field("a", start + b"val" + end), *field("e", b""), ("epilogue", b"")],
            id=f"data-edges-{start!r}-{end!r}",
        )
        for start in (b"\r", b"\n", b"\r\n", b"\n\r", b"\r\r")
        for end in (b"", b"\r", b"\n", b"\r\n", b"\n\r", b"-")
    ],
]


@pytest.mark.parametrize(("body", "expected"), VALID)
def test_decode_valid(body: bytes, expected: list) -> None:
    assert decode(body) == expected


@pytest.mark.parametrize(("body", "expected"), VALID)
def test_decode_valid_every_chunk_size(body: bytes, expected: list) -> None:
    for size in range(1, len(body) + 1):
        assert decode(body, chunk=size) == expected, size
    assert decode(body, chunk=3, eager=True) == expected


BOUNDARY_CHARS = b"'()+_,-./:=? 0aZ"


def test_boundary_with_every_rfc2046_character() -> None:
    boundary = BOUNDARY_CHARS
    body = part(b"a", b"v", boundary=boundary) + b"--" + boundary + b"--\r\n"
    assert decode(body, boundary) == [("preamble", b""), *field("a", b"v"), ("epilogue", b"")]


def _error(kind: str, message: str) -> tuple[str, str, str]:
    return ("error", kind, message)


TRUNCATED = _error(
    "ValueError", "Invalid multipart/form-data body: it ends before the closing boundary (truncated)."
)
IN_HEADERS = _error("ValueError", "Invalid multipart/form-data body: it ends inside a part's headers.")
NO_BOUNDARY = _error(
    "ValueError",
    "Invalid multipart/form-data body: the boundary given in the Content-Type header does not"
    " occur in the body.",
)

INVALID = [
    pytest.param(b"", {}, NO_BOUNDARY, id="empty-body"),
    pytest.param(b"a=1&b=2", {}, NO_BOUNDARY, id="not-multipart"),
    pytest.param(b"--BBX\r\n" + CD + b'name="a"\r\n\r\nv', {}, NO_BOUNDARY, id="wrong-boundary"),
    pytest.param(b"--BB\r\n" + CD + b'name="a"\r\n', {}, IN_HEADERS, id="ends-in-headers"),
    pytest.param(b"--BB\r\n" + CD, {}, IN_HEADERS, id="ends-in-header-line"),
    pytest.param(b"--BB", {}, NO_BOUNDARY, id="only-dash-boundary"),
    pytest.param(b"--BB\r\n", {}, IN_HEADERS, id="only-first-delimiter"),
    pytest.param(part(b"a", b"val")[:-2], {}, TRUNCATED, id="ends-in-data"),
    pytest.param(part(b"a", b"val") + b"--BB", {}, TRUNCATED, id="ends-after-delimiter"),
    pytest.param(part(b"a", b"val") + b"--BB-", {}, TRUNCATED, id="ends-in-closing-dashes"),
    pytest.param(part(b"a", b"val") + b"--BB \r", {}, TRUNCATED, id="ends-in-delimiter-line"),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\n\r\nvalX--BB--\r\n', {}, TRUNCATED, id="delimiter-not-at-line-start"
    ),
    pytest.param(
        b"--BB\r\nX-Foo: bar\r\n\r\nv\r\n--BB--\r\n",
        {},
        _error("ValueError", "Missing Content-Disposition header"),
        id="no-content-disposition",
    ),
    pytest.param(
        b"--BB\r\n\r\nv\r\n--BB--\r\n",
        {},
        _error("ValueError", "Missing Content-Disposition header"),
        id="no-headers",
    ),
    pytest.param(
        b"--BB\r\nContent-Disposition: form-data\r\n\r\nv\r\n--BB--\r\n",
        {},
        _error("ValueError", "A multipart part has no name in its Content-Disposition header."),
        id="no-name",
    ),
    pytest.param(
        b"--BB\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--BB--\r\n",
        {},
        _error("ValueError", "A multipart part has no name in its Content-Disposition header."),
        id="file-without-name",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\nbogus header line\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "Invalid multipart part header line: 'bogus header line'"),
        id="header-without-colon",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\nBad Name: x\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "Invalid multipart part header line: 'Bad Name: x'"),
        id="header-name-with-space",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\n: x\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "Invalid multipart part header line: ': x'"),
        id="empty-header-name",
    ),
    pytest.param(
        b"--BB\r\n " + CD + b'name="a"\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "Invalid multipart part header line: ' Content-Disposition: form-data; name=\"a\"'"),
        id="continuation-first",
    ),
    # a blank line is \r\n\r\n, \n\n, \r\r, \r\r\n or \r\n\n (Werkzeug's); not \n\r\n or \r\n\r
    pytest.param(b"--BB\r\n" + CD + b'name="a"\n\r\nv\r\n--BB--\r\n', {}, IN_HEADERS, id="lf-crlf-is-no-blank-line"),
    pytest.param(
        b"--BB\r\n" + CD + b'name="\xff"\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "A multipart part's headers are not valid UTF-8."),
        id="invalid-utf8-name",
    ),
    pytest.param(
        b"--BB   " + b" " * 300 + b"\r\n" + CD + b'name="a"\r\n\r\nv\r\n--BB--\r\n',
        {},
        _error("ValueError", "A multipart delimiter line has more than 256 bytes of trailing whitespace."),
        id="too-much-padding",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"\r\nX-Big: ' + b"x" * 8200 + b"\r\n\r\nv\r\n--BB--\r\n",
        {},
        _error("RequestEntityTooLarge", "A multipart part's headers exceed the limit of 8192 bytes."),
        id="huge-part-headers",
    ),
    pytest.param(
        b"--BB\r\n" + CD + b'name="a"' + b"x" * 9000,
        {},
        _error("RequestEntityTooLarge", "A multipart part's headers exceed the limit of 8192 bytes."),
        id="endless-header-line",
    ),
    pytest.param(
        b"p" * (64 * 1024 + 1) + b"\r\n" + part(b"a", b"v") + b"--BB--\r\n",
        {},
        _error("RequestEntityTooLarge", "The multipart preamble exceeds the limit of 65536 bytes."),
        id="huge-preamble",
    ),
    pytest.param(
        b"p" * (64 * 1024 + 100),
        {},
        _error("RequestEntityTooLarge", "The multipart preamble exceeds the limit of 65536 bytes."),
        id="endless-preamble",
    ),
    pytest.param(
        part(b"a", b"v") + b"--BB--\r\n" + b"e" * (64 * 1024),
        {},
        _error("RequestEntityTooLarge", "The multipart epilogue exceeds the limit of 65536 bytes."),
        id="huge-epilogue",
    ),
    pytest.param(
        part(b"a", b"12345") + b"--BB--\r\n",
        {"max_form_memory_size": 4},
        _error("RequestEntityTooLarge", "A form field's value exceeds max_form_memory_size=4 bytes."),
        id="field-over-memory-limit",
    ),
    pytest.param(
        part(b"a", b"1234") + part(b"b", b"1234") + part(b"c", b"12345") + b"--BB--\r\n",
        {"max_form_memory_size": 4},
        _error("RequestEntityTooLarge", "A form field's value exceeds max_form_memory_size=4 bytes."),
        id="third-field-over-memory-limit",
    ),
    pytest.param(
        part(b"a", b"12345" * 50),
        {"max_form_memory_size": 100},
        _error("RequestEntityTooLarge", "A form field's value exceeds max_form_memory_size=100 bytes."),
        id="truncated-field-over-memory-limit",
    ),
    pytest.param(
        part(b"a", b"1") + part(b"b", b"2") + part(b"c", b"3") + b"--BB--\r\n",
        {"max_parts": 2},
        _error("RequestEntityTooLarge", "The multipart body has more than max_form_parts=2 parts."),
        id="too-many-parts",
    ),
    pytest.param(
        part(b"a", b"1") + b"--BB--\r\n",
        {"max_parts": 0},
        _error("RequestEntityTooLarge", "The multipart body has more than max_form_parts=0 parts."),
        id="zero-parts-allowed",
    ),
]


@pytest.mark.parametrize(("body", "kwargs", "error"), INVALID)
def test_decode_invalid(body: bytes, kwargs: dict, error: tuple) -> None:
    assert decode(body, **kwargs)[-1] == error


@pytest.mark.parametrize(("body", "kwargs", "error"), INVALID)
def test_decode_invalid_chunked(body: bytes, kwargs: dict, error: tuple) -> None:
    # Every chunk size for small bodies; a spread of sizes for big ones.
    sizes = range(1, len(body) + 1) if len(body) < 400 else [3, 7, 64, 1000, 4096, 65536]
    for size in sizes:
        assert decode(body, chunk=size, **kwargs)[-1] == error, size
    assert decode(body, chunk=5, eager=True, **kwargs)[-1] == error


def test_limits_do_not_apply_to_files() -> None:
    body = part(b"f", b"x" * 1000, b'; filename="big"') + b"--BB--\r\n"
    result = decode(body, chunk=100, max_form_memory_size=10)
    assert result[2] == ("data", b"x" * 1000, False)


def test_field_at_memory_limit_is_accepted() -> None:
    body = part(b"a", b"x" * 100) + b"--BB--\r\n"
    assert decode(body, chunk=7, max_form_memory_size=100)[2] == ("data", b"x" * 100, False)


def test_parts_at_limit_are_accepted() -> None:
    body = part(b"a", b"1") + part(b"b", b"2") + b"--BB--\r\n"
    assert decode(body, max_parts=2)[-1] == ("epilogue", b"")


@pytest.mark.parametrize(
    ("boundary", "error"),
    [
        (b"", "The multipart boundary is empty."),
        (b"x" * 71, "The multipart boundary is 71 characters long; RFC 2046 allows at most 70."),
        (b"a\r\nb", "The multipart boundary contains characters that are not printable ASCII."),
        (b"a\x00b", "The multipart boundary contains characters that are not printable ASCII."),
        ("é".encode(), "The multipart boundary contains characters that are not printable ASCII."),
    ],
)
def test_invalid_boundary(boundary: bytes, error: str) -> None:
    with pytest.raises(ValueError) as info:
        MultipartDecoder(boundary)
    assert str(info.value) == error
    with pytest.raises(ValueError):
        MultipartEncoder(boundary)


def test_boundary_of_70_characters() -> None:
    boundary = b"b" * 70
    body = part(b"a", b"v", boundary=boundary) + b"--" + boundary + b"--"
    assert decode(body, boundary, chunk=13)[1:3] == field("a", b"v")


def test_boundary_must_be_bytes() -> None:
    with pytest.raises(TypeError):
        MultipartDecoder("BB")  # type: ignore[arg-type]


def test_states_and_need_data() -> None:
    decoder = MultipartDecoder(b"BB")
    assert decoder.state is State.PREAMBLE
    assert decoder.next_event() is NEED_DATA
    assert isinstance(NEED_DATA, NeedData)
    decoder.receive_data(b"--BB\r\n")
    assert decoder.next_event() == Preamble(b"")
    assert decoder.state is State.PART
    decoder.receive_data(CD + b'name="a"\r\n\r\n')
    assert isinstance(decoder.next_event(), Field)
    assert decoder.state is State.DATA_START
    decoder.receive_data(b"hello world\r\n--B")
    # Everything that cannot start a delimiter is released at once.
    assert decoder.next_event() == Data(b"hello world", True)
    assert decoder.state is State.DATA
    assert decoder.next_event() is NEED_DATA
    decoder.receive_data(b"B--\r\n")
    assert decoder.next_event() == Data(b"", False)
    assert decoder.state is State.EPILOGUE
    assert decoder.next_event() is NEED_DATA
    decoder.receive_data(None)
    assert decoder.next_event() == Epilogue(b"")
    assert decoder.state is State.COMPLETE
    with pytest.raises(ValueError, match="complete"):
        decoder.next_event()
    with pytest.raises(ValueError, match="after the end of input"):
        decoder.receive_data(b"more")


def test_events_are_frozen_values() -> None:
    assert Data(b"a", True) == Data(b"a", True)
    assert Data(b"a", True) != Data(b"a", False)
    with pytest.raises(AttributeError):
        Data(b"a", True).data = b"b"  # type: ignore[misc]
    assert repr(NEED_DATA) == "NEED_DATA"
    assert [s.name for s in State] == ["PREAMBLE", "PART", "DATA", "DATA_START", "EPILOGUE", "COMPLETE"]


def test_mutable_chunks_are_copied() -> None:
    decoder = MultipartDecoder(b"BB")
    decoder.receive_data(b"--BB\r\n" + CD + b'name="a"\r\n\r\n')
    decoder.next_event()
    decoder.next_event()
    chunk = bytearray(b"0123456789" * 10)
    decoder.receive_data(chunk)
    chunk[:] = b"x" * 100
    event = decoder.next_event()
    assert isinstance(event, Data) and event.data.startswith(b"0123456789")


def test_big_file_chunk_is_passed_on_without_copy() -> None:
    decoder = MultipartDecoder(b"BB")
    decoder.receive_data(b"--BB\r\n" + CD + b'name="f"; filename="f"\r\n\r\n')
    decoder.next_event()
    decoder.next_event()
    chunk = bytes(range(256)).replace(b"\r", b"").replace(b"\n", b"") * 256
    decoder.receive_data(chunk)
    event = decoder.next_event()
    assert isinstance(event, Data) and event.data is chunk


def test_thousand_tiny_parts() -> None:
    body = b"".join(part(f"f{i}".encode(), str(i).encode()) for i in range(1000)) + b"--BB--\r\n"
    for chunk in (None, 65536, 1000, 37):
        result = decode(body, chunk=chunk, max_parts=1000)
        assert len(result) == 2002
        assert result[1:-1:2] == [("field", f"f{i}", cd_header(f'form-data; name="f{i}"')) for i in range(1000)]
        assert result[2:-1:2] == [("data", str(i).encode(), False) for i in range(1000)]
    assert decode(body, max_parts=999)[-1][1] == "RequestEntityTooLarge"


def test_twenty_mb_part_starting_with_lf_is_linear() -> None:
    # A regex-based line-break search goes quadratic on this; find() does not.
    value = b"\n" + b"a" * (20 * 1024 * 1024)
    body = part(b"f", value, b'; filename="big"') + b"--BB--\r\n"
    result = decode(body, chunk=64 * 1024)
    assert result[2] == ("data", value, False)


def test_many_delimiter_lookalikes_are_linear() -> None:
    # Line-start "--B" fragments and near-miss delimiters everywhere.
    value = b"\r\n--B\r\n--BBX\n--BB \x00\r" * 50_000
    body = part(b"f", value, b'; filename="big"') + b"--BB--\r\n"
    for chunk in (64 * 1024, 4099):
        assert decode(body, chunk=chunk)[2] == ("data", value, False)


def test_huge_field_is_refused_early() -> None:
    decoder = MultipartDecoder(b"BB", max_form_memory_size=1000)
    decoder.receive_data(part(b"a", b"")[:-2])
    decoder.next_event()
    decoder.next_event()
    with pytest.raises(RequestEntityTooLarge) as info:
        for _ in range(100):
            decoder.receive_data(b"x" * 100)
            while decoder.next_event() is not NEED_DATA:
                pass
    assert info.value.code == 413
    assert "max_form_memory_size=1000" in info.value.description


# -- encoder ---------------------------------------------------------------


def test_encoder_output() -> None:
    encoder = MultipartEncoder(b"BB")
    out = encoder.send_event(Preamble(b"pre"))
    out += encoder.send_event(Field("a", Headers([("Content-Disposition", 'form-data; name="a"')])))
    out += encoder.send_event(Data(b"val", False))
    out += encoder.send_event(File("f", "x.txt", Headers([("Content-Type", "text/plain")])))
    out += encoder.send_event(Data(b"con", True))
    out += encoder.send_event(Data(b"tent", False))
    out += encoder.send_event(Epilogue(b"epi"))
    assert out == (
        b'pre\r\n--BB\r\nContent-Disposition: form-data; name="a"\r\n\r\nval\r\n'
        b'--BB\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\ncontent\r\n--BB--\r\nepi"
    )
    assert encoder.state is State.COMPLETE


def test_encoder_quotes_names() -> None:
    encoder = MultipartEncoder(b"BB")
    out = encoder.send_event(Field('a"b\\c', Headers()))
    assert out == b'\r\n--BB\r\nContent-Disposition: form-data; name="a\\"b\\\\c"\r\n'


@pytest.mark.parametrize("name", ["a\r\nX-Injected: 1", "a\nb", "a\x00"])
def test_encoder_refuses_header_injection(name: str) -> None:
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        MultipartEncoder(b"BB").send_event(Field(name, Headers()))


@pytest.mark.parametrize(
    ("events", "bad"),
    [
        ([], Data(b"x", False)),
        ([Field("a", Headers())], Field("b", Headers())),
        ([Field("a", Headers())], Epilogue(b"")),
        ([Field("a", Headers()), Data(b"", False), Epilogue(b"")], Epilogue(b"")),
        ([Field("a", Headers()), Data(b"", False)], Preamble(b"")),
    ],
)
def test_encoder_refuses_out_of_order_events(events: list, bad: object) -> None:
    encoder = MultipartEncoder(b"BB")
    for event in events:
        encoder.send_event(event)
    with pytest.raises(ValueError, match="Cannot generate"):
        encoder.send_event(bad)  # type: ignore[arg-type]


NAME = st.text(
    st.characters(blacklist_characters="\r\n\x00%", blacklist_categories=("Cs",)), max_size=12
)
VALUE = st.binary(max_size=60) | st.lists(
    st.sampled_from([b"\r", b"\n", b"\r\n", b"-", b"--", b"--BOUND", b"a", b" ", b"\t"]), max_size=20
).map(b"".join)


@st.composite
def multipart_bodies(draw: st.DrawFn) -> tuple[bytes, list, bytes]:
    boundary = draw(st.sampled_from([b"BOUNDARY", b"x", b"----WebKitFormBoundaryQ1w2E3r4", b"a'()+_,-./:=? z"]))
    preamble = draw(st.binary(max_size=20))
    epilogue = draw(st.binary(max_size=20))
    parts = draw(
        st.lists(
            st.tuples(NAME, st.none() | NAME, st.lists(VALUE, min_size=1, max_size=4)), max_size=5
        )
    )
    marker = b"--" + boundary
    everything = preamble + b"".join(b"".join(p[2]) for p in parts)
    assume(marker not in everything)
    encoder = MultipartEncoder(boundary)
    body = encoder.send_event(Preamble(preamble))
    expected: list = [("preamble", preamble)]
    for name, filename, pieces in parts:
        if filename is None:
            body += encoder.send_event(Field(name, Headers()))
            expected.append(("field", name))
        else:
            body += encoder.send_event(File(name, filename, Headers([("Content-Type", "a/b")])))
            expected.append(("file", name, filename))
        for i, piece in enumerate(pieces):
            body += encoder.send_event(Data(piece, i < len(pieces) - 1))
        expected.append(("data", b"".join(pieces), False))
    body += encoder.send_event(Epilogue(epilogue))
    expected.append(("epilogue", epilogue))
    return boundary, expected, body


def _strip_headers(result: list) -> list:
    return [x[:-1] if x[0] in ("field", "file") else x for x in result]


@settings(max_examples=100, deadline=None)
@given(multipart_bodies(), st.integers(min_value=1, max_value=64), st.booleans())
def test_encoder_decoder_round_trip(case: tuple, chunk: int, eager: bool) -> None:
    boundary, expected, body = case
    assert _strip_headers(decode(body, boundary, chunk=chunk, eager=eager)) == expected


@settings(max_examples=60, deadline=None)
@given(multipart_bodies(), st.lists(st.integers(min_value=1, max_value=40), min_size=1))
def test_random_chunking_gives_identical_results(case: tuple, sizes: list) -> None:
    boundary, _, body = case
    decoder = MultipartDecoder(boundary)
    out: list = []
    position = 0
    index = 0
    while position < len(body):
        size = sizes[index % len(sizes)]
        decoder.receive_data(body[position : position + size])
        position += size
        index += 1
        while (event := decoder.next_event()) is not NEED_DATA:
            _record(out, event)
    decoder.receive_data(None)
    _record(out, decoder.next_event())
    assert _freeze(out) == decode(body, boundary)


@pytest.mark.parametrize(
    ("tail", "released", "held"),
    [
        (b"", b"", b""),
        (b"\r", b"", b"\r"),
        (b"\n", b"", b"\n"),
        (b"\r\n", b"", b"\r\n"),
        (b"\r\n-", b"", b"\r\n-"),
        (b"\r\n--B", b"", b"\r\n--B"),
        (b"\n--B", b"", b"\n--B"),
        (b"\r\n--X", b"\r\n--X", b""),
        (b"\rx", b"\rx", b""),
        (b"\r\r", b"\r", b"\r"),
        (b"\r\n\r\n--", b"\r\n", b"\r\n--"),
    ],
)
def test_uncopied_file_chunk_holds_back_a_delimiter_head(tail: bytes, released: bytes, held: bytes) -> None:
    # A chunk passed on without a copy must still keep back a trailing
    # line break + delimiter head, which the next chunk may complete.
    decoder = MultipartDecoder(b"BB")
    decoder.receive_data(b"--BB\r\n" + CD + b'name="f"; filename="f"\r\n\r\n')
    decoder.next_event()
    decoder.next_event()
    chunk = b"x" * 100 + tail
    decoder.receive_data(chunk)
    assert decoder.next_event() == Data(b"x" * 100 + released, True)
    assert decoder.next_event() is NEED_DATA
    decoder.receive_data(b"B--\r\n" if held.endswith(b"--B") else b"\r\n--BB--\r\n")
    rest = []
    event = decoder.next_event()
    while event is not NEED_DATA:
        rest.append(event)
        event = decoder.next_event()
    decoder.receive_data(None)
    assert decoder.next_event() == Epilogue(b"")
    data = b"".join(e.data for e in rest)
    expected = b"" if held.endswith(b"--B") else held
    assert data == expected and rest[-1].more_data is False


def test_receive_after_end_in_data_state_is_refused() -> None:
    decoder = MultipartDecoder(b"BB")
    decoder.receive_data(b"--BB\r\n" + CD + b'name="f"; filename="f"\r\n\r\n')
    decoder.next_event()
    decoder.next_event()
    decoder.receive_data(None)
    with pytest.raises(ValueError, match="after the end of input"):
        decoder.receive_data(b"x" * 100)


def test_field_limit_holds_for_uncopied_chunks() -> None:
    decoder = MultipartDecoder(b"BB", max_form_memory_size=150)
    decoder.receive_data(b"--BB\r\n" + CD + b'name="a"\r\n\r\n')
    decoder.next_event()
    decoder.next_event()
    decoder.receive_data(b"y" * 100)
    assert decoder.next_event() == Data(b"y" * 100, True)
    decoder.receive_data(b"y" * 100)
    with pytest.raises(RequestEntityTooLarge, match="max_form_memory_size=150"):
        decoder.next_event()
