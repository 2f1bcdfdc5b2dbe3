"""DebuggedApplication driven through the test client."""

from __future__ import annotations

import io
import json
import re
import sys
import typing as t

import pytest

from wsgikit.debug import DebuggedApplication
from wsgikit.debug import application as debug_app
from wsgikit.debug.pin import make_pin_cookie
from wsgikit.test import Client

PIN = "123-456-789"


@pytest.fixture(autouse=True)
def _fixed_pin(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    monkeypatch.setenv("WSGIKIT_DEBUG_PIN", PIN)
    monkeypatch.delenv("WERKZEUG_DEBUG_PIN", raising=False)
    sleeps: list[float] = []
    monkeypatch.setattr(debug_app, "_sleep", sleeps.append)
    return sleeps


def failing_app(environ: t.Any, start_response: t.Any) -> t.Iterable[bytes]:
    frame_marker = "local-in-failing-frame"  # noqa: F841 - read by the console
    raise ValueError("<script>alert(1)</script>")


def chained_app(environ: t.Any, start_response: t.Any) -> t.Iterable[bytes]:
    try:
        {}["missing-key"]
    except KeyError as e:
        raise RuntimeError("wrapped & re-raised") from e
    return []  # pragma: no cover


def context_app(environ: t.Any, start_response: t.Any) -> t.Iterable[bytes]:
    try:
        1 / 0
    except ZeroDivisionError:
        raise LookupError("while handling")  # noqa: B904 - implicit context on purpose
    return []  # pragma: no cover


def ok_app(environ: t.Any, start_response: t.Any) -> t.Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"fine"]


def make(app: t.Any = failing_app, **kwargs: t.Any) -> tuple[DebuggedApplication, Client]:
    kwargs.setdefault("evalex", True)
    debugged = DebuggedApplication(app, **kwargs)
    return debugged, Client(debugged)


def frame_ids(page: str) -> list[str]:
    return re.findall(r'data-frame="(\d+)"', page)


def command(client: Client, debugged: DebuggedApplication, code: str, frame: str, **kw: t.Any) -> t.Any:
    return client.get("/", query_string={"__debugger__": "yes", "cmd": code, "frm": frame, "s": debugged.secret}, **kw)


def pinauth(client: Client, debugged: DebuggedApplication, pin: str) -> t.Any:
    return client.get("/", query_string={"__debugger__": "yes", "cmd": "pinauth", "pin": pin, "s": debugged.secret})


# -- the page ------------------------------------------------------------------


def test_passes_through_successful_requests() -> None:
    _, client = make(ok_app)
    response = client.get("/")
    assert response.status_code == 200
    assert response.data == b"fine"
    assert "X-Wsgikit-Debugger" not in response.headers


def test_page_shows_exception_and_escapes_it() -> None:
    _, client = make()
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert response.headers["X-Wsgikit-Debugger"] == "traceback"
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>alert" not in page
    assert "<title>ValueError: &lt;script&gt;alert(1)&lt;/script&gt; // wsgikit Debugger</title>" in page
    assert '<p class="errormsg">ValueError: &lt;script&gt;alert(1)&lt;/script&gt;</p>' in page
    # The source around the failing line, escaped, with the line marked.
    assert "frame_marker = &#34;local-in-failing-frame&#34;" in page
    assert '<span class="line current">' in page
    assert 'raise ValueError(&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;)' in page
    assert 'in <code class="function">failing_app</code>' in page


def test_page_has_copyable_plain_traceback() -> None:
    _, client = make()
    page = client.get("/").get_data(as_text=True)
    text = page.split('readonly rows="20" cols="100" spellcheck="false">', 1)[1].split("</textarea>", 1)[0]
    assert text.startswith("Traceback (most recent call last):\n")
    assert "ValueError: &lt;script&gt;alert(1)&lt;/script&gt;\n" in text
    # The debugger's own frame is not part of the traceback shown.
    assert "debug_application" not in text


def test_request_line_is_escaped() -> None:
    _, client = make()
    page = client.get("/p<b>", query_string="q=<i>&x=\"").get_data(as_text=True)
    assert "<b>" not in page and "<i>" not in page
    assert '<p class="request"><code>GET http://localhost/p&lt;b&gt;?q=&lt;i&gt;&amp;x=&#34;</code></p>' in page


