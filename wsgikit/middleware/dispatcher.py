"""Mount several WSGI applications under URL path prefixes.

.. code-block:: python

    app = DispatcherMiddleware(frontend, {"/api": api_app, "/admin": admin_app})

A request for ``/api/users`` goes to ``api_app`` with ``SCRIPT_NAME``
extended by ``/api`` and ``PATH_INFO`` set to ``/users``. The longest
matching prefix wins; a prefix matches only whole path segments (``/api``
does not match ``/apiary``). Anything else goes to the default app.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


class DispatcherMiddleware:
    """Dispatch to applications mounted under path prefixes.

    :param app: the application for paths no mount matches.
    :param mounts: prefix (no trailing slash, e.g. ``"/api"``) to
        application. The dict may be changed later through :attr:`mounts`.
    """

    def __init__(self, app: WSGIApplication, mounts: dict[str, WSGIApplication] | None = None) -> None:
        #: The fallback application.
        self.app = app
        #: Prefix to application.
        self.mounts = mounts or {}

    def _match(self, path: str) -> tuple[str, WSGIApplication | None]:
        """The longest mounted prefix of ``path`` ending at a segment
        boundary, and its application (``None`` when nothing matches).
        """
        mounts = self.mounts
        if path in mounts:
            return path, mounts[path]
        # PERF: try one slice per distinct mount length instead of every
        # "/"-boundary of the path, so a path made of thousands of segments
        # costs O(mounts), not O(segments * path length).
        for length in sorted({len(prefix) for prefix in mounts}, reverse=True):
            if length < len(path) and path[length] == "/":
                prefix = path[:length]
                if prefix in mounts:
                    return prefix, mounts[prefix]
        return "", None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        script, app = self._match(path)
        if app is None:
            # Like a CGI server, a path without a leading slash keeps its
            # first segment as the script name.
            slash = path.find("/")
            script = path if slash == -1 else path[:slash]
            app = self.app
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + script
        environ["PATH_INFO"] = path[len(script) :]
        return app(environ, start_response)
