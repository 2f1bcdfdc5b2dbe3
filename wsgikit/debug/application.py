"""The debugging middleware: traceback pages and the PIN-guarded console.

Theory of operation: :class:`DebuggedApplication` sits around the app.
A normal request goes straight through; when the app raises, the
exception becomes a :class:`~.tbtools.DebugTraceback`, its frames are
registered by id (a bounded registry, oldest tracebacks forgotten first),
and a 500 page is sent -- or, when part of the response is already on the
wire, the traceback goes to ``wsgi.errors`` and the exception is re-raised
through ``start_response(..., exc_info)`` so the server closes the
connection. While the app runs, ``environ["werkzeug.debug.preserve_context"]``
collects the context managers a framework hands over (Flask's and
microflask's app and request contexts); each console line of a frame runs
inside them, so ``request`` and ``g`` mean what they meant when the frame
failed. Requests carrying ``__debugger__=yes`` (and the console page)
belong to the debugger, never the app, and pass a gate first:

1. the ``Host`` header must be trusted (stops DNS rebinding);
2. every command but ``resource`` must carry the per-process secret;
3. evaluation also needs a valid PIN cookie (or the PIN turned off).

Failed PIN attempts sleep before answering and lock the console for the
life of the process after :data:`MAX_PIN_FAILURES`.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
import secrets
import sys
import threading
import time
import typing as t
from collections import OrderedDict
from contextlib import ExitStack

from .._internal import _log
from ..http import parse_cookie
from ..sansio.utils import host_is_trusted
from ..wrappers import Request
from ..wrappers import Response
from ..wsgi import get_current_url
from .console import Console
from .console import _format_exception
from .pin import PIN_TIME
from .pin import check_pin_cookie
from .pin import get_pin_and_cookie_name
from .pin import make_pin_cookie
from .tbtools import DebugFrameSummary
from .tbtools import DebugTraceback
from .tbtools import render_console_html

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

#: Wrong PINs accepted before the console locks until restart.
MAX_PIN_FAILURES = 10
#: How many tracebacks keep their frames available to consoles.
MAX_TRACEBACKS = 64
#: The environ key a framework calls with each context to keep for consoles
#: (Werkzeug's name, so Flask itself and microflask both find it).
_PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"
#: The header every debugger response carries (value: what answered).
DEBUGGER_HEADER = "X-Wsgikit-Debugger"

_SHARED = os.path.join(os.path.dirname(__file__), "shared")
#: Files the debugger serves, by name, with their content types.
_RESOURCES = {
    "style.css": "text/css; charset=utf-8",
    "debugger.js": "text/javascript; charset=utf-8",
    "console.svg": "image/svg+xml",
}
#: Hosts trusted in every setup; the bound host is appended by ``run_simple``.
_DEFAULT_TRUSTED = ("localhost", ".localhost", "127.0.0.1", "[::1]")
#: The page only loads its own files and talks to its own origin.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)

_STREAMED_MESSAGE = (
    "Debugging middleware caught exception in streamed response at a point"
    " where response headers were already sent.\n"
)


class _ConsoleFrame:
    """The standalone console's stand-in for a frame."""

    def __init__(self, namespace: dict[str, t.Any]) -> None:
        #: The console evaluating in ``namespace``.
        self.console = Console(namespace)

    def eval(self, code: str) -> str:
        return self.console.eval(code)


class _ResponseTracker:
    """Watches the app's side of ``start_response`` so the debugger knows
    whether headers may still be replaced by the traceback page."""

    __slots__ = ("_start_response", "called", "started", "page_body")

    def __init__(self, start_response: StartResponse) -> None:
        self._start_response = start_response
        #: The app called ``start_response``.
        self.called = False
        #: Body bytes (or an empty chunk) went to the server.
        self.started = False
        self.page_body = b""

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Callable[[bytes], t.Any]:
        self.called = True
        write = self._start_response(status, headers, exc_info)

        def tracking_write(data: bytes) -> t.Any:
            self.started = True
            return write(data)

        return tracking_write

    def restart(self, page: Response, error: BaseException) -> bool:
        """Start the page's response; ``False`` if the server refuses.

        After the app called ``start_response``, PEP 3333 wants ``exc_info``
        to replace its headers; some test clients re-raise any ``exc_info``,
        so a plain call is tried second.
        """
        headers = page.headers.to_wsgi_list()
        self.page_body = page.get_data()
        attempts = [(type(error), error, error.__traceback__), None] if self.called else [None]
        for exc_info in attempts:
            try:
                self._start_response("500 INTERNAL SERVER ERROR", headers, exc_info)  # type: ignore[arg-type]  # a raised error has its traceback
                return True
            except Exception:
                continue
        return False