def test_page_loads_only_its_own_resources() -> None:
    _, client = make()
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert urls
    assert all(url.startswith("?__debugger__=yes&amp;cmd=resource&amp;f=") for url in urls)
    assert "http://" not in page.split("<main", 1)[0]


def test_traceback_goes_to_wsgi_errors() -> None:
    _, client = make()
    errors = io.StringIO()
    client.get("/", errors_stream=errors)
    logged = errors.getvalue()
    assert logged.startswith("Traceback (most recent call last):\n")
    assert logged.endswith("ValueError: <script>alert(1)</script>\n")


@pytest.mark.parametrize(
    ("app", "first", "note", "second"),
    [
        (chained_app, "KeyError: &#39;missing-key&#39;", "The above exception was the direct cause", "RuntimeError: wrapped &amp; re-raised"),
        (context_app, "ZeroDivisionError: division by zero", "During handling of the above exception", "LookupError: while handling"),
    ],
)
def test_chained_exceptions_oldest_first(app: t.Any, first: str, note: str, second: str) -> None:
    _, client = make(app)
    page = client.get("/").get_data(as_text=True)
    body = page.split('<div class="traceback">', 1)[1]
    assert body.index(first) < body.index(note) < body.index(second)
    assert body.count('<blockquote class="exception">') == 2


def test_suppressed_context_is_not_shown() -> None:
    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        try:
            1 / 0
        except ZeroDivisionError:
            raise KeyError("clean") from None

    _, client = make(app)
    page = client.get("/").get_data(as_text=True)
    assert '<blockquote class="exception">ZeroDivisionError' not in page
    assert '<p class="chain-note">' not in page
    assert "KeyError: &#39;clean&#39;" in page


@pytest.mark.skipif(sys.version_info < (3, 11), reason="no exception groups before Python 3.11")
def test_exception_group_members_are_shown() -> None:
    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        errors = []
        for text in ("first <one>", "second"):
            try:
                raise ValueError(text)
            except ValueError as e:
                errors.append(e)
        raise ExceptionGroup("several", errors)  # noqa: F821 - 3.11+

    debugged, client = make(app)
    page = client.get("/").get_data(as_text=True)
    assert "Sub-exception 1 of 2" in page and "Sub-exception 2 of 2" in page
    assert "ValueError: first &lt;one&gt;" in page
    assert "ExceptionGroup: several (2 sub-exceptions)" in page
    # The members' frames are registered for consoles too.
    assert len(frame_ids(page)) == 3
    assert all(int(f) in debugged.frames for f in frame_ids(page))


def test_hidden_frames() -> None:
    def helper() -> None:
        __traceback_hide__ = True  # noqa: F841
        raise OSError("from hidden helper")

    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        helper()

    page = make(app)[1].get("/").get_data(as_text=True)
    assert 'in <code class="function">helper</code>' not in page
    assert 'in <code class="function">app</code>' in page
    shown = make(app, show_hidden_frames=True)[1].get("/").get_data(as_text=True)
    assert 'in <code class="function">helper</code>' in shown


def test_started_response_failure_logs_and_propagates() -> None:
    def app(environ: t.Any, start_response: t.Any) -> t.Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"partial "
        raise RuntimeError("died mid-stream")

    _, client = make(app)
    errors = io.StringIO()
    response = client.get("/", errors_stream=errors, buffered=False)
    assert response.status_code == 200
    with pytest.raises(RuntimeError, match="died mid-stream"):
        response.get_data()
    logged = errors.getvalue()
    assert "response headers were already sent" in logged
    assert logged.rstrip().endswith("RuntimeError: died mid-stream")


def test_start_response_then_raise_still_shows_page() -> None:
    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        start_response("200 OK", [("Content-Type", "text/plain")])
        raise RuntimeError("after start_response, before any body")

    response = make(app)[1].get("/")
    assert response.status_code == 500
    assert b"after start_response, before any body" in response.data


def test_app_iterable_is_closed_on_error() -> None:
    closed = []

    class Body:
        def __iter__(self) -> t.Iterator[bytes]:
            raise RuntimeError("iteration failed")

        def close(self) -> None:
            closed.append(True)

    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        start_response("200 OK", [])
        return Body()

    assert make(app)[1].get("/").status_code == 500
    assert closed == [True]


