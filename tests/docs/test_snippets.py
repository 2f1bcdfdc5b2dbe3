"""The Python code blocks of the docs run as printed.

Each page's ```python blocks run in order in one namespace (like a reader
typing them into one session), then a check per page asserts something
about what they built -- usually by calling the app they define through a
test client. Pages run in an empty temporary directory that is also on
``sys.path``.

Two HTML comments on the line before a fence change what happens to it:

- ``<!-- not-run -->`` (or ``<!-- not-run: why -->``) skips the block (it
  needs a server, a package that is not installed, or it is a fragment of
  a larger program);
- ``<!-- file: path/name.ext -->`` writes the block (of any language) to
  that file instead of running it, as a reader following the page would
  save it. Modules of the package written are forgotten from
  ``sys.modules``, so the next import sees the new code -- this is how
  the build-along tutorial is run step by step.
"""

from __future__ import annotations

import pathlib
import re
import sys

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^```([\w+-]*)\n(.*?)^```", re.S | re.M)
NOT_RUN = "<!-- not-run -->"
FILE_MARK = re.compile(r"^<!-- file: (\S+) -->$")


def _steps(page: str) -> list[tuple[int, str, str | None, str]]:
    """Return ``(line, language, file or None, code)`` for every block that is not skipped."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        if before == NOT_RUN or (before.startswith("<!-- not-run: ") and before.endswith(" -->")):
            continue
        target = FILE_MARK.match(before)
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, match.group(1), target.group(1) if target else None, match.group(2)))
    return found


def blocks(page: str) -> list[tuple[int, str]]:
    """Return ``(line, code)`` for each python block of a page that runs."""
    return [(line, code) for line, lang, target, code in _steps(page) if lang == "python" and target is None]


def files(page: str) -> dict[str, str]:
    """Return the files a page tells the reader to save, the last version of each."""
    return {target: code for _, _, target, code in _steps(page) if target is not None}


def _forget_modules(top: str) -> None:
    """Forget the modules of package ``top`` that were loaded from the current directory.

    Only those: a page may write ``tests/conftest.py``, and the suite's own
    ``tests.*`` modules must stay as they are.
    """
    here = str(pathlib.Path.cwd())
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if module_file.startswith(here):
            del sys.modules[name]


def run_page(page: str) -> dict:
    """Run a page in the current directory (the ``workdir`` fixture's)."""
    namespace: dict = {"__name__": f"docs_{page[:-3].replace('-', '_').replace('/', '_')}"}
    for line, lang, target, code in _steps(page):
        if target is not None:
            path = pathlib.Path(target)
            assert not path.is_absolute() and ".." not in path.parts, target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
            if path.suffix == ".py":
                _forget_modules(path.parts[0].removesuffix(".py"))
        elif lang == "python":
            exec(compile(code, f"docs/{page}, block at line {line}", "exec"), namespace)
    return namespace


@pytest.fixture(autouse=True)
def workdir(tmp_path, monkeypatch):
    """Run each page in an empty directory that is importable, and forget its modules after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if module_file.startswith(str(tmp_path)):
            del sys.modules[name]


def test_fence_parsing_skips_only_marked_blocks(workdir, monkeypatch):
    page = workdir / "page.md"
    page.write_text(
        "x\n\n```python\na = 1\n```\n\n<!-- not-run -->\n```python\nraise SystemExit\n```\n"
        "```sh\nls\n```\n```python\nb = a + 1\n```\n"
    )
    monkeypatch.setitem(globals(), "DOCS", workdir)
    assert [code for _, code in blocks("page.md")] == ["a = 1\n", "b = a + 1\n"]
    assert run_page("page.md")["b"] == 2


def test_file_blocks_are_written_and_reimported(workdir, monkeypatch):
    page = workdir / "page.md"
    page.write_text(
        "<!-- file: pkg/__init__.py -->\n```python\nVALUE = 1\n```\n"
        "```python\nimport pkg\nfirst = pkg.VALUE\n```\n"
        "<!-- file: pkg/__init__.py -->\n```python\nVALUE = 2\n```\n"
        "<!-- file: pkg/data.txt -->\n```text\nhello\n```\n"
        "```python\nimport pkg\nsecond = pkg.VALUE\n```\n"
    )
    monkeypatch.setitem(globals(), "DOCS", workdir)
    ns = run_page("page.md")
    assert (ns["first"], ns["second"]) == (1, 2)
    assert (workdir / "pkg" / "data.txt").read_text() == "hello\n"
    assert files("page.md") == {"pkg/__init__.py": "VALUE = 2\n", "pkg/data.txt": "hello\n"}


# -------------------------------------------------------------- installation


def test_installation():
    ns = run_page("installation.md")
    assert ns["app"].name == "check"
    assert ns["wsgikit"].__version__


# ---------------------------------------------------------------- quickstart


def test_quickstart(workdir):
    ns = run_page("quickstart.md")
    assert (workdir / "hello.py").exists() and (workdir / "templates" / "hello.html").exists()
    # The page asserts as it goes; the last app is the one behind ProxyFix.
    client = ns["app"].test_client()
    assert client.get("/ip", headers={"X-Forwarded-For": "198.51.100.1"}).text == "198.51.100.1"
    assert client.get("/ip").text == "127.0.0.1"
    assert ns["USERS"][1]["name"] == "ann"
    assert (workdir / "uploads" / "etc_passwd").read_bytes() == b"hi"


# ------------------------------------------------------------- testing apps


def test_testing_apps():
    ns = run_page("testing-apps.md")
    # The page calls its own test functions; they must have been defined.
    assert {"test_user", "test_login_sets_the_session", "test_already_logged_in", "test_greet"} <= set(ns)
    result = ns["app"].test_cli_runner().invoke(args=["greet", "--help"])
    assert result.exit_code == 0 and "NAME" in result.output


# ------------------------------------------------- error handling, logging


def test_errorhandling():
    ns = run_page("errorhandling.md")
    assert ns["reported"] == [(ns["app"].name, "LookupError")]
    client = ns["app"].test_client()
    client.get("/crash")
    assert len(ns["reported"]) == 2


@pytest.fixture
def restore_logging():
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name in ("shop", "configured", "later", "audited"):
        logging.getLogger(name).handlers.clear()


def test_logging(restore_logging):
    ns = run_page("logging.md")
    assert ns["captured"].getvalue().count("payment started") == 1
    import logging

    assert logging.getLogger().level == logging.INFO          # dictConfig's root level
    assert not logging.getLogger("wsgikit").disabled          # disable_existing_loggers=False


# --------------------------------------------------------------------- async


def test_async():
    ns = run_page("async.md")
    app = ns["app"]
    assert app.ensure_sync(ns["fetch"]) is not ns["fetch"]
    assert app.ensure_sync(len) is len
    assert app.test_client().get("/items").json == ["a", "b"]


# ------------------------------------------------------------------ tutorial


def test_tutorial_builds_along(workdir):
    """Each step's files are written, then its "try it" block runs (in run_page)."""
    ns = run_page("tutorial.md")
    written = files("tutorial.md")
    assert {"myblog/__init__.py", "myblog/db.py", "myblog/auth.py", "myblog/blog.py", "myblog/schema.sql",
            "myblog/templates/base.html", "myblog/static/style.css", "tests/conftest.py"} <= set(written)
    # Every step ends with a check: as many "try it" blocks as numbered steps that add code (1-6).
    assert len(blocks("tutorial.md")) == 6
    assert ns["create_app"]({"TESTING": True, "DATABASE": str(workdir / "x.sqlite")}).name == "myblog"


@pytest.mark.slow
def test_tutorial_test_suite_passes(workdir):
    import os
    import subprocess
    import sys

    run_page("tutorial.md")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(workdir), str(DOCS.parent)])}
    # Not the variables of the pytest running this test (an xdist worker's among them).
    env = {key: value for key, value in env.items() if not key.startswith(("PYTEST_", "PYTHONHASHSEED"))}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "-p", "no:xdist", "-p", "no:benchmark", "-W", "error", "tests"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


