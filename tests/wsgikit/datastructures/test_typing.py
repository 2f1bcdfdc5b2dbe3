"""What user code sees when it type-checks against the containers and proxies.

One mypy run over a snippet full of ``assert_type`` calls: the overloads of
``get``/``getlist``/``pop``/``to_dict`` must give the types Werkzeug's stubs
give (``d.get("page", 1, type=int)`` is an ``int``), and a
``LocalProxy[Request]`` must hand back a ``Request``. Only the snippet's own
lines are looked at; errors mypy reports in the package's other modules are
other tests' business.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..._typecheck import run_mypy


SNIPPET = """
from __future__ import annotations

from typing_extensions import assert_type

from wsgikit.datastructures import CombinedMultiDict
from wsgikit.datastructures import EnvironHeaders
from wsgikit.datastructures import FileMultiDict
from wsgikit.datastructures import FileStorage
from wsgikit.datastructures import Headers
from wsgikit.datastructures import ImmutableMultiDict
from wsgikit.datastructures import ImmutableTypeConversionDict
from wsgikit.datastructures import MultiDict
from wsgikit.datastructures import TypeConversionDict
from wsgikit.local import LocalProxy
from wsgikit.local import LocalStack
from wsgikit.wrappers import Request


def multi_dicts(
    d: MultiDict[str, str],
    im: ImmutableMultiDict[str, str],
    cm: CombinedMultiDict[str, str],
) -> None:
    for md in (d, im, cm):
        assert_type(md.get("page", 1, type=int), int)
        assert_type(md.get("p", "x"), str)
        assert_type(md.get("p"), str | None)
        assert_type(md.get("p", None), str | None)
        assert_type(md.get("p", type=int), int | None)
        assert_type(md.get("p", 0.5), str | float)
        assert_type(md.getlist("p"), list[str])
        assert_type(md.getlist("p", type=int), list[int])
        assert_type(md.getlist("p", int), list[int])
        assert_type(md["p"], str)
        assert_type(md.to_dict(), dict[str, str])
        assert_type(md.to_dict(flat=False), dict[str, list[str]])
        assert_type(list(md.items(multi=True)), list[tuple[str, str]])
        assert_type(list(md.lists()), list[tuple[str, list[str]]])
    assert_type(d.pop("p"), str)
    assert_type(d.pop("p", None), str | None)
    assert_type(d.poplist("p"), list[str])
    assert_type(d.copy(), MultiDict[str, str])
    assert_type(im.copy(), MultiDict[str, str])
    assert_type(d.setlistdefault("p"), list[str])
    ints: MultiDict[str, int] = MultiDict([("a", 1)])
    assert_type(ints.get("a", type=str), str | None)
    assert_type(MultiDict({"a": ["1", "2"]}), MultiDict[str, str])


def type_conversion_dicts(
    tc: TypeConversionDict[str, str], itc: ImmutableTypeConversionDict[str, str]
) -> None:
    for d in (tc, itc):
        assert_type(d.get("page", 1, type=int), int)
        assert_type(d.get("p", "x"), str)
        assert_type(d.get("p"), str | None)
        assert_type(d.get("p", type=int), int | None)


def headers(h: Headers, eh: EnvironHeaders) -> None:
    for hs in (h, eh):
        assert_type(hs.get("Content-Length", type=int), int | None)
        assert_type(hs.get("Content-Length", 0, type=int), int)
        assert_type(hs.get("X"), str | None)
        assert_type(hs.get("X", "d"), str)
        assert_type(hs.getlist("X"), list[str])
        assert_type(hs.getlist("X", type=int), list[int])
        assert_type(hs["X"], str)
    assert_type(h[0], tuple[str, str])
    assert_type(h[1:], Headers)
    assert_type(h.get_all("X"), list[str])
    assert_type(h.pop("X"), str)


def files(fm: FileMultiDict) -> None:
    assert_type(fm.get("f"), FileStorage | None)
    assert_type(fm["f"], FileStorage)
    assert_type(fm.getlist("f"), list[FileStorage])


def proxies(request: LocalProxy[Request], stack: LocalStack[int]) -> None:
    assert_type(request._get_current_object(), Request)
    assert_type(len(request), int)
    assert_type(request == 1, bool)
    assert_type(stack.top, int | None)
    assert_type(stack.pop(), int | None)
    assert_type(stack.push(1), list[int])
"""


@pytest.mark.slow
def test_user_code_sees_werkzeug_like_types(tmp_path: Path) -> None:
    errors = run_mypy(tmp_path, SNIPPET)
    assert errors == []


@pytest.mark.slow
def test_the_typing_check_can_fail(tmp_path: Path) -> None:
    # The snippet check would pass vacuously if mypy never looked at it.
    errors = run_mypy(
        tmp_path,
        """
        from typing_extensions import assert_type
        from wsgikit.datastructures import MultiDict

        def f(d: MultiDict[str, str]) -> None:
            assert_type(d.get("p"), str)
        """,
    )
    assert len(errors) == 1 and "assert-type" in errors[0]
