"""IO-free cores of cookie parsing and of the conditional-request check.

These take plain header strings, not a WSGI environ; :mod:`wsgikit.http`
adapts the environ to them and the sans-IO request uses them directly.
"""

from __future__ import annotations

import re
import typing as t
from datetime import datetime

from .. import datastructures as ds
from .._http_text import _unescape_any
from .._internal import _dt_as_utc
from ..http import generate_etag
from ..http import parse_date
from ..http import parse_etags
from ..http import parse_if_range_header
from ..http import unquote_etag

#: A cookie quoted-string from its opening quote; unrolled so that a missing
#: closing quote costs one linear scan. As in Werkzeug, an escaped newline
#: is not an escape.
_cookie_quoted_re = re.compile(r'"[^\\"]*(?:\\.[^\\"]*)*"')
#: A backslash escape in a quoted cookie value: three octal digits for a
#: byte, or any other byte standing for itself.
_cookie_unslash_re = re.compile(rb"\\([0-3][0-7]{2}|.)")
#: Cheap pre-check: could the value hold an octal escape at all?
_cookie_octal_re = re.compile(r"\\[0-3][0-7]{2}")
_ASCII_WS = " \t\n\r\f\v"


def _unslash_byte(m: re.Match[bytes]) -> bytes:
    escaped = m.group(1)
    if len(escaped) == 1:
        return escaped
    return bytes((int(escaped, 8),))


def _unslash(value: str) -> str:
    # Escapes work on UTF-8 bytes: ``\303\251`` is two bytes that make "é".
    if "\\" not in value:
        return value
    if _cookie_octal_re.search(value) is None:
        # PERF: without octal escapes every escape is "the next character",
        # which can be undone on the str itself with C-level replaces.
        return _unescape_any(value)
    raw = value.encode("utf-8", "surrogatepass")
    return _cookie_unslash_re.sub(_unslash_byte, raw).decode("utf-8", "replace")


def _skip_ascii_ws(value: str, pos: int, end: int) -> int:
    while pos < end and value[pos] in _ASCII_WS:
        pos += 1
    return pos


def _cookie_pairs(cookie: str) -> list[tuple[str, str]]:
    # Theory of operation: a cookie header is ``name=value`` pairs separated
    # by ``;``. The name runs to the first ``=`` or ``;``; the value to the
    # next ``;``, unless it opens with a quote and a complete quoted-string
    # followed by ``;`` (or the end) is there, in which case ``;`` inside the
    # quotes does not separate. Names and values are stripped; pairs without
    # a name are dropped (so ``=__Host-x=bad`` cannot forge a prefixed name).
    # Every ``find`` is bounded by the current pair and the quoted-string
    # regex cannot overlap itself, so the scan is linear.
    if '"' not in cookie:
        # PERF: no quotes (the usual case) means plain splitting is exact.
        pairs = []
        for part in cookie.split(";"):
            key, _, value = part.partition("=")
            key = key.strip()
            if key:
                pairs.append((key, value.strip()))
        return pairs
    return _quoted_cookie_pairs(cookie)


def _quoted_cookie_pairs(cookie: str) -> list[tuple[str, str]]:
    pairs = []
    n = len(cookie)
    pos = 0
    while pos < n:
        end = cookie.find(";", pos)
        if end == -1:
            end = n
        eq = cookie.find("=", pos, end)
        if eq == -1:
            key = cookie[pos:end].strip()
            if key:
                pairs.append((key, ""))
            pos = end + 1
            continue
        key = cookie[pos:eq].strip()
        if len(key) >= 2 and key[0] == key[-1] == '"':
            key = _unslash(key[1:-1])
        start = _skip_ascii_ws(cookie, eq + 1, n)
        if start < n and cookie[start] == '"':
            m = _cookie_quoted_re.match(cookie, start)
            if m is not None:
                after = _skip_ascii_ws(cookie, m.end(), n)
                if after == n or cookie[after] == ";":
                    if key:
                        pairs.append((key, _unslash(cookie[start + 1 : m.end() - 1])))
                    pos = after + 1
                    continue
        value = cookie[eq + 1 : end].strip()
        if key:
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = _unslash(value[1:-1])
            pairs.append((key, value))
        pos = end + 1
    return pairs


def parse_cookie(
    cookie: str | None = None,
    cls: type[ds.MultiDict[str, str]] | None = None,
) -> ds.MultiDict[str, str]:
    """Parse a ``Cookie`` header value into a multi-dict.

    All pairs are kept in order, so a repeated name keeps every value;
    quoted names and values are unquoted (backslash and octal escapes
    decoded as UTF-8); pairs with an empty name are skipped.

    :param cookie: The header value, already decoded to text.
    :param cls: The multi-dict class to return; ``MultiDict`` by default.
    """
    if cls is None:
        cls = ds.MultiDict
    if not cookie:
        return cls()
    return cls(_cookie_pairs(cookie))


def is_resource_modified(
    http_range: str | None = None,
    http_if_range: str | None = None,
    http_if_modified_since: str | None = None,
    http_if_none_match: str | None = None,
    http_if_match: str | None = None,
    etag: str | None = None,
    data: bytes | None = None,
    last_modified: datetime | str | None = None,
    ignore_if_range: bool = True,
) -> bool:
    """Tell whether a resource changed relative to conditional headers.

    The rules follow RFC 9110/9111: with ``If-Range`` (only when a
    ``Range`` is asked for and ``ignore_if_range`` is false) its date or
    strong tag decides; otherwise ``If-Modified-Since`` compares dates at
    second precision, ``If-None-Match`` compares tags weakly and
    ``If-Match`` strongly.

    :param http_range: The ``Range`` header.
    :param http_if_range: The ``If-Range`` header.
    :param http_if_modified_since: The ``If-Modified-Since`` header.
    :param http_if_none_match: The ``If-None-Match`` header.
    :param http_if_match: The ``If-Match`` header.
    :param etag: The resource's entity tag.
    :param data: The body, to generate the tag from (not with ``etag``).
    :param last_modified: When the resource last changed.
    :param ignore_if_range: Do not consider ``If-Range``.
    :raise TypeError: Both ``etag`` and ``data`` were given.
    """
    if etag is None and data is not None:
        etag = generate_etag(data)
    elif data is not None:
        raise TypeError("both data and etag given")

    unmodified = False
    if isinstance(last_modified, str):
        last_modified = parse_date(last_modified)
    if last_modified is not None:
        # HTTP dates have no sub-second part; drop it so equal times compare equal.
        last_modified = _dt_as_utc(last_modified.replace(microsecond=0))

    if_range = None
    if not ignore_if_range and http_range is not None:
        # If-Range only means something together with Range (RFC 9110 13.1.5).
        if_range = parse_if_range_header(http_if_range)

    if if_range is not None and if_range.date is not None:
        modified_since: datetime | None = if_range.date
    else:
        modified_since = parse_date(http_if_modified_since)
    if modified_since and last_modified and last_modified <= modified_since:
        unmodified = True

    if etag:
        etag, _ = unquote_etag(etag)
        etag = t.cast(str, etag)
        if if_range is not None and if_range.etag is not None:
            unmodified = parse_etags(if_range.etag).contains(etag)
        else:
            if_none_match = parse_etags(http_if_none_match)
            if if_none_match:
                # If-None-Match uses the weak comparison (RFC 9110 13.1.2).
                unmodified = if_none_match.contains_weak(etag)
            if_match = parse_etags(http_if_match)
            if if_match:
                # If-Match uses the strong comparison (RFC 9110 13.1.1).
                unmodified = not if_match.is_strong(etag)
    return not unmodified
