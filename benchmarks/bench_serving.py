"""Dev-server throughput and reloader idle cost, against Werkzeug 3.1.

Each server runs in its own subprocess on 127.0.0.1 (port 0) with a
hello-world app; a selectors-based load client in this process keeps 16
connections busy. With keep-alive, ours reuses connections; Werkzeug's
``run_simple`` closes every connection, so its client reconnects each time.
Every scenario unit is a fixed batch of requests; servers are killed at exit.

Run the scenarios with ``python -m benchmarks --quick serving.``, or this
file directly (``python -m benchmarks.bench_serving``) for requests/second
and the reloader's idle CPU on a generated 5,000-file project.
"""

from __future__ import annotations

import atexit
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import typing as t
from pathlib import Path

from benchmarks._harness import Comparison
from benchmarks._harness import scenario
from benchmarks._harness import try_import

ROOT = Path(__file__).resolve().parents[1]
CONNECTIONS = 16
BATCH = 400

_SERVER = textwrap.dedent(
    """
    import logging, sys
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "13")])
        return [b"Hello, World!"]
    if sys.argv[1] == "werkzeug":
        from werkzeug.serving import make_server
    else:
        from wsgikit.serving import make_server
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    print(srv.port, flush=True)
    srv.serve_forever()
    """
)

_procs: list[subprocess.Popen[bytes]] = []


def _cleanup() -> None:
    for proc in _procs:
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


atexit.register(_cleanup)


