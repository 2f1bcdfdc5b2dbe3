"""The ``User-Agent`` header as an object, with a small built-in parser.

Werkzeug 3.1's :class:`UserAgent` only keeps the string and leaves
``platform``/``browser``/``version``/``language`` as ``None`` for a
subclass to fill in. Here those attributes are filled by a deliberately
small heuristic parser in the spirit of Werkzeug 0.8 (a first-match table
of well-known tokens), computed on first access. It is good enough for
logging and coarse decisions ("is this a bot?"); use a dedicated library
when accuracy matters, by subclassing and setting
``Request.user_agent_class``.
"""

from __future__ import annotations

import re
import typing as t

__all__ = ["UserAgent", "UserAgentParser"]

# Theory of operation: the lowercased string is searched for tokens from
# two ordered tables; the first token found (at word boundaries, so "win"
# is not found inside "darwin") names the platform or browser. Order
# matters because user agents pile up names for compatibility: Edge and
# Opera also claim Chrome and Safari, Chrome claims Safari, an iPad claims
# Mac OS X, Android claims Linux. The version is the number that follows
# the browser's token (or Safari's "Version/"). The language is a
# "xx" / "xx-YY" item inside the comment parentheses or brackets, as older
# browsers sent it. Every step is a linear scan: no backtracking regexes.

#: (tokens, platform name), first match wins.
_PLATFORMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ipad",), "ipad"),
    (("iphone", "ipod", "ios"), "iphone"),
    (("android",), "android"),
    (("cros",), "chromeos"),
    (("windows", "win32", "win64", "win95", "win98", "wince"), "windows"),
    (("macintosh", "mac os x", "macos", "darwin", "mac_powerpc"), "macos"),
    (("blackberry", "playbook", "bb10"), "blackberry"),
    (("nintendo wii",), "wii"),
    (("freebsd", "openbsd", "netbsd", "dragonfly", "bsd"), "bsd"),
    (("sunos", "solaris", "i86os"), "solaris"),
    (("irix", "irix64"), "irix"),
    (("hp-ux", "hpux"), "hpux"),
    (("aix",), "aix"),
    (("sco", "unix_sv"), "sco"),
    (("amigaos", "amiga"), "amiga"),
    (("linux", "x11", "ubuntu", "fedora"), "linux"),
)

#: (tokens, browser name), first match wins.
_BROWSERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("googlebot",), "google"),
    (("bingbot",), "bing"),
    (("msnbot",), "msn"),
    (("yahoo", "slurp"), "yahoo"),
    (("duckduckbot",), "duckduckgo"),
    (("ask jeeves",), "ask"),
    (("aol", "america online browser"), "aol"),
    (("edg", "edge", "edga", "edgios"), "edge"),
    (("opr", "opera"), "opera"),
    (("yabrowser",), "yandex"),
    (("samsungbrowser",), "samsung"),
    (("chrome", "crios", "chromium"), "chrome"),
    (("firefox", "fxios", "iceweasel", "firebird", "phoenix"), "firefox"),
    (("galeon",), "galeon"),
    (("safari",), "safari"),
    (("camino",), "camino"),
    (("konqueror",), "konqueror"),
    (("k-meleon",), "kmeleon"),
    (("netscape",), "netscape"),
    (("msie", "microsoft internet explorer", "trident"), "msie"),
    (("lynx",), "lynx"),
    (("links",), "links"),
    (("seamonkey",), "seamonkey"),
    (("webkit", "applewebkit"), "webkit"),
    (("curl",), "curl"),
    (("wget",), "wget"),
)

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_VERSION_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz.")
# What may sit between a browser token and its version ("Firefox/3.6",
# "MSIE 8.0", "Version (12)").
_VERSION_GAP = _LETTERS | frozenset("/ (")
_language_re = re.compile(r"[a-zA-Z]{2}(?:[-_][a-zA-Z]{2})?")


def _find_word(haystack: str, token: str) -> int:
    """Index just past ``token`` where it is not glued to other letters,
    or -1.
    """
    start = haystack.find(token)
    while start != -1:
        end = start + len(token)
        if (start == 0 or haystack[start - 1] not in _LETTERS) and (
            end == len(haystack) or haystack[end] not in _LETTERS
        ):
            return end
        start = haystack.find(token, start + 1)
    return -1


