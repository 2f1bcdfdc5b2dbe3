"""Notes: a small JSON notes service written with full type hints.

This is the typed sample app. ``python3 -m mypy`` (strict) and ``python3 -m
pyright`` check it together with both packages (pyproject.toml), and
tests/test_types.py runs both in the test run. Its ``assert_type`` lines pin
down the types a user relies on, as under Flask: ``request.args.get("page",
1, type=int)`` is ``int``, ``jsonify()`` is a ``microflask.Response``,
``abort()`` never returns, route and hook decorators hand back the function
they were given. tests/examples/test_typed_app.py (typed and checked too)
drives it with the test client.

Run it::

    python3 -m microflask --app examples.typed_app run
    python3 -m microflask --app examples.typed_app seed --count 5
"""

from .app import create_app as create_app
