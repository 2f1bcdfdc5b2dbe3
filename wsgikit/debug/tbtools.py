"""Tracebacks for the debugger: collecting frames, rendering text and HTML.

Theory of operation: :class:`DebugTraceback` starts from the standard
:class:`traceback.TracebackException` (which already follows ``__cause__``,
``__context__`` and exception groups, and guards against cycles) and walks
it side by side with the live exceptions. For each level it pairs every
:class:`~traceback.FrameSummary` with its real frame (``walk_tb`` yields
them in the same order), drops the skipped and ``__traceback_hide__``
frames, and replaces the summaries with :class:`DebugFrameSummary` objects
that keep the frame's globals and locals so a console can later run in
them. Text comes from the standard formatter over the filtered stacks;
HTML is written here, and every string that comes from the program
(messages, file names, source, function names) is HTML-escaped (with
MarkupSafe's entities ``&#34;`` and ``&#39;``, as on Werkzeug's pages)
exactly once, at the point it is put into markup.

The page is compact so the user's own frame is in view at once: each
source line is one block element (no newlines between them inside the
``<pre>``), a frame shows its failing line with :data:`_SHOWN_CONTEXT` lines
around it (the rest of :data:`CONTEXT_LINES` unfolds on click), and runs of
library frames (the standard library, installed packages, and wsgikit and
microflask themselves) fold into one toggle row. The innermost frame of
each traceback is always shown, whoever it belongs to.
"""

from __future__ import annotations

import inspect
import itertools
import linecache
import os
import sys
import sysconfig
import traceback
import typing as t

from .._internal import _escape_html as escape

if t.TYPE_CHECKING:
    from .console import Console

#: Lines of source shown before and after the failing line of an unfolded frame.
CONTEXT_LINES = 5
#: Of those, the lines shown before the frame is unfolded.
_SHOWN_CONTEXT = 1

#: Larger files that linecache refused are not read for the page.
_MAX_SOURCE_BYTES = 2 * 1024 * 1024

_RESOURCE = "?__debugger__=yes&amp;cmd=resource&amp;f="

_FRAME_SUMMARY_PARAMS = frozenset(inspect.signature(traceback.FrameSummary.__init__).parameters)

# Frame ids come from a counter, not id(): an id() can be reused once a
# forgotten frame is freed, and then point a console at the wrong frame.
_frame_ids = itertools.count(1)

_CAUSE_NOTE = "The above exception was the direct cause of the following exception:"
_CONTEXT_NOTE = "During handling of the above exception, another exception occurred:"


def _library_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    prefixes = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths}
    prefixes.update(p for p in sys.path if "site-packages" in p or "dist-packages" in p)
    # The project's own packages are framework code to the user, too
    # (microflask ships beside wsgikit; it is not imported to find it).
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    prefixes.update((project, os.path.join(os.path.dirname(project), "microflask")))
    return tuple(os.path.join(os.path.realpath(p), "") for p in prefixes if p)


_LIBRARY_PREFIXES = _library_prefixes()


