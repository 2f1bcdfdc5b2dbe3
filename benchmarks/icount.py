"""Machine instructions per request of a traffic scenario, by cachegrind.

    python3 -m benchmarks.icount SCENARIO [FRAMEWORK ...] [--n1 200] [--n2 2200]

Runs the scenario's application (see :mod:`benchmarks.traffic`) in a new
interpreter under ``valgrind --tool=cachegrind --cache-sim=no`` twice, once
for ``n1`` and once for ``n2`` requests, and prints
``(I(n2) - I(n1)) / (n2 - n1)``: the instructions one request costs, with
start-up and the app's creation cancelled out. Unlike a timing it is the
same on a busy machine and a quiet one (``PYTHONHASHSEED=0``), so it shows
changes far smaller than a shared machine's timing noise. Every request
also pays the harness's own work (making the environ and joining the
body, about 7,000 instructions), the same for every framework.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import typing as t

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _child(scenario: str, framework: str, count: int) -> None:
    sys.path.insert(0, _ROOT)
    from benchmarks.traffic import SCENARIOS
    from benchmarks.traffic import call

    traffic = SCENARIOS[scenario]()
    app = traffic.apps[framework]()
    # Warm up on paths the measured requests never use.
    for i in range(10_000_000, 10_000_050):
        call(app, traffic.environ(i), traffic.stream)
    for i in range(count):
        call(app, traffic.environ(i), traffic.stream)


def _instructions(scenario: str, framework: str, count: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        [
            "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
            sys.executable, "-m", "benchmarks.icount", "--child", scenario, framework, str(count),
        ],
        cwd=_ROOT, env=env, capture_output=True, text=True, check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"{framework}: valgrind failed:\n{proc.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: t.Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("scenario")
    parser.add_argument("frameworks", nargs="*", default=["microflask"])
    parser.add_argument("--n1", type=int, default=200)
    parser.add_argument("--n2", type=int, default=2200)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.scenario, args.frameworks[0], int(args.frameworks[1]))
        return
    for framework in args.frameworks:
        low = _instructions(args.scenario, framework, args.n1)
        high = _instructions(args.scenario, framework, args.n2)
        per = (high - low) / (args.n2 - args.n1)
        print(f"{args.scenario:14} {framework:12} {per:12,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
