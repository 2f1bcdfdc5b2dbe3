"""URL and IRI helpers.

- :func:`iri_to_uri` / :func:`uri_to_iri`: convert between the text a
  person reads (``http://☃.net/påth``) and the ASCII form sent on the wire
  (``http://xn--n3h.net/p%C3%A5th``), with Werkzeug 3.1's exact output.
- The classic query-string codec from the Werkzeug 0.8 - 2.x days, kept
  because code written against that API still uses it: :func:`url_encode`,
  :func:`url_decode`, their stream variants, and :func:`url_quote`,
  :func:`url_quote_plus`, :func:`url_unquote`, :func:`url_unquote_plus`.

Internal helpers for the rest of the package (not public API):
:func:`_make_fast_url_quote`, :func:`_fast_url_quote` (path segments; keeps
``/`` and ``:``), :func:`_fast_url_quote_plus` (form values) and
:func:`_unquote_to_bytes`.
"""

from __future__ import annotations

import functools
import typing as t
from urllib.parse import unquote
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

if t.TYPE_CHECKING:
    from .datastructures import MultiDict

_T = t.TypeVar("_T")

_ALNUM = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

#: Bytes :func:`url_quote` never escapes: unreserved characters plus the
#: RFC 3986 sub-delimiters that carry no meaning in a query string
#: (``&``, ``=`` are escaped so keys and values stay unambiguous).
_always_safe = frozenset(_ALNUM + b"-._~" + b"$!'()*+,;")

#: Hex pair -> byte value, both letter cases. A dict lookup refuses
#: everything ``int(x, 16)`` would wrongly accept (" 1", "+1", "1_").
def _make_hex_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for byte in range(256):
        hi, lo = "0123456789abcdef"[byte >> 4], "0123456789abcdef"[byte & 15]
        for pair in (hi + lo, hi.upper() + lo, hi + lo.upper(), hi.upper() + lo.upper()):
            table[pair] = byte
    return table


_hex_to_byte = _make_hex_table()
_hex_to_byte_b: dict[bytes, int] = {k.encode("ascii"): v for k, v in _hex_to_byte.items()}


def _make_fast_url_quote(
    charset: str = "utf-8",
    errors: str = "strict",
    safe: str | bytes = "/:",
    unsafe: str | bytes = "",
) -> t.Callable[[str | bytes], str]:
    """Build a quoting function with the character table computed once.

    Internal. ``safe`` adds to :data:`_always_safe`, ``unsafe`` removes from
    it. The returned function takes ``str`` (encoded with ``charset``) or
    bytes and returns the percent-encoded text.
    """
    if isinstance(safe, str):
        safe = safe.encode(charset, errors)
    if isinstance(unsafe, str):
        unsafe = unsafe.encode(charset, errors)
    safe_set = (frozenset(safe) | _always_safe) - frozenset(unsafe)
    return _quoter_for(frozenset(safe_set), charset, errors)


def _quoter_for(safe_set: frozenset[int], charset: str = "utf-8", errors: str = "strict") -> t.Callable[[str | bytes], str]:
    # One string per byte: the byte itself when safe, else "%XX".
    table = [chr(b) if b in safe_set else f"%{b:02X}" for b in range(256)]
    safe_bytes = bytes(sorted(safe_set))
    lookup = table.__getitem__

    def quote(string: str | bytes) -> str:
        data = string.encode(charset, errors) if isinstance(string, str) else string
        # PERF: deleting every safe byte is one C loop; nothing left means
        # nothing to escape, the common case for identifiers and slugs.
        if not data.translate(None, safe_bytes):
            return data.decode("ascii")
        return "".join(map(lookup, data))

    return quote


#: Quote a path or value for a URL, keeping ``/`` and ``:``. Internal.
_fast_url_quote = _make_fast_url_quote()
_fast_quote_plus_spaces = _make_fast_url_quote(safe=" ", unsafe="+")


def _fast_url_quote_plus(string: str | bytes) -> str:
    """Quote for ``application/x-www-form-urlencoded``: space becomes ``+``. Internal."""
    return _fast_quote_plus_spaces(string).replace(" ", "+")


# -- IRI <-> URI --------------------------------------------------------------

