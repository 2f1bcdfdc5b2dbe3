"""Flask's request and response classes: wsgikit's, plus what the
application knows about the request (the matched rule, the view arguments,
the blueprint) and limits read from the application's config.
"""

from __future__ import annotations

import typing as t

from wsgikit.exceptions import BadRequest
from wsgikit.exceptions import HTTPException
from wsgikit.wrappers import Request as RequestBase
from wsgikit.wrappers import Response as ResponseBase

from .globals import _cv_app
from .helpers import _split_blueprint_path

if t.TYPE_CHECKING:
    from wsgikit.routing import Rule


class Request(RequestBase):
    """The request object ``request`` points to.

    The body limits (:attr:`max_content_length`, :attr:`max_form_memory_size`,
    :attr:`max_form_parts`) come from the application's config
    (``MAX_CONTENT_LENGTH``, ``MAX_FORM_MEMORY_SIZE``, ``MAX_FORM_PARTS``),
    like the JSON nesting limit :attr:`max_json_depth` (``MAX_JSON_DEPTH``),
    unless set on the request itself.
    """

    #: The module or JSON provider :meth:`get_json` decodes with; each
    #: request context sets the application's provider here.
    json_module: t.Any = RequestBase.json_module

    #: The rule that matched the request, once routing succeeded.
    url_rule: Rule | None = None
    #: The arguments the rule extracted for the view, once routing succeeded.
    view_args: dict[str, t.Any] | None = None
    #: The exception routing raised (404, 405, a redirect...), or ``None``.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None
    _max_json_depth: int | None = None

    def _config_limit(self, key: str, default: int | None) -> int | None:
        ctx = _cv_app.get(None)
        if ctx is None:
            return default
        limit: int | None = ctx.app.config[key]
        return limit

    @property
    def max_content_length(self) -> int | None:
        """Largest body accepted, in bytes: the value set on this request,
        else ``MAX_CONTENT_LENGTH`` of the current application."""
        # PERF: read for every request body; _config_limit inlined.
        value = self._max_content_length
        if value is not None:
            return value
        ctx = _cv_app.get(None)
        if ctx is None:
            return RequestBase.max_content_length
        limit: int | None = ctx.app.config["MAX_CONTENT_LENGTH"]
        return limit

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:  # pyright: ignore[reportIncompatibleVariableOverride]  # reads and writes as the attribute
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """Largest non-file form field, in bytes: the value set on this
        request, else ``MAX_FORM_MEMORY_SIZE`` of the current application."""
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        return self._config_limit("MAX_FORM_MEMORY_SIZE", RequestBase.max_form_memory_size)

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:  # pyright: ignore[reportIncompatibleVariableOverride]  # reads and writes as the attribute
        self._max_form_memory_size = value

    @property
    def max_form_parts(self) -> int | None:
        """Largest number of multipart parts: the value set on this request,
        else ``MAX_FORM_PARTS`` of the current application."""
        if self._max_form_parts is not None:
            return self._max_form_parts
        return self._config_limit("MAX_FORM_PARTS", RequestBase.max_form_parts)

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:  # pyright: ignore[reportIncompatibleVariableOverride]  # reads and writes as the attribute
        self._max_form_parts = value

    @property
    def max_json_depth(self) -> int | None:
        """Deepest JSON nesting :meth:`get_json` accepts: the value set on
        this request, else ``MAX_JSON_DEPTH`` of the current application
        when set (Flask has no such limit; the default is 500)."""
        value = self._max_json_depth
        if value is not None:
            return value
        ctx = _cv_app.get(None)
        if ctx is None:
            return RequestBase.max_json_depth
        # Not in the default config, which stays exactly Flask 3.1's.
        depth: int | None = ctx.app.config.get("MAX_JSON_DEPTH", RequestBase.max_json_depth)
        return depth

    @max_json_depth.setter
    def max_json_depth(self, value: int | None) -> None:  # pyright: ignore[reportIncompatibleVariableOverride]  # reads and writes as the attribute
        self._max_json_depth = value

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None``."""
        rule = self.url_rule
        return rule.endpoint if rule is not None else None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint the endpoint belongs to, or
        ``None`` for an application endpoint (or no match)."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The blueprint and its parents, innermost first: ``"a.b"`` gives
        ``["a.b", "a"]``; empty outside a blueprint."""
        name = self.blueprint
        if name is None:
            return []
        return _split_blueprint_path(name)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """As wsgikit's, except that the decoding error's text is shown
        only in debug mode; otherwise the client gets a plain 400."""
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as ebr:
            ctx = _cv_app.get(None)
            if ctx is not None and ctx.app.debug:
                raise
            raise BadRequest() from ebr


class Response(ResponseBase):
    """The response class of applications: HTML by default, with the
    cookie size limit from ``MAX_COOKIE_SIZE``."""

    default_mimetype: str | None = "text/html"
    #: The module or JSON provider :attr:`json` decodes with.
    json_module: t.Any = ResponseBase.json_module
    autocorrect_location_header = False

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]  # a read-only property where the base has an attribute, as in Flask
        """``MAX_COOKIE_SIZE`` of the current application (wsgikit's
        default outside an application context)."""
        ctx = _cv_app.get(None)
        if ctx is not None:
            size: int = ctx.app.config["MAX_COOKIE_SIZE"]
            return size
        return ResponseBase.max_cookie_size
