"""Compact, lossless JSON for types plain JSON cannot carry (the session format).

Theory of operation: before encoding, :meth:`TaggedJSONSerializer.tag` walks
the value. Each registered :class:`JSONTag` is asked, in order, whether it
``check``\\ s the value; the first that does converts it. A *tagging* tag
wraps the converted value in a one-key dict whose key is the tag's ``key``
(``{" t": [1, 2]}`` for a tuple); a *pass-through* tag (empty key) only
recurses into containers. On decoding, a JSON ``object_hook`` looks at every
decoded object: a one-key dict whose key is a registered tag key is handed to
that tag's ``to_python``. Dicts that merely *look* tagged (a one-key dict
whose key is a tag key) are themselves wrapped in ``" di"`` with the key
suffixed by ``"__"``, so user data can never be mistaken for a tag.

The keys start with a space, which keeps them out of the way of ordinary
identifiers. The format matches Flask's, so session cookies move between the
two frameworks.
"""

from __future__ import annotations

import json as _stdlib_json
import sys
import typing as t
from base64 import b64decode
from base64 import b64encode
from datetime import datetime

from wsgikit.http import http_date
from wsgikit.http import parse_date
from wsgikit.wrappers.request import MAX_JSON_DEPTH
from wsgikit.wrappers.request import check_json_depth

from ..markup import Markup
from .provider import _current_app_json
from .provider import _default

#: Compact separators: the serializer's output has no spaces.
_COMPACT = (",", ":")

__all__ = [
    "JSONTag",
    "PassDict",
    "PassList",
    "TagBytes",
    "TagDateTime",
    "TagDict",
    "TagMarkup",
    "TagTuple",
    "TagUUID",
    "TaggedJSONSerializer",
]


def _is_uuid(value: t.Any) -> bool:
    """``isinstance(value, uuid.UUID)`` without importing :mod:`uuid`
    (PERF: with ``platform`` it costs at start-up): no UUID exists before
    the module is imported."""
    uuid = sys.modules.get("uuid")
    return uuid is not None and isinstance(value, uuid.UUID)


class JSONTag:
    """Base class for a type tag; subclass it and register it on a
    :class:`TaggedJSONSerializer`.
    """

    __slots__ = ("serializer",)

    #: The dict key that marks this tag in JSON. Empty for a tag that only
    #: transforms a container's contents and adds no wrapper.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        #: The serializer this tag belongs to, for tagging nested values.
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Whether this tag handles ``value``. Subclasses must override."""
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Convert ``value`` to something JSON can hold. Subclasses must override."""
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the Python value from its JSON form. Subclasses must override."""
        raise NotImplementedError

    def tag(self, value: t.Any) -> dict[str, t.Any]:
        """Convert ``value`` and wrap it in this tag's one-key dict."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """A one-key dict whose key is a registered tag key: escape the key by
    suffixing ``"__"`` and wrap the dict, so it decodes as data, not as a tag.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in self.serializer.tags

    def to_json(self, value: t.Any) -> t.Any:
        key = next(iter(value))
        return {f"{key}__": self.serializer.tag(value[key])}

    def to_python(self, value: t.Any) -> t.Any:
        key = next(iter(value))
        return {key[:-2]: value[key]}


class PassDict(JSONTag):
    """Any other dict: keep it, tag its values."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        # JSON object keys are strings; the stdlib encoder converts the rest.
        tag = self.serializer.tag
        return {k: tag(v) for k, v in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """A tuple: a JSON array under ``" t"``."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """A list: keep it, tag its items."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Bytes: standard base64 text under ``" b"``."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Anything with an ``__html__`` method: its HTML text under ``" m"``,
    decoded as :class:`~microflask.markup.Markup`.
    """

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


class TagUUID(JSONTag):
    """A UUID: its 32 hex digits under ``" u"``."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        return _is_uuid(value)

    def to_json(self, value: t.Any) -> t.Any:
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        from uuid import UUID

        return UUID(value)


class TagDateTime(JSONTag):
    """A datetime: an HTTP date (second precision, UTC) under ``" d"``;
    decodes as an aware UTC datetime.
    """

    __slots__ = ()
    key = " d"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


#: Exact types no default tag touches; the default walk returns them as is.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


