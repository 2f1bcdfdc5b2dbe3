"""Parse and dump HTTP header values, cookies, dates and entity tags.

Every parser here takes untrusted text straight from a request. The rules
they share:

* Garbage in gives the documented "nothing" out (``None``, an empty
  structure, a default), never an unexpected exception.
* Work is linear in the input. The scanners below use ``str.find`` and
  ``str.split`` on hot paths and only regexes whose alternatives cannot
  overlap (so they never backtrack more than once over the input).
* Results are the structures from :mod:`wsgikit.datastructures`, so
  callers can pass a ``cls`` to get a subclass (``MIMEAccept``, an
  ``ImmutableMultiDict``, ...).

The pure text helpers (quoting, lists, options, entity tags, dates) live in
:mod:`wsgikit._http_text`, one layer lower so that the data structures can
use them; they are re-exported here. The IO-free cores of cookie parsing
and of the conditional-request check live in :mod:`wsgikit.sansio.http`,
one layer higher; the functions here adapt a WSGI environ to them.
"""

from __future__ import annotations

import re
import typing as t
import warnings
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from enum import Enum
from time import time as _now
from urllib.parse import quote

from . import datastructures as ds
from ._http_text import _MONTH_NUMBERS
from ._http_text import _WEAK_PREFIXES
from ._http_text import _WEAK_QUOTED_PREFIXES
from ._http_text import HTTP_STATUS_CODES as HTTP_STATUS_CODES
from ._http_text import _etag_close_re
from ._http_text import _q_value_re
from ._http_text import _ws_re
from ._http_text import dump_csp_header as dump_csp_header
from ._http_text import dump_header as dump_header
from ._http_text import dump_options_header as dump_options_header
from ._http_text import generate_etag as generate_etag
from ._http_text import http_date as http_date
from ._http_text import is_byte_range_valid as is_byte_range_valid
from ._http_text import parse_dict_header as parse_dict_header
from ._http_text import parse_list_header as parse_list_header
from ._http_text import parse_options_header as parse_options_header
from ._http_text import quote_etag as quote_etag
from ._http_text import quote_header_value as quote_header_value
from ._http_text import unquote_etag as unquote_etag
from ._http_text import unquote_header_value as unquote_header_value
from ._internal import _missing
from ._internal import _Missing
from ._internal import _plain_int

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

_TAnyAccept = t.TypeVar("_TAnyAccept", bound="ds.Accept")
_TAnyCC = t.TypeVar("_TAnyCC", bound="ds.cache_control._CacheControl")
_TAnyCSP = t.TypeVar("_TAnyCSP", bound="ds.ContentSecurityPolicy")


class COEP(Enum):
    """Values of the ``Cross-Origin-Embedder-Policy`` header."""

    UNSAFE_NONE = "unsafe-none"
    REQUIRE_CORP = "require-corp"


class COOP(Enum):
    """Values of the ``Cross-Origin-Opener-Policy`` header."""

    UNSAFE_NONE = "unsafe-none"
    SAME_ORIGIN_ALLOW_POPUPS = "same-origin-allow-popups"
    SAME_ORIGIN = "same-origin"



#: Headers describing the entity (body) rather than the message.
_ENTITY_HEADERS = frozenset(
    [
        "allow",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-md5",
        "content-range",
        "content-type",
        "expires",
        "last-modified",
    ]
)
#: Headers that concern one connection and must not be forwarded by proxies.
_HOP_BY_HOP_HEADERS = frozenset(
    [
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    ]
)



def parse_accept_header(value: str | None, cls: type[_TAnyAccept] | None = None) -> _TAnyAccept:
    """Parse an ``Accept``-style header into a list of ``(value, quality)``.

    Items whose ``q`` is not a number from 0 to 1 are dropped (RFC 9110
    says to ignore them); other options stay attached to the value. The
    ``cls`` orders the result (by quality, then specificity).

    :param value: The header value.
    :param cls: The :class:`~wsgikit.datastructures.Accept` subclass to
        return; ``Accept`` by default.
    """
    if cls is None:
        cls = t.cast("type[_TAnyAccept]", ds.Accept)
    if not value:
        return cls(None)
    result: list[tuple[str, float]] = []
    for item in parse_list_header(value):
        if ";" not in item:
            # PERF: most items carry no options at all.
            result.append((item.strip(), 1))
            continue
        item, options = parse_options_header(item)
        quality: float = 1
        if "q" in options:
            q_str = options.pop("q").strip()
            if _q_value_re.fullmatch(q_str) is None:
                continue
            quality = float(q_str)
            if not 0 <= quality <= 1:
                continue
        if options:
            item = dump_options_header(item, options)
        result.append((item, quality))
    return cls(result)


