"""JSON providers (how an app encodes and decodes JSON) and the module-level
helpers ``dumps``/``loads``/``dump``/``load``/``jsonify`` that use the
current app's provider.

An app owns one provider, ``app.json``. Replacing it (for example with one
built on a faster third-party library) changes how ``jsonify``,
``request.get_json``, the session serializer and templates' ``tojson`` encode.
"""

from __future__ import annotations

import codecs
import json
import sys
import typing as t
import weakref
from datetime import date

from wsgikit.http import http_date

from ..globals import current_app

if t.TYPE_CHECKING:  # pragma: no cover
    from ..wrappers import Response

__all__ = ["DefaultJSONProvider", "JSONProvider", "dump", "dumps", "jsonify", "load", "loads"]


class JSONProvider:
    """The interface every JSON provider implements.

    Subclasses implement :meth:`dumps` and :meth:`loads`; :meth:`dump`,
    :meth:`load` and :meth:`response` are built on them.

    :param app: the application; kept as a weak proxy so the provider does
        not keep the app alive.
    """

    def __init__(self, app: t.Any) -> None:
        self._app: t.Any = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Encode ``obj`` as a JSON string. Subclasses must implement it.

        :param obj: the value.
        :param kwargs: options for the underlying library.
        """
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Encode ``obj`` and write it to the text file ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Decode a JSON document. Subclasses must implement it.

        :param s: the text (or UTF-8/16/32 bytes).
        :param kwargs: options for the underlying library.
        """
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Read the file ``fp`` to its end and decode it."""
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> t.Any:
        # One positional value is sent as is, several as a list, keyword
        # arguments as an object, nothing as ``null``.
        if args and kwargs:
            raise TypeError("app.json.response() takes either args or kwargs, not both")
        if not args and not kwargs:
            return None
        if len(args) == 1:
            return args[0]
        return args or kwargs

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Build an ``application/json`` response from the arguments.

        :param args: one value to encode, or several, encoded as an array.
        :param kwargs: or keyword arguments, encoded as an object.
        :raise TypeError: both positional and keyword arguments were given.
        """
        obj = self._prepare_response_obj(args, kwargs)
        response: Response = self._app.response_class(self.dumps(obj), mimetype="application/json")
        return response


def _default(o: t.Any) -> t.Any:
    """Encode the types the stdlib encoder does not know (JSON's ``default``)."""
    if isinstance(o, date):
        return http_date(o)
    # PERF: these modules are not imported to answer this: an instance of
    # their classes cannot exist before its module was imported.
    modules = sys.modules
    decimal = modules.get("decimal")
    if decimal is not None and isinstance(o, decimal.Decimal):
        return str(o)
    uuid = modules.get("uuid")
    if uuid is not None and isinstance(o, uuid.UUID):
        return str(o)
    dataclasses = modules.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


#: The separators of compact output.
_COMPACT_SEPARATORS = (",", ":")
#: The keyword arguments :meth:`DefaultJSONProvider.dumps` can serve with a
#: reused encoder.
_REUSABLE_KWARGS = frozenset({"separators", "indent"})
#: Reused encoders by (default, ensure_ascii, sort_keys, separators,
#: indent): the :class:`json.JSONEncoder` and, when the C accelerator can
#: serve it, the C encoder its ``encode()`` would build (else ``None``).
_encoders: dict[tuple[t.Any, ...], tuple[json.JSONEncoder, t.Any]] = {}
#: The stdlib's C encoder factory (``None`` without the ``_json`` accelerator).
_c_make_encoder: t.Any = getattr(json.encoder, "c_make_encoder", None)


def _c_encoder(encoder: json.JSONEncoder) -> t.Any:
    """The C encoder ``encoder.encode()`` builds on every call for a
    non-str value (see :meth:`json.JSONEncoder.iterencode`): the same
    arguments, built once. ``None`` when the stdlib would use its
    pure-Python encoder (no accelerator, or an indent)."""
    if _c_make_encoder is None or encoder.indent is not None or encoder.check_circular:
        return None
    string_encoder = json.encoder.encode_basestring_ascii if encoder.ensure_ascii else json.encoder.encode_basestring
    return _c_make_encoder(
        None,
        encoder.default,
        string_encoder,
        encoder.indent,
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )


#: The byte order marks json.detect_encoding looks for (the UTF-32 ones
#: start with a UTF-16 one or with a zero byte).
_UNICODE_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: A decoder with json.loads's defaults.
_plain_decoder = json.JSONDecoder()
#: Reused decoders by ``object_hook`` (``None`` for plain decoding).
_decoders: dict[t.Any, json.JSONDecoder] = {}


class DefaultJSONProvider(JSONProvider):
    """The standard provider, on the stdlib :mod:`json`.

    Beyond plain JSON types it encodes ``datetime``/``date`` as HTTP dates
    (RFC 822, UTC), ``UUID`` and ``Decimal`` as strings, dataclass instances
    as objects, and anything with ``__html__`` as its HTML text.
    """

    #: The fallback encoder for unknown types; replace it to support more.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)
    #: Escape non-ASCII characters as ``\\uXXXX``: the output is pure ASCII.
    ensure_ascii = True
    #: Sort object keys: stable output that caches and signatures can rely on.
    sort_keys = True
    #: ``None``: responses are indented in debug mode and compact otherwise;
    #: ``True``/``False`` force compact or indented output.
    compact: bool | None = None
    #: The ``Content-Type`` of :meth:`response` output.
    mimetype = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Encode ``obj`` with this provider's settings; ``kwargs`` override
        them and go to :func:`json.dumps`.
        """
        # PERF: the calls made per request (jsonify, the session
        # serializer) pass at most ``separators`` or ``indent``; for those an
        # encoder with exactly the settings json.dumps would build is reused
        # instead of constructed on every call (same output: json.dumps
        # builds the same JSONEncoder and calls its encode()).
        if len(kwargs) <= 1 and kwargs.keys() <= _REUSABLE_KWARGS:
            text = _fast_dumps(self, obj, kwargs.get("separators"), kwargs.get("indent"))
            if text is not None:
                return text
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return json.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Decode with :func:`json.loads`, passing ``kwargs`` through."""
        # PERF: json.loads builds a new JSONDecoder (and its C scanner)
        # whenever an option such as ``object_hook`` is given, which the
        # session serializer does on every request. For text input with at
        # most an ``object_hook``, a decoder per hook is reused: json.loads
        # would build the same decoder and call its decode() after the same
        # BOM check, so the result and the errors are the same.
        if type(s) is str and s[:1] != "\ufeff" and (not kwargs or (len(kwargs) == 1 and "object_hook" in kwargs)):
            hook = kwargs.get("object_hook")
            try:
                decoder = _decoders.get(hook)
            except TypeError:  # an unhashable hook: take the general path
                return json.loads(s, **kwargs)
            if decoder is None:
                if len(_decoders) >= 32:
                    _decoders.clear()
                decoder = _decoders[hook] = json.JSONDecoder(object_hook=hook)
            return decoder.decode(s)
        if type(s) is bytes and not kwargs and 0 not in s[:4] and not s.startswith(_UNICODE_BOMS):
            # PERF: a request body (request.get_json). json.loads would
            # call json.detect_encoding, which answers UTF-8 for bytes
            # without a BOM and without a zero byte in the first four, then
            # decode them with "surrogatepass" and use its plain decoder:
            # the same steps, without the detection call.
            return _plain_decoder.decode(s.decode("utf-8", "surrogatepass"))
        return json.loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Like :meth:`JSONProvider.response`, indented (2 spaces) when
        :attr:`compact` is false or unset in debug mode, and ending with a
        newline.
        """
        obj = self._prepare_response_obj(args, kwargs)
        compact = self.compact
        if (compact is None and self._app.debug) or compact is False:
            text = self.dumps(obj, indent=2)
        else:
            text = self.dumps(obj, separators=_COMPACT_SEPARATORS)
        response: Response = self._app.response_class(f"{text}\n", mimetype=self.mimetype)
        return response


def _fast_dumps(provider: DefaultJSONProvider, obj: t.Any, separators: t.Any, indent: t.Any) -> str | None:
    """``json.dumps(obj, ...)`` with ``provider``'s settings plus
    ``separators``/``indent``, through an encoder reused across calls;
    ``None`` when a setting is unhashable (the caller then takes the
    general path).

    PERF: the reused encoders also skip the circular-reference check, the
    bookkeeping of every list and dict encoded (a fifth of the time for a
    list of small objects). Output is the same; only a structure the
    encoder cannot finish differs, as a cycle then ends in RecursionError
    instead of ValueError. So a RecursionError is answered by encoding again
    with the check, which raises exactly what ``json.dumps`` raises:
    ``ValueError("Circular reference detected")`` for a cycle, RecursionError
    again for a structure that is simply too deep.
    """
    key = (provider.default, provider.ensure_ascii, provider.sort_keys, separators, indent)
    try:
        entry = _encoders.get(key)
    except TypeError:
        return None
    if entry is None:
        if len(_encoders) >= 32:
            _encoders.clear()
        encoder = json.JSONEncoder(
            ensure_ascii=key[1],
            indent=indent,
            separators=separators,
            default=key[0],
            sort_keys=key[2],
            check_circular=False,
        )
        entry = _encoders[key] = (encoder, _c_encoder(encoder))
    try:
        # PERF: the C encoder encode() would build, built once (see
        # _c_encoder); a str goes through encode(), which escapes it alone.
        c_encoder = entry[1]
        if c_encoder is not None and not isinstance(obj, str):
            return "".join(c_encoder(obj, 0))
        return entry[0].encode(obj)
    except RecursionError:
        return json.dumps(
            obj, ensure_ascii=key[1], indent=indent, separators=separators, default=key[0], sort_keys=key[2]
        )


def _current_app_json() -> t.Any:
    """The active app's provider, or ``None`` outside an application context."""
    # PERF: no application context can exist before the globals module is
    # imported, so a dict lookup answers the common "plain library use" case
    # without importing anything.
    globals_module = sys.modules.get("microflask.globals")
    if globals_module is None:
        return None
    cv_app = getattr(globals_module, "_cv_app", None)
    if cv_app is not None:
        ctx = cv_app.get(None)
        return None if ctx is None else ctx.app.json
    app = globals_module.current_app
    return app.json if app else None


