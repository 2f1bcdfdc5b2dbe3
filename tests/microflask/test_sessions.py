"""microflask.sessions: the signed cookie session, tested with real wsgikit
requests/responses and a minimal app object, then end to end.

The literal tokens were written by Flask 3.1 (itsdangerous 2.2).
"""

from __future__ import annotations

import datetime
import os
import typing as t
import uuid
from pathlib import Path

import pytest

from microflask._signing import URLSafeTimedSerializer
from microflask.config import DEFAULT_CONFIG
from microflask.config import Config
from microflask.markup import Markup
from microflask.sessions import NullSession
from microflask.sessions import SecureCookieSession
from microflask.sessions import SecureCookieSessionInterface
from microflask.sessions import SessionInterface
from microflask.sessions import SessionMixin
from wsgikit.datastructures import Headers
from wsgikit.test import EnvironBuilder
from wsgikit.wrappers import Request
from wsgikit.wrappers import Response

UTC = datetime.timezone.utc

GOLDEN_KEY = "golden-secret-key"
GOLDEN_SIGNED_AT = 1795271075
GOLDEN = "eyJiIjp7IiBiIjoiQVA4PSJ9LCJuIjozLCJ0Ijp7IiB0IjpbMSwyXX0sInVzZXIiOiJhbm4ifQ.awGpow.HEOoaUw1CSEI96KAvBNuotj-d20"
GOLDEN_DATA = {"b": b"\x00\xff", "n": 3, "t": (1, 2), "user": "ann"}
GOLDEN_COMPRESSED = (
    ".eJyrVkpSsqpWUgCSSo4BFrZKtTpKeUpWxjpKJWBxIBltqGMUCxQuSa0A8pQqRgHRQElHqbQ4tQgYaol5eUq1ADUznhI"
    ".awGpow.14VUyjTVOMrIkR8mtyedsP4IeTI"
)

VECTOR_KEY = "vector-key"
VECTOR_AT = 1750000000
#: (session data, the token Flask 3.1 wrote for it with VECTOR_KEY at VECTOR_AT).
FLASK_VECTORS: list[tuple[dict[str, t.Any], str]] = [
    ({"user_id": 42}, "eyJ1c2VyX2lkIjo0Mn0.aE7hgA.IkOScrIvxJ-uuMMVNZOqrkAP-V4"),
    (
        {
            "b": b"\x00\x01",
            "d": datetime.datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
            "m": Markup("<em>hi</em>"),
            "t": (1, "two"),
            "u": uuid.UUID(int=7),
        },
        ".eJyrVkpSsqpWUgCSSo6OrrZKtTpKKWARIKkUnpqio2BgqOCbWKlgZGBkomBoZGVsYGVgoODuGwJSmgtWCiSVbFJz7TIybfSBFEiiBCwBJKMNgZ"
        "zyfKVYoGApWBBIKhngB-ZKtbUAiNolaQ.aE7hgA.HLXXPnOq0lcXuR_yQ3wKfHWE9Mw",
    ),
    ({"x": {" t": [1]}}, "eyJ4Ijp7IiBkaSI6eyIgdF9fIjpbMV19fX0.aE7hgA.JVe_mjjkAC94A1sl7pMCz-fhJkE"),
    (
        {"_permanent": True, "text": "abc" * 100},
        ".eJyrVoovSC3KTcxLzStRsiopKk3VUSpJrQCylRKTkkcRkUipFgAhW3zr.aE7hgA.AfpwKZ0VvEYUljMgaRdCMErIuRc",
    ),
    ({"name": "Zoë ☃"}, "eyJuYW1lIjoiWm9cdTAwZWIgXHUyNjAzIn0.aE7hgA.-CbuGw16zYbTcYP9iKo7G0qnK3E"),
]
#: {"user_id": 42} signed by Flask with "older-key" at VECTOR_AT.
FALLBACK_SIGNED = "eyJ1c2VyX2lkIjo0Mn0.aE7hgA.C5oVG0Phsg66d-tcyYIEyVJ_mro"


class MiniApp:
    """The attributes the session interface reads from a Flask app."""

    def __init__(self, secret_key: str | bytes | None = "k", **config: t.Any) -> None:
        self.config = Config(".", dict(DEFAULT_CONFIG))
        self.config["SECRET_KEY"] = secret_key
        self.config.update(config)

    @property
    def secret_key(self) -> t.Any:
        return self.config["SECRET_KEY"]

    @property
    def permanent_session_lifetime(self) -> datetime.timedelta:
        return self.config["PERMANENT_SESSION_LIFETIME"]  # type: ignore[no-any-return]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Freeze the signing clock; set ``clock[0]`` to move it."""
    now = [VECTOR_AT]
    monkeypatch.setattr(URLSafeTimedSerializer, "get_timestamp", lambda self: now[0])
    return now


def request_with(cookie: str | None = None, name: str = "session") -> Request:
    headers = {"Cookie": f"{name}={cookie}"} if cookie is not None else {}
    return Request(EnvironBuilder(headers=headers).get_environ())


