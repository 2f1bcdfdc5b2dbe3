"""Serving files: the implementation behind :func:`wsgikit.utils.send_file`
and :func:`wsgikit.utils.send_from_directory`.

It lives apart from ``utils`` because it needs the response class, and the
response module itself imports ``utils``; everything that would close that
cycle is imported inside the functions.
"""

from __future__ import annotations

import io
import os
import time
import typing as t
import zlib
from urllib.parse import quote

from .datastructures import Headers
from .exceptions import NotFound
from .exceptions import RequestedRangeNotSatisfiable
from .http import dump_options_header
from .security import safe_join

if t.TYPE_CHECKING:
    from datetime import datetime

    from _typeshed.wsgi import WSGIEnvironment

    from .wrappers.response import Response

#: Characters RFC 5987 allows unescaped in an ``ext-value`` besides the
#: unreserved set that :func:`urllib.parse.quote` always keeps.
_RFC5987_SAFE = "!#$&+^`|~"


def _content_disposition(download_name: str, as_attachment: bool) -> str:
    """Build the Content-Disposition value for ``download_name``.

    A non-ASCII name is sent twice: as an ASCII approximation in
    ``filename`` for old clients and percent-encoded UTF-8 in ``filename*``
    (RFC 5987/6266), which modern clients prefer.
    """
    disposition = "attachment" if as_attachment else "inline"
    try:
        download_name.encode("ascii")
    except UnicodeEncodeError:
        # Cold start: unicodedata is only needed for non-ASCII names.
        import unicodedata

        ascii_name = (
            unicodedata.normalize("NFKD", download_name)
            .encode("ascii", "ignore")
            .decode("ascii")
        )
        encoded = quote(download_name, safe=_RFC5987_SAFE)
        params = {"filename": ascii_name, "filename*": f"UTF-8''{encoded}"}
    else:
        params = {"filename": download_name}
    return dump_options_header(disposition, params)


def _guess_type(download_name: str | None) -> tuple[str, str | None]:
    """Guess ``(mimetype, content_encoding)`` from a file name."""
    if download_name is None:
        raise TypeError(
            "Unable to detect the MIME type because a file name is not"
            " available. Either set 'download_name', pass a path instead of a"
            " file, or set 'mimetype'."
        )
    # Cold start: the application imports this module; few requests send files.
    import mimetypes

    mimetype, encoding = mimetypes.guess_type(download_name)
    return mimetype or "application/octet-stream", encoding


def _apply_caching(
    rv: Response,
    path: str | None,
    mtime: float | None,
    size: int | None,
    last_modified: datetime | int | float | None,
    max_age: None | int | t.Callable[[str | None], int | None],
    etag: bool | str,
) -> None:
    """Set Last-Modified, Cache-Control/Expires and ETag on ``rv``."""
    if last_modified is not None:
        rv.last_modified = last_modified  # type: ignore[assignment]  # the setter's http_date takes timestamps too
    elif mtime is not None:
        rv.last_modified = mtime  # type: ignore[assignment]  # as above

    rv.cache_control.no_cache = True
    if callable(max_age):
        max_age = max_age(path)
    if max_age is not None:
        if max_age > 0:
            rv.cache_control.no_cache = None
            rv.cache_control.public = True
        rv.cache_control.max_age = max_age
        rv.expires = int(time.time() + max_age)  # type: ignore[assignment]  # as above

    if isinstance(etag, str):
        rv.set_etag(etag)
    elif etag and path is not None:
        # Same recipe as Werkzeug, so caches keep validating across a switch:
        # modification time, size and a checksum of the path.
        check = zlib.adler32(os.fsencode(path)) & 0xFFFFFFFF
        rv.set_etag(f"{mtime}-{size}-{check}")


#: Block size for reading a file into the response when the server has no
#: ``wsgi.file_wrapper``. PERF: a 10 MiB file costs about 160 reads and
#: iterator steps at 64 KiB and 40 at 256 KiB (about 20% less time per
#: download); the cost is up to one 256 KiB block in memory per download
#: in flight (Werkzeug reads 8 KiB).
_BLOCK_SIZE = 256 * 1024


