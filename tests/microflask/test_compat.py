"""The compat layer (microflask/_compat.py): ``install_as_flask()``, the
package metadata it answers, the ``MICROFLASK_AS_FLASK`` switch and the
``.pth`` hook.

Each check runs in a fresh interpreter: installing the aliases changes how
``import flask`` resolves for the rest of the process, and the test session
itself may have imported the real Flask.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import re
import site
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

import microflask
import wsgikit

ROOT = pathlib.Path(__file__).resolve().parents[2]
PTH = ROOT / "microflask_as_flask.pth"

FLASK_SUBMODULES = [
    "app", "blueprints", "cli", "config", "ctx", "globals", "helpers", "json",
    "json.provider", "json.tag", "logging", "scaffold", "sessions", "signals",
    "templating", "testing", "typing", "views", "wrappers",
]
WERKZEUG_SUBMODULES = [
    "datastructures", "debug", "exceptions", "formparser", "http", "local",
    "middleware", "middleware.dispatcher", "middleware.proxy_fix",
    "middleware.shared_data", "routing", "sansio", "sansio.request",
    "sansio.response", "sansio.multipart", "sansio.utils", "security",
    "serving", "test", "urls", "user_agent", "utils", "wrappers", "wsgi",
]


def run_python(code: str, *args: str, env: dict[str, str] | None = None, cwd: pathlib.Path = ROOT,
               check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with warnings as errors."""
    full_env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, *args, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120, env=full_env, cwd=cwd,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"subprocess failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def run_json(code: str, *args: str, **kwargs) -> object:
    return json.loads(run_python(code, *args, **kwargs).stdout.strip().splitlines()[-1])


def installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


# -- aliasing -----------------------------------------------------------------


@pytest.fixture(scope="module")
def alias_identity():
    """For each flask/werkzeug submodule: (is it the very same module object
    as microflask's/wsgikit's, the module's own __spec__.name)."""
    return run_json(
        f"""
        import importlib, json, sys, microflask
        microflask.install_as_flask()
        out = {{}}
        for alias, target, names in (("flask", "microflask", {FLASK_SUBMODULES!r}),
                                     ("werkzeug", "wsgikit", {WERKZEUG_SUBMODULES!r})):
            for name in names:
                aliased = importlib.import_module(alias + "." + name)
                real = importlib.import_module(target + "." + name)
                out[alias + "." + name] = [aliased is real, sys.modules[alias + "." + name] is real,
                                           real.__spec__.name, real.__name__]
        print(json.dumps(out))
        """
    )


@pytest.mark.parametrize(
    ("alias", "target"),
    [("flask." + name, "microflask." + name) for name in FLASK_SUBMODULES]
    + [("werkzeug." + name, "wsgikit." + name) for name in WERKZEUG_SUBMODULES],
)
def test_submodule_is_the_same_module_object(alias_identity, alias, target):
    same, registered, spec_name, name = alias_identity[alias]
    assert same and registered
    # The module keeps its own identity: importing it under the alias name
    # does not rename it.
    assert spec_name == target
    assert name == target


def test_top_level_names_forward_to_the_project():
    result = run_json(
        """
        import json, microflask, wsgikit
        microflask.install_as_flask()
        import flask, werkzeug
        from flask import Flask, request, jsonify
        from werkzeug.exceptions import NotFound
        import microflask.cli
        app = Flask(__name__)
        @app.route("/")
        def index():
            return jsonify(path=request.path)
        body = app.test_client().get("/").get_json()
        flask.my_patch = 42  # a write goes to microflask itself
        print(json.dumps({
            "Flask": Flask is microflask.Flask,
            "cli": flask.cli is microflask.cli,
            "NotFound": NotFound is wsgikit.exceptions.NotFound,
            "Request": werkzeug.Request is wsgikit.Request,
            "patched": microflask.my_patch,
            "body": body,
            "isinstance": isinstance(app, flask.Flask),
            "dir": "Flask" in dir(flask) and "cli" in dir(flask),
        }))
        """
    )
    assert result == {
        "Flask": True, "cli": True, "NotFound": True, "Request": True, "patched": 42,
        "body": {"path": "/"}, "isinstance": True, "dir": True,
    }


def test_monkeypatching_the_alias_patches_the_project():
    out = run_python(
        """
        import microflask
        microflask.install_as_flask()
        import flask, flask.helpers
        original = flask.helpers.url_for
        flask.helpers.url_for = lambda *a, **k: "patched"
        import microflask.helpers
        assert microflask.helpers.url_for() == "patched"
        flask.helpers.url_for = original
        flask.extra = 1
        del flask.extra
        assert not hasattr(microflask, "extra")
        print("ok")
        """
    )
    assert out.stdout.strip() == "ok"


