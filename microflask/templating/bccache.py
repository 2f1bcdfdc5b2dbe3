"""Bytecode caches: keep compiled templates across processes.

Theory of operation: when an environment has a ``bytecode_cache``, loading a
template asks the cache for a :class:`Bucket` keyed by the template's name
(and file name) and checksummed by its source. A bucket whose stored
checksum, engine version, Python version or environment fingerprint differs
is empty; an empty bucket is filled with the freshly compiled code and handed
back to the cache to store. A bucket stores the code object with
:mod:`marshal` (plus the template line map used for tracebacks), so the
files are only valid for the same Python version and are never shared with
Jinja2's.
"""

from __future__ import annotations

import fnmatch
import hashlib
import marshal
import os
import pickle
import stat
import sys
import tempfile
import typing as t
from io import BytesIO

if t.TYPE_CHECKING:
    from .environment import Environment

#: Bumped whenever the generated code (see ``compiler._GENERATED_CODE_VERSION``)
#: or the bucket format changes.
bc_version = 2
#: The header every bucket starts with: format and Python version.
bc_magic = b"mf" + pickle.dumps(bc_version, 2) + pickle.dumps((sys.version_info[0] << 24) | sys.version_info[1], 2)


class _MemcachedClient(t.Protocol):
    def get(self, key: str) -> t.Any: ...

    def set(self, key: str, value: t.Any, timeout: int | None = None) -> t.Any: ...


def environment_fingerprint(environment: Environment) -> str:
    """What, besides the source, decides the generated code of a template."""
    parts = [
        type(environment).__module__, type(environment).__qualname__,
        getattr(environment.code_generator_class, "__qualname__", ""),
        environment.is_async, environment.sandboxed,
        sorted(getattr(environment, "intercepted_binops", ())),
        sorted(getattr(environment, "intercepted_unops", ())),
        environment.finalize is not None, repr(environment.autoescape) if not callable(environment.autoescape) else "callable",
        environment.block_start_string, environment.block_end_string, environment.variable_start_string,
        environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
        environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
        sorted(environment.filters), sorted(environment.tests),
    ]  # fmt: skip
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


class Bucket:
    """The cached code of one template.

    :param environment: the environment the code was compiled for.
    :param key: the cache key (see :meth:`BytecodeCache.get_cache_key`).
    :param checksum: the source checksum; stored code for another checksum is ignored.
    """

    def __init__(self, environment: Environment, key: str, checksum: str) -> None:
        self.environment = environment
        self.key = key
        self.checksum = checksum
        self.reset()

    def reset(self) -> None:
        """Forget the code (the bucket is empty)."""
        #: The compiled template code, or ``None``.
        self.code: t.Any = None
        #: Generated line -> template line, for tracebacks.
        self.line_map: list[int] | None = None

    def _header(self) -> bytes:
        return bc_magic + environment_fingerprint(self.environment).encode("ascii")

    def load_bytecode(self, f: t.BinaryIO) -> None:
        """Read the code from the file object ``f`` (empty on any mismatch)."""
        header = self._header()
        if f.read(len(header)) != header:
            self.reset()
            return
        try:
            checksum = pickle.load(f)
        except Exception:
            self.reset()
            return
        if self.checksum != checksum:
            self.reset()
            return
        try:
            code, line_map = marshal.load(f)
        except (EOFError, ValueError, TypeError):
            self.reset()
            return
        self.code = code
        self.line_map = line_map

    def write_bytecode(self, f: t.IO[bytes]) -> None:
        """Write the code to the file object ``f``."""
        if self.code is None:
            raise TypeError("can't write empty bucket")
        f.write(self._header())
        pickle.dump(self.checksum, f, 2)
        marshal.dump((self.code, self.line_map or []), f)

    def bytecode_from_string(self, string: bytes) -> None:
        """Load the code from bytes."""
        self.load_bytecode(BytesIO(string))

    def bytecode_to_string(self) -> bytes:
        """The code as bytes."""
        out = BytesIO()
        self.write_bytecode(out)
        return out.getvalue()


