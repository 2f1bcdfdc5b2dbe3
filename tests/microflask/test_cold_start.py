"""Creating an application and serving a request loads only what a request
needs (PERF: cold start); the shortcuts behind it answer as the general path."""

from __future__ import annotations

import functools
import inspect
import subprocess
import sys

import pytest

from microflask.app import _is_coroutine_function


async def _async_view() -> str:
    return "a"


def _plain_view() -> str:
    return "p"


class _AsyncCallable:
    async def __call__(self) -> str:
        return "c"


class _Methods:
    def plain(self) -> None: ...

    async def coro(self) -> None: ...


def _marked() -> None: ...


if hasattr(inspect, "markcoroutinefunction"):
    inspect.markcoroutinefunction(_marked)


@pytest.mark.parametrize(
    "func",
    [
        _async_view,
        _plain_view,
        lambda: None,
        functools.partial(_async_view),
        functools.partial(_plain_view),
        _AsyncCallable(),
        _Methods().plain,
        _Methods().coro,
        _marked,
        len,
        functools.wraps(_async_view)(lambda: None),
    ],
)
def test_coroutine_check_answers_as_inspect(func: object) -> None:
    assert _is_coroutine_function(func) is inspect.iscoroutinefunction(func)


NOT_BEFORE_USE = (
    "microflask.templating",
    "microflask.cli",
    "microflask.testing",
    "wsgikit.test",
    "wsgikit.debug",
    "inspect",
    "uuid",
    "difflib",
    "pprint",
    "decimal",
    "logging",
    # OpenSSL's hashes come with the first signed session or ETag.
    "hashlib",
    "_hashlib",
    "hmac",
    "secrets",
    "pkgutil",
    "unicodedata",
    "mimetypes",
    "http",
    "html",
)


def test_first_response_imports_nothing_it_does_not_need() -> None:
    code = f"""
import io, sys
before = set(sys.modules)  # what the interpreter (site, sitecustomize) loaded itself
from microflask import Flask
app = Flask("cold")
for n in range(20):
    app.add_url_rule(f"/r{{n}}/<name>", f"r{{n}}", lambda name, n=n: f"r{{n}} {{name}}")
env = {{"REQUEST_METHOD": "GET", "PATH_INFO": "/r7/x", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
       "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}}
assert b"".join(app(env, lambda s, h, e=None: None)) == b"r7 x"
print(" ".join(sorted(m for m in set(sys.modules) - before if m.startswith({NOT_BEFORE_USE!r}))))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []


def test_form_data_parser_class_is_loaded_on_first_read_and_can_be_replaced() -> None:
    from wsgikit.formparser import FormDataParser
    from wsgikit.wrappers import Request

    assert Request.form_data_parser_class is FormDataParser
    assert Request({}).form_data_parser_class is FormDataParser

    class Parser(FormDataParser):
        pass

    class MyRequest(Request):
        form_data_parser_class = Parser

    request = Request({})
    request.form_data_parser_class = Parser
    assert MyRequest.form_data_parser_class is Parser
    assert request.form_data_parser_class is Parser
    assert Request.form_data_parser_class is FormDataParser


def test_json_default_still_encodes_decimal_uuid_and_dataclasses() -> None:
    import dataclasses
    import decimal
    import uuid

    from microflask import Flask

    @dataclasses.dataclass
    class Point:
        x: int

    app = Flask("json_lazy")
    u = uuid.UUID(int=5)
    with app.app_context():
        assert app.json.dumps([decimal.Decimal("1.5"), u, Point(1)]) == f'["1.5", "{u}", {{"x": 1}}]'
    from microflask.json.tag import TaggedJSONSerializer

    serializer = TaggedJSONSerializer()
    assert serializer.loads(serializer.dumps({"u": u})) == {"u": u}


def test_lazy_sha1_default_signs_as_hashlib_sha1() -> None:
    import hashlib

    from microflask import Flask
    from microflask._signing import lazy_sha1
    from microflask.sessions import SecureCookieSessionInterface

    assert SecureCookieSessionInterface.digest_method is lazy_sha1
    assert lazy_sha1(b"abc").hexdigest() == hashlib.sha1(b"abc").hexdigest()
    assert lazy_sha1().hexdigest() == hashlib.sha1().hexdigest()

    class ExplicitSha1(SecureCookieSessionInterface):
        digest_method = staticmethod(hashlib.sha1)

    app = Flask("lazy_sha1")
    app.secret_key = "k"
    default = SecureCookieSessionInterface().get_signing_serializer(app)
    explicit = ExplicitSha1().get_signing_serializer(app)
    assert default is not None and explicit is not None
    token = default.dumps({"a": 1})
    assert explicit.loads(token) == {"a": 1}
    assert default.loads(explicit.dumps({"b": 2})) == {"b": 2}
    # The signer uses the real constructor (the fast prefix-state path).
    assert default.digest_method is hashlib.sha1