#: Printable ASCII that may stay as-is in a URI path, query or fragment:
#: everything but the characters RFC 3986 never allows there.
_uri_text_safe = frozenset(range(0x21, 0x7F)) - frozenset(b'"<>[\\]^`{|}')
_quote_uri_text = _quoter_for(_uri_text_safe)
_quote_userinfo = _quoter_for(frozenset(_ALNUM + b"-._~" + b"%!$&'()*+,;="))


def iri_to_uri(iri: str) -> str:
    """Convert an IRI (may contain any Unicode) to an ASCII URI.

    The host is IDNA-encoded; the user info, path, query and fragment are
    UTF-8 percent-encoded, leaving existing ``%XX`` escapes and reserved
    characters alone, so converting a URI again changes nothing.

    >>> iri_to_uri("http://☃.net/p\\xe5th?q=\\xe8ry%DF")
    'http://xn--n3h.net/p%C3%A5th?q=%C3%A8ry%DF'

    :raises ValueError: the port is not a number in 0-65535, or the IPv6
        brackets are unbalanced.
    :raises UnicodeError: the host cannot be IDNA-encoded.
    """
    parts = urlsplit(iri)
    netloc = _encode_netloc(parts)
    path = _quote_uri_text(parts.path)
    query = _quote_uri_text(parts.query)
    fragment = _quote_uri_text(parts.fragment)
    return _unsplit(iri, parts.scheme, netloc, path, query, fragment)


def _unsplit(original: str, scheme: str, netloc: str, path: str, query: str, fragment: str) -> str:
    """``urlunsplit`` that keeps an empty authority (``//``) the original
    had: the stdlib drops it for schemes it does not know, which would turn
    ``itms-services://?url=...`` into ``itms-services:?url=...``."""
    url = urlunsplit((scheme, netloc, path, query, fragment))
    if netloc:
        return url
    prefix = f"{scheme}:" if scheme else ""
    if original.startswith("//", len(prefix)) and not url.startswith("//", len(prefix)):
        url = f"{prefix}//{url[len(prefix):]}"
    return url


def _encode_idna(host: str) -> str:
    # PERF: the idna codec returns an ASCII host unchanged once its label
    # lengths check out; doing that check here skips the codec machinery.
    # Anything else (Unicode, bad lengths) goes through the codec, which
    # also produces the exact error for invalid hosts.
    if host.isascii():
        labels = host.split(".")
        if len(labels[-1]) < 64 and all(0 < len(label) < 64 for label in labels[:-1]):
            return host
    return host.encode("idna").decode("ascii")


def _is_bare_host(netloc: str) -> bool:
    # PERF: SplitResult's hostname/port/username/password properties each
    # parse the netloc again; a netloc that is just a host name (the common
    # case) needs none of them: its hostname is the lower-cased netloc.
    return not any(c in netloc for c in "@:[]%")


def _rebuild_netloc(
    parts: t.Any, host_codec: t.Callable[[str], str], userinfo_codec: t.Callable[[str], str]
) -> str:
    """The netloc of ``parts`` with the host passed through ``host_codec``
    and the user name and password through ``userinfo_codec``."""
    if _is_bare_host(parts.netloc):
        host = parts.netloc.lower()
        return host_codec(host) if host else ""
    # The properties are read in this order so that, as in Werkzeug, a bad
    # host is reported before a bad port.
    host = parts.hostname
    netloc = host_codec(host) if host else ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    # Empty user names and passwords and port 0 are kept as given
    # (``http://:p@h``, ``http://u:@h``, ``http://h:0``); only absent parts
    # are left out.
    port = parts.port
    if port is not None:
        netloc = f"{netloc}:{port}"
    username = parts.username
    if username is not None:
        auth = userinfo_codec(username)
        password = parts.password
        if password is not None:
            auth = f"{auth}:{userinfo_codec(password)}"
        netloc = f"{auth}@{netloc}"
    return netloc


def _encode_netloc(parts: t.Any) -> str:
    return _rebuild_netloc(parts, _encode_idna, _quote_userinfo)


