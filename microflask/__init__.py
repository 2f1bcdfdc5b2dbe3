"""microflask: a web framework with Flask's API, built on wsgikit."""

from __future__ import annotations

__version__ = "0.1.0"