@t.overload
def parse_cache_control_header(
    value: str | None,
    on_update: t.Callable[[ds.RequestCacheControl], None] | None = None,
    cls: None = None,
) -> ds.RequestCacheControl: ...
@t.overload
def parse_cache_control_header(
    value: str | None, on_update: t.Callable[[_TAnyCC], None] | None, cls: type[_TAnyCC]
) -> _TAnyCC: ...
@t.overload
def parse_cache_control_header(
    value: str | None, on_update: t.Callable[[_TAnyCC], None] | None = None, *, cls: type[_TAnyCC]
) -> _TAnyCC: ...


def parse_cache_control_header(
    value: str | None,
    on_update: t.Callable[[t.Any], None] | None = None,
    cls: type[t.Any] | None = None,
) -> t.Any:
    """Parse a ``Cache-Control`` header into a cache-control object.

    :param value: The header value.
    :param on_update: Called with the object whenever it changes.
    :param cls: The class to return; ``RequestCacheControl`` by default.
    """
    if cls is None:
        cls = ds.RequestCacheControl
    if not value:
        return cls(None, on_update)
    return cls(parse_dict_header(value), on_update)


@t.overload
def parse_csp_header(
    value: str | None,
    on_update: t.Callable[[ds.ContentSecurityPolicy], None] | None = None,
    cls: None = None,
) -> ds.ContentSecurityPolicy: ...
@t.overload
def parse_csp_header(
    value: str | None, on_update: t.Callable[[_TAnyCSP], None] | None, cls: type[_TAnyCSP]
) -> _TAnyCSP: ...
@t.overload
def parse_csp_header(
    value: str | None, on_update: t.Callable[[_TAnyCSP], None] | None = None, *, cls: type[_TAnyCSP]
) -> _TAnyCSP: ...


def parse_csp_header(
    value: str | None,
    on_update: t.Callable[[t.Any], None] | None = None,
    cls: type[t.Any] | None = None,
) -> t.Any:
    """Parse a ``Content-Security-Policy`` header into its directives.

    Directives are ``;``-separated ``name value`` pairs; a directive
    without a space-separated value is skipped.

    :param value: The header value.
    :param on_update: Called with the object whenever it changes.
    :param cls: The class to return; ``ContentSecurityPolicy`` by default.
    """
    if cls is None:
        cls = ds.ContentSecurityPolicy
    if value is None:
        return cls(None, on_update)
    items = []
    for policy in value.split(";"):
        policy = policy.strip()
        if " " in policy:
            directive, _, policy_value = policy.partition(" ")
            items.append((directive.strip(), policy_value.strip()))
    return cls(items, on_update)


def parse_set_header(
    value: str | None,
    on_update: t.Callable[[ds.HeaderSet], None] | None = None,
) -> ds.HeaderSet:
    """Parse a comma-separated set such as ``Allow`` or ``Vary`` into a
    case-insensitive :class:`~wsgikit.datastructures.HeaderSet`.

    :param value: The header value.
    :param on_update: Called with the set whenever it changes.
    """
    if not value:
        return ds.HeaderSet(None, on_update)
    return ds.HeaderSet(parse_list_header(value), on_update)


def parse_authorization_header(value: str | None) -> ds.Authorization | None:
    """Parse an ``Authorization`` header (the Werkzeug 2 name for
    :meth:`Authorization.from_header <wsgikit.datastructures.Authorization.from_header>`).

    :param value: The header value.
    """
    return ds.Authorization.from_header(value)


def parse_www_authenticate_header(value: str | None) -> ds.WWWAuthenticate | None:
    """Parse a ``WWW-Authenticate`` header (the Werkzeug 2 name for
    :meth:`WWWAuthenticate.from_header <wsgikit.datastructures.WWWAuthenticate.from_header>`).

    :param value: The header value.
    """
    return ds.WWWAuthenticate.from_header(value)


# --------------------------------------------------------------------------
# Entity tags and ranges
# --------------------------------------------------------------------------