def test_mock_patch_of_a_flask_name_patches_and_restores_microflask():
    result = run_json(
        """
        import json
        from unittest import mock
        import microflask
        microflask.install_as_flask()
        import flask
        original = microflask.render_template
        with mock.patch("flask.render_template", return_value="patched"):
            inside = [microflask.render_template(), flask.render_template()]
        print(json.dumps(inside + [microflask.render_template is original, flask.render_template is original]))
        """
    )
    assert result == ["patched", "patched", True, True]


def test_calling_twice_is_harmless_and_keeps_one_finder():
    result = run_json(
        """
        import json, sys, microflask
        from microflask import _compat
        microflask.install_as_flask()
        import flask
        microflask.install_as_flask()
        import flask as again
        print(json.dumps([flask is again, sys.meta_path.count(_compat._finder)]))
        """
    )
    assert result == [True, 1]


def test_a_later_call_can_add_a_stand_in():
    result = run_json(
        """
        import json, microflask
        from microflask import _compat
        microflask.install_as_flask(jinja2=False, markupsafe=False)
        first = sorted(_compat.installed_aliases())
        microflask.install_as_flask(markupsafe=True)
        import markupsafe
        print(json.dumps([first, sorted(_compat.installed_aliases()), markupsafe.Markup.__module__]))
        """
    )
    assert result == [["flask", "werkzeug"], ["flask", "markupsafe", "werkzeug"], "microflask.markup"]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("import flask.debughelpers", "No module named 'flask.debughelpers': microflask stands in for 'flask' and has no 'microflask.debughelpers' (a microflask limitation)"),
        ("import werkzeug.testapp", "No module named 'werkzeug.testapp': microflask stands in for 'werkzeug' and has no 'wsgikit.testapp' (a microflask limitation)"),
        ("import flask.json.nope", "No module named 'flask.json.nope': microflask stands in for 'flask' and has no 'microflask.json.nope' (a microflask limitation)"),
    ],
)
def test_missing_submodule_is_a_clear_import_error(statement, expected):
    result = run_json(
        f"""
        import json, microflask
        microflask.install_as_flask()
        try:
            {statement}
        except ImportError as error:
            print(json.dumps([type(error).__name__, str(error), error.name]))
        """
    )
    assert result[0] == "ModuleNotFoundError"
    assert result[1] == expected
    assert result[2] == statement.split()[1]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("flask.sansio", "module 'flask' has no attribute 'sansio': 'flask.sansio' exists in Flask 3.1 but microflask does not provide it (a microflask limitation)"),
        ("flask.no_such_name", "module 'flask' has no attribute 'no_such_name'"),
        ("werkzeug.Href", "module 'werkzeug' has no attribute 'Href': 'werkzeug.Href' existed in Werkzeug releases before 3.1 and wsgikit does not provide it (a microflask limitation)"),
        ("werkzeug.no_such_name", "module 'werkzeug' has no attribute 'no_such_name'"),
    ],
)
def test_unknown_attribute_on_the_alias(expression, message):
    result = run_json(
        f"""
        import json, microflask
        microflask.install_as_flask()
        import flask, werkzeug
        try:
            {expression}
        except AttributeError as error:
            print(json.dumps([str(error), error.name]))
        """
    )
    assert result == [message, expression.split(".")[1]]


@pytest.mark.skipif(not installed("flask"), reason="needs the real Flask installed to import it first")
@pytest.mark.parametrize("module", ["flask", "werkzeug"])
def test_after_the_real_package_was_imported_is_a_runtime_error(module):
    result = run_json(
        f"""
        import json, sys
        import {module}
        real = {module}.__file__
        import microflask
        try:
            microflask.install_as_flask()
        except RuntimeError as error:
            print(json.dumps([str(error), real, "{module}" in sys.modules,
                              sys.modules["{module}"].__file__ == real]))
        """
    )
    message, real_file, still_there, untouched = result
    assert message.startswith(f"install_as_flask() was called after the real {module!r} was imported (from {real_file}).")
    assert still_there and untouched


