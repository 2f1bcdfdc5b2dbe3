"""Tests for wsgikit.utils."""

from __future__ import annotations

import sys
import typing as t
from pathlib import Path

import pytest

from wsgikit import utils
from wsgikit.datastructures import Headers
from wsgikit.utils import ImportStringError
from wsgikit.utils import append_slash_redirect
from wsgikit.utils import cached_property
from wsgikit.utils import environ_property
from wsgikit.utils import escape
from wsgikit.utils import find_modules
from wsgikit.utils import get_content_type
from wsgikit.utils import header_property
from wsgikit.utils import import_string
from wsgikit.utils import redirect
from wsgikit.utils import secure_filename

# -- cached_property ----------------------------------------------------------------


class Counted:
    calls = 0

    @cached_property
    def value(self) -> int:
        """The answer."""
        type(self).calls += 1
        return 42


def test_cached_property_caches_sets_and_deletes() -> None:
    Counted.calls = 0
    obj = Counted()
    assert (obj.value, obj.value, Counted.calls) == (42, 42, 1)
    assert obj.__dict__ == {"value": 42}
    obj.value = 5
    assert obj.value == 5 and Counted.calls == 1
    del obj.value
    assert obj.__dict__ == {}
    assert obj.value == 42 and Counted.calls == 2
    del obj.value
    with pytest.raises(KeyError):
        del obj.value


def test_cached_property_on_class_and_metadata() -> None:
    prop = Counted.__dict__["value"]
    assert Counted.value is prop
    assert prop.__name__ == "value"
    assert prop.__doc__ == "The answer."
    assert prop.__module__ == __name__
    named = cached_property(lambda self: 7, name="seven", doc="doc")
    assert (named.__name__, named.__doc__) == ("seven", "doc")


def test_cached_property_errors_are_not_cached() -> None:
    class Flaky:
        attempts = 0

        @cached_property
        def value(self) -> int:
            type(self).attempts += 1
            if type(self).attempts == 1:
                raise ValueError("first")
            return 1

    obj = Flaky()
    with pytest.raises(ValueError) as info:
        obj.value
    assert info.value.__context__ is None  # not chained to an internal KeyError
    assert obj.value == 1


def test_cached_property_with_slots_and_dict() -> None:
    class WithDict:
        __slots__ = ("__dict__", "other")

        @cached_property
        def value(self) -> int:
            return 1

    obj = WithDict()
    assert obj.value == 1
    assert obj.__dict__ == {"value": 1}


def test_cached_property_with_cache_slot() -> None:
    class Slotted:
        __slots__ = ("_cache_value",)
        calls = 0

        @cached_property
        def value(self) -> int:
            Slotted.calls += 1
            return 1

    obj = Slotted()
    assert (obj.value, obj.value, Slotted.calls) == (1, 1, 1)
    obj.value = 5
    assert obj.value == 5
    del obj.value
    del obj.value  # clearing an empty slot is fine
    assert obj.value == 1 and Slotted.calls == 2


def test_cached_property_slots_without_storage() -> None:
    class NoRoom:
        __slots__ = ("other",)

        @cached_property
        def value(self) -> int:
            return 1

    with pytest.raises(AttributeError, match="_cache_value"):
        NoRoom().value


# -- environ_property / header_property --------------------------------------------


class FakeRequest:
    def __init__(self, environ: dict[str, t.Any]) -> None:
        self.environ = environ

    number = environ_property("NUMBER", default=-1, load_func=int)
    plain = environ_property("PLAIN")
    writable = environ_property("WRITABLE", read_only=False, dump_func=str)


def test_environ_property() -> None:
    request = FakeRequest({"NUMBER": "12", "PLAIN": "x"})
    assert request.number == 12
    assert request.plain == "x"
    assert FakeRequest({"NUMBER": "nope"}).number == -1
    assert FakeRequest({}).number == -1
    assert FakeRequest({}).plain is None
    with pytest.raises(AttributeError, match="read only property"):
        request.number = 3  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read only property"):
        del request.plain
    request.writable = 5
    assert request.environ["WRITABLE"] == "5"
    del request.writable
    del request.writable
    assert "WRITABLE" not in request.environ
    assert repr(FakeRequest.number) == "<environ_property NUMBER>"
    assert environ_property("X", doc="hi").__doc__ == "hi"