def parse_etags(value: str | None) -> ds.ETags:
    """Parse an ``If-Match`` / ``If-None-Match`` header into an
    :class:`~wsgikit.datastructures.ETags`.

    :param value: The header value.
    """
    if not value:
        return ds.ETags()
    if "\n" not in value:
        if "," not in value:
            # PERF: one tag, the usual ``If-None-Match``.
            return _parse_single_etag(value)
        # PERF: well-formed lists (plain or simply quoted tags) split on
        # commas; only odd quoting needs the full scanner.
        etags = _parse_simple_etags(value)
        if etags is not None:
            return etags
    return _EtagScanner(value).run()


def _parse_single_etag(value: str) -> ds.ETags:
    # Without a comma the only quote that can close a quoted tag is the last
    # character, and nothing is separator whitespace.
    is_weak = value[:2] in _WEAK_PREFIXES
    tag = value[2:] if is_weak else value
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    elif tag == "*":
        return ds.ETags(star_tag=True)
    if is_weak:
        return ds.ETags(weak_etags=[tag])
    return ds.ETags([tag])


def _parse_simple_etags(value: str) -> ds.ETags | None:
    # Whitespace around a separating comma belongs to the separator; the
    # ends of the whole value keep theirs. A tag that opens with a quote
    # closes at its last character (no other quote in it can be followed by
    # a comma); if that is not a quote, the closing quote may lie after a
    # comma, and ``None`` hands the value to the scanner.
    raw = value.split(",")
    parts = [part.strip() for part in raw]
    if value[0].isspace() or value[-1].isspace():
        parts[0] = raw[0].rstrip()
        parts[-1] = raw[-1].lstrip()
    if not parts[-1]:
        del parts[-1]  # a trailing separator ends the list
    strong = []
    weak = []
    for part in parts:
        # Ordered by frequency: quoted strong, quoted weak, then raw tags.
        if part[:1] == '"':
            if len(part) < 2 or part[-1] != '"':
                return None
            strong.append(part[1:-1])
        elif part[:3] in _WEAK_QUOTED_PREFIXES:
            if len(part) < 4 or part[-1] != '"':
                return None
            weak.append(part[3:-1])
        elif part[:2] in _WEAK_PREFIXES:
            if part[2:] == "*":
                return ds.ETags(star_tag=True)
            weak.append(part[2:])
        elif part == "*":
            return ds.ETags(star_tag=True)
        else:
            strong.append(part)
    return ds.ETags(strong, weak)


class _EtagScanner:
    """The general entity-tag list scanner, for values with odd quoting.

    Theory of operation: each item is an optional ``W/`` then either a
    quoted tag -- a quote, then text up to the first quote that is followed
    by a comma separator or the end -- or raw text up to the first comma
    separator. Whitespace around a comma belongs to the separator. A raw
    ``*`` means "any tag". A newline may not appear inside a tag; an item
    that would need one ends the parse. To stay linear, the next closing
    quote candidate and the next newline are searched once and cached
    (items only move forward), and a quoted tag that cannot close before a
    newline marks every quote up to that newline as unable to close.
    """

    __slots__ = ("value", "n", "dead_until", "newline", "close", "close_from")

    def __init__(self, value: str) -> None:
        self.value = value
        self.n = len(value)
        #: No quoted tag can start before this position.
        self.dead_until = 0
        #: The first newline at or after the last position asked about.
        self.newline = -2
        #: The first closing-quote candidate at or after ``close_from``.
        self.close = -1
        self.close_from = self.n + 1

    def next_newline(self, pos: int) -> int:
        if self.newline == -2 or (self.newline != -1 and self.newline < pos):
            self.newline = self.value.find("\n", pos)
        return self.n if self.newline == -1 else self.newline

    def next_close(self, pos: int) -> int:
        if self.close_from > pos or (self.close != -1 and self.close < pos):
            m = _etag_close_re.search(self.value, pos)
            self.close = -1 if m is None else m.start()
            self.close_from = pos
        return self.close

    def end_at(self, pos: int) -> int:
        # Where a tag ending at ``pos`` has its match end, or -1: either a
        # comma separator (with its whitespace) or the end of the value.
        value = self.value
        if pos == self.n or (pos == self.n - 1 and value[pos] == "\n"):
            return pos
        after = _ws_re.match(value, pos).end()  # type: ignore[union-attr]  # a run of spaces always matches, maybe empty
        if after < self.n and value[after] == ",":
            return _ws_re.match(value, after + 1).end()  # type: ignore[union-attr]  # as above
        return -1

    def quoted(self, start: int) -> tuple[str, int] | None:
        limit = self.next_newline(start + 1)
        close = self.next_close(start + 1)
        if close == -1 or close >= limit:
            self.dead_until = limit
            return None
        return self.value[start + 1 : close], self.end_at(close + 1)

    def raw(self, start: int) -> tuple[str, int] | None:
        value = self.value
        stop = self.n - 1 if value.endswith("\n") else self.n
        comma = value.find(",", start)
        if comma != -1:
            run = comma
            while run > start and value[run - 1].isspace():
                run -= 1
            if run < stop:
                stop = run
        if value.find("\n", start, stop) != -1:
            return None
        end = self.end_at(stop)
        return value[start:stop], (end if end != -1 else stop)

    def run(self) -> ds.ETags:
        value = self.value
        strong: list[str] = []
        weak: list[str] = []
        pos = 0
        while pos < self.n:
            is_weak = value.startswith(_WEAK_PREFIXES, pos)
            start = pos + 2 if is_weak else pos
            found = None
            if start < self.n and value[start] == '"' and start >= self.dead_until:
                found = self.quoted(start)
            if found is None:
                found = self.raw(start)
                if found is None:
                    break
                if found[0] == "*":
                    return ds.ETags(star_tag=True)
            tag, end = found
            if end <= pos:
                # An empty match at a final newline would repeat forever.
                break
            (weak if is_weak else strong).append(tag)
            pos = end
        return ds.ETags(strong, weak)