class TaggedJSONSerializer:
    """Serialize values to compact tagged JSON and back (see the module text)."""

    __slots__ = ("tags", "order", "_defaults_only", "_decoder", "_encoder")

    #: Tag classes registered on every new serializer, in checking order.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        #: Tagging tags by key, for decoding.
        self.tags: dict[str, JSONTag] = {}
        #: All tags in the order :meth:`tag` checks them.
        self.order: list[JSONTag] = []
        for cls in self.default_tags:
            self.register(cls)
        # PERF: while only the default tags are registered, :meth:`tag` uses
        # a hand-written walk instead of asking every tag's ``check`` in turn.
        self._defaults_only = type(self).default_tags == TaggedJSONSerializer.default_tags
        # PERF: ``json.dumps``/``loads`` with options build a new encoder or
        # decoder per call; these are built once.
        self._decoder = _stdlib_json.JSONDecoder(object_hook=self.untag)
        self._encoder = _stdlib_json.JSONEncoder(separators=(",", ":"), default=_default)

    def register(self, tag_class: type[JSONTag], force: bool = False, index: int | None = None) -> None:
        """Add a tag.

        :param tag_class: the :class:`JSONTag` subclass; it is instantiated
            with this serializer.
        :param force: replace a tag already registered under the same key
            instead of raising.
        :param index: where to insert it in the checking order; the end when
            ``None``. Put a tag before the defaults to take over a type they
            handle.
        :raise KeyError: the key is taken and ``force`` is false.
        """
        tag = tag_class(self)
        key = tag.key
        if key:
            if not force and key in self.tags:
                raise KeyError(f"Tag '{key}' is already registered.")
            self.tags[key] = tag
        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)
        self._defaults_only = False

    def tag(self, value: t.Any) -> t.Any:
        """Convert ``value`` (recursively) to a JSON-ready tagged value."""
        if self._defaults_only:
            return self._tag_default(value)
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)
        return value

    def _tag_default(self, value: t.Any) -> t.Any:
        # PERF: the default tags' checks inlined, most common types first,
        # so plain session data costs one set lookup per value. Behaviour is
        # exactly the ordered ``check`` loop over ``default_tags``.
        cls = type(value)
        if cls in _PLAIN_TYPES:
            return value
        if isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                if key in self.tags:
                    return {" di": {f"{key}__": self._tag_default(value[key])}}
            walk = self._tag_default
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, tuple):
            walk = self._tag_default
            return {" t": [walk(item) for item in value]}
        if isinstance(value, list):
            walk = self._tag_default
            return [walk(item) for item in value]
        if isinstance(value, bytes):
            return {" b": b64encode(value).decode("ascii")}
        if callable(getattr(value, "__html__", None)):
            return {" m": str(value.__html__())}
        if _is_uuid(value):
            return {" u": value.hex}
        if isinstance(value, datetime):
            return {" d": http_date(value)}
        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """The decoding hook: turn a tag's one-key dict back into its value."""
        if len(value) != 1:
            return value
        key = next(iter(value))
        tag = self.tags.get(key)
        if tag is None:
            return value
        return tag.to_python(value[key])

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and encode it as compact JSON.

        Inside an application context the app's JSON provider encodes (so
        its settings, such as sorted keys, apply), as in Flask.
        """
        app_json = _current_app_json()
        tagged = self.tag(value)
        if app_json is not None:
            return t.cast(str, app_json.dumps(tagged, separators=_COMPACT))
        return self._encoder.encode(tagged)

    def loads(self, value: str | bytes) -> t.Any:
        """Decode JSON made by :meth:`dumps`, restoring tagged values.

        :raises ValueError: invalid JSON, or nested deeper than the app's
            ``MAX_JSON_DEPTH`` (500 outside an app), so a session built from
            it is simply empty, never a 500.
        """
        app_json = _current_app_json()
        limit = _json_depth_limit(app_json)
        if limit is not None:
            check_json_depth(value, limit)
        try:
            if app_json is not None:
                return app_json.loads(value, object_hook=self.untag)
            if isinstance(value, (bytes, bytearray)):
                value = value.decode("utf-8")
            return self._decoder.decode(value)
        except RecursionError:
            raise ValueError("JSON nested too deeply to decode.") from None


def _json_depth_limit(app_json: t.Any) -> int | None:
    """``MAX_JSON_DEPTH`` of the provider's app, else the default."""
    app = getattr(app_json, "_app", None)
    config = getattr(app, "config", None)
    if config is None:
        return MAX_JSON_DEPTH
    limit: int | None = config.get("MAX_JSON_DEPTH", MAX_JSON_DEPTH)
    return limit
