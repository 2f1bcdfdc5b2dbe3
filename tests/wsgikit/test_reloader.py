"""The reloader: a real supervisor/child pair restarted by a file edit,
plus unit tests of the watchers."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import typing as t
from pathlib import Path

import pytest

from wsgikit import _reloader
from wsgikit._reloader import InotifyReloaderLoop
from wsgikit._reloader import StatReloaderLoop

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10.0

MAIN = textwrap.dedent(
    """
    import sys
    from wsgikit.serving import run_simple
    import mod

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [mod.VALUE.encode()]

    run_simple("127.0.0.1", 0, app, use_reloader=True, reloader_type=sys.argv[1],
               reloader_interval=0.2, threaded=True)
    """
)


def _get(port: int) -> bytes | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    return data.partition(b"\r\n\r\n")[2]


def _wait_for(predicate: t.Callable[[], t.Any], timeout: float = TIMEOUT) -> t.Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.mark.parametrize("reloader_type", ["stat", "auto"])
def test_edit_restarts_server_on_same_port(tmp_path: Path, reloader_type: str) -> None:
    (tmp_path / "mod.py").write_text('VALUE = "v1"\n')
    (tmp_path / "main.py").write_text(MAIN)
    log_path = tmp_path / "log.txt"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "main.py", reloader_type],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            start_new_session=True,
        )
    try:
        port = int(_wait_for(lambda: _port_in(log_path.read_text())))
        assert _wait_for(lambda: _get(port)) == b"v1"
        time.sleep(0.3)  # let the child's watcher record the starting state
        mod = tmp_path / "mod.py"
        mod.write_text('VALUE = "v2"\n')
        mtime = time.time() + 2
        os.utime(mod, (mtime, mtime))  # coarse mtime clocks still see a change
        assert _wait_for(lambda: _get(port) == b"v2")
        log = log_path.read_text()
        name = "inotify" if reloader_type == "auto" else "stat"
        assert f" * Restarting with {name}" in log
        assert f" * Detected change in '{mod}', reloading" in log
        assert log.count("WARNING: This is a development server") == 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _port_in(log: str) -> str | None:
    import re

    match = re.search(r"Running on http://127\.0\.0\.1:(\d+)", log)
    return match.group(1) if match else None


# -- unit tests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "roots"),
    [
        (["/a/b", "/a/b/c", "/a/bc"], ["/a/b", "/a/bc"]),
        (["/x", "/x/y/z", "/w"], ["/w", "/x"]),
        ([], []),
        (["/a/b", "/a/b"], ["/a/b"]),
    ],
)
def test_find_common_roots(paths: list[str], roots: list[str]) -> None:
    assert list(_reloader._find_common_roots(paths)) == roots


def test_remove_by_pattern() -> None:
    paths = {"/p/a.py", "/p/tests/b.py", "/p/c.tmp"}
    _reloader._remove_by_pattern(paths, {"*/tests/*", "*.tmp"})
    assert paths == {"/p/a.py"}


def test_module_paths_exclude_stdlib_and_site_packages() -> None:
    paths = set(_reloader._iter_module_paths())
    assert os.path.realpath(_reloader.__file__) in paths
    assert os.path.realpath(os.__file__) not in paths
    assert not any("site-packages" in p for p in paths)


def test_stat_loop_detects_change(tmp_path: Path) -> None:
    watched = tmp_path / "settings.cfg"
    watched.write_text("a")
    loop = StatReloaderLoop(extra_files=[str(watched)])
    with loop:
        loop.run_step()  # nothing changed
        mtime = time.time() + 5
        os.utime(watched, (mtime, mtime))
        with pytest.raises(SystemExit) as info:
            loop.run_step()
    assert info.value.code == 3


def test_stat_loop_excluded_file_ignored(tmp_path: Path) -> None:
    watched = tmp_path / "skip.cfg"
    watched.write_text("a")
    loop = StatReloaderLoop(extra_files=[str(watched)], exclude_patterns=["*skip*"])
    with loop:
        os.utime(watched, (time.time() + 5, time.time() + 5))
        loop.run_step()


needs_inotify = pytest.mark.skipif(not _reloader.inotify_available(), reason="no inotify")


@pytest.fixture(autouse=True)
def _only_tmp_watched(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    # Unit tests watch only their temporary directory, not this checkout
    # (whose files may change while the tests run).
    if "inotify" in request.node.name:
        monkeypatch.setattr(_reloader, "_iter_module_paths", lambda: iter(()))
    if "inotify" in request.node.name or "stat_loop" in request.node.name:
        monkeypatch.setattr(_reloader, "_project_path_dirs", lambda: [])


def _inotify_loop(tmp_path: Path, **kwargs: t.Any) -> InotifyReloaderLoop:
    marker = tmp_path / "marker.txt"
    marker.write_text("")
    return InotifyReloaderLoop(extra_files=[str(marker)], **kwargs)


def _changed(loop: InotifyReloaderLoop) -> str | None:
    return loop._read_changes(0.5)


@needs_inotify
def test_inotify_sees_py_edit_and_new_directories(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("x = 1\n")
    loop = _inotify_loop(tmp_path)
    with loop:
        assert str(tmp_path / "pkg") in loop._watched
        (tmp_path / "notes.txt").write_text("not python")
        assert _changed(loop) is None
        (tmp_path / "pkg" / "m.py").write_text("x = 2\n")
        assert _changed(loop) == str(tmp_path / "pkg" / "m.py")
        (tmp_path / "new").mkdir()
        assert _changed(loop) is None
        assert str(tmp_path / "new") in loop._watched
        (tmp_path / "new" / "n.py").write_text("")
        assert _changed(loop) == str(tmp_path / "new" / "n.py")
        with pytest.raises(SystemExit) as info:
            (tmp_path / "marker.txt").write_text("changed")
            time.sleep(0.05)
            loop.run_step()
        assert info.value.code == 3


@needs_inotify
@pytest.mark.parametrize("name", ["__pycache__", ".git", "node_modules", "venv_with_cfg"])
def test_inotify_ignores_noise_directories(tmp_path: Path, name: str) -> None:
    noisy = tmp_path / name
    noisy.mkdir()
    if name == "venv_with_cfg":
        (noisy / "pyvenv.cfg").write_text("home = /usr\n")
    loop = _inotify_loop(tmp_path)
    with loop:
        assert str(noisy) not in loop._watched
        (noisy / "x.py").write_text("")
        assert _changed(loop) is None


@needs_inotify
def test_inotify_exclude_patterns(tmp_path: Path) -> None:
    loop = _inotify_loop(tmp_path, exclude_patterns=["*/generated_*"])
    with loop:
        (tmp_path / "generated_x.py").write_text("")
        assert _changed(loop) is None
        (tmp_path / "real.py").write_text("")
        assert _changed(loop) == str(tmp_path / "real.py")


@needs_inotify
def test_inotify_out_of_watches_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    def refuse(self: t.Any, path: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(_reloader._Inotify, "add_watch", refuse)
    loop = _inotify_loop(tmp_path)
    with caplog.at_level(logging.WARNING, logger="wsgikit"):
        with loop:
            assert isinstance(loop._fallback, StatReloaderLoop)
            marker = tmp_path / "marker.txt"
            os.utime(marker, (time.time() + 5, time.time() + 5))
            with pytest.raises(SystemExit):
                loop.run_step()
    assert "ran out of inotify watches" in caplog.text
    assert "falls back to polling" in caplog.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [("stat", StatReloaderLoop), ("inotify", InotifyReloaderLoop), ("watchdog", InotifyReloaderLoop)],
)
def test_select_loop(name: str, expected: type) -> None:
    loop = _reloader._select_loop(name)
    assert loop is expected or (loop is StatReloaderLoop and not _reloader.inotify_available())


def test_select_loop_auto_and_unknown() -> None:
    expected = InotifyReloaderLoop if _reloader.inotify_available() else StatReloaderLoop
    assert _reloader._select_loop("auto") is expected
    with pytest.raises(ValueError, match="Unknown reloader type 'nope'"):
        _reloader._select_loop("nope")


def test_args_for_reloading_script(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text("")
    main = type(sys)("__main__")
    main.__spec__ = None  # type: ignore[assignment]
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(sys, "argv", [str(script), "--flag"])
    monkeypatch.setattr(sys, "warnoptions", ["error"])
    args = _reloader._get_args_for_reloading()
    assert args[0] == sys.executable
    assert args[-2:] == [str(script), "--flag"]
    assert "-Werror" in args


def test_args_for_reloading_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.machinery

    main = type(sys)("__main__")
    main.__spec__ = importlib.machinery.ModuleSpec("mypkg.__main__", None)  # type: ignore[assignment]
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(sys, "argv", ["/x/mypkg/__main__.py", "run"])
    args = _reloader._get_args_for_reloading()
    assert args[-3:] == ["-m", "mypkg", "run"]


def test_stat_paths_include_unimported_sources_on_sys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A module whose import failed is not in sys.modules; its file must
    # still be watched so that fixing it restarts the server.
    (tmp_path / "broken_app.py").write_text("x = undefined_name\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "views.py").write_text("")
    (tmp_path / "notes.txt").write_text("")
    for noise in ("__pycache__", ".git", "node_modules"):
        (tmp_path / noise).mkdir()
        (tmp_path / noise / "junk.py").write_text("")
    venv = tmp_path / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("")
    (venv / "lib.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    paths = set(_reloader._find_stat_paths(set(), set()))
    real = os.path.realpath(tmp_path)
    assert os.path.join(real, "broken_app.py") in paths
    assert os.path.join(real, "pkg", "views.py") in paths
    assert not any(p.startswith(real) and not p.endswith(("broken_app.py", "views.py")) for p in paths)
    assert os.path.realpath(os.__file__) not in paths


def test_watch_roots_include_sys_path_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_reloader, "_iter_module_paths", lambda: iter(()))
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), os.path.dirname(os.__file__)])
    monkeypatch.chdir(tmp_path)
    roots = list(_reloader._find_watch_roots(set(), set()))
    assert roots == [os.path.realpath(tmp_path)]