# Percent-escapes uri_to_iri leaves encoded, per URL part: C0 controls, DEL,
# space and "%" always (decoding them would change the meaning or make the
# result unreadable), plus the delimiters of that part.
_keep_always = frozenset(range(0x20)) | frozenset(b" %\x7f")
_keep_path = _keep_always | frozenset(b"#/?")
_keep_query = _keep_always | frozenset(b"#&+=")
_keep_fragment = _keep_always
_keep_userinfo = _keep_always | frozenset(b"#/:?@")


def uri_to_iri(uri: str) -> str:
    """Convert a URI to an IRI, the readable form of the same address.

    The host is IDNA-decoded; ``%XX`` escapes forming valid UTF-8 are
    decoded unless they stand for a delimiter of their part, whitespace,
    a control character or ``%``. Invalid UTF-8 stays escaped.

    >>> uri_to_iri("http://xn--n3h.net/p%C3%A5th?q=%C3%A8ry%DF")
    'http://☃.net/påth?q=èry%DF'

    :raises ValueError: the port is not a number in 0-65535, or the IPv6
        brackets are unbalanced.
    :raises UnicodeError: an ``xn--`` host label is not valid IDNA.
    """
    parts = urlsplit(uri)
    netloc = _decode_netloc(parts)
    path = _unquote_keeping(parts.path, _keep_path)
    query = _unquote_keeping(parts.query, _keep_query)
    fragment = _unquote_keeping(parts.fragment, _keep_fragment)
    return _unsplit(uri, parts.scheme, netloc, path, query, fragment)


def _decode_idna(host: str) -> str:
    # PERF: only "xn--" labels change when decoded; skip the codec otherwise.
    if "xn--" not in host:
        return host
    try:
        data = host.encode("ascii")
    except UnicodeError:
        return host  # already Unicode text, nothing to decode
    return data.decode("idna")


def _decode_netloc(parts: t.Any) -> str:
    return _rebuild_netloc(parts, _decode_idna, _unquote_userinfo)


def _unquote_userinfo(text: str) -> str:
    return _unquote_keeping(text, _keep_userinfo)


def _unquote_keeping(text: str, keep: frozenset[int]) -> str:
    """Decode ``%XX`` escapes in ``text`` except bytes in ``keep``.

    Theory of operation: split on "%"; every piece after the first starts
    with the escape's two hex digits (if it is an escape at all). Escaped
    bytes >= 0x80 gather in ``pending`` until something else appears, then
    decode as UTF-8 together; bytes of an invalid sequence come back as
    upper-case ``%XX``. Kept ASCII escapes are copied with their original
    spelling, and non-escapes ("%zz") are copied verbatim. One pass, linear.
    """
    if "%" not in text:
        return text
    pieces = text.split("%")
    out = [pieces[0]]
    pending = bytearray()
    hex_to_byte = _hex_to_byte
    for piece in pieces[1:]:
        byte = hex_to_byte.get(piece[:2])
        if byte is not None and byte >= 0x80:
            pending.append(byte)
            if len(piece) == 2:
                continue
            out.append(_decode_utf8_escapes(pending))
            pending.clear()
            out.append(piece[2:])
            continue
        if pending:
            out.append(_decode_utf8_escapes(pending))
            pending.clear()
        if byte is None or byte in keep:
            out.append("%")
            out.append(piece)
        else:
            out.append(chr(byte))
            out.append(piece[2:])
    if pending:
        out.append(_decode_utf8_escapes(pending))
    return "".join(out)


def _decode_utf8_escapes(data: bytearray) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Undecodable bytes surface as lone surrogates U+DC80..U+DCFF; turn
    # each back into its escape.
    text = data.decode("utf-8", "surrogateescape")
    return "".join(f"%{ord(c) - 0xDC00:02X}" if "\udc80" <= c <= "\udcff" else c for c in text)


# -- the classic quoting API (Werkzeug 0.8 - 2.x) -----------------------------


def url_quote(
    string: str | bytes,
    charset: str = "utf-8",
    errors: str = "strict",
    safe: str | bytes = "/:",
    unsafe: str | bytes = "",
) -> str:
    """Percent-encode ``string`` for use in a URL.

    :param string: text (encoded with ``charset``), bytes, or any object
        (converted with :class:`str`).
    :param safe: characters to leave alone besides letters, digits and
        ``-._~$!'()*+,;``.
    :param unsafe: characters to escape even if otherwise safe.
    """
    if not isinstance(string, (str, bytes, bytearray)):
        string = str(string)
    if isinstance(string, str):
        string = string.encode(charset, errors)
    if safe == "/:" and not unsafe:
        return _fast_url_quote(string)
    return _cached_quoter(charset, errors, safe, unsafe)(string)


