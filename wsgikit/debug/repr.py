"""HTML representations of Python objects for the debugger's console.

Theory of operation: :class:`DebugReprGenerator` walks an object the way
``repr`` would, but produces HTML with CSS classes (``number``, ``string``,
``object``...) so the console can colour values and fold long ones. Every
piece of text that comes from the object is HTML-escaped (with
MarkupSafe's entities ``&#34;`` and ``&#39;``, as on Werkzeug's pages);
only the markup this module writes itself is left raw. Containers are
limited (the rest of a long list or string is wrapped in an ``extended``
span the page can fold) and recursion is detected by identity, so a
self-referencing list prints ``[...]`` instead of recursing forever. A
``__repr__`` that raises is shown as a broken repr, never propagated.
"""

from __future__ import annotations

import collections
import pydoc
import re
import sys
import typing as t

from .._internal import _escape_html as escape

_missing = object()
_RegexType = type(re.compile(""))

#: How many items of a sequence are shown before the rest is folded.
SEQUENCE_LIMIT = 8
#: How many dict pairs are shown before the rest is folded.
DICT_LIMIT = 5
#: How many characters of a string are shown before the rest is folded.
STRING_LIMIT = 70


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{text}</span>'


def _subclass_wrap(inner: str, obj: object, bases: tuple[type, ...]) -> str:
    """Name the class when ``obj`` is a subclass of a builtin container."""
    if type(obj) in bases:
        return inner
    cls = type(obj)
    module = _span("module", f"{escape(cls.__module__)}.")
    return f"{module}{escape(cls.__qualname__)}({inner})"


class DebugReprGenerator:
    """Renders objects as HTML; one instance per top-level call, since it
    remembers which containers it is inside to catch recursion."""

    __slots__ = ("_stack",)

    def __init__(self) -> None:
        #: ids of the containers being rendered, for recursion detection.
        self._stack: list[int] = []

    # -- sequences ---------------------------------------------------------

    def _items(self, items: t.Iterable[t.Any], limit: int) -> str:
        shown: list[str] = []
        rest: list[str] = []
        for index, item in enumerate(items):
            (shown if index < limit else rest).append(self.repr(item))
        text = ", ".join(shown)
        if rest:
            text += ", " + _span("extended", ", ".join(rest))
        return text

    def list_repr(self, obj: t.Iterable[t.Any], recursive: bool) -> str:
        if recursive:
            return _subclass_wrap("[...]", obj, (list,))
        return _subclass_wrap(f"[{self._items(obj, SEQUENCE_LIMIT)}]", obj, (list,))

    def tuple_repr(self, obj: tuple[t.Any, ...], recursive: bool) -> str:
        if recursive:
            return _subclass_wrap("(...)", obj, (tuple,))
        items = self._items(obj, SEQUENCE_LIMIT)
        comma = "," if len(obj) == 1 else ""
        return _subclass_wrap(f"({items}{comma})", obj, (tuple,))

    def set_repr(self, obj: t.Iterable[t.Any], recursive: bool) -> str:
        if recursive:
            return _subclass_wrap("{...}", obj, (set,))
        if not obj:
            return _subclass_wrap("set()", obj, (set,))
        return _subclass_wrap(f"{{{self._items(obj, SEQUENCE_LIMIT)}}}", obj, (set,))

    def frozenset_repr(self, obj: t.Iterable[t.Any], recursive: bool) -> str:
        if recursive:
            return _subclass_wrap("frozenset(...)", obj, (frozenset,))
        items = self._items(obj, SEQUENCE_LIMIT)
        inner = f"frozenset({{{items}}})" if items else "frozenset()"
        return _subclass_wrap(inner, obj, (frozenset,))

    def deque_repr(self, obj: t.Iterable[t.Any], recursive: bool) -> str:
        inner = "[...]" if recursive else f"[{self._items(obj, SEQUENCE_LIMIT)}]"
        return f"{_span('module', 'collections.')}deque({inner})"

    def dict_repr(self, d: t.Mapping[t.Any, t.Any], recursive: bool, limit: int = DICT_LIMIT) -> str:
        if recursive:
            return _subclass_wrap("{...}", d, (dict,))
        shown: list[str] = []
        rest: list[str] = []
        for index, (key, value) in enumerate(d.items()):
            pair = _span("pair", f"{_span('key', self.repr(key))}: {_span('value', self.repr(value))}")
            (shown if index < limit else rest).append(pair)
        text = ", ".join(shown)
        if rest:
            text += ", " + _span("extended", ", ".join(rest))
        return _subclass_wrap(f"{{{text}}}", d, (dict,))

    # -- scalars -----------------------------------------------------------

    def regex_repr(self, obj: t.Pattern[t.Any]) -> str:
        pattern = repr(obj.pattern)
        return f're.compile({_span("string regex", escape(pattern))})'

    def string_repr(self, obj: str | bytes, limit: int = STRING_LIMIT) -> str:
        text = repr(obj)
        if len(text) > limit:
            head, tail = text[:limit], text[limit:]
            body = escape(head) + _span("extended", escape(tail))
        else:
            body = escape(text)
        return _subclass_wrap(_span("string", body), obj, (str, bytes))

    def object_repr(self, obj: t.Any) -> str:
        return _span("object", escape(repr(obj)))

    def fallback_repr(self) -> str:
        """The text shown for an object whose ``repr`` raised (call while
        that exception is being handled)."""
        exc = sys.exc_info()[1]
        detail = f"{type(exc).__name__}: {exc}" if exc is not None else "unknown error"
        return _span("brokenrepr", escape(f"<broken repr ({detail})>"))

    # -- dispatch ----------------------------------------------------------

    def dispatch_repr(self, obj: t.Any, recursive: bool) -> str:
        """Pick the renderer for ``obj``'s type."""
        if obj is None or obj is NotImplemented or obj is Ellipsis:
            return self.object_repr(obj)
        if isinstance(obj, (bool, int, float, complex)):
            return _span("number", escape(repr(obj)))
        if isinstance(obj, (str, bytes)):
            return self.string_repr(obj)
        if isinstance(obj, _RegexType):
            return self.regex_repr(obj)
        if isinstance(obj, list):
            return self.list_repr(obj, recursive)
        if isinstance(obj, tuple):
            return self.tuple_repr(obj, recursive)
        if isinstance(obj, frozenset):
            return self.frozenset_repr(obj, recursive)
        if isinstance(obj, set):
            return self.set_repr(obj, recursive)
        if isinstance(obj, collections.deque):
            return self.deque_repr(obj, recursive)
        if isinstance(obj, dict):
            return self.dict_repr(obj, recursive)
        return self.object_repr(obj)

    def repr(self, obj: object) -> str:
        """Render ``obj`` as HTML; never raises for a broken ``__repr__``."""
        key = id(obj)
        recursive = key in self._stack
        self._stack.append(key)
        try:
            return self.dispatch_repr(obj, recursive)
        except Exception:
            return self.fallback_repr()
        finally:
            self._stack.pop()

    # -- dumps -------------------------------------------------------------

    def dump_object(self, obj: object) -> str:
        """A box listing ``obj``'s items (for a dict) or attributes."""
        repr_html: str | None = None
        items: list[tuple[str, str]] = []
        title = "Contents of"
        if isinstance(obj, dict):
            for key, value in obj.items():
                if isinstance(key, str):
                    items.append((escape(key), self.repr(value)))
                else:
                    items = []
                    break
        if not items:
            title = "Details for"
            repr_html = self.repr(obj)
            for name in dir(obj):
                try:
                    items.append((escape(name), self.repr(getattr(obj, name))))
                except Exception:
                    pass
        title += " " + escape(object.__repr__(obj)[1:-1])
        return self.render_object_dump(items, title, repr_html)

    def dump_locals(self, d: dict[str, t.Any]) -> str:
        """A box listing a frame's local variables."""
        items = [(escape(str(key)), self.repr(value)) for key, value in d.items()]
        return self.render_object_dump(items, "Local variables in frame")

    def render_object_dump(self, items: list[tuple[str, str]], title: str, repr: str | None = None) -> str:
        """The HTML box; ``items`` and ``title`` must already be escaped."""
        rows = "".join(f'<tr><th>{key}</th><td><pre class="repr">{value}</pre></td></tr>' for key, value in items)
        head = f'<pre class="repr">{repr}</pre>' if repr is not None else ""
        return f'<div class="box"><h3>{title}</h3>{head}<table>{rows}</table></div>'


