"""Bytecode caches, compile_templates and ModuleLoader."""

from __future__ import annotations

import os
import stat
import tempfile
import traceback
import typing as t
import zipfile

import pytest

from microflask.templating import (
    BytecodeCache,
    DictLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    MemcachedBytecodeCache,
    ModuleLoader,
    TemplateNotFound,
    TemplateSyntaxError,
)
from microflask.templating.bccache import Bucket
from microflask.templating.sandbox import SandboxedEnvironment

TEMPLATES = {
    "a.html": "{% extends 'b.html' %}{% block x %}A{{ 1 / z }}{% endblock %}",
    "b.html": "<{% block x %}{% endblock %}>",
    "bad.html": "{% if %}",
    "note.txt": "{{ z }}",
}


def _no_compiling(env: Environment) -> None:
    def refuse(*args: t.Any) -> t.NoReturn:
        raise AssertionError("compiled although cached")

    env._compile_template = refuse  # type: ignore[method-assign]


# -- buckets ----------------------------------------------------------------------------


def _bucket(env: Environment | None = None, checksum: str = "c1") -> Bucket:
    env = env or Environment()
    bucket = Bucket(env, "key", checksum)
    bucket.code, bucket.line_map = env._compile_template("{{ x }}!", "t", None)
    return bucket


def test_bucket_round_trip() -> None:
    env = Environment()
    data = _bucket(env).bytecode_to_string()
    other = Bucket(env, "key", "c1")
    other.bytecode_from_string(data)
    assert other.code is not None and other.line_map is not None


@pytest.mark.parametrize(
    ("env", "checksum", "data"),
    [
        (Environment(), "c2", None),  # the source changed
        (Environment(enable_async=True), "c1", None),  # another kind of environment
        (SandboxedEnvironment(), "c1", None),  # never run unsandboxed code in the sandbox
        (Environment(autoescape=True), "c1", None),
        (Environment(), "c1", b"garbage"),
        (Environment(), "c1", b""),
    ],
)
def test_bucket_mismatch_is_empty(env: Environment, checksum: str, data: bytes | None) -> None:
    if data is None:
        data = _bucket(Environment()).bytecode_to_string()
    bucket = Bucket(env, "key", checksum)
    bucket.bytecode_from_string(data)
    assert bucket.code is None


def test_empty_bucket_cannot_be_written() -> None:
    with pytest.raises(TypeError, match="can't write empty bucket"):
        Bucket(Environment(), "k", "c").bytecode_to_string()


def test_cache_keys_match_jinja2() -> None:
    cache = BytecodeCache()
    assert cache.get_cache_key("x.html") == "a4d510cffa242121d1e4732e2503606749cb14b2"
    assert cache.get_cache_key("x.html", "/a/x.html") == "d9c396e299d24cbe87d84b15dfd3c58540680840"
    assert cache.get_source_checksum("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"
    jinja_bccache = pytest.importorskip("jinja2.bccache")
    jinja_cache = jinja_bccache.BytecodeCache()
    for args in [("x.html",), ("x.html", "/a/x.html")]:
        assert cache.get_cache_key(*args) == jinja_cache.get_cache_key(*args)


def test_base_cache_methods_are_abstract() -> None:
    with pytest.raises(NotImplementedError):
        BytecodeCache().load_bytecode(Bucket(Environment(), "k", "c"))


# -- the file system cache --------------------------------------------------------------------


def test_filesystem_cache_used_by_get_template(tmp_path: t.Any) -> None:
    cache = FileSystemBytecodeCache(str(tmp_path), "%s.bc")
    env = Environment(loader=DictLoader(TEMPLATES), bytecode_cache=cache)
    assert env.bytecode_cache is cache
    assert env.get_template("a.html").render(z=1) == "<A1.0>"
    assert sorted(os.listdir(tmp_path)) == sorted(cache.get_cache_key(n) + ".bc" for n in ["a.html", "b.html"])
    fresh = Environment(loader=DictLoader(TEMPLATES), bytecode_cache=cache)
    _no_compiling(fresh)
    template = fresh.get_template("a.html")
    assert template.render(z=2) == "<A0.5>"
    with pytest.raises(ZeroDivisionError):
        template.render(z=0)
    cache.clear()
    assert os.listdir(tmp_path) == []


def test_filesystem_cache_recompiles_changed_source(tmp_path: t.Any) -> None:
    cache = FileSystemBytecodeCache(str(tmp_path))
    Environment(loader=DictLoader({"t": "one"}), bytecode_cache=cache).get_template("t")
    assert Environment(loader=DictLoader({"t": "two"}), bytecode_cache=cache).get_template("t").render() == "two"


def test_filesystem_cache_traceback_points_at_template(tmp_path: t.Any) -> None:
    (tmp_path / "t.html").write_text("line1\n{{ 1 / z }}\n")
    cache = FileSystemBytecodeCache(str(tmp_path))
    Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=cache).get_template("t.html")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
    _no_compiling(env)
    with pytest.raises(ZeroDivisionError) as info:
        env.get_template("t.html").render(z=0)
    text = "".join(traceback.format_tb(info.value.__traceback__))
    assert f'{tmp_path / "t.html"}", line 2' in text


