from __future__ import annotations

import pytest

from microflask import Flask
from microflask.globals import _cv_app
from microflask.globals import _cv_request


@pytest.fixture(autouse=True)
def _no_leaked_contexts():
    """Fail a test that leaves an application or request context pushed
    (and pop what it left, so the next test starts clean)."""
    yield
    leaked = []
    while (req := _cv_request.get(None)) is not None:
        leaked.append(req)
        req.pop()
    while (ctx := _cv_app.get(None)) is not None:
        leaked.append(ctx)
        ctx.pop()
    if leaked:
        pytest.fail(f"test left contexts pushed: {leaked!r}")


@pytest.fixture
def app(tmp_path):
    app = Flask("test_app", root_path=str(tmp_path))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app):
    return app.test_client()