def parse_if_range_header(value: str | None) -> ds.IfRange:
    """Parse an ``If-Range`` header: an HTTP date or an entity tag.

    :param value: The header value.
    """
    if not value:
        return ds.IfRange()
    parsed = parse_date(value)
    if parsed is not None:
        return ds.IfRange(date=parsed)
    # The weakness flag is dropped: If-Range only allows strong comparison.
    return ds.IfRange(unquote_etag(value)[0])


def _ascii_int(value: str) -> int:
    # An unsigned decimal: ``+``, ``_`` and non-ASCII digits are refused,
    # though :func:`int` takes them.
    value = value.strip()
    if not (value.isdigit() and value.isascii()):
        raise ValueError(value)
    return int(value)


def parse_range_header(value: str | None, make_inclusive: bool = True) -> ds.Range | None:
    """Parse a ``Range`` header into a :class:`~wsgikit.datastructures.Range`.

    Ranges are returned as half-open ``(start, stop)`` pairs (``stop`` is
    ``None`` for "to the end"; a suffix range ``-500`` is ``(-500, None)``).
    Ranges must be ascending and not overlap, and only the last may be
    open-ended; anything else makes the whole header invalid (``None``).

    :param value: The header value.
    :param make_inclusive: Kept for compatibility; ranges are always
        converted to half-open pairs.
    """
    if not value or "=" not in value:
        return None
    units, _, spec = value.partition("=")
    ranges: list[tuple[int, int | None]] = []
    last_end = 0
    for item in spec.split(","):
        item = item.strip()
        if "-" not in item:
            return None
        try:
            if item[0] == "-":
                if last_end < 0:
                    return None
                begin = _plain_int(item)
                end = None
                last_end = -1
            else:
                begin_str, _, end_str = item.partition("-")
                begin = _ascii_int(begin_str)
                if begin < last_end or last_end < 0:
                    return None
                end_str = end_str.strip()
                if end_str:
                    end = _plain_int(end_str) + 1
                    if begin >= end:
                        return None
                else:
                    end = None
                last_end = -1 if end is None else end
        except ValueError:
            return None
        ranges.append((begin, end))
    return ds.Range(units.strip().lower(), ranges)


def parse_content_range_header(
    value: str | None,
    on_update: t.Callable[[ds.ContentRange], None] | None = None,
) -> ds.ContentRange | None:
    """Parse a ``Content-Range`` header (``bytes 0-499/1234``).

    Returns ``None`` when the value is malformed or describes an invalid
    range (see :func:`is_byte_range_valid`).

    :param value: The header value.
    :param on_update: Called with the object whenever it changes.
    """
    if not value:
        return None
    parts = value.strip().split(None, 1)
    if len(parts) != 2:
        return None
    units, spec = parts
    if "/" not in spec:
        return None
    rng, _, length_str = spec.partition("/")
    try:
        length = None if length_str == "*" else _plain_int(length_str)
        if rng == "*":
            if not is_byte_range_valid(None, None, length):
                return None
            return ds.ContentRange(units, None, None, length, on_update=on_update)
        if "-" not in rng:
            return None
        start_str, _, stop_str = rng.partition("-")
        start = _ascii_int(start_str)
        stop = _plain_int(stop_str) + 1
    except ValueError:
        return None
    if is_byte_range_valid(start, stop, length):
        return ds.ContentRange(units, start, stop, length, on_update=on_update)
    return None