@pytest.fixture()
def private_tmp(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> t.Any:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_default_directory_is_private(private_tmp: t.Any) -> None:
    cache = FileSystemBytecodeCache()
    assert os.path.dirname(cache.directory) == str(private_tmp)
    info = os.lstat(cache.directory)
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.getuid()
    assert FileSystemBytecodeCache().directory == cache.directory  # reused


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o777, 0o757, 0o770, 0o705])
def test_default_directory_refused_when_accessible_to_others(private_tmp: t.Any, mode: int) -> None:
    path = private_tmp / f"_microflask-templates-cache-{os.getuid()}"
    path.mkdir()
    os.chmod(path, mode)
    with pytest.raises(RuntimeError, match="Refusing the bytecode cache directory"):
        FileSystemBytecodeCache()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_default_directory_refused_when_symlink(private_tmp: t.Any) -> None:
    real = private_tmp / "elsewhere"
    real.mkdir(mode=0o700)
    os.symlink(real, private_tmp / f"_microflask-templates-cache-{os.getuid()}")
    with pytest.raises(RuntimeError, match="Refusing"):
        FileSystemBytecodeCache()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_default_directory_refused_when_owned_by_another_user(private_tmp: t.Any) -> None:
    path = private_tmp / f"_microflask-templates-cache-{os.getuid()}"
    path.mkdir(mode=0o700)
    os.chown(path, 12345, -1)
    with pytest.raises(RuntimeError, match="Refusing"):
        FileSystemBytecodeCache()


# -- memcached ------------------------------------------------------------------------------------


class _DictClient:
    """An in-memory store with the memcache client interface."""

    def __init__(self) -> None:
        self.data: dict[str, t.Any] = {}
        self.timeouts: list[int | None] = []

    def get(self, key: str) -> t.Any:
        return self.data.get(key)

    def set(self, key: str, value: t.Any, timeout: int | None = None) -> None:
        self.data[key] = value
        self.timeouts.append(timeout)


class _BrokenClient:
    def get(self, key: str) -> t.Any:
        raise ConnectionError("down")

    def set(self, key: str, value: t.Any, timeout: int | None = None) -> None:
        raise ConnectionError("down")


