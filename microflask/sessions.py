"""Sessions: the interface an app uses to load and save them, and the
default implementation that keeps the whole session in a signed cookie.

Per request the app calls :meth:`SessionInterface.open_session` (after the
request context is pushed) and :meth:`SessionInterface.save_session` (while
processing the response). ``open_session`` returning ``None`` means "no
session possible" and the app substitutes :meth:`make_null_session`'s
result, which explains itself as soon as someone writes to it.

The cookie session marks itself *accessed* on every read -- item access,
``get``, ``in``, ``len``, truthiness, iteration, ``keys``/``values``/
``items`` -- and *modified* on every write. An accessed session makes the
response carry ``Vary: Cookie``, so a shared cache never hands one user's
session-dependent page to another.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from datetime import datetime
from datetime import timedelta
from datetime import timezone

from wsgikit._internal import _keeps_stock
from wsgikit.datastructures import CallbackDict

from ._signing import BadData
from ._signing import URLSafeTimedSerializer
from ._signing import lazy_sha1
from .json.tag import TaggedJSONSerializer

if t.TYPE_CHECKING:  # pragma: no cover
    from wsgikit.wrappers import Request
    from wsgikit.wrappers import Response

    _F = t.TypeVar("_F", bound=t.Callable[..., t.Any])

    # For checkers: the marked method keeps its signature (at runtime it is
    # a descriptor that also accepts instance overrides).
    def _fast_path_hook(flag: str) -> t.Callable[[_F], _F]: ...
else:
    from wsgikit._internal import _fast_path_hook

__all__ = [
    "NullSession",
    "SecureCookieSession",
    "SecureCookieSessionInterface",
    "SessionInterface",
    "SessionMixin",
    "session_json_serializer",
]


#: ``pop`` without a default (distinct from any value a caller may pass).
_NO_DEFAULT: t.Any = object()


class SessionMixin(cabc.MutableMapping[str, t.Any]):
    """What every session object offers on top of the mapping interface."""

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session: its cookie gets
        an expiry of ``PERMANENT_SESSION_LIFETIME`` (stored as ``_permanent``).
        """
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    #: Whether the backend knows the session was just created. The cookie
    #: session cannot tell, so this stays ``False`` (as in Flask).
    new = False

    #: Whether the session changed. Backends that cannot track changes leave
    #: it ``True`` so the session is always saved.
    modified = True

    #: Whether the session was read or written during this request; decides
    #: ``Vary: Cookie``.
    accessed = False


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The cookie session: a dict that records reads (:attr:`accessed`) and
    writes (:attr:`modified`).

    :param initial: the data loaded from the cookie.
    """

    #: Set by any change; the cookie is rewritten when it is true.
    modified = False

    #: Set by any read or write; adds ``Vary: Cookie`` to the response.
    accessed = False

    def __init__(self, initial: cabc.Mapping[str, t.Any] | None = None) -> None:
        def on_update(self: SecureCookieSession) -> None:
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)

    # Reads. Each one marks the session accessed: even "is there a key"
    # reveals something about the cookie, so the response must vary on it.
    # Flask marks only some of these; marking all is the safe choice.

    def __getitem__(self, key: str) -> t.Any:
        self.accessed = True
        return dict.__getitem__(self, key)

    def get(self, key: str, default: t.Any = None) -> t.Any:
        self.accessed = True
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self.accessed = True
        return dict.__contains__(self, key)

    def __len__(self) -> int:
        self.accessed = True
        return dict.__len__(self)

    def __iter__(self) -> t.Iterator[str]:
        self.accessed = True
        return dict.__iter__(self)

    def keys(self) -> t.Any:
        self.accessed = True
        return dict.keys(self)

    def values(self) -> t.Any:
        self.accessed = True
        return dict.values(self)

    def items(self) -> t.Any:
        self.accessed = True
        return dict.items(self)

    def copy(self) -> dict[str, t.Any]:
        self.accessed = True
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self.accessed = True
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # mutable, so unhashable like dict

    # Writes that may not change anything are still reads: ``setdefault``
    # of a present key and ``pop`` of a missing one return data.

    def setdefault(self, key: str, default: t.Any = None) -> t.Any:
        self.accessed = True
        return super().setdefault(key, default)

    def pop(self, key: str, default: t.Any = _NO_DEFAULT) -> t.Any:
        self.accessed = True
        if default is _NO_DEFAULT:
            return super().pop(key)
        return super().pop(key, default)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"


class NullSession(SecureCookieSession):
    """The stand-in session when no real one can be made (no secret key).

    Reading works and finds nothing; any write raises a :exc:`RuntimeError`
    that says how to fix the setup.
    """

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the"
            " secret_key on the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
    __ior__ = _fail

    del _fail


class SessionInterface:
    """How an app loads and stores sessions; subclass it to change backends
    and set it as ``app.session_interface``.

    A subclass implements :meth:`open_session` and :meth:`save_session`.
    The ``get_cookie_*`` helpers read the ``SESSION_COOKIE_*`` settings so
    every backend handles the cookie the same way.
    """

    #: What :meth:`make_null_session` builds.
    null_session_class = NullSession

    #: Whether the backend pickles session data (informational; the cookie
    #: backend does not).
    pickle_based = False

    #: Whether the application may open the session on first use and skip
    #: saving an untouched one when the request has no session cookie. Only
    #: for an interface whose opening and saving have no side effects then:
    #: the cookie interface, decided per subclass (see
    #: :class:`SecureCookieSessionInterface`); a subclass may set it itself.
    _opens_lazily = False

    def make_null_session(self, app: t.Any) -> NullSession:
        """The stand-in session used when :meth:`open_session` returns
        ``None``. It raises a helpful error on write.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Whether ``obj`` is the stand-in session (it is then not saved)."""
        # PERF: the usual answer without an isinstance check against an
        # ABC-derived class (Python-level code in ``ABCMeta``).
        if type(obj) is SecureCookieSession and self.null_session_class is NullSession:
            return False
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: t.Any) -> str:
        """``SESSION_COOKIE_NAME``."""
        value: str = app.config["SESSION_COOKIE_NAME"]
        return value

    def get_cookie_domain(self, app: t.Any) -> str | None:
        """``SESSION_COOKIE_DOMAIN``; ``None`` makes a host-only cookie."""
        value: str | None = app.config["SESSION_COOKIE_DOMAIN"]
        return value

    def get_cookie_path(self, app: t.Any) -> str:
        """``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``."""
        path: str = app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]
        return path

    def get_cookie_httponly(self, app: t.Any) -> bool:
        """``SESSION_COOKIE_HTTPONLY``: hide the cookie from JavaScript."""
        value: bool = app.config["SESSION_COOKIE_HTTPONLY"]
        return value

    def get_cookie_secure(self, app: t.Any) -> bool:
        """``SESSION_COOKIE_SECURE``: send the cookie over HTTPS only."""
        value: bool = app.config["SESSION_COOKIE_SECURE"]
        return value

    def get_cookie_samesite(self, app: t.Any) -> str | None:
        """``SESSION_COOKIE_SAMESITE``: ``"Strict"``, ``"Lax"`` or ``None``."""
        value: str | None = app.config["SESSION_COOKIE_SAMESITE"]
        return value

    def get_cookie_partitioned(self, app: t.Any) -> bool:
        """``SESSION_COOKIE_PARTITIONED``: CHIPS partitioned storage."""
        value: bool = app.config["SESSION_COOKIE_PARTITIONED"]
        return value

    def get_expiration_time(self, app: t.Any, session: SessionMixin) -> datetime | None:
        """When the cookie should expire: now plus the app's
        ``permanent_session_lifetime`` for a permanent session, else ``None``
        (the cookie ends with the browser session).
        """
        if session.permanent:
            lifetime: timedelta = app.permanent_session_lifetime
            return datetime.now(timezone.utc) + lifetime
        return None

    def should_set_cookie(self, app: t.Any, session: SessionMixin) -> bool:
        """Whether to send the cookie: the session changed, or it is
        permanent and ``SESSION_REFRESH_EACH_REQUEST`` renews its expiry.
        """
        return session.modified or (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"])

    def open_session(self, app: t.Any, request: Request) -> SessionMixin | None:
        """Load the session for ``request``; ``None`` if sessions cannot work
        (the app then uses a null session). Subclasses must implement it.
        """
        raise NotImplementedError()

    def save_session(self, app: t.Any, session: SessionMixin, response: Response) -> None:
        """Persist ``session`` and update ``response`` (cookie, ``Vary``).
        Subclasses must implement it.
        """
        raise NotImplementedError()


#: The serializer the cookie session uses; register extra tags on it (or on
#: an interface's own ``serializer``) to store more types.
session_json_serializer = TaggedJSONSerializer()


#: What the lazy session shortcut bypasses or relies on: a subclass that
#: overrides one opens and saves its sessions the general way.
_LAZY_SESSION_HOOKS = (
    "open_session",
    "save_session",
    "should_set_cookie",
    "is_null_session",
    "make_null_session",
    "get_cookie_name",
    "get_signing_serializer",
    "session_class",
)


class SecureCookieSessionInterface(SessionInterface):
    """Keep the session in a cookie signed with the app's secret key.

    The data is readable by the client (only signed, not encrypted), so do
    not store secrets in it. The token format is Flask's, so Flask and
    microflask apps with the same key read each other's cookies.
    """

    #: Namespaces the signature: a token signed for something else with the
    #: same key is not a valid session.
    salt = "cookie-session"
    #: The hash behind the HMAC: SHA-1, with :mod:`hashlib` loaded on first
    #: use (as in Flask; see :func:`microflask._signing.lazy_sha1`).
    digest_method = staticmethod(lazy_sha1)
    #: How the signing key is derived from the secret key and the salt.
    key_derivation = "hmac"
    #: Encodes the session dict; handles tuples, bytes, Markup, UUIDs, dates.
    serializer = session_json_serializer
    #: The session type :meth:`open_session` returns.
    session_class = SecureCookieSession

    _opens_lazily = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_opens_lazily" not in cls.__dict__:
            cls._opens_lazily = _keeps_stock(cls, SecureCookieSessionInterface, _LAZY_SESSION_HOOKS)

    def get_signing_serializer(self, app: t.Any) -> URLSafeTimedSerializer | None:
        """The signer for ``app``, or ``None`` when it has no secret key.

        ``SECRET_KEY`` signs; the keys in ``SECRET_KEY_FALLBACKS`` are only
        accepted when verifying, so keys can be rotated without logging
        everyone out.
        """
        secret_key = app.secret_key
        if not secret_key:
            return None
        fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or ()
        # PERF: deriving a key costs HMAC runs; a serializer per distinct key
        # set is cached instead of rebuilt on every request.
        cache_key = (
            secret_key,
            tuple(fallbacks),
            self.salt,
            self.key_derivation,
            self.digest_method,
            id(self.serializer),
        )
        cache = self.__dict__.get("_serializer_cache")
        if cache is None:
            cache = self.__dict__["_serializer_cache"] = {}
        signer = cache.get(cache_key)
        if signer is None:
            if len(cache) >= 16:
                cache.clear()
            signer = cache[cache_key] = URLSafeTimedSerializer(
                [*fallbacks, secret_key],
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
            )
        return signer

    @_fast_path_hook("_opens_lazily")
    def open_session(self, app: t.Any, request: Request) -> SecureCookieSession | None:
        """Load the session from the request's cookie.

        A missing cookie, a bad signature, a token older than
        ``PERMANENT_SESSION_LIFETIME`` or undecodable data all give a new
        empty session; ``None`` when the app has no secret key.
        """
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        token = request.cookies.get(self.get_cookie_name(app))
        if not token:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = signer.loads(token, max_age=max_age)
        except (BadData, ValueError, TypeError):
            # BadData: forged, expired or garbled. Value/TypeError: a validly
            # signed payload whose tags do not decode; treat it the same.
            return self.session_class()
        if not isinstance(data, dict):
            return self.session_class()
        return self.session_class(data)

    @_fast_path_hook("_opens_lazily")
    def save_session(self, app: t.Any, session: SessionMixin, response: Response) -> None:
        """Write the session cookie when needed, delete it when the session
        was emptied, and add ``Vary: Cookie`` when the session was used.

        Every cookie attribute comes from the ``get_cookie_*`` methods, so a
        subclass changes one by overriding it.
        """
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)

        # Read the flag before anything below reads the session (which
        # would mark it accessed itself).
        varied = session.accessed
        if varied:
            response.vary.add("Cookie")

        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                if not varied:
                    response.vary.add("Cookie")
            return

        if not self.should_set_cookie(app, session):
            return

        expires = self.get_expiration_time(app, session)
        # PERF: ``dict(session)`` of the stock session class goes through its
        # Python-level ``keys`` and ``__getitem__``; copying the dict storage
        # directly gives the same dict.
        data = dict.copy(session) if type(session) is SecureCookieSession else dict(session)
        response.set_cookie(
            name,
            self.get_signing_serializer(app).dumps(data),  # type: ignore[union-attr]  # no secret key means a null session, never saved
            expires=expires,
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        # PERF: ``vary.add`` is idempotent; when "Cookie" was added above,
        # adding it again would only re-parse the header.
        if not varied:
            response.vary.add("Cookie")
