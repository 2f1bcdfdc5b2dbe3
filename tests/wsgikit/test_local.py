"""Tests for wsgikit.local: Local, LocalStack, LocalProxy, LocalManager."""

from __future__ import annotations

import asyncio
import copy
import math
import operator
import threading
import typing as t
from contextvars import ContextVar

import pytest

from wsgikit.local import Local
from wsgikit.local import LocalManager
from wsgikit.local import LocalProxy
from wsgikit.local import LocalStack
from wsgikit.local import release_local

# -- Local ------------------------------------------------------------------------


def test_local_attributes() -> None:
    local = Local()
    with pytest.raises(AttributeError, match="x"):
        local.x
    local.x = 1
    local.y = 2
    assert (local.x, local.y) == (1, 2)
    assert sorted(local) == [("x", 1), ("y", 2)]
    del local.x
    with pytest.raises(AttributeError):
        del local.x
    release_local(local)
    assert list(local) == []


def test_local_uses_given_context_var() -> None:
    var: ContextVar[dict[str, t.Any]] = ContextVar("test_local_var")
    local = Local(var)
    local.z = 1
    assert var.get() == {"z": 1}


def test_local_is_isolated_between_threads() -> None:
    local = Local()
    local.value = "main"
    seen: dict[int, object] = {}
    barrier = threading.Barrier(4)

    def work(n: int) -> None:
        seen[n] = getattr(local, "value", None)  # threads start with an empty context
        local.value = n
        barrier.wait()  # all threads have written before anyone reads back
        seen[n + 100] = local.value

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(seen[n] is None for n in range(4))
    assert [seen[n + 100] for n in range(4)] == [0, 1, 2, 3]
    assert local.value == "main"


def test_local_and_stack_are_isolated_between_tasks() -> None:
    local = Local()
    stack: LocalStack[int] = LocalStack()
    local.value = "outer"
    stack.push(0)

    async def task(n: int) -> tuple[object, object, object]:
        inherited = local.value  # tasks start with a copy of the context
        local.value = n
        stack.push(n)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return inherited, local.value, stack.top

    async def main() -> list[tuple[object, object, object]]:
        return await asyncio.gather(*(task(n) for n in range(5)))

    results = asyncio.run(main())
    assert results == [("outer", n, n) for n in range(5)]
    assert local.value == "outer"
    assert stack.top == 0


# -- LocalStack ---------------------------------------------------------------------


def test_local_stack() -> None:
    stack: LocalStack[int] = LocalStack()
    assert stack.top is None
    assert stack.pop() is None
    assert stack.push(1) == [1]
    assert stack.push(2) == [1, 2]
    assert stack.top == 2
    assert stack.pop() == 2
    assert stack.top == 1
    assert stack.pop() == 1
    assert stack.pop() is None
    stack.push(3)
    release_local(stack)
    assert stack.top is None


@pytest.mark.parametrize("var", [ContextVar("with_default", default=[]), ContextVar("without_default")])
def test_local_stack_over_a_callers_variable_holds_a_list(var: ContextVar[list[int]]) -> None:
    stack: LocalStack[int] = LocalStack(var)
    assert stack.top is None
    assert stack.pop() is None
    proxy = stack()
    assert repr(proxy) == "<LocalProxy unbound>"
    assert stack.push(1) == [1]
    assert stack.push(2) == [1, 2]
    assert var.get() == [1, 2]  # Werkzeug's layout, readable by the caller
    assert proxy == 2
    assert stack.pop() == 2
    assert var.get() == [1]
    stack.push(3)
    release_local(stack)
    assert var.get() == []
    assert stack.top is None
    with pytest.raises(RuntimeError, match="object is not bound"):
        proxy._get_current_object()


def test_local_stack_push_does_not_mutate_previous_list() -> None:
    stack: LocalStack[int] = LocalStack()
    first = stack.push(1)
    stack.push(2)
    assert first == [1]


def test_local_stack_deep_pushes_and_thread_isolation() -> None:
    stack: LocalStack[int] = LocalStack()
    lists = [stack.push(n) for n in range(4)]
    # Every push returns a new bottom-first list; earlier ones never change.
    assert lists == [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]
    seen: list[object] = []

    def other_thread() -> None:
        seen.append(stack.top)
        seen.append(stack.push(10))
        seen.append(stack.pop())
        seen.append(stack.pop())

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == [None, [10], 10, None]
    assert [stack.pop() for _ in range(5)] == [3, 2, 1, 0, None]
    assert stack.top is None
    assert stack.push(7) == [7]
    release_local(stack)
    assert stack.pop() is None


