"""The lazy session shortcut is a flag on the interface class, decided per
subclass and turned off by an instance override of what it bypasses."""

from __future__ import annotations

import typing as t

import pytest

from microflask import Flask
from microflask.sessions import _LAZY_SESSION_HOOKS
from microflask.sessions import SecureCookieSessionInterface
from microflask.sessions import SessionInterface


def test_the_cookie_interface_and_a_plain_subclass_open_lazily() -> None:
    class Plain(SecureCookieSessionInterface):
        salt = "other"

    assert SecureCookieSessionInterface._opens_lazily is True
    assert Plain._opens_lazily is True
    assert SessionInterface._opens_lazily is False


@pytest.mark.parametrize("hook", _LAZY_SESSION_HOOKS)
def test_a_subclass_overriding_a_hook_opens_the_general_way(hook: str) -> None:
    value: t.Any = type("S", (dict,), {}) if hook == "session_class" else (lambda self, *a: None)
    cls = type("Custom", (SecureCookieSessionInterface,), {hook: value})
    assert cls._opens_lazily is False


def test_a_subclass_may_set_the_flag_itself() -> None:
    class Mine(SecureCookieSessionInterface):
        _opens_lazily = False

        def get_cookie_name(self, app: t.Any) -> str:
            return "x"

    class Yes(Mine):
        _opens_lazily = True

    assert (Mine._opens_lazily, Yes._opens_lazily) == (False, True)


@pytest.mark.parametrize("hook", ["save_session", "open_session"])
def test_an_instance_override_runs(hook: str) -> None:
    app = Flask(__name__)
    app.secret_key = "k"
    app.session_interface = interface = SecureCookieSessionInterface()
    calls: list[str] = []
    original = getattr(interface, hook)

    def replacement(*args: t.Any) -> t.Any:
        calls.append(hook)
        return original(*args)

    setattr(interface, hook, replacement)
    assert interface._opens_lazily is False
    assert SecureCookieSessionInterface()._opens_lazily is True

    @app.route("/")
    def index() -> str:
        return "untouched"

    assert app.test_client().get("/").data == b"untouched"
    assert calls == [hook]
