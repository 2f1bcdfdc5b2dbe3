"""Type aliases for what views, hooks and error handlers take and return
(Flask's ``flask.typing`` names), and the type variables the registration
decorators use so a decorated function keeps its own signature.

Annotate a view with :data:`ResponseReturnValue`; the ``T_*`` variables are
for code that wraps the decorators (an extension's own ``route``).
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from wsgikit.datastructures import Headers
    from wsgikit.sansio.response import Response

# What a view may return as the body.
ResponseValue = t.Union[
    "Response",
    str,
    bytes,
    t.List[t.Any],
    t.Mapping[str, t.Any],
    t.Iterator[str],
    t.Iterator[bytes],
    cabc.AsyncIterable[str],
    cabc.AsyncIterable[bytes],
]

# A single header value.
HeaderValue = t.Union[str, t.List[str], t.Tuple[str, ...]]

# Headers a view may return.
HeadersValue = t.Union[
    "Headers",
    t.Mapping[str, HeaderValue],
    t.Sequence[t.Tuple[str, HeaderValue]],
]

# Everything a view may return.
ResponseReturnValue = t.Union[
    ResponseValue,
    t.Tuple[ResponseValue, HeadersValue],
    t.Tuple[ResponseValue, int],
    t.Tuple[ResponseValue, int, HeadersValue],
    "WSGIApplication",
]

# A response class or object (anything with the response interface).
ResponseClass = t.TypeVar("ResponseClass", bound="Response")

AppOrBlueprintKey = t.Optional[str]
AfterRequestCallable = t.Union[
    t.Callable[[ResponseClass], ResponseClass],
    t.Callable[[ResponseClass], t.Awaitable[ResponseClass]],
]
BeforeFirstRequestCallable = t.Union[t.Callable[[], None], t.Callable[[], t.Awaitable[None]]]
BeforeRequestCallable = t.Union[
    t.Callable[[], t.Optional[ResponseReturnValue]],
    t.Callable[[], t.Awaitable[t.Optional[ResponseReturnValue]]],
]
ShellContextProcessorCallable = t.Callable[[], t.Dict[str, t.Any]]
TeardownCallable = t.Union[
    t.Callable[[t.Optional[BaseException]], None],
    t.Callable[[t.Optional[BaseException]], t.Awaitable[None]],
]
TemplateContextProcessorCallable = t.Union[
    t.Callable[[], t.Dict[str, t.Any]],
    t.Callable[[], t.Awaitable[t.Dict[str, t.Any]]],
]
TemplateFilterCallable = t.Callable[..., t.Any]
TemplateGlobalCallable = t.Callable[..., t.Any]
TemplateTestCallable = t.Callable[..., bool]
URLDefaultCallable = t.Callable[[str, t.Dict[str, t.Any]], None]
URLValuePreprocessorCallable = t.Callable[[t.Optional[str], t.Optional[t.Dict[str, t.Any]]], None]
ErrorHandlerCallable = t.Union[
    t.Callable[[t.Any], ResponseReturnValue],
    t.Callable[[t.Any], t.Awaitable[ResponseReturnValue]],
]
RouteCallable = t.Union[
    t.Callable[..., ResponseReturnValue],
    t.Callable[..., t.Awaitable[ResponseReturnValue]],
]

# What each registration decorator accepts: the decorator returns the same
# function, so ``@app.route(...)`` keeps the view's exact signature.
T_after_request = t.TypeVar("T_after_request", bound=AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=TeardownCallable)
T_template_context_processor = t.TypeVar("T_template_context_processor", bound=TemplateContextProcessorCallable)
T_url_defaults = t.TypeVar("T_url_defaults", bound=URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar("T_url_value_preprocessor", bound=URLValuePreprocessorCallable)
T_route = t.TypeVar("T_route", bound=RouteCallable)
T_shell_context_processor = t.TypeVar("T_shell_context_processor", bound=ShellContextProcessorCallable)
T_template_filter = t.TypeVar("T_template_filter", bound=TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=TemplateTestCallable)
