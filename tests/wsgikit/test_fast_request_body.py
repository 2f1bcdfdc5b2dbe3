"""Request.get_data's direct read of ``wsgi.input`` (the body read without
opening ``Request.stream``) against the general path through the stream.

The general path is what a subclass with its own ``stream`` (or an
assigned/opened stream) takes; both must return the same bytes, raise the
same errors, ask the input for the same reads, and leave ``stream`` in the
same state.
"""

from __future__ import annotations

import io
import typing as t
from functools import cached_property
from wsgiref.util import setup_testing_defaults

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wsgikit.exceptions import ClientDisconnected
from wsgikit.exceptions import RequestEntityTooLarge
from wsgikit.wrappers import Request
from wsgikit.wsgi import LimitedStream
from wsgikit.wsgi import get_input_stream


class GeneralRequest(Request):
    """Takes the general path: its ``stream`` is not the stock one (a
    ``cached_property``, as a Werkzeug-style subclass would write it)."""

    @cached_property
    def stream(self) -> t.IO[bytes]:  # type: ignore[override]  # a cached_property replaces the descriptor
        return self._open_stream()


class RecordingInput:
    """A ``wsgi.input`` handing out ``body`` in pieces of at most ``chunk``
    bytes, optionally failing at read number ``fail_at``, recording every
    ``read`` size asked for."""

    def __init__(self, body: bytes, chunk: int, fail_at: int | None = None, overshoot: bool = False) -> None:
        self.body = body
        self.pos = 0
        self.chunk = chunk
        self.fail_at = fail_at
        self.overshoot = overshoot
        self.calls: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.calls.append(size)
        if self.fail_at is not None and len(self.calls) > self.fail_at:
            raise OSError("connection reset")
        if self.overshoot:
            # A broken input returning more than asked.
            data = self.body[self.pos :]
        else:
            want = self.chunk if size < 0 else min(size, self.chunk)
            data = self.body[self.pos : self.pos + want]
        self.pos += len(data)
        return data


def environ_for(stream: t.Any, length: str | None, **extra: t.Any) -> dict[str, t.Any]:
    environ: dict[str, t.Any] = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD="POST", CONTENT_TYPE="application/octet-stream", QUERY_STRING="")
    environ["wsgi.input"] = stream
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    environ.update(extra)
    return environ


def outcome(request: Request, *calls: t.Callable[[Request], t.Any]) -> list[t.Any]:
    """What each call returns (or raises, by exception type and its context)."""
    results: list[t.Any] = []
    for call in calls:
        try:
            results.append(call(request))
        except Exception as e:
            results.append(("raised", type(e), type(e.__context__)))
    return results


def stream_state(request: Request) -> tuple[t.Any, ...]:
    stream = request.stream
    if isinstance(stream, LimitedStream):
        return ("limited", stream.limit, stream._pos, stream.is_exhausted, stream.read(), stream.read(3))
    return (type(stream).__name__, stream.read())


def compare(make_environ: t.Callable[[], dict[str, t.Any]], *calls: t.Callable[[Request], t.Any]) -> None:
    fast_env = make_environ()
    general_env = make_environ()
    fast = Request(fast_env)
    general = GeneralRequest(general_env)
    assert Request._stock_body_stream and not GeneralRequest._stock_body_stream
    assert outcome(fast, *calls) == outcome(general, *calls)
    fast_input, general_input = fast_env.get("wsgi.input"), general_env.get("wsgi.input")
    if isinstance(fast_input, RecordingInput):
        assert fast_input.calls == general_input.calls  # type: ignore[union-attr]  # the same class: built by make_environ
    assert outcome(fast, stream_state) == outcome(general, stream_state)


GET_DATA = (lambda r: r.get_data(),)
TWICE_UNCACHED = (lambda r: r.get_data(cache=False), lambda r: r.get_data(cache=False), lambda r: r.get_data())
AS_TEXT = (lambda r: r.get_data(as_text=True),)


@given(
    body=st.binary(max_size=200),
    length_delta=st.integers(-5, 5),
    chunk=st.integers(1, 300),
    fail_at=st.none() | st.integers(0, 4),
    overshoot=st.booleans(),
    calls=st.sampled_from([GET_DATA, TWICE_UNCACHED, AS_TEXT]),
)
@settings(max_examples=400, deadline=None)
def test_direct_read_matches_stream(
    body: bytes, length_delta: int, chunk: int, fail_at: int | None, overshoot: bool, calls: t.Any
) -> None:
    length = max(0, len(body) + length_delta)
    compare(lambda: environ_for(RecordingInput(body, chunk, fail_at, overshoot), str(length)), *calls)


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 200_000])
@pytest.mark.parametrize("chunk", [1000, 65536, 1 << 20])
def test_large_bodies_read_in_the_same_pieces(size: int, chunk: int) -> None:
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    compare(lambda: environ_for(RecordingInput(body, chunk), str(size)), *GET_DATA)


