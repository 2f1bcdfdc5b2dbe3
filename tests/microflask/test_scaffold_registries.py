"""The hook registries count every change, however it is made, so caches
built from them know when to rebuild."""

from __future__ import annotations

import copy
import typing as t

import pytest

from microflask import Blueprint
from microflask import Flask

REGISTRIES = [
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "template_context_processors",
    "url_value_preprocessors",
    "url_default_functions",
]


def f(*args: t.Any) -> None:
    return None


MUTATIONS: list[tuple[str, t.Callable[[t.Any], t.Any]]] = [
    ("append", lambda r: r[None].append(f)),
    ("extend", lambda r: r[None].extend([f])),
    ("insert", lambda r: r[None].insert(0, f)),
    ("iadd", lambda r: r[None].__iadd__([f])),
    ("setitem in list", lambda r: (r[None].append(f), r[None].__setitem__(0, f))),
    ("delitem in list", lambda r: (r[None].append(f), r[None].__delitem__(0))),
    ("remove", lambda r: (r[None].append(f), r[None].remove(f))),
    ("pop", lambda r: (r[None].append(f), r[None].pop())),
    ("clear list", lambda r: (r[None].append(f), r[None].clear())),
    ("reverse", lambda r: r[None].reverse()),
    ("setdefault", lambda r: r.setdefault("bp", []).append(f)),
    ("del key", lambda r: (r[None].append(f), r.__delitem__(None))),
    ("pop key", lambda r: (r[None].append(f), r.pop(None))),
    ("clear", lambda r: (r[None].append(f), r.clear())),
]


@pytest.mark.parametrize("registry", REGISTRIES)
@pytest.mark.parametrize(("what", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_every_change_bumps_the_version(registry: str, what: str, mutate: t.Callable[[t.Any], t.Any]) -> None:
    app = Flask(__name__)
    version = app._setup_version
    reg = getattr(app, registry)
    reg[None]  # noqa: B018 -- a defaultdict creates the list on first read
    before = version.value
    mutate(reg)
    assert version.value > before
    assert not version.untracked


def test_a_foreign_list_makes_the_registries_untracked() -> None:
    app = Flask(__name__)
    mine: list[t.Any] = []
    app.before_request_funcs[None] = mine
    assert app._setup_version.untracked
    assert app.before_request_funcs[None] is mine  # stored as given, as in Flask


def test_decorators_and_blueprints_keep_them_tracked() -> None:
    app = Flask(__name__)
    bp = Blueprint("bp", __name__)
    bp.before_request(f)
    bp.before_app_request(f)
    bp.url_defaults(f)
    app.register_blueprint(bp)
    app.before_request(f)
    app.teardown_request(f)
    assert app.before_request_funcs["bp"] == [f]
    assert app.before_request_funcs[None] == [f, f]
    assert not app._setup_version.untracked


def test_registries_still_act_like_flasks() -> None:
    app = Flask(__name__)
    app.before_request(f)
    reg = app.before_request_funcs
    assert isinstance(reg, dict) and isinstance(reg[None], list)
    assert reg == {None: [f]}
    assert reg.get("missing", ()) == ()
    copied = copy.deepcopy(reg)
    assert copied == {None: [f]} and type(copied[None]) is list