# PERF: callers pass the same few safe/unsafe sets again and again
# (url_quote_plus always does); build each 256-entry table once.
_cached_quoter = functools.lru_cache(maxsize=64)(_make_fast_url_quote)


def url_quote_plus(string: str | bytes, charset: str = "utf-8", errors: str = "strict", safe: str = "") -> str:
    """Like :func:`url_quote` for form data: spaces become ``+`` and ``+``
    itself is escaped."""
    return url_quote(string, charset, errors, safe + " ", "+").replace(" ", "+")


def _unquote_to_bytes(string: str | bytes, unsafe: str | bytes = "") -> bytes:
    """Decode ``%XX`` escapes to bytes, leaving escapes of ``unsafe`` bytes
    and malformed escapes as they are. Text is UTF-8 encoded first. Internal."""
    if isinstance(string, str):
        string = string.encode("utf-8")
    if isinstance(unsafe, str):
        unsafe = unsafe.encode("utf-8")
    if b"%" not in string:
        return bytes(string)
    unsafe_set = frozenset(unsafe)
    pieces = string.split(b"%")
    out = [pieces[0]]
    hex_to_byte = _hex_to_byte_b
    for piece in pieces[1:]:
        byte = hex_to_byte.get(piece[:2])
        if byte is None or byte in unsafe_set:
            out.append(b"%")
            out.append(piece)
        else:
            out.append(_SINGLE_BYTES[byte])
            out.append(piece[2:])
    return b"".join(out)


_SINGLE_BYTES = [bytes((b,)) for b in range(256)]


@t.overload
def url_unquote(s: str | bytes, charset: str = ..., errors: str = ..., unsafe: str = ...) -> str: ...
@t.overload
def url_unquote(s: str | bytes, charset: None, errors: str = ..., unsafe: str = ...) -> bytes: ...


def url_unquote(
    s: str | bytes, charset: str | None = "utf-8", errors: str = "replace", unsafe: str = ""
) -> str | bytes:
    """Decode ``%XX`` escapes.

    :param charset: decode the result with this; ``None`` returns bytes.
    :param errors: how to handle undecodable bytes (``"replace"`` gives U+FFFD).
    :param unsafe: characters whose escapes are left encoded.
    """
    if isinstance(s, str) and "%" not in s and not unsafe and (charset == "utf-8" or s.isascii()):
        return s  # PERF: nothing to decode; skip the encode/decode round trip
    data = _unquote_to_bytes(s, unsafe)
    if charset is None:
        return data
    return data.decode(charset, errors)


@t.overload
def url_unquote_plus(s: str | bytes, charset: str = ..., errors: str = ...) -> str: ...
@t.overload
def url_unquote_plus(s: str | bytes, charset: None, errors: str = ...) -> bytes: ...


def url_unquote_plus(s: str | bytes, charset: str | None = "utf-8", errors: str = "replace") -> str | bytes:
    """Like :func:`url_unquote` for form data: ``+`` means a space."""
    if isinstance(s, str):
        s = s.replace("+", " ")
    else:
        s = s.replace(b"+", b" ")
    return url_unquote(s, charset, errors)


# -- query strings ------------------------------------------------------------


def _iter_multi_items(obj: t.Any) -> t.Iterator[tuple[t.Any, t.Any]]:
    """Yield ``(key, value)`` pairs from a MultiDict (every value), a dict
    (list/tuple values expand to one pair each) or an iterable of pairs."""
    # Deliberate upward call: urls sits below datastructures in the layer stack.
    from .datastructures import MultiDict

    if isinstance(obj, MultiDict):
        yield from obj.items(multi=True)
    elif isinstance(obj, t.Mapping):
        for key, value in obj.items():
            if isinstance(value, (tuple, list)):
                for item in value:
                    yield key, item
            else:
                yield key, value
    else:
        yield from obj


