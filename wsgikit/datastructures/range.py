"""``Range``, ``Content-Range`` and ``If-Range`` header values."""

from __future__ import annotations

import typing as t
from datetime import datetime

from .._http_text import http_date
from .._http_text import is_byte_range_valid
from .._http_text import quote_etag

if t.TYPE_CHECKING:
    import collections.abc as cabc


class IfRange:
    """An ``If-Range`` value: an ETag or a date (or neither).

    :param etag: the unquoted ETag.
    :param date: the date, when the header carried one.
    """

    def __init__(self, etag: str | None = None, date: datetime | None = None):
        #: The ETag, or ``None``.
        self.etag = etag
        #: The date, or ``None``.
        self.date = date

    def to_header(self) -> str:
        """Format as a header value (empty when neither is set)."""
        if self.date is not None:
            return http_date(self.date)
        if self.etag is not None:
            return quote_etag(self.etag)
        return ""

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r}>"


class Range:
    """A ``Range`` request header: a unit and ``(start, stop)`` pairs.

    ``stop`` is exclusive (``bytes=0-499`` is ``(0, 500)``) and ``None``
    for an open end; a negative ``start`` with no stop is a suffix range
    (``bytes=-500`` is ``(-500, None)``).

    :raises ValueError: for a pair that is not a valid range.
    """

    def __init__(self, units: str, ranges: cabc.Sequence[tuple[int, int | None]]) -> None:
        #: The unit, usually ``"bytes"``.
        self.units = units
        #: The ``(start, stop)`` pairs.
        self.ranges = ranges
        for start, end in ranges:
            if start is None or (end is not None and (start < 0 or start >= end)):
                raise ValueError(f"{(start, end)} is not a valid range.")

    def range_for_length(self, length: int | None) -> tuple[int, int] | None:
        """Resolve a single byte range against a resource of ``length``
        bytes into ``(start, stop)``, clamping ``stop``; ``None`` when the
        range cannot be served (unknown length, other unit, several ranges,
        or out of bounds).
        """
        if self.units != "bytes" or length is None or len(self.ranges) != 1:
            return None
        start, end = self.ranges[0]
        if end is None:
            end = length
            if start < 0:
                start += length
        if is_byte_range_valid(start, end, length):
            return start, min(end, length)
        return None

    def make_content_range(self, length: int | None) -> ContentRange | None:
        """The :class:`ContentRange` answering this range for ``length``."""
        rng = self.range_for_length(length)
        if rng is not None:
            return ContentRange(self.units, rng[0], rng[1], length)
        return None

    def to_header(self) -> str:
        """Format as a ``Range`` header value."""
        ranges = []
        for begin, end in self.ranges:
            if end is None:
                ranges.append(f"{begin}-" if begin >= 0 else str(begin))
            else:
                ranges.append(f"{begin}-{end - 1}")
        return f"{self.units}={','.join(ranges)}"

    def to_content_range_header(self, length: int | None) -> str | None:
        """The ``Content-Range`` value answering this range, or ``None``."""
        range = self.range_for_length(length)
        if range is not None:
            return f"{self.units} {range[0]}-{range[1] - 1}/{length}"
        return None

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r}>"


class _CallbackProperty:
    """A data descriptor storing ``_<name>`` and calling the owner's
    ``on_update`` after each assignment.
    """

    def __set_name__(self, owner: type[ContentRange], name: str) -> None:
        self.attr = f"_{name}"

    @t.overload
    def __get__(self, instance: None, owner: None) -> _CallbackProperty: ...
    @t.overload
    def __get__(self, instance: ContentRange, owner: type[ContentRange]) -> t.Any: ...
    def __get__(self, instance: ContentRange | None, owner: type[ContentRange] | None) -> t.Any:
        if instance is None:
            return self
        return instance.__dict__[self.attr]

    def __set__(self, instance: ContentRange, value: t.Any) -> None:
        instance.__dict__[self.attr] = value
        if instance.on_update is not None:
            instance.on_update(instance)


class ContentRange:
    """A ``Content-Range`` response header.

    ``stop`` is exclusive, ``length`` is ``None`` for an unknown length
    (``*``). Assigning an attribute or calling :meth:`set`/:meth:`unset`
    calls ``on_update(self)``, which is how a response keeps its header in
    sync.

    :raises AssertionError: if the range does not fit the length (the
        exception type Werkzeug uses).
    """

    #: The unit, or ``None`` when unset.
    units: str | None = _CallbackProperty()  # type: ignore[assignment]  # a descriptor giving this type
    #: The first position, or ``None``.
    start: int | None = _CallbackProperty()  # type: ignore[assignment]  # a descriptor giving this type
    #: The position after the last one, or ``None``.
    stop: int | None = _CallbackProperty()  # type: ignore[assignment]  # a descriptor giving this type
    #: The full length, or ``None`` if unknown.
    length: int | None = _CallbackProperty()  # type: ignore[assignment]  # a descriptor giving this type

    def __init__(
        self,
        units: str | None,
        start: int | None,
        stop: int | None,
        length: int | None = None,
        on_update: cabc.Callable[[ContentRange], None] | None = None,
    ) -> None:
        self.on_update = on_update
        self.set(start, stop, length, units)

    def set(
        self,
        start: int | None,
        stop: int | None,
        length: int | None = None,
        units: str | None = "bytes",
    ) -> None:
        """Set every field at once (one ``on_update`` call)."""
        if not is_byte_range_valid(start, stop, length):
            raise AssertionError("Bad range provided")
        self.__dict__.update(_units=units, _start=start, _stop=stop, _length=length)
        if self.on_update is not None:
            self.on_update(self)

    def unset(self) -> None:
        """Clear every field, so the header is removed."""
        self.set(None, None, units=None)

    def to_header(self) -> str:
        """Format as a header value (empty when unset)."""
        units = self.__dict__["_units"]
        if units is None:
            return ""
        length = self.__dict__["_length"]
        start = self.__dict__["_start"]
        stop = self.__dict__["_stop"]
        total = "*" if length is None else length
        if start is None or stop is None:
            return f"{units} */{total}"
        return f"{units} {start}-{stop - 1}/{total}"

    def __bool__(self) -> bool:
        return self.__dict__["_units"] is not None

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r}>"
