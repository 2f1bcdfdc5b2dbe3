"""PackageLoader from a zipped package (a real zip on sys.path)."""

from __future__ import annotations

import sys
import typing as t
import zipfile

import pytest

from microflask.templating import Environment, PackageLoader, TemplateNotFound


@pytest.fixture()
def zipped_package(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> t.Iterator[str]:
    name = "mf_zipped_templates_pkg"
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"{name}/__init__.py", "")
        z.writestr(f"{name}/templates/a.html", "Hi {{ name }}")
        z.writestr(f"{name}/templates/sub/b.txt", "S")
        z.writestr(f"{name}/other/c.html", "C")
    monkeypatch.syspath_prepend(str(archive))
    yield name
    sys.modules.pop(name, None)


def test_package_loader_from_zip(zipped_package: str) -> None:
    loader = PackageLoader(zipped_package)
    env = Environment(loader=loader)
    assert env.get_template("a.html").render(name="z") == "Hi z"
    assert env.list_templates() == ["a.html", "sub/b.txt"]
    template = env.get_template("sub/b.txt")
    assert template.filename is not None and template.filename.endswith("pkg.zip/" + zipped_package + "/templates/sub/b.txt")
    assert template.is_up_to_date
    for missing in ["nope.html", "../other/c.html", "sub/../../other/c.html"]:
        with pytest.raises(TemplateNotFound):
            env.get_template(missing)
    other = Environment(loader=PackageLoader(zipped_package, "other"))
    assert other.get_template("c.html").render() == "C" and other.list_templates() == ["c.html"]
    with pytest.raises(ValueError, match="could not find a 'nope' directory"):
        PackageLoader(zipped_package, "nope")


def test_package_loader_from_zip_matches_jinja2(zipped_package: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment(loader=jinja2.PackageLoader(zipped_package))
    assert env.get_template("a.html").render(name="z") == "Hi z"
    assert env.list_templates() == ["a.html", "sub/b.txt"]
