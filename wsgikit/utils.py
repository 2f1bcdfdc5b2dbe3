"""Assorted helpers: cached and dict-backed properties, redirects, safe
file names, importing by dotted name, and content types.

:func:`safe_join` lives in :mod:`wsgikit.security` and is re-exported here,
as in Werkzeug. :func:`escape` is the old (Werkzeug 0.8) name for HTML
escaping, kept for code that still imports it from here.
"""

from __future__ import annotations

import os
import sys
import typing as t

from ._internal import _DictAccessorProperty
from ._internal import _escape_html
from ._internal import _missing
from .security import _windows_device_files  # shared with safe_join
from .security import safe_join as safe_join

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from .wrappers.response import Response as _Response

_T = t.TypeVar("_T")


class cached_property(property, t.Generic[_T]):
    """A :func:`property` whose getter runs once per instance; later reads
    return the stored value.

    Assigning to the attribute replaces the stored value, deleting it
    forgets the value so the next read computes it again::

        class Page:
            @cached_property
            def html(self):
                return render(self)   # runs on first access only

    The value is kept in the instance ``__dict__`` under the property's
    name. A class with ``__slots__`` and no ``__dict__`` must provide a
    slot named ``_cache_<name>`` instead.

    :param fget: computes the value.
    :param name: the attribute name; defaults to ``fget.__name__``.
    :param doc: the docstring; defaults to ``fget.__doc__``.
    """

    def __init__(self, fget: t.Callable[[t.Any], _T], name: str | None = None, doc: str | None = None) -> None:
        super().__init__(fget, doc=doc)
        self.__name__ = name or fget.__name__
        #: The slot used on instances without ``__dict__``.
        self.slot_name = f"_cache_{self.__name__}"
        self.__module__ = fget.__module__
        self.__doc__ = doc or fget.__doc__

    @t.overload
    def __get__(self, obj: None, type: type | None = None) -> cached_property[_T]: ...
    @t.overload
    def __get__(self, obj: object, type: type | None = None) -> _T: ...

    def __get__(self, obj: object | None, type: type | None = None) -> _T | cached_property[_T]:
        if obj is None:
            return self
        # PERF: the cached case is one dict lookup inside a try block, which
        # costs nothing when it succeeds.
        try:
            return obj.__dict__[self.__name__]  # type: ignore[no-any-return]  # what fget returned, stored below
        except KeyError:
            pass
        except AttributeError:
            return self._get_from_slot(obj)
        # Computed outside the except block so errors from fget are not
        # chained to the KeyError.
        value = self.fget(obj)  # type: ignore[misc]  # never None: __init__ requires fget
        obj.__dict__[self.__name__] = value
        return value  # type: ignore[no-any-return]  # property types fget's result as Any

    def _get_from_slot(self, obj: object) -> _T:
        value = getattr(obj, self.slot_name, _missing)
        if value is _missing:
            value = self.fget(obj)  # type: ignore[misc]  # never None: __init__ requires fget
            setattr(obj, self.slot_name, value)
        return value  # type: ignore[return-value]  # _missing was replaced by fget's result

    def __set__(self, obj: object, value: _T) -> None:
        obj_dict = getattr(obj, "__dict__", None)
        if obj_dict is not None:
            obj_dict[self.__name__] = value
        else:
            setattr(obj, self.slot_name, value)

    def __delete__(self, obj: object) -> None:
        obj_dict = getattr(obj, "__dict__", None)
        if obj_dict is not None:
            del obj_dict[self.__name__]
        else:
            setattr(obj, self.slot_name, _missing)


class environ_property(_DictAccessorProperty[_T]):
    """A property reading a key of the instance's ``environ``, read-only
    unless ``read_only=False`` is passed::

        class Request:
            remote_addr = environ_property("REMOTE_ADDR")
            port = environ_property("SERVER_PORT", load_func=int, default=0)

    See :class:`~wsgikit._internal._DictAccessorProperty` for the arguments.
    """

    read_only = True

    def lookup(self, obj: t.Any) -> WSGIEnvironment:
        return obj.environ  # type: ignore[no-any-return]  # obj is a request: its environ is a WSGI environ


class header_property(_DictAccessorProperty[_T]):
    """A property reading and writing one header in the instance's
    ``headers`` (writable by default). Assigned values are stored as the
    header's text, so ``None`` becomes ``"None"``: use ``del`` to remove
    the header.
    """

    def lookup(self, obj: t.Any) -> t.Any:
        return obj.headers