def open_with(app: MiniApp, cookie: str | None) -> SecureCookieSession:
    session = SecureCookieSessionInterface().open_session(app, request_with(cookie))
    assert isinstance(session, SecureCookieSession)
    return session


def save(app: MiniApp, session: SessionMixin, interface: SessionInterface | None = None) -> Response:
    response = Response()
    (interface or SecureCookieSessionInterface()).save_session(app, session, response)
    return response


def cookie_value(response: Response) -> str:
    header = response.headers["Set-Cookie"]
    return header.split(";", 1)[0].partition("=")[2]


# Loading --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [(GOLDEN, GOLDEN_DATA), (GOLDEN_COMPRESSED, {**GOLDEN_DATA, "text": "x" * 300})],
)
def test_golden_vectors_load(clock: list[int], token: str, expected: dict[str, t.Any]) -> None:
    clock[0] = GOLDEN_SIGNED_AT + 3600
    app = MiniApp(GOLDEN_KEY, PERMANENT_SESSION_LIFETIME=datetime.timedelta(days=36500))
    session = open_with(app, token)
    assert dict(session) == expected
    assert type(session["t"]) is tuple
    assert not session.modified


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    "token",
    [
        _flip(GOLDEN, 5),  # payload
        _flip(GOLDEN, GOLDEN.index(".") + 3),  # timestamp
        _flip(GOLDEN, len(GOLDEN) - 2),  # signature
        GOLDEN.rsplit(".", 1)[0],  # signature missing
        GOLDEN + "x",
        "." + GOLDEN,
        "garbage",
        "a.b.c",
        "\u00e9.\u00e9.\u00e9",
    ],
)
def test_tampered_golden_vector_loads_empty(clock: list[int], token: str) -> None:
    clock[0] = GOLDEN_SIGNED_AT + 3600
    app = MiniApp(GOLDEN_KEY, PERMANENT_SESSION_LIFETIME=datetime.timedelta(days=36500))
    session = open_with(app, token)
    assert dict(session) == {}


def test_other_key_or_salt_loads_empty(clock: list[int]) -> None:
    clock[0] = GOLDEN_SIGNED_AT + 3600
    lifetime = datetime.timedelta(days=36500)
    assert dict(open_with(MiniApp("another-key", PERMANENT_SESSION_LIFETIME=lifetime), GOLDEN)) == {}

    class OtherSalt(SecureCookieSessionInterface):
        salt = "other-salt"

    app = MiniApp(GOLDEN_KEY, PERMANENT_SESSION_LIFETIME=lifetime)
    session = OtherSalt().open_session(app, request_with(GOLDEN))
    assert session is not None
    assert dict(session) == {}


def test_expired_cookie_loads_empty(clock: list[int]) -> None:
    # The golden vector is older than the default 31 days at this clock.
    clock[0] = GOLDEN_SIGNED_AT + 31 * 86400 + 1
    assert dict(open_with(MiniApp(GOLDEN_KEY), GOLDEN)) == {}
    clock[0] = GOLDEN_SIGNED_AT + 31 * 86400
    assert dict(open_with(MiniApp(GOLDEN_KEY), GOLDEN)) == GOLDEN_DATA


def test_cookie_from_the_future_loads_empty(clock: list[int]) -> None:
    clock[0] = GOLDEN_SIGNED_AT - 10
    assert dict(open_with(MiniApp(GOLDEN_KEY), GOLDEN)) == {}


@pytest.mark.parametrize(("data", "token"), FLASK_VECTORS)
def test_flask_vectors_load(clock: list[int], data: dict[str, t.Any], token: str) -> None:
    assert dict(open_with(MiniApp(VECTOR_KEY), token)) == data


@pytest.mark.parametrize(("data", "token"), FLASK_VECTORS)
def test_saved_cookie_is_what_flask_writes(clock: list[int], data: dict[str, t.Any], token: str) -> None:
    session = SecureCookieSession(data)
    session.modified = True
    assert cookie_value(save(MiniApp(VECTOR_KEY), session)) == token


def test_fallback_keys_verify_but_do_not_sign(clock: list[int]) -> None:
    app = MiniApp(VECTOR_KEY, SECRET_KEY_FALLBACKS=["unused", "older-key"])
    session = open_with(app, FALLBACK_SIGNED)
    assert dict(session) == {"user_id": 42}
    session["user_id"] = 42
    assert cookie_value(save(app, session)) == FLASK_VECTORS[0][1]
    assert dict(open_with(MiniApp(VECTOR_KEY), FALLBACK_SIGNED)) == {}


def test_bytes_secret_key(clock: list[int]) -> None:
    assert dict(open_with(MiniApp(VECTOR_KEY.encode()), FLASK_VECTORS[0][1])) == {"user_id": 42}


def test_no_cookie_or_empty_cookie_gives_new_session() -> None:
    for cookie in (None, ""):
        session = open_with(MiniApp(), cookie)
        assert dict(session) == {}
        assert session.modified is False
        assert session.new is False


