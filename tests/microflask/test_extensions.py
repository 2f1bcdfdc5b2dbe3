"""Real Flask extensions running on microflask through ``install_as_flask()``.

Each app runs in its own interpreter, so the ``flask`` aliases never leak
into this test session (which may have imported the real Flask). A test is
skipped, saying which package is missing, when the extension is not
installed (``pip install flask-login flask-sqlalchemy flask-wtf``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

INSTALL = "import microflask\nmicroflask.install_as_flask()\n"


def needs(*modules: str) -> pytest.MarkDecorator:
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} installed (a real extension)")


def run_app(code: str, tmp_path: pathlib.Path, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter (warnings are errors); it prints
    one JSON object as its last line."""
    script = tmp_path / "ext_app.py"
    script.write_text(textwrap.dedent(code))
    full_env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True, text=True, timeout=180, env=full_env, cwd=tmp_path,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


LOGIN_APP = """
import json
from datetime import timedelta
import flask
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

app = Flask(__name__)
app.config.update(SECRET_KEY="secret", TESTING=True, REMEMBER_COOKIE_DURATION=timedelta(days=3))
login_manager = LoginManager(app)


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id


USERS = {"ann": User("ann")}


@login_manager.user_loader
def load_user(user_id):
    return USERS.get(user_id)


@app.route("/login/<name>")
def login(name):
    login_user(USERS[name], remember=True)
    return "logged in"


@app.route("/me")
@login_required
def me():
    return current_user.id


@app.route("/logout")
def logout():
    logout_user()
    return "logged out"


out = {"flask": type(app).__module__}
client = app.test_client()
out["anonymous"] = client.get("/me").status_code
out["login"] = client.get("/login/ann").text
cookie = client.get_cookie("remember_token")
out["remember_cookie"] = [cookie.value.split("|")[0], cookie.http_only, cookie.expires is not None]
out["me"] = client.get("/me").text
out["logout"] = client.get("/logout").text
out["after_logout"] = client.get("/me").status_code
out["cookie_after_logout"] = client.get_cookie("remember_token") is None

# A new browser holding only the remember cookie is logged back in.
fresh = app.test_client()
fresh.get("/login/ann")
remembered = fresh.get_cookie("remember_token").value
other = app.test_client()
other.set_cookie("remember_token", remembered)
out["remembered"] = other.get("/me").text

# A remember cookie set for a configured domain is kept and found by domain.
app.config["REMEMBER_COOKIE_DOMAIN"] = "localhost.local"
app.config["REMEMBER_COOKIE_PATH"] = "/mypath"
domain_client = app.test_client()
domain_client.get("/login/ann")
found = domain_client.get_cookie("remember_token", domain="localhost.local", path="/mypath")
out["domain_cookie"] = [found.domain, found.path]
print(json.dumps(out))
"""


@needs("flask_login")
def test_flask_login_login_logout_and_remember_cookie(tmp_path):
    out = run_app(INSTALL + LOGIN_APP, tmp_path)
    assert out == {
        "flask": "microflask.app",
        "anonymous": 401,
        "login": "logged in",
        "remember_cookie": ["ann", True, True],
        "me": "ann",
        "logout": "logged out",
        "after_logout": 401,
        "cookie_after_logout": True,
        "remembered": "ann",
        "domain_cookie": ["localhost.local", "/mypath"],
    }


@needs("flask_login")
def test_flask_login_through_the_environment_switch(tmp_path):
    # The same app, unmodified, run by `MICROFLASK_AS_FLASK=1 python -m microflask`.
    app_code = textwrap.dedent(LOGIN_APP).split("out = {", 1)[0] + textwrap.dedent(
        """
        @app.cli.command("check")
        def check_command():
            client = app.test_client()
            client.get("/login/ann")
            print(json.dumps([type(app).__module__, client.get("/me").text]))
        """
    )
    (tmp_path / "loginapp.py").write_text(app_code)
    env = {key: value for key, value in os.environ.items() if key != "MICROFLASK_AS_FLASK"}
    env.update(MICROFLASK_AS_FLASK="1", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "microflask", "--app", "loginapp", "check"],
        capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["microflask.app", "ann"]


