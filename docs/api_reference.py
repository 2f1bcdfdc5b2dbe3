"""Generate and check docs/api.md, the list of every public name.

Run ``python docs/api_reference.py`` to print what differs between api.md
and the packages, ``python docs/api_reference.py --write`` to regenerate it.
tests/docs/test_api_reference.py runs the check.

What counts as public:

- a module is public when no part of its dotted path starts with ``_``
  (``__main__`` included);
- in a module with ``__all__``, the names in it;
- otherwise the names the module itself defines at top level (classes,
  functions, assignments; not under ``if TYPE_CHECKING``), plus, in a
  package ``__init__``, the names it re-exports with ``from .x import Name
  as Name`` (microflask's lazy names are declared that way too);
- never a name starting with ``_``, nor a ``TypeVar``.

Each name's summary is the first line of its docstring; for a module-level
value it is the ``#:`` comment above the assignment, else its type.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pathlib
import pkgutil
import sys
import typing as t

ROOT = pathlib.Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"
PACKAGES = ("wsgikit", "microflask")

INTRO = """\
# API reference

Every public module of `wsgikit` and `microflask` and every public name in
it, with the first line of its docstring. The list is generated from the
code by `docs/api_reference.py` (run it with `--write` after changing the
API); `tests/docs/test_api_reference.py` fails when a public name is
missing here or a listed one no longer exists.

The names, signatures and behaviour follow Werkzeug 3.1 and Flask 3.1 (see
[the migration guide](migration.md)); the topic pages explain each area.
A module's re-exports are listed under the package that re-exports them
and again under the module that defines them.
"""


def public_modules() -> list[str]:
    """Return the dotted names of the public modules, in sorted order."""
    names = []
    for package in PACKAGES:
        names.append(package)
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return sorted(names)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level(body: list[ast.stmt], in_type_checking: bool = False) -> t.Iterator[tuple[ast.stmt, bool]]:
    """Yield the module's statements, looking into ``if``/``try`` blocks."""
    for node in body:
        if isinstance(node, ast.If):
            inner = in_type_checking or _is_type_checking(node.test)
            yield from _top_level(node.body, inner)
            yield from _top_level(node.orelse, in_type_checking)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _top_level(block, in_type_checking)
        else:
            yield node, in_type_checking