def test_local_stack_proxies() -> None:
    class Item:
        attr = 3

    stack: LocalStack[Item] = LocalStack()
    top = stack()
    attr = stack("attr")
    with pytest.raises(RuntimeError, match="^object is not bound$"):
        top.attr
    with pytest.raises(RuntimeError, match="^nope$"):
        stack("attr", unbound_message="nope") + 1
    item = Item()
    stack.push(item)
    assert top._get_current_object() is item
    assert attr + 1 == 4
    stack.pop()
    assert repr(top) == "<LocalProxy unbound>"
    stack.push(None)  # type: ignore[arg-type]
    assert repr(top) == "<LocalProxy unbound>"
    stack.push(object())  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match="attr"):
        attr.real


# -- LocalProxy construction and unbound state -----------------------------------


def test_proxy_sources() -> None:
    local = Local()
    local.obj = [1, 2]
    var: ContextVar[list[int]] = ContextVar("proxy_var")
    var.set([3])
    assert LocalProxy(local, "obj") == [1, 2]
    assert local("obj")[1] == 2
    assert LocalProxy(var)[0] == 3
    assert LocalProxy(lambda: 5) == 5
    assert LocalProxy(lambda: 5, "real") == 5
    assert LocalProxy(var, "__len__")() == 1
    none_var: ContextVar[None] = ContextVar("none_var")
    none_var.set(None)
    assert repr(LocalProxy(none_var)) == "None"


