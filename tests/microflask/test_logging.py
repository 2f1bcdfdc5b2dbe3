"""The application logger."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from microflask import Flask
from microflask.logging import default_handler
from microflask.logging import has_level_handler
from microflask.logging import wsgi_errors_stream


@pytest.fixture
def fresh_logger():
    """The "log_app" logger cut off from the real hierarchy.

    pytest attaches its capture handler to the root logger and (since 9.2)
    to every non-propagating logger when the test starts, and those would
    count as handlers. Giving the logger a private parent that pytest does
    not know about keeps the tests about microflask's own handler only.
    """
    logger = logging.getLogger("log_app")
    saved = (logger.handlers[:], logger.level, logger.propagate, logger.parent)
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
    isolated_root = logging.Logger("isolated-root", logging.WARNING)
    logger.parent = isolated_root
    yield logger
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]
    logger.parent = saved[3]


def test_logger_name_and_default_handler(fresh_logger):
    app = Flask("log_app")
    assert app.logger is fresh_logger
    assert default_handler in app.logger.handlers


def test_debug_sets_level(fresh_logger):
    app = Flask("log_app")
    app.debug = True
    assert app.logger.level == logging.DEBUG


def test_existing_handler_means_no_default(fresh_logger):
    fresh_logger.addHandler(logging.NullHandler())
    app = Flask("log_app")
    assert default_handler not in app.logger.handlers


def test_has_level_handler(fresh_logger):
    assert not has_level_handler(fresh_logger)
    handler = logging.StreamHandler()
    handler.setLevel(logging.CRITICAL)
    fresh_logger.addHandler(handler)
    fresh_logger.setLevel(logging.ERROR)
    assert not has_level_handler(fresh_logger)
    handler.setLevel(logging.ERROR)
    assert has_level_handler(fresh_logger)
    child = logging.getLogger("log_app.child")
    assert has_level_handler(child)  # found on the parent


def test_wsgi_errors_stream(app):
    assert wsgi_errors_stream._get_current_object() is sys.stderr
    errors = io.StringIO()
    with app.test_request_context(errors_stream=errors):
        assert wsgi_errors_stream._get_current_object() is errors


def test_exception_logged_to_wsgi_errors(fresh_logger):
    app = Flask("log_app")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.route("/")(lambda: 1 / 0)
    errors = io.StringIO()
    rv = app.test_client().get("/", errors_stream=errors)
    assert rv.status_code == 500
    text = errors.getvalue()
    assert "ERROR in app: Exception on / [GET]" in text
    assert "ZeroDivisionError" in text