def debug_repr(obj: object) -> str:
    """An HTML representation of ``obj`` for the console.

    :param obj: any object; a failing ``__repr__`` is reported, not raised.
    """
    return DebugReprGenerator().repr(obj)


def dump(obj: object = _missing) -> None:
    """Print an HTML table of ``obj``'s attributes (or items) to the console;
    without an argument, the caller's local variables.

    :param obj: the object to inspect.
    """
    gen = DebugReprGenerator()
    if obj is _missing:
        rv = gen.dump_locals(sys._getframe(1).f_locals)
    else:
        rv = gen.dump_object(obj)
    _write_html(rv)


def _write_html(markup: str) -> None:
    """Write markup unescaped when stdout is the console's HTML stream;
    elsewhere (a plain terminal) it is just written."""
    write = getattr(sys.stdout, "_write", None) or sys.stdout.write
    write(markup)


class _Helper:
    """``help()`` in the console: shows pydoc text for an object, and never
    starts pydoc's interactive prompt (there is no terminal to read)."""

    def __repr__(self) -> str:
        return "Type help(object) for help about object."

    def __call__(self, topic: t.Any = None) -> None:
        if topic is None:
            _write_html(f'<span class="help">{escape(repr(self))}</span>')
            return
        try:
            # The title pydoc's own help() uses: "Help on ... :".
            text = pydoc.render_doc(topic, "Help on %s:", renderer=pydoc.plaintext)  # type: ignore[attr-defined]  # pydoc's text renderer, missing from typeshed
        except ImportError as e:
            text = f"No help found: {e}"
        title, _, body = text.partition("\n")
        body = body.lstrip("\n")
        _write_html(
            f'<div class="box"><h3>{escape(title)}</h3><pre class="help">{escape(body)}</pre></div>'
        )


#: The console's ``help`` builtin replacement.
helper = _Helper()
