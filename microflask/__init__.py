"""microflask: a web framework with Flask's API, built on wsgikit."""

from __future__ import annotations

from .markup import Markup as Markup
from .markup import escape as escape

__version__ = "0.1.0"