# --------------------------------------------------------------------------
# Dates and ages
# --------------------------------------------------------------------------

def parse_date(value: str | None) -> datetime | None:
    """Parse an HTTP date into an aware :class:`~datetime.datetime`.

    All three formats HTTP allows (IMF-fixdate, RFC 850, asctime) and RFC
    2822 offsets are understood; a date without a zone is taken as UTC (the
    offset of a date that has one is kept). Returns ``None`` for anything
    that is not a valid date.

    :param value: The header value.
    """
    if not value:
        return None
    comma = value.find(", ", 3, 10)
    if comma != -1 and value[-4:] == " GMT" and value.isascii() and value[:comma].isalpha():
        # PERF: the two fixed formats with a day name, sliced by position:
        # IMF-fixdate ``06 Nov 1994 08:49:37`` and RFC 850 ``06-Nov-94 08:49:37``.
        rest = value[comma + 2 : -4]
        if len(rest) == 20 and rest[2] == rest[6] == rest[11] == " ":
            parsed = _fixed_date(rest[0:2], rest[3:6], rest[7:11], rest[12:])
        elif len(rest) == 18 and rest[2] == rest[6] == "-" and rest[9] == " ":
            parsed = _fixed_date(rest[0:2], rest[3:6], rest[7:9], rest[10:])
        else:
            parsed = _missing
        if parsed is not _missing:
            return parsed  # type: ignore[return-value]  # the checkers do not narrow on the sentinel
    # Imported here (PERF: ``email.utils`` costs at start-up); the formats
    # browsers send are parsed above without it.
    import email.utils

    try:
        fields = email.utils.parsedate_tz(value)
        if fields is None:
            return None
        offset = fields[9]
        # A missing zone counts as UTC; ``timezone`` refuses offsets of a day or more.
        tzinfo = timezone.utc if not offset else timezone(timedelta(seconds=offset))
        return datetime(*fields[:6], tzinfo=tzinfo)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _fixed_date(day: str, month_name: str, year_digits: str, clock: str) -> datetime | None | _Missing:
    # ``clock`` should be ``HH:MM:SS``. Anything unexpected (``_missing``)
    # is left to the email parser; an impossible date (Feb 30) is ``None``.
    month = _MONTH_NUMBERS.get(month_name)
    if (
        month is None
        or clock[2] != ":"
        or clock[5] != ":"
        or not (day + year_digits + clock[:2] + clock[3:5] + clock[6:]).isdigit()
    ):
        return _missing
    year = int(year_digits)
    if year < 100:
        # Two-digit years, the way the email parser reads them.
        year += 1900 if year > 68 else 2000
    try:
        return datetime(year, month, int(day), int(clock[:2]), int(clock[3:5]), int(clock[6:]), tzinfo=timezone.utc)
    except ValueError:
        return None


def parse_age(value: str | None = None) -> timedelta | None:
    """Parse an ``Age``-style number of seconds into a timedelta.

    Returns ``None`` for a missing, negative, non-integer or too large value.

    :param value: The header value.
    """
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        return None
    if seconds < 0:
        return None
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        return None


def dump_age(age: timedelta | int | None = None) -> str | None:
    """Format an age (timedelta or seconds) as whole seconds.

    :param age: The age; ``None`` gives ``None``.
    :raise ValueError: The age is negative.
    """
    if age is None:
        return None
    if isinstance(age, timedelta):
        age = int(age.total_seconds())
    else:
        age = int(age)
    if age < 0:
        raise ValueError("age cannot be negative")
    return str(age)


# --------------------------------------------------------------------------
# Conditional requests and header lists
# --------------------------------------------------------------------------


