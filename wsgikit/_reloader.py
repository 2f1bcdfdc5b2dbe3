"""Restart the development server when its source changes.

Theory of operation: :func:`run_with_reloader` is called twice, in two
processes. The first call (the supervisor) re-runs the same command line in
a child process with ``WSGIKIT_RUN_MAIN=true`` and waits; it serves nothing
itself. The listening socket was already bound by ``run_simple`` and is
inherited by the child (its fd number travels in ``WSGIKIT_SERVER_FD``), so
restarts never drop the port. In the child, the server runs in a daemon
thread while the main thread watches files; on a change it exits with code
3, which the supervisor answers by starting a fresh child. Any other exit
code ends the supervisor with that code.

Watching: ``stat`` polls the mtimes of the project's imported modules (not
the standard library or site-packages), every ``.py`` file below the
project's ``sys.path`` directories (so a module whose import failed, and
which is therefore missing from ``sys.modules``, is still watched and its
fix restarts the server) and the extra files. ``inotify``
(Linux, through ``ctypes``) watches each directory of the project once and
sleeps in ``select`` until the kernel reports an event, so idle cost is
nothing; it falls back to ``stat`` where inotify is unavailable or when the
kernel runs out of watches.

Layers: this module sits below :mod:`wsgikit.serving` (which re-exports
:func:`is_running_from_reloader` and loads this module on first use) and
imports nothing of wsgikit but :mod:`wsgikit._internal`. Every
``run_simple`` asks :func:`is_running_from_reloader`, reloading or not, so
what only the supervisor or the watcher needs (``subprocess``, ``signal``,
``sysconfig``, the library roots) is loaded or computed on first use.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import select
import struct
import sys
import threading
import time
import typing as t

from ._internal import _log

if t.TYPE_CHECKING:
    from types import TracebackType


def is_running_from_reloader() -> bool:
    """Whether this process is the reloader's child, which runs the server."""
    return os.environ.get("WSGIKIT_RUN_MAIN") == "true" or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


#: Directory names never watched: VCS data, caches, dependencies.
_ignore_common_dirs = frozenset(
    {
        "__pycache__",
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "node_modules",
        ".venv",
        "venv",
        ".eggs",
    }
)


@functools.cache
def _library_roots() -> tuple[str, ...]:
    """Directories of the standard library and installed packages; paths
    under these are libraries, not the project, and are not watched.

    Computed on first use, not at import (see the module docstring).
    """
    import sysconfig  # cold start: only the watcher needs it

    roots = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            roots.add(os.path.realpath(path))
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        roots.add(os.path.realpath(os.path.join(prefix, "lib")))
    try:
        import site

        roots.update(os.path.realpath(p) for p in site.getsitepackages())
        roots.add(os.path.realpath(site.getusersitepackages()))
    except (AttributeError, ImportError):
        pass
    return tuple(sorted(roots))


def _is_library(path: str) -> bool:
    return path.startswith(_library_roots()) or "site-packages" in path or "dist-packages" in path


# PERF: module name -> project file (or None), so a poll does not redo the
# path work for every module on every tick.
_module_file_cache: dict[str, str | None] = {}


def _iter_module_paths() -> t.Iterator[str]:
    """Yield the files of imported modules that belong to the project."""
    for name, module in list(sys.modules.items()):
        cached = _module_file_cache.get(name, "")
        if cached != "":
            if cached is not None:
                yield cached
            continue
        path = getattr(module, "__file__", None)
        if path and not path.endswith((".py", ".pyc", ".pyw")):
            path = None
        if path:
            path = os.path.realpath(path)
            if path.endswith(".pyc"):
                path = path[:-1]
            if _is_library(path):
                path = None
        _module_file_cache[name] = path
        if path is not None:
            yield path


def _project_path_dirs() -> list[str]:
    """The ``sys.path`` directories that hold the project, not libraries
    (``""`` is the working directory)."""
    dirs = []
    for entry in sys.path:
        path = os.path.realpath(entry or os.getcwd())
        if os.path.isdir(path) and not _is_library(path) and path != os.sep:
            dirs.append(path)
    return dirs


def _iter_project_sources() -> t.Iterator[str]:
    """Every ``.py`` file below the project's ``sys.path`` directories,
    minus VCS, cache, dependency and virtualenv folders."""
    for root in _find_common_roots(_project_path_dirs()):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [
                d
                for d in dirnames
                if d not in _ignore_common_dirs
                and not d.endswith(".egg-info")
                and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))
                and not _is_library(os.path.join(dirpath, d))
            ]
            for name in filenames:
                if name.endswith((".py", ".pyw")):
                    yield os.path.join(dirpath, name)