def test_runtime_error_installs_nothing():
    # A stood-in module name imported for real: the call fails as a whole.
    result = run_json(
        """
        import json, sys, types
        sys.modules["jinja2"] = types.ModuleType("jinja2")
        sys.modules["jinja2"].__file__ = "/somewhere/jinja2/__init__.py"
        import microflask
        from microflask import _compat
        try:
            microflask.install_as_flask(jinja2=True)
        except RuntimeError as error:
            print(json.dumps([str(error), sorted(_compat.installed_aliases()), _compat._finder in sys.meta_path]))
        """
    )
    assert "'jinja2' was imported (from /somewhere/jinja2/__init__.py)" in result[0]
    assert result[1:] == [[], False]


# -- markupsafe and jinja2 ----------------------------------------------------


@pytest.mark.skipif(not (installed("jinja2") and installed("markupsafe")), reason="needs the real Jinja2 and MarkupSafe installed")
def test_real_jinja2_and_markupsafe_are_kept_by_default():
    result = run_json(
        """
        import json, microflask
        microflask.install_as_flask()
        import jinja2, markupsafe
        print(json.dumps([jinja2.__name__, jinja2.Environment.__module__, markupsafe.Markup.__module__]))
        """
    )
    assert result == ["jinja2", "jinja2.environment", "markupsafe"]


def test_explicit_stand_ins():
    result = run_json(
        """
        import json, importlib.metadata, microflask, microflask.templating, microflask.markup
        microflask.install_as_flask(markupsafe=True, jinja2=True)
        import jinja2, jinja2.loaders, markupsafe
        print(json.dumps([
            jinja2.Environment is microflask.templating.Environment,
            jinja2.loaders is microflask.templating.loaders,
            markupsafe.Markup is microflask.markup.Markup,
            importlib.metadata.version("jinja2"), importlib.metadata.version("MarkupSafe"),
            jinja2.__version__,
        ]))
        """
    )
    assert result == [True, True, True, "3.1.6", "3.0.3", "3.1.6"]


def test_stand_ins_default_on_when_the_real_packages_are_missing():
    # -S: no site-packages, so neither Jinja2 nor MarkupSafe can be found.
    result = run_json(
        """
        import json, microflask
        microflask.install_as_flask()
        import jinja2, markupsafe
        print(json.dumps([jinja2.__name__, jinja2.Template.__module__, markupsafe.escape("<").__class__.__module__]))
        """,
        "-S",
    )
    assert result == ["jinja2", "microflask.templating.environment", "microflask.markup"]


def test_explicit_false_keeps_a_missing_package_missing():
    result = run_json(
        """
        import json, microflask
        microflask.install_as_flask(jinja2=False, markupsafe=False)
        out = []
        for name in ("jinja2", "markupsafe"):
            try:
                __import__(name)
            except ImportError as error:
                out.append(str(error))
        print(json.dumps(out))
        """,
        "-S",
    )
    assert result == ["No module named 'jinja2'", "No module named 'markupsafe'"]


def test_markupsafe_stand_in_is_a_package_with_a_clear_missing_submodule():
    result = run_json(
        """
        import json, microflask
        microflask.install_as_flask(markupsafe=True)
        try:
            import markupsafe._speedups
        except ImportError as error:
            print(json.dumps(str(error)))
        """
    )
    assert result == ("No module named 'markupsafe._speedups': microflask stands in for 'markupsafe'"
                      " and has no 'microflask.markup._speedups' (a microflask limitation)")


# -- package identity -----------------------------------------------------------


def test_versions():
    assert microflask.__version__ == "0.1.0"
    assert wsgikit.__version__ == "0.1.0"
    assert re.fullmatch(r"3\.1\.\d+", microflask.__flask_version__)
    assert re.fullmatch(r"3\.1\.\d+", wsgikit.__werkzeug_version__)


def test_metadata_answers_the_implemented_versions_even_over_a_real_install():
    result = run_json(
        """
        import json, importlib.metadata as md, microflask, wsgikit
        microflask.install_as_flask()
        flask_dist = md.distribution("flask")
        print(json.dumps([
            md.version("flask"), md.version("Flask"), md.version("werkzeug"),
            flask_dist.metadata["Name"], flask_dist.metadata["Summary"],
            microflask.__flask_version__, wsgikit.__werkzeug_version__,
        ]))
        """
    )
    assert result[0] == result[1] == result[5]
    assert result[2] == result[6]
    assert result[3] == "Flask"
    assert result[4] == "Flask API provided by microflask 0.1.0 (module microflask)"


def test_metadata_is_untouched_without_the_aliases():
    result = run_json(
        """
        import json, importlib.metadata as md, microflask, microflask._compat
        try:
            dist = md.distribution("flask")
            print(json.dumps(type(dist).__module__))
        except md.PackageNotFoundError:
            print(json.dumps(None))
        """
    )
    assert result in (None, "importlib.metadata")