class FakeResponse:
    def __init__(self) -> None:
        self.headers = Headers()

    length = header_property("X-Length", load_func=int, dump_func=str)
    raw = header_property("X-Raw")


def test_header_property() -> None:
    response = FakeResponse()
    assert response.length is None
    response.length = 5
    assert response.headers["X-Length"] == "5"
    assert response.length == 5
    response.headers["X-Length"] = "bad"
    assert response.length is None
    response.raw = "v"
    assert response.raw == "v"
    del response.raw
    del response.raw
    assert "X-Raw" not in response.headers
    assert header_property.read_only is False


# -- escape / get_content_type ------------------------------------------------------


class HasHtml:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<a href=\"x\">'&'</a>", "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"),
        (None, ""),
        (HasHtml(), "<b>safe</b>"),
        (42, "42"),
        ("", ""),
        ("plain", "plain"),
    ],
)
def test_escape(value: object, expected: str) -> None:
    assert escape(value) == expected


@pytest.mark.parametrize(
    ("mimetype", "expected"),
    [
        ("text/html", "text/html; charset=utf-8"),
        ("text/", "text/; charset=utf-8"),
        ("application/json", "application/json"),
        ("application/xml", "application/xml; charset=utf-8"),
        ("application/javascript", "application/javascript; charset=utf-8"),
        ("application/sql", "application/sql; charset=utf-8"),
        ("application/xml-dtd", "application/xml-dtd; charset=utf-8"),
        ("image/svg+xml", "image/svg+xml; charset=utf-8"),
        ("application/xml+foo", "application/xml+foo"),
        ("image/png", "image/png"),
        ("TEXT/HTML", "TEXT/HTML"),
        ("application/x-javascript", "application/x-javascript"),
    ],
)
def test_get_content_type(mimetype: str, expected: str) -> None:
    assert get_content_type(mimetype, "utf-8") == expected


# -- secure_filename ----------------------------------------------------------------

FILENAMES = [
    ("My cool movie.mov", "My_cool_movie.mov"),
    ("../../../etc/passwd", "etc_passwd"),
    ("i contain cool \xfcml\xe4uts.txt", "i_contain_cool_umlauts.txt"),
    ("CON", "CON"),
    ("con.txt", "con.txt"),
    ("CON.", "CON"),
    ("_con", "con"),
    ("conin$", "conin"),
    ("  ..  ", ""),
    ("...", ""),
    (".hidden", "hidden"),
    ("__init__.py", "init__.py"),
    ("a/b\\c", "a_bc"),
    ("a\x00b", "ab"),
    ("Ærøskøbing.txt", "rskbing.txt"),
    ("日本語.txt", "txt"),
    ("ﬁle.txt", "file.txt"),
    ("Ⅻ.txt", "XII.txt"),
    ("a  b\tc\nd", "a_b_c_d"),
    ("-_.", "-"),
    ("._.", ""),
    ("_a_", "a"),
    ("/", ""),
    ("\\\\server\\share", "servershare"),
    ("C:\\Windows\\x.txt", "CWindowsx.txt"),
    ("file name (1).tar.gz", "file_name_1.tar.gz"),
    ("$PATH", "PATH"),
    ("ｆｕｌｌ", "full"),
    ("e\u0301", "e"),
    ("\u00a0x\u2003y", "x_y"),
    ("", ""),
]


