"""The ``microflask`` command line.

The full command set (``run``, ``routes``, ``shell``, app discovery and
``@app.cli.command()``) arrives with the CLI issue; until then the command
reports its version and how it will be used.
"""

from __future__ import annotations

import sys

from . import __version__

USAGE = """\
Usage: microflask [OPTIONS] COMMAND [ARGS]...

  A general utility script for microflask applications.

Options:
  --version  Show the microflask version.
  --help     Show this message and exit.

The application commands (run, routes, shell) are not part of this build yet.
"""


def version_text() -> str:
    """The text ``microflask --version`` prints, shaped like Flask's."""
    import wsgikit

    return f"Python {sys.version.split()[0]}\nmicroflask {__version__}\nwsgikit {wsgikit.__version__}"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``microflask`` console script; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if args[0] == "--version":
        print(version_text())
        return 0
    print(USAGE, end="", file=sys.stderr)
    print(f"\nError: No such command {args[0]!r}.", file=sys.stderr)
    return 2