def escape(s: t.Any) -> str:
    """HTML-escape ``s`` (``& < > " '``) for text or attribute values.

    ``None`` gives ``""``; objects with ``__html__`` are trusted and
    returned as that method's result; anything else goes through
    :class:`str`. This is the Werkzeug 0.8 spelling, kept for old code.
    """
    if s is None:
        return ""
    return _escape_html(s)


def get_content_type(mimetype: str, charset: str) -> str:
    """Return a ``Content-Type`` value for ``mimetype``, adding
    ``; charset=<charset>`` for text types (``text/*``, ``*+xml`` and a few
    textual ``application/`` types).
    """
    if mimetype.startswith("text/") or mimetype in _charset_mimetypes or mimetype.endswith("+xml"):
        mimetype += f"; charset={charset}"
    return mimetype


#: ``application/`` types that are text and so get a charset.
_charset_mimetypes = {
    "application/ecmascript",
    "application/javascript",
    "application/sql",
    "application/xml",
    "application/xml-dtd",
    "application/xml-external-parsed-entity",
}

#: Apply Windows file-name rules (device names, ``\\`` separators) in
#: :func:`secure_filename`. Set from the OS; tests may patch it.
_os_is_windows = os.name == "nt"

_FILENAME_KEEP = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
#: Bytes secure_filename deletes once whitespace runs became "_".
_filename_delete = bytes(b for b in range(256) if b not in _FILENAME_KEEP)
# Path separators become spaces (so they turn into "_" below), and so do
# \x1c-\x1f, which str.split() counts as whitespace but bytes.split() does not.
_filename_spaces_posix = bytes.maketrans(b"/\x1c\x1d\x1e\x1f", b"     ")
_filename_spaces_windows = bytes.maketrans(b"/\\\x1c\x1d\x1e\x1f", b"      ")


def secure_filename(filename: str) -> str:
    r"""Reduce an untrusted file name to a safe ASCII one for storing on
    the local file system.

    Unicode is normalised (NFKD) and non-ASCII characters dropped, path
    separators and whitespace become ``_``, every character other than
    letters, digits, ``_.-`` is removed, and leading/trailing ``.``/``_``
    are stripped. On Windows a device name such as ``CON`` or
    ``nul.txt`` gets a ``_`` prefix. The result may be empty: choose a
    name yourself then.

    >>> secure_filename("My cool movie.mov")
    'My_cool_movie.mov'
    >>> secure_filename("../../../etc/passwd")
    'etc_passwd'
    """
    # PERF: after NFKD the work is on ASCII bytes, where translate() and
    # split() are plain C loops.
    # Cold start: unicodedata is only needed here.
    import unicodedata

    data = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore")
    data = data.translate(_filename_spaces_windows if _os_is_windows else _filename_spaces_posix)
    text = b"_".join(data.split()).translate(None, _filename_delete).strip(b"._").decode("ascii")
    if _os_is_windows and text and text.split(".", 1)[0].upper() in _windows_device_files:
        text = f"_{text}"
    return text


_SCRIPT_SCHEMES = frozenset({"javascript", "data", "vbscript"})
# What a browser's URL parser ignores before reading the scheme: leading C0
# controls and spaces, and tabs/newlines anywhere.
_URL_LEADING = "".join(map(chr, range(0x21)))
_URL_IGNORED = {ord("\t"): None, ord("\n"): None, ord("\r"): None}


def _is_script_url(location: str) -> bool:
    """Whether a browser would run ``location`` as script when followed as
    a link (``javascript:``, ``data:``, ``vbscript:`` in any case, with the
    whitespace and controls a browser skips)."""
    scheme, colon, _ = location.lstrip(_URL_LEADING).translate(_URL_IGNORED).partition(":")
    return bool(colon) and scheme.lower() in _SCRIPT_SCHEMES


def redirect(location: str, code: int = 302, Response: type[_Response] | None = None) -> _Response:
    """Return a response redirecting the client to ``location``.

    The body is a short HTML page with a link, for clients that do not
    follow redirects.

    :param location: the target URL, sent as the ``Location`` header.
    :param code: 301, 302 (default), 303, 305, 307 or 308.
    :param Response: the response class to use; defaults to
        :class:`wsgikit.wrappers.Response`.
    """
    if Response is None:
        # Deliberate upward call: the wrappers sit above this module.
        from .wrappers.response import Response

    html_location = _escape_html(location)
    if _is_script_url(location):
        # Werkzeug links any URL; a javascript:/data:/vbscript: link would
        # run script in our origin when clicked. Show it as text only.
        link = f"{html_location}."
    else:
        link = f'<a href="{html_location}">{html_location}</a>. If not, click the link.'
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n"
        f"<p>You should be redirected automatically to the target URL: {link}\n"
    )
    response = Response(body, code, mimetype="text/html")  # type: ignore[misc]  # not None: imported above when not given
    response.headers["Location"] = location
    return response


