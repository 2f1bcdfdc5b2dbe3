"""Every page under docs/patterns/ runs as printed and checks itself.

The pages assert as they go (each calls its application through the test
client), so running a page is its test. A page that calls ``install_as_flask()`` sets up the
``flask`` aliases, which are process-wide, so those pages run in a subprocess.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from tests.docs.test_snippets import DOCS, blocks, files, run_page, workdir  # noqa: F401 -- the fixture

PATTERNS = sorted(p.name for p in (DOCS / "patterns").glob("*.md") if p.name != "index.md")
#: pages that install the flask aliases (process-wide), and the package each needs
OWN_PROCESS = {"wtforms.md": "flask_wtf", "sqlalchemy.md": "flask_sqlalchemy"}


def test_every_pattern_is_listed_in_the_index():
    index = (DOCS / "patterns" / "index.md").read_text(encoding="utf-8")
    assert PATTERNS and all(f"({page})" in index for page in PATTERNS)


@pytest.mark.parametrize("page", PATTERNS)
def test_pattern_checks_itself(page):
    code = "\n".join(code for _, code in blocks(f"patterns/{page}"))
    assert "assert " in code, "a pattern page shows that its code works"


@pytest.mark.parametrize("page", sorted(set(PATTERNS) - set(OWN_PROCESS)))
def test_pattern_runs(page):
    run_page(f"patterns/{page}")


@pytest.mark.slow
@pytest.mark.parametrize("page", sorted(OWN_PROCESS))
def test_pattern_runs_in_its_own_process(page, workdir):
    pytest.importorskip(OWN_PROCESS[page])
    assert not files(f"patterns/{page}")
    script = workdir / "page.py"
    script.write_text("\n".join(code for _, code in blocks(f"patterns/{page}")), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MICROFLASK_AS_FLASK"}
    env["PYTHONPATH"] = os.pathsep.join([str(DOCS.parent), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-W", "error", str(script)], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")
    assert [page for page in pages if f"({page})" not in index] == []


def test_relative_links_between_pages_resolve():
    import re

    broken = []
    for page in sorted(DOCS.rglob("*.md")):
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(DOCS)} -> {target}")
    assert broken == []