def send_file(
    path_or_file: os.PathLike[str] | str | t.IO[bytes],
    environ: WSGIEnvironment,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: None | (int | t.Callable[[str | None], int | None]) = None,
    use_x_sendfile: bool = False,
    response_class: type[Response] | None = None,
    _root_path: os.PathLike[str] | str | None = None,
) -> Response:
    """Send the contents of a file to the client.

    Prefer passing a path: it gives the size, modification time and name,
    which make Content-Length, Last-Modified, the ETag and range requests
    possible. A binary file object (such as :class:`io.BytesIO`) works too;
    it is closed with the response.

    Never pass a path that came from the client: use
    :func:`send_from_directory`, which refuses traversal.

    :param path_or_file: the path of the file, or a binary file object.
    :param environ: the WSGI environ of the request.
    :param mimetype: the mimetype; guessed from ``download_name`` (or the
        path) if not given. A file object without either is an error.
    :param as_attachment: ask the browser to save the file instead of
        showing it.
    :param download_name: the file name the browser sees; defaults to the
        path's name.
    :param conditional: answer conditional and range requests (304/206/416).
    :param etag: compute an ETag (for a path), or use this string as the ETag;
        ``False`` sends none.
    :param last_modified: the Last-Modified time; defaults to the file's.
    :param max_age: seconds the client may cache the file, or a function
        receiving the path and returning that; ``None`` asks the client to
        revalidate every time.
    :param use_x_sendfile: let the front server send the file by setting
        ``X-Sendfile`` and leaving the body empty.
    :param response_class: the response class; :class:`wsgikit.wrappers.Response`.
    :param _root_path: the directory a relative path is taken relative to,
        instead of the working directory.
    """
    # Deliberate upward calls: send_file is reached through utils, below wsgi and the wrappers.
    from .wsgi import wrap_file

    if response_class is None:
        # Upward too (see above): the default response class is a wrapper.
        from .wrappers.response import Response as response_class

    path: str | None = None
    file: t.IO[bytes] | None = None
    size: int | None = None
    mtime: float | None = None
    if isinstance(path_or_file, (os.PathLike, str)):
        if _root_path is not None:
            path = os.path.join(_root_path, path_or_file)
        else:
            path = os.path.abspath(path_or_file)
        stat = os.stat(path)
        size = stat.st_size
        mtime = stat.st_mtime
    else:
        file = path_or_file

    if download_name is None and path is not None:
        download_name = os.path.basename(path)

    headers = Headers()
    if mimetype is None:
        mimetype, encoding = _guess_type(download_name)
        if encoding is not None and not as_attachment:
            headers["Content-Encoding"] = encoding
    if download_name is not None:
        headers["Content-Disposition"] = _content_disposition(download_name, as_attachment)
    elif as_attachment:
        raise TypeError(
            "No name provided for attachment. Either set 'download_name' or pass a path instead of a file."
        )

    data: t.Iterable[bytes] | None
    if use_x_sendfile and path is not None:
        headers["X-Sendfile"] = path
        data = None
    else:
        if file is None:
            file = open(t.cast(str, path), "rb")  # noqa: SIM115  (a str: file is None only when a path was given)
        elif isinstance(file, io.BytesIO):
            # Count from the current position: that is where reading starts.
            size = file.getbuffer().nbytes - file.tell()
        elif isinstance(file, io.TextIOBase):
            raise ValueError("Files must be opened in binary mode or use BytesIO.")
        # PERF: without a server's ``wsgi.file_wrapper`` the file is read
        # block by block through the response iterator; 64 KiB blocks make
        # the per-block cost (a read, a few generator steps, a socket
        # write) small next to the copying itself.
        data = wrap_file(environ, file, _BLOCK_SIZE)

    try:
        rv = response_class(  # type: ignore[misc]  # not None: imported above when not given
            data, mimetype=mimetype, headers=headers, direct_passthrough=True
        )
        if size is not None:
            rv.content_length = size
        _apply_caching(rv, path, mtime, size, last_modified, max_age, etag)
        if conditional:
            rv = rv.make_conditional(environ, accept_ranges=True, complete_length=size)
            if rv.status_code == 304:
                # The front server would send the file despite the 304.
                rv.headers.remove("X-Sendfile")
    except BaseException:
        if file is not None:
            file.close()
        raise
    return rv


def send_from_directory(
    directory: os.PathLike[str] | str,
    path: os.PathLike[str] | str,
    environ: WSGIEnvironment,
    **kwargs: t.Any,
) -> Response:
    """Send a file from inside ``directory``, where ``path`` may come from
    the client.

    ``path`` is joined with :func:`wsgikit.security.safe_join`, so every way
    of escaping the directory (``..`` segments, absolute paths, drive and UNC
    forms, backslashes) is refused; that and a path that is not a regular
    file both raise :exc:`~wsgikit.exceptions.NotFound`.

    :param directory: the directory the file must be in.
    :param path: the path of the file relative to ``directory``.
    :param environ: the WSGI environ of the request.
    :param kwargs: passed on to :func:`send_file`.
    """

    joined = safe_join(os.fspath(directory), os.fspath(path))
    if joined is None:
        raise NotFound()
    root_path = kwargs.pop("_root_path", None)
    if root_path is not None:
        joined = os.path.join(root_path, joined)
    if not os.path.isfile(joined):
        raise NotFound()
    return send_file(joined, environ, **kwargs)
