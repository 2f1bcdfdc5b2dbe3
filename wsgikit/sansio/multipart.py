"""An IO-free ``multipart/form-data`` decoder and encoder.

Theory of operation
-------------------
:class:`MultipartDecoder` is a push parser: the IO layer hands it bytes with
:meth:`~MultipartDecoder.receive_data` (``None`` marks the end of input) and
pulls events with :meth:`~MultipartDecoder.next_event` until it gets
:data:`NEED_DATA`. All bytes live in one ``bytearray``; consumed bytes are
deleted from its front (an O(1) operation for ``bytearray``).

The decoder walks ``PREAMBLE -> (PART -> DATA_START -> DATA)* -> EPILOGUE
-> COMPLETE``. In the data states it looks for the delimiter ``--boundary``
with ``bytes.find`` starting from a remembered offset, so no byte is scanned
twice. A hit counts only at the start of a line (after ``\\r\\n``, a bare
``\\n`` or a bare ``\\r``, the line breaks Werkzeug accepts), and only when
the rest of the line is ``--`` (the closing delimiter) or optional spaces and
a line break. A part's header block ends at the first blank line
(``\\r\\n\\r\\n``, ``\\n\\n``, ``\\r\\r``, or ``\\r\\r\\n`` / ``\\r\\n\\n``). When nothing
matches, every byte is released as :class:`Data` at once except a trailing
line break plus delimiter head (``"\\r\\n--bou"``) that the next read may
complete. While a
file streams, a received ``bytes`` chunk without a delimiter is passed on as
the very same object (no copy). The outcome never depends on chunking.

Every buffer the decoder must hold is capped (part headers, preamble,
epilogue, non-file field values, number of parts): exceeding a cap raises
:class:`~wsgikit.exceptions.RequestEntityTooLarge` naming the limit.
Malformed input raises :class:`ValueError` with a description.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass
from enum import Enum
from enum import auto

from ..datastructures import Headers
from ..exceptions import RequestEntityTooLarge
from ..http import parse_options_header


class Event:
    """Base class of everything :meth:`MultipartDecoder.next_event` returns."""

    __slots__ = ()


@dataclass(frozen=True)
class Preamble(Event):
    """The bytes before the first delimiter (usually empty)."""

    data: bytes


@dataclass(frozen=True)
class Field(Event):
    """Start of a non-file part; its value follows as :class:`Data` events."""

    name: str
    headers: Headers


@dataclass(frozen=True)
class File(Event):
    """Start of a file part (its ``Content-Disposition`` has a ``filename``)."""

    name: str
    filename: str
    headers: Headers


@dataclass(frozen=True)
class Data(Event):
    """A piece of the current part's body; ``more_data`` is false on the last."""

    data: bytes
    more_data: bool


@dataclass(frozen=True)
class Epilogue(Event):
    """The bytes after the closing delimiter line (usually empty)."""

    data: bytes


