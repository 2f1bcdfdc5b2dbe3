"""A small W3C WebDriver client for browser tests (stdlib only).

Theory of operation: :class:`WebDriver` starts ``chromedriver`` on a free
loopback port, opens one session with headless Chromium (a fresh profile
in a temporary directory, networking extras off, so the browser only
talks to the servers a test points it at) and speaks the W3C WebDriver
protocol to it over :mod:`http.client`: every command is one JSON request
to ``/session/<id>/...``; a ``value`` with an ``error`` member is raised
as :class:`WebDriverError`. Elements are the protocol's opaque references
wrapped in :class:`Element`. :meth:`WebDriver.wait_for` polls, since pages
update asynchronously. Use it as a context manager so the browser and the
driver always stop.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import typing as t

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: The key the W3C protocol uses for element references.
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
#: Special keys (WebDriver code points).
ENTER = "\ue007"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def missing_browser() -> str | None:
    """Why browser tests cannot run here, or ``None`` when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WebDriverError(RuntimeError):
    """The driver answered a command with an error."""


class Element:
    """A reference to an element on the current page."""

    __slots__ = ("driver", "id")

    def __init__(self, driver: WebDriver, element_id: str) -> None:
        self.driver = driver
        self.id = element_id

    def _cmd(self, method: str, path: str, body: dict[str, t.Any] | None = None) -> t.Any:
        return self.driver.command(method, f"/element/{self.id}{path}", body)

    def as_arg(self) -> dict[str, str]:
        """The element as an argument to :meth:`WebDriver.execute`."""
        return {ELEMENT_KEY: self.id}

    def click(self) -> None:
        self._cmd("POST", "/click", {})

    def send_keys(self, text: str) -> None:
        self._cmd("POST", "/value", {"text": text})

    @property
    def text(self) -> str:
        return str(self._cmd("GET", "/text"))

    @property
    def displayed(self) -> bool:
        return bool(self._cmd("GET", "/displayed"))

    def attribute(self, name: str) -> str | None:
        return self._cmd("GET", f"/attribute/{name}")  # type: ignore[no-any-return]

    def find(self, css: str) -> Element:
        value = self._cmd("POST", "/element", {"using": "css selector", "value": css})
        return Element(self.driver, value[ELEMENT_KEY])


class WebDriver:
    """Headless Chromium driven through chromedriver.

    :param timeout: default seconds :meth:`wait_for` waits.
    """

    def __init__(self, timeout: float = 15.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="wsgikit-chromium-")
        self._port = free_port()
        self._log = os.path.join(self._profile, "chromedriver.log")
        self._driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self._port}", f"--log-path={self._log}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.session_id: str | None = None
        try:
            self._wait_ready()
            self._start_session()
        except BaseException:
            self.quit()
            raise

    # -- plumbing ----------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, t.Any] | None = None) -> t.Any:
        conn = http.client.HTTPConnection("127.0.0.1", self._port, timeout=60)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            conn.request(method, path, body=payload, headers=headers)
            data = json.loads(conn.getresponse().read() or b"{}")
        finally:
            conn.close()
        value = data.get("value")
        if isinstance(value, dict) and value.get("error"):
            raise WebDriverError(f"{value['error']}: {value.get('message', '')}")
        return value

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                if (self._request("GET", "/status") or {}).get("ready"):
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self._driver.poll() is not None:
                raise WebDriverError("chromedriver did not start")
            time.sleep(0.1)

    def _start_session(self) -> None:
        options = {"binary": CHROMIUM, "args": [*CHROMIUM_FLAGS, f"--user-data-dir={self._profile}/profile"]}
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}
        value = self._request("POST", "/session", caps)
        self.session_id = value["sessionId"]

    def command(self, method: str, path: str, body: dict[str, t.Any] | None = None) -> t.Any:
        """Send one session command (``path`` is relative to the session)."""
        return self._request(method, f"/session/{self.session_id}{path}", body)

    # -- the API tests use ---------------------------------------------------

    def get(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})

    @property
    def title(self) -> str:
        return str(self.command("GET", "/title"))

    def find(self, css: str) -> Element:
        value = self.command("POST", "/element", {"using": "css selector", "value": css})
        return Element(self, value[ELEMENT_KEY])

    def find_all(self, css: str) -> list[Element]:
        values = self.command("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, v[ELEMENT_KEY]) for v in values]

    def execute(self, script: str, *args: t.Any) -> t.Any:
        """Run ``script`` (a function body; ``arguments`` holds ``args``)."""
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, predicate: t.Callable[[], t.Any], timeout: float | None = None, what: str = "condition") -> t.Any:
        """Poll ``predicate`` until it returns something truthy."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                result = predicate()
                if result:
                    return result
            except WebDriverError as e:
                last_error = e
            time.sleep(0.1)
        raise TimeoutError(f"timed out waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))

    def quit(self) -> None:
        """End the session, stop chromedriver, remove the profile."""
        try:
            if self.session_id is not None:
                self._request("DELETE", f"/session/{self.session_id}")
        except (OSError, WebDriverError):
            pass
        finally:
            self.session_id = None
            if self._driver.poll() is None:
                self._driver.terminate()
                try:
                    self._driver.wait(10)
                except subprocess.TimeoutExpired:
                    self._driver.kill()
                    self._driver.wait()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> WebDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()
