"""Command line entry: ``python -m benchmarks [--quick] [--list] [NAME ...]``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as ``python benchmarks/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "benchmarks"

from benchmarks._harness import SCENARIOS, format_result, measure  # noqa: E402


def load_scenarios() -> None:
    """Import every ``benchmarks/bench_*.py`` module so its scenarios register."""
    import benchmarks

    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("bench_"):
            importlib.import_module(f"benchmarks.{info.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="scenario names or prefixes (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--list", action="store_true", help="list scenario names and exit")
    args = parser.parse_args(argv)
    load_scenarios()
    names = [n for n in SCENARIOS if not args.names or any(n.startswith(p) for p in args.names)]
    if args.list:
        print("\n".join(names))
        return 0
    if not names:
        print(f"no scenario matches {args.names}", file=sys.stderr)
        return 2
    rounds, batch = (3, 0.03) if args.quick else (7, 0.1)
    missed = 0
    for name in names:
        result = measure(name, SCENARIOS[name](), rounds=rounds, batch_seconds=batch)
        print(format_result(result), flush=True)
        missed += result.met is False
    print(f"{len(names)} scenarios, {missed} below target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
