"""Build a WSGI environ from keyword arguments, for
:meth:`wsgikit.wrappers.Request.from_values`.

A small private subset of what ``werkzeug.test.EnvironBuilder`` does: the
same arguments, the same environ keys, enough to make a request object in
a test or a script without a server. Bodies are encoded here too: a str or
bytes body as is, ``json=`` as JSON, a dict as a urlencoded form or, when it
contains files, as ``multipart/form-data``.
"""

from __future__ import annotations

import base64
import io
import json as _json
import mimetypes
import os
import secrets
import sys
import typing as t
from urllib.parse import unquote_to_bytes
from urllib.parse import urlencode
from urllib.parse import urlsplit

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

#: The default ports, to fill ``SERVER_PORT`` when the base URL has none.
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def _native(text: str) -> str:
    """Text to a PEP 3333 native string (its UTF-8 bytes as latin-1)."""
    return text.encode("utf-8").decode("latin1")


def _iter_items(data: t.Any) -> t.Iterator[tuple[str, t.Any]]:
    """(key, value) pairs of a mapping or multi dict, lists expanded."""
    if hasattr(data, "items"):
        try:
            items = data.items(multi=True)
        except TypeError:
            items = data.items()
    else:
        items = data
    for key, value in items:
        if isinstance(value, (list, tuple)) and not _is_file_spec(value):
            for item in value:
                yield key, item
        else:
            yield key, value


def _is_file_spec(value: t.Any) -> bool:
    """A file value: a file object, FileStorage, or a ``(file, name[, type])`` tuple."""
    if isinstance(value, tuple):
        return bool(value) and hasattr(value[0], "read")
    return hasattr(value, "read") or hasattr(value, "stream")


def _file_parts(value: t.Any) -> tuple[bytes, str, str]:
    """(content, filename, content type) of a file value."""
    if isinstance(value, tuple):
        stream = value[0]
        filename = value[1] if len(value) > 1 else getattr(stream, "name", "")
        content_type = value[2] if len(value) > 2 else None
    elif hasattr(value, "stream") and not hasattr(value, "read"):
        stream, filename, content_type = value.stream, value.filename, value.content_type
    else:
        stream, filename = value, getattr(value, "name", "")
        content_type = getattr(value, "content_type", None)
    filename = os.path.basename(str(filename or ""))
    if not content_type:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    content = stream.read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    return content, filename, content_type


def _quote_field(text: str) -> str:
    """Quote a name for a ``Content-Disposition`` parameter (HTML form rules)."""
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode_multipart(fields: list[tuple[str, t.Any]], boundary: str | None = None) -> tuple[str, bytes]:
    """Encode form fields and files as ``multipart/form-data``; returns the
    boundary and the body.
    """
    if boundary is None:
        boundary = f"---------------WsgikitFormPart_{secrets.token_hex(16)}"
    out = io.BytesIO()
    for key, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'Content-Disposition: form-data; name="{_quote_field(key)}"'
        if _is_file_spec(value):
            content, filename, content_type = _file_parts(value)
            out.write(f'{disposition}; filename="{_quote_field(filename)}"\r\n'.encode())
            out.write(f"Content-Type: {content_type}\r\n\r\n".encode())
        else:
            out.write(f"{disposition}\r\n\r\n".encode())
            content = value if isinstance(value, bytes) else str(value).encode("utf-8")
        out.write(content)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return boundary, out.getvalue()


def _encode_form(data: t.Any, content_type: str | None) -> tuple[bytes, str]:
    """Encode a form mapping; returns the body and its content type."""
    fields = list(_iter_items(data))
    wants_multipart = content_type is not None and content_type.startswith("multipart/form-data")
    if wants_multipart or any(_is_file_spec(value) for _, value in fields):
        boundary, body = encode_multipart(fields)
        return body, f'multipart/form-data; boundary="{boundary}"'
    encoded = urlencode([(key, value) for key, value in fields])
    return encoded.encode("ascii"), content_type or "application/x-www-form-urlencoded"


