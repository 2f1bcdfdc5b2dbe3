"""Class-based views: View.as_view and MethodView (Flask 3.1 behaviour)."""

from __future__ import annotations

import pytest

from microflask import Blueprint
from microflask import Flask
from microflask import request
from microflask.views import http_method_funcs
from microflask.views import MethodView
from microflask.views import View


# -- View ------------------------------------------------------------------------


class Greeting(View):
    """Says hello."""

    def __init__(self, greeting: str = "Hello", punctuation: str = ".") -> None:
        self.greeting = greeting
        self.punctuation = punctuation

    def dispatch_request(self, name: str) -> str:
        return f"{self.greeting} {name}{self.punctuation}"


def test_as_view_function_attributes():
    view = Greeting.as_view("greet")
    assert view.__name__ == "greet"
    assert view.__doc__ == "Says hello."
    assert view.__module__ == __name__
    assert view.view_class is Greeting
    assert view.methods is None
    assert view.provide_automatic_options is None


def test_as_view_passes_class_args(app, client):
    app.add_url_rule("/a/<name>", view_func=Greeting.as_view("a"))
    app.add_url_rule("/b/<name>", view_func=Greeting.as_view("b", "Hi", punctuation="!"))
    assert client.get("/a/you").data == b"Hello you."
    assert client.get("/b/you").data == b"Hi you!"


def test_view_default_endpoint_is_the_name(app):
    app.add_url_rule("/x/<name>", view_func=Greeting.as_view("greeting"))
    with app.test_request_context():
        from microflask import url_for

        assert url_for("greeting", name="n") == "/x/n"


def test_base_dispatch_request_must_be_implemented():
    with pytest.raises(NotImplementedError):
        View().dispatch_request()


@pytest.mark.parametrize("every_request", [True, False])
def test_init_every_request(app, client, every_request):
    instances = []

    class Counter(View):
        init_every_request = every_request

        def __init__(self) -> None:
            instances.append(self)
            self.count = 0

        def dispatch_request(self) -> str:
            self.count += 1
            return str(self.count)

    app.add_url_rule("/", view_func=Counter.as_view("counter"))
    bodies = [client.get("/").data for _ in range(3)]
    if every_request:
        assert bodies == [b"1", b"1", b"1"]
        assert len(instances) == 3
    else:
        assert bodies == [b"1", b"2", b"3"]
        assert len(instances) == 1


def test_decorators_applied_in_order_and_see_the_name(app, client):
    seen = []

    def first(f):
        seen.append((f.__name__, f.__module__))

        def wrapper(**kwargs):
            return "1" + f(**kwargs)

        return wrapper

    def second(f):
        seen.append((f.__name__, f.__module__))

        def wrapper(**kwargs):
            return "2" + f(**kwargs)

        return wrapper

    class Decorated(View):
        """Doc."""

        decorators = [first, second]

        def dispatch_request(self) -> str:
            return "v"

    view = Decorated.as_view("decorated")
    # The last decorator is the outermost; the result is renamed like the class.
    assert seen == [("decorated", __name__), ("wrapper", __name__)]
    assert (view.__name__, view.__doc__, view.view_class) == ("decorated", "Doc.", Decorated)
    app.add_url_rule("/", view_func=view)
    assert client.get("/").data == b"21v"


def test_methods_and_automatic_options(app, client):
    class PostOnly(View):
        methods = ["POST"]
        provide_automatic_options = False

        def dispatch_request(self) -> str:
            return request.method

    app.add_url_rule("/", view_func=PostOnly.as_view("post_only"))
    assert client.post("/").data == b"POST"
    assert client.get("/").status_code == 405
    assert client.open("/", method="OPTIONS").status_code == 405


def test_view_class_replaced_on_the_function_is_used(app, client):
    class Other(Greeting):
        def dispatch_request(self, name: str) -> str:
            return "other " + name

    view = Greeting.as_view("g")
    view.view_class = Other
    app.add_url_rule("/<name>", view_func=view)
    assert client.get("/x").data == b"other x"


def test_async_dispatch_request(app, client):
    class AsyncView(View):
        async def dispatch_request(self) -> str:
            return "async " + request.path

    app.add_url_rule("/async", view_func=AsyncView.as_view("async_view"))
    assert client.get("/async").data == b"async /async"


def test_view_outside_a_context_raises_runtime_error():
    class Plain(View):
        def dispatch_request(self) -> str:
            return "x"

    with pytest.raises(RuntimeError, match="Working outside of application context"):
        Plain.as_view("plain")()


# -- MethodView -----------------------------------------------------------------


class Items(MethodView):
    def get(self, id: int | None = None) -> str:
        return f"get {id}"

    def post(self, id: int | None = None) -> str:
        return f"post {request.form.get('x')}"


class ItemsWithDelete(Items):
    def delete(self, id: int | None = None) -> str:
        return "deleted"


class PropfindMixin:
    methods = ["PROPFIND"]


class WithMixin(PropfindMixin, Items):
    def put(self, id: int | None = None) -> str:
        return "put"


class Explicit(Items):
    methods = ["GET", "PUT"]