def _remove_by_pattern(paths: set[str], exclude_patterns: set[str]) -> None:
    for pattern in exclude_patterns:
        paths.difference_update(fnmatch.filter(paths, pattern))


def _find_stat_paths(extra_files: set[str], exclude_patterns: set[str]) -> t.Iterable[str]:
    """The files the stat reloader polls."""
    paths = set(_iter_module_paths())
    paths.update(_iter_project_sources())
    paths.update(extra_files)
    _remove_by_pattern(paths, exclude_patterns)
    return paths


def _find_common_roots(paths: t.Iterable[str]) -> t.Iterable[str]:
    """The smallest set of directories that contains every path given."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if roots and (path == roots[-1] or path.startswith(roots[-1].rstrip(os.sep) + os.sep)):
            continue
        roots.append(path)
    return roots


def _find_watch_roots(extra_files: set[str], exclude_patterns: set[str]) -> t.Iterable[str]:
    """Directories the event reloader watches recursively."""
    dirs = {os.path.dirname(p) for p in _iter_module_paths()}
    dirs.update(_project_path_dirs())
    dirs.update(os.path.dirname(p) if not os.path.isdir(p) else p for p in extra_files)
    return [d for d in _find_common_roots(dirs) if d and os.path.isdir(d)]


def _get_args_for_reloading() -> list[str]:
    """The command line that starts this program again."""
    args = [sys.executable]
    args.extend(f"-W{option}" for option in sys.warnoptions)
    for key, value in getattr(sys, "_xoptions", {}).items():
        args.append(f"-X{key}" if value is True else f"-X{key}={value}")
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name not in ("__main__", ""):
        name = spec.name
        if name.endswith(".__main__"):
            name = name[: -len(".__main__")]
        args += ["-m", name]
        args += sys.argv[1:]
        return args
    script = sys.argv[0]
    if script and not os.path.exists(script) and os.path.exists(script + ".exe"):
        script += ".exe"
    args.append(script)
    args += sys.argv[1:]
    return args


class ReloaderLoop:
    """Base class: watch for changes and restart the process.

    :param extra_files: more files to watch.
    :param exclude_patterns: globs (against absolute paths) to ignore.
    :param interval: seconds between checks.
    """

    #: Shown in " * Restarting with NAME".
    name = ""

    def __init__(
        self,
        extra_files: t.Iterable[str] | None = None,
        exclude_patterns: t.Iterable[str] | None = None,
        interval: int | float = 1,
    ) -> None:
        self.extra_files: set[str] = {os.path.abspath(x) for x in extra_files or ()}
        self.exclude_patterns: set[str] = set(exclude_patterns or ())
        self.interval = interval
        self._parent_pid = os.getppid()

    def _orphaned(self) -> bool:
        """Whether the supervisor died; the child then stops too instead of
        holding the port forever."""
        return os.getppid() != self._parent_pid

    def __enter__(self) -> ReloaderLoop:
        """Prepare watching; record the starting state with one step."""
        self.run_step()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        """Release watch resources."""

    def run(self) -> None:
        """Check forever, ``interval`` seconds apart."""
        while not self._orphaned():
            self.run_step()
            time.sleep(self.interval)

    def run_step(self) -> None:
        """Check once; call :meth:`trigger_reload` on a change."""

    def restart_with_reloader(self) -> int:
        """Run this program in a child until it exits with a code other
        than 3, restarting it on 3. Return that exit code."""
        import subprocess  # cold start: only the supervisor starts children

        while True:
            _log("info", f" * Restarting with {self.name}")
            args = _get_args_for_reloading()
            env = os.environ.copy()
            env["WSGIKIT_RUN_MAIN"] = "true"
            exit_code = subprocess.call(args, env=env, close_fds=False)
            if exit_code != 3:
                return exit_code

    def trigger_reload(self, filename: str) -> None:
        self.log_reload(filename)
        sys.exit(3)

    def log_reload(self, filename: str | bytes) -> None:
        filename = os.path.abspath(os.fsdecode(filename))
        _log("info", f" * Detected change in {filename!r}, reloading")


class StatReloaderLoop(ReloaderLoop):
    """Poll modification times of the project's modules and extra files."""

    name = "stat"

    def __enter__(self) -> ReloaderLoop:
        self.mtimes: dict[str, float] = {}
        return super().__enter__()

    def run_step(self) -> None:
        mtimes = self.mtimes
        for name in _find_stat_paths(self.extra_files, self.exclude_patterns):
            try:
                mtime = os.stat(name).st_mtime
            except OSError:
                continue
            old = mtimes.get(name)
            if old is None:
                mtimes[name] = mtime
            elif mtime > old:
                self.trigger_reload(name)