def _url_encode_impl(
    obj: t.Any, charset: str, sort: bool, key: t.Callable[[tuple[t.Any, t.Any]], t.Any] | None
) -> t.Iterator[str]:
    items: t.Iterable[tuple[t.Any, t.Any]] = _iter_multi_items(obj)
    if sort:
        items = sorted(items, key=key)
    quote = _fast_quote_plus_spaces
    for name, value in items:
        if value is None:
            continue
        if not isinstance(name, bytes):
            name = str(name).encode(charset)
        if not isinstance(value, bytes):
            value = str(value).encode(charset)
        yield f"{quote(name)}={quote(value)}".replace(" ", "+")


def url_encode(
    obj: t.Any,
    charset: str = "utf-8",
    sort: bool = False,
    key: t.Callable[[tuple[t.Any, t.Any]], t.Any] | None = None,
    separator: str = "&",
) -> str:
    """Encode a dict, MultiDict or iterable of pairs as a query string.

    ``None`` values are skipped; list values in a plain dict repeat the key.

    :param sort: sort the pairs (with ``key``) for a stable result.
    :param separator: joins the pairs.
    """
    if isinstance(separator, bytes):
        separator = separator.decode("ascii")
    return separator.join(_url_encode_impl(obj, charset, sort, key))


def url_encode_stream(
    obj: t.Any,
    stream: t.IO[str] | None = None,
    charset: str = "utf-8",
    sort: bool = False,
    key: t.Callable[[tuple[t.Any, t.Any]], t.Any] | None = None,
    separator: str = "&",
) -> t.Iterator[str] | None:
    """Like :func:`url_encode` but write the pairs to ``stream`` (a text
    stream) one by one; without a stream, return an iterator of the
    encoded ``key=value`` strings."""
    if isinstance(separator, bytes):
        separator = separator.decode("ascii")
    gen = _url_encode_impl(obj, charset, sort, key)
    if stream is None:
        return gen
    for index, chunk in enumerate(gen):
        if index:
            stream.write(separator)
        stream.write(chunk)
    return None


def _url_decode_impl(
    pairs: t.Iterable[t.AnyStr], charset: str, include_empty: bool, errors: str
) -> t.Iterator[tuple[str, str]]:
    for pair in pairs:
        if not pair:
            continue
        equal: t.Any = "=" if isinstance(pair, str) else b"="  # str or bytes, as pair is
        if equal in pair:
            name, value = pair.split(equal, 1)
        elif include_empty:
            name, value = pair, pair[:0]
        else:
            continue
        yield (
            url_unquote_plus(name, charset, errors),
            url_unquote_plus(value, charset, errors),
        )


@t.overload
def url_decode(
    s: str | bytes,
    charset: str = ...,
    include_empty: bool = ...,
    errors: str = ...,
    separator: str | bytes = ...,
    cls: None = None,
) -> MultiDict[str, str]: ...
@t.overload
def url_decode(
    s: str | bytes,
    charset: str = ...,
    include_empty: bool = ...,
    errors: str = ...,
    separator: str | bytes = ...,
    *,
    cls: t.Callable[[t.Iterator[tuple[str, str]]], _T],
) -> _T: ...


def url_decode(
    s: str | bytes,
    charset: str = "utf-8",
    include_empty: bool = True,
    errors: str = "replace",
    separator: str | bytes = "&",
    cls: t.Callable[[t.Iterator[tuple[str, str]]], t.Any] | None = None,
) -> t.Any:
    """Parse a query string into a :class:`~wsgikit.datastructures.MultiDict`.

    Only ``separator`` splits pairs (``a=1;b=2`` is the single key ``a``).
    Keys and values are ``+``/``%XX`` decoded with ``charset``.

    :param include_empty: keep pairs without ``=`` (as empty values);
        ``False`` drops them.
    :param errors: how to handle bytes ``charset`` cannot decode.
    :param cls: the container to build instead of ``MultiDict``; it is
        called with an iterable of ``(key, value)`` pairs.
    """
    if isinstance(s, str) and not isinstance(separator, str):
        separator = separator.decode(charset or "ascii")
    elif isinstance(s, bytes) and not isinstance(separator, bytes):
        separator = separator.encode(charset or "ascii")
    if cls is None:
        # Deliberate upward call: urls sits below datastructures in the layer stack.
        from .datastructures import MultiDict

        cls = MultiDict
    if isinstance(s, str) and charset == "utf-8" and separator != "+":
        return cls(_url_decode_utf8_text(s, separator, include_empty, errors))  # type: ignore[arg-type]  # separator is str: converted to s's type above
    return cls(_url_decode_impl(s.split(separator), charset, include_empty, errors))  # type: ignore[arg-type, type-var]  # separator has s's type, converted above


