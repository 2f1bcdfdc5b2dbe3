"""Deep JSON in a microflask app: request.json/get_json answer 400 (never
500), MAX_JSON_DEPTH configures the limit, and a session cookie holding deep
JSON (validly signed) just gives an empty session."""

from __future__ import annotations

import hashlib

import pytest
from itsdangerous import URLSafeTimedSerializer

import microflask
from microflask.json.tag import TaggedJSONSerializer


def make_app(**config: object) -> microflask.Flask:
    app = microflask.Flask(__name__)
    app.config.update(SECRET_KEY="k", **config)

    @app.post("/json")
    def view_json() -> object:
        return {"ok": microflask.request.json is not None}

    @app.post("/get_json")
    def view_get_json() -> object:
        return {"ok": microflask.request.get_json(force=True) is not None}

    @app.get("/session")
    def view_session() -> object:
        return {"keys": sorted(microflask.session.keys())}

    return app


@pytest.mark.parametrize("url", ["/json", "/get_json"])
@pytest.mark.parametrize("body", ["[" * 100_000, "[" * 501 + "]" * 501, '{"a":' * 20_000])
@pytest.mark.parametrize("debug", [False, True])
def test_deep_body_is_400(url: str, body: str, debug: bool) -> None:
    app = make_app(DEBUG=debug)
    response = app.test_client().post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    if debug:
        assert b"nested" in response.data


@pytest.mark.parametrize(("limit", "depth", "status"), [(10, 10, 200), (10, 11, 400), (900, 800, 200), (None, 800, 200)])
def test_max_json_depth_config(limit: int | None, depth: int, status: int) -> None:
    app = make_app(MAX_JSON_DEPTH=limit)
    body = "[" * depth + "]" * depth
    assert app.test_client().post("/json", data=body, content_type="application/json").status_code == status


def test_default_limit_without_touching_flask_default_config() -> None:
    app = microflask.Flask(__name__)
    assert "MAX_JSON_DEPTH" not in app.config  # the default config stays Flask 3.1's
    with app.test_request_context():
        assert microflask.request.max_json_depth == 500


def _signed_raw(payload: str) -> str:
    class Raw:
        @staticmethod
        def dumps(value: str) -> str:
            return value

        @staticmethod
        def loads(value: str) -> str:
            return value

    signer = URLSafeTimedSerializer(
        "k",
        salt="cookie-session",
        serializer=Raw,
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    token = signer.dumps(payload)
    return token.decode() if isinstance(token, bytes) else token


@pytest.mark.parametrize(
    "payload",
    [
        "[" * 100_000,
        '{"a":' * 600 + "1" + "}" * 600,
        '{" t":[' * 5000,  # the tuple tag, nested
    ],
    ids=["open-arrays", "objects-over-limit", "tags"],
)
def test_deep_session_cookie_gives_empty_session(payload: str) -> None:
    app = make_app()
    client = app.test_client()
    client.set_cookie("session", _signed_raw(payload))
    response = client.get("/session")
    assert response.status_code == 200
    assert response.json == {"keys": []}


def test_shallow_signed_session_still_loads() -> None:
    client = make_app().test_client()
    client.set_cookie("session", _signed_raw('{"a":[[1]]}'))
    assert client.get("/session").json == {"keys": ["a"]}


def test_tagged_serializer_refuses_deep_outside_app() -> None:
    serializer = TaggedJSONSerializer()
    with pytest.raises(ValueError, match="nested"):
        serializer.loads("[" * 100_000)
    assert serializer.loads(serializer.dumps({"a": (1, [2])})) == {"a": (1, [2])}
