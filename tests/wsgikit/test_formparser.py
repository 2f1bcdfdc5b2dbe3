"""Tests for the streaming form parser (multipart and URL-encoded bodies)."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from wsgikit.datastructures import Headers
from wsgikit.datastructures import ImmutableMultiDict
from wsgikit.datastructures import MultiDict
from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.formparser import FormDataParser
from wsgikit.formparser import MultiPartParser
from wsgikit.formparser import default_stream_factory
from wsgikit.formparser import parse_form_data

MULTIPART = "multipart/form-data; boundary=BB"
URLENCODED = "application/x-www-form-urlencoded"


def part(name: bytes, value: bytes, extra: bytes = b"") -> bytes:
    return (
        b'--BB\r\nContent-Disposition: form-data; name="' + name + b'"' + extra + b"\r\n\r\n" + value + b"\r\n"
    )


def environ(body: bytes, content_type: str = MULTIPART, length: int | str | None = -1, **extra) -> dict:
    env = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": content_type, "wsgi.input": io.BytesIO(body)}
    if length == -1:
        env["CONTENT_LENGTH"] = str(len(body))
    elif length is not None:
        env["CONTENT_LENGTH"] = str(length)
    env.update(extra)
    return env


def summary(result: tuple) -> tuple[list, list]:
    _, form, files = result
    return (
        list(form.items(multi=True)),
        [(k, f.filename, f.content_type, f.read()) for k, f in files.items(multi=True)],
    )


SIMPLE = part(b"a", b"1") + part(b"b", b"2") + part(b"a", b"3") + b"--BB--\r\n"
UPLOAD = (
    part(b"text", b"hello")
    + part(b"f", b"file\r\ncontent", b'; filename="notes.txt"\r\nContent-Type: text/plain')
    + part(b"g", b"", b'; filename=""')
    + b"--BB--\r\n"
)

MULTIPART_CASES = [
    pytest.param(SIMPLE, MULTIPART, ([("a", "1"), ("a", "3"), ("b", "2")], []), id="repeated-names"),
    pytest.param(
        UPLOAD,
        MULTIPART,
        (
            [("text", "hello")],
            [("f", "notes.txt", "text/plain", b"file\r\ncontent"), ("g", "", None, b"")],
        ),
        id="files",
    ),
    pytest.param(
        SIMPLE, 'Multipart/Form-Data; boundary="BB"', ([("a", "1"), ("a", "3"), ("b", "2")], []), id="case-insensitive"
    ),
    pytest.param(
        part(b"a", b"\xffval") + b"--BB--\r\n", MULTIPART, ([("a", "\ufffdval")], []), id="invalid-utf8-value-replaced"
    ),
    pytest.param(
        part("é".encode(), "ü".encode()) + b"--BB--\r\n", MULTIPART, ([("é", "ü")], []), id="utf8"
    ),
    pytest.param(
        part(b"a", "é".encode("latin-1"), b"\r\nContent-Type: text/plain; charset=iso-8859-1") + b"--BB--\r\n",
        MULTIPART,
        ([("a", "é")], []),
        id="part-charset-latin1",
    ),
    pytest.param(
        part(b"a", "é".encode("utf-16"), b"\r\nContent-Type: text/plain; charset=utf-16") + b"--BB--\r\n",
        MULTIPART,
        ([("a", "é".encode("utf-16").decode("utf-8", "replace"))], []),
        id="part-charset-other-is-utf8",
    ),
    pytest.param(
        part(b"f", b"x", b'; filename="../../etc/passwd"') + b"--BB--\r\n",
        MULTIPART,
        ([], [("f", "../../etc/passwd", None, b"x")]),
        id="filename-kept-raw",
    ),
    pytest.param(
        b'--BB\nContent-Disposition: form-data; name="a"\n\nv\n--BB--\n',
        MULTIPART,
        ([("a", "v")], []),
        id="bare-lf",
    ),
    pytest.param(
        b'--BB\rContent-Disposition: form-data; name="a"\r\rv\r--BB\r'
        b'Content-Disposition: form-data; name="f"; filename="x.txt"\r\rline1\r\nline2\r--BB--\r',
        MULTIPART,
        ([("a", "v")], [("f", "x.txt", None, b"line1\r\nline2")]),
        id="bare-cr",
    ),
    pytest.param(
        part(b"a", b"") + part(b"b", b"\r\n") + b"--BB--\r\n",
        MULTIPART,
        ([("a", ""), ("b", "\r\n")], []),
        id="empty-field",
    ),
]


@pytest.mark.parametrize(("body", "content_type", "expected"), MULTIPART_CASES)
def test_parse_multipart(body: bytes, content_type: str, expected: tuple) -> None:
    assert summary(parse_form_data(environ(body, content_type))) == expected


@pytest.mark.parametrize(("body", "content_type", "expected"), MULTIPART_CASES)
def test_parse_multipart_any_buffer_size(body: bytes, content_type: str, expected: tuple) -> None:
    for size in range(1, len(body) + 1):
        parser = MultiPartParser(buffer_size=size)
        form, files = parser.parse(io.BytesIO(body), b"BB", len(body))
        assert summary((None, form, files)) == expected, size


def test_file_storage_details() -> None:
    _, _, files = parse_form_data(environ(UPLOAD))
    storage = files["f"]
    assert storage.name == "f"
    assert storage.filename == "notes.txt"
    assert storage.mimetype == "text/plain"
    assert storage.headers["Content-Type"] == "text/plain"
    assert storage.stream.tell() == 0


URLENCODED_CASES = [
    (b"a=1&b=2&a=3", [("a", "1"), ("a", "3"), ("b", "2")]),
    (b"a=1;b=2", [("a", "1;b=2")]),
    (b"a=%ZZ&b=%e9&c=+x%20y", [("a", "%ZZ"), ("b", "%E9"), ("c", " x y")]),
    (b"a=%C3%A9&%C3%BC=1", [("a", "é"), ("ü", "1")]),
    (b"&&d&=e&f=&=", [("d", ""), ("", "e"), ("", ""), ("f", "")]),
    (b"a=%00&b=%2", [("a", "\x00"), ("b", "%2")]),
    (b"", []),
    # "+" is a space in keys and values, and "%2B" a literal plus; "=" and
    # "&" made by unquoting do not split.
    (b"a+b=c+d&e+=+f", [("a b", "c d"), ("e ", " f")]),
    (b"a%2Bb=%2B+%26&c%3D=d=e&x+%41=1", [("a+b", "+ &"), ("c=", "d=e"), ("x A", "1")]),
    (b"+=+&&++", [(" ", " "), ("  ", "")]),
    (b"k=v&k=w+x&k", [("k", "v"), ("k", "w x"), ("k", "")]),
]


@pytest.mark.parametrize(("body", "expected"), URLENCODED_CASES)
def test_parse_urlencoded(body: bytes, expected: list) -> None:
    _, form, files = parse_form_data(environ(body, URLENCODED))
    assert sorted(form.items(multi=True)) == sorted(expected)
    assert not files


def test_urlencoded_invalid_utf8() -> None:
    env = environ(b"a=\xff&b=1", URLENCODED)
    assert summary(parse_form_data(env)) == ([], [])
    with pytest.raises(BadRequest) as info:
        parse_form_data(environ(b"a=\xff&b=1", URLENCODED), silent=False)
    assert isinstance(info.value, ValueError)
    assert info.value.description == "The URL-encoded form body is not valid UTF-8."


@pytest.mark.parametrize("content_type", ["text/plain", "", "application/json", "multipart/mixed; boundary=BB"])
def test_other_types_leave_stream_unread(content_type: str) -> None:
    stream, form, files = parse_form_data(environ(b"a=1&b=2", content_type))
    assert stream.read() == b"a=1&b=2"
    assert not form and not files


def test_missing_content_length_reads_nothing() -> None:
    assert summary(parse_form_data(environ(SIMPLE, length=None))) == ([], [])


def test_content_length_bounds_reading() -> None:
    stream = io.BytesIO(SIMPLE + b"trailing junk")
    _, form, _ = FormDataParser().parse(stream, "multipart/form-data", len(SIMPLE), {"boundary": "BB"})
    assert form.getlist("a") == ["1", "3"]
    assert stream.read() == b"trailing junk"


def test_cls() -> None:
    _, form, files = parse_form_data(environ(UPLOAD), cls=ImmutableMultiDict)
    assert type(form) is ImmutableMultiDict and type(files) is ImmutableMultiDict
    _, form, files = parse_form_data(environ(b"x", "text/plain"), cls=ImmutableMultiDict)
    assert type(form) is ImmutableMultiDict
    assert type(parse_form_data(environ(SIMPLE))[1]) is MultiDict


BAD_BODIES = [
    pytest.param(SIMPLE, "multipart/form-data", "Missing boundary in the multipart/form-data Content-Type.", id="no-boundary"),
    pytest.param(
        SIMPLE,
        "multipart/form-data; boundary=" + "x" * 71,
        "The multipart boundary is 71 characters long; RFC 2046 allows at most 70.",
        id="long-boundary",
    ),
    pytest.param(
        SIMPLE[:-10],
        MULTIPART,
        "Invalid multipart/form-data body: it ends before the closing boundary (truncated).",
        id="truncated",
    ),
    pytest.param(
        b'--BB\r\nContent-Disposition: form-data\r\n\r\nv\r\n--BB--\r\n',
        MULTIPART,
        "A multipart part has no name in its Content-Disposition header.",
        id="no-name",
    ),
    pytest.param(
        b'--BB\r\nContent-Disposition: form-data; name="\xff"\r\n\r\nv\r\n--BB--\r\n',
        MULTIPART,
        "A multipart part's headers are not valid UTF-8.",
        id="invalid-utf8-name",
    ),
    pytest.param(
        b"--BB\r\nContent-Disposition: form-data; name=a\r\nnonsense\r\n\r\nv\r\n--BB--\r\n",
        MULTIPART,
        "Invalid multipart part header line: 'nonsense'",
        id="bogus-header",
    ),
]


@pytest.mark.parametrize(("body", "content_type", "description"), BAD_BODIES)
def test_bad_body_silent(body: bytes, content_type: str, description: str) -> None:
    assert summary(parse_form_data(environ(body, content_type))) == ([], [])


@pytest.mark.parametrize(("body", "content_type", "description"), BAD_BODIES)
def test_bad_body_not_silent_is_400(body: bytes, content_type: str, description: str) -> None:
    with pytest.raises(BadRequest) as info:
        parse_form_data(environ(body, content_type), silent=False)
    assert info.value.code == 400
    assert info.value.description == description
    # Werkzeug raises ValueError here; code catching that keeps working.
    assert isinstance(info.value, ValueError)


def test_fail_raises_400_value_error() -> None:
    with pytest.raises(ValueError, match="boom") as info:
        MultiPartParser().fail("boom")
    assert isinstance(info.value, BadRequest)


LIMITS = [
    pytest.param(SIMPLE, MULTIPART, {"max_form_memory_size": 0}, "max_form_memory_size=0", id="field-memory"),
    pytest.param(SIMPLE, MULTIPART, {"max_form_parts": 2}, "max_form_parts=2", id="parts"),
    pytest.param(SIMPLE, MULTIPART, {"max_content_length": 10}, None, id="content-length"),
    pytest.param(b"a=1&b=2", URLENCODED, {"max_form_memory_size": 6}, "max_form_memory_size=6", id="urlencoded"),
    pytest.param(b"a=1&b=2", URLENCODED, {"max_content_length": 6}, None, id="urlencoded-content-length"),
    pytest.param(b"a=1&b=2", "text/plain", {"max_content_length": 6}, None, id="other-content-length"),
]


@pytest.mark.parametrize("silent", [True, False])
@pytest.mark.parametrize(("body", "content_type", "limits", "mentions"), LIMITS)
def test_limits_raise_413_even_when_silent(
    body: bytes, content_type: str, limits: dict, mentions: str | None, silent: bool
) -> None:
    with pytest.raises(RequestEntityTooLarge) as info:
        parse_form_data(environ(body, content_type), silent=silent, **limits)
    assert info.value.code == 413
    if mentions:
        assert mentions in info.value.description


def test_limits_at_the_edge_pass() -> None:
    assert summary(parse_form_data(environ(SIMPLE), max_form_memory_size=1, max_form_parts=3)) == (
        [("a", "1"), ("a", "3"), ("b", "2")],
        [],
    )
    _, form, _ = parse_form_data(environ(b"a=1&b=2", URLENCODED), max_form_memory_size=7)
    assert form["b"] == "2"


def test_max_content_length_refuses_before_reading() -> None:
    env = environ(SIMPLE)
    with pytest.raises(RequestEntityTooLarge):
        parse_form_data(env, max_content_length=10)
    assert env["wsgi.input"].tell() == 0
    parser = FormDataParser(max_content_length=10)
    stream = io.BytesIO(SIMPLE)
    with pytest.raises(RequestEntityTooLarge, match="max_content_length=10"):
        parser.parse(stream, "multipart/form-data", len(SIMPLE), {"boundary": "BB"})
    assert stream.tell() == 0


def test_urlencoded_limit_without_content_length() -> None:
    # A chunked body (no Content-Length) is still bounded by max_form_memory_size.
    body = b"a=" + b"x" * 10_000
    env = environ(body, URLENCODED, length=None, **{"wsgi.input_terminated": True})
    with pytest.raises(RequestEntityTooLarge):
        parse_form_data(env, max_form_memory_size=100)
    assert env["wsgi.input"].tell() <= 101
    env = environ(b"a=1", URLENCODED, length=None, **{"wsgi.input_terminated": True})
    assert parse_form_data(env, max_form_memory_size=3)[1]["a"] == "1"


def test_file_parts_are_not_memory_limited() -> None:
    body = part(b"f", b"x" * 5000, b'; filename="f"') + b"--BB--\r\n"
    _, _, files = parse_form_data(environ(body), max_form_memory_size=10)
    assert files["f"].read() == b"x" * 5000


def test_thousand_tiny_parts() -> None:
    body = b"".join(part(b"f%d" % i, b"%d" % i) for i in range(1000)) + b"--BB--\r\n"
    _, form, _ = parse_form_data(environ(body), max_form_parts=1000)
    assert len(form) == 1000 and form["f999"] == "999"
    with pytest.raises(RequestEntityTooLarge, match="max_form_parts=999"):
        parse_form_data(environ(body), max_form_parts=999)


def test_twenty_mb_part_starting_with_lf() -> None:
    value = b"\n" + b"z" * (20 * 1024 * 1024)
    body = part(b"f", value, b'; filename="big.bin"') + b"--BB--\r\n"
    _, _, files = parse_form_data(environ(body))
    try:
        assert files["f"].read() == value
    finally:
        files["f"].close()


# -- stream factory ----------------------------------------------------------


def test_default_stream_factory() -> None:
    small = default_stream_factory(total_content_length=1000, content_type=None, filename="a")
    assert isinstance(small, io.BytesIO)
    for total in (None, 500 * 1024 + 1):
        big = default_stream_factory(total_content_length=total, content_type="a/b", filename="a")
        assert isinstance(big, tempfile.SpooledTemporaryFile)
        big.write(b"x" * (500 * 1024))
        assert not big._rolled
        big.write(b"x")
        assert big._rolled
        big.close()


def test_stream_factory_arguments() -> None:
    calls = []

    def factory(**kwargs):
        calls.append(kwargs)
        return io.BytesIO()

    body = (
        part(b"f", b"hello", b'; filename="a.txt"\r\nContent-Type: text/plain\r\nContent-Length: 5')
        + part(b"g", b"x", b'; filename="b"\r\nContent-Length: +5')
        + b"--BB--\r\n"
    )
    _, _, files = parse_form_data(environ(body), stream_factory=factory)
    assert calls == [
        {"total_content_length": len(body), "content_type": "text/plain", "filename": "a.txt", "content_length": 5},
        {"total_content_length": len(body), "content_type": None, "filename": "b", "content_length": 0},
    ]
    assert files["f"].read() == b"hello"


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        (None, "utf-8"),
        ("text/plain", "utf-8"),
        ("text/plain; charset=UTF-8", "utf-8"),
        ("text/plain; charset=ascii", "ascii"),
        ("text/plain; charset=US-ASCII", "us-ascii"),
        ("text/plain; charset=ISO-8859-1", "iso-8859-1"),
        ("text/plain; charset=latin1", "utf-8"),
        ("text/plain; charset=utf-16", "utf-8"),
        ("text/plain; charset=bogus", "utf-8"),
    ],
)
def test_get_part_charset(content_type: str | None, charset: str) -> None:
    headers = Headers() if content_type is None else Headers([("Content-Type", content_type)])
    assert MultiPartParser().get_part_charset(headers) == charset


def test_form_data_parser_attributes() -> None:
    parser = FormDataParser(max_form_memory_size=1, max_content_length=2, silent=False, max_form_parts=3)
    assert (parser.max_form_memory_size, parser.max_content_length, parser.max_form_parts) == (1, 2, 3)
    assert parser.stream_factory is default_stream_factory
    assert parser.cls is MultiDict and parser.silent is False


# -- memory ------------------------------------------------------------------

RSS_SCRIPT = textwrap.dedent(
    """
    import io, resource, subprocess, sys

    if len(sys.argv) == 2:
        # Linux keeps ru_maxrss across fork + exec, so a process forked from
        # the (big) pytest process would report pytest's peak. Measure in a
        # child of this small interpreter instead.
        sys.exit(subprocess.call([sys.executable, __file__, sys.argv[1], "measure"]))

    sys.path.insert(0, sys.argv[1])
    from wsgikit.formparser import parse_form_data

    SIZE = 256 * 1024 * 1024
    HEAD = b'--BB\\r\\nContent-Disposition: form-data; name="f"; filename="big"\\r\\n\\r\\n'
    TAIL = b"\\r\\n--BB--\\r\\n"

    class GeneratedBody(io.RawIOBase):
        # Streams HEAD + SIZE bytes + TAIL without ever holding them all.
        def __init__(self):
            self.pieces = self.generate()
            self.pending = b""

        @staticmethod
        def generate():
            yield HEAD
            block = bytes(range(256)) * 1024
            for _ in range(SIZE // len(block)):
                yield block
            yield TAIL

        def readable(self):
            return True

        def readinto(self, buffer):
            if not self.pending:
                self.pending = next(self.pieces, b"")
            n = min(len(buffer), len(self.pending))
            buffer[:n] = self.pending[:n]
            self.pending = self.pending[n:]
            return n

    length = len(HEAD) + SIZE + len(TAIL)
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "multipart/form-data; boundary=BB",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": io.BufferedReader(GeneratedBody(), 1024 * 1024),
    }
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    _, form, files = parse_form_data(environ)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stream = files["f"].stream
    stream.seek(0, 2)
    print(after - before, stream.tell(), stream._rolled)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KiB on Linux")
