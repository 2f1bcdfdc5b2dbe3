"""The status setters' table path (a plain int code) against the general
path (``_clean_status``), including subclass overrides."""

from __future__ import annotations

import typing as t
from http import HTTPStatus

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.sansio.response import Response as SansIOResponse
from wsgikit.wrappers import Response


class GeneralResponse(Response):
    """Takes the general path: its ``_clean_status`` is not the stock one."""

    def _clean_status(self, value: str | int | HTTPStatus) -> tuple[str, int]:
        return super()._clean_status(value)


def outcome(cls: type[Response], attribute: str, value: t.Any) -> t.Any:
    response = cls("x")
    try:
        setattr(response, attribute, value)
    except Exception as e:
        return ("raised", type(e), str(e))
    return response.status, response.status_code, type(response.status_code)


STATUSES = (
    st.integers(-5, 1000)
    | st.sampled_from(list(HTTPStatus))
    | st.sampled_from([True, False, "201", "201 Made", "abc", "", " 404 ", 2.0, None])
)


@given(value=STATUSES, attribute=st.sampled_from(["status", "status_code"]))
@settings(max_examples=500, deadline=None)
def test_table_path_matches_general_path(value: t.Any, attribute: str) -> None:
    assert Response._stock_status and not GeneralResponse._stock_status
    assert outcome(Response, attribute, value) == outcome(GeneralResponse, attribute, value)


def test_flag_per_class_and_overrides_run() -> None:
    calls: list[t.Any] = []

    class Recording(Response):
        def _clean_status(self, value: str | int | HTTPStatus) -> tuple[str, int]:
            calls.append(value)
            return "299 MINE", 299

    class OwnStatus(Response):
        @property
        def status(self) -> str:
            return self._status

        @status.setter
        def status(self, value: str | int | HTTPStatus) -> None:
            calls.append(("status", value))
            self._status, self._status_code = "298 OWN", 298

    assert issubclass(Response, SansIOResponse)
    assert not Recording._stock_status and not OwnStatus._stock_status
    recording = Recording("x")
    recording.status_code = 201
    assert (recording.status, calls) == ("299 MINE", [201])
    own = OwnStatus("x")
    own.status_code = 201
    assert own.status == "298 OWN" and calls[-1] == ("status", 201)


@pytest.mark.parametrize(
    ("code", "line"), [(200, "200 OK"), (201, "201 CREATED"), (418, "418 I'M A TEAPOT"), (599, "599 UNKNOWN")]
)
def test_status_lines(code: int, line: str) -> None:
    for attribute in ("status", "status_code"):
        response = Response("x")
        setattr(response, attribute, code)
        assert (response.status, response.status_code) == (line, code)
    werkzeug_wrappers = pytest.importorskip("werkzeug.wrappers")
    theirs = werkzeug_wrappers.Response("x")
    theirs.status_code = code
    assert theirs.status == line
