"""The state of one command invocation (:class:`Context`) and the
decorators that pass it to a command function."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import contextvars
import functools
import typing as t

from .exceptions import Abort
from .exceptions import Exit
from .exceptions import UsageError
from .foreign import error_from_click
from .foreign import is_click_command
from .globals import _current_context
from .globals import get_current_context
from .utils import F
from .utils import ParameterSource

if t.TYPE_CHECKING:
    from .core import Command


def _envvar_prefixes(parent: t.Any) -> tuple[str, ...]:
    """A parent context's prefixes; a click parent (a microflask command
    added to a click group) has one, ``auto_envvar_prefix``."""
    prefixes = getattr(parent, "auto_envvar_prefixes", None)
    if prefixes is not None:
        return tuple(prefixes)
    single = getattr(parent, "auto_envvar_prefix", None)
    return (single,) if single else ()


class Context:
    """The state of one command invocation: its parameters, its parent
    (the group that dispatched it), a shared :attr:`obj` and resources
    closed when the command ends.

    :param command: the command being run.
    :param parent: the group's context.
    :param info_name: the name the command was called by.
    :param obj: a user object shared with subcommands (inherited).
    """

    def __init__(
        self,
        command: Command,
        parent: Context | None = None,
        info_name: str | None = None,
        obj: t.Any = None,
        auto_envvar_prefixes: cabc.Sequence[str] | None = None,
    ) -> None:
        self.command = command
        self.parent = parent
        self.info_name = info_name
        #: The shared user object (``ScriptInfo`` in microflask).
        self.obj: t.Any = obj if obj is not None else (parent.obj if parent is not None else None)
        #: Parameter name -> processed value.
        self.params: dict[str, t.Any] = {}
        #: The tokens left for a group's subcommand.
        self.args: list[str] = []
        #: Which parameters were given by the caller (:meth:`invoke`).
        self.explicit: set[str] = set()
        self._sources: dict[str, ParameterSource] = {}
        #: Options without an explicit ``envvar`` read ``PREFIX_NAME``
        #: (the subcommand's name is appended to a parent's prefixes).
        self.auto_envvar_prefixes: tuple[str, ...] = tuple(auto_envvar_prefixes or ())
        if parent is not None and not self.auto_envvar_prefixes and info_name:
            suffix = info_name.upper().replace("-", "_")
            self.auto_envvar_prefixes = tuple(f"{p}_{suffix}" for p in _envvar_prefixes(parent))
        #: Run by a click group (this command was added to one): errors
        #: leave as click's exceptions.
        self._parent_is_click = parent is not None and not isinstance(parent, Context)
        self._exit_stack = contextlib.ExitStack()
        self._depth = 0
        self._tokens: list[contextvars.Token[Context]] = []

    @property
    def command_path(self) -> str:
        """The words that invoke this command, e.g. ``microflask routes``."""
        name = self.info_name or ""
        if self.parent is not None:
            return f"{self.parent.command_path} {name}".strip()
        return name

    def __enter__(self) -> Context:
        self._depth += 1
        self._tokens.append(_current_context.set(self))
        return self

    def __exit__(self, exc_type: t.Any, exc: BaseException | None, tb: t.Any) -> None:
        self._depth -= 1
        _current_context.reset(self._tokens.pop())
        if self._depth == 0:
            self.close()
        if exc is None or not isinstance(exc, Exception):
            return
        if self._parent_is_click:
            # Upward, only under a click group: click shows click's errors.
            from .interop import error_for_click

            translated = error_for_click(exc)
        else:
            # click code (click.confirm, ctx.exit) inside a microflask command.
            translated = error_from_click(exc)
        if translated is not None:
            raise translated from None

    def close(self) -> None:
        """Exit every resource entered with :meth:`with_resource`."""
        self._exit_stack.close()

    def with_resource(self, cm: t.ContextManager[t.Any]) -> t.Any:
        """Enter ``cm`` now and exit it when the context closes."""
        return self._exit_stack.enter_context(cm)

    def call_on_close(self, f: F) -> F:
        """Call ``f()`` when the context closes."""
        self._exit_stack.callback(f)
        return f

    def get_parameter_source(self, name: str) -> ParameterSource | None:
        """Where the value of parameter ``name`` came from."""
        return self._sources.get(name)

    def set_parameter_source(self, name: str, source: ParameterSource) -> None:
        self._sources[name] = source

    def find_root(self) -> Context:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def find_object(self, object_type: type[t.Any]) -> t.Any:
        """The nearest :attr:`obj` (here or in a parent) of ``object_type``."""
        node: Context | None = self
        while node is not None:
            if isinstance(node.obj, object_type):
                return node.obj
            node = node.parent
        return None

    def ensure_object(self, object_type: type[t.Any]) -> t.Any:
        """:meth:`find_object`, creating and storing one when there is none."""
        rv = self.find_object(object_type)
        if rv is None:
            self.obj = rv = object_type()
        return rv

    def invoke(self, callback: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Call ``callback`` (a function or a :class:`Command`) with this
        context current."""
        # An upward reference: commands are built on contexts.
        from .core import Command

        if not isinstance(callback, Command) and is_click_command(callback):
            from .interop import invoke_click  # upward: the click adapter

            return invoke_click(self, callback, kwargs)
        if isinstance(callback, Command):
            sub = callback.make_context(callback.name or "", [], parent=self, defaults=kwargs)
            with sub:
                return callback.invoke(sub)
        with self:
            return callback(*args, **kwargs)

    def get_usage(self) -> str:
        return self.command.get_usage(self)

    def get_help(self) -> str:
        return self.command.get_help(self)

    def exit(self, code: int = 0) -> t.NoReturn:
        raise Exit(code)

    def fail(self, message: str) -> t.NoReturn:
        raise UsageError(message, self)

    def abort(self) -> t.NoReturn:
        raise Abort()


def pass_context(f: F) -> F:
    """Pass the current :class:`Context` as the first argument."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return f(get_current_context(), *args, **kwargs)

    wrapper.__cli_injected__ = getattr(f, "__cli_injected__", 0) + 1  # type: ignore[attr-defined]  # a marker on the function
    return wrapper  # type: ignore[return-value]  # as click types it: the decorated function keeps its type


def pass_obj(f: F) -> F:
    """Pass the context's :attr:`~Context.obj` as the first argument."""

    @functools.wraps(f)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        return f(get_current_context().obj, *args, **kwargs)

    wrapper.__cli_injected__ = getattr(f, "__cli_injected__", 0) + 1  # type: ignore[attr-defined]  # a marker on the function
    return wrapper  # type: ignore[return-value]  # as click types it: the decorated function keeps its type