def _stream_length(stream: t.Any) -> int | None:
    """Bytes left in a seekable stream, else ``None``."""
    try:
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return int(end) - int(position)


def _authorization(auth: t.Any) -> str:
    if isinstance(auth, tuple):
        username, password = auth
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        return f"Basic {token}"
    return str(auth.to_header())


def build_environ(
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
    headers: t.Any = None,
    data: t.Any = None,
    environ_base: t.Mapping[str, t.Any] | None = None,
    environ_overrides: t.Mapping[str, t.Any] | None = None,
    mimetype: str | None = None,
    json: t.Any = None,
    auth: t.Any = None,
) -> WSGIEnvironment:
    """Build a WSGI environ; the arguments are those of Werkzeug's
    ``EnvironBuilder``.

    :raises ValueError: the query string is given twice, or a body is
        given more than one way.
    :raises TypeError: too many positional arguments.
    """
    request_uri = urlsplit(path)
    if query_string is None:
        query_string = request_uri.query
    elif "?" in path:
        raise ValueError("Query string is defined in the path and as an argument")
    if not isinstance(query_string, str):
        query_string = urlencode(list(_iter_items(query_string)))

    base = urlsplit(base_url or "http://localhost/")
    scheme = base.scheme or "http"
    host_header = base.netloc or "localhost"
    server_name = base.hostname or "localhost"
    server_port = str(base.port) if base.port is not None else _DEFAULT_PORTS.get(scheme, "80")

    body_given = [name for name, value in (("data", data), ("json", json), ("input_stream", input_stream)) if value is not None]
    if len(body_given) > 1:
        raise ValueError(f"can't provide both {body_given[0]!r} and {body_given[1]!r}")
    if mimetype is not None and content_type is None:
        from ..utils import get_content_type

        content_type = get_content_type(mimetype, "utf-8")
    if json is not None:
        data = _json.dumps(json)
        if content_type is None:
            content_type = "application/json"
    if data is not None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if isinstance(data, bytes):
            input_stream = io.BytesIO(data)
            body_length: int | None = len(data)
        elif hasattr(data, "read"):
            input_stream = data
            body_length = _stream_length(data)
        else:
            encoded, content_type = _encode_form(data, content_type)
            input_stream = io.BytesIO(encoded)
            body_length = len(encoded)
        if content_length is None:
            content_length = body_length
    elif input_stream is not None and content_length is None:
        content_length = _stream_length(input_stream)

    environ: dict[str, t.Any] = dict(environ_base or {})
    environ.update(
        {
            "REQUEST_METHOD": method.upper(),
            "SCRIPT_NAME": _native(unquote_to_bytes(base.path.rstrip("/")).decode("utf-8", "replace")),
            "PATH_INFO": unquote_to_bytes(request_uri.path.encode("utf-8")).decode("latin1"),
            "QUERY_STRING": _native(query_string),
            "REQUEST_URI": _native(path),
            "RAW_URI": _native(path),
            "SERVER_NAME": server_name,
            "SERVER_PORT": server_port,
            "HTTP_HOST": host_header,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scheme,
            "wsgi.input": input_stream if input_stream is not None else io.BytesIO(),
            "wsgi.errors": errors_stream if errors_stream is not None else sys.stderr,
            "wsgi.multithread": multithread,
            "wsgi.multiprocess": multiprocess,
            "wsgi.run_once": run_once,
        }
    )
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if content_length is not None:
        environ["CONTENT_LENGTH"] = str(content_length)
    if auth is not None:
        environ["HTTP_AUTHORIZATION"] = _authorization(auth)
    for key, value in _iter_items(headers or ()):
        name = key.upper().replace("-", "_")
        if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[name] = value
        else:
            environ[f"HTTP_{name}"] = value
    environ.update(environ_overrides or {})
    return environ