def test_dunder_version_follows_flask_and_werkzeug_3_1():
    result = run_json(
        """
        import json, warnings, microflask, wsgikit
        microflask.install_as_flask()
        import flask, werkzeug
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            version = flask.__version__
        try:
            werkzeug.__version__
            werkzeug_version = "present"
        except AttributeError as error:
            werkzeug_version = str(error)
        print(json.dumps([version, [str(w.message) for w in caught], [w.category.__name__ for w in caught],
                          caught[0].filename, werkzeug_version, microflask.__version__]))
        """
    )
    version, messages, categories, filename, werkzeug_version, own = result
    assert version == microflask.__flask_version__
    assert messages == [
        "The '__version__' attribute is deprecated and will be removed in Flask 3.2. Use feature"
        " detection or 'importlib.metadata.version(\"flask\")' instead."
    ]
    assert categories == ["DeprecationWarning"]
    assert filename == "<string>"  # reported at the caller
    assert werkzeug_version == "module 'werkzeug' has no attribute '__version__'"
    assert own == "0.1.0"


# -- submodules as attributes ---------------------------------------------------


def test_import_microflask_loads_no_submodule():
    result = run_json(
        """
        import json, sys, microflask, wsgikit
        print(json.dumps(sorted(m for m in sys.modules if m.startswith(("microflask.", "wsgikit.")))))
        """
    )
    assert result == []


@pytest.mark.parametrize("name", sorted(microflask._SUBMODULES))
def test_microflask_submodule_as_attribute(name):
    module = getattr(microflask, name)
    assert module.__name__ == f"microflask.{name}"
    assert name in dir(microflask)


@pytest.mark.parametrize("name", sorted(wsgikit._SUBMODULES))
def test_wsgikit_submodule_as_attribute(name):
    module = getattr(wsgikit, name)
    assert module.__name__ == f"wsgikit.{name}"
    assert name in dir(wsgikit)


def test_submodule_attribute_loads_only_that_module():
    result = run_json(
        """
        import json, sys, microflask
        microflask.cli.AppGroup
        print(json.dumps(["microflask.cli" in sys.modules, "microflask.testing" in sys.modules]))
        """
    )
    assert result == [True, False]


def test_context_stacks_of_flask_0_8():
    from microflask import globals as flask_globals

    assert microflask._request_ctx_stack is flask_globals._request_ctx_stack
    assert microflask._app_ctx_stack is flask_globals._app_ctx_stack
    assert "_request_ctx_stack" not in microflask.__all__


def test_microflask_unknown_attribute_names_the_flask_limitation():
    with pytest.raises(AttributeError, match=r"'flask.sansio' exists in Flask 3.1 but microflask does not provide it \(a microflask limitation\)"):
        microflask.sansio  # noqa: B018
    with pytest.raises(AttributeError, match=r"^module 'microflask' has no attribute 'nope'$"):
        microflask.nope  # noqa: B018


# -- the environment switch -----------------------------------------------------

FLASK_APP = """\
from flask import Flask, jsonify
import werkzeug

app = Flask(__name__)


@app.route("/")
def index():
    return jsonify(flask=type(app).__module__, werkzeug=werkzeug.Request.__module__)


@app.cli.command("which")
def which():
    print("running on", type(app).__module__)
"""


@pytest.fixture
def flask_app_dir(tmp_path):
    (tmp_path / "flaskapp.py").write_text(FLASK_APP)
    return tmp_path


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_python_m_microflask_honours_the_switch(flask_app_dir, value):
    env = dict(os.environ, MICROFLASK_AS_FLASK=value, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "microflask", "--app", "flaskapp", "which"],
        capture_output=True, text=True, timeout=120, env=env, cwd=flask_app_dir,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "running on microflask.app"


def test_switch_is_in_place_before_a_flask_commands_plugin_imports_flask(flask_app_dir):
    # A Flask CLI plugin (like Flask-Limiter's) is imported before the app;
    # with the switch its `import flask` already gets microflask.
    site = flask_app_dir / "site"
    site.mkdir()
    (site / "flaskplugin.py").write_text(textwrap.dedent(
        """
        from flask import current_app
        from flask.cli import AppGroup

        plugin = AppGroup("plugin", help="A plugin written for Flask.")


        @plugin.command("where")
        def where():
            print("plugin on", type(current_app._get_current_object()).__module__)
        """
    ))
    dist = site / "flaskplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: flaskplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[flask.commands]\nplugin = flaskplugin:plugin\n")
    env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    env.update(MICROFLASK_AS_FLASK="1", PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]))
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "microflask", "--app", "flaskapp", "plugin", "where"],
        capture_output=True, text=True, timeout=120, env=env, cwd=flask_app_dir,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "plugin on microflask.app"


