"""Template loaders: where template sources come from.

A loader's :meth:`~BaseLoader.get_source` returns ``(source, filename,
uptodate)``; ``uptodate`` is ``None`` or a callable telling whether the source
is unchanged (used with ``auto_reload``). :meth:`~BaseLoader.load` compiles.
"""

from __future__ import annotations

import importlib.util
import os
import posixpath
import typing as t

from .compiler import _GENERATED_CODE_VERSION
from .exceptions import TemplateNotFound

if t.TYPE_CHECKING:
    from .environment import Environment, Template

SourceTuple = t.Tuple[str, t.Optional[str], t.Optional[t.Callable[[], bool]]]


def split_template_path(template: str) -> list[str]:
    """Split a ``/`` template name into parts, refusing any ``..`` or OS separator."""
    pieces = []
    for piece in template.split("/"):
        if (
            os.path.sep in piece
            or (os.path.altsep and os.path.altsep in piece)
            or piece == os.path.pardir
            or "\x00" in piece
        ):
            raise TemplateNotFound(template)
        if piece and piece != ".":
            pieces.append(piece)
    return pieces


class BaseLoader:
    """Base class: subclasses implement :meth:`get_source` (and :meth:`list_templates`)."""

    #: Whether :meth:`get_source` works (loaders that only ``load`` set False).
    has_source_access = True

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        """Return ``(source, filename, uptodate)`` or raise :class:`TemplateNotFound`."""
        if not self.has_source_access:
            raise RuntimeError(f"{type(self).__name__} cannot provide access to the source")
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        """Every template name this loader knows, sorted."""
        raise TypeError("this loader cannot iterate over all templates")

    def load(
        self, environment: Environment, name: str, globals: t.MutableMapping[str, t.Any] | None = None
    ) -> Template:
        """Get the source and compile it into a template."""
        if globals is None:
            globals = {}
        source, filename, uptodate = self.get_source(environment, name)
        cache = environment.bytecode_cache
        if cache is None:
            code, line_map = environment._compile_template(source, name, filename)
        else:
            bucket = cache.get_bucket(environment, name, filename, source)
            if bucket.code is None:
                bucket.code, bucket.line_map = environment._compile_template(source, name, filename)
                cache.set_bucket(bucket)
            code, line_map = bucket.code, bucket.line_map or []
        return environment.template_class._from_code(
            environment, code, line_map, globals, name, filename, uptodate
        )


class FileSystemLoader(BaseLoader):
    """Load from one or more directories (searched in order).

    :param searchpath: a directory or a list of them.
    :param encoding: the files' encoding.
    :param followlinks: follow symbolic links to directories in :meth:`list_templates`.
    """

    def __init__(
        self,
        searchpath: str | os.PathLike[str] | t.Sequence[str | os.PathLike[str]],
        encoding: str = "utf-8",
        followlinks: bool = False,
    ) -> None:
        paths: t.Sequence[str | os.PathLike[str]]
        if isinstance(searchpath, abc_iterable_types) and not isinstance(searchpath, str):
            paths = searchpath
        else:
            # another kind of sequence is wrapped (and refused by fspath), as in Jinja2
            paths = [searchpath]  # type: ignore[list-item]  # see above
        self.searchpath = [os.fspath(p) for p in paths]
        self.encoding = encoding
        self.followlinks = followlinks

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.isfile(filename):
                break
        else:
            plural = "path" if len(self.searchpath) == 1 else "paths"
            paths = ", ".join(repr(p) for p in self.searchpath)
            raise TemplateNotFound(template, f"{template!r} not found in search {plural}: {paths}")
        with open(filename, encoding=self.encoding) as f:
            contents = f.read()
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            walk = os.walk(searchpath, followlinks=self.followlinks)
            for dirpath, _, filenames in walk:
                for filename in filenames:
                    template = (
                        os.path.join(dirpath, filename)[len(searchpath) :]
                        .strip(os.path.sep)
                        .replace(os.path.sep, "/")
                    )
                    if template[:2] == "./":
                        template = template[2:]
                    found.add(template)
        return sorted(found)


abc_iterable_types = (list, tuple)


