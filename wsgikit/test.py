"""Test helpers: build WSGI environs, run applications and drive them with a
browser-like client, without a server.

- :class:`EnvironBuilder` turns keyword arguments (path, method, headers,
  query, form data, files, JSON, raw or streamed bodies) into a WSGI environ.
- :func:`run_wsgi_app` calls an application and captures its status,
  headers and body.
- :class:`Client` sends requests, keeps cookies (:mod:`wsgikit._cookiejar`;
  as Werkzeug does, or like a browser with ``cookie_policy="browser"``)
  and can follow redirects, returning :class:`TestResponse` objects.
"""

from __future__ import annotations

import io
import json as _json
import mimetypes
import os
import secrets
import sys
import typing as t
import weakref
from collections import defaultdict
from itertools import chain
from tempfile import TemporaryFile
from urllib.parse import unquote_to_bytes
from urllib.parse import urlencode
from urllib.parse import urljoin
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from ._cookiejar import Cookie as Cookie
from ._cookiejar import CookieJar
from ._internal import _get_environ
from ._internal import _wsgi_decoding_dance
from ._internal import _wsgi_encoding_dance
from .datastructures import Authorization
from .datastructures import CallbackDict
from .datastructures import CombinedMultiDict
from .datastructures import EnvironHeaders
from .datastructures import FileMultiDict
from .datastructures import FileStorage
from .datastructures import Headers
from .datastructures import MultiDict
from .http import dump_cookie
from .http import dump_options_header
from .http import parse_options_header
from .sansio.multipart import Data
from .sansio.multipart import Epilogue
from .sansio.multipart import Field
from .sansio.multipart import File
from .sansio.multipart import MultipartEncoder
from .sansio.multipart import Preamble
from .urls import iri_to_uri
from .utils import cached_property
from .utils import get_content_type
from .wrappers.request import Request
from .wrappers.response import Response
from .wsgi import ClosingIterator
from .wsgi import get_current_url

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

_TAnyMultiDict = t.TypeVar("_TAnyMultiDict", bound="MultiDict[t.Any, t.Any]")

#: Characters left unescaped in encoded query strings and forms (as browsers).
_URLENCODE_SAFE = "!$'()*,/:;?@"

#: Size of the reads used to copy file uploads into a multipart body.
_COPY_CHUNK = 16384


# -- multipart encoding ------------------------------------------------------


def _iter_data(data: t.Mapping[str, t.Any]) -> t.Iterator[tuple[str, t.Any]]:
    """Yield ``(key, value)`` pairs of a mapping or multi dict; list values
    give one pair per item.
    """
    if isinstance(data, MultiDict):
        yield from data.items(multi=True)
        return
    for key, value in data.items():
        if isinstance(value, list):
            for item in value:
                yield key, item
        else:
            yield key, value


def _urlencode(query: t.Mapping[str, t.Any] | t.Iterable[tuple[str, t.Any]]) -> str:
    items = _iter_data(query) if hasattr(query, "items") else iter(query)  # type: ignore[arg-type]  # with items(): the mapping
    return urlencode([(k, v) for k, v in items if v is not None], safe=_URLENCODE_SAFE)


class _SpoolingWriter:
    """Collects the encoded body in memory, moving it to a temporary file
    once it passes ``threshold`` bytes (when ``use_tempfile`` is set).
    """

    __slots__ = ("stream", "length", "threshold", "on_disk")

    def __init__(self, use_tempfile: bool, threshold: int) -> None:
        self.stream: t.IO[bytes] = io.BytesIO()
        self.length = 0
        self.threshold = threshold if use_tempfile else None
        self.on_disk = False

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.threshold is not None and not self.on_disk and self.length + len(data) > self.threshold:
            spooled = t.cast(t.IO[bytes], TemporaryFile("wb+"))
            spooled.write(t.cast(io.BytesIO, self.stream).getvalue())
            self.stream = spooled
            self.on_disk = True
        self.stream.write(data)
        self.length += len(data)


def _file_part(key: str, value: t.Any) -> Field | File:
    """The part head of a file value (a FileStorage or a binary file)."""
    if isinstance(value, FileStorage):
        filename = value.filename
        headers = Headers(value.headers)
    else:
        name = getattr(value, "name", None)
        # Browsers send the base name only, never the client's directories.
        filename = os.path.basename(name) if isinstance(name, str) else None
        headers = Headers()
    content_type = getattr(value, "content_type", None)
    if not content_type:
        content_type = (filename and mimetypes.guess_type(filename)[0]) or "application/octet-stream"
    headers["Content-Type"] = content_type
    if filename is None:
        return Field(name=key, headers=headers)
    return File(name=key, filename=filename, headers=headers)