def start_server(kind: str) -> int:
    """Start a hello-world server subprocess; return its port."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER, kind],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        start_new_session=True,
    )
    _procs.append(proc)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
    if not sel.select(15):
        raise RuntimeError(f"{kind} server did not start")
    sel.close()
    return int(proc.stdout.readline())  # type: ignore[union-attr]


_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
_REQUEST_CLOSE = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


class LoadClient:
    """Keep ``connections`` requests in flight until ``count`` are answered.

    Responses are framed by Content-Length (the app always sends one); with
    ``keep_alive`` off, or when the server says ``Connection: close``, each
    request gets a fresh connection.
    """

    def __init__(self, port: int, keep_alive: bool, connections: int = CONNECTIONS) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.connections = connections
        self.sel = selectors.DefaultSelector()
        self.socks: dict[socket.socket, bytes] = {}

    def _open(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(_REQUEST if self.keep_alive else _REQUEST_CLOSE)
        self.socks[sock] = b""
        self.sel.register(sock, selectors.EVENT_READ)

    def _drop(self, sock: socket.socket) -> None:
        self.sel.unregister(sock)
        del self.socks[sock]
        sock.close()

    def run(self, count: int) -> None:
        """Complete ``count`` requests (bounded: fails after 60 s)."""
        deadline = time.monotonic() + 60
        while len(self.socks) < self.connections:
            self._open()
        done = started = len(self.socks)
        done = 0
        while done < count:
            if time.monotonic() > deadline:
                raise RuntimeError("load client timed out")
            for key, _ in self.sel.select(5):
                sock = t.cast(socket.socket, key.fileobj)
                data = sock.recv(65536)
                buf = self.socks[sock] + data
                end = buf.find(b"\r\n\r\n")
                if not data or end < 0:
                    self.socks[sock] = buf
                    if not data:
                        self._drop(sock)
                        self._open()
                    continue
                head = buf[:end]
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
                if len(buf) < end + 4 + length:
                    self.socks[sock] = buf
                    continue
                done += 1
                reuse = self.keep_alive and b"onnection: close" not in head
                if reuse and started < count:
                    self.socks[sock] = buf[end + 4 + length :]
                    sock.sendall(_REQUEST)
                    started += 1
                else:
                    self._drop(sock)
                    if started < count:
                        self._open()
                        started += 1
        # Let each loop start from full connections again.
        for sock in list(self.socks):
            self._drop(sock)
        self.sel.close()
        self.sel = selectors.DefaultSelector()


def _batch(port: int, keep_alive: bool) -> t.Callable[[], None]:
    client = LoadClient(port, keep_alive)
    return lambda: client.run(BATCH)


@scenario("serving.threaded_keepalive_16conn")
def keepalive_bench() -> Comparison:
    wz = try_import("werkzeug.serving")
    ours = start_server("wsgikit")
    peer = start_server("werkzeug") if wz else None
    return Comparison(
        ours=_batch(ours, keep_alive=True),
        peer=_batch(peer, keep_alive=True) if peer else None,
        peer_name="werkzeug",
        unit=f"{BATCH} requests",
        target=3.0,
    )


@scenario("serving.threaded_no_keepalive_16conn")
def no_keepalive_bench() -> Comparison:
    wz = try_import("werkzeug.serving")
    ours = start_server("wsgikit")
    peer = start_server("werkzeug") if wz else None
    return Comparison(
        ours=_batch(ours, keep_alive=False),
        peer=_batch(peer, keep_alive=False) if peer else None,
        peer_name="werkzeug",
        unit=f"{BATCH} requests",
        target=1.0,
    )


# -- reloader idle CPU ----------------------------------------------------------------

_PROJECT_MAIN = textwrap.dedent(
    """
    import os, sys, importlib
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    for d in sorted(os.listdir("proj")):
        if not d.startswith("pkg"):
            continue
        for f in sorted(os.listdir(os.path.join("proj", d))):
            if f.endswith(".py") and f != "__init__.py":
                importlib.import_module(f"proj.{d}.{f[:-3]}")
    from wsgikit.serving import run_simple
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]
    run_simple("127.0.0.1", 0, app, use_reloader=True, reloader_type=sys.argv[1], threaded=True)
    """
)


def _make_project(root: Path, files: int = 5000, per_dir: int = 50) -> None:
    (root / "proj").mkdir()
    (root / "proj" / "__init__.py").write_text("")
    for i in range(files // per_dir):
        d = root / "proj" / f"pkg{i:03d}"
        d.mkdir()
        (d / "__init__.py").write_text("")
        for j in range(per_dir - 1):
            (d / f"m{j:02d}.py").write_text(f"VALUE = {j}\n")
    (root / "main.py").write_text(_PROJECT_MAIN)


def _cpu_seconds(pid: int) -> float:
    """User+system CPU of ``pid`` and its children (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure_reloader(reloader_type: str, seconds: float = 10.0) -> tuple[float, float]:
    """Return (idle CPU % of one core, seconds from save to new server)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _make_project(root)
        log = root / "log.txt"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "main.py", reloader_type],
                cwd=root,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
                start_new_session=True,
            )
        _procs.append(proc)
        try:
            deadline = time.monotonic() + 60
            while "Restarting with" not in log.read_text():
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"reloader did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
            time.sleep(3)  # imports and the first scan finish
            start_cpu, start = _cpu_seconds(proc.pid), time.monotonic()
            time.sleep(seconds)
            idle = (_cpu_seconds(proc.pid) - start_cpu) / (time.monotonic() - start) * 100
            target = root / "proj" / "pkg050" / "m10.py"
            saved = time.monotonic()
            target.write_text("VALUE = 'changed'\n")
            future = time.time() + 2
            os.utime(target, (future, future))
            while "Detected change" not in log.read_text():
                if time.monotonic() - saved > 30:
                    raise RuntimeError("no restart")
                time.sleep(0.01)
            return idle, time.monotonic() - saved
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(10)


def main() -> None:
    from benchmarks._harness import format_result
    from benchmarks._harness import measure

    for name in ("serving.threaded_keepalive_16conn", "serving.threaded_no_keepalive_16conn"):
        comparison = {"serving.threaded_keepalive_16conn": keepalive_bench, "serving.threaded_no_keepalive_16conn": no_keepalive_bench}[name]()
        result = measure(name, comparison, rounds=5, batch_seconds=0.5)
        print(format_result(result).replace(f"{BATCH} requests/s", f"x{BATCH} req/s"))
    for kind in ("inotify", "stat"):
        idle, delay = measure_reloader(kind)
        print(f"reloader {kind:<8} 5,000 files: idle CPU {idle:.2f}% of a core, change detected in {delay:.2f}s")
    _cleanup()


if __name__ == "__main__":
    main()