class PackageLoader(FileSystemLoader):
    """Load from a directory inside an importable package.

    :param package_name: the package to look in.
    :param package_path: the directory within it.
    :param encoding: the files' encoding.
    """

    def __init__(self, package_name: str, package_path: str = "templates", encoding: str = "utf-8") -> None:
        package_path = os.path.normpath(package_path).rstrip(os.path.sep)
        if package_path == os.path.curdir:
            package_path = ""
        elif package_path[:2] == os.path.curdir + os.path.sep:
            package_path = package_path[2:]
        self.package_name = package_name
        self.package_path = package_path
        spec = importlib.util.find_spec(package_name)
        if spec is None:
            raise ValueError(f"The {package_name!r} package was not found.")
        roots: list[str] = []
        if spec.submodule_search_locations:
            roots.extend(spec.submodule_search_locations)
        elif spec.origin is not None:
            roots.append(os.path.dirname(spec.origin))
        template_root = None
        for root in roots:
            candidate = os.path.join(root, package_path)
            if os.path.isdir(candidate):
                template_root = candidate
                break
        #: The zip file the package is imported from (``None`` for a directory).
        self._archive: str | None = None
        self._zip_prefix = ""
        if template_root is None and roots:
            template_root = self._find_in_zip(spec, os.path.join(roots[0], package_path))
        if template_root is None:
            raise ValueError(
                f"PackageLoader could not find a {package_path!r} directory"
                f" in the {package_name!r} package."
            )
        self._template_root = template_root
        super().__init__(template_root, encoding=encoding)
        self._loader = spec.loader

    def _find_in_zip(self, spec: t.Any, candidate: str) -> str | None:
        """``candidate`` if the package is imported from a zip holding that directory."""
        import zipfile

        archive = getattr(spec.loader, "archive", None)  # a zipimport.zipimporter
        if not archive or not zipfile.is_zipfile(archive):
            return None
        prefix = os.path.relpath(candidate, archive).replace(os.path.sep, "/").strip("/")
        if prefix == os.path.curdir:
            prefix = ""
        with zipfile.ZipFile(archive) as z:
            names = z.namelist()
        if prefix and not any(name.startswith(prefix + "/") for name in names):
            return None
        self._archive = archive
        self._zip_prefix = prefix
        return candidate

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        if self._archive is None:
            return super().get_source(environment, template)
        path = os.path.join(self._template_root, *split_template_path(template))
        try:
            data = self._loader.get_data(path)  # type: ignore[union-attr]  # a zip archive: its loader has get_data
        except OSError:
            raise TemplateNotFound(template) from None
        # a zip's contents do not change under a running process
        return data.decode(self.encoding), path, None

    def list_templates(self) -> list[str]:
        if self._archive is None:
            return super().list_templates()
        import zipfile

        prefix = self._zip_prefix + "/" if self._zip_prefix else ""
        with zipfile.ZipFile(self._archive) as z:
            names = z.namelist()
        return sorted(name[len(prefix):] for name in names if name.startswith(prefix) and not name.endswith("/"))


class DictLoader(BaseLoader):
    """Load from a dict of name -> source (handy for tests)."""

    def __init__(self, mapping: t.Mapping[str, str]) -> None:
        self.mapping = mapping

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        if template in self.mapping:
            source = self.mapping[template]
            return source, None, lambda: source == self.mapping.get(template)
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted(self.mapping)


class FunctionLoader(BaseLoader):
    """Load by calling ``load_func(name)``: it returns ``None``, a source
    string, or a ``(source, filename, uptodate)`` tuple."""

    def __init__(self, load_func: t.Callable[[str], str | SourceTuple | None]) -> None:
        self.load_func = load_func

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        rv = self.load_func(template)
        if rv is None:
            raise TemplateNotFound(template)
        if isinstance(rv, str):
            return rv, None, None
        return rv


class PrefixLoader(BaseLoader):
    """Dispatch ``prefix/name`` to the loader registered for ``prefix``."""

    def __init__(self, mapping: t.Mapping[str, BaseLoader], delimiter: str = "/") -> None:
        self.mapping = mapping
        self.delimiter = delimiter

    def get_loader(self, template: str) -> tuple[BaseLoader, str]:
        try:
            prefix, name = template.split(self.delimiter, 1)
            loader = self.mapping[prefix]
        except (ValueError, KeyError) as exc:
            raise TemplateNotFound(template) from exc
        return loader, name

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        loader, name = self.get_loader(template)
        try:
            return loader.get_source(environment, name)
        except TemplateNotFound as exc:
            raise TemplateNotFound(template) from exc

    def load(self, environment: Environment, name: str, globals: t.MutableMapping[str, t.Any] | None = None) -> Template:
        loader, local_name = self.get_loader(name)
        try:
            return loader.load(environment, local_name, globals)
        except TemplateNotFound as exc:
            raise TemplateNotFound(name) from exc

    def list_templates(self) -> list[str]:
        result = []
        for prefix, loader in self.mapping.items():
            for template in loader.list_templates():
                result.append(prefix + self.delimiter + template)
        return result


