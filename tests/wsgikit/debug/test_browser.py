"""The debugger page in a real browser: headless Chromium opens the page of
a failing view served by ``run_simple(use_debugger=True)``, enters the PIN
and evaluates an expression in the failing frame."""

from __future__ import annotations

import os
import sys
import textwrap
import typing as t
from pathlib import Path

import pytest

from tests._webdriver import ENTER
from tests._webdriver import WebDriver
from tests._server_process import running_server
from tests._webdriver import missing_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser())),
]

PIN = "314-159-265"
ROOT = Path(__file__).resolve().parents[3]

SERVER = textwrap.dedent(
    """
    from wsgikit.serving import run_simple

    def app(environ, start_response):
        answer = 6 * 7
        raise RuntimeError("browser <test> failure")

    run_simple("127.0.0.1", 0, app, use_debugger=True, use_evalex=True)
    """
)


@pytest.fixture
def server(tmp_path: Path) -> t.Iterator[str]:
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    log = tmp_path / "server.log"
    env = {**os.environ, "WSGIKIT_DEBUG_PIN": PIN, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("WSGIKIT_RUN_MAIN", None)
    with running_server([sys.executable, str(script)], tmp_path, env, log, timeout=20) as url:
        yield url


def test_pin_then_evaluate_in_frame(server: str) -> None:
    with WebDriver() as browser:
        browser.get(server + "/")
        assert browser.title == "RuntimeError: browser <test> failure // wsgikit Debugger"
        buttons = browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
        # The stylesheet loaded (under the page's CSP) and applied.
        assert browser.execute("return getComputedStyle(document.querySelector('main')).maxWidth;") == "1100px"

        buttons[-1].click()
        prompt = browser.find(".pin-prompt")
        browser.wait_for(lambda: prompt.displayed, what="the PIN prompt")
        browser.find(".pin-input").send_keys("000-000-000" + ENTER)
        message = browser.find(".pin-message")
        browser.wait_for(lambda: message.text == "Wrong PIN.", what="the wrong-PIN message")

        pin_input = browser.find(".pin-input")
        browser.execute("arguments[0].value = '';", pin_input.as_arg())
        pin_input.send_keys(PIN + ENTER)
        console_input = browser.wait_for(lambda: browser.find_all(".console-input"), what="the console")[0]
        assert not prompt.displayed

        console_input.send_keys("answer + 1" + ENTER)
        output = browser.find(".console-output")
        browser.wait_for(lambda: "43" in output.text, what="the evaluation result")
        assert output.text.startswith(">>> answer + 1")

        console_input.send_keys("'<b>' * 2" + ENTER)
        browser.wait_for(lambda: "'<b><b>'" in output.text, what="escaped string output")
        assert browser.execute("return document.querySelectorAll('.console-output b').length;") == 0

        # Nothing was fetched from anywhere but the debugged server.
        urls = browser.execute("return performance.getEntriesByType('resource').map(e => e.name);")
        assert urls
        assert all(url.startswith(server + "/") for url in urls), urls
