"""Testing an application without a server: :class:`FlaskClient` (what
``app.test_client()`` returns) and :class:`EnvironBuilder`, which fills in
the host, root and scheme from the application's config.
"""

from __future__ import annotations

import typing as t
from contextlib import contextmanager
from contextlib import ExitStack
from copy import copy
from urllib.parse import urlsplit

import wsgikit
import wsgikit.test
from wsgikit.test import Client
from wsgikit.wrappers import Request as BaseRequest

from .cli import FlaskCliRunner as FlaskCliRunner
from .sessions import SessionMixin

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from wsgikit.test import TestResponse

    from .app import Flask


class EnvironBuilder(wsgikit.test.EnvironBuilder):
    """wsgikit's builder with defaults from ``app``'s config: the host is
    ``SERVER_NAME`` (else ``localhost``), the root ``APPLICATION_ROOT``,
    the scheme ``PREFERRED_URL_SCHEME``.

    :param app: the application.
    :param path: the path, possibly a full URL and query string.
    :param base_url: the URL the application is served at; excludes
        ``subdomain`` and ``url_scheme``.
    :param subdomain: put in front of ``SERVER_NAME``.
    :param url_scheme: the scheme instead of ``PREFERRED_URL_SCHEME``.
    """

    def __init__(
        self,
        app: Flask,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> None:
        assert not (base_url or subdomain or url_scheme) or (base_url is not None) != bool(
            subdomain or url_scheme
        ), 'Cannot pass "subdomain" or "url_scheme" with "base_url".'
        if base_url is None:
            http_host = app.config.get("SERVER_NAME") or "localhost"
            app_root = app.config["APPLICATION_ROOT"]
            if subdomain:
                http_host = f"{subdomain}.{http_host}"
            if url_scheme is None:
                url_scheme = app.config["PREFERRED_URL_SCHEME"]
            url = urlsplit(path)
            base_url = f"{url.scheme or url_scheme}://{url.netloc or http_host}/{app_root.lstrip('/')}"
            path = url.path
            if url.query:
                path = f"{path}?{url.query}"
        #: The application.
        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize a ``json=`` body with the application's JSON provider."""
        return self.app.json.dumps(obj, **kwargs)


class FlaskClient(Client):
    """The test client of an application.

    Requests run through the whole application (contexts, hooks, session
    cookie). ``with client:`` keeps the context of the last request pushed
    until the block ends, so ``request`` and ``session`` can be inspected
    after a request. :meth:`session_transaction` edits the session cookie
    directly.
    """

    application: Flask

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        #: Whether the next requests keep their contexts (inside ``with``).
        self.preserve_context = False
        self._new_contexts: list[t.ContextManager[t.Any]] = []
        self._context_stack = ExitStack()
        #: Environ keys every request starts with.
        self.environ_base = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": f"wsgikit/{wsgikit.__version__}",
        }

    @contextmanager
    def session_transaction(self, *args: t.Any, **kwargs: t.Any) -> t.Iterator[SessionMixin]:
        """Open the session the client's cookies carry, let the ``with``
        block change it, and store the result back in the cookies.

        The arguments are those of :meth:`Flask.test_request_context`
        (they pick the host and path the cookie belongs to).

        :raises TypeError: the client does not keep cookies.
        :raises RuntimeError: the session interface opened no session.
        """
        if self._cookies is None:
            raise TypeError("Cookies are disabled. Create a client with 'use_cookies=True'.")
        app = self.application
        ctx = app.test_request_context(*args, **kwargs)
        self._add_cookies_to_wsgi(ctx.request.environ)
        with ctx:
            sess = app.session_interface.open_session(app, ctx.request)
        if sess is None:
            raise RuntimeError("Session backend did not open a session.")
        yield sess
        resp = app.response_class()
        if app.session_interface.is_null_session(sess):
            return
        with ctx:
            app.session_interface.save_session(app, sess, resp)
        self._update_cookies_from_response(
            ctx.request.host.partition(":")[0], ctx.request.path, resp.headers.getlist("Set-Cookie")
        )

    def _copy_environ(self, other: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
        out = {**self.environ_base, **other}
        if self.preserve_context:
            out["werkzeug.debug.preserve_context"] = self._new_contexts.append
        return out

    def _request_from_builder_args(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> BaseRequest:
        kwargs["environ_base"] = self._copy_environ(kwargs.get("environ_base") or {})
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def open(
        self, *args: t.Any, buffered: bool = False, follow_redirects: bool = False, **kwargs: t.Any
    ) -> TestResponse:
        """Make a request (see :class:`EnvironBuilder` for the arguments, or
        pass a builder, an environ or a request) and return the response."""
        if args and isinstance(args[0], (wsgikit.test.EnvironBuilder, dict, BaseRequest)):
            if isinstance(args[0], wsgikit.test.EnvironBuilder):
                builder = copy(args[0])
                builder.environ_base = self._copy_environ(builder.environ_base or {})
                request = builder.get_request()
            elif isinstance(args[0], dict):
                request = EnvironBuilder.from_environ(
                    args[0], app=self.application, environ_base=self._copy_environ({})
                ).get_request()
            else:
                request = copy(args[0])
                request.environ = self._copy_environ(request.environ)
        else:
            request = self._request_from_builder_args(args, kwargs)
        # Contexts kept from an earlier request (or a redirect) end here.
        self._context_stack.close()
        response = super().open(request, buffered=buffered, follow_redirects=follow_redirects)
        response.json_module = self.application.json  # type: ignore[assignment]  # a JSON provider has the module's loads/dumps
        # Push again the contexts the last request handed over.
        while self._new_contexts:
            cm = self._new_contexts.pop(0)
            self._context_stack.enter_context(cm)
        return response

    def __enter__(self) -> FlaskClient:
        if self.preserve_context:
            raise RuntimeError("Cannot nest client invocations")
        self.preserve_context = True
        return self

    def __exit__(self, exc_type: type | None, exc_value: BaseException | None, tb: t.Any) -> None:
        self.preserve_context = False
        self._context_stack.close()
