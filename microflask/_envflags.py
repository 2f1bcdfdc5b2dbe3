"""The environment switches Flask reads, answered in one place for the app
(``DEBUG``'s default, ``app.run()``) and the command line.

microflask reads its own name first (``MICROFLASK_DEBUG``), then Flask's
(``FLASK_DEBUG``). Kept apart from :mod:`microflask.helpers` (which
re-exports them, as Flask's ``flask.helpers`` has them) so the command line
starts without importing the request-time helpers.
"""

from __future__ import annotations

import os

__all__ = ["get_debug_flag", "get_load_dotenv"]


def _flask_env(name: str) -> str | None:
    """The environment variable ``MICROFLASK_<name>``, else Flask's
    ``FLASK_<name>``: the project's own name wins when it is set and not
    empty, so one setting can differ from a Flask app's in the same shell."""
    return os.environ.get(f"MICROFLASK_{name}") or os.environ.get(f"FLASK_{name}")


def get_debug_flag() -> bool:
    """Whether the environment asks for debug mode: ``MICROFLASK_DEBUG``,
    else ``FLASK_DEBUG``, set to anything but ``0``, ``false`` or ``no``.
    The app's ``DEBUG`` default and the command line both ask this."""
    value = _flask_env("DEBUG")
    return bool(value and value.lower() not in {"0", "false", "no"})


def get_load_dotenv(default: bool = True) -> bool:
    """Whether ``.env`` files should be loaded: not when
    ``MICROFLASK_SKIP_DOTENV`` (else ``FLASK_SKIP_DOTENV``) is set to
    anything but ``0``, ``false`` or ``no``; ``default`` when neither is set.

    :param default: the answer when the environment does not say.
    """
    value = _flask_env("SKIP_DOTENV")
    if not value:
        return default
    return value.lower() in {"0", "false", "no"}