def is_resource_modified(
    environ: WSGIEnvironment,
    etag: str | None = None,
    data: bytes | None = None,
    last_modified: datetime | str | None = None,
    ignore_if_range: bool = True,
) -> bool:
    """Tell whether the resource changed compared to the request's
    conditional headers (``If-None-Match``, ``If-Modified-Since``,
    ``If-Match``, and ``If-Range`` with ``Range``).

    ``False`` means a ``304 Not Modified`` (or, with ``If-Range``, the
    full body instead of a part) is the right answer.

    :param environ: The WSGI environ of the request.
    :param etag: The resource's entity tag.
    :param data: The body, to generate the tag from (not with ``etag``).
    :param last_modified: When the resource last changed.
    :param ignore_if_range: Do not consider the ``If-Range`` header.
    :raise TypeError: Both ``etag`` and ``data`` were given.
    """
    # Deliberate upward call: this environ adapter delegates to the IO-free
    # core in sansio.http, which sits a layer above this module.
    from .sansio import http as _sansio_http

    return _sansio_http.is_resource_modified(
        http_range=environ.get("HTTP_RANGE"),
        http_if_range=environ.get("HTTP_IF_RANGE"),
        http_if_modified_since=environ.get("HTTP_IF_MODIFIED_SINCE"),
        http_if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
        http_if_match=environ.get("HTTP_IF_MATCH"),
        etag=etag,
        data=data,
        last_modified=last_modified,
        ignore_if_range=ignore_if_range,
    )


def remove_entity_headers(
    headers: ds.Headers | list[tuple[str, str]],
    allowed: t.Iterable[str] = ("expires", "content-location"),
) -> None:
    """Remove the entity headers from a header list, in place.

    :param headers: A :class:`~wsgikit.datastructures.Headers` or a list of
        ``(name, value)`` tuples.
    :param allowed: Entity headers to keep (case-insensitive).
    """
    keep = {name.lower() for name in allowed}
    headers[:] = [
        (key, value)
        for key, value in headers
        if key.lower() not in _ENTITY_HEADERS or key.lower() in keep
    ]


def remove_hop_by_hop_headers(headers: ds.Headers | list[tuple[str, str]]) -> None:
    """Remove the hop-by-hop headers from a header list, in place.

    :param headers: A :class:`~wsgikit.datastructures.Headers` or a list of
        ``(name, value)`` tuples.
    """
    headers[:] = [(key, value) for key, value in headers if key.lower() not in _HOP_BY_HOP_HEADERS]


def is_entity_header(header: str) -> bool:
    """Tell whether a header name is an entity header.

    :param header: The header name (any case).
    """
    return header.lower() in _ENTITY_HEADERS


def is_hop_by_hop_header(header: str) -> bool:
    """Tell whether a header name is a hop-by-hop header.

    :param header: The header name (any case).
    """
    return header.lower() in _HOP_BY_HOP_HEADERS


# --------------------------------------------------------------------------
# Cookies
# --------------------------------------------------------------------------


def parse_cookie(
    header: WSGIEnvironment | str | None,
    cls: type[ds.MultiDict[str, str]] | None = None,
) -> ds.MultiDict[str, str]:
    """Parse a ``Cookie`` header into a multi-dict of name to value.

    Every pair is kept (``md[name]`` is the first, ``getlist`` all of
    them); quoted values are unquoted, backslash and octal escapes
    included; pairs without a name are skipped.

    :param header: The header value, or a WSGI environ to read
        ``HTTP_COOKIE`` from. The environ's latin-1 string is decoded as
        UTF-8 (invalid bytes become U+FFFD).
    :param cls: The multi-dict class to return; ``MultiDict`` by default.
    """
    # Deliberate upward call: this environ adapter delegates to the IO-free
    # core in sansio.http, which sits a layer above this module.
    from .sansio import http as _sansio_http

    if isinstance(header, dict):
        cookie = header.get("HTTP_COOKIE")
    elif isinstance(header, (bytes, bytearray)):
        return _sansio_http.parse_cookie(header.decode("utf-8", "replace"), cls)
    else:
        cookie = header
    if cookie and not cookie.isascii():
        # PEP 3333 strings carry the raw bytes as latin-1 code points.
        try:
            cookie = cookie.encode("latin1").decode("utf-8", "replace")
        except UnicodeEncodeError:
            pass  # already real text (beyond latin-1): use as is
    return _sansio_http.parse_cookie(cookie, cls)


#: Characters a cookie value may hold without being quoted.
_COOKIE_SAFE = frozenset("!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~")


def _cookie_quote_table() -> dict[int, str]:
    # Maps each latin-1 code point (a UTF-8 byte, see _cookie_quote) to its
    # form inside a quoted cookie value: itself, a backslash escape, or a
    # three-digit octal escape for controls, separators and non-ASCII bytes.
    table = {}
    for code in range(256):
        char = chr(code)
        if char in _COOKIE_SAFE or char == " ":
            continue
        if char in '"\\':
            table[code] = "\\" + char
        else:
            table[code] = f"\\{code:03o}"
    return table