def test_256_mib_upload_spools_to_disk_with_bounded_memory(tmp_path: Path) -> None:
    script = tmp_path / "rss.py"
    script.write_text(RSS_SCRIPT)
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, str(script), root], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split()
    growth_kib, size, rolled = int(out[0]), int(out[1]), out[2]
    assert size == 256 * 1024 * 1024
    assert rolled == "True"
    assert growth_kib < 32 * 1024, f"peak RSS grew by {growth_kib} KiB"


class RecordingStream(io.BytesIO):
    """A body that remembers the size of every read."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.sizes: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.sizes.append(-1 if size is None else size)
        return super().read(size)


@pytest.mark.parametrize(("length", "largest_read"), [(1024 * 1024 - 1, 64 * 1024), (1024 * 1024, 256 * 1024)])
def test_big_bodies_are_read_in_bounded_chunks(length: int, largest_read: int) -> None:
    head = part(b"f", b"", b'; filename="f"')[:-2]
    body = head + b"z" * (length - len(head) - 8) + b"\r\n--BB--"
    assert len(body) == length
    stream = RecordingStream(body)
    _, _, files = FormDataParser().parse(stream, "multipart/form-data", length, {"boundary": "BB"})
    try:
        assert files["f"].read() == b"z" * (length - len(head) - 8)
    finally:
        files["f"].close()
    assert max(stream.sizes) == largest_read


@pytest.mark.parametrize("shift", [-12, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2])
def test_delimiters_straddling_big_reads(shift: int) -> None:
    # The first part's closing delimiter ("\r\n--BB\r\n") crosses the edge of
    # the fourth 256 KiB read by ``shift`` bytes; a look-alike crosses the
    # second. Every field must come out whole whatever the alignment.
    edge = 4 * 256 * 1024
    head = part(b"f", b"", b'; filename="f"')[:-2]
    lookalike = b"\r\n--BX\r\n"
    filler = 2 * 256 * 1024 - len(head) + shift
    value = b"a" * filler + lookalike + b"b" * (edge - len(head) - filler - len(lookalike) + shift)
    body = head + value + b"\r\n" + part(b"g", b"tail") + b"--BB--\r\n"
    assert body.index(b"\r\n--BB\r\n") == edge + shift
    _, form, files = parse_form_data(environ(body))
    try:
        assert files["f"].read() == value
    finally:
        files["f"].close()
    assert form["g"] == "tail"