@pytest.mark.parametrize(
    ("args", "message"),
    [((5,), "Don't know how to proxy '<class 'int'>'."), ((Local(),), "'name' is required when proxying a 'Local' object.")],
)
def test_proxy_bad_source(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(TypeError) as info:
        LocalProxy(*args)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_proxy_unbound_messages() -> None:
    local = Local()
    var: ContextVar[int] = ContextVar("unset_var")
    for proxy in (local("x"), LocalProxy(var), LocalStack()()):
        with pytest.raises(RuntimeError, match="^object is not bound$"):
            proxy.anything
    with pytest.raises(RuntimeError, match="^custom$"):
        local("x", unbound_message="custom").anything

    def raises() -> None:
        raise RuntimeError("from callable")

    with pytest.raises(RuntimeError, match="from callable"):
        len(LocalProxy(raises))
    assert repr(LocalProxy(raises)) == "<LocalProxy unbound>"


UNBOUND_FALLBACKS: list[tuple[str, t.Callable[[t.Any], t.Any], object]] = [
    ("repr", repr, "<LocalProxy unbound>"),
    ("bool", bool, False),
    ("dir", dir, []),
    ("class", lambda p: p.__class__, LocalProxy),
    ("isinstance", lambda p: isinstance(p, int), False),
    ("eq", lambda p: p == 1, False),
    ("ne", lambda p: p != 1, True),
    ("self-eq", lambda p: p == p, True),
    ("doc", lambda p: p.__doc__.startswith("A proxy to the object"), True),
    ("module", lambda p: p.__module__, "wsgikit.local"),
]


@pytest.mark.parametrize(("name", "op", "expected"), UNBOUND_FALLBACKS)
def test_unbound_fallbacks(name: str, op: t.Callable[[t.Any], t.Any], expected: object) -> None:
    assert op(Local()("x")) == expected


UNBOUND_ERRORS: list[tuple[t.Callable[[t.Any], t.Any], type[Exception]]] = [
    (lambda p: p.attr, RuntimeError),
    (lambda p: p + 1, RuntimeError),
    (lambda p: 1 + p, RuntimeError),
    (lambda p: -p, RuntimeError),
    (len, RuntimeError),
    (str, RuntimeError),
    (lambda p: p[0], RuntimeError),
    (lambda p: p(), RuntimeError),
    (lambda p: 1 in p, RuntimeError),
    (lambda p: setattr(p, "a", 1), RuntimeError),
    (lambda p: format(p, ""), RuntimeError),
    (lambda p: p < 1, TypeError),
    (hash, TypeError),
    (iter, TypeError),
]


@pytest.mark.parametrize(("op", "error"), UNBOUND_ERRORS)
def test_unbound_errors(op: t.Callable[[t.Any], t.Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        op(Local()("x"))


def test_wrapped() -> None:
    local = Local()
    proxy = local("x")
    assert proxy.__wrapped__ is local
    local.x = [1]
    with pytest.raises(AttributeError):
        proxy.__wrapped__

    def inner() -> None: ...

    def outer() -> None: ...

    outer.__wrapped__ = inner  # type: ignore[attr-defined]
    local.x = outer
    assert proxy.__wrapped__ is inner


# -- LocalProxy forwarding ------------------------------------------------------------


def _bound(value: object) -> LocalProxy[t.Any]:
    var: ContextVar[object] = ContextVar("bound")
    var.set(value)
    return LocalProxy(var)


BINARY: list[tuple[str, t.Callable[[t.Any, t.Any], t.Any]]] = [
    ("add", operator.add),
    ("sub", operator.sub),
    ("mul", operator.mul),
    ("truediv", operator.truediv),
    ("floordiv", operator.floordiv),
    ("mod", operator.mod),
    ("pow", operator.pow),
    ("lshift", operator.lshift),
    ("rshift", operator.rshift),
    ("and", operator.and_),
    ("or", operator.or_),
    ("xor", operator.xor),
    ("divmod", divmod),
    ("lt", operator.lt),
    ("le", operator.le),
    ("gt", operator.gt),
    ("ge", operator.ge),
    ("eq", operator.eq),
    ("ne", operator.ne),
]


@pytest.mark.parametrize(("name", "op"), BINARY)
@pytest.mark.parametrize(("left", "right"), [(7, 3), (3, 7), (-6, 5)])
def test_binary_and_reflected_operators(name: str, op: t.Callable[[t.Any, t.Any], t.Any], left: t.Any, right: t.Any) -> None:
    assert op(_bound(left), right) == op(left, right)
    assert op(left, _bound(right)) == op(left, right)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow, operator.lt])
def test_mixed_type_operators(op: t.Callable[[t.Any, t.Any], t.Any]) -> None:
    # int.__add__(float) is NotImplemented; the proxy must still reach float's reflected op.
    assert op(_bound(6), 2.5) == op(6, 2.5)
    assert op(2.5, _bound(6)) == op(2.5, 6)


def test_matmul() -> None:
    class Matrix:
        def __matmul__(self, other: object) -> str:
            return "matmul"

        def __rmatmul__(self, other: object) -> str:
            return "rmatmul"

    assert _bound(Matrix()) @ 1 == "matmul"
    assert 1 @ _bound(Matrix()) == "rmatmul"


UNARY: list[tuple[str, t.Callable[[t.Any], t.Any], object, object]] = [
    ("neg", operator.neg, 5, -5),
    ("pos", operator.pos, -5, -5),
    ("abs", abs, -5, 5),
    ("invert", operator.invert, 5, -6),
    ("int", int, 2.7, 2),
    ("float", float, 2, 2.0),
    ("complex", complex, 2, 2 + 0j),
    ("index", operator.index, 5, 5),
    ("hex", hex, 255, "0xff"),
    ("round", round, 2.5, 2),
    ("round-ndigits", lambda p: round(p, 1), 2.25, 2.2),
    ("trunc", math.trunc, -2.5, -2),
    ("floor", math.floor, 2.5, 2),
    ("ceil", math.ceil, 2.5, 3),
    ("str", str, 5, "5"),
    ("repr", repr, "x", "'x'"),
    ("bytes", bytes, b"ab", b"ab"),
    ("format", lambda p: f"{p:>4}", 5, "   5"),
    ("bool-true", bool, [1], True),
    ("bool-false", bool, [], False),
    # the id must not hold hash("key"): it differs between xdist workers (PYTHONHASHSEED)
    pytest.param("hash", hash, "key", hash("key"), id="hash-key"),
    ("len", len, [1, 2], 2),
    ("length_hint", operator.length_hint, [1, 2, 3], 3),
    ("iter", list, (1, 2), [1, 2]),
    ("reversed", lambda p: list(reversed(p)), [1, 2], [2, 1]),
    ("contains", lambda p: 2 in p, [1, 2], True),
    ("getitem", lambda p: p["k"], {"k": "v"}, "v"),
    ("slice", lambda p: p[1:], [1, 2, 3], [2, 3]),
    ("next", next, iter([9]), 9),
    ("pow-mod", lambda p: pow(p, 2, 5), 4, 1),
    ("class", lambda p: p.__class__, 5, int),
    ("isinstance", lambda p: isinstance(p, list), [], True),
    ("doc", lambda p: p.__doc__, len, len.__doc__),
    ("dir", dir, 5, dir(5)),
    ("instancecheck", lambda p: isinstance(3, p), int, True),
    ("subclasscheck", lambda p: issubclass(bool, p), int, True),
    ("call", lambda p: p(1, b=2), lambda a, b: a + b, 3),
    ("copy", lambda p: type(copy.copy(p)), [1], list),
    ("deepcopy", lambda p: copy.deepcopy(p), [[1]], [[1]]),
    ("getattr", lambda p: p.real, 5, 5),
    ("dunder-dict", lambda p: p.__dict__, type("O", (), {"__init__": lambda self: setattr(self, "a", 1)})(), {"a": 1}),
]


@pytest.mark.parametrize(("name", "op", "value", "expected"), UNARY)
def test_forwarding(name: str, op: t.Callable[[t.Any], t.Any], value: object, expected: object) -> None:
    assert op(_bound(value)) == expected


def test_item_and_attribute_mutation() -> None:
    data: dict[str, int] = {"a": 1}
    proxy = _bound(data)
    proxy["b"] = 2
    del proxy["a"]
    assert data == {"b": 2}

    class Obj:
        pass

    obj = Obj()
    proxy = _bound(obj)
    proxy.foo = 1
    assert obj.foo == 1  # type: ignore[attr-defined]
    del proxy.foo
    assert not hasattr(obj, "foo")


def test_inplace_on_mutable_target_changes_it() -> None:
    local = Local()
    local.items = [1]
    proxy = local("items")
    name = proxy
    name += [2]
    assert local.items == [1, 2]
    assert name is proxy
    local.s = {1}
    s = local("s")
    s |= {2}
    assert local.s == {1, 2}


@pytest.mark.parametrize(
    "op",
    ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="],
)
def test_inplace_on_immutable_target_does_not_rebind(op: str) -> None:
    # As in Werkzeug: the operation runs on the target, the name stays the
    # proxy, and the local keeps its original (immutable) value.
    local = Local()
    local.n = 6
    namespace = {"p": local("n")}
    exec(f"p {op} 2", namespace)
    assert namespace["p"] is not None and type(namespace["p"]) is LocalProxy
    assert local.n == 6


def test_context_manager() -> None:
    events: list[object] = []

    class Manager:
        def __enter__(self) -> str:
            events.append("enter")
            return "value"

        def __exit__(self, *exc_info: object) -> bool:
            events.append(exc_info[0])
            return True

    with _bound(Manager()) as value:
        assert value == "value"
        raise KeyError("swallowed")
    assert events == ["enter", KeyError]


def test_async_protocols() -> None:
    class Thing:
        def __await__(self) -> t.Generator[None, None, str]:
            yield from asyncio.sleep(0).__await__()
            return "awaited"

        async def __aenter__(self) -> str:
            return "entered"

        async def __aexit__(self, *exc_info: object) -> bool:
            return False

        def __aiter__(self) -> Thing:
            self.left = 2
            return self

        async def __anext__(self) -> int:
            if not self.left:
                raise StopAsyncIteration
            self.left -= 1
            return self.left

    async def main() -> tuple[object, object, object]:
        proxy = _bound(Thing())
        async with proxy as entered:
            pass
        return await proxy, entered, [i async for i in proxy]

    assert asyncio.run(main()) == ("awaited", "entered", [1, 0])


def test_proxy_in_task_sees_task_value() -> None:
    var: ContextVar[str] = ContextVar("task_var")
    proxy = LocalProxy(var)

    async def task(name: str) -> str:
        var.set(name)
        await asyncio.sleep(0)
        return str(proxy)

    async def main() -> list[str]:
        return await asyncio.gather(task("a"), task("b"), task("c"))

    assert asyncio.run(main()) == ["a", "b", "c"]


def test_proxy_has_no_instance_dict() -> None:
    proxy = _bound(5)
    assert type(proxy) is LocalProxy
    with pytest.raises(AttributeError):
        object.__getattribute__(proxy, "__dict__")


# -- LocalManager ---------------------------------------------------------------------


def test_local_manager() -> None:
    local = Local()
    stack: LocalStack[int] = LocalStack()
    manager = LocalManager([local, stack])
    assert repr(manager) == "<LocalManager storages: 2>"
    assert repr(LocalManager()) == "<LocalManager storages: 0>"
    assert LocalManager(local).locals == [local]
    local.a = 1
    stack.push(1)
    manager.cleanup()
    assert list(local) == []
    assert stack.top is None


def test_local_manager_middleware() -> None:
    local = Local()
    manager = LocalManager([local])

    @manager.middleware
    def app(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
        """The app."""
        local.user = "x"
        start_response("200 OK", [])
        return [b"body"]

    assert app.__doc__ == "The app."
    result = app({}, lambda status, headers: None)
    assert list(result) == [b"body"]
    assert local.user == "x"
    result.close()  # type: ignore[attr-defined]
    assert list(local) == []


def test_proxy_of_a_stack_subclass_uses_its_top():
    class Fixed(LocalStack):
        @property
        def top(self):
            return "computed"

    assert LocalProxy(Fixed())._get_current_object() == "computed"
    assert Fixed()("upper")() == "COMPUTED"

    class Empty(LocalStack):
        @property
        def top(self):
            return None

    with pytest.raises(RuntimeError, match="^nothing here$"):
        LocalProxy(Empty(), unbound_message="nothing here")._get_current_object()


def test_get_ident_is_werkzeug_08s_thread_identity() -> None:
    from wsgikit.local import get_ident

    seen: list[int] = []
    thread = threading.Thread(target=lambda: seen.append(get_ident()))
    thread.start()
    thread.join()
    assert get_ident() == threading.get_ident()
    assert seen and seen[0] != get_ident()
