"""wsgikit.wrappers.request: the WSGI request over an environ."""

from __future__ import annotations

import io
import json
import typing as t
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.datastructures import CombinedMultiDict
from wsgikit.datastructures import FileStorage
from wsgikit.datastructures import ImmutableMultiDict
from wsgikit.datastructures import MultiDict
from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import ClientDisconnected
from wsgikit.exceptions import NotFound
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.exceptions import SecurityError
from wsgikit.exceptions import UnsupportedMediaType
from wsgikit.wrappers.request import Request
from wsgikit.wsgi import LimitedStream


class ExplodingStream(io.RawIOBase):
    """A ``wsgi.input`` that fails the test when read at all."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read  # type: ignore[assignment]

    def readinto(self, buffer: t.Any) -> int:
        raise AssertionError("the body was read")


def make_environ(**extra: t.Any) -> dict[str, t.Any]:
    environ: dict[str, t.Any] = {}
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO()
    environ["QUERY_STRING"] = ""
    environ.update(extra)
    return environ


def body_environ(body: bytes, content_type: str | None, method: str = "POST", **extra: t.Any) -> dict[str, t.Any]:
    extra.setdefault("CONTENT_LENGTH", str(len(body)))
    environ = make_environ(REQUEST_METHOD=method, **extra)
    environ["wsgi.input"] = io.BytesIO(body)
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    return environ


# -- reading the environ ---------------------------------------------------------


def test_nothing_is_read_at_construction() -> None:
    environ: dict[str, t.Any] = {"wsgi.input": ExplodingStream()}
    request = Request(environ)
    assert vars(request) == {"environ": environ, "shallow": False}
    assert environ["werkzeug.request"] is request


def test_populate_request_and_shallow() -> None:
    environ = make_environ()
    Request(environ, populate_request=False)
    assert "werkzeug.request" not in environ
    Request(environ, shallow=True)
    assert "werkzeug.request" not in environ


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"REQUEST_METHOD": "get", "wsgi.url_scheme": "https", "SERVER_NAME": "ex.org", "SERVER_PORT": "443",
             "SCRIPT_NAME": "/r\xc3\xa9/", "PATH_INFO": "//caf\xc3\xa9 x", "QUERY_STRING": "a=%E9&b=\xc3\xa9"},
            {"method": "GET", "scheme": "https", "server": ("ex.org", 443), "root_path": "/ré", "script_root": "/ré",
             "path": "/café x", "query_string": b"a=%E9&b=\xc3\xa9", "full_path": "/café x?a=%E9&b=é",
             "url": "https://ex.org/ré/café%20x?a=%E9&b=é", "base_url": "https://ex.org/ré/café%20x",
             "url_root": "https://ex.org/ré/", "root_url": "https://ex.org/ré/", "host_url": "https://ex.org/",
             "host": "ex.org", "remote_addr": None, "is_secure": True},
        ),
        (
            {"REQUEST_METHOD": "POST"},
            {"method": "POST", "scheme": "http", "server": None, "root_path": "", "path": "/", "query_string": b"",
             "remote_addr": None, "host": "", "url": "http:///", "content_length": None},
        ),
        (
            {"PATH_INFO": "/a%ZZb/\xff\xc3\xa9", "QUERY_STRING": "x=\xff", "HTTP_HOST": "h:80", "wsgi.url_scheme": "http",
             "REMOTE_ADDR": "9.9.9.9"},
            {"path": "/a%ZZb/\ufffdé", "full_path": "/a%ZZb/\ufffdé?x=%FF", "url": "http://h/a%ZZb/\ufffdé?x=%FF",
             "host": "h", "remote_addr": "9.9.9.9"},
        ),
        # A broken server that stored real text: kept, no exception.
        ({"PATH_INFO": "/\u20ac", "QUERY_STRING": "q=\u20ac"}, {"path": "/€", "query_string": "q=€".encode()}),
    ],
)
def test_environ_values(environ: dict[str, t.Any], expected: dict[str, t.Any]) -> None:
    request = Request(environ)
    assert {name: getattr(request, name) for name in expected} == expected


def test_args_do_not_read_body_and_headers_do_not_parse_form() -> None:
    environ = make_environ(
        QUERY_STRING="a=1&a=2", REQUEST_METHOD="POST", CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH="5", HTTP_X_TOKEN="t",
    )
    environ["wsgi.input"] = ExplodingStream()
    request = Request(environ)
    assert request.args.getlist("a") == ["1", "2"]
    assert request.headers["X-Token"] == "t"
    assert request.headers.get("Content-Type") == "application/x-www-form-urlencoded"
    assert request.content_length == 5
    assert request.mimetype == "application/x-www-form-urlencoded"
    assert request.cookies == {}
    assert "form" not in vars(request) and "stream" not in vars(request)
    with pytest.raises(AssertionError, match="the body was read"):
        request.form


def test_lazy_values_are_cached_and_assignable() -> None:
    request = Request(make_environ(PATH_INFO="/a", QUERY_STRING="x=1"))
    assert request.args is request.args
    assert request.headers is request.headers
    request.path = "/z"
    assert request.path == "/z"
    request.environ["PATH_INFO"] = "/changed"
    assert request.path == "/z"


def test_environ_properties() -> None:
    request = Request(make_environ(REMOTE_USER="bob", **{"wsgi.multithread": True, "wsgi.run_once": False}))
    assert request.remote_user == "bob"
    assert request.is_multithread is True
    assert request.is_run_once is False
    assert request.input_stream is request.environ["wsgi.input"]
    empty = Request({})
    assert (empty.is_multithread, empty.is_multiprocess, empty.is_run_once, empty.remote_user) == (None,) * 4
    with pytest.raises(AttributeError, match="read only property"):
        request.remote_user = "eve"  # type: ignore[misc]


def test_trusted_hosts() -> None:
    class Trusting(Request):
        trusted_hosts = ["good.com"]

    assert Trusting(make_environ(HTTP_HOST="good.com")).host == "good.com"
    with pytest.raises(SecurityError):
        Trusting(make_environ(HTTP_HOST="evil.com")).url


# -- the body ---------------------------------------------------------------------


def test_urlencoded_form() -> None:
    request = Request(body_environ(b"a=1&b=2&b=%C3%A9", "application/x-www-form-urlencoded", QUERY_STRING="a=q"))
    assert isinstance(request.form, ImmutableMultiDict)
    assert list(request.form.items(multi=True)) == [("a", "1"), ("b", "2"), ("b", "é")]
    assert request.files == {}
    assert isinstance(request.values, CombinedMultiDict)
    assert request.values.getlist("a") == ["q", "1"]
    assert request.data == b""
    assert request.get_data() == b""


def test_multipart_form_and_close() -> None:
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
        f"Content-Type: text/plain\r\n\r\nfiledata\r\n--{boundary}--\r\n"
    ).encode()
    with Request(body_environ(body, f"multipart/form-data; boundary={boundary}")) as request:
        assert request.form["a"] == "1"
        upload = request.files["f"]
        assert isinstance(upload, FileStorage)
        assert upload.filename == "x.txt"
        assert upload.read() == b"filedata"
    assert upload.stream.closed


def test_values_for_get_are_only_args() -> None:
    request = Request(body_environ(b"a=1", "application/x-www-form-urlencoded", method="GET", QUERY_STRING="a=q"))
    assert request.values.getlist("a") == ["q"]
    assert request.form["a"] == "1"


@pytest.mark.parametrize("method", ["HEAD", "DELETE", "OPTIONS", "PUT", "PATCH"])
def test_values_for_other_methods_include_form(method: str) -> None:
    request = Request(body_environ(b"a=1", "application/x-www-form-urlencoded", method=method, QUERY_STRING="a=q"))
    assert request.values.getlist("a") == ["q", "1"]


def test_values_wraps_plain_mappings() -> None:
    request = Request(make_environ(REQUEST_METHOD="POST"))
    request.args = {"a": "1"}  # type: ignore[assignment]
    request.form = {"b": "2"}  # type: ignore[assignment]
    assert request.values.to_dict() == {"a": "1", "b": "2"}


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # (what to call in order, results)
        (["get_data_parse", "form"], [b"", {"a": "1"}]),
        (["data", "form"], [b"", {"a": "1"}]),
        (["get_data", "form"], [b"a=1", {"a": "1"}]),
        (["stream_read", "form"], [b"a=1", {}]),
        (["form", "stream_read", "get_data"], [{"a": "1"}, b"", b""]),
        (["get_data_nocache", "get_data"], [b"a=1", b""]),
        (["get_data_text"], ["a=1"]),
    ],
)
def test_body_access_order(steps: list[str], expected: list[t.Any]) -> None:
    request = Request(body_environ(b"a=1", "application/x-www-form-urlencoded"))
    actions: dict[str, t.Callable[[], t.Any]] = {
        "get_data_parse": lambda: request.get_data(parse_form_data=True),
        "data": lambda: request.data,
        "get_data": request.get_data,
        "get_data_nocache": lambda: request.get_data(cache=False),
        "get_data_text": lambda: request.get_data(as_text=True),
        "stream_read": lambda: request.stream.read(),
        "form": lambda: request.form.to_dict(),
    }
    assert [actions[step]() for step in steps] == expected


def test_assigned_form_is_kept() -> None:
    request = Request(body_environ(b"a=1", "application/x-www-form-urlencoded"))
    request.form = ImmutableMultiDict({"mine": "1"})
    assert request.files == {}
    assert request.form.to_dict() == {"mine": "1"}
    assert request.get_data() == b"a=1"


def test_non_form_body() -> None:
    request = Request(body_environ(b"\xff\xfeab", "text/plain"))
    assert request.form == {} and request.files == {}
    assert request.get_data(as_text=True) == "\ufffd\ufffdab"
    assert request.data == b"\xff\xfeab"


def test_no_content_type_is_not_parsed() -> None:
    request = Request(body_environ(b"a=1", None))
    assert not request.want_form_data_parsed
    assert request.form == {}
    assert request.get_data() == b"a=1"


def test_body_never_read_past_content_length() -> None:
    environ = make_environ(REQUEST_METHOD="POST", CONTENT_LENGTH="3")
    environ["wsgi.input"] = io.BytesIO(b"abcNEXT REQUEST")
    request = Request(environ)
    assert isinstance(request.stream, LimitedStream)
    assert request.get_data() == b"abc"
    assert environ["wsgi.input"].read() == b"NEXT REQUEST"


def test_body_without_length_is_empty() -> None:
    environ = make_environ(REQUEST_METHOD="POST")
    environ["wsgi.input"] = ExplodingStream()
    assert Request(environ).get_data() == b""


def test_chunked_body() -> None:
    environ = make_environ(HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="5", **{"wsgi.input_terminated": True})
    environ["wsgi.input"] = io.BytesIO(b"hello world")
    request = Request(environ)
    assert request.content_length is None
    assert request.get_data() == b"hello world"
    unterminated = make_environ(HTTP_TRANSFER_ENCODING="chunked")
    unterminated["wsgi.input"] = ExplodingStream()
    assert Request(unterminated).get_data() == b""


def test_missing_input_is_empty() -> None:
    request = Request({"REQUEST_METHOD": "POST"})
    assert request.get_data() == b""
    assert request.form == {}


def test_short_body_is_client_disconnect() -> None:
    request = Request(body_environ(b"abc", "text/plain", CONTENT_LENGTH="10"))
    with pytest.raises(ClientDisconnected):
        request.get_data()


class Limited(Request):
    max_content_length = 3


def test_max_content_length() -> None:
    with pytest.raises(RequestEntityTooLarge):
        Limited(body_environ(b"hello world", "text/plain")).get_data()
    with pytest.raises(RequestEntityTooLarge):
        Limited(body_environ(b"a=hello", "application/x-www-form-urlencoded")).form
    assert Limited(body_environ(b"abc", "text/plain")).get_data() == b"abc"
    # A chunked body larger than the maximum is refused, not truncated
    # (Werkzeug 3.1 returns the first max_content_length bytes).
    chunked = make_environ(**{"wsgi.input_terminated": True})
    chunked["wsgi.input"] = io.BytesIO(b"hello world")
    with pytest.raises(RequestEntityTooLarge):
        Limited(chunked).get_data()
    exact = make_environ(**{"wsgi.input_terminated": True})
    exact["wsgi.input"] = io.BytesIO(b"abc")
    assert Limited(exact).get_data() == b"abc"


def test_max_form_memory_size_and_parts() -> None:
    class Small(Request):
        max_form_memory_size = 3

    with pytest.raises(RequestEntityTooLarge):
        Small(body_environ(b"a=hello", "application/x-www-form-urlencoded")).form

    class FewParts(Request):
        max_form_parts = 2

    boundary = "B"
    body = "".join(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n" for i in range(5)
    ) + f"--{boundary}--\r\n"
    with pytest.raises(RequestEntityTooLarge):
        FewParts(body_environ(body.encode(), f"multipart/form-data; boundary={boundary}")).form


def test_class_defaults() -> None:
    assert Request.max_content_length is None
    assert Request.max_form_memory_size == 500_000
    assert Request.max_form_parts == 1000
    assert Request.trusted_hosts is None
    parser = Request(make_environ()).make_form_data_parser()
    assert parser.max_form_memory_size == 500_000
    assert parser.max_form_parts == 1000
    assert parser.cls is ImmutableMultiDict


def test_custom_file_stream() -> None:
    streams: list[io.BytesIO] = []

    class Capture(Request):
        parameter_storage_class = MultiDict

        def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):  # type: ignore[no-untyped-def]
            stream = io.BytesIO()
            streams.append(stream)
            return stream

    body = b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\nxyz\r\n--B--\r\n'
    request = Capture(body_environ(body, "multipart/form-data; boundary=B"))
    assert request.files["f"].stream is streams[0]
    assert type(request.files) is MultiDict


def test_shallow() -> None:
    request = Request(make_environ(QUERY_STRING="a=1"), shallow=True)
    assert request.args["a"] == "1"
    for read in (
        lambda: request.stream,
        lambda: request.form,
        lambda: request.get_data(),
        lambda: request.get_json(force=True),
    ):
        with pytest.raises(RuntimeError, match="shallow=True"):
            read()


# -- JSON -------------------------------------------------------------------------


def json_request(body: bytes, content_type: str | None = "application/json") -> Request:
    return Request(body_environ(body, content_type))


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"a":1}', "application/json", {"a": 1}),
        (b'{"a":1}', "application/vnd.api+json", {"a": 1}),
        (b"[1, 2]", "application/json; charset=utf-8", [1, 2]),
        # The charset parameter is ignored; the bytes decide.
        ('{"a":"é"}'.encode(), "application/json; charset=bogus", {"a": "é"}),
        ('{"a":"é"}'.encode("utf-16"), "application/json", {"a": "é"}),
        ('{"a":"é"}'.encode("utf-32"), "application/json", {"a": "é"}),
        ('{"a":"é"}'.encode("utf-16-le"), "application/json", {"a": "é"}),
    ],
)
def test_json(body: bytes, content_type: str, expected: t.Any) -> None:
    request = json_request(body, content_type)
    assert request.is_json
    assert request.json == expected
    assert request.get_json() == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"a":', "Failed to decode JSON object: Expecting value: line 1 column 6 (char 5)"),
        (b"", "Failed to decode JSON object: Expecting value: line 1 column 1 (char 0)"),
        (
            '{"a":"é"}'.encode("latin1"),
            "Failed to decode JSON object: 'utf-8' codec can't decode byte 0xe9 in position 6: invalid continuation byte",
        ),
    ],
)
def test_invalid_json(body: bytes, message: str) -> None:
    request = json_request(body)
    with pytest.raises(BadRequest) as info:
        request.json
    assert info.value.code == 400
    assert info.value.description == message
    assert json_request(body).get_json(silent=True) is None


_WRONG_TYPE = "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-json"])
def test_json_wrong_content_type(content_type: str | None) -> None:
    request = json_request(b'{"a":1}', content_type)
    with pytest.raises(UnsupportedMediaType) as info:
        request.get_json()
    assert info.value.code == 415
    assert info.value.description == _WRONG_TYPE
    with pytest.raises(UnsupportedMediaType):
        request.json
    assert request.get_json(silent=True) is None
    assert request.get_json(force=True) == {"a": 1}


def test_json_caching() -> None:
    request = json_request(b'{"a":1}')
    first = request.get_json()
    assert request.get_json() is first
    assert request._cached_json == (first, first)
    uncached = json_request(b'{"a":1}')
    assert uncached.get_json(cache=False) == {"a": 1}
    # The body was consumed without being kept.
    assert uncached.get_json(silent=True) is None


def test_json_silent_failure_is_cached_separately() -> None:
    request = json_request(b'{"a":')
    assert request.get_json(silent=True) is None
    assert request._cached_json == (Ellipsis, None)
    with pytest.raises(BadRequest, match="line 1 column 6"):
        request.get_json()


def test_on_json_loading_failed_override() -> None:
    class Lenient(Request):
        def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
            return {"error": type(e).__name__}

    assert Lenient(body_environ(b"{", "application/json")).json == {"error": "JSONDecodeError"}
    assert Lenient(body_environ(b"{}", "text/plain")).json == {"error": "NoneType"}


def test_json_module_is_replaceable() -> None:
    class Loader:
        @staticmethod
        def loads(data: bytes) -> t.Any:
            return ("custom", data)

    class Custom(Request):
        json_module = Loader

    assert Custom(body_environ(b"x", "application/json")).json == ("custom", b"x")


# -- from_values ---------------------------------------------------------------


def test_from_values_basic() -> None:
    request = Request.from_values("/a b/é?x=1&y=é", "https://ex.com:8443/r oot/", headers={"X-A": "1"})
    assert request.method == "GET"
    assert request.url == "https://ex.com:8443/r%20oot/a%20b/é?x=1&y=é"
    assert request.path == "/a b/é"
    assert request.root_path == "/r oot"
    assert request.args.to_dict() == {"x": "1", "y": "é"}
    assert request.headers["X-A"] == "1"
    assert request.environ["SERVER_PORT"] == "8443"
    assert request.environ["SERVER_PROTOCOL"] == "HTTP/1.1"


def test_from_values_defaults() -> None:
    environ = Request.from_values().environ
    assert {key: environ[key] for key in ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
                                          "SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "wsgi.url_scheme")} == {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/", "QUERY_STRING": "",
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost", "wsgi.url_scheme": "http",
    }
    assert "CONTENT_LENGTH" not in environ and "CONTENT_TYPE" not in environ


@pytest.mark.parametrize(
    ("kwargs", "check"),
    [
        ({"query_string": {"a": ["1", "2"], "b": "é"}}, lambda r: r.args.getlist("a") == ["1", "2"] and r.args["b"] == "é"),
        ({"query_string": "z=2"}, lambda r: r.args["z"] == "2"),
        ({"path": "/p%20q"}, lambda r: r.path == "/p q"),
        ({"method": "post", "data": {"a": "1", "b": ["2", "3"]}},
         lambda r: r.method == "POST" and r.form.getlist("b") == ["2", "3"] and r.content_length == 11),
        ({"method": "POST", "data": {"a": "1", "f": (io.BytesIO(b"abc"), "f.txt", "text/x")}},
         lambda r: r.form["a"] == "1" and r.files["f"].read() == b"abc" and r.files["f"].content_type == "text/x"),
        ({"method": "POST", "data": {"f": (io.BytesIO(b"abc"), "f.txt")}},
         lambda r: r.files["f"].filename == "f.txt" and r.files["f"].mimetype == "text/plain"),
        ({"method": "POST", "data": {"a": "1"}, "content_type": "multipart/form-data"},
         lambda r: r.mimetype == "multipart/form-data" and r.form["a"] == "1"),
        ({"method": "POST", "data": "héllo", "content_type": "text/plain"}, lambda r: r.get_data() == "héllo".encode()),
        ({"method": "POST", "json": {"a": 1}}, lambda r: r.is_json and r.json == {"a": 1}),
        ({"headers": {"Content-Type": "text/x", "Host": "other:81"}, "data": b"xx"},
         lambda r: r.content_type == "text/x" and r.host == "other:81" and r.data == b"xx"),
        ({"headers": [("Cookie", "a=1")]}, lambda r: r.cookies["a"] == "1"),
        ({"auth": ("u", "p")}, lambda r: r.authorization.username == "u" and r.authorization.password == "p"),
        ({"environ_base": {"REMOTE_ADDR": "1.2.3.4"}, "environ_overrides": {"wsgi.url_scheme": "https"}},
         lambda r: r.remote_addr == "1.2.3.4" and r.is_secure),
        ({"input_stream": io.BytesIO(b"raw"), "content_length": 3}, lambda r: r.get_data() == b"raw"),
        ({"input_stream": io.BytesIO(b"raw")}, lambda r: r.content_length == 3 and r.get_data() == b"raw"),
        ({"data": io.BytesIO(b"streamed")}, lambda r: r.get_data() == b"streamed"),
        ({"data": b"x", "mimetype": "text/csv"}, lambda r: r.content_type == "text/csv; charset=utf-8"),
        ({"multithread": True, "multiprocess": True, "run_once": True},
         lambda r: r.is_multithread and r.is_multiprocess and r.is_run_once),
    ],
)
def test_from_values(kwargs: dict[str, t.Any], check: t.Callable[[Request], bool]) -> None:
    assert check(Request.from_values(**kwargs))


def test_from_values_rejects_double_query() -> None:
    with pytest.raises(ValueError, match="Query string is defined in the path and as an argument"):
        Request.from_values("/x?q=1", query_string="z=2")
    with pytest.raises(TypeError, match="can't provide both json and data"):
        Request.from_values(data=b"x", json={})


@settings(deadline=None)  # no timing: the machines are shared
@given(st.lists(st.tuples(st.text(min_size=0, max_size=8), st.text(max_size=8)), max_size=8))
def test_query_round_trip(pairs: list[tuple[str, str]]) -> None:
    # Surrogates cannot be encoded in a URL at all.
    pairs = [(k, v) for k, v in pairs if not any("\ud800" <= c <= "\udfff" for c in k + v)]
    sent = MultiDict(pairs)
    request = Request.from_values(query_string=sent)
    assert request.args.to_dict(flat=False) == sent.to_dict(flat=False)


@given(st.text(max_size=30))
def test_any_query_string_or_path_parses(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass").decode("latin1")
    request = Request({"QUERY_STRING": raw, "PATH_INFO": raw, "SCRIPT_NAME": raw})
    assert isinstance(request.args, ImmutableMultiDict)
    assert request.path.startswith("/")
    assert isinstance(request.full_path, str)
    assert isinstance(request.url, str)


# -- Request.application ------------------------------------------------------------


def _response_class() -> t.Any:
    from wsgikit.wrappers.response import Response

    return Response


def _run(app: t.Any, environ: dict[str, t.Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    captured: dict[str, t.Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = app(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return captured["status"], captured["headers"], data


def test_application_round_trip_validated() -> None:
    Response = _response_class()

    @Request.application
    def app(request: Request) -> t.Any:
        if request.path == "/missing":
            raise NotFound()
        if request.method == "POST":
            return Response(f"form {request.form['name']}")
        return Response(f"hello {request.args.get('name', 'world')} at {request.path}")

    validated = validator(app)
    status, headers, data = _run(validated, make_environ(PATH_INFO="/x", QUERY_STRING="name=wsgi"))
    assert (status, data) == ("200 OK", b"hello wsgi at /x")
    assert ("Content-Type", "text/plain; charset=utf-8") in headers
    status, _, data = _run(validated, make_environ(PATH_INFO="/missing"))
    assert status == "404 NOT FOUND"
    assert b"Not Found" in data
    status, _, data = _run(validated, body_environ(b"name=posted", "application/x-www-form-urlencoded"))
    assert (status, data) == ("200 OK", b"form posted")
    assert app.__name__ == "app"


def test_application_on_method_and_closes_request() -> None:
    Response = _response_class()
    seen: list[Request] = []

    class View:
        @Request.application
        def app(self, request: Request) -> t.Any:
            seen.append(request)
            return Response(f"m {request.path}")

    boundary = "B"
    body = f'--{boundary}\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n--{boundary}--\r\n'
    environ = body_environ(body.encode(), f"multipart/form-data; boundary={boundary}", PATH_INFO="/y")
    status, _, data = _run(View().app, environ)
    assert (status, data) == ("200 OK", b"m /y")
    assert environ["werkzeug.request"] is seen[0]

    @Request.application
    def upload(request: Request) -> t.Any:
        seen.append(request)
        request.files["f"]
        return Response("ok")

    environ = body_environ(body.encode(), f"multipart/form-data; boundary={boundary}")
    _run(upload, environ)
    assert seen[-1].files["f"].stream.closed


def test_application_bad_request_from_json() -> None:
    Response = _response_class()

    @Request.application
    def app(request: Request) -> t.Any:
        return Response(json.dumps(request.json))

    status, _, data = _run(validator(app), body_environ(b"{", "application/json"))
    assert status == "400 BAD REQUEST"
    assert b"Failed to decode JSON object" in data
    status, _, _ = _run(validator(app), body_environ(b"{}", "text/plain"))
    assert status == "415 UNSUPPORTED MEDIA TYPE"


@pytest.mark.parametrize(("raw", "method"), [(b"put", "PUT"), (b"DELETE", "DELETE"), ("patch", "PATCH")])
def test_method_stored_as_bytes_is_decoded(raw: t.Any, method: str) -> None:
    environ: dict[str, t.Any] = {}
    setup_testing_defaults(environ)
    environ["REQUEST_METHOD"] = raw  # as a Python 2 era middleware writes it
    assert Request(environ).method == method
