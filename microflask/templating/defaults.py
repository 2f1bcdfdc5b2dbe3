"""Default globals and policies of a new :class:`~.environment.Environment`."""

from __future__ import annotations

import json
import random
import typing as t

from ..markup import Markup, escape
from .runtime import Cycler, Joiner, Namespace

_LOREM_WORDS = (
    "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor "
    "augue bibendum blandit class commodo condimentum congue consectetuer consequat "
    "conubia convallis cras cubilia cum curabitur curae cursus dapibus diam dictum "
    "dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat "
    "eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum "
    "feugiat fringilla fusce gravida habitant hendrerit hymenaeos iaculis id imperdiet "
    "in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero "
    "ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis "
    "mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque "
    "netus nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare "
    "parturient pede pellentesque penatibus per pharetra phasellus placerat porta "
    "porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis "
    "quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper "
    "senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti "
    "tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper "
    "ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae "
    "vivamus viverra volutpat vulputate"
).split()


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
