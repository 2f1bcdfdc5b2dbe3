"""Trust the ``X-Forwarded-*`` headers that a known number of reverse
proxies add, so the application sees the client's address, scheme, host,
port and path prefix instead of the last proxy's.

Each proxy *appends* to ``X-Forwarded-For`` (and the others), so with ``n``
trusted proxies the right value is the ``n``-th from the end: anything to
its left came from the client and may be forged. When a header has fewer
values than the configured count it is ignored entirely.

.. code-block:: python

    # One proxy (nginx) that sets X-Forwarded-For and X-Forwarded-Proto.
    app = ProxyFix(app, x_for=1, x_proto=1)

The original values are kept in ``environ["werkzeug.proxy_fix.orig"]``.
"""

from __future__ import annotations

import typing as t

from ..http import parse_list_header

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

#: The environ keys ProxyFix may change, saved before it does.
_SAVED_KEYS = ("REMOTE_ADDR", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


def _split_port(host: str) -> tuple[str, str | None]:
    """``("example.com", "8080")`` for ``"example.com:8080"``; an IPv6
    literal without a port (``"[::1]"``) keeps its colons.
    """
    if ":" in host and not host.endswith("]"):
        name, _, port = host.rpartition(":")
        return name, port
    return host, None


class ProxyFix:
    """Adjust the environ from ``X-Forwarded-*`` headers.

    Each argument is the number of proxies trusted to set that header (0
    ignores it).

    :param app: the application to wrap.
    :param x_for: ``X-Forwarded-For`` -> ``REMOTE_ADDR``.
    :param x_proto: ``X-Forwarded-Proto`` -> ``wsgi.url_scheme``.
    :param x_host: ``X-Forwarded-Host`` -> ``HTTP_HOST``, ``SERVER_NAME``
        and ``SERVER_PORT``.
    :param x_port: ``X-Forwarded-Port`` -> the port in ``HTTP_HOST`` and
        ``SERVER_PORT``; a non-numeric value is ignored.
    :param x_prefix: ``X-Forwarded-Prefix`` -> ``SCRIPT_NAME``.
    """

    def __init__(
        self,
        app: WSGIApplication,
        x_for: int = 1,
        x_proto: int = 1,
        x_host: int = 0,
        x_port: int = 0,
        x_prefix: int = 0,
    ) -> None:
        #: The wrapped application.
        self.app = app
        #: Trusted hop counts per header.
        self.x_for = x_for
        self.x_proto = x_proto
        self.x_host = x_host
        self.x_port = x_port
        self.x_prefix = x_prefix

    def _get_real_value(self, trusted: int, value: str | None) -> str | None:
        """The value the outermost trusted proxy saw: the ``trusted``-th
        from the end of the comma-separated ``value``, or ``None``.
        """
        if not (trusted and value):
            return None
        values = parse_list_header(value)
        if len(values) >= trusted:
            return values[-trusted] or None
        return None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        get = environ.get
        environ["werkzeug.proxy_fix.orig"] = {key: get(key) for key in _SAVED_KEYS}
        remote_addr = self._get_real_value(self.x_for, get("HTTP_X_FORWARDED_FOR"))
        if remote_addr:
            environ["REMOTE_ADDR"] = remote_addr
        scheme = self._get_real_value(self.x_proto, get("HTTP_X_FORWARDED_PROTO"))
        if scheme:
            environ["wsgi.url_scheme"] = scheme
        host = self._get_real_value(self.x_host, get("HTTP_X_FORWARDED_HOST"))
        if host:
            self._set_host(environ, host)
        port = self._get_real_value(self.x_port, get("HTTP_X_FORWARDED_PORT"))
        if port and port.isdigit() and port.isascii():
            self._set_port(environ, port)
        prefix = self._get_real_value(self.x_prefix, get("HTTP_X_FORWARDED_PREFIX"))
        if prefix:
            environ["SCRIPT_NAME"] = prefix
        return self.app(environ, start_response)

    @staticmethod
    def _set_host(environ: WSGIEnvironment, host: str) -> None:
        environ["HTTP_HOST"] = environ["SERVER_NAME"] = host
        name, port = _split_port(host)
        if port is not None:
            environ["SERVER_NAME"], environ["SERVER_PORT"] = name, port

    @staticmethod
    def _set_port(environ: WSGIEnvironment, port: str) -> None:
        host = environ.get("HTTP_HOST")
        if host:
            environ["HTTP_HOST"] = f"{_split_port(host)[0]}:{port}"
        environ["SERVER_PORT"] = port
