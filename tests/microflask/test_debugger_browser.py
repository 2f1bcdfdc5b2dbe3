"""The debugger page of a microflask app in headless Chromium at 1280x800:
the exception, the user's own frame and its console button are on screen
without scrolling, a template error shows the template, and the console of
the user's frame sees ``request``. Screenshots go to ``tmp_path``."""

from __future__ import annotations

import base64
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

PIN = "271-828-182"
ROOT = Path(__file__).resolve().parents[2]

APP = textwrap.dedent(
    """
    from microflask import Flask, render_template, request

    app = Flask(__name__)

    def load_user(user_id):
        users = {1: "ada"}
        return users[user_id]

    @app.route("/user/<int:user_id>")
    def user(user_id):
        name = load_user(user_id)
        return f"hello {name}"

    @app.route("/page")
    def page():
        return render_template("page.html", items=["a", "b"], zero=0)

    @app.route("/syntax")
    def syntax():
        return render_template("broken.html")

    @app.route("/huge")
    def huge():
        raise ValueError("a long message\\n" * 200)

    def deep(n):
        if n == 0:
            raise KeyError("deep")
        return deep(n - 1)

    @app.route("/chain")
    def chain():
        try:
            deep(12)
        except KeyError as e:
            raise RuntimeError("wrapped") from e

    if __name__ == "__main__":
        app.run(port=0, debug=True, use_reloader=False)
    """
)

PAGE = """<h1>Items</h1>
<ul>
{% for item in items %}
  <li>{{ item }}</li>
{% endfor %}
</ul>
<p>{{ 1 // zero }}</p>
<p>end</p>
"""
BROKEN = """<h1>Hi</h1>
{% for x in [1] %}
<p>{{ x }</p>
{% endfor %}
"""


