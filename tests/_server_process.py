"""Shared by the tests that drive a real server in a subprocess: start it,
wait for the "Running on http://127.0.0.1:PORT" line in its log, hand out
the base URL, and stop it afterwards (bounded waits throughout)."""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import subprocess
import time
import typing as t

_RUNNING_ON = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")


@contextlib.contextmanager
def running_server(
    command: t.Sequence[str],
    cwd: os.PathLike[str] | str,
    env: t.Mapping[str, str],
    log: pathlib.Path,
    timeout: float = 30,
    what: str = "server",
) -> t.Iterator[str]:
    """Run ``command`` with its output in ``log``; yield the base URL it prints.

    :raises AssertionError: with the log, when it exits or prints no URL
        within ``timeout`` seconds.
    """
    with open(log, "wb") as out:
        proc = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + timeout
        while not (match := _RUNNING_ON.search(log.read_text(errors="replace"))):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the {what} did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield match.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
