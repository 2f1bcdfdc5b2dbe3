"""The compat layer: ``import flask`` and ``import werkzeug`` give this
project's modules, so Flask extensions run unmodified.

Theory of operation
-------------------
:func:`install_as_flask` puts one :class:`_AliasFinder` at the front of
:data:`sys.meta_path`. It answers two questions the import system asks:

- ``find_spec("flask.cli")``: a spec whose loader hands back the module
  ``microflask.cli`` itself (imported on demand), so ``flask.cli`` and
  ``microflask.cli`` are the *same object* -- monkeypatching one patches the
  other and ``isinstance`` checks agree. Only the four top-level names get a
  thin :class:`_AliasModule` of their own, because ``flask.__version__`` must
  name the Flask API version while ``microflask.__version__`` stays the
  project's; every other attribute read, write or delete on it goes to the
  package it stands for. A submodule we lack raises a
  :class:`ModuleNotFoundError` that says so.
- ``find_distributions(name="flask")`` (the :mod:`importlib.metadata`
  protocol): a :class:`_AliasDistribution` whose metadata names the API
  version implemented. Being first on ``sys.meta_path`` it wins over a real
  installed Flask's metadata, but only while the alias is installed.

``markupsafe`` and ``jinja2`` are aliased too (to :mod:`microflask.markup`
and :mod:`microflask.templating`) when asked, or by default when the real
package is not installed: a user who has the real Jinja2 keeps it, since
templates and loaders written for it keep working unchanged there.

Importing this module installs nothing; it is cheap (stdlib only).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import pathlib
import re
import sys
import threading
import types
import typing as t
import warnings

from wsgikit import __werkzeug_version__

from . import __flask_version__
from . import __version__

#: The environment variable that installs the aliases at interpreter start
#: (through the ``.pth`` hook this distribution ships) and in
#: ``python -m microflask``.
ENV_SWITCH = "MICROFLASK_AS_FLASK"

#: Values of :data:`ENV_SWITCH` that mean "off".
_OFF_VALUES = frozenset({"", "0", "false", "no", "off"})

#: The MarkupSafe and Jinja2 versions whose behaviour the stand-ins follow.
MARKUPSAFE_VERSION = "3.0.3"
JINJA2_VERSION = "3.1.6"


class _Alias(t.NamedTuple):
    """One aliased top-level package."""

    #: The name user code imports (``flask``).
    name: str
    #: The module that stands in for it (``microflask``).
    target: str
    #: The distribution name in its metadata (``Flask``).
    dist_name: str
    #: The upstream release whose API the target implements.
    version: str
    #: How ``<alias>.__version__`` behaves, as in that release:
    #: ``"deprecated"`` (the value plus a DeprecationWarning), ``"plain"``,
    #: or ``"absent"`` (AttributeError).
    version_attr: str
    #: The release that drops a deprecated ``__version__`` (for the warning).
    removal: str = ""


_ALIASES: dict[str, _Alias] = {
    "flask": _Alias("flask", "microflask", "Flask", __flask_version__, "deprecated", "Flask 3.2"),
    "werkzeug": _Alias("werkzeug", "wsgikit", "Werkzeug", __werkzeug_version__, "absent"),
    "markupsafe": _Alias(
        "markupsafe", "microflask.markup", "MarkupSafe", MARKUPSAFE_VERSION, "deprecated", "MarkupSafe 3.1"
    ),
    "jinja2": _Alias("jinja2", "microflask.templating", "Jinja2", JINJA2_VERSION, "plain"),
}


# -- limitation messages -------------------------------------------------------


def _missing_module(fullname: str, target: str) -> ModuleNotFoundError:
    package = fullname.partition(".")[0]
    return ModuleNotFoundError(
        f"No module named {fullname!r}: microflask stands in for {package!r} and"
        f" has no {target!r} (a microflask limitation)",
        name=fullname,
    )


# -- the alias module for the top-level packages -------------------------------

# Attributes the alias module keeps for itself instead of forwarding.
_OWN_ATTRIBUTES = frozenset(
    {"__name__", "__spec__", "__loader__", "__package__", "__path__", "__file__", "__cached__", "__doc__"}
)


class _AliasModule(types.ModuleType):
    """``sys.modules["flask"]``: forwards attribute reads, writes and deletes
    to the package it stands for; answers ``__version__`` itself.
    """

    def __init__(self, alias: _Alias, target: types.ModuleType) -> None:
        super().__init__(alias.name, target.__doc__)
        types.ModuleType.__setattr__(self, "_alias", alias)
        types.ModuleType.__setattr__(self, "_target", target)
        types.ModuleType.__setattr__(self, "__file__", getattr(target, "__file__", None))
        # All four upstream names are packages; keep ``import markupsafe.x``
        # going through the finder (and its clear error) for a module target.
        types.ModuleType.__setattr__(self, "__path__", list(getattr(target, "__path__", [])))

    def __getattr__(self, name: str) -> t.Any:
        alias: _Alias = self._alias
        if name == "__version__":
            return self._version()
        try:
            return getattr(self._target, name)
        except AttributeError as error:
            # The target's message names the upstream name and says when it
            # is a limitation; show it under the name the user wrote.
            message = str(error).replace(f"module {alias.target!r}", f"module {alias.name!r}", 1)
            if alias.target not in ("microflask", "wsgikit"):
                message += (
                    f" (microflask stands in for {alias.dist_name} with {alias.target!r};"
                    f" if {alias.dist_name} has '{alias.name}.{name}', this is a microflask limitation)"
                )
            raise AttributeError(message, name=name) from None

    def _version(self) -> str:
        alias: _Alias = self._alias
        if alias.version_attr == "absent":
            raise AttributeError(f"module {alias.name!r} has no attribute '__version__'", name="__version__")
        if alias.version_attr == "deprecated":
            warnings.warn(
                f"The '__version__' attribute is deprecated and will be removed in"
                f" {alias.removal}. Use feature detection or"
                f" 'importlib.metadata.version(\"{alias.name}\")' instead.",
                DeprecationWarning,
                stacklevel=3,
            )
        return alias.version

    def __setattr__(self, name: str, value: t.Any) -> None:
        if name in _OWN_ATTRIBUTES:
            types.ModuleType.__setattr__(self, name, value)
        else:
            setattr(self._target, name, value)

    def __delattr__(self, name: str) -> None:
        if name in _OWN_ATTRIBUTES:
            types.ModuleType.__delattr__(self, name)
        else:
            delattr(self._target, name)

    def __dir__(self) -> list[str]:
        return sorted({*dir(self._target), *_OWN_ATTRIBUTES} - {"__version__"})

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (microflask alias of {self._alias.target!r})>"


# -- the finder and loader -----------------------------------------------------


class _AliasLoader(importlib.abc.Loader):
    """Hands back the target module itself (an :class:`_AliasModule` for a
    top-level name) instead of executing anything.
    """

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        alias, target_name = spec.loader_state
        target = importlib.import_module(target_name)
        if spec.name == alias.name:
            return _AliasModule(alias, target)
        # The import system is about to overwrite __spec__ with the alias
        # spec; remember the module's own to put it back in exec_module.
        spec.loader_state = (alias, target_name, target.__spec__)
        return target

    def exec_module(self, module: types.ModuleType) -> None:
        state = module.__spec__.loader_state if module.__spec__ is not None else None
        if state is not None and len(state) == 3:
            module.__spec__ = state[2]

    # runpy (``python -m flask``) asks the loader of ``flask.__main__`` for
    # its code instead of importing it: hand over the target's.

    def get_code(self, fullname: str) -> types.CodeType | None:
        target = self._target_spec(fullname)
        get_code = getattr(target.loader, "get_code", None)
        return get_code(target.name) if get_code is not None else None

    def is_package(self, fullname: str) -> bool:
        return self._target_spec(fullname).submodule_search_locations is not None

    @staticmethod
    def _target_spec(fullname: str) -> importlib.machinery.ModuleSpec:
        resolved = _finder._resolve(fullname)
        spec = importlib.util.find_spec(resolved[1]) if resolved is not None else None
        if spec is None:
            raise ImportError(f"{fullname!r} is not aliased by install_as_flask()", name=fullname)
        return spec


class _AliasDistribution(importlib.metadata.Distribution):
    """The installed-package metadata of an aliased name."""

    def __init__(self, alias: _Alias) -> None:
        self._alias = alias

    def read_text(self, filename: str) -> str | None:
        alias = self._alias
        if filename in ("METADATA", "PKG-INFO"):
            return (
                "Metadata-Version: 2.1\n"
                f"Name: {alias.dist_name}\n"
                f"Version: {alias.version}\n"
                f"Summary: {alias.dist_name} API provided by microflask {__version__}"
                f" (module {alias.target})\n"
            )
        if filename == "top_level.txt":
            return alias.name + "\n"
        return None

    def locate_file(self, path: str | os.PathLike[str]) -> pathlib.Path:
        spec = importlib.util.find_spec(self._alias.target)
        origin = spec.origin if spec is not None and spec.origin else ""
        return pathlib.Path(origin).parent / path


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _AliasFinder(importlib.metadata.DistributionFinder):
    """The one finder on ``sys.meta_path`` behind :func:`install_as_flask`."""

    def __init__(self) -> None:
        #: The aliased top-level names in force (replaced, never mutated,
        #: so a concurrent import sees one consistent set).
        self.active: frozenset[str] = frozenset()

    def _resolve(self, fullname: str) -> tuple[_Alias, str] | None:
        top, dot, rest = fullname.partition(".")
        if top not in self.active:
            return None
        alias = _ALIASES[top]
        return alias, alias.target + dot + rest

    def find_spec(
        self, fullname: str, path: t.Any = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        resolved = self._resolve(fullname)
        if resolved is None:
            return None
        alias, target_name = resolved
        loaded = sys.modules.get(target_name)
        if loaded is not None:
            found = getattr(loaded, "__spec__", None)
            is_package = hasattr(loaded, "__path__")
        else:
            try:
                found = importlib.util.find_spec(target_name)
            except ImportError:
                found = None
            if found is None:
                raise _missing_module(fullname, target_name)
            is_package = found.submodule_search_locations is not None
        is_package = is_package or fullname == alias.name
        # The origin is informational (runpy shows it as sys.argv[0]); the
        # spec has no "location", so the import system sets no __file__.
        origin = found.origin if found is not None else None
        spec = importlib.machinery.ModuleSpec(fullname, _AliasLoader(), origin=origin, is_package=is_package)
        spec.loader_state = (alias, target_name)
        return spec

    def find_distributions(
        self, context: importlib.metadata.DistributionFinder.Context = importlib.metadata.DistributionFinder.Context()
    ) -> t.Iterator[importlib.metadata.Distribution]:
        wanted = context.name
        for name in sorted(self.active):
            alias = _ALIASES[name]
            if wanted is None or _normalize(wanted) == _normalize(alias.dist_name):
                yield _AliasDistribution(alias)

    def invalidate_caches(self) -> None:
        pass


_finder = _AliasFinder()
_lock = threading.Lock()


def _imported_elsewhere(name: str) -> types.ModuleType | None:
    """The real ``name`` if it is already imported (not our alias)."""
    module = sys.modules.get(name)
    if module is None or isinstance(module, _AliasModule):
        return None
    return module


def _is_installed(name: str) -> bool:
    """Whether a real ``name`` can be imported, found without importing it
    and without asking our own finder.
    """
    if _imported_elsewhere(name) is not None:
        return True
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if finder is _finder or find_spec is None:
            continue
        try:
            if find_spec(name, None) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False


def install_as_flask(markupsafe: bool | None = None, jinja2: bool | None = None) -> None:
    """Make ``flask`` and ``werkzeug`` (and their submodules) importable as
    this project's ``microflask`` and ``wsgikit``, so code written for Flask
    -- extensions above all -- runs unmodified.

    Afterwards ``importlib.metadata.version("flask")`` and ``("werkzeug")``
    answer the API versions implemented (:data:`microflask.__flask_version__`,
    :data:`wsgikit.__werkzeug_version__`). Calling it again is harmless; a
    later call may switch on a stand-in an earlier one left off.

    :param markupsafe: also stand in for ``markupsafe`` with
        :mod:`microflask.markup`. ``None`` (the default) does so only when
        the real MarkupSafe is not installed.
    :param jinja2: also stand in for ``jinja2`` (and ``jinja2.<sub>``) with
        :mod:`microflask.templating`. ``None`` does so only when the real
        Jinja2 is not installed.
    :raises RuntimeError: the real package was imported already; two Flasks
        in one process break in confusing ways.
    """
    with _lock:
        wanted = {"flask", "werkzeug"}
        for name, choice in (("markupsafe", markupsafe), ("jinja2", jinja2)):
            if name in _finder.active:
                continue
            if choice or (choice is None and not _is_installed(name)):
                wanted.add(name)
        for name in sorted(wanted - _finder.active):
            real = _imported_elsewhere(name)
            if real is not None:
                where = getattr(real, "__file__", None) or repr(real)
                raise RuntimeError(
                    f"install_as_flask() was called after the real {name!r} was imported"
                    f" (from {where}). Call it before anything imports {name!r}: two"
                    f" implementations in one process break in confusing ways."
                )
        _finder.active = _finder.active | wanted
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)


def installed_aliases() -> frozenset[str]:
    """The top-level names currently aliased (empty before
    :func:`install_as_flask`).
    """
    return frozenset(_finder.active)


def switch_is_on(environ: t.Mapping[str, str] = os.environ) -> bool:
    """Whether :data:`ENV_SWITCH` asks for the aliases: set to a value other
    than empty, ``0``, ``false``, ``no`` or ``off``."""
    return environ.get(ENV_SWITCH, "").strip().lower() not in _OFF_VALUES


def install_from_environment(environ: t.Mapping[str, str] = os.environ) -> bool:
    """Call :func:`install_as_flask` when :func:`switch_is_on`; return
    whether it did.
    """
    if not switch_is_on(environ):
        return False
    install_as_flask()
    return True