# ---------------------------------------------------------------- deployment


@pytest.fixture
def deployment(monkeypatch):
    monkeypatch.setenv("MYAPP_SECRET_KEY", "s" * 64)
    monkeypatch.setenv("MYAPP_OLD_KEYS", "old-1,old-2")
    return run_page("deployment.md")


def test_deployment(deployment):
    ns = deployment
    app = ns["app"]
    assert app.config["SECRET_KEY"] == "s" * 64
    assert app.config["SECRET_KEY_FALLBACKS"] == ["old-1", "old-2"]
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024

    client = app.test_client()
    # TRUSTED_HOSTS: the configured name and its subdomains only.
    assert client.get("/me", headers={"Host": "evil.example"}).status_code == 400
    base = "https://blog.example.com"
    response = client.post(f"{base}/login/ada")
    assert response.text == "welcome"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = client.get_cookie("session", domain="blog.example.com")
    assert cookie is not None and len(cookie.value) >= 40
    assert "ada" not in cookie.value  # only the id travels
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"]

    # The data lives in sqlite, keyed by the cookie's id.
    import json
    import sqlite3
    from contextlib import closing

    # closing(): a sqlite3 connection's own context manager only commits.
    with closing(sqlite3.connect(ns["store"])) as db:
        rows = db.execute("SELECT sid, data FROM session").fetchall()
    assert rows == [(cookie.value, json.dumps({"user": "ada"}))]
    assert client.get(f"{base}/me").json == {"user": "ada"}

    # Another client, or a forged id, gets an empty session and a new id.
    other = app.test_client()
    other.set_cookie("session", "forged-id", domain="blog.example.com")
    assert other.get(f"{base}/me").json == {"user": None}
    other.post(f"{base}/login/eve")
    assert other.get_cookie("session", domain="blog.example.com").value != "forged-id"

    # Logging out deletes the row and the cookie.
    client.post(f"{base}/logout")
    assert client.get_cookie("session", domain="blog.example.com") is None
    with closing(sqlite3.connect(ns["store"])) as db:
        assert db.execute("SELECT count(*) FROM session WHERE sid = ?", (cookie.value,)).fetchone() == (0,)


