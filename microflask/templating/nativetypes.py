"""Templates that render to Python values instead of strings.

Theory of operation: the native code generator yields every output value as
it is (no ``str()``, no escaping; ``finalize`` still applies), and the
template's ``render`` hands the pieces to :func:`native_concat`. A single
non-string piece is the result; otherwise the pieces are joined and, if the
text is a Python literal, :func:`ast.literal_eval` turns it back into a value
(``{{ x + y }}`` with ``x=1, y=5`` gives the int ``6``, ``"[1, 2]"`` a list).
"""

from __future__ import annotations

import typing as t
from ast import literal_eval, parse
from itertools import chain, islice
from types import GeneratorType

from . import nodes as n
from .async_utils import run_sync
from .compiler import CodeGenerator, Frame
from .environment import Environment, Template


def native_concat(values: t.Iterable[t.Any]) -> t.Any | None:
    """Return the native value of the rendered pieces ``values``.

    No pieces give ``None``; one non-string piece is returned unchanged;
    otherwise the joined text is parsed with :func:`ast.literal_eval`, and
    returned as text when it is not a literal.
    """
    head = list(islice(values, 2))
    if not head:
        return None
    if len(head) == 1:
        raw = head[0]
        if not isinstance(raw, str):
            return raw
    else:
        if isinstance(values, GeneratorType):
            values = chain(head, values)
        raw = "".join([str(v) for v in values])
    try:
        return literal_eval(parse(raw, mode="eval"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return raw


class NativeCodeGenerator(CodeGenerator):
    """A code generator that outputs values unchanged (no ``str``, no escaping).

    Buffered output (macro results, block ``set``, ``filter`` blocks) is joined
    with the environment's ``concat`` too, so a macro may return a list.
    """

    #: Its modules join buffered output with ``environment.concat``.
    _concat_is_join = False

    def __init__(self, environment: Environment, name: str | None, filename: str | None) -> None:
        super().__init__(environment, name, filename)
        self._autoescape = False

    def generate(self, template: n.Template) -> str:
        source = super().generate(template)
        self.debug_info = [(line + 1, tpl) for line, tpl in self.debug_info]
        return "_j_concat = environment.concat\n" + source

    def visit_Output(self, node: n.Output, frame: Frame) -> None:
        if self._known_extends and frame.toplevel:
            return
        guarded = self._guard_output(frame)
        for child in node.nodes:
            if isinstance(child, n.TemplateData):
                self._emit(repr(child.data), frame, child)
            else:
                self._emit(self.output_expr(child, frame), frame, child)
        if guarded:
            self.outdent()

    def output_expr(self, node: n.Node, frame: Frame, formatted: bool = False) -> str:
        code = self.visit(node, frame)
        if not self._finalize:
            return code
        kind = self._finalize_kind
        if kind == "context":
            return f"environment.finalize(context, {code})"
        if kind == "eval_context":
            return f"environment.finalize(context.eval_ctx, {code})"
        if kind == "environment":
            return f"environment.finalize(environment, {code})"
        return f"environment.finalize({code})"

    def _wrap_output(self, code: str, frame: Frame) -> str:
        return code


class NativeTemplate(Template):
    """A template whose :meth:`render` returns a Python value."""

    def render(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Render and return the native value (see :func:`native_concat`)."""
        if self.environment.is_async:
            return run_sync(self.render_async(*args, **kwargs))
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()


    async def render_async(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Render in an async environment and return the native value."""
        if not self.environment.is_async:
            raise RuntimeError("The environment was not created with async mode enabled.")
        context = self.new_context(dict(*args, **kwargs))
        try:
            return self.environment.concat([piece async for piece in self.root_render_func(context)])  # type: ignore[attr-defined]  # async mode: an async generator function
        except Exception:
            self.environment.handle_exception()


class NativeEnvironment(Environment):
    """An environment whose templates render to native Python types."""

    code_generator_class = NativeCodeGenerator
    #: Joins the rendered pieces into the result.
    concat = staticmethod(native_concat)  # type: ignore[assignment]  # returns any value, not a str


NativeEnvironment.template_class = NativeTemplate

__all__ = ["NativeEnvironment", "NativeTemplate", "NativeCodeGenerator", "native_concat"]


from .nodes import has_safe_repr as has_safe_repr  # noqa: E402  (jinja2.nativetypes' re-export)

nodes = n