SQLALCHEMY_APP = """
import json, sys
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + sys.argv[0].replace("ext_app.py", "items.db")
db.init_app(app)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


with app.app_context():
    db.create_all()


@app.post("/items")
def create():
    item = Item(name=request.json["name"])
    db.session.add(item)
    db.session.commit()
    return jsonify(id=item.id), 201


@app.get("/items/<int:item_id>")
def read(item_id):
    return jsonify(name=db.get_or_404(Item, item_id).name)


@app.put("/items/<int:item_id>")
def update(item_id):
    item = db.get_or_404(Item, item_id)
    item.name = request.json["name"]
    db.session.commit()
    return jsonify(name=item.name)


@app.delete("/items/<int:item_id>")
def delete(item_id):
    db.session.delete(db.get_or_404(Item, item_id))
    db.session.commit()
    return "", 204


@app.get("/items")
def listing():
    page = db.paginate(db.select(Item).order_by(Item.id), per_page=2)
    return jsonify(names=[item.name for item in page.items], total=page.total, pages=page.pages)


client = app.test_client()
out = {"created": [client.post("/items", json={"name": n}).get_json()["id"] for n in "abc"]}
out["read"] = client.get("/items/1").get_json()
out["update"] = client.put("/items/1", json={"name": "A"}).get_json()
out["delete"] = client.delete("/items/2").status_code
out["gone"] = client.get("/items/2").status_code
out["page"] = client.get("/items?page=1").get_json()
with app.app_context():
    out["stored"] = [item.name for item in db.session.scalars(db.select(Item).order_by(Item.id))]
print(json.dumps(out))
"""


@pytest.mark.slow
@needs("flask_sqlalchemy", "sqlalchemy")
def test_flask_sqlalchemy_crud_on_sqlite(tmp_path):
    out = run_app(INSTALL + SQLALCHEMY_APP, tmp_path)
    assert out == {
        "created": [1, 2, 3],
        "read": {"name": "a"},
        "update": {"name": "A"},
        "delete": 204,
        "gone": 404,
        "page": {"names": ["A", "c"], "total": 2, "pages": 1},
        "stored": ["A", "c"],
    }
    assert (tmp_path / "items.db").stat().st_size > 0


WTF_APP = """
import json, re
from flask import Flask, render_template_string
from flask_wtf import CSRFProtect, FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

app = Flask(__name__)
app.config.update(SECRET_KEY="secret")
CSRFProtect(app)


class NameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])


@app.route("/", methods=["GET", "POST"])
def index():
    form = NameForm()
    if form.validate_on_submit():
        return "hello " + form.name.data
    return render_template_string(
        "<form method=post>{{ form.csrf_token }}{{ form.name() }}</form>{{ form.errors|tojson }}", form=form
    )


client = app.test_client()
page = client.get("/").text
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
out = {
    "form_rendered": '<input id="name" name="name" required type="text" value="">' in page,
    "no_token": client.post("/", data={"name": "ann"}).status_code,
    "bad_token": client.post("/", data={"name": "ann", "csrf_token": token + "x"}).status_code,
    "valid": client.post("/", data={"name": "ann", "csrf_token": token}).text,
    "invalid_field": client.post("/", data={"name": "", "csrf_token": token}).text.rpartition("</form>")[2],
    "other_client": app.test_client().post("/", data={"name": "ann", "csrf_token": token}).status_code,
}
print(json.dumps(out))
"""


@needs("flask_wtf", "wtforms")
def test_flask_wtf_csrf_protected_form(tmp_path):
    out = run_app(INSTALL + WTF_APP, tmp_path)
    assert out == {
        "form_rendered": True,
        "no_token": 400,
        "bad_token": 400,
        "valid": "hello ann",
        "invalid_field": '{"name": ["This field is required."]}',
        # The token belongs to the first client's session.
        "other_client": 400,
    }