@pytest.fixture
def server(tmp_path: Path) -> t.Iterator[str]:
    (tmp_path / "userapp.py").write_text(APP)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(PAGE)
    (tmp_path / "templates" / "broken.html").write_text(BROKEN)
    log = tmp_path / "server.log"
    env = {**os.environ, "WSGIKIT_DEBUG_PIN": PIN, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for name in ("WSGIKIT_RUN_MAIN", "WERKZEUG_RUN_MAIN", "WSGIKIT_SERVER_FD", "FLASK_DEBUG", "FLASK_RUN_FROM_CLI"):
        env.pop(name, None)
    with running_server([sys.executable, "userapp.py"], tmp_path, env, log) as url:
        yield url


@pytest.fixture
def browser() -> t.Iterator[WebDriver]:
    with WebDriver() as driver:
        driver.command("POST", "/window/rect", {"width": 1280, "height": 800})
        yield driver


def screenshot(browser: WebDriver, path: Path) -> None:
    path.write_bytes(base64.b64decode(browser.command("GET", "/screenshot")))


#: Where an element is, relative to the viewport, and the viewport's height.
RECT = """
const r = arguments[0].getBoundingClientRect();
return {top: r.top, bottom: r.bottom, height: r.height, viewport: window.innerHeight};
"""


def in_view(browser: WebDriver, css: str) -> dict[str, float]:
    element = browser.find(css)
    rect = browser.execute(RECT, element.as_arg())
    assert rect["height"] > 0, f"{css} is not displayed"
    assert 0 <= rect["top"] and rect["bottom"] <= rect["viewport"], f"{css} is not in view: {rect}"
    return t.cast(dict[str, float], rect)


def user_frame_css(browser: WebDriver, filename: str) -> str:
    """A selector for the innermost frame whose file name ends with ``filename``."""
    frame_id = browser.execute(
        "const fs = [...document.querySelectorAll('.frame')].filter("
        "f => f.querySelector('.filename').textContent.endsWith(arguments[0] + String.fromCharCode(34)));"
        "return fs[fs.length - 1].dataset.frame;",
        filename,
    )
    return f'.frame[data-frame="{frame_id}"]'


def test_user_frame_and_exception_in_view(server: str, browser: WebDriver, tmp_path: Path) -> None:
    browser.get(server + "/user/2")
    assert browser.title == "KeyError: 2 // wsgikit Debugger"
    browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
    screenshot(browser, tmp_path / "keyerror.png")
    assert (tmp_path / "keyerror.png").stat().st_size > 1000

    in_view(browser, "h1")
    in_view(browser, ".errormsg")
    assert browser.find("h1").text == "KeyError"
    frame = user_frame_css(browser, "userapp.py")
    in_view(browser, frame)
    in_view(browser, frame + " .console-button")
    in_view(browser, frame + " .line.current")
    assert "return users[user_id]" in browser.find(frame + " .line.current").text

    # Single-spaced source: each shown line is one line box tall.
    heights = browser.execute(
        "return [...document.querySelectorAll(arguments[0] + ' .source .line')]"
        ".filter(l => l.offsetHeight).map(l => [l.offsetHeight, l.getBoundingClientRect().top]);",
        frame,
    )
    assert len(heights) == 3  # the failing line and one line each side
    line_height = heights[0][0]
    assert all(h == line_height for h, _ in heights)
    # Each line starts right below the previous one (no blank line between).
    assert all(abs(b - a - line_height) < 1.5 for (_, a), (_, b) in zip(heights, heights[1:])), heights

    # Library frames are folded; a button unfolds all of them.
    folded = browser.execute("return [...document.querySelectorAll('.library-run details')].map(d => d.open);")
    assert folded and not any(folded)
    browser.find(".library-toggle").click()
    assert all(browser.execute("return [...document.querySelectorAll('.library-run details')].map(d => d.open);"))

    # A click on the heading shows more source around the line.
    browser.find(frame + " h4").click()
    shown = browser.execute(
        "return [...document.querySelectorAll(arguments[0] + ' .source .line')].filter(l => l.offsetHeight).length;", frame
    )
    assert shown > 3


def test_console_in_user_frame_sees_request(server: str, browser: WebDriver) -> None:
    browser.get(server + "/user/2?tab=profile")
    browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
    frame = user_frame_css(browser, "userapp.py")
    browser.find(frame + " .console-button").click()
    browser.wait_for(lambda: browser.find(".pin-prompt").displayed, what="the PIN prompt")
    browser.find(".pin-input").send_keys(PIN + ENTER)
    console = browser.wait_for(lambda: browser.find_all(frame + " .console-input"), what="the console")[0]
    console.send_keys("request.args['tab'], user_id" + ENTER)
    output = browser.find(frame + " .console-output")
    browser.wait_for(lambda: "'profile'" in output.text, what="the request's args")
    assert "2" in output.text and "Working outside" not in output.text


@pytest.mark.parametrize(
    ("path", "title", "line", "source"),
    [
        ("/page", "ZeroDivisionError: integer division or modulo by zero", 7, "<p>{{ 1 // zero }}</p>"),
        ("/syntax", "TemplateSyntaxError: unexpected '}'", 3, "<p>{{ x }</p>"),
    ],
)
def test_template_error_shows_the_template(
    server: str, browser: WebDriver, tmp_path: Path, path: str, title: str, line: int, source: str
) -> None:
    browser.get(server + path)
    assert browser.title == f"{title} // wsgikit Debugger"
    browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
    screenshot(browser, tmp_path / f"template{path.replace('/', '-')}.png")
    frames = browser.find_all(".traceback .frame")
    innermost = frames[-1]
    assert innermost.find(".filename").text.endswith('templates/' + ('page.html"' if path == "/page" else 'broken.html"'))
    assert innermost.find("h4 .line").text == str(line)
    assert source in innermost.find(".line.current").text
    css = f'.frame[data-frame="{innermost.attribute("data-frame")}"]'
    in_view(browser, css + " .line.current")
    in_view(browser, "h1")


def test_long_chain_opens_on_the_last_user_frame(server: str, browser: WebDriver, tmp_path: Path) -> None:
    browser.get(server + "/chain")
    assert browser.title == "RuntimeError: wrapped // wsgikit Debugger"
    browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
    screenshot(browser, tmp_path / "chain.png")
    notes = browser.find_all(".chain-note")
    assert [n.text for n in notes] == ["The above exception was the direct cause of the following exception:"]
    # Every level is on the page, the inner raise line too.
    assert "raise KeyError" in browser.execute("return document.querySelector('.traceback').textContent;")
    frame_id = browser.execute(
        "const fs = document.querySelectorAll('.traceback > ul.frames');"
        "const own = fs[fs.length - 1].querySelectorAll(':scope > li > .frame:not(.library)');"
        "return own[own.length - 1].dataset.frame;"
    )
    css = f'.frame[data-frame="{frame_id}"]'
    assert "raise RuntimeError" in browser.find(css + " .line.current").text
    in_view(browser, css + " .line.current")
    in_view(browser, css + " .console-button")


def test_a_huge_message_does_not_push_the_frame_away(server: str, browser: WebDriver) -> None:
    browser.get(server + "/huge")
    browser.wait_for(lambda: browser.find_all(".frame .console-button"), what="console buttons")
    frame = user_frame_css(browser, "userapp.py")
    in_view(browser, "h1")
    in_view(browser, frame + " .line.current")
    in_view(browser, frame + " .console-button")
