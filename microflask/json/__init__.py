"""JSON helpers that follow the current application's JSON provider."""

from __future__ import annotations

from .provider import DefaultJSONProvider as DefaultJSONProvider
from .provider import JSONProvider as JSONProvider
from .provider import dump as dump
from .provider import dumps as dumps
from .provider import jsonify as jsonify
from .provider import load as load
from .provider import loads as loads