class DebugFrameSummary(traceback.FrameSummary):
    """A frame summary that also keeps the frame's namespaces.

    :param locals: the frame's local variables (a copy, taken at capture).
    :param globals: the frame's global namespace.
    :param kwargs: what :class:`traceback.FrameSummary` takes.
    """

    def __init__(self, *, locals: dict[str, t.Any], globals: dict[str, t.Any], **kwargs: t.Any) -> None:
        super().__init__(locals=None, **kwargs)
        #: The id the page and the console commands use for this frame.
        self.frame_id = next(_frame_ids)
        #: The frame's local namespace.
        self.local_ns = locals
        #: The frame's global namespace.
        self.global_ns = globals
        self._console: Console | None = None

    @property
    def info(self) -> str | None:
        """The frame's ``__traceback_info__`` local, as text."""
        value = self.local_ns.get("__traceback_info__")
        if value is None:
            return None
        try:
            return str(value)
        except Exception:
            return "<__traceback_info__ could not be converted to text>"

    @property
    def is_library(self) -> bool:
        """Whether the frame is in the standard library or an installed package."""
        try:
            path = os.path.realpath(self.filename)
        except (OSError, ValueError):
            return False
        return path.startswith(_LIBRARY_PREFIXES)

    @property
    def console(self) -> Console:
        """The console evaluating in this frame (made on first use, then kept
        so names defined in it persist)."""
        if self._console is None:
            # Inside the function: the console module imports this one (it
            # formats its exceptions with DebugTraceback), at module level.
            from .console import Console

            self._console = Console(self.global_ns, self.local_ns)
        return self._console

    def eval(self, code: str) -> t.Any:
        """Evaluate one console line in this frame; returns the HTML output.

        :param code: one line of Python.
        """
        return self.console.eval(code)

    def render_html(self, mark_library: bool) -> str:
        """The frame as HTML: where it is and the source around the line.

        :param mark_library: add the ``library`` class to library frames so
            the page can fold and dim them.
        """
        classes = "frame library" if mark_library and self.is_library else "frame"
        info = self.info
        info_html = f'<pre class="info">{escape(info)}</pre>' if info else ""
        return (
            f'<div class="{classes}" id="frame-{self.frame_id}" data-frame="{self.frame_id}">'
            f'<h4>File <cite class="filename">"{escape(self.filename)}"</cite>, '
            f'line <em class="line">{self.lineno}</em>, '
            f'in <code class="function">{escape(self.name)}</code></h4>'
            f"{info_html}{self._render_source()}</div>"
        )

    def _source_lines(self) -> list[str]:
        """The frame file's lines: a module through its loader, a template
        (or any other file the traceback names) read from disk."""
        lines = linecache.getlines(self.filename, self.global_ns)
        if lines:
            return lines
        # linecache gives up on a file that is not valid source text (say a
        # latin-1 template); show it with replacement characters instead.
        try:
            if os.path.getsize(self.filename) > _MAX_SOURCE_BYTES:
                return []
            with open(self.filename, encoding="utf-8", errors="replace") as f:
                return f.readlines()
        except (OSError, ValueError):
            return []

    def _render_source(self) -> str:
        lines = self._source_lines()
        lineno = self.lineno or 0
        if not lines or not 0 < lineno <= len(lines):
            return '<div class="source empty"></div>'
        first = max(1, lineno - CONTEXT_LINES)
        last = min(len(lines), lineno + CONTEXT_LINES)
        width = len(str(last))
        rows = []
        for number in range(first, last + 1):
            text = lines[number - 1].rstrip("\r\n")
            current = number == lineno
            code = self._highlight(text) if current else escape(text)
            cls = "line current" if current else "line" if abs(number - lineno) <= _SHOWN_CONTEXT else "line extra"
            rows.append(f'<span class="{cls}"><span class="lineno">{number:>{width}}</span> {code}</span>')
        # One block element per line and nothing between them: newlines
        # between block lines inside <pre> would double every line.
        return f'<div class="source"><pre>{"".join(rows)}</pre></div>'

    def _highlight(self, text: str) -> str:
        """Mark the failing expression (Python 3.11+ column data) on the line."""
        colno = getattr(self, "colno", None)
        end_colno = getattr(self, "end_colno", None)
        end_lineno = getattr(self, "end_lineno", None)
        if colno is None or end_colno is None or end_lineno != self.lineno:
            return escape(text)
        # Columns are UTF-8 byte offsets; convert to str indices.
        raw = text.encode("utf-8")
        start = len(raw[:colno].decode("utf-8", "replace"))
        end = len(raw[:end_colno].decode("utf-8", "replace"))
        if not 0 <= start < end <= len(text) or text[:start].strip() == "" and text[end:].strip() == "":
            return escape(text)
        return f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"


def _exc_type_name(te: traceback.TracebackException) -> str:
    """The exception's class name, without touching ``exc_type`` (deprecated in 3.13)."""
    qualified = getattr(te, "exc_type_str", None)
    if qualified is not None:
        return str(qualified).rsplit(".", 1)[-1]
    return te.exc_type.__name__ if te.exc_type else "Exception"


