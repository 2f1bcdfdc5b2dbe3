"""Uploaded files: :class:`FileStorage` wraps one, :class:`FileMultiDict`
holds several by field name.
"""

from __future__ import annotations

import os
import typing as t
from io import BytesIO
from os import fsdecode
from os import fspath

from .._http_text import parse_options_header
from .headers import Headers
from .structures import MultiDict

if t.TYPE_CHECKING:
    import collections.abc as cabc


def _filename_from_stream(stream: t.Any) -> str | None:
    """The file name of a stream opened from disk, or ``None`` (no name,
    a pseudo name such as ``<stdin>``, or an int file descriptor).
    """
    name = getattr(stream, "name", None)
    if not isinstance(name, (str, bytes, os.PathLike)):
        return None
    name = fsdecode(name)
    if name and name[0] == "<" and name[-1] == ">":
        return None
    return name


class FileStorage:
    """An uploaded file: a stream plus what the form part said about it.

    Attributes not defined here (``read``, ``seek``, ``tell``...) are
    looked up on :attr:`stream`.

    :param stream: the file's data; an empty stream if not given.
    :param filename: the client's file name; taken from ``stream.name``
        when not given.
    :param name: the form field name.
    :param content_type: sets the ``Content-Type`` header.
    :param content_length: sets the ``Content-Length`` header.
    :param headers: the part's headers.
    """

    def __init__(
        self,
        stream: t.IO[bytes] | None = None,
        filename: str | None = None,
        name: str | None = None,
        content_type: str | None = None,
        content_length: int | None = None,
        headers: Headers | None = None,
    ):
        #: The file's data.
        self.stream = stream or BytesIO()
        if filename is None:
            filename = _filename_from_stream(self.stream)
        #: The file name the client sent (untrusted: see ``secure_filename``).
        self.filename = filename
        #: The form field name.
        self.name = name
        if headers is None:
            headers = Headers()
        #: The part's headers.
        self.headers = headers
        if content_type is not None:
            headers["Content-Type"] = content_type
        if content_length is not None:
            headers["Content-Length"] = str(content_length)

    def _parse_content_type(self) -> None:
        if not hasattr(self, "_parsed_content_type"):
            self._parsed_content_type = parse_options_header(self.content_type)

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, or ``None``."""
        return self.headers.get("content-type")

    @property
    def content_length(self) -> int:
        """The ``Content-Length`` header as an int (``0`` if missing or
        invalid).
        """
        value = self.headers.get("content-length")
        if value is not None:
            try:
                return int(value)
            except ValueError:
                pass
        return 0

    @property
    def mimetype(self) -> str:
        """The content type without parameters, lower-cased
        (``text/html``), or ``""``.
        """
        self._parse_content_type()
        return self._parsed_content_type[0].lower()

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The content type's parameters (``{"charset": "utf-8"}``)."""
        self._parse_content_type()
        return self._parsed_content_type[1]

    def save(self, dst: str | os.PathLike[str] | t.IO[bytes], buffer_size: int = 16384) -> None:
        """Copy the stream (from its current position) to a path or an
        open binary file. A path is opened, written and closed here; a
        file object is left open.

        :param dst: a file name, path-like object or writable binary file.
        :param buffer_size: bytes copied per read.
        """
        from shutil import copyfileobj

        if isinstance(dst, (str, os.PathLike)):
            with open(fspath(dst), "wb") as f:
                copyfileobj(self.stream, f, buffer_size)
        else:
            copyfileobj(self.stream, dst, buffer_size)

    def close(self) -> None:
        """Close the stream (errors from closing are ignored)."""
        try:
            self.stream.close()
        except Exception:
            pass

    def __bool__(self) -> bool:
        """False for an empty form field (no file was chosen)."""
        return bool(self.filename)

    def __getattr__(self, name: str) -> t.Any:
        if name == "stream":  # not set yet (half-built or unpickling)
            raise AttributeError(name)
        try:
            return getattr(self.stream, name)
        except AttributeError:
            # Some file-like objects expose the real file as ``_file``.
            if hasattr(self.stream, "_file"):
                return getattr(getattr(self.stream, "_file"), name)
            raise

    def __iter__(self) -> cabc.Iterator[bytes]:
        return iter(self.stream)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.filename!r} ({self.content_type!r})>"


class FileMultiDict(MultiDict[str, FileStorage]):
    """A :class:`MultiDict` of :class:`FileStorage` with :meth:`add_file`,
    handy for building test requests.
    """

    def add_file(
        self,
        name: str,
        file: str | os.PathLike[str] | t.IO[bytes] | FileStorage,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> None:
        """Add a file under field ``name``.

        :param file: a :class:`FileStorage` (added as it is), a path (opened
            for reading; the caller closes it via the storage) or a binary
            file object.
        :param filename: the file name to send; defaults to the path.
        :param content_type: guessed from the file name when not given
            (``application/octet-stream`` if unknown).
        """
        if isinstance(file, FileStorage):
            self.add(name, file)
            return
        if isinstance(file, (str, os.PathLike)):
            if filename is None:
                filename = fspath(file)
            stream: t.IO[bytes] = open(file, "rb")
        else:
            stream = file  # type: ignore[assignment]  # a FileStorage was added and returned above
        if filename and content_type is None:
            # Cold start: mimetypes reads the system's type files on first use.
            import mimetypes

            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.add(name, FileStorage(stream, filename, name, content_type))