def test_no_console_without_evalex() -> None:
    debugged, client = make(evalex=False)
    page = client.get("/").get_data(as_text=True)
    assert 'data-evalex="false"' in page
    frame = frame_ids(page)[-1]
    pinauth(client, debugged, PIN)
    response = command(client, debugged, "1+1", frame)
    assert response.status_code == 400
    assert client.get("/console").status_code == 500  # the app's own /console


# -- the console ---------------------------------------------------------------


def test_console_evaluates_in_frame_after_pin() -> None:
    debugged, client = make()
    page = client.get("/").get_data(as_text=True)
    frame = frame_ids(page)[-1]

    locked = command(client, debugged, "frame_marker", frame)
    assert locked.status_code == 403
    assert b"enter the PIN" in locked.data

    auth = pinauth(client, debugged, PIN)
    assert auth.json == {"auth": True, "exhausted": False}
    cookie = auth.headers["Set-Cookie"]
    assert cookie.startswith(debugged.pin_cookie_name + "=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Max-Age=604800", "Path=/"):
        assert attribute in cookie

    response = command(client, debugged, "frame_marker", frame)
    assert response.status_code == 200
    assert response.headers["X-Wsgikit-Debugger"] == "command"
    assert response.get_data(as_text=True) == (
        ">>> frame_marker\n<span class=\"string\">&#39;local-in-failing-frame&#39;</span>"
    )
    # Names defined in a frame's console persist there.
    command(client, debugged, "x = len(frame_marker)", frame)
    assert command(client, debugged, "x", frame).get_data(as_text=True).endswith('<span class="number">22</span>')


def test_console_output_is_escaped() -> None:
    debugged, client = make()
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    pinauth(client, debugged, PIN)
    text = command(client, debugged, "print('<img src=x>')", frame).get_data(as_text=True)
    assert "<img" not in text
    assert "&lt;img src=x&gt;" in text
    error = command(client, debugged, "raise KeyError('<b>')", frame).get_data(as_text=True)
    assert "<b>" not in error and "KeyError: &#39;&lt;b&gt;&#39;" in error


def test_console_multiline_block() -> None:
    debugged, client = make()
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    pinauth(client, debugged, PIN)
    first = command(client, debugged, "for i in range(3):", frame)
    assert first.headers["X-Wsgikit-Console"] == "more"
    command(client, debugged, "    print(i * 2)", frame)
    last = command(client, debugged, "", frame)
    assert last.headers["X-Wsgikit-Console"] == "done"
    assert last.get_data(as_text=True) == "... \n0\n2\n4\n"


def test_unknown_frame_is_404_after_auth() -> None:
    debugged, client = make()
    client.get("/")
    pinauth(client, debugged, PIN)
    for frame in ("12345", "abc", "9" * 40, ""):
        assert command(client, debugged, "1", frame).status_code == 404


def test_secret_is_required_for_every_command() -> None:
    debugged, client = make()
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    assert pinauth(client, debugged, PIN).json["auth"] is True
    for secret in ("", "wrong", debugged.secret[:-1], debugged.secret + "x"):
        for cmd in ("1+1", "pinauth", "printpin"):
            response = client.get(
                "/", query_string={"__debugger__": "yes", "cmd": cmd, "frm": frame, "s": secret, "pin": PIN}
            )
            assert response.status_code == 403, (secret, cmd)
            assert response.headers["X-Wsgikit-Debugger"] == "refused"


def test_forged_or_expired_cookie_is_refused() -> None:
    debugged, client = make()
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    name = debugged.pin_cookie_name
    for value in ("1|abc", f"{10**10}|x", make_pin_cookie("999-999-999", name), make_pin_cookie(PIN, name, now=1000.0)):
        client.set_cookie(name, value)
        assert command(client, debugged, "1+1", frame).status_code == 403, value
    client.set_cookie(name, make_pin_cookie(PIN, name))
    assert command(client, debugged, "1+1", frame).status_code == 200


def test_pin_lockout_after_ten_failures(_fixed_pin: list[float]) -> None:
    debugged, client = make()
    client.get("/")
    for attempt in range(1, 11):
        result = pinauth(client, debugged, "000-000-000").json
        assert result == {"auth": False, "exhausted": attempt == 10}
    # Every failure waited, longer after the fifth.
    assert _fixed_pin == [0.5] * 5 + [5.0] * 5
    # Even the right PIN is refused now, without another wait.
    assert pinauth(client, debugged, PIN).json == {"auth": False, "exhausted": True}
    assert len(_fixed_pin) == 10
    assert "Set-Cookie" not in pinauth(client, debugged, PIN).headers


