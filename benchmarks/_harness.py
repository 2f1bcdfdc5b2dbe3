"""The benchmark harness: named scenarios, interleaved timing, ratios.

Theory of operation: a scenario is a function registered with
:func:`scenario` that returns a :class:`Comparison` -- one zero-argument
callable for our package and, when the peer is importable, one for the peer,
each doing the same unit of work. The runner calibrates a loop count so one
batch of ours takes about ``batch_seconds``, then alternates batches of ours
and the peer's (interleaving spreads machine noise over both sides) and keeps
the fastest batch of each. The ratio printed is peer time / our time, so it
reads as "ours per second / peer per second": higher is better, 1.0 is parity.
A scenario may carry a ``target`` ratio; the report marks it met or missed.
"""

from __future__ import annotations

import dataclasses
import gc
import time
import typing as t

#: Registered scenarios in registration order, by name.
SCENARIOS: dict[str, t.Callable[[], Comparison]] = {}


@dataclasses.dataclass
class Comparison:
    """What a scenario hands the runner."""

    #: Does one unit of work with our package.
    ours: t.Callable[[], object]
    #: Does the same unit with the peer, or ``None`` when it is not installed.
    peer: t.Callable[[], object] | None = None
    #: The ratio (ours/peer throughput) the scenario is meant to reach.
    target: float | None = None
    #: Free text printed with the result (what a unit of work is).
    unit: str = "op"
    #: Name of the peer, for the report.
    peer_name: str = "peer"


@dataclasses.dataclass
class Result:
    name: str
    ours_seconds: float
    peer_seconds: float | None
    target: float | None
    unit: str
    peer_name: str

    @property
    def ratio(self) -> float | None:
        if self.peer_seconds is None:
            return None
        return self.peer_seconds / self.ours_seconds

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio >= self.target


def scenario(name: str) -> t.Callable[[t.Callable[[], Comparison]], t.Callable[[], Comparison]]:
    """Register a scenario factory under ``name``."""

    def decorator(func: t.Callable[[], Comparison]) -> t.Callable[[], Comparison]:
        if name in SCENARIOS:
            raise ValueError(f"benchmark scenario {name!r} is registered twice")
        SCENARIOS[name] = func
        return func

    return decorator


def try_import(name: str) -> t.Any:
    """Import a peer module, or return ``None`` when it is not installed."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _time_batch(func: t.Callable[[], object], loops: int) -> float:
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            func()
        return (time.perf_counter() - start) / loops
    finally:
        if gc_was_enabled:
            gc.enable()


def _calibrate(func: t.Callable[[], object], batch_seconds: float) -> int:
    loops = 1
    while True:
        elapsed = _time_batch(func, loops) * loops
        if elapsed >= batch_seconds / 4 or loops >= 1 << 24:
            return max(1, int(loops * batch_seconds / max(elapsed, 1e-9)))
        loops *= 4


def measure(name: str, comparison: Comparison, rounds: int = 7, batch_seconds: float = 0.1) -> Result:
    """Time ``comparison`` with interleaved batches; keep each side's best."""
    # A first call may import modules lazily or fill caches; calibrating on
    # it would pick a loop count far too small for the steady state.
    comparison.ours()
    if comparison.peer is not None:
        comparison.peer()
    ours_loops = _calibrate(comparison.ours, batch_seconds)
    peer_loops = _calibrate(comparison.peer, batch_seconds) if comparison.peer else 0
    best_ours = best_peer = float("inf")
    for _ in range(rounds):
        best_ours = min(best_ours, _time_batch(comparison.ours, ours_loops))
        if comparison.peer is not None:
            best_peer = min(best_peer, _time_batch(comparison.peer, peer_loops))
    return Result(
        name=name,
        ours_seconds=best_ours,
        peer_seconds=best_peer if comparison.peer is not None else None,
        target=comparison.target,
        unit=comparison.unit,
        peer_name=comparison.peer_name,
    )


def format_result(result: Result) -> str:
    ours = f"{1 / result.ours_seconds:>12,.0f} {result.unit}/s"
    if result.ratio is None:
        return f"{result.name:<40} ours {ours}   (peer not installed)"
    peer = f"{1 / result.peer_seconds:>12,.0f}"  # type: ignore[operator]
    line = f"{result.name:<40} ours {ours}  {result.peer_name} {peer}  ratio {result.ratio:6.2f}x"
    if result.target is not None:
        line += f"  target >= {result.target:.2f}x {'met' if result.met else 'MISSED'}"
    return line
