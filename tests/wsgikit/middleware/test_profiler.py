from __future__ import annotations

import io
import os
import pstats

import pytest

from wsgikit.middleware.profiler import ProfilerMiddleware
from wsgikit.middleware.profiler import _path_for_filename
from wsgikit.test import Client
from wsgikit.wrappers import Response


def busy_function() -> int:
    return sum(range(1000))


def app(environ, start_response):  # type: ignore[no-untyped-def]
    busy_function()
    return Response(["streamed ", "body"])(environ, start_response)


def test_prints_stats_and_keeps_response() -> None:
    stream = io.StringIO()
    response = Client(ProfilerMiddleware(app, stream=stream, sort_by=("cumulative",), restrictions=("busy",))).get("/x/y")
    assert response.get_data() == b"streamed body"
    assert response.status_code == 200
    output = stream.getvalue()
    assert "PATH: '/x/y'" in output
    assert "busy_function" in output
    assert output.count("-" * 80) == 2


def test_profile_dir(tmp_path: os.PathLike[str]) -> None:
    client = Client(ProfilerMiddleware(app, stream=None, profile_dir=str(tmp_path)))
    client.post("/users/42")
    client.get("/")
    names = sorted(os.listdir(tmp_path))
    assert len(names) == 2
    assert names[0].startswith("GET.root.") and names[0].endswith(".prof")
    assert names[1].startswith("POST.users.42.")
    stats = pstats.Stats(os.path.join(tmp_path, names[1]))
    assert any("busy_function" in key[2] for key in stats.stats)  # type: ignore[attr-defined]


def test_callable_filename_format(tmp_path: os.PathLike[str]) -> None:
    middleware = ProfilerMiddleware(
        app, stream=None, profile_dir=str(tmp_path), filename_format=lambda environ: "fixed.prof"  # type: ignore[arg-type]
    )
    Client(middleware).get("/")
    assert os.listdir(tmp_path) == ["fixed.prof"]


def test_callable_filename_format_gets_the_timing(tmp_path: os.PathLike[str]) -> None:
    seen = []

    def filename(environ: dict[str, object]) -> str:
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["werkzeug.profiler"]))
        return "x.prof"

    Client(ProfilerMiddleware(app, stream=None, profile_dir=str(tmp_path), filename_format=filename)).post("/a")  # type: ignore[arg-type]
    [(method, path, timing)] = seen
    assert (method, path) == ("POST", "/a")
    assert set(timing) == {"elapsed", "time"}  # type: ignore[arg-type]
    assert isinstance(timing["elapsed"], float) and timing["elapsed"] >= 0  # type: ignore[index]
    assert timing["time"] > 1_000_000_000  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "root"),
        ("", "root"),
        ("/users/42", "users.42"),
        ("/a/../../etc/passwd", "a._._._.etc.passwd"),
        ("/..", "_"),
        ("/x\\y:z\x00", "x_y_z_"),
        ("/\u00e9t\u00e9", "\u00e9t\u00e9"),
    ],
)
def test_filename_path_is_safe(path: str, expected: str) -> None:
    name = _path_for_filename(path)
    assert name == expected
    assert "/" not in name and ".." not in name
