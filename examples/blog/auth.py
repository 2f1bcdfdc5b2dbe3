"""Accounts: registering, logging in and out, and knowing who is logged in.

Passwords are stored only as :mod:`wsgikit.security` hashes. The session
holds the logged-in user's id; :func:`load_logged_in_user` turns it into
``g.user`` (a row, or ``None``) before every request, and
:func:`login_required` guards the views that need an account.
"""

from __future__ import annotations

import functools
import secrets
import sqlite3
import typing as t

from microflask import Blueprint
from microflask import flash
from microflask import g
from microflask import redirect
from microflask import render_template
from microflask import request
from microflask import session
from microflask import url_for
from wsgikit.security import check_password_hash
from wsgikit.security import generate_password_hash

from .db import get_db

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: The longest username accepted.
MAX_USERNAME_LENGTH = 40
#: Passwords shorter than this are refused at registration.
MIN_PASSWORD_LENGTH = 8
#: Longer passwords are refused too: hashing megabytes per request is a
#: cheap way to tie up the server.
MAX_PASSWORD_LENGTH = 1024


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page instead of running ``view``."""

    @functools.wraps(view)
    def wrapped_view(*args: t.Any, **kwargs: t.Any) -> t.Any:
        if g.user is None:
            flash("Please log in first.", "error")
            return redirect(url_for("auth.login"))
        return view(*args, **kwargs)

    return t.cast(F, wrapped_view)


@bp.before_app_request
def load_logged_in_user() -> None:
    """Put the logged-in user's row (or ``None``) on ``g.user``."""
    user_id = session.get("user_id")
    g.user = None
    if isinstance(user_id, int):
        g.user = get_db().execute("SELECT id, username FROM user WHERE id = ?", (user_id,)).fetchone()


def read_credentials() -> tuple[str, str]:
    """The submitted username (surrounding spaces removed) and password."""
    return request.form.get("username", "").strip(), request.form.get("password", "")


def registration_errors(username: str, password: str) -> list[str]:
    """What is wrong with a registration form (an empty list when nothing)."""
    errors = []
    if not username:
        errors.append("Username is required.")
    elif len(username) > MAX_USERNAME_LENGTH:
        errors.append(f"Username must be at most {MAX_USERNAME_LENGTH} characters.")
    if not password:
        errors.append("Password is required.")
    elif len(password) < MIN_PASSWORD_LENGTH:
        errors.append(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    elif len(password) > MAX_PASSWORD_LENGTH:
        errors.append(f"Password must be at most {MAX_PASSWORD_LENGTH} characters.")
    return errors


@bp.route("/register", methods=("GET", "POST"))
def register() -> t.Any:
    """Show the registration form; create the account on a valid POST."""
    username = ""
    errors: list[str] = []
    if request.method == "POST":
        username, password = read_credentials()
        errors = registration_errors(username, password)
        if not errors:
            try:
                db = get_db()
                db.execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except sqlite3.IntegrityError:
                errors.append(f"The username {username!r} is already taken.")
            else:
                flash("Your account is ready. Please log in.", "success")
                return redirect(url_for("auth.login"))
    status = 400 if errors else 200
    return render_template("auth/register.html", username=username, errors=errors), status


@functools.lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A hash to check passwords against when the username is unknown."""
    return generate_password_hash(secrets.token_hex(16))


def find_user(username: str, password: str) -> sqlite3.Row | None:
    """The user row matching both ``username`` and ``password``, if any."""
    if not username or not password or len(password) > MAX_PASSWORD_LENGTH:
        return None
    user = get_db().execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
    if user is None:
        # Hash anyway, so an unknown name takes as long to refuse as a wrong
        # password: the response time doesn't reveal which names exist.
        check_password_hash(_decoy_hash(), password)
        return None
    if not check_password_hash(user["password"], password):
        return None
    return t.cast(sqlite3.Row, user)


@bp.route("/login", methods=("GET", "POST"))
def login() -> t.Any:
    """Show the login form; start a session on correct credentials."""
    username = ""
    errors: list[str] = []
    if request.method == "POST":
        username, password = read_credentials()
        user = find_user(username, password)
        if user is None:
            # One message for both cases, so the form doesn't reveal
            # which usernames exist.
            errors.append("Incorrect username or password.")
        else:
            # A fresh session: nothing from before the login (including the
            # CSRF token) carries over into the logged-in one.
            session.clear()
            session["user_id"] = user["id"]
            flash(f"Welcome back, {user['username']}!", "success")
            return redirect(url_for("blog.index"))
    status = 400 if errors else 200
    return render_template("auth/login.html", username=username, errors=errors), status


@bp.route("/logout", methods=("POST",))
def logout() -> t.Any:
    """End the session. A POST (with its CSRF token), so that another site
    cannot log a visitor out with a mere link or image."""
    session.clear()
    flash("You have been logged out.", "success")
    return redirect(url_for("blog.index"))