def test_other_cookie_name(clock: list[int]) -> None:
    app = MiniApp(VECTOR_KEY, SESSION_COOKIE_NAME="sid")
    interface = SecureCookieSessionInterface()
    named = interface.open_session(app, request_with(FLASK_VECTORS[0][1], name="sid"))
    default_name = interface.open_session(app, request_with(FLASK_VECTORS[0][1]))
    assert named is not None
    assert default_name is not None
    assert dict(named) == {"user_id": 42}
    assert dict(default_name) == {}


def test_validly_signed_non_dict_loads_empty(clock: list[int]) -> None:
    app = MiniApp()
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert signer is not None
    for value in ([1, 2], "text", None, 5):
        assert dict(open_with(app, signer.dumps(value))) == {}


def test_validly_signed_bad_tag_loads_empty(clock: list[int]) -> None:
    app = MiniApp()
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert signer is not None
    forged = URLSafeTimedSerializer("k", salt="cookie-session", signer_kwargs={"key_derivation": "hmac"})
    forged.get_timestamp = signer.get_timestamp  # type: ignore[method-assign]
    for payload in ({" u": "not-a-uuid"}, {" t": 5}, {" b": 5}):
        assert dict(open_with(app, forged.dumps(payload))) == {}


# No secret key ----------------------------------------------------------------


NO_KEY_MESSAGE = (
    "The session is unavailable because no secret key was set.  Set the"
    " secret_key on the application to something unique and secret."
)


@pytest.mark.parametrize("key", [None, "", b""])
def test_no_secret_key_means_no_session(key: str | bytes | None) -> None:
    interface = SecureCookieSessionInterface()
    app = MiniApp(key)
    assert interface.get_signing_serializer(app) is None
    assert interface.open_session(app, request_with("x")) is None
    null = interface.make_null_session(app)
    assert isinstance(null, NullSession)
    assert interface.is_null_session(null)
    assert not interface.is_null_session(SecureCookieSession())


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.__setitem__("a", 1),
        lambda s: s.__delitem__("a"),
        lambda s: s.clear(),
        lambda s: s.pop("a", None),
        lambda s: s.popitem(),
        lambda s: s.update(a=1),
        lambda s: s.setdefault("a", 1),
        lambda s: s.__ior__({"a": 1}),
        lambda s: setattr(s, "permanent", True),
    ],
)
def test_null_session_refuses_writes(write: t.Callable[[NullSession], object]) -> None:
    null = NullSession()
    with pytest.raises(RuntimeError) as info:
        write(null)
    assert str(info.value) == NO_KEY_MESSAGE
    assert dict(null) == {}


def test_null_session_reads() -> None:
    null = NullSession()
    assert null.get("a") is None
    assert "a" not in null
    assert len(null) == 0
    assert null.permanent is False


# Tracking reads and writes -----------------------------------------------------


READS: list[tuple[str, t.Callable[[SecureCookieSession], object]]] = [
    ("getitem", lambda s: s["a"]),
    ("get", lambda s: s.get("a")),
    ("get-missing", lambda s: s.get("zz")),
    ("in", lambda s: "a" in s),
    ("len", len),
    ("bool", bool),
    ("iter", list),
    ("keys", lambda s: s.keys()),
    ("values", lambda s: s.values()),
    ("items", lambda s: s.items()),
    ("copy", lambda s: s.copy()),
    ("eq", lambda s: s == {}),
    ("setdefault-present", lambda s: s.setdefault("a", 2)),
    ("pop-missing", lambda s: s.pop("zz", None)),
    ("permanent", lambda s: s.permanent),
]

WRITES: list[tuple[str, t.Callable[[SecureCookieSession], object]]] = [
    ("setitem", lambda s: s.__setitem__("b", 1)),
    ("delitem", lambda s: s.__delitem__("a")),
    ("pop", lambda s: s.pop("a")),
    ("popitem", lambda s: s.popitem()),
    ("clear", lambda s: s.clear()),
    ("update", lambda s: s.update(c=1)),
    ("ior", lambda s: s.__ior__({"x": 1})),
    ("setdefault-new", lambda s: s.setdefault("b", 2)),
    ("permanent", lambda s: setattr(s, "permanent", True)),
]


def test_fresh_session_is_untouched() -> None:
    session = SecureCookieSession({"a": 1})
    assert (session.accessed, session.modified, session.new, session.permanent) == (False, False, False, False)
    # The check above read ``permanent``: reset and look at flags only.
    session = SecureCookieSession({"a": 1})
    assert session.accessed is False
    assert repr(session) == "<SecureCookieSession {'a': 1}>"
    assert session.accessed is False  # repr is for debugging, not a read


@pytest.mark.parametrize(("name", "read"), READS, ids=[n for n, _ in READS])
def test_every_read_marks_accessed_only(name: str, read: t.Callable[[SecureCookieSession], object]) -> None:
    session = SecureCookieSession({"a": 1})
    read(session)
    assert session.accessed is True
    assert session.modified is False


