"""Serve static files from directories, single files or Python packages
in front of an application (handy in development; use a real web server in
production).

.. code-block:: python

    app = SharedDataMiddleware(app, {
        "/static": os.path.join(os.path.dirname(__file__), "static"),
        "/favicon.ico": "static/favicon.ico",
        "/vendor": ("mypackage", "assets"),
    })

Theory of operation: each export is a URL prefix and a *loader*. A loader
takes the rest of the path (``None`` when the request is the prefix
itself) and returns ``(filename, opener)`` or ``(None, None)``; the opener
returns ``(file, mtime, size)`` when the response is made. The untrusted
path goes through :func:`~wsgikit.security.safe_join`, so every traversal
form (``..``, absolute paths, backslashes, NUL, drive letters, encoded
variants once decoded by the server) misses and the request falls through
to the wrapped application. Responses carry ``ETag``, ``Last-Modified``,
``Cache-Control`` and ``Expires``; a matching ``If-None-Match`` or
``If-Modified-Since`` gives ``304 Not Modified``.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib.resources
import mimetypes
import os
import posixpath
import typing as t
from datetime import datetime
from datetime import timezone
from io import BytesIO
from time import time
from zlib import adler32

from ..http import http_date
from ..http import is_resource_modified
from ..security import safe_join
from ..utils import get_content_type
from ..wsgi import get_path_info
from ..wsgi import wrap_file

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

_TOpener = t.Callable[[], t.Tuple[t.IO[bytes], datetime, int]]
_TLoader = t.Callable[[t.Optional[str]], t.Tuple[t.Optional[str], t.Optional[_TOpener]]]


class SharedDataMiddleware:
    """Serve exported files, passing other requests to ``app``.

    :param app: the application for everything that is not a file.
    :param exports: URL prefix to a directory path, a file path, or a
        ``(package, path)`` tuple for files inside an importable package.
        A mapping or a list of pairs; earlier exports win.
    :param disallow: an :func:`fnmatch.fnmatch` pattern of file names never
        served (overrides :meth:`is_allowed`).
    :param cache: send caching headers and answer conditional requests.
    :param cache_timeout: ``max-age`` and ``Expires`` offset, in seconds.
    :param fallback_mimetype: the type of files with an unknown extension.
    """

    def __init__(
        self,
        app: WSGIApplication,
        exports: cabc.Mapping[str, str | tuple[str, str]] | t.Iterable[tuple[str, str | tuple[str, str]]],
        disallow: None = None,
        cache: bool = True,
        cache_timeout: int = 60 * 60 * 12,
        fallback_mimetype: str = "application/octet-stream",
    ) -> None:
        #: The wrapped application.
        self.app = app
        #: ``(prefix, loader)`` pairs, searched in order.
        self.exports: list[tuple[str, _TLoader]] = []
        #: Whether caching headers are sent.
        self.cache = cache
        #: Seconds a client may cache a file.
        self.cache_timeout = cache_timeout
        #: The type of files with an unknown extension.
        self.fallback_mimetype = fallback_mimetype
        items = exports.items() if isinstance(exports, cabc.Mapping) else exports
        for prefix, target in items:
            self.exports.append((prefix, self._loader_for(target)))  # pyright: ignore[reportArgumentType]  # str keys: pyright also imagines a Mapping with tuple keys
        if disallow is not None:
            from fnmatch import fnmatch

            pattern = disallow
            self.is_allowed = lambda filename: not fnmatch(filename, pattern)

    def _loader_for(self, target: str | tuple[str, str]) -> _TLoader:
        if isinstance(target, tuple):
            return self.get_package_loader(*target)
        if isinstance(target, (str, os.PathLike)):
            target = os.fspath(target)
            if os.path.isfile(target):
                return self.get_file_loader(target)
            return self.get_directory_loader(target)
        raise TypeError(f"unknown def {target!r}")

    def is_allowed(self, filename: str) -> bool:
        """Whether ``filename`` (a base name) may be served; override to
        hide files. Everything is allowed by default.
        """
        return True

    def _opener(self, filename: str) -> _TOpener:
        def opener() -> tuple[t.IO[bytes], datetime, int]:
            stream = open(filename, "rb")
            stat = os.fstat(stream.fileno())
            return stream, datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc), int(stat.st_size)

        return opener

    def get_file_loader(self, filename: str) -> _TLoader:
        """A loader that serves one file for its prefix."""
        opener = self._opener(filename)
        basename = os.path.basename(filename)
        return lambda path: (basename, opener)

    def get_package_loader(self, package: str, package_path: str) -> _TLoader:
        """A loader for files under ``package_path`` inside ``package``
        (also inside zipped packages, dated by the load time).
        """
        load_time = datetime.now(timezone.utc)
        root = importlib.resources.files(package)

        def loader(path: str | None) -> tuple[str | None, _TOpener | None]:
            if path is None:
                return None, None
            joined = safe_join(package_path, path)
            if joined is None:
                return None, None
            resource = root.joinpath(*[part for part in joined.split("/") if part not in ("", ".")])
            if isinstance(resource, (str, os.PathLike)):
                filename = os.fspath(resource)
                if not os.path.isfile(filename):
                    return None, None
                return posixpath.basename(joined), self._opener(filename)
            if not resource.is_file():
                return None, None

            def opener() -> tuple[t.IO[bytes], datetime, int]:
                data = resource.read_bytes()
                return BytesIO(data), load_time, len(data)

            return posixpath.basename(joined), opener

        return loader

    def get_directory_loader(self, directory: str) -> _TLoader:
        """A loader for the files under ``directory``."""

        def loader(path: str | None) -> tuple[str | None, _TOpener | None]:
            if path is None:
                filename: str | None = directory
            else:
                filename = safe_join(directory, path)
            if filename is None or not os.path.isfile(filename):
                return None, None
            return os.path.basename(filename), self._opener(filename)

        return loader

    def generate_etag(self, mtime: datetime, file_size: int, real_filename: str) -> str:
        """The ETag of a file: its mtime, size and a checksum of its name."""
        checksum = adler32(os.fsencode(real_filename)) & 0xFFFFFFFF
        return f"wzsdm-{mtime.timestamp()}-{file_size}-{checksum}"

    def _find(self, path: str) -> tuple[str | None, _TOpener | None]:
        for prefix, loader in self.exports:
            if prefix == path:
                found = loader(None)
                if found[1] is not None:
                    return found
            if not prefix.endswith("/"):
                prefix += "/"
            if path.startswith(prefix):
                found = loader(path[len(prefix) :])
                if found[1] is not None:
                    return found
        return None, None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        real_filename, opener = self._find(get_path_info(environ))
        if opener is None or real_filename is None or not self.is_allowed(real_filename):
            return self.app(environ, start_response)
        mimetype = mimetypes.guess_type(real_filename)[0] or self.fallback_mimetype
        stream, mtime, file_size = opener()
        headers = [("Date", http_date())]
        if self.cache:
            etag = self.generate_etag(mtime, file_size, real_filename)
            headers += [("Etag", f'"{etag}"'), ("Cache-Control", f"max-age={self.cache_timeout}, public")]
            if not is_resource_modified(environ, etag, last_modified=mtime):
                stream.close()
                start_response("304 Not Modified", headers)
                return []
            headers.append(("Expires", http_date(time() + self.cache_timeout)))
        else:
            headers.append(("Cache-Control", "public"))
        headers += [
            ("Content-Type", get_content_type(mimetype, "utf-8")),
            ("Content-Length", str(file_size)),
            ("Last-Modified", http_date(mtime)),
        ]
        start_response("200 OK", headers)
        return wrap_file(environ, stream)
