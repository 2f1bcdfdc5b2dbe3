"""microflask.config: Config loaders, ConfigAttribute and the defaults."""

from __future__ import annotations

import json
import os
import sys
import types
import typing as t
from datetime import timedelta
from pathlib import Path

import pytest

from microflask.config import DEFAULT_CONFIG
from microflask.config import Config
from microflask.config import ConfigAttribute


def test_default_config_is_flask_31s() -> None:
    assert dict(DEFAULT_CONFIG) == {
        "APPLICATION_ROOT": "/",
        "DEBUG": None,
        "EXPLAIN_TEMPLATE_LOADING": False,
        "MAX_CONTENT_LENGTH": None,
        "MAX_COOKIE_SIZE": 4093,
        "MAX_FORM_MEMORY_SIZE": 500000,
        "MAX_FORM_PARTS": 1000,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        "PREFERRED_URL_SCHEME": "http",
        "PROPAGATE_EXCEPTIONS": None,
        "PROVIDE_AUTOMATIC_OPTIONS": True,
        "SECRET_KEY": None,
        "SECRET_KEY_FALLBACKS": None,
        "SEND_FILE_MAX_AGE_DEFAULT": None,
        "SERVER_NAME": None,
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_NAME": "session",
        "SESSION_COOKIE_PARTITIONED": False,
        "SESSION_COOKIE_PATH": None,
        "SESSION_COOKIE_SAMESITE": None,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_REFRESH_EACH_REQUEST": True,
        "TEMPLATES_AUTO_RELOAD": None,
        "TESTING": False,
        "TRAP_BAD_REQUEST_ERRORS": None,
        "TRAP_HTTP_EXCEPTIONS": False,
        "TRUSTED_HOSTS": None,
        "USE_X_SENDFILE": False,
    }


def test_default_config_is_immutable() -> None:
    with pytest.raises(TypeError):
        DEFAULT_CONFIG["DEBUG"] = True  # type: ignore[index]


def test_init_and_repr(tmp_path: Path) -> None:
    config = Config(tmp_path, {"A": 1})
    assert config == {"A": 1}
    assert config.root_path == tmp_path
    assert repr(config) == "<Config {'A': 1}>"
    assert repr(Config(".")) == "<Config {}>"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(tmp_path, {"D": 1})