@pytest.mark.parametrize(("name", "write"), WRITES, ids=[n for n, _ in WRITES])
def test_every_write_marks_modified_and_accessed(name: str, write: t.Callable[[SecureCookieSession], object]) -> None:
    session = SecureCookieSession({"a": 1})
    write(session)
    assert session.modified is True
    assert session.accessed is True


def test_permanent_flag() -> None:
    session = SecureCookieSession()
    session.permanent = 1  # type: ignore[assignment]
    assert dict(session) == {"_permanent": True}
    assert session.permanent is True
    session.permanent = False
    assert session.permanent is False
    assert SecureCookieSession({"_permanent": True}).permanent is True


@pytest.mark.parametrize(("name", "read"), READS, ids=[n for n, _ in READS])
def test_read_only_session_gets_vary_but_no_cookie(name: str, read: t.Callable[[SecureCookieSession], object]) -> None:
    session = SecureCookieSession({"a": 1})
    read(session)
    response = save(MiniApp(), session)
    assert response.headers.get("Vary") == "Cookie"
    if name != "permanent":
        assert "Set-Cookie" not in response.headers


def test_untouched_session_gets_nothing() -> None:
    response = save(MiniApp(), SecureCookieSession({"a": 1}))
    assert "Vary" not in response.headers
    assert "Set-Cookie" not in response.headers


# Saving -------------------------------------------------------------------------


def test_save_sets_cookie_with_default_flags(clock: list[int]) -> None:
    session = SecureCookieSession()
    session["user_id"] = 42
    response = save(MiniApp(VECTOR_KEY), session)
    assert response.headers["Set-Cookie"] == f"session={FLASK_VECTORS[0][1]}; HttpOnly; Path=/"
    assert response.headers["Vary"] == "Cookie"


def test_save_with_every_cookie_setting(clock: list[int]) -> None:
    app = MiniApp(
        VECTOR_KEY,
        SESSION_COOKIE_DOMAIN=".example.com",
        SESSION_COOKIE_PATH="/p",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PARTITIONED=True,
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_NAME="sid",
        APPLICATION_ROOT="/app",
    )
    session = SecureCookieSession()
    session["user_id"] = 42
    header = save(app, session).headers["Set-Cookie"]
    assert header == f"sid={FLASK_VECTORS[0][1]}; Domain=example.com; Secure; Path=/p; SameSite=Lax; Partitioned"


def test_path_falls_back_to_application_root() -> None:
    interface = SecureCookieSessionInterface()
    assert interface.get_cookie_path(MiniApp(APPLICATION_ROOT="/app")) == "/app"
    assert interface.get_cookie_path(MiniApp(APPLICATION_ROOT="/app", SESSION_COOKIE_PATH="/x")) == "/x"


def test_permanent_session_expires_after_lifetime() -> None:
    app = MiniApp(PERMANENT_SESSION_LIFETIME=datetime.timedelta(hours=2))
    session = SecureCookieSession()
    session.permanent = True
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    header = save(app, session).headers["Set-Cookie"]
    expires_text = header.split("Expires=", 1)[1].split(";", 1)[0]
    expires = datetime.datetime.strptime(expires_text, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert before + datetime.timedelta(hours=2) <= expires <= before + datetime.timedelta(hours=2, seconds=5)


def test_expiration_time() -> None:
    interface = SecureCookieSessionInterface()
    app = MiniApp(PERMANENT_SESSION_LIFETIME=datetime.timedelta(days=1))
    assert interface.get_expiration_time(app, SecureCookieSession()) is None
    expiry = interface.get_expiration_time(app, SecureCookieSession({"_permanent": True}))
    assert expiry is not None
    assert expiry.tzinfo is not None
    assert abs((expiry - datetime.datetime.now(UTC)) - datetime.timedelta(days=1)) < datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    ("permanent", "modified", "refresh", "expected"),
    [
        (False, False, True, False),
        (False, True, True, True),
        (True, False, True, True),
        (True, False, False, False),
        (True, True, False, True),
    ],
)
def test_refresh_each_request(permanent: bool, modified: bool, refresh: bool, expected: bool) -> None:
    app = MiniApp(SESSION_REFRESH_EACH_REQUEST=refresh)
    session = SecureCookieSession({"_permanent": permanent, "a": 1})
    session.modified = modified
    interface = SecureCookieSessionInterface()
    assert interface.should_set_cookie(app, session) is expected
    assert ("Set-Cookie" in save(app, session).headers) is expected


