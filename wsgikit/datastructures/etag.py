"""A set of entity tags, as sent in ``If-Match`` / ``If-None-Match``."""

from __future__ import annotations

import typing as t
from collections.abc import Collection

from .._http_text import generate_etag
from .._http_text import unquote_etag

if t.TYPE_CHECKING:
    import collections.abc as cabc


class ETags(Collection[str]):
    """Strong and weak ETags (unquoted), or the ``*`` that matches any.

    ``etag in etags`` and :meth:`contains` test strong tags only (what
    ``If-Match`` needs); :meth:`contains_weak` also accepts weak ones (what
    ``If-None-Match`` needs). Iteration and ``len`` cover the strong tags.

    :param strong_etags: the strong tags, without quotes.
    :param weak_etags: the weak tags, without quotes or ``W/``.
    :param star_tag: the header was ``*``.
    """

    def __init__(
        self,
        strong_etags: cabc.Iterable[str] | None = None,
        weak_etags: cabc.Iterable[str] | None = None,
        star_tag: bool = False,
    ):
        if not star_tag and strong_etags:
            self._strong = frozenset(strong_etags)
        else:
            self._strong = frozenset()
        self._weak = frozenset(weak_etags or ())
        #: Whether this is the ``*`` tag.
        self.star_tag = star_tag

    def as_set(self, include_weak: bool = False) -> set[str]:
        """Return the strong tags, plus the weak ones if ``include_weak``."""
        rv = set(self._strong)
        if include_weak:
            rv.update(self._weak)
        return rv

    def is_weak(self, etag: str) -> bool:
        """Whether ``etag`` is one of the weak tags."""
        return etag in self._weak

    def is_strong(self, etag: str) -> bool:
        """Whether ``etag`` is one of the strong tags."""
        return etag in self._strong

    def contains_weak(self, etag: str) -> bool:
        """Whether ``etag`` is here as a weak or strong tag (or ``*``)."""
        return self.is_weak(etag) or self.contains(etag)

    def contains(self, etag: str) -> bool:
        """Whether ``etag`` is here as a strong tag (or ``*``)."""
        if self.star_tag:
            return True
        return self.is_strong(etag)

    def contains_raw(self, etag: str) -> bool:
        """Like :meth:`contains`/:meth:`contains_weak` for a quoted tag
        (``"abc"`` or ``W/"abc"``), choosing by its weakness.
        """
        tag, weak = unquote_etag(etag)
        if weak:
            return self.contains_weak(tag)  # type: ignore[arg-type]  # unquote_etag gives a str for a str
        return self.contains(tag)  # type: ignore[arg-type]  # unquote_etag gives a str for a str

    def to_header(self) -> str:
        """Format as a header value (``*``, or quoted tags)."""
        if self.star_tag:
            return "*"
        return ", ".join([f'"{x}"' for x in self._strong] + [f'W/"{x}"' for x in self._weak])

    def __call__(self, etag: str | None = None, data: bytes | None = None, include_weak: bool = False) -> bool:
        """Test a tag, or the tag :func:`~wsgikit.http.generate_etag`
        makes from ``data``.

        :raises TypeError: if neither ``etag`` nor ``data`` is given.
        """
        if etag is None:
            if data is None:
                raise TypeError("'data' is required when 'etag' is not given.")

            etag = generate_etag(data)
        if include_weak and etag in self._weak:
            return True
        return etag in self._strong

    def __bool__(self) -> bool:
        return bool(self.star_tag or self._strong or self._weak)

    def __str__(self) -> str:
        return self.to_header()

    def __len__(self) -> int:
        return len(self._strong)

    def __iter__(self) -> cabc.Iterator[str]:
        return iter(self._strong)

    def __contains__(self, etag: str) -> bool:  # type: ignore[override]  # takes a tag
        return self.contains(etag)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r}>"
