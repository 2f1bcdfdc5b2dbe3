"""Flask-Migrate's ``flask db``, Flask-Babel's translated templates and
Flask-Caching's ``{% cache %}`` tag, on microflask, with the real packages.

Each app runs in a fresh interpreter, reached two ways: ``install_as_flask()``
called by the app, and the ``MICROFLASK_AS_FLASK=1`` switch on an unmodified
app (``python -m microflask`` honours the switch itself, so these tests do not
depend on the distribution's ``.pth`` hook being installed). A test is skipped,
naming the package, when the extension is not installed (they are in the
``ecosystem`` extra, which the ``test`` extra pulls in).
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def needs(*modules: str) -> pytest.MarkDecorator:
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} installed (pip install -e '.[ecosystem]')")


def _env(switch: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if switch:
        env["MICROFLASK_AS_FLASK"] = "1"
    return env


def run(args: list[str], cwd: pathlib.Path, switch: bool) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=180, env=_env(switch), cwd=cwd
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def last_json(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- Flask-Migrate: flask db init / migrate / upgrade on a real sqlite file -----------

MIGRATE_APP = """
{install}import os
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "app.db")
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
"""


def _tables(path: pathlib.Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@needs("flask_migrate", "flask_sqlalchemy", "alembic")
@pytest.mark.slow
@pytest.mark.parametrize("switch", [True, False], ids=["env-switch", "install_as_flask"])
def test_flask_db_init_migrate_upgrade(tmp_path: pathlib.Path, switch: bool) -> None:
    install = "" if switch else "import microflask\nmicroflask.install_as_flask()\n"
    (tmp_path / "app.py").write_text(MIGRATE_APP.format(install=install))
    cli = ["-m", "microflask", "--app", "app"]

    help_text = run([*cli, "db", "--help"], tmp_path, switch).stdout
    assert "upgrade" in help_text and "migrate" in help_text

    run([*cli, "db", "init"], tmp_path, switch)
    assert (tmp_path / "migrations" / "env.py").is_file()
    run([*cli, "db", "migrate", "-m", "authors"], tmp_path, switch)
    versions = list((tmp_path / "migrations" / "versions").glob("*_authors.py"))
    assert len(versions) == 1 and "create_table('author'" in versions[0].read_text()

    run([*cli, "db", "upgrade"], tmp_path, switch)
    assert {"author", "alembic_version"} <= _tables(tmp_path / "app.db")
    current = run([*cli, "db", "current"], tmp_path, switch).stdout
    assert versions[0].name.split("_")[0] in current

    run([*cli, "db", "downgrade"], tmp_path, switch)
    assert "author" not in _tables(tmp_path / "app.db")


# -- Flask-Babel: {% trans %}, gettext and ngettext through app.jinja_env --------------

BABEL_APP = """
{install}import json
from flask import Flask, render_template_string
from flask_babel import Babel, gettext

app = Flask(__name__)
app.config["BABEL_TRANSLATION_DIRECTORIES"] = "translations"
babel = Babel(app, locale_selector=lambda: "de")

PAGE = (
    "{{% trans name=name %}}Hello {{{{ name }}}}!{{% endtrans %}}|"
    "{{{{ _('Goodbye') }}}}|"
    "{{% trans count=n %}}{{{{ count }}}} apple{{% pluralize %}}{{{{ count }}}} apples{{% endtrans %}}|"
    "{{{{ ngettext('%(num)d apple', '%(num)d apples', 1) }}}}|"
    "{{{{ _('Untranslated <b>') }}}}"
)

with app.test_request_context():
    print(json.dumps({{
        "page": render_template_string(PAGE, name="<Ann>", n=3),
        "python": gettext("Goodbye"),
    }}))
"""


def _write_catalog(tmp_path: pathlib.Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="de")
    catalog.add("Hello %(name)s!", "Hallo %(name)s!")
    catalog.add("Goodbye", "Auf Wiedersehen")
    catalog.add(("%(count)s apple", "%(count)s apples"), ("%(count)s Apfel", "%(count)s Äpfel"))
    catalog.add(("%(num)d apple", "%(num)d apples"), ("%(num)d Apfel", "%(num)d Äpfel"))
    folder = tmp_path / "translations" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as stream:
        write_mo(stream, catalog)


@needs("flask_babel", "babel")
@pytest.mark.parametrize("switch", [True, False], ids=["env-switch", "install_as_flask"])
def test_flask_babel_translates_templates(tmp_path: pathlib.Path, switch: bool) -> None:
    _write_catalog(tmp_path)
    install = "" if switch else "import microflask\nmicroflask.install_as_flask()\n"
    (tmp_path / "app.py").write_text(BABEL_APP.format(install=install))
    out = last_json(run(["-W", "error", "app.py"], tmp_path, switch))
    assert out["python"] == "Auf Wiedersehen"
    # A string template is autoescaped, as in Flask: the variable is escaped,
    # a message id (newstyle gettext) is not. Real Flask + Flask-Babel print
    # exactly this page.
    assert out["page"] == "Hallo &lt;Ann&gt;!|Auf Wiedersehen|3 Äpfel|1 Apfel|Untranslated <b>"


# -- Flask-Caching: its {% cache %} extension, unchanged --------------------------------

CACHING_APP = """
import microflask
microflask.install_as_flask()
import json
from flask import Flask, render_template_string
from flask_caching import Cache

app = Flask(__name__)
cache = Cache(app, config={{"CACHE_TYPE": "SimpleCache"}})
calls = []


def expensive():
    calls.append(1)
    return "v%d" % len(calls)


app.jinja_env.globals["expensive"] = expensive
SOURCE = '{{% cache 60, "frag" %}}<{{{{ expensive() }}}}>{{% endcache %}}'
with app.test_request_context():
    first = render_template_string(SOURCE)
    second = render_template_string(SOURCE)
print(json.dumps({{"first": first, "second": second, "calls": len(calls),
                  "jinja_ext": app.jinja_env.extensions and sorted(app.jinja_env.extensions)}}))
"""


@needs("flask_caching")
def test_flask_caching_fragment_tag(tmp_path: pathlib.Path) -> None:
    (tmp_path / "app.py").write_text(CACHING_APP.format())
    out = last_json(run(["-W", "error", "app.py"], tmp_path, switch=False))
    assert out["first"] == out["second"] == "<v1>"
    assert out["calls"] == 1
    assert any("CacheExtension" in name for name in out["jinja_ext"])
