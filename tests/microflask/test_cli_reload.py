"""The development server of a single-file app under ``--debug``: an
import-time error in the app's own file is fixed in the editor and the
server picks the fix up (a real server in a subprocess), and ``app.run()``
prints Flask's banner lines."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import typing as t
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: A hang guard for each wait, not a timing assertion.
TIMEOUT = 30.0

GOOD = textwrap.dedent(
    """
    from microflask import Flask

    app = Flask(__name__)

    @app.route("/")
    def index():
        return "VERSION"
    """
)

BROKEN = {
    "syntax": GOOD + "\ndef broken(:\n",
    "name": GOOD + "\nundefined_at_import_time()\n",
}


def _get(port: int) -> tuple[int, str] | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(match.group(1)), body.decode("utf-8", "replace")) if match else None


def _wait_for(predicate: t.Callable[[], t.Any], what: str, log: Path) -> t.Any:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"no {what} in time; server log:\n{log.read_text(errors='replace')}")


def _write(path: Path, text: str) -> None:
    # A later mtime than the last write, even on a coarse clock.
    path.write_text(text)
    stamp = time.time() + 2 + len(text) % 7
    os.utime(path, (stamp, stamp))


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", WSGIKIT_DEBUG_PIN="off")
    for name in ("WSGIKIT_RUN_MAIN", "WERKZEUG_RUN_MAIN", "WSGIKIT_SERVER_FD", "FLASK_APP", "FLASK_DEBUG", "FLASK_RUN_FROM_CLI"):
        env.pop(name, None)
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


@pytest.mark.parametrize("error", sorted(BROKEN))
def test_fixing_an_import_time_error_reloads_the_app(tmp_path: Path, error: str) -> None:
    app_file = tmp_path / "app.py"
    _write(app_file, GOOD.replace("VERSION", "first"))
    log = tmp_path / "log.txt"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "microflask", "--app", "app", "run", "--debug", "--port", "0"],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
        )
    try:
        port = int(_wait_for(lambda: re.search(r"Running on http://127\.0\.0\.1:(\d+)", log.read_text()), "port", log)[1])
        assert _wait_for(lambda: _get(port), "first page", log) == (200, "first")
        time.sleep(0.5)  # let the child's watcher record the starting state

        _write(app_file, BROKEN[error])
        kind = "SyntaxError" if error == "syntax" else "NameError"
        status, page = _wait_for(lambda: (r := _get(port)) and r[0] == 500 and r, "error page", log)
        assert kind in page
        time.sleep(0.5)

        _write(app_file, GOOD.replace("VERSION", "fixed"))
        assert _wait_for(lambda: _get(port) == (200, "fixed"), "the fixed page", log)
        text = log.read_text()
        assert f" * Detected change in '{os.path.realpath(app_file)}', reloading" in text
        assert text.count(" * Serving microflask app 'app'") == 1
        assert text.index(" * Debugger is active!") < text.index(" * Debugger PIN")
    finally:
        _stop(proc)


RUN_SCRIPT = textwrap.dedent(
    """
    import sys
    from microflask import Flask

    app = Flask(__name__)
    app.run(port=0, debug=sys.argv[1] == "on", use_reloader=False)
    """
)


@pytest.mark.parametrize("debug", ["on", "off"])
def test_app_run_prints_the_banner(tmp_path: Path, debug: str) -> None:
    (tmp_path / "hello.py").write_text(RUN_SCRIPT)
    log = tmp_path / "log.txt"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "hello.py", debug],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
        )
    try:
        _wait_for(lambda: "Running on" in log.read_text(), "startup", log)
        lines = log.read_text().splitlines()
    finally:
        _stop(proc)
    assert lines[:2] == [" * Serving microflask app 'hello'", f" * Debug mode: {debug}"]
    if debug == "on":
        active = lines.index(" * Debugger is active!")
        assert lines[active + 1].startswith(" * Debugger PIN")
