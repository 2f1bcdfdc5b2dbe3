"""The pure text helpers of HTTP headers: quoting, lists, options, entity
tags, dates and the status reason phrases.

Everything here maps strings to strings (or to plain dicts, lists and
tuples) and imports nothing of wsgikit beyond :mod:`wsgikit._internal`, so
the data structures below :mod:`wsgikit.http` in the layer stack can use it
at import time. :mod:`wsgikit.http` re-exports every public name; import
them from there.

The rules of :mod:`wsgikit.http` hold here too: garbage in gives the
documented "nothing" out, and work is linear in the input.
"""

from __future__ import annotations

import re
import typing as t
from datetime import date
from datetime import datetime
from datetime import timezone
from time import gmtime
from time import mktime
from time import struct_time
from time import time as _now
from urllib.parse import unquote

if t.TYPE_CHECKING:
    from .datastructures import ContentSecurityPolicy

#: Reason phrases by status code, as Werkzeug spells them.
HTTP_STATUS_CODES: dict[int, str] = {
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",  # see RFC 8297
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi Status",
    208: "Already Reported",  # see RFC 5842
    226: "IM Used",  # see RFC 3229
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    306: "Switch Proxy",  # unused
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",  # unused
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "Request URI Too Long",
    415: "Unsupported Media Type",
    416: "Requested Range Not Satisfiable",
    417: "Expectation Failed",
    418: "I'm a teapot",  # see RFC 2324
    421: "Misdirected Request",  # see RFC 7540
    422: "Unprocessable Entity",
    423: "Locked",
    424: "Failed Dependency",
    425: "Too Early",  # see RFC 8470
    426: "Upgrade Required",
    428: "Precondition Required",  # see RFC 6585
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    449: "Retry With",  # proprietary MS extension
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",  # see RFC 2295
    507: "Insufficient Storage",
    508: "Loop Detected",  # see RFC 5842
    510: "Not Extended",
    511: "Network Authentication Failed",
}


# RFC 9110 "tchar": the characters a token may use without quoting.
_TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: PERF: ``frozenset.issuperset(str)`` checks a whole value in one C loop.
_TOKEN_CHARS = frozenset(_TCHARS)
_TOKEN = r"[A-Za-z0-9!#$%&'*+\-.^_`|~]"
# The same without the apostrophe, which separates RFC 2231 charset'lang'value.
_TOKEN_NO_APOS = r"[A-Za-z0-9!#$%&*+\-.^_`|~]"

#: Backslash escapes in a quoted-string: the escaped character stands for itself.
_unescape_any_re = re.compile(r"\\(.)")
#: An RFC 2231 extended value ``charset'language'percent-encoded``.
_charset_value_re = re.compile(rf"({_TOKEN_NO_APOS}*)'({_TOKEN_NO_APOS}*)'({_TOKEN}+)")
#: The charsets RFC 2231 values may name and that we decode; others stay encoded.
_RFC2231_CHARSETS = frozenset(["ascii", "us-ascii", "utf-8", "iso-8859-1"])
#: One ``key=value`` option after its ``;``: the value is a token or a
#: quoted-string. The quoted part is "unrolled" (plain run, then escape +
#: plain run, ...) so its pieces cannot overlap and a missing closing quote
#: costs one linear scan, not a backtracking storm.
_option_re = re.compile(
    rf'\s*({_TOKEN}+)=(?:({_TOKEN}+)|"([^\\"]*(?:\\.[^\\"]*)*)")',
    re.DOTALL,
)
#: The rest of a quoted-string after its opening quote, for list splitting.
_quoted_tail_re = re.compile(r'[^\\"]*(?:\\.[^\\"]*)*"', re.DOTALL)
#: A quality value: digits with an optional fraction, nothing else.
_q_value_re = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: How a weak entity tag starts.
_WEAK_PREFIXES = ("W/", "w/")
_WEAK_QUOTED_PREFIXES = ('W/"', 'w/"')
#: A quote that can close a quoted entity tag: a comma separator or the end
#: (``$`` also matches before a final newline) follows it.
_etag_close_re = re.compile(r'"(?=\s*,|$)')
#: Unicode whitespace, as the ``\s`` in a str regex means it.
_ws_re = re.compile(r"\s*")


# --------------------------------------------------------------------------
# Quoting
# --------------------------------------------------------------------------


