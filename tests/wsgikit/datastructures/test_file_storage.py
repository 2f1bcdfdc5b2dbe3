from __future__ import annotations

import io

import pytest

from wsgikit.datastructures import FileMultiDict, FileStorage, Headers


class _NamedBytesIO(io.BytesIO):
    def __init__(self, data: bytes, name: object) -> None:
        super().__init__(data)
        self.name = name


def test_file_storage_fields():
    f = FileStorage(
        io.BytesIO(b"hello\nworld\n"),
        filename="a.txt",
        name="file",
        content_type="Text/Plain; Charset=utf-8",
    )
    assert (f.filename, f.name) == ("a.txt", "file")
    assert f.content_type == "Text/Plain; Charset=utf-8"
    assert f.mimetype == "text/plain"
    assert f.mimetype_params == {"charset": "utf-8"}
    assert f.content_length == 0
    assert f.headers.to_wsgi_list() == [("Content-Type", "Text/Plain; Charset=utf-8")]
    assert bool(f)
    assert list(f) == [b"hello\n", b"world\n"]
    assert f.read() == b"" and f.tell() == 12  # passthrough to the stream
    assert repr(f) == "<FileStorage: 'a.txt' ('Text/Plain; Charset=utf-8')>"


def test_file_storage_defaults():
    f = FileStorage()
    assert not f and f.filename is None and f.content_type is None
    assert f.mimetype == "" and f.mimetype_params == {} and f.content_length == 0
    assert f.stream.read() == b""
    assert repr(f) == "<FileStorage: None (None)>"


@pytest.mark.parametrize(
    ("kwargs", "content_type", "length"),
    [
        ({"content_length": 5, "headers": Headers([("Content-Type", "image/png")])}, "image/png", 5),
        ({"headers": Headers([("Content-Length", "7")])}, None, 7),
        ({"headers": Headers([("Content-Length", "ab")])}, None, 0),
    ],
)
def test_file_storage_headers(kwargs, content_type, length):
    f = FileStorage(io.BytesIO(b"x"), **kwargs)
    assert f.content_type == content_type and f.content_length == length


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("/x/y/z.bin", "/x/y/z.bin"),
        (b"/x/y/z.bin", "/x/y/z.bin"),
        ("<stdin>", None),
        (3, None),  # a file opened from a descriptor
    ],
)
def test_file_storage_filename_from_stream(name, expected):
    assert FileStorage(_NamedBytesIO(b"a", name)).filename == expected


def test_file_storage_save_to_file_object_and_path(tmp_path):
    data = b"abc" * 10_000
    f = FileStorage(io.BytesIO(data))
    out = io.BytesIO()
    f.save(out, buffer_size=7)
    assert out.getvalue() == data and not out.closed
    f.stream.seek(0)
    target = tmp_path / "out.bin"
    f.save(target)
    assert target.read_bytes() == data
    f.stream.seek(0)
    f.save(str(tmp_path / "out2.bin"))
    assert (tmp_path / "out2.bin").read_bytes() == data
    f.close()
    assert f.closed


def test_file_storage_missing_attribute():
    f = FileStorage(io.BytesIO(b""))
    with pytest.raises(AttributeError):
        f.no_such_attribute  # noqa: B018


def test_file_multidict_add_file(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"content")
    fm = FileMultiDict()
    fm.add_file("f", io.BytesIO(b"z"), "x.txt")
    fm.add_file("g", str(path))
    fm.add_file("h", FileStorage(io.BytesIO(b"q"), "q.txt"), "ignored.txt", "text/x")
    fm.add_file("i", io.BytesIO(b"z"), "x.png")
    fm.add_file("j", io.BytesIO(b"z"))
    fm.add_file("k", io.BytesIO(b"z"), "x.unknownext")
    try:
        assert fm["f"].content_type == "text/plain" and fm["f"].name == "f"
        assert fm["g"].filename == str(path) and fm["g"].read() == b"content"
        assert fm["g"].content_type == "application/octet-stream"
        assert fm["h"].filename == "q.txt" and fm["h"].content_type is None
        assert fm["i"].content_type == "image/png"
        assert fm["j"].content_type is None and fm["j"].filename is None
        assert fm["k"].content_type == "application/octet-stream"
        fm.add_file("f", io.BytesIO(b"2"), "second.txt")
        assert [x.filename for x in fm.getlist("f")] == ["x.txt", "second.txt"]
    finally:
        fm["g"].close()