def _debug_frame(summary: traceback.FrameSummary, frame: t.Any) -> DebugFrameSummary:
    kwargs: dict[str, t.Any] = {
        "filename": summary.filename,
        "lineno": summary.lineno,
        "name": summary.name,
        "lookup_line": False,
        # The unstripped source: 3.11+ places its carets by the indentation
        # (3.13 keeps it as ``_lines``, 3.11/3.12 as ``_line``).
        "line": getattr(summary, "_lines", None) or getattr(summary, "_line", None) or summary.line,
    }
    for name in ("end_lineno", "colno", "end_colno"):
        if name in _FRAME_SUMMARY_PARAMS:
            kwargs[name] = getattr(summary, name, None)
    return DebugFrameSummary(locals=dict(frame.f_locals), globals=frame.f_globals, **kwargs)


def _filter_stack(te: traceback.TracebackException, exc: BaseException, skip: int, hide: bool) -> None:
    """Replace ``te.stack`` by debug summaries, minus skipped and hidden frames."""
    kept: list[DebugFrameSummary] = []
    pairs = zip(te.stack, traceback.walk_tb(exc.__traceback__))
    for index, (summary, (frame, _)) in enumerate(pairs):
        if index < skip:
            continue
        if hide and frame.f_locals.get("__traceback_hide__", False):
            continue
        kept.append(_debug_frame(summary, frame))
    te.stack = traceback.StackSummary.from_list(kept)


def _process_traceback(
    exc: BaseException,
    te: traceback.TracebackException | None = None,
    *,
    skip: int = 0,
    hide: bool = True,
) -> traceback.TracebackException:
    """Build (or take) the traceback exception for ``exc`` and prepare every
    level of it: the chain and, recursively, exception group members."""
    if te is None:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    todo: list[tuple[traceback.TracebackException, BaseException, int]] = [(te, exc, skip)]
    seen: set[int] = set()
    while todo:
        cur_te, cur_exc, cur_skip = todo.pop()
        if id(cur_te) in seen:
            continue
        seen.add(id(cur_te))
        _filter_stack(cur_te, cur_exc, cur_skip, hide)
        if cur_te.__cause__ is not None and cur_exc.__cause__ is not None:
            todo.append((cur_te.__cause__, cur_exc.__cause__, 0))
        if cur_te.__context__ is not None and cur_exc.__context__ is not None:
            todo.append((cur_te.__context__, cur_exc.__context__, 0))
        members = getattr(cur_te, "exceptions", None)
        if members:
            for member_te, member_exc in zip(members, cur_exc.exceptions):  # type: ignore[attr-defined]  # a group: it has members
                todo.append((member_te, member_exc, 0))
    return te


def _chain(te: traceback.TracebackException) -> list[tuple[str | None, traceback.TracebackException]]:
    """The chain oldest first, each with the note shown before it."""
    newest_first: list[tuple[str | None, traceback.TracebackException]] = []
    cur: traceback.TracebackException | None = te
    seen: set[int] = set()
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        # Each entry carries the note linking it to the older exception.
        if cur.__cause__ is not None:
            newest_first.append((_CAUSE_NOTE, cur))
            cur = cur.__cause__
        elif cur.__context__ is not None and not cur.__suppress_context__:
            newest_first.append((_CONTEXT_NOTE, cur))
            cur = cur.__context__
        else:
            newest_first.append((None, cur))
            cur = None
    oldest_first = newest_first[::-1]
    # The oldest has nothing before it, even when it was cut by a cycle.
    return [(None if index == 0 else note, item) for index, (note, item) in enumerate(oldest_first)]


