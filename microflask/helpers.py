"""Helpers used from views: building URLs, redirecting, aborting, flashing
messages, sending files and streaming inside the request context.

Each one works through the current application (``current_app``) so an
application can change the behaviour (``app.url_for``, ``app.redirect``,
``app.aborter``, ``app.response_class``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import typing as t
from functools import lru_cache
from functools import update_wrapper

from wsgikit.exceptions import abort as _abort
from wsgikit.utils import redirect as _redirect
from wsgikit.utils import send_file as _send_file
from wsgikit.utils import send_from_directory as _send_from_directory

from ._envflags import get_debug_flag as get_debug_flag
from ._envflags import get_load_dotenv as get_load_dotenv
from .globals import _cv_app
from .globals import _cv_request
from .globals import current_app
from .globals import request
from .globals import request_ctx
from .globals import session
from .signals import message_flashed

_P = t.ParamSpec("_P")

if t.TYPE_CHECKING:
    from datetime import datetime

    from wsgikit.wrappers import Response as BaseResponse

    from .wrappers import Response


@lru_cache(maxsize=None)
def _split_blueprint_path(name: str) -> list[str]:
    """``"a.b.c"`` -> ``["a.b.c", "a.b", "a"]``: a nested blueprint and its
    parents, innermost first. Cached: there are few names and each request
    of a blueprint asks for it."""
    out = [name]
    while "." in name:
        name = name.rpartition(".")[0]
        out.append(name)
    return out


@t.overload
def stream_with_context(generator_or_function: t.Iterator[t.AnyStr]) -> t.Iterator[t.AnyStr]: ...


@t.overload
def stream_with_context(
    generator_or_function: t.Callable[_P, t.Iterator[t.AnyStr]],
) -> t.Callable[_P, t.Iterator[t.AnyStr]]: ...


def stream_with_context(
    generator_or_function: t.Iterator[t.AnyStr] | t.Callable[_P, t.Iterator[t.AnyStr]],
) -> t.Iterator[t.AnyStr] | t.Callable[_P, t.Iterator[t.AnyStr]]:
    """Push the view's request context again while a streamed response
    body is produced (after the view returned), so the generator can still
    use ``request`` and ``session``. As in Flask, the context's teardown
    then runs once more when the body is finished.

    Accepts a generator (or any iterator), or a generator function to
    decorate.

    :raises RuntimeError: outside a request context.
    """
    try:
        gen = iter(generator_or_function)  # type: ignore[arg-type]  # a function raises TypeError here, handled below
    except TypeError:

        def decorator(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return stream_with_context(generator_or_function(*args, **kwargs))  # type: ignore[operator]  # not iterable, so the generator function

        return update_wrapper(decorator, generator_or_function)  # type: ignore[arg-type]  # as above

    def generator() -> t.Iterator[t.AnyStr | None]:
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError(
                "'stream_with_context' can only be used when a request"
                " context is active, such as in a view function."
            )
        # The first next() below stops here: the context is captured while
        # the view still runs. It is pushed only when the body is produced,
        # in the context doing the iterating: an async view primes this in
        # its own copy of the context, where a push could not be undone by
        # the server's iteration later (as in Flask).
        yield None
        try:
            with ctx:
                yield from gen
        finally:
            close = getattr(gen, "close", None)
            if close is not None:
                close()

    wrapped = generator()
    next(wrapped)
    return wrapped  # type: ignore[return-value]  # the None primed above was consumed by next()


def make_response(*args: t.Any) -> Response:
    """Turn a view's return value (or its parts, ``make_response(body,
    status, headers)``) into a response object, to change it before
    returning it; with no arguments, an empty response."""
    if not args:
        return current_app.response_class()
    if len(args) == 1:
        args = args[0]
    return current_app.make_response(args)


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: t.Any,
) -> str:
    """Build the URL of ``endpoint`` with the current application; see
    :meth:`Flask.url_for`."""
    return current_app.url_for(
        endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
    )


def redirect(location: str, code: int = 302, Response: type[BaseResponse] | None = None) -> BaseResponse:
    """A response redirecting to ``location``; inside an application
    context, made by :meth:`Flask.redirect` (the application's response
    class)."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.redirect(location, code=code)

    return _redirect(location, code=code, Response=Response)


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the HTTP exception for ``code`` (or for a response); inside an
    application context through ``app.aborter``."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.aborter(code, *args, **kwargs)

    _abort(code, *args, **kwargs)


def flash(message: str, category: str = "message") -> None:
    """Store ``message`` in the session for the next request to show (with
    :func:`get_flashed_messages`). Sends ``message_flashed``.

    :param category: any string; ``"message"``, ``"error"``, ``"info"`` and
        ``"warning"`` are the usual ones.
    """
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own method
    if message_flashed.receivers:
        message_flashed.send(app, _async_wrapper=app.ensure_sync, message=message, category=category)


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Take the flashed messages out of the session (the first call in a
    request does; later calls in the same request return the same list).

    :param with_categories: return ``(category, message)`` pairs.
    :param category_filter: keep only these categories.
    """
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]  # the proxy's own method
    flashes: list[tuple[str, str]] = ctx.flashes
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        ctx.flashes = flashes
    if category_filter:
        wanted = set(category_filter)
        flashes = [item for item in flashes if item[0] in wanted]
    if not with_categories:
        return [item[1] for item in flashes]
    return flashes


def _prepare_send_file_kwargs(**kwargs: t.Any) -> dict[str, t.Any]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own method
    if kwargs.get("max_age") is None:
        kwargs["max_age"] = app.get_send_file_max_age
    kwargs.update(
        environ=request.environ,
        use_x_sendfile=app.config["USE_X_SENDFILE"],
        response_class=app.response_class,
        _root_path=app.root_path,
    )
    return kwargs


def send_file(
    path_or_file: os.PathLike[t.AnyStr] | str | t.IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: None | (int | t.Callable[[str | None], int | None]) = None,
) -> Response:
    """Send a file (a path, relative to the application's root, or a
    binary file object) as the response, with conditional-request and
    range support; see :func:`wsgikit.utils.send_file`. The cache max age
    defaults to :meth:`Flask.get_send_file_max_age`."""
    return _send_file(  # type: ignore[return-value]  # made with response_class=app.response_class
        **_prepare_send_file_kwargs(
            path_or_file=path_or_file,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=conditional,
            etag=etag,
            last_modified=last_modified,
            max_age=max_age,
        )
    )


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: t.Any
) -> Response:
    """Send the file ``path`` from inside ``directory``; a path leaving the
    directory gives a 404. Other arguments as :func:`send_file`."""
    return _send_from_directory(directory, path, **_prepare_send_file_kwargs(**kwargs))  # type: ignore[return-value]  # as above


def get_root_path(import_name: str) -> str:
    """The directory of the module or package ``import_name`` (the current
    directory when it cannot be found, e.g. in an interactive shell).

    :raises RuntimeError: for a namespace package, which has no single
        directory.
    """
    module = sys.modules.get(import_name)
    module_file: str | None = getattr(module, "__file__", None) if module is not None else None
    if module_file:
        return os.path.dirname(os.path.abspath(module_file))
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.loader is None:
        return os.getcwd()
    if spec.origin is None or spec.origin == "namespace" or not os.path.isabs(spec.origin):
        raise RuntimeError(
            "No root path can be found for the provided module"
            f" {import_name!r}. This can happen because the module"
            " came from an import hook that does not provide file"
            " name information or because it's a namespace package."
            " In this case the root path needs to be explicitly"
            " provided."
        )
    return os.path.dirname(os.path.abspath(spec.origin))