@pytest.mark.parametrize(("filename", "expected"), FILENAMES)
def test_secure_filename(filename: str, expected: str) -> None:
    assert secure_filename(filename) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("CON.", "_CON"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("LPT1", "_LPT1"),
        ("lpt10", "lpt10"),
        ("COM9.x", "_COM9.x"),
        ("COM0", "COM0"),
        ("prn", "_prn"),
        ("aux", "_aux"),
        ("con ", "_con"),
        ("COM1 ", "_COM1"),
        ("COM¹.txt", "_COM1.txt"),
        ("../con", "_con"),
        (".con", "_con"),
        ("conin$", "conin"),
        ("a/b\\c", "a_b_c"),
        ("C:\\Windows\\x.txt", "C_Windows_x.txt"),
        ("normal.txt", "normal.txt"),
    ],
)
def test_secure_filename_windows_rules(filename: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(utils, "_os_is_windows", True)
    assert secure_filename(filename) == expected


def test_secure_filename_large_input() -> None:
    assert secure_filename("a b/" * 100_000) == "_".join(["a_b"] * 100_000)


# -- redirects ------------------------------------------------------------------------


def _redirect_body(html_location: str) -> str:
    return (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{html_location}">{html_location}</a>. If not, click the link.\n'
    )


@pytest.mark.parametrize(
    ("location", "code", "html"),
    [
        ('/foo?a=b&c=<d>"', 302, "/foo?a=b&amp;c=&lt;d&gt;&#34;"),
        ("http://ü.com/päth", 301, "http://ü.com/päth"),
        ("/x y", 307, "/x y"),
    ],
)
def test_redirect(location: str, code: int, html: str) -> None:
    response = redirect(location, code)
    assert response.status_code == code
    assert response.headers["Location"] == location
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True) == _redirect_body(html)


def test_redirect_keeps_an_empty_authority_on_the_wire() -> None:
    from wsgikit.test import create_environ
    from wsgikit.test import run_wsgi_app

    response = redirect("itms-services://?url=abc")
    _, _, headers = run_wsgi_app(response, create_environ())
    assert headers["Location"] == "itms-services://?url=abc"


def test_redirect_custom_response_class() -> None:
    from wsgikit.wrappers.response import Response

    class MyResponse(Response):
        pass

    assert type(redirect("/x", Response=MyResponse)) is MyResponse


@pytest.mark.parametrize(
    ("environ", "location"),
    [
        ({"PATH_INFO": "/foo/bar", "QUERY_STRING": "a=1"}, "bar/?a=1"),
        ({"PATH_INFO": "/foo"}, "foo/"),
        ({"PATH_INFO": "/"}, "./"),
        ({"PATH_INFO": ""}, "./"),
        ({}, "./"),
        ({"PATH_INFO": "/a/b/"}, "./"),
        ({"PATH_INFO": "foo", "QUERY_STRING": ""}, "foo/"),
        ({"PATH_INFO": "//evil.com/x"}, "x/"),
        ({"PATH_INFO": "/ä b"}, "ä b/"),
    ],
)
def test_append_slash_redirect(environ: dict[str, str], location: str) -> None:
    response = append_slash_redirect(environ)
    assert response.status_code == 308
    assert response.headers["Location"] == location


def test_append_slash_redirect_code() -> None:
    assert append_slash_redirect({"PATH_INFO": "/a"}, code=301).status_code == 301


# -- import_string / find_modules ------------------------------------------------------


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    root = tmp_path / "wk_testpkg"
    (root / "sub" / "deep").mkdir(parents=True)
    for name in ["__init__.py", "a.py", "plain.py", "sub/__init__.py", "sub/b.py", "sub/deep/__init__.py", "sub/deep/c.py"]:
        (root / name).write_text("VALUE = 1\n")
    (root / "broken.py").write_text("import wk_nonexistent_module_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "wk_testpkg"
    for name in list(sys.modules):
        if name.startswith("wk_testpkg"):
            del sys.modules[name]


def test_import_string_forms() -> None:
    import os.path

    assert import_string("os.path") is os.path
    assert import_string("os.path.join") is os.path.join
    assert import_string("os:path") is os.path
    assert import_string("os.path:join") is os.path.join
    assert import_string("wsgikit.utils.secure_filename") is secure_filename


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("wk_nonexist_xx", "ModuleNotFoundError: No module named 'wk_nonexist_xx'"),
        ("os.nonexist", "ImportError: module 'os' has no attribute 'nonexist'"),
        ("wk_testpkg.broken", "ModuleNotFoundError: No module named 'wk_nonexistent_module_xyz'"),
        ("wk_testpkg:nonexist", "ImportError: module 'wk_testpkg' has no attribute 'nonexist'"),
        ("os.path.join.nope", "ModuleNotFoundError: No module named 'os.path.join'; 'os.path' is not a package"),
        ("os.", "ImportError: module 'os' has no attribute ''"),
    ],
)
def test_import_string_errors(name: str, original: str, package: str) -> None:
    assert import_string(name, silent=True) is None
    with pytest.raises(ImportStringError) as info:
        import_string(name)
    error = info.value
    assert error.import_name == name.replace(":", ".")
    assert str(error).endswith(f"Original exception:\n\n{original}")
    assert str(error).startswith(f"import_string() failed for {name.replace(':', '.')!r}. Possible reasons are:")