def append_slash_redirect(environ: WSGIEnvironment, code: int = 308) -> _Response:
    """Redirect to the current URL with a trailing slash added.

    The ``Location`` is relative to the last path segment (``/a/b`` ->
    ``b/``), so it is right behind any proxy or mount point; the query
    string is kept. 308 keeps the method and body.
    """
    tail = environ.get("PATH_INFO", "").rpartition("/")[2]
    new_path = f"{tail}/" if tail else "./"
    query = environ.get("QUERY_STRING")
    if query:
        new_path = f"{new_path}?{query}"
    return redirect(new_path, code)


class ImportStringError(ImportError):
    """:func:`import_string` could not import the object; the message lists
    which parts of the dotted name were found.

    :param import_name: the name that failed.
    :param exception: the error that made it fail.
    """

    #: The dotted name that failed to import.
    import_name: str
    #: The underlying exception.
    exception: BaseException

    def __init__(self, import_name: str, exception: BaseException) -> None:
        self.import_name = import_name
        self.exception = exception
        msg = import_name
        name = ""
        tracked = []
        for part in import_name.replace(":", ".").split("."):
            name = f"{name}.{part}" if name else part
            imported = import_string(name, silent=True)
            if imported:
                tracked.append((name, getattr(imported, "__file__", None)))
            else:
                track = [f"- {n!r} found in {i!r}." for n, i in tracked]
                track.append(f"- {name!r} not found.")
                track_str = "\n".join(track)
                msg = (
                    f"import_string() failed for {import_name!r}. Possible reasons are:\n\n"
                    "- missing __init__.py in a package;\n"
                    "- package or module path not included in sys.path;\n"
                    "- duplicated package or module name taking precedence in sys.path;\n"
                    "- missing module, class, function or variable;\n\n"
                    f"Debugged import:\n\n{track_str}\n\n"
                    f"Original exception:\n\n{type(exception).__name__}: {exception}"
                )
                break
        super().__init__(msg)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.import_name!r}, {self.exception!r})>"


def import_string(import_name: str, silent: bool = False) -> t.Any:
    """Import a module or an object from a dotted name:
    ``"os.path.join"`` or ``"os.path:join"``.

    :param silent: return ``None`` instead of raising when the import fails.
    :raises ImportStringError: the import failed and ``silent`` is false.
    """
    import_name = import_name.replace(":", ".")
    try:
        try:
            __import__(import_name)
        except ImportError:
            if "." not in import_name:
                raise
        else:
            return sys.modules[import_name]
        module_name, obj_name = import_name.rsplit(".", 1)
        # fromlist makes Python import a submodule named obj_name if needed.
        module = __import__(module_name, globals(), locals(), [obj_name])
        try:
            return getattr(module, obj_name)
        except AttributeError as e:
            raise ImportError(e) from None
    except ImportError as e:
        if not silent:
            raise ImportStringError(import_name, e).with_traceback(sys.exc_info()[2]) from None
    return None


def find_modules(import_path: str, include_packages: bool = False, recursive: bool = False) -> t.Iterator[str]:
    """Yield the dotted names of the modules in the package ``import_path``.

    :param include_packages: also yield subpackage names.
    :param recursive: descend into subpackages.
    :raises ValueError: ``import_path`` is a module, not a package.
    """
    module = import_string(import_path)
    path = getattr(module, "__path__", None)
    if path is None:
        raise ValueError(f"{import_path!r} is not a package")
    basename = f"{module.__name__}."
    # Cold start: pkgutil is only needed here.
    import pkgutil

    for _importer, modname, ispkg in pkgutil.iter_modules(path, basename):
        if ispkg:
            if include_packages:
                yield modname
            if recursive:
                yield from find_modules(modname, include_packages, True)
        else:
            yield modname


# ---------------------------------------------------------------------------
# File sending helpers (send_file, send_from_directory) are added below this
# line by their own change; keep everything above self-contained.
# ---------------------------------------------------------------------------

from ._send_file import send_file as send_file  # noqa: E402
from ._send_file import send_from_directory as send_from_directory  # noqa: E402