def _version_at(haystack: str, pos: int) -> str | None:
    """The version number starting after ``pos`` (past a short gap)."""
    end = len(haystack)
    gap_end = min(end, pos + 16)
    while pos < gap_end and haystack[pos] in _VERSION_GAP:
        pos += 1
    if pos >= end or not haystack[pos].isdigit() or not haystack[pos].isascii():
        return None
    stop = pos
    while stop < end and haystack[stop] in _VERSION_CHARS:
        stop += 1
    return haystack[pos:stop].rstrip(".")


def _match(haystack: str, table: tuple[tuple[tuple[str, ...], str], ...]) -> tuple[str, int] | None:
    for tokens, name in table:
        for token in tokens:
            end = _find_word(haystack, token)
            if end != -1:
                return name, end
    return None


def _language(string: str) -> str | None:
    """A language tag listed in the ``(...)`` or ``[...]`` comments."""
    for opener, closer in (("(", ")"), ("[", "]")):
        start = string.find(opener)
        while start != -1:
            stop = string.find(closer, start + 1)
            if stop == -1:
                break
            for item in string[start + 1 : stop].split(";"):
                item = item.strip()
                if len(item) <= 5 and _language_re.fullmatch(item):
                    return item
            start = string.find(opener, stop + 1)
    return None


class UserAgentParser:
    """Turn a user agent string into ``(platform, browser, version,
    language)``, each ``None`` when not recognised.
    """

    def __call__(self, user_agent: str) -> tuple[str | None, str | None, str | None, str | None]:
        lowered = user_agent.lower()
        platform = _match(lowered, _PLATFORMS)
        browser = _match(lowered, _BROWSERS)
        version = None
        if browser is not None:
            name, end = browser
            if name in ("safari", "opera"):
                # Safari's own token carries the WebKit build and Opera's
                # is frozen at 9.80; the product version follows "Version/".
                version_end = _find_word(lowered, "version")
                version = _version_at(lowered, version_end) if version_end != -1 else None
            elif name == "msie" and "trident" in lowered and "rv:" in lowered:
                version = _version_at(lowered, lowered.find("rv:") + 3)
            if version is None:
                version = _version_at(lowered, end)
        return (
            platform[0] if platform else None,
            browser[0] if browser else None,
            version,
            _language(user_agent),
        )


_parse = UserAgentParser()


class _Parsed:
    """A lazily computed field of :class:`UserAgent`: the first access
    parses the string once and stores all four fields on the instance.
    """

    def __init__(self, index: int) -> None:
        self.index = index

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: UserAgent | None, owner: type) -> t.Any:
        if instance is None:
            return self
        values = _parse(instance.string)
        for key, value in zip(("platform", "browser", "version", "language"), values):
            # A subclass may define a field itself; leave that one alone.
            if isinstance(getattr(type(instance), key, None), _Parsed):
                setattr(instance, key, value)
        return values[self.index]


class UserAgent:
    """A parsed ``User-Agent`` header value.

    :param string: the header value.
    """

    #: The operating system, such as ``"windows"``, ``"macos"``, ``"iphone"``.
    platform: str | None = _Parsed(0)  # type: ignore[assignment]  # a lazy descriptor; instances see str | None
    #: The browser or bot, such as ``"chrome"``, ``"firefox"``, ``"google"``.
    browser: str | None = _Parsed(1)  # type: ignore[assignment]  # a lazy descriptor; instances see str | None
    #: The browser's version, such as ``"120.0.0.0"``.
    version: str | None = _Parsed(2)  # type: ignore[assignment]  # a lazy descriptor; instances see str | None
    #: A language tag the browser included, such as ``"en-US"``.
    language: str | None = _Parsed(3)  # type: ignore[assignment]  # a lazy descriptor; instances see str | None

    def __init__(self, string: str) -> None:
        #: The original header value.
        self.string: str = string

    def to_header(self) -> str:
        """The value to send as a ``User-Agent`` header."""
        return self.string

    def __str__(self) -> str:
        return self.string

    def __bool__(self) -> bool:
        return bool(self.browser)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.browser}/{self.version}>"