def dumps(obj: t.Any, **kwargs: t.Any) -> str:
    """Encode ``obj`` as JSON: with ``current_app.json`` inside an app
    context, else with :func:`json.dumps` plus this package's extra types.
    """
    app_json = _current_app_json()
    if app_json is not None:
        return t.cast(str, app_json.dumps(obj, **kwargs))
    kwargs.setdefault("default", _default)
    return json.dumps(obj, **kwargs)


def dump(obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
    """Encode ``obj`` and write it to ``fp`` (see :func:`dumps`)."""
    app_json = _current_app_json()
    if app_json is not None:
        app_json.dump(obj, fp, **kwargs)
        return
    kwargs.setdefault("default", _default)
    json.dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: t.Any) -> t.Any:
    """Decode JSON: with ``current_app.json`` inside an app context, else
    with :func:`json.loads`.
    """
    app_json = _current_app_json()
    if app_json is not None:
        return app_json.loads(s, **kwargs)
    return json.loads(s, **kwargs)


def load(fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
    """Read ``fp`` and decode it (see :func:`loads`)."""
    app_json = _current_app_json()
    if app_json is not None:
        return app_json.load(fp, **kwargs)
    return json.load(fp, **kwargs)


def jsonify(*args: t.Any, **kwargs: t.Any) -> Response:
    """Make a JSON response with the current app's provider
    (``current_app.json.response``). Needs an application context.

    :param args: one value, or several (sent as an array).
    :param kwargs: or keyword arguments (sent as an object); not both.
    :raise TypeError: both positional and keyword arguments were given.
    :raise RuntimeError: there is no application context.
    """
    # PERF: the provider straight from the context variable, without an
    # import statement and a proxy lookup on every call.
    app_json = _current_app_json()
    if app_json is None:
        app_json = current_app.json  # raises Flask's "outside of application context" error
    response: Response = app_json.response(*args, **kwargs)
    return response
