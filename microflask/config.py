"""The application's configuration: a dict with loaders, and the defaults.

:class:`Config` is a plain ``dict`` (``app.config``) plus ways to fill it
from Python objects and files, JSON/TOML-like files through any loader,
mappings, and prefixed environment variables. Only UPPERCASE keys are taken
from objects, files and mappings, so helper names in a config module never
leak in.
"""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t
from datetime import timedelta

from wsgikit.datastructures import ImmutableDict
from wsgikit.utils import import_string

__all__ = ["DEFAULT_CONFIG", "Config", "ConfigAttribute"]

T = t.TypeVar("T")

#: Flask 3.1's default configuration, key for key; an application's config
#: starts as a copy of it (``Flask.default_config``).
DEFAULT_CONFIG: ImmutableDict[str, t.Any] = ImmutableDict(
    {
        "DEBUG": None,
        "TESTING": False,
        "PROPAGATE_EXCEPTIONS": None,
        "SECRET_KEY": None,
        "SECRET_KEY_FALLBACKS": None,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        "USE_X_SENDFILE": False,
        "TRUSTED_HOSTS": None,
        "SERVER_NAME": None,
        "APPLICATION_ROOT": "/",
        "SESSION_COOKIE_NAME": "session",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_PARTITIONED": False,
        "SESSION_COOKIE_SAMESITE": None,
        "SESSION_REFRESH_EACH_REQUEST": True,
        "MAX_CONTENT_LENGTH": None,
        "MAX_FORM_MEMORY_SIZE": 500_000,
        "MAX_FORM_PARTS": 1_000,
        "SEND_FILE_MAX_AGE_DEFAULT": None,
        "TRAP_BAD_REQUEST_ERRORS": None,
        "TRAP_HTTP_EXCEPTIONS": False,
        "EXPLAIN_TEMPLATE_LOADING": False,
        "PREFERRED_URL_SCHEME": "http",
        "TEMPLATES_AUTO_RELOAD": None,
        "MAX_COOKIE_SIZE": 4093,
        "PROVIDE_AUTOMATIC_OPTIONS": True,
    }
)

#: The errno values that ``silent=True`` turns into "not loaded".
_MISSING_FILE_ERRNOS = frozenset({errno.ENOENT, errno.EISDIR, errno.ENOTDIR})


