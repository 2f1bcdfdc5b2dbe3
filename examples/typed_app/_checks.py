"""``assert_type`` on every Python the project supports.

``typing.assert_type`` arrived in Python 3.11 and the project supports 3.10.
Type checkers always know ``typing_extensions``, a running program may not
have it: so the checkers see the real function, and the program one that,
like the real one, returns its argument unchanged.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from typing_extensions import assert_type as assert_type
else:

    def assert_type(value, expected_type):
        return value