def test_import_string_error_message(package: str) -> None:
    with pytest.raises(ImportStringError) as info:
        import_string("wk_testpkg.sub.deep.c.zz")
    root = Path(sys.modules["wk_testpkg"].__file__).parent  # type: ignore[arg-type]
    assert str(info.value) == (
        "import_string() failed for 'wk_testpkg.sub.deep.c.zz'. Possible reasons are:\n\n"
        "- missing __init__.py in a package;\n"
        "- package or module path not included in sys.path;\n"
        "- duplicated package or module name taking precedence in sys.path;\n"
        "- missing module, class, function or variable;\n\n"
        "Debugged import:\n\n"
        f"- 'wk_testpkg' found in {str(root / '__init__.py')!r}.\n"
        f"- 'wk_testpkg.sub' found in {str(root / 'sub' / '__init__.py')!r}.\n"
        f"- 'wk_testpkg.sub.deep' found in {str(root / 'sub' / 'deep' / '__init__.py')!r}.\n"
        f"- 'wk_testpkg.sub.deep.c' found in {str(root / 'sub' / 'deep' / 'c.py')!r}.\n"
        "- 'wk_testpkg.sub.deep.c.zz' not found.\n\n"
        "Original exception:\n\n"
        "ImportError: module 'wk_testpkg.sub.deep.c' has no attribute 'zz'"
    )
    assert info.value.args == (str(info.value),)


def test_import_string_error_repr() -> None:
    error = ImportStringError("a.b", ValueError("x"))
    assert repr(error) == "<ImportStringError('a.b', ValueError('x'))>"
    assert "- 'a' not found." in str(error)
    assert "- 'sys' found in None." in str(ImportStringError("sys.nope", ValueError("x")))


