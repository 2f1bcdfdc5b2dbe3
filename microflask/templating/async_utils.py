"""Helpers for ``Environment(enable_async=True)`` (asyncio only).

In async mode a template compiles to ``async def`` functions: output is an
async generator, ``for`` iterates with ``async for`` over :func:`auto_aiter`
(so sync and async iterables both work), and the result of every call,
filter, test and attribute/item lookup is passed through :func:`auto_await`
(a value that is awaitable is awaited). Synchronous code (``render()``) runs
the async rendering with :func:`run_sync`.
"""

from __future__ import annotations

import inspect
import typing as t

from ..markup import Markup

#: Types that are never awaitable: the compiled code skips ``auto_await`` for them.
PLAIN_TYPES = frozenset((str, int, float, bool, type(None), list, tuple, dict, Markup))


async def auto_await(value: t.Any) -> t.Any:
    """``await value`` if it is awaitable, else ``value`` itself."""
    if type(value) in PLAIN_TYPES:
        return value
    if inspect.isawaitable(value):
        return await value
    return value


async def _sync_aiter(iterable: t.Iterable[t.Any]) -> t.AsyncIterator[t.Any]:
    for item in iterable:
        yield item


def auto_aiter(iterable: t.AsyncIterable[t.Any] | t.Iterable[t.Any]) -> t.AsyncIterator[t.Any]:
    """An async iterator over a sync or async iterable."""
    if hasattr(iterable, "__aiter__"):
        return iterable.__aiter__()  # pyright: ignore[reportAttributeAccessIssue]  # hasattr above (mypy narrows it)
    return _sync_aiter(iterable)  # pyright: ignore[reportArgumentType]  # no __aiter__: a plain iterable


async def auto_to_list(value: t.AsyncIterable[t.Any] | t.Iterable[t.Any]) -> list[t.Any]:
    """Read a sync or async iterable into a list."""
    if hasattr(value, "__aiter__"):
        return [item async for item in value]  # pyright: ignore[reportGeneralTypeIssues]  # hasattr above (mypy narrows it)
    return list(value)  # pyright: ignore[reportArgumentType]  # no __aiter__: a plain iterable


def run_sync(coro: t.Coroutine[t.Any, t.Any, t.Any]) -> t.Any:
    """Run ``coro`` to completion from synchronous code.

    Without a running event loop in this thread this is ``asyncio.run``. Inside
    one (sync code called from a coroutine, e.g. ``render()`` in an async view)
    the coroutine runs on a helper thread's loop in a copy of the current
    context, where Jinja2 would raise ``RuntimeError``.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    ctx = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(ctx.run, asyncio.run, coro).result()


__all__ = ["auto_await", "auto_aiter", "auto_to_list", "run_sync"]


WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__")


def async_variant(normal_func: t.Callable[..., t.Any]) -> t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]:
    """Decorate an ``async def`` filter or function so that it replaces
    ``normal_func`` when called for an async environment (the first argument,
    a context, eval context or environment as ``normal_func`` is marked,
    tells which)."""
    kind = getattr(getattr(normal_func, "jinja_pass_arg", None), "name", None)

    def decorator(async_func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        def is_async(args: tuple[t.Any, ...]) -> bool:
            if kind == "environment":
                return bool(args[0].is_async)
            return bool(args[0].environment.is_async)

        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            if is_async(args):
                return async_func(*args, **kwargs)
            return normal_func(*args, **kwargs)

        for attr in WRAPPER_ASSIGNMENTS:
            try:
                setattr(wrapper, attr, getattr(normal_func, attr))
            except AttributeError:
                pass
        wrapper.__wrapped__ = normal_func  # type: ignore[attr-defined]  # marker attributes on a function object
        if kind is not None:
            wrapper.jinja_pass_arg = normal_func.jinja_pass_arg  # type: ignore[attr-defined]  # set by the pass_* decorators
        wrapper.jinja_async_variant = True  # type: ignore[attr-defined]  # a marker attribute (as in Jinja2)
        return wrapper

    return decorator


def __getattr__(name: str) -> t.Any:
    if name == "pass_eval_context":
        from .runtime import pass_eval_context  # cycle: the runtime imports this module

        return pass_eval_context
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