def _first_line(exc: BaseException) -> str:
    """The first non-empty line of the exception's message."""
    try:
        text = exc.msg if isinstance(exc, SyntaxError) and isinstance(exc.msg, str) else str(exc)
    except Exception:
        return "<exception str() failed>"
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _render_frames(stack: list[DebugFrameSummary]) -> str:
    """The frames of one traceback level as list items, with every run of
    library frames but the innermost frame folded into one toggle row."""
    items: list[str] = []
    run: list[DebugFrameSummary] = []

    def flush() -> None:
        if not run:
            return
        frames = "".join(f"<li>{f.render_html(True)}</li>" for f in run)
        label = "1 library frame" if len(run) == 1 else f"{len(run)} library frames"
        items.append(
            f'<li class="library-run"><details><summary>{label}</summary>'
            f'<ul class="frames">{frames}</ul></details></li>'
        )
        run.clear()

    for index, frame in enumerate(stack):
        if frame.is_library and index < len(stack) - 1:
            run.append(frame)
            continue
        flush()
        items.append(f"<li>{frame.render_html(True)}</li>")
    flush()
    return "".join(items)


def _exception_only(te: traceback.TracebackException) -> str:
    return "".join(te.format_exception_only())


class DebugTraceback:
    """An exception prepared for the debugger page and its consoles.

    :param exc: the exception.
    :param te: a ready :class:`traceback.TracebackException` for it.
    :param skip: frames to drop from the start of the outermost traceback
        (the debugger's own frames).
    :param hide: drop frames whose locals set ``__traceback_hide__``.
    """

    def __init__(
        self,
        exc: BaseException,
        te: traceback.TracebackException | None = None,
        *,
        skip: int = 0,
        hide: bool = True,
    ) -> None:
        self._exc = exc
        self._te = _process_traceback(exc, te, skip=skip, hide=hide)
        self._all_tracebacks: list[tuple[str | None, traceback.TracebackException]] | None = None

    @property
    def all_tracebacks(self) -> list[tuple[str | None, traceback.TracebackException]]:
        """Every traceback level in display order, each with the note that
        introduces it; group members follow the group they belong to."""
        if self._all_tracebacks is None:
            result: list[tuple[str | None, traceback.TracebackException]] = []
            self._collect(self._te, result, set())
            self._all_tracebacks = result
        return self._all_tracebacks

    def _collect(self, te: traceback.TracebackException, out: list[t.Any], seen: set[int]) -> None:
        for note, item in _chain(te):
            if id(item) in seen:
                continue
            seen.add(id(item))
            out.append((note, item))
            for member in getattr(item, "exceptions", None) or ():
                self._collect(member, out, seen)

    @property
    def all_frames(self) -> list[DebugFrameSummary]:
        """Every frame of every level, for looking frames up by id."""
        return [f for _, te in self.all_tracebacks for f in te.stack]  # type: ignore[misc]  # _filter_stack filled the stacks with DebugFrameSummary

    @property
    def exception_summary(self) -> str:
        """``Type: message`` of the outermost exception, on one line: the
        class's own name and the message's first line (never a source
        line a syntax error or a note adds)."""
        name = _exc_type_name(self._te)
        message = _first_line(self._exc)
        return f"{name}: {message}" if message else name

    def render_traceback_text(self) -> str:
        """The traceback as the interpreter would print it (minus hidden frames)."""
        return "".join(self._te.format())

    def render_traceback_html(self, include_title: bool = True) -> str:
        """The traceback as HTML: every chained level and group member.

        :param include_title: start with a "Traceback" heading.
        """
        title = '<h3>Traceback <em>(most recent call last)</em>:</h3>' if include_title else ""
        return f'<div class="traceback">{title}{self._render_level(self._te, set())}</div>'

    def _render_level(self, te: traceback.TracebackException, seen: set[int]) -> str:
        parts = []
        for note, item in _chain(te):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if note:
                parts.append(f'<p class="chain-note">{escape(note)}</p>')
            parts.append(f'<ul class="frames">{_render_frames(item.stack)}</ul>')  # type: ignore[arg-type]  # DebugFrameSummary items, as above
            parts.append(f'<blockquote class="exception">{escape(_exception_only(item))}</blockquote>')
            members = getattr(item, "exceptions", None)
            if members:
                parts.append(self._render_group(members, seen))
        return "".join(parts)

    def _render_group(self, members: list[traceback.TracebackException], seen: set[int]) -> str:
        items = []
        total = len(members)
        for number, member in enumerate(members, 1):
            items.append(
                f'<li class="member"><p class="member-title">Sub-exception {number} of {total}</p>'
                f"{self._render_level(member, seen)}</li>"
            )
        return f'<ol class="exception-group">{"".join(items)}</ol>'

    def render_debugger_html(
        self, evalex: bool, secret: str, evalex_trusted: bool, *, request_line: str | None = None
    ) -> str:
        """The whole debugger page.

        :param evalex: offer a console in each frame.
        :param secret: the per-process secret the page's commands carry.
        :param evalex_trusted: the browser already entered the PIN.
        :param request_line: the method and URL of the failing request.
        """
        summary = self.exception_summary
        exc_type = _exc_type_name(self._te)
        request_html = f'<p class="request"><code>{escape(request_line)}</code></p>' if request_line else ""
        text = escape(self.render_traceback_text())
        body = (
            f'<h1>{escape(exc_type)}</h1>{request_html}'
            f'<div class="detail"><p class="errormsg">{escape(_exception_only(self._te).strip())}</p></div>'
            f'<h2 class="traceback-title">Traceback <em>(most recent call last)</em></h2>'
            f"{self.render_traceback_html(include_title=False)}"
            f'<details class="plain"><summary>Plain-text traceback (for copying)</summary>'
            f'<textarea class="plain-text" readonly rows="20" cols="100" spellcheck="false">{text}</textarea>'
            f"</details>"
            f'<div class="explanation">{_explanation(evalex)}</div>'
        )
        return _page(f"{summary} // wsgikit Debugger", body, evalex, secret, evalex_trusted, console_mode=False)


