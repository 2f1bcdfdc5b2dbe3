"""The help page's layout, as click lays it out."""

from __future__ import annotations

import textwrap

from .utils import _HELP_WIDTH


def _make_short_help(text: str, limit: int) -> str:
    """The first sentence of the first paragraph, cut at a word boundary
    with ``...`` when longer than ``limit``."""
    paragraph = text.split("\n\n", 1)[0]
    words = paragraph.split()
    out: list[str] = []
    length = 0
    for word in words:
        extra = len(word) + (1 if out else 0)
        if length + extra > limit:
            while out and length + 3 > limit:
                length -= len(out.pop()) + (1 if out else 0)
            return " ".join(out) + "..."
        out.append(word)
        length += extra
        if word.endswith("."):
            break
    return " ".join(out)


def _indent_paragraphs(text: str) -> str:
    """Help text wrapped to the page width, indented by two spaces, its
    paragraphs kept apart."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out = []
    for p in paragraphs:
        out.append(textwrap.fill(" ".join(p.split()), _HELP_WIDTH, initial_indent="  ", subsequent_indent="  "))
    return "\n\n".join(out)


def _format_table(rows: list[tuple[str, str]]) -> str:
    """Two columns: names, then help wrapped beside them (the help goes to
    the next line when a name is wider than 30 characters)."""
    first = min(max(len(name) for name, _ in rows), 30)
    text_width = max(_HELP_WIDTH - first - 4, 10)
    pad = " " * (first + 4)
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_width) if text else []
        if len(name) <= first:
            head = f"  {name.ljust(first)}  "
            lines.append((head + wrapped[0]) if wrapped else head.rstrip())
            wrapped = wrapped[1:]
        else:
            lines.append(f"  {name}")
        lines.extend(pad + line for line in wrapped)
    return "\n".join(lines)
