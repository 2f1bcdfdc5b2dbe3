"""``urlize``: turn URLs and e-mail addresses in plain text into links.

Theory of operation: the text is split on whitespace runs (kept as they are)
and every word is HTML-escaped. Leading ``(``/``<`` and trailing ``) > . ,``
(in escaped form too) are peeled off with plain string checks, putting back
closing brackets that balance an opening one inside the word. What remains is
classified by hand-written checks instead of one large regex (no
backtracking, linear time on hostile input): ``http(s)://`` or ``www.`` host
with a letter-only top-level domain (or an IP address), a bare domain under a
classic TLD, ``mailto:``/``x@y.z`` addresses, and configured extra schemes.
"""

from __future__ import annotations

import re
import typing as t

from ..markup import escape

_SPLIT_RE = re.compile(r"(\s+)")
_LEADING = ("(", "<", "&lt;")
_TRAILING = (")", ">", ".", ",", "\n", "&gt;")
_PAIRS = (("(", ")"), ("<", ">"), ("&lt;", "&gt;"))
_CLASSIC_TLDS = frozenset("com net int edu gov org info mil".split())
_PORT_PATH_START = ":/?#"


def _is_word_chars(text: str, extra: str) -> bool:
    return bool(text) and all(ch.isalnum() or ch == "_" or ch in extra for ch in text)


def _is_ascii_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()


def _split_host(rest: str) -> tuple[str, str] | None:
    """Split ``host[:port][/path...]``; return ``(host, remainder)`` or ``None``."""
    end = len(rest)
    for ch in _PORT_PATH_START:
        pos = rest.find(ch)
        if pos != -1 and pos < end:
            end = pos
    host, remainder = rest[:end], rest[end:]
    if remainder.startswith(":"):
        digits_end = 1
        while digits_end < len(remainder) and remainder[digits_end].isdigit() and remainder[digits_end].isascii():
            digits_end += 1
        if not 2 <= digits_end <= 6:
            return None
        remainder = remainder[digits_end:]
    if remainder and remainder[0] not in "/?#":
        return None
    return host, remainder


def _is_tld(label: str) -> bool:
    if label.lower().startswith("xn--"):
        return 2 <= len(label) - 4 <= 59 and _is_word_chars(label[4:], "%")
    return 2 <= len(label) <= 63 and _is_ascii_letters(label)


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(1 <= len(p) <= 3 and p.isascii() and p.isdigit() for p in parts)


def _is_ipv6(host: str) -> bool:
    if not (host.startswith("[") and host.endswith("]")):
        return False
    inner = host[1:-1]
    if inner.count(":") < 2:
        return False
    groups = inner.split(":")
    return all(len(g) <= 4 and all(c in "0123456789abcdefABCDEF" for c in g) for g in groups)


def is_http_url(middle: str) -> bool:
    """Whether ``middle`` looks like a web address (see the module docstring)."""
    lower = middle.lower()
    if lower.startswith(("http://", "https://")):
        rest = middle[middle.index("//") + 2 :]
        with_scheme = True
    elif lower.startswith("www."):
        rest = middle[4:]
        with_scheme = False
    else:
        split = _split_host(middle)
        if split is None:
            return False
        labels = split[0].split(".")
        if len(labels) < 2 or labels[-1].lower() not in _CLASSIC_TLDS:
            return False
        return all(2 <= len(lb) <= 63 and _is_word_chars(lb, "%-") for lb in labels[:-1])
    split = _split_host(rest)
    if split is None:
        return False
    host = split[0]
    if with_scheme and (_is_ipv4(host) or _is_ipv6(host)):
        return True
    labels = host.split(".")
    if not _is_tld(labels[-1]):
        return False
    return all(_is_word_chars(lb, "%-") for lb in labels[:-1])


def is_email(text: str) -> bool:
    """``local@domain.tld`` with no whitespace and a word-character domain."""
    local, at, domain = text.rpartition("@")
    if not at or not local or any(ch.isspace() for ch in local):
        return False
    head, dot, tld = domain.rpartition(".")
    if not dot or not head or not _is_word_chars(tld, ""):
        return False
    return (head[0].isalnum() or head[0] == "_") and _is_word_chars(head, ".-")


def _peel(middle: str) -> tuple[str, str, str]:
    head_end = 0
    progress = True
    while progress:
        progress = False
        for lead in _LEADING:
            if middle.startswith(lead, head_end):
                head_end += len(lead)
                progress = True
    head, middle = middle[:head_end], middle[head_end:]
    tail_start = len(middle)
    progress = True
    while progress and tail_start:
        progress = False
        for trail in _TRAILING:
            if middle.endswith(trail, 0, tail_start):
                tail_start -= len(trail)
                progress = True
                break
    middle, tail = middle[:tail_start], middle[tail_start:]
    for opener, closer in _PAIRS:
        opens = middle.count(opener)
        if opens <= middle.count(closer):
            continue
        end = 0
        for _ in range(min(opens - middle.count(closer), tail.count(closer))):
            end = tail.index(closer, end) + len(closer)
        middle += tail[:end]
        tail = tail[end:]
    return head, middle, tail


def urlize(
    text: str,
    trim_url_limit: int | None = None,
    rel: str | None = None,
    target: str | None = None,
    extra_schemes: t.Iterable[str] | None = None,
) -> str:
    """Return ``text`` escaped, with web and e-mail addresses wrapped in links."""

    def trim_url(url: str) -> str:
        if trim_url_limit is not None and len(url) > trim_url_limit:
            return url[:trim_url_limit] + "..."
        return url

    rel_attr = f' rel="{escape(rel)}"' if rel else ""
    target_attr = f' target="{escape(target)}"' if target else ""
    schemes = tuple(extra_schemes or ())
    words = _SPLIT_RE.split(str(text))
    for i, word in enumerate(words):
        if i % 2:
            continue  # a whitespace run
        if not word:
            continue
        head, middle, tail = _peel(str(escape(word)))
        if is_http_url(middle):
            if middle.lower().startswith(("https://", "http://")):
                href = middle
            else:
                href = "https://" + middle
            middle = f'<a href="{href}"{rel_attr}{target_attr}>{trim_url(middle)}</a>'
        elif middle.startswith("mailto:") and is_email(middle[7:]):
            middle = f'<a href="{middle}">{middle[7:]}</a>'
        # (a word starting with "@" is a handle, not an address, as in Jinja2)
        elif "@" in middle and not middle.startswith(("www.", "@")) and ":" not in middle and is_email(middle):
            middle = f'<a href="mailto:{middle}">{middle}</a>'
        else:
            for scheme in schemes:
                if middle != scheme and middle.startswith(scheme):
                    middle = f'<a href="{middle}"{rel_attr}{target_attr}>{middle}</a>'
                    break
        words[i] = head + middle + tail
    return "".join(words)
