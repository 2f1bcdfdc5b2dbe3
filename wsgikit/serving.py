"""A development WSGI server: HTTP/1.1, keep-alive, TLS, reloading.

Theory of operation: :class:`BaseWSGIServer` is a :mod:`socketserver`
server (threads or forks come from the standard mixins) that binds (or
inherits from the reloader's supervisor) a listening socket, wraps it in
TLS when asked, and hands each accepted connection to a
:class:`WSGIRequestHandler`, which serves request after request on it
(:mod:`wsgikit._serving_handler` says how). :func:`make_server` picks the
server class; :func:`run_simple` adds the static files, the debugger and
the reloader around it, prints the banner and serves until Ctrl+C.

The server is split by job; this module holds the servers and
:func:`run_simple`, and re-exports every public name (import them from
here). Layers (imports only point down)::

    _serving_input (the request body: ``wsgi.input``),
    _serving_tls (SSL contexts, ad-hoc certificates),
    _reloader (restarting on changes; ``is_running_from_reloader``)
    (these two load on first use, see ``_LAZY_EXPORTS``)
    -> _serving_handler (the request handler, the access log)
    -> serving (this module: addresses, servers, make_server, run_simple)
"""

from __future__ import annotations

import errno
import importlib
import ipaddress
import os
import socket
import socketserver
import ssl
import sys
import threading
import typing as t
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

from ._http11 import MAX_HEADER_BYTES
from ._internal import _log
from ._serving_handler import WSGIRequestHandler
from ._serving_handler import _ansi_style
from ._serving_handler import connection_dropped_errors as connection_dropped_errors
from ._serving_input import DechunkedInput as DechunkedInput

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from ._reloader import is_running_from_reloader as is_running_from_reloader
    from ._serving_tls import _TSSLContextArg as _TSSLContextArg
    from ._serving_tls import generate_adhoc_ssl_context as generate_adhoc_ssl_context
    from ._serving_tls import generate_adhoc_ssl_pair as generate_adhoc_ssl_pair
    from ._serving_tls import is_ssl_error as is_ssl_error
    from ._serving_tls import load_ssl_context as load_ssl_context
    from ._serving_tls import make_ssl_devcert as make_ssl_devcert

__all__ = [
    "BaseWSGIServer",
    "ForkingWSGIServer",
    "ThreadedWSGIServer",
    "WSGIRequestHandler",
    "generate_adhoc_ssl_context",
    "generate_adhoc_ssl_pair",
    "get_interface_ip",
    "get_sockaddr",
    "is_running_from_reloader",
    "is_ssl_error",
    "load_ssl_context",
    "make_server",
    "make_ssl_devcert",
    "run_simple",
    "select_address_family",
]

#: Backlog of the listening socket.
LISTEN_QUEUE = 128

#: Whether this platform can fork worker processes.
can_fork = hasattr(os, "fork")

#: ``socket.AF_UNIX`` where it exists, else ``None``.
af_unix = getattr(socket, "AF_UNIX", None)

#: Environment variable carrying the listening socket's fd to a reloader child.
_SERVER_FD_ENV = "WSGIKIT_SERVER_FD"

_DEV_WARNING = (
    "WARNING: This is a development server. Do not use it in a production"
    " deployment. Use a production WSGI server instead."
)

# PERF: names whose defining module loads on first use, as the package does
# for its top-level names, so ``import wsgikit.serving`` costs no more than
# before the split. Only run_simple needs the reloader (its file watchers
# would make the import about a tenth slower for everyone who only calls
# make_server), and only an HTTPS server or a certificate needs the TLS part.
_LAZY_EXPORTS = {
    "is_running_from_reloader": "_reloader",
    "generate_adhoc_ssl_context": "_serving_tls",
    "generate_adhoc_ssl_pair": "_serving_tls",
    "is_ssl_error": "_serving_tls",
    "load_ssl_context": "_serving_tls",
    "make_ssl_devcert": "_serving_tls",
    "_TSSLContextArg": "_serving_tls",
}


def __getattr__(name: str) -> t.Any:
    module = _LAZY_EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_EXPORTS})


def _lazy(name: str) -> t.Any:
    """A lazily exported name as this module has it now: a value set on the
    module (a test's monkeypatch) wins, as when these names were defined here."""
    try:
        return globals()[name]
    except KeyError:
        return __getattr__(name)


def _from_reloader() -> bool:
    """Whether this process is the reloader's child."""
    check: t.Callable[[], bool] = _lazy("is_running_from_reloader")
    return check()


