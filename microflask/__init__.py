"""microflask: a web framework with Flask's API, built on wsgikit.

The public names are re-exported lazily: ``import microflask`` loads
nothing but this table, and ``microflask.Flask`` (or ``from microflask
import Flask``) imports the defining module on first use. PERF: importing
the whole framework eagerly costs more than an application that uses a few
names ever needs at startup.

Layers, above every wsgikit layer (imports only point down;
tests/test_layering.py checks it)::

    markup, templating (the engine depends only on markup), _argcli
    -> globals, ctx, wrappers, config, json, sessions, signals, helpers, logging
    -> scaffold, blueprints, app, views, testing, cli
    -> the compat layer (_compat, __main__)
"""

from __future__ import annotations

import importlib
import typing as t

if t.TYPE_CHECKING:
    from .app import Flask as Flask
    from .blueprints import Blueprint as Blueprint
    from .config import Config as Config
    from .ctx import after_this_request as after_this_request
    from .ctx import copy_current_request_context as copy_current_request_context
    from .ctx import has_app_context as has_app_context
    from .ctx import has_request_context as has_request_context
    from .globals import current_app as current_app
    from .globals import g as g
    from .globals import request as request
    from .globals import session as session
    from .helpers import abort as abort
    from .helpers import flash as flash
    from .helpers import get_flashed_messages as get_flashed_messages
    from .helpers import make_response as make_response
    from .helpers import redirect as redirect
    from .helpers import send_file as send_file
    from .helpers import send_from_directory as send_from_directory
    from .helpers import stream_with_context as stream_with_context
    from .helpers import url_for as url_for
    from .json import jsonify as jsonify
    from .markup import escape as escape
    from .markup import Markup as Markup
    from .signals import appcontext_popped as appcontext_popped
    from .signals import appcontext_pushed as appcontext_pushed
    from .signals import appcontext_tearing_down as appcontext_tearing_down
    from .signals import got_request_exception as got_request_exception
    from .signals import message_flashed as message_flashed
    from .signals import request_finished as request_finished
    from .signals import request_started as request_started
    from .signals import request_tearing_down as request_tearing_down
    from .signals import template_rendered as template_rendered
    from .signals import before_render_template as before_render_template
    from .templating import get_template_attribute as get_template_attribute
    from .templating import render_template as render_template
    from .templating import render_template_string as render_template_string
    from .templating import stream_template as stream_template
    from .templating import stream_template_string as stream_template_string
    from .wrappers import Request as Request
    from .wrappers import Response as Response
    from ._compat import install_as_flask as install_as_flask
    from .globals import _app_ctx_stack as _app_ctx_stack
    from .globals import _request_ctx_stack as _request_ctx_stack

#: This project's own version.
__version__ = "0.1.0"

#: The Flask release whose API and behaviour microflask implements; what
#: ``importlib.metadata.version("flask")`` and ``flask.__version__`` answer
#: after :func:`install_as_flask`.
__flask_version__ = "3.1.3"

# Public name -> the module defining it.
_EXPORTS = {
    "Flask": "app",
    "Blueprint": "blueprints",
    "Config": "config",
    "after_this_request": "ctx",
    "copy_current_request_context": "ctx",
    "has_app_context": "ctx",
    "has_request_context": "ctx",
    "current_app": "globals",
    "g": "globals",
    "request": "globals",
    "session": "globals",
    "abort": "helpers",
    "flash": "helpers",
    "get_flashed_messages": "helpers",
    "make_response": "helpers",
    "redirect": "helpers",
    "send_file": "helpers",
    "send_from_directory": "helpers",
    "stream_with_context": "helpers",
    "url_for": "helpers",
    "jsonify": "json",
    "escape": "markup",
    "Markup": "markup",
    "appcontext_popped": "signals",
    "appcontext_pushed": "signals",
    "appcontext_tearing_down": "signals",
    "got_request_exception": "signals",
    "message_flashed": "signals",
    "request_finished": "signals",
    "request_started": "signals",
    "request_tearing_down": "signals",
    "before_render_template": "signals",
    "template_rendered": "signals",
    "get_template_attribute": "templating",
    "render_template": "templating",
    "render_template_string": "templating",
    "stream_template": "templating",
    "stream_template_string": "templating",
    "Request": "wrappers",
    "Response": "wrappers",
    # The compat layer (docs/extensions.md).
    "install_as_flask": "_compat",
    # Flask 0.8's names for the context stacks, kept for old extensions.
    "_app_ctx_stack": "globals",
    "_request_ctx_stack": "globals",
}

# Public submodules, reachable as attributes the way ``import flask`` makes
# them (Flask's package imports them; here they load on first access).
_SUBMODULES = frozenset(
    {
        "app",
        "blueprints",
        "cli",
        "config",
        "ctx",
        "globals",
        "helpers",
        "json",
        "logging",
        "markup",
        "scaffold",
        "sessions",
        "signals",
        "templating",
        "testing",
        "typing",
        "views",
        "wrappers",
    }
)

# Top-level names of Flask 3.1's package that microflask lacks: asking for
# one says it is a limitation instead of a bare AttributeError.
_FLASK_ONLY = frozenset({"sansio"})

# Written out (not computed from _EXPORTS) so that type checkers read it;
# tests/microflask/test_package_all.py keeps the two in step.
__all__ = [
    "__version__",
    "__flask_version__",
    "Flask",
    "Blueprint",
    "Config",
    "after_this_request",
    "copy_current_request_context",
    "has_app_context",
    "has_request_context",
    "current_app",
    "g",
    "request",
    "session",
    "abort",
    "flash",
    "get_flashed_messages",
    "make_response",
    "redirect",
    "send_file",
    "send_from_directory",
    "stream_with_context",
    "url_for",
    "jsonify",
    "escape",
    "Markup",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "got_request_exception",
    "message_flashed",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "before_render_template",
    "template_rendered",
    "get_template_attribute",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "Request",
    "Response",
    "install_as_flask",
]

# Taken now: importing the submodule ``microflask.globals`` later puts a
# module named ``globals`` in this namespace, hiding the builtin.
_namespace = vars()


def __getattr__(name: str) -> t.Any:
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        # Later lookups find it directly, without this function.
        _namespace[name] = value
        return value
    if name in _SUBMODULES:
        # Importing sets the attribute on this package too.
        return importlib.import_module(f".{name}", __name__)
    message = f"module 'microflask' has no attribute {name!r}"
    if name in _FLASK_ONLY:
        message += f": 'flask.{name}' exists in Flask 3.1 but microflask does not provide it (a microflask limitation)"
    raise AttributeError(message, name=name)


def __dir__() -> list[str]:
    return sorted({*_namespace, *_EXPORTS, *_SUBMODULES})
