"""URL converters: turn one piece of a URL into a Python value and back.

A converter class has a ``regex`` (what it matches in the URL), a
``weight`` (lower is tried first among dynamic parts at the same place, so
more specific converters win), ``part_isolating`` (``False`` when the regex
may match a ``/``, as the ``path`` converter's does), ``to_python`` and
``to_url``.  Converters are registered on a :class:`~wsgikit.routing.Map`
by name and used in rules as ``<name:variable>`` or ``<name(args):variable>``.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import quote

if t.TYPE_CHECKING:
    import uuid

    from .map import Map

#: Characters :meth:`BaseConverter.to_url` leaves unquoted in a path segment
#: (sub-delims, ``:``, ``@`` and ``/``, as RFC 3986 allows in a path).
PATH_SAFE = "!$&'()*+,/:;=@"


#: Texts ``quote(text, safe=PATH_SAFE)`` leaves as they are.
_PATH_PLAIN_RE = re.compile(r"[A-Za-z0-9_.\-~!$&'()*+,/:;=@]*")


def quote_path(value: str) -> str:
    """Percent-encode ``value`` for a URL path (UTF-8, ``PATH_SAFE`` kept)."""
    # PERF: identifiers and numbers (the usual URL values) need no quoting;
    # ``isascii() and isalnum()`` runs in C and skips urllib entirely, and
    # one regex match tells the other texts that need none (``post-1``).
    if value.isascii() and value.isalnum():
        return value
    if type(value) is str and _PATH_PLAIN_RE.fullmatch(value) is not None:
        return value
    return quote(value, safe=PATH_SAFE)


class ValidationError(ValueError):
    """Raised by a converter's ``to_python`` (the URL part is not a valid
    value, so the rule does not match) or ``to_url`` (this rule cannot build
    the value)."""


class BaseConverter:
    """The base of all converters; matches one non-empty path segment.

    :param map: the :class:`~wsgikit.routing.Map` the rule is bound to.
    """

    #: The regular expression this converter matches in the URL.
    regex = "[^/]+"
    #: Priority among dynamic parts at the same place: lower goes first.
    weight = 100
    #: ``True`` when the regex can never match a ``/``.  Worked out from the
    #: regex of a subclass that sets ``regex`` but not this flag.
    part_isolating = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "regex" in cls.__dict__ and "part_isolating" not in cls.__dict__:
            cls.part_isolating = "/" not in cls.regex

    def __init__(self, map: Map, *args: t.Any, **kwargs: t.Any) -> None:
        self.map = map

    def to_python(self, value: str) -> t.Any:
        """Convert the matched URL text to the value handed to the view."""
        return value

    def to_url(self, value: t.Any) -> str:
        """Convert a value to URL text (quoted, safe to put in a path)."""
        return quote_path(str(value))


def _to_python_of(converter: BaseConverter) -> t.Callable[[str], t.Any] | None:
    """What to call to convert a matched text: ``None`` when the converter's
    ``to_python`` is the identity of :class:`BaseConverter` (neither its
    class nor the instance replaced it), else the converter's own.
    Decided once per converter, when a rule is compiled."""
    method = converter.to_python
    # The bound stock method: the class did not override it, nor the
    # instance (read as an attribute, not through ``__dict__``: on CPython
    # 3.11 making an instance's ``__dict__`` exist slows its attribute reads).
    if getattr(method, "__func__", None) is BaseConverter.to_python and getattr(method, "__self__", None) is converter:
        return None
    return method


class UnicodeConverter(BaseConverter):
    """The default converter: one path segment, optionally length-limited.

    :param minlength: the minimum length of the segment.
    :param maxlength: the maximum length, or ``None`` for no limit.
    :param length: an exact length; overrides the two others.
    """

    def __init__(
        self,
        map: Map,
        minlength: int = 1,
        maxlength: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(map)
        if length is not None:
            size = f"{{{int(length)}}}"
        else:
            upper = "" if maxlength is None else int(maxlength)
            size = f"{{{int(minlength)},{upper}}}"
        self.regex = f"[^/]{size}"


class AnyConverter(BaseConverter):
    """Matches one of the given literal items: ``<any(about, help):page>``.

    :param items: the accepted values.
    """

    def __init__(self, map: Map, *items: str) -> None:
        super().__init__(map)
        self._ordered = tuple(items)
        self.items = set(items)
        self.regex = f"(?:{'|'.join(re.escape(x) for x in items)})"

    def to_url(self, value: t.Any) -> str:
        if value in self.items:
            return str(value)
        valid = ", ".join(f"'{item}'" for item in self._ordered)
        raise ValueError(f"'{value}' is not one of {valid}")


class PathConverter(BaseConverter):
    """Like the default converter but also matches slashes; tried last."""

    part_isolating = False
    regex = "[^/].*?"
    weight = 200


class NumberConverter(BaseConverter):
    """The shared part of :class:`IntegerConverter` and :class:`FloatConverter`.

    :param fixed_digits: the exact number of digits (zero padded on build).
    :param min: the smallest accepted value.
    :param max: the largest accepted value.
    :param signed: accept a leading ``-``.
    """

    weight = 50
    num_convert: t.Callable[[t.Any], t.Any] = int

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: float | None = None,
        max: float | None = None,
        signed: bool = False,
    ) -> None:
        if signed:
            self.regex = self.signed_regex
        super().__init__(map)
        self.fixed_digits = fixed_digits
        self.min = min
        self.max = max
        self.signed = signed

    def to_python(self, value: str) -> t.Any:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError()
        try:
            number = self.num_convert(value)
        except ValueError:
            # e.g. more digits than int() accepts (sys.get_int_max_str_digits).
            raise ValidationError() from None
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            raise ValidationError()
        return number

    def to_url(self, value: t.Any) -> str:
        text = str(self.num_convert(value))
        if self.fixed_digits:
            text = text.zfill(self.fixed_digits)
        return text

    @property
    def signed_regex(self) -> str:
        """The regex that also accepts a leading minus sign."""
        return f"-?{self.regex}"


class IntegerConverter(NumberConverter):
    """Matches non-negative integers (``signed=True`` allows negatives)."""

    regex = r"\d+"


class FloatConverter(NumberConverter):
    """Matches floats written with a dot: ``1.5`` (not ``1`` or ``.5``).

    :param min: the smallest accepted value.
    :param max: the largest accepted value.
    :param signed: accept a leading ``-``.
    """

    regex = r"\d+\.\d+"
    num_convert = float

    def __init__(
        self,
        map: Map,
        min: float | None = None,
        max: float | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, min=min, max=max, signed=signed)


class UUIDConverter(BaseConverter):
    """Matches a UUID in its canonical hex-and-dashes form."""

    regex = (
        r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
    )

    def to_python(self, value: str) -> uuid.UUID:
        # Imported here: ``uuid`` (with ``platform``) costs at start-up.
        import uuid

        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID) -> str:
        return str(value)


#: The converters every map knows, by name.
DEFAULT_CONVERTERS: t.Mapping[str, type[BaseConverter]] = {
    "default": UnicodeConverter,
    "string": UnicodeConverter,
    "any": AnyConverter,
    "path": PathConverter,
    "int": IntegerConverter,
    "float": FloatConverter,
    "uuid": UUIDConverter,
}