def test_emptied_session_deletes_cookie() -> None:
    app = MiniApp(
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/p",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    session = SecureCookieSession({"a": 1})
    session.clear()
    response = save(app, session)
    assert response.headers["Set-Cookie"] == (
        "session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0;"
        " Secure; HttpOnly; Path=/p; SameSite=Strict"
    )
    assert response.headers["Vary"] == "Cookie"


def test_empty_unmodified_session_sets_nothing() -> None:
    session = SecureCookieSession()
    session.get("x")
    response = save(MiniApp(), session)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Cookie"


def test_vary_is_merged_with_existing_values() -> None:
    response = Response()
    response.vary.add("Accept-Encoding")
    session = SecureCookieSession()
    session["a"] = 1
    SecureCookieSessionInterface().save_session(MiniApp(), session, response)
    assert response.headers["Vary"] == "Accept-Encoding, Cookie"


def test_oversized_cookie_warns() -> None:
    session = SecureCookieSession()
    session["blob"] = os.urandom(4000)  # random bytes do not compress
    with pytest.warns(UserWarning, match="cookie is too large"):
        save(MiniApp(), session)


def test_saved_cookie_round_trips() -> None:
    app = MiniApp()
    session = SecureCookieSession()
    session.update(a=(1, 2), b=b"\x00", c=Markup("<i>"), d={" t": 1})
    loaded = open_with(app, cookie_value(save(app, session)))
    assert dict(loaded) == {"a": (1, 2), "b": b"\x00", "c": Markup("<i>"), "d": {" t": 1}}


def test_signing_serializer_is_cached_per_key_set() -> None:
    interface = SecureCookieSessionInterface()
    app = MiniApp("one")
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    app.config["SECRET_KEY"] = "two"
    second = interface.get_signing_serializer(app)
    assert second is not first
    app.config["SECRET_KEY_FALLBACKS"] = ["one"]
    third = interface.get_signing_serializer(app)
    assert third is not second
    assert third is not None
    assert third.secret_keys == [b"one", b"two"]


def test_signing_serializer_settings() -> None:
    signer = SecureCookieSessionInterface().get_signing_serializer(MiniApp())
    assert signer is not None
    assert signer.salt == b"cookie-session"
    assert signer.key_derivation == "hmac"
    assert signer.serializer is SecureCookieSessionInterface.serializer


def test_interface_defaults() -> None:
    interface = SessionInterface()
    assert interface.pickle_based is False
    assert interface.null_session_class is NullSession
    with pytest.raises(NotImplementedError):
        interface.open_session(MiniApp(), request_with())
    with pytest.raises(NotImplementedError):
        interface.save_session(MiniApp(), SecureCookieSession(), Response())


class DictSession(dict, SessionMixin):  # type: ignore[type-arg,misc]
    """A custom backend's session that does not track changes."""


def test_session_mixin_defaults() -> None:
    session = DictSession()
    assert (session.new, session.modified, session.accessed) == (False, True, False)
    session.permanent = True
    assert session["_permanent"] is True


# End to end through the application core ------------------------------------------


def _app(secret_key: str | None = "k") -> t.Any:
    from microflask import Flask

    app = Flask(__name__)
    app.secret_key = secret_key
    return app


def test_end_to_end_set_and_read() -> None:
    from microflask import session

    app = _app()

    @app.route("/set")
    def set_value() -> str:
        session["n"] = (1, 2)
        return ""

    @app.route("/get")
    def get_value() -> str:
        return repr(session.get("n"))

    @app.route("/none")
    def untouched() -> str:
        return "x"

    client = app.test_client()
    response = client.get("/set")
    assert response.headers["Vary"] == "Cookie"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    read = client.get("/get")
    assert read.get_data() == b"(1, 2)"
    assert read.headers["Vary"] == "Cookie"
    assert "Set-Cookie" not in read.headers
    assert "Vary" not in client.get("/none").headers


@pytest.mark.parametrize(
    "probe",
    [lambda s: "n" in s, len, lambda s: list(s), lambda s: s.keys(), lambda s: s.get("n")],
)
def test_end_to_end_reads_vary(probe: t.Callable[[t.Any], object]) -> None:
    from microflask import session

    app = _app()

    @app.route("/")
    def index() -> str:
        probe(session)
        return ""

    assert app.test_client().get("/").headers["Vary"] == "Cookie"


def test_end_to_end_loads_flask_cookie(clock: list[int]) -> None:
    from microflask import session

    app = _app(VECTOR_KEY)

    @app.route("/")
    def index() -> str:
        return repr(sorted(session.items()))

    client = app.test_client()
    client.set_cookie("session", FLASK_VECTORS[1][1])
    assert client.get("/").get_data().decode() == repr(sorted(FLASK_VECTORS[1][0].items()))


def test_end_to_end_clear_deletes_cookie() -> None:
    from microflask import session

    app = _app()

    @app.route("/login")
    def login() -> str:
        session["user"] = "ann"
        return ""

    @app.route("/logout")
    def logout() -> str:
        session.clear()
        return ""

    client = app.test_client()
    client.get("/login")
    response = client.get("/logout")
    assert response.headers["Set-Cookie"].startswith("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0")


def test_end_to_end_without_secret_key() -> None:
    from microflask import session

    app = _app(None)

    @app.route("/")
    def index() -> str:
        session["a"] = 1
        return ""

    app.testing = True
    with pytest.raises(RuntimeError, match="no secret key was set"):
        app.test_client().get("/")


# Fast paths fall back to the hooks they bypass ------------------------------


def _modified(**data: t.Any) -> SecureCookieSession:
    session = SecureCookieSession()
    session.update(data)
    return session


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "session=TOKEN; HttpOnly; Path=/"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "session=TOKEN; Path=/"),
        ({"SESSION_COOKIE_SAMESITE": "lax"}, "session=TOKEN; HttpOnly; Path=/; SameSite=Lax"),
        ({"SESSION_COOKIE_DOMAIN": ".ex.com", "SESSION_COOKIE_SECURE": True}, "session=TOKEN; Domain=ex.com; Secure; HttpOnly; Path=/"),
        ({"SESSION_COOKIE_PATH": "/a b"}, "session=TOKEN; HttpOnly; Path=/a%20b"),
        ({"SESSION_COOKIE_PARTITIONED": True}, "session=TOKEN; Secure; HttpOnly; Path=/; Partitioned"),
        ({"SESSION_COOKIE_NAME": "s\u00e9"}, "s\u00c3\u00a9=TOKEN; HttpOnly; Path=/"),
    ],
)
def test_fast_set_cookie_header_is_dump_cookies(clock: list[int], config: dict[str, t.Any], expected: str) -> None:
    # The spliced header equals what Response.set_cookie writes, for every
    # setting, on a first (cache filling) and a second (cached) save.
    app = MiniApp(VECTOR_KEY, **config)
    for _ in range(2):
        response = save(app, _modified(user_id=42))
        assert response.headers.getlist("Set-Cookie") == [expected.replace("TOKEN", FLASK_VECTORS[0][1])]
        reference = Response()
        reference.set_cookie(
            app.config["SESSION_COOKIE_NAME"],
            FLASK_VECTORS[0][1],
            httponly=app.config["SESSION_COOKIE_HTTPONLY"],
            domain=app.config["SESSION_COOKIE_DOMAIN"],
            path=app.config["SESSION_COOKIE_PATH"] or "/",
            secure=app.config["SESSION_COOKIE_SECURE"],
            samesite=app.config["SESSION_COOKIE_SAMESITE"],
            partitioned=app.config["SESSION_COOKIE_PARTITIONED"],
        )
        assert response.headers.getlist("Set-Cookie") == reference.headers.getlist("Set-Cookie")


