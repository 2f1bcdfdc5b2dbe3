"""A Jinja-compatible template engine: templates compile to Python source once."""

from __future__ import annotations

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
from .loaders import PackageLoader as PackageLoader
from .loaders import PrefixLoader as PrefixLoader
from .runtime import ChainableUndefined as ChainableUndefined
from .runtime import Context as Context
from .runtime import DebugUndefined as DebugUndefined
from .runtime import StrictUndefined as StrictUndefined
from .runtime import Undefined as Undefined
from .runtime import is_undefined as is_undefined
from .runtime import pass_context as pass_context
from .runtime import pass_environment as pass_environment
from .runtime import pass_eval_context as pass_eval_context
