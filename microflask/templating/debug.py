"""Tracebacks that show templates instead of the engine.

Theory of operation: when rendering fails, :func:`rewrite_traceback_stack`
rebuilds the exception's traceback. The engine's own frames (the render
call that caught the error, ``Context.call``, macro and undefined plumbing,
registered with :func:`internalcode`) are dropped. Each frame of generated
template code is replaced by a *fake frame*: a one-statement code object,
compiled under the template's file name with the statement on the template
line the generated line came from and named like Jinja2's frames
(``top-level template code``, ``block 'body'``, ``template``), is executed
with the template's variables as its locals, and the traceback entry of the
signal it raises is used. Python's traceback printing and debuggers then
show the template file, line, source and variables. A syntax error's parser
and lexer frames are replaced by one fake frame at the offending line.
"""

from __future__ import annotations

import sys
import typing as t
from types import CodeType, TracebackType

from .exceptions import TemplateSyntaxError

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Code objects whose frames tracebacks leave out.
internal_code: set[CodeType] = set()


def internalcode(func: F) -> F:
    """Mark ``func`` as engine plumbing hidden from rewritten tracebacks."""
    internal_code.add(func.__code__)
    return func


class _FakeFrameSignal(Exception):
    """Raised inside a fake frame to capture its traceback entry."""


def _location(function: str | None) -> str:
    if function == "root":
        return "top-level template code"
    if function is not None and function.startswith("block_"):
        return f"block {function[6:]!r}"
    return "template"


def fake_traceback(frame_locals: t.Mapping[str, t.Any] | None, function: str | None, filename: str, lineno: int) -> TracebackType:
    """A traceback entry pointing at ``filename``:``lineno`` with the template's variables."""
    code = compile("\n" * (lineno - 1) + "raise _j_fake_signal", filename, "exec")
    name = _location(function)
    if sys.version_info >= (3, 11):
        code = code.replace(co_name=name, co_qualname=name)
    else:  # pragma: no cover - Python 3.10 has no co_qualname
        code = code.replace(co_name=name)
    variables = get_template_locals(frame_locals) if frame_locals is not None else {}
    globals_ = {"__name__": filename, "__file__": filename, "_j_fake_signal": _FakeFrameSignal()}
    try:
        exec(code, globals_, variables)
    except _FakeFrameSignal:
        tb = sys.exc_info()[2]
        assert tb is not None and tb.tb_next is not None
        return tb.tb_next
    raise AssertionError("unreachable")  # pragma: no cover


def get_template_locals(real_locals: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The template variables visible in a frame of generated code.

    ``real_locals`` are the frame's Python locals: the render context's
    variables, overridden by the template's local identifiers
    (``l_<scope>_<name>``, the innermost scope winning).
    """
    from .runtime import Context, missing  # cycle: the runtime imports this module

    context = real_locals.get("context")
    data: dict[str, t.Any] = dict(context.get_all()) if isinstance(context, Context) else {}
    best: dict[str, tuple[int, t.Any]] = {}
    for ident, value in real_locals.items():
        if not ident.startswith("l_") or value is missing:
            continue
        try:
            _, scope, name = ident.split("_", 2)
            depth = int(scope)
        except ValueError:
            continue
        if best.get(name, (-1,))[0] < depth:
            best[name] = (depth, value)
    for name, (_, value) in best.items():
        data[name] = value
    return data


def _template_line(tb: TracebackType, line_map: t.Sequence[int]) -> int:
    lineno = tb.tb_lineno
    while 0 < lineno < len(line_map):
        if line_map[lineno]:
            return line_map[lineno]
        lineno -= 1
    return 1


def translate_syntax_error(exc: TemplateSyntaxError) -> None:
    """Give a syntax error one frame at its template line instead of the parser's."""
    if exc.translated:
        return
    exc.translated = True
    where = exc.filename or exc.name or "<unknown>"
    exc.with_traceback(fake_traceback(None, None, where, exc.lineno or 1))


def rewrite_traceback_stack(exc: BaseException, skip_first: bool = True) -> BaseException:
    """Rewrite ``exc``'s traceback to show template frames (see the module docstring).

    :param skip_first: drop the first entry (the render call that caught it).
    """
    if isinstance(exc, TemplateSyntaxError) and not exc.translated:
        translate_syntax_error(exc)
        return exc
    tb = exc.__traceback__
    if skip_first and tb is not None:
        tb = tb.tb_next
    stack: list[TracebackType] = []
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code in internal_code:
            tb = tb.tb_next
            continue
        line_map = frame.f_globals.get("_j_line_map")
        if line_map is not None and frame.f_code.co_name != "<module>":
            lineno = _template_line(tb, line_map)
            stack.append(fake_traceback(frame.f_locals, frame.f_code.co_name, frame.f_code.co_filename, lineno))
        else:
            stack.append(tb)
        tb = tb.tb_next
    new_tb: TracebackType | None = None
    for entry in reversed(stack):
        new_tb = TracebackType(new_tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return exc.with_traceback(new_tb)


__all__ = ["get_template_locals", "rewrite_traceback_stack", "fake_traceback", "internalcode"]


def __getattr__(name: str) -> t.Any:
    # jinja2.debug's re-export of ``missing``
    if name == "missing":
        from .runtime import missing  # cycle: the runtime imports this module

        return missing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
