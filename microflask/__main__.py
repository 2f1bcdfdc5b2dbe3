"""``python -m microflask``: the ``microflask`` command line."""

import sys

from .cli import main

sys.exit(main())
