"""A session the view never touches is not opened when the request has no
session cookie (PERF in ``Flask.process_response``): every case must answer
exactly as the general path, which opens and saves the session as Flask does."""

from __future__ import annotations

import io
import sys

import pytest

from microflask import Flask
from microflask import session
from microflask.sessions import SecureCookieSessionInterface

ANALYTICS = "_ga=GA1.1.1234.1733; _gid=GA1.1.9876.1733; _fbp=fb.1.1733.11"


class GeneralInterface(SecureCookieSessionInterface):
    """A subclass that turns the shortcut off: the application opens the
    session at push time and saves it after every request."""

    _opens_lazily = False


def _make_app(general: bool, cookie_name: str = "session", refresh: bool = True) -> Flask:
    app = Flask("lazy_session")
    app.config.update(SECRET_KEY="k", SESSION_REFRESH_EACH_REQUEST=refresh, SESSION_COOKIE_NAME=cookie_name)
    if general:
        app.session_interface = GeneralInterface()

    @app.route("/login/<kind>")
    def login(kind: str) -> str:
        session.permanent = kind == "permanent"
        session["user"] = "alice"
        return "in"

    @app.route("/page")
    def page() -> str:
        return "page"

    return app


def _session_cookie(app: Flask, kind: str) -> str:
    header = app.test_client().get(f"/login/{kind}").headers["Set-Cookie"]
    return header.split(";")[0]


def _call(app: Flask, cookie: str | None) -> tuple[str, list[tuple[str, str]], bytes]:
    env = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/page", "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }
    if cookie is not None:
        env["HTTP_COOKIE"] = cookie
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(app(env, lambda status, headers, exc_info=None: seen.append((status, headers))))
    return seen[0][0], sorted(seen[0][1]), body


def _cookie_header(kind: str, app: Flask) -> str | None:
    if kind == "none":
        return None
    if kind == "empty":
        return ""
    if kind == "analytics":
        return ANALYTICS
    if kind == "lookalike":
        # The cookie name appears in the header, but as part of another name.
        return "mysession=1; " + ANALYTICS
    if kind == "forged":
        return ANALYTICS + "; " + app.config["SESSION_COOKIE_NAME"] + "=eyJ4IjoxfQ.bad.sig"
    return ANALYTICS + "; " + _session_cookie(app, kind)


@pytest.mark.parametrize("refresh", [True, False])
@pytest.mark.parametrize("cookie_name", ["session", "sid"])
@pytest.mark.parametrize("kind", ["none", "empty", "analytics", "lookalike", "forged", "permanent", "plain"])
def test_untouched_session_answers_as_the_general_path(kind: str, cookie_name: str, refresh: bool) -> None:
    fast = _make_app(general=False, cookie_name=cookie_name, refresh=refresh)
    general = _make_app(general=True, cookie_name=cookie_name, refresh=refresh)
    header = _cookie_header(kind, fast)
    assert _call(fast, header) == _call(general, header)


def test_permanent_session_is_refreshed_without_being_read() -> None:
    app = _make_app(general=False)
    status, headers, _ = _call(app, ANALYTICS + "; " + _session_cookie(app, "permanent"))
    set_cookie = [v for k, v in headers if k == "Set-Cookie"]
    assert len(set_cookie) == 1 and "Expires=" in set_cookie[0]
    assert ("Vary", "Cookie") in headers


@pytest.mark.parametrize("kind", ["analytics", "plain"])
def test_no_cookie_is_set_when_nothing_needs_saving(kind: str) -> None:
    app = _make_app(general=False)
    _, headers, _ = _call(app, _cookie_header(kind, app))
    assert not [v for k, v in headers if k in ("Set-Cookie", "Vary")]


def test_analytics_cookies_do_not_open_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _make_app(general=False)
    opened = []
    original = SecureCookieSessionInterface.open_session
    monkeypatch.setattr(
        SecureCookieSessionInterface, "open_session", lambda self, a, r: opened.append(1) or original(self, a, r)
    )
    _call(app, ANALYTICS)
    assert opened == []
    _call(app, ANALYTICS + "; session=x")
    assert opened == [1]


def test_an_instance_override_of_the_cookie_name_is_honoured() -> None:
    app = _make_app(general=False)
    # Its own interface instance: the default one is shared by all apps.
    app.session_interface = SecureCookieSessionInterface()
    cookie = _session_cookie(app, "permanent").replace("session=", "other=", 1)
    app.session_interface.get_cookie_name = lambda app: "other"  # type: ignore[method-assign]
    _, headers, _ = _call(app, cookie)
    assert [v for k, v in headers if k == "Set-Cookie"][0].startswith("other=")


def test_a_request_class_reading_cookies_its_own_way_opens_the_session() -> None:
    from microflask.wrappers import Request

    class CookiesFromQuery(Request):
        @property
        def cookies(self):  # type: ignore[override]
            from wsgikit.datastructures import MultiDict

            return MultiDict([("session", self.environ["HTTP_COOKIE"].split("=", 1)[1])])

    app = _make_app(general=False)
    token = _session_cookie(app, "permanent").split("=", 1)[1]
    app.request_class = CookiesFromQuery
    _, headers, _ = _call(app, "whatever=" + token)
    assert [v for k, v in headers if k == "Set-Cookie"]


def test_app_context_builds_its_url_adapter_on_first_use() -> None:
    app = Flask("lazy_adapter")
    app.add_url_rule("/x/<n>", "x", lambda n: n)
    with app.app_context() as ctx:
        assert ctx.url_adapter is None
    app.config["SERVER_NAME"] = "example.com"
    with app.app_context() as ctx:
        assert ctx.url_adapter.build("x", {"n": 1}) == "/x/1"
        ctx.url_adapter = None
        assert ctx.url_adapter is None