class ConfigAttribute(t.Generic[T]):
    """A class attribute that reads and writes ``self.config[name]``
    (``app.debug`` style shortcuts).

    :param name: the config key.
    :param get_converter: applied to the value on read, if given.
    """

    __slots__ = ("__name__", "get_converter")

    def __init__(self, name: str, get_converter: t.Callable[[t.Any], T] | None = None) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    def __get__(self, obj: t.Any, owner: t.Any = None) -> t.Any:
        if obj is None:
            return self
        rv = obj.config[self.__name__]
        if self.get_converter is not None:
            rv = self.get_converter(rv)
        return rv

    def __set__(self, obj: t.Any, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict[str, t.Any]):
    """A ``dict`` of settings with loaders for the usual sources.

    :param root_path: relative file names given to the loaders are resolved
        against it (the app's root path).
    :param defaults: initial values.
    """

    def __init__(self, root_path: str | os.PathLike[str], defaults: dict[str, t.Any] | None = None) -> None:
        super().__init__(defaults or {})
        #: Where relative configuration file names are looked up.
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python file named by an environment variable
        (see :meth:`from_pyfile`).

        :param variable_name: the variable holding the file name.
        :param silent: return ``False`` instead of raising when the variable
            is unset or the file is missing.
        :raise RuntimeError: the variable is not set.
        """
        filename = os.environ.get(variable_name)
        if not filename:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set"
                " and as such configuration could not be loaded. Set"
                " this variable and make it point to a configuration"
                " file"
            )
        return self.from_pyfile(filename, silent=silent)

    def from_prefixed_env(self, prefix: str = "FLASK", *, loads: t.Callable[[str], t.Any] = json.loads) -> bool:
        """Load every environment variable named ``{prefix}_KEY`` as ``KEY``.

        Values go through ``loads`` (JSON by default, so ``1``, ``true`` and
        ``[1, 2]`` become an int, a bool and a list); a value it rejects
        stays a string. ``__`` in a key nests: ``FLASK_DB__HOST`` sets
        ``config["DB"]["HOST"]``, creating the inner dict when missing.
        Variables are applied in sorted order.

        :param prefix: the variable prefix, without the trailing underscore.
            It is ``"FLASK"`` by default, as in Flask, so ported code and
            deployments keep working.
        :param loads: turns each value into its Python form.
        :raise TypeError: a ``__`` path runs through a value that is not a
            dict (for example ``FLASK_DB=1`` and ``FLASK_DB__HOST=x``).
        """
        prefix = f"{prefix}_"
        for env_key in sorted(os.environ):
            if not env_key.startswith(prefix):
                continue
            raw = os.environ[env_key]
            key = env_key[len(prefix) :]
            try:
                value = loads(raw)
            except Exception:
                value = raw
            if "__" not in key:
                self[key] = value
            else:
                self._set_nested(env_key, key.split("__"), value)
        return True

    def _set_nested(self, env_key: str, parts: list[str], value: t.Any) -> None:
        current: t.Any = self
        for part in parts[:-1]:
            if part not in current:
                current[part] = {}
            current = current[part]
            if not isinstance(current, dict):
                raise TypeError(
                    f"Cannot set {env_key!r}: the configuration value at {part!r} is a"
                    f" {type(current).__name__}, not a dict."
                )
        current[parts[-1]] = value

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """Run a Python file and load its UPPERCASE names.

        :param filename: absolute, or relative to :attr:`root_path`.
        :param silent: return ``False`` instead of raising when the file is
            missing or is a directory.
        :raise OSError: the file cannot be read; the message says
            "Unable to load configuration file".
        """
        filename = os.path.join(self.root_path, filename)
        module = types.ModuleType("config")
        module.__file__ = filename
        try:
            with open(filename, mode="rb") as config_file:
                source = config_file.read()
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        exec(compile(source, filename, "exec"), module.__dict__)
        self.from_object(module)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the UPPERCASE attributes of an object, class or module.

        :param obj: the object, or an import string (``"pkg.settings"``,
            ``"pkg.settings:Production"``) naming one.
        """
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a file with ``load`` (``json.load``, ``tomllib.load``...) and
        take the UPPERCASE keys of the mapping it returns.

        :param filename: absolute, or relative to :attr:`root_path`.
        :param load: called with the open file.
        :param silent: return ``False`` instead of raising when the file is
            missing or is a directory.
        :param text: open the file in text mode (``False`` for binary, which
            ``tomllib.load`` needs).
        :raise OSError: the file cannot be read.
        """
        filename = os.path.join(self.root_path, filename)
        try:
            with open(filename, "r" if text else "rb") as f:
                obj = load(f)
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(obj)

    def from_mapping(self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any) -> bool:
        """Take the UPPERCASE keys of ``mapping`` and of the keyword
        arguments (which win on a clash). Always returns ``True``.
        """
        # PERF: the sources are filtered in place, one after the other
        # (keywords last, so they win), instead of being merged into an
        # intermediate dict first.
        if mapping is not None:
            if not isinstance(mapping, dict):
                mapping = dict(mapping)
            for key, value in mapping.items():
                if key.isupper():
                    self[key] = value
        for key, value in kwargs.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(self, namespace: str, lowercase: bool = True, trim_namespace: bool = True) -> dict[str, t.Any]:
        """The settings whose keys start with ``namespace``, e.g. for passing
        ``IMAGE_STORE_*`` to a constructor as keyword arguments.

        :param namespace: the key prefix (``"IMAGE_STORE_"``).
        :param lowercase: lowercase the returned keys.
        :param trim_namespace: drop the prefix from the returned keys.
        """
        rv = {}
        cut = len(namespace) if trim_namespace else 0
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            key = key[cut:]
            if lowercase:
                key = key.lower()
            rv[key] = value
        return rv

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
