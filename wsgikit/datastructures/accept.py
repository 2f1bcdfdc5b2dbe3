"""Parsed ``Accept*`` headers and quality-based content negotiation.

Theory of operation: an :class:`Accept` is an immutable list of
``(value, quality)`` pairs sorted most *specific* first, then highest
quality first (a stable sort, so header order breaks ties). Specificity is
a tuple of "not a wildcard" flags per part (``text/html`` beats ``text/*``
beats ``*/*``; parameters add parts). To rate one server-side candidate,
:meth:`Accept._best_single_match` takes the first client entry that matches
it -- the most specific one, thanks to the sort -- and its quality.
:meth:`Accept.best_match` keeps the candidate with the highest quality,
preferring on a tie the one matched by a more specific client entry and
then the earlier candidate; quality 0 means "not acceptable". Subclasses
only change what "matches" means (:meth:`_value_matches`) and how specific
a value is (:meth:`_specificity`).
"""

from __future__ import annotations

import codecs
import typing as t

from .structures import ImmutableList

if t.TYPE_CHECKING:
    import collections.abc as cabc


class Accept(ImmutableList[tuple[str, float]]):
    """An ``Accept``-style header: ``(value, quality)`` pairs, most
    specific then best first.

    Indexing by a string returns that value's quality (``0`` when it is not
    accepted); by int or slice, the pairs::

        >>> a = Accept([("gzip", 1), ("deflate", 0.5)])
        >>> a["deflate"], a.best, a.best_match(["br", "deflate"])
        (0.5, 'gzip', 'deflate')

    :param values: the pairs, or ``None`` when the header was absent
        (then :attr:`provided` is false).
    """

    def __init__(self, values: Accept | cabc.Iterable[tuple[str, float]] | None = ()) -> None:
        if values is None:
            super().__init__()
            #: Whether the client sent the header at all.
            self.provided = False
        elif isinstance(values, Accept):
            self.provided = values.provided
            super().__init__(values)
        else:
            self.provided = True
            specificity = self._specificity
            super().__init__(sorted(values, key=lambda x: (specificity(x[0]), x[1]), reverse=True))

    def _specificity(self, value: str) -> tuple[bool, ...]:
        """How specific ``value`` is; bigger tuples sort first."""
        return (value != "*",)

    def _value_matches(self, value: str, item: str) -> bool:
        """Whether the server ``value`` is accepted by the client ``item``."""
        return item == "*" or item.lower() == value.lower()

    @t.overload
    def __getitem__(self, key: str) -> float: ...
    @t.overload
    def __getitem__(self, key: t.SupportsIndex) -> tuple[str, float]: ...
    @t.overload
    def __getitem__(self, key: slice) -> list[tuple[str, float]]: ...
    def __getitem__(  # pyright: ignore[reportIncompatibleMethodOverride]  # also takes a name
        self, key: str | t.SupportsIndex | slice
    ) -> float | tuple[str, float] | list[tuple[str, float]]:
        if isinstance(key, str):
            return self.quality(key)
        return list.__getitem__(self, key)

    def quality(self, key: str) -> float:
        """Return the quality of ``key`` (``0`` if not accepted). Only the
        exact matching rules apply here, not a language's prefix fallback.
        """
        for item, quality in self:
            if self._value_matches(key, item):
                return quality
        return 0

    def __contains__(self, value: str) -> bool:  # type: ignore[override]  # takes a name to match, not a pair
        for item, _quality in self:
            if self._value_matches(value, item):
                return True
        return False

    def __repr__(self) -> str:
        pairs = ", ".join(f"({x!r}, {y})" for x, y in self)
        return f"{type(self).__name__}([{pairs}])"

    def index(self, key: str | tuple[str, float]) -> int:  # type: ignore[override]  # also takes a name to match
        """Return the position of the first entry accepting ``key`` (or of
        the exact pair); :exc:`ValueError` if there is none.
        """
        if isinstance(key, str):
            for idx, (item, _quality) in enumerate(self):
                if self._value_matches(key, item):
                    return idx
            raise ValueError(key)
        return list.index(self, key)

    def find(self, key: str | tuple[str, float]) -> int:
        """Like :meth:`index` but return ``-1`` instead of raising."""
        try:
            return self.index(key)
        except ValueError:
            return -1

    def values(self) -> cabc.Iterator[str]:
        """Yield the values without their qualities."""
        for item in self:
            yield item[0]

    def to_header(self) -> str:
        """Format as a header value (``;q=`` only when it is not 1)."""
        result = []
        for value, quality in self:
            if quality != 1:
                value = f"{value};q={quality}"
            result.append(value)
        return ",".join(result)

    def __str__(self) -> str:
        return self.to_header()

    def _best_single_match(self, match: str) -> tuple[str, float] | None:
        """The most specific client entry accepting ``match``."""
        for client_item, quality in self:
            if self._value_matches(match, client_item):
                return client_item, quality
        return None

    def best_match(self, matches: cabc.Iterable[str], default: str | None = None) -> str | None:
        """Return the server value the client likes best, or ``default``.

        :param matches: what the server can offer, in its order of
            preference (which breaks ties).
        :param default: returned when nothing offered is acceptable.
        """
        result = default
        best_quality: float = -1
        best_specificity: tuple[bool, ...] = (False,)
        for server_item in matches:
            match = self._best_single_match(server_item)
            if match is None:
                continue
            client_item, quality = match
            if quality <= 0 or quality < best_quality:
                continue
            specificity = self._specificity(client_item)
            if quality > best_quality or specificity > best_specificity:
                result = server_item
                best_quality = quality
                best_specificity = specificity
        return result

    @property
    def best(self) -> str | None:
        """The first (most specific, then best) value, or ``None``."""
        if self:
            return self[0][0]
        return None


