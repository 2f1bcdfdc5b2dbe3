"""``microflask.markup.escape`` against MarkupSafe's (C speedups when built).

Every ``{{ value }}`` of an autoescaped template goes through ``escape``, so
its cost per call is what matters. A unit of work escapes a batch of 100
values of one kind, fed by ``map`` so that the loop and call overhead of
the harness is spread thin and the ratio shows the escape itself:

- short plain text (about 10 characters, nothing to escape): the common
  case, e.g. names and numbers rendered as text;
- medium plain text (about 60 characters);
- text holding all of ``& < > " '`` (the worst case for us: five
  replacements where MarkupSafe's C code makes one pass);
- prose with one apostrophe, and a URL with ``&`` in its query (the usual
  ways a special character turns up);
- a ``Markup`` (already safe: returned as it is);
- ints;
- objects with ``__html__``.

Run alone (``python -m benchmarks.bench_escape``, add ``--cpu`` on a busy
machine) or with the other scenarios (``python -m benchmarks escape``). The
ratio is MarkupSafe's time / ours: 1.0 is parity, higher is better.
"""

from __future__ import annotations

import collections
import gc
import sys
import time
import typing as t

from benchmarks._harness import Comparison, format_result, measure, scenario, try_import

_BATCH = 100


class _Widget:
    """An object that renders itself (the ``__html__`` protocol)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __html__(self) -> str:
        return f"<b>{self.n}</b>"


def _inputs() -> dict[str, list[t.Any]]:
    """The batches, by kind; built once so the timings exclude building them."""
    from microflask.markup import Markup

    return {
        "short_plain": [f"user{i:05d}x" for i in range(_BATCH)],
        "medium_plain": [
            f"The quick brown fox {i:04d} jumps over the lazy dog, again." for i in range(_BATCH)
        ],
        "special": [f"Tom & Jerry's <b>{i}</b> \"show\"" for i in range(_BATCH)],
        "apostrophe": [f"Don't stop believing, part {i}" for i in range(_BATCH)],
        "url_query": [f"/search?q=item{i}&page=2&sort=asc" for i in range(_BATCH)],
        "markup": [Markup(f"<em>{i}</em>") for i in range(_BATCH)],
        "int": list(range(1000, 1000 + _BATCH)),
        "html_object": [_Widget(i) for i in range(_BATCH)],
    }


def _batch_runner(escape: t.Callable[[t.Any], object], values: list[t.Any]) -> t.Callable[[], object]:
    consume = collections.deque  # maxlen=0: runs the map, keeps nothing

    def run() -> object:
        return consume(map(escape, values), 0)

    return run


def _comparison(kind: str) -> Comparison:
    from microflask.markup import escape

    values = _inputs()[kind]
    markupsafe = try_import("markupsafe")
    peer = None
    if markupsafe is not None:
        peer_values = values
        if kind == "markup":
            # MarkupSafe's fast path is for its own Markup; give it the
            # same strings as its own type so both sides skip the work.
            peer_values = [markupsafe.Markup(str(v)) for v in values]
        peer = _batch_runner(markupsafe.escape, peer_values)
    return Comparison(
        ours=_batch_runner(escape, values),
        peer=peer,
        unit=f"batch of {_BATCH}",
        peer_name="markupsafe",
    )


_KINDS = (
    "short_plain",
    "medium_plain",
    "special",
    "apostrophe",
    "url_query",
    "markup",
    "int",
    "html_object",
)

for _kind in _KINDS:
    scenario(f"escape.{_kind}")(lambda kind=_kind: _comparison(kind))


def _cpu_best(run: t.Callable[[], object], loops: int) -> float:
    """Thread CPU seconds per call of ``run``, over ``loops`` calls."""
    start = time.thread_time()
    for _ in range(loops):
        run()
    return (time.thread_time() - start) / loops


def main(argv: list[str] | None = None) -> None:
    """Measure every escape scenario and print the ratios.

    ``--cpu`` times thread CPU instead of wall-clock batches (interleaved,
    best of 40 rounds): on a loaded shared machine, wall-clock batches are
    stretched by other processes and the ratios wander; CPU time is not.
    """
    args = sys.argv[1:] if argv is None else argv
    if "--cpu" not in args:
        for kind in _KINDS:
            print(format_result(measure(f"escape.{kind}", _comparison(kind))), flush=True)
        return
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for kind in _KINDS:
            comparison = _comparison(kind)
            ours = peer = float("inf")
            for _ in range(40):
                ours = min(ours, _cpu_best(comparison.ours, 50))
                if comparison.peer is not None:
                    peer = min(peer, _cpu_best(comparison.peer, 50))
            line = f"escape.{kind:<14} ours {ours / _BATCH * 1e9:6.0f} ns/escape"
            if comparison.peer is not None:
                line += f"  markupsafe {peer / _BATCH * 1e9:6.0f} ns/escape  ratio {peer / ours:5.2f}x"
            print(line, flush=True)
    finally:
        if gc_was_enabled:
            gc.enable()


if __name__ == "__main__":
    main()