def test_bad_samesite_still_raises() -> None:
    with pytest.raises(ValueError, match="SameSite must be"):
        save(MiniApp(SESSION_COOKIE_SAMESITE="sometimes"), _modified(a=1))


def test_overridden_set_cookie_is_called(clock: list[int]) -> None:
    calls = []

    class MyResponse(Response):
        def set_cookie(self, key: str, value: str = "", **kwargs: t.Any) -> None:  # type: ignore[override]
            calls.append((key, value, kwargs))
            super().set_cookie(key, value, **kwargs)

    response = MyResponse()
    SecureCookieSessionInterface().save_session(MiniApp(VECTOR_KEY), _modified(user_id=42), response)
    assert calls == [
        (
            "session",
            FLASK_VECTORS[0][1],
            {
                "expires": None,
                "httponly": True,
                "domain": None,
                "path": "/",
                "secure": False,
                "partitioned": False,
                "samesite": None,
            },
        )
    ]
    assert response.headers["Set-Cookie"] == f"session={FLASK_VECTORS[0][1]}; HttpOnly; Path=/"


def test_unquoted_value_from_custom_serializer_goes_through_dump_cookie() -> None:
    # A value dump_cookie would quote cannot be spliced into the template.
    class Signer:
        def dumps(self, obj: t.Any) -> str:
            return "a b;c"

    class Interface(SecureCookieSessionInterface):
        def get_signing_serializer(self, app: t.Any) -> t.Any:
            return Signer()

    response = save(MiniApp(), _modified(a=1), Interface())
    assert response.headers["Set-Cookie"] == 'session="a b\\073c"; HttpOnly; Path=/'


def test_oversized_cookie_warns_with_max_cookie_size_of_response() -> None:
    class Small(Response):
        max_cookie_size = 60

    response = Small()
    with pytest.warns(UserWarning, match="cookie is too large"):
        SecureCookieSessionInterface().save_session(MiniApp(), _modified(text="x" * 40), response)
    assert response.headers["Set-Cookie"].startswith("session=")

    unlimited = Response()
    unlimited.max_cookie_size = 0
    SecureCookieSessionInterface().save_session(MiniApp(), _modified(blob=os.urandom(4000)), unlimited)
    assert len(unlimited.headers["Set-Cookie"]) > 5000


def test_permanent_session_cookie_goes_through_set_cookie(clock: list[int]) -> None:
    session = _modified(_permanent=True, a=1)
    header = save(MiniApp(VECTOR_KEY), session).headers["Set-Cookie"]
    assert "; Expires=" in header and header.endswith("; HttpOnly; Path=/")


