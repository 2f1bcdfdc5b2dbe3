"""``Cache-Control`` headers as dicts with typed properties.

The dict holds the directives as sent (``"max-age": "60"``, a directive
without a value maps to ``None``); each property reads one directive and
converts it. Three shapes of directive exist:

- flags (``no-store``): ``bool``, true when present; setting a false value
  removes them.
- numbers (``max-age``): ``int``, ``None`` when absent or unparsable; set
  with anything :func:`int` takes (stored as its string).
- optional-value directives (``no-cache``, ``private`` on responses):
  ``None`` when absent, ``True`` when present without a value, else the
  value string.

Setting ``None`` (or ``False``) removes a directive, ``True`` adds it
without a value. A response object passes ``on_update`` to keep its header
in sync after every change.
"""

from __future__ import annotations

import typing as t

from .._http_text import dump_header
from .mixins import ImmutableDictMixin
from .structures import CallbackDict

if t.TYPE_CHECKING:
    import collections.abc as cabc

T = t.TypeVar("T")


def cache_control_property(key: str, empty: t.Any, type: type[t.Any] | None) -> t.Any:
    """Build the property that reads and writes directive ``key``.

    :param key: the directive name, e.g. ``"max-age"``.
    :param empty: what a directive present without a value reads as.
    :param type: ``bool`` for flags, a converter (``int``) for valued
        directives, or ``None`` to return the value string as it is.
    """
    return property(
        lambda x: x._get_cache_value(key, empty, type),
        lambda x, v: x._set_cache_value(key, v, type),
        lambda x: x._del_cache_value(key),
        f"accessor for {key!r}",
    )


class _CacheControl(CallbackDict[str, t.Optional[str]]):
    """The directives both requests and responses may carry."""

    no_cache: str | bool | None = cache_control_property("no-cache", True, None)
    no_store: bool = cache_control_property("no-store", None, bool)
    max_age: int | None = cache_control_property("max-age", None, int)
    no_transform: bool = cache_control_property("no-transform", None, bool)
    stale_if_error: int | None = cache_control_property("stale-if-error", None, int)

    def __init__(
        self,
        values: cabc.Mapping[str, t.Any] | cabc.Iterable[tuple[str, t.Any]] | None = (),
        on_update: cabc.Callable[[_CacheControl], None] | None = None,
    ) -> None:
        super().__init__(values or (), on_update)
        #: Whether the header was present (``values`` was not ``None``).
        self.provided = values is not None

    cache_property = staticmethod(cache_control_property)

    def _get_cache_value(self, key: str, empty: t.Any, type: type[t.Any] | None) -> t.Any:
        if type is bool:
            return key in self
        if key not in self:
            return None
        value = self[key]
        if value is None:
            return empty
        if type is not None:
            try:
                return type(value)
            except (ValueError, TypeError):
                return None
        return value

    def _set_cache_value(self, key: str, value: t.Any, type: type[t.Any] | None) -> None:
        if type is bool:
            if value:
                self[key] = None
            else:
                self.pop(key, None)
        elif value is None or value is False:
            self.pop(key, None)
        elif value is True:
            self[key] = None
        else:
            if type is not None:
                value = type(value)
            self[key] = str(value)

    def _del_cache_value(self, key: str) -> None:
        self.pop(key, None)

    def to_header(self) -> str:
        """Format the directives as a header value."""
        return dump_header(self)

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        kv_str = " ".join(f"{k}={v!r}" for k, v in sorted(self.items()))
        return f"<{type(self).__name__} {kv_str}>"


class RequestCacheControl(ImmutableDictMixin[str, t.Optional[str]], _CacheControl):  # type: ignore[misc]  # the mixin refuses what the dict would change
    """A request's ``Cache-Control``: read-only (setting raises
    :exc:`TypeError`), with the request-only directives.
    """

    no_cache: bool = cache_control_property("no-cache", None, bool)  # pyright: ignore[reportIncompatibleVariableOverride]  # a flag in requests
    max_stale: int | bool | None = cache_control_property("max-stale", True, int)
    min_fresh: int | None = cache_control_property("min-fresh", None, int)
    only_if_cached: bool = cache_control_property("only-if-cached", None, bool)


class ResponseCacheControl(_CacheControl):
    """A response's ``Cache-Control``, editable through its properties::

        >>> cc = ResponseCacheControl()
        >>> cc.public = True
        >>> cc.max_age = 3600
        >>> cc.to_header()
        'public, max-age=3600'
    """

    public: bool = cache_control_property("public", None, bool)
    private: str | bool | None = cache_control_property("private", True, None)
    must_revalidate: bool = cache_control_property("must-revalidate", None, bool)
    proxy_revalidate: bool = cache_control_property("proxy-revalidate", None, bool)
    s_maxage: int | None = cache_control_property("s-maxage", None, int)
    immutable: bool = cache_control_property("immutable", None, bool)
    must_understand: bool = cache_control_property("must-understand", None, bool)
    stale_while_revalidate: int | None = cache_control_property("stale-while-revalidate", None, int)