class ExplicitChild(Explicit):
    def delete(self, id: int | None = None) -> str:
        return "deleted"


class Empty(MethodView):
    pass


class AllMethods(MethodView):
    def get(self): ...
    def post(self): ...
    def head(self): ...
    def options(self): ...
    def delete(self): ...
    def put(self): ...
    def trace(self): ...
    def patch(self): ...


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (Items, {"GET", "POST"}),
        (ItemsWithDelete, {"GET", "POST", "DELETE"}),
        (WithMixin, {"GET", "POST", "PUT", "PROPFIND"}),
        (Explicit, {"GET", "PUT"}),
        # Inherited methods count even below a class that set `methods`.
        (ExplicitChild, {"GET", "PUT", "DELETE", "POST"}),
        (Empty, None),
        (AllMethods, {"GET", "POST", "HEAD", "OPTIONS", "DELETE", "PUT", "TRACE", "PATCH"}),
    ],
)
def test_method_view_methods(cls, expected):
    methods = cls.methods
    assert (set(methods) if methods is not None else None) == expected


def test_explicit_methods_kept_as_given():
    assert Explicit.methods == ["GET", "PUT"]


def test_http_method_funcs():
    assert http_method_funcs == frozenset({"get", "post", "head", "options", "delete", "put", "trace", "patch"})


def test_method_view_dispatch(app, client):
    app.add_url_rule("/items", view_func=ItemsWithDelete.as_view("items"))
    app.add_url_rule("/items/<int:id>", view_func=ItemsWithDelete.as_view("item"))
    assert client.get("/items").data == b"get None"
    assert client.get("/items/3").data == b"get 3"
    assert client.post("/items/3", data={"x": "y"}).data == b"post y"
    assert client.delete("/items/3").data == b"deleted"
    assert client.put("/items/3").status_code == 405
    options = client.open("/items", method="OPTIONS")
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "DELETE", "OPTIONS"}


def test_head_falls_back_to_get(app, client):
    calls = []

    class Page(MethodView):
        def get(self) -> str:
            calls.append("get")
            return "body"

    app.add_url_rule("/", view_func=Page.as_view("page"))
    response = client.head("/")
    assert (response.status_code, response.data, response.content_length, calls) == (200, b"", 4, ["get"])


def test_explicit_head_wins_over_get(app, client):
    class Page(MethodView):
        def get(self) -> str:
            return "get"

        def head(self) -> str:
            return "head!"

    app.add_url_rule("/", view_func=Page.as_view("page"))
    assert client.head("/").content_length == 5


def test_unimplemented_method_is_an_assertion_error(app, client):
    app.add_url_rule("/", view_func=Explicit.as_view("explicit"))
    with pytest.raises(AssertionError, match="^Unimplemented method 'PUT'$"):
        client.put("/")


def test_async_methods(app, client):
    class AsyncItems(MethodView):
        async def get(self) -> str:
            return "async get"

        def post(self) -> str:
            return "sync post"

    assert set(AsyncItems.methods) == {"GET", "POST"}
    app.add_url_rule("/", view_func=AsyncItems.as_view("async_items"))
    assert client.get("/").data == b"async get"
    assert client.post("/").data == b"sync post"
    # Twice: the remembered "is async" answer is reused correctly.
    assert client.get("/").data == b"async get"


def test_custom_ensure_sync_is_used(tmp_path):
    wrapped = []

    class TracingFlask(Flask):
        def ensure_sync(self, func):
            wrapped.append(getattr(func, "__name__", "?"))
            return super().ensure_sync(func)

    app = TracingFlask("t", root_path=str(tmp_path))
    app.add_url_rule("/", view_func=Items.as_view("items"))
    assert app.test_client().get("/").data == b"get None"
    assert "dispatch_request" in wrapped
    assert "get" in wrapped


def test_ensure_sync_set_on_the_instance_is_used(app, client):
    wrapped = []
    original = app.ensure_sync

    def ensure_sync(func):
        wrapped.append(func.__name__)
        return original(func)

    app.ensure_sync = ensure_sync
    app.add_url_rule("/", view_func=Items.as_view("items"))
    assert client.get("/").data == b"get None"
    assert {"dispatch_request", "get"} <= set(wrapped)


def test_method_added_after_class_creation(app, client):
    class Late(MethodView):
        def get(self) -> str:
            return "get"

    async def post(self) -> str:
        return "late async post"

    Late.post = post
    app.add_url_rule("/", view_func=Late.as_view("late"), methods=["GET", "POST"])
    assert client.post("/").data == b"late async post"


def test_method_view_on_a_blueprint(app, client):
    bp = Blueprint("api", __name__, url_prefix="/api")
    bp.add_url_rule("/items/<int:id>", view_func=ItemsWithDelete.as_view("item"))
    app.register_blueprint(bp)
    assert client.get("/api/items/9").data == b"get 9"
    assert client.delete("/api/items/9").data == b"deleted"
    assert "api.item" in app.view_functions


def test_method_view_outside_a_request_raises_runtime_error(app):
    with app.app_context():
        with pytest.raises(RuntimeError, match="Working outside of request context"):
            Items().dispatch_request()
