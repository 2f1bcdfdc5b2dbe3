"""``wsgikit``'s lazy top-level names beyond Werkzeug 3.1's: its public
submodules as attributes and Werkzeug 0.8's re-exports that old code imports.
"""

from __future__ import annotations

import importlib

import pytest

import wsgikit

LEGACY = [
    ("url_decode", "urls"), ("url_encode", "urls"), ("url_quote", "urls"),
    ("url_unquote", "urls"), ("url_quote_plus", "urls"), ("url_unquote_plus", "urls"),
    ("iri_to_uri", "urls"), ("uri_to_iri", "urls"),
    ("escape", "utils"), ("cached_property", "utils"), ("redirect", "utils"),
    ("secure_filename", "utils"), ("import_string", "utils"), ("find_modules", "utils"),
    ("append_slash_redirect", "utils"), ("environ_property", "utils"), ("header_property", "utils"),
    ("abort", "exceptions"), ("Aborter", "exceptions"),
    ("Headers", "datastructures"), ("EnvironHeaders", "datastructures"), ("MultiDict", "datastructures"),
    ("ImmutableMultiDict", "datastructures"), ("CombinedMultiDict", "datastructures"),
    ("FileStorage", "datastructures"), ("FileMultiDict", "datastructures"),
    ("TypeConversionDict", "datastructures"), ("ImmutableDict", "datastructures"),
    ("Accept", "datastructures"), ("MIMEAccept", "datastructures"), ("CharsetAccept", "datastructures"),
    ("LanguageAccept", "datastructures"), ("RequestCacheControl", "datastructures"),
    ("ResponseCacheControl", "datastructures"), ("ETags", "datastructures"), ("HeaderSet", "datastructures"),
    ("WWWAuthenticate", "datastructures"), ("Authorization", "datastructures"),
    ("parse_date", "http"), ("http_date", "http"), ("dump_cookie", "http"), ("parse_cookie", "http"),
    ("parse_etags", "http"), ("quote_etag", "http"), ("unquote_etag", "http"), ("generate_etag", "http"),
    ("is_resource_modified", "http"), ("parse_accept_header", "http"),
    ("parse_cache_control_header", "http"), ("parse_options_header", "http"), ("parse_set_header", "http"),
    ("parse_list_header", "http"), ("parse_dict_header", "http"), ("dump_header", "http"),
    ("quote_header_value", "http"), ("unquote_header_value", "http"), ("is_hop_by_hop_header", "http"),
    ("remove_hop_by_hop_headers", "http"), ("remove_entity_headers", "http"),
    ("generate_password_hash", "security"), ("check_password_hash", "security"),
    ("run_simple", "serving"),
    ("Client", "test"), ("EnvironBuilder", "test"), ("create_environ", "test"), ("run_wsgi_app", "test"),
    ("Request", "wrappers"), ("Response", "wrappers"),
    ("Local", "local"), ("LocalStack", "local"), ("LocalProxy", "local"), ("LocalManager", "local"),
    ("release_local", "local"),
    ("responder", "wsgi"), ("wrap_file", "wsgi"), ("get_host", "wsgi"), ("get_current_url", "wsgi"),
    ("ClosingIterator", "wsgi"), ("FileWrapper", "wsgi"), ("LimitedStream", "wsgi"),
    ("peek_path_info", "wsgi"), ("pop_path_info", "wsgi"), ("extract_path_info", "wsgi"),
    ("parse_form_data", "formparser"),
    ("SharedDataMiddleware", "middleware.shared_data"), ("DispatcherMiddleware", "middleware.dispatcher"),
    ("UserAgent", "user_agent"),
    ("HTTP_STATUS_CODES", "http"), ("parse_authorization_header", "http"),
    ("parse_www_authenticate_header", "http"), ("is_entity_header", "http"),
    ("dump_options_header", "http"), ("CallbackDict", "datastructures"),
    ("ImmutableList", "datastructures"), ("ImmutableTypeConversionDict", "datastructures"),
    ("DebuggedApplication", "debug"),
]


@pytest.mark.parametrize(("name", "module"), LEGACY)
def test_werkzeug_0_8_name_is_the_defining_modules_object(name, module):
    expected = getattr(importlib.import_module(f"wsgikit.{module}"), name)
    namespace: dict[str, object] = {}
    exec(f"from wsgikit import {name} as imported", namespace)
    assert namespace["imported"] is expected
    assert getattr(wsgikit, name) is expected
    assert name in dir(wsgikit)


@pytest.mark.filterwarnings("ignore:'(Immutable)?OrderedMultiDict' is deprecated:DeprecationWarning")
def test_a_deprecated_legacy_name_warns_once_like_its_module():
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = wsgikit.__getattr__("OrderedMultiDict")
    assert issubclass(value, wsgikit.datastructures.MultiDict)
    assert [str(w.message) for w in caught] == [
        "'OrderedMultiDict' is deprecated and will be removed in Werkzeug 3.2. Use 'MultiDict' instead."
    ]


def test_legacy_names_stay_out_of_all():
    assert set(wsgikit.__all__) == {"__version__", "__werkzeug_version__", "Client", "Request", "Response", "run_simple"}


def test_all_names_every_lazy_export_once():
    # __all__ is spelled out for the type checkers; it must not drift from the table.
    assert sorted(wsgikit.__all__) == sorted({"__version__", "__werkzeug_version__", *wsgikit._EXPORTS})
    assert len(wsgikit.__all__) == len(set(wsgikit.__all__))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Href", "module 'wsgikit' has no attribute 'Href': 'werkzeug.Href' existed in Werkzeug releases before 3.1 and wsgikit does not provide it (a microflask limitation)"),
        ("cookie_date", "module 'wsgikit' has no attribute 'cookie_date': 'werkzeug.cookie_date' existed in Werkzeug releases before 3.1 and wsgikit does not provide it (a microflask limitation)"),
        ("testapp", "module 'wsgikit' has no attribute 'testapp': 'werkzeug.testapp' exists in Werkzeug 3.1 but wsgikit does not provide it (a microflask limitation)"),
        ("nope", "module 'wsgikit' has no attribute 'nope'"),
    ],
)
def test_missing_names_say_whether_they_are_a_limitation(name, message):
    with pytest.raises(AttributeError) as caught:
        getattr(wsgikit, name)
    assert str(caught.value) == message
    assert caught.value.name == name
