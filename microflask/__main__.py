"""``python -m microflask``: the ``microflask`` command line.

``MICROFLASK_AS_FLASK=1`` installs the ``flask``/``werkzeug`` aliases before
the application is imported (even where the ``.pth`` hook is not installed),
so an app written with ``from flask import Flask`` runs unmodified.
"""

import os
import sys

if os.environ.get("MICROFLASK_AS_FLASK"):
    # Only then: the compat layer imports importlib.metadata.
    from ._compat import install_from_environment

    install_from_environment()

from .cli import main  # noqa: E402  (after the aliases, which the app may need)

sys.exit(main())
