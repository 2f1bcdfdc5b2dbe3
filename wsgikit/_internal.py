"""Private helpers shared by wsgikit's modules.

Nothing here is public API: names may change between releases. The module
is deliberately small and imports nothing from the rest of the package, so
any module can use it without creating an import cycle.

- :data:`_missing`: a sentinel for "no value given" where ``None`` is valid.
- :func:`_wsgi_decoding_dance` / :func:`_wsgi_encoding_dance`: PEP 3333
  carries request-line text as latin-1 "bytes in a str"; these convert it
  to real text and back.
- :func:`_plain_int`: ``int()`` without its lenient extras (signs,
  underscores, non-ASCII digits), for parsing untrusted header values.
- :func:`_escape_html`: HTML-escape text (MarkupSafe's rules), honouring
  ``__html__``.
- :func:`_get_environ`: accept either a WSGI environ or a request object.
- :func:`_dt_as_utc`: make a datetime timezone-aware in UTC.
- :func:`_log`: log through the ``wsgikit`` logger, giving it a console
  handler on first use when the application configured none.
- :class:`_DictAccessorProperty`: the base of ``environ_property`` and
  ``header_property`` in :mod:`wsgikit.utils`.
"""

from __future__ import annotations

import sys
import typing as t
from datetime import datetime
from datetime import timezone

if t.TYPE_CHECKING:
    import logging
    from _typeshed.wsgi import WSGIEnvironment

_T = t.TypeVar("_T")


class _Missing:
    """The type of :data:`_missing`; one instance, falsy, picklable."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "no value"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "_missing"


#: Marks an argument or a cache slot that holds nothing (``None`` may be a value).
_missing = _Missing()


def _wsgi_decoding_dance(s: str) -> str:
    """Turn a PEP 3333 "native string" (latin-1 code points carrying the
    raw bytes) into text, decoding those bytes as UTF-8.

    Invalid UTF-8 becomes U+FFFD so a hostile path can never raise here.
    """
    return s.encode("latin1").decode("utf-8", "replace")


def _wsgi_encoding_dance(s: str) -> str:
    """The inverse of :func:`_wsgi_decoding_dance`: text to a latin-1
    native string holding its UTF-8 bytes, as PEP 3333 wants in the environ.
    """
    return s.encode("utf-8").decode("latin1")


def _plain_int(value: str) -> int:
    """Parse a base-10 integer the strict way HTTP wants.

    Surrounding whitespace is allowed and a leading ``-`` too; ``+``,
    ``_`` separators and non-ASCII digits (all accepted by :func:`int`)
    raise :exc:`ValueError`.
    """
    value = value.strip()
    digits = value[1:] if value[:1] == "-" else value
    # str.isdigit() is true for "²" and "١", so also demand ASCII.
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"invalid integer literal {value!r}")
    return int(value)


def _escape_html(value: object) -> str:
    """Escape ``&<>"'`` for HTML text and attribute values.

    Objects that provide ``__html__`` (``Markup`` strings) are already safe
    and pass through as the string it returns; anything else goes through
    :class:`str` first. The entities match MarkupSafe's (``&#34;``,
    ``&#39;``), so pages render byte-identical to Werkzeug's.
    """
    if type(value) is not str:
        # Exact-type check first: plain str (the common case) skips the
        # failing ``__html__`` attribute lookup.
        html = getattr(value, "__html__", None)
        if html is not None:
            return str(html())
        value = str(value)
    # PERF: chained str.replace is the fastest pure-Python escape; each call
    # is a C loop that returns the same object when the character is absent.
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _get_environ(obj: t.Any) -> WSGIEnvironment:
    """Return the environ of ``obj`` if it is a request, else ``obj`` itself."""
    env = getattr(obj, "environ", obj)
    if not isinstance(env, dict):
        raise TypeError(f"{type(obj).__name__!r} is not a WSGI environment (has to be a dict)")
    return env


@t.overload
def _dt_as_utc(dt: None) -> None: ...
@t.overload
def _dt_as_utc(dt: datetime) -> datetime: ...


def _dt_as_utc(dt: datetime | None) -> datetime | None:
    """Attach UTC to a naive datetime, or convert an aware one to UTC."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    if dt.tzinfo is not timezone.utc:
        return dt.astimezone(timezone.utc)
    return dt


#: The logger :func:`_log` writes to; created on first use.
_logger: logging.Logger | None = None  # created on first use: importing logging costs


def _has_level_handler(logger: logging.Logger) -> bool:
    """Whether some handler on ``logger`` or its ancestors would emit at its level."""
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler.level <= level for handler in current.handlers):
            return True
        if not current.propagate:
            break
        current = current.parent
    return False


def _log(type: str, message: str, *args: t.Any, **kwargs: t.Any) -> None:
    """Log ``message % args`` at the level named by ``type`` ("info", "warning", ...)
    on the ``wsgikit`` logger.

    The first call sets the logger to INFO (if it has no level) and attaches
    a stderr handler when nothing would otherwise show the message, so the
    development server's request log is visible without any setup.
    """
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger("wsgikit")
        if _logger.level == logging.NOTSET:
            _logger.setLevel(logging.INFO)
        if not _has_level_handler(_logger):
            _logger.addHandler(logging.StreamHandler(sys.stderr))
    getattr(_logger, type)(message.rstrip(), *args, **kwargs)