def _split_mime(value: str) -> list[str]:
    """Lower-case a mimetype and split it into type, subtype, parameters.

    ``text/html; level=1`` -> ``["text", "html", "level=1"]``. Whitespace
    is only trimmed around ``;`` (so `` text/html`` stays unequal to
    ``text/html``), and a parameter value is compared as written.
    """
    pieces = value.lower().split(";")
    last = len(pieces) - 1
    if last:
        pieces = [
            p.rstrip() if i == 0 else (p.lstrip() if i == last else p.strip())
            for i, p in enumerate(pieces)
        ]
    return pieces[0].split("/") + pieces[1:]


class MIMEAccept(Accept):
    """An ``Accept`` header: mimetypes with ``type/*`` and ``*/*``
    wildcards and parameters.

    A server value must be a valid mimetype (``type/subtype``, no
    ``*/subtype``) or :exc:`ValueError` is raised. Parameters must match
    exactly (ignoring case and spaces around ``;``), except against a
    wildcard.
    """

    def _specificity(self, value: str) -> tuple[bool, ...]:
        return tuple(x != "*" for x in _split_mime(value))

    def _value_matches(self, value: str, item: str) -> bool:
        if "/" not in value:
            raise ValueError(f"invalid mimetype {value!r}")
        value_parts = _split_mime(value)
        value_type, value_subtype = value_parts[:2]
        if value_type == "*" and value_subtype != "*":
            raise ValueError(f"invalid mimetype {value!r}")

        # A malformed client entry simply accepts nothing.
        if "/" not in item:
            return False
        item_parts = _split_mime(item)
        item_type, item_subtype = item_parts[:2]
        if item_type == "*" and item_subtype != "*":
            return False

        if item_type == "*" or value_type == "*":  # */* on either side
            return True
        if item_type != value_type:
            return False
        if item_subtype == "*" or value_subtype == "*":
            return True
        return item_subtype == value_subtype and sorted(item_parts[2:]) == sorted(value_parts[2:])

    @property
    def accept_html(self) -> bool:
        """Whether HTML (or XHTML) is acceptable."""
        return "text/html" in self or "application/xhtml+xml" in self or self.accept_xhtml  # type: ignore[comparison-overlap]  # __contains__ takes a name

    @property
    def accept_xhtml(self) -> bool:
        """Whether XHTML (or generic XML) is acceptable."""
        return "application/xhtml+xml" in self or "application/xml" in self  # type: ignore[comparison-overlap]  # __contains__ takes a name

    @property
    def accept_json(self) -> bool:
        """Whether JSON is acceptable."""
        return "application/json" in self  # type: ignore[comparison-overlap]  # __contains__ takes a name


def _normalize_lang(value: str) -> str:
    return value.lower().replace("_", "-")


def _primary_lang(value: str) -> str:
    return _normalize_lang(value).partition("-")[0]


class LanguageAccept(Accept):
    """An ``Accept-Language`` header.

    Tags compare ignoring case and ``_``/``-``. :meth:`best_match` falls
    back to primary tags when nothing matches exactly: first the client's
    ``en-US`` accepts a server ``en``, then the client's ``en`` accepts a
    server ``en-US``.
    """

    def _value_matches(self, value: str, item: str) -> bool:
        return item == "*" or _normalize_lang(value) == _normalize_lang(item)

    def best_match(self, matches: cabc.Iterable[str], default: str | None = None) -> str | None:
        matches = list(matches)
        result = super().best_match(matches)
        if result is not None:
            return result

        # The client's tags cut to their primary subtag, offered the same
        # server values ("en-US" in the header accepts an "en" page).
        fallback = LanguageAccept([(_primary_lang(item), q) for item, q in self])
        result = Accept.best_match(fallback, matches)
        if result is not None:
            return result

        # The server's values cut to their primary subtag, against the
        # header as sent ("en" in the header accepts an "en-US" page).
        primaries = [_primary_lang(item) for item in matches]
        result = super().best_match(primaries)
        if result is not None:
            return matches[primaries.index(result)]
        return default


def _normalize_charset(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        return name.lower()


class CharsetAccept(Accept):
    """An ``Accept-Charset`` header; codec aliases compare equal
    (``utf8`` matches ``UTF-8``, ``latin1`` matches ``ISO-8859-1``).
    """

    def _value_matches(self, value: str, item: str) -> bool:
        return item == "*" or _normalize_charset(value) == _normalize_charset(item)
