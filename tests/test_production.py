"""Production servers: gunicorn (two workers) and waitress serve our apps.

Each server runs in a subprocess on 127.0.0.1 with a port the OS picks
(parsed from the server's start-up log), and the tests talk real HTTP to
it with ``http.client``. The raw wsgikit app (examples/raw_wsgi.py) is
served as its ``checked_application`` variant, wrapped in
``wsgiref.validate.validator`` and wsgikit's ``LintMiddleware``; the last
test of each server stops it and asserts that its log holds no complaint
from either checker and no traceback.

gunicorn and waitress belong to the ``test`` extra; a server that cannot
be imported is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import importlib.util
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import typing as t
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PATTERN_MIB = bytes(range(256)) * 4096
START_TIMEOUT = 20.0
PORT_LINE = {
    "gunicorn": re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)"),
    "waitress": re.compile(r"Serving on http://127\.0\.0\.1:(\d+)"),
}


def server_command(server: str, target: str) -> list[str]:
    if server == "waitress" and target.endswith("()"):
        return [sys.executable, "-m", "waitress", "--listen=127.0.0.1:0", "--threads=4",
                "--call", target[:-2]]
    if server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", "-w", "2", "-b", "127.0.0.1:0",
            "--graceful-timeout", "3", "--timeout", "30", target,
        ]
    return [sys.executable, "-m", "waitress", "--listen=127.0.0.1:0", "--threads=4", target]


class Server:
    """A WSGI server subprocess whose output goes to a log file."""

    def __init__(self, name: str, target: str, workdir: pathlib.Path,
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log_path = workdir / f"{name}.log"
        env = dict(os.environ, PYTHONUNBUFFERED="1", RAW_WSGI_DATA_DIR=str(workdir), **(env or {}))
        # gunicorn >= 27 opens a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl
        # (else ~/.gunicorn/): give each server its own, so that two servers
        # alive at once never share, or remove, each other's socket.
        env["XDG_RUNTIME_DIR"] = str(workdir)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self._log = open(self.log_path, "w+b")
        self.proc = subprocess.Popen(
            server_command(name, target), cwd=ROOT, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        self.port = self._wait_for_port()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            found = PORT_LINE[self.name].search(self.log())
            if found:
                return int(found.group(1))
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"{self.name} did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            with self.explained():
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                return response.status, response.headers, response.read()
        finally:
            conn.close()

    @contextlib.contextmanager
    def explained(self) -> t.Iterator[None]:
        """Turn a connection failure into one that shows the server's log."""
        try:
            yield
        except OSError as exc:
            state = "running" if self.proc.poll() is None else f"exited with {self.proc.returncode}"
            raise AssertionError(f"{self.name} ({state}) failed a request: {exc!r}\n{self.log()}") from exc


def require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it is in the 'test' extra: pip install -e '.[test]')")


@pytest.fixture(scope="module", params=["gunicorn", "waitress"])
def raw_server(request, tmp_path_factory):
    require(request.param)
    server = Server(request.param, "examples.raw_wsgi:checked_application",
                    tmp_path_factory.mktemp(f"raw-{request.param}"))
    try:
        yield server
    finally:
        server.stop()


def pattern_digest(mb: int) -> str:
    digest = hashlib.sha256()
    for _ in range(mb):
        digest.update(PATTERN_MIB)
    return digest.hexdigest()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[str, bytes]:
    """Encode a multipart/form-data body by hand (independent of wsgikit)."""
    boundary = "----production-test-" + hashlib.sha1(os.urandom(8)).hexdigest()
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, (filename, ctype, data) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n')
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def test_index(raw_server):
    status, headers, body = raw_server.request("GET", "/")
    assert status == 200
    assert body.startswith(b"Hello from raw wsgikit, pid ")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["X-WSGI-Checked"] == "validator, lint"


def test_concurrent_requests_all_answered(raw_server):
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: raw_server.request("GET", "/"), range(24)))
    assert [status for status, _, _ in results] == [200] * 24


def test_not_found_and_method_not_allowed(raw_server):
    assert raw_server.request("GET", "/nope")[0] == 404
    status, headers, _ = raw_server.request("GET", "/upload")
    assert status == 405
    assert headers["Allow"] == "POST"


def test_streaming_response_is_chunked(raw_server):
    conn = http.client.HTTPConnection("127.0.0.1", raw_server.port, timeout=20)
    try:
        conn.request("GET", "/stream?chunks=200")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Length") is None
        assert response.getheader("Transfer-Encoding") == "chunked"
        assert response.readline() == b"chunk 0\n"
        rest = response.read()
    finally:
        conn.close()
    assert rest == "".join(f"chunk {n}\n" for n in range(1, 200)).encode()