@pytest.mark.parametrize("entered", ["123-456-789", "123456789", " 123456789 ", "12-34-56-789"])
def test_pin_accepts_dashes_and_spaces(entered: str) -> None:
    debugged, client = make()
    assert pinauth(client, debugged, entered).json["auth"] is True


def test_pin_off_needs_only_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WSGIKIT_DEBUG_PIN", "off")
    debugged, client = make()
    assert debugged.pin is None
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    assert command(client, debugged, "6*7", frame).data.endswith(b'<span class="number">42</span>')
    assert client.get("/", query_string={"__debugger__": "yes", "cmd": "6*7", "frm": frame}).status_code == 403


def test_pin_security_false() -> None:
    debugged, client = make(pin_security=False)
    assert debugged.pin is None
    page = client.get("/").get_data(as_text=True)
    assert 'data-evalex-trusted="true"' in page


def test_printpin_logs_pin(caplog: pytest.LogCaptureFixture) -> None:
    debugged, client = make()
    with caplog.at_level("INFO", logger="wsgikit"):
        response = client.get("/", query_string={"__debugger__": "yes", "cmd": "printpin", "s": debugged.secret})
    assert response.status_code == 200
    assert PIN in caplog.text


# -- trusted hosts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "trusted"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("app.localhost:8080", True),
        ("127.0.0.1:5000", True),
        ("[::1]:5000", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("", False),
        ("local host", False),
    ],
)
def test_trusted_host_gate(host: str, trusted: bool) -> None:
    debugged, client = make()
    frame = frame_ids(client.get("/").get_data(as_text=True))[-1]
    cookie = f"{debugged.pin_cookie_name}={make_pin_cookie(PIN, debugged.pin_cookie_name)}"
    bare = Client(debugged, use_cookies=False)
    headers = {"Host": host, "Cookie": cookie}
    expected = 200 if trusted else 400
    resource = bare.get("/", query_string={"__debugger__": "yes", "cmd": "resource", "f": "style.css"}, headers=headers)
    assert resource.status_code == expected
    assert command(bare, debugged, "1+1", frame, headers=headers).status_code == expected
    assert pinauth_with_host(bare, debugged, host).status_code == expected
    assert bare.get("/console", headers=headers).status_code == expected


def pinauth_with_host(client: Client, debugged: DebuggedApplication, host: str) -> t.Any:
    return client.get(
        "/",
        query_string={"__debugger__": "yes", "cmd": "pinauth", "pin": PIN, "s": debugged.secret},
        headers={"Host": host},
    )


def test_bound_host_can_be_trusted() -> None:
    debugged, client = make()
    assert pinauth_with_host(client, debugged, "devbox.lan:5000").status_code == 400
    debugged.trusted_hosts.append("devbox.lan")
    assert pinauth_with_host(client, debugged, "devbox.lan:5000").status_code == 200


def test_untrusted_host_page_has_no_console() -> None:
    page = make()[1].get("/", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert 'data-evalex="false"' in page


# -- resources and the standalone console ---------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "mimetype"),
    [
        ("style.css", 200, "text/css"),
        ("debugger.js", 200, "text/javascript"),
        ("console.svg", 200, "image/svg+xml"),
        ("../application.py", 404, "text/plain"),
        ("/etc/passwd", 404, "text/plain"),
        ("", 404, "text/plain"),
        ("STYLE.CSS", 404, "text/plain"),
    ],
)
def test_resources(name: str, status: int, mimetype: str) -> None:
    response = make()[1].get("/", query_string={"__debugger__": "yes", "cmd": "resource", "f": name})
    assert response.status_code == status
    assert response.mimetype == mimetype
    if status == 200:
        assert len(response.data) > 100
        # Nothing that would make the browser leave this origin.
        data = response.data.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")
        assert b"http://" not in data and b"https://" not in data and b"//cdn" not in data