def stream_encode_multipart(
    data: t.Mapping[str, t.Any],
    use_tempfile: bool = True,
    threshold: int = 1024 * 500,
    boundary: str | None = None,
) -> tuple[t.IO[bytes], int, str]:
    """Encode ``data`` as a ``multipart/form-data`` body.

    Values with a ``read`` method (file objects, :class:`FileStorage`) become
    file parts; lists give several parts for one key; anything else is sent
    as text (``bytes`` as they are).

    :param data: a mapping or :class:`MultiDict` of fields.
    :param use_tempfile: move the body to a temporary file once it grows
        beyond ``threshold`` bytes.
    :param threshold: the in-memory limit for ``use_tempfile``.
    :param boundary: the boundary to use; a random one by default.
    :return: ``(stream, length, boundary)``, the stream positioned at 0.
    """
    if boundary is None:
        boundary = f"---------------WsgikitFormPart_{secrets.token_hex(16)}"
    writer = _SpoolingWriter(use_tempfile, threshold)
    encoder = MultipartEncoder(boundary.encode("ascii"))
    writer.write(encoder.send_event(Preamble(data=b"")))
    for key, value in _iter_data(data):
        reader = getattr(value, "read", None)
        if reader is not None:
            writer.write(encoder.send_event(_file_part(key, value)))
            while True:
                chunk = reader(_COPY_CHUNK)
                if not chunk:
                    break
                writer.write(encoder.send_event(Data(data=chunk, more_data=True)))
            writer.write(encoder.send_event(Data(data=b"", more_data=False)))
        else:
            if isinstance(value, (bytes, bytearray)):
                payload = bytes(value)
            else:
                payload = (value if isinstance(value, str) else str(value)).encode("utf-8")
            writer.write(encoder.send_event(Field(name=key, headers=Headers())))
            writer.write(encoder.send_event(Data(data=payload, more_data=False)))
    writer.write(encoder.send_event(Epilogue(data=b"")))
    stream = writer.stream
    stream.seek(0)
    return stream, writer.length, boundary


def encode_multipart(values: t.Mapping[str, t.Any], boundary: str | None = None) -> tuple[str, bytes]:
    """Like :func:`stream_encode_multipart`, in memory; returns
    ``(boundary, body)``.
    """
    stream, _length, boundary = stream_encode_multipart(values, use_tempfile=False, boundary=boundary)
    return boundary, stream.read()


# -- request bodies ------------------------------------------------------------