class ChoiceLoader(BaseLoader):
    """Try several loaders in order; the first that has the template wins."""

    def __init__(self, loaders: t.Sequence[BaseLoader]) -> None:
        self.loaders = loaders

    def get_source(self, environment: Environment, template: str) -> SourceTuple:
        for loader in self.loaders:
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                pass
        raise TemplateNotFound(template)

    def load(self, environment: Environment, name: str, globals: t.MutableMapping[str, t.Any] | None = None) -> Template:
        for loader in self.loaders:
            try:
                return loader.load(environment, name, globals)
            except TemplateNotFound:
                pass
        raise TemplateNotFound(name)

    def list_templates(self) -> list[str]:
        found = set()
        for loader in self.loaders:
            found.update(loader.list_templates())
        return sorted(found)


def _module_guard(environment: Environment) -> str:
    """The settings a precompiled module must have been compiled with."""
    return repr((
        _GENERATED_CODE_VERSION, environment.is_async, environment.sandboxed,
        sorted(getattr(environment, "intercepted_binops", ())), sorted(getattr(environment, "intercepted_unops", ())),
        environment.code_generator_class.__qualname__,
    ))  # fmt: skip


def _compiled_module_source(environment: Environment, source: str, name: str, filename: str | None) -> str:
    """The Python module :meth:`~.environment.Environment.compile_templates` writes for a template."""
    python_source, debug_info = environment._generate(source, name, filename)
    line_map = [0] * (python_source.count("\n") + 2)
    for py_line, tpl_line in debug_info:
        if py_line < len(line_map):
            line_map[py_line] = tpl_line
    # appended after the code so the generated line numbers stay valid
    return (
        f"{python_source}"
        f"_j_line_map = {line_map!r}\n"
        f"_j_template_name = {name!r}\n"
        f"_j_template_filename = {filename!r}\n"
        f"_j_compiled_for = {_module_guard(environment)!r}\n"
    )


class ModuleLoader(BaseLoader):
    """Load templates precompiled by :meth:`~.environment.Environment.compile_templates`.

    :param path: a directory or zip file of compiled templates, or a list of them.

    A module compiled for a different mode (async, sandboxed, another code
    generator) is refused with ``RuntimeError``: a template compiled outside
    the sandbox must never run inside it.
    """

    has_source_access = False

    def __init__(self, path: str | os.PathLike[str] | t.Sequence[str | os.PathLike[str]]) -> None:
        if isinstance(path, (str, os.PathLike)):
            path = [path]
        self.paths = [os.fspath(p) for p in path]

    @staticmethod
    def get_template_key(name: str) -> str:
        """The module name of the compiled template ``name``."""
        import hashlib

        return "tmpl_" + hashlib.sha1(name.encode("utf-8")).hexdigest()

    @staticmethod
    def get_module_filename(name: str) -> str:
        """The file name of the compiled template ``name``."""
        return ModuleLoader.get_template_key(name) + ".py"

    def _read_module(self, name: str) -> tuple[str, str] | None:
        import zipfile

        filename = self.get_module_filename(name)
        for path in self.paths:
            if os.path.isdir(path):
                candidate = os.path.join(path, filename)
                if os.path.isfile(candidate):
                    with open(candidate, encoding="utf-8") as f:
                        return f.read(), candidate
            elif zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    try:
                        data = archive.read(filename)
                    except KeyError:
                        continue
                return data.decode("utf-8"), os.path.join(path, filename)
        return None

    def load(self, environment: Environment, name: str, globals: t.MutableMapping[str, t.Any] | None = None) -> Template:
        found = self._read_module(name)
        if found is None:
            raise TemplateNotFound(name)
        source, module_path = found
        # tracebacks name the template's own file (the line map gives its lines)
        marker = "\n_j_template_filename = "
        shown = module_path
        if marker in source:
            import ast

            shown = ast.literal_eval(source.rsplit(marker, 1)[1].split("\n", 1)[0]) or module_path
        code = compile(source, shown, "exec")
        template = environment.template_class._from_code(environment, code, [], globals or {}, name, module_path, None)
        namespace = template.root_render_func.__globals__
        compiled_for = namespace.get("_j_compiled_for")
        if compiled_for != _module_guard(environment):
            raise RuntimeError(
                f"The compiled template {name!r} in {module_path!r} was compiled for another kind of"
                " environment (async mode, sandbox or code generator differ); compile it again."
            )
        template.filename = shown
        return template


from .debug import internalcode as internalcode  # noqa: E402  (jinja2.loaders' re-export)
