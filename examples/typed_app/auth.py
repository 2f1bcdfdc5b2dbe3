"""Logging in and out (a name in the signed session cookie; this sample
trusts any name), and the ``login_required`` decorator."""

from __future__ import annotations

import functools
import typing as t

from microflask import Blueprint
from microflask import Response
from microflask import abort
from microflask import flash
from microflask import g
from microflask import get_flashed_messages
from microflask import jsonify
from microflask import redirect
from microflask import request
from microflask import session
from microflask import url_for
from wsgikit.wrappers import Response as BaseResponse

from ._checks import assert_type

P = t.ParamSpec("P")
R = t.TypeVar("R")

bp = Blueprint("auth", __name__, url_prefix="/auth")


def login_required(view: t.Callable[P, R]) -> t.Callable[P, R]:
    """Answer 401 unless someone is logged in; the view keeps its signature."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if g.user is None:
            abort(401, description="Log in first.")
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the notes index (no open redirect)."""
    if target is not None and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("notes.index")


@bp.post("/login")
def login() -> BaseResponse:
    username = request.form.get("username", "").strip()
    assert_type(username, str)
    if not username:
        flash("A username is required.", "error")
        return redirect(url_for("auth.me"))
    session.clear()
    session["user"] = username
    flash(f"Welcome, {username}.")
    next_url = request.args.get("next")
    assert_type(next_url, str | None)
    return redirect(_safe_next(next_url), code=303)


@bp.post("/logout")
def logout() -> BaseResponse:
    session.pop("user", None)
    flash("Logged out.")
    return redirect(url_for("auth.me"), code=303)


@bp.get("/me")
def me() -> Response:
    return jsonify(user=g.user, messages=get_flashed_messages(with_categories=True))


if t.TYPE_CHECKING:
    # The route decorators hand back the very functions they were given.
    assert_type(login(), BaseResponse)
    assert_type(me(), Response)