def test_standalone_console(monkeypatch: pytest.MonkeyPatch) -> None:
    debugged, client = make(ok_app, console_init_func=lambda: {"preset": "from init"})
    page = client.get("/console")
    assert page.status_code == 200
    assert page.headers["X-Wsgikit-Debugger"] == "console"
    assert 'data-console-mode="true"' in page.get_data(as_text=True)
    assert command(client, debugged, "preset", "0").status_code == 403
    pinauth(client, debugged, PIN)
    assert command(client, debugged, "preset", "0").data.endswith(b"&#39;from init&#39;</span>")
    assert command(client, debugged, "exit()", "0").status_code == 200  # SystemExit stays in the console


def test_console_path_none_leaves_path_to_app() -> None:
    _, client = make(ok_app, console_path=None)
    assert client.get("/console").data == b"fine"


def test_unknown_debugger_command() -> None:
    debugged, client = make()
    response = client.get("/", query_string={"__debugger__": "yes", "s": debugged.secret})
    assert response.status_code == 400


def test_frame_registry_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(debug_app, "MAX_TRACEBACKS", 3)
    debugged, client = make()
    first = frame_ids(client.get("/").get_data(as_text=True))
    per_traceback = len(debugged.frames)
    for _ in range(5):
        client.get("/")
    assert len(debugged.frames) == 3 * per_traceback
    assert not any(int(f) in debugged.frames for f in first)


def test_frame_registry_survives_traceback_id_reuse(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tracebacks are freed after each page; a registry keyed by id() could
    # see the same key again, overwrite a group and never release its frames.
    monkeypatch.setattr(debug_app, "MAX_TRACEBACKS", 2)
    debugged, client = make()
    client.get("/")
    per_traceback = len(debugged.frames)
    for _ in range(50):
        client.get("/")
    assert len(debugged.frames) == 2 * per_traceback


def test_pin_logged_under_reloader(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("WSGIKIT_RUN_MAIN", "true")
    with caplog.at_level("INFO", logger="wsgikit"):
        DebuggedApplication(ok_app, evalex=True)
        DebuggedApplication(ok_app, evalex=True, pin_logging=False)
    assert caplog.text.count(f"Debugger PIN: {PIN}") == 1


def test_pinauth_response_is_json() -> None:
    debugged, client = make()
    response = pinauth(client, debugged, "1")
    assert response.mimetype == "application/json"
    assert json.loads(response.data) == {"auth": False, "exhausted": False}


def test_app_iterable_closed_when_server_stops_early() -> None:
    closed = []

    class Body:
        def __iter__(self) -> t.Iterator[bytes]:
            yield b"one"
            yield b"two"

        def close(self) -> None:
            closed.append(True)

    def app(environ: t.Any, start_response: t.Any) -> t.Any:
        start_response("200 OK", [])
        return Body()

    debugged, _ = make(app)
    body = debugged({"QUERY_STRING": "", "PATH_INFO": "/"}, lambda status, headers, exc_info=None: None)
    assert next(iter(body)) == b"one"
    body.close()  # type: ignore[attr-defined]
    assert closed == [True]
    # A normal run closes exactly once.
    closed.clear()
    assert make(app)[1].get("/").data == b"onetwo"
    assert closed == [True]


def _raise_inner() -> None:
    raise KeyError("inner-marker")


def _cause_app(environ: t.Any, start_response: t.Any) -> t.Any:
    try:
        _raise_inner()
    except KeyError as e:
        raise ValueError("outer-marker") from e


def _context_app(environ: t.Any, start_response: t.Any) -> t.Any:
    try:
        try:
            _raise_inner()
        except KeyError as e:
            raise TypeError("middle-marker") from e
    except TypeError:
        raise ValueError("outer-marker")  # noqa: B904 - the implicit context is the point


@pytest.mark.parametrize(
    ("app", "notes"),
    [
        (_cause_app, ["The above exception was the direct cause"]),
        (_context_app, ["The above exception was the direct cause", "During handling of the above exception"]),
    ],
)
def test_every_traceback_of_a_chain_is_on_the_page(app: t.Any, notes: list[str]) -> None:
    page = Client(DebuggedApplication(app)).get("/").get_data(as_text=True)
    # Outside the copyable text: the frames themselves.
    frames = re.sub(r"<textarea.*?</textarea>", "", page, flags=re.S)
    assert "raise KeyError(&#34;inner-marker&#34;)" in frames
    assert 'in <code class="function">_raise_inner</code>' in frames
    assert "raise ValueError(&#34;outer-marker&#34;)" in frames
    for note in notes:
        assert note in frames
