"""``microflask run --cert/--key``: a certificate file and its key, ``adhoc``
and an importable ``ssl.SSLContext`` (``module:name``), with Flask's
validation messages, and real HTTPS served by each."""

from __future__ import annotations

import importlib.util
import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import urllib.request

import pytest

import wsgikit.serving
from microflask import Flask
from microflask.cli import run_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAS_CRYPTOGRAPHY = importlib.util.find_spec("cryptography") is not None
needs_cryptography = pytest.mark.skipif(not HAS_CRYPTOGRAPHY, reason="cryptography is not installed (certificates)")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "cert.pem").write_text("c")
    (tmp_path / "key.pem").write_text("k")
    (tmp_path / "tls_contexts.py").write_text(
        "import ssl\nserver_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\nnot_a_context = 42\n"
    )
    yield tmp_path
    sys.modules.pop("tls_contexts", None)


@pytest.fixture
def fake_run_simple(monkeypatch):
    calls = []
    monkeypatch.setattr(wsgikit.serving, "run_simple", lambda host, port, app, **kw: calls.append(kw))
    return calls


def invoke(args):
    return Flask("tls_app").test_cli_runner().invoke(run_command, args)


def test_relative_cert_and_key_are_resolved(project, fake_run_simple):
    result = invoke(["--cert", "cert.pem", "--key", "key.pem"])
    assert result.exit_code == 0, result.output
    assert fake_run_simple[0]["ssl_context"] == (str(project / "cert.pem"), str(project / "key.pem"))


def test_key_before_cert_works(project, fake_run_simple):
    assert invoke(["--key", "key.pem", "--cert", "cert.pem"]).exit_code == 0
    assert fake_run_simple[0]["ssl_context"] == (str(project / "cert.pem"), str(project / "key.pem"))


def test_importable_ssl_context(project, fake_run_simple):
    import tls_contexts

    result = invoke(["--cert", "tls_contexts:server_context"])
    assert result.exit_code == 0, result.output
    assert fake_run_simple[0]["ssl_context"] is tls_contexts.server_context


@needs_cryptography
def test_adhoc(project, fake_run_simple):
    assert invoke(["--cert", "adhoc"]).exit_code == 0
    assert fake_run_simple[0]["ssl_context"] == "adhoc"


# Flask 3.1's messages for the same command lines.
@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--cert", "nope.pem"], "Invalid value for '--cert': File 'nope.pem' does not exist."),
        (["--cert", "tls_contexts:not_a_context"], "Invalid value for '--cert': File 'tls_contexts:not_a_context' does not exist."),
        (["--cert", "no_such_module:x"], "Invalid value for '--cert': File 'no_such_module:x' does not exist."),
        (["--cert", "tls_contexts:server_context", "--key", "key.pem"],
         "Invalid value for '--key': When \"--cert\" is an SSLContext object, \"--key\" is not used."),
        (["--key", "key.pem"], "Invalid value for '--key': \"--cert\" must also be specified."),
        (["--cert", "cert.pem"], "Invalid value for '--key': Required when using \"--cert\"."),
        (["--cert", "cert.pem", "--key", "nokey.pem"], "Invalid value for '--key': File 'nokey.pem' does not exist."),
    ],
)
def test_validation_messages(project, fake_run_simple, args, error):
    result = invoke(args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {error}"
    assert fake_run_simple == []


@needs_cryptography
def test_adhoc_with_key_message(project, fake_run_simple):
    result = invoke(["--cert", "adhoc", "--key", "key.pem"])
    assert result.output.splitlines()[-1] == "Error: Invalid value for '--key': When \"--cert\" is \"adhoc\", \"--key\" is not used."


def test_adhoc_without_cryptography_message(project, fake_run_simple, monkeypatch):
    monkeypatch.setattr("microflask.cli._cryptography_available", lambda: False)
    result = invoke(["--cert", "adhoc"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--cert': Using ad-hoc certificates requires the cryptography library."
    )


# -- real HTTPS ------------------------------------------------------------------


@pytest.fixture
def serve(tmp_path):
    (tmp_path / "tlsapp.py").write_text(
        "from microflask import Flask, request\napp = Flask(__name__)\n"
        "@app.route('/')\ndef index():\n    return 'secure ' + request.scheme\n"
    )
    procs = []

    def start(*args):
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_DEBUG", "_APP"))}
        env.update(PYTHONPATH=os.pathsep.join([ROOT, str(tmp_path)]), PYTHONUNBUFFERED="1")
        proc = subprocess.Popen(
            [sys.executable, "-m", "microflask", "--app", "tlsapp", "run", "--port", "0", *args],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        procs.append(proc)
        return https_url(proc)

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def https_url(proc, timeout=20.0):
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no 'Running on https://' line; stderr: {''.join(seen)!r}") from None
        seen.append(line)
        if "Running on https://" in line:
            return line.split("Running on ", 1)[1].strip()


def fetch(url):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url + "/", timeout=10, context=context) as response:
        return response.read()


@pytest.mark.slow
@needs_cryptography
def test_https_with_cert_and_key_files(serve, tmp_path):
    cert, key = wsgikit.serving.make_ssl_devcert(str(tmp_path / "dev"), host="localhost")
    assert fetch(serve("--cert", cert, "--key", key)) == b"secure https"


@pytest.mark.slow
@needs_cryptography
def test_https_with_an_importable_ssl_context(serve, tmp_path):
    cert, key = wsgikit.serving.make_ssl_devcert(str(tmp_path / "dev"), host="localhost")
    (tmp_path / "contexts.py").write_text(
        "import ssl\ncontext = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
        f"context.load_cert_chain({cert!r}, {key!r})\n"
    )
    assert fetch(serve("--cert", "contexts:context")) == b"secure https"


@pytest.mark.slow
@needs_cryptography
def test_https_adhoc(serve):
    assert fetch(serve("--cert", "adhoc")) == b"secure https"