class BytecodeCache:
    """Base class: subclasses implement :meth:`load_bytecode` and :meth:`dump_bytecode`."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from the cache (leave it empty when there is nothing)."""
        raise NotImplementedError()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store ``bucket`` in the cache."""
        raise NotImplementedError()

    def clear(self) -> None:
        """Empty the whole cache (not every cache can)."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The key for a template name (and file name)."""
        hash = hashlib.sha1(name.encode("utf-8"))
        if filename is not None:
            hash.update(f"|{filename}".encode())
        return hash.hexdigest()

    def get_source_checksum(self, source: str) -> str:
        """The checksum of a template source."""
        return hashlib.sha1(source.encode("utf-8")).hexdigest()

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """The (possibly empty) bucket for a template."""
        key = self.get_cache_key(name, filename)
        checksum = self.get_source_checksum(source)
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        """Store a filled bucket."""
        self.dump_bytecode(bucket)


class FileSystemBytecodeCache(BytecodeCache):
    """One file per template in a directory.

    :param directory: where the files go; by default a per-user directory in
        the system temporary directory, created with mode ``0700`` and refused
        (``RuntimeError``) when it is owned by another user, is not a
        directory (e.g. a symlink), or is accessible to group or others.
    :param pattern: the file name, ``%s`` being replaced by the cache key.
    """

    def __init__(self, directory: str | None = None, pattern: str = "__jinja2_%s.cache") -> None:
        if directory is None:
            directory = self._get_default_cache_dir()
        self.directory = directory
        self.pattern = pattern

    def _get_default_cache_dir(self) -> str:
        # The files are unmarshalled into code: a directory someone else can
        # write to would let them run code in this process, so it is refused
        # rather than repaired.
        if not hasattr(os, "getuid"):  # pragma: no cover - Windows: the temp dir is per-user
            return tempfile.gettempdir()
        path = os.path.join(tempfile.gettempdir(), f"_microflask-templates-cache-{os.getuid()}")
        try:
            os.mkdir(path, stat.S_IRWXU)
        except FileExistsError:
            pass
        info = os.lstat(path)
        if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) & 0o077:
            raise RuntimeError(
                f"Refusing the bytecode cache directory {path!r}: it must be a directory owned by"
                " this user with mode 0700. Remove it or pass a directory explicitly."
            )
        return path

    def _get_cache_filename(self, bucket: Bucket) -> str:
        return os.path.join(self.directory, self.pattern % (bucket.key,))

    def load_bytecode(self, bucket: Bucket) -> None:
        filename = self._get_cache_filename(bucket)
        try:
            f = open(filename, "rb")
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            return
        with f:
            bucket.load_bytecode(f)

    def dump_bytecode(self, bucket: Bucket) -> None:
        # Write to a temporary file and rename it into place, so a reader never
        # sees a half-written file and concurrent writers do not mix.
        name = self._get_cache_filename(bucket)
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(name), suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as f:
                bucket.write_bytecode(f)
        except BaseException:
            try:
                os.remove(tmp)
            except OSError:
                pass
            raise
        try:
            os.replace(tmp, name)
        except OSError:
            try:
                os.remove(tmp)
            except OSError:
                pass

    def clear(self) -> None:
        """Remove every cache file of this pattern from the directory."""
        files = fnmatch.filter(os.listdir(self.directory), self.pattern % ("*",))
        for filename in files:
            try:
                os.remove(os.path.join(self.directory, filename))
            except OSError:
                pass


class MemcachedBytecodeCache(BytecodeCache):
    """Store buckets in memcached (or anything with ``get(key)``/``set(key, value[, timeout])``).

    :param client: the memcache client (``pymemcache``, ``cachelib``, Django's cache...).
    :param prefix: prepended to every key.
    :param timeout: passed to ``set`` when not ``None``.
    :param ignore_memcache_errors: swallow client errors (a miss, or no store).
    """

    def __init__(
        self,
        client: _MemcachedClient,
        prefix: str = "jinja2/bytecode/",
        timeout: int | None = None,
        ignore_memcache_errors: bool = True,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.timeout = timeout
        self.ignore_memcache_errors = ignore_memcache_errors

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            code = self.client.get(self.prefix + bucket.key)
        except Exception:
            if not self.ignore_memcache_errors:
                raise
        else:
            if code:
                bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        key = self.prefix + bucket.key
        value = bucket.bytecode_to_string()
        try:
            if self.timeout is not None:
                self.client.set(key, value, self.timeout)
            else:
                self.client.set(key, value)
        except Exception:
            if not self.ignore_memcache_errors:
                raise


__all__ = ["Bucket", "BytecodeCache", "FileSystemBytecodeCache", "MemcachedBytecodeCache"]
