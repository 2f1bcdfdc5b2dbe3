"""The str-body constructor path with a ``content_type`` and/or a
``mimetype`` against the general path (a class whose ``set_data`` is not
the stock one), and against Werkzeug's Response."""

from __future__ import annotations

import typing as t

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.wrappers import Response


class GeneralResponse(Response):
    """Takes the general constructor path: set_data is overridden."""

    def set_data(self, value: bytes | bytearray | str) -> None:
        super().set_data(value)


def described(cls: type[t.Any], text: str, kwargs: dict[str, t.Any]) -> t.Any:
    try:
        response = cls(text, **kwargs)
    except Exception as e:
        return ("raised", type(e).__name__)
    seen: list[t.Any] = []
    body = b"".join(response({"REQUEST_METHOD": "GET"}, lambda s, h, e=None: seen.append((s, h))))
    return (
        body,
        seen[0],
        response.mimetype,
        response.content_type,
        response.headers.to_wsgi_list(),
        response.get_data(),
    )


CONTENT_TYPES = st.sampled_from(
    [None, "text/html; charset=utf-8", "application/json", "text/plain", "x/y; a=b", "bad\r\nX-Injected: 1", "", "bad\x00"]
)
MIMETYPES = st.sampled_from([None, "text/html", "application/json", "image/png", "text/x\nbad"])


@given(text=st.text(max_size=20), content_type=CONTENT_TYPES, mimetype=MIMETYPES)
@settings(max_examples=300, deadline=None)
def test_content_type_path_matches_general_path(text: str, content_type: str | None, mimetype: str | None) -> None:
    assert Response._text_fast_path and not GeneralResponse._text_fast_path
    kwargs = {"content_type": content_type, "mimetype": mimetype}
    assert described(Response, text, kwargs) == described(GeneralResponse, text, kwargs)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json", "text/plain"])
@pytest.mark.parametrize("mimetype", [None, "image/png"])
def test_content_type_path_matches_werkzeug(content_type: str, mimetype: str | None) -> None:
    werkzeug_wrappers = pytest.importorskip("werkzeug.wrappers")
    kwargs = {"content_type": content_type, "mimetype": mimetype}
    assert described(Response, "Hellö", kwargs) == described(werkzeug_wrappers.Response, "Hellö", kwargs)


def test_unsafe_content_type_is_refused_on_both_paths() -> None:
    for cls in (Response, GeneralResponse):
        with pytest.raises(ValueError):
            cls("x", content_type="text/html\r\nSet-Cookie: a=b")
