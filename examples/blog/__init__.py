"""A small multi-user blog built on microflask (see docs/tutorial.md).

Run it from the repository root::

    python -m microflask --app examples.blog run

The first start creates ``instance/blog.sqlite`` with its tables.

Configuration, later sources winning:

1. the defaults below (``SECRET_KEY = "dev"``: replace it for anything
   but local development);
2. ``instance/config.py``, when it exists;
3. the ``SECRET_KEY`` environment variable;
4. ``FLASK_*`` and then ``MICROFLASK_*`` environment variables, such as
   ``MICROFLASK_SECRET_KEY`` or ``MICROFLASK_DATABASE`` (the sqlite file).

A ``test_config`` mapping replaces steps 2 to 4, so tests never pick up a
developer's settings.
"""

from __future__ import annotations

import os
import typing as t

from microflask import Flask
from microflask import render_template

from . import auth
from . import blog
from . import csrf
from . import db

if t.TYPE_CHECKING:
    from wsgikit.exceptions import HTTPException

#: The error pages the blog draws itself, in its own layout.
ERROR_PAGES = (400, 403, 404)


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Build and configure the blog application.

    :param test_config: settings that replace the instance file and the
        environment (tests pass ``DATABASE`` and ``SECRET_KEY`` here).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # A development default only; deployments set their own (see above).
        SECRET_KEY="dev",
        DATABASE=os.path.join(app.instance_path, "blog.sqlite"),
        # Far above any valid form (a post is at most ~50,000 characters);
        # a bigger request body is refused with 413 before it is parsed.
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if test_config is None:
        load_deployment_config(app)
    else:
        app.config.from_mapping(test_config)

    db.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    # After the blueprints, so that auth's hook has set g.user before the
    # token check runs: the 400 page of a refused form still shows who is
    # logged in.
    csrf.init_app(app)
    for code in ERROR_PAGES:
        app.register_error_handler(code, render_error_page)

    db.ensure_db(app)
    return app


def load_deployment_config(app: Flask) -> None:
    """Read ``instance/config.py`` and the environment into ``app.config``."""
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.from_prefixed_env("FLASK")
    app.config.from_prefixed_env("MICROFLASK")


def render_error_page(error: HTTPException) -> tuple[str, int]:
    """Show an HTTP error in the site's layout, with its explanation."""
    code = error.code or 500
    return render_template(f"errors/{code}.html", error=error), code
