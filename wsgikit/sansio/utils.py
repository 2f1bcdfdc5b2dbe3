"""IO-free helpers that compute a request's host and URLs from plain values.

These functions take the pieces a server hands over (scheme, ``Host``
header, server address, script root, path, query string) and never touch a
WSGI environ or a stream, so :mod:`wsgikit.wsgi`, the WSGI request and any
other server adapter share one implementation.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import quote

from .._internal import _plain_int
from ..exceptions import SecurityError
from ..urls import uri_to_iri

__all__ = ["host_is_trusted", "get_host", "get_current_url", "get_content_length"]

# A host is a DNS-ish name (letters, digits, dots, dashes) or a bracketed
# IPv6 literal, each with an optional numeric port. The IPv6 part's first
# run cannot contain ":", so the first ":" is fixed and the pattern has no
# ambiguity to backtrack over: matching is linear in the input.
# A port is 1-65535 written without leading zeros (port 0 names no server,
# and one value gets one spelling).
_port_pattern = r"(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_host_re = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f]*:[0-9A-Fa-f:.]+\])(?::" + _port_pattern + ")?")

#: Schemes whose default port is dropped from the host, and that port.
_DEFAULT_PORT_SUFFIX = {"http": ":80", "ws": ":80", "https": ":443", "wss": ":443"}

# Characters left as they are when a URL is built; everything else is
# percent-encoded first and then turned into an IRI. The query string
# additionally keeps "?" literal.
_PATH_SAFE = "!$&'()*+,/:;=@%"
_QUERY_SAFE = "!$&'()*+,/:;=?@%"


def _strip_port(host: str) -> str:
    """Drop a trailing ``:port`` (leaving a bare ``[ipv6]`` literal alone)."""
    if host.endswith("]") or ":" not in host:
        return host
    return host.rpartition(":")[0]


def _normalize_trusted(entry: str) -> str | None:
    """Bring a configured trusted host to the ASCII form hosts arrive in.

    Internationalised names are IDNA-encoded; an entry the codec rejects
    (an empty or overlong label) is compared as-is when it is ASCII and
    ignored otherwise, so a bad configuration never raises per request.
    """
    entry = _strip_port(entry)
    try:
        return entry.encode("idna").decode("ascii")
    except UnicodeError:
        return entry if entry.isascii() else None


def host_is_trusted(hostname: str | None, trusted_list: t.Collection[str] | None = None) -> bool:
    """Check a host against a list of trusted hosts.

    An entry that starts with a dot also trusts every subdomain
    (``".example.com"`` accepts ``example.com`` and ``a.example.com``).
    Ports are ignored on both sides and names compare case-sensitively in
    their IDNA (ASCII) form. An empty or malformed host is never trusted;
    an empty list trusts every well-formed host. Unlike Werkzeug 3.1, an
    IPv6 literal only matches the same literal, and a configured entry
    the IDNA codec rejects does not raise.

    :param hostname: the host to check, as it appears in the ``Host`` header.
    :param trusted_list: host names, or one name as a string.
    """
    if not hostname or _host_re.fullmatch(hostname) is None:
        return False
    if not trusted_list:
        return True
    if isinstance(trusted_list, str):
        trusted_list = [trusted_list]
    name = _strip_port(hostname)
    for entry in trusted_list:
        suffix_match = entry.startswith(".")
        ref = _normalize_trusted(entry[1:] if suffix_match else entry)
        if ref is None:
            continue
        if name == ref or (suffix_match and name.endswith(f".{ref}")):
            return True
    return False


def get_host(
    scheme: str,
    host_header: str | None,
    server: tuple[str, int | None] | None = None,
    trusted_hosts: t.Collection[str] | None = None,
) -> str:
    """Return the host a request was sent to, with a port only when it is
    not the scheme's default.

    The ``Host`` header wins; without it the server address is used (a
    server without a known port gives no host). A malformed host gives the
    empty string so it can never be spliced into a URL.

    :param scheme: the URL scheme, such as ``"https"``.
    :param host_header: the ``Host`` header value, or ``None``.
    :param server: the server's ``(address, port)``.
    :param trusted_hosts: when not empty, hosts outside this list raise
        :exc:`~wsgikit.exceptions.SecurityError` (see :func:`host_is_trusted`).
    :raises wsgikit.exceptions.SecurityError: the host is not trusted.
    """
    if host_header is not None:
        host = host_header
    elif server is not None and server[1] is not None:
        name = server[0]
        if ":" in name and name[:1] != "[":
            name = f"[{name}]"
        host = f"{name}:{server[1]}"
    else:
        return ""
    suffix = _DEFAULT_PORT_SUFFIX.get(scheme)
    if suffix is not None and host.endswith(suffix):
        host = host[: -len(suffix)]
    if trusted_hosts and not host_is_trusted(host, trusted_hosts):
        raise SecurityError(f"Host {host!r} is not trusted.")
    if _host_re.fullmatch(host) is None:
        return ""
    return host


def get_current_url(
    scheme: str,
    host: str,
    root_path: str | None = None,
    path: str | None = None,
    query_string: bytes | None = None,
) -> str:
    """Build a URL (as an IRI) from its parts. Each part given extends the
    URL; a part left as ``None`` ends it there, with a trailing slash after
    the host or root path.

    Characters that cannot appear literally are percent-encoded, then the
    result is shown as an IRI: valid UTF-8 escapes become characters and
    escapes that would change the URL's meaning (``%2F``, ``%3F``, ``%23``,
    ``%25``, controls, space) stay encoded.

    :param scheme: the URL scheme.
    :param host: the host, with port if any.
    :param root_path: the prefix the application is mounted at.
    :param path: the path below the root.
    :param query_string: the raw query string bytes.
    """
    url = [scheme, "://", host]
    if root_path is not None:
        root_path = root_path.rstrip("/")
        if root_path[:1] not in ("", "/"):
            # A root path must not run into the host (Werkzeug 3.1 builds
            # "http://host::x/" from SCRIPT_NAME "::x" and then fails).
            root_path = "/" + root_path
        url.append(quote(root_path, safe=_PATH_SAFE))
        url.append("/")
        if path is not None:
            url.append(quote(path.lstrip("/"), safe=_PATH_SAFE))
            if query_string:
                url.append("?")
                url.append(quote(query_string, safe=_QUERY_SAFE))
    else:
        url.append("/")
    return uri_to_iri("".join(url))


def _is_chunked(transfer_encoding: str) -> bool:
    """Whether ``chunked`` is one of the listed transfer codings."""
    if "," not in transfer_encoding:
        return transfer_encoding.strip().lower() == "chunked"
    return any(part.strip().lower() == "chunked" for part in transfer_encoding.split(","))


def get_content_length(
    http_content_length: str | None = None,
    http_transfer_encoding: str | None = None,
) -> int | None:
    """Return the declared body length, ``None`` when there is none.

    A chunked body has no length even when a ``Content-Length`` is sent
    (the server de-chunks it). A malformed or negative length reads as 0 so
    nothing is read from a body of unknown size.

    :param http_content_length: the ``Content-Length`` header value.
    :param http_transfer_encoding: the ``Transfer-Encoding`` header value.
    """
    if http_transfer_encoding is not None and _is_chunked(http_transfer_encoding):
        return None
    if http_content_length is None:
        return None
    try:
        return max(0, _plain_int(http_content_length))
    except ValueError:
        return 0