_COOKIE_QUOTE_TABLE = _cookie_quote_table()


def _cookie_quote(value: str) -> str:
    if _COOKIE_SAFE.issuperset(value):
        return value
    # PERF: UTF-8 bytes as latin-1 text let one str.translate do all escapes.
    raw = value.encode("utf-8").decode("latin1")
    return '"' + raw.translate(_COOKIE_QUOTE_TABLE) + '"'


#: Path characters kept as they are in the ``Path`` attribute.
_COOKIE_PATH_SAFE = "%!$&'()*+,/:=@"
_COOKIE_PATH_CHARS = frozenset(
    _COOKIE_PATH_SAFE + "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)
_SAMESITE_VALUES = frozenset(["Strict", "Lax", "None"])
# RFC 6265 section 4.1.1: cookie-name is a token. Non-ASCII names (sent as
# UTF-8 octets, which browsers accept and Werkzeug writes) stay allowed: they
# cannot end the name; ASCII separators, spaces and controls can.
# PERF: written as the complement (not controls, space, DEL or one of the
# RFC 9110 delimiters), which is the same set of characters (checked over
# every code point in tests) but compiles in microseconds; the positive
# class with a range up to U+10FFFF took milliseconds at import.
_COOKIE_NAME_RE = re.compile(r'[^\x00-\x20\x7f"(),/:;<=>?@\[\\\]{}]+')
# An attribute value ends at ";"; controls (CR, LF, NUL above all) and
# whitespace could end the header or start a new attribute.
_COOKIE_ATTR_BAD_RE = re.compile(r"[;\x00-\x20\x7f]")


def _refuse_line_breaks(name: str, value: str) -> None:
    # A CR, LF or NUL in a Set-Cookie header would let the value inject
    # headers; refuse it here rather than emit a header that servers reject.
    if "\r" in value or "\n" in value or "\0" in value:
        raise ValueError(f"The cookie {name} must not contain CR, LF or NUL characters.")


def _check_cookie_name(key: str) -> None:
    # Werkzeug writes any name as given, so "a; Domain=evil.com" injects an
    # attribute; RFC 6265 allows only a token, and so do we.
    if _COOKIE_NAME_RE.fullmatch(key) is None:
        raise ValueError(
            f"Invalid cookie name {key!r}: a cookie name must be a non-empty token"
            " (no spaces, '=', ';', ',', other separators or control characters)."
        )


def _check_cookie_domain(domain: str) -> None:
    # Werkzeug writes a domain as given, so "a.com; Secure" injects an
    # attribute; we refuse it.
    if _COOKIE_ATTR_BAD_RE.search(domain) is not None:
        raise ValueError(f"The cookie domain {domain!r} must not contain ';', whitespace or control characters.")


def dump_cookie(
    key: str,
    value: str = "",
    max_age: timedelta | int | None = None,
    expires: str | datetime | int | float | None = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    sync_expires: bool = True,
    max_size: int = 4093,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Build a ``Set-Cookie`` header value.

    The value is quoted when it holds anything beyond the cookie-safe
    characters (non-ASCII as octal-escaped UTF-8). The result is a PEP
    3333 latin-1 string.

    :param key: The cookie name.
    :param value: The cookie value.
    :param max_age: Lifetime in seconds or as a timedelta.
    :param expires: Expiry as a datetime, timestamp or preformatted string;
        computed from ``max_age`` when not given and ``sync_expires`` is set.
    :param path: Limit the cookie to this path; ``None`` for no attribute.
    :param domain: Domain to share the cookie with (IDNA-encoded).
    :param secure: Only send over HTTPS.
    :param httponly: Hide the cookie from JavaScript.
    :param sync_expires: Derive ``Expires`` from ``max_age``.
    :param max_size: Warn when the header is longer; 0 disables the check.
    :param samesite: ``"Strict"``, ``"Lax"`` or ``"None"`` (any case).
    :param partitioned: Opt into partitioned storage (CHIPS); implies
        ``secure``.
    :raise ValueError: ``samesite`` is not one of the allowed values, the
        name is not a token, the domain holds ``;``, whitespace or a
        control character, or the expiry contains CR, LF or NUL. (A path
        is percent-encoded instead, as Werkzeug does.)
    """
    if not isinstance(value, str):
        raise TypeError(f"cookie value must be a str, not {type(value).__name__}")
    if max_age is None and expires is None and type(key) is str:
        # PERF: without an expiry, everything around the value depends only
        # on the settings, the same on every request (a session cookie):
        # built and checked once per settings by the general path below.
        settings: tuple[t.Any, ...] | None  # None once found unhashable
        settings = (key, path, domain, secure, httponly, samesite, partitioned)
        try:
            parts = _COOKIE_PARTS.get(settings)
        except TypeError:  # an unhashable setting: the general path copes
            parts = None
            settings = None
        if parts is None and settings is not None:
            empty = _dump_cookie(key, "", None, None, path, domain, secure, httponly, False, samesite, partitioned)
            if len(_COOKIE_PARTS) >= _COOKIE_PARTS_SIZE:
                _COOKIE_PARTS.clear()
            split = empty.index("=") + 1
            parts = _COOKIE_PARTS[settings] = (empty[:split], empty[split:])
        if parts is not None:
            return _check_cookie_size(key, _cookie_quote(value), parts[0], parts[1], max_size)
    return _dump_cookie(
        key, value, max_age, expires, path, domain, secure, httponly, sync_expires, samesite, partitioned, max_size
    )


#: ``(before the value, after the value)`` of ``Set-Cookie`` headers without
#: an expiry, by ``(key, path, domain, secure, httponly, samesite,
#: partitioned)``; see :func:`dump_cookie`.
_COOKIE_PARTS: dict[tuple[t.Any, ...], tuple[str, str]] = {}
_COOKIE_PARTS_SIZE = 64


def _check_cookie_size(key: str, value: str, before: str, after: str, max_size: int, stacklevel: int = 3) -> str:
    """Join a quoted cookie value with its name and attributes, warning when
    the header is larger than ``max_size`` (0: no limit)."""
    rv = before + value + after
    cookie_size = len(rv)
    if max_size and cookie_size > max_size:
        value_size = len(value)
        warnings.warn(
            f"The {key!r} cookie is too large: the value was {value_size} bytes but the"
            f" header required {cookie_size - value_size} extra bytes. The final size"
            f" was {cookie_size} bytes but the limit is {max_size} bytes. Browsers may"
            " silently ignore cookies larger than this.",
            stacklevel=stacklevel,  # the caller of dump_cookie
        )
    return rv


def _dump_cookie(
    key: str,
    value: str,
    max_age: timedelta | int | None,
    expires: str | datetime | int | float | None,
    path: str | None,
    domain: str | None,
    secure: bool,
    httponly: bool,
    sync_expires: bool,
    samesite: str | None,
    partitioned: bool,
    max_size: int = 0,
) -> str:
    """:func:`dump_cookie`'s general path: validate and build every part."""
    _refuse_line_breaks("name", key)
    _check_cookie_name(key)
    if path is not None and not _COOKIE_PATH_CHARS.issuperset(path):
        # ";", CR, LF, NUL and spaces are percent-encoded, as Werkzeug does,
        # so a path can never end the attribute.
        # PERF: most paths (``/`` above all) need no percent-encoding.
        path = quote(path, safe=_COOKIE_PATH_SAFE)
    if domain is not None:
        _refuse_line_breaks("domain", domain)
        _check_cookie_domain(domain)
        domain = domain.lstrip(".").encode("idna").decode("ascii")
    if isinstance(max_age, timedelta):
        max_age = int(max_age.total_seconds())
    if expires is not None:
        if isinstance(expires, str):
            _refuse_line_breaks("expiry", expires)
        else:
            expires = http_date(expires)
    elif max_age is not None and sync_expires:
        expires = http_date(_now() + max_age)
    if samesite is not None:
        samesite = samesite.title()
        if samesite not in _SAMESITE_VALUES:
            raise ValueError("SameSite must be 'Strict', 'Lax', or 'None'.")
    if partitioned:
        secure = True

    # PEP 3333 header values are latin-1 strings holding the UTF-8 bytes.
    parts = [f"{key.encode().decode('latin1')}="]
    if domain is not None:
        parts.append(f"Domain={domain}")
    if expires is not None:
        parts.append(f"Expires={expires}")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    if httponly:
        parts.append("HttpOnly")
    if path is not None:
        parts.append(f"Path={path}")
    if samesite is not None:
        parts.append(f"SameSite={samesite}")
    if partitioned:
        parts.append("Partitioned")
    after = "".join(f"; {part}" for part in parts[1:])
    return _check_cookie_size(key, _cookie_quote(value), parts[0], after, max_size, stacklevel=4)