def _make_ssl_context(arg: ssl.SSLContext | tuple[str, str | None] | t.Literal["adhoc"]) -> ssl.SSLContext:
    """The server's context for a (not ``None``) ``ssl_context`` argument."""
    if isinstance(arg, ssl.SSLContext):
        return arg
    if isinstance(arg, tuple):
        load: t.Callable[..., ssl.SSLContext] = _lazy("load_ssl_context")
        return load(*arg)
    if arg == "adhoc":
        generate: t.Callable[[], ssl.SSLContext] = _lazy("generate_adhoc_ssl_context")
        return generate()
    raise TypeError(f"Invalid ssl_context {arg!r}: use an SSLContext, a (cert, key) tuple or 'adhoc'.")


# --------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------


def select_address_family(host: str, port: int) -> socket.AddressFamily:
    """The socket family for ``host``: unix for ``unix://path``, IPv6 when
    the host contains ``:``, else IPv4."""
    if host.startswith("unix://"):
        return socket.AF_UNIX
    if ":" in host and hasattr(socket, "AF_INET6"):
        return socket.AF_INET6
    return socket.AF_INET


def get_sockaddr(host: str, port: int, family: socket.AddressFamily) -> tuple[str, int] | str:
    """The address to bind for ``host`` and ``port`` in ``family``."""
    if family == af_unix:
        return os.path.abspath(host.partition("://")[2])
    try:
        info = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror:
        return host, port
    return info[0][4]  # type: ignore[return-value]  # IPv6 gives a 4-tuple; the annotation is Werkzeug's


def get_interface_ip(family: socket.AddressFamily) -> str:
    """The address of the interface with the default route, for the banner.

    Connecting a UDP socket only consults the routing table; no packet is sent.
    """
    probe = "fd31:f903:5ab5:1::1" if family == socket.AF_INET6 else "10.253.155.219"
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        try:
            s.connect((probe, 58162))
        except OSError:
            return "::1" if family == socket.AF_INET6 else "127.0.0.1"
        address: str = s.getsockname()[0]
        return address


# --------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------


