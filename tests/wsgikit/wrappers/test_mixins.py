"""Werkzeug 0.8's BaseRequest/BaseResponse and mixin names compose into
working classes."""

from __future__ import annotations

import pytest

from wsgikit import wrappers
from wsgikit.test import Client
from wsgikit.test import create_environ
from wsgikit.wrappers import AcceptMixin
from wsgikit.wrappers import AuthorizationMixin
from wsgikit.wrappers import BaseRequest
from wsgikit.wrappers import BaseResponse
from wsgikit.wrappers import CommonRequestDescriptorsMixin
from wsgikit.wrappers import CommonResponseDescriptorsMixin
from wsgikit.wrappers import ETagRequestMixin
from wsgikit.wrappers import ETagResponseMixin
from wsgikit.wrappers import ResponseStreamMixin
from wsgikit.wrappers import UserAgentMixin
from wsgikit.wrappers import WWWAuthenticateMixin


class Request(BaseRequest, AcceptMixin, ETagRequestMixin, UserAgentMixin, AuthorizationMixin, CommonRequestDescriptorsMixin):
    pass


class Response(BaseResponse, ETagResponseMixin, ResponseStreamMixin, CommonResponseDescriptorsMixin, WWWAuthenticateMixin):
    pass


def test_composed_request_parses_every_family_lazily() -> None:
    environ = create_environ(
        "/p?a=1",
        method="POST",
        data={"f": "v"},
        headers={
            "Accept": "text/html;q=0.9, application/json",
            "If-None-Match": '"abc"',
            "Range": "bytes=0-9",
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0",
            "Authorization": "Basic dTpw",
            "Referer": "http://example.test/",
        },
    )
    request = Request(environ)
    assert "args" not in request.__dict__  # nothing parsed yet
    assert request.args["a"] == "1"
    assert request.form["f"] == "v"
    assert request.accept_mimetypes.best == "application/json"
    assert request.if_none_match.contains("abc")
    assert request.range is not None and request.range.ranges == [(0, 10)]
    assert request.user_agent.browser == "firefox"
    assert request.authorization is not None and request.authorization.username == "u"
    assert request.referrer == "http://example.test/"
    assert request.mimetype == "application/x-www-form-urlencoded"


def test_composed_response_is_a_working_wsgi_response() -> None:
    response = Response("hello", mimetype="text/plain")
    response.stream.write(" world")
    response.add_etag()
    response.www_authenticate.realm = "site"
    assert Response._wsgi_fast_path and Response._text_fast_path  # empty mixins change nothing
    result = Client(response).get("/")
    assert result.get_data() == b"hello world"
    assert result.headers["ETag"] and result.headers["WWW-Authenticate"] == "Basic realm=site"
    assert result.mimetype == "text/plain"


@pytest.mark.parametrize(
    "name",
    [
        "AcceptMixin",
        "ETagRequestMixin",
        "UserAgentMixin",
        "AuthorizationMixin",
        "CommonRequestDescriptorsMixin",
        "ETagResponseMixin",
        "ResponseStreamMixin",
        "CommonResponseDescriptorsMixin",
        "WWWAuthenticateMixin",
    ],
)
def test_mixins_are_empty_markers(name: str) -> None:
    mixin = getattr(wrappers, name)
    assert mixin.__slots__ == ()
    assert [key for key in vars(mixin) if not key.startswith("__")] == []


def test_base_classes_are_the_full_classes() -> None:
    assert BaseRequest is wrappers.Request
    assert BaseResponse is wrappers.Response
