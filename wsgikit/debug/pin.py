"""The debugger's PIN: deriving it, hashing it, and the cookie that
remembers a browser entered it.

Theory of operation: the PIN must be something only a person who can read
the server's terminal knows, yet stay the same across restarts of the same
app (the reloader restarts often, and re-entering a PIN each time would push
people to turn it off). So it is derived, not random: a SHA-256 over
"public" facts (user, app module and class, module file) and "private"
ones an attacker on the network cannot see (the MAC address, the machine
id, the boot id, this process's cgroup line and the host name -- the last
two differ between containers that share a machine id). The digest's
leading bits become a nine-digit number shown as ``123-456-789``.

The cookie holds ``<issued-at>|<signature>`` where the signature is an HMAC
of the issue time keyed by the PIN and the private facts: it survives
restarts, cannot be forged without the PIN, and expires after
:data:`PIN_TIME` seconds even if a browser ignores ``Max-Age``.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import socket
import sys
import time
import typing as t
import uuid

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

#: How long (seconds) an entered PIN is remembered: seven days.
PIN_TIME = 60 * 60 * 24 * 7

#: Environment variables that set the PIN (or turn it ``off``), first wins.
PIN_ENV_VARS = ("WSGIKIT_DEBUG_PIN", "WERKZEUG_DEBUG_PIN")

_machine_id: bytes | None = None
_machine_id_read = False


def _read_first_line(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.readline().strip().decode("utf-8", "replace")
    except OSError:
        return ""


def _cgroup_tail() -> str:
    """The container-specific part of this process's cgroup, if any.

    Containers sharing the host's ``/etc/machine-id`` still differ here
    (``docker/<id>``, ``kubepods/.../<id>``, ...).
    """
    return _read_first_line("/proc/self/cgroup").rpartition("/")[2]


def get_machine_id() -> bytes | None:
    """Identify this machine (and container) for PIN derivation.

    Joins the machine id (``/etc/machine-id`` or dbus's), the boot id, the
    cgroup tail and the host name, as UTF-8 bytes (the type Werkzeug
    returns); ``None`` only when none is available. The result is computed
    once per process.
    """
    global _machine_id, _machine_id_read
    if _machine_id_read:
        return _machine_id
    parts = [
        _read_first_line("/etc/machine-id") or _read_first_line("/var/lib/dbus/machine-id"),
        _read_first_line("/proc/sys/kernel/random/boot_id"),
        _cgroup_tail(),
        _hostname(),
    ]
    if sys.platform == "win32":  # pragma: no cover - not exercised on Linux CI
        parts.append(_windows_machine_guid())
    joined = "|".join(parts)
    _machine_id = joined.encode("utf-8") if joined.strip("|") else None
    _machine_id_read = True
    return _machine_id


def _hostname() -> str:
    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover - gethostname practically never fails
        return ""


def _windows_machine_guid() -> str:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # never called elsewhere; lets the checkers see winreg's Windows API
        return ""
    try:
        import winreg

        with winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE,
            "SOFTWARE\\Microsoft\\Cryptography",
            0,
            winreg.KEY_READ | winreg.KEY_WOW64_64KEY,
        ) as key:
            value, _ = winreg.QueryValueEx(key, "MachineGuid")
            return str(value)
    except OSError:
        return ""


def hash_pin(pin: str) -> str:
    """A short, salted digest of ``pin`` (12 hex characters).

    :param pin: the PIN as entered or derived.
    """
    return hashlib.sha1(f"{pin} added salt".encode("utf-8", "replace")).hexdigest()[:12]


def _username() -> str | None:
    # getpass consults environment variables and then the password database;
    # a container running as an unnamed uid raises, which must not stop the app.
    try:
        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return None


def _app_facts(app: t.Any) -> list[str]:
    """Facts about the app anyone who can read the source might know."""
    modname = getattr(app, "__module__", None) or type(app).__module__
    mod = sys.modules.get(modname)
    return [
        str(_username()),
        str(modname),
        str(getattr(app, "__name__", type(app).__name__)),
        str(getattr(mod, "__file__", None)),
    ]


def _private_facts() -> list[str]:
    """Facts only someone on the machine (or in the container) knows."""
    machine_id = get_machine_id()
    return [str(uuid.getnode()), "None" if machine_id is None else machine_id.decode("utf-8")]


def _group_digits(digits: str) -> str:
    """``123456789`` -> ``123-456-789`` (groups of 5, 4 or 3 when they fit)."""
    for size in (5, 4, 3):
        if len(digits) % size == 0:
            return "-".join(digits[i : i + size] for i in range(0, len(digits), size))
    return digits


def _pin_from_env() -> tuple[bool, str | None]:
    """``(True, pin_or_None)`` when the environment decides the PIN."""
    for name in PIN_ENV_VARS:
        value = os.environ.get(name)
        if value is None:
            continue
        value = value.strip()
        if value.lower() == "off":
            return True, None
        bare = value.replace("-", "")
        if bare.isdecimal() and bare.isascii():
            return True, value if "-" in value else _group_digits(value)
    return False, None


def get_pin_and_cookie_name(app: WSGIApplication) -> tuple[str, str] | tuple[None, None]:
    """The debugger PIN for ``app`` and the name of the cookie remembering it.

    ``WSGIKIT_DEBUG_PIN`` (or ``WERKZEUG_DEBUG_PIN``) overrides the derived
    PIN with its digits, or turns the PIN off with ``off``; then
    ``(None, None)`` is returned.

    :param app: the application being debugged.
    """
    decided, env_pin = _pin_from_env()
    if decided and env_pin is None:
        return None, None
    public = _app_facts(app)
    private = _private_facts()
    h = hashlib.sha256()
    for bit in public + private:
        h.update(bit.encode("utf-8", "replace"))
        h.update(b"\x00")
    cookie_name = f"__wzd{hashlib.sha256(h.digest() + b'cookie').hexdigest()[:20]}"
    if env_pin is not None:
        return env_pin, cookie_name
    number = int.from_bytes(hashlib.sha256(h.digest() + b"pin").digest()[:8], "big")
    return _group_digits(f"{number % 10**9:09d}"), cookie_name


def _cookie_key(pin: str, cookie_name: str) -> bytes:
    """The HMAC key for the PIN cookie: unknown without the PIN."""
    material = "\x00".join([pin.replace("-", ""), cookie_name, *_private_facts()])
    return hashlib.sha256(material.encode("utf-8", "replace")).digest()


def make_pin_cookie(pin: str, cookie_name: str, now: float | None = None) -> str:
    """The value of a fresh PIN cookie: ``<issued-at>|<hmac>``.

    :param pin: the current PIN.
    :param cookie_name: the cookie's name (part of the key).
    :param now: the issue time, default the current time.
    """
    issued = str(int(time.time() if now is None else now))
    mac = hmac.new(_cookie_key(pin, cookie_name), issued.encode(), hashlib.sha256).hexdigest()
    return f"{issued}|{mac}"


def check_pin_cookie(value: str | None, pin: str, cookie_name: str, now: float | None = None) -> bool:
    """Whether ``value`` is a genuine, unexpired PIN cookie for ``pin``.

    :param value: the cookie's value, ``None`` when absent.
    :param pin: the current PIN.
    :param cookie_name: the cookie's name.
    :param now: the time to check expiry against, default now.
    """
    if not value or len(value) > 200:
        return False
    issued, sep, mac = value.partition("|")
    if not sep or not issued.isdecimal() or not issued.isascii():
        return False
    current = time.time() if now is None else now
    age = current - int(issued)
    if age < -60 or age > PIN_TIME:
        return False
    expected = hmac.new(_cookie_key(pin, cookie_name), issued.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, mac)
