"""Helpers shared by the engine and its extensions."""

from __future__ import annotations

import importlib
import typing as t


def import_string(import_name: str, silent: bool = False) -> t.Any:
    """Import an object from its dotted path (``"pkg.mod.name"`` or ``"pkg.mod:name"``).

    :param silent: return ``None`` instead of raising when the import fails.
    """
    try:
        if ":" in import_name:
            module, obj = import_name.split(":", 1)
        elif "." in import_name:
            module, _, obj = import_name.rpartition(".")
        else:
            return importlib.import_module(import_name)
        return getattr(importlib.import_module(module), obj)
    except (ImportError, AttributeError):
        if not silent:
            raise
    return None
