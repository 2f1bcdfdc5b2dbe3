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
        return iterable.__aiter__()  # type: ignore[union-attr]
    return _sync_aiter(iterable)  # type: ignore[arg-type]


async def auto_to_list(value: t.AsyncIterable[t.Any] | t.Iterable[t.Any]) -> list[t.Any]:
    """Read a sync or async iterable into a list."""
    if hasattr(value, "__aiter__"):
        return [item async for item in value]  # type: ignore[union-attr]
    return list(value)  # type: ignore[arg-type]


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