# inotify constants from <sys/inotify.h>.
_IN_MODIFY = 0x2
_IN_ATTRIB = 0x4
_IN_CLOSE_WRITE = 0x8
_IN_MOVED_FROM = 0x40
_IN_MOVED_TO = 0x80
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_IN_Q_OVERFLOW = 0x4000
_IN_IGNORED = 0x8000
_IN_ONLYDIR = 0x1000000
_IN_ISDIR = 0x40000000
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = getattr(os, "O_CLOEXEC", 0o2000000)
_WATCH_MASK = (
    _IN_MODIFY | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF
)
_CHANGE_MASK = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
_EVENT = struct.Struct("iIII")
#: Seconds to keep collecting events after the first change, so a save that
#: writes in several steps restarts once, on the finished file.
_SETTLE = 0.05


class _Inotify:
    """The three inotify system calls through ``ctypes``."""

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        self._ctypes = ctypes
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._add.restype = ctypes.c_int
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        #: The inotify file descriptor.
        self.fd = fd

    def add_watch(self, path: str) -> int:
        wd: int = self._add(self.fd, os.fsencode(path), _WATCH_MASK | _IN_ONLYDIR)
        if wd < 0:
            code = self._ctypes.get_errno()
            raise OSError(code, os.strerror(code), path)
        return wd

    def close(self) -> None:
        os.close(self.fd)


def inotify_available() -> bool:
    """Whether the kernel and libc offer inotify."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        _Inotify().close()
    except (OSError, AttributeError):
        return False
    return True


class _WatchesExhausted(Exception):
    """The kernel refused more watches (``fs.inotify.max_user_watches``)."""


class InotifyReloaderLoop(ReloaderLoop):
    """Sleep until the kernel reports a change in a project directory.

    Falls back to polling (loudly) when the kernel runs out of watches.
    """

    name = "inotify"

    def __enter__(self) -> ReloaderLoop:
        self._fallback: StatReloaderLoop | None = None
        self._dirs: dict[int, str] = {}
        self._watched: set[str] = set()
        #: ``None`` once closed, or after falling back to polling.
        self._inotify: _Inotify | None = _Inotify()
        try:
            for root in _find_watch_roots(self.extra_files, self.exclude_patterns):
                self._watch_tree(root)
        except _WatchesExhausted:
            self._use_fallback()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None

    def _use_fallback(self) -> None:
        _log(
            "warning",
            " * WARNING: the system ran out of inotify watches (raise"
            " fs.inotify.max_user_watches); the reloader falls back to polling.",
        )
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        fallback = StatReloaderLoop(self.extra_files, self.exclude_patterns, self.interval)
        self._fallback = fallback
        fallback.__enter__()

    def _ignored_dir(self, path: str, name: str) -> bool:
        if name in _ignore_common_dirs or name.endswith(".egg-info"):
            return True
        if os.path.exists(os.path.join(path, "pyvenv.cfg")):
            return True  # a virtualenv
        return any(fnmatch.fnmatch(path, p) for p in self.exclude_patterns)

    def _watch_tree(self, root: str) -> None:
        """Watch ``root`` and every directory below it, once each."""
        inotify = self._inotify
        assert inotify is not None, "only called while watching with inotify"
        stack = [root]
        while stack:
            path = stack.pop()
            if path in self._watched:
                continue
            try:
                wd = inotify.add_watch(path)
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    raise _WatchesExhausted() from None
                continue
            self._watched.add(path)
            self._dirs[wd] = path
            try:
                entries = list(os.scandir(path))
            except OSError:
                continue
            for entry in entries:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir and not self._ignored_dir(entry.path, entry.name):
                    stack.append(entry.path)

    def _relevant(self, path: str) -> bool:
        if path in self.extra_files:
            return True
        if not path.endswith((".py", ".pyw")):
            return False
        return not any(fnmatch.fnmatch(path, p) for p in self.exclude_patterns)

    def _read_changes(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` for events; return a changed file or None."""
        inotify = self._inotify
        assert inotify is not None, "only called while watching with inotify"
        fd = inotify.fd
        readable, _, _ = select.select([fd], [], [], timeout)
        if not readable:
            return None
        changed = None
        deadline = time.monotonic() + _SETTLE
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                data = b""
            changed = self._parse_events(data) or changed
            remaining = deadline - time.monotonic()
            if changed is None or remaining <= 0:
                return changed
            select.select([fd], [], [], remaining)

    def _parse_events(self, data: bytes) -> str | None:
        changed = None
        pos = 0
        while pos + _EVENT.size <= len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, pos)
            name = data[pos + _EVENT.size : pos + _EVENT.size + length].rstrip(b"\0")
            pos += _EVENT.size + length
            if mask & _IN_Q_OVERFLOW:
                changed = changed or "<inotify queue overflow>"
                continue
            base = self._dirs.get(wd)
            if base is None:
                continue
            if mask & _IN_IGNORED:
                self._dirs.pop(wd, None)
                self._watched.discard(base)
                continue
            path = os.path.join(base, os.fsdecode(name)) if name else base
            if mask & _IN_ISDIR:
                if mask & (_IN_CREATE | _IN_MOVED_TO) and not self._ignored_dir(path, os.path.basename(path)):
                    try:
                        self._watch_tree(path)
                    except _WatchesExhausted:
                        _log("warning", f" * WARNING: out of inotify watches; {path!r} is not watched.")
                continue
            if mask & _CHANGE_MASK and self._relevant(path):
                changed = path
        return changed

    def run_step(self) -> None:
        if self._fallback is not None:
            self._fallback.run_step()
            return
        changed = self._read_changes(0)
        if changed is not None:
            self.trigger_reload(changed)

    def run(self) -> None:
        while not self._orphaned():
            if self._fallback is not None:
                self._fallback.run_step()
                time.sleep(self.interval)
                continue
            # Block in select: no CPU is used until the kernel has news.
            changed = self._read_changes(max(self.interval, 1.0))
            if changed is not None:
                self.trigger_reload(changed)


