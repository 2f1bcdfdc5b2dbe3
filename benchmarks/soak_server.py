"""Soak test of the threaded dev server: keep-alive clients for a while.

A microflask app runs under ``wsgikit.serving.make_server(threaded=True)``
in a subprocess on 127.0.0.1 (port 0). Sixteen client threads in this
process each hold one keep-alive connection and loop over mixed traffic:
GET with a query string, a urlencoded POST, a JSON POST and a multipart
upload of a few hundred KiB, checking every status and body. The server's
RSS is sampled from ``/proc`` once a second. At the end it prints requests
served, errors, requests/second and RSS at start (after warm-up), end and
peak. It exits non-zero on any error or when RSS grows by more than 20 %.

Not part of the test run (nor of ``python -m benchmarks``, which only
imports ``bench_*`` modules)::

    python -m benchmarks.soak_server            # 60 s, 16 clients
    python -m benchmarks.soak_server 10 4       # 10 s, 4 clients
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SERVER = textwrap.dedent(
    """
    import logging, sys
    logging.getLogger("wsgikit").setLevel(logging.ERROR)
    from microflask import Flask, request, jsonify
    from wsgikit.serving import make_server

    app = Flask("soak")

    @app.get("/item/<int:n>")
    def item(n):
        return {"n": n, "q": request.args.get("q", "")}

    @app.post("/form")
    def form():
        return {"a": request.form["a"], "count": len(request.form)}

    @app.post("/json")
    def json_view():
        data = request.get_json()
        return {"len": len(data["items"])}

    @app.post("/upload")
    def upload():
        f = request.files["file"]
        data = f.read()
        return {"name": f.filename, "size": len(data), "sum": sum(data[::4096])}

    # SIGUSR1: give glibc's free heap back to the OS, so the harness can
    # tell live memory from memory the allocator merely keeps.
    import ctypes, ctypes.util, signal
    _libc_name = ctypes.util.find_library("c")
    _trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None) if _libc_name else None
    if _trim is not None:
        signal.signal(signal.SIGUSR1, lambda *_: _trim(0))

    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.port, flush=True)
    server.serve_forever()
    """
)


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _trimmed_rss_kib(pid: int) -> int:
    """The server's RSS right after it handed its free heap back (SIGUSR1);
    the plain RSS where the C library has no ``malloc_trim``."""
    os.kill(pid, signal.SIGUSR1)
    time.sleep(0.5)
    return _rss_kib(pid)


class Client:
    """One keep-alive connection that checks every response."""

    def __init__(self, port: int, index: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""
        self.index = index
        self.upload = bytes((i * 7 + index) % 256 for i in range(300_000 + index * 1000))

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> dict:
        head = f"{method} {path} HTTP/1.1\r\nHost: soak\r\n"
        if body:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + body)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        raw_head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        if headers.get("connection", "").lower() == "close":
            raise AssertionError(f"server closed a keep-alive connection: {lines[0]}")
        length = int(headers["content-length"])
        while len(self.buf) < length:
            self._fill()
        data, self.buf = self.buf[:length], self.buf[length:]
        if status != 200:
            raise AssertionError(f"{method} {path}: {status} {data[:200]!r}")
        return json.loads(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed by the server")
        self.buf += chunk

    def one_round(self, n: int) -> int:
        assert self.request("GET", f"/item/{n}?q=x{n}") == {"n": n, "q": f"x{n}"}
        form = f"a=v{n}&b=%C3%A9&c=" + "z" * (n % 500)
        assert self.request("POST", "/form", form.encode(), "application/x-www-form-urlencoded") == {"a": f"v{n}", "count": 3}
        payload = json.dumps({"items": list(range(n % 200))}).encode()
        assert self.request("POST", "/json", payload, "application/json") == {"len": n % 200}
        count = 3
        if n % 4 == 0:
            boundary = f"soak{n}"
            body = (
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f{n}.bin\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode() + self.upload + f"\r\n--{boundary}--\r\n".encode()
            result = self.request("POST", "/upload", body, f"multipart/form-data; boundary={boundary}")
            assert result == {"name": f"f{n}.bin", "size": len(self.upload), "sum": sum(self.upload[::4096])}, result
            count += 1
        return count


def main(duration: float = 60.0, clients: int = 16) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER],
        stdout=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        start_new_session=True,
    )
    try:
        port = int(proc.stdout.readline())  # type: ignore[union-attr]
        counts = [0] * clients
        errors: list[str] = []
        stop = threading.Event()

        def work(i: int) -> None:
            try:
                client = Client(port, i)
                n = 0
                while not stop.is_set():
                    counts[i] += client.one_round(n)
                    n += 1
            except Exception as e:  # any failure counts as an error
                errors.append(f"client {i}: {type(e).__name__}: {e}")

        threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
        for thread in threads:
            thread.start()
        time.sleep(min(5.0, duration / 4))  # warm-up: caches, thread stacks, allocator arenas
        start_trimmed = _trimmed_rss_kib(proc.pid)  # under load: an upper bound for the idle start
        start_rss = peak = _rss_kib(proc.pid)
        start_count, start = sum(counts), time.monotonic()
        samples = []
        while time.monotonic() - start < duration:
            time.sleep(1.0)
            rss = _rss_kib(proc.pid)
            samples.append(rss)
            peak = max(peak, rss)
            if errors:
                break
        elapsed = time.monotonic() - start
        served = sum(counts) - start_count
        end_rss = _rss_kib(proc.pid)
        stop.set()
        for thread in threads:
            thread.join(30)
        end_trimmed = _trimmed_rss_kib(proc.pid)  # idle, as the start figure below is not
        quarter = max(1, len(samples) // 4)
        first, last = samples[:quarter], samples[-quarter:]
        print(f"clients: {clients}, measured for {elapsed:.1f} s after warm-up")
        print(f"requests: {served} ({served / elapsed:.0f}/s), errors: {len(errors)}")
        print(f"server RSS: start {start_rss} KiB, end {end_rss} KiB, peak {peak} KiB")
        print(f"RSS mean first quarter {sum(first) / len(first):.0f} KiB, last quarter {sum(last) / len(last):.0f} KiB")
        print(
            f"server RSS after returning free heap to the OS (malloc_trim): start {start_trimmed} KiB,"
            f" end {end_trimmed} KiB"
        )
        for error in errors[:10]:
            print("  ", error)
        # Live memory is what must stay flat; glibc keeps freed heap pages
        # (fragmentation between threads' large and small blocks), which the
        # raw RSS shows as growth that malloc_trim hands straight back.
        grew = end_trimmed > start_trimmed * 1.2
        return 1 if errors or grew else 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


if __name__ == "__main__":
    args = [float(a) for a in sys.argv[1:3]]
    sys.exit(main(args[0] if args else 60.0, int(args[1]) if len(args) > 1 else 16))
