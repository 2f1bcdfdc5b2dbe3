"""The test client's cookie jar: stores ``Set-Cookie`` values and picks the
cookies to send with each request, the way a browser does (RFC 6265).

Theory of operation
-------------------
A :class:`Cookie` is parsed from a ``Set-Cookie`` header together with the
host and path of the request that received it. Without a ``Domain``
attribute the cookie is *host-only* (``origin_only``): it goes back only to
that exact host. With one (a leading dot is ignored) it also goes to every
subdomain. Which domains a response may set cookies for is the jar's
*policy*: ``"werkzeug"`` (the default, as Werkzeug's test client does) keeps a
cookie whatever its ``Domain``, so a test can set and inspect cookies for
any host; ``"browser"`` keeps only cookies for the response's own host or a
parent domain of it and ignores the rest, as browsers do. Without a
``Path`` the cookie's path is the request path up to its last slash.

The :class:`CookieJar` is a dict keyed by ``(domain, path, name)``, so a new
cookie with the same key replaces the old one in place (keeping its creation
order, which decides the send order among equal paths). Expiry follows the
RFC: ``Max-Age`` wins over ``Expires``; a zero or negative ``Max-Age`` or an
``Expires`` in the past deletes the cookie. Deadlines live beside the dict
and expired cookies are dropped whenever the jar is read. When sending, a
cookie must match host and path, and a ``Secure`` cookie needs a secure
origin: ``https``, or a loopback host (browsers treat ``localhost`` as
secure). Longer paths are sent first.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import time
import typing as t
from datetime import datetime

from .http import parse_cookie
from .http import parse_date


@dataclasses.dataclass
class Cookie:
    """A cookie as the test client's jar stores it.

    ``key`` and ``value`` are the raw (possibly quoted) header text, sent back
    as they are; ``decoded_key`` and ``decoded_value`` are what an application
    reads. ``domain`` is the host (``origin_only``) or the domain the cookie
    was set for.
    """

    #: The name as it appeared in the header.
    key: str
    #: The value as it appeared in the header (quoted if it was).
    value: str
    #: The name, unquoted.
    decoded_key: str
    #: The value, unquoted.
    decoded_value: str
    #: The ``Expires`` attribute, if any.
    expires: datetime | None
    #: The ``Max-Age`` attribute, if any.
    max_age: int | None
    #: The host or domain the cookie belongs to.
    domain: str
    #: Sent only to ``domain`` itself, not its subdomains (no ``Domain``
    #: attribute was given).
    origin_only: bool
    #: The path prefix the cookie is sent for.
    path: str
    #: Sent only over a secure connection.
    secure: bool | None
    #: Hidden from scripts in a browser (recorded only).
    http_only: bool | None
    #: The ``SameSite`` attribute (recorded only).
    same_site: str | None

    def _matches_request(self, server_name: str, path: str) -> bool:
        """Whether this cookie goes with a request to ``server_name`` and
        ``path`` (domain and path rules only; see :meth:`CookieJar.header`).
        """
        server_name = server_name.lower()
        if self.origin_only:
            host_ok = server_name == self.domain
        else:
            host_ok = _domain_match(server_name, self.domain)
        return host_ok and _path_match(path, self.path)

    def _to_request_header(self) -> str:
        return f"{self.key}={self.value}"

    @classmethod
    def _from_response_header(cls, server_name: str, path: str, header: str) -> Cookie:
        """Parse a ``Set-Cookie`` value received from ``server_name`` for a
        request to ``path``.
        """
        pair, _, attributes = header.partition(";")
        key, _, value = pair.partition("=")
        decoded = parse_cookie(pair)
        decoded_key, decoded_value = next(iter(decoded.items()), (key.strip(), value.strip()))
        params = _parse_attributes(attributes)
        domain = (params.get("domain") or "").lstrip(".").lower()
        cookie_path = params.get("path") or ""
        if not cookie_path.startswith("/"):
            cookie_path = _default_path(path)
        return cls(
            key=key.strip(),
            value=value.strip(),
            decoded_key=decoded_key,
            decoded_value=decoded_value,
            expires=parse_date(params.get("expires")),
            max_age=_parse_max_age(params.get("max-age")),
            domain=domain or server_name.lower(),
            origin_only=not domain,
            path=cookie_path,
            secure="secure" in params,
            http_only="httponly" in params,
            same_site=params.get("samesite"),
        )

    @property
    def _storage_key(self) -> tuple[str, str, str]:
        return self.domain, self.path, self.decoded_key

    @property
    def _should_delete(self) -> bool:
        """Whether receiving this cookie removes it (expiry in the past)."""
        deadline = self._deadline(time.time())
        return deadline is not None and deadline <= time.time()

    def _deadline(self, now: float) -> float | None:
        """The time the cookie expires, ``None`` for a session cookie.
        ``Max-Age`` takes precedence over ``Expires`` (RFC 6265 5.3).
        """
        if self.max_age is not None:
            return now + self.max_age if self.max_age > 0 else 0.0
        if self.expires is not None:
            return self.expires.timestamp()
        return None


def _parse_attributes(attributes: str) -> dict[str, str | None]:
    params: dict[str, str | None] = {}
    for item in attributes.split(";"):
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        if name:
            params[name] = value.strip() if sep else None
    return params


def _parse_max_age(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    digits = text[1:] if text[:1] == "-" else text
    # An invalid Max-Age is ignored (RFC 6265 5.2.2), not an error.
    if not digits.isdigit() or not digits.isascii() or len(digits) > 18:
        return None
    return int(text)


def _default_path(path: str) -> str:
    """The RFC 6265 default-path: the request path up to its last slash."""
    if not path.startswith("/"):
        return "/"
    head = path.rpartition("/")[0]
    return head or "/"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _domain_match(host: str, domain: str) -> bool:
    """RFC 6265 domain-match: equal, or ``host`` ends with ``.domain`` and
    is a name (an IP address only matches itself).
    """
    if host == domain:
        return True
    return host.endswith("." + domain) and not _is_ip(host)


def _path_match(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


def _is_secure_origin(scheme: str, host: str) -> bool:
    if scheme in ("https", "wss"):
        return True
    host = host.strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: The cookie policies a :class:`CookieJar` knows (see the module docstring).
POLICIES = ("werkzeug", "browser")


class CookieJar(t.Dict[t.Tuple[str, str, str], Cookie]):
    """Cookies by ``(domain, path, decoded name)``, with expiry deadlines.

    :param policy: ``"werkzeug"`` keeps cookies set for any domain;
        ``"browser"`` ignores a cookie whose ``Domain`` is not the
        response's host or a parent domain of it.
    :raises ValueError: an unknown policy.
    """

    def __init__(self, policy: str = "werkzeug") -> None:
        super().__init__()
        if policy not in POLICIES:
            raise ValueError(f"Unknown cookie policy {policy!r}; expected one of {', '.join(map(repr, POLICIES))}.")
        #: ``"werkzeug"`` or ``"browser"``.
        self.policy = policy
        #: Expiry time (epoch seconds) of the cookies that have one.
        self.deadlines: dict[tuple[str, str, str], float] = {}

    def store(self, cookie: Cookie, now: float | None = None) -> None:
        """Add or replace ``cookie``; an already expired one deletes the
        stored cookie with the same key instead.
        """
        now = time.time() if now is None else now
        key = cookie._storage_key
        deadline = cookie._deadline(now)
        if deadline is not None and deadline <= now:
            self.pop(key, None)
            self.deadlines.pop(key, None)
            return
        self[key] = cookie
        if deadline is None:
            self.deadlines.pop(key, None)
        else:
            self.deadlines[key] = deadline

    def receive(self, host: str, path: str, headers: t.Iterable[str]) -> None:
        """Store the ``Set-Cookie`` ``headers`` of a response from ``host``
        to a request for ``path``; under the ``"browser"`` policy, cookies
        for another domain are ignored.
        """
        host = host.lower()
        now = time.time()
        browser = self.policy == "browser"
        for header in headers:
            cookie = Cookie._from_response_header(host, path, header)
            if browser and not cookie.origin_only and not _domain_match(host, cookie.domain):
                continue  # a browser lets no site set cookies for another domain
            self.store(cookie, now)

    def expire(self, now: float | None = None) -> None:
        """Drop the cookies whose deadline has passed."""
        if not self.deadlines:
            return
        now = time.time() if now is None else now
        for key in [key for key, deadline in self.deadlines.items() if deadline <= now]:
            del self.deadlines[key]
            self.pop(key, None)

    def header(self, scheme: str, host: str, path: str) -> str:
        """The ``Cookie`` header value for a request, ``""`` if none match."""
        self.expire()
        host = host.lower()
        secure = None
        chosen = []
        for cookie in self.values():
            if not cookie._matches_request(host, path):
                continue
            if cookie.secure:
                if secure is None:
                    secure = _is_secure_origin(scheme, host)
                if not secure:
                    continue
            chosen.append(cookie)
        # Longer paths first; sort is stable, so creation order breaks ties.
        chosen.sort(key=lambda cookie: -len(cookie.path))
        return "; ".join(cookie._to_request_header() for cookie in chosen)