def test_custom_headers_class_gets_vary_through_setitem() -> None:
    seen = []

    class MyHeaders(Headers):
        def __setitem__(self, key: t.Any, value: t.Any) -> None:
            seen.append((key, value))
            super().__setitem__(key, value)

    response = Response(headers=MyHeaders())
    assert type(response.headers) is MyHeaders
    seen.clear()
    session = SecureCookieSession({"a": 1})
    session.get("a")
    SecureCookieSessionInterface().save_session(MiniApp(), session, response)
    assert seen == [("Vary", "Cookie")]
    assert response.headers.getlist("Vary") == ["Cookie"]


def test_vary_added_once_on_fast_path(clock: list[int]) -> None:
    response = save(MiniApp(VECTOR_KEY), _modified(user_id=42))
    assert response.headers.getlist("Vary") == ["Cookie"]
    assert [k for k, _ in response.headers] == ["Content-Type", "Vary", "Set-Cookie"]


def test_session_subclass_is_copied_through_its_mapping_methods(clock: list[int]) -> None:
    # dict(session) uses keys()/__getitem__ of a subclass; the stock class
    # is copied directly (same result).
    class Upper(SecureCookieSession):
        def __getitem__(self, key: str) -> t.Any:
            value = super().__getitem__(key)
            return value.upper() if isinstance(value, str) else value

    class Interface(SecureCookieSessionInterface):
        session_class = Upper

    session = Upper()
    session["name"] = "ann"
    token = cookie_value(save(MiniApp(VECTOR_KEY), session, Interface()))
    signer = Interface().get_signing_serializer(MiniApp(VECTOR_KEY))
    assert signer is not None
    assert signer.loads(token) == {"name": "ANN"}


def test_custom_json_provider_is_used_for_session_data() -> None:
    import microflask
    from microflask.json.provider import DefaultJSONProvider

    calls = []

    class Provider(DefaultJSONProvider):
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            calls.append(("dumps", kwargs))
            return super().dumps(obj, **kwargs)

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            calls.append(("loads", sorted(kwargs)))
            return super().loads(s, **kwargs)

    app = microflask.Flask(__name__)
    app.json = Provider(app)
    app.secret_key = "k"
    app.route("/")(lambda: str(microflask.session.setdefault("n", 0)))
    client = app.test_client()
    client.get("/")
    client.get("/")
    assert ("dumps", {"separators": (",", ":")}) in calls
    assert ("loads", ["object_hook"]) in calls


def test_provider_settings_apply_to_session_data() -> None:
    import microflask

    app = microflask.Flask(__name__)
    app.secret_key = "k"
    app.json.sort_keys = False  # type: ignore[attr-defined]
    with app.app_context():
        signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        assert signer.serializer.dumps({"b": 1, "a": "\u00e9"}) == '{"b":1,"a":"\\u00e9"}'
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        assert signer.serializer.dumps({"b": 1, "a": "\u00e9"}) == '{"b":1,"a":"\u00e9"}'
        app.json.sort_keys = True  # type: ignore[attr-defined]
        assert signer.serializer.dumps({"b": 1, "a": 2}) == '{"a":2,"b":1}'
        # Decoding with the stock provider restores tags; a BOM or bytes
        # go the provider's general way, with the same result.
        assert signer.serializer.loads('{"t":{" t":[1]}}') == {"t": (1,)}
        assert signer.serializer.loads(b'{"t":{" t":[1]}}') == {"t": (1,)}
        with pytest.raises(ValueError):
            signer.serializer.loads('\ufeff{"t":1}')


def test_is_null_session_follows_the_null_session_class() -> None:
    interface = SecureCookieSessionInterface()
    assert interface.is_null_session(NullSession()) is True
    assert interface.is_null_session(SecureCookieSession()) is False

    class Everything(SecureCookieSessionInterface):
        null_session_class = SecureCookieSession  # type: ignore[assignment]

    assert Everything().is_null_session(SecureCookieSession()) is True


# save_session takes every cookie attribute from the interface's methods -------


#: (method, what the override returns, what it changes in the Set-Cookie header).
COOKIE_OVERRIDES: list[tuple[str, t.Any, str]] = [
    ("get_cookie_name", "sid", "sid=TOKEN; HttpOnly; Path=/"),
    ("get_cookie_domain", "example.org", "session=TOKEN; Domain=example.org; HttpOnly; Path=/"),
    ("get_cookie_path", "/sub", "session=TOKEN; HttpOnly; Path=/sub"),
    ("get_cookie_httponly", False, "session=TOKEN; Path=/"),
    ("get_cookie_secure", True, "session=TOKEN; Secure; HttpOnly; Path=/"),
    ("get_cookie_samesite", "Strict", "session=TOKEN; HttpOnly; Path=/; SameSite=Strict"),
    ("get_cookie_partitioned", True, "session=TOKEN; Secure; HttpOnly; Path=/; Partitioned"),
]