class BaseWSGIServer(HTTPServer):
    """A single-threaded WSGI server, one request at a time (HTTP/1.0).

    :param host: address to listen on, or ``unix://path``.
    :param port: TCP port; 0 picks a free one (see :attr:`port` after).
    :param app: the WSGI application.
    :param handler: the request handler class.
    :param passthrough_errors: let application errors propagate (for debuggers).
    :param ssl_context: an :class:`ssl.SSLContext`, a (cert, key) tuple, or ``"adhoc"``.
    :param fd: listen on this already bound socket instead of binding.
    """

    multithread = False
    multiprocess = False
    request_queue_size = LISTEN_QUEUE
    #: Most bytes of request header section (the lines after the request
    #: line) accepted; a larger one is answered 431 and the connection closed.
    max_header_bytes: int = MAX_HEADER_BYTES
    allow_reuse_address = True

    def __init__(
        self,
        host: str,
        port: int,
        app: WSGIApplication,
        handler: type[WSGIRequestHandler] | None = None,
        passthrough_errors: bool = False,
        ssl_context: _TSSLContextArg | None = None,
        fd: int | None = None,
    ) -> None:
        if handler is None:
            handler = WSGIRequestHandler
        #: The host the server was asked to listen on.
        self.host = host
        #: The port it listens on (the real one when 0 was asked).
        self.port = port
        #: The WSGI application.
        self.app = app
        #: Whether application errors propagate instead of becoming 500s.
        self.passthrough_errors = passthrough_errors
        self.address_family = family = select_address_family(host, port)
        server_address = get_sockaddr(host, int(port), family)
        self._unlink_on_close: str | None = None
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._protocols: dict[type, str] = {}
        if family == af_unix and fd is None and os.path.exists(t.cast(str, server_address)):
            os.unlink(t.cast(str, server_address))
        super().__init__(server_address, handler, bind_and_activate=False)  # type: ignore[arg-type]  # or an AF_UNIX path
        if fd is None:
            self._bind_or_exit()
        else:
            self.socket.close()
            self.socket = socket.fromfd(fd, family, socket.SOCK_STREAM)
            self.server_address = self.socket.getsockname()
        if family != af_unix:
            self.port = self.server_address[1]
            self._environ_name, self._environ_port = str(self.server_address[0]), str(self.port)
        else:
            self._environ_name, self._environ_port = str(self.server_address), ""
        #: The TLS context, or ``None`` for plain HTTP.
        self.ssl_context: ssl.SSLContext | None = None
        if ssl_context is not None:
            try:
                self.ssl_context = context = _make_ssl_context(ssl_context)
            except BaseException:
                # A bad ssl_context must not leave the bound socket open.
                self.server_close()
                raise
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def _bind_or_exit(self) -> None:
        try:
            self.server_bind()
            self.server_activate()
        except OSError as e:
            self.server_close()
            print(e.strerror, file=sys.stderr)
            if e.errno == errno.EADDRINUSE:
                print(
                    f"Port {self.port} is in use by another program. Either identify and"
                    " stop that program, or start the server with a different port.",
                    file=sys.stderr,
                )
            sys.exit(1)
        if self.address_family == af_unix:
            self._unlink_on_close = t.cast(str, self.server_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would resolve the FQDN (a slow DNS lookup).
        socketserver.TCPServer.server_bind(self)
        if self.address_family != af_unix:
            self.server_name = str(self.server_address[0])
            self.server_port = self.server_address[1]

    def _protocol_for(self, handler: type[BaseHTTPRequestHandler]) -> str:
        """HTTP/1.1 (keep-alive) when requests can run concurrently, unless
        the handler class chose a protocol itself."""
        protocol = self._protocols.get(handler)
        if protocol is None:
            explicit = next((c for c in handler.__mro__ if "protocol_version" in vars(c)), None)
            if explicit is not None and explicit is not BaseHTTPRequestHandler:
                protocol = handler.protocol_version
            else:
                protocol = "HTTP/1.1" if self.multithread or self.multiprocess else "HTTP/1.0"
            self._protocols[handler] = protocol
        return protocol

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def log(self, type: str, message: str, *args: t.Any) -> None:
        _log(type, message, *args)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown` (from another thread) or Ctrl+C,
        then close the server."""
        try:
            super().serve_forever(poll_interval=poll_interval)
        except KeyboardInterrupt:
            pass
        finally:
            self.server_close()

    def server_close(self) -> None:
        """Close the listening socket and wake idle keep-alive connections."""
        super().server_close()
        with self._connections_lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._unlink_on_close and os.path.exists(self._unlink_on_close):
            if not _from_reloader():
                os.unlink(self._unlink_on_close)
            self._unlink_on_close = None

    def handle_error(self, request: t.Any, client_address: tuple[str, int] | str) -> None:
        if self.passthrough_errors:
            raise
        return super().handle_error(request, client_address)

    def log_startup(self) -> None:
        """Log the development-server warning and where it listens."""
        messages = [_ansi_style(_DEV_WARNING, "bold", "red")]
        if self.address_family == af_unix:
            messages.append(f" * Running on {self.host}")
        else:
            scheme = "http" if self.ssl_context is None else "https"
            shown = self.host
            if self.host in ("0.0.0.0", "::"):
                messages.append(f" * Running on all addresses ({self.host})")
                ipv4 = self.host == "0.0.0.0"
                messages.append(f" * Running on {scheme}://{'127.0.0.1' if ipv4 else '[::1]'}:{self.port}")
                shown = get_interface_ip(socket.AF_INET if ipv4 else socket.AF_INET6)
            if ":" in shown:
                shown = f"[{shown}]"
            messages.append(f" * Running on {scheme}://{shown}:{self.port}")
        _log("info", "\n".join(messages))


class ThreadedWSGIServer(socketserver.ThreadingMixIn, BaseWSGIServer):
    """A WSGI server that handles each connection in a thread (HTTP/1.1)."""

    multithread = True
    daemon_threads = True


class ForkingWSGIServer(socketserver.ForkingMixIn, BaseWSGIServer):
    """A WSGI server that handles each connection in a forked process.

    :param processes: the most worker processes alive at once.
    """

    multiprocess = True

    def __init__(
        self,
        host: str,
        port: int,
        app: WSGIApplication,
        processes: int = 40,
        handler: type[WSGIRequestHandler] | None = None,
        passthrough_errors: bool = False,
        ssl_context: _TSSLContextArg | None = None,
        fd: int | None = None,
    ) -> None:
        if not can_fork:
            raise ValueError("Your platform does not support forking.")
        super().__init__(host, port, app, handler, passthrough_errors, ssl_context, fd)
        self.max_children = processes


def make_server(
    host: str,
    port: int,
    app: WSGIApplication,
    threaded: bool = False,
    processes: int = 1,
    request_handler: type[WSGIRequestHandler] | None = None,
    passthrough_errors: bool = False,
    ssl_context: _TSSLContextArg | None = None,
    fd: int | None = None,
) -> BaseWSGIServer:
    """Create the right server for ``threaded``/``processes``; see
    :class:`BaseWSGIServer` for the other parameters. It is bound and
    listening; call ``serve_forever()`` to run it."""
    if threaded and processes > 1:
        raise ValueError("Cannot have a multi-thread and multi-process server.")
    if threaded:
        return ThreadedWSGIServer(host, port, app, request_handler, passthrough_errors, ssl_context, fd=fd)
    if processes > 1:
        return ForkingWSGIServer(
            host, port, app, processes, request_handler, passthrough_errors, ssl_context, fd=fd
        )
    return BaseWSGIServer(host, port, app, request_handler, passthrough_errors, ssl_context, fd=fd)


def _inherited_fd() -> int | None:
    """The listening socket's fd handed down by the reloader parent."""
    if not _from_reloader():
        return None
    value = os.environ.get(_SERVER_FD_ENV) or os.environ.get("WERKZEUG_SERVER_FD")
    return int(value) if value else None


def run_simple(
    hostname: str,
    port: int,
    application: WSGIApplication,
    use_reloader: bool = False,
    use_debugger: bool = False,
    use_evalex: bool = True,
    extra_files: t.Iterable[str] | None = None,
    exclude_patterns: t.Iterable[str] | None = None,
    reloader_interval: int = 1,
    reloader_type: str = "auto",
    threaded: bool = False,
    processes: int = 1,
    request_handler: type[WSGIRequestHandler] | None = None,
    static_files: dict[str, str | tuple[str, str]] | None = None,
    passthrough_errors: bool = False,
    ssl_context: _TSSLContextArg | None = None,
) -> None:
    """Run a development server for ``application`` until interrupted.

    :param hostname: address to listen on (``"0.0.0.0"`` for every
        interface) or ``unix://path``.
    :param port: TCP port; 0 picks a free one.
    :param application: the WSGI application.
    :param use_reloader: restart the server when a source file changes.
    :param use_debugger: wrap the app in the interactive debugger.
    :param use_evalex: allow the debugger's console.
    :param extra_files: more files the reloader watches.
    :param exclude_patterns: globs (matched against whole paths) the reloader ignores.
    :param reloader_interval: seconds between reloader checks.
    :param reloader_type: ``"auto"``, ``"stat"``, ``"inotify"`` or ``"watchdog"``.
    :param threaded: one thread per connection.
    :param processes: at most this many forked worker processes.
    :param request_handler: the request handler class.
    :param static_files: URL prefix -> directory (or (package, path)) served as is.
    :param passthrough_errors: let application errors propagate.
    :param ssl_context: an :class:`ssl.SSLContext`, a (cert, key) tuple, or ``"adhoc"``.
    """
    if not isinstance(port, int):
        raise TypeError("port must be an integer")
    if static_files:
        # Cold start: the middleware (and the file-serving code under it)
        # loads only when static files are asked for.
        from .middleware.shared_data import SharedDataMiddleware

        application = SharedDataMiddleware(application, static_files)
    if use_debugger:
        application = _wrap_debugger(application, use_evalex, hostname, use_reloader)
    srv = make_server(
        hostname,
        port,
        application,
        threaded,
        processes,
        request_handler,
        passthrough_errors,
        ssl_context,
        fd=_inherited_fd(),
    )
    srv.socket.set_inheritable(True)
    os.environ[_SERVER_FD_ENV] = str(srv.fileno())
    if not _from_reloader():
        srv.log_startup()
        _log("info", _ansi_style("Press CTRL+C to quit", "yellow"))
    if use_reloader:
        from ._reloader import run_with_reloader  # PERF: cold start, see _LAZY_EXPORTS

        try:
            run_with_reloader(srv.serve_forever, extra_files, exclude_patterns, reloader_interval, reloader_type)
        finally:
            srv.server_close()
    else:
        srv.serve_forever()


def _wrap_debugger(
    application: WSGIApplication, use_evalex: bool, hostname: str, use_reloader: bool
) -> WSGIApplication:
    try:
        # Cold start, and optional: the debugger (about 30 modules) loads only
        # when asked for, and a build without it gets a clear error below.
        from .debug import DebuggedApplication
    except ImportError as e:
        raise RuntimeError(
            "The interactive debugger (use_debugger=True) is not available in this"
            f" build of wsgikit: 'wsgikit.debug' could not be imported ({e})."
        ) from None
    from_reloader = _from_reloader()
    if from_reloader or not use_reloader:
        # The process that serves says so, before the PIN line (under the
        # reloader the DebuggedApplication logs its PIN as it is made).
        _log("info", " * Debugger is active!")
    debugged = DebuggedApplication(application, evalex=use_evalex)
    if not hostname.startswith("unix://"):
        # Besides the localhost names, the debugger answers for the bound host.
        debugged.trusted_hosts.append(hostname)
    if use_evalex and not from_reloader and not use_reloader:
        debugged.log_pin()
    if not from_reloader and not _is_loopback_host(hostname):
        _log("warning", _ansi_style(_EXPOSED_DEBUGGER_WARNING % hostname, "bold", "red"))
    return debugged


_EXPOSED_DEBUGGER_WARNING = (
    " * WARNING: the debugger is on and the server listens on %s, which is not a"
    " loopback address. Anyone who reaches it can read tracebacks and source code,"
    " and whoever learns the PIN can run any code on this machine."
    " Bind to 127.0.0.1, or turn the debugger off."
)


def _is_loopback_host(hostname: str) -> bool:
    """Whether ``hostname`` only accepts connections from this machine."""
    if hostname.startswith("unix://"):
        return True
    name = hostname.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