class _IterableStream(io.RawIOBase):
    """A read-only, non-seekable stream over an iterable of byte chunks,
    used for streamed (chunked) request bodies.
    """

    def __init__(self, chunks: t.Iterable[bytes | str]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: t.Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _stream_length(stream: t.Any) -> int | None:
    """Bytes left in a seekable stream; ``None`` when it cannot seek."""
    try:
        if hasattr(stream, "seekable") and not stream.seekable():
            return None
        start = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(start)
    except (AttributeError, OSError, ValueError):
        return None
    if end is None:  # some file-likes return None from seek()
        return None
    return int(end) - int(start)


def _is_chunked(headers: Headers) -> bool:
    return "chunked" in (headers.get("Transfer-Encoding") or "").lower()


# -- EnvironBuilder ------------------------------------------------------------


class EnvironBuilder:
    """Build a WSGI environ from keyword arguments, for tests.

    :param path: the request path; a query string after ``?`` becomes
        :attr:`query_string`. Non-ASCII characters are allowed (an IRI).
    :param base_url: scheme, host and application root, for example
        ``"https://example.com:8443/app/"``; defaults to ``http://localhost/``.
    :param query_string: a string, or a mapping/:class:`MultiDict` encoded
        into :attr:`args`. Must not be given when ``path`` has a query.
    :param method: the request method.
    :param input_stream: a stream with the raw body. Without
        ``content_length`` a seekable stream is measured; a non-seekable one
        is sent as a chunked body (``wsgi.input_terminated``).
    :param content_type: the ``Content-Type`` header.
    :param content_length: the ``Content-Length`` header.
    :param errors_stream: ``wsgi.errors``; ``sys.stderr`` by default.
    :param multithread: ``wsgi.multithread``.
    :param multiprocess: ``wsgi.multiprocess``.
    :param run_once: ``wsgi.run_once``.
    :param headers: request headers, a :class:`Headers` or pairs or a mapping.
    :param data: the body: ``bytes`` or ``str`` (UTF-8) as is; a file object
        read as the body; a mapping of form fields, where file objects,
        :class:`FileStorage` and ``(file, filename[, content_type])`` tuples
        are uploads (multipart); or an iterable of byte chunks, streamed.
    :param environ_base: environ keys set before the generated ones.
    :param environ_overrides: environ keys set after the generated ones.
    :param mimetype: the mimetype; sets ``Content-Type`` with a charset for
        text types.
    :param json: a value serialised with :attr:`json_dumps` as the body,
        with ``Content-Type: application/json`` unless one is given.
    :param auth: an :class:`Authorization` or a ``(username, password)``
        tuple for Basic auth.
    """

    #: The ``SERVER_PROTOCOL`` of generated environs.
    server_protocol = "HTTP/1.1"
    #: The ``wsgi.version`` of generated environs.
    wsgi_version = (1, 0)
    #: The class :meth:`get_request` makes by default.
    request_class = Request
    #: Serialises the ``json`` argument.
    json_dumps = staticmethod(_json.dumps)

    def __init__(
        self,
        path: str = "/",
        base_url: str | None = None,
        query_string: t.Mapping[str, str] | str | None = None,
        method: str = "GET",
        input_stream: t.IO[bytes] | None = None,
        content_type: str | None = None,
        content_length: int | None = None,
        errors_stream: t.IO[str] | None = None,
        multithread: bool = False,
        multiprocess: bool = False,
        run_once: bool = False,
        headers: Headers | t.Iterable[tuple[str, str]] | None = None,
        data: None | (t.IO[bytes] | str | bytes | t.Mapping[str, t.Any]) = None,
        environ_base: t.Mapping[str, t.Any] | None = None,
        environ_overrides: t.Mapping[str, t.Any] | None = None,
        mimetype: str | None = None,
        json: t.Mapping[str, t.Any] | None = None,
        auth: Authorization | tuple[str, str] | None = None,
    ) -> None:
        request_uri = urlsplit(path)
        if query_string is not None and "?" in path:
            raise ValueError("Query string is defined in the path and as an argument")
        #: The path (``PATH_INFO``), percent-encoded.
        self.path = iri_to_uri(request_uri.path)
        #: The path as given, for ``REQUEST_URI``/``RAW_URI``.
        self.request_uri = path
        #: The application root (``SCRIPT_NAME``), set from :attr:`base_url`.
        self.script_root: str
        #: The ``Host`` header (may include a port).
        self.host: str
        #: ``http`` or ``https``.
        self.url_scheme: str
        self.base_url = iri_to_uri(base_url) if base_url is not None else None
        self._query_string: str | None = None
        self._args: MultiDict[str, t.Any] | None = None
        if query_string is None:
            if "?" in path:
                self.query_string = request_uri.query
        elif isinstance(query_string, str):
            self.query_string = query_string
        else:
            self.args = MultiDict(query_string)
        #: The request method.
        self.method = method
        #: The request headers; ``Content-Type``/``Content-Length`` live here too.
        self.headers = Headers(headers) if headers is not None else Headers()
        if content_type is not None:
            self.content_type = content_type
        if errors_stream is None:
            errors_stream = sys.stderr
        #: ``wsgi.errors``.
        self.errors_stream = errors_stream
        #: ``wsgi.multithread``.
        self.multithread = multithread
        #: ``wsgi.multiprocess``.
        self.multiprocess = multiprocess
        #: ``wsgi.run_once``.
        self.run_once = run_once
        #: Environ keys applied before the generated ones.
        self.environ_base = environ_base
        #: Environ keys applied after the generated ones.
        self.environ_overrides = environ_overrides
        self._input_stream: t.IO[bytes] | None = input_stream
        self._form: MultiDict[str, t.Any] | None = None
        self._files: FileMultiDict | None = None
        #: Whether :meth:`close` has run.
        self.closed = False
        if content_length is not None:
            self.content_length = content_length
        if auth is not None:
            if isinstance(auth, tuple):
                auth = Authorization("basic", {"username": auth[0], "password": auth[1]})
            self.headers.set("Authorization", auth.to_header())
        self._set_body(data, json, input_stream, mimetype)

    def _set_body(self, data: t.Any, json: t.Any, input_stream: t.Any, mimetype: str | None) -> None:
        if json is not None:
            if data is not None:
                raise TypeError("can't provide both json and data")
            data = self.json_dumps(json)
            if self.content_type is None:
                self.content_type = "application/json"
        if data is not None:
            if input_stream is not None:
                raise TypeError("can't provide input stream and data")
            if isinstance(data, str):
                data = data.encode("utf-8")
            if isinstance(data, (bytes, bytearray)):
                self.input_stream = io.BytesIO(data)
                if self.content_length is None:
                    self.content_length = len(data)
            elif hasattr(data, "read"):
                self.input_stream = data
            elif hasattr(data, "items"):
                self._add_form_data(data)
            else:
                self.input_stream = t.cast(t.IO[bytes], _IterableStream(data))
        if mimetype is not None:
            self.mimetype = mimetype

    def _add_form_data(self, data: t.Mapping[str, t.Any]) -> None:
        for key, value in _iter_data(data):
            if isinstance(value, tuple) or hasattr(value, "read"):
                self._add_file_from_data(key, value)
            else:
                self.form.setlistdefault(key).append(value)

    def _add_file_from_data(
        self,
        key: str,
        value: t.IO[bytes] | tuple[t.IO[bytes], str] | tuple[t.IO[bytes], str, str],
    ) -> None:
        """Add one upload from ``data``: a file, FileStorage or tuple."""
        if isinstance(value, tuple):
            self.files.add_file(key, *value)  # pyright: ignore[reportArgumentType]  # (file, filename[, content_type]) in order
        else:
            self.files.add_file(key, value)

    @classmethod
    def from_environ(cls, environ: WSGIEnvironment, **kwargs: t.Any) -> EnvironBuilder:
        """Make a builder that recreates ``environ``; keyword arguments
        replace the values taken from it.
        """
        headers = Headers(EnvironHeaders(environ))
        values: dict[str, t.Any] = {
            "path": _wsgi_decoding_dance(environ["PATH_INFO"]),
            "base_url": cls._make_base_url(
                environ["wsgi.url_scheme"],
                headers.pop("Host"),
                _wsgi_decoding_dance(environ["SCRIPT_NAME"]),
            ),
            "query_string": _wsgi_decoding_dance(environ["QUERY_STRING"]),
            "method": environ["REQUEST_METHOD"],
            "input_stream": environ["wsgi.input"],
            "content_type": headers.pop("Content-Type", None),
            "content_length": headers.pop("Content-Length", None),
            "errors_stream": environ["wsgi.errors"],
            "multithread": environ["wsgi.multithread"],
            "multiprocess": environ["wsgi.multiprocess"],
            "run_once": environ["wsgi.run_once"],
            "headers": headers,
        }
        values.update(kwargs)
        return cls(**values)

    @staticmethod
    def _make_base_url(scheme: str, host: str, script_root: str) -> str:
        return urlunsplit((scheme, host, script_root, "", "")).rstrip("/") + "/"

    # -- URL parts ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Scheme, host and :attr:`script_root`, ending in a slash. Setting
        it (``None`` for ``http://localhost/``) updates those three.
        """
        return self._make_base_url(self.url_scheme, self.host, self.script_root)

    @base_url.setter
    def base_url(self, value: str | None) -> None:
        if value is None:
            scheme, netloc, script_root = "http", "localhost", ""
        else:
            scheme, netloc, script_root, qs, anchor = urlsplit(value)
            if qs or anchor:
                raise ValueError("base url must not contain a query string or fragment")
        self.script_root = script_root.rstrip("/")
        self.host = netloc
        self.url_scheme = scheme

    @property
    def server_name(self) -> str:
        """The host name, without the port."""
        host = self.host
        if host.startswith("["):  # an IPv6 literal keeps its colons
            return host[: host.find("]") + 1] or host
        return host.partition(":")[0]

    @property
    def server_port(self) -> int:
        """The port from :attr:`host`, else the scheme's default."""
        _, sep, port = self.host.rpartition(":")
        if sep and port.isdigit() and port.isascii():
            return int(port)
        return 443 if self.url_scheme == "https" else 80

    @property
    def query_string(self) -> str:
        """The query string; built from :attr:`args` when those are used."""
        if self._query_string is None:
            if self._args is not None:
                return _urlencode(self._args)
            return ""
        return self._query_string

    @query_string.setter
    def query_string(self, value: str | None) -> None:
        self._query_string = value
        self._args = None

    @property
    def args(self) -> MultiDict[str, t.Any]:
        """The query arguments as a :class:`MultiDict`; not available when a
        query string was given as text.
        """
        if self._query_string is not None:
            raise AttributeError("a query string is defined")
        if self._args is None:
            self._args = MultiDict()
        return self._args

    @args.setter
    def args(self, value: MultiDict[str, t.Any] | None) -> None:
        self._query_string = None
        self._args = value

    # -- body description --------------------------------------------------

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header; without one, implied by the form
        data (multipart when there are files, urlencoded otherwise).
        """
        value = self.headers.get("Content-Type")
        if value is None and self._input_stream is None:
            if self._files:
                return "multipart/form-data"
            if self._form:
                return "application/x-www-form-urlencoded"
        return value

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        if value is None:
            self.headers.pop("Content-Type", None)
        else:
            self.headers["Content-Type"] = value

    @property
    def mimetype(self) -> str | None:
        """The content type without parameters. Setting it adds a UTF-8
        charset for text types.
        """
        content_type = self.content_type
        if not content_type:
            return None
        return content_type.partition(";")[0].strip()

    @mimetype.setter
    def mimetype(self, value: str) -> None:
        self.content_type = get_content_type(value, "utf-8")

    @property
    def mimetype_params(self) -> t.Mapping[str, str]:
        """The content type's parameters; changing the returned dict
        updates the header.
        """

        def on_update(params: t.Mapping[str, str]) -> None:
            self.headers["Content-Type"] = dump_options_header(self.mimetype, params)

        params = parse_options_header(self.headers.get("Content-Type", ""))[1]
        return CallbackDict(params, on_update)

    @property
    def content_length(self) -> int | None:
        """The ``Content-Length`` header as an int."""
        return self.headers.get("Content-Length", type=int)  # type: ignore[return-value, unused-ignore]  # type=int gives an int (until Headers.get is overloaded)

    @content_length.setter
    def content_length(self, value: int | None) -> None:
        if value is None:
            self.headers.pop("Content-Length", None)
        else:
            self.headers["Content-Length"] = str(value)

    def _get_form(self, name: str, storage: type[_TAnyMultiDict]) -> _TAnyMultiDict:
        if self.input_stream is not None:
            raise AttributeError("an input stream is defined")
        value: _TAnyMultiDict | None = getattr(self, name)
        if value is None:
            value = storage()
            setattr(self, name, value)
        return value

    def _set_form(self, name: str, value: MultiDict[str, t.Any]) -> None:
        self._input_stream = None
        setattr(self, name, value)

    @property
    def form(self) -> MultiDict[str, t.Any]:
        """Form fields, encoded as the body by :meth:`get_environ`."""
        return self._get_form("_form", MultiDict)

    @form.setter
    def form(self, value: MultiDict[str, t.Any]) -> None:
        self._set_form("_form", value)

    @property
    def files(self) -> FileMultiDict:
        """Uploads, encoded as ``multipart/form-data`` with :attr:`form`."""
        return self._get_form("_files", FileMultiDict)

    @files.setter
    def files(self, value: FileMultiDict) -> None:
        self._set_form("_files", value)

    @property
    def input_stream(self) -> t.IO[bytes] | None:
        """The raw body stream; setting it discards :attr:`form`/:attr:`files`."""
        return self._input_stream

    @input_stream.setter
    def input_stream(self, value: t.IO[bytes] | None) -> None:
        self._input_stream = value
        self._form = None
        self._files = None

    # -- lifecycle ---------------------------------------------------------

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        """Close the uploaded files; safe to call more than once."""
        if self.closed:
            return
        for storage in (self._files or {}).values():
            try:
                storage.close()
            except Exception:
                pass
        self.closed = True

    # -- output ------------------------------------------------------------

    def _body(self) -> tuple[t.IO[bytes], str | None, int | None, bool]:
        """The body stream, content type, length and whether it is chunked."""
        content_type = self.content_type
        content_length = self.content_length
        stream = self.input_stream
        if stream is not None:
            if _is_chunked(self.headers):
                return stream, content_type, None, True
            if content_length is None:
                content_length = _stream_length(stream)
            return stream, content_type, content_length, content_length is None
        mimetype = self.mimetype
        if mimetype == "multipart/form-data":
            stream, content_length, boundary = stream_encode_multipart(CombinedMultiDict([self.form, self.files]))
            return stream, f'{mimetype}; boundary="{boundary}"', content_length, False
        if mimetype == "application/x-www-form-urlencoded":
            encoded = _urlencode(self.form).encode("ascii")
            return io.BytesIO(encoded), content_type, len(encoded), False
        return io.BytesIO(), content_type, content_length, False

    def get_environ(self) -> WSGIEnvironment:
        """Return a new WSGI environ for the current settings. Form data is
        encoded now; a stream without a known length is marked chunked.
        """
        stream, content_type, content_length, chunked = self._body()
        environ: dict[str, t.Any] = dict(self.environ_base) if self.environ_base else {}
        raw_uri = _wsgi_encoding_dance(self.request_uri)
        environ.update(
            {
                "REQUEST_METHOD": self.method,
                "SCRIPT_NAME": _unquote_native(self.script_root),
                "PATH_INFO": _unquote_native(self.path),
                "QUERY_STRING": _wsgi_encoding_dance(self.query_string),
                "REQUEST_URI": raw_uri,
                "RAW_URI": raw_uri,
                "SERVER_NAME": self.server_name,
                "SERVER_PORT": str(self.server_port),
                "HTTP_HOST": self.host,
                "SERVER_PROTOCOL": self.server_protocol,
                "wsgi.version": self.wsgi_version,
                "wsgi.url_scheme": self.url_scheme,
                "wsgi.input": stream,
                "wsgi.errors": self.errors_stream,
                "wsgi.multithread": self.multithread,
                "wsgi.multiprocess": self.multiprocess,
                "wsgi.run_once": self.run_once,
            }
        )
        if content_type is not None:
            environ["CONTENT_TYPE"] = content_type
        if content_length is not None:
            environ["CONTENT_LENGTH"] = str(content_length)
        headers = self.headers.copy()
        headers.remove("Content-Type")
        headers.remove("Content-Length")
        if chunked:
            # The body is already de-chunked: tell the app to read to EOF.
            environ["wsgi.input_terminated"] = True
            if "Transfer-Encoding" not in headers:
                headers["Transfer-Encoding"] = "chunked"
        joined: dict[str, list[str]] = defaultdict(list)
        for key, value in headers.to_wsgi_list():
            joined[f"HTTP_{key.upper().replace('-', '_')}"].append(value)
        for key, values in joined.items():
            environ[key] = ", ".join(values)
        if self.environ_overrides:
            environ.update(self.environ_overrides)
        return environ

    def get_request(self, cls: type[Request] | None = None) -> Request:
        """Return a request object (``cls``, default :attr:`request_class`)
        for a new environ.
        """
        if cls is None:
            cls = self.request_class
        return cls(self.get_environ())


def _unquote_native(path: str) -> str:
    """Percent-decode a URL path into a PEP 3333 native string: the raw
    bytes as latin-1, exactly what a server puts into ``PATH_INFO``.
    """
    return unquote_to_bytes(path).decode("latin1")


def create_environ(*args: t.Any, **kwargs: t.Any) -> WSGIEnvironment:
    """Build a WSGI environ; takes the arguments of :class:`EnvironBuilder`."""
    builder = EnvironBuilder(*args, **kwargs)
    try:
        return builder.get_environ()
    finally:
        builder.close()


# -- running applications ----------------------------------------------------


def run_wsgi_app(
    app: WSGIApplication, environ: WSGIEnvironment, buffered: bool = False
) -> tuple[t.Iterable[bytes], str, Headers]:
    """Call a WSGI application and return ``(app_iter, status, headers)``.

    The environ is copied first, so changes the application makes (a proxy
    fix, a dispatcher) do not leak into a later request. Data passed to the
    ``write`` callable comes first in the body. Unbuffered, the body is read
    only as far as needed for a lazy application to call
    ``start_response``, and closing the returned iterable closes the
    application's; ``buffered`` reads it all and closes it at once.

    :raises RuntimeError: the application never called ``start_response``.
    """
    environ = dict(_get_environ(environ))
    response: tuple[str, list[tuple[str, str]]] | None = None
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Callable[[bytes], object]:
        nonlocal response
        if exc_info:
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        response = (status, headers)
        return written.append

    app_rv = app(environ, start_response)
    close_func = getattr(app_rv, "close", None)
    app_iter: t.Iterable[bytes]
    if buffered:
        try:
            app_iter = list(app_rv)
        finally:
            if close_func is not None:
                close_func()
        if written:
            app_iter = written + app_iter
    else:
        app_iter = _start_lazily(app_rv, close_func, written, lambda: response is not None)
    if response is None:
        if close_func is not None and not buffered:
            close_func()
        raise RuntimeError("The application did not call start_response().")
    return app_iter, response[0], Headers(response[1])


def _start_lazily(
    app_rv: t.Iterable[bytes],
    close_func: t.Callable[[], t.Any] | None,
    written: list[bytes],
    started: t.Callable[[], bool],
) -> t.Iterable[bytes]:
    """Advance a lazy app's iterable until it has called start_response;
    return an iterable of everything, written data first.
    """
    app_iter = iter(app_rv)
    early: list[bytes] = []
    try:
        while not started():
            item = next(app_iter, None)
            if item is None:
                break
            early.append(item)
    except BaseException:
        if close_func is not None:
            close_func()
        raise
    # Chaining the ``written`` list itself (not a copy) also yields data the
    # app writes while its iterable is being consumed, in order.
    body: t.Iterable[bytes] = chain(written, early, app_iter) if (written or early) else app_iter
    if close_func is not None and body is not app_rv:
        return ClosingIterator(body, close_func)
    return body


# -- the client ----------------------------------------------------------------


class ClientRedirectError(Exception):
    """A redirect loop was detected while following redirects."""


class TestResponse(Response):
    """The response class the :class:`Client` returns: a
    :class:`~wsgikit.wrappers.Response` that knows the request that made it
    and the redirects followed to get there.
    """

    __test__ = False  # not a pytest test class

    #: No default mimetype: the application's headers are kept as sent.
    default_mimetype = None

    #: The request that produced this response.
    request: Request
    #: The redirect responses followed before this one, oldest first.
    history: tuple[TestResponse, ...]

    def __init__(
        self,
        response: t.Iterable[bytes],
        status: str,
        headers: Headers,
        request: Request,
        history: tuple[TestResponse, ...] = (),
        **kwargs: t.Any,
    ) -> None:
        super().__init__(response, status, headers, **kwargs)
        self.request = request
        self.history = history
        self._compat_tuple = response, status, headers

    @cached_property
    def text(self) -> str:
        """The body decoded as UTF-8 (read once and cached)."""
        return self.get_data(as_text=True)


#: Status codes whose ``Location`` the client follows.
_REDIRECT_CODES = frozenset({301, 302, 303, 305, 307, 308})


class Client:
    """Send requests to a WSGI application, like a browser without a network.

    :param application: the WSGI application.
    :param response_wrapper: the response class; a class that does not
        derive from :class:`TestResponse` is mixed with it.
    :param use_cookies: keep cookies between requests.
    :param allow_subdomain_redirects: follow redirects to subdomains of the
        current host (other hosts are never followed).
    :param cookie_policy: ``"werkzeug"`` (the default, :attr:`cookie_policy`)
        keeps every cookie a response sets, whatever its ``Domain``, as
        Werkzeug's client does; ``"browser"`` ignores cookies a response sets
        for a domain other than its own host or a parent domain of it, as a
        browser would. Either way, cookies are sent only to matching hosts
        and paths.

    .. code-block:: python

        client = Client(app)
        response = client.post("/login", data={"user": "a"}, follow_redirects=True)
        assert response.request.path == "/home"
    """

    __test__ = False  # not a pytest test class

    #: The cookie policy when the constructor is not given one; a subclass
    #: may set ``"browser"``.
    cookie_policy: str = "werkzeug"

    def __init__(
        self,
        application: WSGIApplication,
        response_wrapper: type[Response] | None = None,
        use_cookies: bool = True,
        allow_subdomain_redirects: bool = False,
        *,
        cookie_policy: str | None = None,
    ) -> None:
        #: The application under test.
        self.application = application
        if response_wrapper in (None, Response):
            response_wrapper = TestResponse
        elif response_wrapper is not None and not issubclass(response_wrapper, TestResponse):
            response_wrapper = type("WrapperTestResponse", (TestResponse, response_wrapper), {})
        #: The class responses are made with.
        self.response_wrapper = t.cast(t.Type[TestResponse], response_wrapper)
        if cookie_policy is not None:
            self.cookie_policy = cookie_policy
        self._cookies: CookieJar | None = CookieJar(self.cookie_policy) if use_cookies else None
        #: Whether redirects to subdomains are followed.
        self.allow_subdomain_redirects = allow_subdomain_redirects
        # Where each request body started, to replay it on a 307/308.
        self._body_starts: weakref.WeakKeyDictionary[t.Any, int] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.application!r}>"

    # -- cookies -------------------------------------------------------------

    def _jar(self) -> CookieJar:
        if self._cookies is None:
            raise TypeError("Cookies are disabled. Create a client with 'use_cookies=True'.")
        return self._cookies

    def get_cookie(self, key: str, domain: str = "localhost", path: str = "/") -> Cookie | None:
        """Return the stored cookie ``key`` set for ``domain`` and ``path``
        (exactly), or ``None``.

        :raises TypeError: cookies are disabled.
        """
        jar = self._jar()
        jar.expire()
        return jar.get((domain.lower(), path, key))

    def set_cookie(
        self,
        key: str,
        value: str = "",
        *,
        domain: str = "localhost",
        origin_only: bool = True,
        path: str = "/",
        **kwargs: t.Any,
    ) -> None:
        """Store a cookie as if a response from ``domain`` had set it.

        :param origin_only: send it only to ``domain`` itself; when false,
            to its subdomains too.
        :param kwargs: other arguments of :func:`~wsgikit.http.dump_cookie`
            (``max_age``, ``expires``, ``secure``, ...). An expiry in the past
            deletes the cookie.
        :raises TypeError: cookies are disabled.
        """
        jar = self._jar()
        header = dump_cookie(key, value, domain=domain, path=path, **kwargs)
        cookie = Cookie._from_response_header(domain, "/", header)
        cookie.origin_only = origin_only
        jar.store(cookie)

    def delete_cookie(self, key: str, *, domain: str = "localhost", path: str = "/") -> None:
        """Remove the cookie ``key`` for ``domain`` and ``path``.

        :raises TypeError: cookies are disabled.
        """
        self.set_cookie(key, expires=0, max_age=0, domain=domain, path=path)

    def _add_cookies_to_wsgi(self, environ: WSGIEnvironment) -> None:
        """Put the matching cookies into ``environ["HTTP_COOKIE"]``."""
        if self._cookies is None:
            return
        url = urlsplit(get_current_url(environ))
        value = self._cookies.header(url.scheme, url.hostname or "localhost", url.path)
        if value:
            environ["HTTP_COOKIE"] = value
        else:
            environ.pop("HTTP_COOKIE", None)

    def _update_cookies_from_response(self, server_name: str, path: str, headers: list[str]) -> None:
        """Store the ``Set-Cookie`` ``headers`` of a response."""
        if self._cookies is None:
            return
        self._cookies.receive(server_name, path, headers)

    # -- requests ------------------------------------------------------------

    def run_wsgi_app(
        self, environ: WSGIEnvironment, buffered: bool = False
    ) -> tuple[t.Iterable[bytes], str, Headers]:
        """Run the application with ``environ``, sending and storing cookies."""
        self._add_cookies_to_wsgi(environ)
        rv = run_wsgi_app(self.application, environ, buffered=buffered)
        url = urlsplit(get_current_url(environ))
        self._update_cookies_from_response(url.hostname or "localhost", url.path, rv[2].getlist("Set-Cookie"))
        return rv

    def resolve_redirect(self, response: TestResponse, buffered: bool = False) -> TestResponse:
        """Make the request a redirect ``response`` asks for.

        301, 302 and 303 become a ``GET`` without a body (``HEAD`` stays
        ``HEAD``); 307 and 308 repeat the method and body.

        :raises RuntimeError: the redirect leaves the current host (or goes
            to a subdomain without ``allow_subdomain_redirects``).
        """
        request = response.request
        location = urljoin(request.url, response.location or "")
        scheme, netloc, path, query, _fragment = urlsplit(location)
        builder = EnvironBuilder.from_environ(request.environ, path=path, query_string=query)
        self._check_redirect_host(builder, netloc)
        builder.url_scheme = scheme
        builder.host = netloc
        root = builder.script_root
        if path == root or path.startswith(root + "/"):
            builder.path = path[len(root) :] or "/"
        else:
            # Outside the application root: the whole path is PATH_INFO.
            builder.path = path
            builder.script_root = ""
        builder.request_uri = urlunsplit(("", "", builder.path, query, ""))
        if response.status_code in (307, 308):
            self._rewind_body(builder.input_stream)
        else:
            self._drop_body(builder)
        return self.open(builder, buffered=buffered)

    def _check_redirect_host(self, builder: EnvironBuilder, netloc: str) -> None:
        to_parts = netloc.partition(":")[0].lower().split(".")
        from_parts = builder.server_name.lower().split(".")
        if to_parts == from_parts:
            return
        if to_parts[-len(from_parts) :] == from_parts:
            if not self.allow_subdomain_redirects:
                raise RuntimeError("Following subdomain redirects is not enabled.")
            return
        raise RuntimeError("Following external redirects is not supported.")

    def _rewind_body(self, stream: t.IO[bytes] | None) -> None:
        # The app may have read the body already; a repeated request needs it.
        if stream is None:
            return
        try:
            start = self._body_starts.get(stream)
        except TypeError:
            return
        if start is not None:
            stream.seek(start)

    @staticmethod
    def _drop_body(builder: EnvironBuilder) -> None:
        if builder.method != "HEAD":
            builder.method = "GET"
        if builder.input_stream is not None:
            builder.input_stream.close()
            builder.input_stream = None
        builder.content_type = None
        builder.content_length = None
        builder.headers.pop("Transfer-Encoding", None)

    def _make_request(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> Request:
        if not kwargs and len(args) == 1:
            arg = args[0]
            if isinstance(arg, EnvironBuilder):
                return arg.get_request()
            if isinstance(arg, dict):
                return EnvironBuilder.from_environ(arg).get_request()
            if isinstance(arg, Request):
                return arg
        builder = EnvironBuilder(*args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def _remember_body_start(self, request: Request) -> None:
        stream = request.environ.get("wsgi.input")
        if stream is None or not _weakrefable(stream) or stream in self._body_starts:
            return
        try:
            if stream.seekable():
                self._body_starts[stream] = stream.tell()
        except (AttributeError, OSError, ValueError):
            pass

    def open(
        self,
        *args: t.Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: t.Any,
    ) -> TestResponse:
        """Make a request and return the response.

        Takes the arguments of :class:`EnvironBuilder`, or a single
        :class:`EnvironBuilder`, environ dict or :class:`Request`.

        :param buffered: read the whole body (and close the application's
            iterable) before returning.
        :param follow_redirects: follow redirects until a non-redirect
            response; the ones followed are in its ``history``.
        :raises ClientRedirectError: a redirect repeats one already made.
        """
        request = self._make_request(args, kwargs)
        self._remember_body_start(request)
        response = self.response_wrapper(*self.run_wsgi_app(request.environ, buffered=buffered), request=request)
        if not follow_redirects:
            return response
        seen: set[tuple[str | None, int]] = set()
        history: list[TestResponse] = []
        while response.status_code in _REDIRECT_CODES:
            if not buffered:
                # Drain it so cleanup code in middleware/generators runs.
                response.make_sequence()
                response.close()
            entry = (response.location, response.status_code)
            if entry in seen:
                raise ClientRedirectError(
                    f"Loop detected: A {response.status_code} redirect"
                    f" to {response.location} was already made."
                )
            seen.add(entry)
            response.history = tuple(history)
            history.append(response)
            response = self.resolve_redirect(response, buffered=buffered)
        response.history = tuple(history)
        # Close the request body with the response: it may be endless.
        stream = response.request.input_stream
        if stream is not None:
            response.call_on_close(stream.close)
        return response

    def get(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="GET"``."""
        kw["method"] = "GET"
        return self.open(*args, **kw)

    def post(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="POST"``."""
        kw["method"] = "POST"
        return self.open(*args, **kw)

    def put(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="PUT"``."""
        kw["method"] = "PUT"
        return self.open(*args, **kw)

    def delete(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="DELETE"``."""
        kw["method"] = "DELETE"
        return self.open(*args, **kw)

    def patch(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="PATCH"``."""
        kw["method"] = "PATCH"
        return self.open(*args, **kw)

    def options(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="OPTIONS"``."""
        kw["method"] = "OPTIONS"
        return self.open(*args, **kw)

    def head(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="HEAD"``."""
        kw["method"] = "HEAD"
        return self.open(*args, **kw)

    def trace(self, *args: t.Any, **kw: t.Any) -> TestResponse:
        """Call :meth:`open` with ``method="TRACE"``."""
        kw["method"] = "TRACE"
        return self.open(*args, **kw)


def _weakrefable(obj: object) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True