def _explanation(evalex: bool) -> str:
    text = (
        "The debugger caught an exception in your WSGI application. "
        "Click a frame's heading to show more of its source;"
        " library frames are folded, and a button above the traceback unfolds them."
    )
    if evalex:
        text += (
            " Use the <kbd>&gt;_</kbd> button on a frame to open a Python console in it"
            " (after entering the PIN printed on the server's terminal);"
            " <code>dump()</code> shows the frame's variables, <code>dump(obj)</code>"
            " an object's attributes, <code>help(obj)</code> its documentation."
        )
    return text


def _page(title: str, body: str, evalex: bool, secret: str, evalex_trusted: bool, *, console_mode: bool) -> str:
    flags = (
        f'data-evalex="{str(evalex).lower()}" data-evalex-trusted="{str(evalex_trusted).lower()}"'
        f' data-console-mode="{str(console_mode).lower()}" data-secret="{escape(secret)}"'
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{_RESOURCE}style.css">'
        f'<link rel="icon" href="{_RESOURCE}console.svg" type="image/svg+xml">'
        f'<script src="{_RESOURCE}debugger.js" defer></script>'
        f'</head><body {flags}><main class="debugger">{body}'
        '<footer>Brought to you by the <strong>wsgikit</strong> interactive debugger.</footer>'
        f"</main>{_PIN_DIALOG}</body></html>\n"
    )


_PIN_DIALOG = (
    '<div class="pin-prompt" hidden><form class="pin-form">'
    "<h2>Console locked</h2>"
    "<p>The console is locked: enter the PIN that was printed on the terminal running the server.</p>"
    '<input type="text" name="pin" class="pin-input" autocomplete="off" inputmode="numeric" placeholder="PIN">'
    '<button type="submit">Confirm PIN</button> <button type="button" class="pin-cancel">Cancel</button>'
    '<p class="pin-message" role="alert"></p>'
    "</form></div>"
)


def render_console_html(secret: str, evalex_trusted: bool) -> str:
    """The standalone console page.

    :param secret: the per-process secret the console's commands carry.
    :param evalex_trusted: the browser already entered the PIN.
    """
    body = (
        "<h1>Interactive Console</h1>"
        '<div class="explanation">Python code typed here runs in the server process.'
        " <code>dump()</code> shows the console's variables, <code>help(obj)</code> documentation.</div>"
        '<div class="frame console-frame" data-frame="0"></div>'
    )
    return _page("Console // wsgikit Debugger", body, True, secret, evalex_trusted, console_mode=True)
