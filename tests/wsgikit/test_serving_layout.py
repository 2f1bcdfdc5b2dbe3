"""``wsgikit.serving`` is split by job (the request body input, TLS, the
request handler, the servers); these tests pin what the split must keep:
every name importable from ``wsgikit.serving`` as before, the lazily loaded
reloader, what an import loads (PERF: cold start), and the small behaviours
the split touched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import sysconfig
import textwrap
import typing as t
from pathlib import Path

import pytest

from wsgikit import _reloader
from wsgikit import _serving_handler
from wsgikit import _serving_input
from wsgikit import _serving_tls
from wsgikit import serving
from wsgikit import __version__

ROOT = Path(__file__).resolve().parents[2]

#: Every name that ``wsgikit.serving`` offered before the split and that
#: users, microflask, the tests, docs or examples use (plus Werkzeug's
#: module-level names): each must still be there.
NAMES = """
    BaseWSGIServer ThreadedWSGIServer ForkingWSGIServer WSGIRequestHandler
    DechunkedInput make_server run_simple is_running_from_reloader
    generate_adhoc_ssl_context generate_adhoc_ssl_pair make_ssl_devcert
    load_ssl_context is_ssl_error select_address_family get_sockaddr
    get_interface_ip LISTEN_QUEUE can_fork af_unix connection_dropped_errors
    BaseHTTPRequestHandler HTTPServer _wrap_debugger _TSSLContextArg
""".split()


@pytest.mark.parametrize("name", NAMES)
def test_name_still_importable_from_serving(name: str) -> None:
    assert getattr(serving, name) is not None


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("DechunkedInput", _serving_input),
        ("WSGIRequestHandler", _serving_handler),
        ("connection_dropped_errors", _serving_handler),
        ("make_ssl_devcert", _serving_tls),
        ("load_ssl_context", _serving_tls),
        ("is_running_from_reloader", _reloader),
    ],
)
def test_reexport_is_the_defining_object(name: str, home: object) -> None:
    # One object, not a copy: a subclass or isinstance check against either
    # path sees the same class.
    assert getattr(serving, name) is getattr(home, name)


def test_star_import_gives_all() -> None:
    namespace: dict[str, object] = {}
    exec("from wsgikit.serving import *", namespace)
    assert set(serving.__all__) <= set(namespace)
    assert namespace["is_running_from_reloader"] is _reloader.is_running_from_reloader


def test_lazy_name_is_listed_and_unknown_names_fail() -> None:
    assert "is_running_from_reloader" in dir(serving)
    assert "make_ssl_devcert" in dir(serving)
    assert "run_simple" in dir(serving)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        serving.nope  # type: ignore[attr-defined]  # the missing name is the point  # noqa: B018


def test_lazy_name_can_be_monkeypatched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "is_running_from_reloader", lambda: True)
    assert serving.is_running_from_reloader() is True


def _loaded_after(statement: str, setup: str = "pass") -> set[str]:
    """The modules ``statement`` loads in a fresh interpreter, after ``setup``."""
    code = textwrap.dedent(
        f"""
        import sys
        {setup}
        before = set(sys.modules)
        {statement}
        print(" ".join(sorted(set(sys.modules) - before)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    ).stdout
    return set(out.split())


def test_import_serving_loads_no_reloader_debugger_or_middleware() -> None:
    loaded = _loaded_after("import wsgikit.serving")
    assert {"wsgikit._serving_input", "wsgikit._serving_handler"} <= loaded
    # The reloader and TLS load with their first use (see _LAZY_EXPORTS).
    unwanted = {"wsgikit._reloader", "wsgikit._serving_tls", "wsgikit.debug", "wsgikit.middleware", "subprocess", "tempfile"}
    assert not loaded & unwanted


@pytest.mark.parametrize(
    ("statement", "module"),
    [
        ("wsgikit.serving.is_running_from_reloader()", "wsgikit._reloader"),
        ("from wsgikit.serving import make_ssl_devcert", "wsgikit._serving_tls"),
        ("wsgikit.serving.is_ssl_error(ValueError())", "wsgikit._serving_tls"),
    ],
)
def test_lazy_names_load_their_module_on_first_use(statement: str, module: str) -> None:
    assert module in _loaded_after(statement, setup="import wsgikit.serving")


def test_import_reloader_loads_only_what_is_running_from_reloader_needs() -> None:
    loaded = _loaded_after("import wsgikit._reloader", setup="import wsgikit.serving")
    assert "wsgikit._reloader" in loaded
    # The supervisor's and the watcher's modules load when used.
    assert not loaded & {"subprocess", "sysconfig", "signal"}


def test_reloader_no_longer_needs_serving() -> None:
    loaded = _loaded_after(
        "import wsgikit._reloader as r; r.is_running_from_reloader(); r._select_loop('stat')"
    )
    assert "wsgikit.serving" not in loaded


def test_library_roots_computed_on_first_use() -> None:
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    assert _reloader._is_library(os.path.join(stdlib, "json", "__init__.py"))
    assert not _reloader._is_library(str(ROOT / "wsgikit" / "serving.py"))


class _ReadOnly:
    """A stream with ``read`` but no ``read1`` (a raw socket file, a pipe wrapper)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 2))


def test_dechunked_input_reads_a_stream_without_read1() -> None:
    raw = b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    assert serving.DechunkedInput(_ReadOnly(raw)).read() == b"abcde"  # type: ignore[arg-type]  # duck-typed stream


def test_server_version_is_the_project_version() -> None:
    assert serving.WSGIRequestHandler.server_version == f"wsgikit/{__version__}"

    class Custom(serving.WSGIRequestHandler):
        server_version = "custom/1"

    assert Custom.server_version == "custom/1"


def test_patched_is_running_from_reloader_is_what_the_server_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    # As when the function was defined in this module: run_simple's helpers
    # ask wsgikit.serving, so patching the name there takes effect.
    monkeypatch.delenv("WSGIKIT_RUN_MAIN", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    monkeypatch.setenv("WSGIKIT_SERVER_FD", "7")
    assert serving._inherited_fd() is None
    monkeypatch.setattr(serving, "is_running_from_reloader", lambda: True)
    assert serving._inherited_fd() == 7


def test_patched_tls_names_are_what_the_server_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    made: list[tuple[str, str | None]] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)

    def load(cert: str, key: str | None = None) -> ssl.SSLContext:
        made.append((cert, key))
        return context

    monkeypatch.setattr(serving, "load_ssl_context", load)
    monkeypatch.setattr(serving, "generate_adhoc_ssl_context", lambda: context)
    for arg, expected in ((("c.pem", "k.pem"), [("c.pem", "k.pem")]), ("adhoc", [])):
        made.clear()
        srv = serving.make_server("127.0.0.1", 0, _hello, ssl_context=arg)  # type: ignore[arg-type]  # a tuple or "adhoc"
        try:
            assert srv.ssl_context is context
            assert made == expected
        finally:
            srv.server_close()


def test_invalid_ssl_context_is_refused() -> None:
    with pytest.raises(TypeError, match="Invalid ssl_context"):
        serving.make_server("127.0.0.1", 0, _hello, ssl_context="nope")  # type: ignore[arg-type]  # the wrong value is the point


def _hello(environ: dict[str, object], start_response: t.Any) -> list[bytes]:
    start_response("200 OK", [])
    return [b"hi"]