def _auto_loop() -> type[ReloaderLoop]:
    return InotifyReloaderLoop if inotify_available() else StatReloaderLoop


#: Reloader types by name; ``"watchdog"`` is accepted for Werkzeug
#: compatibility and uses inotify (no third-party package needed).
reloader_loops: dict[str, type[ReloaderLoop]] = {
    "stat": StatReloaderLoop,
    "inotify": InotifyReloaderLoop,
    "watchdog": InotifyReloaderLoop,
    "auto": StatReloaderLoop,
}


def _select_loop(reloader_type: str) -> type[ReloaderLoop]:
    if reloader_type == "auto":
        return _auto_loop()
    if reloader_type not in reloader_loops:
        raise ValueError(f"Unknown reloader type {reloader_type!r}; use one of {sorted(reloader_loops)}.")
    loop = reloader_loops[reloader_type]
    if loop is InotifyReloaderLoop and not inotify_available():
        return StatReloaderLoop
    return loop


def ensure_echo_on() -> None:
    """Turn terminal echo back on; a killed child may have left it off."""
    if sys.stdin is None or not sys.stdin.isatty():
        return
    try:
        import termios
    except ImportError:
        return
    attributes = termios.tcgetattr(sys.stdin)
    if not attributes[3] & termios.ECHO:
        attributes[3] |= termios.ECHO
        termios.tcsetattr(sys.stdin, termios.TCSANOW, attributes)


def run_with_reloader(
    main_func: t.Callable[[], None],
    extra_files: t.Iterable[str] | None = None,
    exclude_patterns: t.Iterable[str] | None = None,
    interval: int | float = 1,
    reloader_type: str = "auto",
) -> None:
    """Run ``main_func`` in a child process that restarts on changes.

    :param main_func: what the child runs (in a thread), e.g. ``serve_forever``.
    :param extra_files: more files whose change restarts.
    :param exclude_patterns: globs (against absolute paths) to ignore.
    :param interval: seconds between checks (polling) or wake-ups.
    :param reloader_type: ``"auto"``, ``"stat"``, ``"inotify"`` or ``"watchdog"``.
    """
    import signal  # cold start: only a reloading server installs the handler

    loop_class = _select_loop(reloader_type)
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    reloader = loop_class(extra_files=extra_files, exclude_patterns=exclude_patterns, interval=interval)
    try:
        if is_running_from_reloader():
            ensure_echo_on()
            thread = threading.Thread(target=main_func, args=(), daemon=True)
            with reloader:
                thread.start()
                reloader.run()
        else:
            sys.exit(reloader.restart_with_reloader())
    except KeyboardInterrupt:
        pass
