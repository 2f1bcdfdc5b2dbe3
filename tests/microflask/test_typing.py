"""Typical user code type-checks as it does under Flask 3.1: decorators keep
the decorated function's signature, helpers return what Flask's return.

One mypy run (``--strict``) over a snippet of application code full of
``typing.assert_type`` checks; errors in microflask itself are not reported
here (``--follow-imports=silent``), only what a user of the API would see.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import microflask.typing as ft

ROOT = Path(__file__).resolve().parents[2]

USER_CODE = '''
from __future__ import annotations

import typing as t
from typing import assert_type

import wsgikit.wrappers
from microflask import Blueprint, Flask, Response, abort, flash, get_flashed_messages, jsonify
from microflask import make_response, redirect, request, send_file, session, url_for
from microflask.cli import Command
from microflask.helpers import stream_with_context
from microflask.typing import ResponseReturnValue, RouteCallable
from microflask.views import MethodView, View

app = Flask(__name__)
bp = Blueprint("bp", __name__)


@app.route("/<int:n>")
def index(n: int) -> str:
    return str(n)


assert_type(index(1), str)
index("1")  # type: ignore[arg-type]  # the route decorator kept the signature


@app.get("/j")
def get_json() -> Response:
    rv = jsonify(a=1)
    assert_type(rv, Response)
    return rv


@bp.post("/p")
async def post_it() -> tuple[str, int]:
    return "x", 201


assert_type(post_it, t.Callable[[], t.Coroutine[t.Any, t.Any, tuple[str, int]]])


@app.put("/u")
@app.delete("/u")
@app.patch("/u")
def change() -> dict[str, int]:
    return {"ok": 1}


assert_type(change(), dict[str, int])


@app.before_request
def before() -> None:
    return None


assert_type(before(), None)


@bp.before_app_request
def before_all() -> str | None:
    return None


assert_type(before_all(), str | None)


@app.after_request
def after(response: Response) -> Response:
    return response


assert_type(after(Response()), Response)


@bp.after_app_request
def after_all(response: Response) -> Response:
    return response


assert_type(after_all(Response()), Response)


@bp.teardown_request
def teardown(exc: BaseException | None) -> None:
    pass


assert_type(teardown(None), None)


@app.errorhandler(404)
def not_found(e: Exception) -> tuple[str, int]:
    return "nope", 404


assert_type(not_found(Exception()), tuple[str, int])


@bp.app_errorhandler(KeyError)
def key_error(e: KeyError) -> str:
    return "missing"


assert_type(key_error(KeyError()), str)


@app.context_processor
def inject() -> dict[str, int]:
    return {"a": 1}


assert_type(inject(), dict[str, int])


@bp.app_template_filter("up")
def up(s: str) -> str:
    return s.upper()


assert_type(up("a"), str)


@bp.app_template_test()
def is_odd(n: int) -> bool:
    return n % 2 == 1


assert_type(is_odd(1), bool)


@bp.app_template_global()
def two() -> int:
    return 2


assert_type(two(), int)


@app.url_value_preprocessor
def pull(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
    pass


assert_type(pull(None, None), None)


@app.url_defaults
def push(endpoint: str, values: dict[str, t.Any]) -> None:
    pass


assert_type(push("e", {}), None)


@app.cli.command("hello")
def hello_cmd() -> None:
    pass


assert_type(hello_cmd, Command)


@app.route("/all")
def helpers() -> ResponseReturnValue:
    assert_type(url_for("index", n=1), str)
    flash("hi")
    flash("hi", "error")
    assert_type(get_flashed_messages(), list[str] | list[tuple[str, str]])
    r = make_response("x", 200)
    assert_type(r, Response)
    assert_type(redirect("/"), wsgikit.wrappers.Response)
    assert_type(send_file("f.txt"), Response)
    assert_type(request.args.get("q"), str | None)
    session["a"] = 1
    if request.method == "POST":
        abort(400)
        r = "unreachable"  # abort is NoReturn, so this line is never checked
    return r


def generate() -> t.Iterator[str]:
    yield "a"


assert_type(stream_with_context(generate()), t.Iterator[str])
assert_type(stream_with_context(generate), t.Callable[[], t.Iterator[str]])


class Items(MethodView):
    decorators = [lambda f: f]

    def get(self, item_id: int) -> ResponseReturnValue:
        return jsonify(id=item_id)


class Plain(View):
    methods = ["GET"]

    def dispatch_request(self) -> ResponseReturnValue:
        return "x"


assert_type(Items.as_view("items"), RouteCallable)
app.add_url_rule("/items/<int:item_id>", view_func=Items.as_view("items"))
app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
app.register_blueprint(bp, url_prefix="/bp")
'''


def test_flask_typing_names_exist() -> None:
    # The names Flask's ``flask.typing`` offers, for code annotated with them.
    for name in (
        "ResponseValue", "HeaderValue", "HeadersValue", "ResponseReturnValue", "ResponseClass",
        "AppOrBlueprintKey", "AfterRequestCallable", "BeforeRequestCallable", "ShellContextProcessorCallable",
        "TeardownCallable", "TemplateContextProcessorCallable", "TemplateFilterCallable",
        "TemplateGlobalCallable", "TemplateTestCallable", "URLDefaultCallable", "URLValuePreprocessorCallable",
        "ErrorHandlerCallable", "RouteCallable",
    ):  # fmt: skip
        assert hasattr(ft, name), name
    assert ft.T_route.__bound__ == ft.RouteCallable


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install mypy)")
def test_user_code_type_checks_as_under_flask(tmp_path: Path) -> None:
    snippet = tmp_path / "user_app.py"
    snippet.write_text(textwrap.dedent(USER_CODE), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache"),
            "--python-version", f"{sys.version_info[0]}.{sys.version_info[1]}", str(snippet),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout
