"""Forward requests under given path prefixes to other HTTP servers, for
development setups where one server should answer for several services.

.. code-block:: python

    app = ProxyMiddleware(app, {
        "/static/": {"target": "http://127.0.0.1:5001/"},
        "/api/": {"target": "http://127.0.0.1:5002/v1/", "remove_prefix": True},
    })

Options per target:

- ``target``: the ``http``/``https`` URL to forward to.
- ``remove_prefix``: strip the matched prefix and append the rest of the
  path to the target's path (default: forward the full path).
- ``host``: the ``Host`` header sent: ``"<auto>"`` (default) uses the
  target's host, ``None`` keeps the incoming one, a string is sent as is.
- ``headers``: extra headers to send.
- ``ssl_context``: an :class:`ssl.SSLContext` for ``https`` targets.

Hop-by-hop headers are dropped both ways; an unreachable target gives
``502 Bad Gateway``. The response body is streamed in ``chunk_size``
pieces; the connection closes when the body is closed.
"""

from __future__ import annotations

import typing as t
from http import client
from urllib.parse import quote_from_bytes
from urllib.parse import urlsplit

from ..datastructures import EnvironHeaders
from ..exceptions import BadGateway
from ..http import is_hop_by_hop_header
from ..wsgi import get_input_stream

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

#: Characters left as they are in forwarded paths: the WHATWG path-segment
#: set plus "%" for escapes that are already there.
_PATH_SAFE = "!$&'()*+,/:;=@%"


def _with_defaults(opts: dict[str, t.Any]) -> dict[str, t.Any]:
    opts.setdefault("remove_prefix", False)
    opts.setdefault("host", "<auto>")
    opts.setdefault("headers", {})
    opts.setdefault("ssl_context", None)
    return opts


class ProxyMiddleware:
    """Proxy requests under some path prefixes to other servers.

    :param app: the application for all other paths.
    :param targets: path prefix to an options dict (see the module
        documentation). Prefixes are normalised to ``/prefix/``.
    :param chunk_size: the size of the reads of both bodies.
    :param timeout: seconds to wait for the target (connect and reads).
    """

    def __init__(
        self,
        app: WSGIApplication,
        targets: t.Mapping[str, dict[str, t.Any]],
        chunk_size: int = 2 << 13,
        timeout: int = 10,
    ) -> None:
        #: The application for paths no target matches.
        self.app = app
        #: Normalised prefix to options.
        self.targets = {f"/{prefix.strip('/')}/": _with_defaults(opts) for prefix, opts in targets.items()}
        #: Read size for request and response bodies.
        self.chunk_size = chunk_size
        #: Socket timeout, in seconds.
        self.timeout = timeout

    def proxy_to(self, opts: dict[str, t.Any], path: str, prefix: str) -> WSGIApplication:
        """Return a WSGI application that forwards the request for
        ``path`` (matched by ``prefix``) to the target in ``opts``.
        """
        target = urlsplit(opts["target"])
        if target.scheme not in ("http", "https"):
            raise RuntimeError(f"Target scheme must be 'http' or 'https', got {target.scheme!r}.")
        host = t.cast(str, target.hostname)

        def application(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
            remote_path = path
            if opts["remove_prefix"]:
                remote_path = f"{target.path.rstrip('/')}/{path[len(prefix):].lstrip('/')}"
            # PATH_INFO holds raw bytes as latin-1; quote those bytes once.
            remote_url = quote_from_bytes(remote_path.encode("latin1", "replace"), safe=_PATH_SAFE)
            if environ.get("QUERY_STRING"):
                remote_url = f"{remote_url}?{environ['QUERY_STRING']}"
            headers, chunked = self._request_headers(environ, opts, host)
            connection = self._new_connection(target, host, opts)
            try:
                connection.connect()
                connection.putrequest(environ["REQUEST_METHOD"], remote_url, skip_host=True, skip_accept_encoding=True)
                for key, value in headers:
                    connection.putheader(key, value)
                connection.endheaders()
                self._send_body(connection, environ, chunked)
                response = connection.getresponse()
            except (OSError, client.HTTPException):
                connection.close()

                return BadGateway()(environ, start_response)
            start_response(
                f"{response.status} {response.reason}",
                [(key.title(), value) for key, value in response.getheaders() if not is_hop_by_hop_header(key)],
            )
            return _ResponseBody(connection, response, self.chunk_size)

        return application

    @staticmethod
    def _request_headers(
        environ: WSGIEnvironment, opts: dict[str, t.Any], host: str
    ) -> tuple[list[tuple[str, str]], bool]:
        headers = [
            (key, value)
            for key, value in EnvironHeaders(environ).items()
            if not is_hop_by_hop_header(key) and key.lower() not in ("content-length", "host")
        ]
        headers.append(("Connection", "close"))
        if opts["host"] == "<auto>":
            headers.append(("Host", host))
        elif opts["host"] is None:
            headers.append(("Host", environ.get("HTTP_HOST", host)))
        else:
            headers.append(("Host", opts["host"]))
        headers.extend(opts["headers"].items())
        content_length = environ.get("CONTENT_LENGTH")
        chunked = False
        if content_length not in ("", None):
            headers.append(("Content-Length", content_length))
        elif content_length == "" or environ.get("wsgi.input_terminated"):
            headers.append(("Transfer-Encoding", "chunked"))
            chunked = True
        return headers, chunked

    def _new_connection(self, target: t.Any, host: str, opts: dict[str, t.Any]) -> client.HTTPConnection:
        if target.scheme == "https":
            return client.HTTPSConnection(host, target.port or 443, timeout=self.timeout, context=opts["ssl_context"])
        return client.HTTPConnection(host, target.port or 80, timeout=self.timeout)

    def _send_body(self, connection: client.HTTPConnection, environ: WSGIEnvironment, chunked: bool) -> None:
        stream = get_input_stream(environ, safe_fallback=not chunked)
        while True:
            data = stream.read(self.chunk_size)
            if not data:
                break
            connection.send(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        if chunked:
            connection.send(b"0\r\n\r\n")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        app = self.app
        for prefix, opts in self.targets.items():
            if path.startswith(prefix):
                app = self.proxy_to(opts, path, prefix)
                break
        return app(environ, start_response)


class _ResponseBody:
    """Streams the target's response; closing it closes the connection."""

    def __init__(self, connection: client.HTTPConnection, response: client.HTTPResponse, chunk_size: int) -> None:
        self._connection = connection
        self._response = response
        self._chunk_size = chunk_size

    def __iter__(self) -> _ResponseBody:
        return self

    def __next__(self) -> bytes:
        try:
            data = self._response.read(self._chunk_size)
        except (OSError, client.HTTPException):
            data = b""
        if not data:
            self.close()
            raise StopIteration
        return data

    def close(self) -> None:
        self._response.close()
        self._connection.close()
