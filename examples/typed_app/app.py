"""The application factory: configuration, blueprints, hooks, error
handlers and the ``seed`` command."""

from __future__ import annotations

import os
import typing as t

from microflask import Flask
from microflask import Response
from microflask import g
from microflask import jsonify
from microflask import session
from microflask.cli import Command
from microflask.cli import echo
from wsgikit.exceptions import HTTPException

from . import auth
from . import notes
from ._checks import assert_type
from .store import NoteStore
from .store import get_store


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """The notes app; ``test_config`` overrides the defaults (``NOTES_FILE``:
    where notes are saved, in the instance folder unless given)."""
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY="dev",  # replace it in production (an environment variable, a config file)
        NOTES_PER_PAGE=10,
        NOTES_FILE=os.path.join(app.instance_path, "notes.json"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.extensions["notes"] = NoteStore(app.config["NOTES_FILE"])
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    _add_hooks(app)
    _add_error_handlers(app)
    _add_commands(app)
    return app


def _add_hooks(app: Flask) -> None:
    @app.before_request
    def load_user() -> None:
        user = session.get("user")
        g.user = user if isinstance(user, str) else None

    @app.after_request
    def no_store(response: Response) -> Response:
        # Notes are per-user answers: no shared cache may keep them.
        response.headers["Cache-Control"] = "no-store"
        return response

    if t.TYPE_CHECKING:
        assert_type(load_user(), None)
        assert_type(no_store(Response()), Response)


def _add_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        # Every HTTP error as JSON, as an API client expects.
        return jsonify(error=error.name, description=error.description), error.code or 500

    @app.errorhandler(notes.InvalidNote)
    def invalid_note(error: notes.InvalidNote) -> tuple[Response, int]:
        return jsonify(error="Invalid note", description=str(error)), 422

    if t.TYPE_CHECKING:
        assert_type(http_error(HTTPException()), tuple[Response, int])


def _add_commands(app: Flask) -> None:
    @app.cli.command("seed")
    def seed(count: int = 3, author: str = "demo") -> None:
        """Add COUNT sample notes written by AUTHOR."""
        store = get_store()
        for number in range(1, count + 1):
            store.add(f"Sample note {number}", "Written by the seed command.", author)
        echo(f"Added {count} notes by {author}.")

    if t.TYPE_CHECKING:
        # As under Flask (a click command there), the decorator makes a command object.
        assert_type(seed, Command)