class NeedData(Event):
    """The decoder cannot produce another event before it receives more data."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NEED_DATA"


#: The single :class:`NeedData` instance, compare with ``is``.
NEED_DATA = NeedData()


class State(Enum):
    """Where a :class:`MultipartDecoder` or :class:`MultipartEncoder` is."""

    PREAMBLE = auto()
    PART = auto()
    DATA = auto()
    DATA_START = auto()
    EPILOGUE = auto()
    COMPLETE = auto()


#: RFC 2046 limits a boundary to 70 characters.
MAX_BOUNDARY_LENGTH = 70

#: Spaces and tabs tolerated between a delimiter and its line break.
MAX_TRANSPORT_PADDING = 256

_CR = 13
_LF = 10
_SPACE = 32
_TAB = 9

# The blank line ending a part's header block, longest spelling first at
# each position. A bare "\r" then "\n" is not one ("\n\r\n" is refused,
# as by Werkzeug).
_blank_line_re = re.compile(rb"\r\n\r\n|\r\r\n|\r\n\n|\r\r|\n\n")
_line_break_re = re.compile(r"\r\n|\r|\n")


def _validate_boundary(boundary: bytes) -> None:
    if not isinstance(boundary, bytes):
        raise TypeError(f"The boundary must be bytes, not {type(boundary).__name__}.")
    if not boundary:
        raise ValueError("The multipart boundary is empty.")
    if len(boundary) > MAX_BOUNDARY_LENGTH:
        raise ValueError(
            f"The multipart boundary is {len(boundary)} characters long;"
            f" RFC 2046 allows at most {MAX_BOUNDARY_LENGTH}."
        )
    # Printable ASCII only: anything else (CR, LF, NUL, 8-bit) cannot come
    # from a well-formed Content-Type header and would make delimiter
    # matching ambiguous.
    if not (boundary.isascii() and boundary.decode("ascii").isprintable()):
        raise ValueError("The multipart boundary contains characters that are not printable ASCII.")


class MultipartDecoder:
    """Decode a ``multipart/form-data`` body pushed in chunks of any size.

    :param boundary: The boundary from the ``Content-Type`` header, without
        the leading dashes.
    :param max_form_memory_size: The largest value, in bytes, a non-file
        field may have. ``None`` means no limit.
    :param max_parts: The largest number of parts the body may have.
        ``None`` means no limit.

    Exceeding a limit raises :class:`~wsgikit.exceptions.RequestEntityTooLarge`;
    a malformed body raises :class:`ValueError`.
    """

    #: The largest header block of one part, in bytes.
    max_part_header_size = 8 * 1024
    #: The largest preamble (bytes before the first delimiter).
    max_preamble_size = 64 * 1024
    #: The largest epilogue (bytes after the closing delimiter).
    max_epilogue_size = 64 * 1024

    def __init__(
        self,
        boundary: bytes,
        max_form_memory_size: int | None = None,
        *,
        max_parts: int | None = None,
    ) -> None:
        _validate_boundary(boundary)

        #: The boundary, without the leading dashes.
        self.boundary = boundary
        #: Unconsumed input (see also ``_direct``).
        self.buffer = bytearray()
        #: Whether the end of input was signalled with ``receive_data(None)``.
        self.complete = False
        #: Limit on a non-file field's value, in bytes.
        self.max_form_memory_size = max_form_memory_size
        #: Limit on the number of parts.
        self.max_parts = max_parts
        #: The current :class:`State`.
        self.state = State.PREAMBLE
        self._delimiter = b"--" + boundary
        self._crlf_delimiter = b"\r\n" + self._delimiter
        self._lf_delimiter = b"\n" + self._delimiter
        self._cr_delimiter = b"\r" + self._delimiter
        # A received chunk kept as is while ``buffer`` is empty in a data
        # state, so a file chunk without a delimiter is passed on uncopied.
        self._direct: bytes | None = None
        # Offset in ``buffer`` before which no delimiter can start.
        self._search_position = 0
        self._parts_decoded = 0
        # Bytes of the current part released so far. Only fields are capped,
        # so the uncopied-chunk path does not count file bytes.
        self._part_size = 0
        self._part_is_file = False
        self._headers_class = Headers
        self._parse_options_header = parse_options_header

    def receive_data(self, data: bytes | None) -> None:
        """Add input; ``None`` signals that the body has ended."""
        state = self.state
        if (
            type(data) is bytes
            and self._direct is None
            and not self.buffer
            and (state is State.DATA or state is State.DATA_START)
            and data
            and not self.complete
        ):
            # PERF: the usual call while a file streams, tested first; an
            # immutable chunk can be handed on without a copy.
            self._direct = data
            return
        if data is None:
            self.complete = True
            return
        if not data:
            return
        if self.complete:
            raise ValueError("Cannot receive data after the end of input was signalled.")
        if self._direct is not None:
            self.buffer += self._direct
            self._direct = None
        if (
            not self.buffer
            and type(data) is bytes
            and (self.state is State.DATA or self.state is State.DATA_START)
        ):
            # PERF: an immutable chunk can be handed on without a copy.
            self._direct = data
        else:
            self.buffer += data

    def next_event(self) -> Event:
        """Return the next event, or :data:`NEED_DATA` to ask for more input."""
        state = self.state
        if state is State.DATA or state is State.DATA_START:
            if self._direct is not None:
                event = self._next_data_direct()
                if event is not None:
                    return event
            elif not self.buffer and not self.complete:
                return NEED_DATA  # PERF: the usual state after a released chunk
            return self._next_data()
        if state is State.PART:
            return self._next_part()
        if state is State.PREAMBLE:
            return self._next_preamble()
        if state is State.EPILOGUE:
            return self._next_epilogue()
        raise ValueError("The multipart body is complete; there are no more events.")

    # -- delimiter search ------------------------------------------------

    def _find_delimiter(self, anywhere: bool) -> tuple[int, int, bool]:
        """Find the next delimiter line in the buffer.

        Returns ``(start, end, final)``: the delimiter line (with the line
        break before it) spans ``buffer[start:end]``. ``end`` is ``-1`` when
        the line after a delimiter has not fully arrived, and ``start`` is
        ``-1`` too when no delimiter was found at all.

        :param anywhere: Accept a delimiter that does not start a line (the
            preamble is lenient, like Werkzeug's).
        """
        buffer = self.buffer
        delimiter = self._delimiter
        position = self._search_position
        at_zero_ok = anywhere or self.state is State.DATA_START
        while True:
            index = buffer.find(delimiter, position)
            if index == -1:
                # A delimiter can still start in the last len - 1 bytes.
                self._search_position = max(0, len(buffer) - len(delimiter) + 1)
                return -1, -1, False
            if index == 0:
                start = 0 if at_zero_ok else -1
            elif buffer[index - 1] == _LF:
                start = index - 2 if index >= 2 and buffer[index - 2] == _CR else index - 1
            elif buffer[index - 1] == _CR:
                start = index - 1
            else:
                start = index if anywhere else -1
            if start != -1:
                end, final = self._delimiter_tail(index + len(delimiter))
                if end >= 0:
                    return start, end, final
                if end == -1:  # the rest of the line has not arrived yet
                    self._search_position = index
                    return start, -1, False
            position = index + 1

    def _delimiter_tail(self, position: int) -> tuple[int, bool]:
        """Check what follows ``--boundary`` at ``position``.

        Returns ``(end, final)`` for a delimiter line ending at ``end``,
        ``(-1, False)`` when more input is needed to decide, and
        ``(-2, False)`` when these bytes are not a delimiter after all.
        """
        buffer = self.buffer
        size = len(buffer)
        if position + 2 <= size:
            if buffer[position] == 45 and buffer[position + 1] == 45:  # "--"
                return position + 2, True
        elif position < size and buffer[position] == 45:
            return (-2 if self.complete else -1), False
        end = position
        while end < size and (buffer[end] == _SPACE or buffer[end] == _TAB):
            end += 1
        if end - position > MAX_TRANSPORT_PADDING:
            raise ValueError(
                f"A multipart delimiter line has more than {MAX_TRANSPORT_PADDING}"
                " bytes of trailing whitespace."
            )
        if end == size:
            return (-2 if self.complete else -1), False
        if buffer[end] == _LF:
            return end + 1, False
        if buffer[end] == _CR:
            if end + 1 == size:
                return (-2 if self.complete else -1), False
            return (end + 2 if buffer[end + 1] == _LF else end + 1), False
        return -2, False

    def _hold_back(self, data: bytes | bytearray) -> int:
        """Return how many trailing bytes of ``data`` must wait for more input.

        These are a line break plus the head of a delimiter (``"\\r\\n--bou"``):
        the next chunk decides whether they are data. The caller has made
        sure ``data`` holds no complete delimiter.
        """
        size = len(data)
        position = max(0, size - len(self._crlf_delimiter) + 1)
        while True:
            # PERF: two C-level scans of a short window instead of a byte loop.
            cr = data.find(b"\r", position)
            lf = data.find(b"\n", position)
            if cr == -1 and lf == -1:
                break
            index = lf if cr == -1 or (lf != -1 and lf < cr) else cr
            tail = data[index:]
            if (
                self._crlf_delimiter.startswith(tail)
                or self._lf_delimiter.startswith(tail)
                or self._cr_delimiter.startswith(tail)
            ):
                return size - index
            position = index + 1
        if self.state is State.DATA_START and self._delimiter.startswith(data):
            return size  # nothing released yet: the part may be empty
        return 0

    def _take(self, count: int, skip: int = 0) -> bytes:
        """Remove ``count + skip`` bytes from the buffer, return the first ``count``."""
        buffer = self.buffer
        # PERF: one copy through a memoryview instead of bytearray slice + bytes().
        with memoryview(buffer) as view:
            taken = bytes(view[:count])
        # Deleting from the front of a bytearray is O(1).
        del buffer[: count + skip]
        self._search_position = max(0, self._search_position - count - skip)
        return taken

    # -- states ----------------------------------------------------------

    def _next_preamble(self) -> Event:
        start, end, final = self._find_delimiter(anywhere=True)
        # The preamble is at least this long (a delimiter can still start
        # ``len(delimiter) - 1`` bytes before the end, after a line break).
        least = start if start >= 0 else len(self.buffer) - len(self._delimiter) - 1
        if least > self.max_preamble_size:
            raise RequestEntityTooLarge(
                f"The multipart preamble exceeds the limit of {self.max_preamble_size} bytes."
            )
        if end < 0:
            if self.complete:
                raise ValueError(
                    "Invalid multipart/form-data body: the boundary given in the"
                    " Content-Type header does not occur in the body."
                )
            return NEED_DATA
        data = self._take(start, end - start)
        self.state = State.EPILOGUE if final else State.PART
        return Preamble(data)

    def _next_part(self) -> Event:
        found = self._find_header_end()
        if found is None:
            return NEED_DATA
        size, skip = found
        block = self._take(size, skip)
        return self._part_event(self._parse_headers(block))

    def _find_header_end(self) -> tuple[int, int] | None:
        """Locate the blank line that ends the current part's header block.

        Returns ``(block_size, blank_line_size)``, or ``None`` when the blank
        line has not arrived yet (or might still grow: ``\\r\\r`` at the
        end of the input could become ``\\r\\r\\n``).
        """
        buffer = self.buffer
        size = len(buffer)
        # A part without header lines starts with the blank line itself.
        first = buffer[:2]
        if first[:1] == b"\n":
            return 0, 1
        if first == b"\r\n":
            return 0, 2
        if first[:1] == b"\r":
            if size == 1 and not self.complete:
                return self._header_wait(0)
            return 0, 1
        match = _blank_line_re.search(buffer, self._search_position)
        if match is None:
            # A blank line may still start in the last three bytes.
            return self._header_wait(max(0, size - 3))
        start, end = match.span()
        if start > self.max_part_header_size:
            raise self._headersRequestEntityTooLarge()
        if end == size and end - start == 2 and buffer[start] == _CR and not self.complete:
            return self._header_wait(start)  # "\r\r" or "\r\n" + more to come
        return start, end - start

    def _header_wait(self, position: int) -> tuple[int, int] | None:
        """Remember where the header search resumes; check caps and EOF.
        Always ``None`` (not yet), typed as the answer it stands for."""
        # The block will be at least ``position + 1`` bytes long.
        if position + 1 > self.max_part_header_size:
            raise self._headersRequestEntityTooLarge()
        if self.complete:
            raise ValueError("Invalid multipart/form-data body: it ends inside a part's headers.")
        self._search_position = position
        return None

    def _headersRequestEntityTooLarge(self) -> Exception:
        return RequestEntityTooLarge(
            f"A multipart part's headers exceed the limit of {self.max_part_header_size} bytes."
        )

    def _parse_headers(self, block: bytes) -> list[tuple[str, str]]:
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("A multipart part's headers are not valid UTF-8.") from None
        items: list[tuple[str, str]] = []
        for line in _line_break_re.split(text):
            if not line:
                continue
            if "\x00" in line:
                raise ValueError(f"Invalid multipart part header line: {line[:80]!r}")
            if line[0] == " " or line[0] == "\t":
                if not items:
                    raise ValueError(f"Invalid multipart part header line: {line[:80]!r}")
                key, value = items[-1]
                items[-1] = (key, f"{value} {line.strip()}")
                continue
            key, colon, value = line.partition(":")
            if not colon or not key or " " in key or "\t" in key:
                raise ValueError(f"Invalid multipart part header line: {line[:80]!r}")
            items.append((key, value.strip(" \t")))
        return items

    def _part_event(self, items: list[tuple[str, str]]) -> Event:
        self._parts_decoded += 1
        if self.max_parts is not None and self._parts_decoded > self.max_parts:
            raise RequestEntityTooLarge(
                f"The multipart body has more than max_form_parts={self.max_parts} parts."
            )
        for key, value in items:
            if key.lower() == "content-disposition":
                break
        else:
            raise ValueError("Missing Content-Disposition header")
        options = self._parse_options_header(value)[1]
        name = options.get("name")
        if name is None:
            raise ValueError("A multipart part has no name in its Content-Disposition header.")
        headers = self._headers_class(items)
        self.state = State.DATA_START
        self._part_size = 0
        filename = options.get("filename")
        if filename is None:
            self._part_is_file = False
            return Field(name, headers)
        self._part_is_file = True
        return File(name, filename, headers)

    def _next_data_direct(self) -> Event | None:
        """Release the pending chunk without copying it, when possible.

        Returns ``None`` (after moving the chunk into ``buffer``) when the
        chunk holds a delimiter; :meth:`_next_data` then does the full work.
        """
        data = t.cast(bytes, self._direct)
        index = data.find(self._delimiter)
        if index != -1:
            self.buffer += data
            self._direct = None
            # Nothing before ``index`` can start a delimiter.
            self._search_position = index
            return None
        self._direct = None
        # PERF: most chunks end without a line break near their end, and
        # then nothing is held back; two C-level scans rule that out
        # before paying for the full :meth:`_hold_back`.
        tail = len(data) - len(self._crlf_delimiter) + 1
        if tail <= 0 or data.find(b"\n", tail) != -1 or data.find(b"\r", tail) != -1:
            hold = self._hold_back(data)
            if hold:
                self.buffer += data[len(data) - hold :]
                self._search_position = 0
                data = data[: len(data) - hold]
                if not data:
                    return NEED_DATA
        self.state = State.DATA
        if not self._part_is_file:  # PERF: only field values are capped
            self._count(len(data))
        return Data(data, True)

    def _next_data(self) -> Event:
        start, end, final = self._find_delimiter(anywhere=False)
        if end < 0:
            # No complete delimiter: release everything that cannot be the
            # start of one (the bytes before a pending delimiter line, or
            # all but a possible line break + delimiter head).
            release = start if start >= 0 else len(self.buffer) - self._hold_back(self.buffer)
            if release == 0:
                if self.complete:
                    raise ValueError(
                        "Invalid multipart/form-data body: it ends before the closing"
                        " boundary (truncated)."
                    )
                return NEED_DATA
            data = self._take(release)
            self.state = State.DATA
            self._count(len(data))
            return Data(data, True)
        data = self._take(start, end - start)
        self.state = State.EPILOGUE if final else State.PART
        self._count(len(data))
        return Data(data, False)

    def _count(self, size: int) -> None:
        self._part_size += size
        limit = self.max_form_memory_size
        if limit is not None and not self._part_is_file and self._part_size > limit:
            raise RequestEntityTooLarge(f"A form field's value exceeds max_form_memory_size={limit} bytes.")

    def _next_epilogue(self) -> Event:
        buffer = self.buffer
        if len(buffer) > self.max_epilogue_size:
            raise RequestEntityTooLarge(
                f"The multipart epilogue exceeds the limit of {self.max_epilogue_size} bytes."
            )
        if not self.complete:
            return NEED_DATA
        # Drop the rest of the closing delimiter line: padding and line break.
        position = 0
        size = len(buffer)
        while position < size and (buffer[position] == _SPACE or buffer[position] == _TAB):
            position += 1
        if buffer[position : position + 2] == b"\r\n":
            position += 2
        elif buffer[position : position + 1] in (b"\n", b"\r"):  # type: ignore[comparison-overlap]  # a bytearray equals the bytes it holds
            position += 1
        data = bytes(buffer[position:])
        buffer.clear()
        self.state = State.COMPLETE
        return Epilogue(data)


def _quote(value: str) -> str:
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValueError(f"A multipart name or filename must not contain CR, LF or NUL: {value!r}")
    return value.replace("\\", "\\\\").replace('"', '\\"')


class MultipartEncoder:
    """Serialise :class:`Event` objects into a ``multipart/form-data`` body.

    Send an optional :class:`Preamble`, then for each part a :class:`Field`
    or :class:`File` followed by one or more :class:`Data` events, then an
    :class:`Epilogue`. Each call returns the bytes to write.

    :param boundary: The boundary, without the leading dashes.
    """

    def __init__(self, boundary: bytes) -> None:
        _validate_boundary(boundary)
        #: The boundary, without the leading dashes.
        self.boundary = boundary
        #: The current :class:`State`.
        self.state = State.PREAMBLE

    def send_event(self, event: Event) -> bytes:
        """Return the bytes that represent ``event`` in the current state.

        :raises ValueError: if ``event`` cannot come next.
        """
        state = self.state
        if isinstance(event, Preamble) and state is State.PREAMBLE:
            self.state = State.PART
            return event.data
        if isinstance(event, (Field, File)) and state in (State.PREAMBLE, State.PART, State.DATA):
            self.state = State.DATA_START
            return self._part_head(event)
        if isinstance(event, Data) and state in (State.DATA_START, State.DATA):
            self.state = State.DATA
            return b"\r\n" + event.data if state is State.DATA_START else event.data
        if isinstance(event, Epilogue) and state in (State.PREAMBLE, State.PART, State.DATA):
            self.state = State.COMPLETE
            return b"\r\n--" + self.boundary + b"--\r\n" + event.data
        raise ValueError(f"Cannot generate {event} in state: {state}")

    def _part_head(self, event: Field | File) -> bytes:
        disposition = f'form-data; name="{_quote(event.name)}"'
        if isinstance(event, File):
            disposition += f'; filename="{_quote(event.filename)}"'
        lines = [f"Content-Disposition: {disposition}"]
        for key, value in event.headers.items():
            if key.lower() == "content-disposition":
                continue
            if "\r" in value or "\n" in value or "\r" in key or "\n" in key:
                raise ValueError(f"Header {key!r} must not contain CR or LF.")
            lines.append(f"{key}: {value}")
        head = "\r\n".join(lines)
        return b"\r\n--" + self.boundary + b"\r\n" + head.encode() + b"\r\n"
