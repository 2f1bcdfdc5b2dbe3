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
    ``max - 1`` words (``max`` excluded and ``min == max`` a ``ValueError``, as in Jinja2)."""
    paragraphs = []
    for _ in range(n):
        words = [random.choice(_LOREM_WORDS) for _ in range(random.randrange(min, max))]
        text = []
        sentence_start = True
        since_comma = since_stop = 0
        for word in words:
            since_comma += 1
            since_stop += 1
            if sentence_start:
                word = word.capitalize()
                sentence_start = False
            if since_stop > 10 and random.random() < 0.2:
                word += "."
                since_stop = since_comma = 0
                sentence_start = True
            elif since_comma > 7 and random.random() < 0.3:
                word += ","
                since_comma = 0
            text.append(word)
        paragraph = " ".join(text).rstrip(",.") + "."
        paragraphs.append(paragraph)
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
