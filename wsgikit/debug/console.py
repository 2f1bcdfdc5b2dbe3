"""The interactive Python console behind the debugger.

Theory of operation: a :class:`Console` owns a namespace (a frame's
globals and locals, or a fresh one) and evaluates one line at a time the
way the ``python`` prompt does: :mod:`codeop` says whether the input so far
is complete; an incomplete block is buffered and answered with a ``...``
prompt; a complete one is compiled in ``"single"`` mode and run. While it
runs, ``sys.stdout`` and ``sys.displayhook`` are swapped for routers that
send the *evaluating thread's* output into an :class:`HTMLStringO` (escaped)
and every other thread's output where it went before, so a busy threaded
server does not leak its prints into the console or the reverse. One
evaluation runs at a time (a module lock), since the swap is process-wide.
The result is HTML: the echoed input, printed text, the value's
:func:`~wsgikit.debug.repr.debug_repr`, or a rendered traceback.
"""

from __future__ import annotations

import codeop
import itertools
import linecache
import sys
import threading
import typing as t

from .._internal import _escape_html as escape

from .repr import debug_repr
from .repr import dump
from .repr import helper
from .tbtools import DebugTraceback

_eval_lock = threading.Lock()
_input_counter = itertools.count(1)


class HTMLStringO:
    """A write-only text stream collecting HTML: :meth:`write` escapes
    what it is given, :meth:`_write` keeps markup as it is."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer: list[str] = []

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def seek(self, n: int, mode: int = 0) -> None:
        pass

    def readline(self) -> str:
        return ""

    def reset(self) -> str:
        """Return everything written so far and start empty."""
        text = "".join(self._buffer)
        self._buffer.clear()
        return text

    def _write(self, x: str) -> None:
        self._buffer.append(x)

    def write(self, x: str) -> None:
        if isinstance(x, bytes):
            x = x.decode("utf-8", "replace")
        self._buffer.append(escape(str(x)))

    def writelines(self, x: t.Iterable[str]) -> None:
        for line in x:
            self.write(line)


class _Capture(threading.local):
    #: Where this thread's console output goes, or ``None``.
    stream: HTMLStringO | None = None
    #: The namespace that receives ``_`` (the last value shown).
    namespace: dict[str, t.Any] | None = None


_capture = _Capture()
#: The display hook that was installed before the running evaluation.
_outer_displayhook: t.Callable[[object], t.Any] = sys.__displayhook__


class ThreadedStream:
    """Werkzeug's name for the console's output capture, kept reachable:
    :meth:`displayhook` is ``sys.displayhook`` while console code runs, and
    :meth:`push` / :meth:`fetch` capture a thread's output by hand.

    Capture is per thread: another thread's values go to the display hook
    that was installed before.
    """

    @staticmethod
    def push() -> None:
        """Start capturing this thread's displayed values."""
        _capture.stream = HTMLStringO()

    @staticmethod
    def fetch() -> str:
        """Return (and clear) the HTML captured in this thread so far."""
        stream = _capture.stream
        return "" if stream is None else stream.reset()

    @staticmethod
    def displayhook(obj: object) -> None:
        """Show ``obj`` as debug HTML in this thread's capture."""
        stream = _capture.stream
        if stream is None:
            _outer_displayhook(obj)
            return
        if obj is None:
            return
        if _capture.namespace is not None:
            _capture.namespace["_"] = obj
        stream._write(debug_repr(obj))


class _ThreadRouter:
    """Stands in for ``sys.stdout`` during an evaluation: the evaluating
    thread writes into the console, every other thread to the real stream."""

    def __init__(self, original: t.Any, owner: int, stream: HTMLStringO) -> None:
        self._original = original
        self._owner = owner
        self._stream = stream

    def _target(self) -> t.Any:
        return self._stream if threading.get_ident() == self._owner else self._original

    def write(self, x: str) -> t.Any:
        return self._target().write(x)

    def _write(self, x: str) -> t.Any:
        target = self._target()
        return getattr(target, "_write", target.write)(x)

    def writelines(self, x: t.Iterable[str]) -> None:
        for line in x:
            self.write(line)

    def flush(self) -> None:
        self._target().flush()

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._original, name)


class Console:
    """An interactive console over a namespace.

    :param globals: the global namespace, default a fresh dict.
    :param locals: the local namespace, default a fresh dict; ``dump`` and
        ``help`` are added when absent.
    """

    def __init__(self, globals: dict[str, t.Any] | None = None, locals: dict[str, t.Any] | None = None) -> None:
        if globals is None:
            globals = {}
        if locals is None:
            locals = {}
        locals.setdefault("dump", dump)
        locals.setdefault("help", helper)
        #: The namespaces code runs in.
        self.globals = globals
        self.locals = locals
        #: Lines of an unfinished block.
        self.buffer: list[str] = []
        self._compile = codeop.CommandCompiler()

    def eval(self, code: str) -> str:
        """Feed one line; return the HTML to show (the echoed line and its
        output, or a ``...`` prompt when the block is not finished).

        :param code: one line of Python.
        """
        prompt = "... " if self.buffer else ">>> "
        echo = prompt + escape(code) + "\n"
        source = "\n".join([*self.buffer, code])
        filename = f"<debugger input {next(_input_counter)}>"
        try:
            compiled = self._compile(source, filename, "single")
        except (SyntaxError, OverflowError, ValueError) as e:
            self.buffer.clear()
            return echo + _format_syntax_error(e)
        if compiled is None:
            self.buffer.append(code)
            return echo
        self.buffer.clear()
        _remember_source(filename, source)
        return echo + self._run(compiled)

    def _run(self, compiled: t.Any) -> str:
        global _outer_displayhook
        stream = HTMLStringO()
        with _eval_lock:
            saved_stdout, saved_hook = sys.stdout, sys.displayhook
            sys.stdout = _ThreadRouter(saved_stdout, threading.get_ident(), stream)
            if saved_hook is not ThreadedStream.displayhook:
                _outer_displayhook = saved_hook
            sys.displayhook = ThreadedStream.displayhook
            _capture.stream, _capture.namespace = stream, self.locals
            try:
                exec(compiled, self.globals, self.locals)
            except BaseException as e:  # noqa: B036 - exit() and friends must not end the server
                stream._write(_format_exception(e))
            finally:
                sys.stdout, sys.displayhook = saved_stdout, saved_hook
                _capture.stream = _capture.namespace = None
        return stream.reset()


def _remember_source(filename: str, source: str) -> None:
    """Let tracebacks of console input show its lines.

    An mtime of ``None`` tells :func:`linecache.checkcache` to keep it.
    """
    lines = [line + "\n" for line in source.splitlines()]
    linecache.cache[filename] = (len(source), None, lines, filename)


def _format_syntax_error(e: BaseException) -> str:
    import traceback

    text = "".join(traceback.format_exception_only(type(e), e))
    return f'<pre class="traceback">{escape(text)}</pre>'


def _format_exception(e: BaseException) -> str:
    # skip=1 drops Console._run, where the exception was caught.
    return DebugTraceback(e, skip=1).render_traceback_html(include_title=False)
