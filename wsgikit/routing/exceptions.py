"""Exceptions raised by the routing system.

:class:`RoutingException` is the common base.  Some of these are also HTTP
errors (:class:`RequestRedirect` is a 308 response, :class:`WebsocketMismatch`
a 400) so an application may simply return them as responses.  The others
(:class:`RequestPath`, :class:`RequestAliasRedirect`, :class:`NoMatch`) are
signals passed between the matcher and the adapter.
"""

from __future__ import annotations

import functools
import typing as t

from ..exceptions import BadRequest
from ..exceptions import HTTPException
from ..utils import redirect

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from .map import MapAdapter
    from .rules import Rule


class RoutingException(Exception):
    """Base of every exception the routing system raises on purpose.

    It is mostly useful to catch "anything routing related" in one place.
    """


class RequestRedirect(HTTPException, RoutingException):
    """The matched URL is not the canonical one: redirect the client.

    Raised for missing trailing slashes, merged slashes, default values in
    the path, aliases and rules with ``redirect_to``.  As an
    :class:`~wsgikit.exceptions.HTTPException` it renders itself as a
    ``308 Permanent Redirect`` (the method and body are preserved).
    """

    code: int | None = 308

    def __init__(self, new_url: str) -> None:
        super().__init__(new_url)
        #: The absolute URL the client is sent to.
        self.new_url = new_url

    def get_response(
        self,
        environ: WSGIEnvironment | t.Any | None = None,
        scope: dict[str, t.Any] | None = None,
    ) -> t.Any:
        """Return a redirect response pointing at :attr:`new_url`."""
        # ``code`` is ``int | None`` on HTTPException (as the checkers see it here too); this class sets an int.
        return redirect(self.new_url, t.cast(int, self.code))


class RequestPath(RoutingException):
    """Internal signal: the path must change to ``path_info`` (a redirect)."""

    __slots__ = ("path_info",)

    def __init__(self, path_info: str) -> None:
        super().__init__()
        #: The canonical path the request should have used.
        self.path_info = path_info


class RequestAliasRedirect(RoutingException):  # noqa: N818
    """Internal signal: an alias rule matched; redirect to the main rule."""

    def __init__(self, matched_values: t.Mapping[str, t.Any], endpoint: t.Any) -> None:
        super().__init__()
        #: The values the alias rule matched.
        self.matched_values = matched_values
        #: The endpoint to build the canonical URL for.
        self.endpoint = endpoint


class BuildError(RoutingException, LookupError):
    """No rule can build a URL for the endpoint with the given values.

    The message suggests the closest endpoint, missing values or the
    methods the endpoint accepts, when the adapter is known.
    """

    def __init__(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str | None,
        adapter: MapAdapter | None = None,
    ) -> None:
        super().__init__(endpoint, values, method)
        self.endpoint = endpoint
        self.values = values
        self.method = method
        self.adapter = adapter

    @functools.cached_property
    def suggested(self) -> Rule | None:
        """The rule most similar to what was asked for (computed once)."""
        return self.closest_rule(self.adapter)

    def closest_rule(self, adapter: MapAdapter | None) -> Rule | None:
        """Find the rule closest to the failed request.

        Similarity is the endpoint names' likeness, with small bonuses for
        shared argument names and for accepting the method.
        """
        if adapter is None or not adapter.map._rules:
            return None

        def score(rule: Rule) -> float:
            import difflib

            value = difflib.SequenceMatcher(None, str(rule.endpoint), str(self.endpoint)).ratio()
            value += 0.01 * len(set(self.values or ()) & rule.arguments)
            if rule.methods is not None and self.method in rule.methods:
                value += 0.01
            return value

        return max(adapter.map._rules, key=score)

    def __str__(self) -> str:
        text = [f"Could not build url for endpoint {self.endpoint!r}"]
        if self.method:
            text.append(f" ({self.method!r})")
        if self.values:
            text.append(f" with values {sorted(self.values)!r}")
        text.append(".")
        rule = self.suggested
        if rule is None:
            return "".join(text)
        if rule.endpoint != self.endpoint:
            text.append(f" Did you mean {rule.endpoint!r} instead?")
            return "".join(text)
        if self.method and rule.methods is not None and self.method not in rule.methods:
            text.append(f" Did you mean to use methods {sorted(rule.methods)!r}?")
        missing = (rule.arguments | set(rule.defaults or ())) - set(self.values)
        if missing:
            text.append(f" Did you forget to specify values {sorted(missing)!r}?")
        return "".join(text)


class WebsocketMismatch(BadRequest):
    """The rule needs a WebSocket request and this is plain HTTP, or the
    other way round."""


class NoMatch(Exception):
    """Internal signal from the matcher: nothing matched.

    ``have_match_for`` holds the methods of rules that matched the path
    but not the method (for a 405), ``websocket_mismatch`` says whether a
    rule matched everything but the WebSocket flag.
    """

    __slots__ = ("have_match_for", "websocket_mismatch")

    def __init__(self, have_match_for: t.AbstractSet[str], websocket_mismatch: bool) -> None:
        super().__init__(have_match_for, websocket_mismatch)
        self.have_match_for = have_match_for
        self.websocket_mismatch = websocket_mismatch