def test_import_string_empty_name() -> None:
    with pytest.raises(ValueError):
        import_string("")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["a", "broken", "plain"]),
        ({"include_packages": True}, ["a", "broken", "plain", "sub"]),
        ({"recursive": True}, ["a", "broken", "plain", "sub.b", "sub.deep.c"]),
        ({"include_packages": True, "recursive": True}, ["a", "broken", "plain", "sub", "sub.b", "sub.deep", "sub.deep.c"]),
    ],
)
def test_find_modules(kwargs: dict[str, bool], expected: list[str], package: str) -> None:
    assert sorted(find_modules(package, **kwargs)) == [f"{package}.{name}" for name in expected]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["B", "a", "c", "d"]),
        ({"recursive": True}, ["B", "a", "b_sub.m", "b_sub.z.q", "c", "a_sub.x", "d"]),
        ({"include_packages": True}, ["B", "a", "b_sub", "c", "a_sub", "d"]),
        (
            {"include_packages": True, "recursive": True},
            ["B", "a", "b_sub", "b_sub.m", "b_sub.z", "b_sub.z.q", "c", "a_sub", "a_sub.x", "d"],
        ),
    ],
)
def test_find_modules_order(kwargs: dict[str, bool], expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Werkzeug's order: each directory of the package's __path__ in turn,
    # names sorted within it, a subpackage followed at once by its contents.
    first, second = tmp_path / "d1" / "wk_orderpkg", tmp_path / "d2" / "wk_orderpkg"
    (first / "b_sub" / "z").mkdir(parents=True)
    (second / "a_sub").mkdir(parents=True)
    for name in ["c.py", "a.py", "B.py", "b_sub/__init__.py", "b_sub/m.py", "b_sub/z/__init__.py", "b_sub/z/q.py"]:
        (first / name).write_text("")
    for name in ["a_sub/__init__.py", "a_sub/x.py", "d.py"]:
        (second / name).write_text("")
    (first / "__init__.py").write_text(f"__path__.append({str(second)!r})\n")
    monkeypatch.syspath_prepend(str(tmp_path / "d1"))
    try:
        assert list(find_modules("wk_orderpkg", **kwargs)) == [f"wk_orderpkg.{name}" for name in expected]
    finally:
        for name in [n for n in sys.modules if n.startswith("wk_orderpkg")]:
            del sys.modules[name]


def test_find_modules_errors(package: str) -> None:
    with pytest.raises(ValueError, match="'wk_testpkg.a' is not a package"):
        list(find_modules("wk_testpkg.a"))
    with pytest.raises(ImportStringError):
        list(find_modules("wk_nonexistent_pkg"))


def test_safe_join_is_reexported() -> None:
    from wsgikit.security import safe_join

    assert utils.safe_join is safe_join


# -- wsgikit._internal (shared private helpers) ------------------------------------------

from wsgikit import _internal  # noqa: E402


@pytest.mark.parametrize(
    ("value", "expected"),
    [(" 12 ", 12), ("-1", -1), ("\t7\n", 7), ("-0", 0), ("007", 7)],
)
def test_plain_int(value: str, expected: int) -> None:
    assert _internal._plain_int(value) == expected


@pytest.mark.parametrize("value", ["+1", "1_0", "١", "²", "", " ", "-", "--1", "0x1", "1 2", "1.0"])
def test_plain_int_refuses(value: str) -> None:
    with pytest.raises(ValueError):
        _internal._plain_int(value)


def test_wsgi_dances() -> None:
    assert _internal._wsgi_decoding_dance("Ã¤") == "ä"
    assert _internal._wsgi_decoding_dance("\xff") == "\ufffd"
    assert _internal._wsgi_encoding_dance("ä") == "Ã¤"
    text = "/päth/☃"
    assert _internal._wsgi_decoding_dance(_internal._wsgi_encoding_dance(text)) == text


def test_missing_sentinel() -> None:
    import pickle

    assert repr(_internal._missing) == "no value"
    assert not _internal._missing
    assert pickle.loads(pickle.dumps(_internal._missing)) is _internal._missing


def test_dt_as_utc() -> None:
    import datetime

    utc = datetime.timezone.utc
    assert _internal._dt_as_utc(None) is None
    assert _internal._dt_as_utc(datetime.datetime(2020, 1, 1)) == datetime.datetime(2020, 1, 1, tzinfo=utc)
    plus_one = datetime.timezone(datetime.timedelta(hours=1))
    converted = _internal._dt_as_utc(datetime.datetime(2020, 1, 1, tzinfo=plus_one))
    assert converted == datetime.datetime(2019, 12, 31, 23, tzinfo=utc)
    assert converted.tzinfo is utc  # type: ignore[union-attr]


def test_get_environ() -> None:
    environ = {"PATH_INFO": "/"}

    class Request:
        pass

    request = Request()
    request.environ = environ  # type: ignore[attr-defined]
    assert _internal._get_environ(environ) is environ
    assert _internal._get_environ(request) is environ
    with pytest.raises(TypeError, match="is not a WSGI environment"):
        _internal._get_environ(42)


def test_escape_html_large_input() -> None:
    assert _internal._escape_html("<&>" * 100_000) == "&lt;&amp;&gt;" * 100_000


def test_log(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(_internal, "_logger", None)
    with caplog.at_level("INFO", logger="wsgikit"):
        _internal._log("info", "hello %s  \n", "world")
    assert [r.getMessage() for r in caplog.records if r.name == "wsgikit"] == ["hello world"]