@pytest.mark.parametrize(
    "extra",
    [
        {},  # no Content-Length: an empty body
        {"CONTENT_LENGTH": ""},
        {"CONTENT_LENGTH": "abc"},  # malformed: 0
        {"CONTENT_LENGTH": "-4"},
        {"CONTENT_LENGTH": "5", "HTTP_TRANSFER_ENCODING": "chunked"},
        {"wsgi.input_terminated": True},
        {"CONTENT_LENGTH": "3", "wsgi.input_terminated": True},
    ],
)
def test_environ_variants(extra: dict[str, t.Any]) -> None:
    compare(lambda: environ_for(io.BytesIO(b"hello"), None, **extra), *GET_DATA, *TWICE_UNCACHED)


def test_missing_input_gives_empty_body() -> None:
    def make() -> dict[str, t.Any]:
        environ = environ_for(None, "5")
        del environ["wsgi.input"]
        return environ

    compare(make, *GET_DATA)


@pytest.mark.parametrize(("limit", "length"), [(4, "5"), (5, "5"), (None, "5"), (0, "0"), (0, "1")])
def test_max_content_length(limit: int | None, length: str) -> None:
    class Limited(Request):
        max_content_length = limit

    class LimitedGeneral(GeneralRequest):
        max_content_length = limit

    results = []
    for cls in (Limited, LimitedGeneral):
        request = cls(environ_for(io.BytesIO(b"hello"), length))
        results.append(outcome(request, *GET_DATA))
    assert results[0] == results[1]
    if limit is not None and int(length) > limit:
        assert results[0] == [("raised", RequestEntityTooLarge, type(None))]


def test_shallow_request_refuses_to_read() -> None:
    for cls in (Request, GeneralRequest):
        request = cls(environ_for(io.BytesIO(b"hello"), "5"), shallow=True)
        with pytest.raises(RuntimeError, match="shallow"):
            request.get_data()


def test_read_error_keeps_its_context() -> None:
    request = Request(environ_for(RecordingInput(b"hello", 5, fail_at=0), "5"))
    with pytest.raises(ClientDisconnected) as info:
        request.get_data()
    assert isinstance(info.value.__context__, OSError)


def test_stream_opened_or_assigned_first_is_used() -> None:
    opened = Request(environ_for(io.BytesIO(b"hello"), "5"))
    assert opened.stream.read(2) == b"he"
    assert opened.get_data() == b"llo"
    assigned = Request(environ_for(io.BytesIO(b"hello"), "5"))
    assigned.stream = io.BytesIO(b"other")
    assert assigned.get_data() == b"other"
    assert assigned.stream.read() == b""


def test_deleting_stream_reopens_it() -> None:
    request = Request(environ_for(io.BytesIO(b"hello"), "5"))
    first = request.stream
    del request.stream
    assert request.stream is not first
    assert isinstance(request.stream, LimitedStream)


def test_stream_after_direct_read_is_the_exhausted_stream() -> None:
    request = Request(environ_for(io.BytesIO(b"hello"), "5"))
    assert request._stream is None
    assert request.get_data() == b"hello"
    assert request._stream is None  # the direct read opened nothing
    stream = request.stream
    assert isinstance(stream, LimitedStream)
    assert stream.is_exhausted and stream.read() == b""
    # The same stream object as get_input_stream would make, only read.
    assert type(stream) is type(get_input_stream(environ_for(io.BytesIO(b"hello"), "5")))


def test_form_after_direct_read_parses_cached_data() -> None:
    for cls in (Request, GeneralRequest):
        environ = environ_for(io.BytesIO(b"a=1&b=2"), "7", CONTENT_TYPE="application/x-www-form-urlencoded")
        request = cls(environ)
        assert request.get_data() == b"a=1&b=2"
        assert request.form.to_dict() == {"a": "1", "b": "2"}


def test_flag_is_decided_per_class() -> None:
    class PlainSubclass(Request):
        pass

    class OwnOpen(Request):
        def _open_stream(self) -> t.IO[bytes]:
            return io.BytesIO(b"replaced")

    assert PlainSubclass._stock_body_stream
    assert not OwnOpen._stock_body_stream
    # An override of the method behind ``stream`` is honoured by get_data.
    assert OwnOpen(environ_for(io.BytesIO(b"hello"), "5")).get_data() == b"replaced"