def quote_header_value(value: object, allow_token: bool = True) -> str:
    """Quote a value for use in a header, if it needs quoting.

    A value made only of token characters is returned as is (unless
    ``allow_token`` is false); anything else becomes an RFC 9110
    quoted-string with ``\\`` and ``"`` escaped. Non-strings are converted
    with :class:`str`; the empty string becomes ``""``.

    :param value: The value to quote.
    :param allow_token: Leave token values unquoted.
    """
    if not isinstance(value, str):
        value = str(value)
    if not value:
        return '""'
    if allow_token and _TOKEN_CHARS.issuperset(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unquote_header_value(value: str) -> str:
    """Undo :func:`quote_header_value`.

    A value wrapped in double quotes loses the quotes, and each backslash
    escape inside becomes the escaped character. Anything else is returned
    unchanged.

    :param value: The header value, possibly quoted.
    """
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _unescape_any(value[1:-1])
    return value


def _unescape_any(value: str) -> str:
    """Replace each backslash escape with the escaped character, as
    ``re.sub(r"\\(.)", r"\1", value)`` would (a newline is not escapable).
    """
    if "\\" not in value:
        return value
    # PERF: three C-level replaces instead of one Python-level callback or
    # template expansion per escape (400 KB of backslashes: ms, not 0.3 s).
    # Escaped backslashes become a placeholder first, so every remaining
    # backslash escapes a different character and can simply be dropped.
    if "\0" not in value:
        pairs_done = value.replace("\\\\", "\0")
        if pairs_done[-1:] != "\\" and "\\\n" not in pairs_done:
            return pairs_done.replace("\\", "").replace("\0", "\\")
    return _unescape_any_re.sub(r"\1", value)


def _unescape_options_value(value: str) -> str:
    # Only ``\\`` and ``\"`` are escapes in option values: a Windows path in
    # ``filename="C:\dir\file"`` keeps its backslashes. The escape pairs of a
    # valid quoted-string never straddle, so two replaces are exact. Then
    # ``%22``, which the HTML standard sends for a quote inside a multipart
    # field or file name, becomes ``"`` too (Werkzeug does the same).
    if "\\" in value:
        value = value.replace("\\\\", "\\").replace('\\"', '"')
    if "%22" in value:
        value = value.replace("%22", '"')
    return value


def dump_options_header(header: str | None, options: t.Mapping[str, t.Any]) -> str:
    """Build a header value with ``; key=value`` options, the inverse of
    :func:`parse_options_header`.

    Options whose value is ``None`` are left out. A key ending in ``*`` is
    an RFC 2231 extended value and is written without quoting.

    :param header: The main value, or ``None`` for options only.
    :param options: The options to append.
    """
    segments = [] if header is None else [header]
    for key, value in options.items():
        if value is None:
            continue
        if key[-1:] == "*":
            segments.append(f"{key}={value}")
        else:
            segments.append(f"{key}={quote_header_value(value)}")
    return "; ".join(segments)


def dump_header(iterable: dict[str, t.Any] | t.Iterable[t.Any]) -> str:
    """Build a comma-separated header value from a dict or an iterable.

    A dict gives ``key=value`` items (a ``None`` value gives the bare key);
    other iterables give their quoted items.

    :param iterable: The items to join.
    """
    if isinstance(iterable, dict):
        items = []
        for key, value in iterable.items():
            if value is None:
                items.append(key)
            elif key[-1:] == "*":
                items.append(f"{key}={value}")
            else:
                items.append(f"{key}={quote_header_value(value)}")
    else:
        items = [quote_header_value(x) for x in iterable]
    return ", ".join(items)


def dump_csp_header(header: ContentSecurityPolicy) -> str:
    """Build a ``Content-Security-Policy`` value from its directives.

    :param header: The policy, a mapping of directive to value.
    """
    return "; ".join(f"{key} {value}" for key, value in header.items())


# --------------------------------------------------------------------------
# Lists, dicts and options
# --------------------------------------------------------------------------


def parse_list_header(value: str) -> list[str]:
    """Split a comma-separated header value into its items.

    Commas inside quoted-strings do not split; items that are entirely a
    quoted-string are unquoted; surrounding whitespace and empty items are
    dropped. A quoted-string that never closes makes the whole value
    invalid and the result empty.

    :param value: The header value.
    """
    if '"' not in value:
        # PERF: without quotes, splitting on commas is the whole job.
        return [item for item in map(str.strip, value.split(",")) if item]
    raw = _split_quoted_list(value)
    if raw is None:
        return []
    result = []
    for item in raw:
        item = item.strip()
        if not item:
            continue
        if len(item) >= 2 and item[0] == item[-1] == '"':
            item = _unescape_any(item[1:-1])
        result.append(item)
    return result


def _split_quoted_list(value: str) -> list[str] | None:
    # Theory of operation: walk from comma to comma; a quote met before the
    # next comma opens a quoted-string, which the precompiled tail regex
    # skips in one linear step (escapes included), after which the walk
    # goes on. The next comma and next quote positions are cached and only
    # looked up again once the walk has passed them, so every character is
    # scanned a bounded number of times. ``None`` means an unclosed quote.
    items = []
    start = pos = 0
    comma = value.find(",")
    quote_pos = value.find('"')
    match_tail = _quoted_tail_re.match
    while True:
        if quote_pos != -1 and quote_pos < pos:
            quote_pos = value.find('"', pos)
        if comma != -1 and comma < pos:
            comma = value.find(",", pos)
        if quote_pos != -1 and (comma == -1 or quote_pos < comma):
            m = match_tail(value, quote_pos + 1)
            if m is None:
                return None
            pos = m.end()
            continue
        if comma == -1:
            items.append(value[start:])
            return items
        items.append(value[start:comma])
        start = pos = comma + 1


def _decode_rfc2231(value: str, encoding: str | None) -> str:
    # Percent-decode only for the charsets we trust to name a real codec.
    if encoding is not None and encoding.lower() in _RFC2231_CHARSETS:
        return unquote(value, encoding=encoding, errors="replace")
    return value


def parse_dict_header(value: str) -> dict[str, str | None]:
    """Parse a comma-separated list of ``key=value`` items into a dict.

    Items without ``=`` map to ``None``; quoted values are unquoted; a key
    ending in ``*`` holds an RFC 2231 value (``UTF-8''%E2%82%AC``) that is
    decoded. A later duplicate key wins.

    :param value: The header value.
    """
    result: dict[str, str | None] = {}
    for item in parse_list_header(value):
        key, has_value, item_value = item.partition("=")
        key = key.strip()
        if not key:
            continue
        if not has_value:
            result[key] = None
            continue
        item_value = item_value.strip()
        if key[-1] == "*":
            key = key[:-1]
            m = _charset_value_re.match(item_value)
            if m is not None:
                result[key] = _decode_rfc2231(m.group(3), m.group(1))
                continue
        if len(item_value) >= 2 and item_value[0] == item_value[-1] == '"':
            item_value = unquote_header_value(item_value)
        result[key] = item_value
    return result


def parse_options_header(value: str | None) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type``-like value into its main value and options.

    ``'text/html; charset="utf-8"'`` gives ``('text/html', {'charset':
    'utf-8'})``. Option keys are lowercased; values are tokens or
    quoted-strings; RFC 2231 extended values (``key*=UTF-8''...``) are
    decoded and continuations (``key*0``, ``key*1``, ...) joined in the
    order they appear. Malformed options are skipped.

    :param value: The header value.
    """
    if not value:
        return "", {}
    if ";" not in value:
        # PERF: a bare value such as ``text/plain`` needs no option scan (and
        # the ``in`` operator is cheaper than a method call).
        return value.strip(), {}
    semi = value.find(";")
    main = value[:semi].strip()
    if not main:
        return "", {}
    return main, _parse_options(value, semi)


def _parse_options(value: str, semi: int) -> dict[str, str]:
    # Theory of operation: ``semi`` is a ``;``. At each one, the option regex
    # tries ``key=token`` or ``key="quoted"`` right after it (whitespace
    # allowed before the key only). Whatever it matched or not, the scan goes
    # on from the next ``;`` after the match, so a ``;`` inside a good
    # quoted-string is not a separator while junk up to the next ``;`` is
    # ignored. The RFC 2231 charset of the last ``key*=`` value carries over
    # to later ``*`` values, as continuations need.
    options: dict[str, str] = {}
    encoding: str | None = None
    match_option = _option_re.match
    find = value.find
    while semi != -1:
        m = match_option(value, semi + 1)
        if m is None:
            semi = find(";", semi + 1)
            continue
        key, token, quoted = m.groups()
        key = key.lower()
        option = token if token is not None else _unescape_options_value(quoted)
        if key[-1] == "*":
            key = key[:-1]
            cm = _charset_value_re.match(token) if token is not None else None
            if cm is not None:
                encoding, option = cm.group(1), cm.group(3)
            option = _decode_rfc2231(option, encoding)
        base, star, index = key.rpartition("*")
        if star and index.isdigit():
            # A continuation: ``name*0``, ``name*1``... appended in order seen.
            options[base] = options.get(base, "") + option
        else:
            options[key] = option
        semi = find(";", m.end())
    return options




def generate_etag(data: bytes) -> str:
    """Return a strong entity tag for ``data``: its SHA-1 hex digest.

    :param data: The body to tag.
    """
    # Cold start: hashlib loads OpenSSL; most requests never make an ETag.
    from hashlib import sha1

    return sha1(data).hexdigest()


def quote_etag(etag: str, weak: bool = False) -> str:
    """Wrap an entity tag in quotes, with the ``W/`` prefix if weak.

    :param etag: The bare tag; it may not contain a double quote.
    :param weak: Mark the tag as weak.
    :raise ValueError: The tag contains a double quote.
    """
    if '"' in etag:
        raise ValueError("invalid etag")
    if weak:
        return f'W/"{etag}"'
    return f'"{etag}"'


def unquote_etag(etag: str | None) -> tuple[str, bool] | tuple[None, None]:
    """Split a quoted entity tag into ``(tag, is_weak)``.

    ``'W/"abc"'`` gives ``('abc', True)``; an empty value gives
    ``(None, None)``.

    :param etag: The quoted tag.
    """
    if not etag:
        return None, None
    etag = etag.strip()
    weak = False
    if etag[:2] in _WEAK_PREFIXES:
        weak = True
        etag = etag[2:]
    if etag[:1] == etag[-1:] == '"':
        etag = etag[1:-1]
    return etag, weak




def is_byte_range_valid(start: int | None, stop: int | None, length: int | None) -> bool:
    """Tell whether a half-open byte range makes sense for ``length``.

    ``start`` and ``stop`` are both given or both ``None`` (unsatisfied
    range, only the length known).

    :param start: First byte, or ``None``.
    :param stop: One past the last byte, or ``None``.
    :param length: Total length, or ``None`` if unknown.
    """
    if (start is None) != (stop is None):
        return False
    if start is None:
        return length is None or length >= 0
    if length is None:
        return 0 <= start < stop  # type: ignore[operator]  # stop is set: the first check pairs it with start
    if start >= stop:  # type: ignore[operator]  # stop is set, as above
        return False
    return 0 <= start < length




_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS) if name}


def http_date(timestamp: datetime | date | int | float | struct_time | None = None) -> str:
    """Format a moment as an HTTP date (``Sun, 06 Nov 1994 08:49:37 GMT``).

    Naive datetimes and dates count as UTC, aware ones are converted;
    numbers are Unix timestamps; a :class:`time.struct_time` is read as
    local time, as :func:`time.mktime` does; ``None`` means now.

    :param timestamp: The moment to format.
    """
    if timestamp is None:
        timestamp = _now()
    elif isinstance(timestamp, datetime):
        if timestamp.tzinfo is not None:
            timestamp = timestamp.astimezone(timezone.utc)
        return _format_fields(
            timestamp.weekday(),
            timestamp.day,
            timestamp.month,
            timestamp.year,
            timestamp.hour,
            timestamp.minute,
            timestamp.second,
        )
    elif isinstance(timestamp, date):
        return _format_fields(timestamp.weekday(), timestamp.day, timestamp.month, timestamp.year, 0, 0, 0)
    elif isinstance(timestamp, struct_time):
        timestamp = mktime(timestamp)
    try:
        # PERF: gmtime is several times faster than building a datetime.
        tm = gmtime(timestamp)
    except (OverflowError, OSError, ValueError):
        tm = None
    if tm is None or not 1 <= tm.tm_year <= 9999:
        # Let datetime raise its usual error for out-of-range moments.
        return http_date(datetime.fromtimestamp(timestamp, timezone.utc))
    return _format_fields(tm.tm_wday, tm.tm_mday, tm.tm_mon, tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


#: PERF: indexing a table beats a ``:02d`` format spec, five times per date.
_TWO_DIGITS = tuple(f"{number:02d}" for number in range(100))


def _format_fields(wday: int, day: int, month: int, year: int, hour: int, minute: int, second: int) -> str:
    two = _TWO_DIGITS
    return f"{_WEEKDAYS[wday]}, {two[day]} {_MONTHS[month]} {year:04d} {two[hour]}:{two[minute]}:{two[second]} GMT"
