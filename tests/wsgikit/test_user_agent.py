"""wsgikit.user_agent: the UserAgent object and its small parser."""

from __future__ import annotations

import pytest

from wsgikit.user_agent import UserAgent
from wsgikit.user_agent import UserAgentParser


@pytest.mark.parametrize(
    ("string", "expected"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            ("windows", "chrome", "120.0.0.0", None),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            ("windows", "edge", "120.0.2210.91", None),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
            ("windows", "opera", "106.0.0.0", None),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Safari/605.1.15",
            ("macos", "safari", "17.1", None),
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
            ("iphone", "safari", "17.1", None),
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
            ("ipad", "chrome", "119.0.6045.169", None),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/121.0",
            ("linux", "firefox", "121.0", None),
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36",
            ("android", "chrome", "120.0.0.0", None),
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            ("chromeos", "chrome", "120.0.0.0", None),
        ),
        (
            "Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3",
            ("linux", "firefox", "3.6.3", "en-US"),
        ),
        ("Opera/9.80 (Windows NT 6.1; U; de) Presto/2.5.22 Version/10.51", ("windows", "opera", "10.51", "de")),
        (
            "Mozilla/5.0 (Macintosh; U; PPC Mac OS X; de-de) AppleWebKit/85.8.5 (KHTML, like Gecko) Safari/85.8.1",
            ("macos", "safari", "85.8.1", "de-de"),
        ),
        ("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)", ("windows", "msie", "8.0", None)),
        ("Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko", ("windows", "msie", "11.0", None)),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", (None, "google", "2.1", None)),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", (None, "bing", "2.0", None)),
        ("curl/8.4.0", (None, "curl", "8.4.0", None)),
        ("Wget/1.21.2", (None, "wget", "1.21.2", None)),
        ("Lynx/2.8.9rel.1 libwww-FM/2.14", (None, "lynx", "2.8.9rel.1", None)),
        ("python-requests/2.31.0", (None, None, None, None)),
        ("", (None, None, None, None)),
        # "win" inside "darwin" is not Windows.
        ("SomeTool/1.0 Darwin/22.1.0", ("macos", None, None, None)),
        # Garbage and unbalanced brackets never raise.
        ("((((;;;[[[", (None, None, None, None)),
        ("Firefox", (None, "firefox", None, None)),
        ("Firefox/", (None, "firefox", None, None)),
    ],
)
def test_parse(string: str, expected: tuple[str | None, ...]) -> None:
    agent = UserAgent(string)
    assert (agent.platform, agent.browser, agent.version, agent.language) == expected
    assert UserAgentParser()(string) == expected


def test_user_agent_object() -> None:
    agent = UserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/121.0")
    assert agent.string == str(agent) == agent.to_header()
    assert bool(agent)
    assert repr(agent) == "<UserAgent firefox/121.0>"
    empty = UserAgent("")
    assert not empty
    assert repr(empty) == "<UserAgent None/None>"


def test_parsing_is_lazy_and_cached() -> None:
    agent = UserAgent("curl/8.4.0")
    assert "browser" not in vars(agent)
    assert agent.platform is None
    assert vars(agent)["browser"] == "curl"
    agent.string = "Wget/1.0"  # already parsed: fields stay
    assert agent.browser == "curl"


def test_subclass_can_provide_fields() -> None:
    class Fixed(UserAgent):
        browser = "mine"

    agent = Fixed("curl/8.4.0")
    assert agent.browser == "mine"
    assert agent.version == "8.4.0"
    assert bool(Fixed(""))


def test_huge_user_agent_is_linear() -> None:
    string = "Mozilla/5.0 (" + "win" * 100_000 + "; " + "(" * 100_000 + ") " + "darwin" * 50_000 + " Darwin/1"
    agent = UserAgent(string)
    assert agent.platform == "macos"
    assert agent.browser is None
