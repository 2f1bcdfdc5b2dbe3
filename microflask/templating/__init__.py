"""A Jinja-compatible template engine: templates compile to Python source once.

The application glue (``render_template`` and friends, ``flask.templating``'s
names) is re-exported lazily: the engine can be imported and used without
loading the application core.
"""

from __future__ import annotations

import importlib
import typing as t

from ..markup import Markup as Markup
from ..markup import escape as escape
from .environment import Environment as Environment
from .environment import Template as Template
from .environment import TemplateStream as TemplateStream
from .exceptions import TemplateAssertionError as TemplateAssertionError
from .exceptions import TemplateError as TemplateError
from .exceptions import TemplateNotFound as TemplateNotFound
from .exceptions import TemplateRuntimeError as TemplateRuntimeError
from .exceptions import TemplatesNotFound as TemplatesNotFound
from .exceptions import TemplateSyntaxError as TemplateSyntaxError
from .exceptions import UndefinedError as UndefinedError
from .loaders import BaseLoader as BaseLoader
from .loaders import ChoiceLoader as ChoiceLoader
from .loaders import DictLoader as DictLoader
from .loaders import FileSystemLoader as FileSystemLoader
from .loaders import FunctionLoader as FunctionLoader
from .loaders import ModuleLoader as ModuleLoader
from .loaders import PackageLoader as PackageLoader
from .loaders import PrefixLoader as PrefixLoader
from .runtime import ChainableUndefined as ChainableUndefined
from .runtime import Context as Context
from .runtime import DebugUndefined as DebugUndefined
from .runtime import StrictUndefined as StrictUndefined
from .runtime import Undefined as Undefined
from .runtime import is_undefined as is_undefined
from .runtime import make_logging_undefined as make_logging_undefined
from .runtime import pass_context as pass_context
from .runtime import pass_environment as pass_environment
from .runtime import pass_eval_context as pass_eval_context

if t.TYPE_CHECKING:
    from .bccache import BytecodeCache as BytecodeCache
    from .bccache import FileSystemBytecodeCache as FileSystemBytecodeCache
    from .bccache import MemcachedBytecodeCache as MemcachedBytecodeCache
    from .utils import clear_caches as clear_caches
    from .utils import select_autoescape as select_autoescape
    from .flask_glue import DispatchingJinjaLoader as DispatchingJinjaLoader
    from .flask_glue import get_template_attribute as get_template_attribute
    from .flask_glue import render_template as render_template
    from .flask_glue import render_template_string as render_template_string
    from .flask_glue import stream_template as stream_template
    from .flask_glue import stream_template_string as stream_template_string

# Public name -> the submodule defining it (imported on first use).
_LAZY = {
    "BytecodeCache": "bccache",
    "FileSystemBytecodeCache": "bccache",
    "MemcachedBytecodeCache": "bccache",
    "clear_caches": "utils",
    "select_autoescape": "utils",
    "DispatchingJinjaLoader": "flask_glue",
    "get_template_attribute": "flask_glue",
    "render_template": "flask_glue",
    "render_template_string": "flask_glue",
    "stream_template": "flask_glue",
    "stream_template_string": "flask_glue",
}


#: Submodules reachable as attributes (``microflask.templating.sandbox``), as
#: Jinja2's are; imported on first access.
_SUBMODULES = frozenset(
    (
        "async_utils", "bccache", "compiler", "constants", "debug", "defaults", "environment",
        "exceptions", "ext", "filters", "flask_glue", "lexer", "loaders", "meta", "nativetypes",
        "nodes", "parser", "runtime", "sandbox", "tests", "utils", "visitor",
    )
)  # fmt: skip

#: Jinja2 modules with no counterpart here, and why.
_NOT_PROVIDED = {
    "idtracking": "Jinja2's symbol tracking for its code generator; microflask.templating.compiler resolves names itself",
    "optimizer": "Jinja2's constant-folding pass; microflask.templating folds constants while generating code",
}


def __getattr__(name: str) -> t.Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NOT_PROVIDED:
        raise AttributeError(f"{__name__}.{name} is not provided: {_NOT_PROVIDED[name]}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