def test_multipart_upload_of_a_few_megabytes(raw_server):
    data = os.urandom(3 * 1024 * 1024 + 17)
    ctype, body = multipart({"title": "été"}, {"file": ("big.bin", "application/x-test", data)})
    status, _, answer = raw_server.request("POST", "/upload", body, {"Content-Type": ctype})
    assert status == 200
    assert json.loads(answer) == {
        "form": {"title": "été"},
        "files": {"file": {"filename": "big.bin", "content_type": "application/x-test",
                           "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}},
    }


def test_chunked_upload_body(raw_server):
    data = os.urandom(1024 * 1024)
    ctype, body = multipart({}, {"file": ("c.bin", "application/octet-stream", data)})
    pieces = (body[i:i + 65536] for i in range(0, len(body), 65536))
    conn = http.client.HTTPConnection("127.0.0.1", raw_server.port, timeout=20)
    try:
        conn.request("POST", "/upload", body=pieces, headers={"Content-Type": ctype},
                     encode_chunked=True)
        response = conn.getresponse()
        status, answer = response.status, response.read()
    finally:
        conn.close()
    assert status == 200
    assert json.loads(answer)["files"]["file"]["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("route", ["download", "wrapped"])
def test_large_download(raw_server, route):
    conn = http.client.HTTPConnection("127.0.0.1", raw_server.port, timeout=30)
    try:
        conn.request("GET", f"/{route}/20")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Length") == str(20 * 1024 * 1024)
        digest, size = hashlib.sha256(), 0
        while block := response.read(1 << 20):
            digest.update(block)
            size += len(block)
    finally:
        conn.close()
    assert size == 20 * 1024 * 1024
    assert digest.hexdigest() == pattern_digest(20)


def test_download_range_and_conditional(raw_server):
    status, headers, body = raw_server.request("GET", "/download/20", headers={"Range": "bytes=1048576-1048831"})
    assert status == 206
    assert headers["Content-Range"] == "bytes 1048576-1048831/20971520"
    assert body == bytes(range(256))
    # The ETag comes from a GET: LintMiddleware (as Werkzeug's) warns about
    # any HEAD answer, whose Content-Length describes a body not sent.
    etag = headers["ETag"]
    status, _, body = raw_server.request("GET", "/download/20", headers={"If-None-Match": etag})
    assert (status, body) == (304, b"")


def test_zz_server_logged_no_pep3333_problem(raw_server):
    """Runs last for each server: stop it and read everything it logged."""
    raw_server.request("GET", "/")
    raw_server.stop()
    log = raw_server.log()
    assert "WSGI-CHECK" not in log, log
    assert "Traceback" not in log, log
    assert "Exception ignored" not in log, log


# ---------------------------------------------------------------- the blog

BLOG = ROOT / "examples" / "blog" / "__init__.py"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module", params=["gunicorn", "waitress"])
def blog_server(request, tmp_path_factory):
    require(request.param)
    if not BLOG.exists():
        pytest.skip("examples/blog is not in this checkout")
    workdir = tmp_path_factory.mktemp(f"blog-{request.param}")
    env = {"MICROFLASK_DATABASE": str(workdir / "blog.sqlite"), "SECRET_KEY": "production-test-" + "k" * 32}
    server = Server(request.param, "examples.raw_wsgi:checked_blog()", workdir, env)
    try:
        yield server
    finally:
        server.stop()


class Browser:
    """urllib with a cookie jar: follows redirects, keeps the session."""

    def __init__(self, server: Server) -> None:
        import http.cookiejar
        import urllib.request

        self.server = server
        self.base = f"http://127.0.0.1:{server.port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.server.explained(), self.opener.open(self.base + path, timeout=20) as response:
            assert response.status == 200
            return response.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        """GET the form at ``path``, POST it with its CSRF token; return (final URL, page)."""
        import urllib.parse

        token = TOKEN.search(self.get(path)).group(1)
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        with self.server.explained(), self.opener.open(self.base + path, data=data, timeout=20) as response:
            return response.url[len(self.base):], response.read().decode()


def test_blog_register_login_post_and_read_back(blog_server):
    browser = Browser(blog_server)
    assert "Register" in browser.get("/")
    url, _ = browser.submit("/auth/register", {"username": "ada", "password": "correct horse battery"})
    assert url == "/auth/login"
    url, _ = browser.submit("/auth/login", {"username": "ada", "password": "correct horse battery"})
    assert url == "/"
    url, page = browser.submit("/create", {"title": "Served by " + blog_server.name, "body": "Hello"})
    assert re.fullmatch(r"/\d+", url), url
    # The signed-cookie session works on whichever worker answers.
    for _ in range(6):
        page = browser.get("/")
        assert "Served by " + blog_server.name in page
        assert "ada" in page


def test_blog_refuses_a_forged_form_and_serves_static(blog_server):
    status, _, _ = blog_server.request(
        "POST", "/auth/login", b"username=ada&password=x",
        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400  # no CSRF token
    status, headers, body = blog_server.request("GET", "/static/style.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert len(body) == int(headers["Content-Length"]) > 0


def test_zz_blog_server_logged_no_pep3333_problem(blog_server):
    blog_server.request("GET", "/")
    blog_server.stop()
    log = blog_server.log()
    assert "WSGI-CHECK" not in log, log
    assert "Traceback" not in log, log
    assert "Exception ignored" not in log, log


def test_example_refuses_oversized_upload_in_process():
    from examples.raw_wsgi import MAX_CONTENT_LENGTH, application

    from wsgikit.test import Client

    body = b"x" * (MAX_CONTENT_LENGTH + 1)
    response = Client(application).post(
        "/upload", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413


def tuple_headers(environ, start_response):
    start_response("200 OK", (("Content-Type", "text/plain"),))  # PEP 3333: a list
    return [b"text"]


def short_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "9")])
    return [b"abc"]


@pytest.mark.parametrize(
    ("bad_app", "complaint"),
    [
        (tuple_headers, "WSGI-CHECK: AssertionError: Headers"),  # wsgiref's validator refuses it
        (short_body, "WSGI-CHECK: WSGIWarning: Content-Length"),  # LintMiddleware warns
    ],
)
def test_checked_variant_reports_problems(bad_app, complaint, capfd):
    """The checked wrapper really complains, so a clean server log means something."""
    import warnings

    from examples.raw_wsgi import make_checked

    from wsgikit.test import Client

    with warnings.catch_warnings():
        app = make_checked(bad_app)
        try:
            response = Client(app).get("/")
            response.get_data()
            response.close()
        except AssertionError:
            pass
    assert complaint in capfd.readouterr().err
