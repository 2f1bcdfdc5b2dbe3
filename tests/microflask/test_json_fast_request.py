"""request.get_json and the body around it (read straight from wsgi.input
when the stream was never opened) against Flask, run as a black box."""

from __future__ import annotations

import typing as t

import pytest

import microflask

flask = pytest.importorskip("flask")


def make_app(mod: t.Any, max_length: int | None) -> t.Any:
    app = mod.Flask("json_fast_request")
    app.config["MAX_CONTENT_LENGTH"] = max_length

    def create(n: int) -> t.Any:
        request = mod.request
        data = request.get_json()
        again = request.get_json()
        return {
            "data": data,
            "same": data is again or data == again,
            "raw": request.get_data(as_text=True),
            "stream_rest": request.stream.read().decode(),
            "n": n,
        }, 201

    app.add_url_rule("/orders/<int:n>", view_func=create, methods=["POST"])
    return app


CASES = [
    ({"data": b'{"b": [1, 2], "a": "x"}', "content_type": "application/json"}, None),
    ({"data": b'{"a": 1}', "content_type": "application/vnd.api+json"}, None),
    ({"data": b'{"a": 1}', "content_type": "text/plain"}, None),  # 415
    ({"data": b'{"a": ', "content_type": "application/json"}, None),  # 400
    ({"data": b"", "content_type": "application/json"}, None),  # 400: empty is not JSON
    ({"data": b'{"a": "' + b"x" * 100 + b'"}', "content_type": "application/json"}, 50),  # 413
    ({"data": b'{"a": 1}', "content_type": "application/json"}, 8),  # exactly the limit
    ({"data": '{"é": "ü"}'.encode("utf-16"), "content_type": "application/json"}, None),
]


@pytest.mark.parametrize(("kwargs", "max_length"), CASES)
def test_get_json_matches_flask(kwargs: dict[str, t.Any], max_length: int | None) -> None:
    results = []
    for mod in (microflask, flask):
        client = make_app(mod, max_length).test_client()
        response = client.post("/orders/7", **kwargs)
        body = response.get_json() if response.is_json else None
        results.append((response.status_code, body))
    assert results[0] == results[1]