def test_memcached_cache() -> None:
    client = _DictClient()
    cache = MemcachedBytecodeCache(client, prefix="p/", timeout=30)
    env = Environment(loader=DictLoader({"t": "{{ 6 * 7 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "42"
    assert list(client.data) == ["p/" + cache.get_cache_key("t")] and client.timeouts == [30]
    fresh = Environment(loader=DictLoader({"t": "{{ 6 * 7 }}"}), bytecode_cache=cache)
    _no_compiling(fresh)
    assert fresh.get_template("t").render() == "42"


def test_memcached_defaults_and_errors() -> None:
    cache = MemcachedBytecodeCache(_BrokenClient())
    assert (cache.prefix, cache.timeout, cache.ignore_memcache_errors) == ("jinja2/bytecode/", None, True)
    env = Environment(loader=DictLoader({"t": "ok"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "ok"
    strict = Environment(loader=DictLoader({"t": "ok"}), bytecode_cache=MemcachedBytecodeCache(_BrokenClient(), ignore_memcache_errors=False))
    with pytest.raises(ConnectionError):
        strict.get_template("t")


# -- compile_templates and ModuleLoader --------------------------------------------------------------


def test_compile_templates_to_folder_and_zip(tmp_path: t.Any) -> None:
    env = Environment(loader=DictLoader(TEMPLATES))
    logs: list[str] = []
    folder = tmp_path / "out"
    env.compile_templates(str(folder), extensions=["html"], zip=None, log_function=logs.append)
    key = ModuleLoader.get_template_key
    assert logs == [
        f"Compiling into folder {str(folder)!r}",
        f'Compiled "a.html" as {key("a.html")}.py',
        f'Compiled "b.html" as {key("b.html")}.py',
        "Could not compile \"bad.html\": Expected an expression, got 'end of statement block'",
        "Finished compiling templates",
    ]
    assert sorted(os.listdir(folder)) == sorted([key("a.html") + ".py", key("b.html") + ".py"])
    archive = tmp_path / "t.zip"
    logs.clear()
    env.compile_templates(str(archive), filter_func=lambda n: n != "bad.html", log_function=logs.append)
    assert logs[0] == f"Compiling into Zip archive {str(archive)!r}" and len(logs) == 5
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == sorted(ModuleLoader.get_module_filename(n) for n in ["a.html", "b.html", "note.txt"])
    for path in [str(folder), str(archive), [str(tmp_path / "missing"), str(archive)]]:
        loaded = Environment(loader=ModuleLoader(path))  # type: ignore[arg-type]
        assert loaded.get_template("a.html").render(z=1) == "<A1.0>"
        with pytest.raises(TemplateNotFound):
            loaded.get_template("nope.html")


def test_compile_templates_like_jinja2(tmp_path: t.Any) -> None:
    jinja2 = pytest.importorskip("jinja2")
    ours: list[str] = []
    theirs: list[str] = []
    Environment(loader=DictLoader(TEMPLATES)).compile_templates(str(tmp_path / "o"), zip=None, log_function=ours.append)
    jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES)).compile_templates(str(tmp_path / "j"), zip=None, log_function=theirs.append)
    assert [line.replace("/o'", "/j'") for line in ours] == theirs
    assert sorted(os.listdir(tmp_path / "o")) == sorted(os.listdir(tmp_path / "j"))


def test_compile_templates_errors(tmp_path: t.Any) -> None:
    env = Environment(loader=DictLoader(TEMPLATES))
    with pytest.raises(TemplateSyntaxError):
        env.compile_templates(str(tmp_path), zip=None, ignore_errors=False)
    with pytest.raises(TypeError, match="no loader"):
        Environment().compile_templates(str(tmp_path))


def test_module_loader_traceback_and_modes(tmp_path: t.Any) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "t.html").write_text("x\n{{ 1 / z }}\n")
    Environment(loader=FileSystemLoader(str(tmp_path / "src"))).compile_templates(str(tmp_path / "out"), zip=None)
    loader = ModuleLoader(str(tmp_path / "out"))
    assert loader.has_source_access is False
    template = Environment(loader=loader).get_template("t.html")
    assert template.filename == str(tmp_path / "src" / "t.html")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(z=0)
    assert f'{tmp_path / "src" / "t.html"}", line 2' in "".join(traceback.format_tb(info.value.__traceback__))
    for other in [Environment(loader=loader, enable_async=True), SandboxedEnvironment(loader=loader)]:
        with pytest.raises(RuntimeError, match="compiled for another kind of environment"):
            other.get_template("t.html")
    with pytest.raises(RuntimeError, match="cannot provide access to the source"):
        loader.get_source(Environment(), "t.html")


def test_module_loader_in_async_mode(tmp_path: t.Any) -> None:
    env = Environment(loader=DictLoader(TEMPLATES), enable_async=True)
    env.compile_templates(str(tmp_path), zip=None)
    loaded = Environment(loader=ModuleLoader(str(tmp_path)), enable_async=True)
    assert loaded.get_template("a.html").render(z=4) == "<A0.25>"