@pytest.mark.parametrize("value", ["", "0", "false", "off", "no"])
def test_switch_values_meaning_off(value):
    result = run_json(
        """
        import json, sys
        from microflask import _compat
        print(json.dumps([_compat.install_from_environment(), _compat._finder in sys.meta_path]))
        """,
        env={"MICROFLASK_AS_FLASK": value},
    )
    assert result == [False, False]


def test_pth_hook_is_one_line_and_imports_nothing_when_off(tmp_path):
    lines = PTH.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("import os;")
    (tmp_path / PTH.name).write_text(PTH.read_text())
    result = run_json(
        f"""
        import json, site, sys
        site.addsitedir({str(tmp_path)!r})
        print(json.dumps(sorted(m for m in sys.modules if m.startswith(("microflask", "wsgikit", "flask", "werkzeug")))))
        """,
        env={"MICROFLASK_AS_FLASK": ""},
    )
    assert result == []


def test_pth_hook_installs_the_aliases_when_on(tmp_path):
    (tmp_path / PTH.name).write_text(PTH.read_text())
    result = run_json(
        f"""
        import json, site, sys
        site.addsitedir({str(tmp_path)!r})
        import flask
        print(json.dumps([flask.Flask.__module__, "microflask.app" in sys.modules]))
        """,
        env={"MICROFLASK_AS_FLASK": "1"},
    )
    assert result == ["microflask.app", True]


@pytest.mark.parametrize(
    "runner",
    [
        # What `python -m flask` does once the .pth hook ran at startup.
        "import runpy; runpy.run_module('flask', run_name='__main__', alter_sys=True)",
        # What Flask's own `flask` console script does.
        "from flask.cli import main; sys.exit(main())",
    ],
)
def test_python_m_flask_and_the_flask_script_run_microflask(flask_app_dir, tmp_path, runner):
    sitedir = tmp_path / "site"
    sitedir.mkdir()
    (sitedir / PTH.name).write_text(PTH.read_text())
    code = (
        f"import site, sys; site.addsitedir({str(sitedir)!r}); "
        f"sys.argv = ['flask', '--app', 'flaskapp', 'which']; {runner}"
    )
    env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    env.update(MICROFLASK_AS_FLASK="1", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                            timeout=120, env=env, cwd=flask_app_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "running on microflask.app"


@pytest.mark.skipif(not installed("gunicorn") or sys.platform == "win32", reason="needs gunicorn (the test extra)")
def test_gunicorn_serves_an_unmodified_flask_app_through_the_pth_hook(flask_app_dir, tmp_path):
    sitedir = tmp_path / "site"
    sitedir.mkdir()
    (sitedir / PTH.name).write_text(PTH.read_text())
    # The .pth runs as site-packages' would: site.addsitedir at startup,
    # before gunicorn imports the app.
    launcher = (
        f"import site, sys; site.addsitedir({str(sitedir)!r}); "
        "from gunicorn.app.wsgiapp import run; sys.argv[0] = 'gunicorn'; sys.exit(run())"
    )
    env = dict(os.environ, MICROFLASK_AS_FLASK="1", XDG_RUNTIME_DIR=str(tmp_path), PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(flask_app_dir)]))
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-c", launcher, "-w", "1", "-b", "127.0.0.1:0", "flaskapp:app"],
            cwd=flask_app_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            port = None
            deadline = time.monotonic() + 20
            while port is None and time.monotonic() < deadline and proc.poll() is None:
                found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
                port = int(found.group(1)) if found else None
                time.sleep(0.05)
            assert port is not None, log.read_text(errors="replace")
            body = None
            while body is None and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                        body = json.loads(response.read())
                except OSError:
                    time.sleep(0.05)
            assert body == {"flask": "microflask.app", "werkzeug": "wsgikit.wrappers.request"}, log.read_text()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_installed_pth_matches_the_source():
    found = [pathlib.Path(d) / PTH.name for d in site.getsitepackages() if (pathlib.Path(d) / PTH.name).exists()]
    if not found:
        pytest.skip("the distribution is not installed in this interpreter (pip install -e .)")
    assert found[0].read_text() == PTH.read_text()