def test_deployment_proxy_fix(deployment):
    ns = deployment
    client = ns["app"].test_client()
    response = client.get(
        "/where", base_url="http://blog.example.com",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "blog.example.com", "X-Forwarded-Prefix": "/"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.json == {"client": "203.0.113.9", "url": "https://blog.example.com/where"}


# ------------------------------------------------------------- wsgikit guide


def test_wsgikit_guide():
    # The page asserts as it goes; here we check what it left behind.
    ns = run_page("wsgikit-guide.md")
    from wsgikit.test import Client

    client = Client(ns["greet_app"])
    response = client.post("/?name=x", data={"name": "ada"})
    assert response.text == "Hello, ada!"
    assert client.get_cookie("last_name").value == "ada"
    assert ns["NOTES"] == {2: "call mum"}
    assert ns["url_map"].bind("example.org").build("note", {"note_id": 7}) == "/notes/7"
    assert Client(ns["site"]).get("/api/").text == "/api/notes/"


# ------------------------------------------------------------------ contexts


def test_contexts():
    ns = run_page("contexts.md")
    app = ns["app"]
    assert ns["paths"] == {"ann": "ann", "bob": "bob"}
    assert ns["results"] == ["7"]
    assert "request context" in ns["outside_message"]
    # The tracing wrapper stays in place: a second request is traced too.
    assert app.test_client().get("/whoami?me=cy").text == "cy"
    assert ns["seen"][-2:] == [["wsgi_app /whoami"], ["before_request", "teardown"]]
    from microflask import has_request_context

    assert not has_request_context()


# ------------------------------------------------------------------ security


def test_security():
    ns = run_page("security.md")
    assert ns["headers"].to_wsgi_list() == []
    assert ns["cookie"].count(".") == 2  # payload.timestamp.signature
    client = ns["app"].test_client()  # the limits app, the page's last
    assert client.post("/upload", data={"text": "ok"}).text == "2"


# ----------------------------------------------------------------- migration


def test_migration():
    ns = run_page("migration.md")
    client = ns["app"].test_client()
    assert client.get("/items/4?verbose=1").json == {"id": 4, "verbose": True}


def test_migration_lists_every_module_with_differences():
    text = (DOCS / "migration.md").read_text(encoding="utf-8")
    for section in ["wsgikit.datastructures", "wsgikit.http", "wsgikit.routing", "wsgikit.serving",
                    "wsgikit.test", "wsgikit.debug", "wsgikit.middleware", "microflask.templating"]:
        assert f"### `{section}`" in text


def test_every_page_of_this_set_has_runnable_blocks():
    for page in ["installation.md", "quickstart.md", "contexts.md", "deployment.md", "security.md",
                 "wsgikit-guide.md", "migration.md"]:
        assert blocks(page), page


# ------------------------------------------------------- every page's blocks


#: Reference pages whose blocks run as printed, with nothing more to check
#: than that they do (their blocks assert what they show).
REFERENCE_PAGES = ["blueprints.md", "routing.md", "sessions.md"]


def test_a_page_writing_tests_conftest_keeps_the_suites_modules(workdir, monkeypatch):
    page = workdir / "page.md"
    page.write_text("<!-- file: tests/conftest.py -->\n```python\nX = 1\n```\n")
    monkeypatch.setitem(globals(), "DOCS", workdir)
    this_module = sys.modules[__name__]
    run_page("page.md")
    assert sys.modules[__name__] is this_module

#: Pages another piece of work owns and has not sorted into runnable and
#: marked blocks yet; this set should only shrink.
NOT_SORTED_YET = {"debugging.md", "sandbox.md", "serving.md", "templates.md"}


@pytest.mark.parametrize("page", REFERENCE_PAGES)
def test_reference_page_runs(page):
    assert blocks(page)
    run_page(page)


def test_every_python_block_is_run_or_marked():
    import pathlib as _pathlib

    here = _pathlib.Path(__file__).parent
    tests = "".join(path.read_text(encoding="utf-8") for path in here.glob("test_*.py"))
    run = set(re.findall(r'run_page\("([^"]+)"\)', tests)) | set(REFERENCE_PAGES)
    unmarked = [str(path.relative_to(DOCS)) for path in sorted(DOCS.rglob("*.md"))
                if blocks(str(path.relative_to(DOCS)))]
    loose = [page for page in unmarked
             if page not in run and not page.startswith("patterns/") and page not in NOT_SORTED_YET]
    assert loose == []