def _url_decode_utf8_text(s: str, separator: str, include_empty: bool, errors: str) -> t.Iterator[tuple[str, str]]:
    """The common case of :func:`url_decode`: text in, UTF-8 escapes.

    PERF: "+" is replaced in the whole string at once, and only pieces
    that contain "%" are handed to :func:`urllib.parse.unquote`, which
    decodes them exactly like encode-unquote-decode would (escaped bytes
    are decoded in runs, literal text is left as it is).
    """
    for pair in s.replace("+", " ").split(separator):
        if not pair:
            continue
        name, equal, value = pair.partition("=")
        if not equal and not include_empty:
            continue
        if "%" in name:
            name = unquote(name, "utf-8", errors)
        if "%" in value:
            value = unquote(value, "utf-8", errors)
        yield name, value


def _iter_stream_pairs(
    stream: t.IO[bytes], separator: bytes, limit: int | None, chunk_size: int = 10240
) -> t.Iterator[bytes]:
    """Yield the ``separator``-delimited pieces of ``stream``.

    The current unfinished piece is kept as a list of chunks and joined only
    when a separator shows up, so a long piece arriving in many chunks costs
    linear time. The last ``len(separator) - 1`` bytes of the previous chunk
    are checked with the new one to catch a separator split between reads.
    """
    partial: list[bytes] = []
    tail = b""
    overlap = len(separator) - 1
    remaining = limit
    while remaining is None or remaining > 0:
        chunk = stream.read(chunk_size if remaining is None else min(chunk_size, remaining))
        if not chunk:
            break
        if remaining is not None:
            remaining -= len(chunk)
        if separator not in tail + chunk:
            partial.append(chunk)
            tail = (tail + chunk)[-overlap:] if overlap else b""
            continue
        pieces = (b"".join(partial) + chunk).split(separator)
        yield from pieces[:-1]
        partial = [pieces[-1]]
        tail = pieces[-1][-overlap:] if overlap else b""
    if partial:
        yield b"".join(partial)


@t.overload
def url_decode_stream(
    stream: t.IO[bytes],
    charset: str = ...,
    include_empty: bool = ...,
    errors: str = ...,
    separator: bytes | str = ...,
    cls: None = None,
    limit: int | None = ...,
) -> MultiDict[str, str]: ...
@t.overload
def url_decode_stream(
    stream: t.IO[bytes],
    charset: str = ...,
    include_empty: bool = ...,
    errors: str = ...,
    separator: bytes | str = ...,
    *,
    cls: t.Callable[[t.Iterator[tuple[str, str]]], _T],
    limit: int | None = ...,
) -> _T: ...


def url_decode_stream(
    stream: t.IO[bytes],
    charset: str = "utf-8",
    include_empty: bool = True,
    errors: str = "replace",
    separator: bytes | str = b"&",
    cls: t.Callable[[t.Iterator[tuple[str, str]]], t.Any] | None = None,
    limit: int | None = None,
) -> t.Any:
    """Like :func:`url_decode` but read the query string from a binary
    stream in chunks.

    :param limit: read at most this many bytes (for a request body, pass
        its ``Content-Length``).
    """
    if isinstance(separator, str):
        separator = separator.encode(charset or "ascii")
    if not separator:
        raise ValueError("the separator must not be empty")
    if cls is None:
        # Deliberate upward call: urls sits below datastructures in the layer stack.
        from .datastructures import MultiDict

        cls = MultiDict
    pairs = _iter_stream_pairs(stream, separator, limit)
    return cls(_url_decode_impl(pairs, charset, include_empty, errors))


__all__ = [
    "iri_to_uri",
    "uri_to_iri",
    "url_decode",
    "url_decode_stream",
    "url_encode",
    "url_encode_stream",
    "url_quote",
    "url_quote_plus",
    "url_unquote",
    "url_unquote_plus",
]