def _defined_names(tree: ast.Module, is_package: bool) -> list[str]:
    names: list[str] = []
    for node, in_type_checking in _top_level(tree.body):
        if isinstance(node, ast.ImportFrom) and (is_package or not in_type_checking):
            names += [a.name for a in node.names if a.asname == a.name]
        if in_type_checking:
            continue
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [tgt.id for tgt in node.targets if isinstance(tgt, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def _source(module: t.Any) -> str:
    return pathlib.Path(inspect.getsourcefile(module) or "").read_text(encoding="utf-8")


def public_names(modname: str) -> list[str]:
    """Return the public names of one module, in sorted order."""
    module = importlib.import_module(modname)
    declared = getattr(module, "__all__", None)
    if declared is not None:
        names = list(declared)
    else:
        tree = ast.parse(_source(module))
        names = _defined_names(tree, hasattr(module, "__path__"))
    result = set()
    for name in names:
        if name.startswith("_") or name in {"annotations", "t"}:
            continue
        value = inspect.getattr_static(module, name, None)
        if isinstance(value, t.TypeVar):
            continue
        result.add(name)
    return sorted(result)


def _comment_docs(modname: str, seen: set[str] | None = None) -> dict[str, str]:
    """Map module-level names to the first line of their ``#:`` comment.

    A name re-exported with ``from .x import name`` takes the comment that
    module ``x`` gives it.
    """
    seen = set() if seen is None else seen
    seen.add(modname)
    source = _source(importlib.import_module(modname))
    docs: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level and node.module:
            base = importlib.util.resolve_name("." * node.level + node.module, _package_of(modname))
            if base in _COMMENT_DOCS:
                found = _COMMENT_DOCS[base]
            elif base not in seen and importlib.util.find_spec(base) is not None:
                found = _comment_docs(base, seen)
            else:
                continue
            docs.update({a.name: found[a.name] for a in node.names if a.name in found})
    docs.update(_own_comment_docs(source))
    _COMMENT_DOCS[modname] = docs
    return docs


#: Finished ``_comment_docs`` answers: a module imported by several
#: ``from x import name`` lines gives its comments to every one of them.
_COMMENT_DOCS: dict[str, dict[str, str]] = {}


def _package_of(modname: str) -> str:
    module = importlib.import_module(modname)
    return modname if hasattr(module, "__path__") else modname.rpartition(".")[0]


def _own_comment_docs(source: str) -> dict[str, str]:
    lines = source.splitlines()
    docs: dict[str, str] = {}
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("#:"):
            continue
        if index > 0 and lines[index - 1].strip().startswith("#:"):
            continue  # only the first line of a comment block
        end = index
        while end < len(lines) and lines[end].strip().startswith("#:"):
            end += 1
        if end < len(lines) and lines[end][:1] not in (" ", "\t"):
            target = lines[end].split("=", 1)[0].split(":", 1)[0].strip()
            if target.isidentifier():
                docs[target] = stripped[2:].strip()
    return docs


def _first_line(doc: t.Any) -> str:
    if not isinstance(doc, str):
        return ""
    doc = inspect.cleandoc(doc)
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


def describe(modname: str, name: str, comments: dict[str, str]) -> tuple[str, str]:
    """Return ``(kind, summary)`` for one public name of a module."""
    module = importlib.import_module(modname)
    # ``getattr`` would trigger microflask's lazy imports, which is what we
    # want, but a LocalProxy must not be touched: read it statically.
    value = inspect.getattr_static(module, name, None)
    if value is None and name not in vars(module):
        value = getattr(module, name)
    if inspect.isclass(value):
        kind = "exception" if issubclass(value, BaseException) else "class"
        own = value.__dict__.get("__doc__")
        if own is not None and not isinstance(own, str):
            own = value.__doc__  # a descriptor such as LocalProxy's
        return kind, _first_line(own)
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return "function", _first_line(value.__doc__)
    if inspect.ismodule(value):
        return "module", _first_line(value.__doc__)
    summary = comments.get(name, "")
    real_type = type(value)
    if not summary and real_type.__module__.split(".")[0] in PACKAGES and callable(value) \
            and real_type.__name__ != "LocalProxy":
        summary = _first_line(real_type.__doc__)
    return f"`{real_type.__name__}`", summary


def render() -> str:
    """Return the text of api.md for the current code."""
    out = [INTRO]
    for modname in public_modules():
        names = public_names(modname)
        module = importlib.import_module(modname)
        out.append(f"\n## `{modname}`\n\n{_first_line(module.__doc__) or '(no module docstring)'}\n")
        if not names:
            out.append("\nNo public names of its own.\n")
            continue
        comments = _comment_docs(modname)
        out.append("\n| name | kind | summary |\n|---|---|---|\n")
        for name in names:
            kind, summary = describe(modname, name, comments)
            summary = summary.replace("|", "\\|") or ("(no docstring)" if kind in ("class", "function", "exception") else "")
            out.append(f"| `{name}` | {kind} | {summary} |\n")
    return "".join(out)


def listed_names(text: str) -> dict[str, set[str]]:
    """Parse api.md: module -> the names in its table."""
    listed: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in text.splitlines():
        if line.startswith("## `") and line.endswith("`"):
            current = listed.setdefault(line[4:-1], set())
        elif current is not None and line.startswith("| `"):
            current.add(line[3:line.index("`", 3)])
    return listed


def differences(text: str) -> list[str]:
    """Return one line per public name missing from ``text``, or listed but gone."""
    listed = listed_names(text)
    problems = []
    actual = {modname: set(public_names(modname)) for modname in public_modules()}
    for modname, names in actual.items():
        if modname not in listed:
            problems.append(f"module {modname} is not in api.md")
            continue
        problems += [f"{modname}.{n} is not in api.md" for n in sorted(names - listed[modname])]
        problems += [f"{modname}.{n} is in api.md but not public" for n in sorted(listed[modname] - names)]
    problems += [f"module {m} is in api.md but not public" for m in sorted(set(listed) - set(actual))]
    return problems


def main(argv: list[str]) -> int:
    if "--write" in argv:
        API_MD.write_text(render(), encoding="utf-8")
        print(f"wrote {API_MD}")
        return 0
    problems = differences(API_MD.read_text(encoding="utf-8"))
    print("\n".join(problems) or "api.md lists every public name")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