def _interface_overriding(method: str, value: t.Any) -> SecureCookieSessionInterface:
    calls: list[str] = []

    def override(self: SecureCookieSessionInterface, app: t.Any) -> t.Any:
        calls.append(method)
        return value

    interface = type("Interface", (SecureCookieSessionInterface,), {method: override})()
    interface.calls = calls  # type: ignore[attr-defined]  # the test reads it back
    return interface


@pytest.mark.parametrize(("method", "value", "expected"), COOKIE_OVERRIDES, ids=[m for m, _, _ in COOKIE_OVERRIDES])
def test_subclass_cookie_attribute_override_is_used_when_setting(
    clock: list[int], method: str, value: t.Any, expected: str
) -> None:
    interface = _interface_overriding(method, value)
    response = save(MiniApp(VECTOR_KEY), _modified(user_id=42), interface)
    assert response.headers.getlist("Set-Cookie") == [expected.replace("TOKEN", FLASK_VECTORS[0][1])]
    assert interface.calls == [method]  # type: ignore[attr-defined]  # set by _interface_overriding


#: The keyword each ``get_cookie_*`` method supplies to ``delete_cookie``.
DELETE_KEYWORDS = {
    "get_cookie_domain": "domain",
    "get_cookie_path": "path",
    "get_cookie_httponly": "httponly",
    "get_cookie_secure": "secure",
    "get_cookie_samesite": "samesite",
    "get_cookie_partitioned": "partitioned",
}


@pytest.mark.parametrize(("method", "value", "expected"), COOKIE_OVERRIDES, ids=[m for m, _, _ in COOKIE_OVERRIDES])
def test_subclass_cookie_attribute_override_is_used_when_deleting(method: str, value: t.Any, expected: str) -> None:
    session = SecureCookieSession({"a": 1})
    session.clear()
    response = save(MiniApp(), session, _interface_overriding(method, value))
    # The deletion carries the same attributes as the cookie it removes.
    attributes: dict[str, t.Any] = {"path": "/", "httponly": True}
    name = "session"
    if method == "get_cookie_name":
        name = value
    else:
        attributes[DELETE_KEYWORDS[method]] = value
    reference = Response()
    reference.delete_cookie(name, **attributes)
    assert response.headers.getlist("Set-Cookie") == reference.headers.getlist("Set-Cookie")
    assert response.headers["Set-Cookie"].startswith(f"{name}=; ")
    assert response.headers["Vary"] == "Cookie"


def test_subclass_expiration_time_override_is_used(clock: list[int]) -> None:
    class Interface(SecureCookieSessionInterface):
        def get_expiration_time(self, app: t.Any, session: SessionMixin) -> datetime.datetime | None:
            return datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    header = save(MiniApp(VECTOR_KEY), _modified(user_id=42), Interface()).headers["Set-Cookie"]
    assert header == f"session={FLASK_VECTORS[0][1]}; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Path=/"


@pytest.mark.parametrize("answer", [True, False])
def test_subclass_should_set_cookie_override_is_used(clock: list[int], answer: bool) -> None:
    seen: list[SessionMixin] = []

    class Interface(SecureCookieSessionInterface):
        def should_set_cookie(self, app: t.Any, session: SessionMixin) -> bool:
            seen.append(session)
            return answer

    # Unmodified, so the stock answer would be False; modified, True.
    for session in (SecureCookieSession({"a": 1}), _modified(a=1)):
        session.get("a")
        response = save(MiniApp(VECTOR_KEY), session, Interface())
        assert ("Set-Cookie" in response.headers) is answer
        assert response.headers["Vary"] == "Cookie"
    assert len(seen) == 2


def test_instance_set_cookie_override_is_called(clock: list[int]) -> None:
    # An override assigned on the response object itself, not its class.
    calls: list[tuple[str, str]] = []
    response = Response()
    stock = response.set_cookie

    def set_cookie(key: str, value: str = "", **kwargs: t.Any) -> None:
        calls.append((key, value))
        stock(key, value, **kwargs)

    response.set_cookie = set_cookie  # type: ignore[method-assign]  # the override under test
    SecureCookieSessionInterface().save_session(MiniApp(VECTOR_KEY), _modified(user_id=42), response)
    assert calls == [("session", FLASK_VECTORS[0][1])]


def test_response_vary_override_is_used() -> None:
    added: list[str] = []

    class Recorder:
        def add(self, value: str) -> None:
            added.append(value)

    class MyResponse(Response):
        @property  # type: ignore[override]  # a stand-in for the header set
        def vary(self) -> t.Any:
            return Recorder()

    for session in (SecureCookieSession({"a": 1}), _modified(a=1)):
        session.get("a")
        SecureCookieSessionInterface().save_session(MiniApp(), session, MyResponse())
    assert added == ["Cookie", "Cookie"]


def test_sessions_module_leaves_set_cookie_layout_to_wsgikit() -> None:
    # The header is built by Response.set_cookie / dump_cookie only.
    import microflask.sessions as sessions

    source = Path(sessions.__file__).read_text(encoding="utf-8")
    assert "dump_cookie" not in source
    assert "wsgikit.sansio" not in source
