"""The real-traffic scenarios over real sockets, under gunicorn.

Run ``python3 -m benchmarks.traffic_server [--rounds N] [--seconds S]``.

Theory of operation.  For each framework (microflask, Bottle, Falcon) and
scenario (``hello``, ``page``), gunicorn is started with the gthread worker
(2 workers, 4 threads each) on a free local port, serving the application
that :mod:`benchmarks.traffic` defines for that scenario (this module's
:func:`app` builds it in the worker, from ``TRAFFIC_APP``).  A small asyncio
client keeps ``--connections`` keep-alive connections busy for
``--seconds``, each request on a new path (``/hello/user<i>``, ``/page/<i>``
with the framework's signed session cookie), and counts the answers.  The
frameworks take turns within each round (the order rotates), so the
machine's load spreads over all of them; the ratio per round is
microflask's requests per second over the peer's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import typing as t

FRAMEWORKS = ("microflask", "bottle", "falcon")
SCENARIOS = ("hello", "page")


def app(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
    """The WSGI application gunicorn serves: built once per worker from
    ``TRAFFIC_APP`` (``scenario:framework``)."""
    global _app
    if _app is None:
        from benchmarks import traffic

        scenario, framework = os.environ["TRAFFIC_APP"].split(":")
        _app = traffic.SCENARIOS[scenario]().apps[framework]()
    return _app(environ, start_response)


_app: t.Any = None


def _cookie(scenario: str, framework: str) -> str:
    if scenario != "page":
        return ""
    from benchmarks import traffic

    built = traffic.SCENARIOS["page"]()
    return built.cookie_for(framework, built.apps[framework]())  # type: ignore[attr-defined, no-any-return]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(scenario: str, framework: str, port: int) -> subprocess.Popen[bytes]:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, TRAFFIC_APP=f"{scenario}:{framework}", PYTHONPATH=root)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "2", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "benchmarks.traffic_server:app"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _wait_ready(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start on port {port}")


async def _connection(port: int, paths: t.Iterator[str], cookie: str, stop: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    try:
        while time.monotonic() < stop:
            writer.write(f"GET {next(paths)} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
            counts[0] += 1
    finally:
        writer.close()


async def _load(port: int, scenario: str, cookie: str, seconds: float, connections: int, offset: int) -> float:
    prefix = "/hello/user" if scenario == "hello" else "/page/"
    paths = (f"{prefix}{i}" for i in range(offset, offset + 10**9))
    counts = [0]
    start = time.monotonic()
    await asyncio.gather(*(_connection(port, paths, cookie, start + seconds, counts) for _ in range(connections)))
    return counts[0] / (time.monotonic() - start)


def measure(scenario: str, framework: str, seconds: float, connections: int, offset: int) -> float:
    port = _free_port()
    server = _start(scenario, framework, port)
    try:
        _wait_ready(port)
        cookie = _cookie(scenario, framework)
        asyncio.run(_load(port, scenario, cookie, 0.5, connections, offset))  # warm up
        return asyncio.run(_load(port, scenario, cookie, seconds, connections, offset + 10**8))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.traffic_server", description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    for scenario in args.scenarios:
        rates: dict[str, list[float]] = {name: [] for name in FRAMEWORKS}
        for k in range(args.rounds):
            order = FRAMEWORKS[k % 3:] + FRAMEWORKS[: k % 3]
            for n, name in enumerate(order):
                rates[name].append(measure(scenario, name, args.seconds, args.connections, (k * 3 + n) * 10**9))
        print(f"== {scenario} (gunicorn gthread, 2 workers x 4 threads, {args.connections} keep-alive connections)")
        for name in FRAMEWORKS:
            line = f"  {name:<11} {statistics.median(rates[name]):>9,.0f} req/s"
            if name != "microflask":
                ratios = [o / p for o, p in zip(rates["microflask"], rates[name])]
                line += f"   ours/{name}: {statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"
                if name == "bottle":
                    line += f"  target >= 1.0x {'met' if statistics.median(ratios) >= 1.0 else 'MISSED'}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
