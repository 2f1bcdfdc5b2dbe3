"""The interactive debugger: traceback pages and a PIN-guarded console."""

from __future__ import annotations

from .application import DebuggedApplication as DebuggedApplication
from .console import Console as Console
from .pin import PIN_TIME as PIN_TIME
from .pin import get_machine_id as get_machine_id
from .pin import get_pin_and_cookie_name as get_pin_and_cookie_name
from .pin import hash_pin as hash_pin
from .tbtools import DebugFrameSummary as DebugFrameSummary
from .tbtools import DebugTraceback as DebugTraceback
