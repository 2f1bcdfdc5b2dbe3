"""The README's main command: the example app served over a real socket."""

import http.client
import os
import pathlib
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server():
    env = dict(os.environ, PORT="0", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "hello_wsgikit.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        line = proc.stdout.readline()  # blocks until the banner or exit
        assert "Serving wsgikit example on http://127.0.0.1:" in line, line + proc.stderr.read()
        port = int(line.rsplit(":", 1)[1].split("/")[0])
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def get(port, path, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/", 200, b"Hello, world!"),
        ("/?name=Ada", 200, b"Hello, Ada!"),
        ("/hello/Grace", 200, b"Hello, Grace!"),
        ("/hello/%C3%A9t%C3%A9", 200, "Hello, été!".encode()),
        ("/nope", 404, b"Not Found"),
    ],
)
def test_example_serves_its_routes(server, path, status, body):
    got_status, headers, got_body = get(server, path)
    assert got_status == status
    assert body in got_body


def test_example_refuses_other_methods(server):
    status, headers, _ = get(server, "/", method="DELETE")
    assert status == 405
    assert "GET" in headers["Allow"]
