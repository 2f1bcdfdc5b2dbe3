"""Profile each request with :mod:`cProfile` and print the statistics
and/or save them to a file per request.

.. code-block:: python

    app = ProfilerMiddleware(app, sort_by=("cumulative",), restrictions=(30,))

The whole response body is produced inside the profiler, so a streamed
response is buffered while profiling.
"""

from __future__ import annotations

import os.path
import sys
import time
import typing as t
from cProfile import Profile
from pstats import Stats

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


def _path_for_filename(path_info: str) -> str:
    """``/users/42`` -> ``users.42``; characters that are unsafe in a file
    name (separators, ``..``-building dots, controls) become ``_``.
    """
    cleaned = "".join(
        char if (char.isalnum() or char in "-_.") and char.isprintable() else ("." if char == "/" else "_")
        for char in path_info.strip("/")
    )
    while ".." in cleaned:
        cleaned = cleaned.replace("..", "._")
    return cleaned.strip(".") or "root"


class ProfilerMiddleware:
    """Run each request under :class:`cProfile.Profile`.

    :param app: the application to profile.
    :param stream: where to print the statistics; ``None`` prints nothing.
    :param sort_by: :meth:`pstats.Stats.sort_stats` keys.
    :param restrictions: :meth:`pstats.Stats.print_stats` restrictions (a
        count, a fraction or a regex string).
    :param profile_dir: save each profile into this directory.
    :param filename_format: a format string with ``method``, ``path``,
        ``elapsed`` (milliseconds) and ``time`` fields, or a callable taking
        the environ and returning the file name; the callable finds
        ``elapsed`` and ``time`` in ``environ["werkzeug.profiler"]`` (the
        key Werkzeug uses, so ported callables keep working).
    """

    def __init__(
        self,
        app: WSGIApplication,
        stream: t.IO[str] | None = sys.stdout,
        sort_by: t.Iterable[str] = ("time", "calls"),
        restrictions: t.Iterable[str | int | float] = (),
        profile_dir: str | None = None,
        filename_format: str = "{method}.{path}.{elapsed:.0f}ms.{time:.0f}.prof",
    ) -> None:
        self._app = app
        self._stream = stream
        self._sort_by = tuple(sort_by)
        self._restrictions = tuple(restrictions)
        self._profile_dir = profile_dir
        self._filename_format = filename_format

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        body: list[bytes] = []

        def catching_start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Callable[[bytes], object]:
            start_response(status, headers, exc_info)
            return body.append

        def run_app() -> None:
            app_iter = self._app(environ, t.cast("StartResponse", catching_start_response))
            try:
                body.extend(app_iter)
            finally:
                close = getattr(app_iter, "close", None)
                if close is not None:
                    close()

        profile = Profile()
        start = time.time()
        profile.runcall(run_app)
        elapsed = time.time() - start
        if self._profile_dir is not None:
            self._dump(profile, environ, elapsed)
        if self._stream is not None:
            self._print(profile, environ)
        return [b"".join(body)]

    def _dump(self, profile: Profile, environ: WSGIEnvironment, elapsed: float) -> None:
        timing = {"elapsed": elapsed * 1000.0, "time": time.time()}
        if callable(self._filename_format):
            environ["werkzeug.profiler"] = timing
            filename = self._filename_format(environ)
        else:
            filename = self._filename_format.format(
                method=environ["REQUEST_METHOD"],
                path=_path_for_filename(environ.get("PATH_INFO", "")),
                **timing,
            )
        profile.dump_stats(os.path.join(t.cast(str, self._profile_dir), filename))

    def _print(self, profile: Profile, environ: WSGIEnvironment) -> None:
        stream = t.cast(t.IO[str], self._stream)
        stats = Stats(profile, stream=stream)
        stats.sort_stats(*self._sort_by)
        print("-" * 80, file=stream)
        print(f"PATH: {environ.get('PATH_INFO', '')!r}", file=stream)
        stats.print_stats(*self._restrictions)
        print(f"{'-' * 80}\n", file=stream)
