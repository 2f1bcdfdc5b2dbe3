"""wsgikit.http against werkzeug.http: header, cookie and date helpers.

Inputs are what real browsers and servers send; each scenario does one call.
"""

from __future__ import annotations

import typing as t

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import

COOKIE_HEADER = (
    "session=eyJfZnJlc2giOmZhbHNlfQ.ZxY2Gw.abcdefghijklmnop; csrftoken=a8f5f167f44f4964e6c998dee827110c;"
    ' theme="dark mode"; _ga=GA1.2.1234567890.1234567890; lang=en-US'
)
ACCEPT_HEADER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CACHE_CONTROL = "no-cache, no-store, max-age=0, must-revalidate"
HTTP_DATE = "Sun, 06 Nov 1994 08:49:37 GMT"


def _pair(name: str, call: t.Callable[[t.Any], t.Callable[[], object]], unit: str) -> None:
    """Register a scenario that runs ``call(module)`` on both packages."""

    @scenario(f"http.{name}")
    def factory() -> Comparison:
        import wsgikit.http

        wz = try_import("werkzeug.http")
        return Comparison(
            ours=call(wsgikit.http),
            peer=call(wz) if wz else None,
            peer_name="werkzeug",
            unit=unit,
            target=1.0,
        )


_pair("parse_cookie", lambda m: lambda: m.parse_cookie(COOKIE_HEADER), "parse")
_pair("parse_cookie_environ", lambda m: lambda: m.parse_cookie({"HTTP_COOKIE": COOKIE_HEADER}), "parse")
_pair("dump_cookie", lambda m: lambda: m.dump_cookie("session", "abc123", max_age=3600, httponly=True), "dump")
_pair(
    "dump_cookie_quoted",
    lambda m: lambda: m.dump_cookie("name", "Grüße, Welt", path="/", samesite="Lax", secure=True),
    "dump",
)
_pair("parse_options_header_simple", lambda m: lambda: m.parse_options_header("text/html"), "parse")
_pair(
    "parse_options_header_params",
    lambda m: lambda: m.parse_options_header('form-data; name="file"; filename="report 2024.pdf"'),
    "parse",
)
_pair("parse_accept_header", lambda m: lambda: m.parse_accept_header(ACCEPT_HEADER), "parse")
_pair("parse_cache_control_header", lambda m: lambda: m.parse_cache_control_header(CACHE_CONTROL), "parse")
_pair("http_date", lambda m: lambda: m.http_date(784111777), "format")
_pair("parse_date", lambda m: lambda: m.parse_date(HTTP_DATE), "parse")
_pair("parse_date_rfc850", lambda m: lambda: m.parse_date("Sunday, 06-Nov-94 08:49:37 GMT"), "parse")
_pair("quote_etag", lambda m: lambda: m.quote_etag("5d41402abc4b2a76b9719d911017c592"), "quote")
_pair("parse_etags", lambda m: lambda: m.parse_etags('"abc", W/"def", "ghi"'), "parse")
_pair("parse_list_header", lambda m: lambda: m.parse_list_header('gzip, deflate, br, "x, y"'), "parse")
_pair("parse_dict_header", lambda m: lambda: m.parse_dict_header('realm="api", charset=UTF-8, x'), "parse")
_pair("parse_range_header", lambda m: lambda: m.parse_range_header("bytes=0-499, 1000-1499"), "parse")