def _pin_failure_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th wrong PIN."""
    return 5.0 if failures > 5 else 0.5


class DebuggedApplication:
    """Wrap ``app`` to show an interactive traceback page when it raises.

    :param app: the WSGI application to debug.
    :param evalex: offer a Python console in each traceback frame and at
        ``console_path``. Anyone who can use it can run code on the server:
        it is guarded by a PIN, but never enable it on a public server.
    :param request_key: the environ key a request object may be stored under.
    :param console_path: the URL of the standalone console (``None``: none).
    :param console_init_func: returns the standalone console's namespace.
    :param show_hidden_frames: show frames marked ``__traceback_hide__``.
    :param pin_security: require the PIN before evaluating code.
    :param pin_logging: log the PIN when the reloader's server process starts.
    """

    def __init__(
        self,
        app: WSGIApplication,
        evalex: bool = False,
        request_key: str = "wsgikit.request",
        console_path: str = "/console",
        console_init_func: t.Callable[[], dict[str, t.Any]] | None = None,
        show_hidden_frames: bool = False,
        pin_security: bool = True,
        pin_logging: bool = True,
    ) -> None:
        if not console_init_func:
            console_init_func = None
        self.app = app
        self.evalex = evalex
        #: Frames (and the console) by id, grouped by traceback so the
        #: oldest traceback's frames can be dropped together.
        self.frames: dict[int, DebugFrameSummary | _ConsoleFrame] = {}
        #: Frame ids of each registered traceback, oldest first. Keyed by a
        #: counter: ``id()`` of a freed traceback can be reused, which would
        #: overwrite a group and leave its frames registered forever.
        self._frame_groups: OrderedDict[int, list[int]] = OrderedDict()
        #: The contexts preserved by the request a frame failed in, by frame id.
        self.frame_contexts: dict[int, list[t.Any]] = {}
        self._next_group = itertools.count()
        self.request_key = request_key
        self.console_path = console_path
        self.console_init_func = console_init_func
        self.show_hidden_frames = show_hidden_frames
        #: The per-process secret every command must carry.
        self.secret = secrets.token_urlsafe(24)
        #: Host names (``.name`` for subdomains too) the debugger answers.
        self.trusted_hosts: list[str] = list(_DEFAULT_TRUSTED)
        self.pin_logging = pin_logging
        self._failed_pin_auth = 0
        self._pin_lock = threading.Lock()
        self._frames_lock = threading.Lock()
        self._pin: str | None = None
        self._pin_cookie: str | None = None
        if pin_security:
            self._pin, self._pin_cookie = get_pin_and_cookie_name(app)
            if pin_logging and _is_running_from_reloader():
                self.log_pin()
        else:
            self._pin_cookie = get_pin_and_cookie_name(app)[1] or "__wzd"

    # -- PIN -----------------------------------------------------------------

    @property
    def pin(self) -> str | None:
        """The PIN (``None`` when PIN security is off)."""
        return self._pin

    @pin.setter
    def pin(self, value: str | None) -> None:
        self._pin = value

    @property
    def pin_cookie_name(self) -> str:
        """The name of the cookie that remembers an entered PIN."""
        if self._pin_cookie is None:
            self._pin_cookie = get_pin_and_cookie_name(self.app)[1] or "__wzd"
        return self._pin_cookie

    def log_pin(self) -> None:
        """Print the PIN (or that it is off) to the server's log."""
        if self._pin is None:
            _log("warning", " * Debugger PIN disabled. DEBUGGER UNSECURED!")
        else:
            _log("info", " * Debugger PIN: %s", self._pin)

    @property
    def pin_exhausted(self) -> bool:
        """Whether too many wrong PINs locked the console until restart."""
        return self._failed_pin_auth >= MAX_PIN_FAILURES

    # -- WSGI ----------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if "__debugger__" in query:
            request = Request(environ)
            if request.args.get("__debugger__") == "yes":
                return self._dispatch_command(request)(environ, start_response)
        if self.evalex and self.console_path is not None and environ.get("PATH_INFO") == self.console_path:
            return self.display_console(Request(environ))(environ, start_response)
        return self.debug_application(environ, start_response)

    def debug_application(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterator[bytes]:
        """Run the app; turn an exception into the traceback page."""
        tracker = _ResponseTracker(start_response)
        app_iter: t.Iterable[bytes] | None = None
        contexts: list[t.Any] = []
        if self.evalex:
            environ[_PRESERVE_CONTEXT_KEY] = contexts.append
        try:
            app_iter = self.app(environ, tracker.start_response)
            for chunk in app_iter:
                tracker.started = True
                yield chunk
        except Exception as e:
            # Close the failed body before the page is sent, not after.
            _close(app_iter)
            app_iter = None
            yield from self._handle_exception(e, environ, tracker, contexts)
        finally:
            # Also runs when the server stops iterating early (GeneratorExit).
            _close(app_iter)

    def _handle_exception(
        self, e: Exception, environ: WSGIEnvironment, tracker: _ResponseTracker, contexts: list[t.Any]
    ) -> t.Iterator[bytes]:
        tb = DebugTraceback(e, skip=1, hide=not self.show_hidden_frames)
        self._register(tb, contexts)
        errors: t.Any = environ.get("wsgi.errors", sys.stderr)  # the server's text stream
        if tracker.started or not tracker.restart(self._traceback_page(tb, environ), e):
            # Part of the response was sent: nothing can be shown any more.
            # Log it, then let the exception reach the server, which closes
            # the connection so the client sees a broken, not a short, reply.
            errors.write(_STREAMED_MESSAGE)
            errors.write(tb.render_traceback_text())
            raise e
        errors.write(tb.render_traceback_text())
        yield tracker.page_body

    def _traceback_page(self, tb: DebugTraceback, environ: WSGIEnvironment) -> Response:
        is_trusted = self.check_pin_trust(environ) is True
        try:
            request_line = f"{environ.get('REQUEST_METHOD', 'GET')} {get_current_url(environ)}"
        except Exception:
            request_line = None
        html = tb.render_debugger_html(
            evalex=self.evalex and self.check_host_trust(environ),
            secret=self.secret,
            evalex_trusted=is_trusted,
            request_line=request_line,
        )
        return self._response(html, "traceback", status=500, mimetype="text/html")

    def _register(self, tb: DebugTraceback, contexts: list[t.Any] | None = None) -> None:
        frames = tb.all_frames
        with self._frames_lock:
            for frame in frames:
                self.frames[frame.frame_id] = frame
                if contexts:
                    self.frame_contexts[frame.frame_id] = contexts
            self._frame_groups[next(self._next_group)] = [f.frame_id for f in frames]
            while len(self._frame_groups) > MAX_TRACEBACKS:
                _, old = self._frame_groups.popitem(last=False)
                for frame_id in old:
                    self.frames.pop(frame_id, None)
                    self.frame_contexts.pop(frame_id, None)

    # -- debugger requests ---------------------------------------------------

    def _dispatch_command(self, request: Request) -> Response:
        if not self.check_host_trust(request.environ):
            return self._refuse(400, "Untrusted host: the debugger only answers requests for a trusted host.")
        args = request.args
        cmd = args.get("cmd")
        if cmd == "resource":
            return self.get_resource(request, args.get("f") or "")
        if not hmac.compare_digest((args.get("s") or "").encode(), self.secret.encode()):
            return self._refuse(403, "Missing or wrong debugger secret.")
        if cmd == "pinauth":
            return self.pin_auth(request)
        if cmd == "printpin":
            return self.log_pin_request(request)
        if cmd is None or not self.evalex:
            return self._refuse(400, "Unknown debugger command.")
        if self.check_pin_trust(request.environ) is not True:
            return self._refuse(403, "The console is locked: enter the PIN first.")
        frame = self._frame(args.get("frm") or "")
        if frame is None:
            return self._refuse(404, "No such frame (the server may have restarted).")
        return self.execute_command(request, cmd, frame)

    def _frame(self, frame_id: str) -> DebugFrameSummary | _ConsoleFrame | None:
        if not frame_id.isdecimal() or len(frame_id) > 30:
            return None
        if frame_id == "0":
            return self._console_frame()
        return self.frames.get(int(frame_id))

    def _console_frame(self) -> _ConsoleFrame:
        with self._frames_lock:
            frame = self.frames.get(0)
            if not isinstance(frame, _ConsoleFrame):
                namespace = self.console_init_func() if self.console_init_func else {}
                frame = self.frames[0] = _ConsoleFrame(namespace)
        return frame

    def check_host_trust(self, environ: WSGIEnvironment) -> bool:
        """Whether the request's ``Host`` is one the debugger answers for.

        :param environ: the request's environ.
        """
        trusted = [_bracket_ipv6(h) for h in self.trusted_hosts if h]
        return bool(trusted) and host_is_trusted(environ.get("HTTP_HOST"), trusted)

    def check_pin_trust(self, environ: WSGIEnvironment) -> bool | None:
        """Whether the request may run code: ``True`` when the PIN is off or
        its cookie is valid, ``None`` when the cookie is expired or forged,
        ``False`` when there is no cookie.

        :param environ: the request's environ.
        """
        if self._pin is None:
            return True
        value = parse_cookie(environ).get(self.pin_cookie_name)
        if not value:
            return False
        return True if check_pin_cookie(value, self._pin, self.pin_cookie_name) else None

    def execute_command(self, request: Request, command: str, frame: DebugFrameSummary | _ConsoleFrame) -> Response:
        """Run one console line in ``frame`` (inside the contexts its request
        preserved) and answer its HTML output."""
        contexts = self.frame_contexts.get(getattr(frame, "frame_id", 0), ())
        try:
            with ExitStack() as stack:
                for context in contexts:
                    stack.enter_context(context)
                output = frame.eval(command)
        except Exception as e:
            # Entering or leaving a preserved context failed (a teardown
            # function raised): show it in the console, not as a 500.
            output = _format_exception(e)
        response = self._response(output, "command", mimetype="text/html")
        # Tells the page to show a "..." prompt while a block is unfinished.
        response.headers["X-Wsgikit-Console"] = "more" if frame.console.buffer else "done"
        return response

    def display_console(self, request: Request) -> Response:
        """The standalone console page."""
        if not self.check_host_trust(request.environ):
            return self._refuse(400, "Untrusted host: the debugger only answers requests for a trusted host.")
        self._console_frame()
        trusted = self.check_pin_trust(request.environ) is True
        return self._response(render_console_html(self.secret, trusted), "console", mimetype="text/html")

    def get_resource(self, request: Request, filename: str) -> Response:
        """Serve one of the debugger's own files (CSS, JS, icon)."""
        mimetype = _RESOURCES.get(filename)
        if mimetype is None:
            return self._refuse(404, "No such debugger resource.")
        with open(os.path.join(_SHARED, filename), "rb") as f:
            data = f.read()
        response = self._response(data, "resource", mimetype=mimetype)
        response.headers["Cache-Control"] = "no-cache"
        return response

    def pin_auth(self, request: Request) -> Response:
        """Check an entered PIN; on success set the signed PIN cookie."""
        entered = request.args.get("pin") or ""
        with self._pin_lock:
            exhausted = self.pin_exhausted
            ok = not exhausted and (self._pin is None or _same_pin(entered, self._pin))
            counted = not exhausted and not ok
            if counted:
                self._failed_pin_auth += 1
                exhausted = self.pin_exhausted
            failures = self._failed_pin_auth
        if counted:
            # Waiting outside the lock slows every guesser down without
            # letting one stalled request hold the others' answers.
            _sleep(_pin_failure_delay(failures))
        body = json.dumps({"auth": ok, "exhausted": exhausted})
        response = self._response(body, "pinauth", mimetype="application/json")
        if ok and self._pin is not None:
            response.set_cookie(
                self.pin_cookie_name,
                make_pin_cookie(self._pin, self.pin_cookie_name),
                max_age=PIN_TIME,
                httponly=True,
                samesite="Strict",
                secure=request.is_secure,
            )
        return response

    def _fail_pin_auth(self) -> None:
        """Record a wrong PIN and wait before answering."""
        with self._pin_lock:
            self._failed_pin_auth += 1
            failures = self._failed_pin_auth
        _sleep(_pin_failure_delay(failures))

    def log_pin_request(self, request: Request) -> Response:
        """Print the PIN on the server's terminal again (asked by the page)."""
        if self.pin_logging and self._pin is not None:
            _log("info", " * To enable the debugger you need to enter the security pin:")
            _log("info", " * Debugger pin code: %s", self._pin)
        return self._response("", "printpin", mimetype="text/plain")

    # -- responses -----------------------------------------------------------

    def _response(self, body: str | bytes, kind: str, status: int = 200, mimetype: str = "text/plain") -> Response:
        response = Response(body, status=status, mimetype=mimetype)
        headers = response.headers
        headers[DEBUGGER_HEADER] = kind
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        if kind != "resource":
            # Tracebacks and console output show variables: never cache them.
            headers["Cache-Control"] = "no-store"
        if mimetype == "text/html":
            headers["Content-Security-Policy"] = _CSP
        return response

    def _refuse(self, status: int, message: str) -> Response:
        return self._response(f"{message}\n", "refused", status=status, mimetype="text/plain")


def _close(app_iter: t.Any) -> None:
    close = getattr(app_iter, "close", None)
    if close is not None:
        close()


def _same_pin(entered: str, pin: str) -> bool:
    """Compare PINs ignoring dashes and surrounding space, in constant time."""
    a = entered.strip().replace("-", "").encode("utf-8", "replace")
    b = pin.replace("-", "").encode("utf-8", "replace")
    return hmac.compare_digest(a, b)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _bracket_ipv6(host: str) -> str:
    """``::1`` -> ``[::1]``: the form a ``Host`` header carries."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def _is_running_from_reloader() -> bool:
    return os.environ.get("WSGIKIT_RUN_MAIN") == "true" or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
