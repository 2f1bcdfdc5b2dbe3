"""Cross-site request forgery protection for every form of the blog.

A random token lives in the (signed) session cookie. Each form carries the
same token in a hidden ``csrf_token`` field, written by the ``csrf_field``
macro. Before any request that can change something (POST, PUT, PATCH,
DELETE), :func:`protect` compares the two in constant time and answers
``400 Bad Request`` when the field is missing or differs. Another site can
make a browser send the cookie, but it cannot read the token to put in the
form, so its forged requests fail.
"""

from __future__ import annotations

import hmac
import secrets
import typing as t

from microflask import abort
from microflask import request
from microflask import session

if t.TYPE_CHECKING:
    from microflask import Flask

#: Where the token is kept in the session.
SESSION_KEY = "_csrf_token"
#: The name of the hidden form field (and of the template global).
FIELD_NAME = "csrf_token"
#: Requests that may change state; only these are checked.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def generate_csrf_token() -> str:
    """The session's token, made on first use.

    The token stays the same for the whole session, so several open tabs
    all submit valid forms; logging in or out clears the session and with it
    the token.
    """
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def is_valid(sent: str | None, expected: t.Any) -> bool:
    """Whether the token a form ``sent`` matches the session's.

    Both sides are compared as bytes: :func:`hmac.compare_digest` refuses
    non-ASCII ``str`` values with a ``TypeError``, and a forged token may
    contain anything.
    """
    if not sent or not isinstance(expected, str) or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def protect() -> None:
    """``before_request`` hook: refuse an unsafe request without the token."""
    if request.method not in UNSAFE_METHODS:
        return
    if not is_valid(request.form.get(FIELD_NAME), session.get(SESSION_KEY)):
        abort(400, "The form's security token is missing or invalid. Reload the page and try again.")


def init_app(app: Flask) -> None:
    """Check tokens before every request; let templates call ``csrf_token()``."""
    app.before_request(protect)
    app.jinja_env.globals[FIELD_NAME] = generate_csrf_token