class _DictAccessorProperty(t.Generic[_T]):
    """A descriptor that reads and writes one key of a dict-like object
    found on the instance (``environ`` for requests, ``headers`` for
    responses). Subclasses say where the dict is by overriding :meth:`lookup`.

    :param name: the key.
    :param default: returned when the key is missing or ``load_func`` fails.
    :param load_func: converts the stored string; a ``ValueError`` or
        ``TypeError`` from it gives ``default``.
    :param dump_func: converts a value before it is stored.
    :param read_only: refuse assignment and deletion; ``None`` takes the
        class's :attr:`read_only`.
    :param doc: the docstring.
    """

    #: Default for ``read_only`` when the constructor gets ``None``.
    read_only = False

    def __init__(
        self,
        name: str,
        default: _T | None = None,
        load_func: t.Callable[[str], _T] | None = None,
        dump_func: t.Callable[[_T], str] | None = None,
        read_only: bool | None = None,
        doc: str | None = None,
    ) -> None:
        self.name = name
        self.default = default
        self.load_func = load_func
        self.dump_func = dump_func
        if read_only is not None:
            self.read_only = read_only
        self.__doc__ = doc

    def lookup(self, obj: t.Any) -> t.MutableMapping[str, t.Any]:
        """Return the mapping this property reads from on ``instance``."""
        raise TypeError(f"{type(self).__name__} must override lookup() to say where its values live")

    @t.overload
    def __get__(self, instance: None, owner: type) -> _DictAccessorProperty[_T]: ...
    @t.overload
    def __get__(self, instance: t.Any, owner: type) -> _T: ...

    def __get__(self, instance: t.Any | None, owner: type) -> _T | _DictAccessorProperty[_T]:
        if instance is None:
            return self
        storage = self.lookup(instance)
        if self.name not in storage:
            return self.default  # type: ignore[return-value]  # None when no default: the descriptor's documented answer
        value = storage[self.name]
        if self.load_func is not None:
            try:
                return self.load_func(value)
            except (ValueError, TypeError):
                return self.default  # type: ignore[return-value]  # None when no default, as above
        return value  # type: ignore[no-any-return]  # the mapping stores the loaded _T as it was set

    def __set__(self, instance: t.Any, value: _T) -> None:
        if self.read_only:
            raise AttributeError("read only property")
        if self.dump_func is not None:
            self.lookup(instance)[self.name] = self.dump_func(value)
        else:
            self.lookup(instance)[self.name] = value

    def __delete__(self, instance: t.Any) -> None:
        if self.read_only:
            raise AttributeError("read only property")
        self.lookup(instance).pop(self.name, None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


# -- "Is this the stock method?" ------------------------------------------------
# A fast path skips methods a user may override. Whether a class still has
# the stock ones is decided once per class (``__init_subclass__`` calls
# :func:`_keeps_stock`); whether one *instance* replaced one is decided when
# it is assigned (:class:`_fast_path_hook`), so the per-call test stays one
# attribute read of the flag.


def _own_definition(cls: type, name: str) -> t.Any:
    """The object ``name`` is bound to where ``cls``'s MRO defines it (a
    function, property, classmethod..., not a fresh bound method)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    raise AttributeError(name)


def _keeps_stock(cls: type, base: type, names: t.Iterable[str]) -> bool:
    """Whether ``cls`` uses ``base``'s own definition of every attribute in
    ``names``: no class between them overrides one. Call it once per class,
    from ``__init_subclass__``, to set the flag a fast path reads."""
    return all(_own_definition(cls, name) is _own_definition(base, name) for name in names)


_NO_OVERRIDE: t.Final = object()


class _fast_path_hook:
    """Mark a method a fast path bypasses, naming the class flag that
    allows the bypass.

    Reading works as for a plain method (on the class it is the function
    itself). Assigning it on an instance (``obj.method = f``, as Werkzeug
    and Flask allow) stores ``f`` there and sets the flag to ``False`` on
    that instance, so the fast path's one read of the flag sees it.
    """

    def __init__(self, flag: str) -> None:
        self.flag = flag
        self.func: t.Any = None
        self.name = ""

    def __call__(self, func: t.Any) -> _fast_path_hook:
        self.func = func
        self.__doc__ = func.__doc__
        self.__wrapped__ = func
        return self

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: t.Any, owner: type | None = None) -> t.Any:
        if obj is None:
            return self.func
        # PERF: no instance override is the usual case; a failed lookup with
        # a default costs far less than a raised and caught KeyError.
        override = obj.__dict__.get(self.name, _NO_OVERRIDE)
        if override is _NO_OVERRIDE:
            return self.func.__get__(obj, owner)
        return override

    def __set__(self, obj: t.Any, value: t.Any) -> None:
        obj.__dict__[self.name] = value
        obj.__dict__[self.flag] = False

    def __delete__(self, obj: t.Any) -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        # The flag stays off: the general path is always correct.
