"""A raw wsgikit application for production servers (gunicorn, waitress).

It needs nothing but wsgikit: a URL map, ``Request``/``Response`` and the
file helpers. Its routes exercise what a production server must get right:

- ``GET /`` -- a small text response;
- ``GET /stream?chunks=N`` -- a generator body without ``Content-Length``,
  sent as it is produced (chunked by HTTP/1.1 servers);
- ``POST /upload`` -- a multipart upload, answered with the size and
  SHA-256 of each file (bodies over ``MAX_CONTENT_LENGTH`` get ``413``);
- ``GET /download/<mb>`` -- a file of ``mb`` MiB sent with ``send_file``
  (``wsgi.file_wrapper``, ranges, conditional requests);
- ``GET /wrapped/<mb>`` -- the same bytes through ``wrap_file`` on an open
  file object.

Serve it with::

    gunicorn -w 2 -b 127.0.0.1:8000 examples.raw_wsgi:application
    waitress-serve --listen=127.0.0.1:8000 examples.raw_wsgi:application

``checked_application`` is the same app wrapped in ``wsgiref.validate``'s
``validator`` and wsgikit's ``LintMiddleware``: every PEP 3333 problem, on
the server's side or the app's, is printed to stderr with the prefix
``WSGI-CHECK:`` (the production tests assert there is none).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import typing as t
import warnings

if __package__ in (None, ""):  # run as a script from a checkout
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wsgikit.exceptions import HTTPException  # noqa: E402
from wsgikit.routing import Map, Rule  # noqa: E402
from wsgikit.utils import send_file  # noqa: E402
from wsgikit.wrappers import Request, Response  # noqa: E402
from wsgikit.wsgi import wrap_file  # noqa: E402

if t.TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

#: Uploads larger than this are refused with 413.
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
#: Downloads are capped so a request cannot fill the disk.
MAX_DOWNLOAD_MB = 64
#: One MiB of the repeating pattern that every download is made of, so a
#: client can compute the expected digest without the file.
PATTERN_MIB = bytes(range(256)) * 4096

url_map = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/stream", endpoint="stream", methods=["GET"]),
        Rule("/upload", endpoint="upload", methods=["POST"]),
        Rule("/download/<int:mb>", endpoint="download", methods=["GET"]),
        Rule("/wrapped/<int:mb>", endpoint="wrapped", methods=["GET"]),
    ]
)


class UploadRequest(Request):
    """A request that refuses bodies over :data:`MAX_CONTENT_LENGTH`."""

    max_content_length = MAX_CONTENT_LENGTH


def data_dir() -> str:
    """Return the directory holding the generated download files.

    ``RAW_WSGI_DATA_DIR`` names it; otherwise a private temporary directory
    is made on first use and removed when the process exits.
    """
    global _data_dir
    if _data_dir is None:
        _data_dir = os.environ.get("RAW_WSGI_DATA_DIR") or tempfile.mkdtemp(prefix="raw-wsgi-")
        if "RAW_WSGI_DATA_DIR" not in os.environ:
            atexit.register(shutil.rmtree, _data_dir, True)
    return _data_dir


_data_dir: str | None = None


def pattern_file(mb: int) -> str:
    """Return the path of a file of ``mb`` MiB of :data:`PATTERN_MIB`.

    The file is written under a temporary name and renamed into place, so
    several workers creating it at once never serve a partial file.
    """
    path = os.path.join(data_dir(), f"pattern-{mb}.bin")
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(dir=data_dir())
        with os.fdopen(fd, "wb") as f:
            for _ in range(mb):
                f.write(PATTERN_MIB)
        os.replace(tmp, path)
    return path


def check_size(mb: int) -> None:
    if not 1 <= mb <= MAX_DOWNLOAD_MB:
        from wsgikit.exceptions import NotFound

        raise NotFound(f"Downloads are 1 to {MAX_DOWNLOAD_MB} MiB.")


def index(request: Request) -> Response:
    return Response(f"Hello from raw wsgikit, pid {os.getpid()}\n")


def stream(request: Request) -> Response:
    count = request.args.get("chunks", 5, type=int)
    delay = request.args.get("delay", 0.0, type=float)

    def generate() -> t.Iterator[str]:
        for number in range(min(count, 1000)):
            yield f"chunk {number}\n"
            if delay:
                time.sleep(min(delay, 1.0))

    return Response(generate(), mimetype="text/plain")


def upload(request: Request) -> Response:
    files = {}
    for name, storage in request.files.items(multi=True):
        digest = hashlib.sha256()
        size = 0
        for block in iter(lambda: storage.stream.read(65536), b""):
            digest.update(block)
            size += len(block)
        files[name] = {
            "filename": storage.filename,
            "content_type": storage.content_type,
            "size": size,
            "sha256": digest.hexdigest(),
        }
    body = {"form": request.form.to_dict(), "files": files}
    return Response(json.dumps(body), mimetype="application/json")


def download(request: Request, mb: int) -> Response:
    check_size(mb)
    return send_file(
        pattern_file(mb), request.environ, mimetype="application/octet-stream",
        as_attachment=True, download_name=f"pattern-{mb}.bin",
    )


def wrapped(request: Request, mb: int) -> Response:
    check_size(mb)
    path = pattern_file(mb)
    f = open(path, "rb")  # closed by the response iterable's close()
    headers = {"Content-Length": str(os.path.getsize(path))}
    return Response(
        wrap_file(request.environ, f), mimetype="application/octet-stream",
        headers=headers, direct_passthrough=True,
    )


VIEWS: dict[str, t.Callable[..., Response]] = {
    "index": index, "stream": stream, "upload": upload,
    "download": download, "wrapped": wrapped,
}


def application(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
    """Dispatch one request: match the URL, call the view, send the answer."""
    request = UploadRequest(environ)
    try:
        endpoint, values = url_map.bind_to_environ(environ).match()
        response = VIEWS[endpoint](request, **values)
    except HTTPException as e:
        response = e.get_response(environ)  # type: ignore[assignment]
    finally:
        # Uploaded files may be spooled to disk: release them now.
        request.close()
    return response(environ, start_response)


def checker_categories() -> tuple[type[Warning], ...]:
    """The warning classes the two PEP 3333 checkers emit."""
    from wsgiref.validate import WSGIWarning as RefWarning

    from wsgikit.middleware.lint import HTTPWarning, WSGIWarning

    return (RefWarning, WSGIWarning, HTTPWarning)


#: Checker messages that flag correct behaviour. LintMiddleware (like
#: Werkzeug's) still wants an absolute ``Location``, an RFC 2616 rule that
#: RFC 7231 dropped; Flask 3.1 and microflask redirect with relative URLs.
NOT_PROBLEMS = frozenset({"Absolute URLs required for location header."})


def install_warning_reporter() -> None:
    """Show every checker warning on one line with the ``WSGI-CHECK:`` prefix.

    Other warnings (say the server's own ``ResourceWarning`` at shutdown)
    keep Python's default handling: they are not PEP 3333 problems.
    """
    categories = checker_categories()
    previous = warnings.showwarning

    def show(message: t.Any, category: type[Warning], filename: str, lineno: int,
             file: t.Any = None, line: str | None = None) -> None:
        if str(message) in NOT_PROBLEMS:
            return
        if issubclass(category, categories):
            print(f"WSGI-CHECK: {category.__name__}: {message} ({filename}:{lineno})",
                  file=sys.stderr, flush=True)
        else:
            previous(message, category, filename, lineno, file, line)

    for category in categories:
        warnings.simplefilter("always", category)
    warnings.showwarning = show


def make_checked(app: WSGIApplication) -> WSGIApplication:
    """Wrap ``app`` in both PEP 3333 checkers and report what they find.

    ``validator`` raises ``AssertionError`` for errors and warns for the
    rest; ``LintMiddleware`` warns. Their warnings are always shown (see
    :func:`install_warning_reporter`); an ``AssertionError`` is reported the
    same way before it reaches the server (which answers 500).
    """
    from wsgiref.validate import validator

    from wsgikit.middleware.lint import LintMiddleware

    install_warning_reporter()
    checked = validator(LintMiddleware(app))

    def reporting(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        def mark(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
            # Lets a client see that the checkers really are in the chain.
            return start_response(status, [*headers, ("X-WSGI-Checked", "validator, lint")], exc_info)

        try:
            return checked(environ, mark)
        except AssertionError as e:
            print(f"WSGI-CHECK: AssertionError: {e}", file=sys.stderr, flush=True)
            raise

    return reporting


def checked_blog() -> WSGIApplication:
    """The example blog (``examples.blog``) wrapped like :data:`checked_application`.

    A factory for servers that call one: ``gunicorn
    'examples.raw_wsgi:checked_blog()'`` or ``waitress-serve --call
    examples.raw_wsgi:checked_blog``.
    """
    from examples.blog import create_app

    return make_checked(create_app())


def __getattr__(name: str) -> t.Any:
    # The checked variant is built on first access only, so importing
    # ``application`` never changes the process's warning filters.
    if name == "checked_application":
        global checked_application
        checked_application = make_checked(application)
        return checked_application
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from wsgikit.serving import run_simple

    run_simple(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000")),
               application, threaded=True)


if __name__ == "__main__":
    main()
