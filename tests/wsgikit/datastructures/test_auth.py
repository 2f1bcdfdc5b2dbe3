from __future__ import annotations

import base64

import pytest

from wsgikit.datastructures import Authorization, WWWAuthenticate


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (_basic(b"user:p:w"), {"username": "user", "password": "p:w"}),
        (_basic(b"nocolon"), {"username": "nocolon", "password": ""}),
        (_basic("\u00fc:\u00e9".encode()), {"username": "\u00fc", "password": "\u00e9"}),
        ("Basic", {"username": "", "password": ""}),
        ("basic " + base64.b64encode(b"a:b").decode() + "  ", {"username": "a", "password": "b"}),
    ],
)
def test_authorization_basic(header, expected):
    auth = Authorization.from_header(header)
    assert auth is not None
    assert auth.type == "basic" and auth.token is None
    assert auth.parameters == expected
    assert auth.username == expected["username"] and auth.password == expected["password"]
    assert auth["username"] == expected["username"]
    assert Authorization.from_header(auth.to_header()) == auth


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        _basic("\u00fc:\u00e9".encode("latin-1")),
        "Basic abc",
        # characters outside the base64 alphabet are refused, not skipped
        "Basic d!G!V!z!d!A!=!=",
        "Basic dGV zdDp0ZXN0",
        "Basic dGVzdDp0ZXN\n0",
    ],
)
def test_authorization_unparseable(header):
    assert Authorization.from_header(header) is None


def test_authorization_basic_to_header():
    auth = Authorization("basic", {"username": "u", "password": "p"})
    assert auth.to_header() == str(auth) == "Basic dTpw"
    assert repr(auth) == "<Authorization Basic dTpw>"
    assert Authorization("basic").to_header() == "Basic " + base64.b64encode(b"None:None").decode()


def test_authorization_digest():
    header = (
        'Digest username="u", realm="r", nonce="n", uri="/", response="x",'
        ' qop=auth, nc=00000001, cnonce="c"'
    )
    auth = Authorization.from_header(header)
    assert auth.type == "digest" and auth.token is None
    assert auth.username == "u" and auth.uri == "/" and auth.qop == "auth" and auth.nc == "00000001"
    assert auth.get("missing", "d") == "d" and auth.missing is None
    assert "realm" in auth and "nope" not in auth
    assert auth.to_header() == (
        'Digest username=u, realm=r, nonce=n, uri="/", response=x, qop=auth, nc=00000001, cnonce=c'
    )


@pytest.mark.parametrize(
    ("header", "type_", "token", "params"),
    [
        ("Bearer abc.def==", "bearer", "abc.def==", {}),
        ("bearer   abc", "bearer", "abc", {}),
        ("Custom tok68", "custom", "tok68", {}),
        ('Custom a=b, c="d e"', "custom", None, {"a": "b", "c": "d e"}),
        ("Digest", "digest", "", {}),
    ],
)
def test_authorization_token_and_params(header, type_, token, params):
    auth = Authorization.from_header(header)
    assert (auth.type, auth.token, auth.parameters) == (type_, token, params)


def test_authorization_to_header_and_eq():
    assert Authorization("bearer", token="abc").to_header() == "Bearer abc"
    assert Authorization("custom", {"a": "b", "c": "d e"}).to_header() == 'Custom a=b, c="d e"'
    assert Authorization("digest", {"a": None}).to_header() == "Digest a"
    assert Authorization("bearer", token="t") == Authorization("bearer", token="t")
    assert Authorization("bearer", token="t") != Authorization("Bearer", token="t")
    assert Authorization("basic", {"a": "1"}) != Authorization("basic", {"a": "1"}, "x")
    with pytest.raises(TypeError):
        hash(Authorization("basic"))


def test_www_authenticate_basics():
    w = WWWAuthenticate("Basic", {"realm": "r"})
    assert w.type == "basic" and w.realm == "r" and w["realm"] == "r" and w.token is None
    assert w.get("nonce", "d") == "d" and "realm" in w and w.nonce is None
    assert w.to_header() == str(w) == "Basic realm=r"
    assert repr(w) == "<WWWAuthenticate Basic realm=r>"
    assert repr(WWWAuthenticate("basic")) == "<WWWAuthenticate Basic>"
    assert WWWAuthenticate("bearer", token="abc").to_header() == "Bearer abc"
    assert WWWAuthenticate("basic", {"realm": None}).to_header() == "Basic realm"
    assert WWWAuthenticate("basic", {"realm": "r"}) == WWWAuthenticate("basic", {"realm": "r"})


def test_www_authenticate_editing_and_on_update():
    calls = []
    w = WWWAuthenticate("basic")
    w._on_update = lambda x: calls.append(x.to_header())
    w.realm = "hi there"
    w["charset"] = "UTF-8"
    assert w.to_header() == 'Basic realm="hi there", charset=UTF-8'
    del w.realm
    del w.missing  # not there: fine
    del w["missing"]
    assert w.to_header() == "Basic charset=UTF-8"
    w.charset = None
    assert w.parameters == {}
    w.parameters["x"] = "1"
    assert calls[-1] == "Basic x=1"
    w.type = "custom"
    assert calls[-1] == "Custom x=1"
    w.token = "abc"
    assert calls[-1] == "Custom abc"
    w.parameters = {"a": "b"}
    assert w.parameters == {"a": "b"}
    assert "realm=" in calls[0]


def test_www_authenticate_digest_quotes_required_params():
    w = WWWAuthenticate("digest", {"realm": "r", "nonce": "n", "qop": "auth", "algorithm": "MD5", "stale": "TRUE"})
    assert w.to_header() == 'Digest realm="r", nonce="n", qop="auth", algorithm=MD5, stale=TRUE'
    assert WWWAuthenticate("digest").to_header() == "Digest"


@pytest.mark.parametrize(
    ("header", "type_", "token", "params"),
    [
        ('Digest realm="r", nonce="n", qop="auth, auth-int"', "digest", None,
         {"realm": "r", "nonce": "n", "qop": "auth, auth-int"}),
        ("Bearer", "bearer", "", {}),
        ('Bearer realm="x"', "bearer", None, {"realm": "x"}),
        ("Negotiate abc==", "negotiate", "abc==", {}),
    ],
)
def test_www_authenticate_from_header(header, type_, token, params):
    w = WWWAuthenticate.from_header(header)
    assert (w.type, w.token, dict(w.parameters)) == (type_, token, params)


def test_www_authenticate_from_empty():
    assert WWWAuthenticate.from_header("") is None
    assert WWWAuthenticate.from_header(None) is None
