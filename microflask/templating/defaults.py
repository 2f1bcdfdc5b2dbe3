"""Default globals and policies of a new :class:`~.environment.Environment`."""

from __future__ import annotations

import json
import random
import typing as t

from ..markup import Markup, escape
from .constants import LOREM_IPSUM_WORDS
from .runtime import Cycler, Joiner, Namespace

#: Jinja2's full word list (``constants.LOREM_IPSUM_WORDS``).
_LOREM_WORDS = LOREM_IPSUM_WORDS.split()

# The delimiters and options of a new environment (``jinja2.defaults``'s names).
BLOCK_START_STRING = "{%"
BLOCK_END_STRING = "%}"
VARIABLE_START_STRING = "{{"
VARIABLE_END_STRING = "}}"
COMMENT_START_STRING = "{#"
COMMENT_END_STRING = "#}"
LINE_STATEMENT_PREFIX: str | None = None
LINE_COMMENT_PREFIX: str | None = None
TRIM_BLOCKS = False
LSTRIP_BLOCKS = False
NEWLINE_SEQUENCE: t.Literal["\n", "\r\n", "\r"] = "\n"
KEEP_TRAILING_NEWLINE = False


def generate_lorem_ipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """``lipsum()``: ``n`` paragraphs of placeholder Latin of ``min`` to
    ``max - 1`` words (``max`` excluded and ``min == max`` a ``ValueError``, as
    in Jinja2). It draws from :mod:`random` exactly as Jinja2 does, so a
    seeded generator gives Jinja2's text."""
    paragraphs = []
    for _ in range(n):
        capitalize = True
        last_comma = last_stop = 0
        previous = None
        words = []
        for index in range(random.randrange(min, max)):
            word = random.choice(_LOREM_WORDS)
            while word == previous:  # never the same word twice in a row
                word = random.choice(_LOREM_WORDS)
            previous = word
            if capitalize:
                word = word.capitalize()
                capitalize = False
            # a comma every 3-7 words, a full stop every 10-19
            if index - random.randrange(3, 8) > last_comma:
                last_comma = index
                last_stop += 2
                word += ","
            if index - random.randrange(10, 20) > last_stop:
                last_comma = last_stop = index
                word += "."
                capitalize = True
            words.append(word)
        text = " ".join(words)
        if text.endswith(","):
            text = text[:-1] + "."
        elif not text.endswith("."):
            text += "."
        paragraphs.append(text)
    if not html:
        return "\n\n".join(paragraphs)
    return Markup("\n".join(f"<p>{escape(p)}</p>" for p in paragraphs))


DEFAULT_NAMESPACE: dict[str, t.Any] = {
    "range": range,
    "dict": dict,
    "lipsum": generate_lorem_ipsum,
    "cycler": Cycler,
    "joiner": Joiner,
    "namespace": Namespace,
}

DEFAULT_POLICIES: dict[str, t.Any] = {
    "compiler.ascii_str": True,
    "urlize.rel": "noopener",
    "urlize.target": None,
    "urlize.extra_schemes": None,
    "truncate.leeway": 5,
    "json.dumps_function": None,
    "json.dumps_kwargs": {"sort_keys": True},
    "ext.i18n.trimmed": False,
}

# The built-in filters and tests (imported last: ``filters`` needs this module's lipsum via ``utils``).
from .filters import FILTERS as DEFAULT_FILTERS  # noqa: E402
from .tests import TESTS as DEFAULT_TESTS  # noqa: E402