def test_from_pyfile(config: Config, tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text("FOO = 1\nbar = 2\nFILE = __file__\nNAME = __name__\n")
    assert config.from_pyfile("settings.py") is True
    assert config == {"D": 1, "FOO": 1, "FILE": str(tmp_path / "settings.py"), "NAME": "config"}


def test_from_pyfile_absolute_path(config: Config, tmp_path: Path) -> None:
    (tmp_path / "abs.py").write_text("X = [1]\n")
    assert Config("/nonexistent").from_pyfile(tmp_path / "abs.py") is True


@pytest.mark.parametrize(
    ("name", "error", "reason"),
    [
        ("missing.py", FileNotFoundError, "No such file or directory"),
        (".", IsADirectoryError, "Is a directory"),
        ("file.txt/inner.py", NotADirectoryError, "Not a directory"),
    ],
)
def test_from_pyfile_errors(config: Config, tmp_path: Path, name: str, error: type[OSError], reason: str) -> None:
    (tmp_path / "file.txt").write_text("")
    path = os.path.join(tmp_path, name)
    with pytest.raises(error) as info:
        config.from_pyfile(name)
    assert info.value.strerror == f"Unable to load configuration file ({reason})"
    assert str(info.value).endswith(f"Unable to load configuration file ({reason}): {path!r}")
    assert config.from_pyfile(name, silent=True) is False


def test_silent_does_not_hide_other_errors(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import microflask.config as config_module

    def refuse(*args: object, **kwargs: object) -> t.NoReturn:
        raise PermissionError(13, "Permission denied", "locked.py")

    monkeypatch.setattr(config_module, "open", refuse, raising=False)
    with pytest.raises(PermissionError, match=r"Unable to load configuration file \(Permission denied\)"):
        config.from_pyfile("locked.py", silent=True)
    with pytest.raises(PermissionError):
        config.from_file("locked.json", json.load, silent=True)


def test_from_pyfile_syntax_error_propagates(config: Config, tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("x = (\n")
    with pytest.raises(SyntaxError):
        config.from_pyfile("bad.py", silent=True)


def test_from_envvar(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "env.py").write_text("FROM_ENV = 'yes'\n")
    monkeypatch.setenv("MF_TEST_SETTINGS", str(tmp_path / "env.py"))
    assert config.from_envvar("MF_TEST_SETTINGS") is True
    assert config["FROM_ENV"] == "yes"


def test_from_envvar_unset(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MF_TEST_UNSET", raising=False)
    with pytest.raises(RuntimeError) as info:
        config.from_envvar("MF_TEST_UNSET")
    assert str(info.value) == (
        "The environment variable 'MF_TEST_UNSET' is not set and as such configuration"
        " could not be loaded. Set this variable and make it point to a configuration file"
    )
    assert config.from_envvar("MF_TEST_UNSET", silent=True) is False


def test_from_envvar_missing_file(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MF_TEST_SETTINGS", "nope.py")
    with pytest.raises(FileNotFoundError):
        config.from_envvar("MF_TEST_SETTINGS")
    assert config.from_envvar("MF_TEST_SETTINGS", silent=True) is False


class Settings:
    DEBUG = True
    SECRET_KEY = "s"
    lower = "ignored"
    _PRIVATE_UPPER = "private"


def test_from_object() -> None:
    config = Config(".")
    config.from_object(Settings)
    assert config == {"DEBUG": True, "SECRET_KEY": "s", "_PRIVATE_UPPER": "private"}


def test_from_object_import_string(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("mf_test_settings_mod")
    module.VALUE = 3  # type: ignore[attr-defined]
    module.Prod = Settings  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mf_test_settings_mod", module)
    config = Config(".")
    config.from_object("mf_test_settings_mod")
    assert config == {"VALUE": 3}
    config.from_object("mf_test_settings_mod:Prod")
    assert config["SECRET_KEY"] == "s"


def test_from_object_bad_import_string() -> None:
    from wsgikit.utils import ImportStringError

    with pytest.raises(ImportStringError):
        Config(".").from_object("mf_no_such_module_anywhere.settings")


def test_from_file_json(config: Config, tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text('{"A": 1, "b": 2}')
    assert config.from_file("c.json", json.load) is True
    assert config == {"D": 1, "A": 1}


def test_from_file_binary_mode(config: Config, tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_bytes(b"X")
    seen = []

    def load(f: object) -> dict[str, int]:
        seen.append(type(f).__name__)
        return {"X": 1}

    config.from_file("c.toml", load, text=False)
    config.from_file("c.toml", load)
    assert seen == ["BufferedReader", "TextIOWrapper"]


def test_from_file_errors(config: Config) -> None:
    with pytest.raises(FileNotFoundError, match=r"Unable to load configuration file \(No such file or directory\)"):
        config.from_file("missing.json", json.load)
    assert config.from_file("missing.json", json.load, silent=True) is False
    assert config.from_file(".", json.load, silent=True) is False


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (({"A": 1, "b": 2},), {}, {"A": 1}),
        (([("K", 1), ("low", 2)],), {}, {"K": 1}),
        ((), {"X": 1, "y": 2}, {"X": 1}),
        (({"X": 1},), {"X": 2}, {"X": 2}),
        ((None,), {}, {}),
        ((types.MappingProxyType({"M": 1}),), {}, {"M": 1}),
        (({"MIXED_Case": 1, "WITH_1_DIGIT": 2, "_": 3, "": 4},), {}, {"WITH_1_DIGIT": 2}),
    ],
)
def test_from_mapping(args: tuple[object, ...], kwargs: dict[str, object], expected: dict[str, object]) -> None:
    config = Config(".")
    assert config.from_mapping(*args, **kwargs) is True
    assert config == expected


def test_from_mapping_rejects_non_pairs() -> None:
    with pytest.raises((TypeError, ValueError)):
        Config(".").from_mapping("abc")  # type: ignore[arg-type]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in list(os.environ):
        if key.startswith(("FLASK_", "MYAPP_")):
            monkeypatch.delenv(key)
    return monkeypatch


def test_from_prefixed_env(clean_env: pytest.MonkeyPatch) -> None:
    for key, value in {
        "FLASK_A": "1",
        "FLASK_B": '"x"',
        "FLASK_C": "notjson",
        "FLASK_D__E__F": "[1,2]",
        "FLASK_EXIST__K": "true",
        "FLASK_lower": "1",
        "FLASK_EMPTY": "",
        "FLASKX": "2",
        "OTHER_A": "3",
    }.items():
        clean_env.setenv(key, value)
    config = Config(".", {"EXIST": {"J": 0}})
    assert config.from_prefixed_env() is True
    assert config == {
        "A": 1,
        "B": "x",
        "C": "notjson",
        "D": {"E": {"F": [1, 2]}},
        "EXIST": {"J": 0, "K": True},
        "lower": 1,
        "EMPTY": "",
    }


def test_from_prefixed_env_custom_prefix_and_loads(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("MYAPP_A", "1")
    clean_env.setenv("MYAPP_N__B", "x")
    clean_env.setenv("FLASK_A", "2")
    config = Config(".")
    config.from_prefixed_env("MYAPP", loads=str.upper)
    assert config == {"A": "1", "N": {"B": "X"}}


def test_from_prefixed_env_sorted_order(clean_env: pytest.MonkeyPatch) -> None:
    # FLASK_N__X sorts after FLASK_N, so the dict replaces the plain value's
    # nested key space only if FLASK_N was a JSON object.
    clean_env.setenv("FLASK_N", '{"Y": 1}')
    clean_env.setenv("FLASK_N__X", "2")
    config = Config(".")
    config.from_prefixed_env()
    assert config == {"N": {"Y": 1, "X": 2}}


def test_from_prefixed_env_through_a_non_dict_is_a_clear_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FLASK_G", "5")
    clean_env.setenv("FLASK_G__H", "3")
    with pytest.raises(TypeError, match="Cannot set 'FLASK_G__H': the configuration value at 'G' is a int, not a dict."):
        Config(".").from_prefixed_env()


def test_get_namespace() -> None:
    config = Config(".")
    config.from_mapping(
        IMAGE_STORE_TYPE="fs",
        IMAGE_STORE_PATH="/x",
        IMAGE_STORE_BASE_URL="u",
        IMAGE_STOREX=1,
        OTHER=2,
    )
    assert config.get_namespace("IMAGE_STORE_") == {"type": "fs", "path": "/x", "base_url": "u"}
    assert config.get_namespace("IMAGE_STORE_", lowercase=False) == {"TYPE": "fs", "PATH": "/x", "BASE_URL": "u"}
    assert config.get_namespace("IMAGE_STORE_", trim_namespace=False) == {
        "image_store_type": "fs",
        "image_store_path": "/x",
        "image_store_base_url": "u",
    }
    assert config.get_namespace("IMAGE_") == {"store_type": "fs", "store_path": "/x", "store_base_url": "u", "storex": 1}
    assert config.get_namespace("NOPE_") == {}


class Holder:
    debug = ConfigAttribute[bool]("DEBUG")
    lifetime = ConfigAttribute[timedelta]("LIFETIME", get_converter=lambda v: timedelta(seconds=v) if isinstance(v, int) else v)

    def __init__(self) -> None:
        self.config = Config(".", {"DEBUG": False, "LIFETIME": 60})


def test_config_attribute() -> None:
    holder = Holder()
    assert holder.debug is False
    holder.debug = True
    assert holder.config["DEBUG"] is True
    assert holder.lifetime == timedelta(seconds=60)
    holder.lifetime = timedelta(days=1)  # type: ignore[assignment]
    assert holder.config["LIFETIME"] == timedelta(days=1)
    assert isinstance(Holder.__dict__["debug"], ConfigAttribute)
    assert Holder.debug.__name__ == "DEBUG"  # type: ignore[attr-defined]


def test_config_attribute_missing_key() -> None:
    holder = Holder()
    del holder.config["DEBUG"]
    with pytest.raises(KeyError):
        holder.debug  # noqa: B018


def test_app_config_end_to_end(tmp_path: Path) -> None:
    from microflask import Flask

    app = Flask(__name__, root_path=str(tmp_path))
    (tmp_path / "cfg.py").write_text("SECRET_KEY = 'from-file'\n")
    app.config.from_pyfile("cfg.py")
    assert app.secret_key == "from-file"
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    assert isinstance(app.config, Config)
