"""wsgikit: a WSGI toolkit with Werkzeug's API and no dependencies.

The top-level names Werkzeug offers (``Request``, ``Response``,
``run_simple``, ``Client``) are re-exported lazily. PERF: ``import wsgikit``
(which every submodule import triggers) then costs nothing beyond this
table; the defining module loads on first use of the name.

Layers (imports only point down; tests/test_layering.py checks it)::

    _internal, _http11, security
    -> _http_text (pure HTTP text helpers), urls, user_agent
    -> datastructures
    -> http, exceptions, utils, _send_file, _cookiejar
    -> sansio
    -> wsgi, formparser, local
    -> wrappers, routing
    -> test, middleware, debug, serving (its parts: _serving_input, _serving_tls,
       _serving_handler), _reloader

A deliberate call upward (``exceptions`` building a ``Response``, the
wrappers reaching for the test tools) imports inside the function, with a
comment saying so.
"""

from __future__ import annotations

import importlib
import typing as t

if t.TYPE_CHECKING:
    from .serving import run_simple as run_simple
    from .test import Client as Client
    from .wrappers import Request as Request
    from .wrappers import Response as Response

#: This project's own version.
__version__ = "0.1.0"

#: The Werkzeug release whose API and behaviour wsgikit implements; what
#: ``importlib.metadata.version("werkzeug")`` answers after
#: ``microflask.install_as_flask()``.
__werkzeug_version__ = "3.1.8"

# Public name -> the module defining it.
_EXPORTS = {
    "run_simple": "serving",
    "Client": "test",
    "Request": "wrappers",
    "Response": "wrappers",
}

# Spelled out (not built from _EXPORTS) so the checkers can read it.
__all__ = ["__version__", "__werkzeug_version__", "run_simple", "Client", "Request", "Response"]

# -- Werkzeug 0.8's top-level names --------------------------------------------
# Old code does ``from werkzeug import url_quote, cached_property``. Each name
# is looked up, on first use, in the module where wsgikit defines it; a name
# that module lacks gets an AttributeError saying so. They stay out of
# ``__all__`` (Werkzeug 3.1 no longer has them at the top level).
_LEGACY_EXPORTS = {
    "datastructures": """Accept CallbackDict CharsetAccept CombinedMultiDict
        EnvironHeaders ETags FileMultiDict FileStorage HeaderSet Headers
        ImmutableDict ImmutableList ImmutableMultiDict
        ImmutableOrderedMultiDict ImmutableTypeConversionDict LanguageAccept
        MIMEAccept MultiDict OrderedMultiDict RequestCacheControl
        ResponseCacheControl TypeConversionDict WWWAuthenticate Authorization""",
    "debug": "DebuggedApplication",
    "exceptions": "abort Aborter",
    "formparser": "parse_form_data",
    "http": """HTTP_STATUS_CODES cookie_date dump_cookie dump_header
        dump_options_header generate_etag http_date is_entity_header
        is_hop_by_hop_header is_resource_modified parse_accept_header
        parse_authorization_header parse_cache_control_header parse_cookie
        parse_date parse_dict_header parse_etags parse_list_header
        parse_options_header parse_set_header parse_www_authenticate_header
        quote_etag quote_header_value remove_entity_headers
        remove_hop_by_hop_headers unquote_etag unquote_header_value""",
    "local": "Local LocalManager LocalProxy LocalStack release_local",
    "middleware.dispatcher": "DispatcherMiddleware",
    "middleware.shared_data": "SharedDataMiddleware",
    "security": "check_password_hash generate_password_hash",
    "test": "EnvironBuilder create_environ run_wsgi_app",
    "urls": """Href iri_to_uri uri_to_iri url_decode url_encode url_fix url_quote
        url_quote_plus url_unquote url_unquote_plus""",
    "user_agent": "UserAgent",
    "utils": """ArgumentValidationError HTMLBuilder Template append_slash_redirect
        bind_arguments cached_property environ_property escape find_modules
        format_string header_property html import_string redirect
        secure_filename test_app unescape validate_arguments xhtml""",
    "wrappers": """AcceptMixin AuthorizationMixin BaseRequest BaseResponse
        CommonRequestDescriptorsMixin CommonResponseDescriptorsMixin
        ETagRequestMixin ETagResponseMixin ResponseStreamMixin UserAgentMixin
        WWWAuthenticateMixin""",
    "wsgi": """ClosingIterator FileWrapper LimitedStream extract_path_info
        get_current_url get_host make_line_iter peek_path_info pop_path_info
        responder wrap_file""",
}
_LEGACY = {name: module for module, names in _LEGACY_EXPORTS.items() for name in names.split()}
# -- end of Werkzeug 0.8's names -----------------------------------------------

# Public submodules, reachable as attributes the way ``import werkzeug``
# makes them (Werkzeug imports them; here they load on first access).
_SUBMODULES = frozenset(
    """datastructures debug exceptions formparser http local middleware routing
    sansio security serving test urls user_agent utils wrappers wsgi""".split()
)

_NOT_FOUND = object()

# Names Werkzeug 3.1 has at the top level and wsgikit lacks.
_WERKZEUG_ONLY = frozenset({"testapp"})


def __getattr__(name: str) -> t.Any:
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value  # later lookups skip this function
        return value
    if name in _SUBMODULES:
        # Importing sets the attribute on this package too.
        return importlib.import_module(f".{name}", __name__)
    legacy = _LEGACY.get(name)
    if legacy is not None:
        value = getattr(importlib.import_module(f".{legacy}", __name__), name, _NOT_FOUND)
        if value is not _NOT_FOUND:
            globals()[name] = value
            return value
    message = f"module 'wsgikit' has no attribute {name!r}"
    if name in _WERKZEUG_ONLY:
        message += f": 'werkzeug.{name}' exists in Werkzeug 3.1 but wsgikit does not provide it (a microflask limitation)"
    elif legacy is not None:
        message += (
            f": 'werkzeug.{name}' existed in Werkzeug releases before 3.1 and wsgikit"
            " does not provide it (a microflask limitation)"
        )
    raise AttributeError(message, name=name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS, *_SUBMODULES})
