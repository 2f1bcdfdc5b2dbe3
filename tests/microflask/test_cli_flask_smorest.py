"""flask-smorest's ``openapi`` group (a ``flask.cli.AppGroup`` whose
commands use ``@click.option``/``@click.argument``) on microflask, with the
extension imported through ``install_as_flask()``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import microflask

pytest.importorskip("click", reason="click is not installed: flask-smorest's commands are click commands")
pytest.importorskip("flask_smorest", reason="flask-smorest is not installed (the ecosystem test extra)")
if not hasattr(microflask, "install_as_flask"):
    pytest.skip("microflask.install_as_flask() is not available in this build", allow_module_level=True)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = """
import json
import sys

import microflask

microflask.install_as_flask()

from flask_smorest import Api, Blueprint

app = microflask.Flask("pets")
app.config.update(API_TITLE="Pets", API_VERSION="v1", OPENAPI_VERSION="3.0.2")
api = Api(app)
blp = Blueprint("pets", __name__, url_prefix="/pets")


@blp.route("/")
def pets():
    return []


api.register_blueprint(blp)
runner = app.test_cli_runner()
out = []
for args in (["openapi", "--help"], ["openapi", "print"], ["openapi", "print", "--format", "bad"],
             ["openapi", "write", sys.argv[1]], ["openapi", "list-config-prefixes"]):
    r = runner.invoke(args=args)
    out.append([r.exit_code, r.output])
print(json.dumps(out))
"""


@pytest.mark.slow
def test_openapi_commands(tmp_path):
    target = tmp_path / "spec.json"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(target)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ROOT},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    (help_code, help_out), (print_code, printed), (bad_code, bad_out), (write_code, _), (prefix_code, prefixes) = json.loads(
        proc.stdout
    )
    assert help_code == 0
    assert "print                 Print OpenAPI JSON document." in help_out
    assert print_code == 0
    spec = json.loads(printed)
    assert spec["info"] == {"title": "Pets", "version": "v1"}
    assert "/pets/" in spec["paths"]
    assert bad_code == 2
    assert "Error: Invalid value for '-f' / '--format': 'bad' is not one of 'json', 'yaml'." in bad_out
    assert write_code == 0
    assert json.loads(target.read_text()) == spec
    assert (prefix_code, prefixes) == (0, '""\n')
