"""The request body as the application reads it: ``wsgi.input``.

Theory of operation: the handler has already read the request head and
chosen the body's framing (``Content-Length``, chunked, or none). A
:class:`_BodyInput` then reads exactly that body from the connection, on
demand: bytes the handler buffered past the head come first, then the
socket (each read under the request timeout), through a
:class:`~wsgikit._http11.ChunkedDecoder` for a chunked body. Bytes past
the body's end go back to the handler's buffer for the next request on
the connection. ``100 Continue`` is sent before the first read when the
client asked for it. After the application returns, :meth:`_BodyInput.drain`
discards what it left unread (up to a cap) so the connection can be reused.
:class:`DechunkedInput` decodes a chunked body from any binary stream.

Layers (the dev server's modules; imports only point down)::

    _serving_input (this module), _serving_tls
    -> _serving_handler (the request handler)
    -> serving (the servers, run_simple; re-exports every public name)

Import the public names from :mod:`wsgikit.serving`.
"""

from __future__ import annotations

import io
import typing as t

from ._http11 import CHUNKED
from ._http11 import NO_BODY
from ._http11 import ChunkedDecoder
from ._http11 import FramingError
from .exceptions import BadRequest

if t.TYPE_CHECKING:
    from ._serving_handler import WSGIRequestHandler


class _BodyInput(io.RawIOBase):
    """``wsgi.input``: exactly the request body, read from the connection.

    Bytes past the body stay in the handler's buffer for the next request.
    A client that disconnects or stalls ends the stream early (the
    request wrappers turn a short body into ``ClientDisconnected``).
    """

    def __init__(self, handler: WSGIRequestHandler, kind: str, length: int, expect_continue: bool) -> None:
        self._handler = handler
        self._remaining = length
        self._decoder = ChunkedDecoder() if kind == CHUNKED else None
        self._ready = b""
        #: Whether the whole body has been received.
        self.complete = kind == NO_BODY
        #: Whether the connection failed while reading (do not reuse it).
        self.broken = False
        #: Whether a ``100 Continue`` is owed before the first read.
        self.continue_pending = expect_continue
        #: Body bytes handed to the application.
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def _receive(self) -> bytes:
        handler = self._handler
        if handler._buf:
            data = handler._buf
            handler._buf = b""
            return data
        if self.continue_pending:
            self.continue_pending = False
            handler._send_continue()
        try:
            conn = handler.connection
            if conn.gettimeout() != handler.request_timeout:
                # PERF: settimeout is a system call even when the value stays.
                conn.settimeout(handler.request_timeout)
            data = conn.recv(65536)
        except (OSError, ValueError):
            data = b""
        if not data:
            self.broken = True
        return data

    def _more(self) -> bytes:
        """Return the next piece of body, ``b""`` at its end."""
        if self.complete or self.broken:
            return b""
        data = self._receive()
        if not data:
            return b""
        decoder = self._decoder
        if decoder is None:
            remaining = self._remaining
            if len(data) >= remaining:
                self._handler._buf = data[remaining:]
                data = data[:remaining]
                self.complete = True
            self._remaining = remaining - len(data)
            return data
        try:
            out = decoder.feed(data)
        except FramingError:
            self.broken = True
            raise BadRequest("Invalid chunked request body.") from None
        if decoder.done:
            self._handler._buf = decoder.leftover
            self.complete = True
        return out

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._ready]
            self._ready = b""
            while True:
                data = self._more()
                if not data and (self.complete or self.broken):
                    break
                parts.append(data)
            out = b"".join(parts)
        else:
            ready = self._ready
            while not ready and not (self.complete or self.broken):
                ready = self._more()
            out = ready[:size]
            self._ready = ready[size:]
        self.consumed += len(out)
        return out

    def readinto(self, buffer: t.Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        parts: list[bytes] = []
        total = 0
        limit = -1 if size is None else size
        while limit < 0 or total < limit:
            ready = self._ready
            while not ready and not (self.complete or self.broken):
                ready = self._more()
            if not ready:
                break
            end = ready.find(b"\n") + 1 or len(ready)
            if limit >= 0:
                end = min(end, limit - total)
            parts.append(ready[:end])
            self._ready = ready[end:]
            total += end
            if parts[-1].endswith(b"\n"):
                break
        self.consumed += total
        return b"".join(parts)

    def drain(self, cap: int) -> bool:
        """Discard the rest of the body; ``False`` when the connection
        cannot be reused (too much left, client gone, 100 never sent)."""
        if self.continue_pending and not self.complete:
            # We never asked for the body: the client may or may not send it.
            return False
        discarded = len(self._ready)
        self._ready = b""
        while not (self.complete or self.broken):
            if self._decoder is None and self._remaining + discarded > cap:
                return False
            try:
                discarded += len(self._more())
            except Exception:
                return False
            if discarded > cap:
                return False
        return self.complete and not self.broken


class DechunkedInput(io.RawIOBase):
    """Decode a chunked body read from a binary file object.

    :param rfile: the stream carrying the chunked body.
    """

    def __init__(self, rfile: t.IO[bytes]) -> None:
        self._rfile = rfile
        self._decoder = ChunkedDecoder()
        self._ready = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buf: t.Any) -> int:
        while not self._ready and not self._decoder.done:
            read = getattr(self._rfile, "read1", self._rfile.read)
            data = read(8192)
            if not data:
                raise OSError("Client disconnected while sending a chunked body.")
            try:
                self._ready = self._decoder.feed(data)
            except FramingError as e:
                raise OSError(e.reason) from None
        out = self._ready[: len(buf)]
        self._ready = self._ready[len(out) :]
        buf[: len(out)] = out
        return len(out)
