"""PIN derivation, hashing and the PIN cookie."""

from __future__ import annotations

import re
import typing as t

import pytest

from wsgikit.debug import get_machine_id
from wsgikit.debug import get_pin_and_cookie_name
from wsgikit.debug import hash_pin
from wsgikit.debug import pin as pin_module
from wsgikit.debug.pin import PIN_TIME
from wsgikit.debug.pin import check_pin_cookie
from wsgikit.debug.pin import make_pin_cookie


def app(environ: t.Any, start_response: t.Any) -> t.Any:
    return []  # pragma: no cover


@pytest.fixture(autouse=True)
def _no_env_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WSGIKIT_DEBUG_PIN", raising=False)
    monkeypatch.delenv("WERKZEUG_DEBUG_PIN", raising=False)


@pytest.mark.parametrize(
    ("pin", "expected"),
    # The values Werkzeug 3.1 computes, so hashes stay interchangeable.
    [("123-456-789", "9130fd746c6b"), ("123456789", "9fae4f48ce7c"), ("", "440f872d5c98"), ("<x>", "4cf9f10a6f1f")],
)
def test_hash_pin(pin: str, expected: str) -> None:
    assert hash_pin(pin) == expected


def test_derived_pin_shape_and_stability() -> None:
    pin, cookie = get_pin_and_cookie_name(app)
    assert pin is not None and cookie is not None
    assert re.fullmatch(r"\d{3}-\d{3}-\d{3}", pin)
    assert re.fullmatch(r"__wzd[0-9a-f]{20}", cookie)
    assert get_pin_and_cookie_name(app) == (pin, cookie)


def test_pin_depends_on_machine_and_container(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_pin_and_cookie_name(app)
    # Two containers sharing a machine id differ in cgroup / host name.
    monkeypatch.setattr(pin_module, "_machine_id", b"same-machine-id|boot|docker-aaaa|host-a")
    a = get_pin_and_cookie_name(app)
    monkeypatch.setattr(pin_module, "_machine_id", b"same-machine-id|boot|docker-bbbb|host-b")
    b = get_pin_and_cookie_name(app)
    assert len({first, a, b}) == 3


def test_pin_depends_on_user(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_pin_and_cookie_name(app)
    monkeypatch.setattr(pin_module, "_username", lambda: "someone-else")
    assert get_pin_and_cookie_name(app) != first


def test_machine_id_includes_container_facts() -> None:
    machine = get_machine_id()
    assert isinstance(machine, bytes)  # as Werkzeug's
    assert pin_module._hostname().encode() in machine
    assert get_machine_id() is machine  # computed once


@pytest.mark.parametrize(
    ("env", "value", "expected"),
    [
        ("WSGIKIT_DEBUG_PIN", "off", None),
        ("WSGIKIT_DEBUG_PIN", "OFF", None),
        ("WERKZEUG_DEBUG_PIN", "off", None),
        ("WSGIKIT_DEBUG_PIN", "123456789", "123-456-789"),
        ("WSGIKIT_DEBUG_PIN", "12-34", "12-34"),
        ("WSGIKIT_DEBUG_PIN", "12345678", "1234-5678"),
        ("WERKZEUG_DEBUG_PIN", "987654321", "987-654-321"),
    ],
)
def test_pin_from_environment(monkeypatch: pytest.MonkeyPatch, env: str, value: str, expected: str | None) -> None:
    monkeypatch.setenv(env, value)
    pin, cookie = get_pin_and_cookie_name(app)
    assert pin == expected
    assert (cookie is None) == (expected is None)


@pytest.mark.parametrize("value", ["abc", "", "12a", "١٢٣"])
def test_bad_environment_pin_is_ignored(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    derived = get_pin_and_cookie_name(app)
    monkeypatch.setenv("WSGIKIT_DEBUG_PIN", value)
    assert get_pin_and_cookie_name(app) == derived


def test_wsgikit_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WSGIKIT_DEBUG_PIN", "111-111-111")
    monkeypatch.setenv("WERKZEUG_DEBUG_PIN", "off")
    assert get_pin_and_cookie_name(app)[0] == "111-111-111"


@pytest.mark.parametrize(
    ("value", "now_offset", "pin", "ok"),
    [
        (None, 0, "111-111-111", True),
        (None, PIN_TIME - 5, "111-111-111", True),
        (None, PIN_TIME + 5, "111-111-111", False),
        (None, -3600, "111-111-111", False),
        (None, 0, "222-222-222", False),
        ("", 0, "111-111-111", False),
        ("garbage", 0, "111-111-111", False),
        ("1|", 0, "111-111-111", False),
        ("x|y", 0, "111-111-111", False),
        ("9" * 500, 0, "111-111-111", False),
    ],
)
def test_pin_cookie(value: str | None, now_offset: int, pin: str, ok: bool) -> None:
    issued = 1_700_000_000.0
    if value is None:
        value = make_pin_cookie("111-111-111", "__wzdname", now=issued)
    assert check_pin_cookie(value, pin, "__wzdname", now=issued + now_offset) is ok


def test_pin_cookie_bound_to_name() -> None:
    value = make_pin_cookie("111-111-111", "__wzdone")
    assert check_pin_cookie(value, "111-111-111", "__wzdone")
    assert not check_pin_cookie(value, "111-111-111", "__wzdtwo")


def test_pin_cookie_tampered_time_is_rejected() -> None:
    value = make_pin_cookie("111-111-111", "__wzdname")
    issued, _, mac = value.partition("|")
    assert not check_pin_cookie(f"{int(issued) + 1}|{mac}", "111-111-111", "__wzdname")
